"""The connection to DuckDB behind every dashboard read, and the reads of regions and provenance.

The dashboard's reads are split by subject: this module (the store, regions, uploads),
:mod:`dashboard.police_queries` (police figures and rates), :mod:`dashboard.survey_queries`
(survey indicators, the kommune figures of the map) and :mod:`dashboard.report_queries` (the
report basis and the plan's goals).  They are the only modules of the dashboard that talk to
DuckDB, and they all read through the one connection and cache kept here (:func:`_frame`,
:func:`_cached`, :func:`_open`), which the other query modules import.

Every value is a bound parameter; table and column names come from the fixed lists below.  The
store is attached read-only and reused only while :func:`etl.store.data_version` is unchanged
(writers replace the file atomically), and results are cached per published version.

A table or view that another part of the project has not created yet raises :class:`DataMissing`
with a Norwegian message that says what is missing and how to load it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
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
TOTAL = "Totalt"
NATION = "Hele landet"
LEVEL_ORDER = ("land", "politidistrikt", "fylke", "gruppe", "kommune")

_DB: dict[str, Path] = {}
_OPEN: dict = {}  # version, con, tables of the attached store
_LOCK = threading.Lock()
# What configure also empties: the per-version caches of the other query modules, which register
# them here (clear_with_configure) when they are imported.
_CLEARED: list[Callable[[], None]] = []


class DataMissing(Exception):
    """A table the page needs is not in the store (yet)."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(SOURCES[key][1])


def configure(db_path: Path) -> None:
    _DB["path"] = Path(db_path)
    _cached.cache_clear()
    for clear in _CLEARED:
        clear()
    _regions.cache_clear()
    with _LOCK:
        _OPEN.clear()


def clear_with_configure(*clears: Callable[[], None]) -> None:
    """Have :func:`configure` also empty these caches of another query module (a new store
    path must not be answered from the previous store's results)."""
    _CLEARED.extend(clears)


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


def _tables() -> frozenset[str]:
    """Names of the tables and views in the published store (empty when there is none)."""
    try:
        cursor, present = _open(_version())
    except StoreMissing:
        return frozenset()
    cursor.close()
    return present


def store() -> tuple[Path, tuple]:
    """The store's path and its published version, for pages that read through
    :mod:`report.data` (the report's own read-only loader) and cache per version."""
    return _DB["path"], _version()


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
