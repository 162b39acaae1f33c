"""Oversikt: the latest year's U18 total, what stands out, and how fresh the data are.

Every sentence comes from the report's findings engine (:mod:`analysis.findings`,
:mod:`analysis.survey`), so the screen says what the report and the politiråd slides say.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, html

from analysis import findings
from analysis import format as fmt
from analysis.finding import ranked
from analysis.goals import STATUSES
from analysis.survey import caveat_note
from dashboard import police_queries, queries, report_queries, state, survey_queries
from dashboard.components import police, survey
from dashboard.components.cards import (
    GRAPH_CONFIG,
    card_empty,
    card_outputs,
    card_values,
    chart_card,
    what_fills,
    with_upload_link,
)
from dashboard.components.tables import chart_summary
from report.data import RegionNotFound

dash.register_page(__name__, path="/", name="Oversikt", order=0,
                   title="Oversikt – SLT-statistikk",
                   description="Siste års U18-tall, endringer og hva som skiller seg ut")

CARD = "ov-total"


def layout(region: str | None = None, fra=None, til=None, **_query):
    region, fra, til = state.resolve(region, fra, til)
    return html.Div([
        html.H1("Oversikt", className="h3 mb-3"),
        state.global_controls(region, fra, til),
        dbc.Row([
            dbc.Col([
                dbc.Card(dbc.CardBody(id="ov-headline"), className="mb-4 shadow-sm"),
                html.P(id="ov-goals", className="mb-4"),
                _box("Krimtyper: endringer som i rapporten", "ov-types"),
            ], lg=5),
            dbc.Col([chart_card(CARD),
                     _box("Ungdata og andre indikatorer: forskjeller fra landet", "ov-survey")],
                    lg=7),
        ], className="g-4"),
        dbc.Card(dbc.CardBody([html.H2("Datagrunnlag", className="h5"), _freshness()]),
                 className="mb-4 shadow-sm"),
    ])


def _box(title: str, body_id: str) -> dbc.Card:
    return dbc.Card(dbc.CardBody([html.H2(title, className="h5"), html.Div(id=body_id)]),
                    className="mb-4 shadow-sm")


SOURCE_NAMES = {"u18": "Politiet (U18)", "population": "Befolkning (SSB 07459)",
                "ssb_08487": "Anmeldte lovbrudd (SSB 08487)", "ungdata": "Ungdata / Kommunehelsa",
                "goals": "Planens mål"}


def _freshness() -> html.Div:
    """The newest file per source and when it was loaded."""
    try:
        frame = queries.uploads()
    except queries.DataMissing as missing:
        return html.P(str(missing))
    # the data sources only: not a catalogue entry, a region group or a name (slt alias)
    frame = frame[(frame["outcome"] == "accepted") & frame["source"].isin(SOURCE_NAMES)]
    frame = frame.drop_duplicates("source")
    if frame.empty:
        return html.P("Ingen filer er lastet inn ennå. Last inn med: slt ingest FIL")
    items = [html.Li([html.Strong(SOURCE_NAMES.get(row.source, row.source) + ": "),
                      f"{row.file_name}, lastet inn {fmt.date_time(row.uploaded_at)}"])
             for row in frame.itertuples(index=False)]
    return html.Div([html.Ul(items, className="mb-1"),
                     dcc_link("Se all opplastingshistorikk", "/om-dataene")])


def dcc_link(text: str, path: str):
    return dash.dcc.Link(text, href=path)


@callback(Output("ov-headline", "children"), Output("ov-types", "children"),
          *card_outputs(CARD), Input("global-region", "value"), Input("global-years", "value"))
def _update(region, years):
    fra, til = years
    title = f"Registrerte U18-forhold i {region}"
    try:
        frame = police_queries.u18_breakdown(region, "crime_type", fra, til)
    except queries.DataMissing as missing:
        return _no_data(str(missing)), None, *card_empty(title, str(missing))
    if frame.empty:
        message = state.no_police_figures(region, fra, til, "/")
        short = state.no_police_figures(region, fra, til, "/", short=True)
        return (_no_data(message), html.P("Ingen tall å sammenligne.", className="text-muted"),
                *card_empty(title, short))
    total = frame[frame["crime_type"] == queries.TOTAL]
    basis = report_queries.report_basis(region, int(total["year"].max()))
    found = basis.police
    headline = next((f for f in found if f.family == "total" and f.kind == "yoy"), None)
    breaks = police_queries.region_breaks(region)
    fig = police.totals_bars(total, breaks=breaks)
    shown = sorted(set(total["year"].astype(int)))
    chart_title = _in_region(headline, region).rstrip(".") \
        if headline and {headline.year - 1, headline.year} <= set(shown) else \
        f"{title}, {fmt.year_span(shown[0], shown[-1]) if len(shown) > 1 else shown[0]}"
    card = card_values(fig, chart_title, f"u18_totalt_{region}.csv",
                       note=police.notes(police.partial_note(total),
                                         police.break_note(breaks, total["year"])))
    links = [_type_list(_type_findings(found), region, fra, til), _national(region, fra, til)]
    partial = next((f for f in found if f.family == "total" and f.partial), None)
    return (_headline(headline, partial, total, _totals(basis.data.u18), region)
            + _rate_line(region, fra, til), links, *card)


def _type_findings(found) -> list:
    """The report's full-year comparisons of the crime types (against the year before and
    against the three years before), one per crime type — the first in the report's order, so
    a real change in either shows — judged with all of the region's comparisons."""
    seen, out = set(), []
    for finding in ranked(f for f in found if f.family == "crime_type" and not f.partial):
        if finding.topic not in seen:
            seen.add(finding.topic)
            out.append(finding)
    return out


