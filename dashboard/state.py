"""The global choices (region, year range): read from the URL, shown as controls, kept in the URL.

Pages call :func:`resolve` with their query arguments and put :func:`global_controls` at the top
of their layout; the controls have the same ids on every page (only one page is shown at a time).
A clientside callback writes the choices back into the address bar and into the navigation links.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, dcc, html

from dashboard import queries
from dashboard.components.group_note import membership
from dashboard.theme import DROPDOWN_LABELS

# The pattern-matching id type of the navigation links: {"type": NAV_LINK, "index": i}.
NAV_LINK = "nav-link"
LEVEL_LABEL = {"land": "land", "politidistrikt": "politidistrikt", "fylke": "fylke",
               "gruppe": "regiongruppe", "kommune": "kommune"}


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def bounds() -> tuple[int, int]:
    found = queries.year_bounds()
    if found:
        return found
    this_year = dt.date.today().year
    return this_year - 5, this_year


def resolve(region: str | None, fra, til) -> tuple[str, int, int]:
    """Valid choices from URL arguments; unknown or missing values fall back to defaults."""
    lo, hi = bounds()
    try:
        names = set(queries.regions()["name"])
    except queries.DataMissing:
        names = set()
    if not region or region not in names:
        region = queries.default_region()
    fra, til = _int(fra, lo), _int(til, hi)
    fra, til = max(lo, min(fra, hi)), min(hi, max(til, lo))
    return region, min(fra, til), max(fra, til)


def region_options() -> list[dict]:
    try:
        frame = queries.regions()
    except queries.DataMissing:
        return [{"label": queries.NATION, "value": queries.NATION}]
    return [{"label": f"{row.name} ({LEVEL_LABEL.get(row.level, row.level)})", "value": row.name}
            for row in frame.itertuples(index=False)]


def global_controls(region: str, fra: int, til: int, *, years: bool = True) -> dbc.Card:
    lo, hi = bounds()
    slider = dcc.RangeSlider(id="global-years", min=lo, max=hi, step=1, value=[fra, til],
                             marks={y: str(y) for y in range(lo, hi + 1)}, allowCross=False,
                             tooltip=None, className="year-slider")
    return dbc.Card(dbc.CardBody([dbc.Row([
        dbc.Col([dbc.Label("Region", html_for="global-region", className="fw-semibold mb-1"),
                 dcc.Dropdown(labels=DROPDOWN_LABELS, id="global-region",
                              options=region_options(), value=region,
                              clearable=False, searchable=True,
                              placeholder="Velg kommune, gruppe, fylke …")], md=5),
        dbc.Col([dbc.Label("År", html_for="global-years", className="fw-semibold mb-1"),
                 slider], md=7, style=None if years else {"display": "none"}),
    ], className="g-3 align-items-end"),
        html.Div(id="global-members", className="small text-muted mt-2", role="note")],
        className="py-2"), className="mb-3 controls-card")


@dash.callback(Output("global-members", "children"), Input("global-region", "value"))
def _members(region):
    """A region group's kommuner and when they last changed (its figures follow them)."""
    try:
        members = queries.group_members(region)
    except queries.DataMissing:
        return []
    return membership(region, members, group_history(region) if members else None)


def group_history(region: str):
    """The group's changes, or None for a store written before groups were stored."""
    try:
        return queries.group_changes(region)
    except queries.DataMissing:
        return None


# Clientside: choices → address bar and navigation links (no server round trip).
dash.clientside_callback(
    ClientsideFunction("slt", "syncGlobal"),
    Output({"type": NAV_LINK, "index": ALL}, "href"),
    Input("global-region", "value"), Input("global-years", "value"), State("nav-paths", "data"))


def register_url_keys(prefix: str, component_ids: list[str]) -> None:
    """Page-specific choices kept in the URL; the keys are in the page's :func:`url_store`."""
    dash.clientside_callback(
        ClientsideFunction("slt", "syncPage"),
        Output(f"{prefix}-urlkeys", "data"),
        [Input(cid, "value") for cid in component_ids],
        State(f"{prefix}-urlkeys", "data"))


def url_store(prefix: str, keys: list[str]) -> dcc.Store:
    """The URL keys of a page's own choices, in the order of :func:`register_url_keys`."""
    return dcc.Store(id=f"{prefix}-urlkeys", data=keys)


def href(path: str, region: str, fra: int | None = None, til: int | None = None,
         **extra) -> str:
    """A link that keeps the global choices (and adds page-specific ones)."""
    params = {"region": region, "fra": fra, "til": til, **extra}
    return path + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def no_police_figures(region: str, fra: int, til: int, path: str, short: bool = False) -> list:
    """The empty-state text when a region has no police figures, with links to the groups it
    belongs to that have them (Porsgrunn → Grenland).

    ``short``: without how to load the figures, for a page's other cards, so that a page of
    four charts does not say it four times.
    """
    text = f"Ingen politi-tall for {region} i {fra}–{til}. "
    try:
        parents = queries.police_regions_containing(region)
    except queries.DataMissing:
        parents = []
    links = [dcc.Link(name, href=href(path, name, fra, til)) for name in parents]
    joined = [part for link in links for part in (link, ", ")][:-1]
    if short:
        return [text.strip()] if not parents else [text + "Se ", *joined, ", som har tall."]
    if not parents:
        return [text + "Velg en annen region, eller last inn politidistriktets tabell over "
                "U18-forhold for regionen (fra politiets analyseavdeling, via SLT-kontakten) med: "
                "slt ingest FIL"]
    return [text + f"{region} er med i ", *joined, ", som har tall. Eller last inn "
            "politidistriktets tabell over U18-forhold for kommunen (fra politiets "
            "analyseavdeling, via SLT-kontakten) med: slt ingest FIL"]
