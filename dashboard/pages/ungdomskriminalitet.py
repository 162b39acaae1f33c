"""Ungdomskriminalitet: police U18 offences by crime type, age and gender, counts or per 1 000."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, callback, dcc, html

from analysis import comparisons, findings
from analysis import format as fmt
from analysis.series import Series
from dashboard import police_queries, queries, report_queries, state
from dashboard.components import police
from dashboard.components.cards import card_empty, card_outputs, card_values, chart_card
from dashboard.theme import DROPDOWN_LABELS
from etl.vocab import UNKNOWN

PATH = "/ungdomskriminalitet"
dash.register_page(__name__, path=PATH, name="Ungdomskriminalitet", order=1,
                   title="Ungdomskriminalitet – SLT-statistikk")

P = "krim"
AGES = ["<10", "10", "11", "12", "13", "14", "15", "16", "17"]
GENDERS = ["Jenter", "Gutter"]
MEASURES = {"antall": "Antall forhold", "rate": "Per 1 000 innbyggere 10–17 år"}
STYLES = {"linjer": "Linjer", "stolper": "Stablede stolper"}
URL_KEYS = ["krimtype", "maal", "visning"]
TOP = 6  # crime types shown when none is chosen: more lines than this are hard to read
state.register_url_keys(P, [f"{P}-types", f"{P}-measure", f"{P}-style"])


def layout(region: str | None = None, fra=None, til=None, krimtype: str = "", maal="antall",
           visning="linjer", **_query):
    region, fra, til = state.resolve(region, fra, til)
    try:
        types = police_queries.crime_types()
    except queries.DataMissing:
        types = []
    chosen = [t for t in krimtype.split(",") if t in types] if krimtype else []
    return html.Div([
        html.H1("Ungdomskriminalitet", className="h3 mb-3"),
        state.url_store(P, URL_KEYS),
        state.global_controls(region, fra, til),
        dbc.Card(dbc.CardBody(dbc.Row([
            dbc.Col([dbc.Label("Krimtyper", html_for=f"{P}-types", className="fw-semibold mb-1"),
                     dcc.Dropdown(labels=DROPDOWN_LABELS, id=f"{P}-types", options=types,
                                  value=chosen, multi=True,
                                  placeholder=f"De {TOP} største")], lg=6),
            dbc.Col([dbc.Label("Mål", className="fw-semibold mb-1"),
                     dbc.RadioItems(id=f"{P}-measure", value=maal if maal in MEASURES else
                                    "antall", options=[{"label": v, "value": k}
                                                       for k, v in MEASURES.items()])], lg=3),
            dbc.Col([dbc.Label("Visning", className="fw-semibold mb-1"),
                     dbc.RadioItems(id=f"{P}-style", value=visning if visning in STYLES else
                                    "linjer", options=[{"label": v, "value": k}
                                                       for k, v in STYLES.items()])], lg=3),
        ], className="g-3")), className="mb-3 controls-card"),
        chart_card(f"{P}-typer"),
        chart_card(f"{P}-periode"),
        dbc.Row([dbc.Col(chart_card(f"{P}-alder"), lg=6),
                 dbc.Col(chart_card(f"{P}-kjonn"), lg=6)], className="g-4"),
    ])


def _missing_or_empty(region, fra, til, frame):
    if frame.empty:
        return state.no_police_figures(region, fra, til, PATH)
    return None


def _counts_and_measure(region: str, dimension: str, fra: int, til: int, measure: str):
    """The counts, and the frame to plot: the counts or, for ``measure == "rate"``, the rates."""
    counts = police_queries.u18_breakdown(region, dimension, fra, til)
    if measure != "rate":
        return counts, counts
    return counts, police_queries.u18_rates_breakdown(region, dimension, fra, til)


@callback(*card_outputs(f"{P}-typer"), Input("global-region", "value"),
          Input("global-years", "value"), Input(f"{P}-types", "value"),
          Input(f"{P}-measure", "value"), Input(f"{P}-style", "value"))
def _types(region, years, chosen, measure, style):
    fra, til = years
    title = f"U18-forhold per krimtype i {region}"
    try:
        counts, frame = _counts_and_measure(region, "crime_type", fra, til, measure)
    except queries.DataMissing as missing:
        return card_empty(title, str(missing))
    if counts.empty:
        return card_empty(title, _missing_or_empty(region, fra, til, counts))
    if frame.empty:
        return card_empty(title, queries.SOURCES["rates"][1])
    keep = chosen or largest(counts, TOP)
    frame = frame[frame["crime_type"].isin(keep)]
    plotted = frame if measure != "rate" else frame[frame["per_1000"].notna()]
    title = _chart_title(_type_changes(region, counts, keep, set(plotted["year"])), title)
    extra = None if chosen else f"Viser de {len(keep)} største krimtypene; velg andre over."
    return _figure(frame, "crime_type", measure, style, title, f"u18_krimtyper_{region}.csv",
                   police.notes(police.partial_note(counts),
                                police.not_given_note(counts, "crime_type")),
                   extra, order=police_queries.crime_types(),
                   breaks=police_queries.region_breaks(region))


def _type_changes(region: str, counts, keep, plotted: set) -> list:
    """The report's year-on-year findings of the shown crime types (judged with all of the
    region's comparisons, so the chart says what the report says) — none when the chart does
    not plot both years compared (``plotted``: its years)."""
    year = int(counts["year"].max())
    return [f for f in report_queries.report_basis(region, year).police
            if f.family == "crime_type" and f.kind == "yoy" and f.ref in set(keep)
            and {f.year - 1, f.year} <= {int(y) for y in plotted}]


def _chart_title(found, fallback: str) -> str:
    """The report's sentence of the strongest real change, or that none is real."""
    top = findings.strongest(found)
    if top:
        return top.sentence.rstrip(".")
    if found and not any(f.tested for f in found):
        return f"Endringene fra {found[0].year - 1} til {found[0].year} kan ikke vurderes"
    if found:
        return (f"Ingen krimtype endret seg mer enn tilfeldig variasjon fra {found[0].year - 1} "
                f"til {found[0].year}")
    return fallback


