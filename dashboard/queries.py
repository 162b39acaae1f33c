"""The only module of the dashboard that talks to DuckDB.

Every value is a bound parameter; table and column names come from the fixed lists below.  The
store is attached read-only and reused only while :func:`etl.store.data_version` is unchanged
(writers replace the file atomically), and results are cached per published version.

A table or view that another part of the project has not created yet raises :class:`DataMissing`
with a Norwegian message that says what is missing and how to load it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pandas as pd

from etl.store import StoreMissing, data_version
from report.data import POLICE_PARENTS

# What the dashboard expects in the store: key → (table or view, what to tell the user).
SOURCES: dict[str, tuple[str, str]] = {
    "u18": ("u18_offences", "Ingen politi-tall (U18-forhold) i databasen ennå. De kommer fra "
                            "politidistriktets tabell over U18-forhold (politiets "
                            "analyseavdeling, via SLT-kontakten). Last den inn med: "
                            "slt ingest FIL"),
    "rates": ("u18_rates", "Rater per 1 000 krever befolkningstall: SSB-tabell 07459 "
                           "(ssb.no/statbank/table/07459, lastet ned som CSV). "
                           "Last den inn med: slt ingest FIL"),
    "population": ("population", "Ingen befolkningstall i databasen ennå: SSB-tabell 07459 "
                                 "(ssb.no/statbank/table/07459, lastet ned som CSV). "
                                 "Last den inn med: slt ingest FIL"),
    "ungdata": ("ungdata", "Ingen Ungdata-tall i databasen ennå. De kommer fra kommunens "
                           "Ungdata-rapport (ungdata.no) eller FHIs Kommunehelsa (khs.fhi.no), "
                           "lastet ned som CSV. Last filen inn med: slt ingest FIL"),
    "indicator_values": ("indicator_values", "Databasen er fra før indikatorene fikk enheter. "
                                             "Last inn en fil med slt ingest for å oppgradere "
                                             "den."),
    "indicators": ("indicators", "Indikatorkatalogen mangler i databasen. "
                                 "Kjør slt ingest på en Ungdata-fil for å opprette den."),
    "context": ("ssb_08487", "Ingen tall fra SSB-tabell 08487 (anmeldte lovbrudd) ennå: "
                             "ssb.no/statbank/table/08487, lastet ned som CSV. "
                             "Last den inn med: slt ingest FIL"),
    "uploads": ("uploads", "Ingen opplastingshistorikk ennå."),
    "history": ("u18_history", "Tidligere innlastede politi-tall finnes ikke i databasen."),
    "regions": ("regions", "Regionkatalogen mangler. Last inn en fil med: slt ingest FIL"),
    "groups": ("region_group_members", "Regiongruppene er ikke lagret i databasen ennå; de "
                                       "kommer fra data/reference/region_groups.csv."),
}
DIMENSIONS = ("crime_type", "age", "gender")  # the breakdowns of u18_offences
TOTAL = "Totalt"
NATION = "Hele landet"
LEVEL_ORDER = ("land", "politidistrikt", "fylke", "gruppe", "kommune")

_DB: dict[str, Path] = {}
_OPEN: dict = {}  # version, con, tables of the attached store
_LOCK = threading.Lock()


class DataMissing(Exception):
    """A table the page needs is not in the store (yet)."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(SOURCES[key][1])


def configure(db_path: Path) -> None:
    _DB["path"] = Path(db_path)
    _cached.cache_clear()
    _breakdown.cache_clear()
    _region_rows.cache_clear()
    _SHARED.clear()
    _regions.cache_clear()
    with _LOCK:
        _OPEN.clear()


def _version() -> tuple:
    try:
        return data_version(_DB["path"])
    except FileNotFoundError:
        return (0, 0)


