"""Norwegian text for reports: numbers, p-values, period labels and counts under suppression.

Numbers and the partial-year label come from :mod:`dashboard.format` (one formatting rule in the
project: ``1 234`` with a no-break space, ``12,5 %``, ``2024 (pr. 01.08)``); this module adds
what reports need on top.
"""

from __future__ import annotations

# re-exported for the report's modules
from dashboard.format import (  # noqa: F401
    NBSP,
    day_month,
    listing,
    number,
    percent,
    period_label,
)

# Norwegian alphabetical order: ... x y z æ ø å
_NORWEGIAN_TAIL = {"æ": "{0", "ø": "{1", "å": "{2"}


def sort_key(text: str) -> str:
    """Sort key that puts Æ, Ø, Å last and in that order."""
    return "".join(_NORWEGIAN_TAIL.get(ch, ch) for ch in str(text).lower())


def p_text(p_value: float) -> str:
    """``p < 0,001``, ``p = 0,004``, ``p = 0,74``, with no-break spaces (never wrapped)."""
    if p_value < 0.001:
        return "p\u00a0<\u00a00,001"
    decimals = 3 if p_value < 0.01 else 2
    return "p\u00a0=\u00a0" + number(p_value, decimals)


def average(value: float) -> str:
    """An average of counts: whole numbers plain, otherwise one decimal (``120,3``)."""
    return number(value, 0 if float(value).is_integer() else 1)


def year_span(first: int, last: int) -> str:
    return f"{first}–{last}"
