"""Count series of one region's police figures: the total, crime types, girls/boys and ages,
per year, with what the source did not give (``ikke oppgitt``, never 0) and what it hid (None).

Input is a frame shaped like the ``u18_offences`` view for one region (``year, counted_through,
crime_type, age, gender, offences`` and, where given, ``offenders``).  The findings engine
(:mod:`analysis.findings`) compares these series; the report's tables read the same gaps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analysis.format import missing, sort_key
from etl.vocab import AGES

TOTAL = "Totalt"


@dataclass(frozen=True)
class Series:
    topic: str
    family: str
    counts: dict[int, int | None]
    ref: str = ""        # the crime type, age or gender the series is of (``Totalt`` for all)
    missing: frozenset[int] = field(default_factory=frozenset)  # years the source did not give
    offenders: dict[int, int | None] = field(default_factory=dict)  # persons, where given

    def known(self, year: int) -> int | None:
        """The count of ``year``; None when hidden in the source or not given."""
        return None if year in self.missing else self.counts.get(year)

    def known_offenders(self, year: int) -> int | None:
        """The number of offenders of ``year``; None when the source did not give it."""
        return None if year in self.missing else self.offenders.get(year)


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
    # Each age (not an unknown one: it counts in every total, and is no age's series)
    ages = where(1, crime=0, gender=2) & set(AGES)
    specs += [("age", a, TOTAL, a, TOTAL) for a in sorted(ages, key=age_key)]
    return specs


def _is_total(value) -> bool:
    return isinstance(value, str) and value == TOTAL


def age_key(age: str) -> int:
    """The order of ages: ``<10``, ``10`` … ``17``, then any other (``Ukjent``)."""
    return -1 if age.startswith("<") else int(age) if age.isdigit() else 1000


def count_series(frame: pd.DataFrame, years: list[int] | None = None) -> list[Series]:
    """Total, crime types, girls/boys and ages.  A year whose breakdown has rows but none for
    a category counts it as 0 (a blank cell in a police table means none); a year with no row
    at all of a breakdown (the source gave only another table) leaves the whole breakdown
    unknown that year (``Series.missing``); a NULL (suppressed in the source) is None.
    ``years``: the frame's years when the caller has them (``list(periods(frame))``)."""
    years = list(periods(frame)) if years is None else years
    # One pass over the rows, grouped by series (a boolean filter per series cost ~1 ms each,
    # ~30 per dashboard view); within a series the rows keep the frame's order.
    # Plain Python lists first: iterating arrow-backed columns converts each cell on its own.
    rows: dict[tuple, list[tuple]] = {}
    columns = [frame[c].tolist() for c in ("crime_type", "age", "gender", "year", "offences")]
    persons = frame["offenders"].tolist() if "offenders" in frame else [None] * len(frame)
    for crime, age, gender, year, value, offenders in zip(*columns, persons):
        rows.setdefault((crime, age, gender), []).append((year, value, offenders))
    given = _given_years(rows)
    out = []
    for family, label, crime, age, gender in _specs(rows):
        counts: dict[int, int | None] = {y: 0 for y in years}
        offenders: dict[int, int | None] = {}
        for year, value, persons_ in rows.get((crime, age, gender), ()):
            counts[int(year)] = None if missing(value) else int(value)
            if not missing(persons_):
                offenders[int(year)] = int(persons_)
        unknown = frozenset(y for y in years if y not in given.get(family, set(years)))
        out.append(Series(_topic(family, label), family, counts, label, unknown, offenders))
    return out


def _given_years(rows: dict[tuple, list[tuple]]) -> dict[str, set[int]]:
    """family → the years in which the source gave that breakdown (at least one row)."""
    given: dict[str, set[int]] = {"crime_type": set(), "gender": set(), "age": set()}
    for (crime, age, gender), values in rows.items():
        family = ("crime_type" if not _is_total(crime) and _is_total(age) and _is_total(gender)
                  else "gender" if _is_total(crime) and _is_total(age) and not _is_total(gender)
                  else "age" if _is_total(crime) and not _is_total(age) and _is_total(gender)
                  else None)
        if family:
            given[family] |= {int(row[0]) for row in values}
    return given


def missing_breakdowns(frame: pd.DataFrame, up_to: int | None = None) -> dict[int, list[str]]:
    """year → the breakdowns (``krimtype``, ``kjønn``, ``alder``) the source did not give for
    that year, where it gave them for other years: «ikke oppgitt», never 0."""
    names = {"crime_type": "krimtype", "gender": "kjønn", "age": "alder"}
    out: dict[int, list[str]] = {}
    seen = set()
    for series in count_series(frame):
        if series.family in names and series.family not in seen:
            seen.add(series.family)
            for year in sorted(series.missing):
                if up_to is None or year <= up_to:
                    out.setdefault(year, []).append(names[series.family])
    return out


def not_given(frame: pd.DataFrame, breakdown: str) -> frozenset[int]:
    """Years the source did not give ``breakdown`` (``krimtype``, ``kjønn``, ``alder``) for."""
    return frozenset(y for y, names in missing_breakdowns(frame).items() if breakdown in names)
