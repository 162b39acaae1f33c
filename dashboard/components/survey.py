"""Figures of survey indicators (Ungdata, Kommunehelsa): a figure over survey periods, in the
indicator's unit (percent, per 1 000, per 100 000 …).

Each series is drawn with markers at the survey years; a line joins two rounds only when no round
is missing in between (a gap stays a gap).  Input frame: ``series`` (legend name), ``year``,
``period``, ``value`` and optionally ``respondents`` and ``source``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import format as fmt
from analysis.survey import period_span
from dashboard.theme import DASHES, OKABE_ITO, SYMBOLS, base_layout, colour

PERCENT = "prosent"


def amount(value, unit: str = PERCENT) -> str:
    """``12,5 %`` for a percentage, ``1 234,5 per 100 000`` for any other unit."""
    if unit == PERCENT:
        return fmt.percent(value)
    return "–" if value is None or pd.isna(value) else f"{fmt.number(value, 1)} {unit}"


def value_name(unit: str = PERCENT) -> str:
    """The column and axis title: ``Andel (%)`` or ``Verdi (per 100 000)``."""
    return "Andel (%)" if unit == PERCENT else f"Verdi ({unit})"


def _suffix(unit: str) -> str:
    return " %" if unit == PERCENT else f" {unit}"


def with_gaps(rows: pd.DataFrame, step: int | None = None) -> pd.DataFrame:
    """Insert an empty row where a survey round is missing (step: the usual distance in years)."""
    rows = rows.sort_values("year").reset_index(drop=True)
    if len(rows) < 2:
        return rows
    gaps = rows["year"].diff().dropna()
    step = step or int(gaps.min())
    out = []
    for i, row in rows.iterrows():
        if i and row["year"] - rows["year"][i - 1] > step:
            out.append({"year": rows["year"][i - 1] + step, "value": None, "period": None})
        out.append(row.to_dict())
    return pd.DataFrame(out)


def _hover(unit: str = PERCENT) -> str:
    return ("<b>%{fullData.name}</b><br>%{customdata[0]}: %{y:,.1f}" + _suffix(unit)
            + "<br><i>Kilde: %{customdata[1]}</i><extra></extra>")


def indicator_lines(frame: pd.DataFrame, *, label: str, styles: dict[str, dict] | None = None,
                    unit: str = PERCENT) -> go.Figure:
    """One series per value of ``series``, each joined along its own survey cycle.

    ``styles`` maps a series name to fixed line styles (e.g. the chosen region thick, the
    country black), drawn in the order given so the first is on top.
    """
    fig = go.Figure()
    names = list(dict.fromkeys(frame["series"]))
    if styles:
        names = [n for n in names if n not in styles] + [n for n in reversed(styles) if n in names]
    for i, name in enumerate(names):
        rows = with_gaps(frame[frame["series"] == name], _step(frame[frame["series"] == name]))
        custom = [[f"{int(y)}" + (f" ({p})" if p and str(p) != str(int(y)) else ""),
                   s if isinstance(s, str) else ""]
                  for y, p, s in zip(rows["year"], rows["period"],
                                     rows.get("source", [""] * len(rows)))]
        style = {"color": colour(i), "dash": DASHES[i % len(DASHES)], "width": 2.5,
                 "symbol": SYMBOLS[i % len(SYMBOLS)], **(styles or {}).get(name, {})}
        fig.add_scatter(x=rows["year"], y=rows["value"], name=str(name), customdata=custom,
                        mode="lines+markers", connectgaps=False, hovertemplate=_hover(unit),
                        line={k: style[k] for k in ("color", "dash", "width")},
                        marker={"symbol": style["symbol"], "size": 10})
    base_layout(fig, y_title=value_name(unit), y_format=",.0f")
    years = sorted({int(y) for y in frame["year"].dropna()})
    fig.update_xaxes(tickvals=years, range=[min(years) - 0.5, max(years) + 0.5] if years else None)
    fig.update_yaxes(ticksuffix=" %" if unit == PERCENT else "", rangemode="tozero")
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


def undated_bars(frame: pd.DataFrame, *, label: str, unit: str = PERCENT) -> go.Figure:
    """Figures whose survey year is not known (e.g. quoted in a plan): bars, not a time line."""
    names = [f"{s} ({p})" for s, p in zip(frame["series"], frame["period"])]
    custom = [[p, s if isinstance(s, str) else ""] for p, s in zip(frame["period"],
                                                                     frame["source"])]
    fig = go.Figure(go.Bar(x=frame["value"], y=names, orientation="h", name=label,
                           customdata=custom, marker_color=OKABE_ITO[0],
                           text=[amount(v, unit) for v in frame["value"]],
                           textposition="outside",
                           hovertemplate="<b>%{y}</b>: %{x:,.1f}" + _suffix(unit)
                                         + "<br><i>Kilde: %{customdata[1]}</i><extra></extra>"))
    base_layout(fig, x_is_year=False, y_format=None)
    top = float(frame["value"].max()) * 1.15
    fig.update_xaxes(ticksuffix=" %" if unit == PERCENT else "", title=value_name(unit),
                     range=[0, max(100.0, top) if unit == PERCENT else top])
    fig.update_layout(showlegend=False, height=max(220, 90 + 40 * len(names)))
    return fig
