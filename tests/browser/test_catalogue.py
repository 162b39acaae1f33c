"""The open indicator catalogue in a real browser: an FHI export with an indicator nobody has
catalogued is previewed and published on Last opp, is on the Ungdata page at once, and is
catalogued on Indikatorkatalog without touching the package; viewers cannot save entries."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.browser.conftest import figure_data, served, settle
from tests.browser.test_upload import PASSWORD, callback_key, choose_file, http_session, login
from tests.browser.test_upload import payload as callback_payload
from tests.conftest import TEST_DATA, query, run_slt

pytestmark = pytest.mark.browser

FORNOYD = TEST_DATA / "exports" / "fhi_kommunehelsa_fornoyd_livet.csv"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("katalog")
    db = root / "slt.duckdb"
    assert run_slt("ingest", TEST_DATA / "ungdata" / "tidy_porsgrunn.csv", "--db", db
                   ).returncode == 0
    for name, role in (("ana", "analyst"), ("vera", "viewer")):
        made = run_slt("user", "add", name, "--role", role, "--password-stdin", "--db", db,
                       input_text=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
    env = {"SLT_ACCESS": "public", "SLT_UPLOAD_DIR": str(root / "pending"), "SLT_USERS": ""}
    with served(db, env=env) as url:
        yield SimpleNamespace(url=url, db=db)


def test_a_new_indicator_is_published_shown_and_catalogued_in_the_browser(page, app):
    login(page, app.url, "ana", then="/last-opp")
    choose_file(page, FORNOYD)
    card = page.locator("#upload-preview-card")
    card.wait_for(timeout=30_000)
    assert "Indikatorer fra FHI Kommunehelsa (statistikkbankens tabell)" in card.inner_text()
    assert "nye indikatorer som ikke er katalogisert ennå: «Fornøyd med livet" in (
        card.inner_text())
    page.click("#upload-publish")
    page.locator("#upload-new-indicators").wait_for(timeout=30_000)
    [(indicator,)] = query(app.db, "SELECT indicator FROM indicators WHERE NOT catalogued")

    # Right after Publiser, on Last opp itself: the entry's form, filled from the file.
    editor = page.locator("#upload-catalogue")
    editor.wait_for()
    settle(page)
    assert page.locator("#katalog-label").input_value().startswith("Fornøyd med livet")
    page.fill("#katalog-label", "Fornøyd med livet")
    page.locator("#katalog-theme").click()
    page.get_by_role("option", name="psykisk helse").click()
    page.locator("#katalog-higher").get_by_text("ja", exact=True).click()
    page.click("#katalog-save")
    page.locator("#katalog-saved").wait_for(timeout=30_000)
    assert query(app.db, "SELECT label, theme, higher_is_better, crime_types, catalogued FROM "
                         "indicators WHERE indicator = ?", [indicator]) == [
        ("Fornøyd med livet", "psykisk helse", True, [], True)]

    # On the Ungdata page at once, under its new name.
    page.goto(f"{app.url}/ungdata?region=Porsgrunn&indikator={indicator}")
    settle(page)
    assert "Fornøyd med livet" in page.locator("#ung-indicator").inner_text()

    # The catalogue view: the same entry, completed with a police crime type.
    page.goto(f"{app.url}/katalog?indikator={indicator}")
    settle(page)
    assert "katalogisert" in page.locator("#katalog-table").inner_text()
    assert page.locator("#katalog-label").input_value() == "Fornøyd med livet"
    page.locator("#katalog-crime-types").get_by_text("Vold", exact=True).click()
    page.click("#katalog-save")
    page.locator("#katalog-saved").wait_for(timeout=30_000)
    assert query(app.db, "SELECT crime_types FROM indicators WHERE indicator = ?",
                 [indicator]) == [(["Vold"],)]
    assert query(app.db, "SELECT source, uploaded_by FROM uploads WHERE source = 'catalogue' "
                         "ORDER BY upload_id") == [("catalogue", "ana")] * 2


@pytest.mark.parametrize("who", ["vera", None], ids=["viewer", "anonymous"])
def test_saving_an_entry_is_refused_to_anyone_but_an_analyst(app, who):
    analyst = http_session(app.url, "ana")
    key = callback_key(analyst, app.url, "katalog-message.children")
    before = query(app.db, "SELECT * FROM indicators ORDER BY indicator")
    answer = http_session(app.url, who).post(
        app.url + "/_dash-update-component", timeout=30, json=callback_payload(
            key, "katalog-save.n_clicks",
            [{"id": "katalog-save", "property": "n_clicks", "value": 1}],
            [{"id": "katalog-indicator", "property": "value", "value": "naskeri"},
             {"id": "katalog-label", "property": "value", "value": "Hacket"},
             {"id": "katalog-theme", "property": "value", "value": "rus"},
             {"id": "katalog-higher", "property": "value", "value": "ja"},
             {"id": "katalog-crime-types", "property": "value", "value": []}]))
    assert answer.status_code == (403 if who else 401), answer.text
    assert query(app.db, "SELECT * FROM indicators ORDER BY indicator") == before
    page = http_session(app.url, who).get(app.url + "/katalog", timeout=10,
                                          allow_redirects=False)
    assert page.status_code == (403 if who else 302) and "katalog-save" not in page.text


def test_a_rate_per_100000_is_charted_with_its_unit_on_the_ungdata_page(page, app):
    rate = TEST_DATA / "exports" / "fhi_kommunehelsa_skader_per_100000.csv"
    assert run_slt("ingest", rate, "--db", app.db).returncode == 0
    page.goto(f"{app.url}/ungdata?region=Skien&indikator=skader_behandlet_i_sykehus_0_24_aar")
    settle(page)
    traces = {t["name"]: t["y"] for t in figure_data(page, "ung-trend-graph")}
    assert traces["Skien"] == [1402.0] and traces["Hele landet"] == [1234.5, 1210.0]
    card = page.locator("#ung-trend-title").inner_text()
    assert "1\u00a0402,0 per 100 000 i Skien (2019-2021) mot 1\u00a0234,5 per 100 000" in card
    assert "%" not in card

    page.goto(f"{app.url}/sammenlign?region=Skien&kart=ind:skader_behandlet_i_sykehus_0_24_aar")
    settle(page)
    assert "(per 100 000)" in page.locator("#sam-map-measure").inner_text()
    assert page.locator("#sam-kart-title").inner_text() == (
        "Skien: 1\u00a0402,0 – nr. 1 av 1 kommune (2019-2021)")  # (not «1 kommuner»)


def test_a_crime_type_taught_with_ny_can_be_chosen_for_an_entry(page, app):
    assert run_slt("alias", "legg-til", "krimtype", "Ran", "--ny", "--db", app.db
                   ).returncode == 0
    [(indicator,)] = query(app.db, "SELECT min(indicator) FROM indicators")
    login(page, app.url, "ana", then=f"/katalog?indikator={indicator}")
    settle(page)
    page.locator("#katalog-crime-types").get_by_text("Ran", exact=True).click()
    page.click("#katalog-save")
    page.locator("#katalog-saved").wait_for(timeout=30_000)
    [(chosen,)] = query(app.db, "SELECT crime_types FROM indicators WHERE indicator = ?",
                        [indicator])
    assert "Ran" in chosen
