"""Population, rates, survey indicators and SSB 08487 in a real store, through ingest_any."""

import shutil

import pytest

from etl.dispatch import ingest_any
from etl.errors import IngestError
from tests.conftest import REPO, TEST_DATA, query, snapshot

POP, UNG, SSB = TEST_DATA / "population", TEST_DATA / "ungdata", TEST_DATA / "ssb"
EXPORTS = TEST_DATA / "exports"
REFERENCE = REPO / "data" / "reference"


def test_population_of_old_numbers_and_qualified_names_lands_on_todays_kommune(db):
    ingest_any(POP / "statbank_07459_long_bom.csv", db)
    assert query(db, "SELECT region, year, age, gender, persons FROM population "
                     "WHERE region IN ('Halden', 'Porsgrunn', 'Våler (Østfold)', 'Oslo') "
                     "AND gender <> 'Totalt' ORDER BY ALL") == [
        ("Halden", 2022, "15", "Gutter", 150), ("Halden", 2022, "15", "Jenter", 140),
        ("Oslo", 2022, "105+", "Gutter", 2), ("Porsgrunn", 2019, "15", "Gutter", 1234),
        ("Våler (Østfold)", 2022, "16", "Jenter", 30)]
    assert query(db, "SELECT persons FROM population WHERE region = 'Halden' "
                     "AND gender = 'Totalt'") == [(290,)]
    assert query(db, "SELECT count(*) FROM population_facts WHERE region_code = 'K3114'") == [(1,)]


def test_todays_number_wins_over_the_old_number_for_the_same_kommune(db):
    ingest_any(POP / "statbank_07459_old_and_new_number.csv", db)
    assert query(db, "SELECT persons FROM population WHERE region = 'Porsgrunn' "
                     "AND gender = 'Gutter'") == [(500,)]


def test_fhi_location_codes_of_fylker_and_the_country_land_on_those_regions(db):
    # csdata_county_nation_2024_excerpt.csv: rows of FHI's csdata file of SSB 07459 for
    # fylker and the country (data/reference/README.md), which name regions by FHI's location
    # codes (county_nor40, nation_nor) and were refused as unknown regions.
    outcome = ingest_any(POP / "csdata_county_nation_2024_excerpt.csv", db)
    assert outcome.status == "accepted"
    assert query(db, "SELECT region, gender, persons FROM population WHERE age = '15' "
                     "ORDER BY ALL") == [
        ("Finnmark", "Gutter", 460), ("Finnmark", "Jenter", 429), ("Finnmark", "Totalt", 889),
        ("Hele landet", "Gutter", 35230), ("Hele landet", "Jenter", 32923),
        ("Hele landet", "Totalt", 68153), ("Telemark", "Gutter", 1148),
        ("Telemark", "Jenter", 1018), ("Telemark", "Totalt", 2166)]


def test_an_unknown_region_with_no_close_name_is_refused_without_a_guess(tmp_path, db):
    path = tmp_path / "befolkning.csv"
    path.write_text("kommunenummer,year,sex,age,pop_jan1\nxyzzy_nor77,2024,female,15,10\n")
    with pytest.raises(IngestError) as refused:
        ingest_any(path, db)
    assert "ukjent region «xyzzy_nor77». Kjente regioner" in str(refused.value)
    assert "mente du" not in str(refused.value)


def test_unknown_region_is_refused_with_the_closest_names_and_recorded(db):
    with pytest.raises(IngestError, match="Porsgrunn") as refused:
        ingest_any(POP / "statbank_07459_unknown_region.csv", db)
    assert "Porsgrun kommune" in str(refused.value)
    assert query(db, "SELECT source, outcome FROM uploads") == [("population", "rejected")]
    assert query(db, "SELECT count(*) FROM population_facts") == [(0,)]


def test_jsonstat2_population_is_stored(db):
    outcome = ingest_any(POP / "ssb_07459_jsonstat2.json", db)
    assert outcome.status == "accepted" and outcome.regions == ["Porsgrunn", "Skien"]
    assert query(db, "SELECT sum(persons) FROM population WHERE gender = 'Totalt'") == [(4540,)]


def test_u18_rates_per_1000_aged_10_17_match_hand_computed_values(db):
    ingest_any(POP / "statbank_07459_wide_latin1.csv", db)
    ingest_any(TEST_DATA / "rates" / "u18_porsgrunn_skien.csv", db)
    # Porsgrunn 2023: boys 10-17 = sum(100+a) = 908, girls = sum(90+a) = 828 → 1 736.
    got = query(db, "SELECT region, year, crime_type, offences, persons_10_17, "
                    "round(per_1000, 4), rate_note FROM u18_rates WHERE gender = 'Totalt' "
                    "AND crime_type IN ('Totalt', 'Vinning') ORDER BY ALL")
    assert got == [
        ("Porsgrunn", 2023, "Totalt", 52, 1736, round(52 / 1736 * 1000, 4), None),
        ("Porsgrunn", 2023, "Vinning", 40, 1736, round(40 / 1736 * 1000, 4), None),
        ("Porsgrunn", 2024, "Totalt", 35, 1896, None, "delår"),
        ("Porsgrunn", 2024, "Vinning", 5, 1896, None, "delår"),
        ("Skien", 2023, "Totalt", 20, 1736, round(20 / 1736 * 1000, 4), None),
        ("Skien", 2023, "Vinning", 0, 1736, 0.0, None)]


def test_rates_are_null_without_population_and_groups_need_every_member(db):
    ingest_any(TEST_DATA / "rates" / "u18_porsgrunn_skien.csv", db)
    assert query(db, "SELECT DISTINCT rate_note FROM u18_rates WHERE year = 2023") == [
        ("befolkning mangler",)]
    # Grenland has four kommuner; figures for two of them make no Grenland row at all.
    assert query(db, "SELECT count(*) FROM u18_rates WHERE region = 'Grenland'") == [(0,)]


