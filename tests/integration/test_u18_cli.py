"""``slt ingest``, ``slt history`` and ``slt rollback`` end to end on real files and databases."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from tests.conftest import SEED_WORKBOOK, query, snapshot


def tidy_rows(path) -> set[tuple]:
    with open(path, encoding="utf-8") as fh:
        return {(r["region"], int(r["year"]), r["counted_through"] or None, r["crime_type"],
                 r["age"], r["gender"], int(r["offences"])) for r in csv.DictReader(fh)}


def stored_rows(db) -> set[tuple]:
    """The offences as stored; the seed gives no offenders, so every one is NULL."""
    rows = query(db, "SELECT * EXCLUDE (offenders) FROM u18_offences")
    assert query(db, "SELECT count(offenders) FROM u18_offences") == [(0,)]
    return {(region, year, str(ct) if ct else None, crime, age, gender, offences)
            for region, year, ct, crime, age, gender, offences in rows}


def test_seed_workbook_lands_with_every_number_of_the_tidy_reference(slt, db, u18_data):
    result = slt("ingest", SEED_WORKBOOK, "--db", db)
    assert result.returncode == 0, result.stderr
    assert "LAGRET" in result.stdout
    assert stored_rows(db) == tidy_rows(u18_data / "grenland_u18_2019-2024_tidy.csv")


def test_partial_year_is_marked_in_every_table_of_the_sheet(slt, db):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    rows = query(db, "SELECT DISTINCT year, counted_through FROM u18_offences ORDER BY 1")
    assert rows[-1] == (2024, dt.date(2024, 8, 1))
    assert all(ct is None for year, ct in rows[:-1])


@pytest.mark.parametrize("fixture", ["seed_header_markers.xlsx", "seed_title_marker_only.xlsx"])
def test_partial_year_marker_in_header_or_title_gives_the_same_figures(slt, db, u18_data,
                                                                        fixture):
    assert slt("ingest", u18_data / fixture, "--db", db).returncode == 0
    assert stored_rows(db) == tidy_rows(u18_data / "grenland_u18_2019-2024_tidy.csv")


def test_opendocument_spreadsheet_gives_the_same_figures(slt, db, u18_data):
    assert slt("ingest", u18_data / "seed.ods", "--db", db).returncode == 0
    assert stored_rows(db) == tidy_rows(u18_data / "grenland_u18_2019-2024_tidy.csv")


def test_db_can_be_chosen_with_the_environment_variable(slt, db):
    result = slt("ingest", SEED_WORKBOOK, env={"SLT_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT count(*) FROM u18_offences") == [(123,)]


def test_reingesting_the_same_file_changes_nothing(slt, db):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    before = snapshot(db)
    again = slt("ingest", SEED_WORKBOOK, "--db", db)
    assert again.returncode == 0
    assert "UENDRET" in again.stdout
    assert snapshot(db) == before
    assert query(db, "SELECT outcome FROM uploads ORDER BY upload_id") == [
        ("accepted",), ("unchanged",)]


REJECTIONS = {
    "seed_not_a_number.xlsx": ["celle F13", "Vold 2023", "«ca. 190» er ikke et antall"],
    "seed_bad_total.xlsx": ["celle C15", "Totalt 2020 er 399, men krimtypene summerer til 389"],
    "seed_totals_disagree.xlsx": ["Totalt 2020 er 389 i C15, men 390 i C29"],
    "seed_unknown_label.xlsx": ["celle A8", "ukjent radetikett «Ran»"],
    "seed_decimal.xlsx": ["celle B6", "«66.5» er ikke et helt antall"],
    "seed_negative.xlsx": ["celle B6", "«-3» er negativt"],
    "empty.xlsx": ["empty.xlsx: filen er tom"],
    "random_bytes.xlsx": ["verken et regneark"],
    "truncated.xlsx": ["er skadet"],
    "password.xlsx": ["passordbeskyttet"],
    "not_a_table.csv": ["fant ingen overskriftsrad med År og Antall"],
    "family_b_wrong_row_sum.xlsx": ["ark «Krimtype», celle E5",
                                    "«VOLD»: sumkolonnen er 999, men årene summerer til 153"],
    "formula_without_value.xlsx": ["ark «U18 Grenland»", "én celle har en formel uten lagret "
                                   "verdi (B6)"],
}


@pytest.mark.parametrize("fixture", sorted(REJECTIONS))
def test_rejected_file_explains_itself_and_leaves_the_figures_as_they_were(slt, db, u18_data,
                                                                           fixture):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    before = snapshot(db)
    result = slt("ingest", u18_data / fixture, "--db", db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"AVVIST {fixture}" in result.stderr
    for expected in REJECTIONS[fixture]:
        assert expected in result.stderr
    assert snapshot(db) == before
    outcome, file_name, message = query(
        db, "SELECT outcome, file_name, message FROM uploads ORDER BY upload_id DESC LIMIT 1")[0]
    assert (outcome, file_name) == ("rejected", fixture)
    assert REJECTIONS[fixture][-1] in message


def test_formula_is_read_as_the_value_excel_saved_with_it(slt, db, u18_data):
    result = slt("ingest", u18_data / "formula_with_cached_value.xlsx", "--db", db)
    assert result.returncode == 0, result.stderr
    assert stored_rows(db) == tidy_rows(u18_data / "grenland_u18_2019-2024_tidy.csv")


def test_rejection_into_a_new_database_stores_only_the_attempt(slt, db, u18_data):
    result = slt("ingest", u18_data / "seed_bad_total.xlsx", "--db", db)
    assert result.returncode == 1
    assert query(db, "SELECT count(*) FROM u18_offences") == [(0,)]
    assert query(db, "SELECT outcome FROM uploads") == [("rejected",)]


def test_unknown_region_lists_the_closest_names(slt, db, u18_data):
    result = slt("ingest", u18_data / "family_c_long_sheet.xlsx", "--db", db, "--region",
                 "Grenlnd")
    assert result.returncode == 1
    assert "«Grenlnd» er ingen kjent" in result.stderr
    assert "«Grenland»" in result.stderr


def test_region_option_wins_over_the_file(slt, db):
    assert slt("ingest", SEED_WORKBOOK, "--db", db, "--region", "Porsgrunn").returncode == 0
    assert query(db, "SELECT DISTINCT region FROM u18_offences") == [("Porsgrunn",)]


def test_full_year_file_replaces_the_partial_year_and_rollback_restores_it(slt, db, u18_data):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    partial = snapshot(db, skip=("uploads", "u18_history", "u18_slices"))
    result = slt("ingest", u18_data / "seed_full_year_2024.xlsx", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "Grenland erstattet: 2024" in result.stdout
    assert query(db, "SELECT counted_through, offences FROM u18_offences WHERE year = 2024 "
                     "AND crime_type = 'Vinning'") == [(None, 150)]
    assert query(db, "SELECT count(*) FROM u18_history WHERE upload_id = 1 AND year = 2024 "
                     "AND removed_by = 2") == [(20,)]

    history = slt("history", "--db", db)
    assert "seed_full_year_2024.xlsx" in history.stdout

    undo = slt("rollback", "2", "--db", db)
    assert undo.returncode == 0, undo.stderr
    assert snapshot(db, skip=("uploads", "u18_history", "u18_slices")) == partial
    assert "rolled_back" in slt("history", "--db", db).stdout


def test_rollback_refuses_an_upload_replaced_later_and_one_already_undone(slt, db, u18_data):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    slt("ingest", u18_data / "seed_full_year_2024.xlsx", "--db", db)
    refused = slt("rollback", "1", "--db", db)
    assert refused.returncode != 0
    assert "erstattet av opplasting 2" in refused.stderr
    assert slt("rollback", "2", "--db", db).returncode == 0
    again = slt("rollback", "2", "--db", db)
    assert "allerede angret" in again.stderr


def test_rollback_of_first_upload_removes_its_figures(slt, db):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    assert slt("rollback", "1", "--db", db).returncode == 0
    assert query(db, "SELECT count(*) FROM u18_offences") == [(0,)]


def test_partial_year_does_not_replace_a_full_year_without_force(slt, db, u18_data):
    slt("ingest", u18_data / "seed_full_year_2024.xlsx", "--db", db)
    before = snapshot(db)
    refused = slt("ingest", SEED_WORKBOOK, "--db", db)
    assert refused.returncode == 1
    assert "allerede lagret som helt år" in refused.stderr
    assert snapshot(db) == before
    forced = slt("ingest", SEED_WORKBOOK, "--db", db, "--force")
    assert forced.returncode == 0
    assert query(db, "SELECT DISTINCT counted_through FROM u18_offences WHERE year = 2024") == [
        (dt.date(2024, 8, 1),)]


def survey_files(tmp_path) -> tuple:
    """Two one-row survey tables for Porsgrunn: a share of 85,5 %, then of 80 %."""
    header = "Kommune;Periode;Skolenivå;Kjønn;Indikator;Prosent;Antall svar\n"
    row = "Porsgrunn;2024;Ungdomsskolen;Jenter;Har minst én god venn;{};412\n"
    first, second = tmp_path / "ungdata_first.csv", tmp_path / "ungdata_second.csv"
    first.write_text(header + row.format("85,5"), encoding="utf-8")
    second.write_text(header + row.format("80"), encoding="utf-8")
    return first, second


def test_rollback_restores_replaced_survey_figures_too(slt, db, tmp_path):
    first, second = survey_files(tmp_path)
    assert slt("ingest", first, "--db", db).returncode == 0
    before = snapshot(db, skip=("uploads", "ungdata_facts_history"))
    assert slt("ingest", second, "--db", db).returncode == 0
    assert query(db, "SELECT percent FROM ungdata WHERE region = 'Porsgrunn'") == [(80.0,)]
    refused = slt("rollback", "1", "--db", db)
    assert "erstattet av opplasting 2" in refused.stderr
    assert slt("rollback", "2", "--db", db).returncode == 0
    assert snapshot(db, skip=("uploads", "ungdata_facts_history")) == before


def test_dry_run_shows_old_and_new_figures_and_changes_nothing(slt, db, u18_data):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    before = snapshot(db, skip=())
    preview = slt("ingest", "--dry-run", u18_data / "seed_full_year_2024.xlsx", "--db", db)
    assert preview.returncode == 0, preview.stderr
    assert "VILLE LAGRET" in preview.stdout
    assert "Grenland 2024 Vinning: 73 → 150" in preview.stdout
    assert "Grenland 2024 går fra delår til 01.08.2024 til helt år" in preview.stdout
    assert snapshot(db, skip=()) == before


def test_dry_run_of_a_survey_file_shows_the_changed_share(slt, db, tmp_path):
    first, second = survey_files(tmp_path)
    assert slt("ingest", first, "--db", db).returncode == 0
    before = snapshot(db, skip=())
    preview = slt("ingest", "--dry-run", second, "--db", db)
    assert preview.returncode == 0, preview.stderr
    assert "VILLE LAGRET" in preview.stdout
    assert "Porsgrunn 2024 " in preview.stdout and "85,5 % → 80,0 %" in preview.stdout
    assert snapshot(db, skip=()) == before


def test_dry_run_of_a_broken_file_reports_the_cell_and_records_nothing(slt, db, u18_data):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    before = snapshot(db, skip=())
    refused = slt("ingest", "--dry-run", u18_data / "seed_not_a_number.xlsx", "--db", db)
    assert refused.returncode == 1
    assert "celle F13" in refused.stderr
    assert snapshot(db, skip=()) == before


def test_dry_run_on_a_missing_database_creates_no_database(slt, db):
    assert slt("ingest", "--dry-run", SEED_WORKBOOK, "--db", db).returncode == 0
    assert not db.exists()


def test_the_workbook_saved_as_csv_gives_the_same_figures(slt, db, u18_data):
    # Excel's «CSV (semikolondelt)» of the seed sheet: title lines, years as columns, the
    # partial year marked in a title and a header, Windows-1252.
    grid = u18_data / "seed_grid_semicolon_cp1252.csv"
    accepted = slt("ingest", grid, "--db", db)
    assert accepted.returncode == 0, accepted.stderr
    assert stored_rows(db) == tidy_rows(u18_data / "grenland_u18_2019-2024_tidy.csv")
    assert "UENDRET" in slt("ingest", SEED_WORKBOOK, "--db", db).stdout


def test_the_workbook_saved_as_csv_with_ragged_lines_and_notes_gives_the_same_figures(
        slt, db, u18_data, tmp_path):
    """Lines whose empty last cells are left out (as some programs write a sheet) and notes
    under the table: a traceback (IndexError) before, now the same figures."""
    lines = (u18_data / "seed_grid_semicolon_cp1252.csv").read_text("cp1252").splitlines()
    ragged = tmp_path / "grenland.csv"
    ragged.write_text("\n".join([line.rstrip(";") for line in lines]
                                + ["", "Kilde: politiets analyseavdeling", "", "* delår"]) + "\n",
                      encoding="utf-8")
    accepted = slt("ingest", ragged, "--db", db)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert stored_rows(db) == tidy_rows(u18_data / "grenland_u18_2019-2024_tidy.csv")


def test_a_csv_cross_table_is_refused_naming_the_cell_as_the_workbook_is(slt, db, u18_data,
                                                                         tmp_path):
    lines = (u18_data / "seed_grid_semicolon_cp1252.csv").read_text("cp1252").splitlines()
    assert lines[12].startswith("Vold;")
    lines[12] = lines[12].replace(";193;", ";ca. 190;")  # Vold 2023, cell F13
    bad = tmp_path / "grenland.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = slt("ingest", bad, "--db", db)
    assert refused.returncode == 1
    assert ("grenland.csv, celle F13: Vold 2023: «ca. 190» er ikke et antall"
            in refused.stderr), refused.stderr
    assert query(db, "SELECT outcome FROM uploads") == [("rejected",)]
    assert query(db, "SELECT count(*) FROM u18_current") == [(0,)]


def test_a_csv_table_with_a_sum_column_is_checked_as_the_workbook_is(slt, db, tmp_path):
    # Family (b) saved as CSV with commas: an extraction date, a «Sum» column over the years.
    text = ("Skien kommune - U18-forhold fordelt på krimtype,,,,\n"
            "Uttrekksdato: 15.01.2025,,,,\n,,,,\n"
            "Krimtype,2021,2022,2023,Sum\n"
            "VOLD,40,52,61,{vold}\nVINNING,30,25,44,99\nSum,70,77,105,{total}\n,,,,\n"
            "Kilde: Politiets straffesaksregister (BL/STRASAK),,,,\n")
    bad = tmp_path / "skien_feil.csv"
    bad.write_text(text.format(vold=999, total=1098), encoding="utf-8")
    refused = slt("ingest", bad, "--db", db)
    assert refused.returncode == 1
    assert "skien_feil.csv, celle E5: «VOLD»: sumkolonnen er 999, men årene summerer til 153" \
        in refused.stderr, refused.stderr
    good = tmp_path / "skien.csv"
    good.write_text(text.format(vold=153, total=252), encoding="utf-8")
    accepted = slt("ingest", good, "--db", db)
    assert accepted.returncode == 0, accepted.stderr
    assert query(db, "SELECT year, offences FROM u18_offences WHERE region = 'Skien' AND "
                     "crime_type = 'Vold' AND age = 'Totalt' AND gender = 'Totalt' "
                     "ORDER BY year") == [(2021, 40), (2022, 52), (2023, 61)]


@pytest.mark.parametrize("fixture", ["grenland_u18_2019-2024.xlsx", "seed.ods",
                                     "family_c_semicolon_cp1252.csv", "seed_unknown_label.xlsx"])
def test_a_police_file_is_ingested_without_importing_pandas(slt, db, u18_data, fixture):
    """``slt ingest`` of a police file is a short process, and importing pandas (with numpy)
    was half of it: the police path hands its rows to DuckDB without pandas (etl/rows.py).
    Python's own import log (``-X importtime``) names every module the command imported."""
    path = SEED_WORKBOOK if fixture == SEED_WORKBOOK.name else u18_data / fixture
    result = slt("ingest", path, "--db", db, env={"PYTHONPROFILEIMPORTTIME": "1"})
    imported = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert "duckdb" in imported and "etl.staging" in imported  # the log is read right
    assert result.returncode == (1 if "unknown" in fixture else 0), result.stderr[-2000:]
    assert not {"pandas", "numpy", "pyarrow"} & imported


