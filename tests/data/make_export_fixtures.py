"""Writes the export-format fixtures in tests/data/exports/ (run on purpose; outputs are checked
in): FHI Kommunehelsa tables from the current and the older statistics bank (CSV and XLSX),
SSB Statbank population exports in Norwegian and English (CSV and XLSX, PxWeb codes and texts,
json-stat 1), and Ungdata key-figure tables with region-and-year headers.

python tests/data/make_export_fixtures.py

The layouts follow the exports as users download them; the figures are small invented numbers
chosen so that every assertion can be checked by hand.
"""

import json
from pathlib import Path

import openpyxl

OUT = Path(__file__).parent / "exports"


def write(name: str, lines: list[str], encoding: str = "utf-8", bom: bool = False) -> None:
    data = "\r\n".join(lines).encode(encoding) + b"\r\n"
    (OUT / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def workbook(name: str, rows: list[list]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tabell"
    for row in rows:
        sheet.append(row)
    book.save(OUT / name)


OUT.mkdir(exist_ok=True)

# --- FHI Kommunehelsa, current statistics bank: title, unit line, filter block, two header
# rows (periods above the key row), kommune names without numbers, a second key column (Trinn),
# ".." / ":" hidden, "." no figure, footnotes after a blank line. An indicator no reference
# entry knows (satisfaction with life).
FORNOYD = [
    '"Fornøyd med livet"',
    '"andel (prosent), standardisert"',
    '""',
    '"Variabler i filter:"',
    '"Kjønn: kjønn samlet"',
    '"Spørsmål: Svært eller litt fornøyd"',
    '""',
    '"";"";"2018-2020";"2021-2023";"2022-2024"',
    '"Geografi";"Trinn";"andel (prosent)";"andel (prosent)";"andel (prosent)"',
    '"Hele landet";"Ungdomsskole";"71,2";"69,8";"68,4"',
    '"Telemark";"Ungdomsskole";"70,1";"68,0";":"',
    '"Porsgrunn";"Ungdomsskole";"..";"66,5";"65,0"',
    '"Porsgrunn";"Videregående";"64,0";".";"61,5"',
    '""',
    '"Kilde: Ungdata, NOVA OsloMet. Tall for færre enn 20 svar er skjult (..)."',
]
write("fhi_kommunehelsa_fornoyd_livet.csv", FORNOYD, bom=True)
workbook("fhi_kommunehelsa_fornoyd_livet.xlsx",
         [[c.strip('"') for c in line.split('";"')] for line in FORNOYD])

# The same as a workbook with a cell that is no number: refused naming sheet and cell (D12).
workbook("fhi_kommunehelsa_bad_cell.xlsx",
         [[c.strip('"') for c in line.split('";"')] for line in FORNOYD[:11]]
         + [["Porsgrunn", "Ungdomsskole", "..", "ca. 66", "65,0"]])

# A rate per 100 000 (not a percent): stored with its unit, never scaled into a percent.
write("fhi_kommunehelsa_skader_per_100000.csv", [
    "Skader behandlet i sykehus, 0-24 år",
    "per 100 000, standardisert",
    "",
    "Geografi;2019-2021;2020-2022",
    "Hele landet;1234,5;1210,0",
    "Skien;1402,0;..",
])

# Rates per 1 000 for the report and Oversikt (tests/integration/test_report_rates.py): one
# with teller and nevner (Porsgrunn 300 of 30 000, then 420 of 30 000: a real rise, p < 0,001;
# against the country's 12,3 per 1 000, p = 0,009), one with neither (never judged).
write("fhi_kommunehelsa_skader_per_1000_teller_nevner.csv", [
    "Skader behandlet i sykehus, 0-24 år",
    "per 1 000",
    "",
    ";2018-2020;;;2021-2023;;",
    "Geografi;per 1 000;teller;nevner;per 1 000;teller;nevner",
    "Hele landet;12,3;66000;5346000;12,3;66000;5346000",
    "Porsgrunn;10,0;300;30000;14,0;420;30000",
])
write("fhi_kommunehelsa_antidepressiva_per_1000.csv", [
    "Legemiddelbrukere, antidepressiva",
    "per 1 000, standardisert",
    "",
    "Geografi;2018-2020;2021-2023",
    "Hele landet;50,1;55,2",
    "Porsgrunn;48,0;61,5",
])

# The older statistics bank: long, one title line naming the table and the unit in the value
# column's header, numerator and denominator columns (Teller/Nevner), another indicator no
# reference entry knows (non-prescription painkillers).
write("fhi_kommunehelsa_gammel_smertestillende.csv", [
    "Bruk av reseptfrie smertestillende, Ungdata",
    "",
    "Sted;År;Kjønn;Trinn;Hyppighet;Teller;Nevner;Andel (prosent)",
    "Hele landet;2021-2023;kjønn samlet;ungdomsskole;ukentlig;9000;100000;9,0",
    "Porsgrunn;2021-2023;kjønn samlet;ungdomsskole;ukentlig;123;820;15,0",
    "Porsgrunn;2021-2023;jenter;ungdomsskole;ukentlig;90;410;22,0",
    "Skien;2021-2023;kjønn samlet;ungdomsskole;ukentlig;..;..;..",
], "cp1252")

# FHI open API CSV with 95 % confidence limits and no denominator: the limits give the effective
# number of respondents (20 % with 17-23 %: 1.96² × 0.2 × 0.8 / 0.03² ≈ 683).
write("fhi_api_konfidensgrenser.csv", [
    "geo;aar;kjonn;trinn;spm;measure_type;value;Nedre KI;Øvre KI",
    "0;2022_2024;0;8_10;ensom;andel (prosent);0.2;0.17;0.23",
    "4001;2022_2024;0;8_10;ensom;andel (prosent);0.25;..;..",
])

# A table whose measure says per 1 000 for an indicator the catalogue holds in percent.
write("fhi_kommunehelsa_unit_clash.csv", [
    "Kommune,Skoleår,År,Kjønn,Spm.id,Klassetrinn,Måltall,Andel",
    "Porsgrunn,2021/22-2023/24,2023-01-01,Kjønn samlet,spm.id,10. trinn,per 1000,830",
])

# A table with nothing saying which unit its figures are in: refused.
write("fhi_kommunehelsa_no_unit.csv", [
    "Fornøyd med livet",
    "",
    "Variabler i filter:",
    "Kjønn: kjønn samlet",
    "",
    "Geografi;2021-2023",
    "Porsgrunn;ca. 66",
])

# --- SSB Statbank 07459 in English with the continental shelf, the unknown rest, and a kommune
# that did not exist yet (0 under its new number, figures under its old one).
write("statbank_07459_english_shelf.csv", [
    '"07459: Population, by region, sex, age, contents and year"', "",
    '"region";"sex";"age";"Persons 2019";"Persons 2020"',
    '"K-4001 Porsgrunn";"Males";"15 years";"0";"210"',
    '"K-4001 Porsgrunn";"Females";"15 years";"0";"200"',
    '"K-0805 Porsgrunn (-2019)";"Males";"15 years";"205";"0"',
    '"K-0805 Porsgrunn (-2019)";"Females";"15 years";"195";"0"',
    '"K-4010 Siljan";"Males";"15 years";"12";"0"',
    '"K-4010 Siljan";"Females";"15 years";"0";"11"',
    '"K-23 Continental shelf";"Males";"15 years";"0";"0"',
    '"K-Rest Divided municipalities and unknown";"Males";"15 years";"0";"0"',
])

# The same in Norwegian as a workbook, with a fylke and the country alongside the kommuner.
workbook("statbank_07459_norsk.xlsx", [
    ["07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år"], [],
    ["region", "kjønn", "alder", "Personer 2024"],
    ["0 Hele landet", "Menn", "15 år", 33000],
    ["40 Telemark", "Menn", "15 år", 1000],
    ["K-4001 Porsgrunn", "Menn", "15 år", 220],
    ["K-4003 Skien", "Menn", "15 år", 310],
    ["K-23 Kontinentalsokkelen", "Menn", "15 år", 0],
])

# PxWeb CSV (codes and texts): a code column and its _tekst column per variable.
write("pxweb_07459_codes_and_texts.csv", [
    "Region;Region_tekst;Kjonn;Kjonn_tekst;Alder;Alder_tekst;Tid;Personer",
    "4001;Porsgrunn;1;Menn;015;15 år;2024;220",
    "4001;Porsgrunn;2;Kvinner;015;15 år;2024;215",
    "4003;Skien;1;Menn;015;15 år;2024;310",
])

# json-stat 1 (the older SSB API answer): the dataset under a key, dimension ids inside.
doc = {"dataset": {
    "label": "07459: Befolkning", "source": "Statistisk sentralbyrå",
    "dimension": {
        "id": ["Region", "Kjonn", "Alder", "ContentsCode", "Tid"], "size": [2, 1, 1, 1, 1],
        "Region": {"label": "region", "category": {
            "index": {"4001": 0, "4003": 1}, "label": {"4001": "Porsgrunn", "4003": "Skien"}}},
        "Kjonn": {"label": "kjønn", "category": {"index": {"2": 0}, "label": {"2": "Kvinner"}}},
        "Alder": {"label": "alder", "category": {"index": {"016": 0}, "label": {"016": "16 år"}}},
        "ContentsCode": {"label": "statistikkvariabel", "category": {
            "index": {"Personer1": 0}, "label": {"Personer1": "Personer"}}},
        "Tid": {"label": "år", "category": {"index": {"2023": 0}, "label": {"2023": "2023"}}}},
    "value": [205, 290]}}
(OUT / "ssb_07459_jsonstat1.json").write_text(json.dumps(doc, ensure_ascii=False),
                                              encoding="utf-8")

# --- Ungdata key figures as kommune reports print them: region and year in one header, a blank
# first header over the indicator labels, an indicator the catalogue does not know.
write("ungdata_nokkeltall_porsgrunn_norge.csv", [
    ";Porsgrunn 2021;Porsgrunn 2024;Norge",
    "Har minst én god venn;88;87;89",
])
write("ungdata_nokkeltall_bamble_region_years.csv", [
    ";Bamble 2020;Bamble 2023;Landet 2023",
    "Har minst én god venn;90;88;91",
    "Fornøyd med lokalmiljøet;70;..;68",
])
