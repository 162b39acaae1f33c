"""Indikatorkatalog: every indicator with its unit, and the form that completes an entry (name,
theme, direction, related police crime types) — with :func:`etl.catalogue.set_entry`, the engine
of ``slt katalog sett``.  Indicators an upload brought that the catalogue did not know come
first, marked «ikke katalogisert».  Each save is an upload that Historikk → Angre undoes.
Analysts only (``role="analyst"``, ``katalog-`` callbacks)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, html
from dash.exceptions import PreventUpdate

from dashboard import auth, freshness
from dashboard.components import catalogue as view
from etl.catalogue import Entry, catalogue, set_entry
from etl.errors import IngestError
from etl.store import StoreMissing

dash.register_page(__name__, path="/katalog", name="Indikatorkatalog", order=8, role="analyst",
                   title="Indikatorkatalog – SLT-statistikk")


def _frame() -> pd.DataFrame | None:
    try:
        return catalogue(auth.db_path())
    except StoreMissing:
        return None


def layout(indikator: str | None = None, **_query):
    frame = _frame()
    if frame is None:
        return html.P("Databasen finnes ikke ennå.", className="text-muted")
    chosen = indikator if indikator in set(frame["indicator"]) else None
    return html.Div([
        html.H1("Indikatorkatalog", className="h3 mb-2"),
        html.P("Indikatorer som kom med en opplasting uten å stå i katalogen, vises med en gang "
               "med navnet fra filen. Fullfør oppføringen her: navn, tema, om høyere er bedre, "
               "og hvilke av politiets krimtyper den henger sammen med. Hver endring kan angres "
               "under Historikk.", className="text-muted"),
        view.editor(frame, chosen),
    ])


@callback(Output("katalog-label", "value"), Output("katalog-theme", "value"),
          Output("katalog-higher", "value"), Output("katalog-crime-types", "value"),
          Input("katalog-indicator", "value"))
def _fill(indicator):
    """The chosen entry's stored values in the form."""
    if not auth.is_analyst() or not indicator or (frame := _frame()) is None:
        raise PreventUpdate
    row = frame[frame["indicator"] == indicator]
    if row.empty:
        raise PreventUpdate
    entry = row.iloc[0]
    return (entry["label"], entry["theme"], view.yes_no(entry["higher_is_better"]),
            list(entry["crime_types"]))


@callback(Output("katalog-message", "children"), Output("katalog-table", "children"),
          Output("katalog-indicator", "options"),
          Output("data-version-seen", "data", allow_duplicate=True),
          Input("katalog-save", "n_clicks"),
          State("katalog-indicator", "value"), State("katalog-label", "value"),
          State("katalog-theme", "value"), State("katalog-higher", "value"),
          State("katalog-crime-types", "value"), prevent_initial_call=True)
def _save(clicks, indicator, label, theme, higher, crime_types):
    """Lagre → one catalogue upload; the refusal as the engine words it."""
    if not auth.is_analyst() or not clicks or ctx.triggered_id != "katalog-save":
        raise PreventUpdate
    if not indicator:
        return (dbc.Alert("Velg en indikator først.", color="warning"), dash.no_update,
                dash.no_update, dash.no_update)
    entry = Entry(label=label or "", theme=theme, higher_is_better=view.HIGHER.get(higher or ""),
                  crime_types=tuple(crime_types or ()))
    try:
        upload_id = set_entry(auth.db_path(), indicator, entry, auth.user_name())
    except IngestError as refused:
        return (dbc.Alert([html.Strong("Ikke lagret: "),
                           "; ".join(p.message for p in refused.problems)],
                          color="danger", id="katalog-refused"),
                dash.no_update, dash.no_update, dash.no_update)
    frame = _frame()
    return (dbc.Alert(f"Lagret (opplasting {upload_id}). Angre under Historikk.",
                      color="success", id="katalog-saved"),
            view.table(frame), view.options(frame), freshness.current())
