"""Threaded workers (gunicorn ``gthread``): many threads of one process read through
:mod:`dashboard.queries` while another process publishes — no read fails, each answer is the
old or the new store's, never a mix, and the threads see the new figures once published."""

from __future__ import annotations

import threading
import time

from dashboard import police_queries, queries
from tests.conftest import SEED_WORKBOOK, run_slt
from tests.integration.test_concurrency import (
    FULL_2024,
    PARTIAL_2024,
    alternating_ingests,
)

THREADS = 8


def totals_2024(fra: int) -> dict[str, int]:
    """Grenland's 2024 figures for three crime types, asked with a varying start year so most
    asks miss the cache and run a query of their own."""
    frame = police_queries.u18_breakdown("Grenland", "crime_type", fra, 2024)
    frame = frame[(frame.year == 2024) & frame.crime_type.isin(["Vinning", "Vold", "Totalt"])]
    return {row.crime_type: int(row.offences) for row in frame.itertuples()}


def test_threads_of_one_worker_read_through_repeated_publishing(db, u18_data):
    assert run_slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    queries.configure(db)
    assert totals_2024(2019) == PARTIAL_2024
    failures: list[str] = []
    seen: set = set()
    reads = [0] * THREADS
    done = threading.Event()

    def reader(n: int) -> None:
        fra = 2000 + n
        while not done.is_set():
            fra = 2000 + (fra - 1999) % 24  # 2000..2023: a new key on most asks
            try:
                seen.add(tuple(sorted(totals_2024(fra).items())))
                reads[n] += 1
            except Exception as exc:  # noqa: BLE001 (any failed read is what this is about)
                failures.append(repr(exc))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    writer = alternating_ingests(db, u18_data, rounds=3)
    try:
        writer.wait(timeout=300)
        time.sleep(0.5)  # reads of the last version
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=60)
    assert writer.returncode == 0
    assert failures == []
    assert min(reads) > 5, reads
    assert seen <= {tuple(sorted(PARTIAL_2024.items())), tuple(sorted(FULL_2024.items()))}
    assert len(seen) == 2, "the threads should have seen both versions"
    assert totals_2024(2019) == PARTIAL_2024  # the last publish is the partial year again


def test_threads_asking_the_same_report_basis_at_once_build_it_once(db):
    """A page's callbacks that read one report basis fire together; the second thread waits
    for the first's basis instead of building it beside it (lru_cache alone builds it twice)."""
    from dashboard import report_queries

    assert run_slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    queries.configure(db)
    report_queries._report_basis.cache_clear()
    start = threading.Barrier(THREADS)
    bases: list = []

    def ask() -> None:
        start.wait()
        bases.append(report_queries.report_basis("Grenland", 2023))

    threads = [threading.Thread(target=ask) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(bases) == THREADS and all(basis is bases[0] for basis in bases)
    info = report_queries._report_basis.cache_info()
    assert (info.misses, info.hits) == (1, THREADS - 1)
