"""The dashboard's query layer on a real DuckDB file built through the ETL."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from dashboard import police_queries, queries, survey_queries
from etl.dispatch import ingest_any
from tests.unit.test_dashboard_fixture_store import PERSONS_10_17, SEED, build_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("store"))
    queries.configure(db)
    return db


@pytest.fixture(autouse=True)
def _use_store(store):
    queries.configure(store)


def _value(frame, **where):
    for key, value in where.items():
        frame = frame[frame[key] == value]
    assert len(frame) == 1, frame
    return frame.iloc[0]


def test_crime_types_are_the_police_rows_of_the_seed(store):
    frame = police_queries.u18_breakdown("Grenland", "crime_type", 2019, 2024)
    assert _value(frame, year=2021, crime_type="Vinning")["offences"] == 107
    assert _value(frame, year=2022, crime_type="Vinning")["offences"] == 182
    assert _value(frame, year=2023, crime_type="Totalt")["offences"] == 622


def test_a_blank_police_cell_in_a_year_with_a_total_is_zero(store):
    frame = police_queries.u18_breakdown("Grenland", "crime_type", 2019, 2024)
    assert _value(frame, year=2019, crime_type="Undersøkelsessaker")["offences"] == 3
    assert _value(frame, year=2022, crime_type="Undersøkelsessaker")["offences"] == 0


def test_the_partial_year_carries_its_counting_date(store):
    frame = police_queries.u18_breakdown("Grenland", "crime_type", 2019, 2024)
    assert _value(frame, year=2024, crime_type="Totalt")["counted_through"] == dt.date(2024, 8, 1)
    assert _value(frame, year=2023, crime_type="Totalt")["counted_through"] is None


def test_year_range_limits_the_rows(store):
    frame = police_queries.u18_breakdown("Grenland", "age", 2020, 2021)
    assert sorted(set(frame["year"])) == [2020, 2021]
    assert _value(frame, year=2021, age="<10")["offences"] == 4


def test_gender_breakdown_splits_the_total(store):
    frame = police_queries.u18_breakdown("Grenland", "gender", 2019, 2019)
    assert _value(frame, gender="Jenter")["offences"] == 73
    assert _value(frame, gender="Gutter")["offences"] == 371


def test_unknown_dimension_is_refused_before_any_sql():
    with pytest.raises(ValueError):
        police_queries.u18_breakdown("Grenland", "region; DROP TABLE x", 2019, 2024)


def test_region_values_are_bound_not_interpolated(store):
    frame = police_queries.u18_breakdown("Grenland' OR '1'='1", "crime_type", 2019, 2024)
    assert frame.empty


def test_default_region_and_bounds_come_from_the_police_data(store):
    assert queries.default_region() == "Grenland"
    assert queries.year_bounds() == (2019, 2024)


def test_regions_list_police_regions_first(store):
    frame = queries.regions()
    assert frame.iloc[0]["name"] == "Grenland"
    assert {"land", "fylke", "kommune", "gruppe", "politidistrikt"} <= set(frame["level"])


def test_rates_are_per_1000_aged_10_17_and_null_for_the_partial_year(store):
    frame = police_queries.u18_rates(["Grenland"], 2019, 2024)
    assert _value(frame, year=2022)["per_1000"] == pytest.approx(623 * 1000 / PERSONS_10_17)
    assert frame[frame["year"] == 2024]["per_1000"].isna().all()


def test_rates_by_crime_type(store):
    frame = police_queries.u18_rates_breakdown("Grenland", "crime_type", 2022, 2022)
    assert _value(frame, crime_type="Vinning")["per_1000"] == pytest.approx(182000 / 6400)


def test_survey_series_and_latest_values_next_to_the_country(store):
    series = survey_queries.ungdata_series(["Porsgrunn", "Hele landet"], "naskeri")
    totals = series[series["gender"] == "Totalt"]
    assert sorted(totals[totals["region"] == "Porsgrunn"]["year"]) == [2018, 2024]
    latest = _value(survey_queries.ungdata_latest("Porsgrunn"), indicator="naskeri")
    assert (latest["percent"], latest["national"]) == (26.5, 20.0)


def test_catalogue_says_which_indicators_have_data(store):
    catalogue = survey_queries.indicator_catalogue()
    assert _value(catalogue, indicator="naskeri")["has_data"]
    assert not _value(catalogue, indicator="god_venn")["has_data"]
    assert list(_value(catalogue, indicator="naskeri")["crime_types"]) == ["Vinning"]


def test_group_members_and_fylke(store):
    assert survey_queries.member_kommuner("Grenland") == ["4001", "4003", "4010", "4012"]
    assert survey_queries.member_kommuner("Skien") == ["4003"]
    assert queries.fylke_of("Porsgrunn") == "Telemark"


def test_uploads_list_every_file_newest_first(store):
    frame = queries.uploads()
    assert list(frame["file_name"]) == ["ungdata.csv", "pop.csv", "grenland_u18_2019-2024.xlsx"]


def test_a_missing_store_is_a_data_missing_message(tmp_path):
    queries.configure(tmp_path / "nothing.duckdb")
    with pytest.raises(queries.DataMissing) as error:
        police_queries.u18_breakdown("Grenland", "crime_type", 2019, 2024)
    assert "slt ingest" in str(error.value)
    assert queries.year_bounds() is None
    assert queries.default_region() == queries.NATION


def test_a_missing_view_names_what_to_load(tmp_path):
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:  # a store from before the survey tables existed
        con.execute("CREATE TABLE regions (region_code VARCHAR, name VARCHAR, level VARCHAR)")
    queries.configure(db)
    with pytest.raises(queries.DataMissing) as error:
        survey_queries.ungdata_series(["Porsgrunn"], "naskeri")
    assert error.value.key == "ungdata"
    assert "Ungdata" in str(error.value)


def test_a_new_published_store_is_seen_without_restart(tmp_path):
    db = build_store(tmp_path, population=False, survey=False)
    queries.configure(db)
    assert queries.uploads()["file_name"].tolist() == ["grenland_u18_2019-2024.xlsx"]
    from tests.unit.test_dashboard_fixture_store import _survey_csv

    ingest_any(_survey_csv(tmp_path / "s.csv"), db)
    assert queries.uploads()["file_name"].tolist()[0] == "s.csv"


def _telemark_file(folder, skip: int = 0):
    import duckdb as _duckdb

    with _duckdb.connect(str(folder / "t.duckdb"), read_only=True) as con:
        names = [n for (n,) in con.execute(
            "SELECT k.name FROM regions r JOIN region_members m USING (region_code) "
            "JOIN regions k ON k.region_code = m.kommune_code WHERE r.name = 'Telemark' "
            "ORDER BY 1").fetchall()]
    lines = ["Kommune;År;Lovbruddsgruppe;Antall"]
    lines += [f"{name};2023;Vold;{i + 1}" for i, name in enumerate(names[skip:])]
    path = folder / "telemark.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, len(names)


@pytest.mark.parametrize("skip", [0, 1])
def test_a_fylke_without_own_figures_is_the_sum_of_all_its_kommuner_or_nothing(tmp_path, skip):
    db = build_store(tmp_path, population=False, survey=False)
    path, n = _telemark_file(tmp_path, skip)
    ingest_any(path, db)
    queries.configure(db)
    frame = police_queries.u18_breakdown("Telemark", "crime_type", 2023, 2023)
    if skip:
        assert frame.empty  # one kommune lacks figures: no sum rather than a wrong one
    else:
        assert _value(frame, crime_type="Vold")["offences"] == n * (n + 1) // 2


def partial_year_file(tmp_path, year: int):
    """Grenland's Vold, Vinning and Narkotika of ``year`` counted through 1 August."""
    partial = tmp_path / f"grenland_{year}_per_0108.csv"
    partial.write_text("Kommune;År;Lovbruddsgruppe;Antall;Telt til\n" + "".join(
        f"Grenland;{year};{crime};{n};01.08.{year}\n"
        for crime, n in (("Vold", 120), ("Vinning", 100), ("Narkotika", 20))), encoding="utf-8")
    return partial


