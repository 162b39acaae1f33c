"""Ingest benchmarks: the seed workbook from process start, and long CSVs in rows per second.

Run: ``.venv/bin/python bench/bench_ingest.py`` (1 M and 10 M rows; ``--rows 1000000`` for the
first only).  Prints the figures and appends them, with the machine's description, to
``bench/RESULTS.md``.

The baseline for the long CSV is what a careful analyst would write by hand: ``pandas.read_csv``
then one DuckDB ``INSERT`` of the frame — no label mapping, no checks, no derived totals.  Each
side runs in a fresh child process on the same file, so its peak RSS is its own (``wait4``);
the ratios say what our checks cost (or save) against that.

A full national cross table is under a million rows (357 kommuner × 16 years × 144 cells), and
the engine accepts only years from 1990 and known regions.  So the 10 M file is the full cross
table for 1990-2025 (36 years) over the real kommuner *plus synthetic ones*: a copy of the
region catalogue under ``bench/out/`` (``SLT_DATA_DIR``) gets kommuner ``Syntetisk 6001`` …
with unused numbers 6001-…, each in a real fylke and police district, so every row is a
plausible, distinct observation that goes through every check, as at a larger country's scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import shutil
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


CELLS = len(CRIME_TYPES) * len(AGES) * len(GENDERS)
FIRST_YEAR, LAST_YEAR = 1990, 2025  # the engine's plausible years
OUT = REPO / "bench" / "out"


def kommuner() -> list[dict]:
    import csv

    with open(REPO / "data" / "reference" / "kommune_fylke_politidistrikt_2024.csv",
              encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def synthetic_data_dir(extra: int) -> Path:
    """A copy of ``data/`` whose region catalogue has ``extra`` synthetic kommuner more."""
    import csv

    root = OUT / f"data_plus_{extra}"
    table = root / "reference" / "kommune_fylke_politidistrikt_2024.csv"
    if table.exists():
        return root
    shutil.copytree(REPO / "data" / "reference", root / "reference", dirs_exist_ok=True)
    real = kommuner()
    with open(table, "a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for i in range(extra):
            model = real[i % len(real)]
            writer.writerow([str(6001 + i), f"Syntetisk {6001 + i}", model["fylkesnummer"],
                             model["fylkesnavn"], model["politidistriktnummer"],
                             model["politidistrikt"], "False"])
    return root


def plan(rows: int) -> tuple[list[str], list[int], Path | None]:
    """Kommune names, years and (for more than the real kommuner hold) the data dir to use."""
    real = [k["kommunenavn"] for k in kommuner()]
    n_years = min(LAST_YEAR - FIRST_YEAR + 1, max(1, rows // (CELLS * len(real))))
    n_regions = max(1, rows // (CELLS * n_years))
    if n_years < LAST_YEAR - FIRST_YEAR + 1:  # fits in the real kommuner: no synthetic ones
        n_regions = min(n_regions, len(real))
    years = list(range(LAST_YEAR - n_years + 1, LAST_YEAR + 1))
    if n_regions <= len(real):
        return real[:n_regions], years, None
    extra = n_regions - len(real)
    return real + [f"Syntetisk {6001 + i}" for i in range(extra)], years, synthetic_data_dir(extra)


def write_long_csv(path: Path, rows: int) -> tuple[int, Path | None]:
    """A full cross table (kommune × year × type × age × gender) of about ``rows`` rows."""
    names, years, data_dir = plan(rows)
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
    return written, data_dir


def baseline(path: Path, db: Path) -> None:
    import duckdb
    import pandas as pd

    frame = pd.read_csv(path, sep=";", dtype=str)
    with duckdb.connect(str(db)) as con:
        con.register("frame", frame)
        con.execute("CREATE TABLE t AS SELECT * FROM frame")


def ours(path: Path, db: Path) -> None:
    from etl.ingest import ingest_file

    outcome = ingest_file(path, db, today=dt.date(2026, 11, 23))
    assert outcome.status == "accepted", outcome


def run_child(side: str, path: Path, db: Path, data_dir: Path | None) -> dict:
    """One side in a fresh process: its time (measured inside) and its peak RSS (``wait4``)."""
    env = {**os.environ, **({"SLT_DATA_DIR": str(data_dir)} if data_dir else {})}
    child = subprocess.Popen([sys.executable, __file__, "--child", side, str(path), str(db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = child.stdout.read(), child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        return {"error": f"exit {child.returncode}: {err.decode()[-400:]}",
                "rss_mb": usage.ru_maxrss / 1024}
    return {**json.loads(out), "rss_mb": usage.ru_maxrss / 1024}


def bench_long(rows: int) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        path = Path(tmp) / "long.csv"
        n, data_dir = write_long_csv(path, rows)
        mb = path.stat().st_size / 2**20
        base = run_child("baseline", path, Path(tmp) / "base.duckdb", data_dir)
        our = run_child("ours", path, Path(tmp) / "ours.duckdb", data_dir)
    result = {"rows": n, "file_mb": mb, "ours": our, "baseline": base,
              "synthetic_regions": data_dir is not None}
    if "seconds" in our and "seconds" in base:
        result["speed_ratio"] = base["seconds"] / our["seconds"]
        result["rss_ratio"] = our["rss_mb"] / base["rss_mb"]
    return result


def _side(item: dict, side: str) -> str:
    found = item[side]
    if "error" in found:
        return f"failed after peak RSS {found['rss_mb']:,.0f} MB: {found['error'][:160]}"
    return (f"{item['rows'] / found['seconds']:,.0f} rows/s ({found['seconds']:.1f} s; CPU "
            f"{found['cpu_seconds']:.1f} s), peak RSS {found['rss_mb']:,.0f} MB")


def report(seed: dict | None, longs: list[dict], note: str = "", load: str = "") -> str:
    lines = [f"\n## {dt.datetime.now():%Y-%m-%d %H:%M} — bench_ingest.py", "",
             f"Machine: {machine()}; {load}" + (f"; {note}" if note else ""), "",
             "| measure | result | aim | met |", "|---|---|---|---|"]
    if seed:
        lines.append(
            f"| `slt ingest` seed workbook, from process start (median of {seed['runs']}) "
            f"| {seed['median_s']:.2f} s (min {seed['min_s']:.2f} s) | < 1 s "
            f"| {'yes' if seed['median_s'] < 1 else 'no'} |")
    for item in longs:
        ours_ok = "seconds" in item["ours"]
        speed = item["rows"] / item["ours"]["seconds"] if ours_ok else 0
        met = "yes" if speed > 1_000_000 else "issue 2 only" if speed > 500_000 else "no"
        kind = "synthetic kommuner added" if item["synthetic_regions"] else "real kommuner"
        lines.append(
            f"| long CSV, {item['rows']:,} rows ({item['file_mb']:,.0f} MB, {kind}): ours "
            f"(read, map, check, derive totals, publish) | {_side(item, 'ours')} "
            f"| > 500 000 rows/s (issue 2), > 1 000 000 (issue 7) | {met} |")
        ratios = (f"; ours/baseline: speed {item['speed_ratio']:.2f}, peak RSS "
                  f"{item['rss_ratio']:.2f}" if "speed_ratio" in item else "")
        lines.append(f"| same file, baseline pandas.read_csv + DuckDB insert "
                     f"| {_side(item, 'baseline')}{ratios} | — | — |")
    return "\n".join(lines) + "\n"


def child(side: str, path: Path, db: Path) -> None:
    """Wall time and CPU time (every thread of the process: DuckDB's too) of one side,
    after its imports."""
    import duckdb  # noqa: F401  (imports are not part of either side's time)
    import pandas  # noqa: F401

    if side == "ours":
        import etl.ingest  # noqa: F401
    run = ours if side == "ours" else baseline
    start, cpu = time.perf_counter(), time.process_time()
    run(path, db)
    print(json.dumps({"seconds": time.perf_counter() - start,
                      "cpu_seconds": time.process_time() - cpu}))


def load_average() -> str:
    return "load average before the run: " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--no-seed", action="store_true", help="skip the seed workbook")
    parser.add_argument("--note", default="", help="e.g. the load on the machine")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--child", nargs=3, metavar=("SIDE", "CSV", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    load = load_average()
    seed = None if args.no_seed else bench_seed()
    longs = []
    for n in args.rows:
        longs.append(bench_long(n))
        print(report(seed, longs[-1:], load=load), flush=True)
    text = report(seed, longs, args.note, load)
    print(text)
    if not args.no_write:
        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
