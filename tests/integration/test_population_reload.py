"""A population file loaded again replaces what the earlier one stored for its regions, years
and ages: a cell suppressed in the new file is unknown, never the old figure and never 0;
rollback brings the old figures back exactly."""

from __future__ import annotations

import pytest

from etl.dispatch import ingest_any
from etl.rollback import rollback
from tests.conftest import query, snapshot

HEADER = '07459: Befolkning\n\n"region";"kjønn";"alder";"Personer 2023";"Personer 2024"\n'
REGIONS = {"K-4001 Porsgrunn": 100, "K-4003 Skien": 200}
GENDERS = {"Menn": 10, "Kvinner": 0}
AGES = range(10, 18)


def statbank(path, shift: int = 0, cells: dict | None = None):
    """A Statbank 07459 export of Porsgrunn and Skien, men and women aged 10-17, 2023 and 2024
    (each figure ``shift`` more); ``cells``: (region, gender, age, year) → what the cell holds
    instead (``..``, ``:``, a number)."""
    cells = cells or {}
    lines = []
    for region, base in REGIONS.items():
        for gender, more in GENDERS.items():
            for age in AGES:
                values = [cells.get((region[7:], gender, age, year),
                                    str(base + more + age + (year - 2023) * 5 + shift))
                          for year in (2023, 2024)]
                lines.append(f'"{region}";"{gender}";"{age} år";"{values[0]}";"{values[1]}"')
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def persons(db, region_code: str, year: int, age: str, gender: str):
    return query(db, "SELECT persons FROM population_facts WHERE region_code = ? AND year = ? "
                     "AND age = ? AND gender = ?", [region_code, year, age, gender])


def test_a_cell_suppressed_in_a_new_file_is_unknown_not_the_old_figure(db, tmp_path):
    ingest_any(statbank(tmp_path / "a.csv"), db)
    assert persons(db, "K4001", 2024, "15", "Gutter") == [(130,)]
    assert persons(db, "K4001", 2024, "15", "Totalt") == [(250,)]
    new = ingest_any(statbank(tmp_path / "b.csv", 1, {("Porsgrunn", "Menn", 15, 2024): ".."}),
                     db)
    assert new.status == "accepted"
    assert persons(db, "K4001", 2024, "15", "Gutter") == []  # not 130, not 0
    assert persons(db, "K4001", 2024, "15", "Totalt") == []  # Jenter + an unknown: unknown
    assert persons(db, "K4001", 2024, "15", "Jenter") == [(121,)]
    assert persons(db, "K4001", 2023, "15", "Gutter") == [(126,)]
    assert query(db, "SELECT DISTINCT upload_id FROM population_facts") == [(new.upload_id,)]
    # Porsgrunn 2024: 8 ages × (Jenter, Gutter, Totalt) less age 15's Gutter and Totalt; Grenland
    # is the sum of its kommuner only where every one is known (Bamble and Siljan are not in
    # the file, so it has no sum at all).
    assert query(db, "SELECT region, count(*) FROM population WHERE year = 2024 AND region "
                     "IN ('Porsgrunn', 'Grenland') GROUP BY 1") == [("Porsgrunn", 22)]


def test_the_rate_of_a_region_year_with_a_suppressed_age_is_not_computed(db, tmp_path):
    ingest_any(statbank(tmp_path / "a.csv"), db)
    police = tmp_path / "politi.csv"
    police.write_text("Kommune;År;Lovbruddsgruppe;Antall\nPorsgrunn;2024;Vold;20\n"
                      "Skien;2024;Vold;30\n", encoding="utf-8")
    ingest_any(police, db)
    rate = ("SELECT region, per_1000 IS NOT NULL, rate_note FROM u18_rates WHERE year = 2024 "
            "AND crime_type = 'Totalt' AND gender = 'Totalt' ORDER BY 1")
    assert query(db, rate) == [("Porsgrunn", True, None), ("Skien", True, None)]
    ingest_any(statbank(tmp_path / "b.csv", cells={("Porsgrunn", "Kvinner", 12, 2024): ":"}), db)
    assert query(db, rate) == [("Porsgrunn", False, "befolkning mangler"), ("Skien", True, None)]


def test_a_region_year_suppressed_in_every_cell_keeps_none_of_its_old_figures(db, tmp_path):
    ingest_any(statbank(tmp_path / "a.csv"), db)
    hidden = {("Skien", g, age, 2024): ".." for g in GENDERS for age in AGES}
    outcome = ingest_any(statbank(tmp_path / "b.csv", cells=hidden), db)
    assert query(db, "SELECT count(*) FROM population_facts WHERE region_code = 'K4003' "
                     "AND year = 2024") == [(0,)]
    assert query(db, "SELECT count(*) FROM population_facts WHERE region_code = 'K4003' "
                     "AND year = 2023") == [(24,)]
    assert outcome.message == (
        "72 tall for befolkning: 2 regioner (Porsgrunn, Skien), 2023-2024; 24 tall som var "
        "lagret for de samme regionene, årene, aldrene og kjønnene, er skjult eller mangler i "
        "filen og er nå ukjente (ikke 0)")


