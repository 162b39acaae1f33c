"""Politiråd slides built from the report's findings (seed Grenland figures): which findings,
in what order, what each slide shows, and that the partial year and small numbers are handled
as in the report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.finding import Finding, ranked
from analysis.findings import count_findings
from analysis.suppress import Suppression
from dashboard.components.slides import MAX_SLIDES, build_slides, choose, slide_figure

SEED = Path(__file__).resolve().parents[1] / "data" / "report" / "grenland_u18_seed.csv"


@pytest.fixture(scope="module")
def grenland() -> pd.DataFrame:
    frame = pd.read_csv(SEED, dtype={"age": str})
    frame["counted_through"] = pd.to_datetime(frame["counted_through"])
    return frame


@pytest.fixture(scope="module")
def slides(grenland):
    return build_slides(count_findings(grenland, 2024), grenland, 2024)


def test_slides_follow_the_priority_order_one_subject_each(grenland):
    found = count_findings(grenland, 2024)
    chosen = choose(found)
    assert len(chosen) == MAX_SLIDES
    assert chosen == ranked(chosen)
    full_year = [f for f in chosen if not f.partial]
    assert len({f.topic for f in full_year}) == len(full_year)
    assert chosen[0].topic == "U18-forhold i alt"


def test_the_year_to_date_is_kept_even_when_full_years_fill_every_slot(grenland):
    found = count_findings(grenland, 2024)
    assert len({f.topic for f in found if not f.partial}) >= MAX_SLIDES
    last = choose(found)[-1]
    assert last.partial and last.family == "total" and last.kind == "annualised"


def test_first_slide_shows_the_total_its_verdict_and_every_year(slides):
    first = slides[0]
    assert (first.title, first.figure, first.figure_caption) == (
        "U18-forhold i alt", "622", "forhold i 2023")
    # 622 against 475,3 is +31 %, but Grenland's counts vary far beyond Poisson (φ ≈ 6,8)
    assert first.verdict == "innenfor tilfeldig variasjon" and first.tone == "neutral"
    assert first.sentence.startswith("U18-forhold i alt: 622 i 2023 mot et snitt på 475,3")
    assert [(b.label, b.value, b.partial) for b in first.bars] == [
        ("2019", 444, False), ("2020", 389, False), ("2021", 414, False), ("2022", 623, False),
        ("2023", 622, False), ("2024 (pr. 01.08)", 345, True)]
    assert first.partial_note == ""


def test_the_partial_year_slide_is_labelled_and_never_a_whole_year(slides):
    partial = slides[-1]
    assert partial.title == "U18-forhold i alt, 2024 (pr. 01.08)"
    assert partial.figure == "345" and partial.figure_caption == "forhold i 2024 (pr. 01.08)"
    assert partial.partial_note == ("Delår: 2024 (pr. 01.08) er talt til og med 01.08.2024 og "
                                    "er ikke et helt år.")
    assert "Anslag for hele året" in partial.sentence
    assert "(testet som forhold per dag talt mot 2023)" in partial.sentence
    # no verdict badge beside 345: the verdict is on the estimate, which the sentence gives
    assert partial.verdict == "" and partial.tone == "neutral"


def test_a_crime_type_slide_draws_that_crime_type(slides):
    vold = next(s for s in slides if s.title == "Vold")
    assert [b.value for b in vold.bars] == [114, 84, 105, 174, 193, 102]


def test_hidden_small_numbers_are_not_drawn_and_not_judged(grenland):
    sup = Suppression(5)
    okonomi = next(f for f in count_findings(grenland, 2021, sup)
                   if f.topic == "Økonomi" and f.kind == "yoy")
    (slide,) = build_slides([okonomi], grenland, 2021, sup)
    assert slide.tone == "untested" and slide.verdict == "kan ikke vurderes"
    assert slide.figure == "21"
    assert [(b.label, b.value, b.text) for b in slide.bars] == [
        ("2019", 8, "8"), ("2020", None, "<5"), ("2021", 21, "21")]
    fig = slide_figure(slide)
    assert list(fig.data[0].text) == ["8", "<5", "21"] and fig.data[0].y[1] is None


def test_the_partial_bar_is_hatched_and_grey_and_its_label_says_so(slides):
    bar = slide_figure(slides[0]).data[0]
    assert list(bar.marker.pattern.shape) == ["", "", "", "", "", "/"]
    assert bar.marker.color[-1] != bar.marker.color[0]
    assert bar.x[-1] == "2024<br>(pr. 01.08)"


def test_a_survey_finding_gets_its_percentage_and_no_police_bars(grenland):
    survey = Finding("Mobbet", "survey", "vs_national", 2024,
                     "Mobbet (2024): 10,0 % i Porsgrunn mot 7,0 % i landet.", tested=False,
                     headline="10,0\u00a0%", ref="mobbet")
    (slide,) = build_slides([survey], grenland, 2024)
    assert slide.figure == "10,0\u00a0%" and slide.bars == ()
    assert slide.figure_caption == "i siste måling (2024)" and slide.tone == "untested"


def test_no_findings_give_no_slides():
    empty = pd.DataFrame(columns=["year", "counted_through", "crime_type", "age", "gender",
                                  "offences"])
    assert build_slides([], empty, 2024) == []


def test_a_survey_slide_names_the_period_of_its_figure_not_only_its_last_year(grenland):
    """FHI's shares are three school years pooled: «i siste måling (2024)» under a figure of
    2022/23–2024/25 said it was one year's."""
    from types import SimpleNamespace

    from analysis.survey import versus_national

    row = SimpleNamespace(period="2022/23-2024/25", year=2025, percent=81.2, region="Telemark",
                          indicator="trivsel", grade="10. trinn", respondents=None)
    finding = versus_national(row, 82.9, "Trives godt på skolen", True, "survey")
    (slide,) = build_slides([finding], grenland, 2025)
    assert slide.figure_caption == "i siste måling (2022/23-2024/25)"
