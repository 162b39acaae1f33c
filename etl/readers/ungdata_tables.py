"""Ungdata key-figure tables (as coordinators copy them from the kommune report) and the tidy
form of survey indicators, from CSV or a spreadsheet.

Key figures: one row per indicator, one column per survey period (``2015``, ``2024``,
``2022_2024``, or a label from ``etl/vocab/ungdata_periods.csv``) or per school level
(``Ungdomsskolen``, ``Videregående``, a grade ``VG1``) or gender (``Jenter 2024``; ``Alle 2024``
beside genders is both genders, beside school levels all levels), optionally a national
column (``Norge``, which belongs to the period column to its left, or ``Norge 2024``).  A dash
is no figure (suppressed, never 0 %: ``etl/vocab/survey_symbols.csv``); a header that is none
of these is refused naming its cell.  Lines above the table may say
``Kommune: Porsgrunn``, ``Periode: 2024``, ``Skolenivå: …`` and ``Kilde: …``.

Tidy: one row per observation with the columns named in ``etl/vocab/ungdata_columns.csv``.
"""

from __future__ import annotations

import re
from pathlib import Path

import python_calamine

from etl.errors import IngestError, Problem
from etl.indicators import PERCENT, new_indicator_id
from etl.readers.common import Where, cell_name, is_blank, value_text
from etl.readers.stat_text import (
    TextTable,
    alias_rows,
    column_roles,
    decode,
    parse_number,
    read_table,
    unknown_problem,
    value_map,
)
from etl.readers.survey_cells import survey_symbols
from etl.readers.ungdata import finish, known_indicator, period_year
from etl.vocab import label_key

ALIASES = "ungdata_columns.csv"
SOURCE_KEY_FIGURES = "Ungdata (nøkkeltall)"
_PERIOD = re.compile(r"^\d{4}(?:/\d{2})?(?:\s*[-_–]\s*\d{4}(?:/\d{2})?)?$")
_NAMED_PERIOD = re.compile(  # a name, then a year or period: «Bamble 2023», «Landet 2022_2024»
    r"^(.*[^\W\d_].*?)\s+(\d{4}(?:/\d{2})?(?:\s*[-_–]\s*\d{4}(?:/\d{2})?)?)$")
_META = re.compile(r"^\s*([^:]{2,30}):\s*(.+?)\s*$")


def _roles_of(cells: list[str]) -> dict[str, int]:
    return column_roles(cells, ALIASES)[0]


def is_key_figure_header(cells: list[str]) -> bool:
    """``Indikator;2021;2024;Norge``, or a blank first cell over the indicator labels when
    every other header names a region or level with a year (``;Bamble 2020;Landet 2023``)."""
    roles = _roles_of(cells)
    if roles.get("indicator") == 0 and "percent" not in roles:
        return True
    rest = {i: c.strip() for i, c in enumerate(cells) if i and c.strip()}
    named = {i for i, c in rest.items() if _NAMED_PERIOD.match(c)}
    return (len(cells) > 1 and not cells[0].strip() and bool(named)
            and all(i in named or roles.get("national") == i for i in rest))


def is_tidy_header(cells: list[str]) -> bool:
    return {"indicator", "percent"} <= _roles_of(cells).keys()


def _named_period(text: str) -> tuple[str, int | None] | None:
    for label, period, year in alias_rows("ungdata_periods.csv"):
        if label_key(label) == label_key(text):
            return period, int(year) if year else None
    text = text.strip()
    return (text, period_year(text)) if _PERIOD.match(text) else None


