"""A database file made by an earlier version stays readable and writable: its uploads,
history and rollback work, and its derived tables follow the writes of today's code."""

from __future__ import annotations

import gzip
import shutil

from etl.dispatch import ingest_any
from etl.rollback import rollback
from tests.conftest import TEST_DATA, query
from tests.integration.test_rates_materialised import differences, kommune_file


def old_store(tmp_path):
    db = tmp_path / "old.duckdb"
    with gzip.open(TEST_DATA / "store" / "seed_at_2383542.duckdb.gz", "rb") as src, \
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
