"""Universell utforming: every page, for every kind of region, has no WCAG 2.1 A/AA violation
that axe-core finds, can be used with the keyboard, and gives its charts a text alternative.

axe-core (MPL-2.0) is vendored in ``tests/browser/vendor/`` so the check needs no download.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import screenshot, settle, wait_for_figure
from tests.browser.test_upload import PASSWORD, choose_file, login
from tests.conftest import run_slt

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ANALYST = "tilgjengelig"

# One region of each kind: a group, a fylke, a politidistrikt and a single kommune.
REGIONS = ["Grenland", "Telemark", "Sør-Øst politidistrikt", "Porsgrunn"]
REGION_PAGES = ["/", "/ungdomskriminalitet", "/ungdata", "/sammenlign", "/rapport", "/maal",
                "/politirad", "/politirad?present=1"]
OTHER_PAGES = ["/om-dataene", "/finnes-ikke"]


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    page.add_script_tag(content=AXE)
    return page.evaluate(
        """async tags => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(' '))}));
        }""", WCAG_21_AA)


def _open(page, url: str) -> None:
    page.goto(url)
    settle(page)


def _slug(path: str, region: str) -> str:
    name = path.strip("/").replace("?present=1", "-present") or "oversikt"
    return f"a11y-{name}-{region}".replace(" ", "_")


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("path", REGION_PAGES)
def test_every_page_has_no_wcag_violation_for_every_kind_of_region(page, base_url, path,
                                                                  region):
    joiner = "&" if "?" in path else "?"
    _open(page, f"{base_url}{path}{joiner}region={region}")
    violations = axe_violations(page)
    if violations:
        screenshot(page, _slug(path, region))
    assert violations == []
    # A figure named by its card's title holds a chart; a card with nothing to show has none
    # (it was an empty figure, its chart hidden inside it).
    assert page.evaluate("""() => [...document.querySelectorAll('figure')]
        .filter(f => f.offsetParent !== null)
        .filter(f => ![...f.querySelectorAll('.js-plotly-plot')].some(g => g.offsetParent))
        .map(f => f.getAttribute('aria-labelledby'))""") == []


@pytest.mark.parametrize("path", OTHER_PAGES)
def test_pages_without_a_region_have_no_wcag_violation(page, base_url, path):
    _open(page, base_url + path)
    assert axe_violations(page) == []


def test_the_login_page_has_no_wcag_violation(page, base_url):
    page.goto(base_url + "/logg-inn")  # plain HTML from Flask, no Dash
    assert axe_violations(page) == []


@pytest.fixture(scope="module")
def analyst(sample_app):
    made = run_slt("user", "add", ANALYST, "--role", "analyst", "--password-stdin", "--db",
                   sample_app.db, input_text=PASSWORD + "\n")
    assert made.returncode == 0 or "finnes" in made.stderr, made.stderr
    return ANALYST


@pytest.mark.parametrize("path", ["/last-opp", "/historikk", "/katalog", "/grupper"])
def test_the_analyst_pages_have_no_wcag_violation(page, base_url, analyst, path):
    login(page, base_url, analyst, path)
    assert page.locator("h1").first.inner_text() in {"Last opp", "Historikk", "Indikatorkatalog",
                                                     "Regiongrupper"}
    assert axe_violations(page) == []


def test_last_opp_with_a_file_waiting_has_no_wcag_violation(page, base_url, analyst, tmp_path):
    """With a file waiting (here one refused), «Avbryt» is enabled: its outline grey reached
    only 4.4:1 on the page's light grey."""
    path = tmp_path / "uten_region.csv"
    path.write_text("Krimtype;2021;2022\nVold;5;6\nVinning;3;4\n", encoding="utf-8")
    login(page, base_url, analyst, "/last-opp")
    choose_file(page, path)
    page.wait_for_selector("#upload-refusal")
    page.wait_for_selector("#upload-cancel:not([disabled])")
    settle(page)
    assert axe_violations(page) == []


