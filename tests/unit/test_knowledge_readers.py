"""Population, survey and SSB 08487 readers on small real-looking files (no database)."""


import pandas as pd
import pytest

from etl.dispatch import classify
from etl.indicators import check_aliases, new_indicator_id, unit_of
from etl.readers.population import parse_age, read_population_json, read_population_text
from etl.readers.ssb import read_08487
from etl.readers.ungdata import period_year, read_fhi_json, read_fhi_text
from etl.readers.ungdata_tables import read_survey_table
from tests.conftest import REPO, SAMPLE, TEST_DATA

POP, UNG, SSB = TEST_DATA / "population", TEST_DATA / "ungdata", TEST_DATA / "ssb"


def rows(frame, *columns):
    return sorted(tuple(r) for r in frame[list(columns)].itertuples(index=False))


@pytest.mark.parametrize("label, age", [("15 år", "15"), ("15 years", "15"), ("015 15 år", "15"),
                                        ("015", "15"), ("105 år eller eldre", "105+"),
                                        ("Alle aldre", "Totalt"), ("ukjent", None)])
def test_ages_are_read_as_ssb_writes_them(label, age):
    assert parse_age(label) == age


@pytest.mark.parametrize("label, year", [("2022_2024", 2024), ("2014/15-2016/17", 2017),
                                         ("2016-01-01", 2016), ("2024", 2024), ("plan", None)])
def test_a_period_label_gives_its_last_year(label, year):
    assert period_year(label) == year


def test_statbank_wide_export_in_latin1_reads_every_year_column():
    frame = read_population_text(POP / "statbank_07459_wide_latin1.csv", "f.csv")
    assert len(frame) == 2 * 2 * 8 * 2
    assert rows(frame[(frame.region == "K-4001 Porsgrunn") & (frame.age == "15")],
                "year", "gender", "persons") == [(2023, "Gutter", 115.0), (2023, "Jenter", 105.0),
                                                 (2024, "Gutter", 125.0), (2024, "Jenter", 115.0)]


def test_statbank_long_export_with_bom_and_english_labels():
    frame = read_population_text(POP / "statbank_07459_long_bom.csv", "f.csv")
    assert rows(frame, "region", "year", "age", "gender", "persons")[:3] == [
        ("0805 Porsgrunn (-2019)", 2019, "15", "Gutter", 1234.0),
        ("3001 Halden (2020-2023)", 2022, "15", "Gutter", 150.0),
        ("3001 Halden (2020-2023)", 2022, "15", "Jenter", 140.0)]
    assert ("Oslo - Oslove", "105+") in rows(frame, "region", "age")


@pytest.mark.parametrize("header", ["Folkemengde i alt", "Folkemengde 1. januar", "Befolkning"])
def test_ssbs_other_names_for_the_population_count_are_read_without_teaching(header, tmp_path):
    path = tmp_path / "folkemengde.csv"
    path.write_text(f"region;år;kjønn;alder;{header}\nPorsgrunn;2023;Menn;15;200\n"
                    "Porsgrunn;2023;Kvinner;15;190\n", encoding="utf-8")
    assert classify(path, path.name) == "population"
    assert rows(read_population_text(path, path.name), "year", "gender", "persons") == [
        (2023, "Gutter", 200.0), (2023, "Jenter", 190.0)]


def test_ssb_jsonstat2_response_reads_codes_and_labels():
    frame = read_population_json(POP / "ssb_07459_jsonstat2.json", "f.json")
    assert len(frame) == 8
    assert rows(frame[frame.region == "4003 Skien"], "age", "gender", "persons")[0] == (
        "15", "Gutter", 690.0)


def test_kommunehelsa_fractions_become_percent_and_empty_cells_stay_suppressed():
    frame = read_fhi_text(UNG / "kommunehelsa_trivsel_cp1252.csv", "f.csv")
    assert rows(frame, "region", "period", "year", "value", "suppressed") == [
        ("Hele landet", "2021/22-2023/24", 2023, 85.6, False),
        ("Porsgrunn", "2021/22-2023/24", 2023, 83.0, False)] + [
        ("Siljan", "2021/22-2023/24", 2023, frame.value.iloc[2], True)]
    assert frame.value.isna().iloc[2]
    assert set(frame.indicator) == {"trivsel_elevundersokelsen"}


def test_kommunehelsa_percent_values_are_kept_as_percent():
    frame = read_fhi_text(SAMPLE / "psykiske_plager_ungdom.csv", "f.csv")
    first = frame[(frame.region == "Hele landet") & (frame.period == "2016")]
    assert round(first[first.gender == "Totalt"].value.iloc[0], 4) == 11.5154
    assert set(frame.school_level) == {"Ungdomsskole"}


def test_fhi_api_csv_codes_and_dotdot_flags():
    frame = read_fhi_text(UNG / "fhi_api_depressive_symptomer.csv", "f.csv")
    assert rows(frame[frame.region == "4001"], "gender", "period", "year", "suppressed") == [
        ("Gutter", "2022_2024", 2024, False), ("Jenter", "2022_2024", 2024, True),
        ("Totalt", "2022_2024", 2024, False)]
    assert frame[frame.region == "4001"].value.dropna().tolist() == [19.1, 9.4]


