"""Region groups as data: ``slt gruppe`` on a real DuckDB file, with history and rollback."""

from __future__ import annotations

import hashlib
import shutil

import duckdb
import pytest

from etl.dispatch import ingest_any
from etl.groups import create
from etl.store import writing
from tests.conftest import REPO, SEED_WORKBOOK, TEST_DATA, query, snapshot

POPULATION = REPO / "data" / "reference" / "population" / "pop_municip_age10-24_b2024_2015-2026.csv"
KOMMUNE_U18 = TEST_DATA / "rates" / "u18_porsgrunn_skien.csv"  # Porsgrunn and Skien, 2023


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(db):
    """Police figures of Porsgrunn and Skien (2023) and of Grenland, and population."""
    for path in (SEED_WORKBOOK, KOMMUNE_U18, POPULATION):
        ingest_any(path, db)
    return db


def total_rate(db, region: str) -> list[tuple]:
    return query(db, "SELECT year, offences, persons_10_17, round(per_1000, 3), basis "
                     "FROM u18_rates WHERE region = ? AND crime_type = 'Totalt' "
                     "AND gender = 'Totalt' ORDER BY year", [region])


def test_a_group_made_with_slt_gruppe_lag_is_a_region_with_summed_figures_and_rates(store, slt):
    done = slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn, Skien",
               "--user", "kari", "--db", store)
    assert done.returncode == 0, done.stderr
    assert "LAGRET (opplasting 4): ny gruppe Nedre Telemark: Porsgrunn og Skien" in done.stdout
    assert query(store, "SELECT level FROM regions WHERE name = 'Nedre Telemark'") == [("gruppe",)]
    [(_, porsgrunn, p_persons, _, _)] = total_rate(store, "Porsgrunn")[:1]  # 2023
    [(_, skien, s_persons, _, _)] = total_rate(store, "Skien")
    # 2024 is Porsgrunn's alone, so the group has 2023 only: a sum needs every member.
    [(year, offences, persons, rate, basis)] = total_rate(store, "Nedre Telemark")
    assert (year, offences, persons, basis) == (2023, porsgrunn + skien, p_persons + s_persons,
                                                "sum av kommunene")
    assert rate == round((porsgrunn + skien) * 1000 / (p_persons + s_persons), 3)
    assert query(store, "SELECT upload_id, uploaded_by, source, regions, outcome FROM uploads "
                        "WHERE upload_id = 4") == [(4, "kari", "gruppe", ["Nedre Telemark"],
                                                    "accepted")]
    listed = slt("gruppe", "list", "--db", store)
    assert "Nedre Telemark: Porsgrunn, Skien" in listed.stdout
    assert "av kari, opplasting 4" in listed.stdout
    assert "Grenland: Bamble, Porsgrunn, Siljan, Skien" in listed.stdout


def test_changing_the_members_changes_the_rates_and_rollback_restores_them_exactly(store, slt):
    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--db", store)
    before = snapshot(store)
    changed = slt("gruppe", "endre", "Nedre Telemark", "--legg-til", "Bamble", "--db", store)
    assert changed.returncode == 0, changed.stderr
    assert "lagt til Bamble" in changed.stdout
    # Bamble has no police figures, so the group's sum is no longer complete: no rate.
    assert total_rate(store, "Nedre Telemark") == []
    assert sorted(query(store, "SELECT k.name FROM region_members m JOIN regions g USING "
                               "(region_code) JOIN regions k ON k.region_code = m.kommune_code "
                               "WHERE g.name = 'Nedre Telemark'")) == [
        ("Bamble",), ("Porsgrunn",), ("Skien",)]
    undone = slt("rollback", "5", "--db", store)
    assert undone.returncode == 0, undone.stderr
    assert "regiongruppen har igjen navnet og kommunene den hadde før" in undone.stdout
    after = snapshot(store)
    assert {k: v for k, v in after.items() if not k.startswith("region_group_members")} == \
        {k: v for k, v in before.items() if not k.startswith("region_group_members")}
    assert after["region_group_members"] == before["region_group_members"]


