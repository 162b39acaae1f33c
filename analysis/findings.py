"""The findings engine: police counts → ranked Norwegian sentences.  Pure functions on frames.

Input is a frame shaped like the ``u18_offences`` view for one region (``year, counted_through,
crime_type, age, gender, offences``).  Survey findings live in :mod:`analysis.survey`; both return
:class:`Finding` and are ordered by the same rule.

Each comparison (one series, two periods, a verdict and a sentence) is made by
:mod:`analysis.comparisons`; this module declares the family of comparisons for a region and
year, judges them together and ranks them, and gives the dashboard's one-breakdown frames and
the rates against the country the same findings.

Statistical methods (counts; the statistics in :mod:`analysis.stats`)
-------------------------------------------------------------------
* **What is compared**: a full year against the year before and against the three full years
  before it; a partial year against the same period of an earlier year or annualised; hidden
  counts and the new penal code get no test (:mod:`analysis.comparisons`).
* Every comparison is judged against the variation the counts really have
  (:func:`analysis.stats.count_change`): the dispersion is estimated from the region's full years
  before the year tested, pooled over the series that partition the offenders (the total,
  girls/boys, ages: an offender's offences all fall in one of them) and, separately, over the
  crime types.
* Many comparisons: the p-values of all comparisons made for the region and year (the
  pre-declared family: total, crime types, girls/boys and ages; each year on year, against the
  three-year average and for a partial year) are adjusted together by Benjamini-Hochberg.  A
  change is called a rise or fall only when the adjusted p is below 0,05; otherwise the sentence
  says "innenfor tilfeldig variasjon" and uses no word of rising or falling.  A single view that
  shows some of them shows the same verdicts.
* **Which series is judged.**  Where the source gives the number of offenders
  (gjerningspersoner, the ``offenders`` column) of a series for every year a comparison uses,
  the change is judged on offenders: distinct persons are far less clustered than offences
  (their dispersion is estimated the same way and pooled the same way, and comes out near 1),
  so a year where ten young people commit sixty offences instead of twenty is not mistaken for
  a real rise.  Otherwise it is judged on offences.  The sentence still describes offences (the
  tables show them); a verdict on offenders says so («vurdert på antall gjerningspersoner») and
  gives the offenders' figures, and ``Finding.basis`` records the series.  A partial year
  annualised is judged on offences: distinct persons do not scale with the days counted.
* A breakdown the source did not give for a year (a file with only the crime-type table) is
  unknown, not zero: its series has no value that year and no comparison uses it.

The order findings are presented in: :mod:`analysis.finding`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import NamedTuple

import pandas as pd

from analysis.comparisons import (
    NO_SUPPRESSION,
    PENAL_CODE,
    Break,
    Comparison,
    Judge,
    against_three_years,
    annualised,
    same_period,
    unless_across,
    year_on_year,
)
from analysis.finding import FAMILY_RANK, Finding, ranked
from analysis.format import number
from analysis.series import TOTAL, Series, count_series, periods
from analysis.stats import Dispersion, adjust, bh_adjusted_with, estimate_dispersion
from analysis.suppress import Suppression

# --- the family: which comparisons are made, judged against what, adjusted together -----------

def _partial_comparison(series: Series, year: int, spans: dict, full: set[int],
                        sup: Suppression, breaks: tuple[Break, ...]) -> Comparison:
    through = spans[year]
    same = [y for y, t in spans.items()
            if y < year and t is not None and (t.month, t.day) == (through.month, through.day)]
    if same:
        return unless_across(
            lambda judge: same_period(series, year, max(same), through, sup, judge),
            max(same), year, breaks)
    return unless_across(
        lambda judge: annualised(series, year, through, full, sup, judge), year - 1, year,
        breaks)


WHO = ("total", "gender", "age")   # series that partition the offenders
# The pre-declared comparisons that carry verdicts: the total (on its own) and the crime types
# and girls/boys (together).  Ages are shown in the table without verdicts: counts per year of
# age are small, one young person can make most of one, and eighteen more comparisons would
# cost the others their power to detect a real change.
JUDGED = ("total", "crime_type", "gender")


def dispersions(series: list[Series], full: set[int], before: int) -> dict[str, Dispersion]:
    """family → the dispersion its comparisons are judged against, from full years before
    ``before``: one pooled over the total, girls/boys and ages, one over the crime types."""
    def history(group) -> list[dict[int, int | None]]:
        return [{y: s.known(y) for y in full if y < before} for s in series
                if s.family in group]

    who = estimate_dispersion(history(WHO))
    what = estimate_dispersion(history(("crime_type",)))
    return {family: (what if family == "crime_type" else who) for family in FAMILY_RANK}


def offender_dispersions(series: list[Series], full: set[int],
                         before: int) -> dict[str, Dispersion | None]:
    """As :func:`dispersions`, for the offenders series (pooled the same way); None for
    every family when the source gives no offenders for the region."""
    if not any(s.offenders for s in series):
        return dict.fromkeys(FAMILY_RANK)

    def history(group) -> list[dict[int, int | None]]:
        return [{y: s.known_offenders(y) for y in full if y < before} for s in series
                if s.family in group and s.offenders]

    who = estimate_dispersion(history(WHO))
    what = estimate_dispersion(history(("crime_type",)))
    return {family: (what if family == "crime_type" else who) for family in FAMILY_RANK}


def judge_for(frame: pd.DataFrame, year: int, family: str = "total") -> Judge:
    """The judge of one comparison shown on its own (no family to adjust with): the dispersion
    of ``family``'s pool from the frame's full years before ``year``."""
    spans = periods(frame)
    full = {y for y, t in spans.items() if t is None}
    return Judge(dispersions(count_series(frame, list(spans)), full, year)[family])


def comparisons(frame: pd.DataFrame, year: int | None = None,
                sup: Suppression = NO_SUPPRESSION,
                breaks: tuple[Break, ...] = ()) -> list[tuple[Comparison, Judge]]:
    """The pre-declared family of comparisons for ``year`` (default: the latest), each with
    the judge (dispersion) it is tested with.  For a full year: against the year before and
    against the three-year average.  For a partial year: the partial-year comparison, plus
    both comparisons for the latest full year before it.  A comparison across the new penal
    code or one of the region's own ``breaks`` (its new borders) has no verdict."""
    breaks = (PENAL_CODE, *breaks)
    spans = periods(frame)
    if not spans:
        return []
    year = max(spans) if year is None else year
    if year not in spans:
        return []
    full = {y for y, t in spans.items() if t is None}
    full_year = year if year in full else max((y for y in full if y < year), default=None)
    series_list = count_series(frame, list(spans))
    judged_full = dispersions(series_list, full, full_year) if full_year else {}
    judged_partial = dispersions(series_list, full, year)
    offenders_full = offender_dispersions(series_list, full, full_year) if full_year else {}
    offenders_partial = offender_dispersions(series_list, full, year)
    out: list[tuple[Comparison, Judge]] = []
    for series in series_list:
        if series.family not in JUDGED:
            continue
        if full_year is not None:
            judge = Judge(judged_full[series.family],
                          offenders=offenders_full[series.family])
            out += [(unless_across(
                        lambda j, s=series: year_on_year(s, full_year, full, sup, j),
                        full_year - 1, full_year, breaks), judge),
                    (unless_across(
                        lambda j, s=series: against_three_years(s, full_year, full, sup, j),
                        full_year - 3, full_year, breaks), judge)]
        if spans[year] is not None:
            out.append((_partial_comparison(series, year, spans, full, sup, breaks),
                        Judge(judged_partial[series.family],
                              offenders=offenders_partial[series.family])))
    return out


