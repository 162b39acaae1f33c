"""The plan's goals in the store: schema, publishing a goals file, browser edits, export.

Like every other upload: one transaction (:func:`etl.store.writing`), every attempt recorded in
``uploads`` (source ``goals``), replaced or deleted goals moved to ``goals_history`` so
``slt rollback`` and «Angre» restore them (:mod:`etl.rollback`).  A goals file replaces all the
goals of each (plan, region) it names; a browser edit replaces or deletes one goal.
"""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from pathlib import Path

import duckdb

from etl.aliases import known_in
from etl.errors import count_text
from etl.goals import ROLE_NAMES, Goal, GoalProblem, as_row, parse_goal, read_goals
from etl.groups import catalogue_for
from etl.ingest import Outcome, publish_recorded, sha256_of
from etl.store import connect_read, writing
from etl.uploads import Attempt, record

SOURCE = "goals"
BROWSER_FILE = "mål i nettleseren"
COLUMNS = [f.name for f in fields(Goal) if f.name != "region"]
SCHEMA = [
    """CREATE TABLE IF NOT EXISTS goals (
        plan VARCHAR NOT NULL, plan_start SMALLINT, plan_end SMALLINT,
        region_code VARCHAR NOT NULL, measure_id VARCHAR NOT NULL, measure VARCHAR NOT NULL,
        source VARCHAR NOT NULL, crime_type VARCHAR, age VARCHAR, gender VARCHAR,
        indicator VARCHAR, level VARCHAR NOT NULL, unit VARCHAR NOT NULL,
        direction VARCHAR NOT NULL, target DOUBLE, target_change DOUBLE, baseline DOUBLE,
        baseline_from SMALLINT, baseline_to SMALLINT, deadline SMALLINT NOT NULL,
        wording VARCHAR NOT NULL, measures VARCHAR NOT NULL, note VARCHAR NOT NULL,
        upload_id INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS goals_history AS
        SELECT *, 0 AS removed_by, '' AS removal FROM goals WHERE false""",
]
KEY = "plan, region_code, measure_id"


def ensure_goals(con: duckdb.DuckDBPyConnection) -> None:
    """Create the goal tables (idempotent); called from :func:`etl.store.ensure_schema`."""
    for statement in SCHEMA:
        con.execute(statement)


def _stage(con: duckdb.DuckDBPyConnection, goals: list[Goal]) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE staged_goals AS SELECT "
                f"{', '.join(COLUMNS)} FROM goals WHERE false")
    con.executemany(f"INSERT INTO staged_goals VALUES ({', '.join('?' * len(COLUMNS))})",
                    [[getattr(g, c) for c in COLUMNS] for g in goals])


def _differs(con: duckdb.DuckDBPyConnection, scope: str) -> bool:
    cols = ", ".join(COLUMNS)
    [(n,)] = con.execute(f"""SELECT count(*) FROM (
        (SELECT {cols} FROM staged_goals EXCEPT SELECT {cols} FROM goals WHERE {scope})
        UNION ALL
        (SELECT {cols} FROM goals WHERE {scope} EXCEPT SELECT {cols} FROM staged_goals))
        """).fetchall()
    return n > 0


FILE_SCOPE = "(plan, region_code) IN (SELECT plan, region_code FROM staged_goals)"


def _replace(con: duckdb.DuckDBPyConnection, scope: str, upload_id: int) -> None:
    con.execute(f"INSERT INTO goals_history SELECT *, ?, 'replaced' FROM goals WHERE {scope}",
                [upload_id])
    con.execute(f"DELETE FROM goals WHERE {scope}")
    con.execute("INSERT INTO goals SELECT *, ? FROM staged_goals", [upload_id])


def publish_goals(con: duckdb.DuckDBPyConnection, goals: list[Goal],
                  attempt: Attempt) -> Outcome:
    """Inside :func:`etl.store.writing`: the file's goals replace those of its plans and
    regions as a whole."""
    _stage(con, goals)
    regions = sorted({g.region for g in goals})
    years = sorted({g.deadline for g in goals})
    plans = sorted({g.plan for g in goals})
    if not _differs(con, FILE_SCOPE):
        message = "alle målene i filen er allerede lagret; ingenting er endret"
        return Outcome(record(con, attempt, "unchanged", message, regions, years, len(goals)),
                       "unchanged", message, regions, years, len(goals))
    message = (f"{count_text(len(goals))} mål for {', '.join(plans)}: "
               f"{', '.join(regions)}")
    upload_id = record(con, attempt, "accepted", message, regions, years, len(goals))
    _replace(con, FILE_SCOPE, upload_id)
    return Outcome(upload_id, "accepted", message, regions, years, len(goals))


def ingest_goals(path: Path, db_path: Path, *, file_name: str | None = None,
                 user: str | None = None, dry_run: bool = False) -> Outcome:
    """Read, check and store a goals file; IngestError (after recording the attempt) when
    any row is wrong: then no goal of the file is stored."""
    path = Path(path)
    file_name = file_name or path.name
    attempt = Attempt(file_name, sha256_of(path), SOURCE, user)
    return publish_recorded(db_path, attempt, dry_run,
                            lambda: read_goals(path, file_name, catalogue_for(db_path)),
                            lambda con, goals: publish_goals(con, goals, attempt))


def _one_scope(key: tuple[str, str, str] | None) -> tuple[str, list]:
    if key is None:
        return "false", []
    return "(plan, region_code, measure_id) = (?, ?, ?)", list(key)


