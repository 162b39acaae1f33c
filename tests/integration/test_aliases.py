"""``slt alias``: a name the readers do not know is taught once, in the database, by the real
CLI, and the file that was refused is then read; nothing in the installed package changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from etl.vocab import VOCAB_DIR
from tests.conftest import SEED_WORKBOOK, TEST_DATA, query, snapshot

SHOPLIFTING = ("År;Kommune;Krimtype;Alder;Kjønn;Antall\n"
               "2024;Skien;Tyveri fra butikk;15;Gutter;4\n"
               "2024;Skien;Vold;15;Gutter;3\n")


def _package_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(VOCAB_DIR.glob("*.csv")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def shoplifting(tmp_path: Path) -> Path:
    path = tmp_path / "skien_2024.csv"
    path.write_text(SHOPLIFTING, encoding="utf-8")
    return path


def test_a_refused_name_is_taught_with_the_command_the_refusal_gives(slt, db, shoplifting):
    package = _package_digest()
    refused = slt("ingest", shoplifting, "--db", db)
    assert refused.returncode == 1
    hint = 'slt alias legg-til krimtype "Tyveri fra butikk" Vinning'
    assert "ukjent krimtype: «Tyveri fra butikk»" in refused.stderr and hint in refused.stderr

    taught = slt("alias", "legg-til", "krimtype", "Tyveri fra butikk", "vinning", "--db", db)
    assert taught.returncode == 0, taught.stderr
    assert "«Tyveri fra butikk» betyr nå krimtypen Vinning" in taught.stdout
    assert "slt rollback" in taught.stdout

    accepted = slt("ingest", shoplifting, "--db", db)
    assert accepted.returncode == 0, accepted.stderr
    assert query(db, "SELECT offences FROM u18_current WHERE crime_type = 'Vinning' "
                     "AND age = '15' AND gender = 'Gutter'") == [(4,)]
    listed = slt("alias", "vis", "--db", db)
    assert "krimtype: «Tyveri fra butikk» = krimtypen Vinning" in listed.stdout
    assert _package_digest() == package  # taught in the database, not in etl/vocab/


@pytest.mark.parametrize("args, said", [
    (("krimtype", "Tyveri fra butikk", "Butikktyveri"),
     "«Butikktyveri» er ingen krimtype programmet kjenner; kjente er Vold, Vinning"),
    (("krimtype", "Vold", "Vinning"), "«Vold» er allerede kjent som krimtypen Vold"),
    (("alder", "Femten år", "femten"), "«femten» er ingen alder programmet kjenner"),
    (("kolonne", "Lovbruddskategori", "Farge"), "«Farge» er ingen kolonne programmet kjenner"),
    (("total", "Samlet", "Vinning"), "en total betyr alltid «summert over alle»"),
])
def test_a_name_that_cannot_be_taught_is_refused_and_nothing_changes(slt, db, args, said):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    before = snapshot(db, skip=())
    refused = slt("alias", "legg-til", *args, "--db", db)
    assert refused.returncode == 1 and said in refused.stderr
    assert snapshot(db, skip=()) == before


def test_a_taught_name_can_be_undone_and_taken_away_and_that_undone_too(slt, db, shoplifting):
    slt("alias", "legg-til", "krimtype", "Tyveri fra butikk", "Vinning", "--db", db)
    [(added,)] = query(db, "SELECT max(upload_id) FROM uploads")
    undone = slt("rollback", str(added), "--db", db)
    assert undone.returncode == 0 and "navnet er tatt bort igjen" in undone.stdout
    assert slt("ingest", shoplifting, "--db", db).returncode == 1   # unknown again

    slt("alias", "legg-til", "krimtype", "Tyveri fra butikk", "Vinning", "--db", db)
    removed = slt("alias", "fjern", "krimtype", "tyveri FRA butikk", "--db", db)
    assert removed.returncode == 0, removed.stderr
    assert "er ikke lenger et navn for krimtype" in removed.stdout
    assert slt("alias", "vis", "--db", db).stdout.startswith("Ingen egne navn")
    [(removal,)] = query(db, "SELECT max(upload_id) FROM uploads")
    assert slt("rollback", str(removal), "--db", db).returncode == 0
    assert slt("ingest", shoplifting, "--db", db).returncode == 0     # known again

    missing = slt("alias", "fjern", "krimtype", "Vold", "--db", db)
    assert missing.returncode == 1 and "ikke et navn dere har lagt til" in missing.stderr


def test_a_column_name_is_taught_the_same_way(slt, db, tmp_path):
    path = tmp_path / "skien.csv"
    path.write_text("År;Kommune;Lovbruddskategori;Alder;Kjønn;Antall\n"
                    "2024;Skien;Vold;15;Gutter;3\n", encoding="utf-8")
    refused = slt("ingest", path, "--db", db)
    assert refused.returncode == 1
    assert 'slt alias legg-til kolonne "Lovbruddskategori" Krimtype' in refused.stderr
    assert slt("alias", "legg-til", "kolonne", "Lovbruddskategori", "Krimtype",
               "--db", db).returncode == 0
    accepted = slt("ingest", path, "--db", db)
    assert accepted.returncode == 0, accepted.stderr
    assert query(db, "SELECT count(*) FROM u18_current WHERE crime_type = 'Vold'")[0][0] > 0


def test_a_new_crime_type_of_a_workbook_row_is_taught_with_ny(slt, db):
    workbook = TEST_DATA / "u18" / "seed_unknown_label.xlsx"
    refused = slt("ingest", workbook, "--db", db)
    assert refused.returncode == 1
    assert 'slt alias legg-til krimtype "Ran" Vinning' in refused.stderr
    taught = slt("alias", "legg-til", "krimtype", "Ran", "--ny", "--db", db)
    assert taught.returncode == 0 and "krimtypen Ran (ny)" in taught.stdout
    accepted = slt("ingest", workbook, "--db", db)
    assert accepted.returncode == 0, accepted.stderr
    assert query(db, "SELECT count(*) FROM u18_current WHERE crime_type = 'Ran'")[0][0] > 0


POPULATION = ("region;år;kjønn;alder;Bosatte i alt\n"
              "Porsgrunn;2023;Jenter;15;210\n"
              "Porsgrunn;2023;Gutter;15;..\n"
              "Skien;2023;Jenter;15;180\n")


def test_a_population_csv_with_a_count_column_not_known_is_refused_as_population_then_taught(
        slt, db, tmp_path):
    path = tmp_path / "bosatte.csv"
    path.write_text(POPULATION, encoding="utf-8")
    refused = slt("ingest", path, "--db", db)
    assert refused.returncode == 1
    assert "År og Antall" not in refused.stderr  # not read as a police file
    assert "ukjent kolonne: «Bosatte i alt»" in refused.stderr
    assert 'slt alias legg-til kolonne "Bosatte i alt" Personer' in refused.stderr
    before = snapshot(db)

    taught = slt("alias", "legg-til", "kolonne", "Bosatte i alt", "Personer", "--db", db)
    assert taught.returncode == 0, taught.stderr
    assert snapshot(db) != before
    accepted = slt("ingest", path, "--db", db)
    assert accepted.returncode == 0, accepted.stderr
    # the suppressed boys are no figure: neither 0 nor part of a total
    assert query(db, "SELECT region, year, age, gender, persons FROM population "
                     "ORDER BY region, gender") == [
        ("Porsgrunn", 2023, "15", "Jenter", 210), ("Skien", 2023, "15", "Jenter", 180)]


def test_a_police_long_csv_with_a_misspelt_count_is_still_refused_as_police(slt, db, tmp_path):
    path = tmp_path / "skien.csv"
    path.write_text("År;Kommune;Krimtype;Alder;Kjønn;Antal\n2024;Skien;Vold;15;Gutter;3\n",
                    encoding="utf-8")
    refused = slt("ingest", path, "--db", db)
    assert refused.returncode == 1 and "År og Antall" in refused.stderr


def test_a_crime_type_taught_with_ny_is_one_the_catalogue_and_the_goals_know(slt, db):
    from etl.goal_store import save_goal

    assert slt("ingest", TEST_DATA / "exports" / "fhi_kommunehelsa_fornoyd_livet.csv",
               "--db", db).returncode == 0
    [(indicator,)] = query(db, "SELECT indicator FROM indicators WHERE NOT catalogued")
    refused = slt("katalog", "sett", indicator, "--krimtyper", "Ran;Vold", "--db", db)
    assert refused.returncode == 1 and "ukjent krimtype: Ran" in refused.stderr

    assert slt("alias", "legg-til", "krimtype", "Ran", "--ny", "--db", db).returncode == 0
    done = slt("katalog", "sett", indicator, "--krimtyper", "Ran;Vold", "--db", db)
    assert done.returncode == 0, done.stderr
    assert query(db, "SELECT crime_types FROM indicators WHERE indicator = ?",
                 [indicator]) == [(["Ran", "Vold"],)]

    # the goal form in the browser (its engine, outside any ingest)
    goal = save_goal(db, {"plan": "SLT-plan 2025-2029", "region": "Skien", "measure": "ran",
                          "direction": "≤", "target": "5", "deadline": "2029"}, "anna")
    assert goal.status == "accepted"
    assert query(db, "SELECT measure, crime_type FROM goals") == [("Ran", "Ran")]


def test_a_region_name_is_taught_once_and_read_in_every_family_then_undone(slt, db, tmp_path):
    population = tmp_path / "befolkning.csv"
    population.write_text("region;år;kjønn;alder;personer\n"
                          "Bø i Telemark;2023;Jenter;15;41\n", encoding="utf-8")
    police = tmp_path / "bo.csv"
    police.write_text("År;Kommune;Krimtype;Alder;Kjønn;Antall\n"
                      "2023;Bø i Telemark;Vold;15;Gutter;2\n", encoding="utf-8")
    refused = slt("ingest", population, "--db", db)
    assert refused.returncode == 1
    assert "ukjent region «Bø i Telemark»" in refused.stderr
    assert 'slt alias legg-til region "Bø i Telemark"' in refused.stderr
    assert slt("ingest", police, "--db", db).returncode == 1

    taught = slt("alias", "legg-til", "region", "Bø i Telemark", "Midt-Telemark", "--db", db)
    assert taught.returncode == 0, taught.stderr
    assert "«Bø i Telemark» betyr nå regionen Midt-Telemark" in taught.stdout
    [(added,)] = query(db, "SELECT max(upload_id) FROM uploads")
    for path in (population, police):
        accepted = slt("ingest", path, "--db", db)
        assert accepted.returncode == 0, accepted.stderr
    assert query(db, "SELECT region, persons FROM population") == [("Midt-Telemark", 41)]
    assert query(db, "SELECT region, offences FROM u18_offences WHERE crime_type = 'Vold' "
                     "AND age = '15' AND gender = 'Gutter'") == [("Midt-Telemark", 2)]
    assert "region: «Bø i Telemark» = regionen Midt-Telemark" in slt(
        "alias", "vis", "--db", db).stdout

    for upload in range(added + 2, added - 1, -1):  # the two files, then the name
        assert slt("rollback", str(upload), "--db", db).returncode == 0
    assert query(db, "SELECT count(*) FROM population") == [(0,)]
    assert query(db, "SELECT count(*) FROM u18_current") == [(0,)]
    assert query(db, "SELECT count(*) FROM vocab_aliases") == [(0,)]
    assert slt("ingest", police, "--db", db).returncode == 1  # unknown again


def test_a_taught_region_name_names_a_kommune_of_a_group_too(slt, db):
    """``slt gruppe`` (and Grupper) read a group's kommuner by the names an ingest reads."""
    assert slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    refused = slt("gruppe", "lag", "Midt og Nedre", "--kommuner", "Bø i Telemark, Skien",
                  "--db", db)
    assert refused.returncode == 1 and "ukjent kommune «Bø i Telemark»" in refused.stderr
    assert slt("alias", "legg-til", "region", "Bø i Telemark", "Midt-Telemark",
               "--db", db).returncode == 0
    made = slt("gruppe", "lag", "Midt og Nedre", "--kommuner", "Bø i Telemark, Skien",
               "--db", db)
    assert made.returncode == 0, made.stderr
    changed = slt("gruppe", "endre", "Midt og Nedre", "--ta-ut", "Bø i Telemark",
                  "--legg-til", "Porsgrunn", "--db", db)
    assert changed.returncode == 0, changed.stderr
    assert query(db, "SELECT r.name FROM region_members m JOIN regions r "
                     "ON r.region_code = m.kommune_code "
                     "JOIN regions g ON g.region_code = m.region_code "
                     "WHERE g.name = 'Midt og Nedre' ORDER BY 1") == [("Porsgrunn",), ("Skien",)]


