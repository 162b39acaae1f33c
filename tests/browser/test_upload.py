"""Last opp and Historikk in a real browser against a real ``slt serve``: an analyst uploads,
previews, publishes and undoes; a broken file changes nothing; viewers and anonymous visitors
cannot reach upload, publish or rollback — not in the UI and not by posting to the server.

The server runs on its own database (the sample without the police workbook, so the workbook
is new to it), with an analyst and a viewer made by ``slt user add``, ``SLT_ACCESS=public`` and
``SLT_MAX_UPLOAD_MB=1`` (the seed files are a few kB).
"""

from __future__ import annotations

import base64
import re
from types import SimpleNamespace

import pytest
import requests

from etl.sample import manifest
from etl.store import data_version
from tests.browser.conftest import (
    figure_data,
    screenshot,
    served,
    settle,
    wait_for_figure,
)
from tests.conftest import (
    SAMPLE,
    SEED_WORKBOOK,
    TEST_DATA,
    query,
    run_slt,
    snapshot,
)

pytestmark = pytest.mark.browser

PASSWORD = "korrekt hest batteri"
FULL_YEAR = TEST_DATA / "u18" / "seed_full_year_2024.xlsx"
BROKEN = TEST_DATA / "u18" / "seed_not_a_number.xlsx"
SEED_TOTALS = [444, 389, 414, 623, 622, 345]  # Grenland 2019-2024 (2024 per 01.08)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("upload")
    db = root / "slt.duckdb"
    others = [SAMPLE / e["file"] for e in manifest() if e["source"] != "u18"]
    assert run_slt("ingest", *others, "--db", db, "--user", "sample").returncode == 0
    for name, role in (("ana", "analyst"), ("vera", "viewer")):
        made = run_slt("user", "add", name, "--role", role, "--password-stdin", "--db", db,
                       input_text=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
    env = {"SLT_ACCESS": "public", "SLT_MAX_UPLOAD_MB": "1",
           "SLT_UPLOAD_DIR": str(root / "pending"), "SLT_USERS": ""}
    with served(db, env=env) as url:
        yield SimpleNamespace(url=url, db=db, pending=root / "pending")


# --- helpers -------------------------------------------------------------------------------

def grenland_totals(db) -> list[int]:
    return [n for (n,) in query(db, "SELECT offences FROM u18_offences WHERE region = 'Grenland' "
                                    "AND crime_type = 'Totalt' AND age = 'Totalt' AND "
                                    "gender = 'Totalt' ORDER BY year")]


def uploads(db) -> list[tuple]:
    return query(db, "SELECT upload_id, file_name, uploaded_by, outcome, rolled_back_at "
                     "FROM uploads ORDER BY upload_id")


def undo_everything_police(db) -> None:
    """Leave the module's database as the fixture made it (no police figures)."""
    for upload_id, _file, _by, outcome, rolled_back in reversed(uploads(db)):
        source = query(db, "SELECT source FROM uploads WHERE upload_id = ?", [upload_id])[0][0]
        if source == "u18" and outcome == "accepted" and rolled_back is None:
            assert run_slt("rollback", upload_id, "--db", db).returncode == 0


def waiting(app) -> set[str]:
    """The names of the uploaded files waiting on the server (for Publiser or Avbryt)."""
    return {p.name for p in app.pending.glob("*.upload*")}


def login(page, url: str, name: str, then: str = "/") -> None:
    page.goto(f"{url}/logg-inn?neste={then}")
    page.fill("#brukernavn", name)
    page.fill("#passord", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(re.escape(url + then) + r"(\?.*)?$"))
    settle(page)


def choose_file(page, path) -> None:
    page.locator("#upload-file input[type=file]").set_input_files(str(path))


def http_session(url: str, name: str | None) -> requests.Session:
    """A plain HTTP client, logged in as ``name`` (or anonymous)."""
    session = requests.Session()
    if name:
        form = session.get(url + "/logg-inn", timeout=10).text
        token = re.search(r'name="csrf" value="([^"]+)"', form)[1]
        answer = session.post(url + "/logg-inn", timeout=10, allow_redirects=False, data={
            "csrf": token, "brukernavn": name, "passord": PASSWORD, "neste": "/"})
        assert answer.status_code == 302, answer.text
    return session


def callback_key(session: requests.Session, url: str, output: str) -> str:
    deps = session.get(url + "/_dash-dependencies", timeout=10).json()
    return next(d["output"] for d in deps if output in d["output"])


def payload(key: str, changed: str, inputs: list, state: list) -> dict:
    """The JSON the browser posts to run the callback ``key``."""
    outputs = []
    for part in key.strip(".").split("..."):
        component, prop = part.rsplit(".", 1)
        outputs.append({"id": component, "property": prop})
    return {"output": key, "outputs": outputs, "changedPropIds": [changed], "inputs": inputs,
            "state": state}


def step_payload(key: str, trigger: str, contents=None, pending=None,
                 file_name="seed.xlsx") -> dict:
    """The Last opp callback: a new file (``upload-file.contents``) or Publiser."""
    return payload(key, trigger, [
        {"id": "upload-file", "property": "contents", "value": contents},
        {"id": "upload-publish", "property": "n_clicks",
         "value": 1 if trigger.startswith("upload-publish") else None},
        {"id": "upload-cancel", "property": "n_clicks", "value": None}], [
        {"id": "upload-file", "property": "filename", "value": file_name},
        {"id": "upload-pending", "property": "data", "value": pending},
        {"id": "upload-region", "property": "value", "value": None},
        {"id": "upload-force", "property": "value", "value": False}])


def data_url(raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


# --- the analyst's yearly update -----------------------------------------------------------

def test_analyst_previews_and_publishes_the_seed_workbook_and_oversikt_shows_it(page, app):
    assert grenland_totals(app.db) == []
    before, already = uploads(app.db), waiting(app)
    try:
        login(page, app.url, "ana", then="/last-opp")
        assert page.get_by_role("link", name="Last opp").is_visible()
        assert "ana (analytiker)" in page.locator("#nav-user").inner_text()
        choose_file(page, SEED_WORKBOOK)
        card = page.locator("#upload-preview-card")
        card.wait_for(timeout=30_000)
        text = card.inner_text()
        assert "Nye år: Grenland 2019, 2020, 2021, 2022, 2023, 2024" in text
        assert "grenland_u18_2019-2024.xlsx" in text and "Politiets U18-tall" in text
        assert re.search(r"Antall tall som lagres\s+123", text)  # (totals given twice: once)
        assert uploads(app.db) == before and grenland_totals(app.db) == []  # only a preview
        assert len(waiting(app) - already) == 2  # the file and its label
        screenshot(page, "last-opp-forhandsvisning")
        page.click("#upload-publish")
        page.locator("#upload-published").wait_for(timeout=30_000)
        assert "Lagret: grenland_u18_2019-2024.xlsx" in page.locator(
            "#upload-published").inner_text()
        assert waiting(app) == already, "the temp file should be gone"
        assert grenland_totals(app.db) == SEED_TOTALS
        [(_id, file_name, by, outcome, _)] = uploads(app.db)[len(before):]
        assert (file_name, by, outcome) == ("grenland_u18_2019-2024.xlsx", "ana", "accepted")

        page.goto(app.url + "/?region=Grenland")
        settle(page)
        (bars,) = figure_data(page, "ov-total-graph")
        assert bars["y"] == SEED_TOTALS
    finally:
        undo_everything_police(app.db)


def test_the_full_year_preview_shows_old_to_new_and_angre_restores_the_figures(page, browser,
                                                                              app):
    assert run_slt("ingest", SEED_WORKBOOK, "--db", app.db, "--user", "ana").returncode == 0
    onlooker = browser.new_page()  # another session, anonymous, open on Oversikt
    try:
        login(page, app.url, "ana", then="/last-opp")
        choose_file(page, FULL_YEAR)
        page.locator("#upload-preview-card").wait_for(timeout=30_000)
        assert "Grenland 2024 går fra delår til 01.08.2024 til helt år" in page.locator(
            "#upload-slices").inner_text()
        rows = [r.inner_text().split("\t") for r in
                page.locator("#upload-changes tbody tr").all()]
        assert ["Grenland", "2024", "Vinning", "73", "150"] in rows
        assert ["Grenland", "2024", "Totalt", "345", "500"] in rows
        page.click("#upload-publish")
        page.locator("#upload-published").wait_for(timeout=30_000)
        assert grenland_totals(app.db)[-1] == 500
        full_year_id = uploads(app.db)[-1][0]

        onlooker.goto(app.url + "/?region=Grenland")
        settle(onlooker)
        wait_for_figure(onlooker, "ov-total-graph")
        assert figure_data(onlooker, "ov-total-graph")[0]["y"][-1] == 500
        page.goto(app.url + "/historikk")
        settle(page)
        row = page.locator(f"#hist-row-{full_year_id}")
        assert "seed_full_year_2024.xlsx" in row.inner_text() and "ana" in row.inner_text()
        sha = query(app.db, "SELECT sha256 FROM uploads WHERE upload_id = ?", [full_year_id])
        assert row.locator("code").get_attribute("title") == f"sha256: {sha[0][0]}"
        row.get_by_role("button", name="Angre").click()
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        assert f"Opplasting {full_year_id} angres" in dialog.inner_text()
        screenshot(page, "historikk-angre")
        dialog.get_by_role("button", name="Ja, angre").click()
        page.locator("#hist-done").wait_for(timeout=30_000)
        assert grenland_totals(app.db) == SEED_TOTALS
        assert "Angret" in page.locator(f"#hist-row-{full_year_id}").inner_text()
        assert page.locator(f"#hist-row-{full_year_id}").get_by_role("button").count() == 0

        # The other open session is told, and a reload shows the restored figures.
        onlooker.locator("#data-version-alert").wait_for(timeout=40_000)
        # The button reloads from a callback, after the click returns: wait for that navigation
        # (waiting for the load state alone could catch the old page).
        with onlooker.expect_navigation(timeout=30_000):
            onlooker.get_by_role("button", name="Oppdater siden").click()
        settle(onlooker)
        wait_for_figure(onlooker, "ov-total-graph")
        assert figure_data(onlooker, "ov-total-graph")[0]["y"] == SEED_TOTALS
    finally:
        onlooker.close()
        undo_everything_police(app.db)


def test_angre_is_refused_in_norwegian_when_a_later_upload_replaced_the_figures(page, app):
    assert run_slt("ingest", SEED_WORKBOOK, "--db", app.db).returncode == 0
    assert run_slt("ingest", FULL_YEAR, "--db", app.db).returncode == 0
    first = uploads(app.db)[-2][0]
    try:
        login(page, app.url, "ana", then="/historikk")
        page.locator(f"#hist-row-{first}").get_by_role("button", name="Angre").click()
        page.get_by_role("dialog").get_by_role("button", name="Ja, angre").click()
        refused = page.locator("#hist-refused")
        refused.wait_for(timeout=30_000)
        assert f"Kan ikke angre: opplasting {first} er senere erstattet av opplasting" in \
            refused.inner_text()
        assert grenland_totals(app.db)[-1] == 500
    finally:
        undo_everything_police(app.db)


def test_a_broken_workbook_shows_the_cell_and_changes_nothing(page, app):
    before, version = snapshot(app.db, skip=()), data_version(app.db)
    already = waiting(app)
    login(page, app.url, "ana", then="/last-opp")
    choose_file(page, BROKEN)
    problems = page.locator("#upload-problems")
    problems.wait_for(timeout=30_000)
    assert ("seed_not_a_number.xlsx, ark «U18 Grenland», celle F13: Vold 2023: «ca. 190» er "
            "ikke et antall") in problems.inner_text()
    assert page.locator("#upload-publish").is_disabled()
    screenshot(page, "last-opp-avvist")
    page.click("#upload-cancel")
    page.locator("#upload-cancelled").wait_for()
    assert waiting(app) == already
    assert data_version(app.db) == version
    assert snapshot(app.db, skip=()) == before  # uploads included: a preview records nothing


def test_a_file_that_is_no_spreadsheet_gets_the_readers_refusal(page, app, tmp_path):
    fake = tmp_path / "tall.xlsx"  # the name says xlsx; the bytes say otherwise
    fake.write_bytes(bytes(range(256)) * 8)
    login(page, app.url, "ana", then="/last-opp")
    choose_file(page, fake)
    problems = page.locator("#upload-problems")
    problems.wait_for(timeout=30_000)
    assert "tall.xlsx: filen er verken et regneark (xlsx, xls, ods) eller tekst" in \
        problems.inner_text()


def test_an_ended_session_says_so_with_a_login_link_instead_of_failing_silently(browser, app):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nb-NO")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        already = waiting(app)
        login(page, app.url, "ana", then="/last-opp")
        context.clear_cookies()  # the session ends (logged out in another tab, say)
        choose_file(page, SEED_WORKBOOK)
        banner = page.locator("#slt-refusal")
        banner.wait_for(timeout=20_000)
        assert "Du er ikke lenger logget inn" in banner.inner_text()
        assert waiting(app) == already  # the refused file was not kept
        screenshot(page, "utlogget")
        banner.get_by_role("link", name="Logg inn igjen").click()
        page.fill("#brukernavn", "ana")
        page.fill("#passord", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(app.url + "/last-opp")  # back where the user was
        settle(page)
        assert page.locator("#upload-file").count() == 1
    finally:
        context.close()
    # The browser itself logs the refused request; nothing else may go wrong.
    assert errors and all("401" in e for e in errors), errors


# --- limits --------------------------------------------------------------------------------

def test_an_oversized_file_is_refused_in_the_browser_with_its_size_and_the_limit(page, app,
                                                                              tmp_path):
    big = tmp_path / "stor.csv"
    big.write_bytes(b"a;b\n" * (1536 * 256))  # 1.5 MB
    already = waiting(app)
    login(page, app.url, "ana", then="/last-opp")
    choose_file(page, big)
    message = page.locator("#upload-size-error")
    page.wait_for_function("() => document.querySelector('#upload-size-error').innerText")
    # It is a CSV already: no «send den som CSV» (a CSV is larger than its workbook anyway).
    assert message.inner_text() == ("«stor.csv» er 1,5 MB, men grensen er 1,0 MB. Filen er ikke "
                                    "lastet opp. Del den opp, for eksempel ett år eller én "
                                    "region per fil, og last opp delene hver for seg.")
    page.wait_for_timeout(500)
    assert waiting(app) == already
    assert page.locator("#upload-preview-card").count() == 0


def test_the_server_checks_the_size_again_and_refuses_huge_requests(app):
    analyst, already = http_session(app.url, "ana"), waiting(app)
    key = callback_key(analyst, app.url, "upload-pending.data")
    over = analyst.post(app.url + "/_dash-update-component", timeout=30, json=step_payload(
        key, "upload-file.contents", contents=data_url(b"x" * (1024 * 1024 + 100_000))))
    assert over.status_code == 200
    assert "Filen er 1,1 MB, men grensen er 1,0 MB" in over.text
    huge = analyst.post(app.url + "/_dash-update-component", timeout=30, json=step_payload(
        key, "upload-file.contents", contents=data_url(b"x" * (3 * 1024 * 1024))))
    assert huge.status_code == 413
    assert waiting(app) == already


# --- viewers and anonymous visitors --------------------------------------------------------

def test_a_viewer_sees_no_upload_pages_and_gets_a_refusal_inside_the_app(page, app):
    login(page, app.url, "vera")
    assert "vera (leser)" in page.locator("#nav-user").inner_text()
    nav = page.get_by_role("navigation").inner_text()
    assert "Oversikt" in nav and "Last opp" not in nav and "Historikk" not in nav
    # Navigating inside the app (no page load) renders the refusal, not the upload UI.
    page.evaluate("window.history.pushState({}, '', '/last-opp');"
                  "window.dispatchEvent(new PopStateEvent('popstate'))")
    page.locator("#ingen-tilgang").wait_for(timeout=20_000)
    assert page.locator("#upload-file").count() == 0


def test_anonymous_visitors_see_no_upload_pages_but_a_login_link(page, app):
    page.goto(app.url + "/")
    settle(page)
    nav = page.get_by_role("navigation")
    assert "Last opp" not in nav.inner_text()
    assert nav.get_by_role("link", name="Logg inn").get_attribute("href") == "/logg-inn"


@pytest.mark.parametrize("who", ["vera", None], ids=["viewer", "anonymous"])
def test_upload_publish_and_rollback_are_refused_when_posted_directly(app, who):
    assert run_slt("ingest", SEED_WORKBOOK, "--db", app.db).returncode == 0
    seed_id = uploads(app.db)[-1][0]
    analyst = http_session(app.url, "ana")
    key = callback_key(analyst, app.url, "upload-pending.data")
    received = analyst.post(app.url + "/_dash-update-component", timeout=30, json=step_payload(
        key, "upload-file.contents", contents=data_url(FULL_YEAR.read_bytes())))
    pending = received.json()["response"]["upload-pending"]["data"]
    try:
        other = http_session(app.url, who)
        refused = 403 if who else 401
        version = data_version(app.db)
        for attempt in (step_payload(key, "upload-publish.n_clicks", pending=pending),
                        step_payload(key, "upload-file.contents",
                                     contents=data_url(FULL_YEAR.read_bytes()))):
            answer = other.post(app.url + "/_dash-update-component", json=attempt, timeout=30)
            assert answer.status_code == refused, answer.text
        undo = callback_key(analyst, app.url, "hist-confirm.is_open")
        answer = other.post(app.url + "/_dash-update-component", timeout=30, json=payload(
            undo, "hist-confirm-yes.n_clicks",
            [[], {"id": "hist-confirm-yes", "property": "n_clicks", "value": 1},
             {"id": "hist-confirm-no", "property": "n_clicks", "value": None}],
            [{"id": "hist-target", "property": "data", "value": seed_id}]))
        assert answer.status_code == refused, answer.text
        unknown = other.post(app.url + "/_dash-update-component", timeout=30,
                             json=payload("..ingen.children..", "ingen.n_clicks", [], []))
        assert unknown.status_code == refused  # deny by default: no such callback
        assert data_version(app.db) == version and grenland_totals(app.db) == SEED_TOTALS
        for path in ("/last-opp", "/historikk"):
            got = other.get(app.url + path, timeout=10, allow_redirects=False)
            assert got.status_code == (403 if who else 302)
            assert "upload-file" not in got.text
            if not who:
                assert got.headers["Location"] == f"/logg-inn?neste={path}"

        # The same publish, posted by the analyst who uploaded the file, does publish:
        # the payload is the real one, so the refusals above are the guard's doing.
        done = analyst.post(app.url + "/_dash-update-component", timeout=60,
                            json=step_payload(key, "upload-publish.n_clicks", pending=pending))
        assert done.status_code == 200 and "upload-published" in done.text
        assert grenland_totals(app.db)[-1] == 500
    finally:
        undo_everything_police(app.db)


# --- a name the readers do not know (slt alias, in the browser) ----------------------------

def offered_to_teach(page, app, path, kind: str, name: str) -> str:
    """Log in as an analyst and choose ``path`` on Last opp: its refusal's text, once the
    form below is filled in from it (only the meaning is left to say)."""
    login(page, app.url, "ana", then="/last-opp")
    choose_file(page, path)
    problems = page.locator("#upload-problems")
    problems.wait_for(timeout=30_000)
    assert page.input_value("#upload-alias-name") == name
    assert page.input_value("#upload-alias-kind") == kind
    return problems.inner_text()


def cancel_and_undo(page, app, already, alias_id) -> None:
    """Cancel the file waiting on the page (nothing left waiting but what was before) and
    roll back the name taught (upload ``alias_id``)."""
    page.click("#upload-cancel")
    page.locator("#upload-cancelled").wait_for()
    assert waiting(app) == already
    assert run_slt("rollback", str(alias_id), "--db", app.db).returncode == 0


def test_an_unknown_crime_type_is_taught_on_the_page_and_the_file_checked_again(page, app,
                                                                                tmp_path):
    path = tmp_path / "skien_2024.csv"
    path.write_text("År;Kommune;Krimtype;Alder;Kjønn;Antall\n"
                    "2024;Skien;Tyveri fra butikk;15;Gutter;4\n", encoding="utf-8")
    already = waiting(app)
    problems = offered_to_teach(page, app, path, "krimtype", "Tyveri fra butikk")
    assert "ukjent krimtype: «Tyveri fra butikk»" in problems
    page.fill("#upload-alias-meaning", "Butikktyveri")  # not a crime type the readers know
    page.click("#upload-alias-save")
    page.locator("#upload-alias-refused").wait_for(timeout=30_000)
    assert "«Butikktyveri» er ingen krimtype" in page.locator("#upload-alias-refused").inner_text()
    page.fill("#upload-alias-meaning", "Vinning")
    page.click("#upload-alias-save")
    page.locator("#upload-alias-saved").wait_for(timeout=30_000)
    assert "«Tyveri fra butikk» betyr nå krimtypen Vinning" in \
        page.locator("#upload-alias-saved").inner_text()
    card = page.locator("#upload-preview-card")  # the same file, checked again: it can be read
    card.wait_for(timeout=30_000)
    assert "Skien" in card.inner_text() and page.locator("#upload-publish").is_enabled()
    screenshot(page, "last-opp-nytt-navn")
    [(alias_id, source)] = query(app.db, "SELECT upload_id, source FROM uploads "
                                         "ORDER BY upload_id DESC LIMIT 1")
    assert source == "alias" and query(app.db, "SELECT kind, alias FROM vocab_aliases") == [
        ("krimtype", "Tyveri fra butikk")]
    cancel_and_undo(page, app, already, alias_id)


def test_an_unknown_region_is_taught_on_the_page_and_the_file_checked_again(page, app,
                                                                            tmp_path):
    path = tmp_path / "befolkning_bo.csv"
    path.write_text("region;år;kjønn;alder;personer\n"
                    "Bø i Telemark;2023;Jenter;15;41\n", encoding="utf-8")
    already = waiting(app)
    problems = offered_to_teach(page, app, path, "region", "Bø i Telemark")
    assert "ukjent region «Bø i Telemark»" in problems
    assert 'slt alias legg-til region "Bø i Telemark"' in problems
    page.fill("#upload-alias-meaning", "Midt-Telemark")
    page.click("#upload-alias-save")
    page.locator("#upload-alias-saved").wait_for(timeout=30_000)
    assert "«Bø i Telemark» betyr nå regionen Midt-Telemark" in \
        page.locator("#upload-alias-saved").inner_text()
    card = page.locator("#upload-preview-card")  # the same file, checked again: it can be read
    card.wait_for(timeout=30_000)
    assert "Midt-Telemark" in card.inner_text() and page.locator("#upload-publish").is_enabled()
    [(alias_id,)] = query(app.db, "SELECT upload_id FROM uploads WHERE source = 'alias' "
                                  "ORDER BY upload_id DESC LIMIT 1")
    cancel_and_undo(page, app, already, alias_id)
