"""Grupper in a real browser against a real ``slt serve``: an analyst makes, renames and deletes
a region group; it appears in the region choice of every page with its kommuner and when they
changed, in ``slt report``, and after a restart; Historikk «Angre» undoes a change; a viewer can
neither open the page nor post its callbacks by hand.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

import pytest

from etl.sample import manifest
from tests.browser.conftest import screenshot, served, settle
from tests.browser.test_upload import PASSWORD, callback_key, http_session, login, payload
from tests.conftest import SAMPLE, query, run_slt

pytestmark = pytest.mark.browser

PAGES = ["/", "/ungdomskriminalitet", "/ungdata", "/sammenlign", "/rapport", "/politirad"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    db = tmp_path_factory.mktemp("groups") / "slt.duckdb"
    files = [SAMPLE / e["file"] for e in manifest()]
    assert run_slt("ingest", *files, "--db", db, "--user", "sample").returncode == 0
    for name, role in (("ana", "analyst"), ("vera", "viewer")):
        made = run_slt("user", "add", name, "--role", role, "--password-stdin", "--db", db,
                       input_text=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
    return db


ENV = {"SLT_ACCESS": "public", "SLT_USERS": ""}


def pick(page, dropdown_id: str, names: list[str]) -> None:
    """Choose ``names`` in a multi-choice Dash dropdown by searching, as a user would."""
    for name in names:
        page.locator(f"#{dropdown_id}").click()
        page.locator(".dash-dropdown-search").fill(name)
        page.get_by_role("option", name=name, exact=True).click()
        page.keyboard.press("Escape")


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_group_made_in_the_browser_is_a_region_on_every_page_in_the_report_and_after_a_restart(
        page, db, tmp_path):
    with served(db, env=ENV) as url:
        login(page, url, "ana", "/grupper")
        screenshot(page, "grupper")
        page.fill("#grupper-name", "Nedre Telemark")
        pick(page, "grupper-members", ["Porsgrunn", "Skien"])
        page.click("#grupper-save")
        page.wait_for_selector("#grupper-done")
        assert "Ny gruppe Nedre Telemark: Porsgrunn og Skien" in page.inner_text("#grupper-done")
        assert "Nedre Telemark" in page.inner_text("#grupper-list")
        [(upload_id, by)] = query(db, "SELECT upload_id, uploaded_by FROM uploads "
                                      "WHERE source = 'gruppe'")
        assert by == "ana"
        screenshot(page, "grupper-laget")
    report = tmp_path / "rapport.md"
    made = run_slt("report", "--region", "Nedre Telemark", "--format", "md", "--out", report,
                   "--db", db)
    assert made.returncode == 0, made.stderr
    with served(db, env=ENV) as url:  # a new server process: nothing kept in memory
        for path in PAGES:
            page.goto(f"{url}{path}?region={quote('Nedre Telemark')}")
            settle(page)
            assert page.locator("#global-region").inner_text().startswith("Nedre Telemark"), path
            note = page.inner_text("#global-members")
            assert "Nedre Telemark er en regiongruppe av Porsgrunn og Skien" in note, path
            assert f"av ana (opplasting {upload_id})" in note, path
        screenshot(page, "grupper-politirad")
        page.goto("about:blank")  # no callback in flight when the server stops


def test_rename_delete_and_angre_in_historikk(page, db):
    run_slt("gruppe", "lag", "Vestmar", "--kommuner", "Kragerø,Drangedal", "--db", db)
    with served(db, env=ENV) as url:
        login(page, url, "ana", "/grupper")
        page.locator("#grupper-group").click()
        page.get_by_role("option", name="Vestmar", exact=True).click()
        settle(page)
        assert page.input_value("#grupper-name") == "Vestmar"
        page.fill("#grupper-name", "Vestmar-samarbeidet")
        page.click("#grupper-save")
        page.wait_for_selector("#grupper-done")
        assert "heter nå Vestmar-samarbeidet" in page.inner_text("#grupper-done")
        settle(page)
        page.click("#grupper-delete")
        page.click("#grupper-confirm-yes")
        page.wait_for_selector("#grupper-done >> text=er slettet")
        assert query(db, "SELECT count(*) FROM regions WHERE name LIKE 'Vestmar%'") == [(0,)]
        [(deleted,)] = query(db, "SELECT max(upload_id) FROM uploads WHERE source = 'gruppe'")
        page.goto(f"{url}/historikk")
        settle(page)
        page.locator(f"#hist-row-{deleted}").get_by_role("button", name="Angre").click()
        page.get_by_role("dialog").get_by_role("button", name="Ja, angre").click()
        page.wait_for_selector("#hist-done")
        assert query(db, "SELECT name FROM regions WHERE name LIKE 'Vestmar%'") == [
            ("Vestmar-samarbeidet",)]
        page.goto("about:blank")


def test_a_refused_name_is_said_in_norwegian_and_nothing_is_written(page, db):
    before = digest(db)
    with served(db, env=ENV) as url:
        login(page, url, "ana", "/grupper")
        page.fill("#grupper-name", "Skien")
        pick(page, "grupper-members", ["Porsgrunn", "Bamble"])
        assert page.locator("#grupper-message").inner_text() == ""  # nothing said unasked
        page.click("#grupper-save")
        page.wait_for_selector("#grupper-refused")
        assert "allerede navnet på kommunen Skien" in page.inner_text("#grupper-refused")
        page.goto("about:blank")
    assert digest(db) == before


def test_a_viewer_can_neither_open_grupper_nor_post_its_callback(page, db):
    before = digest(db)
    with served(db, env=ENV) as url:
        login(page, url, "vera", "/")
        assert "Grupper" not in page.inner_text("nav")
        session = http_session(url, "vera")
        assert session.get(url + "/grupper", timeout=10).status_code == 403
        key = callback_key(session, url, "grupper-message.children")
        body = payload(key, "grupper-save.n_clicks", [
            {"id": "grupper-save", "property": "n_clicks", "value": 1},
            {"id": "grupper-confirm-yes", "property": "n_clicks", "value": None}], [
            {"id": "grupper-group", "property": "value", "value": "__ny__"},
            {"id": "grupper-name", "property": "value", "value": "Hack"},
            {"id": "grupper-members", "property": "value", "value": ["Skien", "Bamble"]}])
        answer = session.post(url + "/_dash-update-component", json=body, timeout=10)
        assert answer.status_code == 403
        assert re.search("analytiker", answer.text)
        page.goto("about:blank")
    assert digest(db) == before
