"""The table ``u18_rates``: police U18 offences per 1 000 inhabitants aged 10-17.

One row per region, year, crime type and gender for which offences are known, at age
``Totalt``.  A region without its own police figures (a fylke, a group) gets the sum of its
kommuner when every member kommune has figures for that year.  ``per_1000`` is NULL (never a
guess) when the year is partial (``counted_through`` set), the offences are suppressed, or the
population aged 10-17 is not known for every single age or is 0; ``rate_note`` says which.  The
denominator is the population on 1 January of the same year, as SSB does for yearly rates.

``u18_rates`` and ``population_by_code`` were views; they are materialised tables now (with
``u18_region_figures``, the per-region sums the dashboard's breakdowns read), rebuilt
inside the publishing transaction whenever their inputs changed (:func:`refresh_if_changed`,
called by :func:`etl.store.writing`), so readers never pay for the sums over every kommune.
A write that changed only police figures replaces just the rows of the region-years it changed
(and of the regions summing them).
Same columns, same rows as the queries below.
"""

from __future__ import annotations

import duckdb

AGES_10_17 = tuple(str(age) for age in range(10, 18))

_AGE_LIST = ", ".join(f"'{age}'" for age in AGES_10_17)  # fixed constants, not input

# The members' rows of a summed cell are counted to one day: all whole years, or all partial
# years counted through the same date.  A whole year of one kommune and half a year of another
# are no period at all: the sum is not made (unknown), never labelled either.  ``{}``: the
# rows' table alias with its dot, or nothing.
ONE_PERIOD = ("(count({0}counted_through) = 0 OR (count({0}counted_through) = count(*) "
              "AND min({0}counted_through) = max({0}counted_through)))")

def _scoped(scope: str | None) -> tuple[str, str, str]:
    """For a query restricted to the region-years of ``scope`` (SQL of a relation
    ``(region_code, year)``): a CTE ``scope``, a filter of ``u18_current`` to their years, and
    a semi join of a result to them.  ``None``: every region-year, no CTE, no filters."""
    if scope is None:
        return "", "", ""
    return (f"scope AS ({scope}),", " AND year IN (SELECT DISTINCT year FROM scope)",
            " SEMI JOIN scope USING (region_code, year)")


def rates_query(scope: str | None = None) -> str:
    """The rows of ``u18_rates``; ``scope`` (SQL of a relation ``(region_code, year)``)
    restricts them to those region-years.

    ``u18_current`` is scanned directly by each part (not through one CTE of all its rows,
    which DuckDB would materialise: 1.8 M rows of a national history), so each scan reads
    only the columns and rows its part needs."""
    cte, years, only = _scoped(scope)
    return f"""
WITH {cte}
members AS (
    SELECT region_code, kommune_code FROM region_members),
size AS (SELECT region_code, count(*) AS n FROM members GROUP BY ALL),
own AS (
    SELECT region_code, year, counted_through, crime_type, gender, offences
    FROM u18_current WHERE age = 'Totalt'{years}),
present AS (SELECT DISTINCT region_code, year FROM u18_current WHERE TRUE{years}),
summed AS (
    SELECT m.region_code, o.year, max(o.counted_through) AS counted_through, o.crime_type,
           o.gender, sum(o.offences)::BIGINT AS offences, count(*) AS n,
           count(o.offences) AS n_known, {ONE_PERIOD.format('o.')} AS one_period
    FROM members m JOIN own o ON o.region_code = m.kommune_code GROUP BY ALL),
figures AS (
    SELECT region_code, year, counted_through, crime_type, gender, offences,
           'egne tall' AS basis FROM own
    UNION ALL
    SELECT s.region_code, s.year, s.counted_through, s.crime_type, s.gender,
           CASE WHEN s.n_known = s.n THEN s.offences END, 'sum av kommunene'
    FROM summed s JOIN size USING (region_code)
    ANTI JOIN present p ON p.region_code = s.region_code AND p.year = s.year
    WHERE s.n = size.n AND s.one_period),
pop AS (
    SELECT region_code, year, gender, sum(persons)::BIGINT AS persons, count(*) AS ages
    FROM population_by_code WHERE age IN ({_AGE_LIST}){years} GROUP BY ALL)
SELECT r.name AS region, f.year, f.counted_through, f.crime_type, f.gender, f.offences,
       CASE WHEN p.ages = {len(AGES_10_17)} THEN p.persons END AS persons_10_17,
       CASE WHEN f.counted_through IS NULL AND f.offences IS NOT NULL
                 AND p.ages = {len(AGES_10_17)} AND p.persons > 0
            THEN f.offences * 1000.0 / p.persons END AS per_1000,
       CASE WHEN f.counted_through IS NOT NULL THEN 'delår'
            WHEN f.offences IS NULL THEN 'tallet er skjult'
            WHEN p.ages IS DISTINCT FROM {len(AGES_10_17)} THEN 'befolkning mangler'
            WHEN p.persons = 0 THEN 'ingen innbyggere 10–17 år'
       END AS rate_note,
       f.basis, f.region_code
FROM (SELECT * FROM figures{only}) f JOIN regions r USING (region_code)
LEFT JOIN pop p ON p.region_code = f.region_code AND p.year = f.year AND p.gender = f.gender"""


