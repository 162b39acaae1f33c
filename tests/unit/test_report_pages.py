"""The Rapport and Politiråd pages in-process (no browser): the preview is built from the
report's blocks with text kept as text, downloads are complete files, choices from the URL are
checked, and a region without figures says so."""

from __future__ import annotations

import io

import docx
import pytest
from dash import html

from dashboard import report_queries
from report.blocks import Bullets, Heading, Image, Paragraph, Report, Table
from report.writers import file_name, to_bytes
from tests.unit.test_dashboard_pages import find, page, texts


def _png() -> bytes:
    from PIL import Image as Picture

    buffer = io.BytesIO()
    Picture.new("RGB", (4, 2), "white").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


pytestmark = pytest.mark.usefixtures("pages")  # tests/unit/conftest.py: app on the fixture store


def small_report() -> Report:
    report = Report("Tittel", "Nome og Bø", 2024)
    report.add(Heading("Tittel", 1), Paragraph("<script>alert(1)</script> & «sitat»"),
               Bullets(["Vinning økte fra 107 i 2021 til 182 i 2022."]),
               Table("krimtype", "Bø – U18-forhold", ["Krimtype", "2023", "2024 (pr. 01.08)"],
                     [["Vinning", "175", "73"], ["Totalt", "622", "345"]],
                     [["Vinning", 175, 73], ["Totalt", 622, 345]], "– = ingen."),
               Image("figur1", PNG, "Stolpediagram over …", "Figur 1: U18-forhold"))
    return report


def test_preview_blocks_keep_text_as_text_never_markup(app):
    rapport = page("rapport")
    parts = rapport.preview(small_report())
    assert isinstance(parts[0], html.H2) and isinstance(parts[1], html.P)
    assert parts[1].children == "<script>alert(1)</script> & «sitat»"  # React escapes it
    table = find(parts[3], "rap-table-krimtype")
    assert isinstance(table, html.Table)
    assert "Vinning 175 73" in " ".join(texts(table).split())
    image = parts[4].children[0]
    assert image.src.startswith("data:image/png;base64,") and image.alt == "Stolpediagram over …"


def test_preview_draws_the_reports_charts_in_the_browser_without_rendering_pngs(app):
    from dash import dcc

    from report.build import report_from

    rapport = page("rapport")
    report, figures = rapport.preview_parts("Grenland", 2024, 0)
    assert report.images() == []  # kaleido (seconds per report) is for the downloads only
    parts = rapport.preview(report, figures)
    assert not [p for p in parts if isinstance(p, html.Figure)
                and isinstance(p.children[0], html.Img)]
    graphs = [p for p in parts if isinstance(p, html.Figure)]
    assert [g.id for g in graphs] == ["rap-figur1", "rap-figur2"]
    # Where the written report has its charts: right after the age and gender table.
    at = parts.index(graphs[0])
    assert find(parts[at - 1], "rap-table-alder_kjonn") is not None
    # The same figures, alt text and captions as the PNGs in the downloadable report.
    written = report_from(report_queries.report_basis("Grenland", 2024, None), with_charts=True)
    assert [(g.children[1].children, g.children[2].children) for g in graphs] == \
        [(i.alt, i.caption) for i in written.images()]
    assert getattr(graphs[0], "aria-describedby") == graphs[0].children[1].id
    bars = graphs[0].children[0]
    assert isinstance(bars, dcc.Graph) and bars.figure["data"][0]["type"] == "bar"
    assert "622" in [str(t) for t in bars.figure["data"][0]["text"]]  # Grenland 2019
    # Cached per (data version, region, year, threshold): a second visit builds nothing.
    assert rapport.preview_parts("Grenland", 2024, 0)[0] is report
    assert rapport.preview_parts("Grenland", 2024, 5)[0] is not report


def test_downloads_are_complete_files_with_a_safe_name():
    report = small_report()
    assert file_name(report, "docx") == "kunnskapsgrunnlag_nome_og_bo_2024.docx"
    document = docx.Document(io.BytesIO(to_bytes(report, "docx")))
    assert [c.text for c in document.tables[0].rows[1].cells] == ["Vinning", "175", "73"]
    markdown = to_bytes(report, "md").decode("utf-8")
    assert "![Stolpediagram over …](data:image/png;base64," in markdown
    assert "| Vinning | 175 | 73 |" in markdown
    csv = to_bytes(report, "csv").decode("utf-8-sig")
    assert "krimtype;Vinning;2024 (pr. 01.08);73" in csv
    assert to_bytes(report, "pdf")[:5] == b"%PDF-"


def test_rapport_layout_checks_the_year_and_threshold_from_the_url(app):
    rapport = page("rapport")
    layout = rapport.layout(region="Grenland", aar="1900", skjul="7")
    assert find(layout, "rap-year").value == 2024
    assert find(layout, "rap-suppress").value == 0
    layout = rapport.layout(region="Grenland", aar="2022", skjul="5")
    assert (find(layout, "rap-year").value, find(layout, "rap-suppress").value) == (2022, 5)


def test_politirad_deck_has_one_slide_per_finding_with_region_and_version(app):
    deck = page("politirad").layout(region="Grenland", present="1")
    assert deck.id == "pr-deck"
    slides = [c for c in deck.children if isinstance(c, html.Section)]
    assert deck.to_plotly_json()["props"]["data-count"] == str(len(slides))
    assert find(deck, "pr-counter").children == f"1 / {len(slides)}"
    first = texts(slides[0])
    assert first.startswith("U18-forhold i alt 622 forhold i 2023")
    assert "Grenland · til og med 2024 · Dataversjon: opplasting" in first
    assert "2024 (pr. 01.08)" in texts(slides[-1])


def test_politirad_for_a_region_without_figures_says_so(app):
    deck = page("politirad").layout(region="Siljan", present="1")
    assert "Ingen funn for Siljan" in texts(deck)
    assert find(deck, "pr-deck") is None
