"""Open pages notice a publish or rollback: «Nye tall er publisert – oppdater».

The layout carries the data version it was drawn from; every 20 seconds a light callback (one
``stat`` of the database file) compares it with the published one, on whichever server worker
answers.  Navigating to another page draws it from the new figures, so that resets the version.
Queries are already cached per data version, so a reload shows the new figures everywhere.
A worker announces a new version only after preparing the answers most asked for
(:mod:`dashboard.answer_cache`), so the first visitors after the notice find them stored.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html

from dashboard import answer_cache, auth
from etl.store import data_version

CHECK_MS = 20_000


def current() -> str:
    """The data version announced to pages: the published one, once this worker has prepared
    its most asked answers (:func:`dashboard.answer_cache.announced`; at most a few seconds
    after the publish), so the first visitors after a notice find them ready."""
    prepared = answer_cache.announced(auth.db_path())
    if prepared is not None:
        return prepared
    try:
        return "-".join(map(str, data_version(auth.db_path())))
    except FileNotFoundError:
        return "0-0"


def components() -> tuple[list, html.Div]:
    """The stores, and the (empty) notice, for the app layout."""
    return ([dcc.Store(id="data-version-seen", data=current()),
             dcc.Interval(id="data-version-tick", interval=CHECK_MS)],
            html.Div(id="data-version-notice", role="status", **{"aria-live": "polite"}))


def notice() -> dbc.Alert:
    return dbc.Alert(["Nye tall er publisert. ",
                      dbc.Button("Oppdater siden", id="data-version-reload", size="sm",
                                 color="primary", className="ms-2")],
                     color="warning", className="mb-3 d-flex align-items-center",
                     id="data-version-alert")


@callback(Output("data-version-notice", "children"),
          Output("data-version-seen", "data", allow_duplicate=True),
          Input("data-version-tick", "n_intervals"), Input("_pages_location", "pathname"),
          State("data-version-seen", "data"), prevent_initial_call=True)
def _check(_tick, _path, seen):
    now = current()
    if ctx.triggered_id == "_pages_location":
        return None, now  # the page just drawn shows the published figures
    return (notice() if seen and now != seen else None), seen


clientside_callback("function (n) { if (n) { window.location.reload(); } return true; }",
                    Output("data-version-reload", "disabled"),
                    Input("data-version-reload", "n_clicks"), prevent_initial_call=True)
