"""A police cross table with a region per column — «Porsgrunn 2023 | Skien 2023» in one header
row, or the kommuner over their years in a row above (merged cells, as a police district's
summary of its kommuner is laid out) — or a workbook with a sheet per kommune is read as each
kommune's figures, through the real ``slt ingest``; a name that is no region is refused naming
its cell.  A table of crime types with a gender per column («fordelt på kjønn») gives every cell,
its totals derived or checked."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import query

BODY = [("Vold", 30, 35, 50, 55), ("Vinning", 20, 25, 10, 12), ("I alt", 50, 60, 60, 67)]
EXPECTED = {("Porsgrunn", 2023, "Vold"): 30, ("Porsgrunn", 2024, "Vold"): 35,
            ("Skien", 2023, "Vold"): 50, ("Skien", 2024, "Vold"): 55,
            ("Porsgrunn", 2023, "Vinning"): 20, ("Porsgrunn", 2024, "Vinning"): 25,
            ("Skien", 2023, "Vinning"): 10, ("Skien", 2024, "Vinning"): 12,
            ("Porsgrunn", 2023, "Totalt"): 50, ("Porsgrunn", 2024, "Totalt"): 60,
            ("Skien", 2023, "Totalt"): 60, ("Skien", 2024, "Totalt"): 67}


def _book(path: Path, rows: list[list], merged: tuple[str, ...] = (),
          sheet_name: str = "U18 Grenland") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    for row in rows:
        sheet.append(row)
    for span in merged:
        sheet.merge_cells(span)
    book.save(path)
    return path


def _figures(db: Path) -> dict:
    return {(region, year, crime): n for region, year, crime, n in query(
        db, "SELECT region, year, crime_type, offences FROM u18_offences "
            "WHERE age = 'Totalt' AND gender = 'Totalt'")}


def one_header_row(path: Path) -> Path:
    names = ("Porsgrunn", "Porsgrunn", "Skien", "Skien")
    header = ["Lovbruddsgruppe", *(f"{n} {y}" for n, y in zip(names, (2023, 2024) * 2))]
    return _book(path, [["Anmeldte forhold, gjerningsperson under 18 år"], header,
                        *map(list, BODY)])


def regions_above_years(path: Path) -> Path:
    return _book(path, [["Anmeldte forhold U18 per kommune"],
                        [None, "Porsgrunn", None, "Skien", None],
                        ["Lovbruddsgruppe", 2023, 2024, 2023, 2024], *map(list, BODY)],
                 merged=("B2:C2", "D2:E2"))


@pytest.mark.parametrize("make", [one_header_row, regions_above_years])
def test_a_region_per_column_gives_each_kommunes_figures(slt, db, tmp_path, make):
    path = make(tmp_path / "grenland.xlsx")
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert "Porsgrunn nye år: 2023, 2024" in done.stdout and "Skien nye år" in done.stdout
    assert _figures(db) == EXPECTED


def test_columns_over_the_kommuner_or_the_years_are_left_out_and_said(slt, db, tmp_path):
    header = ["Lovbruddsgruppe", "Porsgrunn 2024", "Skien 2024", "Sum 2024", "Endring 2024",
              "Snitt 2019-2023"]
    path = _book(tmp_path / "sum.xlsx", [header, ["Vold", 35, 55, 90, 3, 70.5]])
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert _figures(db) == {("Porsgrunn", 2024, "Vold"): 35, ("Skien", 2024, "Vold"): 55}
    assert "hoppet over «Sum» (summen av regionene i filen" in done.stdout, done.stdout
    for column in ("Endring 2024", "Snitt 2019-2023"):
        assert f"hoppet over kolonnen «{column}»" in done.stdout


@pytest.mark.parametrize("make, cell", [(one_header_row, "D2"), (regions_above_years, "D2")])
def test_a_column_named_for_no_region_is_refused_naming_its_cell(slt, db, tmp_path, make, cell):
    path = make(tmp_path / "typo.xlsx")
    book = openpyxl.load_workbook(path)
    book.active[cell] = book.active[cell].value.replace("Skien", "Skjen")
    book.save(path)
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 1
    assert f"ark «U18 Grenland», celle {cell}: regionen «Skjen»" in done.stderr, done.stderr
    assert not query(db, "SELECT * FROM u18_current")


@pytest.mark.parametrize("names", [("Porsgrunn", "Skien"), ("U18 Porsgrunn", "Skien 2023-24")])
def test_a_sheet_per_kommune_gives_each_kommunes_figures(slt, db, tmp_path, names):
    """Sheets named for Porsgrunn, Skien and «Totalt», each the same table whose title names no
    region: each sheet's figures are its kommune's; the sum's sheet is left out and said."""
    book = openpyxl.Workbook()
    for i, (name, column) in enumerate(((names[0], (1, 2)), (names[1], (3, 4)),
                                        ("Totalt", None))):
        sheet = book.active if i == 0 else book.create_sheet()
        sheet.title = name
        sheet.append(["Anmeldte forhold, gjerningsperson under 18 år"])
        sheet.append(["Lovbruddsgruppe", 2023, 2024])
        for label, *counts in BODY:
            sheet.append([label, *(counts[c - 1] for c in column)] if column
                         else [label, counts[0] + counts[2], counts[1] + counts[3]])
    book.save(path := tmp_path / "per_kommune.xlsx")
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert _figures(db) == EXPECTED
    assert "hoppet over arket «Totalt» (summen av regionene i filen, 6 tall)" in done.stdout


