"""The only module that talks to DuckDB for the dashboard.  Every value is a bound parameter."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.store import connect_read

_DB: dict[str, Path] = {}


def configure(db_path: Path) -> None:
    _DB["path"] = Path(db_path)


def _frame(sql: str, params: list | None = None) -> pd.DataFrame:
    with connect_read(_DB["path"]) as con:
        return con.execute(sql, params or []).df()


def u18_by_type(region: str) -> pd.DataFrame:
    return _frame(
        "SELECT year, counted_through, crime_type, offences FROM u18_offences "
        "WHERE region = ? AND age = 'Totalt' AND gender = 'Totalt' ORDER BY crime_type, year",
        [region])
