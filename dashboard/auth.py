"""Login (Flask-Login), roles and the server-side guard in front of every route.

Deny by default: :func:`install` adds one ``before_request`` guard to the Flask server, so every
route — Dash's, ours and any added later — passes it.  Only the login page, health check and
static files are open to anyone.  With ``SLT_ACCESS=login`` everything else needs a login; with
``public`` anyone may read.  Analyst-only are (a) the pages registered with ``role="analyst"``
(the full page GET is refused, and their layout is replaced by a refusal when a viewer navigates
to them inside the app) and (b) every Dash callback whose output, input or state ids start with
:data:`ANALYST_ID_PREFIXES` — checked on the posted callback and on the callback found for it,
so posting the callback JSON by hand is refused too.  The callbacks check again themselves.
"""

from __future__ import annotations

import functools
import hmac
import json
import secrets
from pathlib import Path
from urllib.parse import quote

import dash
from flask import Flask, current_app, jsonify, redirect, request, session
from flask_login import (
    AnonymousUserMixin,
    LoginManager,
    UserMixin,
    current_user,
    login_user,
    logout_user,
)
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import login_page
from dashboard.settings import Settings
from etl.users import Throttled, User, authenticate, get_user, users_path

ANALYST = "analyst"
ANALYST_ID_PREFIXES = ("upload-", "hist-", "katalog-", "goal-edit-", "grupper-")
OPEN_PATHS = frozenset({"/logg-inn", "/logg-ut", "/helse", "/_favicon.ico"})
OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/")
CALLBACK_PATH = "/_dash-update-component"
ROLE_LABEL = {"analyst": "analytiker", "viewer": "leser"}


class SessionUser(UserMixin):
    """The logged-in user as Flask-Login sees it (re-read from the user file every request).

    The session holds the name and when the user's password or role last changed, so
    ``slt user passwd`` or ``remove`` ends every session of that user at the next request.
    """

    def __init__(self, user: User):
        self.name, self.role, self.changed = user.name, user.role, user.changed

    def get_id(self) -> str:
        return f"{self.changed:.6f}:{self.name}"

    @property
    def is_analyst(self) -> bool:
        return self.role == ANALYST


class Anonymous(AnonymousUserMixin):
    name, role, is_analyst = None, None, False


def is_analyst() -> bool:
    """True only for a logged-in analyst (for the callbacks' own check)."""
    return bool(getattr(current_user, "is_analyst", False))


def user_name() -> str | None:
    return getattr(current_user, "name", None)


def db_path() -> Path:
    return Path(current_app.config["SLT_DB"])


def settings() -> Settings:
    return current_app.config["SLT_SETTINGS"]


# --- which requests are analyst-only -------------------------------------------------------

def _analyst_id(component_id) -> bool:
    if isinstance(component_id, dict):
        return any(_analyst_id(v) for v in component_id.values() if isinstance(v, str))
    return isinstance(component_id, str) and component_id.startswith(ANALYST_ID_PREFIXES)


def _ids_of_output_key(output: str) -> list:
    """Component ids in a callback key: ``id.prop`` or ``..id1.prop1...id2.prop2..``."""
    ids = []
    for part in output.strip(".").split("..."):
        name = part.rsplit(".", 1)[0]
        try:
            ids.append(json.loads(name) if name.startswith("{") else name)
        except ValueError:
            ids.append(part)  # unparsable: judged by its text
    return ids


def _ids_in(items) -> list:
    found = []
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, list):
            found += _ids_in(item)
        elif isinstance(item, dict):
            found.append(item.get("id"))
    return found


def _is_analyst_callback(body: dict) -> bool:
    """Analyst-only: any id of the callback (as posted, and as registered) starts with an
    analyst prefix.  A key that names no registered callback counts as analyst-only too."""
    output = str(body.get("output", ""))
    callback = dash.get_app().callback_map.get(output)
    if callback is None:
        return True
    ids = _ids_of_output_key(output) + _ids_in(callback.get("inputs", [])) \
        + _ids_in(callback.get("state", []))
    for key in ("outputs", "inputs", "state"):
        ids += _ids_in(body.get(key) or [])
    return any(_analyst_id(i) for i in ids)


def analyst_paths() -> set[str]:
    paths = set()
    for page in dash.page_registry.values():
        if page.get("role") == ANALYST:
            paths |= {page["path"].rstrip("/"), page["relative_path"].rstrip("/")}
    return paths


def _needs_analyst(path: str) -> bool:
    if path == CALLBACK_PATH:
        body = request.get_json(silent=True, cache=True)
        return isinstance(body, dict) and _is_analyst_callback(body)
    return path.rstrip("/") in analyst_paths()