def _totals(u18) -> pd.Series:
    """year → the region's U18 total (every year loaded, not only those shown)."""
    rows = u18[(u18["crime_type"] == queries.TOTAL) & (u18["age"] == queries.TOTAL)
               & (u18["gender"] == queries.TOTAL)]
    return rows.set_index("year")["offences"]


def _in_region(found, region: str) -> str:
    """The report's sentence about the total, naming the region: «U18-forhold i alt i …»."""
    return found.sentence.replace(found.topic, f"{found.topic} i {region}", 1)


def _no_data(message: str):
    return dbc.Alert(with_upload_link(message), color="info", className="mb-0 empty-state")


def _headline(found, partial, total, counts, region):
    """The latest full year's total against the year before (``counts``: every year's total,
    so the year before is given even when it is not among the years shown)."""
    parts = [html.H2(f"U18-forhold i {region}", className="h5")]
    if found:
        before = counts.get(found.year - 1)
        parts += [
            html.P([html.Span(found.headline, className="display-5 fw-bold me-2"),
                    html.Span(f"forhold i {found.year}")], className="mb-1"),
            html.P(f"{fmt.signed(found.size)} fra {found.year - 1} ({fmt.number(before)})",
                   className="fs-5 mb-1"),
            html.P(_verdict_badge(found), className="mb-2"),
            html.P("Vurdert mot hvor mye regionens tall svinger fra år til år (én ung person kan "
                   "stå bak mange forhold), som i rapporten; se Om dataene.",
                   className="small text-muted")]
    note = police.partial_note(total)
    if note:
        row = total[total["counted_through"].notna()].iloc[0]
        so_far = (f"Hittil i {int(row['year'])}: {fmt.number(row['offences'])} forhold "
                  f"({fmt.partial_label(row['counted_through'])}).")
        # the estimate for the whole year says itself that the count is not a whole year's
        parts.append(html.P(f"{so_far} {note}" if not partial else so_far, className="small"))
        if partial:
            parts.append(html.P(partial.sentence, className="small text-muted"))
    return parts