def _store_with_last_years_partial(tmp_path):
    """2023 loaded per 01.08 (as in August 2023), then the seed's full 2023 replaced it."""
    db = tmp_path / "t.duckdb"
    ingest_any(partial_year_file(tmp_path, 2023), db)
    ingest_any(SEED, db)
    return db


def test_same_period_last_year_is_found_after_the_full_year_replaced_it(tmp_path):
    queries.configure(_store_with_last_years_partial(tmp_path))
    frame = police_queries.u18_same_period("Grenland", 2023, dt.date(2024, 8, 1))
    assert dict(zip(frame["crime_type"], frame["offences"])) == {
        "Narkotika": 20, "Totalt": 240, "Vinning": 100, "Vold": 120}
    full = police_queries.u18_breakdown("Grenland", "crime_type", 2023, 2023)
    assert _value(full, crime_type="Totalt")["offences"] == 622  # the live figure is the full year


def test_same_period_is_empty_when_it_was_never_loaded(store):
    assert police_queries.u18_same_period("Grenland", 2023, dt.date(2024, 8, 1)).empty


def test_parallel_requests_share_the_store_safely(store):
    from concurrent.futures import ThreadPoolExecutor

    def ask(year):
        queries._cached.cache_clear()
        frame = police_queries.u18_breakdown("Grenland", "crime_type", year, year)
        return int(_value(frame, crime_type="Totalt")["offences"])

    with ThreadPoolExecutor(8) as pool:
        totals = list(pool.map(ask, [2019, 2020, 2021, 2022, 2023] * 8))
    assert totals == [444, 389, 414, 623, 622] * 8
