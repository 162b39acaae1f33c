"""``slt report`` on a real sample database: docx re-read with python-docx, PDF text with pypdf,
html, md and csv; suppression the same everywhere; the store is only read."""

from __future__ import annotations

import hashlib
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import report.cli  # noqa: F401  (registers the command)
from etl.cli import cli
from etl.sample import build_sample
from report.build import build_report
from report.writers import write

SEED_ROWS = {"Vinning": ["53", "71", "107", "182", "175", "73"],
             "Totalt": ["444", "389", "414", "623", "622", "345"]}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "slt.duckdb"
    build_sample(path)
    return path


@pytest.fixture(scope="module")
def grenland(sample_db):
    return build_report(sample_db, "Grenland")


def run(*args):
    result = CliRunner().invoke(cli, ["report", *map(str, args)])
    return result


def test_docx_from_the_command_has_the_seed_tables_and_charts_with_alt_text(sample_db, tmp_path):
    out = tmp_path / "grenland.docx"
    before = hashlib.sha256(sample_db.read_bytes()).hexdigest()
    result = run("--region", "Grenland", "--format", "docx", "--out", out, "--db", sample_db)
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(sample_db.read_bytes()).hexdigest() == before
    document = docx.Document(str(out))
    tables = {t.rows[0].cells[0].text: t for t in document.tables}
    crimes = {row.cells[0].text: [c.text for c in row.cells[1:]]
              for row in tables["Krimtype"].rows}
    assert crimes["Krimtype"][-1] == "2024 (pr. 01.08)"
    for label, values in SEED_ROWS.items():
        assert crimes[label] == values
    ages = {row.cells[0].text: [c.text for c in row.cells[1:]]
            for row in tables["Alder ved gjerning"].rows}
    assert ages["Fordeling jenter/gutter"] == ["73/371", "87/302", "84/330", "154/469",
                                               "152/470", "66/279"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Vinning økte fra 107" not in text  # 2024 report: 2023 is the last full year
    assert "innenfor tilfeldig variasjon" in text
    alts = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert len(alts) == 2 and all(a.startswith(("Stolpediagram", "Linjediagram")) for a in alts)


def test_year_2022_report_states_the_vinning_rise(sample_db, tmp_path):
    out = tmp_path / "g2022.md"
    result = run("--region", "grenland", "--year", 2022, "--format", "md", "--out", out,
                 "--db", sample_db)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Vinning: 182 i 2022 mot et snitt på 77 i 2019–2021, en reell økning." in text
    assert "| 2023 |" not in text and "2024" not in text.split("## Kilder")[0]
    assert (tmp_path / "g2022_figur1.png").read_bytes()[:4] == b"\x89PNG"


def test_pdf_renders_the_numbers_and_norwegian_letters(grenland, tmp_path):
    out = write(grenland, "pdf", tmp_path / "grenland.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(str(out)).pages)
    text = text.replace("\u00a0", " ")
    for word in ("Økonomi", "gjerningspersonene", "Fordeling jenter/gutter", "Dataversjon",
                 "på", "Barne- og ungdomskriminalitet i Grenland", "2024 (pr. 01.08)"):
        assert word in text, word
    assert "444 389 414 623 622 345" in text
    assert "73/371" in text and "innenfor tilfeldig variasjon" in text


def test_html_is_norwegian_and_self_contained(grenland, tmp_path):
    html = write(grenland, "html", tmp_path / "g.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in html
    assert html.count('src="data:image/png;base64,') == 2
    assert 'alt="Stolpediagram over registrerte U18-forhold i Grenland' in html


def test_data_version_lists_the_uploads_the_figures_came_from(grenland):
    version = next(t for t in grenland.tables() if t.key == "dataversjon")
    files = [row[1] for row in version.rows]
    assert "grenland_u18_2019-2024.xlsx" in files
    assert "pop_municip_total_b2024_2015-2026.csv" not in files
    assert 'slt report --region "Grenland" --year 2024' in grenland.command


def test_suppression_applies_to_tables_sentences_charts_and_csv(sample_db, tmp_path):
    out = tmp_path / "g.csv"
    result = run("--region", "Grenland", "--year", 2021, "--format", "csv", "--out", out,
                 "--suppress-below", 5, "--db", sample_db)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert "krimtype;Økonomi;2020;<5" in lines
    assert "krimtype;Økonomi;2019;8" in lines
    assert "alder_kjonn;10;2019;0" in lines
    published = build_report(sample_db, "Grenland", 2021, suppress_below=5)
    md = (tmp_path / "g.md")
    write(published, "md", md)
    text = md.read_text(encoding="utf-8")
    assert "Undersøkelsessaker og Økonomi: for få tilfeller til å vurdere endringen." in text
    assert "| Økonomi | 2021 mot 2020 | <5 i 2020 og 21 i 2021 |" in text
    assert "| Økonomi | 8 | <5 | 21 |" in text
    assert "2020: <5" not in text  # totals are never small here; alt text uses <5 when hidden
    assert "Antall fra 1 til 4 vises som «<5»" in text


def test_unknown_region_is_refused_with_close_names(sample_db):
    result = run("--region", "Grenlnd", "--db", sample_db)
    assert result.exit_code == 1
    assert "Fant ingen region som heter «Grenlnd». Mente du: Grenland" in result.output


def test_region_without_police_figures_still_gets_the_survey_section(sample_db, tmp_path):
    report_ = build_report(sample_db, "Porsgrunn", 2024, with_charts=False)
    text = write(report_, "md", tmp_path / "p.md").read_text(encoding="utf-8")
    assert "Databasen har ingen politi-tall (U18-forhold) for Porsgrunn. Porsgrunn er med i " \
           "Grenland, som har egne tall: se rapporten for Grenland." in text
    assert "| Porsgrunn | Mye plaget av depressive symptomer | 8-10.trinn | 2024 |" in text


def _structure(node, seen=None) -> list:
    """Every structure element under ``node`` of a PDF's StructTreeRoot, depth first."""
    seen = [] if seen is None else seen
    kids = node.get("/K")
    kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
    for kid in kids:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get") and kid.get("/S") is not None:
            seen.append(kid)
            _structure(kid, seen)
    return seen


def test_pdf_is_tagged_in_norwegian_with_alt_text_on_its_charts(grenland, tmp_path):
    """A screen reader needs a tagged PDF (PDF/UA): structure tree, language, title and the
    charts' alt text — WeasyPrint wrote none of it by default."""
    reader = PdfReader(str(write(grenland, "pdf", tmp_path / "grenland.pdf")))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).lower().startswith("nb")
    assert reader.metadata.title.startswith("Barne- og ungdomskriminalitet i Grenland")
    elements = _structure(root["/StructTreeRoot"])
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == 2
    assert all(str(f["/Alt"]).startswith(("Stolpediagram", "Linjediagram")) for f in figures)
    assert any(e["/S"] == "/Table" for e in elements)


def test_docx_names_its_author_title_and_language(grenland, tmp_path):
    properties = docx.Document(str(write(grenland, "docx", tmp_path / "g.docx"))).core_properties
    assert properties.author == "SLT-statistikk"
    assert properties.last_modified_by == "SLT-statistikk"
    assert properties.title.startswith("Barne- og ungdomskriminalitet i Grenland")
    assert properties.language == "nb-NO"
