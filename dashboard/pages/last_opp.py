"""Last opp: drop a file, see what it would change, publish it — with the engine of ``slt ingest``.

The file goes to a server-side temp file under a generated name (:mod:`dashboard.upload_files`);
:func:`etl.dispatch.ingest_any` with ``dry_run=True`` gives the preview, and **Publiser** runs the
same call for real with the user's name.  Analysts only: the page is registered with
``role="analyst"`` and every ``upload-`` callback is refused to others by :mod:`dashboard.auth`;
the callbacks check the role again themselves.
"""

from __future__ import annotations

import logging

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from analysis import format as fmt
from dashboard import auth, freshness, state, upload_files
from dashboard.components import alias_form
from dashboard.components import catalogue as catalogue_view
from dashboard.components import upload_preview as view
from etl import aliases
from etl.catalogue import brought_by, catalogue
from etl.dispatch import classify, ingest_any
from etl.errors import IngestError

dash.register_page(__name__, path="/last-opp", name="Last opp", order=6, role="analyst",
                   title="Last opp – SLT-statistikk")

LOG = logging.getLogger(__name__)
ACCEPT = ".xlsx,.xls,.ods,.csv,.json,.txt"


def layout(**_query):
    limit = auth.settings().max_upload_bytes
    return html.Div([
        html.H1("Last opp", className="h3 mb-2"),
        html.P("Slipp en fil fra politiet (U18-tabeller), SSB (befolkning 07459, lovbrudd "
               "08487) eller Ungdata/FHI her. Filen kontrolleres med de samme reglene som "
               "«slt ingest», og du ser hva som vil endre seg før noe lagres.",
               className="text-muted"),
        html.Div(dcc.Upload(
            id="upload-file", max_size=limit, multiple=False, accept=ACCEPT,
            className="upload-drop border border-2 rounded p-4 text-center bg-light",
            style={"borderStyle": "dashed", "cursor": "pointer"},
            children=html.Div(["Dra og slipp filen her, eller ", html.U("velg en fil"),
                               html.Div(f"xlsx, xls, ods, csv eller json, høyst "
                                        f"{fmt.number(limit / 1024 / 1024, 1)} MB",
                                        className="small text-muted mt-1")])),
            id="upload-zone", **{"data-max-bytes": str(limit)}),
        html.Div(id="upload-size-error", className="upload-size-error fw-semibold mt-2",
                 role="alert"),
        dbc.Row([
            dbc.Col([dbc.Label("Region (bare hvis filen ikke sier det selv)",
                               html_for="upload-region", className="mb-1"),
                     dcc.Dropdown(id="upload-region", options=state.region_options(),
                                  value=None, placeholder="Fra filen", clearable=True)], md=5),
            dbc.Col(dbc.Checkbox(id="upload-force", value=False,
                                 label="Tillat å erstatte et helt år med et delår"),
                    md=7, className="pt-md-4"),
        ], className="g-3 my-2"),
        dcc.Loading(html.Div([html.Div(id="upload-result"), html.Div(id="upload-preview")]),
                    id="upload-loading", type="circle", delay_show=200),
        html.Div([dbc.Button("Publiser", id="upload-publish", color="primary", disabled=True,
                             className="me-2"),
                  dbc.Button("Avbryt", id="upload-cancel", color="secondary", outline=True,
                             disabled=True)], className="my-3"),
        alias_form.form(),
        dcc.Store(id="upload-pending"),
    ])


def _require_analyst() -> None:
    if not auth.is_analyst():
        raise PreventUpdate


@callback(Output("upload-pending", "data"), Output("upload-result", "children"),
          Output("upload-file", "contents"),
          Output("data-version-seen", "data", allow_duplicate=True),
          Input("upload-file", "contents"), Input("upload-publish", "n_clicks"),
          Input("upload-cancel", "n_clicks"),
          State("upload-file", "filename"), State("upload-pending", "data"),
          State("upload-region", "value"), State("upload-force", "value"),
          prevent_initial_call=True)
def _step(contents, _publish_clicks, _cancel_clicks, file_name, pending, region, force):
    """A new file, Publiser or Avbryt; each ends the file that was waiting."""
    _require_analyst()
    token = (pending or {}).get("token")
    if ctx.triggered_id == "upload-file":
        upload_files.discard(token, auth.user_name())
        if not contents:
            raise PreventUpdate
        new, result = _receive(contents, file_name)
        return new, result, None, dash.no_update
    if ctx.triggered_id == "upload-publish":
        result = _publish(token, region, bool(force))
        upload_files.discard(token, auth.user_name())
        return None, result, dash.no_update, freshness.current()
    upload_files.discard(token, auth.user_name())
    return None, dbc.Alert("Avbrutt. Filen er slettet fra serveren; ingenting er lagret.",
                           color="secondary", id="upload-cancelled"), dash.no_update, \
        dash.no_update


