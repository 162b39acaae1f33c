"""Golden sentences of the findings engine on the seed's Grenland figures, and its rules."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.finding import ranked
from analysis.findings import (
    count_findings,
    dispersions,
    latest_changes,
    national_differences,
    strongest,
)
from analysis.series import count_series
from analysis.stats import count_change, poisson_change
from analysis.suppress import Suppression
from analysis.survey import caveat_note
from report.tables import age_gender_table, crime_type_table

SEED = Path(__file__).resolve().parents[1] / "data" / "report" / "grenland_u18_seed.csv"
FULL = {2019, 2020, 2021, 2022, 2023}
RISE_OR_FALL = re.compile(r"økte|økning|gikk ned|nedgang|falt|reduksjon|doble", re.I)


@pytest.fixture(scope="module")
def grenland() -> pd.DataFrame:
    frame = pd.read_csv(SEED, dtype={"age": str})
    frame["counted_through"] = pd.to_datetime(frame["counted_through"])
    return frame


def by_topic(findings, topic, kind):
    return next(f for f in findings if f.topic == topic and f.kind == kind)


def test_vinning_182_in_2022_against_its_three_year_average_of_77_is_a_real_rise(grenland):
    found = by_topic(count_findings(grenland, 2022), "Vinning", "avg3")
    assert found.sentence == ("Vinning: 182 i 2022 mot et snitt på 77 i 2019–2021, "
                              "en reell økning.")
    assert found.significant and found.direction == 1 and found.q_value < 0.05


def test_vinning_107_to_182_is_judged_against_grenlands_own_variation_not_poissons(grenland):
    """Grenland's crime types varied 2019-2021 far more than Poisson (φ ≈ 2,8): 107 → 182
    alone is p < 0,001 under Poisson, but within what these series do from year to year once
    the view's 22 comparisons are taken into account."""
    found = by_topic(count_findings(grenland, 2022), "Vinning", "yoy")
    assert found.phi == pytest.approx(2.80, abs=0.01)
    assert poisson_change(107, 182).p_value < 0.001 < found.p_value < 0.05 < found.q_value
    assert found.sentence == ("Vinning: 182 i 2022 mot 107 i 2021, "
                              "innenfor tilfeldig variasjon.")
    assert not found.significant and found.direction == 0


def test_seksuallovbrudd_19_to_17_is_within_chance_and_not_called_a_fall(grenland):
    found = by_topic(count_findings(grenland, 2022), "Seksuallovbrudd", "yoy")
    assert found.sentence == ("Seksuallovbrudd: 17 i 2022 mot 19 i 2021, "
                              "innenfor tilfeldig variasjon.")
    assert found.p_value == pytest.approx(0.92, abs=0.01)
    assert not found.significant and found.direction == 0
    assert not RISE_OR_FALL.search(found.sentence)


def test_no_sentence_within_chance_uses_words_of_rising_or_falling(grenland):
    for year in range(2019, 2025):
        for found in count_findings(grenland, year):
            if not found.significant:
                assert not RISE_OR_FALL.search(found.sentence.replace("tyder på", "")), \
                    found.sentence
                assert "innenfor tilfeldig variasjon" in found.sentence


def test_2024_per_0108_is_never_compared_with_2023_as_a_whole_year(grenland):
    partial = [f for f in count_findings(grenland, 2024) if f.year == 2024]
    assert partial and all(f.partial and f.kind == "annualised" for f in partial)
    total = by_topic(partial, "U18-forhold i alt", "annualised")
    assert total.sentence == (
        "U18-forhold i alt: 345 i 2024 (pr. 01.08), et delår som ikke kan sammenlignes direkte "
        "med et helt år. Anslag for hele året, om forholdene fordeler seg jevnt over året: om lag "
        "590 (345 × 366/214 dager), mot 622 i 2023; forskjellen er innenfor tilfeldig variasjon "
        "(testet som forhold per dag talt mot 2023).")
    # the appendix's «Tall» under «omregnet til helt år» gives the scaled figure
    assert total.compared == "2024 (pr. 01.08) omregnet til helt år mot 2023"
    assert total.figures == "om lag 590 (anslag ut fra 345) mot 622"
    for found in count_findings(grenland, 2024):
        assert not re.search(r"til 345 i 2024|345 i 2024 mot 622|fra 622 i 2023 til 345",
                             found.sentence)


def test_a_partial_year_uses_the_same_period_of_an_earlier_year_when_there_is_one():
    rows = [(2023, "2023-08-01", 100), (2024, "2024-08-01", 250)]
    frame = pd.DataFrame([{"year": y, "counted_through": pd.Timestamp(d), "crime_type": "Totalt",
                           "age": "Totalt", "gender": "Totalt", "offences": n}
                          for y, d, n in rows])
    found = count_findings(frame, 2024)
    assert [f.kind for f in found] == ["same_period"]
    assert found[0].sentence == ("U18-forhold i alt økte fra 100 i samme periode av 2023 til 250 "
                                 "i 2024 (1.1.–01.08), en reell økning.")


