"""Small-number suppression is one rule for every output of the report: the same hidden counts
in the table, the chart (values, labels, alt text), the sentences, the CSV and the slides."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.findings import count_findings
from analysis.suppress import Suppression
from dashboard.components.slides import build_slides
from report.blocks import Report
from report.charts import crime_type_chart, total_chart
from report.tables import crime_type_table
from report.writers.csv import rows as csv_rows

YEARS = [2021, 2022, 2023]
COUNTS = {"Totalt": [3, 7, 12], "Vold": [3, 4, 9], "Vinning": [0, 3, 3]}


def small_kommune() -> pd.DataFrame:
    return pd.DataFrame([{"year": y, "counted_through": pd.NaT, "crime_type": crime,
                          "age": "Totalt", "gender": "Totalt", "offences": n}
                         for crime, counts in COUNTS.items() for y, n in zip(YEARS, counts)])


def test_every_output_hides_the_same_counts():
    frame, sup = small_kommune(), Suppression(5)
    table = crime_type_table(frame, "Liten", YEARS, sup)
    shown = {row[0]: row[1:] for row in table.rows}
    assert shown == {"Vinning": ["0", "<5", "<5"], "Vold": ["<5", "<5", "9"],
                     "Totalt": ["<5", "7", "12"]}

    report = Report("t", "Liten", 2023)
    report.add(table)
    csv = [r for r in csv_rows(report) if r[1] == "Vold"]
    assert [r[3] for r in csv] == ["<5", "<5", 9]

    total, alt = total_chart(frame, "Liten", YEARS, sup)
    total = go.Figure(total)  # a plain dict, read (and checked) by plotly
    assert list(total.data[0].y) == [None, 7, 12]
    assert list(total.data[0].text) == ["<5", "7", "12"]
    assert "2021: <5; 2022: 7; 2023: 12." in alt and "2021: 3" not in alt

    lines, alt = crime_type_chart(frame, "Liten", YEARS, sup)
    vold = next(t for t in go.Figure(lines).data if t.name == "Vold")
    assert list(vold.y) == [None, None, 9]
    assert "Vold: 2021 <5, 2022 <5, 2023 9" in alt

    found = {(f.topic, f.kind): f for f in count_findings(frame, 2023, sup)}
    vold_yoy = found[("Vold", "yoy")]
    assert vold_yoy.sentence == "Vold: <5 i 2022 og 9 i 2023. For få tilfeller til å vurdere " \
                                "endringen."
    assert not vold_yoy.tested and vold_yoy.p_value is None
    assert found[("U18-forhold i alt", "yoy")].tested  # 7 → 12: nothing hidden, tested

    slides = {s.title: s for s in build_slides(list(found.values()), frame, 2023, sup)}
    assert [b.text for b in slides["Vold"].bars] == ["<5", "<5", "9"]
    assert [b.value for b in slides["Vold"].bars] == [None, None, 9]


def test_without_a_threshold_every_count_is_exact():
    frame, sup = small_kommune(), Suppression()
    shown = {row[0]: row[1:] for row in crime_type_table(frame, "Liten", YEARS, sup).rows}
    assert shown["Vold"] == ["3", "4", "9"]
    total, alt = total_chart(frame, "Liten", YEARS, sup)
    assert list(go.Figure(total).data[0].y) == [3, 7, 12] and "2021: 3" in alt
    vold = next(f for f in count_findings(frame, 2023, sup)
                if f.topic == "Vold" and f.kind == "yoy")
    assert vold.tested and vold.sentence.startswith("Vold: 9 i 2023 mot 4 i 2022")
