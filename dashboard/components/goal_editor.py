"""Create, edit and delete the plan's goals in the browser (analysts only).

The form holds the same fields as a goals file and is checked by the same code
(:func:`etl.goals.parse_goal`); saving and deleting go through :mod:`etl.goal_store`, so each
change is an upload in the history that «Angre» on Historikk (or ``slt rollback``) undoes.
Every id starts with ``goal-edit-``: the server refuses these callbacks to anyone but an
analyst (:data:`dashboard.auth.ANALYST_ID_PREFIXES`), and each callback checks the role again.
"""

from __future__ import annotations

import json

import dash
import dash_bootstrap_components as dbc
from dash import (
    ALL,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
)
from dash.exceptions import PreventUpdate

from dashboard import auth, freshness, report_queries
from dashboard.components.confirm import confirm_modal
from etl.goal_store import delete_goal, save_goal
from etl.goals import GoalProblem, as_row

E = "goal-edit"
FIELDS = [  # role, label, kind, help
    ("plan", "Plan (navn og periode)", "text", "F.eks. «SLT-plan 2025-2029»."),
    ("region", "Region", "text", "Kommune, gruppe (Grenland), fylke eller «Hele landet»."),
    ("measure", "Mål (måltall for)", "text",
     "Som appen kaller det: «U18-forhold i alt», en krimtype («Vinning»), «Jenter», «15 år» "
     "eller en Ungdata-indikator («Har brukt cannabis siste år»)."),
    ("unit", "Enhet", "unit", "Antall forhold, per 1 000 unge 10–17 år, eller prosent "
                              "(Ungdata). Tomt: antall for politiets tall, prosent for Ungdata."),
    ("direction", "Retning", "direction", "≤: tallet skal ned til (eller under) måltallet."),
    ("target", "Måltall", "text", "I målets enhet («150», «12,5»), eller en endring fra "
                                  "grunnlaget med fortegn («-20 %»)."),
    ("baseline", "Grunnlag (valgfritt)", "text",
     "Et tall, et år («2024») eller en periode («2019-2022», snittet brukes). Tomt: året før "
     "planperioden."),
    ("deadline", "Frist (år)", "text", "F.eks. «2029»."),
    ("level", "Trinn (valgfritt, Ungdata)", "text", "F.eks. «Ungdomsskole» eller «10. trinn»."),
    ("wording", "Planens formulering (valgfritt)", "area", ""),
    ("measures", "Tiltak (valgfritt)", "area", ""),
    ("note", "Merknad (valgfritt)", "text", ""),
]
UNITS = [("", "Som målet (antall eller prosent)"), ("antall", "Antall forhold"),
         ("per 1 000", "Per 1 000 unge 10–17 år"), ("prosent", "Prosent (Ungdata)")]


def _field(role: str, label: str, kind: str, help_text: str, region: str):
    fid = f"{E}-{role}"
    if kind == "direction":
        control = dbc.Select(id=fid, value="≤", options=[
            {"label": "≤ (ned til / under)", "value": "≤"},
            {"label": "≥ (opp til / over)", "value": "≥"}])
    elif kind == "unit":
        control = dbc.Select(id=fid, value="", options=[{"label": t, "value": v}
                                                        for v, t in UNITS])
    elif kind == "area":
        control = dbc.Textarea(id=fid, value="", rows=2)
    else:
        control = dbc.Input(id=fid, type="text", value=region if role == "region" else "")
    parts = [dbc.Label(label, html_for=fid, className="fw-semibold mb-1"), control]
    if help_text:
        parts.append(dbc.FormText(help_text))
    return dbc.Col(parts, md=6 if kind != "area" else 12, className="mb-2")


def editor(region: str) -> dbc.Card:
    """The form and the delete confirmation (rendered for analysts only)."""
    return dbc.Card(dbc.CardBody([
        html.H2("Nytt mål", id=f"{E}-heading", className="h5"),
        html.P("Målet sjekkes som en rad i en målfil. Hver endring lagres i historikken og kan "
               "angres der.", className="small text-muted"),
        dbc.Row([_field(*spec, region) for spec in FIELDS], className="g-2"),
        dbc.Button("Lagre målet", id=f"{E}-save", color="primary", className="me-2"),
        dbc.Button("Tøm skjemaet", id=f"{E}-clear", color="secondary", outline=True),
        html.Div(id=f"{E}-message", className="mt-3", **{"aria-live": "polite"}),
        dcc.Store(id=f"{E}-replaces"),
        dcc.Store(id=f"{E}-to-delete"),
        confirm_modal(E, "Slette målet?"),
    ]), className="mb-4 shadow-sm", id=f"{E}-card")


def row_buttons(goal) -> html.Div:
    """«Endre» and «Slett» for one goal (analysts only)."""
    key = json.dumps([goal.plan, goal.region_code, goal.measure_id])
    return html.Div([
        html.Button("Endre", id={"type": f"{E}-load", "index": key}, type="button",
                    className="btn btn-sm btn-outline-secondary me-2",
                    **{"aria-label": f"Endre målet {goal.measure}"}),
        html.Button("Slett", id={"type": f"{E}-delete", "index": key}, type="button",
                    className="btn btn-sm btn-outline-danger",
                    **{"aria-label": f"Slett målet {goal.measure}"}),
    ], className="mt-2")


