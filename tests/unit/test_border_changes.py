"""The reference list of kommuner whose borders changed under their name
(``data/reference/border_changes.csv``), read as the analysis uses it."""

from __future__ import annotations

from analysis.comparisons import PENAL_CODE, border_break
from dashboard.components import police
from etl.regions import border_changes, load_catalogue
from tests.unit.test_dashboard_figures import police_frame


def test_every_listed_kommune_is_a_kommune_of_today_with_a_change_in_words():
    catalogue = load_catalogue()
    changes = border_changes()
    assert len(changes) >= 30
    for code, found in changes.items():
        assert catalogue.regions[code].level == "kommune", code
        for change in found:
            assert 2017 <= change.year <= 2024 and change.change.strip(), (code, change)


def test_alesund_changed_twice_and_a_renamed_kommune_not_at_all():
    catalogue = load_catalogue()
    alesund = catalogue.resolve("Ålesund").region_code
    assert [(c.year, c.change) for c in border_changes()[alesund]] == [
        (2020, "slått sammen med Haram, Sandøy, Skodje og Ørskog"),
        (2024, "Haram ble egen kommune igjen")]
    assert catalogue.resolve("Porsgrunn").region_code not in border_changes()  # renumbered only


def test_a_chart_marks_a_break_only_when_its_years_cross_it():
    moss = border_break("Moss", 2020, "slått sammen med Rygge")
    crossing = police.trend_lines(police_frame((2018, 2019, 2020, 2021), False), "crime_type",
                                  "offences", y_title="Antall", breaks=(moss,))
    assert [s["x0"] for s in crossing["layout"]["shapes"]] == [2019.5]
    assert [a["text"] for a in crossing["layout"]["annotations"]] == ["Nye grenser 2020"]
    assert police.break_note((moss,), [2018, 2021]) == (
        "Moss fikk nye grenser 1. januar 2020 (slått sammen med Rygge): tallene før og etter "
        "gjelder ulike grenser.")
    after = police.totals_bars(police_frame((2021, 2022), False), breaks=(moss, PENAL_CODE))
    assert "shapes" not in after["layout"] and police.break_note((moss,), [2021, 2022]) is None


def test_a_break_before_the_last_year_is_labelled_left_of_its_line():
    """Right of the line the label would stand on the last year's bar and its count."""
    moss = border_break("Moss", 2021, "slått sammen med Rygge")
    fig = police.totals_bars(police_frame((2019, 2020, 2021), False), breaks=(moss,))
    assert [(a["x"], a["xanchor"]) for a in fig["layout"]["annotations"]] == [(2020.5, "right")]
