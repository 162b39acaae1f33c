"""Stored callback answers (dashboard.answer_cache) on a real ``slt serve --workers 2``: shared
by both workers, identical to the computed answer, never served across a publish, and only for
the callbacks listed as pure."""

from __future__ import annotations

import json
import time

import requests

from bench.dash_client import Site
from dashboard import answer_cache
from dashboard.answer_cache import HEADER
from tests.conftest import run_slt
from tests.integration.test_serving import health, serving, two_workers  # noqa: F401 (fixture)


def post(url: str, body: dict) -> tuple[str | None, dict]:
    answer = requests.post(url + "/_dash-update-component", data=json.dumps(body),
                           headers={"Content-Type": "application/json"}, timeout=60)
    assert answer.status_code == 200, answer.text[:500]
    return answer.headers.get(HEADER), answer.json()


def step(site: Site, path: str, output_id: str, region: str | None = "Skien") -> dict:
    """The request of ``output_id`` on opening ``path`` for ``region`` (None: the page's
    default region, prepared at start; Skien is not the seed store's default, Grenland)."""
    return next(body for kind, _path, body in site.visit(path, region)
                if kind == f"callback {output_id}")


def test_answers_are_shared_by_the_workers_and_end_with_a_publish(two_workers, db,  # noqa: F811
                                                                  u18_data):
    url = f"http://127.0.0.1:{two_workers}"
    site = Site.capture(url)
    body = other_years(step(site, "/", "ov-headline", "Grenland"))  # not a default view
    first_state, first = post(url, body)
    assert first_state == "beregnet"
    # Requests go to either worker: a cache of each worker's own would compute again on the
    # other one (every repeat stored: 1 in 2**8 by chance if it were per worker).
    repeats = [post(url, body) for _ in range(8)]
    assert [state for state, _ in repeats] == ["lagret"] * 8
    assert all(answer == first for _, answer in repeats)

    assert run_slt("ingest", u18_data / "seed_full_year_2024.xlsx", "--db", db).returncode == 0
    announced(two_workers)
    # The most asked answer was prepared for the new version before it was announced ...
    state, after = post(url, body)
    assert state == "lagret" and after != first  # the full year replaced the partial one
    # ... and is the answer computed now: asked as if the user had picked the region (another
    # request, so another stored answer), it is computed and the same.
    picked = {**body, "changedPropIds": ["global-region.value"],
              "parsedChangedPropsIds": ["global-region.value"]}
    assert post(url, picked) == ("beregnet", after)


def test_a_request_in_other_spacing_and_key_order_finds_the_same_stored_answer(
        two_workers):  # noqa: F811
    """Answers are filed under the request read as JSON: a browser's bytes differ from the
    ones prepared at start (key order, spacing), and must still find them."""
    url = f"http://127.0.0.1:{two_workers}"
    body = step(Site.capture(url), "/ungdomskriminalitet", "krim-typer-title")
    state, first = post(url, body)
    assert state == "beregnet"
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    assert post_text(url, reordered) == ("lagret", first)


def other_years(body: dict) -> dict:
    """``body`` for 2020–2024 rather than the default every year (2019–2024): a view the
    server did not prepare at start."""
    inputs = [{**i, "value": [2020, 2024]} if i["id"] == "global-years" else i
              for i in body["inputs"]]
    return {**body, "inputs": inputs}


def announced(port: int) -> str:
    """Wait until every worker announces the published version (prepared, see
    dashboard.answer_cache), at most a minute; returns it."""
    deadline = time.monotonic() + 60
    while True:
        seen = [health(port) for _ in range(12)]
        published = {"-".join(map(str, h["version"])) for h in seen}
        if len({h["worker"] for h in seen}) == 2 and \
                {h["announced"] for h in seen} == published and len(published) == 1:
            return published.pop()
        assert time.monotonic() < deadline, seen
        time.sleep(0.2)


def post_text(url: str, text: str) -> tuple[str | None, dict]:
    answer = requests.post(url + "/_dash-update-component", data=text,
                           headers={"Content-Type": "application/json"}, timeout=60)
    assert answer.status_code == 200, answer.text[:500]
    return answer.headers.get(HEADER), answer.json()


