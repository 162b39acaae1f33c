"""Charts of the main trends as PNG (plotly + kaleido with Debian's chromium), each with alt text.

Figure builders are pure and return ``(figure, alt text)``, the figure a plain dict (``{"data",
"layout"}``: plotly's figure objects cost more to build and check than the rest of a chart);
:func:`render` turns them into PNG bytes with one browser for all of them.  Counts hidden by
suppression are not drawn, and the alt text shows them as ``<N`` — the same rule as tables and
sentences.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import warnings

import pandas as pd
import plotly.graph_objects as go

from analysis.comparisons import NO_SUPPRESSION, Break, spanned
from analysis.format import PLOTLY_SEPARATORS, period_label, sort_key
from analysis.series import TOTAL, periods
from analysis.suppress import Suppression
from report.tables import not_given

WIDTH, HEIGHT = 900, 450
BLUE, LIGHT, COLOURS = "#1f4e79", "#9dc3e6", ["#1f4e79", "#c55a11", "#548235", "#7030a0",
                                              "#bf9000", "#2e75b6"]
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


TEMPLATE = "simple_white"  # added when drawn (render, for_browser), see for_browser


def _layout(title: str) -> dict:
    return {"title": {"text": title}, "separators": PLOTLY_SEPARATORS,
            "font": {"family": FONT, "size": 14}, "width": WIDTH, "height": HEIGHT,
            "margin": {"l": 60, "r": 30, "t": 70, "b": 60}, "legend": {"title": {"text": ""}},
            "xaxis": {"type": "category"},
            "yaxis": {"rangemode": "tozero", "title": {"text": "Antall forhold"}}}


def _by_year(frame: pd.DataFrame) -> dict[int, object]:
    """year → offences of the first row of each year (NA stays NA), for lookups in a loop."""
    first = frame.drop_duplicates("year")
    return dict(zip(first.year.astype(int), first.offences))


def _value(by_year: dict[int, object], year: int):
    """The count for ``year``: 0 when the year has no row (a blank police cell means none),
    None when it is suppressed (NA)."""
    if year not in by_year:
        return 0
    value = by_year[year]
    return None if pd.isna(value) else int(value)


def total_chart(frame: pd.DataFrame, region: str, years: list[int],
                sup: Suppression = NO_SUPPRESSION, spans: dict | None = None,
                breaks: tuple[Break, ...] = ()) -> tuple[dict, str]:
    """Bars of all U18 offences per year; a partial year in a lighter colour and labelled.
    ``spans``: ``periods(frame)`` when the caller has it; ``breaks``: the region's new borders,
    marked."""
    spans = periods(frame) if spans is None else spans
    total = frame[(frame.crime_type == TOTAL) & (frame.age == TOTAL) & (frame.gender == TOTAL)]
    labels = [period_label(y, spans.get(y)) for y in years]
    counts = _by_year(total)
    values = [_value(counts, y) for y in years]
    bar = {"type": "bar", "x": labels, "y": [sup.plot_value(v) for v in values],
           "text": [sup.count(v) for v in values], "textposition": "outside",
           "marker": {"color": [LIGHT if spans.get(y) else BLUE for y in years]}}
    fig = {"data": [bar], "layout": {**_layout(f"Registrerte U18-forhold i {region}"),
                                     "showlegend": False}}
    parts = [f"{label}: {sup.count(v)}" for label, v in zip(labels, values)]
    alt = (f"Stolpediagram over registrerte U18-forhold i {region} per år, "
           f"{years[0]}–{years[-1]}. " + "; ".join(parts) + ".")
    if any(spans.get(y) for y in years):
        alt += " Den lyse stolpen er et delår og er ikke sammenlignbar med et helt år."
    return fig, alt + _mark_breaks(fig, years, breaks)


def break_mark(found: Break, x: float, side: str = "left") -> tuple[dict, dict]:
    """The dotted line at ``x`` before ``found``'s year, and its label on ``side`` of it (a
    plotly shape and annotation: the report's charts and the dashboard's draw them alike)."""
    return ({"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
             "line": {"dash": "dot", "color": "#555", "width": 1}},
            {"x": x, "y": 1, "yref": "paper", "showarrow": False, "text": found.marker,
             "xanchor": side, "yanchor": "top", "font": {"size": 12, "color": "#555"}})


def break_words(breaks: list[Break]) -> str:
    """What a chart's lines of ``breaks`` (a kommune's new borders) say, in words."""
    return " ".join(f"{b.fact}: tallene før og etter gjelder ulike grenser." for b in breaks)


def _mark_breaks(fig: dict, years: list[int], breaks: tuple[Break, ...]) -> str:
    """A dotted line, labelled, before each year of ``breaks`` that ``years`` (the category
    axis, in order) cross; the alt text's sentence saying the same ('' for none)."""
    crossing = spanned(breaks, years[0], years[-1]) if years else []
    for found in crossing:
        line, label = break_mark(found, next(i for i, y in enumerate(years)
                                             if y >= found.year) - 0.5)
        fig["layout"].setdefault("shapes", []).append(line)
        fig["layout"].setdefault("annotations", []).append(label)
    return f" {break_words(crossing)}" if crossing else ""


