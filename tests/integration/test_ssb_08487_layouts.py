"""SSB table 08487 as users download it from ssb.no/statbank, through the real ``slt ingest``
into a real DuckDB file: every layout lands with the same figures; aggregate and non-kommune
rows are skipped or stored as what they are; ``..``, ``:`` and ``.`` never become 0.

The files are written here, in the layouts of Statbank's downloads (title line, Norwegian and
English headers, ``3806 Porsgrunn`` labels, periods as columns or rows, XLSX, PxWeb codes and
texts, json-stat 2); the figures are small invented numbers that can be checked by hand.
"""

import json

import openpyxl
import pytest

from tests.conftest import query, snapshot

NB_TITLE = ("08487: Anmeldte lovbrudd, etter region, lovbruddsgruppe, statistikkvariabel og "
            "periode")
EN_TITLE = "08487: Offences reported, by region, type of offence, contents and period"
NB_COUNT, NB_RATE = ("Anmeldte lovbrudd, årlig gjennomsnitt",
                     "Anmeldte lovbrudd per 1 000 innbyggere, årlig gjennomsnitt")
EN_COUNT, EN_RATE = ("Offences reported, annual average",
                     "Offences reported per 1 000 population, annual average")
NB_GROUPS = {"all": "Alle lovbruddsgrupper", "vold": "Vold og mishandling",
             "rus": "Rusmiddellovbrudd"}
EN_GROUPS = {"all": "All groups of offences", "vold": "Violence and maltreatment",
             "rus": "Drug and alcohol offences"}
PERIODS = ("2022-2023", "2023-2024")

# (region label, group, period) -> (count, SSB's rate) as Statbank writes them.  Porsgrunn is
# 3806 until 2023 and 4001 from 2024: Statbank lists both, «.» where the number was not in use
# and «..» under the old number after the change; today's number must win.
FIGURES = {
    ("0 Hele landet", "all", "2022-2023"): ("320000", "58,1"),
    ("0 Hele landet", "vold", "2022-2023"): ("40000", "7,3"),
    ("0 Hele landet", "rus", "2022-2023"): ("30000", "5,4"),
    ("0 Hele landet", "all", "2023-2024"): ("330000", "59,4"),
    ("0 Hele landet", "vold", "2023-2024"): ("41000", "7,4"),
    ("0 Hele landet", "rus", "2023-2024"): ("29500", "5,3"),
    ("3806 Porsgrunn (2020-2023)", "all", "2022-2023"): ("2210", "59,2"),
    ("3806 Porsgrunn (2020-2023)", "vold", "2022-2023"): ("301", "8,1"),
    ("3806 Porsgrunn (2020-2023)", "rus", "2022-2023"): ("..", ".."),
    ("3806 Porsgrunn (2020-2023)", "all", "2023-2024"): ("..", ".."),
    ("3806 Porsgrunn (2020-2023)", "vold", "2023-2024"): ("..", ".."),
    ("3806 Porsgrunn (2020-2023)", "rus", "2023-2024"): ("..", ".."),
    ("4001 Porsgrunn", "all", "2022-2023"): (".", "."),
    ("4001 Porsgrunn", "vold", "2022-2023"): (".", "."),
    ("4001 Porsgrunn", "rus", "2022-2023"): (".", "."),
    ("4001 Porsgrunn", "all", "2023-2024"): ("2345", "62,0"),
    ("4001 Porsgrunn", "vold", "2023-2024"): ("310", "8,2"),
    ("4001 Porsgrunn", "rus", "2023-2024"): ("120", "3,2"),
    ("4010 Siljan", "all", "2022-2023"): ("61", "25,9"),
    ("4010 Siljan", "vold", "2022-2023"): ("9", "3,8"),
    ("4010 Siljan", "rus", "2022-2023"): (":", ":"),
    ("4010 Siljan", "all", "2023-2024"): ("58", "24,6"),
    ("4010 Siljan", "vold", "2023-2024"): ("8", "3,4"),
    ("4010 Siljan", "rus", "2023-2024"): ("..", ".."),
    ("K-23 Kontinentalsokkelen", "all", "2022-2023"): ("12", "."),
    ("K-23 Kontinentalsokkelen", "vold", "2022-2023"): ("..", "."),
    ("K-23 Kontinentalsokkelen", "rus", "2022-2023"): ("..", "."),
    ("K-23 Kontinentalsokkelen", "all", "2023-2024"): ("14", "."),
    ("K-23 Kontinentalsokkelen", "vold", "2023-2024"): ("..", "."),
    ("K-23 Kontinentalsokkelen", "rus", "2023-2024"): ("..", "."),
    **{("K-Rest Uoppgitt kommune", key, period): ("40", ".") for key in ("all", "vold", "rus")
       for period in PERIODS},
}
EXPECTED = [  # (region, period, offence group, offences, suppressed) as stored
    ("Hele landet", "2022-2023", "Alle lovbruddsgrupper", 320000.0, False),
    ("Hele landet", "2022-2023", "Rusmiddellovbrudd", 30000.0, False),
    ("Hele landet", "2022-2023", "Vold og mishandling", 40000.0, False),
    ("Hele landet", "2023-2024", "Alle lovbruddsgrupper", 330000.0, False),
    ("Hele landet", "2023-2024", "Rusmiddellovbrudd", 29500.0, False),
    ("Hele landet", "2023-2024", "Vold og mishandling", 41000.0, False),
    ("Porsgrunn", "2022-2023", "Alle lovbruddsgrupper", 2210.0, False),
    ("Porsgrunn", "2022-2023", "Rusmiddellovbrudd", None, True),
    ("Porsgrunn", "2022-2023", "Vold og mishandling", 301.0, False),
    ("Porsgrunn", "2023-2024", "Alle lovbruddsgrupper", 2345.0, False),
    ("Porsgrunn", "2023-2024", "Rusmiddellovbrudd", 120.0, False),
    ("Porsgrunn", "2023-2024", "Vold og mishandling", 310.0, False),
    ("Siljan", "2022-2023", "Alle lovbruddsgrupper", 61.0, False),
    ("Siljan", "2022-2023", "Rusmiddellovbrudd", None, True),
    ("Siljan", "2022-2023", "Vold og mishandling", 9.0, False),
    ("Siljan", "2023-2024", "Alle lovbruddsgrupper", 58.0, False),
    ("Siljan", "2023-2024", "Rusmiddellovbrudd", None, True),
    ("Siljan", "2023-2024", "Vold og mishandling", 8.0, False),
]


