"""Sammenlign: regions side by side on U18 rates, and a kommune map with the region highlighted."""

from __future__ import annotations

import dataclasses
import functools

import dash
import dash_bootstrap_components as dbc
from dash import Input, callback, dcc, html

from analysis import format as fmt
from analysis.comparisons import Break
from dashboard import police_queries, queries, state, survey_queries
from dashboard.components import maps, police, survey
from dashboard.components.cards import (
    card_empty,
    card_outputs,
    card_values,
    chart_card,
    numbers,
)
from dashboard.theme import DROPDOWN_LABELS

dash.register_page(__name__, path="/sammenlign", name="Sammenlign", order=3,
                   title="Sammenlign – SLT-statistikk")

P = "sam"
URL_KEYS = ["regioner", "krimtype", "kart", "utsnitt"]
state.register_url_keys(P, [f"{P}-regions", f"{P}-type", f"{P}-map-measure", f"{P}-map-extent"])
WHOLE_COUNTRY = "land"  # the map's extent choice: "" follows the region
RATE = "Per 1 000 innbyggere 10–17 år"


def _map_options() -> list[dict]:
    options = []
    try:
        options += [{"label": f"Anmeldte lovbrudd per 1 000 innbyggere: {g} (SSB 08487)",
                     "value": f"ssb:{g}"} for g in survey_queries.context_groups()]
    except queries.DataMissing:
        pass
    try:
        catalogue = survey_queries.indicator_catalogue()
        options += [{"label": f"{row.label} ({'%' if row.unit == survey.PERCENT else row.unit})",
                     "value": f"ind:{row.indicator}"}
                    for row in catalogue[catalogue["has_data"]].itertuples(index=False)]
    except queries.DataMissing:
        pass
    return options


def layout(region: str | None = None, fra=None, til=None, regioner: str = "",
           krimtype: str = queries.TOTAL, kart: str = "", utsnitt: str = "", **_query):
    region, fra, til = state.resolve(region, fra, til)
    options = state.region_options()
    names = {o["value"] for o in options}
    chosen = [r for r in regioner.split(",") if r in names] if regioner else []
    chosen = chosen or [region]
    try:
        types = [queries.TOTAL, *police_queries.crime_types()]
    except queries.DataMissing:
        types = [queries.TOTAL]
    map_options = _map_options()
    values = [o["value"] for o in map_options]
    return html.Div([
        html.H1("Sammenlign", className="h3 mb-3"),
        state.url_store(P, URL_KEYS),
        state.global_controls(region, fra, til),
        dbc.Card(dbc.CardBody(dbc.Row([
            dbc.Col([dbc.Label("Regioner å sammenligne", html_for=f"{P}-regions",
                               className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-regions", options=options,
                                  value=chosen, multi=True)], lg=8),
            dbc.Col([dbc.Label("Krimtype", html_for=f"{P}-type", className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-type", options=types,
                                  value=krimtype if krimtype in types else queries.TOTAL,
                                  clearable=False)], lg=4),
        ], className="g-3")), className="mb-3 controls-card"),
        chart_card(f"{P}-rater"),
        dbc.Card(dbc.CardBody(dbc.Row([
            dbc.Col([dbc.Label("Vis på kartet", html_for=f"{P}-map-measure",
                               className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-map-measure",
                                  options=map_options,
                                  value=kart if kart in values else (values[0] if values else None),
                                  clearable=False, placeholder="Ingen tall for kartet ennå")],
                    lg=8),
            dbc.Col(html.Fieldset([
                html.Legend("Kartutsnitt", className="form-label fw-semibold fs-6 mb-1"),
                dbc.RadioItems(id=f"{P}-map-extent", inline=True,
                               value=WHOLE_COUNTRY if utsnitt == WHOLE_COUNTRY else "",
                               options=[{"label": "Regionen og fylket", "value": ""},
                                        {"label": "Hele landet", "value": WHOLE_COUNTRY}])]),
                    lg=4),
        ], className="g-3")), className="mb-3 controls-card"),
        chart_card(f"{P}-kart"),
    ])


@callback(*card_outputs(f"{P}-rater"), Input("global-region", "value"),
          Input("global-years", "value"), Input(f"{P}-regions", "value"),
          Input(f"{P}-type", "value"))