def test_a_police_row_named_as_another_kommune_was_before_2020_is_refused(slt, db, tmp_path):
    """«Bø» in 2019 may be Bø i Telemark (now part of Midt-Telemark) as well as Bø i Nordland:
    in a file without figures for Midt-Telemark that year it is refused, naming the row and
    how to name Nordland's.  «Bø» from 2020, «1867 Bø» in 2019, and «Bø» in a file on today's
    borders (with Midt-Telemark in 2019) are Bø i Nordland."""
    assert slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    before = snapshot(db)
    header = "År;Kommune;Krimtype;Alder;Kjønn;Antall\n"
    old = tmp_path / "bo.csv"
    old.write_text(header + "2020;Bø;Vold;15;Gutter;2\n2019;Bø;Vold;15;Gutter;3\n",
                   encoding="utf-8")
    refused = slt("ingest", old, "--db", db)
    assert refused.returncode == 1
    assert ("bo.csv: rad 3: «Bø» i 2019 er ikke entydig: til og med 2019 var Bø også en kommune "
            "i Telemark (0821, som ble en del av Midt-Telemark i 2020), og filen har ingen tall "
            "for Midt-Telemark i 2019. Skriv «Bø (Nordland)» eller kommunenummeret 1867 om "
            "tallene gjelder Bø i Nordland") in refused.stderr
    assert snapshot(db) == before
    named = tmp_path / "bo_nordland.csv"
    named.write_text(header + "2020;Bø;Vold;15;Gutter;2\n2019;1867 Bø;Vold;15;Gutter;3\n",
                     encoding="utf-8")
    assert slt("ingest", named, "--db", db).returncode == 0
    todays = tmp_path / "todays_borders.csv"
    todays.write_text(header + "2018;Bø;Vold;15;Gutter;4\n2018;Midt-Telemark;Vold;15;Gutter;5\n",
                      encoding="utf-8")
    assert slt("ingest", todays, "--db", db).returncode == 0
    assert query(db, "SELECT region_code, year, offences FROM u18_current WHERE region_code <> "
                     "'GRENLAND' AND age = '15' AND gender = 'Gutter' AND crime_type = 'Vold' "
                     "ORDER BY 1, 2") == [("K1867", 2018, 4), ("K1867", 2019, 3),
                                          ("K1867", 2020, 2), ("K4020", 2018, 5)]


def test_a_file_that_is_not_there_is_refused_in_norwegian_and_the_others_are_read(slt, db,
                                                                                  tmp_path):
    """Click's own «Error: Invalid value for 'FILES...'» was English and read no file at all."""
    missing = tmp_path / "finnes_ikke.csv"
    result = slt("ingest", missing, SEED_WORKBOOK, tmp_path, "--db", db)
    assert result.returncode == 1
    assert f"AVVIST finnes_ikke.csv:\n  finner ikke filen {missing}\n" in result.stderr
    assert f"er en mappe, ikke en fil: {tmp_path}" in result.stderr
    assert "Error" not in result.stderr
    assert "LAGRET grenland_u18_2019-2024.xlsx" in result.stdout
