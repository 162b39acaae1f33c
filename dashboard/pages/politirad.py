"""Politiråd: the report's main findings as a presentation, one finding per screen.

``/politirad`` shows the choices and the slides as a list; ``/politirad?present=1`` shows the
slides full screen (navigation bar hidden) with keyboard navigation from
``assets/politirad.js``: → PageDown space next, ← PageUp previous, Home first, End last.
The findings are the report's (:mod:`analysis.findings`, :mod:`analysis.survey`), in its priority
order, so the council sees what the plan says.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from analysis.survey import caveat_note
from dashboard import queries, report_queries, state
from dashboard.components.slides import (
    Slide,
    build_slides,
    choose,
    goal_slides,
    slide_figure,
    slide_summary,
)
from dashboard.theme import DROPDOWN_LABELS
from report.data import RegionNotFound

dash.register_page(__name__, path="/politirad", name="Politiråd", order=5,
                   title="Politiråd – SLT-statistikk",
                   description="Hovedfunnene som presentasjon for politirådet, ett funn per skjerm")

P = "pr"
URL_KEYS = ["aar", "skjul"]
THRESHOLDS = (3, 5, 10)
state.register_url_keys(P, [f"{P}-year", f"{P}-suppress"])
VERDICT_CLASS = {"up": "pr-up", "down": "pr-down", "neutral": "pr-neutral",
                 "untested": "pr-untested"}


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _choices(aar, skjul) -> tuple[int, int]:
    lo, hi = state.bounds()
    year = _int_or_none(aar)
    year = year if year is not None and lo <= year <= hi else hi
    threshold = _int_or_none(skjul)
    return year, threshold if threshold in THRESHOLDS else 0


def layout(region: str | None = None, fra=None, til=None, aar=None, skjul=None, present=None,
           **_query):
    region, fra, til = state.resolve(region, fra, til)
    year, threshold = _choices(aar, skjul)
    if str(present) == "1":
        return deck(region, year, threshold)
    lo, hi = state.bounds()
    return html.Div([
        html.H1("Politiråd", className="h3 mb-3"),
        state.url_store(P, URL_KEYS),
        state.global_controls(region, fra, til, years=False),
        dbc.Card(dbc.CardBody(dbc.Row([
            dbc.Col([dbc.Label("Til og med år", html_for=f"{P}-year", className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-year", clearable=False,
                                  options=[{"label": str(y), "value": y}
                                           for y in range(hi, lo - 1, -1)], value=year)], md=3),
            dbc.Col([dbc.Label("Skjul tall under …", html_for=f"{P}-suppress",
                               className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-suppress", clearable=False,
                                  options=[{"label": "Nei – vis eksakte tall", "value": 0}]
                                  + [{"label": f"{n} (vis 1–{n - 1} som «<{n}»)", "value": n}
                                     for n in THRESHOLDS], value=threshold)], md=4),
            dbc.Col(dcc.Link("Start presentasjonen", id=f"{P}-start", href="/politirad",
                             className="btn btn-primary btn-lg"), md=5, className="text-md-end"),
        ], className="g-3 align-items-end"), className="py-2"), className="mb-3 controls-card"),
        html.P("Ett funn per skjerm, i samme rekkefølge som hovedfunnene i rapporten. Bla med "
               "→, mellomrom eller Page Down; tilbake med ← eller Page Up; Home og End går til "
               "første og siste. Esc eller «Avslutt» går tilbake hit.", className="text-muted"),
        dcc.Loading(html.Div(id=f"{P}-list"), type="default"),
    ])


def _basis(region: str, year: int, threshold: int):
    return report_queries.report_basis(region, year, threshold or None)


@callback(Output(f"{P}-list", "children"), Output(f"{P}-start", "href"),
          Input("global-region", "value"), Input(f"{P}-year", "value"),
          Input(f"{P}-suppress", "value"))
def _outline(region, year, threshold):
    start = state.href("/politirad", region, aar=year, skjul=threshold or None, present=1)
    try:
        basis = _basis(region, int(year), int(threshold or 0))
    except (queries.DataMissing, RegionNotFound) as problem:
        return dbc.Alert(str(problem), color="info"), start
    slides = build_slides(basis.findings, basis.data.u18, basis.year, basis.sup) + \
        goal_slides(basis.goals)
    police = _no_police(basis, int(year), int(threshold or 0))
    if not slides:
        return html.Div([dbc.Alert(f"Ingen funn for {region}: databasen mangler tall for "
                                   "regionen.", color="info"), police]), start
    # The outline lists every slide: why figures have no verdict is said once, below the list.
    note = caveat_note(choose(basis.findings))
    return html.Div([
        police,
        html.Ol([html.Li([html.Strong("Delår: ") if s.partial_note else None,
                          s.bare or s.sentence], className="mb-2") for s in slides]),
        html.P(note, className="small text-muted mb-0 pr-outline-note") if note else None,
    ]), start


def _no_police(basis, year: int, threshold: int):
    """When the region has no police figures of its own: say so before the list, with links to
    the presentations of the groups it belongs to that have them (Skien → Grenland), so the
    politiråd does not take a presentation of survey figures for the whole picture."""
    if not basis.data.u18.empty:
        return None
    region, parents = basis.data.region, basis.data.police_parents
    text = f"Ingen politi-tall (U18-forhold) for {region}: presentasjonen har dem ikke."
    if not parents:
        return dbc.Alert(text, color="info", className="pr-no-police")
    links = [dcc.Link(name, href=state.href("/politirad", name, aar=year,
                                            skjul=threshold or None)) for name in parents]
    joined = [part for link in links for part in (link, ", ")][:-1]
    return dbc.Alert([f"{text} {region} er med i ", *joined,
                      ", som har tall: se presentasjonen for den."], color="info",
                     className="pr-no-police")


def _slide(slide: Slide, i: int, n: int, footer: str):
    sid = f"{P}-slide-{i + 1}"
    return html.Section([
        html.H2(slide.title, className="pr-title", id=f"{sid}-title"),
        html.Div([
            html.Div([
                html.Div(slide.figure, className="pr-figure"),
                html.Div(slide.figure_caption, className="pr-figure-caption"),
                html.Div(slide.verdict.capitalize(),
                         className=f"pr-verdict {VERDICT_CLASS[slide.tone]}")
                if slide.verdict else None,
                html.P(slide.sentence, className="pr-sentence"),
                html.Ul([html.Li(item) for item in slide.items], className="pr-items")
                if slide.items else None,
                html.P(slide.partial_note, className="pr-partial") if slide.partial_note
                else None,
            ], className="pr-text"),
            _chart(slide, sid) if slide.bars else None,
        ], className="pr-body"),
        html.Footer(footer, className="pr-footer"),
    ], className="pr-slide" + (" active" if i == 0 else ""), id=sid,
        **{"data-index": str(i), "aria-label": f"Funn {i + 1} av {n}"})


def _chart(slide: Slide, sid: str) -> html.Figure:
    """The slide's bars as a figure named by the slide's title and its numbers in words, as
    every other chart (screen readers read no bars)."""
    graph = dcc.Graph(figure=slide_figure(slide), config={"displayModeBar": False,
                                                          "responsive": True},
                      className="pr-chart")
    return html.Figure([graph, html.Figcaption(slide_summary(slide), id=f"{sid}-summary",
                                               className="sr-summary")],
                       className="pr-chart-box mb-0",
                       **{"aria-labelledby": f"{sid}-title {sid}-summary"})


def deck(region: str, year: int, threshold: int):
    """Every slide, the first one shown; politirad.js moves between them."""
    back = state.href("/politirad", region, aar=year, skjul=threshold or None)
    try:
        basis = _basis(region, year, threshold)
        slides = build_slides(basis.findings, basis.data.u18, basis.year, basis.sup) + \
            goal_slides(basis.goals)
    except (queries.DataMissing, RegionNotFound) as problem:
        return html.Div([dbc.Alert(str(problem), color="info"), dcc.Link("Tilbake", href=back)])
    if not slides:
        return html.Div([dbc.Alert(f"Ingen funn for {region}: databasen mangler tall for "
                                   "regionen.", color="info"), dcc.Link("Tilbake", href=back)])
    footer = (f"{basis.data.region} · til og med {basis.year} · Dataversjon: {basis.version}"
              + (f" · Tall under {threshold} er skjult" if threshold else ""))
    n = len(slides)
    return html.Div([
        *[_slide(s, i, n, footer) for i, s in enumerate(slides)],
        html.Nav([
            html.Button("←", id=f"{P}-prev", className="pr-nav", title="Forrige (←)",
                        **{"aria-label": "Forrige funn"}),
            html.Span(f"1 / {n}", id=f"{P}-counter", className="pr-counter",
                      **{"aria-live": "polite"}),
            html.Button("→", id=f"{P}-next", className="pr-nav", title="Neste (→)",
                        **{"aria-label": "Neste funn"}),
            dcc.Link("Avslutt", href=back, id=f"{P}-exit", className="pr-exit"),
        ], className="pr-controls", **{"aria-label": "Bla i presentasjonen"}),
    ], id=f"{P}-deck", className="pr-deck", lang="nb", tabIndex="-1",
        **{"data-count": str(n)})