def save_goal(db_path: Path, values: dict[str, str], user: str | None,
              replaces: tuple[str, str, str] | None = None) -> Outcome:
    """Create a goal, or edit the one with key ``replaces``, from the browser form's text
    (checked exactly as a file row).  GoalProblem when the form is wrong; nothing stored."""
    with known_in(db_path):  # a crime type taught with «slt alias … --ny» is a measure too
        goal = parse_goal(values, catalogue_for(db_path))
    con = duckdb.connect()
    try:
        with writing(db_path, con):
            clash = con.execute("SELECT count(*) FROM goals WHERE (plan, region_code, "
                                "measure_id) = (?, ?, ?)", list(goal.key)).fetchall()[0][0]
            if clash and goal.key != replaces:
                raise GoalProblem([f"planen har allerede et mål for {goal.measure} i "
                                   f"{goal.region}; endre det i stedet"])
            _stage(con, [goal])
            old, params = _one_scope(replaces or goal.key)
            if not _differs_one(con, old, params):
                return Outcome(None, "unchanged", "målet er uendret", [goal.region],
                               [goal.deadline], 1)
            verb = "endret" if replaces else "nytt"
            message = f"{verb} mål: {goal.measure}, {goal.region}, {goal.plan}"
            upload_id = record(con, Attempt(BROWSER_FILE, "", SOURCE, user), "accepted",
                               message, [goal.region], [goal.deadline], 1)
            con.execute(f"INSERT INTO goals_history SELECT *, ?, 'replaced' FROM goals "
                        f"WHERE {old}", [upload_id, *params])
            con.execute(f"DELETE FROM goals WHERE {old}", params)
            con.execute("INSERT INTO goals SELECT *, ? FROM staged_goals", [upload_id])
    finally:
        con.close()
    return Outcome(upload_id, "accepted", message, [goal.region], [goal.deadline], 1)


def _differs_one(con: duckdb.DuckDBPyConnection, old: str, params: list) -> bool:
    cols = ", ".join(COLUMNS)
    [(n,)] = con.execute(f"""SELECT count(*) FROM (
        (SELECT {cols} FROM staged_goals EXCEPT SELECT {cols} FROM goals WHERE {old})
        UNION ALL
        (SELECT {cols} FROM goals WHERE {old} EXCEPT SELECT {cols} FROM staged_goals))""",
                         params + params).fetchall()
    return n > 0


def delete_goal(db_path: Path, key: tuple[str, str, str], user: str | None) -> str:
    """Delete one goal (it moves to the history, so «Angre» brings it back)."""
    with writing(db_path) as con:
        rows = con.execute("SELECT g.measure, r.name, g.plan FROM goals g JOIN regions r "
                           "USING (region_code) WHERE (plan, region_code, measure_id) = "
                           "(?, ?, ?)", list(key)).fetchall()
        if not rows:
            return "målet finnes ikke lenger"
        measure, region, plan = rows[0]
        message = f"slettet mål: {measure}, {region}, {plan}"
        upload_id = record(con, Attempt(BROWSER_FILE, "", SOURCE, user), "accepted", message,
                           [region], [], 0)
        con.execute("INSERT INTO goals_history SELECT *, ?, 'replaced' FROM goals "
                    "WHERE (plan, region_code, measure_id) = (?, ?, ?)", [upload_id, *key])
        con.execute("DELETE FROM goals WHERE (plan, region_code, measure_id) = (?, ?, ?)",
                    list(key))
    return message


GOAL_QUERY = """SELECT g.* EXCLUDE (upload_id), r.name AS region FROM goals g
                JOIN regions r USING (region_code) ORDER BY g.plan, r.name, g.measure"""


def stored_goals(con: duckdb.DuckDBPyConnection) -> list[Goal]:
    """Every stored goal (an empty list when the store predates goals)."""
    try:
        cursor = con.execute(GOAL_QUERY)
    except duckdb.CatalogException:
        return []
    names = [d[0] for d in cursor.description]
    return [Goal(**dict(zip(names, row))) for row in cursor.fetchall()]


def export_rows(goals: list[Goal]) -> list[list[str]]:
    """The header and one row per goal, as a goals file writes them (read back unchanged)."""
    roles = list(ROLE_NAMES)
    return [[ROLE_NAMES[r] for r in roles]] + [[as_row(g)[r] for r in roles] for g in goals]


FREE_TEXT = ("plan", "region", "measure", "level", "wording", "measures", "note")


def export_csv(goals: list[Goal]) -> bytes:
    """``;``-separated, UTF-8 with BOM (opens in Excel with æøå intact)."""
    from etl.exports import neutralise

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    free = [i for i, role in enumerate(ROLE_NAMES) if role in FREE_TEXT]
    for row in export_rows(goals):  # our own numbers (``-10 %``) stay as written
        writer.writerow([neutralise(c) if i in free else c for i, c in enumerate(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(goals: list[Goal], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Mål"
    for row in export_rows(goals):
        sheet.append(row)
    book.save(path)


def export_goals(db_path: Path, out: Path) -> int:
    """Write every stored goal to ``out`` (.xlsx, else CSV); returns how many."""
    with connect_read(db_path) as con:
        goals = stored_goals(con)
    if Path(out).suffix.lower() == ".xlsx":
        export_xlsx(goals, Path(out))
    else:
        Path(out).write_bytes(export_csv(goals))
    return len(goals)
