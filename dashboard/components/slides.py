"""Politiråd slides: one finding per screen, built from the report's findings.  Pure functions.

:func:`choose` picks the findings in the report's priority order (one per subject, as in the
report's «Hovedfunn»), always keeping the region's partial-year estimate when there is one so
the year to date is shown — labelled as a partial year.  :func:`build_slides` turns them into
:class:`Slide` values (title, the one sentence, one big figure, the bars of its series) and
:func:`slide_figure` draws a slide's bars for a projector.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.finding import Finding, ranked
from analysis.format import PLOTLY_SEPARATORS, period_label
from analysis.series import Series, count_series, periods
from analysis.suppress import Suppression
from dashboard.theme import GREY, OKABE_ITO

MAX_SLIDES = 8
SURVEY_FAMILIES = ("survey_linked", "survey")
TONE = {1: "up", -1: "down", 0: "neutral"}


@dataclass(frozen=True)
class Bar:
    label: str            # ``2023`` or ``2024 (pr. 01.08)``
    value: int | None     # what is drawn (None: hidden by suppression or unknown)
    text: str             # what is written on the bar (``182``, ``<5``, ``..``)
    partial: bool


@dataclass(frozen=True)
class Slide:
    title: str
    sentence: str
    figure: str           # the one big number, suppression applied
    figure_caption: str   # what the number is: ``forhold i 2023``
    verdict: str          # ``en reell økning``, ``innenfor tilfeldig variasjon`` …; "" no badge
    tone: str             # up, down, neutral, untested
    partial_note: str     # "" or why the year to date is not a whole year
    bars: tuple[Bar, ...] = ()
    items: tuple[str, ...] = ()   # a list on the slide (the plan's goals, one line each)
    bare: str = ""  # the sentence without why it has no verdict (lists say that once)


def choose(findings: list[Finding], n: int = MAX_SLIDES) -> list[Finding]:
    """Up to ``n`` findings in priority order, one per subject; the total's partial-year
    finding is kept even when full-year findings would fill every slot."""
    seen, picked = set(), []
    for finding in ranked(findings):
        if finding.topic not in seen:
            seen.add(finding.topic)
            picked.append(finding)
    chosen = picked[:n]
    partial = next((f for f in ranked(findings) if f.partial and f.family == "total"), None)
    if partial is not None and partial not in chosen:
        chosen = chosen[:n - 1] + [partial]
    return ranked(chosen)


NOT_GIVEN = "ikke oppgitt"


def _bars(series: Series, spans: dict[int, dt.date | None], year: int,
          sup: Suppression) -> tuple[Bar, ...]:
    """A bar per year; a year whose breakdown the source did not give has no bar and says so."""
    return tuple(Bar(period_label(y, spans.get(y)), None, NOT_GIVEN, spans.get(y) is not None)
                 if y in series.missing else
                 Bar(period_label(y, spans.get(y)), sup.plot_value(v), sup.count(v),
                     spans.get(y) is not None)
                 for y, v in sorted(series.counts.items()) if y <= year)


def _partial_note(finding: Finding, spans: dict[int, dt.date | None]) -> str:
    through = spans.get(finding.year)
    if not finding.partial or through is None:
        return ""
    return (f"Delår: {period_label(finding.year, through)} er talt til og med "
            f"{through:%d.%m.%Y} og er ikke et helt år.")


def _tone(finding: Finding) -> str:
    return TONE[finding.direction] if finding.tested else "untested"


def _badge(finding: Finding) -> str:
    """The verdict shown beside the big figure: none for a partial year scaled to a whole year
    (the figure is the count so far; the verdict is on the estimate, tested as offences per day
    counted, which the sentence says), else the finding's."""
    return "" if finding.kind == "annualised" else finding.verdict


def build_slides(findings: list[Finding], u18: pd.DataFrame, year: int,
                 sup: Suppression = Suppression()) -> list[Slide]:
    """One slide per chosen finding; police findings get the bars of their series."""
    spans = periods(u18) if not u18.empty else {}
    series = {(s.family, s.ref): s for s in count_series(u18)} if not u18.empty else {}
    slides = []
    for finding in choose(findings):
        if finding.family in SURVEY_FAMILIES:
            caption, bars = f"i siste måling ({finding.period or finding.year})", ()
        else:
            caption = f"forhold i {period_label(finding.year, spans.get(finding.year))}"
            found = series.get((finding.family, finding.ref))
            bars = _bars(found, spans, year, sup) if found else ()
        title = finding.topic
        if finding.partial and spans.get(finding.year) is not None:
            title += f", {period_label(finding.year, spans[finding.year])}"
        slides.append(Slide(title, finding.sentence, finding.headline, caption,
                            _badge(finding), _tone(finding), _partial_note(finding, spans),
                            bars, bare=finding.bare))
    return slides


def goal_slides(statuses: list) -> list[Slide]:
    """One slide per plan: each goal with its status (:mod:`analysis.goals`), as in the
    report's «Status for planens mål»."""
    slides = []
    for plan in sorted({s.goal.plan for s in statuses}):
        mine = [s for s in statuses if s.goal.plan == plan]
        counts: dict[str, int] = {}
        for status in mine:
            counts[status.status] = counts.get(status.status, 0) + 1
        summary = ", ".join(f"{n} {word}" for word, n in counts.items())
        items = tuple(f"{s.goal.measure}: {s.status}. {s.reason}" for s in mine)
        region = mine[0].goal.region
        slides.append(Slide(f"Planens mål – {plan}", f"Status for målene i {plan} for {region}, "
                            "vurdert som i rapporten: bare endringer større enn tilfeldig "
                            "variasjon regnes som fremgang eller tilbakegang.",
                            str(len(mine)), f"mål for {region}", summary, "neutral", "",
                            items=items))
    return slides


def slide_summary(slide: Slide) -> str:
    """The chart's text alternative (WCAG 1.1.1): every bar as it is written on the slide
    (``<5`` where hidden, «ikke oppgitt» where the source gave none)."""
    if not slide.bars:
        return ""
    return "Diagram over antall forhold: " + ", ".join(
        f"{b.label} {b.text}" for b in slide.bars) + "."


def slide_figure(slide: Slide) -> go.Figure:
    """Bars in type large enough for a projector; a partial year light, hatched and labelled."""
    fig = go.Figure(go.Bar(
        x=[b.label.replace(" (", "<br>(") for b in slide.bars], y=[b.value for b in slide.bars],
        text=[b.text for b in slide.bars], textposition="outside", cliponaxis=False,
        textfont={"size": 26},
        marker={"color": [GREY if b.partial else OKABE_ITO[0] for b in slide.bars],
                "pattern": {"shape": ["/" if b.partial else "" for b in slide.bars]}},
        hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.update_layout(separators=PLOTLY_SEPARATORS, template="plotly_white", showlegend=False,
                      font={"size": 22}, margin={"l": 70, "r": 20, "t": 40, "b": 80},
                      yaxis={"rangemode": "tozero", "title": "Antall forhold"},
                      xaxis={"type": "category"})
    return fig
