"""Survey findings: against the country with an interval when respondents are known, a plain
caveat when not; changes since the previous non-overlapping survey."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.format import p_text, period_label
from analysis.suppress import Suppression
from analysis.survey import (
    caveat_note,
    period_span,
    side_by_side,
    survey_findings,
    survey_table,
    value_column,
)
from report.build import main_findings

CATALOGUE = pd.DataFrame([
    {"indicator": "naskeri", "label": "Har nasket i butikk siste år", "higher_is_better": False,
     "crime_types": ["Vinning"]},
    {"indicator": "trivsel", "label": "Trives på skolen", "higher_is_better": True,
     "crime_types": []}])


def rows(region, indicator, values, respondents=None, grade="10. trinn"):
    return pd.DataFrame([{"region": region, "period": period, "year": year,
                          "school_level": "Ungdomsskole", "grade": grade, "gender": "Totalt",
                          "indicator": indicator, "percent": pct, "respondents": respondents,
                          "suppressed": False} for period, year, pct in values])


@pytest.mark.parametrize("label, span", [("2022/23-2024/25", 3), ("2022_2024", 3), ("2024", 1),
                                         ("SLT-plan 2025-2029", 1)])
def test_period_span_reads_moving_averages(label, span):
    assert period_span(label) == span


def test_known_respondents_give_an_interval_and_a_real_difference():
    region = rows("Porsgrunn", "naskeri", [("2024", 2024, 18.0)], respondents=600)
    nation = rows("Hele landet", "naskeri", [("2024", 2024, 12.0)])
    (found,) = survey_findings(region, nation, CATALOGUE, 2024)
    assert found.significant and found.family == "survey_linked"
    assert "en reell forskjell, ugunstigere enn landet" in found.sentence
    assert "95 % konfidensintervall 15,0–21,3 %" in found.sentence
    assert "600 svar" in found.sentence


def test_small_sample_difference_is_within_chance_with_interval():
    region = rows("Siljan", "naskeri", [("2024", 2024, 16.0)], respondents=50)
    nation = rows("Hele landet", "naskeri", [("2024", 2024, 12.0)])
    (found,) = survey_findings(region, nation, CATALOGUE, 2024)
    assert not found.significant and found.tested
    assert "innenfor tilfeldig variasjon (95 % konfidensintervall" in found.sentence


def test_unknown_respondents_give_the_plain_caveat_and_no_verdict():
    region = rows("Porsgrunn", "trivsel", [("2024", 2024, 80.0)])
    nation = rows("Hele landet", "trivsel", [("2024", 2024, 82.5)])
    (found,) = survey_findings(region, nation, CATALOGUE, 2024)
    assert not found.tested
    assert found.sentence == ("Trives på skolen (2024, 10. trinn): 80,0\u00a0% i Porsgrunn mot "
                              "82,5\u00a0% i landet. Antall som svarte er ikke oppgitt, så vi "
                              "kan ikke si om forskjellen er større enn tilfeldig variasjon.")


def test_moving_averages_are_compared_with_the_period_that_does_not_overlap():
    region = rows("Porsgrunn", "trivsel", [("2019/20-2021/22", 2021, 84.8),
                                           ("2021/22-2023/24", 2023, 80.7),
                                           ("2022/23-2024/25", 2024, 80.0)])
    (found,) = survey_findings(region, rows("Hele landet", "trivsel", []), CATALOGUE, 2024)
    assert found.kind == "since_previous"
    assert "mot 84,8\u00a0% i 2019/20-2021/22 (−4,8 prosentpoeng)" in found.sentence
    assert "ikke si om endringen er større enn tilfeldig variasjon" in found.sentence


def test_the_stated_difference_is_that_of_the_rounded_figures_shown():
    """13,54 % against 19,96 % is shown as 13,5 % and 20,0 %: the difference a reader works out
    from them, −6,5 prosentpoeng (not −6,4, the unrounded figures')."""
    region = rows("Grenland", "trivsel", [("2021", 2021, 19.96), ("2024", 2024, 13.54)])
    (found,) = survey_findings(region, rows("Hele landet", "trivsel", []), CATALOGUE, 2024)
    assert "13,5\u00a0% i 2024 mot 20,0\u00a0% i 2021 (−6,5 prosentpoeng)" in found.sentence


def test_change_since_previous_survey_with_respondents_uses_an_exact_test():
    region = rows("Skien", "naskeri", [("2021", 2021, 10.0), ("2024", 2024, 16.0)],
                  respondents=800)
    (found,) = survey_findings(region, rows("Hele landet", "naskeri", []), CATALOGUE, 2024)
    assert found.significant and found.direction == 1
    assert found.sentence.startswith("Har nasket i butikk siste år i Skien, 10. trinn økte fra "
                                     "10,0\u00a0% i 2021 til 16,0\u00a0% i 2024, en reell økning")


def test_rows_without_a_year_are_listed_but_never_compared_over_time():
    region = pd.concat([rows("Porsgrunn", "naskeri", [("2015", 2015, 8.0)]),
                        rows("Porsgrunn", "naskeri", [("SLT-plan 2025-2029", None, 12.0)])])
    assert survey_findings(region, rows("Hele landet", "naskeri", []), CATALOGUE) == []
    table = survey_table(region, rows("Hele landet", "naskeri", []), CATALOGUE)
    assert [r[3] for r in table] == ["2015", "SLT-plan 2025-2029"]


def test_number_and_label_formats():
    assert p_text(0.0004) == "p\u00a0<\u00a00,001"
    assert p_text(0.0043) == "p\u00a0=\u00a00,004"
    assert p_text(0.874) == "p\u00a0=\u00a00,87"
    assert period_label(2024, pd.Timestamp("2024-08-01").date()) == "2024 (pr. 01.08)"
    assert Suppression(5).count(1234) == "1\u00a0234"
    assert Suppression(5).count(4) == "<5" and Suppression(5).count(0) == "0"
    assert Suppression().count(4) == "4"
    with pytest.raises(ValueError):
        Suppression(1)


def test_a_groups_kommuner_stand_side_by_side_and_are_never_summed():
    frame = pd.concat([rows("Skien", "trivsel", [("2021", 2021, 80.0), ("2024", 2024, 82.0)]),
                       rows("Siljan", "trivsel", [("2018", 2018, 88.6)]),
                       rows("Porsgrunn", "naskeri", [("SLT-plan 2025-2029", None, 12.0)])])
    nation = rows("Hele landet", "trivsel", [("2024", 2024, 82.5)])
    header, table = side_by_side(frame, nation, CATALOGUE, ["Porsgrunn", "Siljan", "Skien"],
                                 2024)
    assert header == ["Indikator", "Trinn", "Periode", "Porsgrunn", "Siljan", "Skien",
                      "Hele landet"]
    assert ["Trives på skolen", "10. trinn", "2024", "–", "88,6\u00a0% (2018)", "82,0\u00a0%",
            "82,5\u00a0%"] in table
    assert ["Har nasket i butikk siste år", "10. trinn", "SLT-plan 2025-2029", "12,0\u00a0%",
            "–", "–", "–"] in table


def values(region, indicator, figures, unit, respondents=None):
    """Rows shaped like the ``indicator_values`` view: the figure in ``value`` with its unit."""
    frame = rows(region, indicator, figures, respondents, grade="Ikke oppgitt")
    return frame.rename(columns={"percent": "value"}).assign(unit=unit)


RATES = pd.concat([CATALOGUE, pd.DataFrame([
    {"indicator": "skader", "label": "Skader behandlet i sykehus", "higher_is_better": False,
     "crime_types": []}])])


def test_a_rate_is_written_in_its_unit_in_the_survey_table_never_as_a_percent():
    region = values("Skien", "skader", [("2018-2020", 2020, 10.0), ("2021-2023", 2023, 14.0)],
                    "per 1 000")
    nation = values("Hele landet", "skader", [("2021-2023", 2023, 12.3)], "per 1 000")
    assert survey_table(region, nation, RATES) == [
        ["Skien", "Skader behandlet i sykehus", "", "2021-2023", "14,0 per 1 000",
         "12,3 per 1 000", "10,0 per 1 000 (2018-2020)"]]
    assert value_column(region) == "Verdi" and value_column(rows("Skien", "trivsel", [])) == \
        "Andel"
    header, table = side_by_side(region, nation, RATES, ["Skien"])
    assert table == [["Skader behandlet i sykehus", "", "2021-2023", "14,0 per 1 000",
                      "12,3 per 1 000"]]


def test_a_rate_is_adjusted_together_with_the_shares_of_the_same_report():
    # 360 against 300 injuries in 30 000 each: p ≈ 0,02 alone, real; among four more
    # comparisons (shares 50 → 51 % of 400, p ≈ 0,8) the adjusted p is above 0,05
    rate = values("Skien", "skader", [("2018-2020", 2020, 10.0), ("2021-2023", 2023, 12.0)],
                  "per 1 000", respondents=30_000)
    nation = values("Hele landet", "skader", [], "per 1 000")
    (alone,) = survey_findings(rate, nation, RATES)
    assert alone.significant and alone.basis_text == "rate"
    shares = [values("Skien", name, [("2021", 2021, 50.0), ("2024", 2024, 51.0)], "prosent",
                     respondents=400).assign(grade=grade)
              for name in ("trivsel", "naskeri") for grade in ("8. trinn", "9. trinn")]
    found = survey_findings(pd.concat([rate, *shares]), nation, RATES)
    judged = next(f for f in found if f.ref == "skader")
    assert len(found) == 5 and judged.p_value == alone.p_value
    assert judged.q_value > 0.05 and not judged.significant
    assert "innenfor tilfeldig variasjon" in judged.sentence


def test_why_figures_have_no_verdict_is_said_once_for_all_of_them():
    nation = pd.concat([values("Hele landet", "skader", [("2021-2023", 2023, 12.3)],
                               "per 1 000"),
                        values("Hele landet", "trivsel", [("2021-2023", 2023, 80.0)], "prosent"),
                        values("Hele landet", "naskeri", [("2021-2023", 2023, 3.9)], "indeks")])
    region = pd.concat([values("Skien", "skader", [("2018-2020", 2020, 10.0),
                                                   ("2021-2023", 2023, 14.0)], "per 1 000"),
                        values("Skien", "trivsel", [("2021-2023", 2023, 84.0)], "prosent"),
                        values("Skien", "naskeri", [("2021-2023", 2023, 4.1)], "indeks")])
    found = survey_findings(region, nation, RATES)
    assert len(found) == 4 and not any(f.tested for f in found)
    assert all(f.caveat and f.caveat not in f.bare and f.sentence.startswith(f.bare[:-1])
               for f in found)
    note = caveat_note(found)
    assert note.count("Antall som svarte er ikke oppgitt") == 1
    assert note.count("verken nevner, befolkning eller konfidensgrenser") == 1
    assert "Tall i enheten «indeks» er verken andeler eller rater" in note
    text = " ".join(main_findings(found))
    assert text.count("verken nevner") == 1 and "Ikke vurdert" not in text
    assert "14,0 per 1 000 i 2021-2023 mot 10,0 per 1 000 i 2018-2020." in text


@pytest.mark.parametrize("note", ["survey_note", "side_by_side_note"])
def test_the_table_notes_say_what_the_units_mean_when_not_every_figure_is_a_share(note):
    from report import texts

    shares = getattr(texts, note)({"prosent"})
    mixed = getattr(texts, note)({"prosent", "per 100 000", "per 1 000", "indeks"})
    assert shares.startswith("Andel = prosent av de som svarte")
    assert mixed.startswith("Hvert tall står med sin enhet: % er prosent av de som svarte; "
                            "«per 1 000» og «per 100 000» er rater (antall per så mange "
                            "innbyggere eller elever); tall i «indeks» står slik kilden "
                            "oppgir dem.")
    assert "Andel =" not in mixed and "prosenter kan ikke legges sammen" not in mixed
    rates_only = getattr(texts, note)({"per 10 000"})
    assert "«per 10 000» er en rate" in rates_only and "% er prosent" not in rates_only
