"""Norwegian number formatting: thousands with a no-break space, decimal comma, '12,5 %'."""

import datetime as dt

import pytest

from analysis import format as fmt

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1234, 0, f"1{NBSP}234"),
    (1234567.891, 2, f"1{NBSP}234{NBSP}567,89"),
    (12.5, 1, "12,5"),
    (0, 0, "0"),
    (-2, 0, "\u22122"),
    (-0.04, 1, "0,0"),  # rounds to zero: no minus sign on a zero
    (None, 0, "–"),
    (float("nan"), 1, "–"),
])
def test_number_uses_nbsp_thousands_and_decimal_comma(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


def test_percent_has_nbsp_before_sign():
    assert fmt.percent(12.5) == f"12,5{NBSP}%"
    assert fmt.percent(None) == "–"


def test_signed_shows_plus_for_rises_and_typographic_minus_for_falls():
    assert fmt.signed(75) == "+75"
    assert fmt.signed(-1) == "\u22121"
    assert fmt.signed(0) == "0"
    assert fmt.signed_percent(70.1) == f"+70{NBSP}%"


def test_partial_year_is_labelled_with_its_counting_date():
    assert fmt.period_label(2024, dt.date(2024, 8, 1)) == "2024 (pr. 01.08)"
    assert fmt.partial_label(dt.date(2024, 8, 1)) == "pr. 01.08"  # as in the police tables
    assert fmt.period_label(2023, None) == "2023"


def test_timestamps_read_as_norwegian_date_and_time():
    assert fmt.date_time(dt.datetime(2026, 11, 3, 9, 5)) == "03.11.2026 kl. 09:05"


def test_csv_numbers_have_decimal_comma_and_no_thousands_separator():
    assert fmt.csv_number(1234) == "1234"
    assert fmt.csv_number(59.48) == "59,48"
    assert fmt.csv_number(622.0) == "622"
    assert fmt.csv_number(None) == ""
    # a rate is written to four decimals, not a float's fifteen («43,32129963898917»)
    assert fmt.csv_number(43.32129963898917) == "43,3213"
    assert fmt.csv_number(0.1 + 0.2) == "0,3"
    assert fmt.csv_number(59.999999) == "60"


def test_plotly_separators_are_comma_then_nbsp():
    assert fmt.PLOTLY_SEPARATORS == "," + NBSP


def test_a_list_is_joined_the_norwegian_way():
    assert fmt.listing(["Bamble", "Porsgrunn", "Siljan", "Skien"]) == \
        "Bamble, Porsgrunn, Siljan og Skien"
    assert fmt.listing(["Skien"]) == "Skien" and fmt.listing([]) == ""
    assert fmt.listing([1, 2]) == "1 og 2"