def largest(counts, n: int) -> list[str]:
    """The n crime types with the most offences over the chosen years."""
    types = counts[counts["crime_type"] != queries.TOTAL]
    return list(types.groupby("crime_type")["offences"].sum().nlargest(n).index)


def _figure(frame, category, measure, style, title, filename, note, extra=None, order=None,
            breaks=()):
    value = "per_1000" if measure == "rate" else "offences"
    if measure == "rate":
        note = "Delår vises ikke som rate (befolkningen gjelder hele året)." if note else None
    note = " ".join(filter(None, [note, extra, police.break_note(breaks, frame["year"])]))
    if measure == "rate":
        frame = frame[frame["per_1000"].notna()]
        if frame.empty:
            return card_empty(title, queries.SOURCES["rates"][1])
        fig = police.trend_lines(frame, category, value, y_title=MEASURES["rate"],
                                 value_label="per 1 000", decimals=1, order=order,
                                 breaks=breaks)
        return card_values(fig, title, filename, note=note, value_name=MEASURES["rate"],
                           decimals=1)
    builder = police.stacked_bars if style == "stolper" else police.trend_lines
    fig = builder(frame, category, value, y_title=MEASURES["antall"], order=order,
                  breaks=breaks)
    return card_values(fig, title, filename, note=note)


@callback(*card_outputs(f"{P}-alder"), Input("global-region", "value"),
          Input("global-years", "value"))
def _ages(region, years):
    fra, til = years
    title = f"U18-forhold etter alder ved gjerning i {region}"
    try:
        frame = police_queries.u18_breakdown(region, "age", fra, til)
    except queries.DataMissing as missing:
        return card_empty(title, str(missing))
    ages = [a for a in AGES if a in set(frame["age"])]
    if frame.empty:
        return card_empty(title, state.no_police_figures(region, fra, til, PATH, short=True))
    if not ages:
        return card_empty(title, f"Ingen aldersfordeling for {region} i {fra}–{til}. "
                          "Den kommer fra politidistriktets tabell over U18-forhold etter alder: "
                          "last den inn med: slt ingest FIL")
    latest = frame[(frame["counted_through"].isna()) & frame["age"].isin(ages)]
    if not latest.empty:
        year = int(latest["year"].max())
        top = latest[latest["year"] == year].sort_values("offences").iloc[-1]
        title = f"Flest forhold blant {top['age']}-åringer i {year} ({int(top['offences'])})"
    breaks = police_queries.region_breaks(region)
    fig = police.age_heatmap(frame, ages, breaks)
    return card_values(fig, title, f"u18_alder_{region}.csv", x_name="År",
                       value_name="Antall forhold",
                       note=police.notes(police.partial_note(frame),
                                         police.not_given_note(frame, "age"),
                                         police.break_note(breaks, frame["year"])))


@callback(*card_outputs(f"{P}-kjonn"), Input("global-region", "value"),
          Input("global-years", "value"), Input(f"{P}-measure", "value"))
