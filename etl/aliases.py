"""The user's own spellings, stored in the database: ``slt alias`` teaches the readers that
«Tyveri fra butikk» is the crime type Vinning, or «Lovbruddstype» the column Krimtype, without
anyone editing a file of the installed package.  One alias may add a line to several vocab files
(a column name to every family of files that knows its meaning): one row each, one upload.

Each change is one upload (source ``alias``) that ``slt rollback`` undoes, like a catalogue entry
or a region group; a refused change writes nothing.  Every ingest reads the stored aliases
(:func:`stored_rows`) and adds them to the package's for as long as it runs
(:func:`etl.vocab.using_aliases`).  An alias changes how later files are read, never figures
already stored.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb

from etl.groups import catalogue_for
from etl.store import connect_read, writing
from etl.uploads import Attempt, record
from etl.vocab import alias_row, label_key, load_vocab, using_aliases

SOURCE = "alias"
SCHEMA = [
    """CREATE TABLE IF NOT EXISTS vocab_aliases (
        kind VARCHAR NOT NULL, alias VARCHAR NOT NULL, meaning VARCHAR NOT NULL,
        vocab_file VARCHAR NOT NULL, vocab_row VARCHAR[] NOT NULL, upload_id INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS vocab_aliases_history AS
        SELECT *, 0 AS removed_by, '' AS removal FROM vocab_aliases WHERE false""",
]


class AliasError(Exception):
    """The alias cannot be added or removed; the message says why, in Norwegian."""


def ensure_aliases(con: duckdb.DuckDBPyConnection) -> None:
    """Create the alias tables (idempotent); called from :func:`etl.store.ensure_schema`."""
    for statement in SCHEMA:
        con.execute(statement)


def rows_in(con: duckdb.DuckDBPyConnection) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The aliases stored in the open store ``con`` as (vocab file, line) pairs."""
    return tuple((file, tuple(row)) for file, row in con.execute(
        "SELECT vocab_file, vocab_row FROM vocab_aliases ORDER BY upload_id").fetchall())


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'vocab_aliases'")
                .fetchall())


def stored_rows(db_path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The stored aliases as (vocab file, line) pairs; none for a store not made yet or made
    before aliases."""
    return _read_stored(db_path, rows_in, ())


def _read_stored(db_path: Path, read, empty):
    """``read(con)`` on the store, or ``empty`` for a store not made yet or made before
    aliases."""
    if not Path(db_path).exists():
        return empty
    with connect_read(db_path) as con:
        return read(con) if _has_table(con) else empty


@contextlib.contextmanager
def known_in(db_path: Path) -> Iterator[None]:
    """Within the block, :func:`etl.vocab.load_vocab` also knows the names stored in
    ``db_path``: for what reads the vocabulary outside an ingest (the catalogue's crime types,
    a goal edited in the browser)."""
    with using_aliases(stored_rows(db_path)):
        yield


def crime_types(db_path: Path) -> list[str]:
    """Every crime type the readers know: the package's, then those taught with ``slt alias
    legg-til krimtype NAVN --ny`` stored in ``db_path``."""
    with known_in(db_path):
        return list(dict.fromkeys(load_vocab().crime_types.values()))


def listing(db_path: Path) -> list[tuple[str, str, str, int]]:
    """(kind, alias, meaning in words, upload id) of every stored alias, oldest first."""
    return _read_stored(db_path, lambda con: con.execute(
        "SELECT kind, alias, any_value(meaning), upload_id FROM vocab_aliases GROUP BY ALL "
        "ORDER BY upload_id").fetchall(), [])


def add(db_path: Path, kind: str, alias: str, meaning: str | None, user: str | None = None,
        new: bool = False) -> tuple[int, str]:
    """Store one alias; returns (upload id, what it now means).  AliasError when the alias is
    already known, or its meaning is not."""
    with writing(db_path) as con:
        with using_aliases(rows_in(con)):  # known to the package or already stored
            # a region: checked against the regions an ingest reads, the stored groups too
            regions = catalogue_for(db_path) if kind == "region" else None
            try:
                name, lines, words = alias_row(kind, alias, meaning, new, regions)
            except ValueError as refused:
                raise AliasError(str(refused)) from None
        message = f"«{name}» betyr nå {words}"
        upload_id = record(con, Attempt(f"alias: {name}", "", SOURCE, user), "accepted",
                           message, rows=1)
        con.executemany("INSERT INTO vocab_aliases VALUES (?, ?, ?, ?, ?, ?)",
                        [[kind, name, words, file, list(row), upload_id] for file, row in lines])
    return upload_id, message


def remove(db_path: Path, kind: str, alias: str, user: str | None = None) -> tuple[int, str]:
    """Take a stored alias away (the package's own spellings cannot be); returns (upload id,
    message).  The alias moves to the history, so ``slt rollback`` of this change restores it."""
    with writing(db_path) as con:
        found = [(name, upload) for name, upload in con.execute(
            "SELECT DISTINCT alias, upload_id FROM vocab_aliases WHERE kind = ?",
            [kind]).fetchall() if label_key(name) == label_key(alias)]
        if not found:
            raise AliasError(f"«{alias}» er ikke et navn dere har lagt til som {kind}; se "
                             "«slt alias vis»")
        [(name, added)] = found
        message = f"«{name}» er ikke lenger et navn for {kind} (lagt til i opplasting {added})"
        upload_id = record(con, Attempt(f"alias: {name}", "", SOURCE, user), "accepted",
                           message, rows=1)
        con.execute("INSERT INTO vocab_aliases_history SELECT *, ?, 'replaced' "
                    "FROM vocab_aliases WHERE upload_id = ?", [upload_id, added])
        con.execute("DELETE FROM vocab_aliases WHERE upload_id = ?", [added])
    return upload_id, message
