"""How every report format lays out a table: figures right-aligned, words left-aligned, and only
a total row in bold."""

from __future__ import annotations

import re

import pytest

from report.blocks import Report, Table
from report.writers.docx import to_docx
from report.writers.html import to_html
from report.writers.markdown import to_markdown

SURVEY = Table("ungdata", "Ungdata – Porsgrunn mot landet",
               ["Kommune", "Indikator", "Periode", "Andel", "Hele landet", "Forrige måling"],
               [["Porsgrunn", "Trives på skolen", "2024", "80,7\u00a0%", "82,9\u00a0%",
                 "83,9\u00a0% (2021)"],
                ["Porsgrunn", "Har brukt cannabis siste år", "2015", "2,0\u00a0%", "–", "–"]])
CRIMES = Table("krimtype", "Grenland – registrerte U18-forhold per krimtype",
               ["Krimtype", "2023", "2024 (pr. 01.08)"],
               [["Vinning", "71", "ikke oppgitt"], ["Vold", "<5", ".."],
                ["Totalt", "622", "345"]], total_last=True)
GOALS = Table("maal", "Planens mål", ["Plan", "Målsetting", "Status"],
              [["SLT-plan", "≤ 15,0\u00a0% innen 2029", "for tidlig å si"]])


def _report(*tables: Table) -> Report:
    return Report(title="Test", region="Grenland", year=2024, blocks=list(tables))


@pytest.mark.parametrize("table, numeric", [
    (SURVEY, [False, False, True, True, True, True]),
    (CRIMES, [False, True, True]),    # «ikke oppgitt», «..» and «<5» stand for figures
    (GOALS, [False, True, False]),
])
def test_a_column_is_a_figure_column_when_every_cell_is_a_figure(table, numeric):
    assert table.numeric == numeric


def test_markdown_aligns_only_the_figure_columns_right():
    text = to_markdown(_report(SURVEY))
    assert "|---|---|---:|---:|---:|---:|" in text


def test_html_marks_only_the_figure_cells_as_numbers():
    page = to_html(_report(SURVEY))
    assert "<td>Trives på skolen</td>" in page and "<td class=num>80,7\u00a0%</td>" in page
    assert len(re.findall(r"<th class=num>", page)) == 4


def test_word_bolds_the_total_row_and_no_other_last_row():
    doc = to_docx(_report(SURVEY, CRIMES))
    survey, crimes = doc.tables

    def bold(table, row) -> bool:
        return all(run.bold for cell in table.rows[row].cells for p in cell.paragraphs
                   for run in p.runs)

    assert bold(crimes, 0) and bold(crimes, 3) and not bold(crimes, 2)
    assert bold(survey, 0) and not bold(survey, 2)
    assert survey.rows[1].cells[1].paragraphs[0].alignment is None       # a word: left
    assert survey.rows[1].cells[3].paragraphs[0].alignment is not None   # a figure: right
