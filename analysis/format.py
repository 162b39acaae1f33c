"""Norwegian number and date formatting: ``1 234``, ``12,5 %``, ``2024 (pr. 01.08)``.

The one place that turns numbers into text for the dashboard.  Thousands are separated by a
no-break space (U+00A0) so a number never wraps across lines; decimals use a comma.
"""

from __future__ import annotations

import datetime as dt
import math

NBSP = "\u00a0"
MINUS = "\u2212"  # typographic minus, as in Norwegian print

PLOTLY_SEPARATORS = "," + NBSP  # figure layout ``separators``: decimal comma, NBSP thousands


def missing(value) -> bool:
    """None, NaN, or pandas' NA (a frame's missing figure), without importing pandas."""
    if value is None:
        return True
    try:
        return math.isnan(value)
    except TypeError:
        return type(value).__name__ == "NAType"


def number(value, decimals: int = 0, dash: str = "–") -> str:
    """``1234.5`` → ``1 234,5`` (with ``decimals=1``); missing → ``–``."""
    if missing(value):
        return dash
    rounded = round(float(value), decimals)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return (MINUS if rounded < 0 else "") + text


def percent(value, decimals: int = 1) -> str:
    """A share already on the 0-100 scale: ``12.5`` → ``12,5 %``."""
    if missing(value):
        return "–"
    return f"{number(value, decimals)}{NBSP}%"


PERCENT = "prosent"  # the unit of a share (``indicators.unit``); every other unit is written out


def amount(value, unit: str = PERCENT) -> str:
    """A figure in its unit: ``12,5 %`` for a share, ``1 234,5 per 100 000`` for any other
    unit (never a percent sign on a figure that is not a share); missing → ``–``."""
    if unit == PERCENT:
        return percent(value)
    return "–" if missing(value) else f"{number(value, 1)} {unit}"


def signed(value, decimals: int = 0) -> str:
    """A change with its sign: ``+75``, ``−2``, ``0``."""
    if missing(value):
        return "–"
    if value > 0:
        return "+" + number(value, decimals)
    return number(value, decimals)


def signed_percent(value, decimals: int = 0) -> str:
    """``70.1`` → ``+70 %``."""
    if missing(value):
        return "–"
    return f"{signed(value, decimals)}{NBSP}%"


def day_month(value: dt.date | None) -> str:
    """``2024-08-01`` → ``01.08``."""
    return "" if value is None else f"{value.day:02d}.{value.month:02d}"


def partial_label(counted_through: dt.date) -> str:
    """How a partial year's counting date is written everywhere (dashboard, report, slides):
    ``pr. 01.08``, as in the police's own tables («2024 (pr.01.08)»)."""
    return f"pr. {day_month(counted_through)}"


def period_label(year: int, counted_through: dt.date | None) -> str:
    """The label of a year's figures: ``2023`` or ``2024 (pr. 01.08)`` for a partial year."""
    if counted_through is None:
        return str(year)
    return f"{year} ({partial_label(counted_through)})"


def date_time(value) -> str:
    """A timestamp as ``23.11.2026 kl. 10:22``."""
    if missing(value) or value is None:
        return "–"
    return f"{value:%d.%m.%Y} kl. {value:%H:%M}"


def csv_number(value) -> str:
    """Numbers in downloaded CSV files: decimal comma, no thousands separator (Excel, nb-NO),
    at most four decimals (a rate per 1 000, not a float's fifteen)."""
    if missing(value):
        return ""
    if isinstance(value, float) and not value.is_integer():  # four decimals at most
        return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(int(value)) if isinstance(value, float) else str(value)


def listing(items) -> str:
    """``Bamble, Porsgrunn, Siljan og Skien``: a Norwegian list."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


# --- text for reports and findings ---------------------------------------------------------

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
