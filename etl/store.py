"""The DuckDB store: schema, the one way to write, and read-only access.

Writes never touch the live file.  :func:`writing` copies it, applies one transaction to the
copy, checkpoints, and moves the copy over the live file with ``os.replace``; readers that
opened the old file keep reading it, new readers see the new one, and a crash at any moment
leaves either the old or the new figures, never a mix.  A lock file serialises writers.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb

from etl.totals import stored_total

# 2: u18_current and u18_history have ``offenders``; 3: u18_current does not store the totals
# by crime type and age or by age and gender that its leaf rows give (see u18_rows)
SCHEMA_VERSION = 3

_LEAF = "crime_type <> 'Totalt' AND age <> 'Totalt' AND gender <> 'Totalt'"
# A total of the kinds the store leaves to be summed (not etl.totals.stored): given by a file,
# or stored by a version before schema 3.
_SUMMED_KIND = f"'Totalt' IN (crime_type, age, gender) AND NOT {stored_total()}"
_COLUMNS = ("region_code, year, counted_through, crime_type, age, gender, offences, suppressed, "
            "upload_id, offenders")
_NAMED = "(SELECT r.name AS region, u.* FROM u18_current u JOIN regions r USING (region_code){})"


def _leaf_sums(source: str) -> str:
    """The totals by crime type and age, and by age and gender, of the leaf rows (every
    dimension given) of ``source`` (rows of ``u18_current`` with the region's name,
    ``region``): one region-year's rows come from one upload; a sum with a suppressed part is
    unknown (no row), as when a file is read."""
    common = ("region, region_code, year, any_value(counted_through) AS counted_through, "
              "{labels}, CAST(sum(offences) AS INTEGER) AS offences, FALSE AS suppressed, "
              "any_value(upload_id) AS upload_id, CAST(NULL AS INTEGER) AS offenders")
    return " UNION ALL ".join(
        f"SELECT {common.format(labels=labels)} FROM {source} WHERE {_LEAF} "
        f"GROUP BY region, region_code, year, {group} HAVING NOT bool_or(suppressed)"
        for labels, group in (("crime_type, age, 'Totalt' AS gender", "crime_type, age"),
                              ("'Totalt' AS crime_type, age, gender", "age, gender")))


def u18_rows(one_region: bool = False) -> str:
    """SQL of the police rows: ``region`` (its name), then the columns of ``u18_current``.
    The stored rows, and the totals by crime type and age and by age and gender that a file
    of all three dimensions leaves to be summed from its leaf rows (:func:`etl.totals.stored`);
    a store written before schema 3 holds those itself, and they are not added twice.
    ``one_region``: only the region named by the bound parameter ``$region``, its rows read
    once (a filter on ``region`` outside reaches the rows too, but reads them three times)."""
    if one_region:
        head, source = f"WITH c AS MATERIALIZED {_NAMED.format(' WHERE r.name = $region')} ", "c"
        stored = "c"
    else:
        head, source, stored = "", _NAMED.format(""), "u18_current"
    return (f"{head}SELECT region, {_COLUMNS} FROM {source} UNION ALL "
            f"SELECT s.* FROM ({_leaf_sums(source)}) s ANTI JOIN "
            f"(SELECT region_code, year, crime_type, age, gender FROM {stored} "
            f"WHERE {_SUMMED_KIND}) c USING (region_code, year, crime_type, age, gender)")


SCHEMA = [
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS regions (
        region_code VARCHAR NOT NULL, name VARCHAR NOT NULL, level VARCHAR NOT NULL,
        kommunenummer VARCHAR, fylke_code VARCHAR, politidistrikt_code VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS region_members (
        region_code VARCHAR NOT NULL, kommune_code VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS uploads (
        upload_id INTEGER NOT NULL, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
        uploaded_at TIMESTAMP NOT NULL, uploaded_by VARCHAR, source VARCHAR,
        regions VARCHAR[], years INTEGER[], rows BIGINT, outcome VARCHAR NOT NULL,
        message VARCHAR, rolled_back_at TIMESTAMP, rolled_back_by VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS u18_history (
        region_code VARCHAR NOT NULL, year SMALLINT NOT NULL, counted_through DATE,
        crime_type VARCHAR NOT NULL, age VARCHAR NOT NULL, gender VARCHAR NOT NULL,
        offences INTEGER, suppressed BOOLEAN NOT NULL, upload_id INTEGER NOT NULL,
        removed_by INTEGER NOT NULL, removal VARCHAR NOT NULL, offenders INTEGER)""",
    """CREATE TABLE IF NOT EXISTS u18_slices (
        upload_id INTEGER NOT NULL, region_code VARCHAR NOT NULL, year SMALLINT NOT NULL,
        replaced_upload_id INTEGER, state VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS u18_current (
        region_code VARCHAR NOT NULL, year SMALLINT NOT NULL, counted_through DATE,
        crime_type VARCHAR NOT NULL, age VARCHAR NOT NULL, gender VARCHAR NOT NULL,
        offences INTEGER, suppressed BOOLEAN NOT NULL, upload_id INTEGER NOT NULL,
        offenders INTEGER)""",
    f"""CREATE OR REPLACE VIEW u18_offences AS
        SELECT region, year, counted_through, crime_type, age, gender, offences, offenders
        FROM ({u18_rows()})""",
]


