"""Python values into DuckDB without pandas.

``slt ingest`` of a police workbook into a new store is a short process, and importing pandas
(with numpy) was half of it (about 0.45 of 1 s).  The police path hands its rows to DuckDB as
bound LIST parameters, one per column, unnested in step: no DataFrame, no pandas import (an
Arrow table would do, but DuckDB imports pandas when one is registered).  The other readers
(survey, population, SSB) still build pandas frames, importing pandas when they run.
"""

from __future__ import annotations


def select_columns(types: dict[str, str], values: dict[str, list]) -> tuple[str, list]:
    """``SELECT`` of one row per position of the equally long lists ``values[column]``, each
    column cast to its SQL type in ``types`` (in that order), and its parameters."""
    parts = [f"unnest(?::{kind}[]) AS {column}" for column, kind in types.items()]
    return "SELECT " + ", ".join(parts), [list(values[column]) for column in types]


def select_rows(types: dict[str, str], rows: list[tuple]) -> tuple[str, list]:
    """:func:`select_columns` of rows given as tuples in the order of ``types``."""
    columns = list(zip(*rows)) if rows else [[] for _ in types]
    return select_columns(types, dict(zip(types, columns)))


def temp_table(con, name: str, types: dict[str, str], values: dict[str, list]) -> None:
    """(Re)create the temp table ``name`` (an identifier of ours, never input) of ``values``."""
    select, params = select_columns(types, values)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}", params)


def rows_table(con, name: str, types: dict[str, str], rows: list[tuple]) -> None:
    """(Re)create the temp table ``name`` of ``rows`` (tuples in the order of ``types``)."""
    select, params = select_rows(types, rows)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}", params)
