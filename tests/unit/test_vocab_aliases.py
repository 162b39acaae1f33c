"""A user's alias (``slt alias``) as lines of the vocab files, known only while it is in use."""

from __future__ import annotations

import pytest

from etl.readers.stat_text import column_roles, value_map
from etl.vocab import alias_row, load_vocab, using_aliases


def test_a_column_name_goes_to_every_family_that_knows_its_meaning():
    name, lines, words = alias_row("kolonne", "  Aar  for telling ", "År")
    assert name == "Aar for telling" and words == "kolonnen «År»"
    files = {file for file, _row in lines}
    assert {"headers.csv", "population_columns.csv", "ungdata_columns.csv",
            "ssb_08487_columns.csv"} <= files
    with using_aliases(lines):
        assert load_vocab().header("aar for telling") == "year"
        roles, _unnamed = column_roles(["Aar for telling", "Personer"], "population_columns.csv")
        assert roles.get("year") == 0
    assert load_vocab().header("aar for telling") is None   # only while in use
    roles, _unnamed = column_roles(["Aar for telling", "Personer"], "population_columns.csv")
    assert "year" not in roles


@pytest.mark.parametrize("kind, alias, meaning, dimension, canonical", [
    ("skolenivå", "Trinn 8 til 10", "ungdomsskole", "school_level", "Ungdomsskole"),
    ("lovbruddsgruppe", "Tyverier", "eiendomstyveri", "offence_group", "Eiendomstyveri"),
])
def test_a_statistics_value_is_taught_to_its_dimension(kind, alias, meaning, dimension,
                                                      canonical):
    _name, lines, _words = alias_row(kind, alias, meaning)
    assert lines == [("stat_values.csv", (dimension, alias, canonical))]
    with using_aliases(lines):
        assert value_map(dimension)[alias.casefold()] == canonical
    assert alias.casefold() not in value_map(dimension)


def test_a_gender_alias_reaches_the_statistics_readers_too():
    _name, lines, _words = alias_row("kjønn", "Hunkjønn", "Jenter")
    with using_aliases(lines):
        assert value_map("gender")["hunkjønn"] == "Jenter"
    assert "hunkjønn" not in value_map("gender")
