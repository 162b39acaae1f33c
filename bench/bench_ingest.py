"""Ingest benchmarks: the seed workbook from process start, and long CSVs in rows per second.

Run: ``.venv/bin/python bench/bench_ingest.py`` (1 M rows in two shapes and 10 M rows in a
third; ``--rows 1000000 [--shape tab-cp1252]`` for one).  Prints the figures and appends them,
with the machine's description, to ``bench/RESULTS.md``.

Ours is ``slt ingest FILE``'s engine, also the upload page's (:func:`etl.dispatch.ingest_any`:
it decides the kind of file from its content, reads, checks and publishes), given only the
file.  The files are not shaped for it: ``;`` with Norwegian headers in UTF-8, tab with English
headers in Windows-1252, ``,`` with other Norwegian spellings and another column order behind
a BOM (:data:`SHAPES`).  Two references read the same file, each told its delimiter and
encoding: the baseline is what a careful analyst would write by hand, ``pandas.read_csv`` then
one DuckDB ``INSERT`` of the frame — no label mapping, no checks, no derived totals; the
physical reference is DuckDB's own ``read_csv`` into a table.  Each side runs in a fresh child
process on the same file, so its peak RSS is its own (``wait4``); the ratios say what our
checks cost (or save) against each.

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
SEED_AIM_S = 0.7  # issue 15: the seed workbook from process start
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
    shutil.rmtree(root, ignore_errors=True)  # made afresh: the reference files change
    shutil.copytree(REPO / "data" / "reference", root / "reference")
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


# Files not shaped for our code: the delimiters, header spellings, column orders and
# encodings a police district's export may have.  Each side is told the delimiter and encoding
# (the baseline's author knows the file); ours is given only the file.
SHAPES = {
    "semikolon": {"delimiter": ";", "encoding": "utf-8",
                  "header": ["År", "Kommune", "Krimtype", "Alder", "Kjønn", "Antall"],
                  "order": ("year", "region", "crime_type", "age", "gender", "count")},
    "tab-cp1252": {"delimiter": "\t", "encoding": "cp1252",
                   "header": ["Region", "Year", "Crime type", "Age", "Gender", "Count"],
                   "order": ("region", "year", "crime_type", "age", "gender", "count")},
    "komma-bom": {"delimiter": ",", "encoding": "utf-8-sig",
                  "header": ["Geografi", "Lovbruddsgruppe", "Alder", "Kjønn", "År", "Antall"],
                  "order": ("region", "crime_type", "age", "gender", "year", "count")},
}
DEFAULT_RUNS = [(1_000_000, "semikolon"), (1_000_000, "tab-cp1252"), (10_000_000, "komma-bom")]


def write_long_csv(path: Path, rows: int, shape: str = "semikolon") -> tuple[int, Path | None]:
    """A full cross table (kommune × year × type × age × gender) of about ``rows`` rows."""
    names, years, data_dir = plan(rows)
    spec = SHAPES[shape]
    sep, order = spec["delimiter"], spec["order"]
    written = 0
    with open(path, "w", encoding=spec["encoding"], newline="") as fh:
        fh.write(sep.join(spec["header"]) + "\n")
        for year in years:
            for name in names:
                block = []
                for i, (ct, age, gender) in enumerate(itertools.product(CRIME_TYPES, AGES,
                                                                        GENDERS)):
                    cells = {"year": year, "region": name, "crime_type": ct, "age": age,
                             "gender": gender, "count": (i * 7 + year) % 13}
                    block.append(sep.join(str(cells[c]) for c in order) + "\n")
                fh.write("".join(block))
                written += len(block)
    return written, data_dir


def baseline(path: Path, db: Path, shape: str) -> None:
    """What an analyst would write by hand: pandas.read_csv, one DuckDB insert, no checks."""
    import duckdb
    import pandas as pd

    spec = SHAPES[shape]
    frame = pd.read_csv(path, sep=spec["delimiter"], dtype=str, encoding=spec["encoding"])
    with duckdb.connect(str(db)) as con:
        con.register("frame", frame)
        con.execute("CREATE TABLE t AS SELECT * FROM frame")


def bare_duckdb(path: Path, db: Path, shape: str) -> None:
    """The physical reference: DuckDB's own CSV reader into a table of a database file."""
    import duckdb

    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, delim=?, header=true)",
                    [str(path), SHAPES[shape]["delimiter"]])


def ours(path: Path, db: Path, shape: str) -> None:
    """``slt ingest FILE``'s engine (also the upload page's): classify, read, check, publish."""
    from etl.dispatch import ingest_any

    outcome = ingest_any(path, db)
    assert outcome.status == "accepted", outcome


SIDES = {"ours": ours, "baseline": baseline, "duckdb": bare_duckdb}


