"""Survey findings (Ungdata, Elevundersøkelsen): the region against the country, and the change
since the previous survey.  Pure functions on frames shaped like the ``ungdata`` view.

Methods
-------
* Only the ``Totalt`` gender and published (not suppressed) percentages are used.
* **Against the national value** (same indicator, school level, grade and period): when the
  number of respondents is known, an exact binomial test of the region's share against the
  national share (the national figure, from a far larger sample, is taken as fixed) with the
  exact (Clopper-Pearson) 95 % interval of the region's share.  When it is not known, the two
  values are stated with the plain caveat that we cannot tell whether the difference is larger
  than chance.
* **Since the previous survey**: the latest period against the latest earlier period that does
  not overlap it (three-year moving averages such as ``2022/23-2024/25`` are compared with the
  period three years earlier, never with the overlapping one).  With respondents known for both:
  Fisher's exact test on the two shares; otherwise the same plain caveat.
* Rows whose year the source does not state (``year`` NULL) are shown in the table but never
  compared over time.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd

from analysis.findings import Finding
from analysis.format import number, percent, signed
from analysis.stats import bh_adjusted, binomial_test, fisher_exact_p

ALPHA = 0.05
NATION = "Hele landet"
KEY = ["region", "indicator", "school_level", "grade"]
COLUMNS = KEY + ["period", "year", "gender", "percent", "respondents", "suppressed"]
NO_N = "Antall som svarte er ikke oppgitt, så vi kan ikke si om {what} er større enn " \
       "tilfeldig variasjon."


def period_span(label: str) -> int:
    """Years a period label covers: ``2022/23-2024/25`` → 3, ``2022_2024`` → 3, ``2024`` → 1."""
    school = re.fullmatch(r"\s*(\d{4})/\d{2}\s*-\s*(\d{4})/\d{2}\s*", str(label))
    if school:
        return int(school[2]) - int(school[1]) + 1
    plain = re.fullmatch(r"\s*(\d{4})\s*[-_–]\s*(\d{4})\s*", str(label))
    if plain:
        return int(plain[2]) - int(plain[1]) + 1
    return 1


def usable(frame: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Published totals, up to ``year`` (rows without a stated year are kept)."""
    if frame.empty:
        frame = frame.reindex(columns=COLUMNS)
    rows = frame[(frame.gender == "Totalt") & ~frame.suppressed.astype(bool)
                 & frame.percent.notna()]
    if year is not None:
        rows = rows[rows.year.isna() | (rows.year <= year)]
    return rows


def _grade(row) -> str:
    return "" if row.grade == "Ikke oppgitt" else f", {row.grade}"


def _respondents(row) -> int | None:
    value = getattr(row, "respondents", None)
    return None if value is None or pd.isna(value) else int(value)


def _labels(catalogue: pd.DataFrame) -> dict[str, tuple[str, bool | None, bool]]:
    """indicator → (label, higher_is_better (None: not catalogued yet), linked to a police
    crime type)."""
    return {r.indicator: (r.label, None if pd.isna(r.higher_is_better) else bool(
        r.higher_is_better), len(list(r.crime_types)) > 0)
            for r in catalogue.itertuples(index=False)}


def _national_value(national: pd.DataFrame, row) -> float | None:
    match = national[(national.indicator == row.indicator)
                     & (national.school_level == row.school_level)
                     & (national.grade == row.grade) & (national.period == row.period)]
    return None if match.empty else float(match.percent.iloc[0])


def _judgement(diff: float, higher_is_better: bool | None) -> str:
    if higher_is_better is None:  # an indicator whose direction nobody has catalogued
        return "høyere" if diff > 0 else "lavere"
    return "gunstigere" if (diff > 0) == higher_is_better else "ugunstigere"


