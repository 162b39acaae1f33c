"""Ingest a police U18 file: read, stage, validate, then publish in one transaction.

This is the one engine behind ``slt ingest`` and the upload page.  A file that fails any
check writes nothing but its attempt in ``uploads``; a file whose figures are already stored
changes nothing; a newer file for the same region and year replaces the older figures, which
move to ``u18_history`` so :func:`etl.rollback.rollback` can restore them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.changes import describe_changes, figure_changes
from etl.errors import IngestError, Problem
from etl.groups import catalogue_for
from etl.readers import read_u18
from etl.readers.common import ReadResult
from etl.regions import RegionCatalogue, load_catalogue
from etl.staging import drop_staging, stage
from etl.staging_exact import MIN_BYTES as EXACT_MIN_BYTES
from etl.staging_exact import stage_exact
from etl.store import writing
from etl.uploads import UNCHANGED, Attempt, record
from etl.validate import validate
from etl.vocab import load_vocab

SOURCE = "u18"


@dataclass
class Outcome:
    upload_id: int | None  # None for a dry run (preview): nothing was recorded
    status: str  # accepted | unchanged | rejected
    message: str
    regions: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    rows: int = 0
    changes: list[dict] = field(default_factory=list)  # changed figures, old → new (the first
    slices: list[dict] = field(default_factory=list)  # MAX_CHANGES); per region and year
    changed: int = 0  # how many figures change in all (``changes`` may hold fewer)
    # When ``message`` is a summary (a file of many regions and years): every line it
    # summarises, one per region and kind of change.  Stored after the summary in
    # ``uploads.message`` (``slt history --id N --full``, the history page's details).
    details: list[str] = field(default_factory=list)

    def stored_message(self) -> str:
        """``message``, then the full list it summarises, one line each."""
        return "\n".join([self.message, *self.details])


# DuckDB's own memory while a police file is checked and published; beyond it, it spills to a
# temporary directory of its own.  Without a limit it holds up to about eight times a file's
# size (3.3 GB for a 380 MB CSV of ten million rows); with it, the ingest's peak RSS stays
# near the interpreter's own (about 330 MB for a million rows).  The upload page runs this
# engine inside a server worker, on files of at most ``SLT_MAX_UPLOAD_MB`` (20 MB): those get
# :data:`STAGING_MEMORY`.  A larger file (``slt ingest`` of a national history) may use as
# much memory as its own size, up to :data:`STAGING_MEMORY_MAX`: at ten million rows (380 MB)
# that spills less and saves about a tenth of the CPU time, for a peak RSS of about 0.7 GB
# (a ``pandas.read_csv`` of the same file holds 1.6 GB).
MB = 1 << 20
STAGING_MEMORY = 128 * MB
STAGING_MEMORY_MAX = 1024 * MB


def staging_memory(file_bytes: int) -> int:
    """DuckDB's memory limit for staging a file of ``file_bytes``: its size, within
    :data:`STAGING_MEMORY` … :data:`STAGING_MEMORY_MAX`."""
    return min(max(STAGING_MEMORY, file_bytes), STAGING_MEMORY_MAX)


def staging_connection(file_bytes: int = 0) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """An in-memory DuckDB connection with :func:`staging_memory` for a file of
    ``file_bytes``, and the directory it spills to (the caller removes it after closing the
    connection)."""
    spill = Path(tempfile.mkdtemp(prefix="slt-staging-"))
    limit = f"{staging_memory(file_bytes) // MB}MiB"
    return duckdb.connect(config={"memory_limit": limit, "temp_directory": str(spill)}), spill


@contextlib.contextmanager
def unordered(con: duckdb.DuckDBPyConnection):
    """Let DuckDB store and return rows in any order while checking and publishing a file.

    Every step after the read either joins (whose output order SQL never promises) or orders
    explicitly (messages by line, lists sorted), so nothing depends on the order rows are
    stored in.  With insertion order preserved, DuckDB runs order-sensitive work (the inserts
    into ``staged`` and ``u18_current``, ``list()`` aggregates) on one thread once the data
    outgrows :data:`STAGING_MEMORY`: a ten-million-row file used one of two cores.  The
    careful read keeps the order (it numbers the file's lines by rowid), and so do its checks
    (their messages list problems by line), so this covers the staging of a fast read and the
    publish.
    """
    con.execute("SET preserve_insertion_order = false")
    try:
        yield con
    finally:
        con.execute("RESET preserve_insertion_order")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stage_and_check(con, path: Path, file_name: str, region: str | None,
                     today: dt.date | None, fast: bool,
                     catalogue: RegionCatalogue | None = None) -> tuple[ReadResult, list[Problem]]:
    vocab = load_vocab()
    result = read_u18(con, path, file_name, vocab, fast=fast)
    try:
        # A careful read is staged in order, as it always was: it is the one whose problems
        # become messages (a fast read that finds any is read again carefully).
        with unordered(con) if result.fast else contextlib.nullcontext():
            catalogue = catalogue or load_catalogue()
            problems = None
            if path.stat().st_size >= EXACT_MIN_BYTES:  # a large file of known spellings
                problems = stage_exact(con, result, vocab, catalogue, region)
            if problems is None:  # small, or a label not spelled as we know it: the general way
                problems = stage(con, result, vocab, catalogue, region)
            if con.execute("SELECT 1 FROM duckdb_tables() "
                           "WHERE table_name = 'staged'").fetchall():
                problems += validate(con, today)
    finally:
        for tmp in result.temporary:
            tmp.unlink(missing_ok=True)
    return result, problems


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, file_name: str,
               region: str | None = None, today: dt.date | None = None,
               catalogue: RegionCatalogue | None = None) -> list[str]:
    """Read and check ``path`` into the temp table ``staged``; raises IngestError.  Returns
    notes on what the file holds that is not stored (rows for no region, e.g. a «Sum» row).

    A CSV is first read fast: DuckDB's parallel reader straight into ``staged``, without
    line numbers.  Errors are the rare case: if that finds any problem (or the reader fails),
    the file is read again the careful way, into ``raw`` with a line number per row, and the
    messages come from that second pass, naming file, line, column, what was found and what
    was expected.
    """
    try:
        result, problems = _stage_and_check(con, path, file_name, region, today, fast=True,
                                            catalogue=catalogue)
        careful = result.fast and bool(problems)
    except duckdb.Error:
        careful = True
    if careful:
        drop_staging(con)
        result, problems = _stage_and_check(con, path, file_name, region, today, fast=False,
                                            catalogue=catalogue)
    if problems:
        raise IngestError(file_name, problems)
    return result.notes


def _summary(con) -> tuple[list[str], list[int], int]:
    """Regions, years and row count of the staged file (from the small ``staged_slices``)."""
    con.execute("""CREATE OR REPLACE TEMP TABLE staged_slices AS
        SELECT region_code, year, any_value(counted_through) AS counted_through, count(*) AS n
        FROM staged GROUP BY region_code, year""")
    regions = [r for (r,) in con.execute(
        "SELECT DISTINCT r.name FROM staged_slices s JOIN regions r USING (region_code) "
        "ORDER BY 1").fetchall()]
    years = [y for (y,) in con.execute(
        "SELECT DISTINCT year FROM staged_slices ORDER BY 1").fetchall()]
    [(rows,)] = con.execute("SELECT coalesce(sum(n), 0) FROM staged_slices").fetchall()
    return regions, years, int(rows)


def compare_slices(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``slice_changes``: per region and year, what the staged figures would change."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE old_slices AS
        SELECT region_code, year, any_value(counted_through) AS counted_through,
               any_value(upload_id) AS upload_id
        FROM u18_current SEMI JOIN staged_slices USING (region_code, year)
        GROUP BY region_code, year""")
    cols = "region_code, year, crime_type, age, gender, offences, suppressed, offenders"
    # Only region-years stored before can differ; a new one needs no row-by-row comparison.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE slice_differences AS
        SELECT region_code, year, count(*) AS n FROM (
            (SELECT {cols} FROM staged SEMI JOIN old_slices USING (region_code, year)
             EXCEPT SELECT {cols} FROM u18_current SEMI JOIN old_slices USING (region_code, year))
            UNION ALL
            (SELECT {cols} FROM u18_current SEMI JOIN old_slices USING (region_code, year)
             EXCEPT SELECT {cols} FROM staged SEMI JOIN old_slices USING (region_code, year)))
        GROUP BY ALL""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE slice_changes AS
        SELECT new.region_code, new.year, new.counted_through,
               old.counted_through AS old_counted_through, old.upload_id AS old_upload_id,
               CASE WHEN old.upload_id IS NULL THEN 'new'
                    WHEN diff.n IS NULL AND new.counted_through IS NOT DISTINCT FROM
                         old.counted_through THEN 'unchanged'
                    ELSE 'changed' END AS status
        FROM staged_slices new LEFT JOIN old_slices old USING (region_code, year)
        LEFT JOIN slice_differences diff USING (region_code, year)""")


def _refuse_full_to_partial(con, file_name: str) -> None:
    rows = con.execute("""
        SELECT r.name, c.year, c.counted_through, c.old_upload_id
        FROM slice_changes c JOIN regions r USING (region_code)
        WHERE c.status = 'changed' AND c.old_counted_through IS NULL
          AND c.counted_through IS NOT NULL ORDER BY 1, 2""").fetchall()
    if rows:
        raise IngestError(file_name, [Problem(
            f"{name} {year} er allerede lagret som helt år (opplasting {old}), men filen har "
            f"{year} bare til {date:%d.%m.%Y}; bruk --force om du virkelig vil erstatte helt år "
            "med delår") for name, year, date, old in rows])


def _apply(con, upload_id: int) -> None:
    """Move the figures being replaced to ``u18_history`` and put the staged ones live."""
    changed = "SELECT region_code, year FROM slice_changes WHERE status <> 'unchanged'"
    con.execute("""INSERT INTO u18_slices
        SELECT ?, region_code, year, old_upload_id, 'current' FROM slice_changes
        WHERE status <> 'unchanged'""", [upload_id])
    con.execute("""UPDATE u18_slices SET state = 'replaced' FROM slice_changes c
        WHERE c.status = 'changed' AND u18_slices.upload_id = c.old_upload_id
          AND u18_slices.region_code = c.region_code AND u18_slices.year = c.year""")
    con.execute(f"""INSERT INTO u18_history BY NAME
        SELECT *, ? AS removed_by, 'replaced' AS removal
        FROM u18_current SEMI JOIN ({changed}) USING (region_code, year)""", [upload_id])
    con.execute(f"DELETE FROM u18_current WHERE (region_code, year) IN ({changed})")
    # Usually every staged region-year is new or changed: then no join is needed to pick them.
    every = not con.execute("SELECT 1 FROM slice_changes WHERE status = 'unchanged' "
                            "LIMIT 1").fetchall()
    picked = "staged" if every else f"staged SEMI JOIN ({changed}) USING (region_code, year)"
    con.execute(f"""INSERT INTO u18_current (region_code, year, counted_through, crime_type, age,
                                             gender, offences, suppressed, upload_id, offenders)
        SELECT region_code, year, counted_through, crime_type, age, gender, offences, suppressed,
               ?, offenders FROM {picked}""", [upload_id])


def ingest_file(path: Path, db_path: Path, *, file_name: str | None = None,
                region: str | None = None, user: str | None = None, force: bool = False,
                today: dt.date | None = None, dry_run: bool = False) -> Outcome:
    """Ingest one file.  Raises IngestError (after recording the attempt) when it is refused.

    ``dry_run`` runs every step, diff included, and publishes and records nothing.
    """
    path = Path(path)
    file_name = file_name or path.name
    attempt = Attempt(file_name, sha256_of(path), SOURCE, user)
    con, spill = staging_connection(path.stat().st_size)
    try:
        notes = stage_file(con, path, file_name, region, today, catalogue_for(db_path))
        with unordered(con), writing(db_path, con, dry_run=dry_run):
            outcome = _publish(con, attempt, force, notes)
        if dry_run:
            outcome.upload_id = None
        return outcome
    except IngestError as error:
        refused(db_path, attempt, error, dry_run)
        raise
    except UNREADABLE as exc:
        raise refused(db_path, attempt, unreadable(file_name, exc), dry_run) from exc
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


# What reading a file we could not make sense of may raise: it must still get an answer (a
# refusal naming the file, recorded), not a traceback.
UNREADABLE = (duckdb.Error, ValueError, TypeError, LookupError, OSError)


def refused(db_path: Path, attempt: Attempt, error: IngestError, dry_run: bool) -> IngestError:
    """``error``, recorded in ``uploads`` as the attempt's refusal (not in a dry run)."""
    if not dry_run:
        error.upload_id = record_rejection(db_path, attempt, error)
    return error