RATES_QUERY = rates_query()


# Police figures of every region at the level the dashboard's breakdowns read (at least two of
# crime type, age and gender at 'Totalt'): a region's own rows, or, for a region without any
# figures of its own, the sum of its member kommuner for the cells where every member's figure
# is known (an incomplete sum would be a wrong number).  A member's figure is known when it has
# the cell, or has no row for it while its rows of that breakdown in that year add up to its
# total (then it had none of it: a blank police cell).  A suppressed cell, a member without the
# breakdown that year, or one whose categories fall short of its total (a total with a
# suppressed part is not stored) makes the sum unknown.  The same rule as the dashboard's
# u18_breakdown, computed once per write instead of summing 1.7 M rows per request.
BREAKDOWN_OF_ROW = ("CASE WHEN crime_type <> 'Totalt' THEN 'crime_type' WHEN age <> 'Totalt' "
                    "THEN 'age' WHEN gender <> 'Totalt' THEN 'gender' ELSE 'total' END")


def region_figures_query(scope: str | None = None) -> str:
    """The rows of ``u18_region_figures``, restricted to ``scope`` as in :func:`rates_query`.
    (Which regions have figures of their own is asked of every year.)"""
    cte, years, only = _scoped(scope)
    return f"""
WITH {cte}
slice AS (
    SELECT region_code, year, counted_through, crime_type, age, gender, offences,
           {BREAKDOWN_OF_ROW} AS breakdown
    FROM u18_current
    WHERE (crime_type = 'Totalt')::INTEGER + (age = 'Totalt')::INTEGER
          + (gender = 'Totalt')::INTEGER >= 2{years}),
size AS (SELECT region_code, count(*) AS n FROM region_members GROUP BY ALL),
summing AS (
    SELECT m.region_code, s.* EXCLUDE (region_code), m.kommune_code
    FROM region_members m JOIN slice s ON s.region_code = m.kommune_code
    WHERE m.region_code NOT IN (SELECT DISTINCT region_code FROM u18_current)),
summed AS (
    SELECT region_code, year, max(counted_through) AS counted_through, crime_type, age, gender,
           breakdown, sum(offences)::BIGINT AS offences, count(offences) AS n_known,
           count(*) AS n_rows, {ONE_PERIOD.format('')} AS one_period
    FROM summing GROUP BY ALL),
short AS (  -- the cells some member has no row of (few: most members give every cell)
    SELECT c.* FROM summed c JOIN size USING (region_code)
    WHERE c.n_known = c.n_rows AND c.n_rows < size.n AND c.one_period),
whole AS (  -- of the kommuner of those cells, the breakdowns whose categories add up to
    SELECT s.region_code, s.year, s.breakdown FROM slice s  -- the kommune's total
    JOIN slice t ON t.region_code = s.region_code AND t.year = s.year AND t.breakdown = 'total'
    WHERE s.breakdown <> 'total' AND s.region_code IN (
        SELECT m.kommune_code FROM short c JOIN region_members m USING (region_code))
    GROUP BY ALL HAVING count(*) = count(s.offences) AND sum(s.offences) = any_value(t.offences)),
nones AS (  -- per such cell, the members without its row that had none of it
    SELECT c.region_code, c.year, c.crime_type, c.age, c.gender, count(*) AS n_none
    FROM short c JOIN region_members m ON m.region_code = c.region_code
    JOIN whole w ON w.region_code = m.kommune_code AND w.year = c.year
                AND w.breakdown = c.breakdown
    ANTI JOIN slice s ON s.region_code = m.kommune_code AND s.year = c.year
                     AND s.crime_type = c.crime_type AND s.age = c.age AND s.gender = c.gender
    GROUP BY ALL)
SELECT region_code, year, counted_through, crime_type, age, gender,
       offences::BIGINT AS offences, 'egne tall' AS basis
FROM slice{only}
UNION ALL
SELECT s.region_code, s.year, s.counted_through, s.crime_type, s.age, s.gender, s.offences,
       'sum av kommunene'
FROM (SELECT * FROM summed{only}) s LEFT JOIN nones z USING (region_code, year, crime_type, age,
                                                           gender)
JOIN size USING (region_code)
WHERE s.n_known = s.n_rows AND s.one_period AND s.n_rows + coalesce(z.n_none, 0) = size.n"""


