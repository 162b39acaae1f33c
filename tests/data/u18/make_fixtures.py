"""Regenerate the small police U18 fixture files in this folder (run on purpose, then commit).

The figures are invented for tests except ``seed_*``, which are the Grenland figures of the
Porsgrunn SLT plan.  Every file is small enough to read by eye.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
SEED = HERE.parents[2] / "data" / "sample" / "grenland_u18_2019-2024.xlsx"

TYPES_B = {"VOLD": [40, 52, 61], "VINNING": [30, 25, 44], "NARKOTIKA": [12, 9, 15],
           "SKADEVERK": [10, 14, 8], "TRAFIKK": [5, 7, 6], "SEKSUALLOVBRUDD": [3, 2, 4],
           "ØKONOMI": [1, 0, 2], "ANNEN": [9, 11, 10]}
AGES_B = {"Under 10 år": [1, 0, 2], "10 år": [0, 1, 1], "11 år": [2, 3, 1], "12 år": [6, 8, 7],
          "13 år": [12, 10, 16], "14 år": [20, 22, 30], "15 år": [25, 28, 38],
          "16 år": [22, 27, 24], "17 år": [22, 21, 31]}
GENDERS_B = {"Jenter": [25, 30, 41], "Gutter": [85, 90, 109]}


def seed_variants() -> None:
    """The seed workbook with one deliberate fault each, for the validation tests."""
    faults = {
        "seed_not_a_number.xlsx": ("F13", "ca. 190"),   # Vold 2023
        "seed_bad_total.xlsx": ("C15", 399),            # Totalt 2020 (types sum to 389)
        "seed_totals_disagree.xlsx": ("C29", 390),      # age-table Totalt 2020 ≠ 389
        "seed_unknown_label.xlsx": ("A8", "Ran"),       # crime type nobody knows
        "seed_decimal.xlsx": ("B6", 66.5),
        "seed_negative.xlsx": ("B6", -3),
    }
    for name, (cell, value) in faults.items():
        wb = openpyxl.load_workbook(SEED)
        wb.active[cell] = value
        wb.save(HERE / name)
    wb = openpyxl.load_workbook(SEED)
    ws = wb.active
    ws["A1"] = "GDE TELEMARK - U-18 FORHOLD - PERIODEN 2019-2024"
    ws["G18"] = "2024 per 01.08"
    ws["G5"] = "2024 pr. 1. august"
    wb.save(HERE / "seed_header_markers.xlsx")
    wb = openpyxl.load_workbook(SEED)
    ws = wb.active
    ws["G18"] = 2024
    wb.save(HERE / "seed_title_marker_only.xlsx")


def seed_full_year() -> None:
    """The same workbook a year later: 2024 complete, Vinning and Vold higher."""
    wb = openpyxl.load_workbook(SEED)
    ws = wb.active
    ws["A1"] = "GDE TELEMARK - U-18 FORHOLD - PERIODEN 2019-2024"
    ws["G18"] = 2024
    edits = {"G12": 150, "G13": 180, "G15": 500,   # Vinning, Vold, Totalt by type
             "G19": 165, "G20": 146, "G28": "100/400", "G29": 500}
    for cell, value in edits.items():
        ws[cell] = value
    wb.save(HERE / "seed_full_year_2024.xlsx")


def broken_files() -> None:
    """Files that are not police tables at all."""
    (HERE / "empty.xlsx").write_bytes(b"")
    (HERE / "random_bytes.xlsx").write_bytes(bytes(range(256)) * 8)
    (HERE / "truncated.xlsx").write_bytes(SEED.read_bytes()[:700])
    (HERE / "not_a_table.csv").write_text("Hei,dette\ner,ikke en tabell\n", encoding="utf-8")
    from msoffcrypto.format.ooxml import OOXMLFile  # only needed to regenerate this fixture
    out = io.BytesIO()
    with open(SEED, "rb") as fh:
        office = OOXMLFile(fh)
        office.encrypt("hemmelig", out)
    (HERE / "password.xlsx").write_bytes(out.getvalue())


def formulas() -> None:
    """Annen 2019 as a formula: once without the value Excel would save, once with it."""
    wb = openpyxl.load_workbook(SEED)
    wb.active["B6"] = "=60+6"
    wb.save(HERE / "formula_without_value.xlsx")
    with zipfile.ZipFile(HERE / "formula_without_value.xlsx") as source, \
            zipfile.ZipFile(HERE / "formula_with_cached_value.xlsx", "w",
                            zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>60+6</f><v />", b"<f>60+6</f><v>66</v>")
            target.writestr(item, data)


def opendocument() -> None:
    """The seed workbook saved as OpenDocument (LibreOffice); needs odfpy to regenerate."""
    import pandas as pd

    grid = [[cell.value for cell in row] for row in openpyxl.load_workbook(SEED).active.iter_rows()]
    pd.DataFrame(grid).to_excel(HERE / "seed.ods", engine="odf", header=False, index=False,
                                sheet_name="U18 Grenland")


def family_b() -> None:
    """One table per sheet, title and extraction date above, sources below, upper-case labels."""
    wb = openpyxl.Workbook()
    sheets = [("Krimtype", "Krimtype", TYPES_B, "Sum"), ("Alder", "Alder", AGES_B, "Total"),
              ("Kjønn", "Kjønn", GENDERS_B, "Totalt")]
    first = True
    for sheet, corner, rows, total_label in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = sheet
        ws.append([f"Skien kommune - U18-forhold fordelt på {sheet.lower()}"])
        ws.append(["Uttrekksdato: 15.01.2025"])
        ws.append([])
        ws.append([corner, "2021", "2022", "2023", "Sum"])
        for label, values in rows.items():
            ws.append([label, *values, sum(values)])
        totals = [sum(v) for v in zip(*rows.values())]
        ws.append([total_label, *totals, sum(totals)])
        ws.append([])
        ws.append(["Kilde: Politiets straffesaksregister (BL/STRASAK)"])
        ws.append(["Tallene er foreløpige."])
    wb.save(HERE / "family_b_skien.xlsx")
    wb["Krimtype"]["E5"] = 999  # VOLD's total over the years, which should be 153
    wb.save(HERE / "family_b_wrong_row_sum.xlsx")


def family_c() -> None:
    """Long tables: full cross crime type × age × gender, no totals, two regions."""
    types = ["Vold", "Vinning", "Narkotika"]
    ages = ["<10", "13", "15", "17"]
    rows = []
    for n, (region, year, crime, age, gender) in enumerate(itertools.product(
            ["Porsgrunn", "Skien"], [2022, 2023], types, ages, ["Jenter", "Gutter"])):
        rows.append([region, year, crime, age, gender, (n * 7) % 11])
    with open(HERE / "family_c_semicolon_cp1252.csv", "w", encoding="cp1252", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["Kommune", "År", "Lovbruddsgruppe", "Alder", "Kjønn", "Antall"])
        writer.writerows(rows)
    with open(HERE / "family_c_english_bom.csv", "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Region", "Year", "Crime type", "Age", "Gender", "Count"])
        for region, year, crime, age, gender, count in rows:
            writer.writerow([region, year, crime, f"{age} years" if age != "<10" else "Under 10",
                             {"Jenter": "Girls", "Gutter": "Boys"}[gender], count])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Geografi", "År", "Krimtype", "Antall"])
    for year, crime, count in [(2023, "Vold", 12), (2023, "Vinning", 7), (2023, "Totalt", 19),
                               (2024, "Vold", 10), (2024, "Vinning", "*")]:
        ws.append(["Bamble", year, crime, count])
    wb.save(HERE / "family_c_long_sheet.xlsx")


def grid_csv() -> None:
    """The seed workbook's sheet saved as Excel's «CSV (semikolondelt)»: Windows-1252, ``;``,
    numbers as written, blank cells empty (the title lines keep their empty fields)."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(SEED))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)

    def text(value) -> str:
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)

    with open(HERE / "seed_grid_semicolon_cp1252.csv", "w", encoding="cp1252",
              newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows(
            [[text(v) for v in row] for row in rows])


if __name__ == "__main__":
    seed_variants()
    seed_full_year()
    broken_files()
    formulas()
    opendocument()
    family_b()
    family_c()
    grid_csv()
