"""Every page in a real browser: loads cleanly, reacts to choices, keeps them in the URL."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import choose, figure_data, screenshot, settle, wait_for_figure

pytestmark = pytest.mark.browser

PAGES = [("oversikt", "/?region=Grenland", "Oversikt", "ov-total-graph"),
         ("ungdomskriminalitet", "/ungdomskriminalitet?region=Grenland", "Ungdomskriminalitet",
          "krim-typer-graph"),
         ("ungdata", "/ungdata?region=Porsgrunn", "Ungdata", "ung-trend-graph"),
         ("sammenlign", "/sammenlign?region=Grenland", "Sammenlign", "sam-rater-graph"),
         ("om-dataene", "/om-dataene", "Om dataene", None)]


@pytest.mark.parametrize(("name", "path", "heading", "graph"), PAGES, ids=[p[0] for p in PAGES])
def test_page_loads_with_a_chart_and_no_console_errors(page, base_url, name, path, heading,
                                                       graph):
    page.goto(base_url + path)
    settle(page)
    assert page.locator("h1").first.inner_text() == heading
    assert page.locator("html").get_attribute("lang") == "nb"
    if graph:
        traces = figure_data(page, graph)
        assert traces and any(t["y"] for t in traces), f"{graph} has no data"
    screenshot(page, name)


def test_the_navigation_carries_the_region_and_years(page, base_url):
    page.goto(base_url + "/?region=Grenland&fra=2020&til=2023")
    settle(page)
    page.get_by_role("link", name="Ungdomskriminalitet").click()
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    assert query["region"] == ["Grenland"] and query["fra"] == ["2020"]
    assert query["til"] == ["2023"]


def test_changing_the_years_updates_the_chart_and_the_url(page, base_url):
    page.goto(base_url + "/ungdomskriminalitet?region=Grenland")
    settle(page)
    assert figure_data(page, "krim-typer-graph")[0]["x"][0] == 2019
    page.locator("#global-years [role=slider][aria-label='År, fra']").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('fra') === '2021'")
    # The address changes before the chart's callback is sent: wait for the redraw itself.
    page.wait_for_function("""() => {
        const gd = document.querySelector('#krim-typer-graph .js-plotly-plot');
        return gd && gd._fullData && gd._fullData.length && gd._fullData[0].x[0] === 2021;
    }""", timeout=20_000)
    settle(page)
    assert figure_data(page, "krim-typer-graph")[0]["x"][0] == 2021


def test_a_server_error_is_said_and_goes_once_the_server_answers_again(browser, base_url):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nb-NO")
    page = context.new_page()  # not the ``page`` fixture: the 502s are console errors here
    try:
        page.goto(base_url + "/?region=Grenland")
        settle(page)
        # What a proxy answers while the server restarts.
        page.route("**/_dash-update-component*",
                   lambda route: route.fulfill(status=502, body="Bad Gateway"))
        choose(page, "global-region", "Porsgrunn", "Porsgrunn (kommune)")
        banner = page.locator("#slt-refusal")
        banner.wait_for(timeout=20_000)
        assert "Serveren kunne ikke svare nå (feil 502)" in banner.inner_text()
        assert banner.get_by_role("button", name="Last siden på nytt").is_visible()
        page.unroute("**/_dash-update-component*")
        choose(page, "global-region", "Skien", "Skien (kommune)")
        banner.wait_for(state="detached", timeout=20_000)
    finally:
        context.close()


def test_changing_the_region_updates_the_chart(page, base_url):
    page.goto(base_url + "/?region=Grenland")
    settle(page)
    assert "Grenland" in page.locator("#ov-total-title").inner_text()
    choose(page, "global-region", "Porsgrunn", "Porsgrunn (kommune)")
    page.wait_for_function("() => new URLSearchParams(location.search).get('region') === "
                           "'Porsgrunn'")
    page.wait_for_function("() => (document.querySelector('#ov-total-empty') || {})"
                           ".innerText?.includes('Porsgrunn')", timeout=20_000)
    settle(page)
    empty = page.locator("#ov-total-empty").inner_text()
    assert "Ingen politi-tall for Porsgrunn" in empty and "Se Grenland" in empty
    assert "slt ingest" in page.locator("#ov-headline").inner_text()  # how to load: once
    assert not page.locator("#ov-total-graph").is_visible()


def test_the_partial_year_is_drawn_and_labelled_as_partial(page, base_url):
    page.goto(base_url + "/?region=Grenland")
    settle(page)
    (bars,) = figure_data(page, "ov-total-graph")
    assert bars["pattern"][-1] == "/" and set(bars["pattern"][:-1]) == {""}
    assert bars["customdata"][-1] == "2024 (pr. 01.08)"
    assert "pr. 01.08" in page.locator("#ov-total-graph .xtick").last.text_content()
    assert "delår" in page.locator("#ov-total-note").inner_text()
    # The headline compares the last two *full* years, never 2024 (partial) with 2023.
    assert "622 i 2023 mot 623 i 2022" in page.locator("#ov-total-title").inner_text()


def test_csv_download_holds_exactly_the_plotted_numbers(page, base_url):
    page.goto(base_url + "/?region=Grenland")
    settle(page)
    (bars,) = figure_data(page, "ov-total-graph")
    with page.expect_download() as info:
        page.get_by_role("button", name="Last ned CSV").first.click()
    text = open(info.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["År"] for r in rows] == bars["customdata"]
    assert [int(r["Antall forhold"]) for r in rows] == bars["y"]
    assert info.value.suggested_filename == "u18_totalt_Grenland.csv"


def test_a_deep_link_reproduces_the_view(page, base_url):
    link = ("/ungdomskriminalitet?region=Grenland&fra=2020&til=2023&krimtype=Vinning"
            "&maal=antall&visning=stolper")
    page.goto(base_url + link)
    settle(page)
    traces = figure_data(page, "krim-typer-graph")
    assert [t["name"] for t in traces] == ["Vinning"]
    assert traces[0]["type"] == "bar"
    assert traces[0]["x"] == [2020, 2021, 2022, 2023]
    assert traces[0]["y"] == [71, 107, 182, 175]
    assert page.locator("#global-years [role=slider][aria-label='År, fra']").get_attribute(
        "aria-valuenow") == "2020"
    screenshot(page, "deep-link-vinning")


def test_choices_made_on_the_page_survive_a_reload(page, base_url):
    page.goto(base_url + "/ungdomskriminalitet?region=Grenland")
    settle(page)
    page.get_by_label("Stablede stolper").check()
    page.wait_for_function("() => location.search.includes('visning=stolper')")
    settle(page)
    before = figure_data(page, "krim-typer-graph")
    page.reload()
    settle(page)
    after = figure_data(page, "krim-typer-graph")
    assert [t["type"] for t in after] == ["bar"] * len(after)
    assert [(t["name"], t["y"]) for t in after] == [(t["name"], t["y"]) for t in before]


def test_the_table_alternative_shows_the_numbers(page, base_url):
    page.goto(base_url + "/?region=Grenland")
    settle(page)
    page.get_by_text("Vis tallene som tabell").first.click()
    table = page.locator("#ov-total-table table")
    assert table.is_visible()
    assert "2024 (pr. 01.08)" in table.inner_text() and "345" in table.inner_text()


def test_ungdata_indicator_change_and_link_to_the_police_figures(page, base_url):
    page.goto(base_url + "/ungdata?region=Porsgrunn&indikator=fornoyd_helse")
    settle(page)
    names = {t["name"] for t in figure_data(page, "ung-trend-graph")}
    assert names == {"Porsgrunn", "Telemark", "Hele landet"}
    choose(page, "ung-indicator", "nasket", "Kriminalitet og vold · Har nasket i butikk siste år")
    page.wait_for_function("() => location.search.includes('indikator=naskeri')")
    settle(page)
    assert "nasket" in page.locator("#ung-trend-title").inner_text()
    page.get_by_text("Se politiets tall: Vinning").click()
    settle(page)
    assert urlparse(page.url).path == "/ungdomskriminalitet"
    assert "Vinning" in page.locator("#krim-types").inner_text()
    # Porsgrunn has survey figures but no police figures of its own in the sample: say so.
    assert "Ingen politi-tall for Porsgrunn" in page.locator("#krim-typer-empty").inner_text()


def test_ungdata_theme_narrows_the_indicators_and_the_school_level_is_shown(page, base_url):
    page.goto(base_url + "/ungdata?region=Porsgrunn&indikator=fornoyd_helse")
    settle(page)
    level = page.locator("#ung-level")
    assert "Ungdomsskole" in level.inner_text()
    choose(page, "ung-theme", "Mob", "Mobbing")
    page.wait_for_function("() => location.search.includes('tema=mobbing')")
    settle(page)
    page.locator("#ung-indicator").click()
    page.get_by_role("option").first.wait_for(timeout=5_000)  # the menu is drawn after the click
    labels = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert labels and all(label.startswith("Mobbing · ") for label in labels), labels
    # The chosen indicator followed the theme, and so did the chart and the school level.
    assert "mobbet" in page.locator("#ung-trend-title").inner_text().lower()
    assert "Barneskole" in level.inner_text()
    assert "trinn=Barneskole" in page.url


def test_the_map_draws_every_kommune_and_outlines_the_region(page, base_url):
    page.goto(base_url + "/sammenlign?region=Skien")
    settle(page)
    traces = figure_data(page, "sam-kart-graph")
    assert "Valgt region" in [t["name"] for t in traces]
    assert len(traces[-1]["customdata"]) > 300  # one hover point per kommune with a figure
    assert "Skien" in page.locator("#sam-kart-title").inner_text()


SURVEY_REGIONS = ["Grenland", "Telemark", "Sør-Øst politidistrikt", "Porsgrunn"]


@pytest.mark.parametrize("region", SURVEY_REGIONS)
def test_every_kind_of_region_opens_ungdata_on_figures_with_its_kommuner_side_by_side(
        page, base_url, region):
    page.goto(f"{base_url}/ungdata?region={region}")
    settle(page)
    assert page.locator("#ung-trend-empty").inner_text() == ""
    assert any(t["y"] for t in figure_data(page, "ung-trend-graph"))
    dots = figure_data(page, "ung-kommuner-graph")
    named = {name for trace in dots for name in trace["y"]}
    assert "Hele landet" in named and len(named) >= 3
    if region == "Grenland":
        assert {"Bamble", "Porsgrunn", "Siljan", "Skien", "Telemark"} <= named
        assert "kommunene i Grenland" in page.locator("#ung-kommuner-title").inner_text()
    screenshot(page, f"ungdata-{region}".replace(" ", "_"))


@pytest.mark.parametrize("region", SURVEY_REGIONS)
def test_oversikts_survey_card_has_figures_for_every_kind_of_region(page, base_url, region):
    page.goto(f"{base_url}/?region={region}")
    settle(page)
    card = page.locator("#ov-survey")
    assert "Ingen Ungdata-tall" not in card.inner_text()
    if region in ("Grenland", "Sør-Øst politidistrikt"):  # no survey figures of their own
        named = {name for trace in figure_data(page, "ov-survey-graph") for name in trace["y"]}
        assert "Hele landet" in named and "Skien" in named
    else:
        assert "i landet" in card.inner_text()
    screenshot(page, f"oversikt-{region}".replace(" ", "_"))


_MAP_WIDTH = """() => { const r = document.querySelector('#sam-kart-graph .js-plotly-plot')
                          ._fullLayout.xaxis.range; return r[1] - r[0]; }"""


def test_the_map_follows_the_region_and_can_show_the_whole_country(page, base_url):
    page.goto(base_url + "/sammenlign?region=Grenland")
    settle(page)
    wait_for_figure(page, "sam-kart-graph")
    assert page.evaluate(_MAP_WIDTH) < 3  # Grenland's kommuner, not all of Norway
    assert "kartet viser området rundt" in page.locator("#sam-kart-note").inner_text()
    screenshot(page, "sammenlign-kart-grenland")
    page.get_by_label("Hele landet").check()
    page.wait_for_function("() => new URLSearchParams(location.search).get('utsnitt') === 'land'")
    page.wait_for_function(_MAP_WIDTH.replace("return r[1] - r[0];", "return r[1] - r[0] > 20;"),
                           timeout=20_000)
    settle(page)
    page.goto(base_url + "/sammenlign?region=Porsgrunn")  # a kommune: its fylke
    settle(page)
    wait_for_figure(page, "sam-kart-graph")
    assert 3 < page.evaluate(_MAP_WIDTH) < 10