def test_three_year_average_tests_the_sum_with_exposure_three_against_one(grenland):
    found = by_topic(count_findings(grenland, 2022), "Vinning", "avg3")
    expected = count_change(53 + 71 + 107, 182, exposure_before=3, exposure_after=1,
                            dispersion=dispersions(count_series(grenland), FULL,
                                                   2022)["crime_type"])
    assert found.p_value == pytest.approx(expected.p_value)
    assert found.p_value >= poisson_change(231, 182, 3, 1).p_value


def test_twelve_to_twenty_four_in_a_small_kommune_is_not_called_a_doubling():
    frame = pd.DataFrame([{"year": y, "counted_through": pd.NaT, "crime_type": c, "age": "Totalt",
                           "gender": "Totalt", "offences": n}
                          for y, n in ((2022, 12), (2023, 24)) for c in ("Vinning", "Totalt")])
    found = by_topic(count_findings(frame, 2023), "Vinning", "yoy")
    assert "innenfor tilfeldig variasjon" in found.sentence and not found.significant


def test_findings_are_ordered_real_first_then_full_years_then_total_before_breakdowns(grenland):
    found = count_findings(grenland, 2022)
    evidence = [0 if f.significant else 1 for f in found]
    assert evidence == sorted(evidence)
    real = [f for f in found if f.significant]
    assert real[0].topic == "U18-forhold i alt"
    assert [f.family for f in real[:3]] == ["total", "total", "crime_type"]
    assert ranked(reversed(found)) == found


def test_missing_category_in_a_year_that_has_figures_counts_as_none(grenland):
    series = next(s for s in count_series(grenland) if s.topic == "Undersøkelsessaker")
    assert series.counts == {2019: 3, 2020: 1, 2021: 1, 2022: 0, 2023: 0, 2024: 0}


def test_suppression_hides_small_counts_in_sentences(grenland):
    found = count_findings(grenland, 2021, Suppression(5))
    okonomi = by_topic(found, "Økonomi", "yoy")
    assert okonomi.sentence == ("Økonomi: <5 i 2020 og 21 i 2021. "
                                "For få tilfeller til å vurdere endringen.")
    assert not okonomi.tested and okonomi.p_value is None
    assert found[-1].tested is False  # not testable comes last


def test_suppression_is_the_same_in_both_police_tables(grenland):
    years = list(range(2019, 2025))
    sup = Suppression(5)
    crimes = {row[0]: row for row in crime_type_table(grenland, "Grenland", years, sup).rows}
    assert crimes["Økonomi"][1:3] == ["8", "<5"]
    assert crimes["Undersøkelsessaker"][1:] == ["<5", "<5", "<5", "–", "–", "–"]
    ages = age_gender_table(grenland, "Grenland", years, sup)
    by_age = {row[0]: row for row in ages.rows}
    assert by_age["10"][1:] == ["0", "<5", "<5", "0", "9", "<5"]
    assert ages.csv_rows[[r[0] for r in ages.rows].index("10")][1:] == [0, "<5", "<5", 0, 9, "<5"]


def test_tables_keep_the_seed_layout_and_label_the_partial_year(grenland):
    years = list(range(2019, 2025))
    table = age_gender_table(grenland, "Grenland", years)
    assert table.header == ["Alder ved gjerning", "2019", "2020", "2021", "2022", "2023",
                            "2024 (pr. 01.08)"]
    assert [r[0] for r in table.rows] == ["17", "16", "15", "14", "13", "12", "11", "10", "<10",
                                          "Fordeling jenter/gutter", "Totalt"]
    assert table.rows[-2][1:] == ["73/371", "87/302", "84/330", "154/469", "152/470", "66/279"]
    crimes = crime_type_table(grenland, "Grenland", years)
    assert [r[0] for r in crimes.rows][-2:] == ["Økonomi", "Totalt"]
    assert crimes.rows[-1][1:] == ["444", "389", "414", "623", "622", "345"]


# --- the dashboard's breakdown frames go through the same engine ------------------------------

PARTIAL = pd.Timestamp("2024-08-01").date()


def breakdown(years=(2021, 2022, 2023, 2024), partial_last=True) -> pd.DataFrame:
    """A frame as dashboard.police_queries.u18_breakdown returns it (no age or gender columns)."""
    values = {"Vinning": [107, 182, 175, 73], "Seksuallovbrudd": [19, 17, 14, 10]}
    return pd.DataFrame([{"year": year, "crime_type": crime, "offences": counts[i % 4],
                          "counted_through": PARTIAL if partial_last and i == len(years) - 1
                          else None}
                         for crime, counts in values.items() for i, year in enumerate(years)])