def run_child(side: str, path: Path, db: Path, data_dir: Path | None,
              shape: str = "semikolon") -> dict:
    """One side in a fresh process: its time (measured inside) and its peak RSS (``wait4``)."""
    env = {**os.environ, **({"SLT_DATA_DIR": str(data_dir)} if data_dir else {})}
    child = subprocess.Popen([sys.executable, __file__, "--child", side, str(path), str(db),
                              shape],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = child.stdout.read(), child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        return {"error": f"exit {child.returncode}: {err.decode()[-400:]}",
                "rss_mb": usage.ru_maxrss / 1024}
    return {**json.loads(out), "rss_mb": usage.ru_maxrss / 1024}


def _twin(path: Path, shape: str) -> Path:
    """The file DuckDB's own reader reads: a Windows-1252 file as UTF-8 (its reader has no
    Windows-1252 without the encodings extension, which cannot be downloaded here; its
    ``latin-1`` refuses the letters Windows-1252 adds, e.g. «š» in Kárášjohka).  Converted a
    block at a time: this process's peak RSS is the floor of every child's (``vfork``)."""
    if SHAPES[shape]["encoding"] != "cp1252":
        return path
    twin = path.with_name("utf8-" + path.name)
    with open(path, "rb") as src, open(twin, "wb") as out:
        for block in iter(lambda: src.read(1 << 22), b""):
            out.write(block.decode("cp1252").encode("utf-8"))
    return twin


def bench_long(rows: int, shape: str = "semikolon") -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        path = Path(tmp) / "long.csv"
        n, data_dir = write_long_csv(path, rows, shape)
        mb = path.stat().st_size / 2**20
        load_before = os.getloadavg()[0]
        found = {side: run_child(side, _twin(path, shape) if side == "duckdb" else path,
                                 Path(tmp) / f"{side}.duckdb", data_dir, shape)
                 for side in ("duckdb", "baseline", "ours")}
    result = {"rows": n, "file_mb": mb, "shape": shape, **found,
              "synthetic_regions": data_dir is not None,
              "load": (load_before, os.getloadavg()[0])}
    our = found["ours"]
    for ref, name in (("baseline", "speed_ratio"), ("duckdb", "duckdb_ratio")):
        if "seconds" in our and "seconds" in found[ref]:
            result[name] = found[ref]["seconds"] / our["seconds"]
            # CPU seconds: what the wall-clock ratio would be with a core per thread
            result[f"cpu_{name}"] = found[ref]["cpu_seconds"] / our["cpu_seconds"]
    if "seconds" in our and "seconds" in found["baseline"]:
        result["rss_ratio"] = our["rss_mb"] / found["baseline"]["rss_mb"]
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
            f"| {seed['median_s']:.2f} s (min {seed['min_s']:.2f} s) | < {SEED_AIM_S} s "
            f"| {'yes' if seed['median_s'] < SEED_AIM_S else 'no'} |")
    for item in longs:
        kind = "synthetic kommuner added" if item["synthetic_regions"] else "real kommuner"
        spec = SHAPES[item["shape"]]
        shown = {"\t": "tab"}.get(spec["delimiter"], spec["delimiter"])
        ratios = []
        if "speed_ratio" in item:
            ratios.append(f"÷ pandas: speed {item['speed_ratio']:.2f} (CPU "
                          f"{item['cpu_speed_ratio']:.2f}), peak RSS {item['rss_ratio']:.2f}")
        if "duckdb_ratio" in item:
            ratios.append(f"÷ bare DuckDB: speed {item['duckdb_ratio']:.2f} (CPU "
                          f"{item['cpu_duckdb_ratio']:.2f})")
        if "load" in item:
            ratios.append("load average over this file's runs: {:.1f} → {:.1f}".format(
                *item["load"]))
        met = ("yes" if item.get("speed_ratio", 0) >= 1 and item.get("duckdb_ratio", 0) >= 0.5
               and item.get("rss_ratio", 9) <= 1 else "no")
        lines.append(
            f"| long CSV, {item['rows']:,} rows ({item['file_mb']:,.0f} MB, «{shown}», "
            f"{spec['encoding']}, headers {' / '.join(spec['header'])}; {kind}): ours, "
            f"`slt ingest`'s engine (classify, read, map, check, derive totals, publish) "
            f"| {_side(item, 'ours')}; {'; '.join(ratios)} "
            f"| ≥ 1.0 × pandas and ≥ 0.5 × bare DuckDB speed, RSS ≤ pandas | {met} |")
        lines.append(f"| same file, baseline pandas.read_csv + DuckDB insert (no checks) "
                     f"| {_side(item, 'baseline')} | — | — |")
        twin = " (its UTF-8 copy)" if spec["encoding"] == "cp1252" else ""
        lines.append(f"| same file{twin}, bare DuckDB `read_csv` into a table (physical reference) "
                     f"| {_side(item, 'duckdb')} | — | — |")
    return "\n".join(lines) + "\n"


def child(side: str, path: Path, db: Path, shape: str) -> None:
    """Wall time and CPU time (every thread of the process: DuckDB's too) of one side,
    after its imports."""
    import duckdb  # noqa: F401  (imports are not part of either side's time)
    import pandas  # noqa: F401

    if side == "ours":
        import etl.dispatch  # noqa: F401
    start, cpu = time.perf_counter(), time.process_time()
    SIDES[side](path, db, shape)
    print(json.dumps({"seconds": time.perf_counter() - start,
                      "cpu_seconds": time.process_time() - cpu}))


def load_average() -> str:
    return "load average before the run: " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=None,
                        help="sizes to run (default: 1 M in two shapes and 10 M)")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="semikolon",
                        help="the shape of the files of --rows")
    parser.add_argument("--no-seed", action="store_true", help="skip the seed workbook")
    parser.add_argument("--note", default="", help="e.g. the load on the machine")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--child", nargs=4, metavar=("SIDE", "CSV", "DB", "SHAPE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]), args.child[3])
        return
    load = load_average()
    seed = None if args.no_seed else bench_seed()
    longs = []
    runs = [(n, args.shape) for n in args.rows] if args.rows is not None else DEFAULT_RUNS
    for n, shape in runs:
        longs.append(bench_long(n, shape))
        print(report(seed, longs[-1:], load=load), flush=True)
    text = report(seed, longs, args.note, load)
    print(text)
    if not args.no_write:
        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