def _column_meaning(header: str, left: dict, file_name: str,
                    place: tuple[str | None, str] | None = None) -> dict:
    """What a value column stands for: period/year, school level, national (region NO)."""
    national = [alias for role, alias, _ in alias_rows(ALIASES) if role == "national"]
    for alias in national:
        if label_key(header) == label_key(alias):
            return {**left, "region": "Hele landet"}
        if label_key(header).startswith(label_key(alias) + " "):
            rest = header.strip()[len(alias):].strip()
            if (period := _named_period(rest)) is not None:
                return {**left, "period": period, "region": "Hele landet"}
    if (period := _named_period(header)) is not None:
        return {"period": period}
    if (level := value_map("school_level").get(label_key(header))) is not None:
        return {"school_level": header.strip(), "level": level}
    if (gender := _gender_column(header)) is not None:
        return {"gender": gender}
    if (match := _NAMED_PERIOD.match(header.strip())) and (
            period := _named_period(match[2])) is not None:
        name = match[1].strip()  # «Bamble 2023», «Ungdomsskolen 2023»: region or level + period
        if value_map("school_level").get(label_key(name)) is not None:
            return {"school_level": name, "period": period}
        if (gender := _gender_column(name)) is not None:  # «Jenter 2024»
            return {"gender": gender, "period": period}
        return {"period": period, "region": name}
    raise unknown_problem("kolonneoverskrift", [header], file_name,
                          "Forventet et år (2024), en periode (2022_2024), et skolenivå eller "
                          "trinn (Ungdomsskolen, VG1), et kjønn med år (Jenter 2024), Norge, "
                          "eller en kommune med år (Bamble 2023)",
                          "skolenivå", "Videregående", *(place or (None, None)))


def _alle_beside_genders(meanings: dict[int, dict]) -> dict[int, dict]:
    """«Alle» (school level Alle by the vocabulary) beside gender columns (``Gutter 2024 |
    Jenter 2024 | Alle 2024``) is both genders, as ``Begge kjønn 2024`` is."""
    if not any("gender" in meaning for meaning in meanings.values()):
        return meanings
    levels = value_map("school_level")
    return {i: ({**{k: v for k, v in meaning.items() if k not in ("school_level", "level")},
                 "gender": "Totalt"}
                if levels.get(label_key(meaning.get("school_level", ""))) == "Alle"
                and _gender_column(meaning["school_level"]) == "Totalt" else meaning)
            for i, meaning in meanings.items()}


def _gender_column(header: str) -> str | None:
    """«Jenter», «Gutter», «Begge kjønn» (a word, not a code such as «K» or «1») as a column
    of a key-figure table: that gender's percentages."""
    gender = value_map("gender").get(label_key(header))
    words = len(re.findall(r"[^\W\d_]", header)) >= 3
    return gender if words and gender in ("Jenter", "Gutter", "Totalt") else None


def _metadata(titles: list[str]) -> dict[str, str]:
    """``Kommune: Porsgrunn`` / ``Periode: 2024`` / ``Kilde: …`` lines above the table."""
    roles = {label_key(alias): role for role, alias, _ in alias_rows(ALIASES)}
    roles[label_key("Kilde")] = "source"
    found = {}
    for title in titles:
        if (match := _META.match(title)) and (role := roles.get(label_key(match[1]))):
            found[role] = match[2].strip().strip('"')
    return found


def _key_figure_records(table: TextTable, file_name: str, region: str | None,
                        sheet: str | None = None) -> list[tuple]:
    meta = _metadata(table.titles)
    roles, value_columns = column_roles(table.header, ALIASES)
    roles.setdefault("indicator", 0)  # a blank first header over the indicator labels
    value_columns = sorted([i for i in value_columns if table.header[i].strip()]
                           + ([roles["national"]] if "national" in roles else []))
    meanings, left = {}, {}
    if "period" in meta:
        left = {"period": _named_period(meta["period"]) or (meta["period"], None)}
    for i in value_columns:
        meanings[i] = _column_meaning(table.header[i], left, file_name,
                                      (sheet, cell_name(table.first_line - 2, i)))
        left = {**left, **{k: v for k, v in meanings[i].items() if k == "period"}}
    meanings = _alle_beside_genders(meanings)
    source = meta.get("source", SOURCE_KEY_FIGURES)
    records, bad = [], []
    for n, row in enumerate(table.rows):
        if not row or is_blank(row[0]):
            continue
        line = table.line_of(n)
        for i in value_columns:
            text = row[i] if i < len(row) else ""
            if is_blank(text):
                continue
            meaning = {**_defaults(meta), **meanings[i]}
            record = _record(row, roles, meaning, text, region or meta.get("region"), source,
                             Where(line, i, sheet))
            (bad if isinstance(record, Problem) else records).append(record)
    if bad:
        raise IngestError(file_name, bad)
    return records


