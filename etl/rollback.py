"""Undo an accepted upload: restore exactly the figures it replaced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from etl.store import writing


class RollbackError(Exception):
    """The upload cannot be undone; the message says why, in Norwegian."""


def _check(con: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    rows = con.execute("SELECT outcome, rolled_back_at FROM uploads WHERE upload_id = ?",
                       [upload_id]).fetchall()
    if not rows:
        raise RollbackError(f"opplasting {upload_id} finnes ikke")
    [(outcome, rolled_back_at)] = rows
    if rolled_back_at is not None:
        raise RollbackError(f"opplasting {upload_id} er allerede angret ({rolled_back_at:%d.%m.%Y %H:%M})")
    if outcome != "accepted":
        raise RollbackError(f"opplasting {upload_id} endret ingen tall (utfall: {outcome}), så "
                            "det er ingenting å angre")
    later = [u for (u,) in con.execute(
        "SELECT DISTINCT s2.upload_id FROM u18_slices s JOIN u18_slices s2 "
        "ON s2.replaced_upload_id = s.upload_id AND s2.region_code = s.region_code "
        "AND s2.year = s.year AND s2.state = 'current' "
        "WHERE s.upload_id = ? AND s.state = 'replaced' ORDER BY 1", [upload_id]).fetchall()]
    if later:
        raise RollbackError(
            f"opplasting {upload_id} er senere erstattet av opplasting "
            f"{', '.join(map(str, later))}; angre den først")


def rollback(db_path: Path, upload_id: int, user: str | None = None) -> str:
    """Undo ``upload_id``; returns a Norwegian sentence saying what was restored."""
    with writing(db_path) as con:
        _check(con, upload_id)
        params = {"u": upload_id}
        con.execute("""
            INSERT INTO u18_history SELECT *, $u, 'rolled_back' FROM u18_current
            WHERE upload_id = $u""", params)
        con.execute("DELETE FROM u18_current WHERE upload_id = $u", params)
        con.execute("""
            INSERT INTO u18_current
            SELECT * EXCLUDE (removed_by, removal) FROM u18_history
            WHERE removed_by = $u AND removal = 'replaced'""", params)
        con.execute("DELETE FROM u18_history WHERE removed_by = $u AND removal = 'replaced'",
                    params)
        con.execute("""
            UPDATE u18_slices SET state = 'current' FROM u18_slices s
            WHERE s.upload_id = $u AND u18_slices.upload_id = s.replaced_upload_id
              AND u18_slices.region_code = s.region_code AND u18_slices.year = s.year""", params)
        restored = con.execute(
            "SELECT count(*) FILTER (WHERE replaced_upload_id IS NOT NULL), count(*) "
            "FROM u18_slices WHERE upload_id = $u", params).fetchall()[0]
        con.execute("UPDATE u18_slices SET state = 'rolled_back' WHERE upload_id = $u", params)
        con.execute("UPDATE uploads SET rolled_back_at = ?, rolled_back_by = ? WHERE upload_id = ?",
                    [dt.datetime.now().replace(microsecond=0), user, upload_id])
    return (f"opplasting {upload_id} er angret: {restored[0]} region-år fikk tilbake tallene de "
            f"hadde før, {restored[1] - restored[0]} region-år er fjernet")