def unreadable(file_name: str, exc: Exception) -> IngestError:
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    return IngestError.one(file_name, f"filen kunne ikke leses ({type(exc).__name__}: {first})")


def _publish(con, attempt: Attempt, force: bool, notes: list[str]) -> Outcome:
    """Inside the write transaction: compare, refuse or record, and apply.  ``notes`` (what
    the file holds that is not stored) end the message."""
    regions, years, rows = _summary(con)
    compare_slices(con)
    if not force:
        _refuse_full_to_partial(con, attempt.file_name)
    changes, changed, slices = figure_changes(con)
    if not con.execute("SELECT 1 FROM slice_changes WHERE status <> 'unchanged'").fetchall():
        message = "; ".join([UNCHANGED,
                             *notes])
        upload_id = record(con, attempt, "unchanged", message, regions, years, rows)
        return Outcome(upload_id, "unchanged", message, regions, years, rows, changes, slices,
                       changed)
    message, details = describe_changes(con)
    message = "; ".join([message, *notes])
    outcome = Outcome(None, "accepted", message, regions, years, rows, changes, slices, changed,
                      details)
    outcome.upload_id = record(con, attempt, "accepted", outcome.stored_message(), regions,
                               years, rows)
    _apply(con, outcome.upload_id)
    return outcome


def publish_recorded(db_path: Path, attempt: Attempt, dry_run: bool, prepare, publish_with):
    """``prepare()`` (read and check the file), then ``publish_with(con, prepared)`` in one
    publishing transaction; a refusal at either step is recorded in ``uploads`` (not in a dry
    run) and raised.  A dry run's outcome has no upload id."""
    try:
        prepared = prepare()
        con = duckdb.connect()
        try:
            with writing(db_path, con, dry_run=dry_run):
                outcome = publish_with(con, prepared)
        finally:
            con.close()
    except IngestError as error:
        refused(db_path, attempt, error, dry_run)
        raise
    except UNREADABLE as exc:
        raise refused(db_path, attempt, unreadable(attempt.file_name, exc), dry_run) from exc
    if dry_run:
        outcome.upload_id = None
    return outcome


def record_rejection(db_path: Path, attempt: Attempt, error: IngestError) -> int:
    with writing(db_path) as con:
        return record(con, attempt, "rejected", error.summary())
