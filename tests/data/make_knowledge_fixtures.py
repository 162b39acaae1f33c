"""Writes the small population, survey and SSB fixture files (run once; outputs are checked in).

python tests/data/make_knowledge_fixtures.py
"""

import json
from pathlib import Path

HERE = Path(__file__).parent
POP, UNG = HERE / "population", HERE / "ungdata"


def write(path: Path, text: str, encoding: str = "utf-8", bom: bool = False) -> None:
    data = text.replace("\n", "\r\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


# SSB Statbank export, wide (one column per year), ISO-8859-1, K- labels, "15 år".
# Porsgrunn and Skien, ages 10-17, both genders: persons = 100 + age (menn) / 90 + age (kvinner)
# in 2023, +10 in 2024.
lines = ["07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år", "",
         '"region";"kjønn";"alder";"Personer 2023";"Personer 2024"']
for region in ("K-4001 Porsgrunn", "K-4003 Skien"):
    for gender, base in (("Menn", 100), ("Kvinner", 90)):
        for age in range(10, 18):
            lines.append(f'"{region}";"{gender}";"{age} år";"{base + age}";"{base + age + 10}"')
write(POP / "statbank_07459_wide_latin1.csv", "\n".join(lines) + "\n", "iso-8859-1")

# Long export, UTF-8 with BOM, English labels, old kommune numbers and SSB qualifiers.
lines = ["07459: Population, by region, sex, age, contents and year", "",
         '"region";"sex";"age";"contents";"year";"07459: Befolkning,"']
rows = [("3001 Halden (2020-2023)", "Males", "15 years", 2022, "150"),
        ("3001 Halden (2020-2023)", "Females", "15 years", 2022, "140"),
        ("0805 Porsgrunn (-2019)", "Males", "015 15 years", 2019, "1 234"),
        ("Våler (Østf.)", "Females", "16 years", 2022, "30"),
        ("Oslo - Oslove", "Males", "105 years or older", 2022, "2")]
lines += [f'"{r}";"{s}";"{a}";"Persons";"{y}";"{v}"' for r, s, a, y, v in rows]
write(POP / "statbank_07459_long_bom.csv", "\n".join(lines) + "\n", bom=True)

# The same kommune under its old and its new number: today's number wins.
lines = ["07459: Befolkning", "", '"region";"kjønn";"alder";"Personer 2023"',
         '"3806 Porsgrunn (2020-2023)";"Menn";"15 år";"999"',
         '"K-4001 Porsgrunn";"Menn";"15 år";"500"']
write(POP / "statbank_07459_old_and_new_number.csv", "\n".join(lines) + "\n")

lines = ["07459: Befolkning", "", '"region";"kjønn";"alder";"Personer 2024"',
         '"K-4001 Porsgrunn";"Menn";"15 år";"500"', '"Porsgrun kommune";"Menn";"15 år";"7"']
write(POP / "statbank_07459_unknown_region.csv", "\n".join(lines) + "\n")

# json-stat2 as SSB's API returns it (2 regions × 2 genders × 2 ages × 1 year).
doc = {"version": "2.0", "class": "dataset", "label": "07459: Befolkning",
       "source": "Statistisk sentralbyrå", "updated": "2024-02-21T07:00:00Z",
       "id": ["Region", "Kjonn", "Alder", "ContentsCode", "Tid"], "size": [2, 2, 2, 1, 1],
       "dimension": {
           "Region": {"label": "region", "category": {
               "index": {"4001": 0, "4003": 1}, "label": {"4001": "Porsgrunn", "4003": "Skien"}}},
           "Kjonn": {"label": "kjønn", "category": {
               "index": {"1": 0, "2": 1}, "label": {"1": "Menn", "2": "Kvinner"}}},
           "Alder": {"label": "alder", "category": {
               "index": {"015": 0, "016": 1}, "label": {"015": "15 år", "016": "16 år"}}},
           "ContentsCode": {"label": "statistikkvariabel", "category": {
               "index": {"Personer1": 0}, "label": {"Personer1": "Personer"}}},
           "Tid": {"label": "år", "category": {"index": {"2024": 0}, "label": {"2024": "2024"}}}},
       "value": [460, 470, 440, 450, 690, 700, 660, 670]}
(POP / "ssb_07459_jsonstat2.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1),
                                              encoding="utf-8")

# FHI open API, CSV: aar 2022_2024, kjonn 0/1/2, ".." suppressed, geo codes.
lines = ["geo;aar;kjonn;alder;plagegrad;sor;measure_type;value;spvflagg",
         "0;2022_2024;0;8_10;plaget;Total;andel (prosent, standardisert);17,3;0",
         "4001;2022_2024;0;8_10;plaget;Total;andel (prosent, standardisert);19,1;0",
         "4001;2022_2024;1;8_10;plaget;Total;andel (prosent, standardisert);9,4;0",
         "4001;2022_2024;2;8_10;plaget;Total;andel (prosent, standardisert);..;3",
         "40;2022_2024;0;8_10;plaget;Total;andel (prosent, standardisert);18,0;0"]
write(UNG / "fhi_api_depressive_symptomer.csv", "\n".join(lines) + "\n")

# FHI open API, json-stat2: thriving at school as fractions, one suppressed cell.
doc = {"version": "2.0", "class": "dataset", "label": "Trivsel, 10. trinn",
       "id": ["GEO", "AAR", "KJONN", "TRINN", "SPM", "MEASURE_TYPE"],
       "size": [2, 1, 1, 1, 1, 1],
       "dimension": {
           "GEO": {"category": {"index": ["0", "4014"], "label": {"0": "Hele landet",
                                                                  "4014": "Kragerø"}}},
           "AAR": {"category": {"index": ["2022_2024"], "label": {"2022_2024": "2022-2024"}}},
           "KJONN": {"category": {"index": ["0"], "label": {"0": "kjønn samlet"}}},
           "TRINN": {"category": {"index": ["10"], "label": {"10": "10. trinn"}}},
           "SPM": {"category": {"index": ["trives"], "label": {"trives": "Trives godt"}}},
           "MEASURE_TYPE": {"category": {"index": ["andel"],
                                         "label": {"andel": "andel (prosent, standardisert)"}}}},
       "value": [0.849, None], "status": {"1": ".."}}
(UNG / "fhi_api_trivsel.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

# Kommunehelsa export excerpt, Windows-1252: fractions, empty = suppressed.
lines = ["Kommune,Skoleår,År,Skoleår_slutt,Kjønn,Spm.id,Klassetrinn,Måltall,Andel,SortKommune",
         'Hele landet,2021/22-2023/24,2023-01-01,2023/24,Kjønn samlet,spm.id,10. trinn,'
         '"andel (prosent, standardisert)",0.856,2',
         'Porsgrunn,2021/22-2023/24,2023-01-01,2023/24,Kjønn samlet,spm.id,10. trinn,'
         '"andel (prosent, standardisert)",0.83,1',
         'Siljan,2021/22-2023/24,2023-01-01,2023/24,Kjønn samlet,spm.id,10. trinn,'
         '"andel (prosent, standardisert)",,15']
write(UNG / "kommunehelsa_trivsel_cp1252.csv", "\n".join(lines) + "\n", "cp1252")

# Kommunehelsa export with a category nobody has mapped.
lines = ["Geografi,År,Kjønn,Alder,Skjermtid,Måltall,value",
         'Porsgrunn,2024,kjønn samlet,8-10.trinn,over 4 timer,'
         '"andel (prosent, standardisert)",41.2']
write(UNG / "kommunehelsa_unknown_indicator.csv", "\n".join(lines) + "\n")

# Key figures with one column per survey year and a national column.
lines = ["Ungdata 2024 – Skien kommune", "Kommune: Skien", "Skolenivå: Ungdomsskolen", "",
         "Indikator;2021;2024;Norge",
         "Har minst én god venn;88;86;89",
         "Naskeri;9;12 %;10",
         "Brukt cannabis siste år;..;4;5"]
write(UNG / "nokkeltall_skien_years.csv", "\n".join(lines) + "\n", "cp1252")

# Key figures with one column per school level (period given above the table), as BOM CSV.
lines = ["Kommune: Bamble", "Periode: 2023", "",
         "Indikator;Ungdomsskolen;Videregående;Norge 2023",
         "Trives på skolen;85;80;84",
         "Mobbet minst hver 14. dag;9;6;8"]
write(UNG / "nokkeltall_bamble_levels_bom.csv", "\n".join(lines) + "\n", bom=True)

lines = ["Kommune: Skien", "", "Indikator;2024", "Har minst én god venn;86", "Spiser frokost;70"]
write(UNG / "nokkeltall_unknown_indicator.csv", "\n".join(lines) + "\n")

# Tidy survey rows.
lines = ["Kommune;Periode;Skolenivå;Kjønn;Indikator;Prosent;Antall svar",
         "Porsgrunn;2024;Ungdomsskolen;Jenter;Har minst én god venn;85,5;412",
         "Porsgrunn;2024;Ungdomsskolen;Gutter;Har minst én god venn;88;398",
         "Porsgrunn;2024;Videregående;Totalt;Har nasket i butikk siste år;;"]
write(UNG / "tidy_porsgrunn.csv", "\n".join(lines) + "\n")

# SSB 08487 excerpt in the cleaned layout of data/reference/ssb/ (komnr without leading zero).
lines = ['"navn","komnr","år","gjerningssted","g_komnr","alt","eiendomstyveri","vold_mishandling",'
         '"rusmidler","orden_integritet","trafikk","annet"',
         '"Oslo",301,"2023-2024","0301 Oslo",301,70192,29378,9048,4606,7274,6774,13112',
         '"Kragerø",4014,"2023-2024","4014 Kragerø",4014,886,372,111,61,63,118,163',
         '"Siljan",4010,"2023-2024","4010 Siljan",4010,60,12,8,NA,NA,20,10']
write(HERE / "ssb" / "ssb_08487_excerpt.csv", "\n".join(lines) + "\n")
