"""How the police engine uses DuckDB: memory that follows the file's size within bounds, and
the checks and the publish free to run on every core (no insertion order kept)."""

from __future__ import annotations

import duckdb
import pytest

from etl.ingest import (
    MB,
    STAGING_MEMORY,
    STAGING_MEMORY_MAX,
    staging_connection,
    staging_memory,
    unordered,
)


def _setting(con, name: str):
    return con.execute("SELECT current_setting(?)", [name]).fetchall()[0][0]


def test_a_file_the_upload_page_takes_is_staged_in_the_small_memory_limit():
    assert staging_memory(0) == STAGING_MEMORY
    assert staging_memory(20 * MB) == STAGING_MEMORY  # SLT_MAX_UPLOAD_MB's default


def test_a_larger_file_may_use_as_much_memory_as_its_size_up_to_the_maximum():
    assert staging_memory(383 * MB) == 383 * MB
    assert staging_memory(5 * 1024 * MB) == STAGING_MEMORY_MAX


@pytest.mark.parametrize(("file_bytes", "limit"), [(MB, "128.0 MiB"), (300 * MB, "300.0 MiB")])
def test_the_staging_connection_gets_the_limit_for_its_file(file_bytes, limit):
    con, spill = staging_connection(file_bytes)
    try:
        assert _setting(con, "memory_limit") == limit
        assert _setting(con, "temp_directory") == str(spill)
    finally:
        con.close()
        spill.rmdir()


def test_insertion_order_is_given_up_only_inside_unordered_and_restored_after_an_error():
    con = duckdb.connect()
    assert _setting(con, "preserve_insertion_order") is True
    with unordered(con):
        assert _setting(con, "preserve_insertion_order") is False
    assert _setting(con, "preserve_insertion_order") is True
    with pytest.raises(duckdb.Error), unordered(con):
        con.execute("SELECT * FROM no_such_table")
    assert _setting(con, "preserve_insertion_order") is True
