"""The small store the dashboard's unit tests read, built in code through the real ETL.

Police figures: the bundled Grenland workbook (2019-2023 full years, 2024 counted to 01.08).
Population: 100 persons per kommune, sex and age 10-17 in Grenland's four kommuner, 2019-2024,
so Grenland has 4 × 2 × 8 × 100 = 6 400 persons aged 10-17 every year.
Survey: 'Har nasket i butikk siste år' for Porsgrunn (2018 and 2024: the 2021 round is
missing), Telemark and Hele landet (2018, 2021, 2024), and girls/boys for Porsgrunn 2024.
"""

from __future__ import annotations

from pathlib import Path

from etl.dispatch import ingest_any

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "data" / "sample" / "grenland_u18_2019-2024.xlsx"
GRENLAND = {"4001": "Porsgrunn", "4003": "Skien", "4010": "Siljan", "4012": "Bamble"}
PERSONS_10_17 = 6400
SURVEY = {"Porsgrunn": {2018: 20.0, 2024: 26.5}, "Hele landet": {2018: 18.0, 2021: 19.0,
                                                                2024: 20.0},
          "Telemark": {2018: 19.0, 2021: 21.0, 2024: 22.0}}


def _population_csv(path: Path) -> Path:
    lines = ["07459: Befolkning", "",
             '"region";"sex";"age";"contents";"year";"07459: Befolkning,"']
    lines += [f'"{number} {name}";"{sex}";"{age} years";"Persons";"{year}";"100"'
              for number, name in GRENLAND.items() for sex in ("Males", "Females")
              for age in range(10, 18) for year in range(2019, 2025)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _survey_csv(path: Path) -> Path:
    rows = ["Kommune;Periode;Skolenivå;Kjønn;Indikator;Prosent;Antall svar"]
    rows += [f"{region};{year};Ungdomsskolen;Totalt;Har nasket i butikk siste år;"
             f"{str(value).replace('.', ',')};"
             for region, values in SURVEY.items() for year, value in values.items()]
    rows += ["Porsgrunn;2024;Ungdomsskolen;Jenter;Har nasket i butikk siste år;22,0;",
             "Porsgrunn;2024;Ungdomsskolen;Gutter;Har nasket i butikk siste år;31,0;"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def build_store(folder: Path, *, population: bool = True, survey: bool = True) -> Path:
    db = folder / "t.duckdb"
    ingest_any(SEED, db)
    if population:
        ingest_any(_population_csv(folder / "pop.csv"), db)
    if survey:
        ingest_any(_survey_csv(folder / "ungdata.csv"), db)
    return db


def test_fixture_store_holds_police_population_and_survey(tmp_path):
    import duckdb

    db = build_store(tmp_path)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM u18_offences").fetchone()[0] > 100
        assert con.execute("SELECT count(*) FROM ungdata").fetchone()[0] == 10
        assert con.execute("SELECT sum(persons) FROM population WHERE region = 'Grenland' "
                           "AND year = 2023 AND age IN ('10','11','12','13','14','15','16','17')"
                           " AND gender IN ('Jenter','Gutter')").fetchone()[0] == PERSONS_10_17
