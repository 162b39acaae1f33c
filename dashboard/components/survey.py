"""Figures of survey indicators (Ungdata, Kommunehelsa): a figure over survey periods, in the
indicator's unit (percent, per 1 000, per 100 000 …); plain figure dicts, as
:mod:`dashboard.components.police` explains.

Each series is drawn with markers at the survey years; a line joins two rounds only when no round
is missing in between (a gap stays a gap).  Input frame: ``series`` (legend name), ``year``,
``period``, ``value`` and optionally ``respondents`` and ``source``.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.format import PERCENT, amount
from analysis.survey import period_span
from dashboard.theme import DASHES, OKABE_ITO, SYMBOLS, colour, layout, plain


def value_name(unit: str = PERCENT) -> str:
    """The column and axis title: ``Andel (%)`` or ``Verdi (per 100 000)``."""
    return "Andel (%)" if unit == PERCENT else f"Verdi ({unit})"


def _suffix(unit: str) -> str:
    return " %" if unit == PERCENT else f" {unit}"


def with_gaps(rows: pd.DataFrame, step: int | None = None) -> pd.DataFrame:
    """Insert an empty row for every survey round missing between two that are there (step:
    the usual distance in years), named as the round before it, moved on (``2022``;
    ``2020-2022`` after ``2019-2021``), so table, CSV and text alternative list it in order."""
    rows = rows.sort_values("year").reset_index(drop=True)
    if len(rows) < 2:
        return rows
    gaps = rows["year"].diff().dropna()
    step = step or int(gaps.min())
    out = []
    for i, row in rows.iterrows():
        if i:
            before = rows.iloc[i - 1]
            out += [{"year": year, "value": None,
                     "period": shifted(before["period"], before["year"], year)}
                    for year in range(int(before["year"]) + step, int(row["year"]), step)]
        out.append(row.to_dict())
    return pd.DataFrame(out)


def shifted(period, year, to: int) -> str:
    """``period`` (the label of the round in ``year``) moved to the round in ``to``: every
    year in it moves as much (``2019-2021`` → ``2020-2022``, ``2021/22`` → ``2022/23``)."""
    by = to - int(year)
    if not isinstance(period, str) or not re.search(r"\d{4}", period):
        return str(to)
    moved = re.sub(r"\d{4}", lambda m: str(int(m.group()) + by), period)
    return re.sub(r"(?<=\d{4}/)\d{2}\b", lambda m: f"{(int(m.group()) + by) % 100:02d}", moved)


def round_label(year, period) -> str:
    """The x label of a survey round: its year, and its period when that says more
    (``2024 (2022-2024)``); a round without a period is its year."""
    label = str(int(year))
    if isinstance(period, str) and period.strip() and period.strip() != label:
        return f"{label} ({period.strip()})"
    return label


def _hover(unit: str = PERCENT) -> str:
    return ("<b>%{fullData.name}</b><br>%{customdata[0]}: %{y:,.1f}" + _suffix(unit)
            + "<br><i>Kilde: %{customdata[1]}</i><extra></extra>")


def indicator_lines(frame: pd.DataFrame, *, label: str, styles: dict[str, dict] | None = None,
                    unit: str = PERCENT) -> dict:
    """One series per value of ``series``, each joined along its own survey cycle.

    ``styles`` maps a series name to fixed line styles (e.g. the chosen region thick, the
    country black), drawn in the order given so the first is on top.
    """
    traces = []
    names = list(dict.fromkeys(frame["series"]))
    if styles:
        names = [n for n in names if n not in styles] + [n for n in reversed(styles) if n in names]
    for i, name in enumerate(names):
        rows = with_gaps(frame[frame["series"] == name], _step(frame[frame["series"] == name]))
        custom = [[round_label(y, p), s if isinstance(s, str) else ""]
                  for y, p, s in zip(rows["year"], rows["period"],
                                     rows.get("source", [""] * len(rows)))]
        style = {"color": colour(i), "dash": DASHES[i % len(DASHES)], "width": 2.5,
                 "symbol": SYMBOLS[i % len(SYMBOLS)], **(styles or {}).get(name, {})}
        traces.append({"type": "scatter", "x": plain(rows["year"]), "y": plain(rows["value"]),
                       "name": str(name), "customdata": custom, "mode": "lines+markers",
                       "connectgaps": False, "hovertemplate": _hover(unit),
                       "line": {k: style[k] for k in ("color", "dash", "width")},
                       "marker": {"symbol": style["symbol"], "size": 10}})
    fig = {"data": traces, "layout": layout(y_title=value_name(unit), y_format=",.0f")}
    years = sorted({int(y) for y in frame["year"].dropna()})
    fig["layout"]["xaxis"]["tickvals"] = years
    if years:
        fig["layout"]["xaxis"]["range"] = [min(years) - 0.5, max(years) + 0.5]
    fig["layout"]["yaxis"]["ticksuffix"] = " %" if unit == PERCENT else ""
    return fig


def _step(rows: pd.DataFrame) -> int | None:
    """The series' own survey cycle: the shortest distance between two of its rounds."""
    diffs = [int(d) for d in rows["year"].sort_values().diff().dropna() if d > 0]
    return min(diffs) if diffs else None


