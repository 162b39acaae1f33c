"""Labels are matched through the alias files, whatever their case and spacing."""

import pytest

from etl.vocab import TOTAL, label_key, load_vocab


@pytest.mark.parametrize("text", ["VOLD", " vold ", "Vold:", "Voldslovbrudd", "Violence"])
def test_crime_type_spellings_map_to_the_police_label(text):
    assert load_vocab().lookup("crime_type", text) == "Vold"


@pytest.mark.parametrize("text, age", [("Under 10 år", "<10"), ("<10", "<10"), ("15 år", "15"),
                                       ("15", "15"), ("17 years", "17")])
def test_age_spellings(text, age):
    assert load_vocab().lookup("age", text) == age


@pytest.mark.parametrize("text", ["Totalt", "Sum", "Total", "I alt", "kjønn samlet"])
def test_total_spellings_mean_summed_over(text):
    assert load_vocab().lookup("gender", text) == TOTAL


def test_girls_boys_row_keeps_the_order_it_is_written_in():
    vocab = load_vocab()
    assert vocab.classify_row_label("Fordeling jenter/gutter") == (
        "gender_split", ("Jenter", "Gutter"))
    assert vocab.classify_row_label("Fordeling gutter/jenter") == (
        "gender_split", ("Gutter", "Jenter"))


def test_unknown_label_is_none_not_a_guess():
    assert load_vocab().classify_row_label("Ran") is None
    assert load_vocab().lookup("crime_type", "Tyveri") is None


def test_police_groups_are_the_eight_plus_investigation_cases():
    assert load_vocab().police_groups == ("Vold", "Vinning", "Narkotika", "Skadeverk", "Trafikk",
                                          "Seksuallovbrudd", "Økonomi", "Annen",
                                          "Undersøkelsessaker")


def test_label_key_ignores_case_spacing_and_trailing_punctuation():
    assert label_key("  Alder\u00a0 ved   gjerning: ") == "alder ved gjerning"