def test_the_axe_check_finds_an_unlabelled_input_and_low_contrast(page):
    """The check above can fail: on a tiny page with known faults it reports them."""
    page.set_content("""<!DOCTYPE html><html lang="nb"><head><title>Feil</title></head>
        <body><main><h1>Feil med vilje</h1><input type="text">
        <p style="color:#aaaaaa;background:#ffffff">Lys grå tekst</p></main></body></html>""")
    found = {v["id"] for v in axe_violations(page)}
    assert {"label", "color-contrast"} <= found


def test_the_keyboard_reaches_every_control_and_shows_where_it_is(page, base_url):
    _open(page, base_url + "/ungdata?region=Porsgrunn")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("""() => {
            const a = document.activeElement;
            return {tag: a.tagName, id: a.id,
                    text: (a.getAttribute('aria-label') || a.textContent).trim(),
                    outline: getComputedStyle(a).outlineStyle,
                    hidden: a.closest('[aria-hidden=true]') !== null};
        }"""))
    ids = [r["id"] for r in reached]
    assert reached[0]["text"] == "Hopp til innholdet"
    assert {"global-region", "ung-theme", "ung-indicator"} <= set(ids)
    assert ids.index("global-region") < ids.index("ung-theme") < ids.index("ung-indicator")
    assert "Last ned CSV" in [r["text"] for r in reached]
    assert not any(r["hidden"] for r in reached), "focus landed on a hidden element"
    assert all(r["outline"] != "none" for r in reached if r["tag"] != "BODY")


def test_a_dropdown_opens_and_chooses_with_the_keyboard_only(page, base_url):
    _open(page, base_url + "/ungdata?region=Porsgrunn")
    page.focus("#global-region")
    page.keyboard.press("Enter")  # opens the list on the chosen option
    page.wait_for_function("() => document.activeElement.closest('[role=option]')"
                           "?.textContent === 'Porsgrunn (kommune)'")
    focused = "Porsgrunn (kommune)"
    for _ in range(5):  # the list may still be putting the focus on the chosen option
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(200)
        focused = page.evaluate("document.activeElement.closest('[role=option]')?.textContent")
        if focused != "Porsgrunn (kommune)":
            break
    assert focused and focused != "Porsgrunn (kommune)"
    page.keyboard.press("Enter")
    name = focused.rsplit(" (", 1)[0]
    page.wait_for_function("name => new URLSearchParams(location.search).get('region') === name",
                           arg=name)


def test_the_year_slider_is_named_in_norwegian_and_moves_with_the_arrow_keys(page, base_url):
    _open(page, base_url + "/ungdomskriminalitet?region=Grenland")
    assert page.locator("#global-years input[aria-label='År, fra']").count() == 1
    assert page.locator("#global-years input[aria-label='År, til']").count() == 1
    page.locator("#global-years [role=slider][aria-label='År, til']").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => new URLSearchParams(location.search).get('til') === '2023'")


def test_every_chart_has_a_text_alternative_that_names_its_numbers(page, base_url):
    _open(page, base_url + "/?region=Grenland")
    wait_for_figure(page, "ov-total-graph")
    figure = page.locator("#ov-total-card figure")
    summary = figure.locator("figcaption").inner_text()
    assert figure.get_attribute("aria-labelledby") == "ov-total-title ov-total-summary"
    assert "2019" in summary and "444" in summary and "pr. 01.08" in summary


def test_a_charts_tool_bar_only_downloads_a_png_named_after_the_chart_in_norwegian(page,
                                                                                    base_url):
    """No «Share chart» (Plotly Cloud) button, no zoom or pan; the one button has a Norwegian
    name and saves the PNG under the chart's name, not «plot-image.png»."""
    _open(page, base_url + "/?region=Grenland")
    wait_for_figure(page, "ov-total-graph")
    graph = page.locator("#ov-total-graph")
    graph.hover()
    buttons = graph.locator(".modebar-btn")
    titles = [buttons.nth(i).get_attribute("data-title") for i in range(buttons.count())]
    assert titles == ["Last ned figuren som PNG"]
    assert graph.locator("[data-title*='Share'], [data-title*='Zoom'], "
                         "[data-title*='Pan'], [data-title*='Reset']").count() == 0
    with page.expect_download() as download:
        buttons.first.click()
    assert download.value.suggested_filename == "u18_totalt_Grenland.png"


