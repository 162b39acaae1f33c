"""Where a staged figure came from: the sheet, cell and line of a row of ``raw``.

A fast read (``raw`` a view over a CSV) has no locations; any problem it finds makes
:func:`etl.ingest.stage_file` read the file again with them, for messages that name lines.
"""

from __future__ import annotations

import duckdb


def first_row(con: duckdb.DuckDBPyConnection, condition: str, params: list) -> tuple:
    """Sheet, cell and line of the first raw row matching ``condition``."""
    if is_view(con, "raw"):  # a fast read: no lines to name, and it will be read again
        return (None, None, None)
    rows = con.execute(
        f"SELECT sheet, cell, line FROM raw_located WHERE {condition} ORDER BY line LIMIT 1",
        params).fetchall()
    return rows[0] if rows else (None, None, None)


def is_view(con, name: str) -> bool:
    return bool(con.execute("SELECT 1 FROM duckdb_views() WHERE view_name = ? AND temporary",
                            [name]).fetchall())
