"""The upload registry: every ingest attempt, and what each accepted upload replaced.

All functions take a connection inside :func:`etl.store.writing` (or a read-only one for
:func:`history`), so they are part of the caller's single transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

# The message of a file whose every figure is stored already; what it holds that is not stored
# follows it after «; ».
UNCHANGED = "alle tallene i filen er allerede lagret; ingenting er endret"


@dataclass(frozen=True)
class Attempt:
    file_name: str
    sha256: str
    source: str
    user: str | None = None


def next_upload_id(con: duckdb.DuckDBPyConnection) -> int:
    [(upload_id,)] = con.execute("SELECT coalesce(max(upload_id), 0) + 1 FROM uploads").fetchall()
    return upload_id


def record(con: duckdb.DuckDBPyConnection, attempt: Attempt, outcome: str, message: str,
           regions: list[str] | None = None, years: list[int] | None = None,
           rows: int | None = None) -> int:
    upload_id = next_upload_id(con)
    con.execute(
        "INSERT INTO uploads (upload_id, file_name, sha256, uploaded_at, uploaded_by, source, "
        "regions, years, rows, outcome, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [upload_id, attempt.file_name, attempt.sha256, dt.datetime.now().replace(microsecond=0),
         attempt.user, attempt.source, regions, years, rows, outcome, message])
    return upload_id


def history(con: duckdb.DuckDBPyConnection, limit: int = 200,
            upload_id: int | None = None) -> list[dict]:
    """Upload attempts, newest first (only ``upload_id`` when given)."""
    cursor = con.execute(
        "SELECT upload_id, uploaded_at, uploaded_by, file_name, sha256, source, regions, years, "
        "rows, CASE WHEN rolled_back_at IS NOT NULL THEN 'rolled_back' ELSE outcome END AS "
        "outcome, message, rolled_back_at, rolled_back_by FROM uploads "
        "WHERE $id IS NULL OR upload_id = $id ORDER BY upload_id DESC LIMIT $limit",
        {"id": upload_id, "limit": limit})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
