"""Last opp's «Lær programmet et nytt navn»: the form of ``slt alias legg-til`` (the engine is
:mod:`etl.aliases`), filled in from a refusal that names an unknown label or column."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from etl.vocab import ALIAS_KINDS

P = "upload-alias"  # the upload- prefix: analysts only (dashboard.auth)
KIND_LABELS = {kind: kind.capitalize() for kind in ALIAS_KINDS}  # Krimtype, Alder, Kjønn …


def form() -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        html.H2("Lær programmet et nytt navn", className="h5"),
        html.P("Står det en krimtype, alder, kjønn, total, kolonne eller region i filen som "
               "programmet ikke kjenner, kan du si hva den betyr. Navnet lagres i databasen og "
               "gjelder filer som leses inn etterpå; det kan angres under Historikk.",
               className="text-muted small"),
        dbc.Row([
            dbc.Col([dbc.Label("Hva er det", html_for=f"{P}-kind", className="mb-1"),
                     dbc.Select(id=f"{P}-kind", value="krimtype",
                                options=[{"label": v, "value": k}
                                         for k, v in KIND_LABELS.items()])], md=2),
            dbc.Col([dbc.Label("Navnet i filen", html_for=f"{P}-name", className="mb-1"),
                     dbc.Input(id=f"{P}-name", type="text", value="")], md=4),
            dbc.Col([dbc.Label("Betyr (et navn programmet kjenner)", html_for=f"{P}-meaning",
                               className="mb-1"),
                     dbc.Input(id=f"{P}-meaning", type="text", value="",
                               placeholder="f.eks. Vinning")], md=4),
            dbc.Col(dbc.Checkbox(id=f"{P}-new", value=False, label="Ny krimtype"), md=2,
                    className="pt-md-4"),
        ], className="g-3"),
        dbc.Button("Lagre navnet", id=f"{P}-save", color="secondary", className="mt-3"),
        html.Div(id=f"{P}-result", className="mt-2", role="status"),
    ]), className="mb-3", id=f"{P}-card")


def saved(message: str, upload_id: int) -> dbc.Alert:
    return dbc.Alert([html.Strong("Lagret: "), message,
                      f" (opplasting {upload_id}; angre under Historikk). Filen over er "
                      "kontrollert på nytt."], color="success", className="mb-0",
                     id=f"{P}-saved")


def refused(message: str) -> dbc.Alert:
    return dbc.Alert([html.Strong("Ikke lagret: "), message], color="danger", className="mb-0",
                     id=f"{P}-refused")
