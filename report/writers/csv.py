"""CSV export of the report's tables (long form), with the same suppression as the report.

One row per cell: ``tabell;rad;kolonne;verdi``; semicolon-separated UTF-8 with BOM so Excel
(nb-NO) opens it; hidden counts stay as ``<5``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from etl.exports import neutralise
from report.blocks import Report


def rows(report: Report) -> list[list]:
    out = [["tabell", "rad", "kolonne", "verdi"]]
    for table in report.tables():
        for row in table.csv_rows or table.rows:
            for column, value in zip(table.header[1:], row[1:]):
                out.append([table.key, row[0], column, value])
    return out


def write_csv(report: Report, out: Path) -> None:
    """Text that a spreadsheet would run as a formula is neutralised; numbers stay numbers."""
    safe = [[neutralise(v) if isinstance(v, str) else v for v in row] for row in rows(report)]
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(safe)
