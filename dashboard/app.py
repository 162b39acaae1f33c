"""The Dash app: ``create_app(db_path)`` builds it; each page in ``dashboard/pages`` owns itself."""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import queries, state
from dashboard.components import cards  # noqa: F401  (registers the shared CSV download)


def _index_string() -> str:
    from dash.dash import _default_index

    return _default_index.replace("<html>", '<html lang="nb">', 1)


def _navbar(pages: list[dict]) -> dbc.Navbar:
    links = [dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"], id={"type": state.NAV_LINK, "index": i},
                                     active="partial" if p["path"] != "/" else "exact"))
             for i, p in enumerate(pages)]
    return dbc.Navbar(dbc.Container([
        dbc.NavbarBrand("SLT-statistikk", href="/", className="fw-bold"),
        dbc.Nav(links, navbar=True, className="flex-wrap"),
    ], fluid="xxl"), color="dark", dark=True, className="mb-3", role="navigation")


def create_app(db_path: Path) -> dash.Dash:
    queries.configure(db_path)
    app = dash.Dash(__name__, use_pages=True, title="SLT-statistikk", update_title=None,
                    suppress_callback_exceptions=True, index_string=_index_string())
    pages = sorted((p for p in dash.page_registry.values() if p["path"] != "/404"),
                   key=lambda p: p["order"])
    app.layout = html.Div([
        dcc.Store(id="nav-paths", data=[p["relative_path"] for p in pages]),
        _navbar(pages),
        html.Main(dbc.Container(dash.page_container, fluid="xxl"), id="innhold"),
        html.Footer(dbc.Container(
            "SLT-statistikk · Tall fra Politiet, SSB, FHI/Kommunehelsa og Ungdata (NOVA/OsloMet). "
            "Se «Om dataene» for kilder og forbehold.", fluid="xxl"),
            className="text-muted small py-3 mt-4 border-top"),
    ])
    return app
