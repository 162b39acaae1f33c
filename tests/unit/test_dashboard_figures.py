"""Figure builders: pure functions from a frame to a figure, checked without a browser."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from analysis.format import PLOTLY_SEPARATORS
from dashboard.components import maps, police, survey, tables

PARTIAL = dt.date(2024, 8, 1)


def checked(fig: dict) -> go.Figure:
    """A police figure (a plain dict, sent to the browser as it is) read through plotly's
    figure object, which refuses any property plotly.js does not know."""
    assert isinstance(fig, dict)
    return go.Figure(fig)


def police_frame(years=(2021, 2022, 2023, 2024), partial_last=True) -> pd.DataFrame:
    values = {"Vinning": [107, 182, 175, 73], "Seksuallovbrudd": [19, 17, 14, 10]}
    rows = []
    for cat, counts in values.items():
        for i, year in enumerate(years):
            last = partial_last and i == len(years) - 1
            rows.append({"year": year, "counted_through": PARTIAL if last else None,
                         "crime_type": cat, "offences": counts[i % 4]})
    return pd.DataFrame(rows)


def test_full_years_are_lines_and_the_partial_year_an_open_labelled_point():
    fig = checked(police.trend_lines(police_frame(), "crime_type", "offences",
                                     y_title="Antall"))
    vinning = [t for t in fig.data if t.name == "Vinning"]
    full, partial = vinning
    assert list(full.x) == [2021, 2022, 2023] and list(full.y) == [107, 182, 175]
    assert not any({2023, 2024} <= set(t.x) for t in fig.data), "no line joins 2023 and 2024"
    assert list(partial.x) == [2024] and partial.marker.symbol == "circle-open"
    assert list(partial.customdata) == ["2024 (pr. 01.08)"]
    assert [(s.x0, s.x1) for s in fig.layout.shapes] == [(2023.5, 2024.5)]  # shaded band
    assert [a.text for a in fig.layout.annotations] == ["delår"]


def test_layout_is_norwegian_with_whole_year_ticks():
    fig = checked(police.trend_lines(police_frame(), "crime_type", "offences",
                                     y_title="Antall"))
    assert fig.layout.separators == PLOTLY_SEPARATORS
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.tickformat == "d"
    assert "2024<br>(pr. 01.08)" in fig.layout.xaxis.ticktext


def test_hover_names_the_source():
    fig = checked(police.trend_lines(police_frame(), "crime_type", "offences",
                                     y_title="Antall"))
    assert "Kilde" in fig.data[0].hovertemplate and fig.data[0].meta == police.SOURCE_U18


def test_stacked_bars_hatch_only_the_partial_year():
    fig = checked(police.stacked_bars(police_frame(), "crime_type", "offences",
                                      y_title="Antall"))
    assert fig.layout.barmode == "stack"
    assert list(fig.data[0].marker.pattern.shape) == ["", "", "", "/"]


def test_penal_code_break_is_marked_only_when_the_years_cross_2015():
    crossing = checked(police.trend_lines(police_frame((2013, 2014, 2015, 2016), False),
                                          "crime_type", "offences", y_title="Antall"))
    after = checked(police.trend_lines(police_frame(partial_last=False), "crime_type",
                                       "offences", y_title="Antall"))
    assert [s.x0 for s in crossing.layout.shapes] == [2014.5]
    assert any("straffelov" in a.text for a in crossing.layout.annotations)
    assert not after.layout.shapes


def test_police_figures_are_plain_dicts_in_the_apps_template():
    """Sent to the browser as built (no figure object to validate and copy them): in the app's
    own template, as a ``go.Figure`` would carry it, and valid for plotly."""
    frame = police_frame((2013, 2014, 2015, 2016))
    periods = pd.DataFrame({"crime_type": ["Vinning", "Vinning"], "offences": [70, 73],
                            "period": ["2023 (pr. 01.08)", "2024 (pr. 01.08)"]})
    built = [police.trend_lines(frame, "crime_type", "offences", y_title="A"),
             police.stacked_bars(frame, "crime_type", "offences", y_title="A"),
             police.totals_bars(frame[frame["crime_type"] == "Vinning"]),
             police.age_heatmap(frame.assign(age="15"), ["15"]),
             police.same_period_bars(periods)]
    template = pio.templates["slt"].to_plotly_json()
    for fig in built:
        assert isinstance(fig, dict) and fig["layout"]["template"] == template
        assert checked(fig).to_dict()["layout"]["template"] == template  # plotly accepts it


def test_survey_figures_are_plain_dicts_in_the_apps_template():
    frame = pd.DataFrame({"series": ["Porsgrunn", "Porsgrunn"], "year": [2021, 2024],
                          "period": ["2021", "2024"], "value": [20.0, 22.5],
                          "source": ["FHI", "FHI"], "region": ["Porsgrunn", "Telemark"],
                          "gender": ["Jenter", "Gutter"]})
    built = [survey.indicator_lines(frame, label="A"), survey.undated_bars(frame, label="A"),
             survey.member_dots(frame, label="A", references=["Telemark"]),
             survey.gender_dots(frame, label="A")]
    template = pio.templates["slt"].to_plotly_json()
    for fig in built:
        assert isinstance(fig, dict) and fig["layout"]["template"] == template
        assert checked(fig).data  # plotly accepts every property


def test_partial_note_names_the_counting_date():
    assert "2024 (pr. 01.08) er et delår" in police.partial_note(police_frame())
    assert police.partial_note(police_frame(partial_last=False)) is None


def test_csv_holds_exactly_the_plotted_points_with_the_partial_label():
    fig = police.trend_lines(police_frame(), "crime_type", "offences", y_title="Antall")
    frame = tables.figure_frame(fig, "År", "Antall forhold")
    assert len(frame) == 8  # 2 series × 4 years; the dotted bridge is not counted twice
    row = frame[(frame["Serie"] == "Vinning") & (frame["År"] == "2024 (pr. 01.08)")]
    assert row["Antall forhold"].tolist() == [73]
    csv = tables.to_csv(frame)
    assert csv.splitlines()[0] == "Serie;År;Antall forhold"
    assert "Vinning;2022;182" in csv.splitlines()


def test_csv_uses_decimal_comma():
    frame = pd.DataFrame({"Serie": ["Grenland"], "År": ["2022"], "Per 1 000": [28.4375]})
    assert tables.to_csv(frame).splitlines()[1] == "Grenland;2022;28,4375"


def test_html_table_has_a_caption_and_row_headers():
    fig = police.totals_bars(police_frame()[lambda f: f["crime_type"] == "Vinning"])
    table = tables.html_table(tables.figure_frame(fig), caption="Vinning")
    text = str(table)
    assert "Caption" in text and "scope" in text and "2024 (pr. 01.08)" in text


def test_age_heatmap_rows_are_ages_and_cells_are_counts():
    frame = pd.DataFrame({"year": [2023, 2023, 2024, 2024], "age": ["15", "16", "15", "16"],
                          "counted_through": [None, None, PARTIAL, PARTIAL],
                          "offences": [152, 145, 111, 69]})
    fig = checked(police.age_heatmap(frame, ["15", "16"]))
    assert list(fig.data[0].y) == ["15 år", "16 år"]
    assert [list(row) for row in fig.data[0].z] == [[152, 111], [145, 69]]
    assert "2024<br>(pr. 01.08)" in fig.data[0].x


def test_survey_gap_is_a_gap_not_a_line():
    rows = pd.DataFrame({"year": [2018, 2024], "value": [20.0, 26.5],
                         "period": ["2018", "2024"]})
    gapped = survey.with_gaps(rows, step=3)
    assert gapped["year"].tolist() == [2018, 2021, 2024]
    assert pd.isna(gapped["value"].iloc[1])


def test_survey_lines_join_each_series_along_its_own_cycle():
    frame = pd.DataFrame({
        "series": ["Porsgrunn"] * 3 + ["Hele landet"] * 4,
        "year": [2018, 2021, 2024, 2021, 2022, 2023, 2024],
        "period": ["x"] * 7, "value": [20, 21, 22, 18, 18.5, 19, 20], "source": ["FHI"] * 7})
    fig = checked(survey.indicator_lines(
        frame, label="Nasking", styles=survey.place_styles("Porsgrunn", None, "Hele landet")))
    porsgrunn = next(t for t in fig.data if t.name == "Porsgrunn")
    assert list(porsgrunn.y) == [20, 21, 22]  # every third year, no gap inserted
    assert fig.data[-1].name == "Porsgrunn"  # the chosen region is drawn on top
    assert porsgrunn.connectgaps is False


def test_a_rate_per_100000_is_drawn_with_its_unit_and_never_as_a_percent():
    frame = pd.DataFrame({"series": ["Skien", "Skien"], "year": [2021, 2022],
                          "period": ["2019-2021", "2020-2022"], "value": [1402.0, 1380.5],
                          "source": ["FHI"] * 2})
    fig = checked(survey.indicator_lines(frame, label="Skader", unit="per 100 000"))
    assert fig.layout.yaxis.title.text == "Verdi (per 100 000)"
    assert fig.layout.yaxis.ticksuffix == "" and fig.data[0].hovertemplate.count("per 100 000")
    assert "%" not in fig.data[0].hovertemplate.replace("%{", "")
    assert survey.amount(1402.0, "per 100 000") == "1\u00a0402,0 per 100 000"
    assert survey.amount(12.5) == "12,5\u00a0%"


def test_map_classes_colour_every_kommune_with_a_value_and_outline_the_region():
    shapes = maps.kommune_shapes()
    assert len(shapes) == 357
    codes = sorted(shapes)[:50]
    values = pd.DataFrame({"kommunenummer": codes, "region": codes,
                           "value": [float(i) for i in range(50)]})
    fig = maps.choropleth(values, label="Per 1 000", source="SSB", highlight=["4001"])
    names = [t.get("name") for t in fig["data"]]
    assert names[0] == "Ingen tall" and "Valgt region" in names
    hover = fig["data"][-1]
    assert len(hover["customdata"]) == 50
    assert fig["layout"]["separators"] == PLOTLY_SEPARATORS


def test_the_maps_outlines_travel_as_typed_arrays_of_the_kommune_shapes():
    """One base64 string per class (fast to encode) that plotly.js decodes to the same
    outlines: every ring's points, a gap (NaN) after each."""
    import base64

    import numpy as np

    grenland = ["4001", "4003", "4010", "4012"]
    values = pd.DataFrame({"kommunenummer": grenland, "region": grenland,
                           "value": [1.0, 1.0, 1.0, 1.0]})
    fills = [t for t in maps.choropleth(values, label="A", source="B")["data"]
             if t.get("fill") == "toself" and t["name"] != "Ingen tall"]
    (fill,) = fills
    xs, ys = maps._joined(grenland, maps.kommune_shapes())
    for axis, expected in (("x", xs), ("y", ys)):
        assert fill[axis]["dtype"] == "f4"
        drawn = np.frombuffer(base64.b64decode(fill[axis]["bdata"]), dtype="float32")
        rings = sum(len(maps.kommune_shapes()[c]["rings"]) for c in grenland)
        assert len(drawn) == len(expected) and expected.count(None) == rings
        gaps = np.array([v is None for v in expected])
        assert np.isnan(drawn[gaps]).all()
        assert np.allclose(drawn[~gaps], [v for v in expected if v is not None], atol=1e-4)