U18_REGION_FIGURES_QUERY = region_figures_query()

# The tables the derived ones are computed from; a change to any of them triggers a rebuild.
# The police figures are fingerprinted per region and year, so that a write rebuilds only the
# region-years it changed (and the sums over them); which aggregate regions (groups, fylker …)
# have figures of their own is asked too, because u18_region_figures sums the kommuner of a
# region only when it has none at all.
_OTHER_INPUTS = """SELECT
    (SELECT (count(*), sum(hash(region_code, year, age, gender, persons, upload_id)))
     FROM population_facts),
    (SELECT (count(*), sum(hash(region_code, name, level))) FROM regions),
    (SELECT (count(*), sum(hash(region_code, kommune_code))) FROM region_members)"""
_FINGERPRINT = _OTHER_INPUTS + """,
    (SELECT list(DISTINCT region_code ORDER BY region_code) FROM u18_current
     WHERE region_code IN (SELECT region_code FROM region_members))"""
_U18_SLICES = """SELECT region_code, year, count(*), sum(hash(counted_through, crime_type, age,
                                                              gender, offences, upload_id))
    FROM u18_current GROUP BY region_code, year"""
# The region-years whose derived rows a change of police figures in the region-years
# ``$regions`` × ``$years`` (two lists of one length) touches: those, and every region the
# changed one is a member of (a fylke, a police district, a group, the country) in that year.
_SCOPE = """
    WITH changed AS (SELECT unnest($regions::VARCHAR[]) AS region_code,
                            unnest($years::INTEGER[]) AS year)
    SELECT region_code, year FROM changed
    UNION SELECT m.region_code, c.year FROM changed c
    JOIN region_members m ON m.kommune_code = c.region_code"""


def derived_queries() -> dict[str, str]:
    """Materialised table → its defining query, in the order they must be built."""
    from etl.knowledge import POPULATION_BY_CODE_QUERY

    return {"population_by_code": POPULATION_BY_CODE_QUERY, "u18_rates": RATES_QUERY,
            "u18_region_figures": U18_REGION_FIGURES_QUERY}


def _table_type(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    rows = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = ? "
        "AND table_catalog = current_database() AND table_schema = current_schema()",
        [name]).fetchall()
    return rows[0][0] if rows else None


def refresh_derived(con: duckdb.DuckDBPyConnection, only_missing: bool = False) -> None:
    """(Re)build every derived table; a view left by an older schema is replaced.

    ``only_missing`` builds just the tables that do not exist as tables yet.
    """
    for name, query in derived_queries().items():
        kind = _table_type(con, name)
        if only_missing and kind == "BASE TABLE":
            continue
        if kind == "VIEW":
            con.execute(f"DROP VIEW {name}")  # names from the fixed dict above
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {query}")


