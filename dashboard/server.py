"""Serving the app: Flask's own server for one process, gunicorn for several workers.

Every worker reads the database through read-only connections opened per query (cached per
published version of the file), so a publish — which replaces the file atomically — reaches
every worker on its next query, with no signal or restart.  ``/helse`` reports what a worker
sees, for load balancers and for the test that proves it.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import jsonify

from dashboard import queries
from dashboard.app import create_app
from dashboard.settings import Settings
from etl.store import data_version


def build(db_path: Path, settings: Settings | None = None):
    """The Dash app for ``db_path`` with the ``/helse`` route added (open to anyone, for load
    balancers; every other route is behind :func:`dashboard.auth.guard`)."""
    app = create_app(db_path, settings)

    @app.server.get("/helse")
    def health():
        latest = queries.uploads(limit=1)
        upload = None if latest.empty else int(latest["upload_id"].iloc[0])
        return jsonify(status="ok", database=str(db_path), version=list(data_version(db_path)),
                       last_upload_id=upload, worker=os.getpid())

    return app


def run(db_path: Path, host: str, port: int, workers: int = 1,
        settings: Settings | None = None) -> None:
    """Serve until stopped: the Flask server for one worker, gunicorn for more."""
    if workers <= 1:
        build(db_path, settings).run(host=host, port=port, debug=False)
        return
    from gunicorn.app.base import BaseApplication

    class Gunicorn(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("timeout", 60)
            self.cfg.set("accesslog", None)

        def load(self):
            return build(db_path, settings).server

    Gunicorn().run()
