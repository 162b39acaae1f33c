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
from functools import cache, lru_cache
from pathlib import Path

VOCAB_DIR = Path(__file__).with_name("vocab")
TOTAL = "Totalt"
DIMENSIONS = ("crime_type", "age", "gender")
DIMENSION_NAMES = {"crime_type": "krimtype", "age": "alder", "gender": "kjønn"}  # in messages
AGES = ("<10", "10", "11", "12", "13", "14", "15", "16", "17")
GENDERS = ("Jenter", "Gutter")
UNKNOWN = "Ukjent"  # an age or a gender the police did not record (ages.csv, genders.csv)

_SPACES = re.compile(r"\s+")


def label_key(text: object) -> str:
    """The form in which labels are compared: case-folded, single-spaced, no trailing ':' or '.'."""
    return _key(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    # Deciding a file's kind compares the same few hundred header cells with every reader's
    # vocabulary: thousands of calls for a handful of distinct texts.
    s = _SPACES.sub(" ", text.replace("\u00a0", " ")).strip().rstrip(":.").strip()
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


def user_rows() -> tuple:
    """The user's lines known now (see :func:`using_aliases`): a cache key for tables built
    from :func:`vocab_rows`."""
    return _USER_ROWS.get()


def vocab_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The lines of ``etl/vocab/<name>`` (without comments), and the user's for that file."""
    return tuple(_rows(name, _USER_ROWS.get()))


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

        Returns ``("total", None)``, ``("gender_split", (first, second))``,
        ``(dimension, canonical)``, or ``("ambiguous", dimensions)`` for a label of more than
        one dimension (a bare «Ukjent»: its column says which in a long table, nothing does in
        a cross table); None when the label is not known.
        """
        key = label_key(text)
        if key in self.totals:
            return ("total", None)
        if key in self.gender_splits:
            return ("gender_split", self.gender_splits[key])
        found = [(dimension, table[key]) for dimension, table in (
            ("crime_type", self.crime_types), ("age", self.ages), ("gender", self.genders))
            if key in table]
        if len(found) > 1:  # «Ukjent»: an unknown age or an unknown gender
            return ("ambiguous", tuple(dimension for dimension, _ in found))
        return found[0] if found else None

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

# What ``slt alias legg-til KIND`` teaches, with an example of a meaning for the messages.
ALIAS_KINDS = {"krimtype": "Vinning", "alder": "15", "kjønn": "Jenter", "total": "",
               "kolonne": "Krimtype", "skolenivå": "Ungdomsskole",
               "lovbruddsgruppe": "Eiendomstyveri", "region": "Porsgrunn"}
# The column names of every family of files, (role, alias, priority) lines; the police long
# tables' ``headers.csv`` is (column, alias).  A column's alias goes to each file that knows
# its meaning: «Årstall» is the year in every family.
ROLE_FILES = ("population_columns.csv", "ungdata_columns.csv", "fhi_columns.csv",
              "ssb_08487_columns.csv")
# stat_values.csv dimensions taught by a kind of its own
STAT_VALUES = {"skolenivå": "school_level", "lovbruddsgruppe": "offence_group"}
_DIMENSIONS = {"krimtype": "crime_type", "alder": "age", "kjønn": "gender"}
_WORDS = {"crime_type": "krimtypen", "age": "alderen", "gender": "kjønnet",
          "school_level": "skolenivået", "offence_group": "lovbruddsgruppen"}


def column_names() -> dict[str, str]:
    """Column → the name a user knows it by: the first spelling of ``headers.csv``."""
    names: dict[str, str] = {}
    for column, alias in _package_rows("headers.csv"):
        names.setdefault(column, alias)
    return names


def _column_lines(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """The column lines (file, line) whose alias is ``name``, in every family."""
    key = label_key(name)
    lines = [("headers.csv", row) for row in _rows("headers.csv", _USER_ROWS.get())
             if label_key(row[1]) == key]
    return lines + [(file, row) for file in ROLE_FILES for row in _rows(file, _USER_ROWS.get())
                    if label_key(row[1]) == key]


def _stat_value(dimension: str, name: str) -> str | None:
    key = label_key(name)
    rows = _rows("stat_values.csv", _USER_ROWS.get())
    return next((canonical for dim, alias, canonical in rows
                 if dim == dimension and key in (label_key(alias), label_key(canonical))), None)


def _known_as(kind: str, alias: str, vocab: Vocab) -> str | None:
    """What ``alias`` already means to the readers, in words, or None."""
    if kind == "kolonne":
        if (column := vocab.header(alias)) is not None:
            return f"kolonnen {column_names()[column]}"
        return "en kolonne" if _column_lines(alias) else None
    if kind in STAT_VALUES:
        found = _stat_value(STAT_VALUES[kind], alias)
        return None if found is None else f"{_WORDS[STAT_VALUES[kind]]} {found}"
    found = vocab.classify_row_label(alias)
    if found is None:
        return None
    dimension, canonical = found
    if dimension == "total":
        return "en total"
    if dimension == "gender_split":
        return "fordelingen jenter/gutter"
    if dimension == "ambiguous":
        return " eller ".join(f"{_WORDS[d]} {vocab.lookup(d, alias)}" for d in canonical)
    return f"{_WORDS[dimension]} {canonical}"


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def _region_row(alias: str, meaning: str | None, regions
                ) -> tuple[str, list[tuple[str, tuple[str, ...]]], str]:
    """A region name: ``meaning`` must be a region ``regions`` (a
    :class:`etl.regions.RegionCatalogue`) knows, ``alias`` one it does not."""
    if (known := regions.resolve(alias)) is not None:
        raise ValueError(f"«{alias}» er allerede kjent som regionen {known.name}")
    if not meaning:
        raise ValueError(f"oppgi hva «{alias}» betyr, f.eks.: slt alias legg-til region "
                         f"\"{alias}\" {ALIAS_KINDS['region']}")
    region = regions.resolve(meaning)
    if region is None:
        raise ValueError(f"«{_clean(meaning)}» er ingen region programmet kjenner"
                         f"{regions.did_you_mean(meaning)} Kjente regioner er kommunene, "
                         "fylkene, politidistriktene, regiongruppene og Hele landet")
    return alias, [("region_aliases.csv", (alias, region.region_code))], \
        f"regionen {region.name}"


def alias_row(kind: str, alias: str, meaning: str | None, new: bool = False,
              regions=None) -> tuple[str, list[tuple[str, tuple[str, ...]]], str]:
    """The alias as stored (spaces tidied), the lines (vocab file, line) it adds, and what it
    will mean in words; ValueError, in Norwegian, when it cannot be one.  ``new``: a crime type
    of its own (``meaning`` may then be left out: the alias is its name).  ``regions``: the
    region catalogue a ``region`` is checked against (default: the reference one)."""
    if kind not in ALIAS_KINDS:
        raise ValueError(f"ukjent type «{kind}»; bruk en av: {', '.join(ALIAS_KINDS)}")
    vocab, example, alias = load_vocab(), ALIAS_KINDS[kind], _clean(alias)
    if not label_key(alias):
        raise ValueError("navnet er tomt")
    if kind == "region":
        if regions is None:
            from etl.regions import load_catalogue  # etl.regions reads this module

            regions = load_catalogue()
        return _region_row(alias, meaning, regions)
    if (known := _known_as(kind, alias, vocab)) is not None:
        raise ValueError(f"«{alias}» er allerede kjent som {known}")
    if kind == "total":
        if meaning:
            raise ValueError(f"en total betyr alltid «summert over alle»; skriv bare: "
                             f"slt alias legg-til total \"{alias}\"")
        return alias, [("totals.csv", (alias,))], "en total (summert over alle)"
    if new and kind == "krimtype":
        name = _clean(meaning or alias)
        if vocab.lookup("crime_type", name) is not None:
            raise ValueError(f"«{name}» er allerede en kjent krimtype; dropp --ny")
        return alias, [("crime_types.csv", (name, alias, "0"))], f"krimtypen {name} (ny)"
    if not meaning:
        raise ValueError(f"oppgi hva «{alias}» betyr, f.eks.: slt alias legg-til {kind} "
                         f"\"{alias}\" {example}")
    if kind == "kolonne":
        lines = [(file, (row[0], alias, *row[2:])) for file, row in _column_lines(meaning)]
        if not lines:
            raise ValueError(f"«{meaning}» er ingen kolonne programmet kjenner; kjente er f.eks. "
                             f"{', '.join(column_names().values())}")
        return alias, lines, f"kolonnen «{_clean(meaning)}»"
    if kind in STAT_VALUES:
        dimension = STAT_VALUES[kind]
        canonical = _stat_value(dimension, meaning)
        if canonical is None:
            known = dict.fromkeys(c for d, _a, c in _rows("stat_values.csv") if d == dimension)
            raise ValueError(f"«{meaning}» er ingen {kind} programmet kjenner; kjente er "
                             f"{', '.join(known)}")
        return alias, [("stat_values.csv", (dimension, alias, canonical))], \
            f"{_WORDS[dimension]} {canonical}"
    dimension = _DIMENSIONS[kind]
    canonical = vocab.lookup(dimension, meaning)
    if canonical is None or canonical == TOTAL:
        choices = {"crime_type": vocab.crime_types, "age": vocab.ages,
                   "gender": vocab.genders}[dimension]
        hint = " (er det en ny krimtype, legg til --ny)" if kind == "krimtype" else ""
        raise ValueError(f"«{meaning}» er ingen {kind} programmet kjenner; kjente er "
                         f"{', '.join(dict.fromkeys(choices.values()))}{hint}")
    file = {"crime_type": "crime_types.csv", "age": "ages.csv", "gender": "genders.csv"}[dimension]
    row = (canonical, alias, "0") if kind == "krimtype" else (canonical, alias)
    return alias, [(file, row)], f"{_WORDS[dimension]} {canonical}"


def alias_hint(kind: str, label: str, example: str | None = None) -> str:
    """How a user teaches the readers ``label`` (of a ``kind`` of :data:`ALIAS_KINDS`), for the
    end of a refusal; ``example``: a meaning that fits the file (default: the kind's)."""
    if kind == "total":
        return (f"er det en total, lær programmet det med: slt alias legg-til total "
                f"\"{label}\" (eller på siden Last opp)")
    example = example or ALIAS_KINDS[kind]
    new = f", eller --ny i stedet for {example} om det er en ny krimtype" if kind == "krimtype" \
        else ""
    typed = f'"{example}"' if re.search(r"[^\w-]", example) else example  # one shell word
    return (f"er navnet riktig, lær programmet hva det betyr med: slt alias legg-til {kind} "
            f"\"{label}\" {typed} (med det riktige i stedet for {example}{new}), eller på "
            "siden Last opp")
