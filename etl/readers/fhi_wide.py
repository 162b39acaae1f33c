"""FHI Kommunehelsa / Oppvekstprofil tables as the statistics bank's «Last ned» gives them (CSV,
or the same layout in a workbook): years or periods as columns.

    Fornøyd med livet                      <- title (names a new indicator)
    andel (prosent), standardisert         <- unit line (etl/vocab/units.csv)
    Variabler i filter:                    <- optional block: one «Name: value» per line
    Kjønn: kjønn samlet
    ;;2019-2021;2020-2022;2021-2023        <- period row (may be the key row itself)
    Geografi;Trinn;andel;andel;andel       <- key columns (region and a second key), measures
    Porsgrunn;Ungdomsskole;..;66,0;:       <- kommune names without numbers; .. : blank = hidden

Key columns and filter names get their roles from ``etl/vocab/fhi_columns.csv``; any other key
column or filter is a category of the indicator (with the title, it names the indicator when
``etl/vocab/fhi_indicators.csv`` does not; without a title the category columns' headers do),
and so is an age band in the grade's role (``Alder: 15-29 år``: not a school level).  A table
that states no unit is refused: a figure never becomes a percent by accident; a table that
states percent keeps its figures as written (0,8 is 0,8 %, never a fraction ×100).  ``.`` means
no figure exists and stores nothing; a dash is no figure (suppressed, never 0).  One indicator
in several measures (``andel`` and ``antall``, or a Måltall column with more than one) is
refused: the user downloads one.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from etl.errors import IngestError
from etl.indicators import known_unit
from etl.readers.common import Where
from etl.readers.stat_text import (
    column_roles,
    decode,
    delimiter_of,
    parse_number,
    split_lines,
)
from etl.readers.survey_cells import (
    age_band_apart,
    category_heading,
    check_one_measure,
    indicator_name,
    survey_symbols,
)
from etl.readers.ungdata import (
    ALIASES,
    FHI_SYMBOLS,
    SOURCE_FHI,
    category_indicator,
    finish,
    measure_part,
    new_fhi_indicator,
    period_year,
)
from etl.readers.ungdata_tables import first_sheet
from etl.vocab import label_key

if TYPE_CHECKING:
    import pandas as pd

PERIOD = re.compile(r"^\d{4}(?:/\d{2})?(?:\s*[-_–]\s*\d{4}(?:/\d{2})?)?$")
FILTER_START = "variabler i filter"
COUNT = "antall"
_FILTER_LINE = re.compile(r"^\s*([^:;]{2,40})\s*[:;]\s*(.+?)\s*$")


@dataclass
class Layout:
    header: int  # index of the key row
    first_value: int  # first value column
    periods: dict[int, str]  # value column -> period label
    measures: dict[int, str]  # value column -> measure text (second header row)
    titles: list[str]
    filters: dict[str, str]


def _cells(line: str, delimiter: str) -> list[str]:
    return [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [])]


def _periods(cells: list[str], start: int, below: list[str] | None = None) -> dict[int, str]:
    """Value column -> period.  A period written once over several columns (the figure, its
    confidence limits …) holds for the blank cells to its right that have a measure in the
    key row ``below``."""
    found, current = {}, None
    for i in range(start, len(cells)):
        if PERIOD.match(cells[i]):
            current = found[i] = cells[i]
        elif cells[i]:
            current = None
        elif current is not None and below is not None and i < len(below) and below[i]:
            found[i] = current
    return found


def _preamble(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Title/unit lines, and the «Variabler i filter» block as name → value."""
    titles, filters, in_filter = [], {}, False
    for line in lines:
        text = line.replace(";", " ").replace('"', "").strip()
        if not text:
            in_filter = False
            continue
        if label_key(text).startswith(FILTER_START):
            in_filter = True
            continue
        if in_filter and (match := _FILTER_LINE.match(line.replace('"', ""))):
            filters[match[1].strip()] = match[2].strip().strip(";").strip()
        else:
            titles.append(text)
    return titles, filters


def find_layout(text: str) -> Layout | None:
    """The table's layout, or None when the text is not such a table."""
    lines = split_lines(text)
    for number, line in enumerate(lines[:40]):
        if not line.strip():
            continue
        delimiter = delimiter_of(line)
        cells = _cells(line, delimiter)
        if "region" not in column_roles(cells, ALIASES)[0]:
            continue
        first = next((i for i, c in enumerate(cells) if i and (
            not c or PERIOD.match(c) or known_unit(c))), len(cells))
        above = _cells(lines[number - 1], delimiter) if number else []
        periods = _periods(cells, first) or _periods(above, first, cells)
        if not periods:
            return None
        measures = {i: cells[i] for i in periods if i < len(cells) and not PERIOD.match(cells[i])
                    and cells[i]}
        titles, filters = _preamble(lines[:number - (0 if _periods(cells, first) else 1)])
        stated = any(known_unit(t) not in (None, COUNT) for t in titles) or any(
            known_unit(m) for m in measures.values() if measure_part(m) is None)
        stated = stated or "measure" in column_roles(cells[:first], ALIASES)[0]
        if not stated and not filters:
            return None  # nothing says it is an FHI table (a police table «Antall …» may look
            # alike: a count alone in a title does not make it one)
        return Layout(number, first, periods, measures, titles, filters)
    return None


