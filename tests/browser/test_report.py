"""The Rapport page and politiråd mode in a real browser against the real server.

The Rapport page must preview the same report ``slt report`` writes and download it (the files
are re-read with python-docx and pypdf); politiråd mode must move one finding at a time with the
keyboard, with the navigation bar hidden.
"""

from __future__ import annotations

import docx
import pytest
from pypdf import PdfReader

from tests.browser.conftest import SCREENSHOTS, VIEWPORT, screenshot, served, settle

pytestmark = pytest.mark.browser

BUILD_TIMEOUT = 90_000  # the first report draws its charts with kaleido (a headless Chromium)
VINNING = ["53", "71", "107", "182", "175", "73"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """This module's own real ``slt serve`` on the bundled sample, so the kaleido builds of the
    reports stay off the server the other browser tests share."""
    with served(tmp_path_factory.mktemp("report-browser") / "slt.duckdb") as url:
        yield url


def open_report(page, base_url: str, query: str = "region=Grenland") -> None:
    page.goto(f"{base_url}/rapport?{query}")
    page.locator("#rap-table-krimtype").wait_for(timeout=BUILD_TIMEOUT)
    settle(page)


def table_rows(page, table_id: str) -> dict[str, list[str]]:
    return page.evaluate("""id => Object.fromEntries(
        Array.from(document.querySelectorAll('#' + id + ' tr')).map(
            tr => Array.from(tr.children).map(c => c.innerText.trim())).map(
            cells => [cells[0], cells.slice(1)]))""", table_id)


def test_rapport_previews_grenlands_report_with_the_seed_tables(page, base_url):
    open_report(page, base_url)
    crimes = table_rows(page, "rap-table-krimtype")
    assert crimes["Vinning"] == VINNING
    assert crimes["Krimtype"][-1] == "2024 (pr. 01.08)"
    ages = table_rows(page, "rap-table-alder_kjonn")
    assert ages["Fordeling jenter/gutter"][0] == "73/371"
    preview = page.locator("#rap-preview").inner_text()
    assert "Registrerte U18-forhold 2019–2024 (pr. 01.08)" in preview
    assert "2024 (pr. 01.08), et delår som ikke kan sammenlignes direkte" in preview
    # The charts are drawn by the browser (PNGs are rendered for the downloads only), each
    # described for screen readers by the report's alt text.
    assert page.locator("#rap-preview img").count() == 0
    charts = page.locator("#rap-preview figure")
    assert charts.count() == 2
    assert page.locator("#rap-preview figure .js-plotly-plot").count() == 2
    described = charts.first.get_attribute("aria-describedby")
    assert page.locator(f"#{described}").inner_text().startswith(
        "Stolpediagram over registrerte U18-forhold i Grenland")
    assert "2024 (pr. 01.08)" in " ".join(
        charts.first.locator(".xtick").all_text_contents())
    screenshot(page, "rapport")


def download(page, fmt: str):
    with page.expect_download(timeout=BUILD_TIMEOUT) as info:
        page.locator(f"#rap-dl-{fmt}").click()
    return info.value


def test_rapport_downloads_a_docx_and_a_pdf_with_the_tables_numbers(page, base_url, tmp_path):
    open_report(page, base_url)
    word = download(page, "docx")
    assert word.suggested_filename == "kunnskapsgrunnlag_grenland_2024.docx"
    document = docx.Document(word.path())
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]]
            for row in document.tables[0].rows}  # the crime-type table (the appendix is last)
    assert rows["Vinning"] == VINNING and rows["Krimtype"][-1] == "2024 (pr. 01.08)"
    assert len(document.inline_shapes) == 2

    pdf = download(page, "pdf")
    assert pdf.suggested_filename == "kunnskapsgrunnlag_grenland_2024.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(str(pdf.path())).pages)
    text = text.replace("\u00a0", " ")
    assert "Vinning 53 71 107 182 175 73" in text
    assert "2024 (pr. 01.08)" in text and "Økonomi" in text
    assert "Lastet ned kunnskapsgrunnlag_grenland_2024.pdf" in page.locator(
        "#rap-download-status").inner_text()


