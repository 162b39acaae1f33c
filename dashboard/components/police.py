"""Figures of police U18 offences: pure functions from a tidy frame to a plain figure dict.

``dcc.Graph`` takes a ``{"data", "layout"}`` dict as it is (plotly's figure objects validate
every property and copy the whole figure again when Dash encodes it: most of a chart's server
time); :func:`dashboard.theme.layout` gives the look a ``go.Figure`` has (template included).

Input frames have ``year``, ``counted_through`` (a date for a partial year, else None), a
category column and a value column.  A partial year is drawn apart from the full years (open
marker standing on its own in a grey band, hatched bar) and labelled with its counting date;
the 2015 penal-code break, and a kommune's new borders (``breaks``), are marked when the years
shown cross them.
"""

from __future__ import annotations

import pandas as pd

from analysis.comparisons import PENAL_CODE, Break, spanned
from analysis.format import listing, period_label
from dashboard.theme import DASHES, SEQUENTIAL, SYMBOLS, colour, layout, plain
from report.charts import break_mark, break_words

TOTAL = "Totalt"

SOURCE_U18 = "Politiet, U18-forhold (straffbare forhold, gjerningsperson under 18 år)"
# The heatmap's colours as plotly.js reads a colour scale: evenly spaced (value, colour) pairs.
SEQUENTIAL_SCALE = [[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)]


def _labels(frame: pd.DataFrame) -> list[str]:
    return [period_label(int(y), c) for y, c in zip(frame["year"], frame["counted_through"])]


def _hover(value_label: str, decimals: int) -> str:
    fmt = ",.0f" if decimals == 0 else f",.{decimals}f"
    return ("<b>%{fullData.name}</b><br>%{customdata}: %{y:" + fmt + "} " + value_label
            + "<br><i>Kilde: %{meta}</i><extra></extra>")


def mark_breaks(fig: dict, years, breaks: tuple[Break, ...] = (), at=None) -> dict:
    """A dotted line between two years, labelled, where the years shown cross the new penal
    code (2015) or one of ``breaks`` (a kommune's new borders).  ``at``: the line's x for the
    year it stands before (default: year - 0.5, on an axis of years)."""
    years, drawn = sorted(int(y) for y in years), set()
    for found in spanned((PENAL_CODE, *breaks), years[0], years[-1]) if years else []:
        if found.marker in drawn:
            continue  # (two kommuner's new borders the same year: one line)
        drawn.add(found.marker)
        # to the right of the line, or to its left before the last year (its bar's label)
        line, label = break_mark(found, at(found.year) if at else found.year - 0.5,
                                 "right" if found.year == years[-1] else "left")
        _shapes(fig).append(line)
        _annotations(fig).append(label)
    return fig


def break_note(breaks: tuple[Break, ...], years) -> str | None:
    """The chart's words for the breaks among ``breaks`` that the years shown cross (the line
    in the chart says it to those who see it)."""
    years = [int(y) for y in years]
    return (break_words(spanned(breaks, min(years), max(years))) if years else "") or None


def _shapes(fig: dict) -> list:
    return fig["layout"].setdefault("shapes", [])


def _annotations(fig: dict) -> list:
    return fig["layout"].setdefault("annotations", [])


def partial_note(frame: pd.DataFrame) -> str | None:
    """'2024 (pr. 01.08) er et delår …' when the frame holds a partial year."""
    partial = frame[frame["counted_through"].notna()]
    if partial.empty:
        return None
    label = period_label(int(partial["year"].iloc[0]), partial["counted_through"].iloc[0])
    return (f"{label} er et delår (grått felt, åpne punkter, skraverte stolper): tallet kan "
            "ikke sammenlignes direkte med hele år.")


BREAKDOWN_NAMES = {"crime_type": "krimtype", "age": "alder", "gender": "kjønn"}


def not_given_note(frame: pd.DataFrame, dimension: str) -> str | None:
    """'Kilden har ikke oppgitt fordeling på alder for 2024 …' for the years of a breakdown
    frame (:func:`dashboard.police_queries.u18_breakdown`) that have a total but no category."""
    has_total = set(frame.loc[frame[dimension] == TOTAL, "year"])
    given = set(frame.loc[frame[dimension] != TOTAL, "year"])
    missing = sorted(int(y) for y in has_total - given) if given else []
    if not missing:
        return None
    return (f"Kilden har ikke oppgitt fordeling på {BREAKDOWN_NAMES[dimension]} for "
            f"{listing([str(y) for y in missing])}: de årene vises ikke (ikke det samme som "
            f"null).")