def _defaults(meta: dict) -> dict:
    """Defaults for a column: the metadata lines above the table."""
    defaults = {}
    if "school_level" in meta:
        defaults["school_level"] = meta["school_level"]
    if "period" in meta:
        defaults["period"] = _named_period(meta["period"]) or (meta["period"], None)
    return defaults


def _record(row, roles, meaning, text, region, source, where: Where):
    cell = lambda role, default: row[roles[role]].strip() if role in roles and roles[  # noqa
        role] < len(row) and row[roles[role]].strip() else default
    number = parse_number(text.rstrip("%").strip(), survey_symbols())
    if number is None:
        return where.problem(f"«{text}» er ikke en prosent")
    if "period" not in meaning:
        return where.problem("kolonnen har ikke noe år eller periode; skriv f.eks. "
                             "«Periode: 2024» over tabellen")
    period, year = meaning["period"]
    region = meaning.get("region") or region
    if region is None:
        return Problem("filen sier ikke hvilken kommune tallene gjelder; skriv «Kommune: "
                       "Porsgrunn» over tabellen eller bruk --region")
    grade = cell("grade", cell("school_level", meaning.get("school_level", "Ikke oppgitt")))
    return {**_row(region, period, year, grade, cell("gender", meaning.get("gender", "Totalt")),
                   row[roles["indicator"]], number[0], None, number[1], source, where.line),
            "where": where, "percent_sign": text.strip().endswith("%")}


def _row(region, period, year, grade, gender, indicator, value, respondents, suppressed,
         source, line) -> dict:
    """One record for :func:`etl.readers.ungdata.finish` (key figures are percentages)."""
    return dict(region=region, period=period, year=year, grade=grade, gender=gender,
                indicator=indicator, value=value, respondents=respondents,
                suppressed=suppressed, source=source, line=line, unit=PERCENT, label=None)


def _tidy_records(table: TextTable, file_name: str, region: str | None,
                  sheet: str | None = None) -> list[tuple]:
    roles, unnamed = column_roles(table.header, ALIASES)
    if strange := [table.header[i] for i in unnamed if table.header[i].strip()]:
        raise unknown_problem("kolonne", strange, file_name,
                              "Forventet f.eks. indikator, region, periode, år, trinn, kjønn, "
                              "andel og antall svar", "kolonne", "Indikator")
    meta = _metadata(table.titles)
    records, bad = [], []
    for n, row in enumerate(table.rows):
        if not any(row):
            continue
        get = {role: row[i].strip() for role, i in roles.items() if i < len(row)}
        line, period = table.line_of(n), get.get("period") or get.get("year", "")
        number = parse_number(get["percent"].rstrip("%").strip(),
                              survey_symbols({"": "suppressed"}))
        if number is None or not period:
            bad.append(Where(line, roles["percent"], sheet).problem(
                f"mangler periode eller prosent («{get['percent']}»)"))
            continue
        if (wrong := _not_a_count(get.get("respondents"))) is not None:
            bad.append(Where(line, roles["respondents"], sheet).problem(
                f"«{wrong}» er ikke et antall svar (forventet et helt tall fra 0 til "
                "2 147 483 647)"))
            continue
        year = int(get["year"]) if get.get("year", "").isdigit() else period_year(period)
        records.append({**_row(get.get("region") or region or meta.get("region"), period, year,
                               get.get("grade") or get.get("school_level") or "Ikke oppgitt",
                               get.get("gender") or "Totalt", get["indicator"], number[0],
                               get.get("respondents") or None, number[1],
                               meta.get("source", "Ungdata"), line),
                        "where": Where(line, roles["indicator"], sheet),
                        "percent_sign": get["percent"].strip().endswith("%")})
    if bad:
        raise IngestError(file_name, bad)
    return records


