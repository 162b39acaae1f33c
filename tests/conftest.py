"""Shared fixtures: paths to checked-in data, the real ``slt`` command, table snapshots."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = REPO / "tests" / "data"
SAMPLE = REPO / "data" / "sample"
SEED_WORKBOOK = SAMPLE / "grenland_u18_2019-2024.xlsx"


@pytest.fixture
def u18_data() -> Path:
    return TEST_DATA / "u18"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where a test's database goes; the file does not exist until something writes it."""
    return tmp_path / "slt.duckdb"


def slt_command() -> list[str]:
    """The installed ``slt`` console script next to this interpreter."""
    script = Path(sys.executable).with_name("slt")
    return [str(script)] if script.exists() else [sys.executable, "-c",
                                                  "from dashboard.cli import main; main()"]


def run_slt(*args: object, env: dict | None = None, cwd: Path | None = None,
            input_text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*slt_command(), *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=120,
                          input=input_text)


@pytest.fixture
def slt():
    return run_slt


def snapshot(db_path: Path, skip: tuple[str, ...] = ("uploads",)) -> dict[str, list]:
    """Every row of every table and view except ``skip``, sorted, for before/after checks."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        names = [n for (n,) in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        return {name: sorted(map(repr, con.execute(f'SELECT * FROM "{name}"').fetchall()))
                for name in names if name not in skip}


def query(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
