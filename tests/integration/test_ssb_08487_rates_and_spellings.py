"""SSB 08487 downloads whose statistic variable, kommune numbers or period column are spelled in
ways the first reader did not know, through the real ``slt ingest`` into a real DuckDB file:
SSB's rate per 1 000 is never stored as a count, whatever its spelling; a variable that is
neither the count nor the rate is refused naming its cell; a figure under an old kommune
number counts where today's number is suppressed; the period column's other names land.

The files are written here in Statbank's layouts; the figures are small invented numbers.
"""

import openpyxl
import pytest

from tests.conftest import query, snapshot
from tests.integration.test_ssb_08487_layouts import LAYOUTS, NB_TITLE, stored, write_csv

RATE_SPELLINGS = [
    "Anmeldte lovbrudd pr. 1 000 innbyggere (årlig gjennomsnitt)",
    "Offences reported per 1,000 population (annual average)",
    "Anmeldte lovbrudd pr. 1000 innb. (årlig gjennomsnitt)",
]


def rate_file(path, rate: str):
    rows = [["gjerningssted", "lovbruddsgruppe", f"{rate} 2022-2023", f"{rate} 2023-2024"],
            ["4001 Porsgrunn", "Alle lovbruddsgrupper", "68,2", "70,3"],
            ["4003 Skien", "Alle lovbruddsgrupper", "54,4", "55,8"]]
    return write_csv(path, rows, NB_TITLE, encoding="utf-8")


@pytest.fixture
def loaded(slt, db, tmp_path):
    """A store with 08487 figures already in it, so that a refusal can be seen to change
    nothing."""
    path = LAYOUTS["statbank_nb_periods_as_columns.csv"](tmp_path / "grunnlag.csv")
    assert slt("ingest", path, "--db", db).returncode == 0
    return snapshot(db)


