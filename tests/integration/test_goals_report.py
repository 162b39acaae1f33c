"""«Status for planens mål» in ``slt report``: a goals file for Grenland loaded with ``slt
ingest`` gives one line per goal with its status, in every format."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from etl.sample import build_sample
from tests.conftest import SEED_WORKBOOK, TEST_DATA, run_slt

GOALS = TEST_DATA / "goals"


@pytest.fixture(scope="module")
def grenland_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("goals") / "slt.duckdb"
    for path in (SEED_WORKBOOK, GOALS / "grenland_maal.csv"):
        result = run_slt("ingest", path, "--db", db)
        assert result.returncode == 0, result.stderr
    return db


def report(db: Path, tmp_path: Path, fmt: str, *extra) -> Path:
    out = tmp_path / f"grenland.{fmt}"
    result = run_slt("report", "--region", "Grenland", "--format", fmt, "--out", out,
                     "--db", db, *extra)
    assert result.returncode == 0, result.stderr
    return out


def goal_lines(markdown: str) -> list[str]:
    section = markdown.split("## Status for planens mål", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| SLT-plan")]


def test_markdown_has_one_line_per_goal_with_its_status(grenland_db, tmp_path):
    markdown = report(grenland_db, tmp_path, "md").read_text(encoding="utf-8")
    lines = goal_lines(markdown)
    assert len(lines) == 3
    by_measure = {line.split(" | ")[1]: line.split(" | ")[5] for line in lines}
    # Vinning 2023 (175) against the 2019-2022 average (103,25) and the U18 total 622 against
    # 467,5: p < 0,05 alone, but not once adjusted with the report's comparisons (the report
    # calls both rises against 2020-2022 chance), so too early to say.
    # Vold ≤ 150 by 2023: 193 in 2023, the deadline year: not reached.
    assert by_measure == {"Vinning": "for tidlig å si", "U18-forhold i alt": "for tidlig å si",
                          "Vold": "ikke nådd"}
    assert all("2024 (pr. 01.08)" not in line.split(" | ")[4] for line in lines)
    assert "Målene kommer fra opplasting 2 (grenland_maal.csv, " in markdown


def test_a_report_up_to_an_earlier_year_judges_the_figures_of_that_year(grenland_db,
                                                                          tmp_path):
    lines = goal_lines(report(grenland_db, tmp_path, "md", "--year", "2022")
                       .read_text(encoding="utf-8"))
    assert {line.split(" | ")[1]: line.split(" | ")[5] for line in lines}["Vinning"] == \
        "for tidlig å si"


def test_every_format_has_the_section(grenland_db, tmp_path):
    html = report(grenland_db, tmp_path, "html").read_text(encoding="utf-8")
    assert "Status for planens mål" in html and "for tidlig å si" in html
    document = docx.Document(str(report(grenland_db, tmp_path, "docx")))
    assert "Status for planens mål" in [p.text for p in document.paragraphs]
    assert any(t.rows[0].cells[0].text == "Plan" and len(t.rows) == 4 for t in document.tables)
    pdf = "".join(page.extract_text() for page in
                  PdfReader(str(report(grenland_db, tmp_path, "pdf"))).pages)
    assert "Status for planens mål" in pdf
    csv_text = report(grenland_db, tmp_path, "csv").read_bytes().decode("utf-8-sig")
    assert "ikke nådd" in csv_text and "Målsetting" in csv_text


def test_the_sample_ships_example_goals_marked_as_examples(tmp_path):
    db = tmp_path / "slt.duckdb"
    build_sample(db)
    lines = goal_lines(report(db, tmp_path, "md").read_text(encoding="utf-8"))
    assert len(lines) == 2 and all("EKSEMPEL" in line for line in lines)
    rows = list(csv.reader(io.StringIO(Path("data/sample/grenland_maal_eksempel.csv")
                                       .read_text(encoding="utf-8")), delimiter=";"))
    assert all("EKSEMPEL" in row[-1] for row in rows[1:])
