"""Rapport: a preview of the knowledge-base report (``slt report``) and its downloads.

The preview is the same :func:`report.build.report_from` the command uses, rendered block by
block as Dash components (text is never parsed as HTML).  Its two charts are the report's own
figures (:mod:`report.charts`) drawn by the browser with ``dcc.Graph``: only a download renders
them to PNG with kaleido (a headless Chromium, seconds per report), so opening the page costs a
worker a fraction of a second instead of holding it for the browser.  Both the preview and the
downloadable report are cached per (data version, region, year, threshold).  Downloads go
through ``dcc.Download``, so they pass the app's own access control like every other callback.
"""

from __future__ import annotations

import base64
import functools
import threading

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import queries, report_queries, state
from dashboard.components.tables import element
from dashboard.theme import DROPDOWN_LABELS
from report import charts
from report.blocks import Bullets, Heading, Image, Paragraph, Report, Table
from report.build import chart_figures, police_years, report_from
from report.data import RegionNotFound
from report.writers import file_name, to_bytes

dash.register_page(__name__, path="/rapport", name="Rapport", order=4,
                   title="Rapport – SLT-statistikk",
                   description="Kunnskapsgrunnlaget for handlingsplanen: forhåndsvisning og "
                               "nedlasting som Word, PDF, Markdown og CSV")

P = "rap"
URL_KEYS = ["aar", "skjul"]
THRESHOLDS = (3, 5, 10)
DOWNLOADS = (("docx", "Word (.docx)"), ("pdf", "PDF"), ("md", "Markdown (.md)"),
             ("csv", "Tabeller (.csv)"))
state.register_url_keys(P, [f"{P}-year", f"{P}-suppress"])
_BUILD_LOCK = threading.Lock()  # one kaleido browser at a time
AFTER_TABLE = "alder_kjonn"  # the written report puts its charts after this table


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def layout(region: str | None = None, fra=None, til=None, aar=None, skjul=None, **_query):
    region, fra, til = state.resolve(region, fra, til)
    lo, hi = state.bounds()
    year = _int_or_none(aar)
    year = year if year is not None and lo <= year <= hi else hi
    threshold = _int_or_none(skjul)
    threshold = threshold if threshold in THRESHOLDS else 0
    return html.Div([
        html.H1("Rapport", className="h3 mb-3"),
        state.url_store(P, URL_KEYS),
        state.global_controls(region, fra, til, years=False),
        dbc.Card(dbc.CardBody(dbc.Row([
            dbc.Col([dbc.Label("Til og med år", html_for=f"{P}-year",
                               className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-year", clearable=False,
                                  options=[{"label": str(y), "value": y}
                                           for y in range(hi, lo - 1, -1)], value=year)],
                    md=3),
            dbc.Col([dbc.Label("Skjul tall under …", html_for=f"{P}-suppress",
                               className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-suppress", clearable=False,
                                  options=[{"label": "Nei – vis eksakte tall", "value": 0}]
                                  + [{"label": f"{n} (vis 1–{n - 1} som «<{n}»)", "value": n}
                                     for n in THRESHOLDS], value=threshold)], md=4),
            dbc.Col([dbc.Label("Last ned", className="fw-semibold mb-1 d-block"),
                     html.Div([dbc.Button(text, id=f"{P}-dl-{fmt}", color="primary",
                                          outline=fmt != "docx", className="me-2 mb-1",
                                          n_clicks=0) for fmt, text in DOWNLOADS])], md=5),
        ], className="g-3 align-items-end"), className="py-2"), className="mb-3 controls-card"),
        dcc.Download(id=f"{P}-download"),
        dcc.Loading(html.Div(id=f"{P}-download-status", className="small text-muted mb-2"),
                    type="dot"),
        dcc.Loading(dbc.Card(dbc.CardBody(html.Div(id=f"{P}-preview", className="report-preview")),
                             className="shadow-sm"), type="default", delay_show=200),
    ])


@functools.lru_cache(maxsize=16)
def _built(version: tuple, region: str, year: int, threshold: int) -> Report:
    basis = report_queries.report_basis(region, year, threshold or None)
    with _BUILD_LOCK:
        return report_from(basis, with_charts=True)


def build(region: str, year, threshold) -> Report:
    """The report with PNG charts (for the downloads), cached per (data version, region, year,
    threshold)."""
    _path, version = queries.store()
    return _built(version, region, int(year), int(threshold or 0))


def _figures(basis) -> list[tuple[dict, str, str]]:
    """(figure as a dict, alt text, caption) of the report's charts — the figures
    :func:`report.build.chart_blocks` renders to PNG, for the browser to draw instead."""
    data = basis.data
    if data.u18.empty:
        return []
    return [(charts.for_browser(fig), alt, caption)
            for fig, alt, caption in chart_figures(data, police_years(data, basis.year), basis.sup)]


