"""Findings in plain Norwegian: what rose, what fell, what differs from the country.

Pure functions on tidy frames; the change between the last two *full* years only (a partial year
is never compared with a full one).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import format as fmt
from dashboard.components.stats import Change, poisson_change, verdict  # noqa: F401


@dataclass(frozen=True)
class Finding:
    category: str
    year_before: int
    year_after: int
    change: Change
    sentence: str

    @property
    def strength(self) -> float:
        """Ranks findings: real changes first, then by the size of the change."""
        return (1 if self.change.significant else 0, abs(self.change.after - self.change.before))


def full_years(frame: pd.DataFrame) -> list[int]:
    return sorted({int(y) for y in frame.loc[frame["counted_through"].isna(), "year"]})


def change_sentence(label: str, y1: int, y2: int, change: Change) -> str:
    """'Vinning økte fra 107 til 182 (2021–2022): en reell økning.'"""
    a, b = fmt.number(change.before), fmt.number(change.after)
    if change.after > change.before:
        verb = f"økte fra {a} til {b}"
    elif change.after < change.before:
        verb = f"gikk ned fra {a} til {b}"
    else:
        verb = f"var uendret ({b})"
    return f"{label} {verb} ({y1}–{y2}): {verdict(change)}."


def changes(frame: pd.DataFrame, category: str, value: str = "offences",
            skip: tuple[str, ...] = ("Totalt",)) -> list[Finding]:
    """One finding per category for the last two full years, strongest first."""
    years = full_years(frame)
    if len(years) < 2:
        return []
    y1, y2 = years[-2], years[-1]
    found = []
    for cat, rows in frame.groupby(category, sort=False):
        if cat in skip:
            continue
        by_year = rows.set_index("year")[value]
        before, after = by_year.get(y1), by_year.get(y2)
        if before is None or after is None or pd.isna(before) or pd.isna(after) \
                or before + after == 0:
            continue
        change = poisson_change(int(before), int(after))
        found.append(Finding(str(cat), y1, y2, change,
                             change_sentence(str(cat), y1, y2, change)))
    return sorted(found, key=lambda f: f.strength, reverse=True)


def total_finding(frame: pd.DataFrame, region: str) -> Finding | None:
    """The change in the 'Totalt' row between the last two full years."""
    total = frame[frame["crime_type"] == "Totalt"] if "crime_type" in frame else frame
    found = changes(total.assign(_c="Alle"), "_c", skip=())
    if not found:
        return None
    f = found[0]
    return Finding(region, f.year_before, f.year_after, f.change,
                   change_sentence(f"U18-forhold i {region}", f.year_before, f.year_after,
                                   f.change))


def chart_title(findings: list[Finding], fallback: str) -> str:
    """The strongest real change, or a plain statement that nothing stands out."""
    real = [f for f in findings if f.change.significant]
    if real:
        return real[0].sentence.rstrip(".")
    if findings:
        f = findings[0]
        return (f"Ingen krimtype endret seg mer enn tilfeldig variasjon "
                f"fra {f.year_before} til {f.year_after}")
    return fallback


def survey_differences(frame: pd.DataFrame, threshold: float = 3.0) -> list[dict]:
    """Indicators where the region differs from the country by ≥ threshold percentage points.

    ``frame`` from :func:`dashboard.queries.ungdata_latest`; 'worse' respects higher_is_better.
    """
    out = []
    for row in frame.itertuples(index=False):
        diff = row.percent - row.national
        if abs(diff) < threshold:
            continue
        worse = (diff < 0) == bool(row.higher_is_better)
        word = "høyere" if diff > 0 else "lavere"
        out.append({"indicator": row.indicator, "label": row.label, "diff": diff, "worse": worse,
                    "sentence": f"{row.label}: {fmt.percent(row.percent)} mot "
                                f"{fmt.percent(row.national)} i landet ({row.period}), "
                                f"{fmt.number(abs(diff), 1)} prosentpoeng {word}."})
    return sorted(out, key=lambda d: abs(d["diff"]), reverse=True)


def national_differences(rates: pd.DataFrame, region: str, nation: str) -> list[str]:
    """Crime types whose rate per 1 000 differs from the rest of the country more than chance.

    ``rates``: region, year, crime_type, offences, persons_10_17, per_1000.  The latest full
    year both have; the region is tested against the rest of the country (exact Poisson test
    with the populations as exposures).
    """
    rates = rates.dropna(subset=["per_1000"])
    mine, land = rates[rates["region"] == region], rates[rates["region"] == nation]
    common = sorted(set(mine["year"]) & set(land["year"]))
    if not common or region == nation:
        return []
    year = common[-1]
    both = mine[mine["year"] == year].merge(land[land["year"] == year], on="crime_type",
                                            suffixes=("", "_land"))
    out = []
    for r in both.itertuples(index=False):
        if r.crime_type == "Totalt" or r.per_1000_land <= 0:
            continue
        change = poisson_change(int(r.offences_land - r.offences), int(r.offences),
                                float(r.persons_10_17_land - r.persons_10_17),
                                float(r.persons_10_17))
        if not change.significant:
            continue
        diff = (r.per_1000 / r.per_1000_land - 1) * 100
        out.append((abs(diff), f"{r.crime_type}: {fmt.number(r.per_1000, 1)} per 1 000 unge mot "
                    f"{fmt.number(r.per_1000_land, 1)} i landet ({year}), "
                    f"{fmt.number(abs(diff))} % {'høyere' if diff > 0 else 'lavere'}."))
    return [text for _, text in sorted(out, reverse=True)]
