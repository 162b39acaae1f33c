"""Everything the report reads from the store, in one place.  Read-only; bound parameters only.

The report uses the public views (``indicator_values``, ``indicators``, ``regions``,
``region_members``, ``uploads``) and ``u18_current`` for the region's police rows with the
upload of each (the data version); a region without police rows of its own reads the sums of
its kommuner from ``u18_region_figures``, as the dashboard does.  Survey and kommune
indicators are read with their units from ``indicator_values`` (shares, rates per 1 000 …); a
store made before that view existed is read from ``ungdata`` (shares only), as it is: readers
never migrate.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb
import pandas as pd

from analysis.comparisons import Break, border_break
from analysis.series import missing_breakdowns, periods
from etl.regions import border_changes
from etl.store import connect_read

NATION = "Hele landet"


class RegionNotFound(Exception):
    """The region name is not in the catalogue."""


@dataclass(frozen=True)
class ReportData:
    region: str
    level: str
    u18: pd.DataFrame            # u18_offences rows of the region
    survey: pd.DataFrame         # indicator_values rows (value, unit) of the region, or of
    #                              its member kommuner
    survey_regions: list[str]    # whose survey figures these are
    national: pd.DataFrame       # indicator_values rows of Hele landet
    catalogue: pd.DataFrame      # indicators
    uploads: pd.DataFrame        # the uploads the figures above came from
    group: dict | None = None    # a region group's members and last change (etl.groups)
    police_parents: tuple[str, ...] = ()  # without police figures: the regions that include
    #                                       it and have them (Porsgrunn → Grenland)
    breaks: tuple[Break, ...] = ()  # years its figures are not comparable across: its new
    #                                 borders (:data:`BREAK_KOMMUNER`)
    summed: bool = False  # u18 is the sum of its kommuner (it has no police figures of its own)

    @cached_property
    def spans(self) -> dict:
        """year → last day counted (None for a full year) of :attr:`u18` (``periods`` of
        :mod:`analysis.findings`), worked out once for the tables, charts and headings."""
        return periods(self.u18)

    @cached_property
    def missing(self) -> dict[int, list[str]]:
        """year → the breakdowns the source did not give (``missing_breakdowns`` of
        :mod:`analysis.findings` on :attr:`u18`), worked out once: the two tables, the chart
        and the note each ask, and each answer costs a pass over every row."""
        return missing_breakdowns(self.u18)


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    return con.execute(sql, params).df()


def find_region(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str, str]:
    """(name, code, level) of a region, matched case-insensitively; suggests close names."""
    rows = con.execute("SELECT name, region_code, level FROM regions "
                       "WHERE lower(name) = lower(?)", [name.strip()]).fetchall()
    if rows:
        return rows[0]
    names = [n for (n,) in con.execute("SELECT name FROM regions").fetchall()]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f" Mente du: {', '.join(close)}?" if close else ""
    raise RegionNotFound(f"Fant ingen region som heter «{name}».{hint}")


def _u18(con, region: str, code: str, shared: dict) -> tuple[pd.DataFrame, list[int], bool]:
    """The region's stored police rows (``u18_current``: the rows of ``u18_offences`` but for
    the totals by crime type and age and by age and gender that the view sums when read,
    :func:`etl.store.u18_rows`; nothing in the report reads those: its tables, charts,
    findings and goals read the totals at every age and by age alone, and a goal is on one
    crime type, age or gender).  ``offenders`` NULL where not given (also in a store made
    before the column existed, which is read as it is: readers never migrate).  And the
    uploads its own rows (``region_code`` = ``code``) come from, read in the same pass instead
    of a scan of every region's rows."""
    offenders = _once(shared, "offenders", lambda: "c.offenders" if con.execute(
        "SELECT 1 FROM duckdb_columns() WHERE table_name = 'u18_current' "
        "AND column_name = 'offenders'").fetchall() else "CAST(NULL AS INTEGER) AS offenders")
    rows = _frame(con, "SELECT c.year, c.counted_through, c.crime_type, c.age, c.gender, "
                       f"c.offences, {offenders}, c.upload_id, c.region_code = ? AS own "
                       "FROM u18_current c JOIN regions r USING (region_code) "
                       "WHERE r.name = ? ORDER BY c.year", [code, region])
    if rows.empty and _once(shared, "sums", lambda: bool(con.execute(
            "SELECT 1 FROM duckdb_tables() WHERE table_name = 'u18_region_figures'"
            ).fetchall())):
        summed, uploads = _summed(con, code)
        return summed, uploads, not summed.empty
    police = sorted(set(rows.loc[rows["own"], "upload_id"].tolist()))
    return rows.drop(columns=["upload_id", "own"]), police, False


