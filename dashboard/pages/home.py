"""Oversikt: for now, the police U18 table by crime type and year."""

import dash
from dash import dash_table, html

from dashboard import queries

dash.register_page(__name__, path="/", name="Oversikt")


def layout(region: str = "Grenland", **_query):
    frame = queries.u18_by_type(region)
    if frame.empty:
        return html.P("Ingen U18-tall i databasen ennå. Last inn med: slt ingest FIL")
    table = frame.pivot_table(index="crime_type", columns="year", values="offences").reset_index()
    table.columns = [str(c) for c in table.columns]
    return html.Div([
        html.H2(f"{region}: registrerte U18-forhold per krimtype"),
        dash_table.DataTable(data=table.to_dict("records"),
                             columns=[{"name": c, "id": c} for c in table.columns]),
    ])
