"""The requests a server prepares before its first visitor (dashboard.visits, first_visits) are
the ones dash-renderer sends, and the workers of a server share that work."""

from __future__ import annotations

import json

import pytest

from dashboard import answer_cache, queries
from tests.conftest import SEED_WORKBOOK, run_slt


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.server import build

    db = tmp_path_factory.mktemp("first_visits") / "slt.duckdb"
    assert run_slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    app = build(db)
    app._db = db
    return app


@pytest.fixture(autouse=True)
def _store(app):
    queries.configure(app._db)


def by_output(bodies: list[bytes]) -> dict[str, dict]:
    return {json.loads(body)["output"]: json.loads(body) for body in bodies}


def test_the_first_visits_are_the_browsers_requests_for_the_default_region(app):
    bodies = by_output(answer_cache.first_visits(app))
    headline = next(b for output, b in bodies.items() if output.startswith("..ov-headline."))
    # On load the renderer names no changed property and sends no state it does not have.
    assert headline["changedPropIds"] == [] == headline["parsedChangedPropsIds"]
    assert "state" not in headline
    assert headline["inputs"][0] == {"id": "global-region", "property": "value",
                                     "value": queries.default_region()}
    router = bodies[answer_cache.ROUTER]
    assert router["changedPropIds"] == ["_pages_location.pathname", "_pages_location.search"]
    # Only what may be stored, and every public page's router.
    assert all(answer_cache.cacheable(app, b) for b in bodies.values())
    pages = {json.loads(b)["inputs"][0]["value"] for b in answer_cache.first_visits(app)
             if json.loads(b)["output"] == answer_cache.ROUTER}
    assert {"/", "/ungdomskriminalitet", "/rapport"} <= pages <= answer_cache.PUBLIC_PAGES


def test_a_worker_leaves_the_answers_another_worker_is_preparing(app):
    callbacks = [b for b in answer_cache.first_visits(app)
                 if json.loads(b)["output"] != answer_cache.ROUTER]
    taken, left = callbacks[0], callbacks[1]
    other_worker = answer_cache.AnswerCache(app.answer_cache.root)  # the same shared folder
    assert answer_cache._claim(other_worker, taken)
    assert answer_cache.prepare(app, app.answer_cache, [taken, left], 30) == 1
    assert answer_cache.prepare(app, app.answer_cache, [left], 30) == 0  # stored now