def _rate_line(region: str, fra: int, til: int) -> list:
    """'59,5 per 1 000 innbyggere 10–17 år (2023)' when the population is known; else why not
    (a partial year has no rate; the population is missing)."""
    try:
        rates = police_queries.u18_rates([region], fra, til)
    except queries.DataMissing:
        return []
    known = rates[rates["per_1000"].notna()]
    if known.empty:
        return [html.P(_no_rate(rates), className="small text-muted")]
    last = known.sort_values("year").iloc[-1]
    return [html.P([html.Span(fmt.number(last["per_1000"], 1), className="fs-4 fw-bold me-2"),
                    f"forhold per 1 000 innbyggere 10–17 år i {int(last['year'])}"],
                   className="mb-1")]


def _no_rate(rates) -> str:
    """Why no year shown has a rate per 1 000 (``rates``' ``rate_note``)."""
    notes = set(rates["rate_note"].dropna())
    if notes == {"delår"}:
        years = fmt.listing([str(int(y)) for y in sorted(rates["year"].unique())])
        return (f"Rate per 1 000 unge regnes bare for hele år: {years} er et delår "
                "(befolkningen gjelder hele året).")
    if notes and notes <= {"delår", "tallet er skjult"}:
        return "Rate per 1 000 unge regnes ikke for delår eller skjulte tall."
    if "ingen innbyggere 10–17 år" in notes and "befolkning mangler" not in notes:
        return "Rate per 1 000 unge kan ikke regnes: ingen innbyggere 10–17 år."
    return "Rate per 1 000 unge vises når befolkningstall (SSB 07459) er lastet inn."


def _verdict_badge(found):
    colour = {1: "danger", -1: "success", 0: "secondary"}[found.direction]
    return dbc.Badge(found.verdict.capitalize(), color=colour, className="fs-6")


def _type_list(found, region, fra, til):
    """The crime types' comparisons (:func:`_type_findings`), real changes first; the lead
    says what they are compared with."""
    if not found:
        return html.P("For få hele år til å sammenligne.")
    real = sum(f.significant for f in found)
    against = f"i {found[0].year} fra året før eller mot snittet av de tre årene før"
    lead = (f"{real} {'krimtype' if real == 1 else 'krimtyper'} endret seg {against} mer enn "
            "tilfeldig variasjon (uthevet). De største endringene:" if real else
            f"Ingen krimtype endret seg {against} mer enn tilfeldig variasjon. De største "
            "endringene:" if any(f.tested for f in found) else
            "Endringene kan ikke vurderes (se hvorfor under). De største endringene:")
    items = []
    for f in found[:5]:  # why one has no verdict is said once, under the list
        link = state.href("/ungdomskriminalitet", region, fra, til, krimtype=f.ref)
        items.append(html.Li([html.Span(f.bare + " "),
                              dash.dcc.Link("Se grafen", href=link)],
                             className="mb-2" + (" fw-semibold" if f.significant else "")))
    why = caveat_note(found[:5])
    return html.Div([html.P(lead, className="mb-2 ov-types-lead"),
                     html.Ol(items, className="ps-3 mb-0"),
                     html.P(why, className="small mt-2 mb-0") if why else None])


def _national(region: str, fra: int, til: int):
    """Crime types where the region's rate differs clearly from the country's."""
    try:
        rates = police_queries.u18_rates_by_type([region, queries.NATION], fra, til)
    except queries.DataMissing:
        return None
    if region == queries.NATION:
        return None
    if rates.loc[rates["region"] == queries.NATION, "per_1000"].notna().sum() == 0:
        return html.P("Sammenligning med landet krever politiets tall for alle kommuner.",
                      className="small text-muted mt-2 mb-0")
    lines = [f.sentence for f in findings.national_differences(rates, region, queries.NATION)]
    lines = lines or ["Ingen krimtype skiller seg fra landet mer enn tilfeldig variasjon."]
    return html.Div([html.H3("Forskjeller fra landet", className="h6 mt-3"),
                     html.Ul([html.Li(text) for text in lines[:5]], className="mb-0")])


@callback(Output("ov-survey", "children"), Input("global-region", "value"),
          Input("global-years", "value"))
