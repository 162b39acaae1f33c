"""Serving the app: Flask's own server for one process, gunicorn for several workers.

Every worker reads the database through read-only connections opened per query (cached per
published version of the file), so a publish — which replaces the file atomically — reaches
every worker on its next query, with no signal or restart.  ``/helse`` reports what a worker
sees, for load balancers and for the test that proves it.

Workers are threaded (gunicorn's ``gthread``, :data:`THREADS` threads each): a request that
waits — on DuckDB, which releases the GIL while it scans, or on a report download's headless
browser — no longer holds up the requests queued behind it, as it did with synchronous workers.
Each thread queries through its own cursor of the worker's read-only connection
(:func:`dashboard.queries._open`).  The app is built once in the master and forked
(``preload_app``): the workers share the imported code's memory pages and start at once.  No
DuckDB connection may cross the fork (DuckDB's threads and locks do not survive it), so the
master drops any it opened before every fork.  Answers of the pure callbacks are stored once
per data version for all workers (:mod:`dashboard.answer_cache`).
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from flask import jsonify

from dashboard import answer_cache, queries
from dashboard.app import create_app
from dashboard.settings import Settings
from etl.store import data_version


def build(db_path: Path, settings: Settings | None = None):
    """The Dash app for ``db_path`` with the ``/helse`` route added (open to anyone, for load
    balancers; every other route is behind :func:`dashboard.auth.guard`)."""
    app = create_app(db_path, settings)
    app.answer_cache = answer_cache.install(app)

    @app.server.get("/helse")
    def health():
        latest = queries.uploads(limit=1)
        upload = None if latest.empty else int(latest["upload_id"].iloc[0])
        return jsonify(status="ok", database=str(db_path), version=list(data_version(db_path)),
                       last_upload_id=upload, worker=os.getpid(),
                       announced=answer_cache.announced(db_path))

    return app


THREADS = 8  # per gunicorn worker; see the load benchmark in bench/RESULTS.md


def _set_up(app) -> None:
    """Dash finishes setting itself up on its first request, and fills ``app.callback_map``
    only *after* marking that done: a request answered here, in one thread, before any is
    accepted, so that no thread sees a half-filled map (the access guard refused such requests
    with HTTP 401 in a first burst).  Not in :func:`build`: a built app must still take
    routes (Flask refuses new ones after the first request)."""
    app.server.test_client().get("/_dash-dependencies")


def _warm() -> None:
    """In the gunicorn master, before the fork: what every worker would otherwise load on its
    first map (the kommune borders, ~0.2 s); no DuckDB connection is involved."""
    from dashboard.components.maps import kommune_shapes

    kommune_shapes()


def _before_fork(db_path: Path) -> None:
    """In the gunicorn master, before each fork: close any DuckDB connection the app opened
    while it was built, so no worker inherits one; freeze what it holds (:func:`gc.freeze`,
    as the Python documentation advises for a parent that forks workers)."""
    queries.configure(db_path)
    gc.collect()  # a connection kept alive only by a reference cycle closes now, not in a child
    # What the master built and prepared stays out of the workers' garbage collections: a full
    # collection no longer walks (and copies, page by page) the whole inherited heap.
    gc.freeze()


def _watch(built: dict) -> None:
    """In a worker: start preparing answers before announcing versions (once the app exists:
    with ``preload`` it was built in the master, else the worker builds it later)."""
    if "app" in built:
        answer_cache.start_watcher(built["app"], built["app"].answer_cache)


def run(db_path: Path, host: str, port: int, workers: int = 1,
        settings: Settings | None = None, threads: int = THREADS, preload: bool = True) -> None:
    """Serve until stopped: the Flask server (a thread per request) for one worker, gunicorn
    with ``workers`` processes of ``threads`` threads for more.

    Connections are closed after each answer (``keepalive`` 0, what sync workers did): with
    idle connections kept open, a client reusing one just as the worker closes it gets a
    connection error (2 in a 60 s load test); the reverse proxy keeps the browsers' connections.
    """
    if workers <= 1:
        app = build(db_path, settings)
        _set_up(app)
        answer_cache.prepare_at_start(app, app.answer_cache)
        answer_cache.start_watcher(app, app.answer_cache)
        app.run(host=host, port=port, debug=False, threaded=True)
        return
    built = {}
    from gunicorn.app.base import BaseApplication

    class Gunicorn(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("threads", max(1, threads))
            self.cfg.set("preload_app", preload)
            self.cfg.set("pre_fork", lambda _arbiter, _worker: _before_fork(db_path))
            # In each worker, after the fork: prepare answers before announcing a version.
            self.cfg.set("post_fork", lambda _arbiter, _worker: _watch(built))
            self.cfg.set("keepalive", 0)  # close after each answer, as sync workers do (see run)
            self.cfg.set("timeout", 60)
            # On SIGTERM or Ctrl-C, requests under way get 10 s to finish (gunicorn's default
            # is 30 s): answers take well under a second, a report download a few seconds, and
            # a stop should not wait half a minute for a worker busy preparing answers.
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("accesslog", None)

        def load(self):
            app = built["app"] = build(db_path, settings)
            if preload:
                _set_up(app)
                _warm()
                # Before the port opens: the answers the last server was asked for most are
                # stored for every worker (the master's connections close before the fork).
                answer_cache.prepare_at_start(app, app.answer_cache)
            else:  # built in the worker itself, after post_fork
                _set_up(app)
                _watch(built)
            return app.server

    Gunicorn().run()
