"""The number of offenders (gjerningspersoner) a police file gives beside the offences.

:func:`etl.staging.stage` calls these when the reader found a count of offenders (a second
count column of a long table, or a workbook table titled with «gjerningspersoner»): the counts are
staged as ``staged_offenders`` from the located raw rows of measure ``offenders``, then put on
the rows of ``staged`` (column ``offenders``) once the offences are checked and their totals
derived.  Offenders are never summed: one person may commit offences of several crime types or
at two ages in one year, so the parts of a total do not add up to it.
"""

from __future__ import annotations

from etl.errors import MAX_PROBLEMS, Problem, count_text, problem_at
from etl.staging import CHECKED_COUNT, MAPPED_VALUES
from etl.totals import describe


def build_offenders(con) -> None:
    """Temp table ``staged_offenders``: the file's counts of offenders (gjerningspersoner),
    labelled as ``staged``; a suppressed one (``..``) is NULL, never 0."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE staged_offenders AS
        SELECT rr.region_code, my.year, mc.canonical AS crime_type, ma.canonical AS age,
               mg.canonical AS gender, {CHECKED_COUNT} AS offenders, r.suppressed, r.number,
               r.sheet, r.cell, r.line, r.row_label, r.value
        {MAPPED_VALUES}
        WHERE r.measure = 'offenders'""")


def attach_offenders(con) -> list[Problem]:
    """Put each count of offenders on its row of ``staged`` (column ``offenders``; NULL where
    the file gives none or hides it).  Offenders are never summed into a total: one person may
    commit offences of several crime types, so the parts of a total are not additive.

    Refused: the same figure given twice with different counts, more offenders than offences
    (each offender has at least one), and offenders where the file gives no offences.
    """
    key = "region_code, year, crime_type, age, gender"
    problems = [problem_at(
        f"{describe(ct, age, gender)} {year}: antall gjerningspersoner er gitt flere ganger "
        f"med ulike tall ({', '.join(map(str, values))})", (sheet, cell, line))
        for year, ct, age, gender, values, sheet, cell, line in con.execute(f"""
            SELECT year, crime_type, age, gender, list(DISTINCT offenders ORDER BY offenders),
                   any_value(sheet), min(cell), min(line)
            FROM staged_offenders GROUP BY {key}
            HAVING count(DISTINCT coalesce(offenders, -1)) > 1 ORDER BY 8, 1
            LIMIT ?""", [MAX_PROBLEMS]).fetchall()]
    if problems:
        return problems
    con.execute(f"""UPDATE staged SET offenders = o.offenders
        FROM (SELECT DISTINCT {key}, offenders FROM staged_offenders) o
        WHERE staged.region_code = o.region_code AND staged.year = o.year
          AND staged.crime_type = o.crime_type AND staged.age = o.age
          AND staged.gender = o.gender""")
    for year, ct, age, gender, offenders, offences, sheet, cell, line in con.execute(f"""
            SELECT o.year, o.crime_type, o.age, o.gender, o.offenders, s.offences, o.sheet,
                   o.cell, o.line
            FROM staged_offenders o LEFT JOIN staged s USING ({key})
            WHERE o.offenders > coalesce(s.offences, 0) AND s.offences IS NOT NULL
               OR o.offenders > 0 AND s.region_code IS NULL
            ORDER BY o.line, o.year LIMIT ?""", [MAX_PROBLEMS]).fetchall():
        found = ("ingen forhold er oppgitt" if offences is None
                 else f"bare {count_text(offences)} forhold")
        problems.append(problem_at(
            f"{describe(ct, age, gender)} {year}: {count_text(offenders)} gjerningspersoner, men "
            f"{found} (hver gjerningsperson har begått minst ett forhold)",
            (sheet, cell, line)))
    return problems
