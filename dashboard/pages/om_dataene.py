"""Om dataene: sources, definitions, caveats, the upload history and the accessibility
statement."""

from __future__ import annotations

import os

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from analysis import format as fmt
from dashboard import queries, state
from dashboard.components.group_note import since

dash.register_page(__name__, path="/om-dataene", name="Om dataene", order=8,
                   title="Om dataene – SLT-statistikk")

SOURCES = [
    ("Politiet: U18-forhold",
     "Straffbare forhold der gjerningspersonen var under 18 år på gjerningstidspunktet, "
     "registrert i politiets straffesaksregister (BL/STRASAK), levert av politidistriktet "
     "(analyse/SLT). Gjerningen er begått i området; personen trenger ikke bo der."),
    ("SSB: befolkning (tabell 07459)",
     "Folkemengde 1. januar etter kommune, alder og kjønn. Statistisk sentralbyrå, CC BY 4.0."),
    ("SSB: anmeldte lovbrudd (tabell 08487)",
     "Anmeldte lovbrudd etter gjerningssted, alle aldre, toårige gjennomsnitt per 1 000 "
     "innbyggere. Statistisk sentralbyrå, CC BY 4.0."),
    ("Ungdata (NOVA, OsloMet) og Kommunehelsa (FHI)",
     "Spørreundersøkelse blant elever i ungdomsskolen og videregående, gjennomført i hver "
     "kommune omtrent hvert tredje år. Tall via FHIs Kommunehelsa statistikkbank og kommunens "
     "Ungdata-rapport. Elevundersøkelsen (Udir) via Kommunehelsa."),
    ("Kart", "Kommune- og fylkesgrenser 2024, Kartverket (CC BY 4.0), forenklet."),
]
DEFINITIONS = [
    ("U18-forhold", "Ett straffbart forhold (én lovovertredelse) med minst én gjerningsperson "
     "under 18 år. En person telles én gang per forhold, men kan ha mange forhold; antall "
     "forhold er derfor ikke antall unge."),
    ("Per 1 000", "Antall forhold per 1 000 innbyggere 10–17 år 1. januar samme år."),
    ("Reell endring", "Et helt år er sammenlignet med forrige hele år og med snittet av de tre "
     "hele årene før. Én ung person kan stå bak mange forhold, så tallene svinger mer enn ren "
     "tilfeldighet; hvor mye, anslås fra regionens egne tall i årene før, og endringen må være "
     "større enn det. Totalen vurderes for seg, krimtypene og kjønn samlet, justert for at mange "
     "sammenligninger gjøres samtidig (Benjamini-Hochberg, 5 %). Aldersgruppene vises uten egen "
     "vurdering. Et delår sammenlignes bare med samme periode året før, eller omregnet til helt "
     "år (metoden står ved tallet). Ellers står det «innenfor tilfeldig variasjon». En "
     "fordeling kilden ikke har oppgitt for et år, er «ikke oppgitt», aldri null."),
]
CAVEATS = [
    "Siste år er ofte et delår («pr. 01.08») og foreløpig: det vises som et åpent punkt i et grått "
    "felt eller som skraverte stolper, og sammenlignes aldri med et helt år.",
    "Små tall svinger mye fra år til år av rene tilfeldigheter. Se etter endringer som holder "
    "seg over flere år.",
    "Ny straffelov fra 1. oktober 2015 endret kategoriene: tall før og etter er ikke fullt "
    "sammenlignbare (markert med en stiplet linje i grafene).",
    "Kommuner som har fått nye grenser under samme navn (sammenslåinger 1. januar 2017, 2018 og "
    "2020, og Haram skilt ut fra Ålesund igjen i 2024), har tall før og etter som gjelder ulike "
    "områder: endringer over det året vurderes ikke, og året er markert i grafene – også for en "
    "regiongruppe med en slik kommune.",
    "Politiets tall viser registrert kriminalitet: de påvirkes av hvor mye politiet prioriterer "
    "og avdekker (særlig narkotika), ikke bare av hva unge gjør.",
    "Ungdata er selvrapportert; treårige tall fra Kommunehelsa er glidende gjennomsnitt.",
]


def layout(**_query):
    return html.Div([
        html.H1("Om dataene", className="h3 mb-3"),
        dbc.Row([
            dbc.Col(_section("Kilder", [html.Dt(t) if i == 0 else html.Dd(t)
                                        for name, text in SOURCES
                                        for i, t in enumerate((name, text))], dl=True), lg=6),
            dbc.Col([_section("Definisjoner", [html.Dt(t) if i == 0 else html.Dd(t)
                                               for name, text in DEFINITIONS + _groups()
                                               for i, t in enumerate((name, text))], dl=True),
                     _section("Forbehold", [html.Li(c) for c in CAVEATS])], lg=6),
        ], className="g-4"),
        _section("Opplastinger", [_uploads()]),
        _accessibility(),
    ])


