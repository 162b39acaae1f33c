"""Server time of every dashboard callback, on the bundled sample and on a national-size store.

Run: ``.venv/bin/python bench/bench_callbacks.py [--runs 30]``.  Builds (once, under
``bench/out/``) the sample store and a national store: the synthetic police figures of
``bench/make_national.py`` (every kommune, 2010-2025, crime type × age × gender) plus the
sample's population, SSB 08487 and survey files, so rates and maps run at full size.

Each callback is called in-process exactly as Dash calls it, in three states: "new store" (the
first request after an upload: store re-attached, query caches empty), "new view" (store open,
this view not asked for before) and "same view" (answered from the query cache).  Prints a
Markdown table of p50 / p95 in milliseconds of wall time, and for "new view" also of the CPU
time the process spent (all threads), which a busy shared machine inflates much less.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
OUT = REPO / "bench" / "out"


def sample_store() -> Path:
    from etl.sample import build_sample

    path = OUT / "sample.duckdb"
    if not path.exists():
        build_sample(path)
    return path


def national_store() -> Path:
    from bench.make_national import build
    from etl.dispatch import ingest_any
    from etl.paths import sample_dir
    from etl.sample import manifest

    path = OUT / "national_callbacks.duckdb"
    if not path.exists():
        build(path, 2010, 2025)
        for entry in manifest():
            if entry["source"] != "u18":
                ingest_any(sample_dir() / entry["file"], path, user="bench")
    return path


def cases(region: str, compare: list[str],
          years: list[int]) -> list[tuple[str, object, tuple]]:
    from dashboard.pages import oversikt, sammenlign, ungdata
    from dashboard.pages import ungdomskriminalitet as krim

    return [
        ("Oversikt: tall og funn", oversikt._update, (region, years)),
        ("Oversikt: Ungdata-funn", oversikt._survey, (region, years)),
        ("Krim: krimtyper, antall", krim._types, (region, years, [], "antall", "linjer")),
        ("Krim: krimtyper, per 1 000", krim._types, (region, years, [], "rate", "linjer")),
        ("Krim: alder", krim._ages, (region, years)),
        ("Krim: kjønn", krim._genders, (region, years, "antall")),
        ("Ungdata: utvikling", ungdata._trend, ("Porsgrunn", "fornoyd_helse", None)),
        ("Ungdata: kjønn", ungdata._genders, ("Porsgrunn", "fornoyd_helse", None)),
        ("Sammenlign: rater", sammenlign._rates, (region, years, compare, "Totalt")),
        ("Sammenlign: kart", sammenlign._map, (region, "ssb:Alle lovbruddsgrupper")),
    ]


def clear_query_caches() -> None:
    """Every per-version cache of the dashboard's query modules (query frames, the police
    breakdowns, the report's basis, …)."""
    from dashboard import police_queries, queries, report_queries, survey_queries

    for module in (queries, police_queries, survey_queries, report_queries):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def measure(fn, args, runs: int, state: str) -> tuple[float, float, float, float]:
    """p50 and p95 of the wall time, then of the process's CPU time (all its threads), in ms.

    On a machine shared with other work the wall time includes waiting for a core; the CPU
    time is what the callback itself costs.
    """
    from dashboard import queries

    times, cpu = [], []
    fn(*args)  # imports, first connection
    for _ in range(runs):
        if state == "new store":
            queries.configure(queries._DB["path"])
            clear_query_caches()
        elif state == "new view":
            clear_query_caches()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn(*args)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    cpu.sort()
    p95 = max(0, int(round(0.95 * len(times))) - 1)
    return statistics.median(times), times[p95], statistics.median(cpu), cpu[p95]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--note", default="", help="e.g. the load on the machine")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    from bench.bench_ingest import RESULTS, machine
    from dashboard import queries
    from dashboard.app import create_app

    create_app(sample_store())
    lines = ["| Store | Callback | new store p50 / p95 | new view p50 / p95 | same view p50 / p95 "
             "| new view CPU p50 / p95 |", "|---|---|---:|---:|---:|---:|"]
    for label, store, region, compare, years in [
            ("sample", sample_store(), "Grenland", ["Porsgrunn", "Skien"], [2019, 2024]),
            ("national", national_store(), "Hele landet", ["Oslo", "Bergen", "Telemark"],
             [2010, 2025])]:
        queries.configure(store)
        for name, fn, fn_args in cases(region, compare, years):
            cells = [measure(fn, fn_args, args.runs, state)
                     for state in ("new store", "new view", "same view")]
            lines.append(f"| {label} | {name} | "
                         + " | ".join(f"{c[0]:.0f} / {c[1]:.0f}" for c in cells)
                         + f" | {cells[1][2]:.0f} / {cells[1][3]:.0f} |")
            print(lines[-1], flush=True)
    text = (f"\n## {time.strftime('%Y-%m-%d %H:%M')} — bench_callbacks.py (ms, {args.runs} runs; "
            "aim: p95 < 100 ms on national data)\n\nMachine: " + machine()
            + (f"; {args.note}" if args.note else "") + "\n\n"
            + "\n".join(lines) + "\n")
    if not args.no_write:
        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