def _receive(contents: str, file_name: str | None):
    limit = auth.settings().max_upload_bytes
    size = upload_files.encoded_size(contents)
    if size > limit:
        return None, view.refusal([view.too_large(size, limit)], "Filen er for stor")
    try:
        saved = upload_files.save(upload_files.decode(contents), file_name, auth.user_name())
    except upload_files.UploadRefused as refused:
        return None, view.refusal([str(refused)])
    return {"token": saved.token, "file_name": saved.file_name}, None


def _publish(token, region, force):
    try:
        pending = upload_files.load(token, auth.user_name())
        outcome = ingest_any(pending.path, auth.db_path(), file_name=pending.file_name,
                             region=region or None, user=auth.user_name(), force=force)
    except upload_files.UploadRefused as refused:
        return view.refusal([str(refused)])
    except IngestError as error:
        return view.refusal(_lines(error), f"{error.file_name} ble avvist og ikke lagret")
    except Exception as exc:  # nothing was published; the page must still answer
        LOG.exception("publishing %s failed", token)
        problem = f"filen kunne ikke lagres ({type(exc).__name__}); ingenting er endret"
        return view.refusal([problem])
    new = brought_by(auth.db_path(), outcome.upload_id) if outcome.status == "accepted" else []
    done = view.published(outcome, pending.file_name, new)
    if not new:
        return done
    frame = catalogue(auth.db_path())
    return html.Div([done, html.H2("Fullfør katalogoppføringen", className="h5 mt-3"),
                     catalogue_view.editor(frame[frame["indicator"].isin([i for i, _ in new])],
                                           new[0][0])], id="upload-catalogue")


@callback(Output("upload-preview", "children"), Output("upload-publish", "disabled"),
          Output("upload-cancel", "disabled"),
          Output(f"{alias_form.P}-kind", "value"), Output(f"{alias_form.P}-name", "value"),
          Input("upload-pending", "data"), Input("upload-region", "value"),
          Input("upload-force", "value"), prevent_initial_call=True)
def _preview(pending, region, force):
    """The dry run of the waiting file: what it would change, or every problem found (with
    the first unknown name filled in below, to be taught)."""
    _require_analyst()
    keep = dash.no_update, dash.no_update
    if not pending:
        return None, True, True, *keep
    try:
        waiting = upload_files.load(pending.get("token"), auth.user_name())
    except upload_files.UploadRefused as refused:
        return view.refusal([str(refused)]), True, True, *keep
    try:
        kind = classify(waiting.path, waiting.file_name)
        outcome = ingest_any(waiting.path, auth.db_path(), file_name=waiting.file_name,
                             region=region or None, user=auth.user_name(), force=bool(force),
                             dry_run=True)
    except IngestError as error:
        unknown = next((p.unknown for p in error.problems if p.unknown), None)
        return view.refusal(_lines(error)), True, False, *(unknown or keep)
    except Exception as exc:  # the page must answer, whatever the file did to a reader
        LOG.exception("preview of %s failed", waiting.file_name)
        problem = f"{waiting.file_name}: filen kunne ikke leses ({type(exc).__name__})"
        return view.refusal([problem]), True, False, *keep
    card = view.preview(outcome, waiting.file_name, kind)
    return card, outcome.status != "accepted", False, *keep


@callback(Output(f"{alias_form.P}-result", "children"),
          Output("upload-pending", "data", allow_duplicate=True),
          Output("data-version-seen", "data", allow_duplicate=True),
          Input(f"{alias_form.P}-save", "n_clicks"), State(f"{alias_form.P}-kind", "value"),
          State(f"{alias_form.P}-name", "value"), State(f"{alias_form.P}-meaning", "value"),
          State(f"{alias_form.P}-new", "value"), State("upload-pending", "data"),
          prevent_initial_call=True)
def _teach(clicks, kind, name, meaning, new, pending):
    """Store the name (``slt alias legg-til``) and check the waiting file again."""
    _require_analyst()
    if not clicks:  # drawn by the router: not a click
        raise PreventUpdate
    try:
        upload_id, message = aliases.add(auth.db_path(), kind, name or "", meaning or None,
                                         auth.user_name(), new=bool(new))
    except aliases.AliasError as refused:
        return alias_form.refused(str(refused)), dash.no_update, dash.no_update
    again = {**pending, "taught": upload_id} if pending else dash.no_update
    return alias_form.saved(message, upload_id), again, freshness.current()


def _lines(error: IngestError) -> list[str]:
    return view.with_page_hints(error.lines())