def test_the_map_zooms_to_the_focus_kommuner_and_shows_the_country_without_one():
    grenland = ["4001", "4003", "4010", "4012"]  # Porsgrunn, Skien, Siljan, Bamble
    values = pd.DataFrame({"kommunenummer": grenland, "region": grenland,
                           "value": [1.0, 2.0, 3.0, 4.0]})
    whole = maps.choropleth(values, label="A", source="B", highlight=grenland)
    zoomed = maps.choropleth(values, label="A", source="B", highlight=grenland, focus=grenland)
    assert "range" not in whole["layout"]["xaxis"]
    (x0, x1), (y0, y1) = zoomed["layout"]["xaxis"]["range"], zoomed["layout"]["yaxis"]["range"]
    assert x1 - x0 < 3 and y1 - y0 < 2  # a few kommuner, not Norway's ~30 × 14 degrees
    for code in grenland:
        cx, cy = maps.kommune_shapes()[code]["centre"]
        assert x0 < cx < x1 and y0 < cy < y1
    assert maps.extent(["9999"]) is None


def test_side_by_side_names_the_range_the_chosen_kommune_and_the_country():
    latest = pd.DataFrame({"region": ["Skien", "Porsgrunn", "Telemark", "Hele landet"],
                           "value": [82.2, 80.7, 81.5, 82.9], "period": ["2024"] * 4,
                           "source": ["FHI"] * 4})
    title = survey.side_by_side_title(latest, "Porsgrunn", "Trives", "2024",
                                      ["Telemark", "Hele landet"], "Hele landet")
    assert title == ("Trives i kommunene i Telemark (2024): fra 80,7\u00a0% (Porsgrunn) til "
                     "82,2\u00a0% (Skien); Porsgrunn 80,7\u00a0%; hele landet 82,9\u00a0%")
    fig = checked(survey.member_dots(latest, label="Trives", highlight="Porsgrunn",
                                     references=["Telemark", "Hele landet"]))
    order = list(fig.layout.yaxis.categoryarray)
    assert order == ["Porsgrunn", "Telemark", "Skien", "Hele landet"]  # sorted, highest on top
    assert {t.name for t in fig.data} == {"Kommune", "Porsgrunn", "Telemark", "Hele landet"}