def test_group_population_is_the_sum_of_its_kommuner_only_when_all_are_known(db):
    ingest_any(POP / "statbank_07459_wide_latin1.csv", db)
    assert query(db, "SELECT count(*) FROM population WHERE region = 'Grenland'") == [(0,)]
    ingest_any(REFERENCE / "population" / "pop_municip_total_b2024_2015-2026.csv", db)
    grenland = query(db, "SELECT persons FROM population WHERE region = 'Grenland' AND "
                         "year = 2024 AND age = 'Totalt' AND gender = 'Totalt'")
    members = query(db, "SELECT sum(p.persons) FROM population p JOIN regions r "
                        "ON r.name = p.region JOIN region_members m ON m.kommune_code = "
                        "r.region_code WHERE m.region_code = 'GRENLAND' AND p.year = 2024 AND "
                        "p.age = 'Totalt' AND p.gender = 'Totalt'")
    assert grenland == members and grenland[0][0] > 100_000


def test_ssb_08487_per_1000_matches_ssbs_published_figures(db):
    ingest_any(REFERENCE / "population" / "pop_municip_total_b2024_2015-2026.csv", db)
    ingest_any(REFERENCE / "ssb" / "anmeldte_lovbrudd_08487_2020-2024.csv", db)
    got = dict(query(db, "SELECT region, per_1000 FROM ssb_08487 WHERE period = '2023-2024' "
                         "AND offence_group = 'Alle lovbruddsgrupper' "
                         "AND region IN ('Oslo', 'Bergen', 'Kragerø')"))
    assert got == {"Oslo": 97.8, "Bergen": 63.6, "Kragerø": 84.8}


def test_ssb_08487_suppressed_values_stay_null_with_a_flag(db):
    ingest_any(SSB / "ssb_08487_excerpt.csv", db)
    assert query(db, "SELECT offences, per_1000, suppressed FROM ssb_08487 WHERE region = "
                     "'Siljan' AND offence_group = 'Rusmiddellovbrudd'") == [(None, None, True)]


def test_survey_indicators_are_stored_in_percent_with_suppression(db):
    ingest_any(UNG / "kommunehelsa_trivsel_cp1252.csv", db)
    ingest_any(UNG / "fhi_api_depressive_symptomer.csv", db)
    assert query(db, "SELECT region, percent, suppressed FROM ungdata WHERE indicator = "
                     "'trivsel_elevundersokelsen' ORDER BY 1") == [
        ("Hele landet", 85.6, False), ("Porsgrunn", 83.0, False), ("Siljan", None, True)]
    assert query(db, "SELECT region, gender, percent, suppressed FROM ungdata WHERE period = "
                     "'2022_2024' AND region IN ('Telemark', 'Porsgrunn') ORDER BY ALL") == [
        ("Porsgrunn", "Gutter", 9.4, False), ("Porsgrunn", "Jenter", None, True),
        ("Porsgrunn", "Totalt", 19.1, False), ("Telemark", "Totalt", 18.0, False)]


def test_the_same_file_twice_changes_nothing_the_second_time(db):
    first = ingest_any(UNG / "tidy_porsgrunn.csv", db)
    second = ingest_any(UNG / "tidy_porsgrunn.csv", db)
    assert (first.status, second.status) == ("accepted", "unchanged")
    assert query(db, "SELECT count(*) FROM ungdata_facts") == [(3,)]


@pytest.mark.parametrize("bad", [POP / "statbank_07459_unknown_region.csv",
                                 EXPORTS / "fhi_kommunehelsa_unit_clash.csv",
                                 EXPORTS / "fhi_kommunehelsa_no_unit.csv"])
def test_a_refused_file_leaves_every_table_unchanged_and_is_recorded(db, bad, tmp_path):
    ingest_any(POP / "statbank_07459_wide_latin1.csv", db)
    ingest_any(UNG / "nokkeltall_skien_years.csv", db)
    ingest_any(SSB / "ssb_08487_excerpt.csv", db)
    before = snapshot(db)
    renamed = tmp_path / "opplasting.csv"
    shutil.copy(bad, renamed)
    with pytest.raises(IngestError) as refused:
        ingest_any(renamed, db, user="kari")
    assert snapshot(db) == before
    last = query(db, "SELECT upload_id, file_name, uploaded_by, outcome, message FROM uploads "
                     "ORDER BY upload_id DESC LIMIT 1")[0]
    assert last[:4] == (refused.value.upload_id, "opplasting.csv", "kari", "rejected")
    assert "opplasting.csv" in last[4]


def test_cli_ingest_routes_survey_and_population_files(db, slt):
    result = slt("ingest", UNG / "nokkeltall_skien_years.csv",
                 POP / "ssb_07459_jsonstat2.json", "--db", db)
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT source, outcome FROM uploads ORDER BY upload_id") == [
        ("ungdata", "accepted"), ("population", "accepted")]


def test_indicator_catalogue_is_in_every_store(db):
    ingest_any(UNG / "tidy_porsgrunn.csv", db)
    assert query(db, "SELECT theme, higher_is_better, crime_types FROM indicators "
                     "WHERE indicator = 'naskeri'") == [("kriminalitet og vold", False,
                                                         ["Vinning"])]
    assert query(db, "SELECT DISTINCT theme FROM indicators ORDER BY 1") == [
        (t,) for t in sorted(["fritid", "kriminalitet og vold", "mobbing", "psykisk helse",
                              "rus", "skole", "venner"])]
