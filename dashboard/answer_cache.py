"""Whole callback answers, shared by the workers of one ``slt serve``, per published version.

A page's callbacks answer the same question with the same JSON until the next publish: the
figures of a region, the report preview, the page layout for a URL.  Computing that answer again
is most of the server's work when users move between pages or share a region (the load test:
50-80 ms of CPU for a new view of Oversikt or a chart, under 1 ms to read the stored answer).

Only callbacks listed in :data:`PURE` — whose answer depends on nothing but the request body and
the published data: no user, session, clock or upload — and the page router for the public pages
in :data:`PUBLIC_PAGES` are stored.  Everything else (uploads, history, downloads, the login)
always runs.  The access guard (:func:`dashboard.auth.guard`) runs before this, so a stored
answer only goes to someone allowed to ask.

Answers are files in a directory the server makes at start (``tempfile``), one subdirectory per
data version, written atomically (temporary name, then ``os.replace``); a new version removes the
older subdirectories.  A renamed or new callback is simply not stored (fails closed).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

from flask import Flask, Response, request

from dashboard import queries

# (module, function) of callbacks that are pure functions of their inputs and the store.
PURE = frozenset({
    ("pages.oversikt", "_update"), ("pages.oversikt", "_survey"),
    ("pages.ungdomskriminalitet", "_types"), ("pages.ungdomskriminalitet", "_ages"),
    ("pages.ungdomskriminalitet", "_genders"), ("pages.ungdomskriminalitet", "_same_period"),
    ("pages.ungdata", "_theme_chosen"), ("pages.ungdata", "_level_options"),
    ("pages.ungdata", "_police_links"), ("pages.ungdata", "_trend"),
    ("pages.ungdata", "_genders"),
    ("pages.sammenlign", "_rates"), ("pages.sammenlign", "_map"),
    ("pages.rapport", "_preview"),
    ("pages.politirad", "_outline"),
})
ROUTER = ".._pages_content.children..._pages_store.data.."
PUBLIC_PAGES = frozenset({"/", "/ungdomskriminalitet", "/ungdata", "/sammenlign", "/rapport",
                          "/politirad", "/om-dataene"})
MAX_FILES = 20_000  # per data version; beyond it answers are computed, not stored
RECOUNT = 256  # a worker counts the folder's files again after storing this many answers
HEADER = "X-SLT-Svar"  # "lagret" (a stored answer) or "beregnet" (computed, then stored)
ENDPOINT = "/_dash-update-component"


def _module(name: str) -> str:
    return name.removeprefix("dashboard.")


def cacheable(app, payload: dict | None) -> bool:
    """True when this callback request's answer may be stored and shared."""
    if not isinstance(payload, dict):
        return False
    output = payload.get("output")
    if output == ROUTER:
        path = next((i.get("value") for i in payload.get("inputs", [])
                     if i.get("id") == "_pages_location" and i.get("property") == "pathname"),
                    None)
        return path in PUBLIC_PAGES
    entry = app.callback_map.get(output) if isinstance(output, str) else None
    function = entry.get("callback") if entry else None
    function = getattr(function, "__wrapped__", function)
    return function is not None and \
        (_module(function.__module__), function.__name__) in PURE


class AnswerCache:
    """The stored answers of one server (every worker of it)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.current: Path | None = None
        self._counted: tuple[Path | None, int, bool] = (None, 0, False)  # folder, stores, full
        self._lock = threading.Lock()

    def _folder(self) -> Path:
        _path, version = queries.store()
        folder = self.root / "-".join(str(v) for v in version)
        if folder != self.current:
            folder.mkdir(parents=True, exist_ok=True)
            for old in self.root.iterdir():  # answers of replaced versions
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
            self.current = folder
        return folder

    def get(self, key: str) -> tuple[Path | None, bytes | None]:
        """(the current version's folder, the stored answer or None)."""
        try:
            folder = self._folder()
        except OSError:
            return None, None
        try:
            return folder, (folder / key).read_bytes()
        except OSError:
            return folder, None

    def put(self, folder: Path, key: str, body: bytes) -> None:
        """Store an answer in the folder of the version read *before* it was computed: had a
        publish come in between, that folder is already obsolete, never the new one."""
        try:
            if self._full(folder):
                return
            tmp = folder / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
            tmp.write_bytes(body)
            os.replace(tmp, folder / key)
        except OSError:  # a publish removed the folder meanwhile: the answer is stale anyway
            pass


    def _full(self, folder: Path) -> bool:
        """Whether ``folder`` holds :data:`MAX_FILES` answers.  Counted every :data:`RECOUNT`
        stores rather than on each (the folder is shared by every worker, so the limit may be
        passed by at most RECOUNT answers per worker thread between two counts)."""
        with self._lock:
            counted, stores, full = self._counted
            if counted == folder and stores % RECOUNT:
                self._counted = (folder, stores + 1, full)
                return full
        full = sum(1 for _ in os.scandir(folder)) >= MAX_FILES
        with self._lock:
            self._counted = (folder, 1, full)
        return full


PREFIX = "slt-svar-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def new_root() -> Path:
    """A fresh directory ``slt-svar-<pid>-…`` in the temporary directory, after removing those
    of servers that are gone (a server stopped by a signal leaves its directory behind)."""
    base = Path(tempfile.gettempdir())
    for old in base.glob(f"{PREFIX}*"):
        pid = old.name.removeprefix(PREFIX).split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))


def install(app, root: Path | None = None) -> AnswerCache:
    """Serve stored answers for :func:`cacheable` callback requests of ``app`` (a Dash app)."""
    if root is None:
        root = new_root()
        creator = os.getpid()
        # Only the process that made it removes it (forked workers inherit atexit handlers).
        atexit.register(lambda: os.getpid() == creator and shutil.rmtree(root, True))
    cache = AnswerCache(root)
    server: Flask = app.server
    compute = server.view_functions[ENDPOINT]

    def answer(*args, **kwargs):
        payload = request.get_json(silent=True, cache=True)
        if not cacheable(app, payload):
            return compute(*args, **kwargs)
        key = hashlib.sha256(request.get_data(cache=True)).hexdigest()
        folder, stored = cache.get(key)
        if stored is not None:
            return Response(stored, mimetype="application/json", headers={HEADER: "lagret"})
        response = server.make_response(compute(*args, **kwargs))
        if folder is not None and response.status_code == 200 \
                and response.mimetype == "application/json":
            cache.put(folder, key, response.get_data())
            response.headers[HEADER] = "beregnet"
        return response

    server.view_functions[ENDPOINT] = answer
    return cache
