"""The plan's goals on screen, run in-process on the bundled sample: the Mål page (one row per
goal with a chart and its text alternative, the CSV), the Oversikt line and the politiråd slide
say what the report says."""

from __future__ import annotations

import importlib

import pytest

from dashboard import queries
from tests.unit.test_dashboard_pages import find, texts


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app
    from etl.sample import build_sample

    db = tmp_path_factory.mktemp("goals") / "slt.duckdb"
    build_sample(db)
    app = create_app(db)
    app._db = db
    return app


@pytest.fixture(autouse=True)
def _store(app):
    queries.configure(app._db)


def page(name: str):
    return importlib.import_module(f"dashboard.pages.{name}")


def test_the_mal_page_has_one_row_per_goal_with_status_and_chart_alternative(app):
    rows = page("maal")._list("Grenland")
    assert texts(rows[0]) == "SLT-plan 2025-2029 – Grenland"
    cards = rows[1:]
    assert len(cards) == 2
    text = texts(cards)
    assert text.count("går feil vei") >= 2 and "EKSEMPEL" in text
    vinning = find(cards[1], "maal-goal-u18|Vinning|Totalt|Totalt|count")
    assert vinning is not None
    caption = texts(vinning).split("Vinning i Grenland: ", 1)[1]
    assert caption.startswith("2019: 53, 2020: 71")
    assert "2024 (pr. 01.08): 73" in caption


def test_a_region_without_goals_says_how_to_add_them_and_where_goals_are(app):
    alert = page("maal")._list("Skien")
    assert "Ingen mål er lagt inn for Skien" in texts(alert)
    assert "region=Grenland" in str(alert.to_plotly_json())


def test_the_csv_has_the_report_s_columns_and_statuses(app):
    data = page("maal")._download(1, "Grenland")
    lines = data["content"].lstrip("\ufeff").splitlines()
    assert lines[0] == "Region;Plan;Mål;Målsetting;Grunnlag;Siste tall;Status;Begrunnelse"
    assert len(lines) == 3 and all(";går feil vei;" in line for line in lines[1:])


def test_oversikt_has_a_line_on_the_plan_s_goals(app):
    line = " ".join(texts(page("oversikt")._goals("Grenland", [2019, 2024])).split())
    assert line.startswith("Planens mål: 2 mål for Grenland – 2 går feil vei.")
    assert "Ingen av planens mål" in texts(page("oversikt")._goals("Skien", [2019, 2024]))


def test_politirad_ends_with_the_goal_slide(app):
    deck = page("politirad").deck("Grenland", 2024, 0)
    slides = [c for c in deck.children if getattr(c, "className", "") and
              "pr-slide" in c.className]
    last = texts(slides[-1])
    assert "Planens mål – SLT-plan 2025-2029" in last
    assert "Vinning: går feil vei" in last