def english(label: str) -> str:
    return label.replace("0 Hele landet", "0 The whole country").replace(
        "K-23 Kontinentalsokkelen", "K-23 Continental shelf").replace(
        "K-Rest Uoppgitt kommune", "K-Rest Divided municipalities and unknown")


def regions() -> list[str]:
    return list(dict.fromkeys(region for region, _, _ in FIGURES))


def quoted(cells) -> str:
    return ";".join(f'"{c}"' for c in cells)


def periods_as_columns(groups=NB_GROUPS, count=NB_COUNT, rate=NB_RATE, label=str,
                       headers=("region", "lovbruddsgruppe")) -> list[list[str]]:
    """Statbank's default: one column per statistic variable and period."""
    rows = [[*headers, *(f"{m} {p}" for m in (count, rate) for p in PERIODS)]]
    for region in regions():
        for key, group in groups.items():
            rows.append([label(region), group,
                         *(FIGURES[region, key, p][i] for i in (0, 1) for p in PERIODS)])
    return rows


def periods_as_rows() -> list[list[str]]:
    """English, the period in a column of its own, one column per statistic variable."""
    rows = [["region", "type of offence", "period", EN_COUNT, EN_RATE]]
    for region in regions():
        for key, group in EN_GROUPS.items():
            for period in PERIODS:
                rows.append([english(region), group, period, *FIGURES[region, key, period]])
    return rows


