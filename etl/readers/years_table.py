"""Police tables with a column per year and their labels in named columns — ``Kommune |
Krimtype | 2021 | 2022``, as a pivot table is exported — read as the long tables they are
(:func:`etl.readers.long_table.years_as_columns` tells them apart)."""

from __future__ import annotations

import duckdb

from etl.readers.common import ReadResult, cell_name, is_blank, value_text
from etl.readers.long_table import column_map, is_year_header, sheet_result
from etl.vocab import Vocab


def read_years_sheet(con: duckdb.DuckDBPyConnection, sheet: str, rows: list[list],
                     header_row: int, file_name: str, vocab: Vocab) -> ReadResult:
    """A table with a column per year (:func:`years_as_columns`) read as the long table it
    is: one row per label and year, each count named by its own cell; a blank cell is none,
    as in a cross table."""
    header = [value_text(c) for c in rows[header_row]]
    used = [i for i, c in enumerate(header) if c]
    keys = [i for i in used if not is_year_header(header[i])]
    years = [i for i in used if is_year_header(header[i])]
    names = [header[i] for i in keys] + ["År", "Antall"]
    mapping = column_map(names, vocab, file_name, sheet,
                          [cell_name(header_row, i) for i in keys] + [None, None])
    data: dict[str, list] = {f"c{n}": [] for n in range(len(names))}
    lines, cells = [], []
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if all(is_blank(c) for c in row):
            continue
        labels = [value_text(row[i]) if i < len(row) else "" for i in keys]
        for y in years:
            if y >= len(row) or is_blank(row[y]):
                continue
            for n, text in enumerate([*labels, header[y], value_text(row[y])]):
                data[f"c{n}"].append(text)
            lines.append(r + 1)
            cells.append(cell_name(r, y))
    return sheet_result(con, sheet, mapping, data, lines, cells, [None] * len(lines))