def test_a_rename_keeps_the_group_and_its_history_under_the_new_name(store, slt):
    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--db", store)
    rates = total_rate(store, "Nedre Telemark")
    done = slt("gruppe", "endre", "nedre telemark", "--nytt-navn", "Grenland nord", "--db", store)
    assert done.returncode == 0, done.stderr
    assert "gruppen Nedre Telemark heter nå Grenland nord" in done.stdout
    assert total_rate(store, "Grenland nord") == rates
    assert query(store, "SELECT count(*) FROM regions WHERE name = 'Nedre Telemark'") == [(0,)]
    history = slt("history", "--db", store, "--limit", "2").stdout
    assert "gruppe Grenland nord" in history and "gruppe Nedre Telemark" in history


@pytest.mark.parametrize(("args", "says"), [
    (["lag", "Ny", "--kommuner", "Porsgrun,Skien"],
     "ukjent kommune «Porsgrun»; mente du Porsgrunn"),
    (["lag", "Ny", "--kommuner", "Våler,Skien"],
     "mente du Våler (Østfold) eller Våler (Innlandet)"),
    (["lag", "Skien", "--kommuner", "Porsgrunn,Bamble"], "allerede navnet på kommunen Skien"),
    (["lag", "Telemark", "--kommuner", "Porsgrunn,Bamble"], "allerede navnet på fylket Telemark"),
    (["lag", "Sør-Øst", "--kommuner", "Porsgrunn,Bamble"],
     "allerede navnet på politidistriktet Sør-Øst politidistrikt"),
    (["lag", "grenland", "--kommuner", "Porsgrunn,Bamble"], "allerede navnet på gruppen Grenland"),
    (["lag", "Ny", "--kommuner", "Porsgrunn"], "minst 2 kommuner"),
    (["lag", "Ny", "--kommuner", "Telemark,Skien"], "«Telemark» er fylket Telemark, ikke en"),
    (["lag", "=HYPERLINK()", "--kommuner", "Porsgrunn,Skien"], "kan ikke brukes som navn"),
    (["endre", "Finnes ikke", "--legg-til", "Skien"], "ingen gruppe heter «Finnes ikke»"),
    (["endre", "Grenland", "--ta-ut", "Kragerø"], "Kragerø er ikke med i Grenland"),
    (["endre", "Grenland", "--nytt-navn", "Bamble"], "allerede navnet på kommunen Bamble"),
    (["slett", "Grenland"], "gruppen Grenland har egne tall (opplasting 1)"),
])
def test_a_refused_change_says_why_in_norwegian_and_leaves_the_file_as_it_was(store, slt, args,
                                                                             says):
    before = digest(store)
    refused = slt("gruppe", *args, "--db", store)
    assert refused.returncode == 1
    assert refused.stderr.startswith("AVVIST: ") and says in refused.stderr, refused.stderr
    assert digest(store) == before


def test_a_change_that_changes_nothing_writes_nothing(store, slt):
    before = digest(store)
    same = slt("gruppe", "endre", "Grenland", "--kommuner", "Skien,Porsgrunn,Bamble,Siljan",
               "--db", store)
    assert same.returncode == 0 and same.stdout.startswith("UENDRET")
    assert digest(store) == before


def test_delete_removes_the_region_and_rollback_brings_it_back(store, slt):
    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--db", store)
    rates = total_rate(store, "Nedre Telemark")
    gone = slt("gruppe", "slett", "Nedre Telemark", "--db", store)
    assert gone.returncode == 0, gone.stderr
    assert query(store, "SELECT count(*) FROM regions WHERE name = 'Nedre Telemark'") == [(0,)]
    assert total_rate(store, "Nedre Telemark") == []
    assert slt("rollback", "5", "--db", store).returncode == 0
    assert total_rate(store, "Nedre Telemark") == rates
    # The making of the group can only be undone after the deletion that replaced it.
    assert slt("rollback", "4", "--db", store).returncode == 0


