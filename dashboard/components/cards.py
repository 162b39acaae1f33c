"""A chart card: finding as title, the chart, its table alternative, a CSV download, empty state.

Pages place ``chart_card("krim-typer")`` in their layout, list ``card_outputs("krim-typer")`` as
callback outputs and return ``card_values(...)`` or ``card_empty(...)``.  The CSV download is one
pattern-matching callback for every card, fed by the frame extracted from the figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import MATCH, Input, Output, State, callback, dcc, html

from dashboard.components.graph_config import graph_config
from dashboard.components.tables import (
    captioned,
    chart_summary,
    figure_frame,
    table_parts,
    to_csv,
)

# The tool bar: «Last ned figuren som PNG» only, in Norwegian (see graph_config).
GRAPH_CONFIG = graph_config()
HIDDEN = {"display": "none"}


def chart_card(cid: str, note: str = "") -> dbc.Card:
    """The card skeleton; every part is filled by the page's callback."""
    return dbc.Card(dbc.CardBody([
        html.H2(id=f"{cid}-title", className="h5 chart-title"),
        html.Div(id=f"{cid}-empty"),
        # The chart's text alternative: the title (the finding) and a summary of its numbers,
        # read by screen readers; the numbers themselves are in the table below.
        html.Figure([
            dcc.Loading(dcc.Graph(id=f"{cid}-graph", config=GRAPH_CONFIG,
                                  figure=go.Figure(layout={"height": 420}))),
            html.Figcaption(id=f"{cid}-summary", className="sr-summary"),
        ], id=f"{cid}-figure", className="mb-0",
            **{"aria-labelledby": f"{cid}-title {cid}-summary"}),
        html.P(id=f"{cid}-note", className="small text-muted mb-2"),
        html.Div([
            dbc.Button("Last ned CSV", id={"type": "csv-btn", "chart": cid}, size="sm",
                       color="secondary", outline=True, className="me-2"),
            dcc.Download(id={"type": "csv-dl", "chart": cid}),
            dcc.Store(id={"type": "csv-data", "chart": cid}),
            html.Details([html.Summary("Vis tallene som tabell"),
                          html.Div(id=f"{cid}-table", className="mt-2")],
                         className="d-inline-block align-top table-details"),
        ], id=f"{cid}-tools"),
    ]), className="mb-4 shadow-sm", id=f"{cid}-card")


def card_outputs(cid: str) -> list[Output]:
    return [Output(f"{cid}-title", "children"), Output(f"{cid}-graph", "figure"),
            Output(f"{cid}-figure", "style"), Output(f"{cid}-empty", "children"),
            Output(f"{cid}-note", "children"), Output({"type": "csv-data", "chart": cid}, "data"),
            Output(f"{cid}-table", "children"), Output(f"{cid}-tools", "style"),
            Output(f"{cid}-summary", "children"), Output(f"{cid}-graph", "config")]


@dataclass(frozen=True)
class Numbers:
    """A chart's numbers as the card shows them: the CSV text, the table's head and body
    (:func:`dashboard.components.tables.table_parts`) and the text alternative's summary."""
    csv: str
    table: list
    summary: str


def numbers(frame, decimals: int = 0) -> Numbers:
    """:class:`Numbers` of a frame (``Serie``, x, value), for a card whose numbers do not
    change with the region (the map: every kommune) to build once."""
    return Numbers(to_csv(frame), table_parts(frame, decimals), chart_summary(frame, decimals))


def card_values(fig: go.Figure | dict, title: str, filename: str, *, note: str | None = None,
                x_name: str = "År", value_name: str = "Antall forhold",
                decimals: int = 0, frame=None, shown: Numbers | None = None) -> tuple:
    """``frame`` overrides the numbers read from the figure (maps, whose traces are shapes);
    ``shown``: those numbers already made (:func:`numbers`)."""
    if shown is None:
        frame = figure_frame(fig, x_name, value_name) if frame is None else frame
        shown = numbers(frame, decimals)
    data = {"filename": filename, "csv": shown.csv}
    return (title, fig, {}, None, note or "", data, captioned(shown.table, title), {},
            shown.summary, graph_config(filename))


def card_empty(title: str, message: str | list) -> tuple:
    """No chart at all: an alert saying what is missing and how to load it (the figure and
    its chart hidden: no empty figure named by the title)."""
    alert = dbc.Alert(with_upload_link(message), color="info", className="mb-0 empty-state")
    return (title, go.Figure(), HIDDEN, alert, "", None, None, HIDDEN, "", GRAPH_CONFIG)


# What fills an empty chart, per kind of data: the file and where to get it.
WHAT_FILLS = {
    "ungdata": ("Ungdata-tall", "kommunens Ungdata-rapport (ungdata.no, NOVA) eller FHIs "
                "statistikkbank Kommunehelsa (khs.fhi.no), lastet ned som CSV"),
    "u18": ("politi-tall (U18-forhold)", "politidistriktets tabell over U18-forhold (Excel eller "
            "CSV fra politiets analyseavdeling, via SLT-kontakten i politiet)"),
    "population": ("befolkningstall", "SSB-tabell 07459 (ssb.no/statbank/table/07459), lastet "
                   "ned som CSV"),
    "context": ("tall for anmeldte lovbrudd", "SSB-tabell 08487 "
                "(ssb.no/statbank/table/08487), lastet ned som CSV"),
}


def what_fills(kind: str, region: str, detail: str = "") -> list:
    """«Ingen … for REGION»: which file would fill it, from where, and where to load it."""
    name, source = WHAT_FILLS[kind]
    return [f"Ingen {name}{detail} for {region}. Slike tall kommer fra {source}: last filen inn "
            "under ",
            dcc.Link("Last opp", href="/last-opp"), " (analytikere) eller med: slt ingest FIL"]


def with_upload_link(message: str | list) -> list:
    """A message that names ``slt ingest`` also points analysts to Last opp (once)."""
    parts = [message] if isinstance(message, str) else list(message)
    text = " ".join(p for p in parts if isinstance(p, str))
    if "slt ingest" not in text or "Last opp" in text or any(
            getattr(p, "href", None) == "/last-opp" for p in parts):
        return parts
    stop = "" if isinstance(parts[-1], str) and parts[-1].rstrip().endswith(".") else "."
    return [*parts, stop + " Analytikere kan også laste filen inn under ",
            dcc.Link("Last opp", href="/last-opp"), "."]


@callback(Output({"type": "csv-dl", "chart": MATCH}, "data"),
          Input({"type": "csv-btn", "chart": MATCH}, "n_clicks"),
          State({"type": "csv-data", "chart": MATCH}, "data"), prevent_initial_call=True)
def _download(_clicks, data):
    if not data:
        return None
    return {"content": "\ufeff" + data["csv"], "filename": data["filename"],
            "type": "text/csv", "base64": False}