class StoreMissing(Exception):
    """The database file does not exist yet."""


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _writer_lock(db_path: Path) -> Iterator[None]:
    lock_path = db_path.with_name(db_path.name + ".lock")
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {name for (name,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = current_schema() AND table_name = ?", [table]).fetchall()}


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Stores made before schema 2: the police tables get ``offenders`` (NULL: not given).
    It is their last column in new stores too; rows move between them by name.

    Before schema 3: ``u18_current`` drops the totals by crime type and age and by age and
    gender that equal the sum of their leaf rows (derived, or given and checked against it),
    as a new file's are never stored; :func:`u18_rows` adds them when read.  One that carries
    offenders or is the only figure where a part is suppressed stays."""
    for table in ("u18_current", "u18_history"):  # names from this fixed tuple
        if (columns := _columns(con, table)) and "offenders" not in columns:
            con.execute(f"ALTER TABLE {table} ADD COLUMN offenders INTEGER")
    if _columns(con, "u18_current") and _stored_version(con) < 3:
        con.execute(f"""DELETE FROM u18_current
            WHERE offenders IS NULL AND NOT suppressed
              AND (region_code, year, crime_type, age, gender, offences) IN (
                  SELECT region_code, year, crime_type, age, gender, offences
                  FROM ({_leaf_sums(_NAMED.format(''))}))""")


def _stored_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version the store was last written with (0: none recorded yet)."""
    if not _columns(con, "meta"):
        return 0
    rows = con.execute("SELECT max(CAST(value AS INTEGER)) FROM meta "
                       "WHERE key = 'schema_version'").fetchall()
    return rows[0][0] or 0


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing in the current catalog (idempotent)."""
    _migrate(con)
    for statement in SCHEMA:
        con.execute(statement)
    if not con.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchall():
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version' "
                "AND CAST(value AS INTEGER) < ?",
                [str(SCHEMA_VERSION), str(SCHEMA_VERSION)])
    if not con.execute("SELECT 1 FROM regions LIMIT 1").fetchall():
        _load_regions(con)
    from etl.groups import ensure_groups  # region groups stored in the database
    from etl.knowledge import ensure_knowledge  # population, survey and SSB tables and views
    from etl.rates import refresh_derived

    groups_changed = ensure_groups(con)
    ensure_knowledge(con)
    from etl.aliases import ensure_aliases  # the user's own spellings (slt alias)
    from etl.goal_store import ensure_goals  # the plan's goals and their history

    ensure_goals(con)
    ensure_aliases(con)
    if _derived_by_other_queries(con) or groups_changed:  # (a group seeded from the
        refresh_derived(con)                                # reference file: sums follow it)


def _derived_by_other_queries(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the stored derived tables were built by other queries than this version's
    (:func:`etl.rates.derived_queries`: after an upgrade that changed how sums or rates are
    made), so that the write rebuilds them; the queries' digest is kept in ``meta``.  A store
    made before the digest was kept counts as built by other queries when it holds police
    figures."""
    import hashlib

    from etl.rates import derived_queries

    digest = hashlib.sha256("\n".join(derived_queries().values()).encode()).hexdigest()[:16]
    stored = con.execute("SELECT value FROM meta WHERE key = 'derived_queries'").fetchall()
    if stored and stored[0][0] == digest:
        return False
    con.execute("DELETE FROM meta WHERE key = 'derived_queries'")
    con.execute("INSERT INTO meta VALUES ('derived_queries', ?)", [digest])
    return bool(stored) or bool(con.execute("SELECT 1 FROM u18_current LIMIT 1").fetchall())


def _load_regions(con: duckdb.DuckDBPyConnection) -> None:
    from etl.regions import load_catalogue
    from etl.rows import select_rows

    catalogue = load_catalogue()
    regions, params = select_rows(
        {"region_code": "VARCHAR", "name": "VARCHAR", "level": "VARCHAR",
         "kommunenummer": "VARCHAR", "fylke_code": "VARCHAR", "politidistrikt_code": "VARCHAR"},
        [(r.region_code, r.name, r.level, r.kommunenummer, r.fylke_code, r.politidistrikt_code)
         for r in catalogue.regions.values()])
    con.execute(f"INSERT INTO regions {regions}", params)
    members, params = select_rows({"region_code": "VARCHAR", "kommune_code": "VARCHAR"},
                                  [(code, member) for code, members in catalogue.members.items()
                                   for member in members])
    con.execute(f"INSERT INTO region_members {members}", params)


@contextlib.contextmanager
def writing(db_path: Path, con: duckdb.DuckDBPyConnection | None = None,
            dry_run: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction on a copy of the store, published atomically when it commits.

    Before it commits, the ``gruppe`` rows of ``regions`` follow the stored region groups when
    the transaction changed them (:func:`etl.groups.sync_regions`), and the derived tables
    (``u18_rates``, ``u18_region_figures``, ``population_by_code``) follow their inputs
    (:func:`etl.rates.refresh_if_changed`: only the region-years whose police figures changed
    and the regions summing them, or all of them when anything else changed, a group's members
    included).

    ``con`` is a staging connection whose temp tables the transaction may read; the store is
    attached to it as ``store`` and made the default catalog for the duration.  With
    ``dry_run`` the transaction runs in full (same checks, same diff) and is then rolled back:
    nothing is published — this is the upload preview.
    """
    from etl import groups
    from etl.rates import inputs_fingerprint, refresh_if_changed

    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = con or duckdb.connect()
    with _writer_lock(db_path):
        for stale in db_path.parent.glob(f".{db_path.name}.*.tmp"):
            stale.unlink(missing_ok=True)  # left by a writer that was killed; we hold the lock
        tmp = db_path.with_name(f".{db_path.name}.{uuid.uuid4().hex}.tmp")
        try:
            if db_path.exists():
                shutil.copyfile(db_path, tmp)
            con.execute("ATTACH ? AS store", [str(tmp)])
            con.execute("USE store")
            try:
                con.execute("BEGIN")
                ensure_schema(con)
                before, groups_before = inputs_fingerprint(con), groups.fingerprint(con)
                yield con
                if groups.fingerprint(con) != groups_before:  # a group changed or was undone
                    groups.sync_regions(con)
                if not dry_run:  # derived tables follow their inputs in the same transaction
                    refresh_if_changed(con, before)
                con.execute("ROLLBACK" if dry_run else "COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            finally:
                con.execute("USE memory")
            if dry_run:
                return
            con.execute("CHECKPOINT store")
            con.execute("DETACH store")
            _fsync(tmp)
            os.replace(tmp, db_path)
            _fsync(db_path.parent)
        finally:
            with contextlib.suppress(duckdb.Error):
                con.execute("DETACH DATABASE IF EXISTS store")
            tmp.unlink(missing_ok=True)


def connect_read(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published store."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise StoreMissing(str(db_path))
    return duckdb.connect(str(db_path), read_only=True)


def data_version(db_path: Path) -> tuple[int, int]:
    """Changes whenever a new store is published (cheap: one ``stat``)."""
    stat = Path(db_path).stat()
    return stat.st_ino, stat.st_mtime_ns
