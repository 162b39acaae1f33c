"""The numbers a figure plots, as a frame, a CSV text and an accessible HTML table.

Extracted from the figure itself, so the download and the table alternative cannot drift from
the chart.  Traces whose ``meta`` is :data:`HELPER` repeat numbers
already plotted and are skipped.
"""

from __future__ import annotations

import csv
import io
import math

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import html

from analysis import format as fmt
from etl.exports import neutralise

HELPER = "hjelpelinje"


def _clean(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def figure_frame(fig: go.Figure | dict, x_name: str = "År",
                 value_name: str = "Verdi") -> pd.DataFrame:
    """serie, <x_name>, <value_name>: one row per plotted point, in plotting order.  ``fig``:
    a ``go.Figure`` or a plain figure dict (``{"data": [trace dicts], "layout"}``)."""
    rows = []
    traces = fig["data"] if isinstance(fig, dict) else [_Props(t) for t in fig.data]
    for trace in traces:
        if trace.get("meta") == HELPER:
            continue
        if trace.get("type") == "heatmap":
            for y_label, z_row in zip(trace["y"], trace["z"]):
                for x_label, z in zip(trace["x"], z_row):
                    rows.append((str(y_label), str(x_label).replace("<br>", " "), _clean(z)))
            continue
        xs = trace.get("customdata")
        xs = trace.get("x") if xs is None else xs
        for x, y in zip(xs, trace.get("y")):
            x = x[0] if isinstance(x, (list, tuple)) else x
            rows.append((trace.get("name"), str(x).replace("<br>", " "), _clean(y)))
    return pd.DataFrame(rows, columns=["Serie", x_name, value_name])


class _Props:
    """A plotly trace object read like a trace dict (``get``, ``[]``)."""

    def __init__(self, trace):
        self.trace = trace

    def get(self, name: str):
        return getattr(self.trace, name)

    __getitem__ = get


def to_csv(frame: pd.DataFrame) -> str:
    """Semicolon-separated, decimal comma: opens correctly in Norwegian Excel.  Text that a
    spreadsheet would run as a formula is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([fmt.csv_number(v) if isinstance(v, (int, float)) or v is None
                         else neutralise(str(v)) for v in row])
    return out.getvalue()


def wide(frame: pd.DataFrame) -> pd.DataFrame:
    """Series as columns, x values as rows (the shape people read)."""
    x_name, value_name = frame.columns[1], frame.columns[2]
    table = frame.pivot_table(index=x_name, columns="Serie", values=value_name, aggfunc="first",
                              sort=False, dropna=False)
    return table.reindex(columns=list(dict.fromkeys(frame["Serie"])))


def _absent(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _key(value):
    """A row or column label as ``wide`` has it: a missing label is NaN there."""
    return math.nan if _absent(value) else value


def wide_cells(frame: pd.DataFrame) -> tuple[list, list, list[list]]:
    """(row labels, column labels, rows of cells): :func:`wide` in plain Python lists.

    The same table as ``wide(frame)`` (rows and series in order of first appearance, the first
    value present per cell, None where there is none), without building a pivoted frame: with
    357 kommuner as series, pandas spends ~20 ms per table on the wide frame's columns.
    """
    series, xs, values = (frame.iloc[:, i].tolist() for i in range(3))
    columns: dict = {}
    rows: dict = {}
    cells: dict = {}
    for s, x, v in zip(series, xs, values):
        # NaN labels: one NaN key per axis (math.nan is one object, so dict lookups find it)
        s, x = _key(s), _key(x)
        columns.setdefault(s, len(columns))
        rows.setdefault(x, len(rows))
        if cells.get((x, s)) is None and not _absent(v):
            cells[(x, s)] = v
    return (list(rows), list(columns),
            [[cells.get((x, s)) for s in columns] for x in rows])


def html_table(frame: pd.DataFrame, decimals: int = 0, caption: str = "") -> dbc.Table:
    """An accessible table (caption, header cells with scope) of the plotted numbers."""
    return captioned(table_parts(frame, decimals), caption)


def element(tag: str, children, **props) -> dict:
    """``html.<tag>(children, **props)`` as Dash sends it to the browser (the same JSON), for
    the many cells of a table: a component object per cell cost ~20 µs to build and encode,
    ~1 000 cells in a new region's pages."""
    return {"props": {"children": children, **props}, "type": tag,
            "namespace": "dash_html_components"}


def table_parts(frame: pd.DataFrame, decimals: int = 0) -> list:
    """The head and body of :func:`html_table` (one element per cell: a map's table of
    every kommune is ~700 of them, worth building once per data version)."""
    index, columns, rows = wide_cells(frame)
    x_name = frame.columns[1]
    head = html.Thead(element("Tr", [element("Th", x_name, scope="col")]
                              + [element("Th", str(c), scope="col", className="text-end")
                                 for c in columns]))
    body = html.Tbody([
        element("Tr", [element("Th", str(idx), scope="row")]
                + [element("Td", fmt.number(v, decimals), className="text-end") for v in row])
        for idx, row in zip(index, rows)])
    return [head, body]


def captioned(parts: list, caption: str = "") -> dbc.Table:
    """The table of :func:`table_parts` with its caption (the chart's title)."""
    parts = ([html.Caption(caption)] if caption else []) + parts
    return dbc.Table(parts, bordered=False, striped=True, hover=True, size="sm",
                     responsive=True, className="mb-0")


SHORT = 24  # up to this many points, the text alternative names every one
NO_FIGURE = "ingen tall"  # a point without a value, in words (a screen reader skips «–»)


def chart_summary(frame: pd.DataFrame, decimals: int = 0) -> str:
    """A chart's text alternative (WCAG 1.1.1): what it shows and its numbers, in words.

    Short charts list every point per series; long ones (maps, many regions) name the count,
    the highest and the lowest value.  The full numbers are in the table next to the chart.
    """
    if frame.empty:
        return ""
    x_name, value_name = frame.columns[1], frame.columns[2]
    series = list(dict.fromkeys(frame["Serie"]))
    shown = frame[[not _absent(v) for v in frame[value_name]]]
    if len(frame) <= SHORT:
        parts = ["{}: {}".format(name, ", ".join(
            f"{x} {fmt.number(v, decimals, dash=NO_FIGURE)}" for x, v in zip(
                frame.loc[frame["Serie"] == name, x_name],
                frame.loc[frame["Serie"] == name, value_name])))
            for name in series]
    elif shown.empty:
        parts = [f"{len(series)} serier uten tall"]
    else:
        ordered = shown.sort_values(value_name, kind="stable")
        low, high = ordered.iloc[0], ordered.iloc[-1]
        parts = [f"{len(shown)} tall i {len(series)} serier"] + [
            f"{word} {row['Serie']} ({row[x_name]}) {fmt.number(row[value_name], decimals)}"
            for word, row in (("høyest", high), ("lavest", low))]
    return (f"Diagram over {value_name.lower()}. " + "; ".join(parts)
            + ". Alle tallene står i tabellen under diagrammet.")