def test_dashboard_breakdowns_get_the_reports_sentences_real_changes_first():
    found = latest_changes(breakdown((2020, 2021, 2022, 2023), False))
    assert [f.ref for f in found] == ["Vinning", "Seksuallovbrudd"]
    assert found[0].sentence == ("Vinning gikk ned fra 175 i 2022 til 73 i 2023, "
                                 "en reell nedgang.")
    assert found[1].sentence.startswith("Seksuallovbrudd: 10 i 2023 mot 14 i 2022, "
                                        "innenfor tilfeldig variasjon")
    rise = breakdown((2019, 2020, 2021, 2022), False)
    rise.loc[(rise.year == 2021) & (rise.crime_type == "Vinning"), "offences"] = 107
    rise.loc[(rise.year == 2022) & (rise.crime_type == "Vinning"), "offences"] = 182
    rise.loc[(rise.year == 2022) & (rise.crime_type == "Vinning"), "offences"] = 400
    assert strongest(latest_changes(rise)).sentence == (
        "Vinning økte fra 107 i 2021 til 400 i 2022, en reell økning.")


def test_dashboard_breakdowns_never_compare_a_partial_year_with_a_full_one():
    found = latest_changes(breakdown())  # 2024 is partial
    assert {f.year for f in found} == {2023} and not any(f.partial for f in found)
    assert strongest(latest_changes(breakdown()[lambda f: f.crime_type == "Seksuallovbrudd"])) \
        is None


def test_national_differences_list_only_real_differences_in_percent():
    rates = pd.DataFrame([
        # region, year, crime_type, offences, persons_10_17, per_1000
        ("Oslo", 2023, "Vold", 200, 10_000, 20.0),
        ("Hele landet", 2023, "Vold", 4000, 400_000, 10.0),
        ("Oslo", 2023, "Vinning", 9, 10_000, 0.9),  # 0,9 vs 1,0 on 9 offences: chance
        ("Hele landet", 2023, "Vinning", 400, 400_000, 1.0),
    ], columns=["region", "year", "crime_type", "offences", "persons_10_17", "per_1000"])
    (vold,) = national_differences(rates, "Oslo", "Hele landet")
    assert vold.sentence == "Vold: 20,0 per 1 000 unge mot 10,0 i landet (2023), 100 % høyere."
    assert vold.significant and vold.direction == 1 and vold.ref == "Vold"
    assert national_differences(rates, "Hele landet", "Hele landet") == []


@pytest.mark.parametrize("dtype", ["Int32", "float64", "object"])
def test_a_suppressed_count_is_unknown_not_zero_whatever_the_columns_type(grenland, dtype):
    """A NULL count (suppressed in the source) stays None in the series, as pd.NA, NaN or
    None alike; a missing row in a year that has the breakdown stays 0."""
    frame = grenland.copy()
    vinning = (frame["crime_type"] == "Vinning") & (frame["year"] == 2022)
    frame["offences"] = frame["offences"].astype(dtype)
    frame.loc[vinning, "offences"] = None
    frame["offenders"] = pd.Series([pd.NA] * len(frame), dtype="Int32")
    series = next(s for s in count_series(frame) if s.ref == "Vinning")
    assert series.counts[2022] is None
    assert series.counts[2021] == 107 and series.offenders == {}


def test_a_comparison_across_the_new_penal_code_of_2015_gets_no_verdict_and_says_why(grenland):
    """The seed's years moved back eight (2019 → 2011 … 2023 → 2015): 2014 against 2013 and
    2011–2013 is judged as 2022 was; 2015 against 2014, or against 2012–2014, spans the new
    penal code and is shown without a verdict."""
    earlier = grenland.assign(year=grenland["year"] - 8)
    earlier = earlier[earlier["counted_through"].isna()]
    before = {(f.topic, f.kind): f for f in count_findings(earlier, 2014)}
    assert before[("Vinning", "avg3")].sentence == ("Vinning: 182 i 2014 mot et snitt på 77 i "
                                                    "2011–2013, en reell økning.")
    across = count_findings(earlier, 2015)
    assert across and not any(f.tested or f.significant or f.q_value for f in across)
    vinning = by_topic(across, "Vinning", "yoy")
    assert vinning.sentence == (
        "Vinning: 175 mot 182 (2015 mot 2014). Ny straffelov fra 1. oktober 2015 endret hvordan "
        "lovbrudd grupperes og telles, så endringen vurderes ikke.")
    assert vinning.verdict == "kan ikke vurderes" and vinning.why == "penal_code"
    assert not RISE_OR_FALL.search(" ".join(f.sentence for f in across))
    assert vinning.bare == "Vinning: 175 mot 182 (2015 mot 2014)."
    assert caveat_note(across) == ("Ny straffelov fra 1. oktober 2015 endret hvordan lovbrudd "
                                   "grupperes og telles, så endringer som spenner over 2015, "
                                   "vurderes ikke.")

