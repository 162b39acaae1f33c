"""An FHI long table opened in Excel and saved as a workbook (numbers as numbers, the
``År`` of a school-year window as a date) lands with the same figures as the CSV it came from,
through the real ``slt ingest`` into a real DuckDB file; a bad cell is refused naming the sheet
and cell, and leaves the store as it was.

The files are the real FHI exports shipped in ``data/sample/`` (see ``data/reference/README.md``
for their source).
"""

import csv
import datetime as dt

import openpyxl
import pytest

from tests.conftest import REPO, query, snapshot

SAMPLE = REPO / "data" / "sample"
STORED = ("SELECT region, period, year, grade, gender, indicator, value, unit, suppressed "
          "FROM indicator_values ORDER BY ALL")


def as_workbook(csv_path, xlsx_path, sheet="Data", change=None):
    """The CSV as Excel saves it: numbers as numbers, ``2018-01-01`` as a date."""
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if change:
        change(rows)
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append([_typed(cell) for cell in row])
    book.save(xlsx_path)
    return xlsx_path


def _typed(cell: str):
    try:
        return dt.datetime.strptime(cell, "%Y-%m-%d")
    except ValueError:
        pass
    try:
        return float(cell)
    except ValueError:
        return cell


@pytest.mark.parametrize("name", ["trivsel_10_klasse_treaarig.csv",
                                  "psykiske_plager_ungdom.csv"])
def test_an_fhi_export_saved_as_a_workbook_lands_as_its_csv_does(name, slt, db, tmp_path):
    from_csv = tmp_path / "csv.duckdb"
    assert slt("ingest", SAMPLE / name, "--db", from_csv).returncode == 0
    book = as_workbook(SAMPLE / name, tmp_path / name.replace(".csv", ".xlsx"))
    result = slt("ingest", book, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LAGRET" in result.stdout
    assert query(db, STORED) == query(from_csv, STORED)
    assert query(db, "SELECT source FROM uploads") == [("ungdata",)]
    again = slt("ingest", SAMPLE / name, "--db", db)
    assert again.returncode == 0 and "UENDRET" in again.stdout


def test_a_cell_that_is_no_number_in_an_fhi_workbook_is_refused_naming_sheet_and_cell(
        slt, db, tmp_path):
    def spoil(rows):
        assert rows[0][-1] == "value"
        rows[5][-1] = "ca. 70"  # sheet row 6, the last column (H)

    name = "psykiske_plager_ungdom.csv"
    assert slt("ingest", SAMPLE / "trivsel_10_klasse_treaarig.csv", "--db", db).returncode == 0
    before = snapshot(db)
    book = as_workbook(SAMPLE / name, tmp_path / "feil.xlsx", "Tabell", spoil)
    result = slt("ingest", book, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "AVVIST" in out
    assert "feil.xlsx, ark «Tabell», celle H6: «ca. 70» er ikke et tall" in out
    assert snapshot(db) == before


def test_the_same_figure_twice_in_an_fhi_workbook_is_refused_naming_both_cells(
        slt, db, tmp_path):
    def repeat(rows):
        rows.append(list(rows[1]))

    book = as_workbook(SAMPLE / "psykiske_plager_ungdom.csv", tmp_path / "dobbel.xlsx",
                       change=repeat)
    result = slt("ingest", book, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "AVVIST" in out
    assert "står to ganger (også i celle H2)" in out
    assert query(db, "SELECT count(*) FROM ungdata_facts") == [(0,)]
