"""The plan's goals on screen: a small trend chart per goal and its status.  Pure functions.

The chart shows the measure's figures (a partial year light and hatched, never joined to the
line of whole years), the target as a dashed line and the baseline as a dotted one, each
labelled (the target at the right end, the baseline at the left, the higher line's label above
it and the lower's below, so the two labels never overlap however close the lines are); its text
alternative says the same in words.
"""

from __future__ import annotations

import plotly.graph_objects as go

from analysis.format import PLOTLY_SEPARATORS
from analysis.goals import GoalStatus, fmt_value
from dashboard.theme import GREY, OKABE_ITO

BADGE = {"good": "success", "bad": "danger", "neutral": "secondary", "missing": "warning"}
UNIT_AXIS = {"count": "Antall forhold", "per_1000": "Per 1 000 unge", "percent": "Prosent"}


def goal_figure(status: GoalStatus, height: int = 170) -> go.Figure:
    full = [p for p in status.points if not p.partial and p.value is not None]
    partial = [p for p in status.points if p.partial and p.value is not None]
    unit = status.goal.unit
    fig = go.Figure(go.Scatter(
        x=[p.label for p in full], y=[p.value for p in full], mode="lines+markers",
        line={"color": OKABE_ITO[0], "width": 2}, name="Tall",
        hovertemplate="%{x}: %{y}<extra></extra>"))
    if partial:
        fig.add_trace(go.Scatter(x=[p.label for p in partial], y=[p.value for p in partial],
                                 mode="markers", marker={"color": GREY, "symbol": "circle-open",
                                                         "size": 9},
                                 name="Delår", hovertemplate="%{x} (delår): %{y}<extra></extra>"))
    places = label_positions(status.target, status.baseline)
    for value, dash, colour, text in ((status.target, "dash", OKABE_ITO[5], "Mål"),
                                      (status.baseline, "dot", GREY, "Grunnlag")):
        if value is not None:
            fig.add_hline(y=value, line={"dash": dash, "color": colour, "width": 2},
                          annotation_text=f"{text} {fmt_value(value, unit)}",
                          annotation_position=places[text], annotation_font_size=12)
    fig.update_layout(separators=PLOTLY_SEPARATORS, height=height, showlegend=False,
                      margin={"l": 50, "r": 10, "t": 10, "b": 30}, template="plotly_white",
                      xaxis={"type": "category"},
                      yaxis={"rangemode": "tozero", "title": UNIT_AXIS[unit]})
    return fig


def label_positions(target: float | None, baseline: float | None) -> dict[str, str]:
    """Where the «Mål» and «Grunnlag» labels go: at opposite ends of their lines, and on
    opposite sides of the gap between them (the higher above its line, the lower below), so
    they cannot overlap even when the lines (nearly) coincide.  A line alone: label above."""
    if target is None or baseline is None:
        return {"Mål": "top right", "Grunnlag": "top left"}
    above, below = ("top", "bottom") if target >= baseline else ("bottom", "top")
    return {"Mål": f"{above} right", "Grunnlag": f"{below} left"}


def goal_alt_text(status: GoalStatus) -> str:
    """The chart in words, for screen readers."""
    values = ", ".join(f"{p.label}: {fmt_value(p.value, status.goal.unit)}"
                       for p in status.points if p.value is not None)
    target = f"; mål {status.target_text}" if status.target is not None else ""
    base = (f"; grunnlag {fmt_value(status.baseline, status.goal.unit)} "
            f"({status.baseline_label})" if status.baseline is not None else "")
    return f"{status.goal.measure} i {status.goal.region}: {values or 'ingen tall'}{target}{base}."
