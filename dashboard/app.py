"""The Dash app: ``create_app(db_path)`` builds it; each page in ``dashboard/pages`` owns itself.

The layout is a function of the logged-in user: pages registered with ``role="analyst"`` are
listed in the navigation only for analysts (the server refuses them to anyone else, see
:mod:`dashboard.auth`), and the navigation shows who is logged in.
"""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import auth, freshness, queries, state
from dashboard import settings as config
from dashboard.components import cards  # noqa: F401  (registers the shared CSV download)
from dashboard.components.banner import data_banner


def _index_string() -> str:
    from dash.dash import _default_index

    return _default_index.replace("<html>", '<html lang="nb">', 1)


def _visible_pages() -> list[dict]:
    """The pages this user may open, in menu order."""
    pages = sorted((p for p in dash.page_registry.values() if p["path"] != "/404"),
                   key=lambda p: p["order"])
    return [p for p in pages if p.get("role") != auth.ANALYST or auth.is_analyst()]


def _account() -> dbc.Nav:
    """Login link, or the user's name and a logout button (a POST form)."""
    name = auth.user_name()
    if not name:
        return dbc.Nav(dbc.NavItem(dbc.NavLink("Logg inn", href="/logg-inn", external_link=True,
                                               id="nav-login")), navbar=True, className="ms-auto")
    role = auth.ROLE_LABEL.get(getattr(auth.current_user, "role", ""), "")
    return dbc.Nav([
        dbc.NavItem(html.Span(f"{name} ({role})", className="navbar-text me-2 text-nowrap",
                              id="nav-user")),
        dbc.NavItem(html.Form(html.Button("Logg ut", type="submit", id="nav-logout",
                                          className="btn btn-outline-light btn-sm text-nowrap"),
                              method="POST", action="/logg-ut")),
    ], navbar=True, className="ms-auto align-items-center")


def _navbar(pages: list[dict]) -> dbc.Navbar:
    links = [dbc.NavItem(dbc.NavLink(p["name"], href=p["relative_path"],
                                     id={"type": state.NAV_LINK, "index": i},
                                     active="partial" if p["path"] != "/" else "exact"))
             for i, p in enumerate(pages)]
    return dbc.Navbar(dbc.Container([
        dbc.NavbarBrand("SLT-statistikk", href="/", className="fw-bold"),
        dbc.Nav(links, navbar=True, className="flex-wrap"),
        _account(),
    ], fluid="xxl"), color="dark", dark=True, className="mb-3", role="navigation")


def _footer() -> html.Footer:
    return html.Footer(dbc.Container([
        "SLT-statistikk · Tall fra Politiet, SSB, FHI/Kommunehelsa og Ungdata (NOVA/OsloMet). "
        "Se «Om dataene» for kilder og forbehold. ",
        dash.dcc.Link("Tilgjengelighetserklæring", href="/om-dataene#tilgjengelighet")],
        fluid="xxl"),
        className="text-muted small py-3 mt-4 border-top")


def layout() -> html.Div:
    """Built per request, for the user asking (add app-wide banners to ``children``)."""
    pages = _visible_pages()
    version_stores, version_notice = freshness.components()
    children = [
        html.A("Hopp til innholdet", href="#innhold", className="skip-link"),
        dcc.Store(id="nav-paths", data=[p["relative_path"] for p in pages]),
        *version_stores,
        _navbar(pages),
        dbc.Container([data_banner(), version_notice], fluid="xxl"),
        html.Main(dbc.Container(dash.page_container, fluid="xxl"), id="innhold", tabIndex=-1),
        _footer(),
    ]
    return html.Div(children)


def create_app(db_path: Path, settings: config.Settings | None = None) -> dash.Dash:
    """The app for ``db_path``; ``settings`` default to the environment (see
    :mod:`dashboard.settings`)."""
    queries.configure(db_path)
    # Named after the package, so Dash imports the pages as dashboard.pages.* — the same
    # modules anyone else imports (as "dashboard.app" it made a second copy, pages.*).
    app = dash.Dash("dashboard", use_pages=True, title="SLT-statistikk", update_title=None,
                    suppress_callback_exceptions=True, index_string=_index_string())
    auth.install(app.server, Path(db_path), settings or config.load())
    auth.guard_analyst_pages()
    app.layout = layout
    return app
