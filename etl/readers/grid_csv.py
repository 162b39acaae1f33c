"""A police cross table saved as CSV (Excel's «Lagre som CSV» of layout (a) or (b)): title
lines, a header row of years, one row per label.  Its lines become the rows of a sheet, so
:func:`etl.readers.workbook.read_sheet` reads it exactly as the workbook, and a problem is
named by the cell the user sees when the file is opened in Excel (``celle F13``).

A CSV is a grid only when no line of its head is a long table's header (``År`` and
``Antall``) and a row of years is found in it; anything else goes to the long-table reader,
whose refusal says what it expected.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from etl.readers.long_table import HEADER_SEARCH_LINES, MAX_GRID_BYTES, looks_like_long_header
from etl.readers.stat_text import decode
from etl.readers.workbook import starts_table
from etl.vocab import Vocab

# A cross table is a few hundred cells; a file beyond this is a long table (or nothing), and
# is never read whole just to find out.
_WHOLE = re.compile(r"^-?\d+$")


def _delimiter(lines: list[str]) -> str:
    """The separator the most fields on one line are split by (a header row of years has
    them all; a title line may hold a comma)."""
    return max(";\t,", key=lambda d: (max((line.count(d) for line in lines), default=0),
                                      d == ";"))


def _cell(text: str) -> object:
    """A cell as a spreadsheet would give it: a whole number as a number, else the text."""
    plain = text.replace("\u00a0", "").replace(" ", "")
    return int(plain) if _WHOLE.match(plain) else text.strip()


def grid_rows(path: Path, vocab: Vocab) -> list[list] | None:
    """The CSV's lines as the rows of a sheet when it is a cross table, else None."""
    if Path(path).stat().st_size > MAX_GRID_BYTES:
        return None
    text = decode(path)
    head = text.splitlines()[:HEADER_SEARCH_LINES]
    delimiter = _delimiter(head)
    if any(looks_like_long_header(row, vocab) for row in csv.reader(head, delimiter=delimiter)):
        return None
    rows = [[_cell(c) for c in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    # A sheet's rows are all as wide as its widest; a CSV's lines need not be (a blank line,
    # a row whose last cells are empty and left out, as some programs write them).
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    return rows if any(starts_table(rows, r, vocab) for r in range(len(rows))) else None
