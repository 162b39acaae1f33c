"""The export formats people download (tests/data/exports, written by make_export_fixtures.py),
read without a database: values, units, hidden cells, new indicators."""

import pandas as pd
import pytest

from etl.dispatch import classify
from etl.errors import IngestError
from etl.readers.fhi_wide import read_fhi_wide
from etl.readers.population import read_population_json, read_population_text
from etl.readers.ungdata import read_fhi_json, read_fhi_text
from etl.readers.ungdata_tables import read_survey_table
from tests.conftest import TEST_DATA

EXPORTS = TEST_DATA / "exports"


def rows(frame, *columns):
    return sorted(tuple(None if pd.isna(v) else v for v in r)  # NaN/NA → None
                  for r in frame[list(columns)].astype(object).itertuples(index=False))


@pytest.mark.parametrize("name, kind", [
    ("fhi_kommunehelsa_fornoyd_livet.csv", "fhi_wide"),
    ("fhi_kommunehelsa_fornoyd_livet.xlsx", "fhi_wide_sheet"),
    ("fhi_kommunehelsa_skader_per_100000.csv", "fhi_wide"),
    ("fhi_kommunehelsa_gammel_smertestillende.csv", "fhi"),
    ("statbank_07459_english_shelf.csv", "population"),
    ("statbank_07459_norsk.xlsx", "population_sheet"),
    ("pxweb_07459_codes_and_texts.csv", "population"),
    ("ssb_07459_jsonstat1.json", "population_json"),
    ("ungdata_nokkeltall_bamble_region_years.csv", "survey"),
])
def test_each_export_family_is_recognised_from_its_content(name, kind, tmp_path):
    renamed = tmp_path / "fil.dat"
    renamed.write_bytes((EXPORTS / name).read_bytes())
    assert classify(renamed, "fil.dat") == kind


@pytest.mark.parametrize("name, spreadsheet", [("fhi_kommunehelsa_fornoyd_livet.csv", False),
                                               ("fhi_kommunehelsa_fornoyd_livet.xlsx", True)])
def test_kommunehelsa_table_with_periods_as_columns_keeps_hidden_cells_hidden(name, spreadsheet):
    frame = read_fhi_wide(EXPORTS / name, name, spreadsheet=spreadsheet)
    porsgrunn = frame[frame.region == "Porsgrunn"]
    assert rows(porsgrunn, "period", "school_level", "value", "suppressed") == [
        ("2018-2020", "Ungdomsskole", None, True), ("2018-2020", "Videregående", 64.0, False),
        ("2021-2023", "Ungdomsskole", 66.5, False), ("2022-2024", "Ungdomsskole", 65.0, False),
        ("2022-2024", "Videregående", 61.5, False)]  # "." (no figure) stores nothing
    telemark = frame[(frame.region == "Telemark") & (frame.period == "2022-2024")]
    assert telemark.suppressed.tolist() == [True] and telemark.value.isna().all()  # ":"
    assert set(frame.unit) == {"prosent"} and set(frame.gender) == {"Totalt"}
    assert set(frame.label) == {"Fornøyd med livet – Spørsmål: Svært eller litt fornøyd"}
    assert frame.indicator.nunique() == 1 and frame.year.max() == 2024
    assert "Kilde" not in " ".join(frame.region)  # the footnote is not a region


def test_a_rate_per_100000_keeps_its_unit_and_is_not_scaled():
    frame = read_fhi_wide(EXPORTS / "fhi_kommunehelsa_skader_per_100000.csv", "f.csv")
    assert set(frame.unit) == {"per 100 000"}
    assert rows(frame, "region", "period", "value") == [
        ("Hele landet", "2019-2021", 1234.5), ("Hele landet", "2020-2022", 1210.0),
        ("Skien", "2019-2021", 1402.0), ("Skien", "2020-2022", None)]


def test_a_table_that_states_no_unit_is_refused_saying_so():
    with pytest.raises(IngestError, match="sier ikke hvilken enhet"):
        read_fhi_wide(EXPORTS / "fhi_kommunehelsa_no_unit.csv", "f.csv")


def test_older_statistics_bank_gives_respondents_from_the_denominator():
    frame = read_fhi_text(EXPORTS / "fhi_kommunehelsa_gammel_smertestillende.csv", "f.csv")
    assert rows(frame, "region", "gender", "value", "respondents", "suppressed") == [
        ("Hele landet", "Totalt", 9.0, 100000, False),
        ("Porsgrunn", "Jenter", 22.0, 410, False), ("Porsgrunn", "Totalt", 15.0, 820, False),
        ("Skien", "Totalt", None, None, True)]
    assert set(frame.unit) == {"prosent"} and frame.label.str.startswith(
        "Bruk av reseptfrie smertestillende").all()


def test_english_statbank_export_reads_every_row_as_written():
    frame = read_population_text(EXPORTS / "statbank_07459_english_shelf.csv", "f.csv")
    assert len(frame) == 8 * 2 and set(frame.gender) == {"Gutter", "Jenter"}
    assert "K-23 Continental shelf" in set(frame.region)  # skipped later, by the store


