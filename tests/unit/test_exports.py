"""Exported cells are never run as formulas by a spreadsheet."""

import pandas as pd

from dashboard.components.tables import to_csv
from etl.exports import neutralise


def test_text_starting_like_a_formula_gets_an_apostrophe():
    for text in ("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx"):
        assert neutralise(text) == "'" + text
    assert neutralise("Grenland") == "Grenland"
    assert neutralise("<5") == "<5"


def test_dashboard_csv_neutralises_text_but_keeps_negative_numbers_and_quotes_separators():
    frame = pd.DataFrame({"Serie": ["=cmd|' /C calc'!A0", "Vold; grov"], "År": [2023, 2024],
                          "Endring": [-3, 1.5]})
    lines = to_csv(frame).splitlines()
    assert lines[1].startswith("'=cmd")
    assert lines[1].endswith(";2023;-3")
    assert lines[2] == '"Vold; grov";2024;1,5'
