"""Years and partial-year markers as police files write them."""

import datetime as dt

import pytest

from etl.periods import extraction_date_in_text, parse_year_label, partial_years_in_text

AUG_1 = dt.date(2024, 8, 1)


@pytest.mark.parametrize("label, expected", [
    (2019.0, (2019, None)),
    (2019, (2019, None)),
    ("2019", (2019, None)),
    ("2024 (pr.01.08)", (2024, AUG_1)),
    ("2024 per 01.08", (2024, AUG_1)),
    ("2024 pr. 1. august", (2024, AUG_1)),
    ("2024 (per 1.8.)", (2024, AUG_1)),
    ("2024 per 01.08.2024", (2024, AUG_1)),
])
def test_year_headers_are_read_with_their_partial_marker(label, expected):
    assert parse_year_label(label) == expected


@pytest.mark.parametrize("label", ["Totalt", "Alder ved gjerning", 17.0, 444, None, "", True])
def test_things_that_are_not_years_are_not_years(label):
    assert parse_year_label(label) is None


@pytest.mark.parametrize("label", ["2024*", "2024 foreløpig", "2024 pr. 31.02"])
def test_a_year_with_an_unknown_note_is_reported_not_guessed(label):
    with pytest.raises(ValueError):
        parse_year_label(label)


def test_title_marker_applies_to_the_last_year_of_the_period():
    title = "GDE TELEMARK - U-18 FORHOLD - PERIODEN 2019-2024 (PER 01.08)"
    assert partial_years_in_text(title) == {2024: AUG_1}


def test_title_without_marker_has_no_partial_year():
    assert partial_years_in_text("U18-forhold 2019-2024") == {}


@pytest.mark.parametrize("text, expected", [
    ("Uttrekksdato: 15.01.2025", dt.date(2025, 1, 15)),
    ("Tall hentet 01.08.2024 fra BL", AUG_1),
    ("Kilde: Politiets straffesaksregister", None),
])
def test_extraction_dates_are_found_in_notes(text, expected):
    assert extraction_date_in_text(text) == expected