def test_fhi_api_jsonstat2_fractions_and_suppressed_status():
    frame = read_fhi_json(UNG / "fhi_api_trivsel.json", "f.json")
    assert rows(frame, "region", "suppressed") == [("Hele landet", False), ("Kragerø", True)]
    assert frame.value.iloc[0] == pytest.approx(84.9)


def test_unknown_fhi_category_becomes_a_new_indicator_named_from_the_file():
    frame = read_fhi_text(UNG / "kommunehelsa_unknown_indicator.csv", "f.csv")
    assert rows(frame, "indicator", "label", "unit", "value") == [
        ("skjermtid_over_4_timer", "Skjermtid – over 4 timer", "prosent", 41.2)]


@pytest.mark.parametrize("measure, unit", [
    ("andel (prosent, standardisert)", "prosent"), ("andel (prosent)", "prosent"),
    ("per 100 000, standardisert", "per 100 000"), ("per 1000", "per 1 000"),
    ("antall", "antall"), ("Indeks", "indeks"), ("gjennomsnittlig skår", "gjennomsnitt"),
    ("poeng", "poeng")])
def test_the_unit_is_read_from_the_measure_and_never_guessed_as_percent(measure, unit):
    assert unit_of(measure) == unit


def test_new_indicator_ids_are_stable_ascii_and_short():
    assert new_indicator_id("Fornøyd med livet") == "fornoyd_med_livet"
    assert new_indicator_id("  fornøyd  MED livet.") == "fornoyd_med_livet"
    long = new_indicator_id("Bruk av reseptfrie smertestillende midler flere ganger i uka " * 2)
    assert len(long) <= 48 and long == new_indicator_id(
        "Bruk av reseptfrie smertestillende midler flere ganger i uka " * 2)


def test_key_figures_per_year_with_national_column():
    frame = read_survey_table(UNG / "nokkeltall_skien_years.csv", "f.csv")
    naskeri = frame[frame.indicator == "naskeri"]
    assert rows(naskeri, "region", "period", "value") == [
        ("Hele landet", "2024", 10.0), ("Skien", "2021", 9.0), ("Skien", "2024", 12.0)]
    cannabis = frame[(frame.indicator == "cannabis_siste_aar") & (frame.period == "2021")]
    assert cannabis.suppressed.tolist() == [True] and cannabis.value.isna().all()


def test_key_figures_per_school_level_take_the_period_from_above_the_table():
    frame = read_survey_table(UNG / "nokkeltall_bamble_levels_bom.csv", "f.csv")
    assert rows(frame[frame.indicator == "trives_skolen"], "region", "school_level", "year",
                "value") == [("Bamble", "Ungdomsskole", 2023, 85.0),
                               ("Bamble", "Videregående", 2023, 80.0),
                               ("Hele landet", "Ikke oppgitt", 2023, 84.0)]


def test_unknown_key_figure_indicator_is_kept_under_its_own_label():
    frame = read_survey_table(UNG / "nokkeltall_unknown_indicator.csv", "f.csv")
    assert rows(frame, "indicator", "value") == [("god_venn", 86.0), ("spiser_frokost", 70.0)]
    labels = frame.set_index("indicator")["label"]
    assert pd.isna(labels["god_venn"]) and labels["spiser_frokost"] == "Spiser frokost"


def test_tidy_survey_rows_keep_respondents_and_suppressed_blanks():
    frame = read_survey_table(UNG / "tidy_porsgrunn.csv", "f.csv")
    assert rows(frame, "gender", "indicator", "respondents", "suppressed")[:2] == [
        ("Gutter", "god_venn", 398, False), ("Jenter", "god_venn", 412, False)]
    assert frame[frame.indicator == "naskeri"].value.isna().all()


def test_porsgrunn_sample_has_no_survey_year_for_the_plan_figures():
    frame = read_survey_table(SAMPLE / "porsgrunn_ungdata_nokkeltall.csv", "f.csv")
    plan = frame[frame.period == "SLT-plan 2025-2029"]
    assert plan.year.isna().all() and len(plan) == 9
    assert rows(frame[frame.period == "2015"], "indicator", "value") == [
        ("alkohol_jevnlig", 3.0), ("cannabis_siste_aar", 2.0)]


def test_ssb_08487_na_is_suppressed_not_zero():
    frame = read_08487(SSB / "ssb_08487_excerpt.csv", "f.csv")
    siljan = frame[(frame.region == "4010") & (frame.offence_group == "Rusmiddellovbrudd")]
    assert siljan.suppressed.tolist() == [True] and siljan.offences.isna().all()
    assert set(frame.region) == {"0301", "4014", "4010"} and set(frame.year) == {2024}


