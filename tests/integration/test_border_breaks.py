"""A kommune's new borders break its series: no «reell endring» across the year its borders
changed, through the real commands (``slt ingest``, ``slt report``), and the charts mark it."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.format import number
from bench.calibration import Setting, region
from report.build import gather
from tests.conftest import REPO, run_slt
from tests.integration.test_honest_verdicts import write_long_csv

# Ålesund's borders changed on 1 January 2024 (Haram became a kommune again): its 2024 figures
# are for other borders than 2023's.  Skien, with the same figures, had no such change.
ALESUND = "Ålesund fikk nye grenser 1. januar 2024 (Haram ble egen kommune igjen)"
POPULATION = REPO / "data" / "reference" / "population" / "pop_municip_age10-24_b2024_2015-2026.csv"


@pytest.fixture(scope="module")
def tripled(tmp_path_factory):
    """Skien, Porsgrunn and Ålesund with the same figures, every offender's count tripled in
    2024."""
    folder = tmp_path_factory.mktemp("borders")
    frame = region(np.random.default_rng(7), Setting(offenders=120, per_offender=2, years=8,
                                                     rise=3.0))
    db = folder / "slt.duckdb"
    loaded = run_slt("ingest", write_long_csv(folder / "k.csv", {
        "Skien": frame, "Porsgrunn": frame, "Ålesund": frame}), "--db", db)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    loaded = run_slt("ingest", POPULATION, "--db", db)  # for the charts per 1 000
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    return db


def _total(db, name: str, kind: str):
    return next(f for f in gather(db, name).police if f.family == "total" and f.kind == kind)


def test_a_tripled_total_is_a_real_rise_where_the_borders_stayed(tripled):
    assert _total(tripled, "Skien", "yoy").significant


@pytest.mark.parametrize("kind", ["yoy", "avg3"])
def test_no_verdict_across_a_kommunes_new_borders(tripled, kind):
    found = _total(tripled, "Ålesund", kind)
    assert not found.tested and not found.significant and found.direction == 0
    assert found.sentence.endswith(f"{ALESUND}, så endringer som spenner over 2024, vurderes "
                                   "ikke.")
    assert "reell" not in found.sentence


def test_the_report_says_why_once_and_calls_nothing_real(tripled, tmp_path):
    out = tmp_path / "alesund.md"
    made = run_slt("report", "--region", "Ålesund", "--format", "md", "--out", out,
                   "--db", tripled)
    assert made.returncode == 0, made.stderr
    text = out.read_text(encoding="utf-8")
    main = text.split("## Hovedfunn")[1].split("\n## ")[0]
    assert main.count(ALESUND) == 1
    assert "reell økning" not in text.split("## Vedlegg")[0]
    development = text.split("### Utvikling")[1].split("\n## ")[0]
    assert "for få tilfeller" not in development  # not why: the counts are large
    assert f"Gutter og jenter: {ALESUND}, så endringer som spenner over 2024" in development
    alt = text.split("![")[1].split("](")[0]
    assert f"{ALESUND}: tallene før og etter gjelder ulike grenser." in alt


# --- a region group without figures of its own: the sums of its kommuner ---------------------

@pytest.fixture(scope="module")
def groups(tripled, tmp_path_factory):
    db = tmp_path_factory.mktemp("groups") / "slt.duckdb"
    db.write_bytes(tripled.read_bytes())
    for name, members in (("Nedre Telemark", "Porsgrunn,Skien"),
                          ("Sunnmøre SLT", "Ålesund,Skien")):
        made = run_slt("gruppe", "lag", name, "--kommuner", members, "--db", db)
        assert made.returncode == 0, made.stdout + made.stderr
    return db


def test_the_report_of_a_group_judges_the_sums_of_its_kommuner(groups, tmp_path):
    """It said «Databasen har ingen politi-tall» while the dashboard showed the sums."""
    total = _total(groups, "Nedre Telemark", "yoy")
    skien = _total(groups, "Skien", "yoy")  # Porsgrunn's are the same: the sum is twice it
    assert total.significant and total.direction == 1
    assert total.figures == " mot ".join(number(2 * int(n.replace("\xa0", "")))
                                         for n in skien.figures.split(" mot "))
    out = tmp_path / "gruppe.md"
    made = run_slt("report", "--region", "Nedre Telemark", "--format", "md", "--out", out,
                   "--db", groups)
    assert made.returncode == 0, made.stderr
    text = out.read_text(encoding="utf-8")
    assert "ingen politi-tall" not in text
    assert "tallene er summen av kommunene" in text and "en reell økning" in text


def test_a_group_with_the_kommune_gets_no_verdict_across_its_new_borders(groups):
    found = _total(groups, "Sunnmøre SLT", "yoy")
    assert not found.tested and found.sentence.endswith(
        f"{ALESUND}, så endringer som spenner over 2024, vurderes ikke.")


# --- the pages ---------------------------------------------------------------------------------

@pytest.fixture
def pages(tripled):
    import importlib

    from dashboard import queries
    from dashboard.app import create_app

    create_app(tripled)
    queries.configure(tripled)
    return lambda name: importlib.import_module(f"dashboard.pages.{name}")


def _marks(fig: dict) -> list[tuple[float, str]]:
    layout = fig["layout"]
    return [(s["x0"], a["text"]) for s, a in zip(
        [s for s in layout.get("shapes", []) if s["type"] == "line"],
        [a for a in layout.get("annotations", []) if a["text"] != "delår"])]


@pytest.mark.parametrize("measure", ["antall", "rate"])
def test_the_crime_type_and_gender_charts_mark_the_new_borders(pages, measure):
    page = pages("ungdomskriminalitet")
    for chart in (page._types("Ålesund", [2017, 2024], [], measure, "linjer"),
                  page._genders("Ålesund", [2017, 2024], measure)):
        _title, fig, _style, _empty, note, *_ = chart
        assert _marks(fig) == [(2019.5, "Nye grenser 2020"), (2023.5, "Nye grenser 2024")]
        assert f"{ALESUND}: tallene før og etter gjelder ulike grenser." in note
    _title, fig, *_ = page._types("Skien", [2017, 2024], [], "antall", "linjer")
    assert _marks(fig) == []


def test_the_age_heatmap_marks_the_new_borders_between_its_columns(pages):
    _title, fig, _style, _empty, note, *_ = pages("ungdomskriminalitet")._ages("Ålesund",
                                                                              [2017, 2024])
    assert _marks(fig) == [(2.5, "Nye grenser 2020"), (6.5, "Nye grenser 2024")]  # 2017 = 0
    assert f"{ALESUND}: tallene før og etter gjelder ulike grenser." in note


def test_a_group_with_the_kommune_is_marked_too(groups):
    """A group's sums of its kommuner change when one of them took in another kommune."""
    from dashboard import queries
    from dashboard.app import create_app

    create_app(groups)
    queries.configure(groups)
    from dashboard.pages import ungdomskriminalitet

    _title, fig, _style, _empty, note, *_ = ungdomskriminalitet._types(
        "Sunnmøre SLT", [2017, 2024], [], "antall", "linjer")
    assert _marks(fig) == [(2019.5, "Nye grenser 2020"), (2023.5, "Nye grenser 2024")]
    assert f"{ALESUND}: tallene før og etter gjelder ulike grenser." in note