def test_pxweb_codes_and_texts_give_code_and_name():
    frame = read_population_text(EXPORTS / "pxweb_07459_codes_and_texts.csv", "f.csv")
    assert rows(frame, "region", "gender", "age", "persons") == [
        ("4001 Porsgrunn", "Gutter", "15", 220.0), ("4001 Porsgrunn", "Jenter", "15", 215.0),
        ("4003 Skien", "Gutter", "15", 310.0)]


def test_jsonstat_version_1_reads_like_version_2():
    frame = read_population_json(EXPORTS / "ssb_07459_jsonstat1.json", "f.json")
    assert rows(frame, "region", "year", "age", "gender", "persons") == [
        ("4001 Porsgrunn", 2023, "16", "Jenter", 205.0), ("4003 Skien", 2023, "16", "Jenter",
                                                          290.0)]


def test_key_figures_with_region_and_year_in_one_header():
    frame = read_survey_table(EXPORTS / "ungdata_nokkeltall_bamble_region_years.csv", "f.csv")
    assert rows(frame, "region", "period", "indicator", "value", "suppressed") == [
        ("Bamble", "2020", "fornoyd_med_lokalmiljoet", 70.0, False),
        ("Bamble", "2020", "god_venn", 90.0, False),
        ("Bamble", "2023", "fornoyd_med_lokalmiljoet", None, True),
        ("Bamble", "2023", "god_venn", 88.0, False),
        ("Hele landet", "2023", "fornoyd_med_lokalmiljoet", 68.0, False),
        ("Hele landet", "2023", "god_venn", 91.0, False)]


@pytest.mark.parametrize("text", ["99999999999999999999", "-5", "12,5", "mange"])
def test_a_population_that_is_no_whole_count_is_refused_naming_the_line(tmp_path, text):
    path = tmp_path / "f.csv"
    path.write_text('07459: Befolkning\n\n"region";"kjønn";"alder";"Personer 2024"\n'
                    f'"K-4001 Porsgrunn";"Menn";"15 år";"{text}"\n', encoding="utf-8")
    with pytest.raises(IngestError, match=f"linje 4: «{text}» er ikke et antall personer"):
        read_population_text(path, "f.csv")


def test_respondents_beyond_what_the_store_holds_are_refused_not_leaked(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Kommune;Periode;Indikator;Prosent;Antall svar\n"
                    "Porsgrunn;2024;Naskeri;12;99999999999999\n"
                    "Porsgrunn;2023;Naskeri;11;1 234\n", encoding="utf-8")
    with pytest.raises(IngestError, match="linje 2: «99999999999999» er ikke et antall svar"):
        read_survey_table(path, "f.csv")


def test_confidence_limits_give_the_effective_number_of_respondents():
    frame = read_fhi_text(EXPORTS / "fhi_api_konfidensgrenser.csv", "f.csv")
    assert rows(frame, "region", "value", "respondents") == [("0", 20.0, 683), ("4001", 25.0, None)]


def test_a_cell_that_is_no_number_in_a_workbook_is_refused_naming_sheet_and_cell():
    with pytest.raises(IngestError) as refused:
        read_fhi_wide(EXPORTS / "fhi_kommunehelsa_bad_cell.xlsx", "fhi.xlsx", spreadsheet=True)
    assert refused.value.lines() == [
        "fhi.xlsx, ark «Tabell», celle D12: Porsgrunn 2021-2023: «ca. 66» er ikke et tall "
        "(forventet et tall, «..», «:» eller «.»)"]


def test_a_national_column_after_region_year_headers_takes_the_year_to_its_left():
    frame = read_survey_table(EXPORTS / "ungdata_nokkeltall_porsgrunn_norge.csv", "f.csv")
    assert rows(frame, "region", "period", "value") == [
        ("Hele landet", "2024", 89.0), ("Porsgrunn", "2021", 88.0), ("Porsgrunn", "2024", 87.0)]


def test_a_police_table_whose_title_only_says_antall_is_not_taken_for_an_fhi_table(tmp_path):
    path = tmp_path / "politi.csv"
    path.write_text("Antall U18-forhold\n\nKommune;2019;2020\nPorsgrunn;12;14\n", "utf-8")
    assert classify(path, "politi.csv") == "u18"


def test_an_fhi_jsonstat_value_that_is_no_number_is_named_by_its_categories(tmp_path):
    import json

    doc = json.loads((TEST_DATA / "ungdata" / "fhi_api_trivsel.json").read_text("utf-8"))
    doc["value"][0] = "mye"
    path = tmp_path / "trivsel.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(IngestError, match="trivsel.json: Hele landet, 2022_2024, 0, 10. trinn, "
                                          "Trives godt, andel .prosent, standardisert.: «mye» "
                                          "er ikke et tall") as refused:
        read_fhi_json(path, "trivsel.json")
    assert "linje None" not in str(refused.value)