def moving_average_note(periods) -> str:
    """A caution when the points are averages over several years (FHI's ``2022/23-2024/25``):
    neighbouring points share years, so they are not separate surveys."""
    span = max((period_span(p) for p in periods), default=1)
    if span <= 1:
        return ""
    return (f"Hvert punkt er et gjennomsnitt over {span} år (glidende), vist ved det siste året; "
            f"punkter mindre enn {span} år fra hverandre deler år og er ikke uavhengige målinger.")


def place_styles(region: str, fylke: str | None, nation: str) -> dict[str, dict]:
    """The chosen region thick and blue on top, its fylke orange, the country black dotted."""
    styles = {region: {"color": OKABE_ITO[0], "width": 4, "dash": "solid", "symbol": "circle"}}
    if fylke:
        styles[fylke] = {"color": OKABE_ITO[1], "width": 2.5, "dash": "dash", "symbol": "square"}
    styles[nation] = {"color": "#000000", "width": 2, "dash": "dot", "symbol": "diamond"}
    return styles


def member_styles(names: list[str], fylke: str | None, nation: str) -> dict[str, dict]:
    """Kommuner in the palette's colours other than the fylke's orange and the country's black
    (each with its own dash and symbol), the fylke and the country as in :func:`place_styles`."""
    palette = [c for c in OKABE_ITO if c not in (OKABE_ITO[1], "#000000", OKABE_ITO[7])]
    styles = {name: {"color": palette[i % len(palette)], "dash": DASHES[i % len(DASHES)],
                     "width": 2.5, "symbol": SYMBOLS[(i + 2) % len(SYMBOLS)]}
              for i, name in enumerate(names)}
    return {**styles, **{k: v for k, v in place_styles("", fylke, nation).items() if k}}


def undated_bars(frame: pd.DataFrame, *, label: str, unit: str = PERCENT) -> dict:
    """Figures whose survey year is not known (e.g. quoted in a plan): bars, not a time line."""
    names = [f"{s} ({p})" for s, p in zip(frame["series"], frame["period"])]
    custom = [[p, s if isinstance(s, str) else ""] for p, s in zip(frame["period"],
                                                                     frame["source"])]
    bar = {"type": "bar", "x": plain(frame["value"]), "y": names, "orientation": "h",
           "name": label, "customdata": custom, "marker": {"color": OKABE_ITO[0]},
           "text": [amount(v, unit) for v in frame["value"]], "textposition": "outside",
           "hovertemplate": "<b>%{y}</b>: %{x:,.1f}" + _suffix(unit)
                            + "<br><i>Kilde: %{customdata[1]}</i><extra></extra>"}
    top = float(frame["value"].max()) * 1.15
    fig = {"data": [bar], "layout": {
        **layout(x_is_year=False, y_format=None), "showlegend": False,
        "height": max(220, 90 + 40 * len(names)),
        "xaxis": {"ticksuffix": " %" if unit == PERCENT else "",
                  "title": {"text": value_name(unit)},
                  "range": [0, max(100.0, top) if unit == PERCENT else top]}}}
    return fig