def _genders(region, years, measure):
    fra, til = years
    title = f"Jenter og gutter i {region}"
    try:
        counts, frame = _counts_and_measure(region, "gender", fra, til, measure)
    except queries.DataMissing as missing:
        return card_empty(title, str(missing))
    frame = frame[frame["gender"].isin(GENDERS)]
    if counts.empty:
        return card_empty(title, state.no_police_figures(region, fra, til, PATH, short=True))
    if frame.empty and measure == "rate" and not counts[counts["gender"].isin(GENDERS)].empty:
        return card_empty(title, queries.SOURCES["rates"][1])
    if frame.empty:
        return card_empty(title, f"Ingen kjønnsfordeling for {region} i {fra}–{til}. "
                          "Den kommer fra politidistriktets tabell over U18-forhold for jenter "
                          "og gutter: last den inn med: slt ingest FIL")
    full = counts[counts["counted_through"].isna() & counts["gender"].isin(GENDERS)]
    if not full.empty:
        year = int(full["year"].max())
        last = full[full["year"] == year].set_index("gender")["offences"]
        share = 100 * last.get("Jenter", 0) / max(1, last.sum())
        # of girls and boys: offences of no recorded gender (Ukjent) are neither
        known = "" if counts[(counts["year"] == year) & (counts["gender"] == UNKNOWN)].empty \
            else " med kjent kjønn"
        title = f"Jenter sto for {share:.0f} % av forholdene{known} i {year}".replace(".", ",")
    return _figure(frame, "gender", measure, "linjer", title, f"u18_kjonn_{region}.csv",
                   police.notes(police.partial_note(counts),
                                police.not_given_note(counts, "gender")),
                   breaks=police_queries.region_breaks(region))


@callback(*card_outputs(f"{P}-periode"), Input("global-region", "value"),
          Input("global-years", "value"))
def _same_period(region, years):
    fra, til = years
    title = "Hittil i år mot samme periode i fjor"
    try:
        counts = police_queries.u18_breakdown(region, "crime_type", fra, til)
        partial = counts[counts["counted_through"].notna()]
        if counts.empty:
            return card_empty(title, state.no_police_figures(region, fra, til, PATH, short=True))
        if partial.empty:
            return card_empty(title, "Ingen delår i de valgte årene: alle år vises som hele år "
                              "i grafen over.")
        year, day = int(partial["year"].iloc[0]), partial["counted_through"].iloc[0]
        before = police_queries.u18_same_period(region, year - 1, day)
    except queries.DataMissing as missing:
        return card_empty(title, str(missing))
    label = fmt.partial_label(day)
    if before.empty:
        lacking = police_queries.same_period_lacking(region, year - 1, day)
        whose = (f"{fmt.listing(lacking)} mangler dem, så summen for {region} kan ikke lages. "
                 if lacking else "")
        return card_empty(title, (
            f"{year} er talt {label}. For å sammenligne med samme periode i {year - 1} trengs "
            f"politiets tall for {year - 1} {label}. {whose}De tas vare på når delårsfilen "
            "lastes inn (slt ingest FIL) før helårstallene, også etter at helåret har erstattet "
            "dem."))
    frame = _periods(partial, before, year, label)
    counts = frame[frame["crime_type"] == queries.TOTAL].set_index("_year")["offences"]
    total = _total_change(region, counts, year, day) if len(counts) == 2 else None
    head = (f"{year} {label}: {total.headline} forhold mot {fmt.number(counts[year - 1])} "
            f"samme periode i {year - 1} – {total.verdict}") if total else title
    note = (f"Begge periodene er talt til samme dato. {total.caveat}" if total and total.caveat
            else "Begge periodene er talt til samme dato og kan sammenlignes. Vurdert som i "
                 "rapporten, mot hvor mye tallene svinger fra år til år.")
    fig = police.same_period_bars(frame[frame["crime_type"] != queries.TOTAL])
    return card_values(fig, head, f"u18_samme_periode_{region}.csv", x_name="Krimtype",
                       note=note)


def _total_change(region, counts, year, day):
    """The total of the partial ``year`` against the same period of the year before, judged
    as in the report (no verdict across the new penal code or the region's new borders: the
    finding says why)."""
    series = Series("U18-forhold i alt", "total", counts.to_dict())
    data = report_queries.report_basis(region, year).data
    compare = comparisons.unless_across(
        lambda judge: comparisons.same_period(series, year, year - 1, day, judge=judge),
        year - 1, year, (comparisons.PENAL_CODE, *data.breaks))
    return compare(findings.judge_for(data.u18, year))


def _periods(partial, before, year, label):
    """Both periods as rows (crime_type, period, offences); a missing type in a period that
    has a total is 0."""
    now = partial[["crime_type", "offences"]].assign(period=f"{year} {label}", _year=year)
    prev = before.set_index("crime_type")["offences"]
    has_total = queries.TOTAL in prev.index
    prev = now[["crime_type"]].assign(
        offences=[prev.get(t, 0 if has_total else None) for t in now["crime_type"]],
        period=f"{year - 1} {label}", _year=year - 1)
    frame = pd.concat([prev, now]).dropna(subset=["offences"])
    return frame.astype({"offences": int})
