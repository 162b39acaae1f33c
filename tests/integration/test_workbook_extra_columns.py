"""A police table whose header row has a column that is not a year (a change, an average) is
read, not lost: its years land and the message says which column was left out.  A row of
figures that stands under no header of years is refused naming its cell, never skipped.

The seed workbook is edited here with openpyxl as a coordinator would before sending it on,
then sent through the real ``slt ingest``.
"""

import datetime as dt

import openpyxl
import pytest

from tests.conftest import SAMPLE, query, run_slt, snapshot

SEED = SAMPLE / "grenland_u18_2019-2024.xlsx"
FIGURES = "SELECT crime_type, age, gender, year, offences FROM u18_offences ORDER BY ALL"


def edited(path, edit):
    book = openpyxl.load_workbook(SEED)
    edit(book.worksheets[0])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def seed_figures(tmp_path_factory):
    """The seed workbook's stored figures (``FIGURES``, or the rows of another query)."""
    db = tmp_path_factory.mktemp("seed") / "plain.duckdb"
    assert run_slt("ingest", SEED, "--db", db).returncode == 0
    return lambda sql=FIGURES: query(db, sql)


def landed(slt, path, edit):
    """The seed edited by ``edit`` and saved at ``path``, ingested into a new store beside it:
    what ``slt ingest`` printed, and the store."""
    db = path.with_suffix(".duckdb")
    result = slt("ingest", edited(path, edit), "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    return out, db


def _change_column(sheet):
    """«Endring 2022-2023» after the years of the crime-type table, a percent in each row."""
    sheet.cell(5, 8).value = "Endring 2022-2023"
    for row in range(6, 16):
        sheet.cell(row, 8).value = "12 %"


def test_a_column_that_is_no_year_is_left_out_and_the_years_land(slt, tmp_path, seed_figures):
    out, changed = landed(slt, tmp_path / "endring.xlsx", _change_column)
    assert query(changed, FIGURES) == seed_figures()  # the crime types too
    assert ("hoppet over kolonnen «Endring 2022-2023» (ark «U18 Grenland», celle H5): "
            "ikke antall for ett år; lagres ikke") in out
    [(message,)] = query(changed, "SELECT message FROM uploads")
    assert "«Endring 2022-2023»" in message


def _school_years(sheet):
    """«2019/20», «2020/21» … over the crime-type table: no header of years the reader knows."""
    for col in range(2, 8):
        year = sheet.cell(5, col).value
        sheet.cell(5, col).value = f"{year}/{(year + 1) % 100:02d}"


def test_figures_under_no_header_of_years_are_refused_naming_the_cell(slt, db, tmp_path):
    assert slt("ingest", SEED, "--db", db).returncode == 0
    before = snapshot(db)
    result = slt("ingest", edited(tmp_path / "skoleaar.xlsx", _school_years), "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert ("skoleaar.xlsx, ark «U18 Grenland», celle A6: raden «Annen» har tall, men står "
            "ikke under en rad med årstall") in out
    assert "celle A7: raden «Narkotika»" not in out  # the first row of the table says it
    assert snapshot(db) == before


def _years_as_words(sheet):
    """«År 2019», «År 2020» … over both tables."""
    for row in (5, 18):
        for col in range(2, 8):
            sheet.cell(row, col).value = f"År {sheet.cell(row, col).value}"


def test_years_written_as_aar_2019_are_years(slt, tmp_path, seed_figures):
    _out, words = landed(slt, tmp_path / "aar.xlsx", _years_as_words)
    assert query(words, FIGURES) == seed_figures()
    assert query(words, "SELECT DISTINCT counted_through FROM u18_offences WHERE year = 2024") \
        == [(dt.date(2024, 8, 1),)]


def test_a_crime_type_table_with_aar_headers_is_police_not_survey(slt, db, tmp_path):
    """No label over the row labels and headers «År 2021»: the survey key-figure reader could
    take it (indicators «Vold», «Vinning» …, counts ≤ 100 as percentages)."""
    book = openpyxl.Workbook()
    for row in (["Porsgrunn - U18-forhold per krimtype"], [None, "År 2021", "År 2022"],
                ["Vold", 14, 20], ["Vinning", 53, 71], ["Narkotika", 8, 6]):
        book.active.append(row)
    book.save(path := tmp_path / "porsgrunn.xlsx")
    result = slt("ingest", path, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(db, "SELECT crime_type, year, offences FROM u18_offences WHERE region = "
                     "'Porsgrunn' AND crime_type = 'Vinning' ORDER BY year") == [
        ("Vinning", 2021, 53), ("Vinning", 2022, 71)]
    assert query(db, "SELECT count(*) FROM ungdata_facts") == [(0,)]


def _starred(note):
    def edit(sheet):
        sheet.cell(5, 7).value = "2024*"
        sheet.cell(18, 7).value = "2024*"
        if note:
            sheet.cell(31, 1).value = note
    return edit


def test_a_starred_year_is_the_partial_year_its_note_gives(slt, tmp_path, seed_figures):
    _out, starred = landed(slt, tmp_path / "stjerne.xlsx", _starred("* Tall pr. 01.08"))
    assert query(starred, FIGURES) == seed_figures()
    assert query(starred, "SELECT DISTINCT counted_through FROM u18_offences "
                          "WHERE year = 2024") == [(dt.date(2024, 8, 1),)]


def test_a_starred_year_whose_note_gives_no_date_is_refused_quoting_the_note(slt, db,
                                                                             tmp_path):
    """«* Hittil i år» says the year is partial but not to which day: never a full year."""
    result = slt("ingest", edited(tmp_path / "stjerne.xlsx", _starred("* Hittil i år")),
                 "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert ("stjerne.xlsx, ark «U18 Grenland», celle G5: «2024*» viser til merknaden «* Hittil "
            "i år», som ikke sier hvilken dag året er talt til; skriv «2024 (pr. 01.08)» i "
            "overskriften om året er talt til 1. august, eller «2024» om året er helt") in out
    assert out.count("celle G5:") == 1  # said once


def _part_row(sheet):
    """«herav cannabis» under Narkotika: a part of the row above, not a crime type of its own."""
    sheet.insert_rows(8)
    sheet.cell(8, 1).value = "  herav cannabis"
    for col in range(2, 8):
        sheet.cell(8, col).value = 5


def test_a_part_of_the_row_above_is_left_out_and_said(slt, tmp_path, seed_figures):
    out, parts = landed(slt, tmp_path / "herav.xlsx", _part_row)
    assert query(parts, FIGURES) == seed_figures()  # the crime types still sum
    assert ("hoppet over raden «herav cannabis» (ark «U18 Grenland», celle A8): en del av "
            "raden over; lagres ikke") in out


def _shares_beside(sheet):
    """A share of each year beside its count: «2019 | 2019 % | 2020 | 2020 % …»."""
    for col in range(7, 1, -1):
        sheet.insert_cols(col + 1)
        sheet.cell(5, col + 1).value = f"{sheet.cell(5, col).value} %"
        for row in range(6, 16):
            sheet.cell(row, col + 1).value = 0.1


def test_a_share_beside_each_year_is_left_out_and_the_counts_land(slt, tmp_path, seed_figures):
    out, shares = landed(slt, tmp_path / "andel.xlsx", _shares_beside)
    crime_types = FIGURES.replace("ORDER BY", "WHERE age = 'Totalt' ORDER BY")
    assert query(shares, crime_types) == seed_figures(crime_types)
    assert "hoppet over kolonnen «2019 %» (ark «U18 Grenland», celle C5)" in out


def _years_down(sheet):
    """The crime-type table turned: years down the first column, crime types across."""
    block = [[sheet.cell(row, col).value for col in range(1, 8)] for row in range(5, 16)]
    for row in range(5, 16):
        for col in range(1, 8):
            sheet.cell(row, col).value = None
    block[0][0] = "År"
    for i, line in enumerate(block):  # block[i][j] → row 5 + j, column 1 + i
        for j, value in enumerate(line):
            sheet.cell(5 + j, 1 + i).value = value


def test_a_table_with_the_years_down_and_the_crime_types_across_is_read(slt, tmp_path,
                                                                       seed_figures):
    path = tmp_path / "snudd.xlsx"
    _out, turned = landed(slt, path, _years_down)
    assert query(turned, FIGURES) == seed_figures()
    book = openpyxl.load_workbook(path)  # a bad count is named by its own cell
    book.worksheets[0]["C6"] = "ca. 60"  # Narkotika 2019 → the turned table's row 6, column C
    book.save(path)
    result = slt("ingest", path, "--db", turned)
    assert result.returncode == 1
    assert "snudd.xlsx, ark «U18 Grenland», celle C6: Narkotika 2019: «ca. 60»" in (
        result.stdout + result.stderr)
