"""Offences whose offender's gender or age the police did not record («Ukjent») are data: they
land as the label ``Ukjent`` of their dimension, count in every total, and are shown as
neither girls nor boys (nor any age).  A bare «Ukjent» row in a cross table could be either:
it is refused, naming its cell and the two ways to write it."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.errors import IngestError
from etl.ingest import ingest_file
from tests.conftest import query, snapshot

TODAY = dt.date(2025, 3, 1)
LONG = """Kommune;År;Krimtype;Alder;Kjønn;Antall
Skien;2023;Vold;15;Jenter;3
Skien;2023;Vold;15;Gutter;7
Skien;2023;Vold;15;Ukjent;1
Skien;2023;Vold;Ukjent alder;Gutter;2
Skien;2023;Vold;Totalt;Totalt;13
"""


def test_an_unknown_gender_and_age_land_as_ukjent_and_count_in_the_totals(tmp_path, db):
    path = tmp_path / "ukjent.csv"
    path.write_text(LONG, encoding="utf-8")
    assert ingest_file(path, db, today=TODAY).status == "accepted"
    rows = dict(((age, gender), offences) for age, gender, offences in query(
        db, "SELECT age, gender, offences FROM u18_offences WHERE crime_type = 'Vold'"))
    assert rows[("15", "Ukjent")] == 1 and rows[("Ukjent", "Gutter")] == 2
    assert rows[("15", "Totalt")] == 11  # girls, boys and the unknown
    assert rows[("Totalt", "Gutter")] == 9  # at 15 and at an unknown age
    assert rows[("Totalt", "Ukjent")] == 1
    assert rows[("Totalt", "Totalt")] == 13  # the file's total agrees with every part


def grid(rows: str) -> str:
    return ("Skien - U18-forhold fordelt på kjønn;;\n"
            f"Kjønn;2022;2023\n{rows}")


def test_a_cross_table_row_of_unknown_gender_is_read_when_it_says_so(tmp_path, db):
    path = tmp_path / "grid.csv"
    path.write_text(grid("Jenter;3;4\nGutter;7;8\nUkjent kjønn;1;0\nTotalt;11;12\n"),
                    encoding="utf-8")
    assert ingest_file(path, db, today=TODAY, region="Skien").status == "accepted"
    assert query(db, "SELECT year, offences FROM u18_offences WHERE gender = 'Ukjent' "
                     "AND age = 'Totalt' AND crime_type = 'Totalt' ORDER BY 1") == [
        (2022, 1), (2023, 0)]


def test_a_bare_ukjent_row_of_a_cross_table_is_refused_naming_its_cell(tmp_path, db):
    path = tmp_path / "grid.csv"
    path.write_text(grid("Jenter;3;4\nGutter;7;8\nUkjent;1;0\nTotalt;11;12\n"),
                    encoding="utf-8")
    before = snapshot(db) if db.exists() else None
    with pytest.raises(IngestError) as refused:
        ingest_file(path, db, today=TODAY, region="Skien")
    assert refused.value.summary() == (
        "grid.csv, celle A5: radetiketten «Ukjent» kan bety både ukjent alder og ukjent kjønn "
        "(forventet «Ukjent alder» eller «Ukjent kjønn»)")
    assert before is None or snapshot(db) == before
