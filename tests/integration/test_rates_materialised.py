"""``u18_rates`` and ``population_by_code`` are tables that always equal their defining queries."""

import shutil

import duckdb

from etl.dispatch import ingest_any
from etl.rates import RATES_QUERY, derived_queries
from etl.rollback import rollback
from etl.store import writing
from tests.conftest import REPO, SEED_WORKBOOK, query

POPULATION = REPO / "data" / "reference" / "population" / "pop_municip_age10-24_b2024_2015-2026.csv"


def differences(db) -> dict[str, int]:
    """Rows in the stored table but not in its query's answer, and the other way round."""
    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for name, sql in derived_queries().items():
            [(extra,)] = con.execute(
                f"SELECT count(*) FROM (SELECT * FROM {name} EXCEPT ALL ({sql}))").fetchall()
            [(missing,)] = con.execute(
                f"SELECT count(*) FROM (({sql}) EXCEPT ALL SELECT * FROM {name})").fetchall()
            out[name] = extra + missing
    return out


def table_types(db) -> set[tuple[str, str]]:
    return set(query(db, "SELECT table_name, table_type FROM information_schema.tables "
                         "WHERE table_name IN ('u18_rates', 'population_by_code')"))


def test_derived_tables_equal_their_queries_after_every_kind_of_write(db, u18_data):
    ingest_any(SEED_WORKBOOK, db)
    assert table_types(db) == {("u18_rates", "BASE TABLE"), ("population_by_code", "BASE TABLE")}
    assert not any(differences(db).values()), differences(db)
    population = ingest_any(POPULATION, db)
    assert query(db, "SELECT count(*) FROM u18_rates WHERE per_1000 IS NOT NULL")[0][0] > 0
    assert not any(differences(db).values()), differences(db)
    ingest_any(u18_data / "seed_full_year_2024.xlsx", db)
    assert not any(differences(db).values()), differences(db)
    rollback(db, population.upload_id)
    assert not any(differences(db).values()), differences(db)
    assert query(db, "SELECT count(*) FROM population_by_code") == [(0,)]
    assert query(db, "SELECT DISTINCT rate_note FROM u18_rates WHERE counted_through IS NULL "
                     "AND offences IS NOT NULL") == [("befolkning mangler",)]


def test_a_store_with_the_old_views_gets_tables_on_its_next_write(db, tmp_path):
    ingest_any(SEED_WORKBOOK, db)
    ingest_any(POPULATION, db)
    with duckdb.connect(str(db)) as con:  # the schema before materialisation
        con.execute("DROP TABLE u18_rates")
        con.execute(f"CREATE VIEW u18_rates AS {RATES_QUERY}")
        con.execute("DROP TABLE population_by_code")
        con.execute(f"CREATE VIEW population_by_code AS {derived_queries()['population_by_code']}")
    before = query(db, "SELECT * FROM u18_rates ORDER BY ALL")
    with writing(db):
        pass
    assert table_types(db) == {("u18_rates", "BASE TABLE"), ("population_by_code", "BASE TABLE")}
    assert query(db, "SELECT * FROM u18_rates ORDER BY ALL") == before
    assert not any(differences(db).values()), differences(db)


def test_a_write_that_changes_no_input_leaves_the_derived_tables_as_they_were(db, tmp_path):
    ingest_any(SEED_WORKBOOK, db)
    with duckdb.connect(str(db)) as con:  # a marker the rebuild would wipe out
        con.execute("INSERT INTO u18_rates (region, year, crime_type, gender, basis) "
                    "VALUES ('marker', 1900, 'x', 'x', 'x')")
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(db, copy)
    with writing(db) as con:
        con.execute("INSERT INTO meta VALUES ('note', 'no input changed')")
    assert query(db, "SELECT count(*) FROM u18_rates WHERE region = 'marker'") == [(1,)]
    ingest_any(POPULATION, db)
    assert query(db, "SELECT count(*) FROM u18_rates WHERE region = 'marker'") == [(0,)]