# The accessibility statement (tilgjengelighetserklæring).  The contact is the kommune's own:
# set SLT_TILGJENGELIGHET_KONTAKT (an e-mail address or a web address) where the app runs.
CONTACT_SETTING = "SLT_TILGJENGELIGHET_KONTAKT"
A11Y_TESTED = [
    "Automatisk: axe-core 4 (Deque, regelsettene for WCAG 2.1 nivå A og AA) kjøres på hver side "
    "i hver testkjøring – Oversikt, Ungdomskriminalitet, Ungdata, Sammenlign, Rapport, Politiråd "
    "(også presentasjonsvisningen), Om dataene, Last opp, Historikk, innloggingssiden og siden "
    "for ukjent adresse – for en regiongruppe, et fylke, et politidistrikt og en kommune. "
    "Ingen brudd er funnet.",
    "Tastatur: testene går gjennom siden med Tab, velger region med piltastene og Enter og "
    "flytter årsvelgeren med piltastene; fokus vises med en tydelig blå ramme.",
    "Ikke testet ennå: bruk med skjermleser og forstørrelse av brukere, og manuell vurdering av "
    "alle kriteriene (automatiske verktøy finner omtrent en tredjedel av feilene).",
]
A11Y_LIMITS = [
    "Grafene kan ikke utforskes punkt for punkt med tastatur eller skjermleser. Hver graf har en "
    "tittel som sier hva den viser, en tekst som oppsummerer tallene, og alle tallene i en "
    "tabell («Vis tallene som tabell») og som CSV.",
    "Kartet viser verdiene med farge; de samme tallene står i tabellen under kartet.",
    "Nedtrekkslistene er Dash-komponenter som ikke kan stilles inn for skjermlesere; en liten "
    "skript-fil (a11y.js) retter fokus og navn. Søkefeltet i en åpen liste nås med musen; med "
    "tastatur velges det med piltastene.",
    "Rapportene som lastes ned (Word og PDF) er ikke kontrollert mot kravene til tilgjengelige "
    "dokumenter (PDF/UA).",
]


def _accessibility() -> dbc.Card:
    contact = os.environ.get(CONTACT_SETTING, "").strip()
    if contact:
        href = contact if contact.startswith(("http://", "https://")) else f"mailto:{contact}"
        reach = ["Finner du noe som ikke virker for deg, skriv til ", html.A(contact, href=href),
                 "."]
    else:
        reach = ["Kommunen har ikke lagt inn en kontaktadresse for tilbakemeldinger ennå (den "
                 f"som drifter løsningen setter den med {CONTACT_SETTING}). Kontakt kommunens "
                 "SLT-koordinator inntil videre."]
    return dbc.Card(dbc.CardBody([
        html.H2("Tilgjengelighetserklæring", className="h5", id="tilgjengelighet"),
        html.P("SLT-statistikk skal oppfylle kravene til universell utforming i forskrift om "
               "universell utforming av IKT-løsninger: WCAG 2.1 nivå A og AA. Kommunen som "
               "bruker løsningen, publiserer erklæringen sin på uustatus.no (Digdir)."),
        html.H3("Slik er det testet", className="h6"), html.Ul([html.Li(t) for t in A11Y_TESTED]),
        html.H3("Kjente begrensninger", className="h6"),
        html.Ul([html.Li(t) for t in A11Y_LIMITS]),
        html.H3("Tilbakemelding", className="h6"),
        html.P(reach, id="tilgjengelighet-kontakt"),
        html.P(["Får du ikke svar, kan du klage til Tilsynet for universell utforming av IKT ",
                html.A("(uutilsynet.no)", href="https://www.uutilsynet.no/")]),
    ]), className="mb-4 shadow-sm")


def _groups() -> list[tuple[str, str]]:
    """Which kommuner each region group sums (its rates per 1 000 depend on it)."""
    try:
        groups = queries.region_groups()
    except queries.DataMissing:
        return []
    return [(name, f"Regiongruppe: {fmt.listing(members)}. Summene og tallene per 1 000 for "
                   f"gruppen bygger på disse kommunene. {since(state.group_history(name))}")
            for name, members in groups]


def _section(title: str, children, dl: bool = False):
    body = html.Dl(children) if dl else (html.Ul(children) if children and
                                         isinstance(children[0], html.Li) else html.Div(children))
    return dbc.Card(dbc.CardBody([html.H2(title, className="h5"), body]),
                    className="mb-4 shadow-sm")


def _uploads():
    try:
        frame = queries.uploads()
    except queries.DataMissing as missing:
        return html.P(str(missing))
    if frame.empty:
        return html.P("Ingen filer er lastet inn ennå. Last inn med: slt ingest FIL")
    outcome = {"accepted": "Lagret", "unchanged": "Uendret", "rejected": "Avvist"}
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in (
        "Nr.", "Fil", "Lastet inn", "Av", "Regioner", "År", "Tall", "Resultat", "Melding")]))
    rows = [html.Tr([
        html.Td(row.upload_id), html.Td(row.file_name), html.Td(fmt.date_time(row.uploaded_at)),
        html.Td(row.uploaded_by or "–"), html.Td(_join(row.regions, 4)), html.Td(_years(row.years)),
        html.Td(fmt.number(row.rows)),
        html.Td(outcome.get(row.outcome, row.outcome)
                + ("" if row.rolled_back_at is None or str(row.rolled_back_at) == "NaT"
                   else " (rullet tilbake)")),
        html.Td(row.message or "", className="small")]) for row in frame.itertuples(index=False)]
    return dbc.Table([html.Caption("Alle filer som er forsøkt lastet inn, nyeste først"),
                      head, html.Tbody(rows)], striped=True, size="sm", responsive=True)


def _listed(values) -> list:
    """A list column's cell as a list: none (NULL, read as None or pandas' NA) is empty (a
    group change or an alias is an upload without regions or years of figures)."""
    return [] if values is None or values is pd.NA else list(values)


def _join(values, limit: int) -> str:
    values = _listed(values)
    text = ", ".join(map(str, values[:limit]))
    return text + (f" … (+{len(values) - limit})" if len(values) > limit else "")


def _years(values) -> str:
    values = sorted(int(v) for v in _listed(values))
    if not values:
        return "–"
    return str(values[0]) if len(values) == 1 else f"{values[0]}–{values[-1]}"