def top_crime_types(frame: pd.DataFrame, year: int, n: int = 5) -> list[str]:
    base = frame[(frame.age == TOTAL) & (frame.gender == TOTAL) & (frame.year == year)
                 & (frame.crime_type != TOTAL)]
    ordered = base.sort_values(["offences", "crime_type"], ascending=[False, True])
    return ordered.crime_type.head(n).tolist()


def crime_type_chart(frame: pd.DataFrame, region: str, years: list[int],
                     sup: Suppression = NO_SUPPRESSION,
                     missing: dict[int, list[str]] | None = None, spans: dict | None = None,
                     breaks: tuple[Break, ...] = ()) -> tuple[dict, str] | None:
    """Lines of the largest crime types over the full years (a partial year is left out);
    ``breaks``: the region's new borders, marked."""
    spans = periods(frame) if spans is None else spans
    full = [y for y in years if spans.get(y) is None]
    if len(full) < 2:
        return None
    base = frame[(frame.age == TOTAL) & (frame.gender == TOTAL)]
    unknown = not_given(frame, "krimtype", missing)
    traces, parts = [], []
    for i, crime in enumerate(sorted(top_crime_types(frame, full[-1]), key=sort_key)):
        counts = _by_year(base[base.crime_type == crime])
        values = [None if y in unknown else _value(counts, y) for y in full]
        traces.append({"type": "scatter", "x": [str(y) for y in full],
                       "y": [sup.plot_value(v) for v in values], "name": crime,
                       "mode": "lines+markers",
                       "line": {"color": COLOURS[i % len(COLOURS)], "width": 3}})
        shown = ["ikke oppgitt" if y in unknown else sup.count(v) for y, v in zip(full, values)]
        parts.append(f"{crime}: " + ", ".join(f"{y} {s}" for y, s in zip(full, shown)))
    fig = {"data": traces, "layout": _layout(f"De største krimtypene i {region}, hele år")}
    alt = (f"Linjediagram over de største krimtypene blant U18-forhold i {region}, "
           f"{full[0]}–{full[-1]}. " + ". ".join(parts) + ".")
    if len(full) < len(years):
        alt += " Delåret er utelatt fordi det ikke er et helt år."
    return fig, alt + _mark_breaks(fig, full, breaks)


def _browser_env() -> None:
    """kaleido finds chromium on PATH; point it at Debian's when BROWSER_PATH is unset."""
    if not os.environ.get("BROWSER_PATH"):
        found = shutil.which("chromium") or shutil.which("chromium-browser")
        if found:
            os.environ["BROWSER_PATH"] = found


@contextlib.contextmanager
def _kaleido_server():
    import kaleido

    _browser_env()
    kaleido.start_sync_server(silence_warnings=True)
    try:
        yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


@functools.cache
def _template() -> dict:
    import plotly.io as pio

    return pio.templates[TEMPLATE].to_plotly_json()


def for_browser(fig: dict) -> dict:
    """The figure as plotly.js (``dcc.Graph``) reads it, in the report's template, drawn at the
    screen's width (up to the card's) instead of the PNG's.

    The template is added as a plain dict, built once: handing its name to plotly would have
    it build and check the whole template again for every figure (about 20 ms each)."""
    layout = {k: v for k, v in fig["layout"].items() if k != "width"}
    return {**fig, "layout": {**layout, "autosize": True, "template": _template()}}


def render(figures: list[dict]) -> list[bytes]:
    """PNG bytes of each figure (in the report's template), with one headless browser for all.

    Once in a while (seen on a busy machine) kaleido asks its page in Chromium to draw before
    the page has loaded its script («ReferenceError: kaleido_scopes is not defined», raised as
    a RuntimeError): then the figures are drawn once more by a new browser.  A figure that
    cannot be drawn fails the second time too, and that error is raised."""
    if not figures:
        return []
    try:
        return _render(figures)
    except RuntimeError:
        return _render(figures)


def _render(figures: list[dict]) -> list[bytes]:
    with _kaleido_server(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return [go.Figure(fig).update_layout(template=TEMPLATE).to_image(
                    format="png", width=WIDTH, height=HEIGHT, scale=2)
                for fig in figures]