def _rates(region, years, chosen, crime_type):
    fra, til = years
    places = list(dict.fromkeys([region, *(chosen or [])]))
    title = f"U18-forhold per 1 000 innbyggere 10–17 år: {crime_type.lower()}"
    try:
        frame = police_queries.u18_rates(places, fra, til, crime_type)
        frame = frame[frame["per_1000"].notna()]
        if frame.empty and places == [region] and police_queries.u18_breakdown(
                region, "crime_type", fra, til).empty:  # no police figures: which group has
            return card_empty(title, state.no_police_figures(region, fra, til, "/sammenlign"))
    except queries.DataMissing as missing:
        return card_empty(title, str(missing))
    if frame.empty:
        return card_empty(title, "Ingen rater for de valgte regionene: det trengs både "
                          "politiets tall (politidistriktets tabell over U18-forhold, fra "
                          "politiets analyseavdeling via SLT-kontakten) og befolkningstall "
                          "(SSB-tabell 07459, ssb.no/statbank/table/07459, som CSV). Last dem "
                          "inn med: slt ingest FIL")
    lacking = [p for p in places if p not in set(frame["region"])]
    shown = [p for p in places if p in set(frame["region"])]
    breaks = tuple(dict.fromkeys(b for p in shown for b in police_queries.region_breaks(p)))
    frame = frame.assign(counted_through=None)
    fig = police.trend_lines(frame, "region", "per_1000", y_title=RATE,
                             value_label="per 1 000", decimals=1, order=shown,
                             breaks=_whose(shown) if len(shown) > 1 else breaks)
    note = police.notes(("Uten rate: " + ", ".join(lacking) + " (mangler politi- eller "
                         "befolkningstall). " if lacking else "") + "Delår vises ikke som rate.",
                        police.break_note(breaks, frame["year"]))
    return card_values(fig, _rates_title(frame, crime_type), f"u18_rater_{crime_type}.csv",
                       note=note, value_name=RATE, decimals=1)


def _whose(shown: list[str]) -> tuple[Break, ...]:
    """The new borders of the regions ``shown``, one line a year whose label names the regions
    whose figures it divides («Nye grenser 2020 (Ålesund, Sunnmøre SLT)»)."""
    regions: dict[int, list[str]] = {}
    first: dict[int, Break] = {}
    for place in shown:
        for found in police_queries.region_breaks(place):
            first.setdefault(found.year, found)
            if place not in regions.setdefault(found.year, []):
                regions[found.year].append(place)
    return tuple(dataclasses.replace(found, marker=f"{found.marker} ({', '.join(regions[y])})")
                 for y, found in sorted(first.items()))


def _rates_title(frame, crime_type) -> str:
    last = frame[frame["year"] == frame["year"].max()].sort_values("per_1000")
    top = last.iloc[-1]
    text = (f"{top['region']}: {fmt.number(top['per_1000'], 1)} U18-forhold "
            f"({crime_type.lower()}) per 1 000 unge i {int(top['year'])}")
    if len(last) > 1:
        text = f"Høyest rate i {int(top['year'])}: " + text
    return text


@callback(*card_outputs(f"{P}-kart"), Input("global-region", "value"),
          Input(f"{P}-map-measure", "value"), Input(f"{P}-map-extent", "value"))
def _map(region, measure, extent=""):
    title = "Kart over kommunene"
    if not measure:
        return card_empty(title, queries.SOURCES["context"][1])
    try:
        values, label, source, layers, shown = _map_basis(queries.store()[1], measure)
        members = survey_queries.member_kommuner(region)
        focus = [] if extent == WHOLE_COUNTRY else survey_queries.map_focus(region)
    except queries.DataMissing as missing:
        return card_empty(title, str(missing))
    if layers is None:
        return card_empty(title, "Ingen kommunetall for dette målet.")
    fig = maps.placed(layers, highlight=members, focus=focus)
    return card_values(fig, _map_title(values, region, label, members), "kart.csv",
                       shown=shown,
                       note=f"{region} er markert med oransje kant"
                       + ("" if not focus else ", og kartet viser området rundt (velg «Hele "
                          "landet» for hele kartet)") + f". Kilde: {source}.")


@functools.lru_cache(maxsize=4)  # a few MB each (the shapes)
def _map_basis(_version: tuple, measure: str) -> tuple:
    """(values, label, source, the map's layers, the card's numbers) of ``measure`` in one
    published version: the same for every region, so built once (the map's shapes and its
    table of every kommune were most of a new region's map); None layers when no kommune has
    a figure."""
    kind, key = measure.split(":", 1)
    if kind == "ssb":
        values = survey_queries.context_per_1000(key)
        label, source = f"{key} per 1 000 innbyggere", "SSB tabell 08487"
    else:
        values = survey_queries.indicator_by_kommune(key)
        unit = values["unit"].iloc[0] if len(values) else survey.PERCENT
        label, source = survey.value_name(unit), "FHI Kommunehelsa / Ungdata"
    values = values.rename(columns={"per_1000": "value"})
    if values["value"].notna().sum() == 0:
        return values, label, source, None, None
    table = values[["region", "period", "value"]].rename(
        columns={"region": "Serie", "period": "Periode", "value": label})
    return (values, label, source, maps.layers(values, label=label, source=source),
            numbers(table, decimals=1))


def _map_title(values, region, label, members=()) -> str:
    period = values["period"].iloc[0]
    mine = values[values["region"] == region]
    inside = values[values["kommunenummer"].isin(members)].sort_values("value", ascending=False)
    if mine.empty and len(inside):
        listed = ", ".join(f"{r.region} {fmt.number(r.value, 1)}" for r in inside.itertuples())
        return f"{label} i kommunene i {region} ({period}): {listed}"
    if mine.empty:
        return f"{label}, alle kommuner ({period})"
    rank = int((values["value"] > mine["value"].iloc[0]).sum()) + 1
    ranked = int(values["value"].notna().sum())
    return (f"{region}: {fmt.number(mine['value'].iloc[0], 1)} – nr. {rank} av "
            f"{fmt.number(ranked)} {'kommune' if ranked == 1 else 'kommuner'} ({period})")