def write_csv(path, rows, title, encoding="cp1252"):
    lines = [f'"{title}"', "", *(quoted(r) for r in rows)]
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def write_grouped_workbook(path, rows, title):
    """Statbank's XLSX: title in A1, the header, and each region written once over its rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "08487"
    sheet.append([title])
    sheet.append([])
    sheet.append(rows[0])
    previous = None
    for row in rows[1:]:
        numbers = [float(c.replace(",", ".")) if c[0].isdigit() else c for c in row[2:]]
        sheet.append(["" if row[0] == previous else row[0], row[1], *numbers])
        previous = row[0]
    book.save(path)
    return path


def write_split_header_workbook(path):
    """Statbank's XLSX as «Lagre som Excel» writes it: the statistic variable on one row, once
    over its periods, the periods on the row under it over blank key headers, each region
    written once over its rows, and the source as a footnote under the table."""
    rows = periods_as_columns()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tabell"
    sheet.append([NB_TITLE])
    sheet.append([])
    sheet.append(["", "", NB_COUNT, "", NB_RATE, ""])
    sheet.append(["", "", *PERIODS, *PERIODS])
    previous = None
    for row in rows[1:]:
        numbers = [float(c.replace(",", ".")) if c[0].isdigit() else c for c in row[2:]]
        sheet.append(["" if row[0] == previous else row[0], row[1], *numbers])
        previous = row[0]
    sheet.append([])
    sheet.append(["Kilde: Statistisk sentralbyrå"])
    book.save(path)
    return path


def write_pxweb(path):
    """PxWeb CSV, codes and texts: a code column and a ``_tekst`` column per variable."""
    codes = {"all": "00", "vold": "1C", "rus": "1E"}
    lines = ["Region;Region_tekst;LovbruddKrim;LovbruddKrim_tekst;ContentsCode;"
             "ContentsCode_tekst;Tid;value"]
    for region in regions():
        code, _, name = region.partition(" ")
        name = name.split(" (")[0]
        for key, group in NB_GROUPS.items():
            for period in PERIODS:
                count, rate = FIGURES[region, key, period]
                lines.append(f"{code};{name};{codes[key]};{group};Lovbrudd1;{NB_COUNT};"
                             f"{period};{count}")
                lines.append(f"{code};{name};{codes[key]};{group};Lovbrudd2;{NB_RATE};"
                             f"{period};{rate}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_jsonstat2(path):
    """SSB's API answer: json-stat 2, values in row-major order, «..»/«:»/«.» as status."""
    labels = {r.partition(" ")[0]: r.partition(" ")[2].split(" (")[0] for r in regions()}
    dims = {
        "Region": {"label": "region", "category": {
            "index": {c: i for i, c in enumerate(labels)}, "label": labels}},
        "LovbruddKrim": {"label": "lovbruddsgruppe", "category": {
            "index": {k: i for i, k in enumerate(NB_GROUPS)}, "label": NB_GROUPS}},
        "ContentsCode": {"label": "statistikkvariabel", "category": {
            "index": {"Lovbrudd1": 0, "Lovbrudd2": 1},
            "label": {"Lovbrudd1": NB_COUNT, "Lovbrudd2": NB_RATE}}},
        "Tid": {"label": "periode", "category": {
            "index": {p: i for i, p in enumerate(PERIODS)}, "label": {p: p for p in PERIODS}}}}
    values, status = [], {}
    for region in regions():
        for key in NB_GROUPS:
            for measure in (0, 1):
                for period in PERIODS:
                    text = FIGURES[region, key, period][measure]
                    if text[0].isdigit():
                        values.append(float(text.replace(",", ".")))
                    else:
                        status[str(len(values))] = text
                        values.append(None)
    doc = {"version": "2.0", "class": "dataset", "label": NB_TITLE, "source": "SSB",
           "id": list(dims), "size": [len(labels), len(NB_GROUPS), 2, len(PERIODS)],
           "dimension": dims, "value": values, "status": status}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def write_unseen_headers(path):
    """Headers no other fixture has: «Gjerningssted», «Type lovbrudd», the statistic variable
    as a column, periods spelled «2022–2023» and «2023/24»."""
    rows = [["Gjerningssted", "Type lovbrudd", "Statistikkvariabel", "2022–2023", "2023/24"]]
    for region in regions():
        for key, group in NB_GROUPS.items():
            for i, measure in enumerate((NB_COUNT, NB_RATE)):
                rows.append([region, group, measure,
                             *(FIGURES[region, key, p][i] for p in PERIODS)])
    return write_csv(path, rows, NB_TITLE, encoding="utf-8")


