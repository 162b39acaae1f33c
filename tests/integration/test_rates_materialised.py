"""``u18_rates`` and ``population_by_code`` are tables that always equal their defining queries."""

import shutil

import duckdb

from etl.dispatch import ingest_any
from etl.rates import RATES_QUERY, derived_queries
from etl.rollback import rollback
from etl.store import writing
from tests.conftest import REPO, SEED_WORKBOOK, query

POPULATION = REPO / "data" / "reference" / "population" / "pop_municip_age10-24_b2024_2015-2026.csv"


def differences(db) -> dict[str, int]:
    """Rows in the stored table but not in its query's answer, and the other way round."""
    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for name, sql in derived_queries().items():
            [(extra,)] = con.execute(
                f"SELECT count(*) FROM (SELECT * FROM {name} EXCEPT ALL ({sql}))").fetchall()
            [(missing,)] = con.execute(
                f"SELECT count(*) FROM (({sql}) EXCEPT ALL SELECT * FROM {name})").fetchall()
            out[name] = extra + missing
    return out


def table_types(db) -> set[tuple[str, str]]:
    return set(query(db, "SELECT table_name, table_type FROM information_schema.tables "
                         "WHERE table_name IN ('u18_rates', 'population_by_code')"))


def test_derived_tables_equal_their_queries_after_every_kind_of_write(db, u18_data):
    ingest_any(SEED_WORKBOOK, db)
    assert table_types(db) == {("u18_rates", "BASE TABLE"), ("population_by_code", "BASE TABLE")}
    assert differences(db) == {"population_by_code": 0, "u18_rates": 0}
    population = ingest_any(POPULATION, db)
    assert query(db, "SELECT count(*) FROM u18_rates WHERE per_1000 IS NOT NULL")[0][0] > 0
    assert differences(db) == {"population_by_code": 0, "u18_rates": 0}
    ingest_any(u18_data / "seed_full_year_2024.xlsx", db)
    assert differences(db) == {"population_by_code": 0, "u18_rates": 0}
    rollback(db, population.upload_id)
    assert differences(db) == {"population_by_code": 0, "u18_rates": 0}
    assert query(db, "SELECT count(*) FROM population_by_code") == [(0,)]
    assert query(db, "SELECT DISTINCT rate_note FROM u18_rates WHERE counted_through IS NULL "
                     "AND offences IS NOT NULL") == [("befolkning mangler",)]


def test_a_store_with_the_old_views_gets_tables_on_its_next_write(db, tmp_path):
    ingest_any(SEED_WORKBOOK, db)
    ingest_any(POPULATION, db)
    with duckdb.connect(str(db)) as con:  # the schema before materialisation
        con.execute("DROP TABLE u18_rates")
        con.execute(f"CREATE VIEW u18_rates AS {RATES_QUERY}")
        con.execute("DROP TABLE population_by_code")
        con.execute(f"CREATE VIEW population_by_code AS {derived_queries()['population_by_code']}")
    before = query(db, "SELECT * FROM u18_rates ORDER BY ALL")
    with writing(db):
        pass
    assert table_types(db) == {("u18_rates", "BASE TABLE"), ("population_by_code", "BASE TABLE")}
    assert query(db, "SELECT * FROM u18_rates ORDER BY ALL") == before
    assert differences(db) == {"population_by_code": 0, "u18_rates": 0}


def test_a_write_that_changes_no_input_leaves_the_derived_tables_as_they_were(db, tmp_path):
    ingest_any(SEED_WORKBOOK, db)
    with duckdb.connect(str(db)) as con:  # a marker the rebuild would wipe out
        con.execute("INSERT INTO u18_rates (region, year, crime_type, gender, basis) "
                    "VALUES ('marker', 1900, 'x', 'x', 'x')")
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(db, copy)
    with writing(db) as con:
        con.execute("INSERT INTO meta VALUES ('note', 'no input changed')")
    assert query(db, "SELECT count(*) FROM u18_rates WHERE region = 'marker'") == [(1,)]
    ingest_any(POPULATION, db)
    assert query(db, "SELECT count(*) FROM u18_rates WHERE region = 'marker'") == [(0,)]