def test_a_new_server_prepares_the_answers_the_last_one_was_asked_most(two_workers, db,  # noqa: F811
                                                                      u18_data):
    url = f"http://127.0.0.1:{two_workers}"
    body = step(Site.capture(url), "/", "ov-headline")
    for _ in range(3):
        post(url, body)
    assert run_slt("ingest", u18_data / "seed_full_year_2024.xlsx", "--db", db).returncode == 0
    announced(two_workers)  # the list of most asked requests is kept when a version is
    kept = answer_cache.popular_file(db)
    assert answer_cache.canonical(body).decode() in json.loads(kept.read_text())["requests"]
    with serving(db) as port:  # prepared before the port opened: the first request finds it
        assert post(f"http://127.0.0.1:{port}", body)[0] == "lagret"
    kept.unlink()


def test_a_first_start_answers_the_default_views_from_stored_answers(two_workers, db):  # noqa: F811
    """No server ran on this database before (no kept list): the first visitor of every
    public page, with the default region, still finds the answers prepared before the port
    opened — Oversikt's first of all."""
    assert not answer_cache.popular_file(db).exists()
    url = f"http://127.0.0.1:{two_workers}"
    site = Site.capture(url)  # asks only for the page layouts (the router)
    assert post(url, step(site, "/", "ov-headline", region=None))[0] == "lagret"
    for path in ("/", "/ungdomskriminalitet", "/ungdata", "/sammenlign", "/rapport"):
        states = {kind: post(url, body)[0] for kind, _url, body in site.visit(path)
                  if body is not None}
        assert set(states.values()) == {"lagret"}, (path, states)
    # A region nobody asked for is computed on its first request.
    assert post(url, step(site, "/", "ov-headline"))[0] == "beregnet"


def test_oversikts_goals_line_and_the_region_members_are_stored(two_workers):  # noqa: F811
    url = f"http://127.0.0.1:{two_workers}"
    site = Site.capture(url)
    for output in ("ov-goals", "global-members"):
        body = step(site, "/", output)
        assert [post(url, body)[0] for _ in range(2)] == ["beregnet", "lagret"], output


def test_only_listed_callbacks_are_stored(two_workers):  # noqa: F811
    url = f"http://127.0.0.1:{two_workers}"
    site = Site.capture(url)
    poll = site.poll_request("/")
    assert poll is not None
    assert post(url, poll[2])[0] is None and post(url, poll[2])[0] is None
    # The router: public pages are stored, the upload page (per user) never.
    public = site.visit("/sammenlign", "Grenland")[1][2]
    post(url, public)
    assert post(url, public)[0] == "lagret"
    upload = json.loads(json.dumps(public).replace('"/sammenlign"', '"/last-opp"'))
    answer = requests.post(url + "/_dash-update-component", json=upload, timeout=60)
    assert HEADER not in answer.headers


def test_a_new_server_removes_the_answers_of_servers_that_are_gone(tmp_path, monkeypatch):
    import os
    import subprocess
    import tempfile

    from dashboard import answer_cache

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen(["true"])
    dead.wait()
    left = tmp_path / f"{answer_cache.PREFIX}{dead.pid}-abc"
    (left / "1-2").mkdir(parents=True)
    running = tmp_path / f"{answer_cache.PREFIX}{os.getpid()}-def"
    running.mkdir()
    other = tmp_path / "slt-something-else"
    other.mkdir()
    fresh = answer_cache.new_root()
    assert not left.exists() and running.exists() and other.exists()
    assert fresh.parent == tmp_path
    assert fresh.name.startswith(f"{answer_cache.PREFIX}{os.getpid()}-")


def test_a_version_stores_no_more_than_its_limit_counted_now_and_then(tmp_path, monkeypatch):
    from dashboard import answer_cache

    monkeypatch.setattr(answer_cache, "MAX_FILES", 10)
    monkeypatch.setattr(answer_cache, "RECOUNT", 4)
    cache = answer_cache.AnswerCache(tmp_path)
    first, second = tmp_path / "1-1", tmp_path / "2-2"
    first.mkdir()
    second.mkdir()
    for i in range(40):
        cache.put(first, f"a{i}", b"{}")
    stored = len(list(first.iterdir()))
    assert 10 <= stored < 10 + 4  # the limit, passed by less than one recount's worth
    assert (first / "a0").read_bytes() == b"{}"
    cache.put(second, "b0", b"{}")  # a new version starts counting afresh
    assert (second / "b0").exists()