LAYOUTS = {
    "statbank_nb_periods_as_columns.csv": lambda p: write_csv(p, periods_as_columns(), NB_TITLE),
    "statbank_en_periods_as_rows.csv": lambda p: write_csv(p, periods_as_rows(), EN_TITLE),
    "statbank_en_periods_as_columns.csv": lambda p: write_csv(p, periods_as_columns(
        EN_GROUPS, EN_COUNT, EN_RATE, english, ("region", "type of offence")), EN_TITLE),
    "statbank_nb_grouped.xlsx": lambda p: write_grouped_workbook(p, periods_as_columns(),
                                                                 NB_TITLE),
    "statbank_nb_split_header.xlsx": write_split_header_workbook,
    "pxweb_codes_and_texts.csv": write_pxweb,
    "ssb_08487_jsonstat2.json": write_jsonstat2,
    "statbank_unseen_headers.csv": write_unseen_headers,
}


def stored(db):
    return query(db, "SELECT r.name, f.period, f.offence_group, f.offences, f.suppressed "
                     "FROM ssb_08487_facts f JOIN regions r USING (region_code) ORDER BY ALL")


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_each_statbank_layout_of_08487_lands_with_the_same_figures(name, slt, db, tmp_path):
    path = LAYOUTS[name](tmp_path / name)
    result = slt("ingest", path, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LAGRET" in result.stdout
    assert stored(db) == EXPECTED
    assert "kontinentalsokkelen, 6 rader" in result.stdout
    assert "(uoppgitt kommune, 6 rader)" in result.stdout
    assert "lagret som egne regioner, ikke som kommuner: Hele landet" in result.stdout
    assert query(db, "SELECT source FROM uploads") == [("ssb_08487",)]


def test_the_same_figures_in_another_layout_change_nothing(slt, db, tmp_path):
    first = LAYOUTS["statbank_nb_periods_as_columns.csv"](tmp_path / "a.csv")
    second = LAYOUTS["ssb_08487_jsonstat2.json"](tmp_path / "b.json")
    assert slt("ingest", first, "--db", db).returncode == 0
    again = slt("ingest", second, "--db", db)
    assert again.returncode == 0 and "UENDRET" in again.stdout


def test_a_rate_per_1000_from_the_file_is_not_stored_as_a_count(slt, db, tmp_path):
    rows = [["region", "lovbruddsgruppe", *(f"{NB_RATE} {p}" for p in PERIODS)],
            ["4001 Porsgrunn", "Alle lovbruddsgrupper", "61,0", "62,0"]]
    path = write_csv(tmp_path / "bare_rater.csv", rows, NB_TITLE)
    result = slt("ingest", path, "--db", db)
    assert result.returncode == 1
    assert ("bare_rater.csv: fant ingen antall anmeldte lovbrudd i filen (SSBs rate per 1 000 "
            "innbyggere lagres ikke") in result.stdout + result.stderr
    assert query(db, "SELECT count(*) FROM ssb_08487_facts") == [(0,)]


def test_an_unknown_offence_group_is_refused_with_the_list(slt, db, tmp_path):
    rows = periods_as_columns()
    rows[2][1] = "Seksuallovbrudd"
    path = write_csv(tmp_path / "ukjent_gruppe.csv", rows, NB_TITLE)
    LAYOUTS["statbank_nb_periods_as_columns.csv"](tmp_path / "ok.csv")
    assert slt("ingest", tmp_path / "ok.csv", "--db", db).returncode == 0
    before = snapshot(db)
    result = slt("ingest", path, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "AVVIST" in out
    assert "ukjent lovbruddsgruppe: «Seksuallovbrudd»" in out
    assert "slt alias legg-til lovbruddsgruppe \"Seksuallovbrudd\"" in out  # no package file
    assert snapshot(db) == before


def test_a_cell_that_is_no_number_in_the_workbook_is_refused_naming_sheet_and_cell(
        slt, db, tmp_path):
    rows = periods_as_columns()
    assert rows[7][:2] == ["4001 Porsgrunn", "Alle lovbruddsgrupper"]
    rows[7][3] = "ca. 2300"  # its count for 2023-2024: sheet row 3 + 7, column D
    path = write_grouped_workbook(tmp_path / "feil.xlsx", rows, NB_TITLE)
    result = slt("ingest", path, "--db", db)
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "feil.xlsx, ark «08487», celle D10: «ca. 2300» er ikke et tall" in out
    assert query(db, "SELECT count(*) FROM ssb_08487_facts") == [(0,)]