def test_an_undo_that_would_give_two_regions_one_name_is_refused(store, slt):
    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--db", store)
    slt("gruppe", "endre", "Nedre Telemark", "--nytt-navn", "Elvebyene", "--db", store)  # 5
    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Bamble,Skien", "--db", store)  # 6
    before = digest(store)
    refused = slt("rollback", "5", "--db", store)
    assert refused.returncode == 1
    assert "navnet «Nedre Telemark» er allerede i bruk" in refused.stderr
    assert digest(store) == before


def test_a_file_may_name_a_group_made_in_the_database_which_then_cannot_vanish(store, slt):
    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--db", store)  # 4
    loaded = slt("ingest", SEED_WORKBOOK, "--region", "nedre telemark psd", "--db", store)  # 5
    assert loaded.returncode == 0, loaded.stderr
    assert "Nedre Telemark nye år: 2019" in loaded.stdout
    assert query(store, "SELECT count(*) FROM u18_offences WHERE region = 'Nedre Telemark'") == \
        query(store, "SELECT count(*) FROM u18_offences WHERE region = 'Grenland'")
    before = digest(store)
    for args in (["gruppe", "slett", "Nedre Telemark"], ["rollback", "4"]):
        refused = slt(*args, "--db", store)
        assert refused.returncode == 1
        assert "gruppen Nedre Telemark har egne tall (opplasting 5); angre den" in refused.stderr
        assert digest(store) == before
    renamed = slt("gruppe", "endre", "Nedre Telemark", "--nytt-navn", "Elvebyene", "--db", store)
    assert renamed.returncode == 0, renamed.stderr  # its own figures follow the new name
    assert query(store, "SELECT count(*) FROM u18_offences WHERE region = 'Elvebyene'") == \
        query(store, "SELECT count(*) FROM u18_offences WHERE region = 'Grenland'")
    assert slt("rollback", "5", "--db", store).returncode == 0
    assert slt("gruppe", "slett", "Elvebyene", "--db", store).returncode == 0


def test_an_unknown_region_in_a_file_is_offered_the_groups_of_the_database(store, slt):
    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--db", store)
    refused = slt("ingest", SEED_WORKBOOK, "--region", "Nedre Telemrk", "--db", store)
    assert refused.returncode == 1 and "Nedre Telemark" in refused.stderr, refused.stderr


def test_groups_are_seeded_from_the_reference_file_and_a_deleted_seed_stays_deleted(
        db, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "reference", data / "reference")
    monkeypatch.setenv("SLT_DATA_DIR", str(data))
    from etl.regions import clear_catalogue_caches

    clear_catalogue_caches()
    try:
        ingest_any(POPULATION, db)
        assert query(db, "SELECT DISTINCT group_code, upload_id FROM region_group_members") == [
            ("GRENLAND", 0)]
        create(db, "Nedre Telemark", ["Porsgrunn", "Skien"])
        from etl.groups import delete

        delete(db, "Grenland")
        with open(data / "reference" / "region_groups.csv", "a", encoding="utf-8") as fh:
            fh.write("VESTMAR,Vestmar,4016,\nVESTMAR,Vestmar,4018,\n")
        clear_catalogue_caches()
        with writing(db):
            pass  # any write seeds what the file has and the store has never held
        assert sorted(query(db, "SELECT name FROM regions WHERE level = 'gruppe'")) == [
            ("Nedre Telemark",), ("Vestmar",)]
        assert query(db, "SELECT count(*) FROM population WHERE region = 'Vestmar'")[0][0] > 0
    finally:
        clear_catalogue_caches()


def test_a_store_from_before_stored_groups_gets_them_on_its_next_write(store):
    regions = snapshot(store)
    with duckdb.connect(str(store)) as con:
        con.execute("DROP TABLE region_group_members")
        con.execute("DROP TABLE region_group_members_history")
    with writing(store):
        pass
    assert query(store, "SELECT DISTINCT name, upload_id FROM region_group_members") == [
        ("Grenland", 0)]
    assert snapshot(store) == regions