# The families whose p-values are adjusted together: the total on its own, the breakdowns
# (crime types, girls/boys; a plan's goal on an age too) together.  A plan's goals join the
# family of their series (:mod:`analysis.goals`), so a goal and the report never disagree on
# whether the same kind of change is larger than chance.
TOTAL_FAMILY, BREAKDOWNS = "total", "breakdowns"


def adjusted_in(family: str) -> str:
    """The family (:data:`TOTAL_FAMILY` or :data:`BREAKDOWNS`) a series' p-values are adjusted
    in, by ``Finding.family``."""
    return TOTAL_FAMILY if family == "total" else BREAKDOWNS


FirstPass = list[tuple[Comparison, Judge, Finding]]


def first_pass(frame: pd.DataFrame, year: int | None = None, sup: Suppression = NO_SUPPRESSION,
               breaks: tuple[Break, ...] = ()) -> FirstPass:
    """Every comparison of :func:`count_findings` judged alone (not yet adjusted): made once
    when both :func:`count_p_values` and :func:`count_findings` are asked (``done``)."""
    first = [(compare, judge, compare(judge))
             for compare, judge in comparisons(frame, year, sup, breaks)]
    return [(c, j, f) for c, j, f in first if f is not None]


def count_p_values(frame: pd.DataFrame, year: int | None = None,
                   sup: Suppression = NO_SUPPRESSION,
                   breaks: tuple[Break, ...] = (),
                   done: FirstPass | None = None) -> dict[str, list[float]]:
    """The raw p-values of :func:`count_findings`' tested comparisons, by the family they are
    adjusted in (:func:`adjusted_in`): what a plan's goals are adjusted together with.
    ``done``: the :func:`first_pass` of the same arguments, when already made."""
    out: dict[str, list[float]] = {TOTAL_FAMILY: [], BREAKDOWNS: []}
    for _c, _j, found in first_pass(frame, year, sup, breaks) if done is None else done:
        if found.tested:
            out[adjusted_in(found.family)].append(found.p_value)
    return out


