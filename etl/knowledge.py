"""Schema for population, survey indicators and SSB context figures, and the indicator catalogue.

Tables hold ``region_code``; the views named in the README (``population``, ``ungdata``,
``ssb_08487``) and the table ``u18_rates`` expose region names.  Aggregates for fylker,
politidistrikter, groups and the country are computed from their kommuner (in
``population_by_code`` and ``u18_rates``, tables rebuilt on every write that changes their
inputs, see :mod:`etl.rates`), and only where every member kommune has a figure: an incomplete
sum would be a wrong number.
"""

from __future__ import annotations

import csv

import duckdb

from etl.paths import reference_dir

TABLES = [
    # The open indicator catalogue: seeded from data/reference/indicators.csv (upload_id NULL),
    # extended by survey uploads with indicators it did not know (catalogued = false) and
    # completed by catalogue entries (source 'catalogue' in uploads).
    """CREATE TABLE IF NOT EXISTS indicators (
        indicator VARCHAR NOT NULL, label VARCHAR NOT NULL, theme VARCHAR NOT NULL,
        higher_is_better BOOLEAN, crime_types VARCHAR[] NOT NULL, survey VARCHAR,
        unit VARCHAR NOT NULL, catalogued BOOLEAN NOT NULL, upload_id INTEGER)""",
    """CREATE TABLE IF NOT EXISTS population_facts (
        region_code VARCHAR NOT NULL, year SMALLINT NOT NULL, age VARCHAR NOT NULL,
        gender VARCHAR NOT NULL, persons INTEGER NOT NULL, upload_id INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ungdata_facts (
        region_code VARCHAR NOT NULL, period VARCHAR NOT NULL, year SMALLINT,
        school_level VARCHAR NOT NULL, grade VARCHAR NOT NULL, gender VARCHAR NOT NULL,
        indicator VARCHAR NOT NULL, value DOUBLE, respondents INTEGER,
        suppressed BOOLEAN NOT NULL, source VARCHAR NOT NULL, upload_id INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ssb_08487_facts (
        region_code VARCHAR NOT NULL, period VARCHAR NOT NULL, year SMALLINT NOT NULL,
        offence_group VARCHAR NOT NULL, offences DOUBLE, suppressed BOOLEAN NOT NULL,
        upload_id INTEGER NOT NULL)""",
]
FACT_TABLES = ("population_facts", "ungdata_facts", "ssb_08487_facts", "indicators")
# Rows replaced by a later upload or removed by a rollback, so "Angre" can restore them.
TABLES += [f"""CREATE TABLE IF NOT EXISTS {table}_history AS
               SELECT *, 0 AS removed_by, '' AS removal FROM {table} WHERE false"""
           for table in FACT_TABLES]

# Member kommuner of every region (a kommune is its own single member).
_MEMBERS = """
    SELECT region_code, kommune_code FROM region_members
    UNION ALL SELECT region_code, region_code FROM regions WHERE level = 'kommune'"""

# Population of every region by code: kommuner as stored, other regions as the sum of their
# kommuner where every member has a figure.  A table built by etl.rates.refresh_derived.
POPULATION_BY_CODE_QUERY = f"""
    WITH members AS ({_MEMBERS}),
    size AS (SELECT region_code, count(*) AS n FROM members GROUP BY ALL),
    summed AS (
        SELECT m.region_code, p.year, p.age, p.gender, sum(p.persons) AS persons, count(*) AS n
        FROM members m JOIN population_facts p ON p.region_code = m.kommune_code
        JOIN regions r ON r.region_code = m.region_code AND r.level <> 'kommune'
        GROUP BY ALL)
    SELECT region_code, year, age, gender, persons FROM population_facts
    UNION ALL
    SELECT s.region_code, s.year, s.age, s.gender, s.persons::BIGINT
    FROM summed s JOIN size USING (region_code)
    WHERE s.n = size.n AND NOT EXISTS (
        SELECT 1 FROM population_facts f WHERE f.region_code = s.region_code
          AND f.year = s.year AND f.age = s.age AND f.gender = s.gender)"""