# --- the guard -----------------------------------------------------------------------------

def _wants_html() -> bool:
    return request.method == "GET" and request.path != CALLBACK_PATH \
        and not request.path.startswith("/_dash-")


def _refuse_anonymous():
    if _wants_html():
        return redirect("/logg-inn?neste=" + quote(request.full_path.rstrip("?"), safe="/"))
    return jsonify(feil="Du må logge inn først."), 401


def _refuse_role():
    message = "Dette kan bare brukere med rollen analytiker gjøre."
    if not current_user.is_authenticated:
        return _refuse_anonymous()
    if _wants_html():
        return login_page.refusal(current_user.name), 403
    return jsonify(feil=message), 403


def guard():
    """``before_request`` on every route: deny unless the access mode and role allow it."""
    path = request.path
    if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
        return None
    if settings().access == "login" and not current_user.is_authenticated:
        return _refuse_anonymous()
    if _needs_analyst(path) and not is_analyst():
        return _refuse_role()
    return None


def guard_analyst_pages() -> None:
    """Pages registered with ``role="analyst"`` render a refusal for anyone else."""
    for page in dash.page_registry.values():
        layout = page.get("layout")
        if page.get("role") == ANALYST and callable(layout) and \
                not getattr(layout, "slt_guarded", False):
            page["layout"] = _guarded(layout, page["relative_path"])


def _guarded(layout, path: str):
    @functools.wraps(layout)
    def wrapper(**query):
        if is_analyst():
            return layout(**query)
        return login_page.refusal_component(user_name(), path)

    wrapper.slt_guarded = True
    return wrapper


# --- login and logout ----------------------------------------------------------------------

def _safe_next(target: str | None) -> str:
    """Only a path on this site (no ``//host`` or ``\\``): never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _csrf_token() -> str:
    token = session.get("login_csrf")
    if not token:
        token = session["login_csrf"] = secrets.token_urlsafe(32)
    return token


def login_view():
    target = _safe_next(request.values.get("neste"))
    if request.method == "GET":
        return login_page.form(_csrf_token(), target, access=settings().access)
    sent, expected = request.form.get("csrf", ""), session.get("login_csrf", "")
    if not expected or not hmac.compare_digest(sent, expected):
        return login_page.form(_csrf_token(), target, "Skjemaet var utløpt. Prøv igjen.",
                               access=settings().access), 400
    name = request.form.get("brukernavn", "").strip()
    try:
        user = authenticate(users_path(db_path()), name, request.form.get("passord", ""),
                            address=request.remote_addr or "-")
    except Throttled as throttled:
        return login_page.form(_csrf_token(), target, f"Innloggingen er sperret: {throttled}.",
                               access=settings().access), 429
    if user is None:
        return login_page.form(_csrf_token(), target, "Feil brukernavn eller passord.",
                               access=settings().access), 401
    session.clear()  # a fresh session on login
    login_user(SessionUser(user))
    return redirect(target)


def logout_view():
    if request.method == "GET":
        return login_page.logout_form(user_name())
    logout_user()
    session.clear()
    return redirect("/")


def install(server: Flask, db: Path, config: Settings) -> None:
    """Cookies, Flask-Login, the guard and the login routes on the app's Flask server."""
    server.secret_key = config.secret_key
    server.config.update(
        SLT_DB=str(db), SLT_SETTINGS=config,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.production, SESSION_COOKIE_NAME="slt_session",
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=config.production,
        # A file travels base64-encoded (4/3) inside the callback's JSON: room for that.
        MAX_CONTENT_LENGTH=config.max_upload_bytes * 4 // 3 + 1024 * 1024)
    if config.proxy_hops:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=config.proxy_hops,
                                   x_proto=config.proxy_hops)
    manager = LoginManager()
    manager.anonymous_user = Anonymous
    manager.init_app(server)

    @manager.user_loader
    def load(session_id: str):
        stamp, _, name = session_id.partition(":")
        found = get_user(users_path(Path(server.config["SLT_DB"])), name)
        return SessionUser(found) if found and f"{found.changed:.6f}" == stamp else None

    server.before_request(guard)
    server.add_url_rule("/logg-inn", "logg_inn", login_view, methods=["GET", "POST"])
    server.add_url_rule("/logg-ut", "logg_ut", logout_view, methods=["GET", "POST"])
    server.errorhandler(413)(lambda _e: (jsonify(feil=too_large_text(config)), 413))


def too_large_text(config: Settings) -> str:
    from analysis import format as fmt

    return f"Forespørselen er større enn grensen på {fmt.number(config.max_upload_mb, 1)} MB."

