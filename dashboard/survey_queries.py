"""The dashboard's reads of survey indicators (Ungdata, Kommunehelsa and the open catalogue)
and of the kommune figures and outlines of the map (SSB 08487, an indicator per kommune).

Survey percentages cannot be summed, so a region without figures of its own is shown through
its kommuner or fylker (:func:`survey_places`).  Read through the connection and per-version
cache of :mod:`dashboard.queries`.
"""

from __future__ import annotations

import pandas as pd

from dashboard.queries import NATION, TOTAL, DataMissing, _frame, fylke_of, regions

# --- survey indicators ---------------------------------------------------------------------

def indicator_catalogue() -> pd.DataFrame:
    """indicator, label, theme, higher_is_better, crime_types, survey, unit, catalogued,
    upload_id; plus has_data (figures in any unit)."""
    return _frame("""SELECT i.*, i.indicator IN (SELECT DISTINCT indicator FROM indicator_values)
                            AS has_data
                     FROM indicators i ORDER BY theme, label""",
                  needs=("indicators", "ungdata", "indicator_values"))


def ungdata_series(regions_: list[str], indicator: str) -> pd.DataFrame:
    """region, period, year, school_level, grade, gender, value, unit, respondents, source —
    in the indicator's unit (``indicator_values``)."""
    sql = """SELECT region, period, year, school_level, grade, gender, value, unit, respondents,
                    source FROM indicator_values
             WHERE list_contains(?, region) AND indicator = ? AND NOT suppressed
             ORDER BY region, year"""
    return _frame(sql, [list(regions_), indicator], ("ungdata", "indicator_values"))


def indicators_over_time(region: str) -> list[str]:
    """Indicators with at least two dated survey rounds for ``region``, most rounds first."""
    sql = """SELECT indicator, count(DISTINCT year) AS rounds FROM ungdata
             WHERE region = ? AND year IS NOT NULL AND percent IS NOT NULL
             GROUP BY ALL HAVING rounds > 1 ORDER BY rounds DESC, indicator"""
    return list(_frame(sql, [region], ("ungdata",))["indicator"])


_MEMBERS = """SELECT k.name, f.name AS fylke FROM regions r
               JOIN region_members m ON m.region_code = r.region_code
               JOIN regions k ON k.region_code = m.kommune_code
               LEFT JOIN regions f ON f.region_code = k.fylke_code AND f.level = 'fylke'
               WHERE r.name = ?"""


def member_names(region: str) -> pd.DataFrame:
    """name, fylke of the kommuner that make up ``region`` (none for a kommune)."""
    return _frame(_MEMBERS + " ORDER BY 1", [region], ("regions",))


def indicators_with_figures(region: str, places: list[str]) -> list[str]:
    """Indicators with dated survey figures for ``region`` or any of ``places`` (its member
    kommuner), best first: most rounds for the region itself, then the most places with
    figures, then the most rounds anywhere."""
    sql = """SELECT indicator,
                    count(DISTINCT year) FILTER (WHERE region = ?) AS own_rounds,
                    count(DISTINCT region) FILTER (WHERE region <> ?) AS places,
                    count(DISTINCT year) AS rounds
             FROM indicator_values
             WHERE (region = ? OR list_contains(?, region)) AND year IS NOT NULL
               AND value IS NOT NULL AND gender = ? AND NOT suppressed
             GROUP BY indicator ORDER BY own_rounds DESC, places DESC, rounds DESC, indicator"""
    params = [region, region, region, list(places), TOTAL]
    return list(_frame(sql, params, ("ungdata", "indicator_values"))["indicator"])


def survey_places(region: str) -> tuple[list[str], list[str]]:
    """(kommuner to show side by side, reference places) for a region's survey figures.

    Survey percentages cannot be summed, so a region is shown through kommuner: a kommune
    among the kommuner of its fylke; a group, fylke or politidistrikt through its own kommuner;
    the country through the fylker.  References: the fylke(s) and the country.
    """
    try:
        levels = regions().set_index("name")["level"]
        if region == NATION:
            return sorted(levels[levels == "fylke"].index), [NATION]
        if levels.get(region) == "kommune":
            fylke = fylke_of(region)
            members = member_names(fylke) if fylke else None
            return (list(members["name"]) if members is not None else [region],
                    [p for p in (fylke, NATION) if p])
        members = member_names(region)
    except DataMissing:
        return [], [NATION]
    fylker = [region] if levels.get(region) == "fylke" else sorted(set(members["fylke"].dropna()))
    return list(members["name"]), [*fylker, NATION]