FORM_OUTPUTS = [Output(f"{E}-{role}", "value", allow_duplicate=True) for role, *_ in FIELDS]


def _goal(region: str, key: list):
    for status in report_queries.goal_statuses(region):
        if [status.goal.plan, status.goal.region_code, status.goal.measure_id] == key:
            return status.goal
    return None


@callback(*FORM_OUTPUTS, Output(f"{E}-replaces", "data"), Output(f"{E}-heading", "children"),
          Input({"type": f"{E}-load", "index": ALL}, "n_clicks"), Input(f"{E}-clear", "n_clicks"),
          State("global-region", "value"), prevent_initial_call=True)
def _load(_clicks, _clear, region):
    """«Endre» fills the form with the goal; «Tøm skjemaet» empties it."""
    if not auth.is_analyst() or not ctx.triggered or not ctx.triggered[0]["value"]:
        raise PreventUpdate
    if ctx.triggered_id == f"{E}-clear":
        return *["" if role != "direction" else "≤" for role, *_ in FIELDS], None, "Nytt mål"
    key = json.loads(ctx.triggered_id["index"])
    goal = _goal(region, key)
    if goal is None:
        raise PreventUpdate
    row = as_row(goal)
    return *[row[role] for role, *_ in FIELDS], key, f"Endre mål: {goal.measure}"


# «Endre» fills a form far below the list: the focus (and the view) moves to the form's
# heading, which names the goal, so a keyboard or screen reader user is where the form is.
clientside_callback(
    "function (heading) {"
    f"  var element = document.getElementById('{E}-heading');"
    "  if (element && heading) { window.setTimeout(function () { element.focus(); }, 0); }"
    "  return '-1';"
    "}",
    Output(f"{E}-heading", "tabIndex"), Input(f"{E}-heading", "children"),
    prevent_initial_call=True)


@callback(Output(f"{E}-message", "children"), Output("maal-list", "children",
                                                     allow_duplicate=True),
          Output(f"{E}-replaces", "data", allow_duplicate=True),
          Output("data-version-seen", "data", allow_duplicate=True),
          Input(f"{E}-save", "n_clicks"),
          *[State(f"{E}-{role}", "value") for role, *_ in FIELDS],
          State(f"{E}-replaces", "data"), State("global-region", "value"),
          prevent_initial_call=True)
def _save(_clicks, *values):
    """Check the form as a file row and store it (a new goal, or the one being edited)."""
    if not auth.is_analyst() or not _clicks:
        # Dash also calls this when the router draws the page (prevent_initial_call does not
        # hold for components a callback adds): an unclicked form is not a refused goal.
        raise PreventUpdate
    *fields, replaces, region = values
    form = {role: value or "" for (role, *_), value in zip(FIELDS, fields)}
    try:
        done = save_goal(auth.db_path(), form, auth.user_name(),
                         tuple(replaces) if replaces else None)
    except GoalProblem as problem:
        return (dbc.Alert([html.Strong("Målet er ikke lagret: "),
                           html.Ul([html.Li(m) for m in problem.messages])], color="danger",
                          id=f"{E}-refused"), dash.no_update, dash.no_update, dash.no_update)
    from dashboard.pages.maal import goal_list

    text = "Målet er uendret." if done.status == "unchanged" else \
        f"Lagret ({done.message}, opplasting {done.upload_id})."
    return (dbc.Alert(text, color="success", id=f"{E}-done"), goal_list(region), None,
            freshness.current())


@callback(Output(f"{E}-confirm", "is_open"), Output(f"{E}-confirm-text", "children"),
          Output(f"{E}-to-delete", "data"),
          Output(f"{E}-message", "children", allow_duplicate=True),
          Output("maal-list", "children", allow_duplicate=True),
          Output("data-version-seen", "data", allow_duplicate=True),
          Input({"type": f"{E}-delete", "index": ALL}, "n_clicks"),
          Input(f"{E}-confirm-yes", "n_clicks"), Input(f"{E}-confirm-no", "n_clicks"),
          State(f"{E}-to-delete", "data"), State("global-region", "value"),
          prevent_initial_call=True)
def _delete(_clicks, _yes, _no, target, region):
    """«Slett» → ask; «Ja, slett» → delete (kept in the history) and redraw; «Nei» → close."""
    if not auth.is_analyst():
        raise PreventUpdate
    keep = dash.no_update
    if ctx.triggered_id == f"{E}-confirm-no":
        return False, keep, None, keep, keep, keep
    if ctx.triggered_id == f"{E}-confirm-yes":
        if not target:
            raise PreventUpdate
        done = delete_goal(auth.db_path(), tuple(target), auth.user_name())
        from dashboard.pages.maal import goal_list

        return (False, keep, None, dbc.Alert(done[:1].upper() + done[1:] + ". Det kan angres "
                                             "under Historikk.", color="success",
                                             id=f"{E}-deleted"),
                goal_list(region), freshness.current())
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        raise PreventUpdate  # the buttons were just drawn, not clicked
    key = json.loads(ctx.triggered_id["index"])
    goal = _goal(region, key)
    if goal is None:
        raise PreventUpdate
    text = f"Målet «{goal.measure}» for {goal.region} ({goal.plan}) slettes. Det kan angres " \
           "under Historikk."
    return True, text, key, keep, keep, keep
