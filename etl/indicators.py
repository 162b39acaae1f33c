"""The indicator catalogue's names: known ids, aliases, ids and labels for new indicators, units.

The catalogue itself lives in the database (``indicators``, seeded from
``data/reference/indicators.csv``, see :mod:`etl.knowledge` and :mod:`etl.catalogue`).  A
reader recognises the reference entries and their aliases here; an indicator it does not
recognise gets :func:`new_indicator_id` of the words the file uses for it, so the same export
gives the same id next year.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

from etl.knowledge import indicator_catalogue
from etl.readers.stat_text import alias_rows
from etl.vocab import label_key

PERCENT = "prosent"
_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "é": "e", "ü": "u", "ö": "o",
                          "ä": "a"})


@cache
def indicator_lookup() -> dict[str, str]:
    """label_key of an id, a catalogue label or an alias (etl/vocab/indicator_aliases.csv) → id."""
    lookup = {}
    for indicator, label, *_ in indicator_catalogue():
        lookup[label_key(indicator)] = indicator
        lookup[label_key(label)] = indicator
    for indicator, alias in alias_rows("indicator_aliases.csv"):
        lookup[label_key(alias)] = indicator
    return lookup


def new_indicator_id(label: str) -> str:
    """A stable id from the words a file uses: ``Fornøyd med livet`` → ``fornoyd_med_livet``
    (long labels are cut and get six characters of a hash of the whole label)."""
    key = label_key(label)
    slug = re.sub(r"[^a-z0-9]+", "_", key.translate(_LETTERS)).strip("_") or "indikator"
    if len(slug) > 48:
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
        slug = f"{slug[:40].rstrip('_')}_{digest}"
    return slug


@cache
def _unit_phrases() -> tuple[tuple[str, str], ...]:
    return tuple((label_key(phrase), unit) for phrase, unit in alias_rows("units.csv"))


def known_unit(text: object) -> str | None:
    """The unit a text states by a phrase of etl/vocab/units.csv, or None."""
    key = label_key(text)
    return next((unit for phrase, unit in _unit_phrases() if phrase in key), None)


def unit_of(measure: object) -> str:
    """The unit a measure text states (etl/vocab/units.csv); its own wording when none matches,
    ``prosent`` only when it says so."""
    text = re.sub(r"\s+", " ", str(measure).replace("\u00a0", " ")).strip()
    return known_unit(text) or text


def check_aliases() -> list[str]:
    """Aliases pointing at an id the catalogue does not have (a test keeps this empty)."""
    ids = {row[0] for row in indicator_catalogue()}
    return sorted({indicator for indicator, _ in alias_rows("indicator_aliases.csv")} - ids
                  | {indicator for indicator, _ in alias_rows("fhi_indicators.csv")} - ids)
