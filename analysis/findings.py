"""The findings engine: police counts → ranked Norwegian sentences.  Pure functions on frames.

Input is a frame shaped like the ``u18_offences`` view for one region (``year, counted_through,
crime_type, age, gender, offences``).  Survey findings live in :mod:`analysis.survey`; both return
:class:`Finding` and are ordered by the same rule.

Statistical methods (counts)
----------------------------
* **Year on year**: the chosen full year against the full year before, exact conditional Poisson
  test (:func:`analysis.stats.poisson_change`, exposures 1 and 1).
* **Against the three-year average**: the chosen full year against the *sum* of the three full
  years before it, exposures 3 and 1 (equivalent to comparing with their average rate).
* **A partial year** (``counted_through`` set, e.g. 2024 pr. 01.08) is never compared with a full
  year as if equal.  When an earlier year was counted through the same day and month, it is
  compared with that (exposures 1 and 1).  Otherwise it is *annualised*: the count is set
  against the previous full year with exposure = days counted / days in the year, and the
  sentence states the method (``345 × 366/214 dager``) and its assumption (even spread over the
  year).
* A change is called a rise or fall only when p < 0,05; otherwise the sentence says
  "innenfor tilfeldig variasjon" and uses no word of rising or falling.
* With small-number suppression, a comparison involving a hidden count (1 … threshold-1) gets no
  test and no exact numbers: "for få tilfeller til å vurdere endringen".

Priority rule (the order findings are presented in)
---------------------------------------------------
1. Real changes/differences (p < 0,05) first; then those within chance; last those that could not
   be tested (hidden small numbers, survey figures without the number of respondents).
2. Full-year findings before partial-year estimates.
3. By subject: the region's total → crime types → survey indicators linked to a crime type →
   girls/boys → age groups → other survey indicators.
4. Larger absolute change first (offences; percentage points for surveys).
5. Ties: previous year / national value before three-year average / previous survey, then
   alphabetically.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analysis.format import average, day_month, number, p_text, period_label, sort_key
from analysis.stats import Change, poisson_change, verdict
from analysis.suppress import Suppression

TOTAL = "Totalt"
FAMILY_RANK = {"total": 0, "crime_type": 1, "survey_linked": 2, "gender": 3, "age": 4,
               "survey": 5}
SURVEY = ("survey_linked", "survey")
KIND_RANK = {"yoy": 0, "same_period": 0, "vs_national": 0, "avg3": 1, "annualised": 1,
             "since_previous": 1}
NO_SUPPRESSION = Suppression()   # the default: every count shown (frozen, so one is enough)


@dataclass(frozen=True)
class Finding:
    topic: str
    family: str          # see FAMILY_RANK
    kind: str            # see KIND_RANK
    year: int
    sentence: str
    tested: bool = True
    significant: bool = False
    direction: int = 0   # +1 real rise, -1 real fall, 0 within chance or not tested
    p_value: float | None = None
    size: float = 0.0
    partial: bool = False
    headline: str = ""   # the key figure as shown (``182``, ``<5``, ``12,5 %``), suppressed
    ref: str = ""        # what the finding is about: a crime type, age, gender or indicator id

    @property
    def verdict(self) -> str:
        """The judgement in a few words, the same as in the sentence."""
        if not self.tested:
            return "kan ikke vurderes"
        if self.direction > 0:
            return "en reell økning" if self.family not in SURVEY else "en reell forskjell"
        if self.direction < 0:
            return "en reell nedgang" if self.family not in SURVEY else "en reell forskjell"
        return "innenfor tilfeldig variasjon"

    def priority(self) -> tuple:
        evidence = 0 if self.significant else (1 if self.tested else 2)
        return (evidence, self.partial, FAMILY_RANK[self.family], -abs(self.size),
                KIND_RANK[self.kind], sort_key(self.topic))


def ranked(findings) -> list[Finding]:
    """Findings in the documented priority order."""
    return sorted(findings, key=Finding.priority)


@dataclass(frozen=True)
class Series:
    topic: str
    family: str
    counts: dict[int, int | None]
    ref: str = ""        # the crime type, age or gender the series is of (``Totalt`` for all)


def periods(frame: pd.DataFrame) -> dict[int, dt.date | None]:
    """Year → last day counted (None for a full year), for the years present in ``frame``."""
    out: dict[int, dt.date | None] = {}
    for year, through in frame[["year", "counted_through"]].drop_duplicates().itertuples(
            index=False):
        out[int(year)] = None if pd.isna(through) else pd.Timestamp(through).date()
    return dict(sorted(out.items()))


def _topic(family: str, label: str) -> str:
    if family == "total":
        return "U18-forhold i alt"
    if family == "gender":
        return f"Forhold begått av {label.lower()}"
    if family == "age":
        return "Forhold begått av barn under 10 år" if label == "<10" else \
            f"Forhold begått av {label}-åringer"
    return label


def _specs(keys) -> list[tuple[str, str, str, str, str]]:
    """(family, label, crime_type, age, gender) of every series among ``keys``, the frame's
    distinct (crime_type, age, gender)."""
    def where(column: int, **equal: int):
        return {k[column] for k in keys if all(_is_total(k[i]) for i in equal.values())}

    specs = [("total", TOTAL, TOTAL, TOTAL, TOTAL)]
    crimes = where(0, age=1, gender=2)
    specs += [("crime_type", c, c, TOTAL, TOTAL) for c in sorted(crimes - {TOTAL}, key=sort_key)]
    genders = where(2, crime=0, age=1)
    specs += [("gender", g, TOTAL, TOTAL, g) for g in ("Jenter", "Gutter") if g in genders]
    ages = where(1, crime=0, gender=2)
    specs += [("age", a, TOTAL, a, TOTAL) for a in sorted(ages - {TOTAL}, key=_age_key)]
    return specs


def _is_total(value) -> bool:
    return isinstance(value, str) and value == TOTAL


def _age_key(age: str) -> int:
    return -1 if age.startswith("<") else int(age)


def count_series(frame: pd.DataFrame, years: list[int] | None = None) -> list[Series]:
    """Total, crime types, girls/boys and ages; a year present without a row counts as 0
    (a blank cell in a police table means none), a NULL (suppressed in the source) as None.
    ``years``: the frame's years when the caller has them (``list(periods(frame))``)."""
    years = list(periods(frame)) if years is None else years
    # One pass over the rows, grouped by series (a boolean filter per series cost ~1 ms each,
    # ~30 per dashboard view); within a series the rows keep the frame's order.
    rows: dict[tuple, list[tuple]] = {}
    for crime, age, gender, year, value in frame[
            ["crime_type", "age", "gender", "year", "offences"]].itertuples(index=False,
                                                                            name=None):
        rows.setdefault((crime, age, gender), []).append((year, value))
    out = []
    for family, label, crime, age, gender in _specs(rows):
        counts: dict[int, int | None] = {y: 0 for y in years}
        for year, value in rows.get((crime, age, gender), ()):
            counts[int(year)] = None if pd.isna(value) else int(value)
        out.append(Series(_topic(family, label), family, counts, label))
    return out


