"""Offences whose offender's gender or age the police did not record («Ukjent») are data: they
land as the label ``Ukjent`` of their dimension, count in every total, and are shown as
neither girls nor boys (nor any age).  A bare «Ukjent» row in a cross table could be either:
it is refused, naming its cell and the two ways to write it."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing

import pandas as pd
import pytest

from analysis.series import count_series
from etl.errors import IngestError
from etl.ingest import ingest_file
from etl.totals import describe
from etl.vocab import TOTAL
from report.tables import age_gender_table
from tests.conftest import SEED_WORKBOOK, query, run_slt, snapshot

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


def test_a_figure_of_unknown_age_and_gender_is_named_so_in_messages(tmp_path, db):
    """A wrong total among them names its labels in words («ukjent alder», not «Ukjent år»)."""
    path = tmp_path / "ukjent.csv"
    path.write_text(LONG + "Skien;2023;Vold;Ukjent;Totalt;5\nSkien;2023;Vold;Ukjent;Ukjent;1\n",
                    encoding="utf-8")
    with pytest.raises(IngestError) as refused:
        ingest_file(path, db, today=TODAY)
    assert "Vold, ukjent alder 2023 er 5, men jenter og gutter summerer til 3" in \
        refused.value.summary()
    assert describe("Vold", "Ukjent", "Ukjent") == "Vold, ukjent alder, ukjent kjønn"


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


def _failing_answers(db, region: str) -> list[tuple]:
    """Every public page opened for ``region`` as a browser does: the requests not answered."""
    from dashboard.server import _set_up, build
    from dashboard.visits import LocalSession, Site

    app = build(db)
    _set_up(app)
    client = app.server.test_client()
    site = Site.capture("", LocalSession(client))
    failing = []
    for path in site.paths:
        for kind, url, body in site.visit(path, region):
            answer = client.get(url) if body is None else client.post(
                url, data=json.dumps(body), content_type="application/json")
            if answer.status_code != 200:
                failing.append((path, kind, answer.status_code))
    return failing


def _gender_title(db, region: str) -> str:
    """The title of Krim's chart of girls and boys for ``region``."""
    from dashboard import queries
    from dashboard.app import create_app

    create_app(db)  # (registers the pages: a page module is imported after it)
    queries.configure(db)
    from dashboard.pages import ungdomskriminalitet

    return ungdomskriminalitet._genders(region, [2019, 2024], "antall")[0]


def test_every_page_answers_for_a_region_with_unknown_genders_and_ages(tmp_path, db):
    """The report's age table, the findings' series and the charts meet «Ukjent» (an age that
    is no number): every page of the region is answered (the report's 500 was found so)."""
    assert run_slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    path = tmp_path / "ukjent.csv"
    path.write_text(LONG + "Skien;2022;Vinning;Ukjent;Ukjent;4\nSkien;2022;Vold;15;Jenter;1\n",
                    encoding="utf-8")
    assert run_slt("ingest", path, "--db", db).returncode == 0
    with multiprocessing.get_context("spawn").Pool(1) as pool:  # Dash: one app per process
        assert pool.apply(_failing_answers, (db, "Skien")) == []
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        # 3 girls and 9 boys in 2023; 1 offence of no recorded gender is neither
        assert pool.apply(_gender_title, (db, "Skien")) == (
            "Jenter sto for 25 % av forholdene med kjent kjønn i 2023")


def test_the_reports_age_table_lists_an_unknown_age_and_gender_after_the_known_ones():
    frame = pd.DataFrame(
        [(TOTAL, age, TOTAL, 2023, n) for age, n in
         (("15", 4), ("Ukjent", 2), ("<10", 1), ("17", 3), (TOTAL, 10))]
        + [(TOTAL, TOTAL, gender, 2023, n) for gender, n in
           (("Jenter", 3), ("Gutter", 5), ("Ukjent", 2))],
        columns=["crime_type", "age", "gender", "year", "offences"]).assign(counted_through=None)
    table = age_gender_table(frame, "Skien", [2023])
    assert table.rows == [["17", "3"], ["15", "4"], ["<10", "1"], ["Ukjent alder", "2"],
                          ["Fordeling jenter/gutter", "3/5"], ["Ukjent kjønn", "2"],
                          ["Totalt", "10"]]
    # the findings' series: each age, not the unknown one (it is in the total)
    assert [(s.family, s.ref) for s in count_series(frame) if s.family == "age"] == [
        ("age", "<10"), ("age", "15"), ("age", "17")]