def test_a_title_naming_the_region_wins_over_the_sheets_name(slt, db, tmp_path):
    path = _book(tmp_path / "titled.xlsx", [["Skien - anmeldte forhold U18"],
                                            ["Lovbruddsgruppe", 2023, 2024], ["Vold", 50, 55]],
                 sheet_name="Porsgrunn")
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert _figures(db) == {("Skien", 2023, "Vold"): 50, ("Skien", 2024, "Vold"): 55}


@pytest.mark.parametrize("title, year, through", [
    ("Anmeldte forhold 2024, gjerningsperson under 18 år", 2024, None),
    ("Anmeldte forhold U18 2024 (pr. 01.08)", 2024, "2024-08-01")])
@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_kommuner_across_one_year_named_in_the_title(slt, db, tmp_path, title, year, through,
                                                     suffix):
    rows = [[title], ["Lovbruddsgruppe", "Porsgrunn", "Skien", "Sum"], ["Vold", 35, 55, 90],
            ["Vinning", 25, 12, 37]]
    if suffix == "xlsx":
        path = _book(tmp_path / "ett_aar.xlsx", rows)
    else:  # Excel's «Lagre som CSV»
        path = tmp_path / "ett_aar.csv"
        path.write_text("\n".join(";".join(map(str, row)) for row in rows) + "\n",
                        encoding="utf-8")
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert _figures(db) == {("Porsgrunn", year, "Vold"): 35, ("Skien", year, "Vold"): 55,
                            ("Porsgrunn", year, "Vinning"): 25, ("Skien", year, "Vinning"): 12}
    assert query(db, "SELECT DISTINCT CAST(counted_through AS VARCHAR) FROM u18_current") == [
        (through,)]
    assert "hoppet over «Sum»" in done.stdout


def test_kommuner_across_under_a_title_of_several_years_are_refused_as_before(slt, db,
                                                                             tmp_path):
    path = _book(tmp_path / "flere.xlsx", [["Anmeldte forhold 2019-2024"],
                                           ["Lovbruddsgruppe", "Porsgrunn", "Skien"],
                                           ["Vold", 35, 55]])
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 1
    assert "celle A3: raden «Vold» har tall, men står ikke under en rad med årstall" in \
        done.stderr


def test_tables_that_name_no_region_anywhere_are_refused_saying_where_to_name_it(slt, db,
                                                                                 tmp_path):
    path = _book(tmp_path / "uten.xlsx", [["Anmeldte forhold U18"],
                                          ["Lovbruddsgruppe", 2023, 2024], ["Vold", 50, 55]],
                 sheet_name="Ark1")
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 1
    assert ("fant ikke hvilken region tabellen gjelder («Anmeldte forhold U18» på arket «Ark1»)"
            ": skriv regionen først i tittelen («Porsgrunn – Anmeldte forhold U18») "
            "eller som navnet på arket, eller oppgi den med --region NAVN") in done.stderr, \
        done.stderr
    assert not query(db, "SELECT * FROM u18_current")


GENDERS = [("Vold", 20, 15, 35), ("Vinning", 20, 5, 25), ("Totalt", 40, 20, 60)]


def _by_gender(db: Path) -> dict:
    return {(year, crime, gender): n for year, crime, gender, n in query(
        db, "SELECT year, crime_type, gender, offences FROM u18_offences WHERE age = 'Totalt' "
            "AND region = 'Porsgrunn'")}


@pytest.mark.parametrize("header, title", [
    (["Lovbruddsgruppe", "Gutter", "Jenter", "Totalt"], "Porsgrunn – anmeldte forhold 2024"),
    (["Lovbruddsgruppe", "Gutter 2024", "Jenter 2024", "I alt 2024"],
     "Porsgrunn – anmeldte forhold")])
