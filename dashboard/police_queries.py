"""The dashboard's reads of police figures: U18 offences by breakdown, the same period of an
earlier year, and rates per 1 000 aged 10–17.

Read through the connection and per-version cache of :mod:`dashboard.queries`; a fylke, group
or the country without figures of its own gets the sum of its kommuner.
"""

from __future__ import annotations

import functools

import pandas as pd

from analysis.comparisons import Break
from dashboard.queries import TOTAL, _cached, _frame, _tables, _version, clear_with_configure
from etl.rates import ONE_PERIOD
from report.data import BREAK_KOMMUNER, border_breaks

DIMENSIONS = ("crime_type", "age", "gender")  # the breakdowns of u18_offences

# Police figures of a region: its own rows, or else the sum of its member kommuner for the
# cells where every member's figure is known (the rule of etl.rates.region_figures_query: a
# member without the cell's row whose rows of that breakdown add up to its total had none of
# it).  Read from u18_current by region code (the u18_offences view joins every row to its
# name); a row's breakdown here is which of its three labels are not «Totalt» (u18_current
# also holds the cross cells).  Only rows counted to one day are summed (etl.rates.ONE_PERIOD).
_U18_REGION = """
    target AS (SELECT region_code FROM regions WHERE name = $region),
    own AS (SELECT year, counted_through, crime_type, age, gender, offences
            FROM u18_current WHERE region_code IN (SELECT region_code FROM target)),
    members AS (SELECT m.kommune_code FROM region_members m
                WHERE m.region_code IN (SELECT region_code FROM target)),
    rows_ AS (SELECT region_code, year, counted_through, crime_type, age, gender, offences,
                     (crime_type <> 'Totalt', age <> 'Totalt', gender <> 'Totalt') AS breakdown
              FROM u18_current WHERE region_code IN (SELECT kommune_code FROM members)
                AND NOT EXISTS (SELECT 1 FROM own)),
    whole AS (SELECT r.region_code, r.year, r.breakdown FROM rows_ r
              JOIN rows_ t ON t.region_code = r.region_code AND t.year = r.year
                          AND t.breakdown = (false, false, false)
              WHERE r.breakdown <> (false, false, false)
              GROUP BY ALL HAVING count(*) = count(r.offences)
                                  AND sum(r.offences) = any_value(t.offences)),
    cells AS (SELECT year, crime_type, age, gender, breakdown, max(counted_through) AS ct,
                     sum(offences) AS offences, count(offences) AS n_known, count(*) AS n_rows,
                     """ + ONE_PERIOD.format("") + """ AS one_period
              FROM rows_ GROUP BY ALL),
    nones AS (SELECT c.year, c.crime_type, c.age, c.gender, count(*) AS n_none
              FROM cells c JOIN whole w ON w.year = c.year AND w.breakdown = c.breakdown
                AND c.n_known = c.n_rows AND c.n_rows < (SELECT count(*) FROM members)
              ANTI JOIN rows_ r ON r.region_code = w.region_code AND r.year = c.year
                     AND r.crime_type = c.crime_type AND r.age = c.age AND r.gender = c.gender
              GROUP BY ALL),
    summed AS (SELECT c.year, c.ct AS counted_through, c.crime_type, c.age, c.gender, c.offences
               FROM cells c LEFT JOIN nones z USING (year, crime_type, age, gender)
               WHERE c.n_known = c.n_rows AND c.one_period
                 AND c.n_rows + coalesce(z.n_none, 0) = (SELECT count(*) FROM members)),
    u18 AS (SELECT * FROM own UNION ALL SELECT * FROM summed)"""
# The same figures from the table etl.rates builds on every publish (stores written since).
_U18_REGION_TABLE = """
    u18 AS (SELECT year, counted_through, crime_type, age, gender, offences
            FROM u18_region_figures
            WHERE region_code IN (SELECT region_code FROM regions WHERE name = $region))"""


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


# The same period of an earlier year (``$year`` counted through ``$day``), for ``$region``'s
# places: the region itself when it has police figures of its own, else its kommuner (summed).
# A partial year's figures stay in ``u18_history`` (removal 'replaced') after the full year
# replaced them; the live table holds them if the full year never came.  Each place's newest
# upload of that period wins.
_SAME_PERIOD = """
    WITH target AS (SELECT region_code FROM regions WHERE name = $region),
    own AS (SELECT 1 FROM u18_current
            WHERE region_code IN (SELECT region_code FROM target) LIMIT 1),
    places AS (  -- the region itself, or the kommuner summed for it
        SELECT region_code FROM target WHERE EXISTS (SELECT 1 FROM own)
        UNION ALL
        SELECT kommune_code FROM region_members
        WHERE region_code IN (SELECT region_code FROM target)
          AND NOT EXISTS (SELECT 1 FROM own)),
    figures AS (
        SELECT region_code, crime_type, offences, upload_id FROM u18_current
        WHERE year = $year AND counted_through = $day AND age = $total AND gender = $total
        UNION ALL
        SELECT region_code, crime_type, offences, upload_id FROM u18_history
        WHERE year = $year AND counted_through = $day AND age = $total AND gender = $total
          AND removal = 'replaced'),
    newest AS (
        SELECT region_code, crime_type, offences FROM figures
        WHERE region_code IN (SELECT region_code FROM places)
        QUALIFY upload_id = max(upload_id) OVER (PARTITION BY region_code))"""


def _same_period_params(region: str, year: int, counted_through) -> dict:
    day = 28 if (counted_through.month, counted_through.day) == (2, 29) else counted_through.day
    return {"region": region, "year": int(year), "total": TOTAL,
            "day": counted_through.replace(year=int(year), day=day)}


def u18_same_period(region: str, year: int, counted_through) -> pd.DataFrame:
    """crime_type, offences of ``year`` counted to the same day as ``counted_through``.

    A region without police figures of its own (a group, a fylke) gets the sum of its
    kommuner's, when every one of them has that period (a crime type one of them has no row of
    counts as none, as on the page; a suppressed one makes the sum unknown).  Empty when that
    period was never loaded (for every kommune: :func:`same_period_lacking` names those
    without it).
    """
    sql = _SAME_PERIOD + """
        SELECT crime_type,
               CASE WHEN count(offences) = count(*) THEN sum(offences)::BIGINT END AS offences
        FROM newest GROUP BY crime_type
        HAVING (SELECT count(DISTINCT region_code) FROM newest) = (SELECT count(*) FROM places)
        ORDER BY crime_type"""
    return _frame(sql, _same_period_params(region, year, counted_through),
                  ("u18", "history", "regions"))


def same_period_lacking(region: str, year: int, counted_through) -> list[str]:
    """The kommuner of a region without police figures of its own that lack the period of
    :func:`u18_same_period` while others have it (what to load for the sum), by name."""
    sql = _SAME_PERIOD + """
        SELECT r.name FROM places p JOIN regions r USING (region_code)
        WHERE p.region_code NOT IN (SELECT region_code FROM newest)
          AND EXISTS (SELECT 1 FROM newest)
        ORDER BY 1"""
    frame = _frame(sql, _same_period_params(region, year, counted_through),
                   ("u18", "history", "regions"))
    return frame["name"].tolist()


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


def region_breaks(region: str) -> tuple[Break, ...]:
    """The years ``region``'s police figures are not comparable across: a kommune's new
    borders, or those of a group's kommuner (:func:`report.data.border_breaks`)."""
    rows = _frame(BREAK_KOMMUNER, {"region": region})
    return border_breaks(rows.itertuples(index=False, name=None))


clear_with_configure(_breakdown.cache_clear, _region_rows.cache_clear)