VIEWS = [
    """CREATE OR REPLACE VIEW population AS
    SELECT r.name AS region, p.year, p.age, p.gender, p.persons, p.region_code
    FROM population_by_code p JOIN regions r USING (region_code)""",
    # Every indicator with its unit; the ungdata view is the percent ones.
    """CREATE OR REPLACE VIEW indicator_values AS
    SELECT r.name AS region, u.period, u.year, u.school_level, u.grade, u.gender, u.indicator,
           u.value, i.unit, u.respondents, u.source, u.suppressed, u.region_code, u.upload_id
    FROM ungdata_facts u JOIN regions r USING (region_code)
    JOIN indicators i USING (indicator)""",
    """CREATE OR REPLACE VIEW ungdata AS
    SELECT region, period, year, school_level, grade, gender, indicator, value AS percent,
           respondents, source, suppressed, region_code, upload_id
    FROM indicator_values WHERE unit = 'prosent'""",
    f"""CREATE OR REPLACE VIEW ssb_08487 AS
    WITH members AS ({_MEMBERS}),
    size AS (SELECT region_code, count(*) AS n FROM members GROUP BY ALL),
    summed AS (
        SELECT m.region_code, f.period, f.year, f.offence_group, sum(f.offences) AS offences,
               count(*) AS n, bool_or(f.suppressed) AS suppressed
        FROM members m JOIN ssb_08487_facts f ON f.region_code = m.kommune_code
        JOIN regions r ON r.region_code = m.region_code AND r.level <> 'kommune'
        GROUP BY ALL),
    facts AS (
        SELECT region_code, period, year, offence_group, offences, suppressed
        FROM ssb_08487_facts
        UNION ALL
        SELECT s.region_code, s.period, s.year, s.offence_group,
               CASE WHEN s.suppressed OR s.n < size.n THEN NULL ELSE s.offences END,
               s.suppressed OR s.n < size.n
        FROM summed s JOIN size USING (region_code)
        WHERE NOT EXISTS (SELECT 1 FROM ssb_08487_facts o WHERE o.region_code = s.region_code
                          AND o.period = s.period AND o.offence_group = s.offence_group))
    SELECT r.name AS region, f.period, f.year, f.offence_group, f.offences,
           p.persons AS population_all_ages,
           round(f.offences * 1000 / nullif(p.persons, 0), 1) AS per_1000, f.suppressed,
           f.region_code
    FROM facts f JOIN regions r USING (region_code)
    LEFT JOIN population_by_code p ON p.region_code = f.region_code AND p.year = f.year
         AND p.age = 'Totalt' AND p.gender = 'Totalt'""",
]


def _read_catalogue() -> list[tuple]:
    with open(reference_dir() / "indicators.csv", encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.lstrip().startswith("#")]
    return [(row["indicator"].strip(), row["label"].strip(), row["theme"].strip(),
             row["higher_is_better"].strip().lower() == "true",
             [c.strip() for c in row["crime_types"].split(";") if c.strip()],
             row["survey"].strip() or None, row["unit"].strip() or "prosent")
            for row in csv.DictReader(lines)]


def indicator_catalogue() -> list[tuple]:
    """(indicator, label, theme, higher_is_better, crime_types, survey, unit) per line of the
    reference file (the seed of the catalogue in the database)."""
    return _read_catalogue()


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {name for (name,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = current_schema() AND table_name = ?", [table]).fetchall()}


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Stores made before the open catalogue: the old ``indicators`` was a copy of the file
    (rebuilt below), and the survey figure column was called ``percent``."""
    if (old := _columns(con, "indicators")) and "unit" not in old:
        con.execute("DROP TABLE indicators")
    for table in ("ungdata_facts", "ungdata_facts_history"):
        if "percent" in _columns(con, table):
            con.execute(f"ALTER TABLE {table} RENAME COLUMN percent TO value")


def seed_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    """Reference entries follow data/reference/indicators.csv unless an analyst's entry (a row
    with an upload_id) has taken their place."""
    con.execute("DELETE FROM indicators WHERE upload_id IS NULL")
    con.execute("CREATE OR REPLACE TEMP TABLE seed_indicators (indicator VARCHAR, label VARCHAR, "
                "theme VARCHAR, higher_is_better BOOLEAN, crime_types VARCHAR[], "
                "survey VARCHAR, unit VARCHAR)")
    con.executemany("INSERT INTO seed_indicators VALUES (?, ?, ?, ?, ?, ?, ?)",
                    _read_catalogue())
    con.execute("""INSERT INTO indicators SELECT *, true, NULL FROM seed_indicators
                   WHERE indicator NOT IN (SELECT indicator FROM indicators)""")
    con.execute("DROP TABLE seed_indicators")


def ensure_knowledge(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables and views (idempotent) and seed the indicator catalogue."""
    from etl.rates import refresh_derived

    _migrate(con)
    for statement in TABLES:
        con.execute(statement)
    refresh_derived(con, only_missing=True)  # the views below read population_by_code
    for statement in VIEWS:
        con.execute(statement)
    seed_catalogue(con)