@pytest.mark.parametrize("args, said", [
    (("region", "Porsgrunn kommune", "Skien"), "«Porsgrunn kommune» er allerede kjent som "
                                               "regionen Porsgrunn"),
    (("region", "Bø i Telemark", "Bøø"), "«Bøø» er ingen region programmet kjenner"),
    (("region", "Bø i Telemark"), 'oppgi hva «Bø i Telemark» betyr, f.eks.: slt alias '
                                  'legg-til region "Bø i Telemark" Porsgrunn'),
])
def test_a_region_name_that_cannot_be_taught_is_refused(slt, db, args, said):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    before = snapshot(db, skip=())
    refused = slt("alias", "legg-til", *args, "--db", db)
    assert refused.returncode == 1 and said in refused.stderr, refused.stderr
    assert snapshot(db, skip=()) == before


def test_a_name_two_kommuner_share_is_refused_naming_both_and_its_command_runs_as_written(
        slt, db, tmp_path):
    """«Herøy» is a kommune in Møre og Romsdal and one in Nordland: the refusal names both
    (not «Averøy»), and the command it gives, pasted into a shell, teaches the first."""
    import shlex

    path = tmp_path / "heroy.csv"
    path.write_text("År;Kommune;Krimtype;Antall\n2024;Herøy;Vold;3\n", encoding="utf-8")
    refused = slt("ingest", path, "--db", db)
    assert refused.returncode == 1
    assert ("«Herøy» er navnet på flere kommuner: «Herøy (Møre og Romsdal)» (1515) og "
            "«Herøy (Nordland)» (1818)") in refused.stderr
    command = refused.stderr.split("med: ", 1)[1].split(" (med det riktige", 1)[0]
    assert slt(*shlex.split(command)[1:], "--db", db).returncode == 0
    assert slt("ingest", path, "--db", db).returncode == 0
    assert query(db, "SELECT DISTINCT region_code FROM u18_current") == [("K1515",)]
