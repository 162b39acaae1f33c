"""Survey indicators from FHI: Kommunehelsa CSV exports and the open API (CSV or json-stat2).

A Kommunehelsa export is a long table ``Geografi, År, Kjønn, Alder…, <category columns>,
Måltall, value`` whose column names differ from table to table; ``etl/vocab/fhi_columns.csv``
names the roles, and the values of the remaining (category) columns identify the indicator
through ``etl/vocab/fhi_indicators.csv``.  The open API writes ``aar`` as ``2022_2024``,
``kjonn`` as 0/1/2 and ``..`` for suppressed values.  Shares given as fractions (0.856) are
turned into percent (85.6); an empty or ``..`` value is kept as NULL with ``suppressed``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pandas as pd

from etl.errors import IngestError, Problem
from etl.indicators import indicator_lookup
from etl.readers.stat_text import (
    alias_rows,
    column_roles,
    decode,
    jsonstat_rows,
    parse_number,
    read_table,
    unknown_problem,
    value_map,
)
from etl.vocab import label_key

ALIASES = "fhi_columns.csv"
COLUMNS = ["region", "period", "year", "school_level", "grade", "gender", "indicator",
           "percent", "respondents", "suppressed", "source", "line"]
SOURCE_FHI = "FHI Kommunehelsa"
# FHI: an empty cell (NaN in exports) and ".." are suppressed, "." means no figure exists.
FHI_SYMBOLS = {"": "suppressed", "nan": "suppressed", ".": "missing"}
_YEARS = re.compile(r"(?<!\d)(\d{4})(?:/(\d{2}))?(?!\d)")


def period_year(label: object) -> int | None:
    """The last calendar year a period label names: ``2022_2024`` → 2024, ``2014/15-2016/17``
    → 2017, ``2016-01-01`` → 2016; None when it names none."""
    matches = _YEARS.findall(str(label))
    if not matches or re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(label).strip()):
        return int(matches[0][0]) if matches else None
    year, short = matches[-1]
    return int(year[:2] + short) + (100 if short < year[2:] else 0) if short else int(year)


@cache
def _category_indicators() -> dict[frozenset[str], str]:
    return {frozenset(label_key(part) for part in categories.split("|")): indicator
            for indicator, categories in alias_rows("fhi_indicators.csv")}


def _is_fhi_header(cells: list[str]) -> bool:
    roles, _ = column_roles(cells, ALIASES)
    return {"region", "value"} <= roles.keys() and ("period" in roles or "year" in roles)


def _records(header: list[str], rows, file_name: str, first_line: int | None) -> list[tuple]:
    roles, categories = column_roles(header, ALIASES)
    indicators, records, unknown, bad = _category_indicators(), [], set(), []
    for n, row in enumerate(rows):
        if not any(str(c).strip() for c in row):
            continue
        line = first_line + n if first_line is not None else None
        get = {role: str(row[i]).strip() for role, i in roles.items() if i < len(row)}
        key = frozenset(label_key(row[i]) for i in categories)
        if (indicator := indicators.get(key)) is None:
            unknown.add(" | ".join(str(row[i]) for i in categories))
            continue
        if "measure" in get and not re.search(r"andel|prosent|percent|share",
                                              get["measure"], re.IGNORECASE):
            bad.append(Problem(f"linje {line}: måltallet «{get['measure']}» er ikke en andel"))
            continue
        value = parse_number(get.get("value", ""), FHI_SYMBOLS)
        if value is None:
            bad.append(Problem(f"linje {line}: «{get.get('value')}» er ikke et tall"))
            continue
        percent, suppressed = value
        if percent is None and not suppressed and get.get("flag", "0") in ("", "0"):
            continue  # "." : nothing was measured (no survey in that window)
        suppressed = suppressed or (percent is None and get.get("flag", "0") not in ("", "0"))
        period = get.get("period") or get.get("year", "")
        year = period_year(get["year"]) if get.get("year") else period_year(period)
        records.append((get["region"], period, year, get.get("grade", "Ikke oppgitt"),
                        get.get("gender", "Totalt"), indicator, percent,
                        get.get("respondents") or None, suppressed, SOURCE_FHI, line))
    if unknown:
        raise unknown_problem("indikator (verdier i kategorikolonnene)", unknown, file_name,
                              "Legg kombinasjonen til i etl/vocab/fhi_indicators.csv")
    if bad:
        raise IngestError(file_name, bad)
    return records


def finish(records: list[tuple], file_name: str) -> pd.DataFrame:
    """Rows as ``COLUMNS``: fractions → percent, school level from the grade, checks."""
    frame = pd.DataFrame(
        [(r, p, y, None, g, sex, i, pc, resp, sup, src, ln)
         for r, p, y, g, sex, i, pc, resp, sup, src, ln in records], columns=COLUMNS)
    levels, genders = value_map("school_level"), value_map("gender")
    frame["school_level"] = frame["grade"].map(lambda g: levels.get(label_key(g)))
    frame["gender"] = frame["gender"].map(lambda g: genders.get(label_key(g), f"?{g}"))
    for what, column, prefix in (("trinn/skolenivå", "grade", None), ("kjønn", "gender", "?")):
        mask = (frame["school_level"].isna() if prefix is None
                else frame[column].str.startswith(prefix))
        if mask.any():
            raise unknown_problem(what, frame.loc[mask, column].astype(str).str.lstrip("?"),
                                  file_name, "Kjente verdier står i etl/vocab/stat_values.csv")
    frame["percent"] = pd.to_numeric(frame["percent"]).astype("Float64")
    frame["year"] = pd.to_numeric(frame["year"]).astype("Int64")
    frame["respondents"] = pd.to_numeric(frame["respondents"]).astype("Int64")
    return scale_fractions(frame, file_name)


def scale_fractions(frame: pd.DataFrame, file_name: str) -> pd.DataFrame:
    """Per file: when every share is within 0-1 the file gives fractions (×100)."""
    for _, group in frame.groupby("source"):
        values = group["percent"].dropna()
        if len(values) and values.max() <= 1.0:
            frame.loc[group.index, "percent"] = (group["percent"] * 100).round(10)
        elif len(values) and (values.max() > 100 or values.min() < 0):
            raise IngestError.one(file_name, "andeler må være mellom 0 og 100 "
                                             f"(fant {values.min()}–{values.max()})")
    return frame


def read_fhi_text(path: Path, file_name: str) -> pd.DataFrame:
    table = read_table(decode(path), _is_fhi_header, file_name)
    return finish(_records(table.header, table.rows, file_name, table.first_line), file_name)


def read_fhi_json(path: Path, file_name: str) -> pd.DataFrame:
    ids, cells = jsonstat_rows(json.loads(decode(path)), file_name)
    roles, _ = column_roles(ids, ALIASES)
    if "region" not in roles:
        raise IngestError.one(file_name, f"json-stat2-dimensjonene {', '.join(ids)} har ingen "
                                         "geografi (GEO)")
    rows = []
    for codes, labels, value, status in cells:
        row = [codes[i] if i in (roles.get("period"), roles.get("gender")) else labels[i]
               for i in range(len(ids))]
        rows.append([*row, "" if value is None else value, status or ""])
    header = [*ids, "value", "Spvflagg"]
    return finish(_records(header, rows, file_name, None), file_name)


def known_indicator(text: object) -> str | None:
    return indicator_lookup().get(label_key(text))
