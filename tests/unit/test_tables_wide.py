"""html_table builds its table in plain Python (wide_cells); it must be the table pandas'
pivot (tables.wide) gives, for every shape of frame the dashboard makes and odd ones."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import plotly.utils
import pytest

from dashboard.components import tables


def _json(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)


def _reference(frame: pd.DataFrame) -> tuple[list[str], list[str], list[list[str]]]:
    """Labels and formatted cells read off the pivoted frame, as html_table read them before."""
    table = tables.wide(frame)
    cells = [[tables.fmt.number(v, 1) for v in row] for row in table.itertuples(index=False)]
    return [str(i) for i in table.index], [str(c) for c in table.columns], cells


def _ours(frame: pd.DataFrame) -> tuple[list[str], list[str], list[list[str]]]:
    index, columns, rows = tables.wide_cells(frame)
    return ([str(i) for i in index], [str(c) for c in columns],
            [[tables.fmt.number(v, 1) for v in row] for row in rows])


def _random_frame(rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(1, 60))
    series = [f"S{i}" for i in rng.integers(0, int(rng.integers(1, 8)), n)]
    xs = [str(2000 + int(i)) for i in rng.integers(0, int(rng.integers(1, 10)), n)]
    values = rng.normal(100, 50, n).round(2).astype(object)
    values[rng.random(n) < 0.25] = None           # missing points (gaps in a line)
    if rng.random() < 0.3:
        values = [None if v is None else int(v) for v in values]   # counts
    if rng.random() < 0.2:
        series[int(rng.integers(0, n))] = None     # an unnamed trace
    return pd.DataFrame({"Serie": series, "År": xs, "Antall": values})


@pytest.mark.parametrize("seed", range(40))
def test_wide_cells_is_the_pivot(seed):
    frame = _random_frame(np.random.default_rng(seed))
    index, columns, cells = _reference(frame)
    # An unnamed trace's label: the pivot turns None into NaN ("nan"), except when every
    # value in the column is None (then it stays None); ours is "nan" always.
    columns = ["nan" if c == "None" else c for c in columns]
    assert _ours(frame) == (index, columns, cells)


def test_the_first_value_present_wins_and_order_is_first_appearance():
    frame = pd.DataFrame({"Serie": ["B", "B", "A", "A", "B"],
                          "År": ["2021", "2020", "2021", "2019", "2021"],
                          "V": [math.nan, 2.0, 3.0, 4.0, 9.0]})
    index, columns, rows = tables.wide_cells(frame)
    assert (index, columns) == (["2021", "2020", "2019"], ["B", "A"])
    assert rows == [[9.0, 3.0], [2.0, None], [None, 4.0]]
    assert _ours(frame) == _reference(frame)


def test_a_map_sized_table_is_the_pivot():
    """One period, 357 kommuner as series (the Sammenlign map)."""
    rng = np.random.default_rng(3)
    values = [math.nan if i % 17 == 0 else float(v)
              for i, v in enumerate(rng.normal(30, 9, 357))]
    frame = pd.DataFrame({"Serie": [f"Kommune {i}" for i in range(357)],
                          "Periode": ["2024"] * 357, "Per 1 000": values})
    assert _ours(frame) == _reference(frame)
    text = _json(tables.html_table(frame, 1, caption="Kart"))
    assert text.count('"scope": "col"') == 358 and text.count('"scope": "row"') == 1
    assert text.count('"children": "\\u2013"') == 21   # the 21 missing values as dashes


def test_missing_values_of_an_arrow_column_are_dashes():
    """pd.NA (arrow-backed columns) is a missing value too (the pivot's cells would fail to
    format)."""
    frame = pd.DataFrame({"Serie": ["A", "B"], "År": ["2024", "2024"],
                          "V": pd.array([1.5, None], dtype="float64[pyarrow]")})
    assert _ours(frame) == (["2024"], ["A", "B"], [["1,5", "–"]])