def write_kommune_csv(path, suppressed_cell: bool = True):
    """Police figures per kommune for Grenland's four kommuner and Notodden, 2022-2023."""
    lines = ["Kommune;År;Krimtype;Alder;Kjønn;Antall"]
    for k, kommune in enumerate(["Porsgrunn", "Skien", "Siljan", "Bamble", "Notodden"]):
        for year in (2022, 2023):
            for c, crime in enumerate(["Vold", "Vinning"]):
                for age in ("15", "16"):
                    for g, gender in enumerate(["Jenter", "Gutter"]):
                        value = str((k + 1) * (c + 2) + g + year % 7)
                        if suppressed_cell and (kommune, year, crime, age, gender) == (
                                "Skien", 2023, "Vold", "15", "Jenter"):
                            value = ".."
                        lines.append(f"{kommune};{year};{crime};{age};{gender};{value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_region_figures_give_every_region_the_breakdowns_the_old_query_summed(db, tmp_path):
    """u18_breakdown from the table equals u18_breakdown summed on the fly, for every region."""
    from dashboard import police_queries, queries

    ingest_any(write_kommune_csv(tmp_path / "kommuner.csv"), db)
    ingest_any(SEED_WORKBOOK, db)  # Grenland's own figures win over its kommuner's sum
    assert not any(differences(db).values()), differences(db)
    queries.configure(db)
    fresh = police_queries._U18_REGION_TABLE
    try:
        for name in queries.regions()["name"]:
            for dimension in police_queries.DIMENSIONS:
                from_table = police_queries.u18_breakdown(name, dimension, 2000, 2030)
                police_queries._U18_REGION_TABLE = police_queries._U18_REGION  # summed on the fly
                on_the_fly = police_queries.u18_breakdown(name, dimension, 2000, 2030)
                police_queries._U18_REGION_TABLE = fresh
                assert from_table.equals(on_the_fly), (name, dimension)
    finally:
        police_queries._U18_REGION_TABLE = fresh
    assert query(db, "SELECT DISTINCT basis FROM u18_region_figures ORDER BY 1") == [
        ("egne tall",)]  # no fylke or district has every kommune; Grenland has its own



def test_breakdowns_worked_out_from_a_regions_rows_equal_the_query_for_every_region(db, tmp_path):
    """u18_breakdown reads a region's rows once and works out each breakdown and year range
    from them; for every region, dimension and range (suppressed cells, a blank cell, a
    partial year, sums of kommuner, a range without figures) it gives the frame the query
    gives, column types included."""
    import pandas as pd

    from dashboard import police_queries, queries

    ingest_any(write_kommune_csv(tmp_path / "kommuner.csv"), db)
    ingest_any(SEED_WORKBOOK, db)
    queries.configure(db)
    version = queries._version()
    with_figures = {n for (n,) in query(db, "SELECT DISTINCT r.name FROM u18_region_figures "
                                            "JOIN regions r USING (region_code)")}
    others = sorted(set(queries.regions()["name"]) - with_figures)[:5]
    compared = 0
    for name in [*sorted(with_figures), *others]:
        for figures in (police_queries._U18_REGION_TABLE, police_queries._U18_REGION):
            for dimension in police_queries.DIMENSIONS:
                for fra, til in ((2000, 2030), (2022, 2023), (2024, 2024), (2030, 2031)):
                    derived = police_queries._breakdown(version, figures, name, dimension, fra, til)
                    asked = police_queries._breakdown_query(version, figures, name, dimension,
                                                            fra, til)
                    pd.testing.assert_frame_equal(derived, asked, obj=f"{name} {dimension}")
                    compared += not asked.empty
    assert compared > 50  # the regions with figures were compared, not only empty frames


def test_a_group_without_own_figures_sums_its_kommuner_except_unknown_cells(db, tmp_path):
    from dashboard import police_queries, queries

    ingest_any(write_kommune_csv(tmp_path / "kommuner.csv"), db)
    queries.configure(db)
    frame = police_queries.u18_breakdown("Grenland", "crime_type", 2022, 2023)
    vold = frame[(frame["crime_type"] == "Vold")].set_index("year")["offences"]
    assert vold[2022] == sum(8 * (k + 1) + 2 + 4 * (2022 % 7) for k in range(4))
    # Skien's suppressed 2023 cell makes every 2023 total it is part of unknown, so the
    # group's 2023 total is not given, and without a total the year is not shown.
    assert 2023 not in set(frame["year"])
    ages = police_queries.u18_breakdown("Grenland", "age", 2023, 2023)
    assert ages.empty
    assert query(db, "SELECT count(*) FROM u18_region_figures r JOIN regions g USING "
                     "(region_code) WHERE g.name = 'Grenland' AND basis = 'sum av kommunene'"
                 )[0][0] > 0
    # Skien's 2023 Vold total has a suppressed part, so it is not stored: its other crime
    # types do not add up to a total (there is none), so Vold is unknown, never Skien's none
    assert query(db, "SELECT crime_type FROM u18_region_figures r JOIN regions g USING "
                     "(region_code) WHERE g.name = 'Grenland' AND year = 2023 AND age = "
                     "'Totalt' AND gender = 'Totalt' ORDER BY 1") == [("Vinning",)]


GRENLAND = ["Bamble", "Porsgrunn", "Siljan", "Skien"]


def kommune_file(path, years: dict[int, int]) -> None:
    """Totals for Grenland's four kommuner in ``years`` (year → a figure to vary)."""
    path.write_text("År;Kommune;Antall\n" + "".join(
        f"{year};{name};{base + i}\n" for year, base in years.items()
        for i, name in enumerate(GRENLAND)), encoding="utf-8")


def mark(db, tables, basis: str) -> None:
    with duckdb.connect(str(db)) as con:
        for name in tables:
            con.execute(f"UPDATE {name} SET basis = {basis} WHERE year = 2022")


def test_a_write_rebuilds_only_the_years_it_changed_and_they_equal_their_queries(db, tmp_path):
    ingest_any(POPULATION, db)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    kommune_file(first, {2022: 10, 2023: 20})
    ingest_any(first, db)
    assert query(db, "SELECT basis FROM u18_rates r JOIN regions USING (region_code) "
                     "WHERE name = 'Grenland' AND year = 2023") == [("sum av kommunene",)]
    derived = ("u18_rates", "u18_region_figures")
    mark(db, derived, "basis || ' (merket)'")  # a row rebuilt loses its mark
    kommune_file(second, {2023: 30})
    replaced = ingest_any(second, db)
    for name in derived:
        assert query(db, f"SELECT year, bool_and(basis LIKE '%(merket)'), "
                         f"bool_or(basis LIKE '%(merket)') FROM {name} GROUP BY 1 ORDER BY 1"
                     ) == [(2022, True, True), (2023, False, False)], name
    mark(db, derived, "replace(basis, ' (merket)', '')")
    assert not any(differences(db).values()), differences(db)
    ingest_any(SEED_WORKBOOK, db)  # Grenland's own figures: its sums go in every year
    assert not any(differences(db).values()), differences(db)
    assert query(db, "SELECT DISTINCT basis FROM u18_region_figures f JOIN regions "
                     "USING (region_code) WHERE name = 'Grenland'") == [("egne tall",)]
    rollback(db, replaced.upload_id + 1)
    rollback(db, replaced.upload_id)
    assert not any(differences(db).values()), differences(db)


def totals_file(path, figures: dict[tuple[str, int], int]) -> None:
    """Totals per kommune and year: (kommune, year) → offences."""
    path.write_text("År;Kommune;Antall\n" + "".join(
        f"{year};{name};{n}\n" for (name, year), n in figures.items()), encoding="utf-8")


def marked(db, table: str) -> list[tuple]:
    """(region, year, every row marked, any row marked) of ``table``."""
    return query(db, f"SELECT r.name, t.year, bool_and(t.basis LIKE '%(merket)'), "
                     f"bool_or(t.basis LIKE '%(merket)') FROM {table} t "
                     "JOIN regions r USING (region_code) GROUP BY 1, 2 ORDER BY 1, 2")


def test_a_write_rebuilds_only_the_region_years_it_changed_and_the_regions_summing_them(
        db, tmp_path):
    ingest_any(POPULATION, db)
    ingest_any(write_kommune_csv(tmp_path / "kommuner.csv"), db)  # Grenland's four + Notodden
    derived = ("u18_rates", "u18_region_figures")
    mark(db, derived, "basis || ' (merket)'")
    with duckdb.connect(str(db)) as con:
        for name in derived:
            con.execute(f"UPDATE {name} SET basis = basis || ' (merket)' WHERE year = 2023")
    before = {name: marked(db, name) for name in derived}
    totals_file(tmp_path / "notodden.csv", {("Notodden", 2023): 99})
    ingest_any(tmp_path / "notodden.csv", db)
    for name in derived:
        after = marked(db, name)
        assert [row for row in after if row[:2] == ("Notodden", 2023)] == [
            ("Notodden", 2023, False, False)], name
        assert [row for row in after if row[:2] != ("Notodden", 2023)] == [
            row for row in before[name] if row[:2] != ("Notodden", 2023)], name
        assert ("Porsgrunn", 2023, True, True) in after and ("Grenland", 2023, True, True) in after
    totals_file(tmp_path / "skien.csv", {("Skien", 2023): 7})
    ingest_any(tmp_path / "skien.csv", db)  # Grenland sums Skien: its 2023 sums are rebuilt
    for name in derived:
        after = {row[:2]: row[2:] for row in marked(db, name)}
        assert after[("Skien", 2023)] == after[("Grenland", 2023)] == (False, False), name
        assert after[("Porsgrunn", 2023)] == after[("Skien", 2022)] == (True, True), name


def test_rebuilding_region_years_gives_what_a_full_rebuild_gives_over_uploads_and_rollbacks(
        db, tmp_path, u18_data):
    """After every write, each derived table equals its query over the whole store."""
    ingest_any(POPULATION, db)
    uploads = [ingest_any(write_kommune_csv(tmp_path / "kommuner.csv"), db)]
    assert not any(differences(db).values()), differences(db)
    files = [({("Notodden", 2023): 99, ("Skien", 2022): 5}, "a.csv"),
             ({("Bamble", 2024): 3, ("Porsgrunn", 2024): 4, ("Skien", 2024): 6,
               ("Siljan", 2024): 1}, "b.csv"),
             ({("Oslo", 2022): 1000, ("Skien", 2023): 8}, "c.csv")]
    for figures, name in files:
        totals_file(tmp_path / name, figures)
        uploads.append(ingest_any(tmp_path / name, db))
        assert not any(differences(db).values()), (name, differences(db))
    uploads.append(ingest_any(SEED_WORKBOOK, db))  # Grenland's own figures replace its sums
    assert not any(differences(db).values()), differences(db)
    uploads.append(ingest_any(u18_data / "seed_full_year_2024.xlsx", db))
    assert not any(differences(db).values()), differences(db)
    for outcome in reversed(uploads[1:]):
        rollback(db, outcome.upload_id)
        assert not any(differences(db).values()), (outcome.upload_id, differences(db))


def test_a_rate_on_no_inhabitants_is_left_out_saying_why(db, tmp_path):
    """Utsira had no girls aged 10-17 in this file: no rate (never a division by 0), and the
    note says why, as for every other rate left out."""
    population = tmp_path / "utsira_07459.csv"
    population.write_text("region;kjønn;alder;år;Personer\n" + "".join(
        f"1151 Utsira;{sex};{age} år;2023;{persons}\n"
        for age in range(10, 18) for sex, persons in (("Kvinner", 0), ("Menn", 2))),
        encoding="utf-8")
    police = tmp_path / "utsira_u18.csv"
    police.write_text("region;år;krimtype;kjønn;antall\nUtsira;2023;Vold;Jenter;1\n"
                      "Utsira;2023;Vold;Gutter;2\n", encoding="utf-8")
    ingest_any(population, db)
    ingest_any(police, db)
    assert query(db, "SELECT gender, persons_10_17, per_1000, rate_note FROM u18_rates "
                     "WHERE crime_type = 'Vold' ORDER BY gender") == [
        ("Gutter", 16, 125.0, None), ("Jenter", 0, None, "ingen innbyggere 10–17 år"),
        ("Totalt", 16, 187.5, None)]
