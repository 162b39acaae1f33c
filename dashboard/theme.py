"""Colours and the shared figure look: one colour-blind-safe palette (Okabe-Ito) for all charts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analysis.format import PLOTLY_SEPARATORS

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency.  Order chosen so the first colours also print well in grey.
# The palette's yellow (#F0E442) has a contrast of 1.3:1 on white and vanishes on a projector;
# an 8th category (Vold, when every crime type is in the store) got it.  A dark yellow of the same
# hue takes its place (4.3:1).  Every line also has its own dash and marker, so no chart relies
# on colour alone.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
             "#8C7A00"]
GREY = "#8c8c8c"
LIGHT_GREY = "#d9d9d9"
HIGHLIGHT = "#D55E00"  # vermillion: the chosen region on maps and comparisons
# Sequential, single hue (blues), readable by everyone and in greyscale.
SEQUENTIAL = ["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"]
# Line styles that repeat the colour information for readers who cannot rely on colour.
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon"]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


# One template for every figure, registered as the default so a figure gets it once, when it is
# created (setting a template by name on each figure deep-copies it: ~20 ms per chart).
_TEMPLATE = go.layout.Template(pio.templates["plotly_white"])
# No drag-to-zoom: the tool bar has no «reset» button (graph_config), so a chart is not left
# zoomed by a stray drag; hover still shows every value (the map pans, its own dragmode).
_TEMPLATE.layout.update(separators=PLOTLY_SEPARATORS, colorway=OKABE_ITO, dragmode=False,
                        font={"family": FONT, "size": 15, "color": "#212529"})
pio.templates["slt"] = _TEMPLATE
pio.templates.default = "slt"


# The template as plotly.js reads it, made once: what a ``go.Figure`` carries in its layout.
TEMPLATE_JSON = _TEMPLATE.to_plotly_json()


def colour(i: int) -> str:
    return OKABE_ITO[i % len(OKABE_ITO)]


def plain(column) -> list:
    """A column (or list) as plain Python values for a figure dict, a missing value as None
    (a gap in the chart)."""
    values = column.tolist() if hasattr(column, "tolist") else list(column)
    return [None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v
            for v in values]


def layout(*, y_title: str = "", x_is_year: bool = True, y_format: str | None = ",d") -> dict:
    """Norwegian separators, readable fonts, whole-year x axis, legend above the plot: the
    layout of a figure built as a plain dict (``{"data", "layout"}``), which ``dcc.Graph``
    takes as it is — without plotly's validation of every property (5-9 ms a figure) and its
    copy of the whole figure when Dash encodes it.  Includes the template, which a
    ``go.Figure`` gets when it is created."""
    yaxis = {"rangemode": "tozero", "title": {"text": y_title}}
    if y_format:
        yaxis["tickformat"] = y_format
    out = {"template": TEMPLATE_JSON, "separators": PLOTLY_SEPARATORS,
           "margin": {"l": 60, "r": 20, "t": 30, "b": 50}, "height": 420,
           "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
           "hoverlabel": {"font": {"size": 15}}, "showlegend": True, "yaxis": yaxis}
    if x_is_year:
        out["xaxis"] = {"dtick": 1, "tickformat": "d"}
    return out


# Norwegian texts for dcc.Dropdown (Dash 4 shows English defaults otherwise).  «N valgt» starts
# with a space (not shown: it begins its own box): the chosen values' text runs straight into
# it, so «Bamble3 valgt» on screen did not match the button's name «… Bamble 3 valgt» for axe
# (label-content-name-mismatch).
DROPDOWN_LABELS = {"select_all": "Velg alle", "deselect_all": "Fjern alle",
                   "selected_count": " {num_selected} valgt", "search": "Søk",
                   "clear_search": "Tøm søket", "clear_selection": "Fjern valget",
                   "no_options_found": "Ingen treff"}
