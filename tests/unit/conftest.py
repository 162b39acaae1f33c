"""Fixtures of the modules that run the dashboard's pages in-process (no browser).

A module opts in with ``pytestmark = pytest.mark.usefixtures("pages")``: its tests then get one
app per module on a real DuckDB file (the fixture store of
:mod:`tests.unit.test_dashboard_fixture_store`, or the bundled sample when the module sets
``PAGES_STORE = "sample"``), and every test reads that store, even after another test pointed
the queries elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def _sample_store(folder: Path) -> Path:
    from etl.sample import build_sample

    db = folder / "slt.duckdb"
    build_sample(db)
    return db


def _fixture_store(folder: Path) -> Path:
    from tests.unit.test_dashboard_fixture_store import build_store

    return build_store(folder)


STORES = {"fixture": _fixture_store, "sample": _sample_store}


@pytest.fixture(scope="module")
def app(request, tmp_path_factory):
    """The dashboard app on the module's store (``PAGES_STORE``: fixture or sample)."""
    from dashboard.app import create_app

    kind = getattr(request.module, "PAGES_STORE", "fixture")
    db = STORES[kind](tmp_path_factory.mktemp(f"pages-{kind}"))
    app = create_app(db)
    app._db = db
    return app


@pytest.fixture
def pages(app):
    """The queries read the module app's store."""
    from dashboard import queries

    queries.configure(app._db)
