"""Historikk: every upload (who, when, file, checksum, outcome, message) and **Angre**.

Angre asks for confirmation, then calls :func:`etl.rollback.rollback` — the engine of
``slt rollback`` — with the user's name; a refusal (a later upload replaced the figures) is
shown as the engine words it.  Analysts only (``role="analyst"``, ``hist-`` callbacks).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import auth, freshness
from dashboard.components.confirm import confirm_modal
from dashboard.components.upload_history import history_table
from etl.rollback import RollbackError, rollback
from etl.store import StoreMissing, connect_read
from etl.uploads import history

dash.register_page(__name__, path="/historikk", name="Historikk", order=7, role="analyst",
                   title="Historikk – SLT-statistikk")

LIMIT = 500


def _table():
    try:
        with connect_read(auth.db_path()) as con:
            return history_table(history(con, LIMIT))
    except StoreMissing:
        return html.P("Databasen finnes ikke ennå.", className="text-muted")


def layout(**_query):
    return html.Div([
        html.H1("Historikk", className="h3 mb-2"),
        html.P("Alle opplastinger, nyeste først. «Angre» tar bort tallene en opplasting la "
               "til og setter tilbake dem den erstattet.", className="text-muted"),
        html.Div(id="hist-message"),
        dcc.Loading(html.Div(_table(), id="hist-table"), type="circle", delay_show=200),
        confirm_modal("hist", "Angre opplasting?", yes="Ja, angre"),
        dcc.Store(id="hist-target"),
    ])


@callback(Output("hist-confirm", "is_open"), Output("hist-confirm-text", "children"),
          Output("hist-target", "data"), Output("hist-message", "children"),
          Output("hist-table", "children"),
          Output("data-version-seen", "data", allow_duplicate=True),
          Input({"type": "hist-undo", "index": ALL}, "n_clicks"),
          Input("hist-confirm-yes", "n_clicks"), Input("hist-confirm-no", "n_clicks"),
          State("hist-target", "data"), prevent_initial_call=True)
def _undo(_undo_clicks, _yes, _no, target):
    """Angre → ask; Ja → roll back and redraw the table; Nei → close."""
    if not auth.is_analyst():
        raise PreventUpdate
    keep = dash.no_update
    if ctx.triggered_id == "hist-confirm-no":
        return False, keep, None, keep, keep, keep
    if ctx.triggered_id == "hist-confirm-yes":
        if target is None:
            raise PreventUpdate
        return False, keep, None, _rollback(int(target)), _table(), freshness.current()
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        raise PreventUpdate  # the buttons were just drawn, not clicked
    upload_id = int(ctx.triggered_id["index"])
    text = (f"Opplasting {upload_id} angres: tallene den la til tas bort, og tallene den "
            "erstattet settes tilbake. Angringen vises i historikken.")
    return True, text, upload_id, keep, keep, keep


def _rollback(upload_id: int) -> dbc.Alert:
    try:
        done = rollback(auth.db_path(), upload_id, auth.user_name())
    except RollbackError as refused:
        return dbc.Alert(f"Kan ikke angre: {refused}.", color="danger", id="hist-refused")
    return dbc.Alert(done[:1].upper() + done[1:] + ".", color="success", id="hist-done")