def test_a_file_identical_but_for_a_suppressed_cell_is_a_change_and_the_preview_shows_it(
        db, tmp_path):
    ingest_any(statbank(tmp_path / "a.csv"), db)
    again = ingest_any(statbank(tmp_path / "a2.csv"), db)
    assert again.status == "unchanged"
    b = statbank(tmp_path / "b.csv", cells={("Porsgrunn", "Menn", 15, 2024): ".."})
    before = snapshot(db, skip=())
    preview = ingest_any(b, db, dry_run=True)
    assert snapshot(db, skip=()) == before
    assert preview.status == "accepted" and preview.changed == 2
    assert [(c["region"], c["year"], c["what"], c["old"], c["new"]) for c in preview.changes] \
        == [("Porsgrunn", "2024", "15, Gutter", 130, None),
            ("Porsgrunn", "2024", "15, Totalt", 250, None)]
    assert [(s["region"], s["year"], s["status"]) for s in preview.slices] == [
        ("Porsgrunn", "2023", "unchanged"), ("Porsgrunn", "2024", "changed"),
        ("Skien", "2023", "unchanged"), ("Skien", "2024", "unchanged")]


def test_a_file_of_other_region_years_leaves_the_stored_ones_alone(db, tmp_path):
    ingest_any(statbank(tmp_path / "a.csv"), db)
    skien = tmp_path / "skien_2025.csv"
    skien.write_text('07459: Befolkning\n\n"region";"kjønn";"alder";"Personer 2025"\n'
                     '"K-4003 Skien";"Menn";"15 år";"240"\n', encoding="utf-8")
    ingest_any(skien, db)
    assert query(db, "SELECT year, count(*) FROM population_facts WHERE region_code = 'K4003' "
                     "GROUP BY 1 ORDER BY 1") == [(2023, 24), (2024, 24), (2025, 1)]


@pytest.mark.parametrize("how", ["function", "slt"])
def test_rollback_restores_every_figure_the_new_file_replaced(db, tmp_path, slt, how):
    ingest_any(statbank(tmp_path / "a.csv"), db)
    live = ("uploads", "population_facts_history")  # the undone figures are kept there
    before = snapshot(db, skip=live)
    hidden = {("Skien", g, age, 2024): ".." for g in GENDERS for age in AGES}
    hidden[("Porsgrunn", "Menn", 15, 2023)] = ".."
    new = ingest_any(statbank(tmp_path / "b.csv", 3, hidden), db)
    assert snapshot(db, skip=live) != before
    if how == "slt":
        done = slt("rollback", new.upload_id, "--db", db)
        assert done.returncode == 0, done.stderr
        said = done.stdout.strip()
    else:
        said = rollback(db, new.upload_id)
    assert said == (f"opplasting {new.upload_id} er angret: 70 tall den lagret, er tatt bort, og "
                    "96 tall den erstattet, er lagret igjen")
    assert snapshot(db, skip=live) == before


def test_a_file_of_other_ages_for_the_same_region_years_keeps_the_stored_ages(db, tmp_path):
    """Statbank 07459 is downloaded by ages: the bundled sample loads ages 10-24 and then all
    ages together for the same kommune-years.  A file replaces the ages it gives."""
    ingest_any(statbank(tmp_path / "a.csv"), db)
    totals = tmp_path / "alle_aldre.csv"
    totals.write_text('07459: Befolkning\n\n"region";"kjønn";"Personer 2023";"Personer 2024"\n'
                      '"K-4001 Porsgrunn";"Menn";"18000";"18100"\n'
                      '"K-4001 Porsgrunn";"Kvinner";"17900";".."\n', encoding="utf-8")
    outcome = ingest_any(totals, db)
    assert "ukjente" not in outcome.message
    assert query(db, "SELECT year, count(*) FILTER (age = 'Totalt'), count(*) FILTER (age = '15') "
                     "FROM population_facts WHERE region_code = 'K4001' GROUP BY 1 ORDER BY 1"
                 ) == [(2023, 3, 3), (2024, 1, 3)]
    assert persons(db, "K4001", 2024, "Totalt", "Gutter") == [(18100,)]


@pytest.mark.parametrize("original, now, view, where", [
    ("ssb/ssb_08487_excerpt.csv", ('4014,886,372', '4014,886,NA'), "ssb_08487",
     "region = 'Kragerø' AND offence_group = 'Eiendomstyveri'"),
    ("ungdata/tidy_porsgrunn.csv", ("Jenter;Har minst én god venn;85,5", "Jenter;Har minst én "
                                    "god venn;.."), "ungdata",
     "region = 'Porsgrunn' AND gender = 'Jenter' AND indicator = 'god_venn'")])
def test_survey_and_08487_cells_suppressed_on_reload_are_stored_as_unknown(db, tmp_path,
                                                                           original, now, view,
                                                                           where):
    """Those sources keep a suppressed cell as a row under its key, so the key replaces it."""
    from tests.conftest import TEST_DATA

    text = (TEST_DATA / original).read_text(encoding="utf-8")
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    ingest_any(tmp_path / "a.csv", db)
    (tmp_path / "b.csv").write_text(text.replace(*now), encoding="utf-8")
    ingest_any(tmp_path / "b.csv", db)
    # one row, without a figure: the earlier file's figure is gone
    assert query(db, f"SELECT suppressed FROM {view} WHERE {where}") == [(True,)]