def versus_national(row, nat: float, label: str, higher_is_better: bool,
                    family: str, q_value: float | None = None) -> Finding:
    """One region-period against the national value for the same period."""
    head = (f"{label} ({row.period}{_grade(row)}): {percent(row.percent)} i {row.region} mot "
            f"{percent(nat)} i landet")
    n = _respondents(row)
    size = float(row.percent - nat)
    if n is None:
        return Finding(label, family, "vs_national", int(row.year),
                       f"{head}. {NO_N.format(what='forskjellen')}", tested=False, size=size,
                       headline=percent(row.percent), ref=row.indicator,
                       compared=f"{row.region} mot landet, {row.period}",
                       figures=f"{percent(row.percent)} mot {percent(nat)}")
    p_value, low, high = binomial_test(round(row.percent / 100 * n), n, nat / 100, ALPHA)
    interval = f"95 % konfidensintervall {number(low * 100, 1)}–{number(high * 100, 1)} %"
    significant = (p_value if q_value is None else q_value) < ALPHA
    if significant:
        verdict = f"en reell forskjell, {_judgement(size, higher_is_better)} enn landet"
    else:
        verdict = "innenfor tilfeldig variasjon"
    sentence = f"{head}, {verdict} ({interval}, {number(n)} svar)."
    return Finding(label, family, "vs_national", int(row.year), sentence, tested=True,
                   significant=significant, direction=(1 if size > 0 else -1) * significant,
                   p_value=p_value, size=size, headline=percent(row.percent),
                   ref=row.indicator, q_value=q_value,
                   compared=f"{row.region} mot landet, {row.period}",
                   figures=f"{percent(row.percent)} mot {percent(nat)}")


def previous_row(series: pd.DataFrame, latest) -> object | None:
    """The latest earlier dated row whose period does not overlap ``latest``'s."""
    limit = int(latest.year) - period_span(latest.period)
    earlier = series[series.year.notna() & (series.year <= limit)]
    return None if earlier.empty else earlier.sort_values("year").iloc[-1]


def since_previous(latest, prev, label: str, family: str,
                   q_value: float | None = None) -> Finding:
    """The change in one region's indicator since the previous (non-overlapping) survey."""
    where = f"{label} i {latest.region}{_grade(latest)}"
    a, b = float(prev.percent), float(latest.percent)
    pa, pb = prev.period, latest.period
    na, nb = _respondents(prev), _respondents(latest)
    if na is None or nb is None:
        sentence = (f"{where}: {percent(b)} i {pb} mot {percent(a)} i {pa} "
                    f"({signed(b - a, 1)} prosentpoeng). {NO_N.format(what='endringen')}")
        return Finding(label, family, "since_previous", int(latest.year), sentence,
                       tested=False, size=b - a, headline=percent(b), ref=latest.indicator,
                       compared=f"{latest.region}, {pb} mot {pa}",
                       figures=f"{percent(b)} mot {percent(a)}")
    ka, kb = round(a / 100 * na), round(b / 100 * nb)
    p_value = fisher_exact_p([[kb, nb - kb], [ka, na - ka]])
    significant = (p_value if q_value is None else q_value) < ALPHA
    if significant and b > a:
        sentence = f"{where} økte fra {percent(a)} i {pa} til {percent(b)} i {pb}, en reell " \
                   f"økning."
    elif significant:
        sentence = f"{where} gikk ned fra {percent(a)} i {pa} til {percent(b)} i {pb}, en " \
                   f"reell nedgang."
    else:
        sentence = f"{where}: {percent(b)} i {pb} mot {percent(a)} i {pa}, innenfor " \
                   f"tilfeldig variasjon."
    return Finding(label, family, "since_previous", int(latest.year), sentence, tested=True,
                   significant=significant, direction=(1 if b > a else -1) * significant,
                   p_value=p_value, size=b - a, headline=percent(b), ref=latest.indicator,
                   q_value=q_value, compared=f"{latest.region}, {pb} mot {pa}",
                   figures=f"{percent(b)} mot {percent(a)}")


