"""Ingest benchmarks: the seed workbook from process start, and long CSVs in rows per second.

Run: ``.venv/bin/python bench/bench_ingest.py [--rows 1000000 10000000]``.  Prints the figures
and appends them, with the machine's description, to ``bench/RESULTS.md``.

The baseline for the long CSV is what a careful analyst would write by hand: ``pandas.read_csv``
then one DuckDB ``INSERT`` of the frame — no label mapping, no checks, no derived totals.  The
ratio says what our checks cost (or save) against that.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SEED = REPO / "data" / "sample" / "grenland_u18_2019-2024.xlsx"
RESULTS = REPO / "bench" / "RESULTS.md"
CRIME_TYPES = ["Vold", "Vinning", "Narkotika", "Skadeverk", "Trafikk", "Seksuallovbrudd",
               "Økonomi", "Annen"]
AGES = ["<10", "10", "11", "12", "13", "14", "15", "16", "17"]
GENDERS = ["Jenter", "Gutter"]


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def slt_cmd() -> list[str]:
    script = Path(sys.executable).with_name("slt")
    return [str(script)]


def bench_seed(runs: int = 5) -> dict:
    """Wall time of ``slt ingest`` of the seed workbook into a new database, from process start."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run([*slt_cmd(), "ingest", str(SEED), "--db", f"{tmp}/b.duckdb"],
                           check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": runs}


def kommuner(n: int) -> list[str]:
    import csv

    with open(REPO / "data" / "reference" / "kommuner_2024.csv", encoding="utf-8") as fh:
        names = [row["kommunenavn"] for row in csv.DictReader(fh)]
    return list(itertools.islice(itertools.cycle(names), n))


def write_long_csv(path: Path, rows: int) -> int:
    """A full cross table (kommune × year × type × age × gender) of about ``rows`` rows."""
    cells = len(CRIME_TYPES) * len(AGES) * len(GENDERS)
    n_regions = max(1, rows // (cells * 16))
    names = sorted(set(kommuner(min(n_regions, 357))))
    n_years = max(1, rows // (cells * len(names)))
    if n_years > 2025 - 1990 + 1:
        raise SystemExit(f"{rows:,} rows do not fit in 357 kommuner × 1990-2025 at full detail")
    years = list(range(2025 - n_years + 1, 2026))
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Kommune;År;Krimtype;Alder;Kjønn;Antall\n")
        for name in names:
            for year in years:
                block = []
                for i, (ct, age, gender) in enumerate(itertools.product(CRIME_TYPES, AGES,
                                                                        GENDERS)):
                    block.append(f"{name};{year};{ct};{age};{gender};{(i * 7 + year) % 13}\n")
                fh.write("".join(block))
                written += len(block)
    return written


def baseline(path: Path, db: Path) -> float:
    import duckdb
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_csv(path, sep=";", dtype=str)
    with duckdb.connect(str(db)) as con:
        con.register("frame", frame)
        con.execute("CREATE TABLE t AS SELECT * FROM frame")
    return time.perf_counter() - start


def ours(path: Path, db: Path) -> float:
    from etl.ingest import ingest_file

    start = time.perf_counter()
    outcome = ingest_file(path, db, today=dt.date(2026, 11, 23))
    elapsed = time.perf_counter() - start
    assert outcome.status == "accepted", outcome
    return elapsed


def bench_long(rows: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.csv"
        n = write_long_csv(path, rows)
        base = baseline(path, Path(tmp) / "base.duckdb")
        our = ours(path, Path(tmp) / "ours.duckdb")
    return {"rows": n, "ours_s": our, "ours_rows_per_s": n / our, "baseline_s": base,
            "baseline_rows_per_s": n / base, "ratio": base / our}


def report(seed: dict, longs: list[dict]) -> str:
    lines = [f"\n## {dt.datetime.now():%Y-%m-%d %H:%M} — bench_ingest.py", "",
             f"Machine: {machine()}", "",
             "| measure | result | aim | met |", "|---|---|---|---|",
             f"| `slt ingest` seed workbook, from process start (median of {seed['runs']}) "
             f"| {seed['median_s']:.2f} s (min {seed['min_s']:.2f} s) | < 1 s "
             f"| {'yes' if seed['median_s'] < 1 else 'no'} |"]
    for item in longs:
        aim = 1_000_000
        lines.append(
            f"| long CSV, {item['rows']:,} rows: ours (read, map, check, derive totals, "
            f"publish) | {item['ours_rows_per_s']:,.0f} rows/s ({item['ours_s']:.1f} s) "
            f"| > 500 000 rows/s (issue 2), > 1 000 000 (issue 7) "
            f"| {'yes' if item['ours_rows_per_s'] > aim else 'issue 2 only' if item['ours_rows_per_s'] > 500_000 else 'no'} |")
        lines.append(
            f"| same file, baseline pandas.read_csv + DuckDB insert | "
            f"{item['baseline_rows_per_s']:,.0f} rows/s ({item['baseline_s']:.1f} s); "
            f"ours/baseline speed = {item['ratio']:.2f} | — | — |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    seed = bench_seed()
    longs = [bench_long(n) for n in args.rows]
    text = report(seed, longs)
    print(text)
    if not args.no_write:
        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
