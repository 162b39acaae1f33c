"""One comparison of a region's count series at a time: two periods' figures, the verdict on the
change and the Norwegian sentence that states both.  Pure functions.

Which comparisons are made for a region and year, the dispersion each is judged against and the
adjustment of their p-values together are the findings engine's (:mod:`analysis.findings`).

What is compared (counts; the statistics in :mod:`analysis.stats`)
----------------------------------------------------------------
* **Year on year**: the chosen full year against the full year before (exposures 1 and 1).
* **Against the three-year average**: the chosen full year against the *sum* of the three full
  years before it, exposures 3 and 1 (equivalent to comparing with their average rate).
* **A partial year** (``counted_through`` set, e.g. 2024 pr. 01.08) is never compared with a full
  year as if equal.  When an earlier year was counted through the same day and month, it is
  compared with that (exposures 1 and 1).  Otherwise it is *annualised*: the count is set
  against the previous full year with exposure = days counted / days in the year, and the
  sentence states the method (``345 × 366/214 dager``) and its assumption (even spread over the
  year).
* With small-number suppression, a comparison involving a hidden count (1 … threshold-1) gets no
  test and no exact numbers: "for få tilfeller til å vurdere endringen".
* A comparison whose years span the new penal code (in force from 1 October 2015: 2015 against
  2014, or against an average that includes 2014 or earlier) gets no test: the police group and
  count offences differently since, and the sentence says so.
* A change judged on offenders (when, :mod:`analysis.findings`) is still described in offences;
  the sentence says «vurdert på antall gjerningspersoner» and gives the offenders' figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from analysis.finding import Finding
from analysis.format import average, day_month, number, period_label
from analysis.series import Series
from analysis.stats import POISSON, Change, Dispersion, count_change, verdict
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
    """:func:`analysis.stats.verdict` said of an estimate for the whole year."""
    return ("anslaget tyder på " if change.direction else "forskjellen er ") + verdict(change)


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
    text = (f"{series.topic}: {number(b)} i {label}, et delår som ikke kan sammenlignes direkte "
            f"med et helt år. Anslag for hele året, om forholdene fordeler seg jevnt over året: "
            f"om lag {number(estimate)} ({number(b)} × {days_in_year}/{days} dager), mot "
            f"{number(a)} i {year - 1}; {_partial_verdict(change)} ({PER_DAY} {year - 1}).")
    found = _finding(series, "annualised", year, text, change, estimate - a,
                     f"{label} omregnet til helt år mot {year - 1}", partial=True)
    return replace(found, figures=f"om lag {number(estimate)} (anslag ut fra {number(b)}) mot "
                                  f"{number(a)}")


# What the test of an annualised partial year compares (its sentence says so).
PER_DAY = "testet som forhold per dag talt mot"


Comparison = Callable[[Judge], "Finding | None"]

# A year from which a region's police figures are not comparable with those before it: a
# comparison that spans it gets no verdict (the same figures, saying why), and the charts mark it.

@dataclass(frozen=True)
class Break:
    year: int     # the first year on the new basis: a comparison of ``first`` < year <= ``last``
    marker: str   # the charts' label at the line between year - 1 and year
    fact: str     # what happened, as a clause: «Ålesund fikk nye grenser 1. januar 2024 (…)»
    reason: str   # the sentence said after each comparison across it (and once for several
    #               when it names no single comparison: :func:`analysis.survey.caveat_note`)
    why: str      # ``Finding.why``


# The new penal code (straffeloven 2005, in force from 1 October 2015) changed how the police
# group and count offences: figures before and after it are not fully comparable.
PENAL_CODE_YEAR = 2015
_PENAL_CODE_FACT = (f"Ny straffelov fra 1. oktober {PENAL_CODE_YEAR} endret hvordan lovbrudd "
                    "grupperes og telles")
ACROSS_PENAL_CODE = f"{_PENAL_CODE_FACT}, så endringen vurderes ikke."
WHY_PENAL_CODE = "penal_code"
ACROSS_PENAL_CODE_ONCE = (f"{_PENAL_CODE_FACT}, så endringer som spenner over "
                          f"{PENAL_CODE_YEAR}, vurderes ikke.")
PENAL_CODE = Break(PENAL_CODE_YEAR, f"Ny straffelov {PENAL_CODE_YEAR}", _PENAL_CODE_FACT,
                   ACROSS_PENAL_CODE, WHY_PENAL_CODE)
WHY_BORDERS = "borders"


def border_break(kommune: str, year: int, change: str) -> Break:
    """A kommune's new borders from 1 January ``year`` (``change``: «slått sammen med Rygge»):
    its figures under that name before are for other borders."""
    fact = f"{kommune} fikk nye grenser 1. januar {year} ({change})"
    text = f"{fact}, så endringer som spenner over {year}, vurderes ikke."
    return Break(year, f"Nye grenser {year}", fact, text, WHY_BORDERS)


def spanned(breaks: tuple[Break, ...], first: int, last: int) -> list[Break]:
    """The breaks of ``breaks`` that the years ``first`` … ``last`` span, by year."""
    return sorted((b for b in breaks if first < b.year <= last), key=lambda b: b.year)


def crossed(breaks: tuple[Break, ...], first: int, last: int) -> Break | None:
    """The first of ``breaks`` that the years ``first`` … ``last`` span, or None."""
    return next(iter(spanned(breaks, first, last)), None)


def unless_across(compare: Comparison, first: int, last: int,
                  breaks: tuple[Break, ...] = (PENAL_CODE,)) -> Comparison:
    """``compare``, or when the years it compares (``first`` … ``last``) span one of
    ``breaks`` (the new penal code, a kommune's new borders), the same figures without a test
    or verdict, saying why."""
    found_break = crossed(breaks, first, last)
    if found_break is None:
        return compare

    def shown(judge: Judge) -> Finding | None:
        found = compare(judge)
        if found is None:
            return None
        return replace(found, tested=False, significant=False, direction=0, p_value=None,
                       q_value=None, sentence=f"{found.topic}: {found.figures} "
                                              f"({found.compared}). {found_break.reason}",
                       caveat=found_break.reason, why=found_break.why)
    return shown
