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
* **Rates** (``per 1 000``, ``per 10 000``, ``per 100 000``; frames shaped like the
  ``indicator_values`` view, with ``value`` and ``unit``): judged when the denominator is known
  for both figures (``respondents``: the nevner, the population, or the effective denominator
  the confidence limits give, see ``etl/readers/ungdata.py``): the counts behind the rates
  (rate × denominator ÷ scale) by the exact conditional Poisson test, since the previous survey
  and against the country.  Otherwise, and for every other unit (index, mean …), the figures
  are stated with «ikke vurdert» and the reason (``Finding.caveat``, which a text that lists
  many figures says once: :func:`caveat_note`).
* **Many comparisons**: the p-values of every tested comparison of one report or view, shares
  and rates together, are adjusted by Benjamini-Hochberg before any is called real.
* Every figure is written in its unit (``12,5 %``, ``14,0 per 1 000``): never a percent sign on
  a figure that is not a share.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import SimpleNamespace

import pandas as pd

from analysis.comparisons import ACROSS_PENAL_CODE_ONCE, WHY_BORDERS, WHY_PENAL_CODE
from analysis.finding import Finding
from analysis.format import PERCENT, amount, listing, number, percent, signed
from analysis.stats import bh_adjusted_with, binomial_test, fisher_exact_p, poisson_change

ALPHA = 0.05
NATION = "Hele landet"
KEY = ["region", "indicator", "school_level", "grade"]
COLUMNS = KEY + ["period", "year", "gender", "percent", "respondents", "suppressed"]
NO_N = "Antall som svarte er ikke oppgitt, så vi kan ikke si om {what} er større enn " \
       "tilfeldig variasjon."
RATE_SCALES = {"per 1 000": 1_000, "per 10 000": 10_000, "per 100 000": 100_000}
NO_DENOMINATOR = ("ikke vurdert: filen oppgir verken nevner, befolkning eller konfidensgrenser, "
                  "så vi kan ikke si om {what} er større enn tilfeldig variasjon")
NOT_A_RATE = ("ikke vurdert: enheten «{unit}» er verken en andel eller en rate, så vi kan ikke "
              "si om {what} er større enn tilfeldig variasjon")
# Why a figure has no verdict (``Finding.why``): each kind is said once by :func:`caveat_note`.
WHY_NO_N, WHY_NO_DENOMINATOR, WHY_NOT_A_RATE = "respondents", "denominator", "unit"


def period_span(label: str) -> int:
    """Years a period label covers: ``2022/23-2024/25`` → 3, ``2022_2024`` → 3, ``2024`` → 1."""
    school = re.fullmatch(r"\s*(\d{4})/\d{2}\s*-\s*(\d{4})/\d{2}\s*", str(label))
    if school:
        return int(school[2]) - int(school[1]) + 1
    plain = re.fullmatch(r"\s*(\d{4})\s*[-_–]\s*(\d{4})\s*", str(label))
    if plain:
        return int(plain[2]) - int(plain[1]) + 1
    return 1