def notes(*parts: str | None) -> str | None:
    """Card notes joined, or None when there are none."""
    return " ".join(p for p in parts if p) or None


def _categories(frame: pd.DataFrame, category: str, order: list[str] | None):
    """(colour index, category, its rows by year) for each category present; the index comes
    from ``order`` so a category keeps its colour whichever others are shown."""
    present = set(frame[category])
    for i, cat in enumerate(order or list(dict.fromkeys(frame[category]))):
        if cat in present:
            yield i, cat, frame[frame[category] == cat].sort_values("year")


def trend_lines(frame: pd.DataFrame, category: str, value: str, *, y_title: str,
                value_label: str = "forhold", decimals: int = 0,
                source: str = SOURCE_U18, order: list[str] | None = None,
                breaks: tuple[Break, ...] = ()) -> dict:
    """One line per category over the full years; the partial year as an open point apart.

    ``order`` lists every category that could be shown, so a category keeps its colour and
    line style whichever others are chosen.
    """
    traces = []
    for i, cat, rows in _categories(frame, category, order):
        full, part = rows[rows["counted_through"].isna()], rows[rows["counted_through"].notna()]
        style = {"color": colour(i), "dash": DASHES[i % len(DASHES)], "width": 3}
        traces.append({"type": "scatter", "x": plain(full["year"]), "y": plain(full[value]),
                       "name": str(cat), "mode": "lines+markers", "line": style,
                       "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 8},
                       "customdata": _labels(full), "meta": source, "legendgroup": str(cat),
                       "hovertemplate": _hover(value_label, decimals)})
        if not part.empty:
            traces.append(_partial_point(part, value, str(cat), i, source,
                                         _hover(value_label, decimals)))
    fig = {"data": traces, "layout": layout(
        y_title=y_title, y_format=",d" if decimals == 0 else f",.{decimals}f")}
    _label_partial_ticks(fig, frame)
    _shade_partial(fig, frame)
    return mark_breaks(fig, frame["year"], breaks)


def _shade_partial(fig: dict, frame: pd.DataFrame) -> None:
    """A grey band behind a partial year, labelled 'delår', so no one reads it as a full year."""
    partial = frame.loc[frame["counted_through"].notna(), "year"]
    for year in sorted({int(y) for y in partial}):
        _shapes(fig).append({"type": "rect", "x0": year - 0.5, "x1": year + 0.5, "xref": "x",
                             "y0": 0, "y1": 1, "yref": "y domain", "fillcolor": "#f1f1f1",
                             "line": {"width": 0}, "layer": "below"})
        _annotations(fig).append({"x": year, "y": 1, "yref": "paper", "text": "delår",
                                  "showarrow": False, "yanchor": "bottom",
                                  "font": {"size": 12, "color": "#555"}})


def _partial_point(part, value, name, i, source, hover) -> dict:
    """The partial year as an open point of its own: no line joins it to the full years, since
    a line from a whole year down to seven months reads as a fall that did not happen."""
    return {"type": "scatter", "x": plain(part["year"]), "y": plain(part[value]),
            "name": name, "mode": "markers", "showlegend": False, "legendgroup": name,
            "customdata": _labels(part), "meta": source,
            "marker": {"symbol": "circle-open", "size": 12, "color": colour(i),
                       "line": {"width": 3}}, "hovertemplate": hover}


def stacked_bars(frame: pd.DataFrame, category: str, value: str, *, y_title: str,
                 value_label: str = "forhold", source: str = SOURCE_U18,
                 order: list[str] | None = None, breaks: tuple[Break, ...] = ()) -> dict:
    """Stacked bars per year; the partial year's bars hatched and its x label says 'pr. dd.mm'."""
    traces = []
    for i, cat, rows in _categories(frame, category, order):
        hatch = ["/" if c is not None and not pd.isna(c) else "" for c in rows["counted_through"]]
        traces.append({"type": "bar", "x": plain(rows["year"]), "y": plain(rows[value]),
                       "name": str(cat),
                       "marker": {"color": colour(i), "pattern": {
                           "shape": hatch, "fillmode": "overlay", "solidity": 0.35}},
                       "customdata": _labels(rows), "meta": source,
                       "hovertemplate": _hover(value_label, 0)})
    fig = {"data": traces, "layout": {**layout(y_title=y_title), "barmode": "stack"}}
    _label_partial_ticks(fig, frame)
    return mark_breaks(fig, frame["year"], breaks)


