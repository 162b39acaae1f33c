"""A police table with a column per year and its labels in named columns — ``Kommune |
Krimtype | 2021 | 2022 | 2023``, as a pivot table is exported — is read as the long table it
is (CSV or workbook), each count named by its own cell; it was refused as an unknown crime
type «Skien».  Sent through the real ``slt ingest``.
"""

import datetime as dt

import openpyxl
import pytest

from tests.conftest import query

ROWS = [["Kommune", "Krimtype", "2022", "2023", "2024 (pr. 01.08)"],
        ["Skien", "Vold", "5", "6", "4"],
        ["Skien", "Vinning", "3", "", "2"],
        ["Porsgrunn", "Vold", "2", "3", ".."]]


def written(path, rows):
    if path.suffix == ".xlsx":
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        path.write_text("\n".join(";".join(row) for row in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_column_per_year_lands_as_one_figure_per_label_and_year(slt, db, tmp_path, suffix):
    result = slt("ingest", written(tmp_path / f"pivot{suffix}", ROWS), "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(db, "SELECT region, crime_type, year, counted_through, offences "
                     "FROM u18_offences WHERE crime_type <> 'Totalt' ORDER BY ALL") == [
        ("Porsgrunn", "Vold", 2022, None, 2), ("Porsgrunn", "Vold", 2023, None, 3),
        ("Porsgrunn", "Vold", 2024, dt.date(2024, 8, 1), None),  # «..»: unknown, never 0
        ("Skien", "Vinning", 2022, None, 3),  # a blank cell is none, as in a cross table
        ("Skien", "Vinning", 2024, dt.date(2024, 8, 1), 2),
        ("Skien", "Vold", 2022, None, 5), ("Skien", "Vold", 2023, None, 6),
        ("Skien", "Vold", 2024, dt.date(2024, 8, 1), 4)]


def test_a_bad_count_is_named_by_its_own_cell(slt, db, tmp_path):
    rows = [*ROWS[:2], ["Skien", "Vinning", "3", "ca. 4", "2"]]
    result = slt("ingest", written(tmp_path / "pivot.xlsx", rows), "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "pivot.xlsx, ark «Sheet», celle D3: Vinning 2023: «ca. 4» er ikke et antall" in out
    assert query(db, "SELECT count(*) FROM u18_current") == [(0,)]


def test_a_column_per_year_beyond_the_size_read_as_a_sheet_is_refused_saying_so(slt, db,
                                                                               tmp_path):
    from etl.readers.long_table import MAX_GRID_BYTES

    path = tmp_path / "stor.csv"
    line = "Skien;Vold;5;6;4\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Kommune;Krimtype;2022;2023;2024\n")
        fh.write(line * (MAX_GRID_BYTES // len(line) + 1))
    result = slt("ingest", path, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert ("stor.csv: linje 1 har en kolonne per år («Kommune | Krimtype | 2022 | 2023 | …»); "
            "en slik fil leses når den er under 4 MB") in out


@pytest.mark.parametrize("body", ["", "\n;;\n"])
def test_a_column_per_year_with_no_rows_under_it_is_refused_saying_that(slt, db, tmp_path, body):
    """A small file of a header alone was told to be cut below 4 MB."""
    path = tmp_path / "tom.csv"
    path.write_text(f"Kommune;Krimtype;2023\n{body}", encoding="utf-8")
    result = slt("ingest", path, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert ("tom.csv: linje 1 er en overskrift med en kolonne per år («Kommune | Krimtype | "
            "2023»), men filen har ingen rader under den") in out
    assert "4 MB" not in out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_excels_unicode_text_is_read_as_the_table_it_is(slt, db, tmp_path, encoding):
    """Excel's «Unicode-tekst (*.txt)»: UTF-16 with a byte order mark, tab-separated, CRLF.
    It was refused as «verken et regneark … eller tekst»."""
    path = tmp_path / "pivot.txt"
    text = "\r\n".join("\t".join(row) for row in ROWS) + "\r\n"
    path.write_bytes(("\ufeff" + text).encode(encoding) if encoding.endswith("be")
                     else text.encode(encoding))
    result = slt("ingest", path, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LAGRET pivot.txt" in result.stdout
    assert query(db, "SELECT region, crime_type, year, offences FROM u18_offences "
                     "WHERE age = 'Totalt' AND gender = 'Totalt' AND crime_type = 'Vold' "
                     "AND region = 'Skien' ORDER BY year") == [
        ("Skien", "Vold", 2022, 5), ("Skien", "Vold", 2023, 6), ("Skien", "Vold", 2024, 4)]
