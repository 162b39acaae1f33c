"""Checks on the staged U18 figures, each a query that returns the rows that fail.

Run after :func:`etl.staging.stage` and before anything is written to the store.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from etl.errors import MAX_PROBLEMS, Problem
from etl.totals import describe
from etl.vocab import DIMENSIONS, TOTAL

PARTS = {"crime_type": "krimtypene", "age": "aldersgruppene", "gender": "jenter og gutter"}


def check_sums(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    """Categories add up to the total they are given with (only totals the file states; not
    over a part that is no count, which is a problem of its own)."""
    problems = []
    if not con.execute("SELECT 1 FROM staged WHERE given AND 'Totalt' IN (crime_type, age, "
                       "gender) LIMIT 1").fetchall():
        return problems
    for dim in DIMENSIONS:
        others = [d for d in DIMENSIONS if d != dim]
        key = ", ".join(["region_code", "year", *others])
        rows = con.execute(f"""
            WITH parts AS (
                SELECT {key}, sum(offences) AS known, bool_or(suppressed) AS some_suppressed,
                       bool_or(offences IS NULL AND NOT suppressed) AS unreadable
                FROM staged WHERE {dim} <> '{TOTAL}' GROUP BY {key})
            SELECT t.year, t.crime_type, t.age, t.gender, t.offences, p.known, p.some_suppressed,
                   t.sheet, t.cell, t.line
            FROM staged t JOIN parts p USING ({key})
            WHERE t.{dim} = '{TOTAL}' AND t.given AND NOT t.suppressed AND NOT p.unreadable
              AND (p.known > t.offences OR (NOT p.some_suppressed AND p.known <> t.offences))
            ORDER BY t.line LIMIT ?""", [MAX_PROBLEMS]).fetchall()
        for year, ct, age, gender, total, known, some_suppressed, sheet, cell, line in rows:
            label = describe(ct, age, gender)
            sums = "summerer til minst" if some_suppressed else "summerer til"
            message = f"{label} {year} er {total}, men {PARTS[dim]} {sums} {known}"
            if cell is None and line is not None:
                message = f"rad {line}: {message}"
            problems.append(Problem(message, sheet, cell))
    return problems


def check_years(con: duckdb.DuckDBPyConnection, today: dt.date) -> list[Problem]:
    """Years are plausible: not in the future, and the current year only as a partial year."""
    problems = []
    for year, counted_through in con.execute(
            "SELECT DISTINCT year, counted_through FROM staged ORDER BY year").fetchall():
        if year > today.year:
            problems.append(Problem(f"året {year} ligger i fremtiden (i dag er {today:%d.%m.%Y})"))
        elif counted_through is not None and counted_through > today:
            problems.append(Problem(
                f"{year} er merket som talt til {counted_through:%d.%m.%Y}, som er etter i dag"))
        elif counted_through is not None and counted_through.year != year:
            problems.append(Problem(
                f"{year} er merket som talt til {counted_through:%d.%m.%Y}, som ikke er i {year}"))
        elif year == today.year and counted_through is None:
            problems.append(Problem(
                f"{year} er ikke over ennå, men er ikke merket som delår; skriv f.eks. "
                f"«{year} (pr. {today:%d.%m})» i overskriften"))
    return problems


def validate(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> list[Problem]:
    return check_years(con, today or dt.date.today()) + check_sums(con)
