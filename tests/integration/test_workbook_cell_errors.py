"""A workbook that cannot be read is refused naming its sheet and cell, never «linje N»: Ungdata
key-figure and tidy survey workbooks and SSB population workbooks, each written here with
openpyxl and sent through the real ``slt ingest``.  A refused file changes nothing but the
record of the attempt (``uploads``); a refused dry run leaves the database file byte for byte.
"""

import openpyxl
import pytest

from tests.conftest import TEST_DATA, query, snapshot

STORED_FIRST = TEST_DATA / "exports" / "statbank_07459_norsk.xlsx"


def workbook(path, rows, sheet="Ark1"):
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


CASES = {
    "key figures: a share that is no number": (
        [["Kommune: Porsgrunn"], [], ["Indikator", "2021", "2024", "Norge"],
         ["Har minst én god venn", 88, 87, 89], ["Fornøyd med skolen", 80, "ca. 12", 79]],
        "ark «Ark1», celle C5: «ca. 12» er ikke en prosent"),
    "key figures: a column with no year": (
        [["Kommune: Porsgrunn"], ["Indikator", "Ungdomsskolen"], ["Har minst én god venn", 88]],
        "ark «Ark1», celle B3: kolonnen har ikke noe år eller periode"),
    "tidy: a share that is no number": (
        [["Indikator", "Kommune", "Periode", "Prosent", "Antall svar"],
         ["Har minst én god venn", "Porsgrunn", "2024", 87, 410],
         ["Fornøyd med skolen", "Porsgrunn", "2024", "mye", 400]],
        "ark «Ark1», celle D3: mangler periode eller prosent («mye»)"),
    "tidy: respondents that are no whole number": (
        [["Indikator", "Kommune", "Periode", "Prosent", "Antall svar"],
         ["Har minst én god venn", "Porsgrunn", "2024", 87, "410,5"]],
        "ark «Ark1», celle E2: «410,5» er ikke et antall svar"),
    "key figures: the same indicator twice": (
        [["Kommune: Porsgrunn"], ["Indikator", "2021", "2024"],
         ["Har minst én god venn", 88, 87], ["Har minst én god venn", 88, 86]],
        "ark «Ark1», celle B4: «Har minst én god venn» 2021 står to ganger (også i celle B3)"),
    "population: a count that is no whole number": (
        [["07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år"], [],
         ["region", "kjønn", "alder", "Personer 2023", "Personer 2024"],
         ["K-4001 Porsgrunn", "Menn", "15 år", 215, 220],
         ["K-4003 Skien", "Menn", "15 år", 305, "310,5"]],
        "ark «Ark1», celle E5: «310,5» er ikke et antall personer"),
}


@pytest.fixture
def stored(slt, db):
    first = slt("ingest", STORED_FIRST, "--db", db)
    assert first.returncode == 0, first.stdout + first.stderr
    return db


@pytest.mark.parametrize("case", list(CASES))
def test_a_refused_workbook_names_sheet_and_cell_and_stores_nothing(case, slt, stored,
                                                                     tmp_path):
    rows, message = CASES[case]
    path = workbook(tmp_path / "innsendt.xlsx", rows)
    before, uploads = snapshot(stored), query(stored, "SELECT max(upload_id) FROM uploads")[0][0]
    result = slt("ingest", path, "--db", stored)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "AVVIST innsendt.xlsx" in out
    assert f"innsendt.xlsx, {message}" in out
    assert "linje" not in out
    assert snapshot(stored) == before  # every table and view but the attempt's record
    assert query(stored, "SELECT count(*), min(outcome) FROM uploads WHERE upload_id > ?",
                 [uploads]) == [(1, "rejected")]


@pytest.mark.parametrize("case", list(CASES))
def test_a_refused_dry_run_leaves_the_database_file_byte_for_byte(case, slt, stored, tmp_path):
    rows, message = CASES[case]
    path = workbook(tmp_path / "innsendt.xlsx", rows)
    before = stored.read_bytes()
    result = slt("ingest", path, "--db", stored, "--dry-run")
    assert result.returncode == 1 and message in result.stdout + result.stderr
    assert stored.read_bytes() == before


def test_a_count_that_is_no_number_is_the_one_problem_not_also_the_totals_over_it(slt, db,
                                                                                  tmp_path):
    """«ca. 190» was followed by «Totalt 2023 er 622, men krimtypene summerer til 429» for
    every total over it: the sum of the readable parts is no finding while a part is not."""
    path = workbook(tmp_path / "u18.xlsx", [
        ["Porsgrunn - registrerte U18-forhold per krimtype"],
        [None, 2022, 2023], ["Vinning", 182, 175], ["Vold", 174, "ca. 190"],
        ["Totalt", 356, 365]])
    result = slt("ingest", path, "--db", db)
    assert result.returncode == 1
    lines = [line.strip() for line in result.stderr.splitlines()[1:]]
    assert lines == ["u18.xlsx, ark «Ark1», celle C4: Vold 2023: «ca. 190» er ikke et antall "
                     "(forventet et helt tall ≥ 0, en tom celle eller et prikketegn som «..»)"]
