"""Label and header aliases, loaded from the CSV files in ``etl/vocab/``.

A new spelling in a police or survey file should be a new line in one of those files, not new
code.  Every lookup goes through :func:`label_key`, so case, surrounding spaces, repeated
spaces and a trailing ``:`` or ``.`` never matter.

Users never edit those files: their own spellings (``slt alias``, :mod:`etl.aliases`) are stored
in the database and added to the package's for as long as an ingest runs
(:func:`using_aliases`); :func:`alias_row` checks one and turns it into a line of the file it
extends.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator
from contextvars import ContextVar
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


# The user's own lines, (vocab file, row), added to the package's while an ingest runs.
_USER_ROWS: ContextVar[tuple[tuple[str, tuple[str, ...]], ...]] = ContextVar(
    "user_vocab_rows", default=())


@contextlib.contextmanager
def using_aliases(rows) -> Iterator[None]:
    """Within the block, :func:`load_vocab` also knows ``rows``: (vocab file, row) pairs as
    :func:`alias_row` makes them (the user's aliases, :func:`etl.aliases.stored_rows`)."""
    token = _USER_ROWS.set(tuple((name, tuple(row)) for name, row in rows))
    try:
        yield
    finally:
        _USER_ROWS.reset(token)


@cache
def _package_rows(name: str) -> tuple[tuple[str, ...], ...]:
    with open(VOCAB_DIR / name, encoding="utf-8", newline="") as fh:
        return tuple(
            tuple(cell.strip() for cell in row)
            for row in csv.reader(fh)
            if row and row[0].strip() and not row[0].lstrip().startswith("#")
        )


def _rows(name: str, user: tuple = ()) -> list[tuple[str, ...]]:
    return [*_package_rows(name), *(row for file, row in user if file == name)]


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


def load_vocab() -> Vocab:
    """The package's aliases, and the user's within :func:`using_aliases`."""
    return _load_vocab(_USER_ROWS.get())


@cache
def _load_vocab(user: tuple) -> Vocab:
    crime_rows = _rows("crime_types.csv", user)
    police = []
    for canonical, _alias, group in crime_rows:
        if group == "1" and canonical not in police:
            police.append(canonical)
    return Vocab(
        crime_types={label_key(alias): canonical for canonical, alias, _ in crime_rows},
        police_groups=tuple(police),
        ages={label_key(alias): canonical for canonical, alias in _rows("ages.csv", user)},
        genders={label_key(alias): canonical for canonical, alias in _rows("genders.csv", user)},
        totals=frozenset(label_key(row[0]) for row in _rows("totals.csv", user)),
        gender_splits={label_key(a): (f, s) for a, f, s in _rows("gender_splits.csv", user)},
        headers={label_key(alias): column for column, alias in _rows("headers.csv", user)},
        symbols={symbol: meaning for symbol, meaning in _rows("symbols.csv", user)},
        offender_titles=tuple(label_key(row[0]) for row in _rows("offender_titles.csv", user)),
    )


# --- the user's own aliases (``slt alias``) --------------------------------------------------

@dataclass(frozen=True)
class AliasKind:
    """What ``slt alias legg-til KIND`` teaches: a line of ``file``, and an example meaning."""

    file: str
    dimension: str | None  # crime_type, age or gender; None for a total or a column
    example: str


ALIAS_KINDS = {
    "krimtype": AliasKind("crime_types.csv", "crime_type", "Vinning"),
    "alder": AliasKind("ages.csv", "age", "15"),
    "kjønn": AliasKind("genders.csv", "gender", "Jenter"),
    "total": AliasKind("totals.csv", None, ""),
    "kolonne": AliasKind("headers.csv", None, "Krimtype"),
}


def column_names(vocab: Vocab) -> dict[str, str]:
    """Column → the name a user knows it by: the first spelling of ``headers.csv``."""
    names: dict[str, str] = {}
    for column, alias in _package_rows("headers.csv"):
        names.setdefault(column, alias)
    return names


def _known_as(kind: str, alias: str, vocab: Vocab) -> str | None:
    """What ``alias`` already means to the readers, in words, or None."""
    if kind == "kolonne":
        column = vocab.header(alias)
        return None if column is None else f"kolonnen {column_names(vocab)[column]}"
    found = vocab.classify_row_label(alias)
    if found is None:
        return None
    dimension, canonical = found
    words = {"crime_type": "krimtypen", "age": "alderen", "gender": "kjønnet"}
    if dimension == "total":
        return "en total"
    if dimension == "gender_split":
        return "fordelingen jenter/gutter"
    return f"{words[dimension]} {canonical}"


def alias_row(kind: str, alias: str, meaning: str | None,
              new: bool = False) -> tuple[str, tuple[str, ...], str]:
    """(vocab file, the line to add to it, what the alias will mean in words) for a user's
    alias; ValueError, in Norwegian, when it cannot be one.  ``new``: a crime type of its own
    (``meaning`` may then be left out: the alias is its name)."""
    if kind not in ALIAS_KINDS:
        raise ValueError(f"ukjent type «{kind}»; bruk en av: {', '.join(ALIAS_KINDS)}")
    vocab, spec = load_vocab(), ALIAS_KINDS[kind]
    alias = _SPACES.sub(" ", alias.replace("\u00a0", " ")).strip()
    if not label_key(alias):
        raise ValueError("navnet er tomt")
    if (known := _known_as(kind, alias, vocab)) is not None:
        raise ValueError(f"«{alias}» er allerede kjent som {known}")
    if kind == "total":
        if meaning:
            raise ValueError(f"en total betyr alltid «summert over alle»; skriv bare: "
                             f"slt alias legg-til total \"{alias}\"")
        return spec.file, (alias,), "en total (summert over alle)"
    if new and kind == "krimtype":
        name = _SPACES.sub(" ", meaning or alias).strip()
        if vocab.lookup("crime_type", name) is not None:
            raise ValueError(f"«{name}» er allerede en kjent krimtype; dropp --ny")
        return spec.file, (name, alias, "0"), f"krimtypen {name} (ny)"
    if not meaning:
        raise ValueError(f"oppgi hva «{alias}» betyr, f.eks.: slt alias legg-til {kind} "
                         f"\"{alias}\" {spec.example}")
    if kind == "kolonne":
        column = vocab.header(meaning)
        if column is None:
            raise ValueError(f"«{meaning}» er ingen kolonne programmet kjenner; kjente er "
                             f"{', '.join(column_names(vocab).values())}")
        return spec.file, (column, alias), f"kolonnen {column_names(vocab)[column]}"
    canonical = vocab.lookup(spec.dimension, meaning)
    if canonical is None or canonical == TOTAL:
        choices = {"crime_type": vocab.crime_types, "age": vocab.ages,
                   "gender": vocab.genders}[spec.dimension]
        hint = " (er det en ny krimtype, legg til --ny)" if kind == "krimtype" else ""
        raise ValueError(f"«{meaning}» er ingen {kind} programmet kjenner; kjente er "
                         f"{', '.join(dict.fromkeys(choices.values()))}{hint}")
    row = (canonical, alias, "0") if kind == "krimtype" else (canonical, alias)
    return spec.file, row, _known_as(kind, meaning, vocab)


def alias_hint(kind: str, label: str) -> str:
    """How a user teaches the readers ``label`` (of a ``kind`` of :data:`ALIAS_KINDS`), for the
    end of a refusal."""
    if kind == "total":
        return (f"er det en total, lær programmet det med: slt alias legg-til total "
                f"\"{label}\" (eller på siden Last opp)")
    example = ALIAS_KINDS[kind].example
    return (f"er navnet riktig, lær programmet hva det betyr med: slt alias legg-til {kind} "
            f"\"{label}\" {example} (med det riktige i stedet for {example}), eller på siden "
            "Last opp")