def _change_sentence(topic: str, a: str, y1: str, b: str, y2: str, change: Change) -> str:
    if change.direction > 0:
        return f"{topic} økte fra {a} i {y1} til {b} i {y2}, {verdict(change)} " \
               f"({p_text(change.p_value)})."
    if change.direction < 0:
        return f"{topic} gikk ned fra {a} i {y1} til {b} i {y2}, {verdict(change)} " \
               f"({p_text(change.p_value)})."
    return f"{topic}: {b} i {y2} mot {a} i {y1}, {verdict(change)} ({p_text(change.p_value)})."


def _masked(series: Series, kind: str, year: int, parts: list[str], headline: str,
            partial: bool = False) -> Finding:
    sentence = f"{series.topic}: {' og '.join(parts)}. For få tilfeller til å vurdere endringen."
    return Finding(series.topic, series.family, kind, year, sentence, tested=False,
                   partial=partial, headline=headline, ref=series.ref)


def _finding(series: Series, kind: str, year: int, sentence: str, change: Change,
             size: float, partial: bool = False) -> Finding:
    return Finding(series.topic, series.family, kind, year, sentence, tested=True,
                   significant=change.significant, direction=change.direction,
                   p_value=change.p_value, size=size, partial=partial,
                   headline=number(change.after), ref=series.ref)


def year_on_year(series: Series, year: int, full: set[int],
                 sup: Suppression = NO_SUPPRESSION) -> Finding | None:
    """The full year ``year`` against the full year before."""
    a, b = series.counts.get(year - 1), series.counts.get(year)
    if year not in full or year - 1 not in full or a is None or b is None or a + b == 0:
        return None
    if sup.any_hidden(a, b):
        return _masked(series, "yoy", year, [f"{sup.count(a)} i {year - 1}",
                                             f"{sup.count(b)} i {year}"], sup.count(b))
    change = poisson_change(a, b)
    text = _change_sentence(series.topic, number(a), str(year - 1), number(b), str(year), change)
    return _finding(series, "yoy", year, text, change, b - a)


def against_three_years(series: Series, year: int, full: set[int],
                        sup: Suppression = NO_SUPPRESSION) -> Finding | None:
    """The full year ``year`` against the average of the three full years before it."""
    before = [year - 3, year - 2, year - 1]
    values = [series.counts.get(y) for y in before]
    b = series.counts.get(year)
    if year not in full or any(y not in full for y in before) or b is None \
            or any(v is None for v in values) or b + sum(values) == 0:
        return None
    span = f"{before[0]}–{before[-1]}"
    if sup.any_hidden(b, *values):
        return _masked(series, "avg3", year, [f"{sup.count(b)} i {year}",
                                              f"{', '.join(map(sup.count, values))} i {span}"],
                       sup.count(b))
    change = poisson_change(sum(values), b, exposure_before=3.0, exposure_after=1.0)
    mean = sum(values) / 3
    text = (f"{series.topic}: {number(b)} i {year} mot et snitt på {average(mean)} i {span}, "
            f"{verdict(change)} ({p_text(change.p_value)}).")
    return _finding(series, "avg3", year, text, change, b - mean)


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
                sup: Suppression = NO_SUPPRESSION) -> Finding | None:
    """A partial year against an earlier year counted through the same day and month."""
    a, b = series.counts.get(earlier), series.counts.get(year)
    if a is None or b is None or a + b == 0:
        return None
    period = f"1.1.–{day_month(through)}"
    if sup.any_hidden(a, b):
        return _masked(series, "same_period", year, [f"{sup.count(b)} i {year} ({period})",
                                                     f"{sup.count(a)} i {earlier}"],
                       sup.count(b), True)
    change = poisson_change(a, b)
    text = _change_sentence(series.topic, number(a), f"samme periode av {earlier}", number(b),
                            f"{year} ({period})", change)
    return _finding(series, "same_period", year, text, change, b - a, partial=True)


