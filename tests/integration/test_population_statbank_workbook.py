"""SSB 07459 (population) as Statbank's «Lagre som Excel» writes it, and blank population
cells, through the real ``slt ingest`` into a real DuckDB file: the workbook lands as
population (not as a police table), and a blank cell is suppressed like ``..`` — no row
stored, the figure unknown, never 0 — instead of refusing the file.

The files are written here; the figures are small invented numbers.
"""

import openpyxl

from tests.conftest import query

TITLE = "07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år"


def facts(db):
    return query(db, "SELECT region_code, year, age, gender, persons FROM population_facts "
                     "ORDER BY ALL")


def write_book(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "07459"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_statbank_excel_download_with_the_years_under_personer_lands_as_population(
        slt, db, tmp_path):
    path = write_book(tmp_path / "befolkning.xlsx", [
        [TITLE], [],
        [None, None, None, "Personer", None],
        [None, None, None, "2024", "2025"],
        ["4001 Porsgrunn", "Menn", "15 år", 255, 260],
        [None, None, "16 år", 240, 250],
        [None, "Kvinner", "15 år", 230, ":"],
        [None, None, "16 år", 220, 230],
        ["4003 Skien", "Begge kjønn", "15 år", 800, 810],
        [], ["Kilde: Statistisk sentralbyrå"]])
    result = slt("ingest", path, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 0 and "LAGRET" in out, out
    assert query(db, "SELECT source FROM uploads") == [("population",)]
    assert facts(db) == [
        ("K4001", 2024, "15", "Gutter", 255), ("K4001", 2024, "15", "Jenter", 230),
        ("K4001", 2024, "15", "Totalt", 485), ("K4001", 2024, "16", "Gutter", 240),
        ("K4001", 2024, "16", "Jenter", 220), ("K4001", 2024, "16", "Totalt", 460),
        ("K4001", 2025, "15", "Gutter", 260),  # girls 15 suppressed: no girls, no total
        ("K4001", 2025, "16", "Gutter", 250), ("K4001", 2025, "16", "Jenter", 230),
        ("K4001", 2025, "16", "Totalt", 480),
        ("K4003", 2024, "15", "Totalt", 800), ("K4003", 2025, "15", "Totalt", 810)]


def test_a_blank_cell_in_a_statbank_csv_is_suppressed_not_a_refusal(slt, db, tmp_path):
    head = f'{TITLE}\n\n"region";"kjønn";"alder";"Personer 2023";"Personer 2024"\n'
    first = tmp_path / "a.csv"
    first.write_text(head + '"4003 Skien";"Menn";"15 år";390;400\n'
                            '"4003 Skien";"Kvinner";"15 år";370;380\n', encoding="cp1252")
    assert slt("ingest", first, "--db", db).returncode == 0
    second = tmp_path / "b.csv"
    second.write_text(head + '"4003 Skien";"Menn";"15 år";391;400\n'
                             '"4003 Skien";"Kvinner";"15 år";;380\n', encoding="cp1252")
    result = slt("ingest", second, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 0 and "LAGRET" in out, out
    assert facts(db) == [  # the blank girls 2023 are unknown now: not 370, not 0
        ("K4003", 2023, "15", "Gutter", 391),
        ("K4003", 2024, "15", "Gutter", 400), ("K4003", 2024, "15", "Jenter", 380),
        ("K4003", 2024, "15", "Totalt", 780)]


def test_a_blank_cell_in_a_workbook_with_a_header_row_is_suppressed(slt, db, tmp_path):
    path = write_book(tmp_path / "befolkning.xlsx", [
        [TITLE], [],
        ["region", "kjønn", "alder", "Personer 2024", "Personer 2025"],
        ["4001 Porsgrunn", "Menn", "15 år", 255, 260],
        ["4001 Porsgrunn", "Kvinner", "15 år", 230, None],
        [], ["Kilde: Statistisk sentralbyrå"]])
    result = slt("ingest", path, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 0 and "LAGRET" in out, out
    assert facts(db) == [
        ("K4001", 2024, "15", "Gutter", 255), ("K4001", 2024, "15", "Jenter", 230),
        ("K4001", 2024, "15", "Totalt", 485), ("K4001", 2025, "15", "Gutter", 260)]