def _label_partial_ticks(fig: dict, frame: pd.DataFrame) -> None:
    years = sorted({int(y) for y in frame["year"]})
    labels = dict(zip(frame["year"].astype(int), _labels(frame)))
    fig["layout"]["xaxis"] = {**fig["layout"].get("xaxis", {}), "tickvals": years,
                              "ticktext": [labels[y].replace(" (", "<br>(") for y in years]}


def totals_bars(frame: pd.DataFrame, value: str = "offences", *, name: str = "Alle krimtyper",
                y_title: str = "Antall forhold", breaks: tuple[Break, ...] = ()) -> dict:
    """One bar per year (Oversikt): full years solid, a partial year hatched and labelled."""
    frame = frame.sort_values("year")
    partial = frame["counted_through"].notna().tolist()
    bar = {"type": "bar", "x": plain(frame["year"]), "y": plain(frame[value]), "name": name,
           "customdata": _labels(frame), "meta": SOURCE_U18,
           "marker": {"color": [colour(4) if p else colour(0) for p in partial],
                      "pattern": {"shape": ["/" if p else "" for p in partial],
                                  "solidity": 0.4}},
           "text": plain(frame[value]), "textposition": "outside",
           "hovertemplate": _hover("forhold", 0)}
    fig = {"data": [bar], "layout": {**layout(y_title=y_title), "showlegend": False}}
    _label_partial_ticks(fig, frame)
    return mark_breaks(fig, frame["year"], breaks)


def age_heatmap(frame: pd.DataFrame, ages: list[str], breaks: tuple[Break, ...] = ()) -> dict:
    """Ages (rows) × years (columns), the count written in each cell; a line between the
    columns of a break (:func:`mark_breaks`), above the cells."""
    frame = frame[frame["age"].isin(ages)]
    years = sorted({int(y) for y in frame["year"]})
    labels = dict(zip(frame["year"].astype(int), _labels(frame)))
    pivot = frame.pivot_table(index="age", columns="year", values="offences", aggfunc="sum")
    pivot = pivot.reindex(index=ages, columns=years)
    x = [labels[y].replace(" (", "<br>(") for y in years]
    cells = [[None if pd.isna(v) else v for v in row] for row in pivot.values.tolist()]
    heatmap = {"type": "heatmap", "z": cells, "x": x, "y": [f"{a} år" for a in ages],
               "colorscale": SEQUENTIAL_SCALE, "text": cells,
               "texttemplate": "%{text:,.0f}", "meta": SOURCE_U18, "name": "Forhold",
               "showscale": False, "xgap": 2, "ygap": 2,
               "hovertemplate": "<b>%{y}</b>, %{x}: %{z:,.0f} forhold<br><i>Kilde: %{meta}</i>"
                                "<extra></extra>"}
    base = layout(x_is_year=False, y_title="Alder ved gjerning")
    fig = {"data": [heatmap], "layout": {
        **base, "height": 440,
        "yaxis": {"autorange": "reversed", "title": base["yaxis"]["title"]}}}
    # the columns are categories: a year's line stands half a column before its own
    mark_breaks(fig, years, breaks, at=lambda year: next(
        i for i, y in enumerate(years) if y >= year) - 0.5)
    for annotation in _annotations(fig):  # over the cells, not on their counts
        annotation["yanchor"] = "bottom"
    return fig


def same_period_bars(frame: pd.DataFrame) -> dict:
    """Two partial periods side by side per crime type: ``crime_type``, ``period``, ``offences``.

    Both periods are counted to the same day, so they may be compared directly.
    """
    traces = []
    for i, (period, rows) in enumerate(frame.groupby("period", sort=False)):
        traces.append({"type": "bar", "x": plain(rows["crime_type"]),
                       "y": plain(rows["offences"]), "name": str(period),
                       "marker": {"color": [colour(4), colour(0)][i % 2]}, "meta": SOURCE_U18,
                       "text": plain(rows["offences"]), "textposition": "outside",
                       "hovertemplate": "<b>%{x}</b>, %{fullData.name}: %{y:,.0f} forhold"
                                        "<br><i>Kilde: %{meta}</i><extra></extra>"})
    return {"data": traces, "layout": {**layout(y_title="Antall forhold", x_is_year=False),
                                       "barmode": "group"}}