def test_rapport_passes_the_suppression_threshold_to_preview_and_csv(page, base_url):
    open_report(page, base_url, "region=Grenland&aar=2022&skjul=5")
    crimes = table_rows(page, "rap-table-krimtype")
    assert crimes["Krimtype"] == ["2019", "2020", "2021", "2022"]
    assert crimes["Undersøkelsessaker"] == ["<5", "<5", "<5", "–"]  # 3, 1, 1, none
    assert crimes["Vinning"] == VINNING[:4]  # larger counts stay exact
    assert "Antall fra 1 til 4 vises som «<5»" in page.locator("#rap-preview").inner_text()
    csv = download(page, "csv").path().read_text(encoding="utf-8-sig")
    assert "krimtype;Undersøkelsessaker;2019;<5" in csv
    assert "krimtype;Vinning;2022;182" in csv
    assert "krimtype;Undersøkelsessaker;2019;3" not in csv


def open_deck(page, base_url: str) -> None:
    page.goto(f"{base_url}/politirad?region=Grenland&present=1")
    page.locator("#pr-deck[data-ready]").wait_for(timeout=30_000)
    settle(page)


def active(page, part: str = ".pr-title") -> str:
    return page.locator(f".pr-slide.active {part}").inner_text()


def test_politirad_moves_one_finding_at_a_time_with_the_keyboard(page, base_url):
    open_deck(page, base_url)
    count = int(page.locator("#pr-deck").get_attribute("data-count"))
    assert count >= 3
    assert page.locator("#pr-counter").inner_text() == f"1 / {count}"
    first = active(page)
    assert first == "U18-forhold i alt"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.locator("#pr-counter").inner_text() == f"3 / {count}"
    third = active(page)
    page.keyboard.press("ArrowLeft")
    assert page.locator("#pr-counter").inner_text() == f"2 / {count}"
    second = active(page)
    assert len({first, second, third}) == 3
    assert page.locator(".pr-slide.active").count() == 1
    assert not page.locator("nav.navbar").is_visible()
    assert page.evaluate("document.body.classList.contains('politirad-present')")
    for key, expected in (("End", count), ("PageUp", count - 1), ("Home", 1), ("PageDown", 2),
                          ("Space", 3)):
        page.keyboard.press(key)
        assert page.locator("#pr-counter").inner_text() == f"{expected} / {count}", key


def test_politirad_slides_show_region_data_version_and_the_partial_year(page, base_url):
    open_deck(page, base_url)
    footer = active(page, ".pr-footer")
    assert "Grenland" in footer and "Dataversjon: opplasting" in footer
    assert active(page, ".pr-figure") == "622"
    page.keyboard.press("End")  # the sample's example goals come last
    assert active(page) == "Planens mål – SLT-plan 2025-2029"
    assert "Vinning: for tidlig å si" in active(page, ".pr-items")
    page.keyboard.press("ArrowLeft")
    assert active(page) == "U18-forhold i alt, 2024 (pr. 01.08)"
    assert "er ikke et helt år" in active(page, ".pr-partial")
    assert "Anslag for hele året" in active(page, ".pr-sentence")
    page.keyboard.press("Home")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert page.viewport_size == VIEWPORT
    page.screenshot(path=str(SCREENSHOTS / "politirad_slide_1366x768.png"))
    # The chart of the first slide is drawn, with the partial year labelled on its axis.
    ticks = page.locator(".pr-slide.active .xtick").all_text_contents()
    assert any("pr. 01.08" in t for t in ticks)


def test_politirad_start_link_opens_the_presentation_and_escape_leaves_it(page, base_url):
    page.goto(f"{base_url}/politirad?region=Grenland")
    settle(page)
    assert page.locator("nav.navbar").is_visible()
    assert "U18-forhold i alt: 622 i 2023" in page.locator("#pr-list").inner_text()
    page.locator("#pr-start").click()
    page.locator("#pr-deck[data-ready]").wait_for(timeout=30_000)
    assert "present=1" in page.url and "region=Grenland" in page.url
    assert not page.locator("nav.navbar").is_visible()
    page.keyboard.press("Escape")
    page.locator("#pr-list").wait_for()
    assert "present" not in page.url
    assert page.locator("nav.navbar").is_visible()