def _unit(layout: Layout, file_name: str) -> str:
    figures = [m for m in layout.measures.values() if measure_part(m) is None]
    for text in [*figures, *layout.titles[1:], *layout.titles[:1]]:
        if unit := known_unit(text):
            return unit
    raise IngestError.one(file_name, "tabellen sier ikke hvilken enhet tallene har; forventet "
                                     "en linje som «andel (prosent)», «per 1 000» eller «antall» "
                                     "over tabellen")


def _one_measure_over_periods(layout: Layout, file_name: str, sheet: str | None) -> None:
    """The figures under the periods are of one measure (``andel`` and ``antall`` side by side
    would all be stored in the first one's unit); its confidence limits, teller and nevner may
    stand beside it."""
    figures = {label_key(m): m for m in layout.measures.values() if measure_part(m) is None}
    if len(figures) > 1:
        where = Where(layout.header + 1, layout.first_value, sheet)
        raise IngestError(file_name, [where.problem(
            "tabellen har flere måltall: " + ", ".join(f"«{m}»" for m in figures.values())
            + "; velg ett måltall i FHIs statistikkbank og last ned filen på nytt")])


def read_wide_text(text: str, file_name: str, sheet: str | None = None) -> list[dict]:
    """Records for :func:`etl.readers.ungdata.finish`."""
    layout = find_layout(text)
    if layout is None:
        raise IngestError.one(file_name, "fant ingen FHI-tabell med år eller perioder som "
                                         "kolonner i de første 40 linjene", sheet)
    lines = split_lines(text)
    delimiter = delimiter_of(lines[layout.header])
    key_names = _cells(lines[layout.header], delimiter)[:layout.first_value]
    roles, categories = column_roles(key_names, ALIASES)
    filter_roles, filter_categories = column_roles(list(layout.filters), ALIASES)
    fixed = {role: list(layout.filters.values())[i] for role, i in filter_roles.items()}
    extra = [f"{name}: {layout.filters[name]}" for i, name in enumerate(layout.filters)
             if i in filter_categories]
    title = layout.titles[0] if layout.titles else None
    unit = None if "measure" in roles else _unit(layout, file_name)
    if "measure" not in roles:
        _one_measure_over_periods(layout, file_name, sheet)
    records, bad, beside, measures = [], [], {}, {}
    symbols = survey_symbols(FHI_SYMBOLS)
    for offset, line in enumerate(lines[layout.header + 1:]):
        if not line.strip(" ;,\t\""):
            if records or bad or beside:
                break  # footnotes follow the first blank line after the figures
            continue
        row, number = _cells(line, delimiter), layout.header + offset + 2
        get = {**fixed, **{role: row[i] for role, i in roles.items() if i < len(row)}}
        names = [*extra, *(row[i] for i in categories if i < len(row) and row[i])]
        age_band_apart(get, names)
        indicator = category_indicator(names)
        label = None
        if indicator is None:
            indicator, label = new_fhi_indicator(
                title or category_heading(key_names, categories, row), names, file_name)
        row_part = measure_part(get["measure"]) if "measure" in roles else None
        if "measure" in roles and row_part is None:
            measures.setdefault(indicator_name(indicator, label), {}).setdefault(
                label_key(get["measure"]), get["measure"])
        row_unit = (known_unit(get["measure"]) if "measure" in roles else None) or unit
        for column, period in layout.periods.items():
            cell = row[column] if column < len(row) else ""
            value = parse_number(cell, symbols)
            where = Where(number, column, sheet)
            if value is None:
                bad.append(where.problem(f"{get.get('region', '')} {period}: «{cell}» er ikke et "
                                         "tall (forventet et tall, «..», «:» eller «.»)"))
                continue
            key = (get.get("region", ""), get.get("grade"), get.get("gender"), indicator, period)
            part = row_part or measure_part(layout.measures.get(column, ""))
            if part is not None:
                if value[0] is not None:
                    beside.setdefault(key, {})[part] = value[0]
                continue
            if value == (None, False):
                continue  # "." : no figure exists
            if row_unit is None:
                bad.append(where.problem(f"måltallet «{get['measure']}» sier ikke hvilken enhet "
                                         "tallet har (forventet f.eks. «andel (prosent)»)"))
                continue
            records.append((key, dict(
                region=get.get("region", ""), period=period, year=period_year(period),
                grade=get.get("grade", "Ikke oppgitt"), gender=get.get("gender", "Totalt"),
                indicator=indicator, value=value[0], respondents=None, suppressed=value[1],
                source=SOURCE_FHI, line=number, unit=row_unit, label=label,
                percent_stated=True)))  # the table states its unit: figures as written
    records = [{**record, **beside.get(key, {})} for key, record in records]
    if bad:
        raise IngestError(file_name, bad)
    if "measure" in roles:
        check_one_measure(measures, f"kolonnen «{key_names[roles['measure']]}»", file_name)
    if not records:
        raise IngestError.one(file_name, "tabellen har ingen tall", sheet)
    return records


def read_fhi_wide(path: Path, file_name: str, spreadsheet: bool = False) -> pd.DataFrame:
    """A wide Kommunehelsa table from CSV or (``spreadsheet``) its first non-empty sheet."""
    sheet, text = first_sheet(path, file_name) if spreadsheet else (None, decode(path))
    return finish(read_wide_text(text, file_name, sheet), file_name)