def figures(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame shaped like ``indicator_values`` (``value``, ``unit``) or like the ``ungdata``
    view (``percent``, no unit) in the shape the functions here read: the figure in
    ``percent`` whatever its unit, and ``unit`` (``prosent`` for the ``ungdata`` view)."""
    if "percent" not in frame and "value" in frame:
        frame = frame.rename(columns={"value": "percent"})
    return frame if "unit" in frame else frame.assign(unit=PERCENT)


def usable(frame: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Published totals, up to ``year`` (rows without a stated year are kept)."""
    frame = figures(frame)
    if frame.empty:
        frame = frame.reindex(columns=list(dict.fromkeys([*COLUMNS, *frame.columns])))
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


def _national_row(national: pd.DataFrame, row):
    """The country's figure for ``row``'s indicator, school level, grade, period (and unit, when
    the frames have one), or None."""
    match = national[(national.indicator == row.indicator)
                     & (national.school_level == row.school_level)
                     & (national.grade == row.grade) & (national.period == row.period)]
    if "unit" in match and getattr(row, "unit", None) is not None:
        match = match[match.unit == row.unit]
    return None if match.empty else match.iloc[0]


def _national_value(national: pd.DataFrame, row) -> float | None:
    match = _national_row(national, row)
    return None if match is None else float(match.percent)


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
        caveat = NO_N.format(what="forskjellen")
        return Finding(label, family, "vs_national", int(row.year), f"{head}. {caveat}",
                       tested=False, size=size, caveat=caveat, why=WHY_NO_N, unit=PERCENT,
                       headline=percent(row.percent), ref=row.indicator,
                       compared=f"{row.region} mot landet, {row.period}",
                       figures=f"{percent(row.percent)} mot {percent(nat)}", period=row.period)
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
                   p_value=p_value, size=size, headline=percent(row.percent), unit=PERCENT,
                   ref=row.indicator, q_value=q_value,
                   compared=f"{row.region} mot landet, {row.period}",
                   figures=f"{percent(row.percent)} mot {percent(nat)}", period=row.period)


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
        caveat = NO_N.format(what="endringen")
        sentence = (f"{where}: {percent(b)} i {pb} mot {percent(a)} i {pa} "
                    f"({signed(round(b, 1) - round(a, 1), 1)} prosentpoeng). {caveat}")
        return Finding(label, family, "since_previous", int(latest.year), sentence,
                       tested=False, size=b - a, caveat=caveat, why=WHY_NO_N, unit=PERCENT,
                       headline=percent(b),
                       ref=latest.indicator,
                       compared=f"{latest.region}, {pb} mot {pa}",
                       figures=f"{percent(b)} mot {percent(a)}", period=pb)
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
                   p_value=p_value, size=b - a, headline=percent(b), unit=PERCENT,
                   ref=latest.indicator,
                   q_value=q_value, compared=f"{latest.region}, {pb} mot {pa}",
                   figures=f"{percent(b)} mot {percent(a)}", period=pb)


def _made(frame: pd.DataFrame, national: pd.DataFrame, catalogue: pd.DataFrame,
          year: int | None) -> list:
    """(make(q) -> Finding) for every comparison of :func:`survey_findings`, rates first."""
    labels = _labels(catalogue)
    (frame, others), (national, other_nation) = split_units(frame), split_units(national)
    rows, nation = usable(frame, year), usable(national, year)
    # (make(q) -> Finding) for every comparison, rates first
    made: list = rate_comparisons(usable(others, year), usable(other_nation, year), labels)
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
    return made


SurveyPass = tuple[list, list[Finding]]


def survey_pass(frame: pd.DataFrame, national: pd.DataFrame, catalogue: pd.DataFrame,
                year: int | None = None) -> SurveyPass:
    """Every comparison of :func:`survey_findings` (its maker, and the finding judged alone,
    not yet adjusted): made once when both :func:`survey_p_values` and
    :func:`survey_findings` are asked (``done``)."""
    if frame.empty:
        return [], []
    made = _made(frame, national, catalogue, year)
    return made, [make(None) for make in made]


def survey_p_values(frame: pd.DataFrame, national: pd.DataFrame, catalogue: pd.DataFrame,
                    year: int | None = None, done: SurveyPass | None = None) -> list[float]:
    """The raw p-values of :func:`survey_findings`' tested comparisons: what a plan's survey
    goals are adjusted together with.  ``done``: the :func:`survey_pass`, when made."""
    _, first = survey_pass(frame, national, catalogue, year) if done is None else done
    return [f.p_value for f in first if f.tested]


def survey_findings(frame: pd.DataFrame, national: pd.DataFrame, catalogue: pd.DataFrame,
                    year: int | None = None, alongside: Sequence[float] = (),
                    done: SurveyPass | None = None) -> list[Finding]:
    """Findings for every region and indicator in ``frame`` (national rows in ``national``),
    judged together: the p-values of all tested comparisons (and ``alongside``: the raw
    p-values of the plan's survey goals) are adjusted by Benjamini-Hochberg before any is
    called real.  Nothing when ``frame`` is empty (the region has no survey figures: most
    regions a server is asked about, so the country's rows are not read for nothing).
    ``done``: the :func:`survey_pass` of the same arguments, when already made."""
    made, first = survey_pass(frame, national, catalogue, year) if done is None else done
    tested = [i for i, f in enumerate(first) if f.tested]
    q = dict(zip(tested, bh_adjusted_with([first[i].p_value for i in tested], alongside)))
    return [made[i](q[i]) if i in q else f for i, f in enumerate(first)]


