"""The Dash app: ``create_app(db_path)`` builds it; pages live in ``dashboard/pages``."""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import queries


def create_app(db_path: Path) -> dash.Dash:
    queries.configure(db_path)
    app = dash.Dash(__name__, use_pages=True, title="SLT-statistikk", suppress_callback_exceptions=True)
    app.layout = dbc.Container([
        html.H1("SLT-statistikk"),
        dash.page_container,
    ], fluid=True)
    return app
