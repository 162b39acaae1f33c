"""Mål: the plan's goals for a region, one row per goal with a small trend chart and an honest
status, and a CSV download.

The statuses come from :func:`analysis.goals.goal_statuses` through :mod:`report.goals`, so the
page, the report's «Status for planens mål», the Oversikt line and the politiråd slide agree.
Analysts also create, edit and delete goals here (:mod:`dashboard.components.goal_editor`).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard import auth, queries, report_queries, state
from dashboard.components.goal_editor import editor, row_buttons
from dashboard.components.goals import BADGE, goal_alt_text, goal_figure
from dashboard.components.tables import to_csv
from report.goals import HEADER, INTRO, baseline_text, latest_text, status_row

dash.register_page(__name__, path="/maal", name="Mål", order=4.5,
                   title="Mål – SLT-statistikk",
                   description="Planens mål for regionen og hvordan det går med hvert av dem")

P = "maal"


def layout(region: str | None = None, fra=None, til=None, **_query):
    region, fra, til = state.resolve(region, fra, til)
    return html.Div([
        html.H1("Planens mål", className="h3 mb-3"),
        state.global_controls(region, fra, til, years=False),
        html.P(INTRO, className="text-muted"),
        html.Div([dbc.Button("Last ned målene som CSV", id=f"{P}-csv-btn", size="sm",
                             color="dark", outline=True),  # secondary: too little contrast
                  dcc.Download(id=f"{P}-csv-dl")], className="mb-3"),
        dcc.Loading(html.Div(id=f"{P}-list"), type="default"),
        editor(region) if auth.is_analyst() else None,
    ])


def _statuses(region: str) -> list:
    try:
        return report_queries.goal_statuses(region)
    except queries.DataMissing:
        return []


def _none_here(region: str):
    try:
        others = [r for r in report_queries.goal_regions() if r != region]
    except queries.DataMissing:
        others = []
    links = [dcc.Link(name, href=state.href("/maal", name)) for name in others]
    joined = [part for link in links for part in (link, ", ")][:-1]
    return dbc.Alert([f"Ingen mål er lagt inn for {region}. "]
                     + (["Mål finnes for ", *joined, ". "] if joined else [])
                     + ["Mål fra handlingsplanen lastes inn som en målfil med «slt ingest "
                        "MÅLFIL» (se README), eller legges inn her av en analytiker."],
                     color="info", className="empty-state")


def goal_row(status) -> dbc.Card:
    goal = status.goal
    details = [html.H3(goal.measure, className="h6 mb-1"),
               dbc.Badge(status.status, color=BADGE[status.tone],
                         className="fs-6 mb-2 goal-status"),
               html.Dl([html.Dt("Mål"), html.Dd(f"{status.target_text} innen {goal.deadline}"),
                        html.Dt("Grunnlag"), html.Dd(baseline_text(status)),
                        html.Dt("Siste tall"), html.Dd(latest_text(status))],
                       className="goal-facts mb-1"),
               html.P(status.reason, className="small mb-1")]
    if status.partial_note:
        details.append(html.P(status.partial_note, className="small text-muted mb-1"))
    for label, text in (("Planens formulering", goal.wording), ("Tiltak", goal.measures),
                        ("Merknad", goal.note)):
        if text:
            details.append(html.P([html.Strong(f"{label}: "), text], className="small mb-1"))
    if auth.is_analyst():
        details.append(row_buttons(goal))
    alt = goal_alt_text(status)
    chart = html.Figure([dcc.Graph(figure=goal_figure(status), config={"displayModeBar": False},
                                   className="goal-chart"),
                         html.Figcaption(alt, className="visually-hidden")],
                        **{"aria-label": alt}, className="mb-0")
    return dbc.Card(dbc.CardBody(dbc.Row([dbc.Col(details, md=6), dbc.Col(chart, md=6)],
                                         className="g-3")),
                    className="mb-3 shadow-sm goal-row", id=f"{P}-goal-{goal.measure_id}")


@callback(Output(f"{P}-list", "children"), Input("global-region", "value"))
def _list(region):
    return goal_list(region)


def goal_list(region: str):
    """A heading per plan and a row per goal (redrawn after an edit, too)."""
    statuses = _statuses(region)
    if not statuses:
        return _none_here(region)
    blocks = []
    for plan in sorted({s.goal.plan for s in statuses}):
        mine = [s for s in statuses if s.goal.plan == plan]
        blocks += [html.H2(f"{plan} – {region}", className="h5 mt-2"),
                   *[goal_row(s) for s in mine]]
    return blocks


def goals_csv(statuses: list, region: str) -> str:
    rows = [[region, *status_row(s)] for s in statuses]
    return to_csv(pd.DataFrame(rows, columns=["Region", *HEADER]))


@callback(Output(f"{P}-csv-dl", "data"), Input(f"{P}-csv-btn", "n_clicks"),
          State("global-region", "value"), prevent_initial_call=True)
def _download(_clicks, region):
    return {"content": "\ufeff" + goals_csv(_statuses(region), region),
            "filename": f"maal_{region}.csv", "type": "text/csv", "base64": False}