def _table_row(row, prev, nation: pd.DataFrame, labels: dict) -> list[str]:
    nat, unit = _national_value(nation, row), row.unit
    return [row.region, labels.get(row.indicator, (row.indicator,))[0],
            "" if row.grade == "Ikke oppgitt" else row.grade, str(row.period),
            amount(row.percent, unit), amount(nat, unit) if nat is not None else "–",
            "–" if prev is None else f"{amount(prev.percent, unit)} ({prev.period})"]


def value_column(frame: pd.DataFrame) -> str:
    """The heading of the figures' column: «Andel» when every figure is a share, otherwise
    «Verdi» (each figure then carries its unit)."""
    units = set(figures(frame).unit.dropna())
    return "Andel" if units <= {PERCENT} else "Verdi"


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
        grade_text, unit = ("" if grade == "Ikke oppgitt" else grade), group.unit.iloc[0]
        dated = group[group.year.notna()]
        if not dated.empty:
            latest = dated.sort_values("year").groupby("region").tail(1).set_index("region")
            # the period most of the regions have; of equally common ones the latest
            common = (latest.groupby("period")["year"].agg(["size", "max"])
                      .sort_values(["size", "max"], ascending=False).index[0])
            cells = [_cell(latest.loc[r] if r in latest.index else None, common, unit)
                     for r in regions]
            nat = _national_value(nation, SimpleNamespace(
                indicator=indicator, school_level=_level, grade=grade, period=common))
            out.append([label, grade_text, str(common), *cells,
                        amount(nat, unit) if nat is not None else "–"])
        for period, undated in group[group.year.isna()].groupby("period", sort=True):
            by_region = undated.drop_duplicates("region").set_index("region")
            out.append([label, grade_text, str(period),
                        *[amount(by_region.loc[r].percent, unit) if r in by_region.index
                          else "–"
                          for r in regions], "–"])
    return ["Indikator", "Trinn", "Periode", *regions, NATION], out


def _cell(row, common, unit: str) -> str:
    if row is None:
        return "–"
    text = amount(row.percent, unit)
    return text if row.period == common else f"{text} ({row.period})"