@pytest.mark.parametrize("n", [5])
def test_map_classes_are_quantiles(n):
    assert maps.classes(pd.Series(range(1, 101)), n) == pytest.approx([20.8, 40.6, 60.4, 80.2,
                                                                       100.0])


def test_a_category_keeps_its_colour_whichever_others_are_shown():
    order = ["Annen", "Seksuallovbrudd", "Vinning"]
    both = checked(police.trend_lines(police_frame(), "crime_type", "offences", y_title="A",
                                      order=order))
    alone = checked(police.trend_lines(police_frame()[lambda f: f["crime_type"] == "Vinning"],
                                       "crime_type", "offences", y_title="A", order=order))
    colour_of = {t.name: t.line.color for t in both.data if t.mode == "lines+markers"}
    assert alone.data[0].line.color == colour_of["Vinning"]


def test_moving_averages_are_called_so_and_single_surveys_are_not():
    note = survey.moving_average_note(["2022/23-2024/25", "2023/24-2025/26"])
    assert note.startswith("Hvert punkt er et gjennomsnitt over 3 år (glidende)")
    assert "deler år" in note
    assert survey.moving_average_note(["2018", "2021", "2024"]) == ""
    assert survey.moving_average_note([]) == ""


def _contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1's contrast ratio of two sRGB colours."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted([luminance(colour), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_no_chart_colour_vanishes_on_white_or_on_the_partial_year_s_grey():
    """Okabe-Ito's yellow (1.3:1 on white) made the 8th crime type's line, Vold in a full
    store, next to invisible on a projector.  Every colour of the palette stands out from the
    white plot and the grey partial-year band by at least 2:1 (the lines repeat colour with
    dash and marker)."""
    from dashboard.theme import OKABE_ITO

    assert len(set(OKABE_ITO)) == 8
    assert all(_contrast(c) >= 2.0 and _contrast(c, "#f1f1f1") >= 1.9 for c in OKABE_ITO), [
        (c, round(_contrast(c), 2)) for c in OKABE_ITO]
    assert _contrast(OKABE_ITO[7]) >= 4.0  # the dark yellow that replaced it


def test_every_missing_survey_round_is_a_gap_named_like_its_neighbours():
    rows = pd.DataFrame({"year": [2021, 2024, 2025], "value": [16.5, 13.6, 13.6],
                         "period": ["2019-2021", "2022-2024", "2023-2025"]})
    gapped = survey.with_gaps(rows, step=1)
    assert gapped["year"].tolist() == [2021, 2022, 2023, 2024, 2025]
    assert gapped["period"].tolist() == ["2019-2021", "2020-2022", "2021-2023", "2022-2024",
                                         "2023-2025"]
    assert survey.round_label(2022, None) == "2022"
    assert survey.round_label(2024, "2022-2024") == "2024 (2022-2024)"
