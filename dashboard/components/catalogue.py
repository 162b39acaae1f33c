"""The indicator catalogue as the Indikatorkatalog page (and Last opp, after publishing a file
with new indicators) shows it: pure builders from the frame of :func:`etl.catalogue.catalogue`
to Dash components.  The ``katalog-`` ids are served by the callbacks of
:mod:`dashboard.pages.katalog`, wherever the editor is drawn."""

from __future__ import annotations

from pathlib import Path

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from analysis import format as fmt
from dashboard import auth
from etl.aliases import crime_types as known_crime_types
from etl.catalogue import THEMES

HIGHER = {"ja": True, "nei": False, "": None}


def yes_no(value) -> str:
    """``True`` → ``ja``, ``False`` → ``nei``, missing → ``""`` (not said yet)."""
    return "" if value is None or pd.isna(value) else ("ja" if value else "nei")


def options(frame: pd.DataFrame) -> list[dict]:
    """Dropdown options, the entries not yet catalogued first and marked «ny»."""
    return [{"label": f"{'[ny] ' if not row.catalogued else ''}{row.label} ({row.indicator})",
             "value": row.indicator} for row in frame.itertuples()]


def table(frame: pd.DataFrame) -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(h) for h in (
        "Indikator", "Navn", "Tema", "Enhet", "Høyere er bedre", "Krimtyper", "Tall", "Status")]))
    body = html.Tbody([html.Tr([
        html.Td(html.Code(row.indicator)), html.Td(row.label), html.Td(row.theme),
        html.Td(row.unit), html.Td(yes_no(row.higher_is_better) or "–"),
        html.Td(", ".join(row.crime_types) or "–"),
        html.Td(fmt.number(row.figures), className="text-end"),
        html.Td("katalogisert" if row.catalogued else dbc.Badge("ikke katalogisert",
                                                                color="warning"))],
        className="" if row.catalogued else "katalog-ny")
        for row in frame.itertuples()])
    # A wide table scrolls sideways: a focusable, named region, so a keyboard can scroll it
    return html.Div(dbc.Table([head, body], size="sm", striped=True, id="katalog-table-rows"),
                    className="table-responsive", tabIndex="0", role="region",
                    **{"aria-label": "Indikatorkatalogen"})


def crime_types(db_path: Path | None = None) -> list[str]:
    """The crime types an entry can name: the package's and those taught with ``slt alias
    legg-til krimtype NAVN --ny`` in ``db_path`` (default: the app's database)."""
    return known_crime_types(db_path or auth.db_path())


def editor(frame: pd.DataFrame, chosen: str | None, db_path: Path | None = None) -> dbc.Row:
    """Choose an entry, edit it, save; the catalogue (``frame``) beside it.  ``db_path``: the
    database whose taught crime types are offered (default: the app's)."""
    return dbc.Row([
        dbc.Col([dbc.Label("Indikator", html_for="katalog-indicator"),
                 dcc.Dropdown(id="katalog-indicator", options=options(frame), value=chosen,
                              placeholder="Velg en indikator", className="mb-3"),
                 form(THEMES, crime_types(db_path)),
                 html.Div(id="katalog-message", className="mt-3")], md=5),
        dbc.Col(html.Div(table(frame), id="katalog-table"), md=7),
    ])


def form(themes: tuple[str, ...], crime_types: list[str]) -> html.Div:
    """The fields of one entry; filled by the page when an indicator is chosen."""
    return html.Div([
        dbc.Label("Navn", html_for="katalog-label"),
        dbc.Input(id="katalog-label", type="text", className="mb-2"),
        dbc.Label("Tema", html_for="katalog-theme"),
        dcc.Dropdown(id="katalog-theme", options=list(themes), clearable=False,
                     className="mb-2"),
        dbc.Label("Er en høyere verdi gunstig?", html_for="katalog-higher"),
        dbc.RadioItems(id="katalog-higher", inline=True, className="mb-2", options=[
            {"label": "ja", "value": "ja"}, {"label": "nei", "value": "nei"},
            {"label": "ikke angitt", "value": ""}]),
        dbc.Label("Politiets krimtyper den henger sammen med", html_for="katalog-crime-types"),
        dbc.Checklist(id="katalog-crime-types", inline=True, className="mb-3",
                      options=[{"label": c, "value": c} for c in crime_types]),
        dbc.Button("Lagre oppføringen", id="katalog-save", color="primary"),
    ], id="katalog-form")
