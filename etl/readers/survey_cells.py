"""What survey tables (FHI Kommunehelsa, the FHI API, Ungdata key figures and tidy files) say
beside their figures, read alike by every survey reader: cell symbols that differ from SSB's (a
dash is no figure), an age band where a grade would stand, the category columns' headers that
name an indicator without a title, and one measure (Måltall) per indicator.

Every function is pure and raises :class:`IngestError` naming the file when a table cannot be
read as one figure per cell.
"""

from __future__ import annotations

import re
from functools import cache

from etl.errors import IngestError, Problem
from etl.knowledge import indicator_catalogue
from etl.readers.stat_text import alias_rows, column_roles, value_map
from etl.vocab import label_key

SURVEY_SYMBOLS = "survey_symbols.csv"
# An age band where a survey table has its grade (FHI's «Alder»): «15-29 år», «0-74 år»,
# «75 år +», «18 år og eldre»; words such as «alle aldre» are in stat_values.csv (age_band).
_AGE_BAND = re.compile(r"^\d+\s*(?:[-–]\s*\d+\s*)?\+?\s*(?:år|years?)(?:\s*\+|\s+og\s+(?:eldre|"
                       r"over)|\s+and\s+(?:older|over))?$", re.IGNORECASE)


@cache
def _survey_symbols() -> dict[str, str]:
    return dict(alias_rows(SURVEY_SYMBOLS))


def survey_symbols(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The cell symbols of a survey table beyond SSB's (``-`` is no figure, not zero), with
    ``extra`` (a reader's own, e.g. :data:`FHI_SYMBOLS`) over them, for :func:`parse_number`."""
    return {**_survey_symbols(), **(extra or {})}


def is_flagged(flag: str, symbols: dict[str, str]) -> bool:
    """FHI's suppression flag (``Spvflagg`` 1, 2, 3; a json-stat status ``..``) marks a value
    that is no published figure, whatever number stands beside it; ``0`` or blank is a figure.
    A word in a column that only looks like a flag (a «Status» of «endelig») marks nothing."""
    flag = flag.strip()
    return flag not in ("", "0", "nan") and (flag.isdigit() or symbols.get(flag) == "suppressed")


def is_age_band(text: object) -> bool:
    """An age band (``15-29 år``, ``alle aldre``), as FHI's «Alder» gives it for an indicator
    that is no school survey; a grade (``8-10.trinn``) is not one."""
    text = str(text or "").strip()
    return bool(_AGE_BAND.match(text)) or label_key(text) in value_map("age_band")


def age_band_apart(get: dict[str, str], names: list[str]) -> None:
    """An age band in the grade's role is a category of the indicator (its identity and
    label), and the row has no grade: moved from ``get`` to ``names``."""
    if is_age_band(get.get("grade")):
        names.append(get.pop("grade"))


def category_heading(header: list[str], categories: list[int], row: list[str]) -> str | None:
    """The headers of a row's filled category columns (``Ungdata: Brukt hasj siste år``), which
    name an indicator whose file has no title; a column that names the indicator by its values
    (a tidy table's «Indikator») is left out."""
    named = [header[i].strip() for i in categories if i < len(row) and str(row[i]).strip()
             and header[i].strip() and "indicator" not in column_roles(
                 [header[i]], "ungdata_columns.csv")[0]]
    return ", ".join(named) or None


def check_one_measure(measures: dict[str, dict[str, str]], column: str,
                      file_name: str) -> None:
    """One measure (Måltall) per indicator: ``measures`` is indicator name → measures found
    (label_key → as written).  Standardised and unstandardised shares, or a count beside them,
    are different figures of one question; the user chooses one in FHI's statistics bank."""
    bad = [Problem(f"{column} har flere måltall for «{name}»: "
                   + ", ".join(f"«{m}»" for m in sorted(found.values(), key=label_key))
                   + "; velg ett måltall i FHIs statistikkbank og last ned filen på nytt")
           for name, found in measures.items() if len(found) > 1]
    if bad:
        raise IngestError(file_name, bad)


def indicator_name(indicator: str, label: str | None) -> str:
    """How a message names an indicator: its new label, else the catalogue's label."""
    if label:
        return label
    return next((row[1] for row in indicator_catalogue() if row[0] == indicator), indicator)
