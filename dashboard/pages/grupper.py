"""Grupper: make, rename, change the kommuner of and delete region groups in the browser.

The engine of ``slt gruppe`` (:mod:`etl.groups`) with the logged-in user's name: each change is
an upload that Historikk «Angre» undoes, and a refusal is shown as the engine words it (nothing
is written).  Analysts only: the page is registered with ``role="analyst"``, every ``grupper-``
callback is refused to others by :mod:`dashboard.auth`, and the callbacks check again.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import auth, freshness, queries
from dashboard.components.confirm import confirm_modal
from dashboard.theme import DROPDOWN_LABELS
from etl import groups
from etl.store import StoreMissing, connect_read

dash.register_page(__name__, path="/grupper", name="Grupper", order=7.5, role="analyst",
                   title="Grupper – SLT-statistikk")

P = "grupper"
NEW = "__ny__"


def _stored() -> list[dict]:
    try:
        with connect_read(auth.db_path()) as con:
            return groups.described(con)
    except StoreMissing:
        return []


def _table(found: list[dict]):
    if not found:
        return html.P("Ingen grupper ennå.", className="text-muted")
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in ("Gruppe", "Kommuner",
                                                                 "Endret")]))
    rows = [html.Tr([html.Td(g["name"]), html.Td(", ".join(g["members"])),
                     html.Td(g["since"], className="small")]) for g in found]
    return dbc.Table([html.Caption("Gruppene i databasen"), head, html.Tbody(rows)],
                     striped=True, size="sm", responsive=True, id=f"{P}-list")


def _choices(found: list[dict]) -> list[dict]:
    return [{"label": "Ny gruppe", "value": NEW}] + [
        {"label": g["name"], "value": g["name"]} for g in found]


def _kommuner() -> list[str]:
    try:
        frame = queries.regions()
    except queries.DataMissing:
        return []
    return sorted(frame.loc[frame["level"] == "kommune", "name"])


def layout(**_query):
    found = _stored()
    return html.Div([
        html.H1("Regiongrupper", className="h3 mb-2"),
        html.P("En regiongruppe er flere kommuner som ses samlet, for eksempel et SLT-samarbeid. "
               "Gruppen kan velges på alle sidene og i rapporten; befolkning, rater og summer "
               "for gruppen regnes fra kommunene. Hver endring vises i Historikk og kan angres "
               "der.", className="text-muted"),
        html.Div(_table(found), id=f"{P}-table"),
        dbc.Card(dbc.CardBody([
            html.H2("Lag eller endre en gruppe", className="h5"),
            dbc.Row([
                dbc.Col([dbc.Label("Gruppe", html_for=f"{P}-group", className="mb-1"),
                         dcc.Dropdown(id=f"{P}-group", options=_choices(found), value=NEW,
                                      clearable=False, labels=DROPDOWN_LABELS)], md=4),
                dbc.Col([dbc.Label("Navn", html_for=f"{P}-name", className="mb-1"),
                         dbc.Input(id=f"{P}-name", type="text", maxLength=groups.MAX_NAME,
                                   placeholder="f.eks. Ringerike, Hole og Jevnaker")], md=8),
            ], className="g-3 mb-2"),
            dbc.Label("Kommuner (minst to)", html_for=f"{P}-members", className="mb-1"),
            dcc.Dropdown(id=f"{P}-members", options=_kommuner(), value=[], multi=True,
                         placeholder="Skriv for å søke etter kommuner", labels=DROPDOWN_LABELS),
            html.Div([dbc.Button("Lagre", id=f"{P}-save", color="primary", className="me-2"),
                      dbc.Button("Slett gruppen", id=f"{P}-delete", color="danger",
                                 outline=True, disabled=True)], className="mt-3"),
        ]), className="mb-3 shadow-sm"),
        html.Div(id=f"{P}-message", role="status"),
        confirm_modal(P, "Slette gruppen?"),
    ])


def _require_analyst() -> None:
    if not auth.is_analyst():
        raise PreventUpdate


def _require_click() -> None:
    """A button drawn (the dialog's, when it opens) fires its callback unclicked: ignore it."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        raise PreventUpdate


@callback(Output(f"{P}-name", "value"), Output(f"{P}-members", "value"),
          Output(f"{P}-delete", "disabled"), Input(f"{P}-group", "value"),
          prevent_initial_call=True)
def _fill(chosen):
    """Choosing a group fills in its name and kommuner; «Ny gruppe» empties the form."""
    _require_analyst()
    group = next((g for g in _stored() if g["name"] == chosen), None)
    if group is None:
        return "", [], True
    return group["name"], group["members"], False


@callback(Output(f"{P}-confirm", "is_open"), Output(f"{P}-confirm-text", "children"),
          Input(f"{P}-delete", "n_clicks"), Input(f"{P}-confirm-no", "n_clicks"),
          State(f"{P}-group", "value"), prevent_initial_call=True)
def _ask(_delete, _no, chosen):
    _require_analyst()
    _require_click()
    if ctx.triggered_id == f"{P}-confirm-no" or chosen in (None, NEW):
        return False, dash.no_update
    return True, (f"Gruppen {chosen} slettes og forsvinner fra regionvalget. Slettingen vises "
                  "i Historikk og kan angres der.")


@callback(Output(f"{P}-message", "children"), Output(f"{P}-table", "children"),
          Output(f"{P}-group", "options"), Output(f"{P}-group", "value"),
          Output(f"{P}-confirm", "is_open", allow_duplicate=True),
          Output("data-version-seen", "data", allow_duplicate=True),
          Input(f"{P}-save", "n_clicks"), Input(f"{P}-confirm-yes", "n_clicks"),
          State(f"{P}-group", "value"), State(f"{P}-name", "value"),
          State(f"{P}-members", "value"), prevent_initial_call=True)
def _change(_save, _yes, chosen, name, members):
    """Lagre → make or change the group; Ja, slett → delete it.  The engine decides."""
    _require_analyst()
    _require_click()
    keep = dash.no_update
    try:
        done, target = _apply(ctx.triggered_id == f"{P}-confirm-yes", chosen, name, members)
    except groups.GroupError as refused:
        return (dbc.Alert(f"Ikke lagret: {refused}.", color="danger", id=f"{P}-refused"),
                keep, keep, keep, False, keep)
    found = _stored()
    if done is None:
        return (dbc.Alert("Ingenting å lagre: gruppen er allerede slik.", color="secondary",
                          id=f"{P}-unchanged"), keep, keep, keep, False, keep)
    text = done.message[:1].upper() + done.message[1:]
    alert = dbc.Alert([f"{text}. ", html.Span(f"Lagret som opplasting {done.upload_id}; kan "
                                              "angres i "), dcc.Link("Historikk",
                                                                     href="/historikk"), "."],
                      color="success", id=f"{P}-done")
    return alert, _table(found), _choices(found), target, False, freshness.current()


def _apply(delete: bool, chosen, name, members):
    """(the change or None, the group to show next) — GroupError when refused."""
    user, db = auth.user_name(), auth.db_path()
    if delete:
        return groups.delete(db, chosen, user), NEW
    if chosen in (None, NEW):
        done = groups.create(db, name or "", list(members or []), user)
        return done, groups.clean_name(name)
    done = groups.change(db, chosen, new_name=name or None, kommuner=list(members or []),
                         user=user)
    return done, groups.clean_name(name) if name else chosen
