"""The two police tables in the layout coordinators already use (see the Porsgrunn SLT plan):
crime type × year, and age × year with «Fordeling jenter/gutter» and «Totalt»."""

from __future__ import annotations

import pandas as pd

from analysis.comparisons import NO_SUPPRESSION
from analysis.format import period_label, sort_key
from analysis.series import TOTAL, age_key, missing_breakdowns, periods
from analysis.suppress import Suppression
from etl.vocab import UNKNOWN as UNRECORDED
from report.blocks import Table

NONE = "–"          # the year is in the table but the source has no row: none registered
UNKNOWN = ".."      # the source suppressed the figure
NOT_GIVEN = "ikke oppgitt"  # the source did not give this breakdown for the year: not zero
NOTE = ("– = ingen registrerte forhold. .. = tallet er skjult i kilden. "
        "«ikke oppgitt» = kilden ga ikke denne fordelingen for året (ikke det samme som null). "
        "Et delår (pr. dato) er talt til og med datoen og kan ikke sammenlignes direkte med "
        "et helt år.")


def _series(frame: pd.DataFrame) -> dict[tuple, dict[int, object]]:
    """(crime type, age, gender) → year → offences of the first row of that year: every series
    of the frame in one pass over plain Python values (filtering the frame once per table row
    cost more than the rest of a table)."""
    out: dict[tuple, dict[int, object]] = {}
    columns = (frame[c].tolist() for c in ("crime_type", "age", "gender", "year", "offences"))
    for crime, age, gender, year, value in zip(*columns):
        out.setdefault((crime, age, gender), {}).setdefault(int(year), value)
    return out


def _cell(by_year: dict[int, object], year: int, sup: Suppression) -> tuple[str, object]:
    """(display, csv value) of the one figure for ``year`` (one series of :func:`_series`)."""
    if year not in by_year:
        return NONE, 0
    value = by_year[year]
    if pd.isna(value):
        return UNKNOWN, ""
    value = int(value)
    return sup.count(value), (f"<{sup.threshold}" if sup.hidden(value) else value)


def _row(label: str, by_year: dict[int, object], years: list[int], sup: Suppression,
         not_given: frozenset[int] = frozenset()):
    cells = [(NOT_GIVEN, "") if y in not_given else _cell(by_year, y, sup) for y in years]
    return [label] + [c[0] for c in cells], [label] + [c[1] for c in cells]


def not_given(frame: pd.DataFrame, breakdown: str,
              missing: dict[int, list[str]] | None = None) -> frozenset[int]:
    """Years the source did not give ``breakdown`` (``krimtype``, ``kjønn``, ``alder``) for, as
    :func:`analysis.series.not_given`; ``missing``: :func:`analysis.series.missing_breakdowns`
    of ``frame`` when the caller has it (:attr:`report.data.ReportData.missing`)."""
    missing = missing_breakdowns(frame) if missing is None else missing
    return frozenset(y for y, names in missing.items() if breakdown in names)


def year_header(frame: pd.DataFrame, years: list[int], spans: dict | None = None) -> list[str]:
    """The years as column headings, a partial year with its counting date; ``spans``:
    ``periods(frame)`` when the caller has it (:attr:`report.data.ReportData.spans`)."""
    spans = periods(frame) if spans is None else spans
    return [period_label(y, spans.get(y)) for y in years]


def crime_type_table(frame: pd.DataFrame, region: str, years: list[int],
                     sup: Suppression = NO_SUPPRESSION,
                     missing: dict[int, list[str]] | None = None,
                     spans: dict | None = None) -> Table:
    series = _series(frame)
    crimes = sorted({c for c, a, g in series if a == TOTAL and g == TOTAL} - {TOTAL},
                    key=sort_key) + [TOTAL]
    unknown = not_given(frame, "krimtype", missing)
    rows, csv_rows = [], []
    for crime in crimes:
        shown, plain = _row(crime, series.get((crime, TOTAL, TOTAL), {}), years, sup,
                            unknown if crime != TOTAL else frozenset())
        rows.append(shown)
        csv_rows.append(plain)
    return Table("krimtype", f"{region} – registrerte U18-forhold per krimtype",
                 ["Krimtype"] + year_header(frame, years, spans), rows, csv_rows, NOTE,
                 total_last=True)


def _gender_split(series: dict[tuple, dict[int, object]], years: list[int], sup: Suppression,
                  not_given: frozenset[int]):
    girls, boys = (series.get((TOTAL, TOTAL, g), {}) for g in ("Jenter", "Gutter"))
    girls = [_cell(girls, y, sup) for y in years]
    boys = [_cell(boys, y, sup) for y in years]
    label = "Fordeling jenter/gutter"
    return ([label] + [NOT_GIVEN if y in not_given else f"{g[0]}/{b[0]}"
                       for y, g, b in zip(years, girls, boys)],
            [label] + [NOT_GIVEN if y in not_given else f"{g[1]}/{b[1]}"
                       for y, g, b in zip(years, girls, boys)])


def age_gender_table(frame: pd.DataFrame, region: str, years: list[int],
                     sup: Suppression = NO_SUPPRESSION,
                     missing: dict[int, list[str]] | None = None,
                     spans: dict | None = None) -> Table:
    series = _series(frame)
    # the oldest first, as the police's tables; an age the police did not record last
    ages = sorted({a for c, a, g in series if c == TOTAL and g == TOTAL} - {TOTAL},
                  key=lambda a: (a == UNRECORDED, -age_key(a)))
    rows, csv_rows = [], []
    no_ages, no_genders = not_given(frame, "alder", missing), not_given(frame, "kjønn", missing)
    for age in ages:
        label = f"{age} alder" if age == UNRECORDED else age
        shown, plain = _row(label, series[(TOTAL, age, TOTAL)], years, sup, no_ages)
        rows.append(shown)
        csv_rows.append(plain)
    parts = [_gender_split(series, years, sup, no_genders)]
    if (unrecorded := series.get((TOTAL, TOTAL, UNRECORDED))) is not None:  # in the total
        parts.append(_row(f"{UNRECORDED} kjønn", unrecorded, years, sup, no_genders))
    for shown, plain in (*parts, _row(TOTAL, series.get((TOTAL, TOTAL, TOTAL), {}), years, sup)):
        rows.append(shown)
        csv_rows.append(plain)
    return Table("alder_kjonn", f"{region} – U18-forhold fordelt på alder og kjønn",
                 ["Alder ved gjerning"] + year_header(frame, years, spans), rows, csv_rows,
                 NOTE + " En person kan telles flere ganger, én gang per forhold.",
                 total_last=True)
