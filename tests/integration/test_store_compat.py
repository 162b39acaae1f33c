"""A database file made by an earlier version stays readable and writable: its uploads,
history and rollback work, and its derived tables follow the writes of today's code."""

from __future__ import annotations

import gzip
import shutil

from etl.dispatch import ingest_any
from etl.rollback import rollback
from etl.store import connect_read, u18_rows
from tests.conftest import TEST_DATA, query
from tests.integration.test_rates_materialised import differences, kommune_file


def old_store(tmp_path, name: str = "seed_at_2383542"):
    db = tmp_path / "old.duckdb"
    with gzip.open(TEST_DATA / "store" / f"{name}.duckdb.gz", "rb") as src, \
            open(db, "wb") as out:
        shutil.copyfileobj(src, out)
    return db


def test_a_store_made_before_session_5_is_read_written_and_rolled_back(tmp_path, slt):
    db = old_store(tmp_path)
    assert query(db, "SELECT upload_id, outcome FROM uploads") == [(1, "accepted")]
    before = query(db, "SELECT * FROM u18_rates ORDER BY ALL")
    assert before and not any(differences(db).values())
    path = tmp_path / "kommuner.csv"
    kommune_file(path, {2022: 10, 2023: 20})
    outcome = ingest_any(path, db)
    assert outcome.status == "accepted" and outcome.message == (
        "Bamble nye år: 2022, 2023; Porsgrunn nye år: 2022, 2023; Siljan nye år: 2022, 2023; "
        "Skien nye år: 2022, 2023")
    assert not any(differences(db).values()), differences(db)
    history = slt("history", "--db", db, "--id", "1", "--full")
    assert history.returncode == 0 and "Grenland nye år: 2019" in history.stdout
    rollback(db, outcome.upload_id)
    assert query(db, "SELECT * FROM u18_rates ORDER BY ALL") == before
    assert not any(differences(db).values())


ALL_ROWS = "SELECT * FROM u18_offences ORDER BY ALL"


def test_a_store_of_every_total_made_before_schema_3_reads_the_same_and_is_migrated_on_write(
        tmp_path):
    """Schema 3 stores neither the totals by crime type and age nor by age and gender that
    the leaf rows give; the view sums them.  A store written before it holds them all."""
    db = old_store(tmp_path, "long_at_3ff5159")
    before = query(db, ALL_ROWS)  # the old file's own view: every row it stored
    assert query(db, "SELECT count(*) FROM u18_current") == [(138,)]
    with connect_read(db) as con:  # today's reading of the old rows adds nothing twice
        assert con.execute(f"SELECT r.name, c.year, c.counted_through, c.crime_type, c.age, "
                           f"c.gender, c.offences, c.offenders FROM ({u18_rows()}) c "
                           "JOIN regions r USING (region_code) ORDER BY ALL").fetchall() == before
    rates = query(db, "SELECT * FROM u18_rates ORDER BY ALL")
    again = ingest_any(TEST_DATA / "store" / "long_3_dimensions.csv", db)
    assert again.status == "unchanged", again.message
    assert query(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("3",)]
    # 4 region-years × 12 totals by crime type and age or by age and gender are summed when
    # read, less Skien 2023's two at 15 where its girls are suppressed: one was never stored,
    # the other the file gives (Vold, 15 år) and is kept.
    assert query(db, "SELECT count(*) FROM u18_current") == [(138 - (4 * 12 - 2),)]
    assert query(db, ALL_ROWS) == before
    assert query(db, "SELECT * FROM u18_rates ORDER BY ALL") == rates
    assert query(db, "SELECT offences FROM u18_offences WHERE region = 'Skien' AND year = 2023 "
                     "AND crime_type = 'Vold' AND age = '15' AND gender = 'Totalt'") == [(6,)]
    assert not any(differences(db).values())


def test_a_new_store_holds_what_the_old_one_is_migrated_to(tmp_path):
    old = old_store(tmp_path, "long_at_3ff5159")
    ingest_any(TEST_DATA / "store" / "long_3_dimensions.csv", old)
    new = tmp_path / "new.duckdb"
    ingest_any(TEST_DATA / "store" / "long_3_dimensions.csv", new)
    stored = ("SELECT region_code, year, counted_through, crime_type, age, gender, offences, "
              "suppressed, offenders FROM u18_current ORDER BY ALL")
    assert query(new, stored) == query(old, stored)
    assert query(new, ALL_ROWS) == query(old, ALL_ROWS)



def test_the_report_reads_the_same_from_a_store_of_every_total_and_one_of_schema_3(tmp_path):
    """The report reads the stored rows, not the totals the view sums: its tables, findings
    and goals (each on one crime type, age or gender) never use those, so a store made before
    schema 3 (every total stored, read as it is) and a new one from the same file give the
    same report."""
    import pandas as pd

    from analysis.goals import goal_statuses
    from etl.goals import parse_goal
    from report.build import gather
    from report.tables import age_gender_table, crime_type_table

    old = old_store(tmp_path, "long_at_3ff5159")
    new = tmp_path / "new.duckdb"
    ingest_any(TEST_DATA / "store" / "long_3_dimensions.csv", new)
    old_basis, new_basis = gather(old, "Skien"), gather(new, "Skien")
    # the old store holds every total: 2 years × 12, less the two at 15 in 2023 (see above)
    assert len(old_basis.data.u18) == len(new_basis.data.u18) + 2 * 12 - 2
    assert old_basis.police == new_basis.police and old_basis.police
    for table in (crime_type_table, age_gender_table):
        assert table(old_basis.data.u18, "Skien", [2022, 2023]) == \
            table(new_basis.data.u18, "Skien", [2022, 2023])
    goals = [parse_goal({"plan": "SLT-plan 2024-2027", "region": "Skien", "measure": measure,
                         "direction": "≤", "target": "10", "baseline": "2022",
                         "deadline": "2027"}) for measure in ("Vold", "15-åringer", "Jenter")]
    statuses = [goal_statuses(goals, basis.data.u18, pd.DataFrame(), pd.DataFrame())
                for basis in (old_basis, new_basis)]
    assert statuses[0] == statuses[1] and all(s.latest for s in statuses[0])
