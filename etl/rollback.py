"""Undo an accepted upload: restore exactly the figures it replaced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from etl.errors import count_text
from etl.store import writing


class RollbackError(Exception):
    """The upload cannot be undone; the message says why, in Norwegian."""


# Per source: the tables with the live rows and the tables their replaced rows move to.  A
# survey upload may also have added indicators to the catalogue; a catalogue entry replaces one.
TABLES = {
    "u18": (("u18_current", "u18_history"),),
    "population": (("population_facts", "population_facts_history"),),
    "ungdata": (("ungdata_facts", "ungdata_facts_history"), ("indicators", "indicators_history")),
    "ssb_08487": (("ssb_08487_facts", "ssb_08487_facts_history"),),
    "catalogue": (("indicators", "indicators_history"),),
    "goals": (("goals", "goals_history"),),
    "gruppe": (("region_group_members", "region_group_members_history"),),  # etl.groups
    "alias": (("vocab_aliases", "vocab_aliases_history"),),  # etl.aliases
}


def _check(con: duckdb.DuckDBPyConnection, upload_id: int) -> tuple[tuple[str, str], ...]:
    """The live and history tables of an upload that can be undone; RollbackError if not."""
    rows = con.execute("SELECT outcome, rolled_back_at, source FROM uploads WHERE upload_id = ?",
                       [upload_id]).fetchall()
    if not rows:
        raise RollbackError(f"opplasting {upload_id} finnes ikke")
    [(outcome, rolled_back_at, source)] = rows
    if rolled_back_at is not None:
        raise RollbackError(f"opplasting {upload_id} er allerede angret "
                            f"({rolled_back_at:%d.%m.%Y %H:%M})")
    if outcome != "accepted" or source not in TABLES:
        raise RollbackError(f"opplasting {upload_id} endret ingen tall (utfall: {outcome}), så "
                            "det er ingenting å angre")
    later = sorted({u for _, history in TABLES[source] for (u,) in con.execute(
        f"SELECT DISTINCT removed_by FROM {history} WHERE upload_id = ? AND removal = 'replaced'",
        [upload_id]).fetchall()})
    if later:
        raise RollbackError(
            f"opplasting {upload_id} er senere erstattet av opplasting "
            f"{', '.join(map(str, later))}; angre den først")
    if source == "ungdata" and (users := [u for (u,) in con.execute(
            "SELECT DISTINCT f.upload_id FROM indicators i JOIN ungdata_facts f USING (indicator) "
            "WHERE i.upload_id = ? AND f.upload_id <> ? ORDER BY 1",
            [upload_id, upload_id]).fetchall()]):
        raise RollbackError(
            f"opplasting {upload_id} la til indikatorer som tallene i opplasting "
            f"{', '.join(map(str, users))} bruker; angre den først")
    return TABLES[source]


def _update_u18_slices(con: duckdb.DuckDBPyConnection, params: dict) -> None:
    con.execute("""
        UPDATE u18_slices SET state = 'current' FROM u18_slices s
        WHERE s.upload_id = $u AND u18_slices.upload_id = s.replaced_upload_id
          AND u18_slices.region_code = s.region_code AND u18_slices.year = s.year""", params)
    con.execute("UPDATE u18_slices SET state = 'rolled_back' WHERE upload_id = $u", params)


def _undo(con: duckdb.DuckDBPyConnection, live: str, history: str,
          params: dict) -> tuple[int, int]:
    """Move the upload's rows out of ``live`` and restore what it replaced: (removed, restored).
    Table names come from :data:`TABLES`, never from input."""
    [(removed,)] = con.execute(
        f"SELECT count(*) FROM {live} WHERE upload_id = $u", params).fetchall()
    # By name: a migrated table may have a column at another place (etl.store._migrate).
    con.execute(f"INSERT INTO {history} BY NAME SELECT *, $u AS removed_by, "
                f"'rolled_back' AS removal FROM {live} WHERE upload_id = $u", params)
    con.execute(f"DELETE FROM {live} WHERE upload_id = $u", params)
    [(restored,)] = con.execute(
        f"SELECT count(*) FROM {history} WHERE removed_by = $u AND removal = 'replaced'",
        params).fetchall()
    con.execute(f"INSERT INTO {live} BY NAME SELECT * EXCLUDE (removed_by, removal) "
                f"FROM {history} "
                "WHERE removed_by = $u AND removal = 'replaced'", params)
    con.execute(f"DELETE FROM {history} WHERE removed_by = $u AND removal = 'replaced'", params)
    return removed, restored


def rollback(db_path: Path, upload_id: int, user: str | None = None) -> str:
    """Undo ``upload_id``; returns a Norwegian sentence saying what was restored."""
    from etl.groups import GroupError

    try:
        return _rollback(db_path, upload_id, user)
    except GroupError as refused:  # undoing a group change would break the region catalogue
        raise RollbackError(str(refused)) from None


def _rollback(db_path: Path, upload_id: int, user: str | None) -> str:
    with writing(db_path) as con:
        tables = _check(con, upload_id)
        params = {"u": upload_id}
        removed = restored = 0
        for live, history in tables:
            r, s = _undo(con, live, history, params)
            removed, restored = removed + r, restored + s
        if tables[0][0] == "u18_current":
            _update_u18_slices(con, params)
        con.execute("UPDATE uploads SET rolled_back_at = ?, rolled_back_by = ? WHERE upload_id = ?",
                    [dt.datetime.now().replace(microsecond=0), user, upload_id])
    if live == "region_group_members":  # a region group change (etl.groups)
        return f"opplasting {upload_id} er angret: " + (
            "regiongruppen har igjen navnet og kommunene den hadde før" if restored
            else "regiongruppen den laget, er tatt bort")
    if live == "vocab_aliases":  # a name the readers learnt or forgot (etl.aliases)
        return f"opplasting {upload_id} er angret: " + (
            "navnet er tatt bort igjen" if removed else "navnet er tilbake")
    # What was stored and replaced, not what differed: a file that changed one figure of a
    # year stored (and now takes back) every figure of that year.
    back = (f"{count_text(restored)} tall den erstattet, er lagret igjen" if restored
            else "den erstattet ingen tall")
    return (f"opplasting {upload_id} er angret: {count_text(removed)} tall den lagret, er tatt "
            f"bort, og {back}")