def test_slt_report_knows_a_group_made_with_slt_gruppe(store, slt, tmp_path):
    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--db", store)
    out = tmp_path / "r.md"
    done = slt("report", "--region", "Nedre Telemark", "--format", "md", "--out", out,
               "--db", store)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "# Barne- og ungdomskriminalitet i Nedre Telemark" in text
    assert "Nedre Telemark er en regiongruppe av kommunene Porsgrunn og Skien (sist endret " \
           in text and "opplasting 4)" in text
    assert "| 4 | gruppe Nedre Telemark |" in text  # the change is part of the data version


def test_the_report_says_a_seeded_group_comes_from_the_reference_file(store, slt, tmp_path):
    out = tmp_path / "g.md"
    assert slt("report", "--region", "Grenland", "--format", "md", "--out", out, "--db",
               store).returncode == 0
    assert ("Grenland er en regiongruppe av kommunene Bamble, Porsgrunn, Siljan og Skien (fra "
            "data/reference/region_groups.csv") in out.read_text(encoding="utf-8")


def test_the_dashboard_reads_a_group_made_with_slt_gruppe_like_grenland(store, slt):
    from dashboard import police_queries, queries, survey_queries

    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--user", "kari",
        "--db", store)
    queries.configure(store)
    try:
        regions = queries.regions()
        assert regions.loc[regions["name"] == "Nedre Telemark", "level"].tolist() == ["gruppe"]
        # the map outline
        assert survey_queries.member_kommuner("Nedre Telemark") == ["4001", "4003"]
        assert queries.group_members("Nedre Telemark") == ["Porsgrunn", "Skien"]
        rates = police_queries.u18_rates(["Nedre Telemark"], 2019, 2024)
        assert rates[["year", "offences"]].values.tolist() == [[2023, 72]]  # 12+40 + 20+0
        sums = police_queries.u18_breakdown("Nedre Telemark", "crime_type", 2019, 2024)
        assert dict(zip(sums["crime_type"], sums["offences"])) == {
            "Totalt": 72, "Vinning": 40, "Vold": 32}
        [change] = queries.group_changes("Nedre Telemark").to_dict("records")
        assert (change["upload_id"], change["uploaded_by"], change["current"]) == (4, "kari", True)
    finally:
        queries.configure(store)


def test_a_goals_file_may_name_a_group_made_in_the_database(store, slt, tmp_path):
    goals = tmp_path / "maal.csv"
    goals.write_text("plan;region;mål;retning;måltall;grunnlag;frist\n"
                     "SLT-plan 2025-2029;Nedre Telemark;U18-forhold i alt;under;400;2023;2029\n",
                     encoding="utf-8")
    refused = slt("ingest", goals, "--db", store)  # no such group yet: named and refused
    assert refused.returncode == 1 and "ukjent region «Nedre Telemark»" in refused.stderr
    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--db", store)
    loaded = slt("ingest", goals, "--db", store)
    assert loaded.returncode == 0, loaded.stderr
    assert query(store, "SELECT r.name FROM goals g JOIN regions r USING (region_code)") == \
        [("Nedre Telemark",)]


def test_a_group_the_plan_has_goals_for_cannot_be_deleted(store, slt, tmp_path):
    """Deleting it would leave goals naming a region that no longer exists."""
    assert slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien",
               "--db", store).returncode == 0
    goals = tmp_path / "maal.csv"
    goals.write_text("plan;region;mål;retning;måltall;frist\n"
                     "SLT-plan 2025-2029;Nedre Telemark;Vinning;≤;80;2029\n", encoding="utf-8")
    loaded = slt("ingest", goals, "--db", store)
    assert loaded.returncode == 0, loaded.stderr
    before = digest(store)
    refused = slt("gruppe", "slett", "Nedre Telemark", "--db", store)
    assert refused.returncode == 1
    assert "gruppen Nedre Telemark har mål i planen (opplasting 5); slett eller endre målene " \
           "på Mål-siden først, eller behold gruppen" in refused.stderr, refused.stderr
    assert digest(store) == before


