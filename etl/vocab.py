"""Label and header aliases, loaded from the CSV files in ``etl/vocab/``.

A new spelling in a police or survey file should be a new line in one of those files, not new
code.  Every lookup goes through :func:`label_key`, so case, surrounding spaces, repeated
spaces and a trailing ``:`` or ``.`` never matter.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VOCAB_DIR = Path(__file__).with_name("vocab")
TOTAL = "Totalt"
DIMENSIONS = ("crime_type", "age", "gender")
AGES = ("<10", "10", "11", "12", "13", "14", "15", "16", "17")
GENDERS = ("Jenter", "Gutter")

_SPACES = re.compile(r"\s+")


def label_key(text: object) -> str:
    """The form in which labels are compared: case-folded, single-spaced, no trailing ':' or '.'."""
    s = _SPACES.sub(" ", str(text).replace("\u00a0", " ")).strip().rstrip(":.").strip()
    return s.casefold()


def _rows(name: str) -> list[list[str]]:
    with open(VOCAB_DIR / name, encoding="utf-8", newline="") as fh:
        return [
            [cell.strip() for cell in row]
            for row in csv.reader(fh)
            if row and row[0].strip() and not row[0].lstrip().startswith("#")
        ]


@dataclass(frozen=True)
class Vocab:
    """Alias maps from :func:`label_key` of a spelling to the canonical value."""

    crime_types: dict[str, str]
    police_groups: tuple[str, ...]
    ages: dict[str, str]
    genders: dict[str, str]
    totals: frozenset[str]
    gender_splits: dict[str, tuple[str, str]]
    headers: dict[str, str]
    symbols: dict[str, str]
    offender_titles: tuple[str, ...] = ()  # phrases naming a table of offenders, label_key'd

    def lookup(self, dimension: str, text: object) -> str | None:
        """Canonical value of ``text`` in ``dimension`` (``Totalt`` for a total), or None."""
        key = label_key(text)
        if key in self.totals:
            return TOTAL
        table = {"crime_type": self.crime_types, "age": self.ages,
                 "gender": self.genders}[dimension]
        return table.get(key)

    def classify_row_label(self, text: object) -> tuple[str, object] | None:
        """What a row label in a police table stands for.

        Returns ``("total", None)``, ``("gender_split", (first, second))`` or
        ``(dimension, canonical)``; None when the label is not known.
        """
        key = label_key(text)
        if key in self.totals:
            return ("total", None)
        if key in self.gender_splits:
            return ("gender_split", self.gender_splits[key])
        for dimension, table in (("crime_type", self.crime_types), ("age", self.ages),
                                 ("gender", self.genders)):
            if key in table:
                return (dimension, table[key])
        return None

    def header(self, text: object) -> str | None:
        return self.headers.get(label_key(text))

    def counts_offenders(self, text: object) -> bool:
        """True when a table's title or header label says it counts offenders
        (gjerningspersoner), not offences: a phrase of ``offender_titles.csv`` as whole words."""
        if text is None:
            return False
        key = label_key(text)
        return any(re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", key)
                   for phrase in self.offender_titles)


@cache
def load_vocab() -> Vocab:
    crime_rows = _rows("crime_types.csv")
    police = []
    for canonical, _alias, group in crime_rows:
        if group == "1" and canonical not in police:
            police.append(canonical)
    return Vocab(
        crime_types={label_key(alias): canonical for canonical, alias, _ in crime_rows},
        police_groups=tuple(police),
        ages={label_key(alias): canonical for canonical, alias in _rows("ages.csv")},
        genders={label_key(alias): canonical for canonical, alias in _rows("genders.csv")},
        totals=frozenset(label_key(row[0]) for row in _rows("totals.csv")),
        gender_splits={label_key(a): (f, s) for a, f, s in _rows("gender_splits.csv")},
        headers={label_key(alias): column for column, alias in _rows("headers.csv")},
        symbols={symbol: meaning for symbol, meaning in _rows("symbols.csv")},
        offender_titles=tuple(label_key(row[0]) for row in _rows("offender_titles.csv")),
    )
