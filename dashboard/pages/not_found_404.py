"""The page shown for an unknown address."""

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Fant ikke siden", order=99)


def layout(**_query):
    return html.Div([html.H1("Fant ikke siden", className="h3"),
                     html.P(["Adressen finnes ikke. ", dcc.Link("Gå til oversikten", href="/")])])