def split_units(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(percentages, other units) of a frame shaped like ``indicator_values`` or like the
    ``ungdata`` view (all percentages), both as :func:`figures` gives them."""
    frame = figures(frame)
    percent_rows = frame.unit == PERCENT
    return frame[percent_rows], frame[~percent_rows]


def _as_sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}."


def _counts(row, scale: int) -> tuple[int, float] | None:
    """(the count behind a rate, its denominator), or None when the denominator is unknown."""
    n = _respondents(row)
    return None if not n else (round(float(row.percent) * n / scale), float(n))


def rate_comparison(row, other, label: str, higher_is_better: bool | None, family: str,
                    kind: str, q_value: float | None = None) -> Finding:
    """A rate (``row``) against an earlier one of the same region (``kind`` since_previous) or
    against the country's (vs_national); «ikke vurdert» with the reason when it cannot be
    judged."""
    unit, b, a = row.unit, float(row.percent), float(other.percent)
    if kind == "since_previous":
        what, compared = "endringen", f"{row.region}, {row.period} mot {other.period}"
        head = (f"{label} i {row.region}{_grade(row)}: {amount(b, unit)} i {row.period} mot "
                f"{amount(a, unit)} i {other.period}")
    else:
        what, compared = "forskjellen", f"{row.region} mot landet, {row.period}"
        head = (f"{label} ({row.period}{_grade(row)}): {amount(b, unit)} i {row.region} mot "
                f"{amount(a, unit)} i landet")
    common = dict(size=(b - a) / a * 100 if a else b - a, headline=amount(b, unit),
                  ref=row.indicator, compared=compared, basis="rate", unit=unit,
                  period=row.period,
                  figures=f"{number(b, 1)} mot {number(a, 1)} {unit}")
    scale = RATE_SCALES.get(unit)
    counts = (_counts(row, scale), _counts(other, scale)) if scale else (None,)
    if None in counts:
        why = WHY_NOT_A_RATE if not scale else WHY_NO_DENOMINATOR
        reason = (NOT_A_RATE.format(unit=unit, what=what) if not scale
                  else NO_DENOMINATOR.format(what=what))
        caveat = _as_sentence(reason)
        return Finding(label, family, kind, int(row.year), f"{head}. {caveat}", tested=False,
                       caveat=caveat, why=why, **common)
    (k_row, n_row), (k_other, n_other) = counts
    change = poisson_change(k_other, k_row, n_other, n_row)
    significant = (change.p_value if q_value is None else q_value) < ALPHA
    if not significant:
        verdict = "innenfor tilfeldig variasjon"
    elif kind == "since_previous":
        verdict = "en reell økning" if b > a else "en reell nedgang"
    else:
        verdict = f"en reell forskjell, {_judgement(b - a, higher_is_better)} enn landet"
    return Finding(label, family, kind, int(row.year), f"{head}, {verdict}.", tested=True,
                   significant=significant, direction=(1 if b > a else -1) * significant,
                   p_value=change.p_value, q_value=q_value, **common)


def rate_comparisons(rows: pd.DataFrame, nation: pd.DataFrame, labels: dict) -> list:
    """(q -> Finding) for every indicator in another unit than percent: its latest figure
    since the previous survey and against the country."""
    made = []
    if rows.empty or "unit" not in rows:
        return made
    for _, series in rows[rows.year.notna()].groupby([*KEY, "unit"], sort=True):
        latest = series.sort_values("year").iloc[-1]
        label, better, linked = labels.get(latest.indicator, (latest.indicator, True, False))
        args = (label, better, "survey_linked" if linked else "survey")
        national = _national_row(nation, latest)
        if national is not None and latest.region != NATION:
            made.append(lambda q, r=latest, o=national, a=args:
                        rate_comparison(r, o, *a, "vs_national", q))
        if (prev := previous_row(series, latest)) is not None:
            made.append(lambda q, r=latest, o=prev, a=args:
                        rate_comparison(r, o, *a, "since_previous", q))
    return made


# What a text that lists many figures without a verdict says once, instead of per figure.
NO_N_ONCE = ("Antall som svarte er ikke oppgitt for andelene uten vurdering, så vi kan ikke si "
             "om forskjellene er større enn tilfeldig variasjon.")
NO_DENOMINATOR_ONCE = ("For ratene uten vurdering oppgir filen verken nevner, befolkning eller "
                       "konfidensgrenser, så vi kan ikke si om forskjellene er større enn "
                       "tilfeldig variasjon.")
NOT_A_RATE_ONCE = ("Tall i {units} er verken andeler eller rater, og vurderes ikke mot "
                   "tilfeldig variasjon.")


def caveat_note(found: list[Finding]) -> str:
    """Why the figures in ``found`` that have no verdict have none, each reason said once (the
    findings' own sentences without it: ``Finding.bare``); empty when every one is judged."""
    untested = [f for f in found if not f.tested]
    whys = {f.why for f in untested}
    units = sorted({f.unit for f in untested if f.why == WHY_NOT_A_RATE})
    parts = ([ACROSS_PENAL_CODE_ONCE] * (WHY_PENAL_CODE in whys)
             + sorted({f.caveat for f in untested if f.why == WHY_BORDERS})
             + [NO_N_ONCE] * (WHY_NO_N in whys)
             + [NO_DENOMINATOR_ONCE] * (WHY_NO_DENOMINATOR in whys))
    if units:
        word = "enheten" if len(units) == 1 else "enhetene"
        parts.append(NOT_A_RATE_ONCE.format(units=f"{word} {listing([f'«{u}»' for u in units])}"))
    return " ".join(parts)
