"""Population files (SSB table 07459) → rows ``region, year, age, gender, persons``.

Reads, by content:
- a Statbank CSV export as users download it: a title line, a blank line, a quoted header,
  ``;`` separators, ISO-8859-1/Windows-1252 or UTF-8 with BOM, region labels such as
  ``K-3001 Halden`` or ``3001 Halden (2020-2023)``, ages ``15 år`` / ``15 years`` / ``015``,
  either one column per year (``Personer 2024``) or long with a year column; its XLSX form
  also as «Lagre som Excel» writes it (``Personer`` on one row over the years on the next,
  blank key headers, each region and gender written once over its rows: a blank key cell
  repeats the one above);
- the csdata files in ``data/reference/population/`` (``kommunenummer,…,pop_jan1``);
- a json-stat2 response from SSB's API (dimensions ``Region, Kjonn, Alder, ContentsCode, Tid``).

A blank figure cell is suppressed like ``..`` (unknown: no row stored, never 0).  Labels are
returned as written; regions are resolved by :mod:`etl.sources`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from etl.errors import IngestError
from etl.readers.common import Where
from etl.readers.stat_text import (
    alias_rows,
    column_roles,
    decode,
    join_split_header,
    jsonstat_rows,
    parse_number,
    read_table,
    unknown_problem,
    value_map,
)
from etl.vocab import label_key

if TYPE_CHECKING:
    import pandas as pd

ALIASES = "population_columns.csv"
COLUMNS = ["region", "year", "age", "gender", "persons", "suppressed", "line"]
TOTAL_AGES = {"totalt", "total", "i alt", "alle aldre", "all ages"}
_AGE = re.compile(r"(\d{1,3})\s*(?:år|years?)?\s*(eller eldre|or older|\+)?$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_AGE_GROUP = re.compile(r"(?<!\d)(\d{1,3})\s*[-–]\s*(\d{1,3})\s*(?:år|years?)?$", re.IGNORECASE)


def age_groups_note(ages) -> list[str]:
    """The message's word on age groups a population file gave (``10-14``)."""
    groups = sorted({a for a in ages if "-" in str(a)}, key=lambda a: int(a.split("-")[0]))
    if not groups:
        return []
    return [f"aldersgrupper ({', '.join(groups)}) er lagret som grupper; ratene per 1 000 "
            "innbyggere 10–17 år trenger ettårig alder (velg ettårige aldersgrupper i SSBs "
            "tabell 07459)"]


MAX_COUNT = 2_147_483_647  # the store's INTEGER
BLANK_SUPPRESSED = {"": "suppressed"}  # a blank cell is unknown, like «..»: never 0, no refusal
GENERIC_COUNTS = {"antall", "value", "verdi"}  # count column names a police table has too


def is_count(value: object) -> bool:
    """A whole number the store can hold (0 … 2 147 483 647), or nothing (suppressed)."""
    if value is None:
        return True
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return number.is_integer() and 0 <= number <= MAX_COUNT


def parse_age(text: object) -> str | None:
    """``15 år``, ``15 years``, ``015 15 år``, ``015`` → ``15``; ``105 år eller eldre`` →
    ``105+``; an age group ``10-14 år``, ``F10-14 10 - 14 år`` → ``10-14`` (never its last
    age); a total → ``Totalt``; None when it is not an age."""
    key = label_key(text)
    if key in TOTAL_AGES:
        return "Totalt"
    if group := _AGE_GROUP.search(key):
        return f"{int(group[1])}-{int(group[2])}"
    match = _AGE.search(key)
    if not match:
        return None
    return f"{int(match[1])}{'+' if match[2] else ''}"


def _is_header(cells: list[str]) -> bool:
    roles, unnamed = column_roles(cells, ALIASES)
    unnamed = [i for i in unnamed if i not in text_columns(cells)]
    has_years = any(_YEAR.search(cells[i]) for i in unnamed)
    # a region and a year column make a header too: a count column not known yet is then
    # named by the refusal, with the command that teaches it
    return "region" in roles and ("value" in roles or "year" in roles or has_years)


def text_columns(header: list[str]) -> dict[int, int]:
    """PxWeb codes-and-texts: text column → its code column (``Region_tekst`` → ``Region``)."""
    suffixes = [alias for role, alias, _ in alias_rows(ALIASES) if role == "text_suffix"]
    keys = {label_key(name): i for i, name in enumerate(header)}
    pairs = {}
    for i, name in enumerate(header):
        for suffix in suffixes:
            base = label_key(name[:-len(suffix)]) if name.casefold().endswith(
                suffix.casefold()) else None
            if base and base in keys:
                pairs[i] = keys[base]
    return pairs


def _layout(header: list[str], file_name: str) -> tuple[dict[str, int], dict[int, int]]:
    roles, unnamed = column_roles(header, ALIASES)
    texts = text_columns(header)
    unnamed = [i for i in unnamed if i not in texts]
    years = {i: int(m[1]) for i in unnamed if (m := _YEAR.search(header[i]))}
    strange = [header[i] for i in unnamed if i not in years]
    if strange:
        raise unknown_problem("kolonne", strange, file_name,
                              "Forventet region, kjønn, alder, år og personer (eller én kolonne "
                              "per år)", "kolonne", "Personer")
    if not years and not {"year", "value"} <= roles.keys():
        raise IngestError.one(file_name, "fant verken årskolonner («Personer 2024») eller "
                                         "kolonnene år og personer")
    return roles, years


def _cell(row: list[str], index: int | None, default: str = "") -> str:
    return row[index] if index is not None and index < len(row) else default


