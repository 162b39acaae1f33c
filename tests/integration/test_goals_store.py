"""Goals files through the real ``slt ingest``, ``slt rollback`` and ``slt goals export``, and
browser edits through the same store: history, rollback, refusals that change nothing."""

from __future__ import annotations

import pytest

from etl.goal_store import delete_goal, save_goal
from etl.goals import GoalProblem
from etl.rollback import RollbackError, rollback
from tests.conftest import SEED_WORKBOOK, TEST_DATA, query, snapshot

GOALS = TEST_DATA / "goals"


def stored(db) -> list[tuple]:
    return query(db, "SELECT measure, direction, target, target_change, deadline, upload_id "
                     "FROM goals ORDER BY measure")


def form(**changes) -> dict[str, str]:
    values = {"plan": "SLT-plan 2025-2029", "region": "Grenland", "measure": "Skadeverk",
              "direction": "≤", "target": "30", "baseline": "", "deadline": "2029"}
    return {**values, **changes}


def test_a_goals_file_is_stored_once_and_unchanged_the_second_time(slt, db):
    first = slt("ingest", GOALS / "grenland_maal.csv", "--db", db)
    assert first.returncode == 0, first.stderr
    assert "LAGRET grenland_maal.csv (opplasting 1" in first.stdout
    assert [row[0] for row in stored(db)] == ["U18-forhold i alt", "Vinning", "Vold"]
    again = slt("ingest", GOALS / "grenland_maal.csv", "--db", db)
    assert "UENDRET" in again.stdout
    assert query(db, "SELECT source, outcome FROM uploads ORDER BY upload_id") == \
        [("goals", "accepted"), ("goals", "unchanged")]


def test_a_bad_goals_file_is_refused_by_row_and_leaves_the_store_as_it_was(slt, db):
    slt("ingest", GOALS / "grenland_maal.csv", "--db", db)
    before = snapshot(db)
    refused = slt("ingest", GOALS / "bad_rows.csv", "--db", db)
    assert refused.returncode == 1
    assert "AVVIST bad_rows.csv (opplasting 2):" in refused.stderr
    assert "bad_rows.csv: linje 3: region: ukjent region «Grenlandd»" in refused.stderr
    assert snapshot(db) == before
    assert query(db, "SELECT outcome FROM uploads WHERE upload_id = 2") == [("rejected",)]


def test_a_new_file_replaces_the_plan_s_goals_and_rollback_brings_them_back(slt, db, tmp_path):
    slt("ingest", GOALS / "grenland_maal.csv", "--db", db)
    first = stored(db)
    newer = tmp_path / "nye_maal.csv"
    newer.write_text("plan;region;mål;retning;måltall;grunnlag;frist\n"
                     "SLT-plan 2025-2029;Grenland;Vinning;≤;90;2019-2022;2029\n",
                     encoding="utf-8")
    assert slt("ingest", newer, "--db", db).returncode == 0
    # The plan 2025-2029 in Grenland is replaced as a whole; the other plan's goal stays.
    assert stored(db) == [("Vinning", "≤", 90.0, None, 2029, 2),
                          ("Vold", "≤", 150.0, None, 2023, 1)]
    result = slt("rollback", "2", "--db", db)
    assert result.returncode == 0, result.stderr
    assert stored(db) == first


def test_the_export_is_a_goals_file_that_reads_back_unchanged(slt, db, tmp_path):
    slt("ingest", GOALS / "grenland_maal.csv", "--db", db)
    for name in ("maal.csv", "maal.xlsx"):
        out = tmp_path / name
        result = slt("goals", "export", out, "--db", db)
        assert result.returncode == 0, result.stderr
        assert "Skrev 3 mål" in result.stdout
        assert "UENDRET" in slt("ingest", out, "--db", db).stdout


def test_goals_do_not_disturb_police_figures_in_the_same_store(slt, db):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    police = query(db, "SELECT count(*) FROM u18_offences")
    slt("ingest", GOALS / "grenland_maal.csv", "--db", db)
    assert query(db, "SELECT count(*) FROM u18_offences") == police


def test_browser_edits_are_uploads_with_history_and_can_be_undone(slt, db):
    slt("ingest", GOALS / "grenland_maal.csv", "--db", db)
    created = save_goal(db, form(), "anna")
    assert created.status == "accepted"
    key = ("SLT-plan 2025-2029", "GRENLAND", "u18|Skadeverk|Totalt|Totalt|count")
    edited = save_goal(db, form(target="25"), "anna", replaces=key)
    assert query(db, "SELECT target FROM goals WHERE measure = 'Skadeverk'") == [(25.0,)]
    delete_goal(db, key, "anna")
    assert query(db, "SELECT count(*) FROM goals WHERE measure = 'Skadeverk'") == [(0,)]
    rollback(db, edited.upload_id + 1, "anna")   # undo the delete
    assert query(db, "SELECT target FROM goals WHERE measure = 'Skadeverk'") == [(25.0,)]
    with pytest.raises(RollbackError, match="erstattet av opplasting"):
        rollback(db, created.upload_id, "anna")  # the edit replaced it: undo that first
    assert query(db, "SELECT uploaded_by, file_name FROM uploads WHERE upload_id = ?",
                 [created.upload_id]) == [("anna", "mål i nettleseren")]


def test_a_wrong_form_or_a_second_goal_for_the_same_measure_stores_nothing(slt, db):
    slt("ingest", GOALS / "grenland_maal.csv", "--db", db)
    before = snapshot(db, skip=())
    with pytest.raises(GoalProblem, match="retning"):
        save_goal(db, form(direction="kanskje"), "anna")
    with pytest.raises(GoalProblem, match="har allerede et mål for Vinning"):
        save_goal(db, form(measure="Vinning"), "anna")
    assert snapshot(db, skip=()) == before


def test_a_goals_file_is_recognised_from_its_content_also_as_a_spreadsheet(tmp_path):
    from openpyxl import Workbook

    from etl.dispatch import classify

    book = Workbook()
    book.active.append(["Plan", "Kommune", "Mål", "Retning", "Måltall", "Frist"])
    book.active.append(["SLT-plan 2025-2029", "Skien", "Vold", "≤", "10,5", "2029"])
    path = tmp_path / "uten_endelse"
    book.save(path)
    assert classify(path, "uten_endelse") == "goals"
    assert classify(SEED_WORKBOOK, SEED_WORKBOOK.name) == "u18"


def test_a_dry_run_says_what_would_be_stored_and_stores_nothing(slt, db):
    slt("ingest", SEED_WORKBOOK, "--db", db)
    before = snapshot(db, skip=())
    result = slt("ingest", GOALS / "grenland_maal.csv", "--db", db, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("VILLE LAGRET grenland_maal.csv (3 tall): 3 mål for")
    assert snapshot(db, skip=()) == before
