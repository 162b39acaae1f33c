"""Which series a verdict is based on: offenders (gjerningspersoner) where the source gives them
for every year compared, else offences."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis.findings import count_findings
from analysis.series import count_series
from analysis.suppress import Suppression

TOTAL = "Totalt"


def frame(rows: list[tuple]) -> pd.DataFrame:
    """(year, counted_through, offences, offenders) of the total."""
    return pd.DataFrame([(y, t, TOTAL, TOTAL, TOTAL, o, p) for y, t, o, p in rows],
                        columns=["year", "counted_through", "crime_type", "age", "gender",
                                 "offences", "offenders"])


CLUSTERED = [(2019, None, 21, 11), (2020, None, 19, 10), (2021, None, 22, 11),
             (2022, None, 18, 9), (2023, None, 20, 10), (2024, None, 60, 10)]


def test_the_series_carries_the_offenders_the_frame_gives_and_none_for_the_rest():
    [total] = count_series(frame([(2023, None, 20, 10), (2024, None, 60, None)]))
    assert total.known_offenders(2023) == 10 and total.known_offenders(2024) is None
    assert total.known(2024) == 60


def test_offences_that_cluster_on_the_same_offenders_are_not_a_real_rise():
    found = {f.kind: f for f in count_findings(frame(CLUSTERED))}
    assert found["yoy"].basis == found["avg3"].basis == "offenders"
    assert not found["yoy"].significant
    assert found["yoy"].headline == "60"
    assert found["yoy"].figures == "60 mot 20 (gjerningspersoner 10 mot 10)"
    assert found["yoy"].basis_text == "antall gjerningspersoner"


def test_a_real_rise_of_offenders_is_named_as_such():
    rows = CLUSTERED[:-1] + [(2024, None, 60, 40)]
    found = {f.kind: f for f in count_findings(frame(rows))}
    assert found["yoy"].direction == 1
    assert found["yoy"].sentence == (
        "U18-forhold i alt: 60 i 2024 mot 20 i 2023. Antall gjerningspersoner økte fra 10 til "
        "40, en reell økning (vurdert på antall gjerningspersoner).")


def test_without_offenders_the_same_offences_are_a_real_rise_judged_on_offences():
    rows = [(y, t, o, None) for y, t, o, _p in CLUSTERED]
    found = {f.kind: f for f in count_findings(frame(rows))}
    assert found["yoy"].basis == "offences" and found["yoy"].direction == 1
    assert found["yoy"].basis_text == "antall forhold"


def test_a_partial_year_annualised_is_judged_on_offences_but_the_same_period_on_offenders():
    through = dt.date(2024, 8, 1)
    annualised = count_findings(frame(CLUSTERED[:-1] + [(2024, through, 40, 8)]))
    assert [f.basis for f in annualised if f.kind == "annualised"] == ["offences"]
    same = count_findings(frame(CLUSTERED[:-2] + [(2023, dt.date(2023, 8, 1), 12, 6),
                                                   (2024, through, 40, 7)]), 2024)
    assert [f.basis for f in same if f.kind == "same_period"] == ["offenders"]


def test_hidden_offenders_mean_no_test_when_small_numbers_are_suppressed():
    rows = CLUSTERED[:-1] + [(2024, None, 60, 3)]
    found = {f.kind: f for f in count_findings(frame(rows), sup=Suppression(5))}
    assert not found["yoy"].tested
    assert found["yoy"].sentence == ("U18-forhold i alt: 20 i 2023 og 60 i 2024. For få tilfeller "
                                     "til å vurdere endringen.")