def test_oversikt_marks_the_new_borders_and_calls_nothing_real(pages):
    out = pages("oversikt")._update("Ålesund", [2017, 2024])
    assert "reell" not in str(out[0])
    assert "Nye grenser 2024" in str(out) and f"{ALESUND}: tallene" in str(out)


def test_a_goal_whose_baseline_is_before_the_new_borders_is_not_tested(tripled, tmp_path):
    db = tmp_path / "goals.duckdb"
    db.write_bytes(tripled.read_bytes())
    goals = tmp_path / "maal.csv"
    goals.write_text("plan;region;mål;retning;måltall;grunnlag;frist\n"
                     "Plan 2025-2028;Ålesund;U18-forhold i alt;≤;-20 %;2021-2023;2028\n"
                     "Plan 2025-2028;Skien;U18-forhold i alt;≤;-20 %;2021-2023;2028\n",
                     encoding="utf-8")
    loaded = run_slt("ingest", goals, "--db", db)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    from report.goals import load_statuses

    (alesund,) = load_statuses(db, "Ålesund")
    assert alesund.status == "for tidlig å si" and alesund.why == "borders"
    assert alesund.reason.endswith(f"{ALESUND}, så endringer som spenner over 2024, vurderes "
                                   "ikke.")
    (skien,) = load_statuses(db, "Skien")
    assert skien.status == "går feil vei"


def test_sammenlign_marks_the_new_borders_of_the_regions_shown(pages):
    page = pages("sammenlign")
    _title, fig, _style, _empty, note, *_ = page._rates("Skien", [2017, 2024], ["Ålesund"],
                                                        "Totalt")
    # several regions shown: each line says whose borders changed
    assert _marks(fig) == [(2019.5, "Nye grenser 2020 (Ålesund)"),
                           (2023.5, "Nye grenser 2024 (Ålesund)")]
    assert f"{ALESUND}: tallene før og etter gjelder ulike grenser." in note
    _title, fig, *_ = page._rates("Ålesund", [2017, 2024], [], "Totalt")
    assert _marks(fig) == [(2019.5, "Nye grenser 2020"), (2023.5, "Nye grenser 2024")]
    _title, fig, _style, _empty, note, *_ = page._rates("Skien", [2017, 2024], [], "Totalt")
    assert _marks(fig) == [] and "grenser" not in note


def test_the_goals_of_a_group_are_judged_on_the_sums_on_the_goals_page_too(groups, tmp_path):
    """Mål reads the goals without a report: it found no figures for a group without its own."""
    db = tmp_path / "maal.duckdb"
    db.write_bytes(groups.read_bytes())
    goals = tmp_path / "maal.csv"
    goals.write_text("plan;region;mål;retning;måltall;grunnlag;frist\n"
                     "Plan 2025-2028;Nedre Telemark;U18-forhold i alt;≤;-20 %;2021-2023;2028\n",
                     encoding="utf-8")
    assert run_slt("ingest", goals, "--db", db).returncode == 0
    from report.goals import load_statuses

    (status,) = load_statuses(db, "Nedre Telemark")
    assert status.status == "går feil vei", status.reason