def test_a_file_whose_every_cell_is_suppressed_is_refused_and_changes_nothing(db, tmp_path):
    from etl.errors import IngestError

    ingest_any(statbank(tmp_path / "a.csv"), db)
    before = snapshot(db)
    hidden = {(region[7:], g, age, year): ".." for region in REGIONS for g in GENDERS
              for age in AGES for year in (2023, 2024)}
    with pytest.raises(IngestError, match="filen har ingen tall for befolkning: alle cellene "
                                          "er skjult eller tomme"):
        ingest_any(statbank(tmp_path / "b.csv", cells=hidden), db)
    assert snapshot(db) == before


def test_a_kommune_under_its_old_number_counts_where_todays_number_is_suppressed(db, tmp_path):
    """A number not in use that year may be written «..»: the figure under the other number
    is the kommune's, as when the file has it under one number only."""
    path = tmp_path / "gamle_nummer.csv"
    path.write_text('07459: Befolkning\n\n"region";"kjønn";"alder";"Personer 2019";'
                    '"Personer 2024"\n'
                    '"0805 Porsgrunn (-2019)";"Menn";"15 år";"480";".."\n'
                    '"3806 Porsgrunn (2020-2023)";"Menn";"15 år";"..";".."\n'
                    '"K-4001 Porsgrunn";"Menn";"15 år";"..";"500"\n', encoding="utf-8")
    ingest_any(path, db)
    assert query(db, "SELECT year, persons FROM population_facts WHERE region_code = 'K4001' "
                     "ORDER BY 1") == [(2019, 480), (2024, 500)]


def test_a_file_of_both_genders_together_keeps_the_stored_girls_and_boys(db, tmp_path):
    """Statbank 07459 is also downloaded with «Begge kjønn» only (e.g. for the all-ages
    denominators): such a file replaces the stored totals of its ages, never the stored
    girls and boys, which it says nothing about (the rates by gender keep their population)."""
    ingest_any(statbank(tmp_path / "a.csv"), db)
    both = tmp_path / "begge_kjonn.csv"
    both.write_text(HEADER + "\n".join(
        f'"K-4001 Porsgrunn";"Begge kjønn";"{age} år";"{300 + age}";"{".." if age == 15 else 400}"'
        for age in AGES) + "\n", encoding="utf-8")
    outcome = ingest_any(both, db)
    assert outcome.status == "accepted"
    assert persons(db, "K4001", 2024, "15", "Gutter") == [(130,)]
    assert persons(db, "K4001", 2024, "15", "Jenter") == [(120,)]
    assert persons(db, "K4001", 2024, "15", "Totalt") == []  # suppressed in the new file
    assert persons(db, "K4001", 2023, "16", "Totalt") == [(316,)]
    assert persons(db, "K4001", 2024, "16", "Gutter") == [(131,)]
    assert "1 tall som var lagret" in outcome.message
    assert query(db, "SELECT count(*) FROM u18_rates WHERE region = 'Porsgrunn' "
                     "AND rate_note = 'befolkning mangler' AND gender <> 'Totalt'") == [(0,)]


def test_age_groups_are_stored_as_groups_never_as_their_last_age(db, tmp_path):
    """Statbank's five-year groups («10-14 år») were stored as age 14 — 1 200 persons aged 14,
    and a rate on that. They land as groups, keep the single ages and the rate as they were,
    and the message says the rates need single ages."""
    ingest_any(statbank(tmp_path / "a.csv"), db)
    police = tmp_path / "politi.csv"
    police.write_text("Kommune;År;Lovbruddsgruppe;Antall\nPorsgrunn;2024;Vold;20\n",
                      encoding="utf-8")
    ingest_any(police, db)
    rate = ("SELECT per_1000 FROM u18_rates WHERE region = 'Porsgrunn' AND year = 2024 AND "
            "crime_type = 'Totalt' AND gender = 'Totalt'")
    before = query(db, rate)
    groups = tmp_path / "grupper.csv"
    groups.write_text(HEADER + '"K-4001 Porsgrunn";"Menn";"10-14 år";"1200";"1210"\n'
                      '"K-4001 Porsgrunn";"Menn";"15 - 19 år";"1300";"1310"\n'
                      '"K-4001 Porsgrunn";"Menn";"80 år eller eldre";"900";"910"\n',
                      encoding="utf-8")
    outcome = ingest_any(groups, db)
    assert outcome.status == "accepted"
    assert "aldersgrupper (10-14, 15-19) er lagret som grupper" in outcome.message
    assert persons(db, "K4001", 2024, "10-14", "Gutter") == [(1210,)]
    assert persons(db, "K4001", 2024, "15-19", "Gutter") == [(1310,)]
    assert persons(db, "K4001", 2024, "80+", "Gutter") == [(910,)]
    assert persons(db, "K4001", 2024, "14", "Gutter") == [(129,)]  # as the first file gave
    assert query(db, rate) == before
