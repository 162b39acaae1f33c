"""The requests a server prepares before its first visitor (dashboard.visits, first_visits) are
the ones dash-renderer sends, and the workers of a server share that work.

The app is built in a fresh interpreter: Dash hands the pages' callbacks to the first app of a
process that answers a request, and another test module may have built one in this process.
"""

from __future__ import annotations

import json
import multiprocessing

import pytest

from dashboard import answer_cache
from tests.conftest import SEED_WORKBOOK, run_slt


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("first_visits") / "slt.duckdb"
    assert run_slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    return db


def in_fresh_process(function, *args):
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def _first_visits(db) -> tuple[list[dict], str, bool]:
    from dashboard import queries
    from dashboard.server import build

    app = build(db)
    bodies = answer_cache.first_visits(app)
    return ([json.loads(b) for b in bodies], queries.default_region(),
            all(answer_cache.cacheable(app, json.loads(b)) for b in bodies))


def _shared_preparation(db) -> tuple[bool, int, int]:
    from dashboard.server import build

    app = build(db)
    callbacks = [b for b in answer_cache.first_visits(app)
                 if json.loads(b)["output"] != answer_cache.ROUTER]
    taken, left = callbacks[0], callbacks[1]
    other_worker = answer_cache.AnswerCache(app.answer_cache.root)  # the same shared folder
    claimed = answer_cache._claim(other_worker, taken)
    return (claimed, answer_cache.prepare(app, app.answer_cache, [taken, left], 30),
            answer_cache.prepare(app, app.answer_cache, [left], 30))


def test_the_first_visits_are_the_browsers_requests_for_the_default_region(store):
    bodies, default, all_cacheable = in_fresh_process(_first_visits, store)
    headline = next(b for b in bodies if b["output"].startswith("..ov-headline."))
    # On load the renderer names no changed property and sends no state it does not have.
    assert headline["changedPropIds"] == [] == headline["parsedChangedPropsIds"]
    assert "state" not in headline
    assert headline["inputs"][0] == {"id": "global-region", "property": "value",
                                     "value": default}
    routers = [b for b in bodies if b["output"] == answer_cache.ROUTER]
    assert routers[0]["changedPropIds"] == ["_pages_location.pathname",
                                            "_pages_location.search"]
    # Only what may be stored, and every public page's router.
    assert all_cacheable
    pages = {b["inputs"][0]["value"] for b in routers}
    assert {"/", "/ungdomskriminalitet", "/rapport"} <= pages <= answer_cache.PUBLIC_PAGES


def test_a_worker_leaves_the_answers_another_worker_is_preparing(store):
    claimed, first, second = in_fresh_process(_shared_preparation, store)
    assert claimed  # the other worker took the first request ...
    assert first == 1  # ... so this one computed only the second
    assert second == 0  # stored now
