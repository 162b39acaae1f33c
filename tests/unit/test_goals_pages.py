"""The plan's goals on screen, run in-process on the bundled sample: the Mål page (one row per
goal with a chart and its text alternative, the CSV), the Oversikt line and the politiråd slide
say what the report says."""

from __future__ import annotations

import pytest

from dashboard import report_queries
from tests.unit.test_dashboard_pages import find, page, texts

PAGES_STORE = "sample"  # tests/unit/conftest.py: the app on the bundled sample
pytestmark = pytest.mark.usefixtures("pages")


def test_the_mal_page_has_one_row_per_goal_with_status_and_chart_alternative(app):
    rows = page("maal")._list("Grenland")
    assert texts(rows[0]) == "SLT-plan 2025-2029 – Grenland"
    cards = rows[1:]
    assert len(cards) == 2
    text = texts(cards)
    # judged with the report's comparisons: neither rise is larger than chance
    assert text.count("for tidlig å si") >= 2 and "går feil vei" not in text
    assert "EKSEMPEL" in text
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
    assert len(lines) == 3 and all(";for tidlig å si;" in line for line in lines[1:])


def test_oversikt_has_a_line_on_the_plan_s_goals(app):
    line = " ".join(texts(page("oversikt")._goals("Grenland", [2019, 2024])).split())
    assert line.startswith("Planens mål: 2 mål for Grenland – 2 for tidlig å si.")
    assert "Ingen av planens mål" in texts(page("oversikt")._goals("Skien", [2019, 2024]))


def test_politirad_ends_with_the_goal_slide(app):
    deck = page("politirad").deck("Grenland", 2024, 0)
    slides = [c for c in deck.children if getattr(c, "className", "") and
              "pr-slide" in c.className]
    last = texts(slides[-1])
    assert "Planens mål – SLT-plan 2025-2029" in last
    assert "Vinning: for tidlig å si" in last


def test_the_goal_slide_and_the_finding_slides_agree_on_what_is_chance(app):
    """Grenland's Vinning: slide 3 says the rise to 175 is within chance; the goal slide must
    not say the same figure is really going the wrong way (one test, one adjustment)."""
    deck = page("politirad").deck("Grenland", 2024, 0)
    text = " ".join(texts(deck).split())
    assert "Vinning: 175 i 2023 mot et snitt på 120 i 2020–2022, innenfor tilfeldig variasjon" \
        in text
    goals = text.split("Planens mål – ", 1)[1]
    assert "Vinning: for tidlig å si. 175 i 2023" in goals
    assert "går feil vei" not in goals and "bort fra målet" not in goals
    assert report_queries.goal_statuses("Grenland") == report_queries.report_basis(
        "Grenland").goals


def test_the_politirad_outline_says_why_figures_have_no_verdict_once(app):
    """Porsgrunn's survey slides all lack respondents: each slide says so (shown alone), the
    outline that lists them all says it once, below the list."""
    outline, _start = page("politirad")._outline("Porsgrunn", 2024, 0)
    text = texts(outline)
    assert text.count("Antall som svarte er ikke oppgitt") == 1
    assert "Mye plaget av depressive symptomer i Porsgrunn" in text
    assert "pr-outline-note" in str(outline)


def test_the_goal_and_baseline_labels_cannot_overlap_when_the_lines_are_close(app):
    from dashboard.components.goals import goal_figure

    rate = next(s for s in report_queries.goal_statuses("Grenland") if s.goal.unit == "per_1000")
    assert abs(rate.target - rate.baseline) < 10   # 40,0 and 45,4 per 1 000: close lines
    labels = {a.text.split()[0]: a for a in goal_figure(rate).layout.annotations}
    goal, base = labels["Mål"], labels["Grunnlag"]
    assert (goal.text, base.text) == ("Mål 40,0", "Grunnlag 45,4")
    # opposite ends of the chart ...
    assert (base.x, base.xanchor, goal.x, goal.xanchor) == (0, "left", 1, "right")
    # ... and opposite sides of the gap: the higher line's label above it, the lower's below
    assert (base.y, base.yanchor, goal.y, goal.yanchor) == (rate.baseline, "bottom", 40.0,
                                                            "top")


@pytest.mark.parametrize("target, baseline, goal_side, base_side", [
    (40.0, 45.4, "bottom right", "top left"), (45.4, 40.0, "top right", "bottom left"),
    (40.0, 40.0, "top right", "bottom left"), (40.0, None, "top right", "top left")])
def test_labels_go_on_opposite_sides_of_the_gap_between_the_lines(target, baseline, goal_side,
                                                                  base_side):
    from dashboard.components.goals import label_positions

    assert label_positions(target, baseline) == {"Mål": goal_side, "Grunnlag": base_side}


def test_a_goal_across_the_new_penal_code_shows_why_where_its_verdict_would_be(app):
    from tests.unit.test_goals_status import ACROSS, PENAL_CODE, goal, status, u18

    found = status(goal(plan="SLT-plan 2015-2019", baseline="2011-2014", target="-20 %",
                        deadline="2019"), u18(ACROSS))
    text = " ".join(texts(page("maal").goal_row(found)).split())
    assert "for tidlig å si" in text and PENAL_CODE in text


def test_the_politirad_outline_of_a_kommune_without_police_figures_says_so_and_links(app):
    """Skien has only survey figures; its police figures are Grenland's.  The outline says so
    before the list, with a link to Grenland's presentation, and Grenland's outline does not."""
    outline, _start = page("politirad")._outline("Skien", 2024, 5)
    text = " ".join(texts(outline).replace(" , ", ", ").split())  # texts() spaces the parts
    assert text.startswith("Ingen politi-tall (U18-forhold) for Skien: presentasjonen har dem "
                           "ikke. Skien er med i Grenland, som har tall")
    assert "Mye plaget av depressive symptomer i Skien" in text
    assert "/politirad?region=Grenland&aar=2024&skjul=5" in str(outline.to_plotly_json())
    grenland, _start = page("politirad")._outline("Grenland", 2024, 0)
    assert "Ingen politi-tall" not in texts(grenland)