def test_om_dataene_lists_a_group_change_with_the_files(store, slt):
    """A group change is an upload without years or figures: its row says «–» (the page
    failed with a TypeError on the change's missing years)."""
    from dashboard import queries
    from dashboard.app import create_app

    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--db", store)
    create_app(store)
    from dashboard.pages import om_dataene

    queries.configure(store)
    table = om_dataene._uploads()
    rows = table.children[2].children
    assert len(rows) == 4
    change = [cell.children for cell in rows[0].children]  # the newest first
    assert change[0] == 4 and change[5] == "–"


def test_a_crime_type_one_kommune_had_none_of_is_summed_as_its_none(db, tmp_path, slt):
    """Porsgrunn's 2024 has no Økonomi row (none, as a blank police cell): the group's 2024
    Økonomi is Skien's 5, not unknown — which the breakdowns showed as 0, and the report then
    called a fall from 7 to 0 (a suppressed cell still makes a sum unknown: see
    test_a_group_without_own_figures_sums_its_kommuner_except_unknown_cells)."""
    path = tmp_path / "u18.csv"
    path.write_text("Kommune;År;Krimtype;Antall\nSkien;2023;Vold;10\nSkien;2023;Økonomi;4\n"
                    "Skien;2024;Vold;12\nSkien;2024;Økonomi;5\n"
                    "Porsgrunn;2023;Vold;8\nPorsgrunn;2023;Økonomi;3\nPorsgrunn;2024;Vold;9\n",
                    encoding="utf-8")
    ingest_any(path, db)
    slt("gruppe", "lag", "Nedre Telemark", "--kommuner", "Porsgrunn,Skien", "--db", db)
    from dashboard import police_queries, queries

    queries.configure(db)
    try:
        fresh = police_queries._U18_REGION_TABLE
        for figures in (fresh, police_queries._U18_REGION):  # the table, and summed when read
            police_queries._U18_REGION_TABLE = figures
            frame = police_queries.u18_breakdown("Nedre Telemark", "crime_type", 2023, 2024)
            police_queries._U18_REGION_TABLE = fresh
            got = {(r.year, r.crime_type): r.offences for r in frame.itertuples()}
            assert got[2024, "Økonomi"] == 5 and got[2023, "Økonomi"] == 7, figures
    finally:
        police_queries._U18_REGION_TABLE = fresh
        queries.configure(db)
    from report.build import gather

    okonomi = next(f for f in gather(db, "Nedre Telemark").police
                   if f.ref == "Økonomi" and f.kind == "yoy")
    assert "til 0" not in okonomi.sentence and "5" in okonomi.figures


def test_sums_made_by_an_older_version_are_made_again_at_the_next_write(db, tmp_path):
    """The derived tables follow this version's queries after an upgrade: a store whose sums
    were made by other queries (its digest in meta differs) gets them made again at the next
    write, even one that would rebuild only the region-years it changed (Bamble's 2023)."""
    ingest_any(KOMMUNE_U18, db)
    ingest_any(POPULATION, db)
    kept = "SELECT * FROM u18_region_figures WHERE region_code IN ('K4001', 'K4003') ORDER BY ALL"
    right = query(db, kept)
    with duckdb.connect(str(db)) as con:  # as an older version left it
        con.execute("UPDATE meta SET value = 'older' WHERE key = 'derived_queries'")
        con.execute("DELETE FROM u18_region_figures WHERE region_code IN ('K4001', 'K4003')")
    bamble = tmp_path / "bamble.csv"
    bamble.write_text("Kommune;År;Krimtype;Antall\nBamble;2023;Vold;3\n", encoding="utf-8")
    ingest_any(bamble, db)
    assert query(db, kept) == right