def annualised(series: Series, year: int, through: dt.date, full: set[int],
               sup: Suppression = NO_SUPPRESSION) -> Finding | None:
    """A partial year, scaled to a whole year, against the full year before (method stated)."""
    a, b = series.counts.get(year - 1), series.counts.get(year)
    if year - 1 not in full or a is None or b is None or a + b == 0:
        return None
    label = period_label(year, through)
    if sup.any_hidden(a, b):
        return _masked(series, "annualised", year, [f"{sup.count(b)} i {label}",
                                                    f"{sup.count(a)} i {year - 1}"],
                       sup.count(b), True)
    days, days_in_year = _days_counted(through)
    change = poisson_change(a, b, exposure_before=1.0, exposure_after=days / days_in_year)
    estimate = b * days_in_year / days
    text = (f"{series.topic}: {number(b)} i {label}. Omregnet til et helt år "
            f"({number(b)} × {days_in_year}/{days} dager) tilsvarer det om lag "
            f"{number(estimate)}, mot {number(a)} i {year - 1}; {_partial_verdict(change)} "
            f"({p_text(change.p_value)}). Omregningen forutsetter at forholdene fordeler seg "
            f"jevnt over året.")
    return _finding(series, "annualised", year, text, change, estimate - a, partial=True)


def _partial_findings(series: Series, year: int, spans: dict, full: set[int],
                      sup: Suppression) -> list[Finding | None]:
    through = spans[year]
    same = [y for y, t in spans.items()
            if y < year and t is not None and (t.month, t.day) == (through.month, through.day)]
    if same:
        return [same_period(series, year, max(same), through, sup)]
    return [annualised(series, year, through, full, sup)]


def count_findings(frame: pd.DataFrame, year: int | None = None,
                   sup: Suppression = NO_SUPPRESSION) -> list[Finding]:
    """Every finding for ``year`` (default: the latest), ranked.

    For a full year: against the year before and against the three-year average.  For a partial
    year: the partial-year comparison, plus both comparisons for the latest full year before it.
    """
    spans = periods(frame)
    if not spans:
        return []
    year = max(spans) if year is None else year
    if year not in spans:
        return []
    full = {y for y, t in spans.items() if t is None}
    full_year = year if year in full else max((y for y in full if y < year), default=None)
    found: list[Finding | None] = []
    for series in count_series(frame, list(spans)):
        if full_year is not None:
            found += [year_on_year(series, full_year, full, sup),
                      against_three_years(series, full_year, full, sup)]
        if spans[year] is not None:
            found += _partial_findings(series, year, spans, full, sup)
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


def national_differences(rates: pd.DataFrame, region: str, nation: str) -> list[Finding]:
    """Crime types whose rate per 1 000 aged 10–17 differs from the rest of the country more
    than chance, larger differences first.

    ``rates``: region, year, crime_type, offences, persons_10_17, per_1000.  The latest full
    year both have; the region is tested against the rest of the country (exact Poisson test
    with the populations as exposures).
    """
    rates = rates.dropna(subset=["per_1000"])
    mine, land = rates[rates["region"] == region], rates[rates["region"] == nation]
    common = sorted(set(mine["year"]) & set(land["year"]))
    if not common or region == nation:
        return []
    year = int(common[-1])
    both = mine[mine["year"] == year].merge(land[land["year"] == year], on="crime_type",
                                            suffixes=("", "_land"))
    found = []
    for r in both.itertuples(index=False):
        if r.crime_type == TOTAL or r.per_1000_land <= 0:
            continue
        change = poisson_change(int(r.offences_land - r.offences), int(r.offences),
                                float(r.persons_10_17_land - r.persons_10_17),
                                float(r.persons_10_17))
        if not change.significant:
            continue
        diff = (r.per_1000 / r.per_1000_land - 1) * 100
        sentence = (f"{r.crime_type}: {number(r.per_1000, 1)} per 1 000 unge mot "
                    f"{number(r.per_1000_land, 1)} i landet ({year}), "
                    f"{number(abs(diff))} % {'høyere' if diff > 0 else 'lavere'}.")
        found.append(Finding(str(r.crime_type), "crime_type", "vs_national", year, sentence,
                             significant=True, direction=change.direction,
                             p_value=change.p_value, size=diff,
                             headline=number(r.per_1000, 1), ref=str(r.crime_type)))
    return ranked(found)