def _survey(region, years):
    """The report's survey findings against the country, for the region's own figures, each
    in its unit (shares and rates per 1 000 …, judged as in the report)."""
    try:
        basis = report_queries.report_basis(region, int(years[1]))
    except (queries.DataMissing, RegionNotFound) as missing:
        return html.P(str(missing))
    if basis.data.survey.empty or basis.data.survey_regions != [basis.data.region]:
        return _side_by_side(region, years)
    against = [f for f in basis.survey if f.kind == "vs_national"]
    if not against:
        return _side_by_side(region, years)
    shown = ranked(against)[:5]
    items = [html.Li([html.Span(f.bare + " "),
                      dash.dcc.Link("Se grafen", href=state.href(
                          "/ungdata", region, *years, indikator=f.ref))],
                     className="mb-2" + (" fw-semibold" if f.significant else ""))
             for f in shown]
    note = caveat_note(shown)  # why the figures without a verdict have none, said once
    return [html.Ol(items, className="ps-3 mb-0"),
            *([html.P(note, className="small text-muted mt-2 mb-0")] if note else [])]


@callback(Output("ov-goals", "children"), Input("global-region", "value"),
          Input("global-years", "value"))
def _goals(region, years):
    """One line: how the plan's goals for the region are going (the Mål page's statuses)."""
    link = dash.dcc.Link("Se målene", href=state.href("/maal", region, *years))
    try:
        statuses = report_queries.goal_statuses(region)
    except queries.DataMissing:
        statuses = []
    if not statuses:
        return [f"Ingen av planens mål er lagt inn for {region}. ", link]
    counts = {word: sum(1 for s in statuses if s.status == word) for word in STATUSES}
    summary = ", ".join(f"{n} {word}" for word, n in counts.items() if n)
    return [html.Strong("Planens mål: "), f"{len(statuses)} mål for {region} – {summary}. ",
            link]


def _side_by_side(region: str, years) -> list:
    """A region without survey figures of its own: its kommuner side by side with the fylke
    and the country, on the indicator most of them have figures for."""
    members, _references = survey_queries.survey_places(region)
    try:
        ranked = survey_queries.indicators_with_figures(region, members)
        if not ranked:
            return [html.P(what_fills("ungdata", f"{region} eller kommunene der"))]
        frame, have, references = survey_queries.member_survey(region, ranked[0])
        catalogue = survey_queries.indicator_catalogue().set_index("indicator")["label"]
    except queries.DataMissing as missing:
        return [html.P(str(missing))]
    level = frame.loc[frame["region"].isin(have), "school_level"].value_counts().index[0]
    frame = frame[frame["school_level"] == level]
    label = str(catalogue.get(ranked[0], ranked[0]))
    unit = str(frame["unit"].iloc[0]) if len(frame) else survey.PERCENT
    latest, period, _without = survey.latest_side_by_side(frame, have)
    title = survey.side_by_side_title(latest, region, label, period, references,
                                     queries.NATION, unit)
    fig = survey.member_dots(latest, label=label, references=references,
                             highlight=region if region in have else None, unit=unit)
    table = pd.DataFrame({"Serie": latest["region"], "Periode": latest["period"],
                          survey.value_name(unit): latest["value"]})
    link = state.href("/ungdata", region, *years, indikator=ranked[0], trinn=level)
    intro = ("Fylkene side om side med landet:" if region == queries.NATION else
             f"{region} har ingen Ungdata-tall med landstall for seg selv (prosenter kan ikke "
             "legges sammen); kommunene side om side:")
    return [html.P(intro, className="small mb-1"),
            html.Figure([html.Figcaption(title, className="fw-semibold", id="ov-survey-title"),
                         dash.dcc.Graph(figure=fig, config=GRAPH_CONFIG, id="ov-survey-graph"),
                         html.P(chart_summary(table, 1), className="sr-summary")],
                        className="mb-1"),
            html.P([f"{level}. ", dash.dcc.Link("Se alle indikatorer på Ungdata-siden",
                                               href=link)], className="small mb-0")]