@pytest.mark.parametrize("rate", RATE_SPELLINGS)
def test_a_file_of_only_the_rate_in_any_spelling_is_refused_and_never_stored_as_counts(
        rate, slt, db, tmp_path, loaded):
    result = slt("ingest", rate_file(tmp_path / "rate.csv", rate), "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "AVVIST" in out, out
    assert "filen har bare SSBs rate per 1 000 innbyggere" in out
    assert "antall anmeldte lovbrudd" in out
    assert snapshot(db) == loaded


def test_a_file_of_the_count_and_the_rate_spelled_pr_stores_the_counts_only(slt, db, tmp_path):
    count, rate = ("Anmeldte lovbrudd (årlig gjennomsnitt)",
                   "Anmeldte lovbrudd pr. 1 000 innbyggere (årlig gjennomsnitt)")
    rows = [["gjerningssted", "lovbruddsgruppe", *(f"{m} {p}" for m in (count, rate)
                                                   for p in ("2022-2023", "2023-2024"))],
            ["4001 Porsgrunn", "Alle lovbruddsgrupper", "2500", "2600", "68,2", "70,3"],
            ["4001 Porsgrunn", "Vold og mishandling", "400", "..", "10,9", ".."],
            ["4003 Skien", "Alle lovbruddsgrupper", "3000", "3100", "54,4", "55,8"]]
    result = slt("ingest", write_csv(tmp_path / "begge.csv", rows, NB_TITLE), "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 0 and "LAGRET" in out, out
    assert "SSBs rate per 1 000 innbyggere er ikke lagret" in out
    assert stored(db) == [
        ("Porsgrunn", "2022-2023", "Alle lovbruddsgrupper", 2500.0, False),
        ("Porsgrunn", "2022-2023", "Vold og mishandling", 400.0, False),
        ("Porsgrunn", "2023-2024", "Alle lovbruddsgrupper", 2600.0, False),
        ("Porsgrunn", "2023-2024", "Vold og mishandling", None, True),
        ("Skien", "2022-2023", "Alle lovbruddsgrupper", 3000.0, False),
        ("Skien", "2023-2024", "Alle lovbruddsgrupper", 3100.0, False)]


def test_a_statistic_variable_neither_count_nor_rate_is_refused_naming_its_header_cell(
        slt, db, tmp_path, loaded):
    path = tmp_path / "endring.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "08487"
    sheet.append([NB_TITLE])
    sheet.append([])
    sheet.append(["region", "lovbruddsgruppe", "Anmeldte lovbrudd, årlig gjennomsnitt 2023-2024",
                  "Anmeldte lovbrudd, endring i prosent 2023-2024"])
    sheet.append(["4001 Porsgrunn", "Alle lovbruddsgrupper", 2600, 4.0])
    book.save(path)
    result = slt("ingest", path, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "AVVIST" in out, out
    assert ("endring.xlsx, ark «08487», celle D3: «Anmeldte lovbrudd, endring i prosent "
            "2023-2024» er verken antall anmeldte lovbrudd eller SSBs rate per 1 000 "
            "innbyggere") in out
    assert snapshot(db) == loaded


def test_a_statistic_variable_cell_neither_count_nor_rate_is_refused_naming_the_cell(
        slt, db, tmp_path, loaded):
    rows = [["region", "lovbruddsgruppe", "statistikkvariabel", "2023-2024"],
            ["4001 Porsgrunn", "Alle lovbruddsgrupper", "Anmeldte lovbrudd, årlig gjennomsnitt",
             "2600"],
            ["4001 Porsgrunn", "Alle lovbruddsgrupper", "Anmeldte lovbrudd per 100 000 "
             "innbyggere", "7030"]]
    result = slt("ingest", write_csv(tmp_path / "per100k.csv", rows, NB_TITLE), "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "AVVIST" in out, out
    assert ("per100k.csv: linje 5: «Anmeldte lovbrudd per 100 000 innbyggere» er verken antall "
            "anmeldte lovbrudd eller SSBs rate per 1 000 innbyggere") in out
    assert snapshot(db) == loaded


def split_header_book(path, cells: dict[tuple[str, str], object]):
    """«Lagre som Excel»: Porsgrunn under 3806 (2020-2023) and 4001, each written once."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "08487"
    sheet.append([NB_TITLE])
    sheet.append([])
    sheet.append(["", "", "Anmeldte lovbrudd (årlig gjennomsnitt)", ""])
    sheet.append(["", "", "2022-2023", "2023-2024"])
    for label in ("3806 Porsgrunn (2020-2023)", "4001 Porsgrunn"):
        for n, group in enumerate(("Alle lovbruddsgrupper", "Vold og mishandling")):
            sheet.append(["" if n else label, group,
                          *(cells[label[:4], group, p] for p in ("2022-2023", "2023-2024"))])
    sheet.append([])
    sheet.append(["Kilde: Statistisk sentralbyrå"])
    book.save(path)
    return path


def test_a_figure_under_the_old_number_counts_where_todays_number_is_suppressed(
        slt, db, tmp_path):
    cells = {("3806", "Alle lovbruddsgrupper", "2022-2023"): 2500,
             ("3806", "Alle lovbruddsgrupper", "2023-2024"): "..",
             ("3806", "Vold og mishandling", "2022-2023"): "..",
             ("3806", "Vold og mishandling", "2023-2024"): 380,
             ("4001", "Alle lovbruddsgrupper", "2022-2023"): "..",
             ("4001", "Alle lovbruddsgrupper", "2023-2024"): 2600,
             ("4001", "Vold og mishandling", "2022-2023"): "..",
             ("4001", "Vold og mishandling", "2023-2024"): 390}
    result = slt("ingest", split_header_book(tmp_path / "gamle.xlsx", cells), "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert stored(db) == [  # where both are known, today's number wins (390, not 380)
        ("Porsgrunn", "2022-2023", "Alle lovbruddsgrupper", 2500.0, False),
        ("Porsgrunn", "2022-2023", "Vold og mishandling", None, True),
        ("Porsgrunn", "2023-2024", "Alle lovbruddsgrupper", 2600.0, False),
        ("Porsgrunn", "2023-2024", "Vold og mishandling", 390.0, False)]


@pytest.mark.parametrize("header, delimiter", [
    (("gjerningssted", "lovbruddsgruppe", "tidsperiode"), ";"),
    (("gjerningssted", "lovbruddsgruppe", "intervall (år)"), ";"),
    (("scene of crime", "type of offence", "time period"), ","),
])
def test_the_period_column_under_its_other_names_lands(header, delimiter, slt, db, tmp_path):
    english = header[0] == "scene of crime"
    measure = ("Offences reported (annual average)" if english
               else "Anmeldte lovbrudd (årlig gjennomsnitt)")
    groups = (("All groups of offences", "Violence and maltreatment") if english
              else ("Alle lovbruddsgrupper", "Vold og mishandling"))
    lines = [f'"{NB_TITLE}"', "", delimiter.join(f'"{c}"' for c in (*header, measure)),
             delimiter.join(['"4001 Porsgrunn"', f'"{groups[0]}"', '"2023-2024"', "2600"]),
             delimiter.join(['"4001 Porsgrunn"', f'"{groups[1]}"', '"2023-2024"', "400"])]
    path = tmp_path / "perioder.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    result = slt("ingest", path, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(db, "SELECT source FROM uploads") == [("ssb_08487",)]
    assert stored(db) == [("Porsgrunn", "2023-2024", "Alle lovbruddsgrupper", 2600.0, False),
                          ("Porsgrunn", "2023-2024", "Vold og mishandling", 400.0, False)]


def test_a_figure_given_twice_is_refused_naming_the_region_as_written_not_its_code(
        slt, db, tmp_path, loaded):
    rows = [["region", "lovbruddsgruppe", "Anmeldte lovbrudd, årlig gjennomsnitt 2023-2024"],
            ["4001 Porsgrunn", "Alle lovbruddsgrupper", "2600"],
            ["Porsgrunn", "Alle lovbruddsgrupper", "2610"]]
    result = slt("ingest", write_csv(tmp_path / "to_ganger.csv", rows, NB_TITLE), "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "AVVIST" in out, out
    assert ("to_ganger.csv: linje 4: samme tall står flere ganger (2 rader), f.eks. "
            "«4001 Porsgrunn» og «Porsgrunn», 2023-2024, Alle lovbruddsgrupper") in out
    assert "K4001" not in out
    assert snapshot(db) == loaded
