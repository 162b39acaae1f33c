"""The findings engine: police counts → ranked Norwegian sentences.  Pure functions on frames.

Input is a frame shaped like the ``u18_offences`` view for one region (``year, counted_through,
crime_type, age, gender, offences``).  Survey findings live in :mod:`analysis.survey`; both return
:class:`Finding` and are ordered by the same rule.

Statistical methods (counts; the statistics in :mod:`analysis.stats`)
-------------------------------------------------------------------
* **Year on year**: the chosen full year against the full year before (exposures 1 and 1).
* **Against the three-year average**: the chosen full year against the *sum* of the three full
  years before it, exposures 3 and 1 (equivalent to comparing with their average rate).
* **A partial year** (``counted_through`` set, e.g. 2024 pr. 01.08) is never compared with a full
  year as if equal.  When an earlier year was counted through the same day and month, it is
  compared with that (exposures 1 and 1).  Otherwise it is *annualised*: the count is set
  against the previous full year with exposure = days counted / days in the year, and the
  sentence states the method (``345 × 366/214 dager``) and its assumption (even spread over the
  year).
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
* With small-number suppression, a comparison involving a hidden count (1 … threshold-1) gets no
  test and no exact numbers: "for få tilfeller til å vurdere endringen".
* A comparison whose years span the new penal code (in force from 1 October 2015: 2015 against
  2014, or against an average that includes 2014 or earlier) gets no test: the police group and
  count offences differently since, and the sentence says so.

The order findings are presented in: :mod:`analysis.finding`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

import pandas as pd

from analysis.finding import FAMILY_RANK, Finding, ranked
from analysis.format import average, day_month, number, period_label
from analysis.series import TOTAL, Series, count_series, periods
from analysis.stats import (
    POISSON,
    Change,
    Dispersion,
    adjust,
    bh_adjusted,
    count_change,
    estimate_dispersion,
    verdict,
)
from analysis.suppress import Suppression

NO_SUPPRESSION = Suppression()   # the default: every count shown (frozen, so one is enough)


# --- comparisons ------------------------------------------------------------------------------
# Each comparison is found in two passes: first its raw p-value, then — once the whole family's
# p-values are adjusted together — its verdict and sentence.  ``Judge`` carries what the second
# pass needs: the dispersion to test against and the adjusted p-value (None in the first pass).

@dataclass(frozen=True)
class Judge:
    dispersion: Dispersion = POISSON
    q_value: float | None = None
    offenders: Dispersion | None = None  # None: the region has no offenders series

    def change(self, before: int, after: int, exposure_before: float = 1.0,
               exposure_after: float = 1.0, on_offenders: bool = False) -> Change:
        dispersion = self.offenders if on_offenders else self.dispersion
        change = count_change(before, after, exposure_before, exposure_after, dispersion)
        return change if self.q_value is None else replace(change, q_value=self.q_value)

    def offender_counts(self, series: Series, years: list[int]) -> list[int] | None:
        """The offenders of ``series`` in ``years`` when the change is to be judged on them:
        the region has an offenders series and the source gave every one of these years."""
        if self.offenders is None:
            return None
        values = [series.known_offenders(y) for y in years]
        if any(v is None for v in values) or sum(values) == 0:
            return None
        return values


ALONE = Judge()


def _change_sentence(topic: str, a: str, y1: str, b: str, y2: str, change: Change) -> str:
    if change.direction > 0:
        return f"{topic} økte fra {a} i {y1} til {b} i {y2}, {verdict(change)}."
    if change.direction < 0:
        return f"{topic} gikk ned fra {a} i {y1} til {b} i {y2}, {verdict(change)}."
    return f"{topic}: {b} i {y2} mot {a} i {y1}, {verdict(change)}."


ON_OFFENDERS = "vurdert på antall gjerningspersoner"


def _offenders_sentence(lead: str, before: str, after: str, change: Change) -> str:
    """``lead`` (the offences, described) and the verdict on the offenders' ``before`` and
    ``after``, saying that the verdict is based on them."""
    if change.direction > 0:
        judged = f"Antall gjerningspersoner økte fra {before} til {after}"
    elif change.direction < 0:
        judged = f"Antall gjerningspersoner gikk ned fra {before} til {after}"
    else:
        judged = f"Antall gjerningspersoner: {after} mot {before}"
    return f"{lead}. {judged}, {verdict(change)} ({ON_OFFENDERS})."


def _on_offenders(finding: Finding, offences: str, before: str, after: str) -> Finding:
    """A finding judged on offenders: headline and figures still show the offences."""
    return replace(finding, basis="offenders", headline=offences.split(" mot ")[0],
                   figures=f"{offences} (gjerningspersoner {after} mot {before})")


def _masked(series: Series, kind: str, year: int, parts: list[str], headline: str,
            partial: bool = False, compared: str = "") -> Finding:
    sentence = f"{series.topic}: {' og '.join(parts)}. For få tilfeller til å vurdere endringen."
    return Finding(series.topic, series.family, kind, year, sentence, tested=False,
                   partial=partial, headline=headline, ref=series.ref,
                   compared=compared, figures=" og ".join(parts))


def _finding(series: Series, kind: str, year: int, sentence: str, change: Change,
             size: float, compared: str, partial: bool = False) -> Finding:
    return Finding(series.topic, series.family, kind, year, sentence, tested=True,
                   significant=change.significant, direction=change.direction,
                   p_value=change.p_value, size=size, partial=partial,
                   headline=number(change.after), ref=series.ref, q_value=change.q_value,
                   phi=change.phi, compared=compared,
                   figures=f"{number(change.after)} mot {number(change.before)}")


def year_on_year(series: Series, year: int, full: set[int],
                 sup: Suppression = NO_SUPPRESSION, judge: Judge = ALONE) -> Finding | None:
    """The full year ``year`` against the full year before."""
    a, b = series.known(year - 1), series.known(year)
    if year not in full or year - 1 not in full or a is None or b is None or a + b == 0:
        return None
    offenders = judge.offender_counts(series, [year - 1, year])
    if sup.any_hidden(a, b, *(offenders or ())):
        return _masked(series, "yoy", year, [f"{sup.count(a)} i {year - 1}",
                                             f"{sup.count(b)} i {year}"], sup.count(b),
                       compared=f"{year} mot {year - 1}")
    if offenders:
        pa, pb = offenders
        change = judge.change(pa, pb, on_offenders=True)
        text = _offenders_sentence(f"{series.topic}: {number(b)} i {year} mot {number(a)} i "
                                   f"{year - 1}", number(pa), number(pb), change)
        found = _finding(series, "yoy", year, text, change, b - a, f"{year} mot {year - 1}")
        return _on_offenders(found, f"{number(b)} mot {number(a)}", number(pa), number(pb))
    change = judge.change(a, b)
    text = _change_sentence(series.topic, number(a), str(year - 1), number(b), str(year), change)
    return _finding(series, "yoy", year, text, change, b - a, f"{year} mot {year - 1}")


def against_three_years(series: Series, year: int, full: set[int],
                        sup: Suppression = NO_SUPPRESSION,
                        judge: Judge = ALONE) -> Finding | None:
    """The full year ``year`` against the average of the three full years before it."""
    before = [year - 3, year - 2, year - 1]
    values = [series.known(y) for y in before]
    b = series.known(year)
    if year not in full or any(y not in full for y in before) or b is None \
            or any(v is None for v in values) or b + sum(values) == 0:
        return None
    span = f"{before[0]}–{before[-1]}"
    offenders = judge.offender_counts(series, [*before, year])
    if sup.any_hidden(b, *values, *(offenders or ())):
        return _masked(series, "avg3", year, [f"{sup.count(b)} i {year}",
                                              f"{', '.join(map(sup.count, values))} i {span}"],
                       sup.count(b), compared=f"{year} mot snittet {span}")
    mean = sum(values) / 3
    if offenders:
        *earlier, pb = offenders
        change = judge.change(sum(earlier), pb, exposure_before=3.0, exposure_after=1.0,
                              on_offenders=True)
        text = _offenders_sentence(
            f"{series.topic}: {number(b)} i {year} mot et snitt på {average(mean)} i {span}",
            f"et snitt på {average(sum(earlier) / 3)}", number(pb), change)
        found = _finding(series, "avg3", year, text, change, b - mean,
                         f"{year} mot snittet {span}")
        return _on_offenders(found, f"{number(b)} mot {average(mean)}",
                             average(sum(earlier) / 3), number(pb))
    change = judge.change(sum(values), b, exposure_before=3.0, exposure_after=1.0)
    text = (f"{series.topic}: {number(b)} i {year} mot et snitt på {average(mean)} i {span}, "
            f"{verdict(change)}.")
    return replace(_finding(series, "avg3", year, text, change, b - mean,
                            f"{year} mot snittet {span}"),
                   figures=f"{number(b)} mot {average(mean)}")


def _days_counted(through: dt.date) -> tuple[int, int]:
    first = dt.date(through.year, 1, 1)
    days_in_year = (dt.date(through.year + 1, 1, 1) - first).days
    return (through - first).days + 1, days_in_year


def _partial_verdict(change: Change) -> str:
    if change.direction > 0:
        return "anslaget tyder på en reell økning"
    if change.direction < 0:
        return "anslaget tyder på en reell nedgang"
    return "forskjellen er innenfor tilfeldig variasjon"


def same_period(series: Series, year: int, earlier: int, through: dt.date,
                sup: Suppression = NO_SUPPRESSION, judge: Judge = ALONE) -> Finding | None:
    """A partial year against an earlier year counted through the same day and month."""
    a, b = series.known(earlier), series.known(year)
    if a is None or b is None or a + b == 0:
        return None
    period = f"1.1.–{day_month(through)}"
    offenders = judge.offender_counts(series, [earlier, year])
    if sup.any_hidden(a, b, *(offenders or ())):
        return _masked(series, "same_period", year, [f"{sup.count(b)} i {year} ({period})",
                                                     f"{sup.count(a)} i {earlier}"],
                       sup.count(b), True, f"{year} mot {earlier}, begge {period}")
    compared = f"{year} mot {earlier}, begge {period}"
    if offenders:
        pa, pb = offenders
        change = judge.change(pa, pb, on_offenders=True)
        text = _offenders_sentence(f"{series.topic}: {number(b)} i {year} ({period}) mot "
                                   f"{number(a)} i samme periode av {earlier}", number(pa),
                                   number(pb), change)
        found = _finding(series, "same_period", year, text, change, b - a, compared,
                         partial=True)
        return _on_offenders(found, f"{number(b)} mot {number(a)}", number(pa), number(pb))
    change = judge.change(a, b)
    text = _change_sentence(series.topic, number(a), f"samme periode av {earlier}", number(b),
                            f"{year} ({period})", change)
    return _finding(series, "same_period", year, text, change, b - a, compared, partial=True)


def annualised(series: Series, year: int, through: dt.date, full: set[int],
               sup: Suppression = NO_SUPPRESSION, judge: Judge = ALONE) -> Finding | None:
    """A partial year, scaled to a whole year, against the full year before (method stated)."""
    a, b = series.known(year - 1), series.known(year)
    if year - 1 not in full or a is None or b is None or a + b == 0:
        return None
    label = period_label(year, through)
    if sup.any_hidden(a, b):
        return _masked(series, "annualised", year, [f"{sup.count(b)} i {label}",
                                                    f"{sup.count(a)} i {year - 1}"],
                       sup.count(b), True, f"{label} mot {year - 1}")
    days, days_in_year = _days_counted(through)
    change = judge.change(a, b, exposure_before=1.0, exposure_after=days / days_in_year)
    estimate = b * days_in_year / days
    text = (f"{series.topic}: {number(b)} i {label}. Omregnet til et helt år "
            f"({number(b)} × {days_in_year}/{days} dager) tilsvarer det om lag "
            f"{number(estimate)}, mot {number(a)} i {year - 1}; {_partial_verdict(change)}. "
            f"Omregningen forutsetter at forholdene fordeler seg jevnt over året.")
    return _finding(series, "annualised", year, text, change, estimate - a,
                    f"{label} omregnet til helt år mot {year - 1}", partial=True)


Comparison = Callable[[Judge], "Finding | None"]

# The new penal code (straffeloven 2005, in force from 1 October 2015) changed how the police
# group and count offences: figures before and after it are not fully comparable, so a
# comparison that spans it gets no verdict (the charts mark the break too).
PENAL_CODE_YEAR = 2015
ACROSS_PENAL_CODE = (f"Ny straffelov fra 1. oktober {PENAL_CODE_YEAR} endret hvordan lovbrudd "
                     "grupperes og telles, så endringen vurderes ikke.")
WHY_PENAL_CODE = "penal_code"
ACROSS_PENAL_CODE_ONCE = (f"Ny straffelov fra 1. oktober {PENAL_CODE_YEAR} endret hvordan "
                          f"lovbrudd grupperes og telles, så endringer som spenner over "
                          f"{PENAL_CODE_YEAR}, vurderes ikke.")


def unless_across_penal_code(compare: Comparison, first: int, last: int) -> Comparison:
    """``compare``, or when the years it compares (``first`` … ``last``) span the new penal
    code, the same figures without a test or verdict, saying why."""
    if not first < PENAL_CODE_YEAR <= last:
        return compare

    def shown(judge: Judge) -> Finding | None:
        found = compare(judge)
        if found is None:
            return None
        return replace(found, tested=False, significant=False, direction=0, p_value=None,
                       q_value=None, sentence=f"{found.topic}: {found.figures} "
                                              f"({found.compared}). {ACROSS_PENAL_CODE}",
                       caveat=ACROSS_PENAL_CODE, why=WHY_PENAL_CODE)
    return shown


def _partial_comparison(series: Series, year: int, spans: dict, full: set[int],
                        sup: Suppression) -> Comparison:
    through = spans[year]
    same = [y for y, t in spans.items()
            if y < year and t is not None and (t.month, t.day) == (through.month, through.day)]
    if same:
        return unless_across_penal_code(
            lambda judge: same_period(series, year, max(same), through, sup, judge),
            max(same), year)
    return unless_across_penal_code(
        lambda judge: annualised(series, year, through, full, sup, judge), year - 1, year)


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
                sup: Suppression = NO_SUPPRESSION) -> list[tuple[Comparison, Judge]]:
    """The pre-declared family of comparisons for ``year`` (default: the latest), each with
    the judge (dispersion) it is tested with.  For a full year: against the year before and
    against the three-year average.  For a partial year: the partial-year comparison, plus
    both comparisons for the latest full year before it."""
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
            out += [(unless_across_penal_code(
                        lambda j, s=series: year_on_year(s, full_year, full, sup, j),
                        full_year - 1, full_year), judge),
                    (unless_across_penal_code(
                        lambda j, s=series: against_three_years(s, full_year, full, sup, j),
                        full_year - 3, full_year), judge)]
        if spans[year] is not None:
            out.append((_partial_comparison(series, year, spans, full, sup),
                        Judge(judged_partial[series.family],
                              offenders=offenders_partial[series.family])))
    return out


def count_findings(frame: pd.DataFrame, year: int | None = None,
                   sup: Suppression = NO_SUPPRESSION) -> list[Finding]:
    """Every finding for ``year`` (default: the latest), judged together, ranked."""
    first = [(compare, judge, compare(judge)) for compare, judge in comparisons(frame, year, sup)]
    first = [(c, j, f) for c, j, f in first if f is not None]
    q: dict[int, float] = {}
    for primary in (True, False):   # the total on its own; the breakdowns together
        tested = [i for i, (_c, _j, f) in enumerate(first)
                  if f.tested and (f.family == "total") == primary]
        q.update(zip(tested, bh_adjusted([first[i][2].p_value for i in tested])))
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
