"""The store is only ever replaced whole: failures leave the file, readers keep reading."""

import hashlib

import duckdb
import pytest

from etl.ingest import ingest_file
from etl.store import connect_read, writing
from tests.conftest import SEED_WORKBOOK


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_error_inside_a_write_leaves_the_file_byte_for_byte_as_it_was(db):
    ingest_file(SEED_WORKBOOK, db)
    before = digest(db)
    with pytest.raises(RuntimeError):
        with writing(db) as con:
            con.execute("DELETE FROM u18_current")
            raise RuntimeError("power cut")
    assert digest(db) == before
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_reader_opened_before_a_publish_keeps_its_view_and_new_readers_see_the_new_one(db):
    ingest_file(SEED_WORKBOOK, db)
    old_reader = connect_read(db)
    with writing(db) as con:
        con.execute("DELETE FROM u18_current WHERE year = 2019")
    assert old_reader.execute("SELECT count(*) FROM u18_offences WHERE year = 2019"
                              ).fetchone() == (21,)
    old_reader.close()
    with connect_read(db) as new_reader:
        assert new_reader.execute("SELECT count(*) FROM u18_offences WHERE year = 2019"
                                  ).fetchone() == (0,)


def test_readers_cannot_write(db):
    ingest_file(SEED_WORKBOOK, db)
    with connect_read(db) as con, pytest.raises(duckdb.Error):
        con.execute("DELETE FROM u18_current")