def check_repeats(records: list[dict], file_name: str) -> None:
    """In a workbook, the same figure (region, period, trinn, gender, indicator) given twice is
    refused naming both cells (a CSV's repeat is named by its line when it is stored)."""
    seen, bad = {}, []
    for record in records:
        key = tuple(str(record[k]).strip().casefold() for k in
                    ("region", "period", "grade", "gender", "indicator"))
        where = record["where"]
        if key in seen:
            first = seen[key].problem("").cell
            bad.append(where.problem(f"«{record['indicator']}» {record['period']} står to "
                                     f"ganger (også i celle {first})"))
        else:
            seen[key] = where
    if bad:
        raise IngestError(file_name, bad)


def _not_a_count(text: str | None) -> str | None:
    """``text`` when it is given and is no whole number the store can hold, else None."""
    if not text:
        return None
    number = parse_number(text, survey_symbols())
    if number is None or number[0] is None:
        return text if number is None else None
    return None if number[0].is_integer() and 0 <= number[0] <= 2_147_483_647 else text


def _check_indicators(records: list[dict], file_name: str) -> list[dict]:
    """Known labels → catalogue ids; a label the catalogue does not know becomes a new
    indicator named as the file names it (marked as not yet catalogued when stored)."""
    if any(r["region"] is None for r in records):
        raise IngestError.one(file_name, "filen sier ikke hvilken kommune tallene gjelder; skriv "
                                         "«Kommune: Porsgrunn» over tabellen eller bruk --region")
    for record in records:
        text = str(record["indicator"]).strip()
        if (known := known_indicator(text)) is not None:
            record["indicator"] = known
        else:
            record["indicator"], record["label"] = new_indicator_id(text), text
    return records


def sheet_text(path: Path, file_name: str, head: int | None = None) -> str:
    """The first non-empty sheet of a workbook as ``;``-separated text, for the same parser
    (``head``: only its first rows, for deciding the kind of file)."""
    return first_sheet(path, file_name, head)[1]


def first_sheet(path: Path, file_name: str, head: int | None = None) -> tuple[str, str]:
    """(name, text) of the first non-empty sheet; line N of the text is row N of the sheet."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False, nrows=head)
            lines = [";".join("" if is_blank(c) else value_text(c).replace(";", ",")
                              for c in row).rstrip(";") for row in rows]
            if any(lines) or (head and any(sheet.to_python(skip_empty_area=False))):
                return name, "\n".join(lines)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise IngestError.one(file_name, f"regnearket kan ikke leses ({exc})") from None
    raise IngestError.one(file_name, "regnearket er tomt")


def read_survey_table(path: Path, file_name: str, region: str | None = None,
                      spreadsheet: bool = False):
    """A key-figure table or a tidy survey file → the rows of :data:`ungdata.COLUMNS`."""
    sheet, text = first_sheet(path, file_name) if spreadsheet else (None, decode(path))
    table = read_table(text, lambda c: is_tidy_header(c) or is_key_figure_header(c), file_name)
    if is_tidy_header(table.header):
        records = _tidy_records(table, file_name, region, sheet)
    else:
        records = _key_figure_records(table, file_name, region, sheet)
    if not records:
        raise IngestError.one(file_name, "tabellen har ingen tall")
    if sheet is not None:
        check_repeats(records, file_name)
    return finish(_check_indicators(records, file_name), file_name)