def test_crime_types_by_gender_across_give_every_cell_and_total(slt, db, tmp_path, header,
                                                                 title):
    path = _book(tmp_path / "kjonn.xlsx", [[title], header, *map(list, GENDERS)])
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert _by_gender(db) == {(2024, crime, gender): n for crime, *counts in GENDERS
                              for gender, n in zip(("Gutter", "Jenter", "Totalt"), counts)}


def test_the_totals_a_gender_table_leaves_out_are_derived(slt, db, tmp_path):
    path = _book(tmp_path / "kjonn.xlsx", [["Porsgrunn – anmeldte forhold 2024"],
                                           ["Lovbruddsgruppe", "Gutter", "Jenter"],
                                           *[row[:3] for row in GENDERS[:2]]])
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert _by_gender(db) == {(2024, crime, gender): n for crime, *counts in GENDERS
                              for gender, n in zip(("Gutter", "Jenter", "Totalt"), counts)}


def test_a_gender_tables_total_that_is_not_its_sum_is_refused_naming_its_cell(slt, db,
                                                                              tmp_path):
    rows = [list(row) for row in GENDERS]
    rows[0][3] = 36  # Vold: 20 + 15 is 35
    path = _book(tmp_path / "kjonn.xlsx", [["Porsgrunn – anmeldte forhold 2024"],
                                           ["Lovbruddsgruppe", "Gutter", "Jenter", "Totalt"],
                                           *rows])
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 1
    assert "celle D3: Vold 2024 er 36, men radene under summerer til 35" in done.stderr, \
        done.stderr


def test_a_row_of_the_columns_dimension_is_refused_naming_it(slt, db, tmp_path):
    path = _book(tmp_path / "kjonn.xlsx", [["Porsgrunn – anmeldte forhold 2024"],
                                           ["Lovbruddsgruppe", "Gutter", "Jenter"],
                                           ["Vold", 20, 15], ["Jenter", 3, 4]])
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 1
    assert "celle A4: raden «Jenter» står i en tabell med kjønn i kolonnene" in done.stderr, \
        done.stderr


def test_years_merged_over_genders_give_each_year_and_gender(slt, db, tmp_path):
    """Two header rows, the years over their genders (merged cells), as Excel reports lay out
    «fordelt på kjønn» for several years."""
    path = _book(tmp_path / "aar_kjonn.xlsx", [
        ["Porsgrunn – anmeldte forhold, gjerningsperson under 18 år"],
        [None, 2023, None, 2024, None],
        ["Lovbruddsgruppe", "Gutter", "Jenter", "Gutter", "Jenter"],
        ["Vold", 18, 12, 20, 15], ["Vinning", 15, 6, 20, 5]], merged=("B2:C2", "D2:E2"))
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    got = _by_gender(db)
    assert {k: v for k, v in got.items() if k[0] == 2024 and k[1] != "Totalt"} == {
        (2024, crime, gender): n for crime, *counts in GENDERS[:2]
        for gender, n in zip(("Gutter", "Jenter", "Totalt"), counts)}
    assert got[(2023, "Vold", "Totalt")] == 30 and got[(2023, "Totalt", "Jenter")] == 18
    assert got[(2024, "Totalt", "Totalt")] == 60  # derived: the table gives no totals


def test_years_merged_over_kommuner_give_each_kommunes_figures(slt, db, tmp_path):
    path = _book(tmp_path / "aar_kommune.xlsx", [
        ["Anmeldte forhold, gjerningsperson under 18 år"],
        [None, 2023, None, 2024, None],
        ["Lovbruddsgruppe", "Porsgrunn", "Skien", "Porsgrunn", "Skien"],
        *([label, a, c, b, d] for label, a, b, c, d in BODY)], merged=("B2:C2", "D2:E2"))
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert _figures(db) == EXPECTED


def test_a_sheet_of_one_row_beside_a_table_is_read_as_before(slt, db, tmp_path):
    """A sheet of one line (a source note) beside the table: nothing to read there."""
    path = _book(tmp_path / "kilde.xlsx", [["Porsgrunn – anmeldte forhold"],
                                           ["Lovbruddsgruppe", 2023, 2024], ["Vold", 30, 35]])
    book = openpyxl.load_workbook(path)
    book.create_sheet("Kilde").append(["Kilde: Politiet, Sør-Øst politidistrikt"])
    book.save(path)
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert _figures(db) == {("Porsgrunn", 2023, "Vold"): 30, ("Porsgrunn", 2024, "Vold"): 35}
