"""The dashboard's reads through the report's own loader: the report basis (figures and every
finding, as in the report: the Rapport, Politiråd and Oversikt pages) and the plan's goals.

Read through the published store's connection of :mod:`dashboard.queries` (:func:`_store_cursor`)
and cached per published version.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import duckdb

from dashboard.queries import (
    _LOCK,
    DataMissing,
    _frame,
    _open,
    _tables,
    clear_with_configure,
    store,
)
from etl.store import StoreMissing

# --- the report (added for the Rapport and Politiråd pages) ---------------------------------

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


_COMPUTING: dict[tuple, threading.Lock] = {}  # report bases being built, one lock each


def report_basis(region: str, year: int | None = None, suppress_below: int | None = None):
    """:class:`report.build.Basis` (figures and every finding, as in the report) for
    ``region``, cached per published version.  Read through :mod:`report.data`, read-only.

    Built once however many threads ask at the same time: a page's callbacks that read the same
    basis (Krim's titles, Oversikt's headline and findings) fire together, and a second thread
    waits for the first's basis instead of building it again beside it (~90 ms of CPU for a
    national kommune, the largest part of a region's first answers)."""
    path, version = store()
    key = (version, path, region, year, suppress_below)
    with _LOCK:
        flight = _COMPUTING.setdefault(key, threading.Lock())
    try:
        with flight:
            return _report_basis(*key)
    except StoreMissing as error:
        raise DataMissing("u18") from error
    finally:
        with _LOCK:
            if _COMPUTING.get(key) is flight:
                del _COMPUTING[key]


# --- the plan's goals (the Mål page; the report, Oversikt and politiråd read them through
# report_basis) -----------------------------------------------------------------------------

def goal_statuses(region: str) -> list:
    """:class:`analysis.goals.GoalStatus` of every goal of ``region``, judged with all the
    years loaded: the goals of the report for the latest year (:func:`report_basis`), judged
    together with its comparisons, so the Mål page says what the report says."""
    if region not in goal_regions():  # most regions: no need to open the file again
        return []
    return report_basis(region).goals


def goal_regions() -> list[str]:
    """Names of the regions that have goals (empty when none, or the store predates goals)."""
    if "goals" not in _tables():
        return []
    frame = _frame("SELECT DISTINCT r.name FROM goals g JOIN regions r USING (region_code) "
                   "ORDER BY 1", needs=("regions",))
    return list(frame["name"])


clear_with_configure(_SHARED.clear)
