"""The indicator catalogue (``data/reference/indicators.csv``) and the names it is known by."""

from __future__ import annotations

from functools import cache

from etl.knowledge import indicator_catalogue
from etl.readers.stat_text import alias_rows
from etl.vocab import label_key


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


def check_aliases() -> list[str]:
    """Aliases pointing at an id the catalogue does not have (a test keeps this empty)."""
    ids = {row[0] for row in indicator_catalogue()}
    return sorted({indicator for indicator, _ in alias_rows("indicator_aliases.csv")} - ids
                  | {indicator for indicator, _ in alias_rows("fhi_indicators.csv")} - ids)