def region_police(con: duckdb.DuckDBPyConnection, region: str) -> pd.DataFrame:
    """The police rows the report reads for ``region`` (a name): its own, else the sums of its
    kommuner (:func:`_summed`) — for the goals read without a report (the Mål page)."""
    name, code, _level = find_region(con, region)
    return _u18(con, name, code, {})[0]


def _summed(con, code: str) -> tuple[pd.DataFrame, list[int]]:
    """The police rows of a region without figures of its own (a group, a fylke, the
    country): the sums of its kommuner where every one has a figure, as the dashboard shows
    them (``u18_region_figures``: every row the report reads has two of crime type, age and
    gender at «Totalt»), and the uploads the kommuner's figures come from.  Offenders are never
    summed (one person may be counted in two kommuner)."""
    rows = _frame(con, "SELECT year, counted_through, crime_type, age, gender, "
                       "offences::INTEGER AS offences, CAST(NULL AS INTEGER) AS offenders "
                       "FROM u18_region_figures WHERE region_code = ? "
                       "AND basis = 'sum av kommunene' ORDER BY year", [code])
    uploads = [i for (i,) in con.execute(
        "SELECT DISTINCT upload_id FROM u18_current WHERE region_code IN "
        "(SELECT kommune_code FROM region_members WHERE region_code = ?) ORDER BY 1",
        [code]).fetchall()] if not rows.empty else []
    return rows, uploads


def _once(shared: dict, key: str, read):
    """``shared[key]``, read the first time it is asked (what every region's report reads
    alike: the caller keeps ``shared`` for one version of the store)."""
    if key not in shared:
        shared[key] = read()
    return shared[key]


def _indicator_values(con) -> str:
    """The rows of every indicator with its unit: ``indicator_values``, or in a store made
    before units existed the ``ungdata`` view (every figure a share) in the same shape."""
    has_units = con.execute("SELECT 1 FROM duckdb_views() WHERE view_name = 'indicator_values'"
                            ).fetchall()
    return ("indicator_values" if has_units else
            "(SELECT * EXCLUDE (percent), percent AS value, 'prosent' AS unit FROM ungdata)")


def _survey(con, values: str, code: str, region: str) -> tuple[pd.DataFrame, list[str]]:
    """The region's own survey rows (of ``values``: :func:`_indicator_values`); for a group or
    fylke without any, its kommuner's."""
    own = _frame(con, f"SELECT * FROM {values} WHERE region = ?", [region])
    if not own.empty:
        return own, [region]
    members = _frame(con, f"SELECT u.* FROM {values} u JOIN region_members m "
                          "ON u.region_code = m.kommune_code WHERE m.region_code = ? "
                          "AND ? <> 'NO'", [code, code])
    return members, sorted(members.region.unique().tolist())


def _upload_ids(police: list[int], survey: pd.DataFrame, national: pd.DataFrame,
                group: dict | None = None) -> list[int]:
    used = set(police) | set(survey.get("upload_id", pd.Series(dtype=int)).dropna()) \
        | set(national.get("upload_id", pd.Series(dtype=int)).dropna())
    if group and group["upload_id"]:  # the change that gave the group its kommuner
        used.add(group["upload_id"])
    return sorted(int(i) for i in used)


def _group(con, code: str, level: str) -> dict | None:
    from etl.groups import described

    if level != "gruppe":
        return None
    return next((g for g in described(con) if g["code"] == code), None)