def inputs_fingerprint(con: duckdb.DuckDBPyConnection) -> tuple:
    """Changes whenever a row of an input of the derived tables changes (one scan each):
    (population, regions, members, aggregate regions with own figures), and the police
    figures' fingerprint per region and year."""
    others = tuple(con.execute(_FINGERPRINT).fetchall()[0])
    slices = {(code, year): (n, h) for code, year, n, h in con.execute(_U18_SLICES).fetchall()}
    return others, slices


def refresh_if_changed(con: duckdb.DuckDBPyConnection, before: tuple) -> bool:
    """Bring the derived tables up to date with what changed since ``before``; True if any
    was rebuilt.

    Only police figures changed (the usual write: an upload or its rollback): the rows of
    ``u18_rates`` and ``u18_region_figures`` for the region-years that changed, and for the
    regions they are members of in those years, are replaced; the rest stay as they are
    (``population_by_code`` does not read them).  Anything else changed: every derived table
    is rebuilt.
    """
    (population, regions, members, owners), slices = before
    if not slices:  # no police figures before (a new store): every one now stored is new
        return _refresh_after_first(con, (population, regions, members))
    after = inputs_fingerprint(con)
    if after == before:
        return False
    (population2, regions2, members2, owners2), slices2 = after
    if ((population, regions, members) != (population2, regions2, members2)
            or not _all_tables(con)):
        refresh_derived(con)
        return True
    stored = set(slices) | set(slices2)
    changed = sorted(k for k in stored if slices.get(k) != slices2.get(k))
    if len(changed) == len(stored):  # every region-year (a first upload): the whole tables
        for name in ("u18_rates", "u18_region_figures"):  # names from this fixed tuple
            con.execute(f"CREATE OR REPLACE TABLE {name} AS {derived_queries()[name]}")
        return True
    refresh_region_years(con, changed, figures_every_year=owners != owners2)
    return True


def _refresh_after_first(con: duckdb.DuckDBPyConnection, others: tuple) -> bool:
    """:func:`refresh_if_changed` when no police figures were stored before (``others``: the
    population, regions and members fingerprints then), without fingerprinting the police
    figures now stored (two scans of every row): each of them is new."""
    if tuple(con.execute(_OTHER_INPUTS).fetchall()[0]) != others or not _all_tables(con):
        refresh_derived(con)
        return True
    if not con.execute("SELECT 1 FROM u18_current LIMIT 1").fetchall():
        return False  # nothing the derived tables are made from changed
    for name in ("u18_rates", "u18_region_figures"):  # names from this fixed tuple
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {derived_queries()[name]}")
    return True


def _all_tables(con: duckdb.DuckDBPyConnection) -> bool:
    return all(_table_type(con, name) == "BASE TABLE" for name in derived_queries())


def refresh_region_years(con: duckdb.DuckDBPyConnection, changed: list[tuple[str, int]],
                         figures_every_year: bool = False) -> None:
    """Replace the rows of ``u18_rates`` and ``u18_region_figures`` for the region-years whose
    police figures ``changed`` (region code, year), and for the regions those are members of,
    by what their queries give now.  ``figures_every_year``: an aggregate region got (or lost)
    figures of its own, which changes its summed rows in every year: rebuild
    ``u18_region_figures`` whole."""
    if not changed:
        return
    params = {"regions": [code for code, _ in changed], "years": [int(y) for _, y in changed]}
    scoped = f"SEMI JOIN ({_SCOPE}) scope USING (region_code, year)"
    con.execute(f"DELETE FROM u18_rates WHERE rowid IN (SELECT rowid FROM u18_rates {scoped})",
                params)
    con.execute(f"INSERT INTO u18_rates {rates_query(_SCOPE)}", params)
    if figures_every_year:
        con.execute(f"CREATE OR REPLACE TABLE u18_region_figures AS {region_figures_query()}")
        return
    con.execute("DELETE FROM u18_region_figures WHERE rowid IN "
                f"(SELECT rowid FROM u18_region_figures {scoped})", params)
    con.execute(f"INSERT INTO u18_region_figures {region_figures_query(_SCOPE)}", params)
