"""Years, partial years and extraction dates as police files write them.

``2024 (pr.01.08)``, ``2024 per 01.08``, ``2024 pr. 1. august`` and a title such as
``PERIODEN 2019-2024 (PER 01.08)`` all say that 2024 is counted up to 1 August 2024.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "desember": 12, "des": 12,
}
FIRST_YEAR = 1990
LAST_YEAR = 2100

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# "pr.01.08", "per 01.08", "pr. 1. august", "per 01.08.2024", "pr 1/8"
_MARKER = re.compile(
    r"\b(?:pr|per)\b\.?\s*(?P<day>\d{1,2})\s*[./-]?\s*"
    r"(?:(?P<month>\d{1,2})|(?P<mname>" + _MONTH_NAMES + r"))\b\.?"
    r"(?:\s*[./-]?\s*(?P<year>\d{4}))?",
    re.IGNORECASE,
)
# «2024», «2024.0», «2024 (pr.01.08)», and the year named as one: «År 2024», «Året 2024»
_YEAR_LABEL = re.compile(
    r"^\s*(?:(?:år|året|aar|year)\s+)?(?P<year>\d{4})(?:\.0+)?\s*(?P<rest>.*)$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_EXTRACTED = re.compile(
    r"(?:uttrekk\w*|uttak\w*|hentet|ekstrahert|tall per|data per|oppdatert|extracted)\D{0,20}"
    r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})",
    re.IGNORECASE,
)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _marker_date(match: re.Match, year: int) -> dt.date | None:
    month = int(match["month"]) if match["month"] else MONTHS[match["mname"].lower()]
    return _date(int(match["year"] or year), month, int(match["day"]))


def _strip_brackets(text: str) -> str:
    return text.strip().strip("()[]").strip()


def parse_year_label(value: object) -> tuple[int, dt.date | None] | None:
    """A column header as a year and, for a partial year, the last date counted.

    Returns None when ``value`` is not a year header at all.  Raises ValueError when it starts
    with a year but the rest is not understood (so ``2024*`` is reported, not guessed).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if float(value).is_integer() and FIRST_YEAR <= int(value) <= LAST_YEAR:
            return int(value), None
        return None
    match = _YEAR_LABEL.match(str(value))
    if not match:
        return None
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    rest = _strip_brackets(match["rest"])
    if not rest:
        return year, None
    marker = _MARKER.fullmatch(_strip_brackets(rest))
    if marker is None or (date := _marker_date(marker, year)) is None:
        raise ValueError(rest)
    return year, date


def partial_date_in_note(text: str, year: int) -> dt.date | None:
    """The last day of ``year`` counted, as a note names it («* Tall pr. 01.08»: 1 August of
    ``year``, unless the note names another year); None when it names no such day."""
    match = _MARKER.search(text)
    return _marker_date(match, year) if match else None


def partial_years_in_text(text: str) -> dict[int, dt.date]:
    """Partial-year markers in free text such as a sheet title.

    The marker applies to the year written in it, or else to the last year written before it
    (``PERIODEN 2019-2024 (PER 01.08)`` → 2024 counted through 2024-08-01).
    """
    found: dict[int, dt.date] = {}
    for marker in _MARKER.finditer(text):
        before = _YEAR.findall(text[: marker.start()])
        year = int(marker["year"]) if marker["year"] else (int(before[-1]) if before else None)
        if year is not None and (date := _marker_date(marker, year)) is not None:
            found[year] = date
    return found


def extraction_date_in_text(text: str) -> dt.date | None:
    """The date a table was extracted (``Uttrekksdato: 15.01.2025``), if the text gives one."""
    match = _EXTRACTED.search(text)
    if not match:
        return None
    return _date(int(match["year"]), int(match["month"]), int(match["day"]))