def _is_count_name(text: str) -> bool:
    """The statistic variable over a workbook's years (``Personer``), not a generic count word
    a police table could have there too."""
    roles, _ = column_roles([text], ALIASES)
    return "value" in roles and label_key(text) not in GENERIC_COUNTS


def _key_name(cell: str) -> str:
    """A blank key header named by the first figure row's cell under it."""
    if value_map("gender").get(label_key(cell)):
        return "kjønn"
    if parse_age(cell) is not None and not re.match(r"\s*\d{4}", cell):
        return "alder"
    return "region"


def merge_split_header(text: str) -> str:
    """Statbank's «Lagre som Excel» form of 07459: ``Personer`` on one row over the years on
    the next, blank key headers (:func:`etl.readers.stat_text.join_split_header`)."""
    return join_split_header(text, lambda c: bool(_YEAR.fullmatch(c.strip())), _is_count_name,
                             _key_name)


def read_population_text(path: Path, file_name: str, spreadsheet: bool = False) -> pd.DataFrame:
    """A Statbank export as CSV or (``spreadsheet``) its XLSX form: the same lines; in a
    workbook a blank key cell under a filled one repeats it (Statbank writes each region and
    gender once over its rows)."""
    from etl.readers.ungdata_tables import first_sheet

    sheet, text = first_sheet(path, file_name) if spreadsheet else (None, decode(path))
    table = read_table(merge_split_header(text) if spreadsheet else text, _is_header, file_name)
    roles, years = _layout(table.header, file_name)
    region_text = next((t for t, code in text_columns(table.header).items()
                        if code == roles["region"]), None)
    records, bad, above = [], [], ("", "", "")
    for n, row in enumerate(table.rows):
        if not any(row):
            continue
        line = table.line_of(n)
        region = _cell(row, roles["region"])
        if region_text is not None:  # «4001» + «Porsgrunn» → «4001 Porsgrunn»
            region = f"{region} {_cell(row, region_text)}".strip()
        base = (region, _cell(row, roles.get("age"), "Totalt"),
                _cell(row, roles.get("gender"), "Totalt"))
        if sheet is not None:  # a grouped workbook repeats by leaving blank
            base = above = tuple(cell or prior for cell, prior in zip(base, above))
        cells = ([(year, i) for i, year in years.items()] if years else
                 [(_cell(row, roles["year"]), roles["value"])])
        for year, column in cells:
            text = _cell(row, column)
            number = parse_number(text, BLANK_SUPPRESSED)
            if number is None or not is_count(number[0]):
                bad.append(Where(line, column, sheet).problem(
                    f"«{text}» er ikke et antall personer (forventet et helt tall fra 0 til "
                    "2 147 483 647, eller et prikketegn som «..»)"))
                continue
            records.append((base[0], year, base[1], base[2], number[0], number[1], line))
    if bad:
        raise IngestError(file_name, bad)
    return _frame(records, file_name)


def read_population_json(path: Path, file_name: str) -> pd.DataFrame:
    ids, cells = jsonstat_rows(json.loads(decode(path)), file_name)
    roles, unnamed = column_roles(ids, ALIASES)
    missing = {"region", "year"} - roles.keys()
    if missing or unnamed:
        raise IngestError.one(file_name, f"json-stat2-dimensjonene {', '.join(ids)} passer ikke "
                                         "til befolkningstabellen 07459 (forventet Region, Kjonn, "
                                         "Alder, ContentsCode og Tid)")
    records = []
    if bad := [v for *_, v, _ in cells if v is not None and not is_count(v)]:
        raise IngestError.one(file_name, f"«{bad[0]}» er ikke et antall personer (forventet et "
                                         "helt tall fra 0 til 2 147 483 647)")
    for codes, labels, value, status in cells:
        code, label = codes[roles["region"]], labels[roles["region"]]
        region = f"{code} {label}" if code.isdigit() and len(code) >= 3 else label
        age = labels[roles["age"]] if "age" in roles else "Totalt"
        gender = labels[roles["gender"]] if "gender" in roles else "Totalt"
        suppressed = value is None and status not in (".",)
        records.append((region, codes[roles["year"]], age, gender,
                        None if value is None else float(value), suppressed, None))
    return _frame(records, file_name)


def _frame(records: list[tuple], file_name: str) -> pd.DataFrame:
    """Canonical ages, genders and years; unknown labels fail with the list of them."""
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    frame = pd.DataFrame(records, columns=COLUMNS)
    ages = {a: parse_age(a) for a in frame["age"].unique()}
    genders = value_map("gender")
    gender_of = {g: genders.get(label_key(g)) for g in frame["gender"].unique()}
    if unknown := [label for label, canonical in ages.items() if canonical is None]:
        raise unknown_problem("alder", unknown, file_name,
                              "Forventet et alderstrinn som «15 år» eller «105 år eller eldre»")
    if unknown := [label for label, canonical in gender_of.items() if canonical is None]:
        raise unknown_problem("kjønn", unknown, file_name, "Forventet f.eks. «Menn», «Kvinner» "
                              "eller «Begge kjønn»", "kjønn", "Gutter")
    frame["age"] = frame["age"].map(ages)
    frame["gender"] = frame["gender"].map(gender_of)
    years = pd.to_numeric(frame["year"].astype(str).str.extract(_YEAR, expand=False))
    if years.isna().any():
        raise unknown_problem("år", frame.loc[years.isna(), "year"].astype(str), file_name,
                              "Forventet et årstall som 2024")
    frame["year"] = years.astype(int)
    return frame