def member_dots(frame: pd.DataFrame, *, label: str, highlight: str | None = None,
                references: list[str] = (), unit: str = PERCENT) -> dict:
    """Kommuner side by side with their fylke and the country: a sorted dot plot.

    ``frame``: ``region``, ``value``, ``period`` (one survey period), ``source``.  Kommuner
    are blue dots, ``highlight`` (the chosen kommune) a larger vermillion dot, the
    ``references`` (fylke, country) orange squares and a black diamond, each row named.
    """
    rows = frame.sort_values("value", kind="stable")
    traces = []
    kinds = [("Kommune", ~rows["region"].isin([*references, highlight]),
              {"color": OKABE_ITO[0], "symbol": "circle", "size": 12})]
    if highlight:
        kinds.append((highlight, rows["region"] == highlight,
                      {"color": OKABE_ITO[5], "symbol": "circle", "size": 16}))
    for i, name in enumerate(references):
        kinds.append((name, rows["region"] == name,
                      {"color": "#000000" if i == len(references) - 1 else OKABE_ITO[1],
                       "symbol": "diamond" if i == len(references) - 1 else "square",
                       "size": 14}))
    for name, mask, marker in kinds:
        part = rows[mask]
        if part.empty:
            continue
        traces.append({
            "type": "scatter", "x": plain(part["value"]), "y": plain(part["region"]),
            "mode": "markers+text", "name": name, "marker": marker,
            "text": [amount(v, unit) for v in part["value"]],
            "textposition": "middle right", "cliponaxis": False,
            "customdata": [[p, s if isinstance(s, str) else ""]
                           for p, s in zip(part["period"],
                                           part.get("source", [""] * len(part)))],
            "hovertemplate": "<b>%{y}</b> (%{customdata[0]}): %{x:,.1f}" + _suffix(unit)
                             + "<br><i>Kilde: %{customdata[1]}</i><extra></extra>"})
    low = float(rows["value"].min()) if len(rows) else 0.0
    top = float(rows["value"].max()) if len(rows) else 100.0
    pad = max(2.0, (top - low) * 0.15)
    xaxis = {"ticksuffix": " %" if unit == PERCENT else "", "title": {"text": _axis(label, unit)},
             "range": [max(0.0, low - pad),
                       min(100.0, top + 2 * pad) if unit == PERCENT else top + 2 * pad]}
    return {"data": traces, "layout": _rows_layout(list(rows["region"]), xaxis)}


def _rows_layout(order: list[str], xaxis: dict) -> dict:
    """The layout of a chart with one named row per place, in ``order`` from the bottom."""
    base = layout(x_is_year=False, y_format=None)
    return {**base, "height": max(260, 110 + 28 * len(order)),
            "margin": {**base["margin"], "l": 140}, "xaxis": xaxis,
            "yaxis": {"categoryorder": "array", "categoryarray": order}}


def latest_side_by_side(frame: pd.DataFrame, kommuner: list[str]
                        ) -> tuple[pd.DataFrame, str, list[str]]:
    """The rows of the newest survey period any of ``kommuner`` has (every place's), that
    period, and the kommuner without a figure for it."""
    mine = frame[frame["region"].isin(kommuner)]
    period = str(mine.sort_values("year", kind="stable")["period"].iloc[-1])
    latest = frame[frame["period"] == period]
    return latest, period, [k for k in kommuner if k not in set(latest["region"])]


def side_by_side_title(latest: pd.DataFrame, region: str, label: str, period: str,
                       references: list[str], nation: str, unit: str = PERCENT) -> str:
    """«LABEL i kommunene i REGION (PERIOD): fra … (lowest) til … (highest); hele landet …»."""
    values = latest.drop_duplicates("region").set_index("region")["value"]
    kommuner = values.drop([r for r in references if r in values.index])
    where = ("fylkene" if region == nation else f"kommunene i {references[0]}"
             if region in kommuner.index else f"kommunene i {region}")
    text = (f"{label} i {where} ({period}): fra {amount(kommuner.min(), unit)} "
            f"({kommuner.idxmin()}) til {amount(kommuner.max(), unit)} ({kommuner.idxmax()})")
    if region in kommuner.index:
        text += f"; {region} {amount(kommuner[region], unit)}"
    if nation in values.index:
        text += f"; hele landet {amount(values[nation], unit)}"
    return text


def gender_dots(frame: pd.DataFrame, *, label: str, unit: str = PERCENT) -> dict:
    """Girls and boys per place (one survey period): two dots on each place's row, sorted by
    the girls' share.  ``frame``: ``region``, ``gender`` (Jenter/Gutter), ``value``,
    ``period``."""
    girls = frame[frame["gender"] == "Jenter"].sort_values("value", kind="stable")
    order = list(dict.fromkeys([*girls["region"], *frame["region"]]))
    traces = []
    for gender, colour_, symbol in (("Jenter", OKABE_ITO[5], "circle"),
                                    ("Gutter", OKABE_ITO[0], "square")):
        part = frame[frame["gender"] == gender]
        traces.append({"type": "scatter", "x": plain(part["value"]),
                       "y": plain(part["region"]), "mode": "markers", "name": gender,
                       "marker": {"color": colour_, "symbol": symbol, "size": 12},
                       "customdata": [[p, ""] for p in part["period"]],
                       "hovertemplate": "<b>%{y}</b>, " + gender.lower()
                                        + " (%{customdata[0]}): %{x:,.1f}" + _suffix(unit)
                                        + "<extra></extra>"})
    xaxis = {"ticksuffix": " %" if unit == PERCENT else "", "title": {"text": _axis(label, unit)}}
    return {"data": traces, "layout": _rows_layout(order, xaxis)}


def _axis(label: str, unit: str) -> str:
    """``LABEL (%)`` or ``LABEL (per 100 000)``."""
    return f"{label} ({'%' if unit == PERCENT else unit})"