@functools.lru_cache(maxsize=64)
def _previewed(version: tuple, region: str, year: int, threshold: int):
    basis = report_queries.report_basis(region, year, threshold or None)
    return report_from(basis, with_charts=False), _figures(basis)


def preview_parts(region: str, year, threshold) -> tuple[Report, list[tuple[dict, str, str]]]:
    """The report without PNGs and its charts as plotly figures, cached like :func:`build`."""
    _path, version = queries.store()
    return _previewed(version, region, int(year), int(threshold or 0))


# --- blocks → Dash components ----------------------------------------------------------------

def _table(block: Table):
    align = ["text-end text-nowrap" if n else None for n in block.numeric]
    # Rows and cells as their JSON (tables.element): many cells, cheaper than components.
    head = html.Thead(element("Tr", [element("Th", h, className=a, scope="col")
                                     for a, h in zip(align, block.header)]))
    last = len(block.rows) - 1 if block.total_last else None  # bold, as in the written report
    body = html.Tbody([element("Tr", [element("Td", c, className=a) for a, c in zip(align, row)],
                               className="fw-semibold" if r == last else None)
                       for r, row in enumerate(block.rows)])
    parts = [html.Table([html.Caption(block.title, className="caption-top fw-semibold text-dark"),
                         head, body], className="table table-sm table-bordered w-auto report-table",
                        id=f"{P}-table-{block.key}")]
    if block.note:
        parts.append(html.P(block.note, className="small text-muted"))
    # A table wider than the screen scrolls: a keyboard user must be able to reach it (WCAG 2.1.1)
    return html.Div(parts, className="table-responsive mb-3", tabIndex="0", role="region",
                    **{"aria-label": block.title})


def _image(block: Image):
    src = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
    return html.Figure([html.Img(src=src, alt=block.alt, className="img-fluid",
                                 style={"maxWidth": "900px"}),
                        html.Figcaption(block.caption, className="small text-muted")],
                       className="my-3")


def component(block):
    """One report block as a Dash component (text stays text: nothing is parsed as HTML)."""
    if isinstance(block, Heading):
        return getattr(html, f"H{min(block.level + 1, 6)}")(block.text, className="mt-3")
    if isinstance(block, Paragraph):
        return html.P(block.text, className="small text-muted" if block.style == "note" else None)
    if isinstance(block, Bullets):
        return html.Ul([html.Li(item) for item in block.items])
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        return _image(block)
    raise TypeError(f"unknown block {block!r}")


def _graph(i: int, figure: dict, alt: str, caption: str):
    """A chart the browser draws, described for screen readers by the report's alt text."""
    described = f"{P}-figur{i}-alt"
    return html.Figure([dcc.Graph(figure=figure, config={"displayModeBar": False},
                                  style={"maxWidth": "900px"}, className="report-chart"),
                        html.P(alt, id=described, className="visually-hidden"),
                        html.Figcaption(caption, className="small text-muted")],
                       id=f"{P}-figur{i}", className="my-3", role="figure",
                       **{"aria-describedby": described})


def preview(report: Report, figures: list[tuple[dict, str, str]] = ()) -> list:
    """The report's blocks as components; ``figures`` go where the report has its charts."""
    out = [component(b) for b in report.blocks]
    graphs = [_graph(i, *f) for i, f in enumerate(figures, start=1)]
    at = next((n + 1 for n, b in enumerate(report.blocks)
               if isinstance(b, Table) and b.key == AFTER_TABLE), len(out))
    return out[:at] + graphs + out[at:]


def _problem(message: str):
    return dbc.Alert(message, color="info", className="mb-0 empty-state")


@callback(Output(f"{P}-preview", "children"), Input("global-region", "value"),
          Input(f"{P}-year", "value"), Input(f"{P}-suppress", "value"))
def _preview(region, year, threshold):
    try:
        return preview(*preview_parts(region, year, threshold))
    except (queries.DataMissing, RegionNotFound) as problem:
        return _problem(str(problem))


@callback(Output(f"{P}-download", "data"), Output(f"{P}-download-status", "children"),
          *[Input(f"{P}-dl-{fmt}", "n_clicks") for fmt, _ in DOWNLOADS],
          State("global-region", "value"), State(f"{P}-year", "value"),
          State(f"{P}-suppress", "value"), prevent_initial_call=True)
def _download(*args):
    region, year, threshold = args[-3:]
    fmt = str(ctx.triggered_id or "").removeprefix(f"{P}-dl-")
    if fmt not in dict(DOWNLOADS):
        return dash.no_update, dash.no_update
    try:
        report = build(region, year, threshold)
    except (queries.DataMissing, RegionNotFound) as problem:
        return dash.no_update, str(problem)
    name = file_name(report, fmt)
    return dcc.send_bytes(to_bytes(report, fmt), name), f"Lastet ned {name}."
