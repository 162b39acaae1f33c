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

No cold tail: each worker counts which stored-answer requests are asked most (:class:`Popular`,
at most :data:`KEPT_BODIES` distinct ones).  A watcher thread per worker (:func:`start_watcher`)
sees a publish within :data:`WATCH_SECONDS`, computes the :data:`PREPARED` most asked answers
and every public page's first visit for the default region (:func:`first_visits`) for the new
version (at most :data:`PREPARE_SECONDS`; the workers share the list), and only then announces
the version to the pages («Nye tall er publisert», :func:`announced`), so the first visitors
after a publish find their answers stored.  The list is kept beside the answers' directory for
the next start (:func:`popular_file`); a server prepares it, and the first visits, before it
opens its port (:func:`prepare_at_start`) — at a first start, with no list, the default views.

Answers are filed under the request read as JSON (:func:`canonical`), not its bytes, so a
request prepared here finds the answer a browser's request (other spacing, other key order)
asks for.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from flask import Flask, Response, request

from dashboard import queries

# (module, function) of callbacks that are pure functions of their inputs and the store.
PURE = frozenset({
    ("pages.oversikt", "_update"), ("pages.oversikt", "_survey"), ("pages.oversikt", "_goals"),
    ("state", "_members"),
    ("pages.ungdomskriminalitet", "_types"), ("pages.ungdomskriminalitet", "_ages"),
    ("pages.ungdomskriminalitet", "_genders"), ("pages.ungdomskriminalitet", "_same_period"),
    ("pages.ungdata", "_theme_chosen"), ("pages.ungdata", "_level_options"),
    ("pages.ungdata", "_police_links"), ("pages.ungdata", "_trend"),
    ("pages.ungdata", "_genders"), ("pages.ungdata", "_members"),
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
KEPT_BODIES = 1024  # distinct stored-answer requests a worker counts (then only those)
PREPARED = 96  # the most asked answers prepared for a new version …
PREPARE_SECONDS = 8.0  # … within at most this long, before the version is announced
# … of those asked more than once: a request asked once is seldom asked again soon (one user's
# page for one region), and computing it for nothing delays the visitors after the publish.
REPEATED = 2
WATCH_SECONDS = 0.5  # how often a worker's watcher looks for a publish


def _module(name: str) -> str:
    return name.removeprefix("dashboard.")


def canonical(payload: dict) -> bytes:
    """The request as one text whatever its spacing and key order: what its stored answer is
    filed under (two requests that read the same are answered the same by Dash)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


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
        self.popular = Popular()
        self.compute = None  # Dash's own callback view, set by install()

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


class Popular:
    """How often each stored-answer request (its body) was asked, bounded in memory."""

    def __init__(self, kept: int = KEPT_BODIES):
        self.kept = kept
        self.counts: dict[bytes, int] = {}
        self._lock = threading.Lock()

    def add(self, body: bytes) -> None:
        with self._lock:
            if body in self.counts or len(self.counts) < self.kept:
                self.counts[body] = self.counts.get(body, 0) + 1

    def top(self, n: int, at_least: int = 1) -> list[bytes]:
        """The ``n`` most asked, of those asked ``at_least`` times."""
        with self._lock:
            asked = [body for body, count in self.counts.items() if count >= at_least]
            return sorted(asked, key=self.counts.get, reverse=True)[:n]


_ANNOUNCED: dict[str, str] = {}  # database path → the version this worker announces to pages


def announced(db_path: Path) -> str | None:
    """The data version of ``db_path`` (as :func:`dashboard.freshness.current` writes it) this
    worker has prepared and announces, or None when no watcher prepares its versions."""
    return _ANNOUNCED.get(str(db_path))


def _version_text(version: tuple) -> str:
    return "-".join(str(v) for v in version)


def popular_file(db_path: Path) -> Path:
    """Where the most asked requests of the servers of ``db_path`` are kept between starts."""
    digest = hashlib.sha256(str(Path(db_path).resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"{PREFIX}populaer-{digest}.json"


def _load_popular(path: Path) -> list[bytes]:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        return [b.encode() for b in kept["requests"]][:PREPARED]
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return []


def _save_popular(path: Path, db_path: Path, bodies: list[bytes]) -> None:
    """Keep ``bodies`` for the next server on ``db_path`` (named in the file, so that a list
    whose database is gone can be removed: :func:`new_root`).  Every worker of a server keeps
    its own most asked requests in the one file: they are merged into what the others kept
    (this worker's first, at most :data:`PREPARED`), under a lock, never overwritten."""
    if not bodies:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with _locked(path):
            mine = [b.decode() for b in bodies]
            others = [b.decode() for b in _load_popular(path) if b.decode() not in mine]
            tmp.write_text(json.dumps({"database": str(Path(db_path).resolve()),
                                       "requests": (mine + others)[:PREPARED]}),
                           encoding="utf-8")
            os.replace(tmp, path)
    except (OSError, UnicodeDecodeError):
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock for ``path`` between processes (a lock file beside it)."""
    with open(_lock_file(path), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _lock_file(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _remove_orphan_lists(base: Path) -> None:
    """Kept lists whose database no longer exists (a test's, a removed copy's)."""
    for kept in base.glob(f"{PREFIX}populaer-*.json"):
        try:
            database = json.loads(kept.read_text(encoding="utf-8"))["database"]
        except (OSError, ValueError, TypeError, KeyError):
            database = None
        if database is None or not Path(database).exists():
            kept.unlink(missing_ok=True)
            _lock_file(kept).unlink(missing_ok=True)


PREPARING = "X-SLT-Forbereder"  # a request of prepare(): not counted as asked


def _claim(cache: AnswerCache, body: bytes) -> bool:
    """Whether this worker should compute ``body`` now: not stored yet for the current
    version, and not claimed by another worker preparing the same list (a claim file made
    with ``O_EXCL``), so the workers of a server share the work instead of repeating it."""
    key = hashlib.sha256(body).hexdigest()
    folder, stored = cache.get(key)
    if folder is None or stored is not None:
        return folder is None  # no folder: let the request itself find out
    try:
        os.close(os.open(folder / f".claim-{key}", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    except OSError:  # a publish removed the folder meanwhile
        return True
    return True


def prepare(app, cache: AnswerCache, bodies: list[bytes], seconds: float) -> int:
    """Ask for ``bodies`` as a visitor would (the whole request pipeline, access guard
    included), so that their answers for the current version are stored; in the given order,
    for at most ``seconds``, each once (those stored or claimed by another worker are left).
    Returns how many were computed here.  With ``SLT_ACCESS=login`` nothing is prepared: the
    guard refuses a request without login."""
    client, done = app.server.test_client(), 0
    deadline = time.monotonic() + seconds
    for body in dict.fromkeys(bodies):
        if time.monotonic() > deadline:
            break
        if not _claim(cache, body):
            continue
        response = client.post(ENDPOINT, data=body, content_type="application/json",
                               headers={PREPARING: "1"})
        done += response.headers.get(HEADER) == "beregnet"
    return done


def first_visits(app) -> list[bytes]:
    """What a browser asks on opening each public page with the values its layout holds (the
    default region, every year): the router and every callback that fires on load, in the
    renderer's form (:mod:`dashboard.visits`), as :func:`canonical` files them.  Empty when
    the pages cannot be read without login."""
    from dashboard.visits import LocalSession, Site

    try:
        site = Site.capture("", LocalSession(app.server.test_client(), {PREPARING: "1"}))
    except Exception:  # noqa: BLE001 — a guarded or empty store: nothing to prepare
        return []
    bodies = []
    for path in (p for p in site.paths if p in PUBLIC_PAGES):
        bodies += [canonical(body) for _kind, _url, body in site.visit(path)
                   if body is not None and cacheable(app, body)]
    return bodies


def prepare_at_start(app, cache: AnswerCache) -> int:
    """Before a server answers anyone: prepare what the last server on this database was
    asked for most (its kept list), then every public page's first visit for the default
    region — also at the very first start, when there is no list — within
    :data:`PREPARE_SECONDS` in all.  Run in the gunicorn master before the fork, it also
    loads what each worker would otherwise load on its first request (the modules and
    plotly's figure classes behind every page)."""
    deadline = time.monotonic() + PREPARE_SECONDS
    db_path, version = queries.store()
    done = prepare(app, cache, _load_popular(popular_file(db_path)), PREPARE_SECONDS)
    left = deadline - time.monotonic()
    done += prepare(app, cache, first_visits(app), left) if left > 0 else 0
    # Prepared: announced as it is, so the workers' watchers (forked from here) start idle
    # instead of going through the lists again while the first visitors arrive.
    _ANNOUNCED[str(db_path)] = _version_text(version)
    return done


def start_watcher(app, cache: AnswerCache) -> threading.Thread:
    """In a worker (after any fork): prepare the most asked answers of every new version
    before announcing it (see the module's docstring): this worker's most asked, then those
    the other workers kept, then the default views; the workers share the list (:func:`_claim`)."""
    db_path, _ = queries.store()
    kept, name = popular_file(db_path), str(db_path)

    def watch() -> None:
        while True:
            try:
                _path, version = queries.store()
                text = _version_text(version)
                if text != _ANNOUNCED.get(name):
                    deadline = time.monotonic() + PREPARE_SECONDS
                    mine = cache.popular.top(PREPARED, REPEATED)
                    prepare(app, cache, mine + _load_popular(kept), PREPARE_SECONDS)
                    if (left := deadline - time.monotonic()) > 0:
                        prepare(app, cache, first_visits(app), left)
                    _save_popular(kept, db_path, mine)  # kept before it is announced
                    _ANNOUNCED[name] = text
            except Exception:  # noqa: BLE001 — the watcher must outlive a missing file
                pass
            time.sleep(WATCH_SECONDS)

    thread = threading.Thread(target=watch, name="slt-prepare", daemon=True)
    thread.start()
    return thread


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
    _remove_orphan_lists(base)
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
    compute = cache.compute = server.view_functions[ENDPOINT]

    def answer(*args, **kwargs):
        payload = request.get_json(silent=True, cache=True)
        if not cacheable(app, payload):
            return compute(*args, **kwargs)
        body = canonical(payload)
        if PREPARING not in request.headers:
            cache.popular.add(body)
        key = hashlib.sha256(body).hexdigest()
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