def member_survey(region: str, indicator: str, level: str | None = None
                  ) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Dated rows (gender Totalt, of one school level unless ``level`` is empty) of the places
    of :func:`survey_places`; the kommuner among them that have figures; the references."""
    members, references = survey_places(region)
    frame = ungdata_series([*members, *references], indicator)
    frame = frame[(frame["gender"] == TOTAL) & frame["year"].notna()]
    if level:
        frame = frame[frame["school_level"] == level]
    return frame, [m for m in members if m in set(frame["region"])], references


def ungdata_latest(region: str) -> pd.DataFrame:
    """Per indicator, the region's latest period next to the national value (gender Totalt)."""
    sql = """
        WITH mine AS (
            SELECT indicator, school_level, grade, year, period, percent FROM ungdata
            WHERE region = ? AND gender = ? AND percent IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY indicator, school_level, grade
                                       ORDER BY year DESC) = 1)
        SELECT m.*, n.percent AS national, i.label, i.higher_is_better
        FROM mine m
        JOIN ungdata n ON n.region = ? AND n.gender = ? AND n.indicator = m.indicator
             AND n.school_level = m.school_level AND n.grade = m.grade AND n.period = m.period
        JOIN indicators i ON i.indicator = m.indicator"""
    return _frame(sql, [region, TOTAL, NATION, TOTAL], ("ungdata", "indicators"))


# --- context and map -----------------------------------------------------------------------

def context_per_1000(offence_group: str = "Alle lovbruddsgrupper") -> pd.DataFrame:
    """kommunenummer, region, period, per_1000 for every kommune, latest period (SSB 08487)."""
    sql = """SELECT r.kommunenummer, s.region, s.period, s.per_1000 FROM ssb_08487 s
             JOIN regions r ON r.region_code = s.region_code AND r.level = 'kommune'
             WHERE s.offence_group = ?
               AND s.year = (SELECT max(year) FROM ssb_08487 WHERE offence_group = ?)"""
    return _frame(sql, [offence_group, offence_group], ("context", "regions"))


def context_groups() -> list[str]:
    frame = _frame("SELECT DISTINCT offence_group FROM ssb_08487 ORDER BY 1", needs=("context",))
    return list(frame["offence_group"])


def indicator_by_kommune(indicator: str) -> pd.DataFrame:
    """kommunenummer, region, period, per_1000 (= the figure, in ``unit``), unit, for the latest
    period, gender Totalt."""
    sql = """SELECT r.kommunenummer, u.region, u.period, u.value AS per_1000, u.unit
             FROM indicator_values u
             JOIN regions r ON r.region_code = u.region_code AND r.level = 'kommune'
             WHERE u.indicator = ? AND u.gender = ? AND u.value IS NOT NULL
             QUALIFY u.year = max(u.year) OVER ()"""
    return _frame(sql, [indicator, TOTAL], ("ungdata", "indicator_values", "regions"))


def member_kommuner(region: str) -> list[str]:
    """kommunenummer of the kommuner that make up ``region`` (itself for a kommune)."""
    sql = """SELECT k.kommunenummer FROM regions r
             JOIN region_members m ON m.region_code = r.region_code
             JOIN regions k ON k.region_code = m.kommune_code
             WHERE r.name = ?
             UNION SELECT kommunenummer FROM regions WHERE name = ? AND level = 'kommune'"""
    frame = _frame(sql, [region, region], ("regions",))
    return sorted(str(v) for v in frame["kommunenummer"].dropna())


def map_focus(region: str) -> list[str]:
    """kommunenummer the map zooms to: a kommune's fylke, a group's, fylke's or district's own
    kommuner; none (the whole country) for the country."""
    if region == NATION:
        return []
    fylke = fylke_of(region)
    return member_kommuner(fylke or region)
