"""Each layout family of police U18 tables is read into the same figures."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.errors import IngestError
from etl.ingest import ingest_file
from tests.conftest import SEED_WORKBOOK, query, snapshot


def figures(db, region):
    return {(year, crime, age, gender): offences for year, crime, age, gender, offences in query(
        db, "SELECT year, crime_type, age, gender, offences FROM u18_offences WHERE region = ?",
        [region])}


def test_family_b_one_table_per_sheet_with_upper_case_labels_and_sum_rows(db, u18_data):
    outcome = ingest_file(u18_data / "family_b_skien.xlsx", db)
    assert outcome.status == "accepted"
    skien = figures(db, "Skien")
    assert skien[(2021, "Vold", "Totalt", "Totalt")] == 40
    assert skien[(2023, "Økonomi", "Totalt", "Totalt")] == 2
    assert skien[(2022, "Totalt", "<10", "Totalt")] == 0
    assert skien[(2023, "Totalt", "15", "Totalt")] == 38
    assert skien[(2023, "Totalt", "Totalt", "Jenter")] == 41
    assert skien[(2023, "Totalt", "Totalt", "Totalt")] == 150
    assert len(skien) == 3 * (8 + 9 + 2 + 1)


def test_family_b_extraction_date_in_the_year_makes_that_year_partial(db, u18_data):
    # The fixture was extracted 15.01.2025 and covers 2021-2023: every year is complete.
    ingest_file(u18_data / "family_b_skien.xlsx", db)
    assert query(db, "SELECT DISTINCT counted_through FROM u18_offences") == [(None,)]


@pytest.mark.parametrize("fixture", ["family_c_semicolon_cp1252.csv",
                                     "family_c_english_bom.csv"])
def test_family_c_long_csv_derives_every_total_of_a_full_cross_table(db, u18_data, fixture):
    ingest_file(u18_data / fixture, db)
    porsgrunn = figures(db, "Porsgrunn")
    leaf = {k: v for k, v in porsgrunn.items() if "Totalt" not in k}
    assert len(leaf) == 2 * 3 * 4 * 2
    for year in (2022, 2023):
        year_leaf = [v for k, v in leaf.items() if k[0] == year]
        assert porsgrunn[(year, "Totalt", "Totalt", "Totalt")] == sum(year_leaf)
        assert porsgrunn[(year, "Vold", "15", "Totalt")] == (
            leaf[(year, "Vold", "15", "Jenter")] + leaf[(year, "Vold", "15", "Gutter")])
        assert porsgrunn[(year, "Totalt", "Totalt", "Jenter")] == sum(
            v for k, v in leaf.items() if k[0] == year and k[3] == "Jenter")
    assert set(query(db, "SELECT DISTINCT region FROM u18_offences")) == {("Porsgrunn",),
                                                                          ("Skien",)}


def test_the_totals_by_crime_type_and_age_and_by_age_and_gender_are_summed_when_read(db,
                                                                                   u18_data):
    """A file of all three dimensions: the store keeps its leaves and the totals the rate
    tables and breakdowns read; the view sums the others (schema 3)."""
    ingest_file(u18_data / "family_c_semicolon_cp1252.csv", db)
    by_kind = """SELECT count(*) FILTER (crime_type <> 'Totalt' AND age <> 'Totalt'
                                         AND gender = 'Totalt'),
                        count(*) FILTER (crime_type = 'Totalt' AND age <> 'Totalt'
                                         AND gender <> 'Totalt'),
                        count(*) FILTER (age = 'Totalt') FROM {}"""
    [(by_type_and_age, by_age_and_gender, all_ages)] = query(db, by_kind.format("u18_current"))
    assert (by_type_and_age, by_age_and_gender) == (0, 0) and all_ages > 0
    # 2 kommuner × 2 years × (3 crime types × 4 ages + 4 ages × 2 genders)
    assert query(db, by_kind.format("u18_offences")) == [(2 * 2 * 3 * 4, 2 * 2 * 4 * 2,
                                                          all_ages)]


def test_windows_1252_and_utf8_bom_files_give_identical_figures(tmp_path, u18_data):
    ingest_file(u18_data / "family_c_semicolon_cp1252.csv", tmp_path / "a.duckdb")
    ingest_file(u18_data / "family_c_english_bom.csv", tmp_path / "b.duckdb")
    assert snapshot(tmp_path / "a.duckdb", skip=("uploads", "u18_history", "u18_slices")) == \
        snapshot(tmp_path / "b.duckdb", skip=("uploads", "u18_history", "u18_slices"))


def test_family_c_sheet_keeps_suppressed_cells_as_null_and_drops_unknowable_totals(db, u18_data):
    ingest_file(u18_data / "family_c_long_sheet.xlsx", db)
    bamble = figures(db, "Bamble")
    assert bamble[(2024, "Vinning", "Totalt", "Totalt")] is None
    assert (2024, "Totalt", "Totalt", "Totalt") not in bamble
    assert bamble[(2023, "Totalt", "Totalt", "Totalt")] == 19


def test_long_csv_with_a_wrong_given_total_is_refused_at_its_line(tmp_path, db):
    path = tmp_path / "wrong_total.csv"
    path.write_text("År;Kommune;Krimtype;Antall\n2023;Skien;Vold;5\n2023;Skien;Vinning;4\n"
                    "2023;Skien;Totalt;10\n", encoding="utf-8")
    with pytest.raises(IngestError) as error:
        ingest_file(path, db)
    assert "rad 4: Totalt 2023 er 10, men radene under summerer til 9" in error.value.summary()


def test_long_csv_reports_unknown_columns_and_labels(tmp_path, db):
    path = tmp_path / "odd.csv"
    path.write_text("År,Kommune,Krimtype,Antall,Farge\n2023,Skien,Vold,5,blå\n",
                    encoding="utf-8")
    with pytest.raises(IngestError) as error:
        ingest_file(path, db)
    assert "ukjente kolonner: «Farge»" in error.value.summary()
    path.write_text("År,Kommune,Krimtype,Antall\n2023,Skien,Ran,5\n2023,Skien,Tyveri,1\n",
                    encoding="utf-8")
    with pytest.raises(IngestError) as error:
        ingest_file(path, db)
    assert "ukjent krimtype: «Ran», «Tyveri»" in error.value.summary()


def test_current_year_must_be_marked_as_partial(db):
    with pytest.raises(IngestError) as error:
        ingest_file(SEED_WORKBOOK, db, today=dt.date(2023, 6, 1))
    message = error.value.summary()
    assert "året 2024 ligger i fremtiden" in message
    assert "2023 er ikke over ennå" in message


def test_old_kommune_number_in_a_long_table_lands_on_todays_kommune(tmp_path, db):
    path = tmp_path / "old.csv"
    path.write_text("År;Kommune;Krimtype;Antall\n2019;3806 Porsgrunn (2020-2023);Vold;5\n",
                    encoding="utf-8")
    ingest_file(path, db)
    assert query(db, "SELECT region FROM u18_offences WHERE crime_type = 'Vold'") == [
        ("Porsgrunn",)]


LABELS = {"Krimtype": ["Vold", "Vinning", "Narkotika"], "Alder": ["14", "15", "16"],
          "Kjønn": ["Jenter", "Gutter"]}
DIMENSION_OF = {"Krimtype": "crime_type", "Alder": "age", "Kjønn": "gender"}


@pytest.mark.parametrize("columns", [["Krimtype"], ["Alder", "Kjønn"],
                                     ["Krimtype", "Alder", "Kjønn"]])
def test_every_derived_total_is_the_sum_of_its_leaves_unless_one_is_suppressed(tmp_path, db,
                                                                             columns):
    import itertools
    import random

    rng = random.Random(len(columns))
    leaves = {}
    lines = [";".join(["Kommune", "År", *columns, "Antall"])]
    for kommune, year in itertools.product(["Skien", "Porsgrunn"], [2022, 2023]):
        for labels in itertools.product(*(LABELS[c] for c in columns)):
            first = labels == tuple(LABELS[c][0] for c in columns)
            value = (None if rng.random() < 0.08 or (first and (kommune, year) == ("Skien", 2023))
                     else rng.randint(0, 20))
            leaves[(kommune, year, labels)] = value
            lines.append(";".join([kommune, str(year), *labels,
                                   ".." if value is None else str(value)]))
    path = tmp_path / "leaves.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_file(path, db)
    dims = [DIMENSION_OF[c] for c in columns]
    stored = {(region, year, tuple(row)): offences for region, year, *row, offences in query(
        db, f"SELECT region, year, {', '.join(dims)}, offences FROM u18_offences")}
    expected = {}
    for kommune, year in itertools.product(["Skien", "Porsgrunn"], [2022, 2023]):
        for kept in itertools.product([True, False], repeat=len(columns)):
            if all(kept):
                continue  # the leaves themselves
            for labels in itertools.product(*(LABELS[c] if k else ["Totalt"]
                                              for c, k in zip(columns, kept))):
                parts = [v for (k, y, leaf), v in leaves.items() if (k, y) == (kommune, year)
                         and all(t == "Totalt" or t == x for t, x in zip(labels, leaf))]
                if None not in parts:
                    expected[(kommune, year, labels)] = sum(parts)
    totals = {key: value for key, value in stored.items() if "Totalt" in key[2]}
    assert totals == expected
    assert any(v is None for v in leaves.values())  # the file has suppressed cells


def test_a_long_table_that_repeats_a_figure_says_so(slt, tmp_path, db):
    """A line repeated with the same count (a file pasted twice, or a column such as gender
    left out) is stored once, and the message says so; a count that differs is refused."""
    path = tmp_path / "gjentatt.csv"
    path.write_text("Kommune;År;Krimtype;Antall\nSkien;2023;Vold;5\nSkien;2023;Vold;5\n"
                    "Skien;2023;Vinning;7\n", encoding="utf-8")
    result = slt("ingest", path, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert ("1 tall står mer enn én gang med samme verdi (Skien, Vold 2023); lagret én gang — "
            "mangler filen en kolonne (f.eks. kjønn)?") in out
    assert query(db, "SELECT offences FROM u18_offences WHERE crime_type = 'Totalt'") == [(12,)]
