"""A kommune map of Norway drawn with plain SVG shapes (no map tiles, no WebGL: works offline).

Kommuner are grouped into five classes of equal size (quintiles) and coloured on one sequential
scale; kommuner without a figure are light grey; the chosen region is outlined.  Hover shows the
exact value on an invisible point in each kommune.
"""

from __future__ import annotations

import base64
import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import format as fmt
from analysis.format import PLOTLY_SEPARATORS
from dashboard.components.tables import HELPER
from dashboard.theme import FONT, HIGHLIGHT, LIGHT_GREY, SEQUENTIAL

GEOJSON = Path(__file__).resolve().parents[1] / "assets" / "kommuner_2024.geojson"
X_SCALE = math.cos(math.radians(65))  # keeps Norway's shape at its mean latitude


@cache
def kommune_shapes(path: Path = GEOJSON) -> dict[str, dict]:
    """kommunenummer → {'name', 'rings': [(xs, ys)], 'centre': (x, y)}."""
    with open(path, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    shapes = {}
    for feature in features:
        geometry = feature["geometry"]
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        rings = [([round(x * X_SCALE, 4) for x, _ in ring], [y for _, y in ring])
                 for polygon in polygons for ring in polygon[:1]]  # outer rings only
        largest = max(rings, key=lambda r: len(r[0]))
        shapes[feature["properties"]["kommunenummer"]] = {
            "name": feature["properties"]["name"], "rings": rings,
            "centre": (sum(largest[0]) / len(largest[0]), sum(largest[1]) / len(largest[1]))}
    return shapes


def _joined(codes, shapes) -> tuple[list, list]:
    xs, ys = [], []
    for code in codes:
        for rx, ry in shapes[code]["rings"]:
            xs += [*rx, None]
            ys += [*ry, None]
    return xs, ys


def typed(values: list) -> dict:
    """Coordinates as a plotly.js typed array (32-bit floats in base64, a gap as NaN, which
    plotly.js reads as a missing point as it reads null): a class's outlines are one string in
    the answer instead of thousands of numbers, about three times faster to encode."""
    array = np.array([np.nan if v is None else v for v in values], dtype="float32")
    return {"dtype": "f4", "bdata": base64.b64encode(array.tobytes()).decode("ascii")}


def classes(values: pd.Series, n: int = 5) -> list[float]:
    """Upper bounds of n classes with about as many kommuner in each (quantiles)."""
    qs = [values.quantile(i / n) for i in range(1, n + 1)]
    return sorted(set(qs))


def extent(codes, shapes=None, pad: float = 0.15) -> tuple[list[float], list[float]] | None:
    """The x and y ranges that hold the kommuner ``codes`` with a margin, or None."""
    shapes = shapes or kommune_shapes()
    xs = [x for c in codes if c in shapes for rx, _ry in shapes[c]["rings"] for x in rx]
    ys = [y for c in codes if c in shapes for _rx, ry in shapes[c]["rings"] for y in ry]
    if not xs:
        return None
    dx, dy = max(xs) - min(xs), max(ys) - min(ys)
    margin = max(dx, dy) * pad + 0.05
    return [min(xs) - margin, max(xs) + margin], [min(ys) - margin, max(ys) + margin]


def choropleth(values: pd.DataFrame, *, label: str, source: str,
               highlight: list[str] = (), decimals: int = 1, focus: list[str] = ()) -> dict:
    """``values``: kommunenummer, region, value.  One filled trace per class.

    ``focus``: kommunenummer of the kommuner the map is zoomed to (e.g. the region's fylke);
    empty shows the whole country.

    Returns a plain figure dict (``{"data", "layout"}``), which ``dcc.Graph`` takes as it is:
    the shapes hold ~30 000 points, and plotly's object validation of them costs ~200 ms.
    """
    return placed(layers(values, label=label, source=source, decimals=decimals),
                  highlight=highlight, focus=focus)


def layers(values: pd.DataFrame, *, label: str, source: str, decimals: int = 1) -> dict:
    """What the map of ``values`` is for every region: the kommuner filled by class
    (``fills``) and the invisible hover points (``points``), to be :func:`placed`.  The same
    for every region, so a page may build it once per measure and data version (the shapes
    are most of the work); :func:`placed` never changes it."""
    shapes = kommune_shapes()
    values = values[values["kommunenummer"].isin(shapes)].dropna(subset=["value"])
    missing = sorted(set(shapes) - set(values["kommunenummer"]))
    fills = [_fill(missing, shapes, LIGHT_GREY, "Ingen tall")]
    bounds, low = classes(values["value"]), values["value"].min() if len(values) else 0
    for i, upper in enumerate(bounds):
        codes = values.loc[(values["value"] <= upper) & (values["value"] >= low), "kommunenummer"]
        name = f"{fmt.number(low, decimals)}–{fmt.number(upper, decimals)}"
        fills.append(_fill(list(codes), shapes, SEQUENTIAL[min(i, len(SEQUENTIAL) - 1)], name))
        low = upper + 10 ** -(decimals + 3)
    centres = [shapes[c]["centre"] for c in values["kommunenummer"]]
    points = {
        "type": "scatter", "x": [c[0] for c in centres], "y": [c[1] for c in centres],
        "mode": "markers", "marker": {"size": 8, "opacity": 0}, "showlegend": False,
        "meta": HELPER, "customdata": [[r, float(v)] for r, v in zip(values["region"],
                                                                       values["value"])],
        "hovertemplate": "<b>%{customdata[0]}</b><br>" + label + ": %{customdata[1]:,."
                         + str(decimals) + "f}<br><i>Kilde: " + source + "</i><extra></extra>"}
    return {"fills": fills, "points": points}


def placed(layers_: dict, *, highlight: list[str] = (), focus: list[str] = ()) -> dict:
    """The figure of :func:`layers` with the kommuner ``highlight`` outlined and zoomed to
    ``focus`` (empty: the whole country)."""
    shapes = kommune_shapes()
    traces = list(layers_["fills"])
    if highlight:
        xs, ys = _joined([c for c in highlight if c in shapes], shapes)
        traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines",
                       "line": {"color": HIGHLIGHT, "width": 2.5}, "name": "Valgt region",
                       "hoverinfo": "skip", "meta": HELPER})
    traces.append(layers_["points"])
    layout = _map_layout()
    zoom = extent(focus, shapes) if focus else None
    if zoom:
        layout["xaxis"] = {**layout["xaxis"], "range": zoom[0]}
        layout["yaxis"] = {**layout["yaxis"], "range": zoom[1]}
        layout["height"] = 520
    return {"data": traces, "layout": layout}


def _fill(codes, shapes, colour, name) -> dict:
    xs, ys = _joined(codes, shapes)
    return {"type": "scatter", "x": typed(xs or [None]), "y": typed(ys or [None]),
            "mode": "lines",
            "fill": "toself", "fillcolor": colour, "line": {"color": "white", "width": 0.4},
            "name": name, "hoverinfo": "skip", "meta": HELPER}


def _map_layout() -> dict:
    return {"separators": PLOTLY_SEPARATORS, "font": {"family": FONT, "size": 14},
            "height": 640, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
            "dragmode": "pan", "hovermode": "closest", "showlegend": True,
            "legend": {"x": 0.02, "y": 0.98, "bgcolor": "rgba(255,255,255,0.85)"},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False, "scaleanchor": "x", "scaleratio": 1}}