def test_every_presentation_chart_is_a_figure_named_by_its_title_and_numbers(page, base_url):
    _open(page, base_url + "/politirad?present=1&region=Grenland")
    charts = page.evaluate("""() => [...document.querySelectorAll('.pr-chart')].map(c => {
        const figure = c.closest('figure');
        const ids = figure ? (figure.getAttribute('aria-labelledby') || '').split(' ') : [];
        return {title: c.closest('.pr-slide').querySelector('h2').textContent,
                name: ids.map(id => document.getElementById(id)?.textContent || '')};
    })""")
    assert len(charts) >= 3
    for chart in charts:
        title, *summary = chart["name"]
        assert title == chart["title"]
        assert summary and summary[0].startswith("Diagram over antall forhold"), chart
    assert any("2024 (pr. 01.08) 345" in c["name"][-1] for c in charts)


def test_a_multiple_choice_and_an_open_dropdown_are_named_as_they_read(page, base_url):
    """Three regions chosen: the button's name reads its visible text in order (it put «3
    valgt» first: label-content-name-mismatch); the open list is named by the label."""
    _open(page, base_url + "/sammenlign?region=Grenland&regioner=Grenland,Skien,Bamble")
    assert axe_violations(page) == []
    page.locator("#sam-regions").click()
    page.locator(".dash-dropdown-content [role=listbox]").wait_for()
    found = {v["id"] for v in axe_violations(page)}
    # Left: each option of Dash 4's list is a <label role=option> around the check box the
    # arrow keys focus (nested-interactive), which no prop or script can change without
    # breaking the keyboard.
    assert found <= {"nested-interactive"}
    page.keyboard.press("Escape")


def test_the_states_after_a_group_is_made_and_undone_have_no_wcag_violation(page, base_url,
                                                                             analyst):
    """Grupper with three kommuner chosen, Historikk's «Angre?» dialog (named by its title, a
    Norwegian close button) and the «Angret» badge afterwards (white on yellow: 1.63:1)."""
    login(page, base_url, analyst, "/grupper")
    page.fill("#grupper-name", "Tilgjengelig gruppe")
    for name in ["Porsgrunn", "Skien", "Bamble"]:
        page.locator("#grupper-members").click()
        page.locator(".dash-dropdown-search").fill(name)
        page.get_by_role("option", name=name, exact=True).click()
        page.keyboard.press("Escape")
    settle(page)
    assert axe_violations(page) == []
    page.click("#grupper-save")
    page.wait_for_selector("#grupper-done")
    page.goto(base_url + "/historikk")
    settle(page)
    row = page.locator("tr[id^=hist-row-]").filter(has_text="Tilgjengelig gruppe").first
    row.get_by_role("button", name="Angre").click()
    dialog = page.get_by_role("dialog", name="Angre opplasting?")
    dialog.wait_for()
    settle(page)
    assert axe_violations(page) == []
    assert dialog.get_by_role("button", name="Close").count() == 0
    dialog.get_by_role("button", name="Ja, angre").click()
    page.wait_for_selector("#hist-done")
    settle(page)
    assert "Angret" in row.inner_text()
    assert axe_violations(page) == []


def test_the_message_for_a_file_over_the_limit_has_no_wcag_violation(page, base_url, analyst,
                                                                     tmp_path):
    """Bootstrap's red on the page's light grey was 4.26:1."""
    big = tmp_path / "stor.csv"
    with big.open("wb") as out:
        out.truncate(21 * 1024 * 1024)  # over the default 20 MB
    login(page, base_url, analyst, "/last-opp")
    choose_file(page, big)
    page.wait_for_function("() => document.querySelector('#upload-size-error').innerText")
    assert axe_violations(page) == []
