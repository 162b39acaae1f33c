"""Reading the plan's goals from a goals file or a form: measures, units, targets, refusals."""

from __future__ import annotations

import pytest

from etl.errors import IngestError
from etl.goal_store import export_csv
from etl.goals import GoalProblem, parse_goal, read_goals
from tests.conftest import TEST_DATA

GOALS = TEST_DATA / "goals"


def form(**changes) -> dict[str, str]:
    values = {"plan": "SLT-plan 2025-2029", "region": "Grenland", "measure": "Vinning",
              "direction": "≤", "target": "80", "baseline": "2019-2022", "deadline": "2029"}
    return {**values, **changes}


def test_a_goals_file_gives_one_goal_per_row_with_the_app_s_measures():
    goals = read_goals(GOALS / "grenland_maal.csv", "grenland_maal.csv")
    assert [(g.measure, g.direction, g.target, g.target_change, g.baseline_from,
             g.baseline_to, g.deadline) for g in goals] == [
        ("Vinning", "≤", None, -20.0, 2019, 2022, 2029),
        ("U18-forhold i alt", "≤", 400.0, None, 2019, 2022, 2029),
        ("Vold", "≤", 150.0, None, None, None, 2023)]
    assert [(g.plan_start, g.plan_end, g.region_code) for g in goals] == \
        [(2025, 2029, "GRENLAND")] * 2 + [(2021, 2023, "GRENLAND")]


def test_header_and_value_aliases_come_from_the_vocab_files():
    [goal] = read_goals(GOALS / "aliases_comma.csv", "aliases_comma.csv")
    assert (goal.measure, goal.unit, goal.direction, goal.measures) == \
        ("Vold per 1 000 unge 10–17 år", "per_1000", "≥", "Oppsøkende team")


@pytest.mark.parametrize(("measure", "unit", "found"), [
    ("U18-forhold i alt per 1 000", "", ("u18", "Totalt", "Totalt", "Totalt", "per_1000")),
    ("Jenter", "", ("u18", "Totalt", "Totalt", "Jenter", "count")),
    ("Forhold begått av 15-åringer", "", ("u18", "Totalt", "15", "Totalt", "count")),
    ("15 år", "antall", ("u18", "Totalt", "15", "Totalt", "count")),
    ("Har brukt cannabis siste år", "", ("survey", None, None, None, "percent")),
    ("cannabis_siste_aar", "prosent", ("survey", None, None, None, "percent")),
])
def test_a_measure_is_named_as_the_app_labels_it(measure, unit, found):
    goal = parse_goal(form(measure=measure, unit=unit, target="5"))
    assert (goal.source, goal.crime_type, goal.age, goal.gender, goal.unit) == found


def test_a_single_year_baseline_is_a_year_and_a_decimal_number_is_a_value():
    assert (parse_goal(form(baseline="2022")).baseline_from,
            parse_goal(form(baseline="103,5")).baseline) == (2022, 103.5)


@pytest.mark.parametrize(("direction", "change"), [
    ("redusere", -20.0), ("Reduseres", -20.0), ("ned", -20.0), ("øke", 20.0), ("opp", 20.0)])
def test_a_percent_without_sign_after_a_verb_of_change_is_that_change(direction, change):
    """«redusere» and «20 %» in a plan: a 20 % reduction, as the plan's reader reads it."""
    goal = parse_goal(form(direction=direction, target="20 %"))
    assert (goal.target, goal.target_change) == (None, change)


def test_a_deadline_written_as_a_date_is_its_year():
    assert parse_goal(form(deadline="31.12.2029")).deadline == 2029


def test_every_wrong_row_is_refused_naming_its_line_and_what_was_expected():
    with pytest.raises(IngestError) as refused:
        read_goals(GOALS / "bad_rows.csv", "bad_rows.csv")
    lines = refused.value.lines()
    assert any("linje 3" in line and "ukjent region «Grenlandd»" in line
               and "Grenland" in line.split("mente du")[1]
               and 'slt alias legg-til region "Grenlandd" Grenland' in line for line in lines)
    assert any("linje 4" in line and "ukjent mål «Vinnig»" in line and "«Vinning»" in line
               for line in lines)
    assert any("linje 4" in line and "«mindre» er ingen retning" in line for line in lines)
    assert any("linje 4" in line and "«ca. 80» er ikke et tall" in line for line in lines)
    assert any("linje 5" in line and "krever et grunnlag" in line for line in lines)
    assert any("linje 6" in line and "står også på linje 2" in line for line in lines)
    assert all(line.startswith("bad_rows.csv: ") for line in lines)


def test_an_unknown_column_is_refused_with_the_columns_expected():
    with pytest.raises(IngestError, match="ukjente kolonner: «ansvarlig»"):
        read_goals(GOALS / "unknown_column.csv", "unknown_column.csv")


@pytest.mark.parametrize(("changes", "message"), [
    ({"measure": "Har brukt cannabis siste år", "unit": "per 1 000"}, "måles i prosent"),
    ({"measure": "15 år per 1 000"}, "ikke for én alder"),
    ({"target": "12 %"}, "prosent uten fortegn passer bare for Ungdata"),
    ({"deadline": "2020"}, "2020 er før planperioden \\(2025–2029\\)"),
    ({"plan": "SLT-plan 2019-2029", "deadline": "2021"},
     "2021 er ikke etter grunnlaget \\(2022\\)"),
    ({"deadline": "snart"}, "«snart» er ikke et årstall"),
    ({"plan": ""}, "plan: tom"),
])
def test_a_wrong_form_names_the_field_and_the_fault(changes, message):
    with pytest.raises(GoalProblem, match=message):
        parse_goal(form(**changes))


def test_the_export_reads_back_as_the_same_goals(tmp_path):
    goals = read_goals(GOALS / "grenland_maal.csv", "grenland_maal.csv") + \
        [parse_goal(form(measure="Vold", unit="per 1 000", baseline="2000,0", target="41,5",
                         wording="=Redusere vold", measures="Oppsøkende team"))]
    path = tmp_path / "export.csv"
    path.write_bytes(export_csv(goals))
    again = read_goals(path, "export.csv")
    assert [g.record() for g in again[:4]] == [g.record() for g in goals[:3]] + \
        [{**goals[3].record(), "wording": "'=Redusere vold"}]


def test_a_spreadsheet_row_is_named_by_its_row_number(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Mål for SLT-planen"])
    sheet.append(["plan", "region", "mål", "retning", "måltall", "grunnlag", "frist"])
    sheet.append(["SLT-plan 2025-2029", "Grenland", "Vinning", "≤", 80, "2019-2022", 2029])
    sheet.append(["SLT-plan 2025-2029", "Grenland", "Vold", "≤", 150, "", 2019])
    path = tmp_path / "maal.xlsx"
    book.save(path)
    with pytest.raises(IngestError) as refused:
        read_goals(path, "maal.xlsx")
    assert refused.value.lines() == [
        "maal.xlsx: rad 4: frist: 2019 er før planperioden (2025–2029)"]