def _open(version: tuple) -> tuple[duckdb.DuckDBPyConnection, frozenset[str]]:
    """The published store, attached read-only, reused while its version is unchanged.

    Writers publish a new file with ``os.replace``; a new version opens the new file, and the
    old connection stays valid for queries still running on it until it is dropped.  The file
    is ATTACHed to a private in-memory database rather than opened with ``duckdb.connect(path)``
    so DuckDB's per-path instance cache can never hand back the replaced file.
    """
    with _LOCK:
        if _OPEN.get("version") != version:
            path = _DB["path"]
            if not path.exists():
                raise StoreMissing(str(path))
            con = duckdb.connect()
            con.execute("ATTACH ? AS store (READ_ONLY)", [str(path)])
            tables = frozenset(name for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = 'store'").fetchall())
            _OPEN.update(version=version, con=con, tables=tables)
        return _OPEN["con"].cursor(), _OPEN["tables"]  # one cursor per call and thread


@functools.lru_cache(maxsize=512)
def _cached(version: tuple, sql: str, params: tuple, needs: tuple[str, ...]) -> pd.DataFrame:
    try:
        cursor, present = _open(version)
    except StoreMissing as error:
        raise DataMissing(needs[0] if needs else "u18") from error
    with cursor:
        for key in needs:
            if SOURCES[key][0] not in present:
                raise DataMissing(key)
        cursor.execute("USE store")
        if params[:1] == ("named",):
            return cursor.execute(sql, dict(params[1:])).df()
        return cursor.execute(sql, [list(p) if isinstance(p, tuple) else p
                                    for p in params]).df()


def _frame(sql: str, params: Iterable | dict = (), needs: tuple[str, ...] = ()) -> pd.DataFrame:
    """Run ``sql`` (cached per store version); a copy, so callers may change it.

    ``params``: positional values for ``?``, or a dict for ``$name`` placeholders.
    """
    if isinstance(params, dict):
        key = ("named", *sorted(params.items()))
    else:
        key = tuple(tuple(p) if isinstance(p, list) else p for p in params)
    return _cached(_version(), sql, key, needs).copy()


# --- regions and bounds --------------------------------------------------------------------

@functools.lru_cache(maxsize=2)
def _regions(version: tuple) -> pd.DataFrame:
    frame = _cached(version, """
        SELECT r.name, r.level, r.region_code, r.fylke_code,
               r.region_code IN (SELECT DISTINCT region_code FROM u18_current) AS has_u18
        FROM regions r""", (), ("regions", "u18")).copy()
    frame["order"] = frame["level"].map({lvl: i for i, lvl in enumerate(LEVEL_ORDER)})
    return frame.sort_values(["has_u18", "order", "name"], ascending=[False, True, True])


def regions() -> pd.DataFrame:
    """Every region: name, level, and whether police U18 figures of its own exist for it.

    Sorted once per published version (every page's region list asks for it): a copy."""
    return _regions(_version()).copy()


def default_region() -> str:
    """The region with the most police figures (the one the user loaded), else the country."""
    try:
        frame = _frame("""
            WITH counts AS (SELECT region_code, count(*) AS n FROM u18_current GROUP BY ALL)
            SELECT r.name AS region, n FROM counts JOIN regions r USING (region_code)
            ORDER BY n DESC, region LIMIT 1""", needs=("u18", "regions"))
    except DataMissing:
        return NATION
    return NATION if frame.empty else str(frame["region"].iloc[0])


def year_bounds() -> tuple[int, int] | None:
    """First and last police year in the store, or None when there are none."""
    try:
        frame = _frame("SELECT min(year) AS lo, max(year) AS hi FROM u18_current",
                       needs=("u18",))
    except DataMissing:
        return None
    if frame.empty or pd.isna(frame["lo"].iloc[0]):
        return None
    return int(frame["lo"].iloc[0]), int(frame["hi"].iloc[0])


def police_regions_containing(region: str) -> list[str]:
    """Groups, districts or fylker that include ``region`` and have police figures of their own."""
    return list(_frame(POLICE_PARENTS, [region], ("u18", "regions"))["name"])


def region_groups() -> list[tuple[str, list[str]]]:
    """Region groups (stored in the database, seeded from ``data/reference/region_groups.csv``)
    and their kommuner."""
    frame = _frame("""SELECT g.name, list(k.name ORDER BY k.name) AS members FROM regions g
                      JOIN region_members m ON m.region_code = g.region_code
                      JOIN regions k ON k.region_code = m.kommune_code
                      WHERE g.level = 'gruppe' GROUP BY g.name ORDER BY g.name""",
                   needs=("regions",))
    return [(name, list(members)) for name, members in frame.itertuples(index=False)]


def group_members(region: str) -> list[str]:
    """The kommuner of a region group, by name; empty for any other region."""
    frame = _frame("""SELECT k.name FROM regions g
                      JOIN region_members m ON m.region_code = g.region_code
                      JOIN regions k ON k.region_code = m.kommune_code
                      WHERE g.name = ? AND g.level = 'gruppe' ORDER BY k.name""",
                   [region], ("regions",))
    return list(frame["name"])


def group_changes(region: str) -> pd.DataFrame:
    """Every change of a region group, newest first: upload_id, uploaded_at, uploaded_by,
    message, rolled_back_at, current (this change gave the group its present name and
    members).  Followed by its code, so a rename keeps its history.  Empty for a group only
    seeded from the reference file; DataMissing("groups") for a store without stored groups."""
    sql = """
        WITH code AS (SELECT region_code FROM regions WHERE name = $region AND level = 'gruppe'),
        live AS (SELECT DISTINCT upload_id FROM region_group_members
                 WHERE group_code IN (SELECT region_code FROM code)),
        ids AS (SELECT upload_id FROM live
                UNION SELECT upload_id FROM region_group_members_history
                      WHERE group_code IN (SELECT region_code FROM code)
                UNION SELECT removed_by FROM region_group_members_history
                      WHERE group_code IN (SELECT region_code FROM code))
        SELECT u.upload_id, u.uploaded_at, u.uploaded_by, u.message, u.rolled_back_at,
               u.upload_id IN (SELECT upload_id FROM live) AS current
        FROM uploads u JOIN ids USING (upload_id) ORDER BY u.upload_id DESC"""
    return _frame(sql, {"region": region}, ("groups", "uploads", "regions"))


def fylke_of(region: str) -> str | None:
    frame = _frame("""SELECT f.name FROM regions r JOIN regions f
                      ON f.region_code = r.fylke_code AND f.level = 'fylke'
                      WHERE r.name = ? AND r.level = 'kommune'""", [region], ("regions",))
    return None if frame.empty else str(frame["name"].iloc[0])


# --- police figures ------------------------------------------------------------------------

# Police figures of a region: its own rows, or else the sum of its member kommuner for the
# cells where every member has a figure (an incomplete sum would be a wrong number).  Read
# from u18_current by region code (the u18_offences view joins every row to its name).
_U18_REGION = """
    target AS (SELECT region_code FROM regions WHERE name = $region),
    own AS (SELECT year, counted_through, crime_type, age, gender, offences
            FROM u18_current WHERE region_code IN (SELECT region_code FROM target)),
    members AS (SELECT m.kommune_code FROM region_members m
                WHERE m.region_code IN (SELECT region_code FROM target)),
    summed AS (SELECT year, max(counted_through) AS counted_through, crime_type, age, gender,
                      sum(offences) AS offences
               FROM u18_current WHERE region_code IN (SELECT kommune_code FROM members)
                 AND NOT EXISTS (SELECT 1 FROM own)
               GROUP BY ALL HAVING count(offences) = (SELECT count(*) FROM members)),
    u18 AS (SELECT * FROM own UNION ALL SELECT * FROM summed)"""
# The same figures from the table etl.rates builds on every publish (stores written since).
_U18_REGION_TABLE = """
    u18 AS (SELECT year, counted_through, crime_type, age, gender, offences
            FROM u18_region_figures
            WHERE region_code IN (SELECT region_code FROM regions WHERE name = $region))"""


def _tables() -> frozenset[str]:
    """Names of the tables and views in the published store (empty when there is none)."""
    try:
        cursor, present = _open(_version())
    except StoreMissing:
        return frozenset()
    cursor.close()
    return present


def u18_breakdown(region: str, dimension: str, fra: int, til: int) -> pd.DataFrame:
    """year, counted_through, <dimension>, offences; the other two dimensions at 'Totalt'.

    A category missing in a year whose breakdown has other categories is 0 (a blank police
    cell means none); a year in which the source gave no row of the breakdown at all has only
    its total (the breakdown is unknown, not 0; the pages say so); a suppressed figure stays
    NULL.  A fylke, group or the country without figures of its own gets the sum of its
    kommuner.  Worked out from the region's rows (:func:`_region_rows`, read once per region
    and version for every breakdown and year range), cached per version: a copy.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    # Stores written since the table exists have the sums ready (etl.rates); older ones sum here.
    figures = _U18_REGION_TABLE if "u18_region_figures" in _tables() else _U18_REGION
    return _breakdown(_version(), figures, region, dimension, int(fra), int(til)).copy()


# The region's police rows with at least two of the three breakdowns at 'Totalt': every row
# any of the breakdowns of u18_breakdown is made from.
_U18_ROWS = """
    SELECT year, counted_through, crime_type, age, gender, offences FROM u18
    WHERE (crime_type = $total)::INTEGER + (age = $total)::INTEGER
          + (gender = $total)::INTEGER >= 2"""


@functools.lru_cache(maxsize=64)
def _region_rows(version: tuple, figures: str, region: str) -> tuple[pd.DataFrame, list]:
    """The rows of :data:`_U18_ROWS` for ``region`` as read (for the columns' types) and as
    plain tuples (year, counted_through as a date or None, crime_type, age, gender, offences
    or None); cached per version: do not change."""
    params = ("named", ("region", region), ("total", TOTAL))
    frame = _cached(version, f"WITH {figures} {_U18_ROWS}", params, ("u18", "regions"))
    through = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame["counted_through"]]
    offences = [None if pd.isna(v) else int(v) for v in frame["offences"]]
    rows = list(zip(frame["year"].tolist(), through, frame["crime_type"].tolist(),
                    frame["age"].tolist(), frame["gender"].tolist(), offences))
    return frame, rows


@functools.lru_cache(maxsize=256)
def _breakdown(version: tuple, figures: str, region: str, dimension: str, fra: int,
               til: int) -> pd.DataFrame:
    """:func:`u18_breakdown` from the region's rows: each year with a total gets every
    category seen in the years asked for, where the source gave that year's breakdown; a
    category without a row in such a year is 0, a row whose figure is NULL stays NULL."""
    frame, rows = _region_rows(version, figures, region)
    at = {"crime_type": 2, "age": 3, "gender": 4}
    mine, (one, two) = at[dimension], [at[d] for d in DIMENSIONS if d != dimension]
    base = [(r[0], r[1], r[mine], r[5]) for r in rows
            if fra <= r[0] <= til and r[one] == TOTAL and r[two] == TOTAL]
    years = [(year, through) for year, through, category, _ in base if category == TOTAL]
    given = {year for year, _, category, _ in base if category != TOTAL}
    categories = list(dict.fromkeys(category for _, _, category, _ in base))
    found: dict[tuple, list] = {}
    for year, _, category, offences in base:
        found.setdefault((year, category), []).append(offences)
    out = sorted(((year, category, through, offences)
                  for year, through in years for category in categories
                  if category == TOTAL or year in given
                  for offences in found.get((year, category), [0])),
                 key=lambda row: (row[0], row[1]))
    if not out:  # the empty frame exactly as the query gives it (its columns' types)
        return _breakdown_query(version, figures, region, dimension, fra, til)
    result = pd.DataFrame({"year": pd.array([r[0] for r in out], dtype=frame["year"].dtype)})
    result["counted_through"] = [r[2] for r in out]
    result[dimension] = pd.array([r[1] for r in out], dtype=frame[dimension].dtype)
    result["offences"] = pd.array([r[3] for r in out], dtype="Int64")
    return result


def _breakdown_query(version: tuple, figures: str, region: str, dimension: str, fra: int,
                     til: int) -> pd.DataFrame:
    """:func:`_breakdown` in SQL (where a region or range has no rows)."""
    others = [d for d in DIMENSIONS if d != dimension]
    sql = f"""
        WITH {figures},
        base AS (
            SELECT year, counted_through, {dimension} AS category, offences FROM u18
            WHERE year BETWEEN $fra AND $til AND {others[0]} = $total AND {others[1]} = $total),
        years AS (SELECT year, counted_through FROM base WHERE category = $total),
        given AS (SELECT DISTINCT year FROM base WHERE category <> $total),
        cats AS (SELECT DISTINCT category FROM base)
        SELECT y.year, y.counted_through, c.category AS {dimension},
               CASE WHEN b.year IS NULL THEN 0 ELSE b.offences END AS offences
        FROM years y CROSS JOIN cats c
        LEFT JOIN base b ON b.year = y.year AND b.category = c.category
        WHERE c.category = $total OR y.year IN (SELECT year FROM given)
        ORDER BY y.year, c.category"""
    params = {"region": region, "fra": fra, "til": til, "total": TOTAL}
    frame = _cached(version, sql, ("named", *sorted(params.items())),
                    ("u18", "regions")).copy()
    frame["counted_through"] = [None if pd.isna(v) else pd.Timestamp(v).date()
                                for v in frame["counted_through"]]
    frame["offences"] = frame["offences"].astype("Int64")
    return frame


def u18_same_period(region: str, year: int, counted_through) -> pd.DataFrame:
    """crime_type, offences of ``year`` counted to the same day as ``counted_through``.

    The figures of a partial year stay in ``u18_history`` (removal 'replaced') after the full
    year replaced them; the live table holds them if the full year never came.  The newest
    upload wins.  Empty when that period was never loaded.
    """
    day = 28 if (counted_through.month, counted_through.day) == (2, 29) else counted_through.day
    same_day = counted_through.replace(year=int(year), day=day)
    sql = """
        WITH figures AS (
            SELECT region_code, crime_type, offences, upload_id FROM u18_current
            WHERE year = $year AND counted_through = $day AND age = $total AND gender = $total
            UNION ALL
            SELECT region_code, crime_type, offences, upload_id FROM u18_history
            WHERE year = $year AND counted_through = $day AND age = $total AND gender = $total
              AND removal = 'replaced')
        SELECT crime_type, offences FROM figures JOIN regions r USING (region_code)
        WHERE r.name = $region
        QUALIFY upload_id = max(upload_id) OVER ()
        ORDER BY crime_type"""
    params = {"region": region, "year": int(year), "day": same_day, "total": TOTAL}
    return _frame(sql, params, ("u18", "history", "regions"))


def u18_rates(regions_: list[str], fra: int, til: int, crime_type: str = TOTAL) -> pd.DataFrame:
    """region, year, offences, persons_10_17, per_1000, rate_note (gender 'Totalt')."""
    sql = """SELECT region, year, offences, persons_10_17, per_1000, rate_note
             FROM u18_rates WHERE list_contains(?, region) AND year BETWEEN ? AND ?
               AND crime_type = ? AND gender = ? ORDER BY region, year"""
    return _frame(sql, [list(regions_), int(fra), int(til), crime_type, TOTAL],
                  ("u18", "rates", "population"))


def u18_rates_breakdown(region: str, dimension: str, fra: int, til: int) -> pd.DataFrame:
    """year, counted_through, <dimension>, per_1000 for one region; dimension crime_type|gender.

    per_1000 is NULL for a partial year or an unknown population (the view's rule).
    """
    if dimension not in ("crime_type", "gender"):
        raise ValueError(dimension)
    other = "gender" if dimension == "crime_type" else "crime_type"
    sql = f"""SELECT year, counted_through, {dimension}, per_1000, rate_note FROM u18_rates
              WHERE region = ? AND year BETWEEN ? AND ? AND {other} = ?
              ORDER BY year, {dimension}"""
    frame = _frame(sql, [region, int(fra), int(til), TOTAL], ("u18", "rates", "population"))
    frame["counted_through"] = [None if pd.isna(v) else pd.Timestamp(v).date()
                                for v in frame["counted_through"]]
    return frame


def u18_rates_by_type(regions_: list[str], fra: int, til: int) -> pd.DataFrame:
    """region, year, crime_type, offences, persons_10_17, per_1000 (gender 'Totalt')."""
    sql = """SELECT region, year, crime_type, offences, persons_10_17, per_1000 FROM u18_rates
             WHERE list_contains(?, region) AND year BETWEEN ? AND ? AND gender = ?"""
    return _frame(sql, [list(regions_), int(fra), int(til), TOTAL],
                  ("u18", "rates", "population"))


def crime_types() -> list[str]:
    frame = _frame("SELECT DISTINCT crime_type FROM u18_current ORDER BY 1", needs=("u18",))
    return [c for c in frame["crime_type"] if c != TOTAL]


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


# --- provenance ----------------------------------------------------------------------------

def uploads(limit: int = 200) -> pd.DataFrame:
    """Upload attempts, newest first.  An accepted file's message is its first line: for a file
    of many regions that is the summary, and the full list under it is for the Historikk page
    and ``slt history --id N --full``."""
    sql = """SELECT upload_id, file_name, source, uploaded_at, uploaded_by, regions, years, rows,
                    outcome, CASE WHEN outcome = 'accepted' THEN split_part(message, chr(10), 1)
                                  ELSE message END AS message, rolled_back_at FROM uploads
             ORDER BY uploaded_at DESC, upload_id DESC LIMIT ?"""
    return _frame(sql, [int(limit)], ("uploads",))


def is_synthetic() -> bool:
    """True when the store's ``meta`` marks its figures as synthetic (``bench/make_national.py``).

    Cached per published version like every query; False when there is no store yet.
    """
    try:
        frame = _frame("SELECT value FROM meta WHERE key = ?", ["synthetic"])
    except (DataMissing, duckdb.CatalogException):
        return False
    return any(str(value).strip().lower() == "true" for value in frame["value"])


def inventory() -> dict[str, int]:
    """Rows per expected source that exists (for 'Om dataene' and empty states)."""
    counts = {}
    for key, (name, _message) in SOURCES.items():
        try:
            counts[key] = int(_frame(f'SELECT count(*) AS n FROM "{name}"', needs=(key,))["n"][0])
        except DataMissing:
            counts[key] = 0
    return counts


# --- the report (added for the Rapport and Politiråd pages) ---------------------------------

def store() -> tuple[Path, tuple]:
    """The store's path and its published version, for pages that read through
    :mod:`report.data` (the report's own read-only loader) and cache per version."""
    return _DB["path"], _version()


@functools.lru_cache(maxsize=64)  # ~0.6 MB each on national data
def _report_basis(version: tuple, path: Path, region: str, year: int | None,
                  suppress_below: int | None):
    from report.build import gather

    with _store_cursor(version) as cursor:  # the open store: opening the file anew cost 12 ms
        return gather(path, region, year, suppress_below, con=cursor,
                      shared=_shared(path, version))


_SHARED: dict = {}  # (path, version) → what every region's report basis reads alike


def _shared(path: Path, version: tuple) -> dict:
    """The report reader's frames that are the same for every region (the country's survey
    rows, the catalogue; :func:`report.data.load_from`), read once per published version."""
    with _LOCK:
        if (path, version) not in _SHARED:
            _SHARED.clear()
            _SHARED[(path, version)] = {}
        return _SHARED[(path, version)]


def _store_cursor(version: tuple) -> duckdb.DuckDBPyConnection:
    """A cursor of the published store (:func:`_open`) with the store as its default
    database, for readers that name its tables bare (:mod:`report.data`, :mod:`report.goals`)."""
    cursor, _present = _open(version)
    cursor.execute("USE store")
    return cursor


def report_basis(region: str, year: int | None = None, suppress_below: int | None = None):
    """:class:`report.build.Basis` (figures and every finding, as in the report) for
    ``region``, cached per published version.  Read through :mod:`report.data`, read-only."""
    path, version = store()
    try:
        return _report_basis(version, path, region, year, suppress_below)
    except StoreMissing as error:
        raise DataMissing("u18") from error


# --- the plan's goals (the Mål page; the report, Oversikt and politiråd read them through
# report_basis) -----------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _goal_statuses(version: tuple, path: Path, region: str):
    from report.goals import region_statuses

    with _store_cursor(version) as cursor:
        return region_statuses(cursor, region)


def goal_statuses(region: str) -> list:
    """:class:`analysis.goals.GoalStatus` of every goal of ``region``, judged with all the
    years loaded (as the report for the latest year), cached per published version."""
    if region not in goal_regions():  # most regions: no need to open the file again
        return []
    path, version = store()
    try:
        return _goal_statuses(version, path, region)
    except StoreMissing as error:
        raise DataMissing("u18") from error


def goal_regions() -> list[str]:
    """Names of the regions that have goals (empty when none, or the store predates goals)."""
    if "goals" not in _tables():
        return []
    frame = _frame("SELECT DISTINCT r.name FROM goals g JOIN regions r USING (region_code) "
                   "ORDER BY 1", needs=("regions",))
    return list(frame["name"])
