"""Ungdata: survey indicators over time, the region next to the fylke and the country."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from analysis import format as fmt
from dashboard import queries, state, survey_queries
from dashboard.components import survey
from dashboard.components.cards import card_empty, card_outputs, card_values, chart_card, what_fills
from dashboard.theme import DROPDOWN_LABELS

dash.register_page(__name__, path="/ungdata", name="Ungdata", order=2,
                   title="Ungdata – SLT-statistikk")

P = "ung"
URL_KEYS = ["tema", "indikator", "trinn"]
state.register_url_keys(P, [f"{P}-theme", f"{P}-indicator", f"{P}-level"])
ALL_LEVELS = ""  # the school-level choice meaning "every level the figures have"
T = TypeVar("T")


def _catalogue() -> pd.DataFrame:
    try:
        return survey_queries.indicator_catalogue()
    except queries.DataMissing:
        return pd.DataFrame({"indicator": [], "label": [], "theme": [], "crime_types": [],
                             "has_data": pd.Series([], dtype=bool)})


def layout(region: str | None = None, fra=None, til=None, indikator: str = "", tema: str = "",
           trinn: str = "", **_query):
    region, fra, til = state.resolve(region, fra, til)
    catalogue = _catalogue()
    has_data = catalogue["has_data"].astype(bool)
    available = catalogue[has_data]
    themes = list(dict.fromkeys(available["theme"]))
    tema = tema if tema in themes else ""
    options = _indicator_options(available, tema)
    ids = [o["value"] for o in options]
    chosen = indikator if indikator in ids else _default_indicator(region, ids)
    levels = _levels(region, chosen)
    missing = catalogue.loc[~has_data, "label"].tolist()
    return html.Div([
        html.H1("Ungdata", className="h3 mb-3"),
        state.url_store(P, URL_KEYS),
        state.global_controls(region, fra, til, years=False),
        dbc.Card(dbc.CardBody(dbc.Row([
            dbc.Col([dbc.Label("Tema", html_for=f"{P}-theme", className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-theme", value=tema,
                                  clearable=False,
                                  options=[{"label": "Alle temaer", "value": ""}]
                                  + [{"label": t.capitalize(), "value": t} for t in themes])],
                    lg=3),
            dbc.Col([dbc.Label("Indikator (tema · spørsmål)", html_for=f"{P}-indicator",
                               className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-indicator", options=options,
                                  value=chosen, clearable=False,
                                  placeholder="Ingen indikatorer med tall ennå")], lg=6),
            dbc.Col([dbc.Label("Skoletrinn", html_for=f"{P}-level",
                               className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-level", clearable=False,
                                  searchable=False, **_level_choice(levels, trinn))], lg=3),
            dbc.Col(html.Div(id=f"{P}-police"), lg=12),
        ], className="g-3")), className="mb-3 controls-card"),
        chart_card(f"{P}-trend"),
        chart_card(f"{P}-kommuner"),
        chart_card(f"{P}-kjonn"),
        html.P("Uten tall ennå: " + ", ".join(missing) + ". Last inn Ungdata-rapportens "
               "nøkkeltall med: slt ingest FIL", className="small text-muted") if missing else None,
    ])


def _indicator_options(available: pd.DataFrame, theme: str) -> list[dict]:
    rows = available if not theme else available[available["theme"] == theme]
    return [{"label": f"{row.theme.capitalize()} · {row.label}", "value": row.indicator}
            for row in rows.itertuples(index=False)]


def _levels(region: str, indicator: str | None) -> list[str]:
    """The school levels the region (else its kommuner) has figures for on ``indicator``, most
    rows first."""
    if not indicator:
        return []
    try:
        frame = survey_queries.ungdata_series([region], indicator)
        if frame.empty:
            frame = survey_queries.ungdata_series(survey_queries.survey_places(region)[0],
                                                  indicator)
    except queries.DataMissing:
        return []
    return list(frame["school_level"].value_counts().index)


def _level_choice(levels: list[str], wanted: str) -> dict:
    """Dropdown options/value: one level is shown as the only choice; several add "Alle"."""
    options = [{"label": level, "value": level} for level in levels]
    if len(levels) > 1:
        options = [{"label": "Alle skoletrinn", "value": ALL_LEVELS}] + options
    values = [o["value"] for o in options]
    value = wanted if wanted in values else (values[0] if values else ALL_LEVELS)
    return {"options": options, "value": value, "disabled": len(levels) <= 1}


@callback(Output(f"{P}-indicator", "options"), Output(f"{P}-indicator", "value"),
          Input(f"{P}-theme", "value"), State(f"{P}-indicator", "value"),
          State("global-region", "value"), prevent_initial_call=True)
def _theme_chosen(theme, indicator, region):
    catalogue = _catalogue()
    options = _indicator_options(catalogue[catalogue["has_data"].astype(bool)], theme)
    ids = [o["value"] for o in options]
    return options, indicator if indicator in ids else _default_indicator(region, ids)


@callback(Output(f"{P}-level", "options"), Output(f"{P}-level", "value"),
          Output(f"{P}-level", "disabled"), Input("global-region", "value"),
          Input(f"{P}-indicator", "value"), State(f"{P}-level", "value"),
          prevent_initial_call=True)
def _level_options(region, indicator, level):
    choice = _level_choice(_levels(region, indicator), level)
    return choice["options"], choice["value"], choice["disabled"]


def _at_level(frame: pd.DataFrame, level: str | None) -> pd.DataFrame:
    """Rows of one school level (every place's), or all rows for "Alle skoletrinn"."""
    return frame if not level else frame[frame["school_level"] == level]


def _default_indicator(region: str, ids: list[str]) -> str | None:
    """The indicator with the longest series for the region, else the one most of its kommuner
    have figures for, else the first with any data: never an empty chart when the region or
    any of its kommuner has survey figures."""
    try:
        ranked = survey_queries.indicators_with_figures(region,
                                                        survey_queries.survey_places(region)[0])
    except queries.DataMissing:
        ranked = []
    return ([i for i in ranked if i in ids] or ids or [None])[0]


def _label(indicator: str) -> tuple[str, list[str]]:
    catalogue = _catalogue()
    row = catalogue[catalogue["indicator"] == indicator]
    if row.empty:
        return indicator, []
    return str(row["label"].iloc[0]), list(row["crime_types"].iloc[0])


def _opening(title: str, indicator: str | None, read: Callable[[], T]
             ) -> tuple[str, T | None, tuple | None]:
    """(the indicator's label, what ``read`` returns, None), or the card titled ``title`` in
    its empty state as the last item when no indicator is chosen or the store lacks the
    figures: the opening a card of one indicator shares."""
    if not indicator:
        return "", None, card_empty(title, queries.SOURCES["ungdata"][1])
    label, _types = _label(indicator)
    try:
        return label, read(), None
    except queries.DataMissing as missing:
        return label, None, card_empty(title, str(missing))


@callback(Output(f"{P}-police", "children"), Input("global-region", "value"),
          Input(f"{P}-indicator", "value"))
def _police_links(region, indicator):
    _label_text, types = _label(indicator) if indicator else ("", [])
    if not types:
        return None
    return [dbc.Button(f"Se politiets tall: {t}", color="primary", outline=True, size="sm",
                       className="me-2 mb-1",
                       href=state.href("/ungdomskriminalitet", region, krimtype=t))
            for t in types]


@callback(*card_outputs(f"{P}-trend"), Input("global-region", "value"),
          Input(f"{P}-indicator", "value"), Input(f"{P}-level", "value"))
def _trend(region, indicator, level):
    title = "Ungdata"
    if not indicator:
        return card_empty(title, queries.SOURCES["ungdata"][1])
    label, _types = _label(indicator)
    fylke = queries.fylke_of(region)
    places = [p for p in dict.fromkeys([region, fylke, queries.NATION]) if p]
    try:
        frame = survey_queries.ungdata_series(places, indicator)
    except queries.DataMissing as missing:
        return card_empty(label, str(missing))
    frame = _at_level(frame[frame["gender"] == queries.TOTAL], level)
    if region not in set(frame["region"]):
        return _members_trend(region, indicator, label, level)
    frame = frame.assign(series=_series_names(frame))
    dated = frame[frame["year"].notna()]
    if region not in set(dated["region"]):
        return _undated(frame[frame["region"] == region], region, label, indicator)
    styles = survey.place_styles(region, fylke, queries.NATION) if dated["series"].isin(
        places).all() else None
    unit = _unit(frame)
    fig = survey.indicator_lines(dated, label=label, styles=styles, unit=unit)
    undated = frame[frame["year"].isna() & (frame["region"] == region)]
    note = _note(dated) + "".join(
        f" Uten årstall: {survey.amount(r.value, unit)} ({r.period})."
        for r in undated.itertuples())
    return card_values(fig, _trend_title(dated, region, label), f"ungdata_{indicator}_{region}.csv",
                       value_name=survey.value_name(unit), decimals=1, note=note)


def _unit(frame: pd.DataFrame) -> str:
    """The indicator's unit (one per indicator), percent when the frame says none."""
    return str(frame["unit"].iloc[0]) if "unit" in frame and len(frame) else survey.PERCENT


def _nothing(region: str, label: str, indicator: str) -> list | str:
    """Why there is nothing to set side by side or over time: no figures at all, or only
    figures without a survey year (which the chart above shows on their own)."""
    members, _references = survey_queries.survey_places(region)
    frame = survey_queries.ungdata_series(members or [region], indicator)
    undated = frame[frame["year"].isna() & (frame["gender"] == queries.TOTAL)]
    if undated.empty:
        return what_fills("ungdata", f"{region} eller kommunene der", f" om «{label}»")
    whose = fmt.listing(sorted(set(undated["region"])))
    periods = fmt.listing([f"«{p}»" for p in sorted(set(undated["period"]))])
    return (f"{whose} har tall om «{label}» bare uten undersøkelsesår ({periods}), og ingen "
            "av kommunene har tall med årstall. Tall uten år kan ikke settes side om side "
            "med andre kommuner eller vises over tid.")


MAX_LINES = 6  # more member kommuner than this: the trend shows the fylke and the country


def _members_trend(region: str, indicator: str, label: str, level: str | None) -> tuple:
    """A region without survey figures of its own (percentages cannot be summed): its kommuner
    over time, next to the fylke and the country."""
    try:
        frame, have, references = survey_queries.member_survey(region, indicator, level)
    except queries.DataMissing as missing:
        return card_empty(label, str(missing))
    if not have:
        return card_empty(label, _nothing(region, label, indicator))
    shown = have if len(have) <= MAX_LINES else []
    frame = frame[frame["region"].isin([*shown, *references])]
    frame = frame.assign(series=_series_names(frame))
    fylke = next((r for r in references if r != queries.NATION and r in set(frame["region"])),
                 None)
    styles = survey.member_styles(shown, fylke, queries.NATION)
    unit = _unit(frame)
    fig = survey.indicator_lines(frame, label=label, styles=styles, unit=unit)
    where = fmt.listing(shown) if shown else f"{len(have)} kommuner"
    title = (f"{label}: {region} har ikke egne tall – "
             + (f"kommunene {where}" if shown else fylke or queries.NATION)
             + " og hele landet over tid")
    note = (f"Andeler og rater kan ikke legges sammen, så {region} vises med kommunene sine. "
            + ("" if shown else f"{where} har tall; se dem side om side under. ") + _note(frame))
    return card_values(fig, title, f"ungdata_{indicator}_{region}.csv",
                       value_name=survey.value_name(unit), decimals=1, note=note)


@callback(*card_outputs(f"{P}-kommuner"), Input("global-region", "value"),
          Input(f"{P}-indicator", "value"), Input(f"{P}-level", "value"))
def _members(region, indicator, level):
    """The kommuner side by side (sorted dot plot) with the fylke and the country."""
    title = "Kommunene side om side"
    label, read, empty = _opening(title, indicator,
                                  lambda: survey_queries.member_survey(region, indicator, level))
    if empty:
        return empty
    frame, have, references = read
    if not have:
        return card_empty(title, _nothing(region, label, indicator))
    if not level:  # «Alle skoletrinn»: one dot per place, so the level most of them have
        level = frame.loc[frame["region"].isin(have), "school_level"].value_counts().index[0]
        frame = frame[frame["school_level"] == level]
        have = [m for m in have if m in set(frame["region"])]
    latest, period, without = survey.latest_side_by_side(frame, have)
    latest = latest.drop_duplicates("region", keep="last")
    highlight = region if region in have else None
    unit = _unit(latest)
    fig = survey.member_dots(latest, label=label, highlight=highlight, references=references,
                             unit=unit)
    table = latest.sort_values("value", ascending=False)
    table = pd.DataFrame({"Serie": table["region"], "Periode": table["period"],
                          survey.value_name(unit): table["value"]})
    members = survey_queries.survey_places(region)[0]
    lacking = len(members) - len(have)
    note = " ".join(filter(None, [
        f"Uten tall for {period}: {fmt.listing(without)}." if without else "",
        f"{lacking} av de {len(members)} kommunene har ingen tall for denne indikatoren ennå."
        if lacking and region != queries.NATION else "",
        _note(latest)]))
    title = survey.side_by_side_title(latest, region, label, period, references,
                                      queries.NATION, unit)
    return card_values(fig, title,
                       f"ungdata_{indicator}_{region}_kommuner.csv", frame=table, decimals=1,
                       x_name="Periode", value_name=survey.value_name(unit), note=note)


def _undated(frame: pd.DataFrame, region: str, label: str, indicator: str) -> tuple:
    unit = _unit(frame)
    fig = survey.undated_bars(frame, label=label, unit=unit)
    table = pd.DataFrame({"Serie": frame["series"], "Periode": frame["period"],
                          survey.value_name(unit): frame["value"]})
    title = f"{label}: {survey.amount(frame['value'].iloc[0], unit)} i {region}"
    return card_values(fig, title, f"ungdata_{indicator}_{region}.csv", frame=table,
                       decimals=1, note=f"Undersøkelsesåret er ikke oppgitt i kilden "
                       f"({frame['source'].iloc[0]}), så tallet kan ikke vises over tid.")


def _series_names(frame: pd.DataFrame) -> list[str]:
    levels = frame.groupby("region")["school_level"].nunique().max() > 1
    grade = frame["grade"].nunique() > 1
    return [r + (f" – {s}" if levels else "") + (f" {g}" if grade else "")
            for r, s, g in zip(frame["region"], frame["school_level"], frame["grade"])]


def _trend_title(frame: pd.DataFrame, region: str, label: str) -> str:
    mine = frame[frame["region"] == region].sort_values("year")
    nation = frame[frame["region"] == queries.NATION]
    last, unit = mine.iloc[-1], _unit(frame)
    same = nation[nation["period"] == last["period"]]
    text = f"{label}: {survey.amount(last['value'], unit)} i {region} ({last['period']})"
    if not same.empty:
        text += f" mot {survey.amount(same['value'].iloc[0], unit)} i hele landet"
    return text


def _note(frame: pd.DataFrame) -> str:
    grades = ", ".join(sorted(set(frame["school_level"] + " " + frame["grade"])))
    sources = ", ".join(sorted(set(frame["source"].dropna())))
    return " ".join(filter(None, [
        f"Gjelder {grades}. Kilde: {sources}. Hull i linjen betyr at en undersøkelse mangler.",
        survey.moving_average_note(frame["period"])]))


@callback(*card_outputs(f"{P}-kjonn"), Input("global-region", "value"),
          Input(f"{P}-indicator", "value"), Input(f"{P}-level", "value"))
def _genders(region, indicator, level):
    title = "Jenter og gutter"
    label, frame, empty = _opening(title, indicator,
                                   lambda: survey_queries.ungdata_series([region], indicator))
    if empty:
        return empty
    frame = _at_level(frame, level)
    frame = frame[frame["gender"].isin(["Jenter", "Gutter"]) & frame["year"].notna()]
    if frame.empty:
        return _member_genders(region, indicator, label, level, title)
    frame, unit = frame.assign(series=frame["gender"]), _unit(frame)
    last = frame[frame["year"] == frame["year"].max()].set_index("gender")["value"]
    head = (f"{label} i {region}: jenter {survey.amount(last.get('Jenter'), unit)}, "
            f"gutter {survey.amount(last.get('Gutter'), unit)} ({int(frame['year'].max())})")
    fig = survey.indicator_lines(frame, label=label, unit=unit)
    return card_values(fig, head, f"ungdata_{indicator}_{region}_kjonn.csv",
                       value_name=survey.value_name(unit), decimals=1, note=_note(frame))


def _member_genders(region: str, indicator: str, label: str, level: str | None, title: str):
    """No split by gender for the region itself: girls and boys in each of its kommuner (or,
    for a kommune, the kommuner of its fylke) with the fylke and the country, newest period."""
    members, references = survey_queries.survey_places(region)
    try:
        frame = survey_queries.ungdata_series([*members, *references], indicator)
    except queries.DataMissing as missing:
        return card_empty(title, str(missing))
    frame = _at_level(frame, level)
    frame = frame[frame["gender"].isin(["Jenter", "Gutter"]) & frame["year"].notna()]
    have = [m for m in members if m in set(frame["region"])]
    if region == queries.NATION or not have or queries.fylke_of(region):  # kommune: its own
        return card_empty(title, [
            f"Ingen tall for jenter og gutter hver for seg for «{label}» i {region}. Kommunens "
            "Ungdata-rapport (ungdata.no) og FHIs Kommunehelsa (khs.fhi.no) har dem fordelt på "
            "kjønn: last ned tabellen med kjønn og last den inn under ",
            dcc.Link("Last opp", href="/last-opp"), " (analytikere) eller med: slt ingest FIL"])
    latest, period, without = survey.latest_side_by_side(frame, have)
    latest = latest.drop_duplicates(["region", "gender"], keep="last")
    none = [m for m in members if m not in have]
    unit = _unit(latest)
    fig = survey.gender_dots(latest, label=label, unit=unit)
    wide = latest.pivot_table(index="region", columns="gender", values="value").reindex(
        columns=["Jenter", "Gutter"])
    more = int((wide["Jenter"] > wide["Gutter"]).sum())
    head = (f"{label}, jenter og gutter i kommunene i {region} ({period}): høyere for jenter "
            f"enn for gutter i {more} av {len(wide)} steder")
    table = pd.DataFrame({"Serie": latest["gender"], "Sted": latest["region"],
                          survey.value_name(unit): latest["value"]})
    note = " ".join(filter(None, [
        f"{region} har ikke egne tall for jenter og gutter; kommunene vises hver for seg.",
        f"Uten tall for {period}: {fmt.listing(without)}." if without else "",
        f"Uten tall for jenter og gutter: {fmt.listing(none)}." if len(none) <= 8 and none
        else (f"{len(none)} av kommunene har ingen tall for jenter og gutter." if none else ""),
        _note(latest)]))
    return card_values(fig, head, f"ungdata_{indicator}_{region}_kjonn.csv", frame=table,
                       x_name="Sted", value_name=survey.value_name(unit), decimals=1, note=note)
