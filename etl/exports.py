"""Cells of exported CSV/XLSX files that a spreadsheet must not run as formulas."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell starting like a formula gets a leading apostrophe (CSV/formula injection).

    Only for text: numbers are written by us and a negative number must stay a number.
    """
    return "'" + text if text.startswith(FORMULA_START) else text