def survey_findings(frame: pd.DataFrame, national: pd.DataFrame, catalogue: pd.DataFrame,
                    year: int | None = None) -> list[Finding]:
    """Findings for every region and indicator in ``frame`` (national rows in ``national``),
    judged together: the p-values of all tested comparisons are adjusted by Benjamini-Hochberg
    before any is called real."""
    labels = _labels(catalogue)
    rows, nation = usable(frame, year), usable(national, year)
    made: list = []   # (make(q) -> Finding) for every comparison
    for _, series in rows[rows.year.notna()].groupby(KEY, sort=True):
        latest = series.sort_values("year").iloc[-1]
        label, better, linked = labels.get(latest.indicator, (latest.indicator, True, False))
        family = "survey_linked" if linked else "survey"
        nat = _national_value(nation, latest)
        if nat is not None and latest.region != NATION:
            made.append(lambda q, r=latest, v=nat, a=(label, better, family):
                        versus_national(r, v, *a, q_value=q))
        prev = previous_row(series, latest)
        if prev is not None:
            made.append(lambda q, r=latest, o=prev, a=(label, family):
                        since_previous(r, o, *a, q_value=q))
    first = [make(None) for make in made]
    tested = [i for i, f in enumerate(first) if f.tested]
    q = dict(zip(tested, bh_adjusted([first[i].p_value for i in tested])))
    return [made[i](q[i]) if i in q else f for i, f in enumerate(first)]


def _table_row(row, prev, nation: pd.DataFrame, labels: dict) -> list[str]:
    nat = _national_value(nation, row)
    return [row.region, labels.get(row.indicator, (row.indicator,))[0],
            "" if row.grade == "Ikke oppgitt" else row.grade, str(row.period),
            percent(row.percent), percent(nat) if nat is not None else "–",
            "–" if prev is None else f"{percent(prev.percent)} ({prev.period})"]


def survey_table(frame: pd.DataFrame, national: pd.DataFrame, catalogue: pd.DataFrame,
                 year: int | None = None) -> list[list[str]]:
    """Rows for the report's Ungdata table: per region and indicator the latest dated figure
    (with the previous survey) and every figure whose year the source does not state."""
    labels = _labels(catalogue)
    rows, nation = usable(frame, year), usable(national, year)
    out = []
    for _, series in rows.groupby(KEY, sort=True):
        dated = series[series.year.notna()].sort_values("year")
        if not dated.empty:
            latest = dated.iloc[-1]
            out.append(_table_row(latest, previous_row(dated, latest), nation, labels))
        for _, undated in series[series.year.isna()].iterrows():
            out.append(_table_row(undated, None, nation, labels))
    return out


def side_by_side(frame: pd.DataFrame, national: pd.DataFrame, catalogue: pd.DataFrame,
                 regions: list[str], year: int | None = None) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a table with one row per indicator (school level, grade) and one
    column per region in ``regions`` plus the country: each region's latest dated figure, with
    its period when it differs from the row's; figures whose year the source does not state get
    rows of their own.  Percentages of several kommuner are never summed."""
    labels = _labels(catalogue)
    rows, nation = usable(frame, year), usable(national, year)
    out = []
    keys = ["indicator", "school_level", "grade"]
    for (indicator, _level, grade), group in rows.groupby(keys, sort=True):
        label = labels.get(indicator, (indicator,))[0]
        grade_text = "" if grade == "Ikke oppgitt" else grade
        dated = group[group.year.notna()]
        if not dated.empty:
            latest = dated.sort_values("year").groupby("region").tail(1).set_index("region")
            # the period most of the regions have; of equally common ones the latest
            common = (latest.groupby("period")["year"].agg(["size", "max"])
                      .sort_values(["size", "max"], ascending=False).index[0])
            cells = [_cell(latest.loc[r] if r in latest.index else None, common)
                     for r in regions]
            nat = _national_value(nation, SimpleNamespace(
                indicator=indicator, school_level=_level, grade=grade, period=common))
            out.append([label, grade_text, str(common), *cells,
                        percent(nat) if nat is not None else "–"])
        for period, undated in group[group.year.isna()].groupby("period", sort=True):
            by_region = undated.drop_duplicates("region").set_index("region")
            out.append([label, grade_text, str(period),
                        *[percent(by_region.loc[r].percent) if r in by_region.index else "–"
                          for r in regions], "–"])
    return ["Indikator", "Trinn", "Periode", *regions, NATION], out


def _cell(row, common) -> str:
    if row is None:
        return "–"
    text = percent(row.percent)
    return text if row.period == common else f"{text} ({row.period})"