@pytest.mark.parametrize("path, kind", [
    (POP / "statbank_07459_wide_latin1.csv", "population"),
    (POP / "ssb_07459_jsonstat2.json", "population_json"),
    (UNG / "fhi_api_trivsel.json", "fhi_json"),
    (SAMPLE / "mobbing_7_trinn_treaarig.csv", "fhi"),
    (SAMPLE / "mobbing_7_trinn_treaarig.xlsx", "fhi_sheet"),
    (UNG / "nokkeltall_skien_years.csv", "survey"),
    (UNG / "tidy_porsgrunn.csv", "survey"),
    (SSB / "ssb_08487_excerpt.csv", "ssb_08487"),
    (TEST_DATA / "u18" / "family_c_semicolon_cp1252.csv", "u18"),
    (SAMPLE / "grenland_u18_2019-2024.xlsx", "u18"),
    # a police long table with offenders: FHI's columns would read its count of offenders as
    # a value in «antall» (it was stored as survey indicators «Vold» and «Vinning»)
    ("Kommune;År;Krimtype;Antall;Antall gjerningspersoner\nSkien;2022;Vold;20;8\n", "u18"),
    ("Kommune;År;Antall;Gjerningspersoner\nSkien;2022;20;8\n", "u18"),
    # no crime type: «Personer» (offenders) was read as population, «Antall forhold» as FHI's
    ("Kommune;År;Alder;Kjønn;Antall;Personer\nSkien;2022;15;Jenter;20;8\n", "u18"),
    ("Kommune;År;Alder;Kjønn;Antall forhold\nSkien;2022;15;Jenter;20\n", "u18"),
    # … while a population file's own count column and FHI's unit-named value stay theirs
    ("Kommune;År;Alder;Kjønn;Personer\nSkien;2022;15;Jenter;800\n", "population"),
    ("Geografi;År;Kjønn;Andel (prosent)\nSkien;2022;Jenter;80,5\n", "fhi"),
])
def test_files_are_routed_by_content(path, kind, tmp_path):
    if isinstance(path, str):  # the file's text
        text, path = path, tmp_path / "tekst.csv"
        path.write_text(text, encoding="utf-8")
    elif not path.exists():  # a CSV export saved as a workbook
        frame = pd.read_csv(path.with_suffix(".csv"))
        frame.to_excel(path := tmp_path / path.name, index=False)
    renamed = tmp_path / "upload.dat"  # the name says nothing
    renamed.write_bytes(path.read_bytes())
    assert classify(renamed, "upload.dat") == kind


@pytest.mark.parametrize("tail, kept", [
    ([[], ["Kilde: SSB"], ["..: Oppgave mangler"]], 2),  # notes under a blank row: dropped
    ([[], ["Kilde: SSB"], [], []], 2),
    ([[], ["Kilde: SSB"], [], ["..: Oppgave mangler"], []], 2),  # notes in paragraphs
    ([["Kilde: SSB"]], 3),  # no blank row before it: a row of the table (read or refused)
    ([[], ["Kilde: SSB", "2024"]], 4),  # two cells filled: a row of the table
    ([[], ["Skien", "2024", "5"], ["Kilde: SSB"]], 5),  # figures after the blank row: kept
    ([], 2),
])
def test_notes_under_a_table_are_not_rows_of_it(tail, kept):
    from etl.readers.stat_text import without_footnotes

    rows = [["Porsgrunn", "2024", "3"], ["Skien", "2024", "4"], *tail]
    assert without_footnotes(rows) == rows[:kept]
    assert without_footnotes([[], ["Kilde: SSB"]]) == [[], ["Kilde: SSB"]]  # no figures above


@pytest.mark.parametrize("path", [SAMPLE / "psykiske_plager_ungdom.csv",
                                  SAMPLE / "trivsel_10_klasse_treaarig.csv"])
def test_an_fhi_export_with_a_source_line_under_it_reads_as_without(path, tmp_path):
    noted = tmp_path / path.name
    noted.write_text(path.read_text("utf-8").rstrip("\n") + "\n\n\"Kilde: FHI Kommunehelsa\"\n",
                     "utf-8")
    got, expected = read_fhi_text(noted, path.name), read_fhi_text(path, path.name)
    assert rows(got, "region", "period", "gender", "indicator", "value") == rows(
        expected, "region", "period", "gender", "indicator", "value")


def test_a_population_file_with_a_source_line_under_it_reads_as_without(tmp_path):
    path = POP / "statbank_07459_long_bom.csv"
    noted = tmp_path / path.name
    noted.write_bytes(path.read_bytes().rstrip(b"\r\n") + b"\r\n\r\nKilde: SSB, tabell 07459\r\n")
    columns = ("region", "year", "age", "gender", "persons")
    assert rows(read_population_text(noted, "f.csv"), *columns) == rows(
        read_population_text(path, "f.csv"), *columns)


def test_every_alias_points_at_a_catalogue_indicator():
    assert check_aliases() == []
    assert (REPO / "data" / "reference" / "README.md").exists()