def _uploads(con, ids: list[int]) -> pd.DataFrame:
    return _frame(con, "SELECT upload_id, file_name, sha256, uploaded_at, uploaded_by, source "
                       "FROM uploads WHERE list_contains(?, upload_id) ORDER BY upload_id",
                  [ids])


def load(db_path: Path, region: str) -> ReportData:
    """Read every figure the report needs for ``region`` (one read-only connection)."""
    with connect_read(db_path) as con:
        return load_from(con, region)


def load_from(con: duckdb.DuckDBPyConnection, region: str,
              shared: dict | None = None) -> ReportData:
    """:func:`load` through a connection the caller holds open on the store (the dashboard's:
    opening the file costs more than reading one region).  ``shared``: a dict the caller keeps
    for one version of the store, where what is the same for every region (the country's
    survey rows, the catalogue, which columns and views the store has) is read once; the
    frames in it are shared by every report made with it, so never changed in place."""
    shared = {} if shared is None else shared
    name, code, level = find_region(con, region)
    u18, police, summed = _u18(con, name, code, shared)
    values = _once(shared, "values", lambda: _indicator_values(con))
    survey, survey_regions = _survey(con, values, code, name)
    national = _once(shared, "national", lambda: _frame(
        con, f"SELECT * FROM {values} WHERE region = ?", [NATION]))
    catalogue = _once(shared, "catalogue", lambda: _frame(
        con, "SELECT * FROM indicators ORDER BY indicator", []))
    group = _group(con, code, level)
    uploads = _uploads(con, _upload_ids(police, survey, national, group))
    parents = _police_parents(con, name) if u18.empty else ()
    return ReportData(name, level, u18, survey, survey_regions, national, catalogue, uploads,
                      group, parents, region_breaks(con, name), summed)


# The kommuner whose new borders break a region's series (``$region``: its name): a kommune
# itself, and a group's member kommuner (a group is a few neighbours, whose sum changes when
# one of them took in a kommune outside it).  A fylke, police district or the country: none
# (the kommuner of 2017-2024 that took in others took in their own fylke's).
BREAK_KOMMUNER = """
    WITH target AS (SELECT region_code, level FROM regions WHERE name = $region)
    SELECT region_code, name FROM regions
    WHERE region_code IN (SELECT region_code FROM target WHERE level = 'kommune')
    UNION
    SELECT k.region_code, k.name FROM region_members m
    JOIN regions k ON k.region_code = m.kommune_code
    WHERE m.region_code IN (SELECT region_code FROM target WHERE level = 'gruppe')"""


def region_breaks(con: duckdb.DuckDBPyConnection, region: str) -> tuple[Break, ...]:
    """The breaks of ``region``'s series (a name): its kommuner's new borders."""
    return border_breaks(con.execute(BREAK_KOMMUNER, {"region": region}).fetchall())


def border_breaks(kommuner) -> tuple[Break, ...]:
    """The breaks of the new borders of ``kommuner`` ((region code, name) pairs:
    :data:`BREAK_KOMMUNER`'s rows), by year (:func:`etl.regions.border_changes`)."""
    changes = border_changes()
    return tuple(sorted((border_break(name, change.year, change.change)
                         for code, name in kommuner for change in changes.get(code, ())),
                        key=lambda b: (b.year, b.reason)))


# Groups, districts and fylker that include a kommune (``?``: its name) and have police figures
# of their own (the report's and the pages' «Porsgrunn er med i Grenland»).
POLICE_PARENTS = """SELECT DISTINCT r.name FROM regions r
    JOIN region_members m ON m.region_code = r.region_code
    JOIN regions k ON k.region_code = m.kommune_code
    WHERE k.name = ? AND r.region_code IN (SELECT DISTINCT region_code FROM u18_current)
    ORDER BY 1"""


def _police_parents(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, ...]:
    return tuple(parent for (parent,) in con.execute(POLICE_PARENTS, [name]).fetchall())
