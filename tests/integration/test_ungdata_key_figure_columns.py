"""Ungdata key-figure tables as coordinators copy them from the kommune's report, through the
real ``slt ingest`` into a real DuckDB file: a dash is no figure (never 0 %), «Alle» beside
girls and boys is both genders, VG1–VG3 are upper secondary grades, and a header that is none
of these is refused naming its cell.

The figures are made up in the shape of the reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import query

ROWS = ("SELECT period, school_level, grade, gender, indicator, percent, suppressed FROM ungdata "
        "WHERE region = 'Porsgrunn' ORDER BY ALL")


def _ingest(slt, db: Path, tmp_path: Path, text: str, ok: bool = True):
    path = tmp_path / "nokkeltall.csv"
    path.write_text(text, encoding="utf-8")
    done = slt("ingest", path, "--db", db)
    assert (done.returncode == 0) == ok, done.stdout + done.stderr
    return done


@pytest.mark.parametrize("text", [
    "Kommune: Porsgrunn\n\nIndikator;2021;2024;Norge 2024\n"
    "Har brukt cannabis siste år;–;4,2 %;5,1 %\n"
    "Har nasket i butikk siste år;-;10 %;11 %\n",
    "Kommune;Periode;Indikator;Prosent\n"
    "Porsgrunn;2021;Har brukt cannabis siste år;–\n"
    "Porsgrunn;2021;Har nasket i butikk siste år;-\n"
    "Porsgrunn;2024;Har brukt cannabis siste år;4,2\n"
    "Porsgrunn;2024;Har nasket i butikk siste år;10\n",
    "Brukt cannabis\nandel (prosent)\n;;2021;2024\nGeografi;Trinn;andel;andel\n"
    "Porsgrunn;Ungdomsskole;-;4,2\n"])
def test_a_dash_in_a_survey_table_is_no_figure_not_zero(slt, db, tmp_path, text):
    """SSB's «-» is exactly zero; in a survey table a dash means no figure was given (too few
    answers): stored suppressed, never 0 %."""
    _ingest(slt, db, tmp_path, text)
    found = [(period, percent, suppressed) for period, *_, percent, suppressed
             in query(db, ROWS) if period == "2021"]
    assert found and all(row == ("2021", None, True) for row in found), found


def test_alle_beside_girls_and_boys_is_both_genders(slt, db, tmp_path):
    _ingest(slt, db, tmp_path, "Kommune: Porsgrunn\n\n"
                               "Indikator;Gutter 2024;Jenter 2024;Alle 2024;Norge 2024\n"
                               "Har brukt cannabis siste år;5 %;3,5 %;4,2 %;5,1 %\n")
    assert query(db, ROWS) == [
        ("2024", "Ikke oppgitt", "Ikke oppgitt", gender, "cannabis_siste_aar", percent, False)
        for gender, percent in (("Gutter", 5.0), ("Jenter", 3.5), ("Totalt", 4.2))]


def test_vg_columns_are_upper_secondary_grades(slt, db, tmp_path):
    """VG1, VG2, VG3 (any letter case) are grades of videregående: each its own grade, at the
    school level Videregående; they were refused with advice to teach VG1 as the indicator
    column."""
    _ingest(slt, db, tmp_path, "Kommune: Porsgrunn\nPeriode: 2024\n\n"
                               "Indikator;Ungdomsskole;VG1;Vg2;vg3\n"
                               "Har brukt cannabis siste år;4,0 %;8,1 %;..;12 %\n")
    assert query(db, ROWS) == [
        ("2024", "Ungdomsskole", "Ungdomsskole", "Totalt", "cannabis_siste_aar", 4.0, False),
        ("2024", "Videregående", "VG1", "Totalt", "cannabis_siste_aar", 8.1, False),
        ("2024", "Videregående", "Vg2", "Totalt", "cannabis_siste_aar", None, True),
        ("2024", "Videregående", "vg3", "Totalt", "cannabis_siste_aar", 12.0, False)]


def test_an_unknown_header_is_refused_naming_its_cell_without_the_indicator_advice(
        slt, db, tmp_path):
    """Teaching a value column's header as the indicator column (the advice given before)
    would break the table; the header is named by its cell and may be taught as a school
    level."""
    done = _ingest(slt, db, tmp_path, "Kommune: Porsgrunn\nPeriode: 2024\n\n"
                                      "Indikator;Ungdomsskole;Lærlinger\n"
                                      "Har brukt cannabis siste år;4,0 %;8,1 %\n", ok=False)
    assert "nokkeltall.csv, celle C4: ukjent kolonneoverskrift: «Lærlinger»" in done.stderr, \
        done.stderr
    assert 'kolonne "Lærlinger" Indikator' not in done.stderr
    assert 'slt alias legg-til skolenivå "Lærlinger" Videregående' in done.stderr