def count_findings(frame: pd.DataFrame, year: int | None = None,
                   sup: Suppression = NO_SUPPRESSION,
                   breaks: tuple[Break, ...] = (),
                   alongside: Mapping[str, Sequence[float]] | None = None,
                   done: FirstPass | None = None) -> list[Finding]:
    """Every finding for ``year`` (default: the latest), judged together, ranked; ``breaks``:
    the region's own (:func:`comparisons`).  ``alongside``: the raw p-values of the plan's
    goals by family (:func:`analysis.goals.family_p_values`), adjusted with the comparisons
    of that family.  ``done``: the :func:`first_pass` of the same arguments, when made."""
    alongside = alongside or {}
    first = first_pass(frame, year, sup, breaks) if done is None else done
    q: dict[int, float] = {}
    for key in (TOTAL_FAMILY, BREAKDOWNS):   # the total on its own; the breakdowns together
        tested = [i for i, (_c, _j, f) in enumerate(first)
                  if f.tested and adjusted_in(f.family) == key]
        q.update(zip(tested, bh_adjusted_with([first[i][2].p_value for i in tested],
                                              alongside.get(key, ()))))
    found = [compare(replace(judge, q_value=q[i])) if i in q else finding
             for i, (compare, judge, finding) in enumerate(first)]
    return ranked(f for f in found if f is not None)


# --- the dashboard's frames -------------------------------------------------------------------
# The Oversikt and Ungdomskriminalitet pages read one breakdown at a time (``year,
# counted_through, <dimension>, offences``); these give them the same findings as the report.

DIMENSIONS = ("crime_type", "age", "gender")


def from_breakdown(frame: pd.DataFrame) -> pd.DataFrame:
    """A breakdown frame in the shape :func:`count_findings` reads (missing dimensions are
    ``Totalt``)."""
    out = frame.copy()
    for dimension in DIMENSIONS:
        if dimension not in out:
            out[dimension] = TOTAL
    return out[["year", "counted_through", *DIMENSIONS, "offences"]]


def latest_changes(frame: pd.DataFrame, family: str = "crime_type") -> list[Finding]:
    """The latest full year against the year before, for every series of ``family`` in a
    breakdown frame, in priority order (a partial year is never one of the two years)."""
    return [f for f in count_findings(from_breakdown(frame))
            if f.kind == "yoy" and f.family == family]


def strongest(found: list[Finding]) -> Finding | None:
    """The first real change in priority order, or None when none is real."""
    return next((f for f in ranked(found) if f.significant), None)


class _Pair(NamedTuple):
    """A crime type's figures of the region and of the country in one year."""
    crime_type: str
    offences: int
    persons_10_17: float
    per_1000: float
    offences_land: int
    persons_10_17_land: float
    per_1000_land: float


def national_differences(rates: pd.DataFrame, region: str, nation: str) -> list[Finding]:
    """Crime types whose rate per 1 000 aged 10–17 differs from the rest of the country more
    than chance, larger differences first.

    ``rates``: region, year, crime_type, offences, persons_10_17, per_1000.  The latest full
    year both have; the region is tested against the rest of the country (populations as
    exposures) with the dispersion of the region's crime types over the years before, the
    crime types' p-values adjusted together (Benjamini-Hochberg).
    """
    rates = rates.dropna(subset=["per_1000"])
    # Plain Python rows (region, year, crime_type, offences, persons_10_17, per_1000): pandas
    # filters, a groupby and a merge cost ~10 ms of each new region's Oversikt.
    rows = list(zip(*(rates[c].tolist() for c in
                      ("region", "year", "crime_type", "offences", "persons_10_17", "per_1000"))))
    mine = [r for r in rows if r[0] == region]
    land = [r for r in rows if r[0] == nation]
    common = sorted({r[1] for r in mine} & {r[1] for r in land})
    if not common or region == nation:
        return []
    year = int(common[-1])
    by_type: dict = {}
    for _region, y, crime_type, offences, _persons, _rate in mine:
        if y < year and crime_type != TOTAL:
            by_type.setdefault(crime_type, {})[int(y)] = int(offences)
    history = [by_type[crime_type] for crime_type in sorted(by_type)]
    judge = Judge(estimate_dispersion(history))
    both = [_Pair(*r[2:], *other[3:]) for r in mine if r[1] == year
            for other in land if other[1] == year and other[2] == r[2]]
    both = [r for r in both if r.crime_type != TOTAL and r.per_1000_land > 0]
    changes = [judge.change(int(r.offences_land - r.offences), int(r.offences),
                            float(r.persons_10_17_land - r.persons_10_17), float(r.persons_10_17))
               for r in both]
    found = []
    for r, change in zip(both, adjust(changes)):
        if not change.significant:
            continue
        diff = (r.per_1000 / r.per_1000_land - 1) * 100
        sentence = (f"{r.crime_type}: {number(r.per_1000, 1)} per 1 000 unge mot "
                    f"{number(r.per_1000_land, 1)} i landet ({year}), "
                    f"{number(abs(diff))} % {'høyere' if diff > 0 else 'lavere'}.")
        found.append(Finding(str(r.crime_type), "crime_type", "vs_national", year, sentence,
                             significant=True, direction=change.direction,
                             p_value=change.p_value, size=diff,
                             headline=number(r.per_1000, 1), ref=str(r.crime_type),
                             q_value=change.q_value, phi=change.phi,
                             compared=f"{region} mot resten av landet {year}"))
    return ranked(found)
