"""SSB table 08487 (offences reported to the police, all ages, by kommune where committed,
two-year annual averages) → rows ``region, period, year, offence_group, offences, suppressed``.

Reads the cleaned file in ``data/reference/ssb/`` (one column per offence group, ``komnr``
without its leading zero, ``NA`` = suppressed by SSB because there were 4 or fewer).
``year`` is the last year of the period: SSB divides by the population on 1 January of it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.errors import IngestError, Problem
from etl.readers.stat_text import alias_rows, decode, parse_number, read_table, unknown_problem
from etl.readers.ungdata import period_year
from etl.vocab import label_key

ALIASES = "ssb_08487_columns.csv"
SYMBOLS = {"NA": "suppressed"}
COLUMNS = ["region", "period", "year", "offence_group", "offences", "suppressed", "line"]


def _roles(header: list[str]) -> dict[int, tuple[str, str]]:
    known = {label_key(alias): (role, canonical) for role, alias, canonical in alias_rows(ALIASES)}
    return {i: known[label_key(name)] for i, name in enumerate(header) if label_key(name) in known}


def is_08487_header(cells: list[str]) -> bool:
    roles = [role for role, _ in _roles(cells).values()]
    return "region" in roles and "period" in roles and "offence_group" in roles


def read_08487(path: Path, file_name: str) -> pd.DataFrame:
    table = read_table(decode(path), is_08487_header, file_name)
    roles = _roles(table.header)
    if strange := [name for i, name in enumerate(table.header) if i not in roles]:
        raise unknown_problem("kolonne", strange, file_name,
                              f"Kjente kolonner står i etl/vocab/{ALIASES}")
    region = next(i for i, (role, _) in roles.items() if role == "region")
    period = next(i for i, (role, _) in roles.items() if role == "period")
    groups = {i: canonical for i, (role, canonical) in roles.items() if role == "offence_group"}
    records, bad = [], []
    for n, row in enumerate(table.rows):
        if not any(row):
            continue
        line = table.line_of(n)
        for i, group in groups.items():
            number = parse_number(row[i] if i < len(row) else "", SYMBOLS)
            if number is None:
                bad.append(Problem(f"linje {line}, kolonne «{table.header[i]}»: «{row[i]}» er "
                                   "ikke et tall"))
                continue
            code = row[region] if len(row[region]) <= 2 else row[region].zfill(4)
            records.append((code, row[period], period_year(row[period]), group,
                            number[0], number[1], line))
    if bad:
        raise IngestError(file_name, bad)
    return pd.DataFrame(records, columns=COLUMNS)
