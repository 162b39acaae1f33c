"""Worker memory: peak RSS of real ``slt serve`` workers after every page and callback.

Run: ``.venv/bin/python bench/bench_memory.py`` (national synthetic store, ``--workers 2``,
every page for 25 regions; ``--db PATH``, ``--regions N`` to choose).  Prints the figures and
appends them, with the machine's description, to ``bench/RESULTS.md`` (``--no-write`` to print
only).  Aim (issue 7): a worker under 300 MB.

Each page is opened as a browser opens it (the page, the Dash Pages router callback and every
callback that fires on load, see :mod:`bench.dash_client`) for the country, every fylke and
police district and a spread of kommuner, from four sessions at once so every worker serves its
share.  Peak RSS is the kernel's high-water mark (``VmHWM`` in ``/proc/PID/status``) of each
process that answered, read after the visits; the RSS right after start-up is shown beside it,
and PSS / USS (shared pages divided / left out) say how much of it the worker has to itself.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.dash_client import (
    Server,
    Site,
    national_store,
    peak_rss_mb,
    send,
    shared_and_private_mb,
)

AIM_MB = 300


def spread(regions: list[str], n: int) -> list[str]:
    """The country, then regions evenly spread over the dropdown (fylker, districts, kommuner)."""
    first = [r for r in regions if r == "Hele landet"]
    rest = [r for r in regions if r != "Hele landet"]
    step = max(1, len(rest) // max(1, n - len(first)))
    return (first + rest[::step])[:n]


def run(db: Path, workers: int, n_regions: int) -> dict:
    with Server(db, workers=workers) as server:
        pids = sorted(server.worker_pids())
        at_start = {pid: peak_rss_mb(pid) for pid in pids}
        site = Site.capture(server.url)
        regions = spread(site.regions, n_regions)
        jobs = [(path, region) for region in regions for path in site.paths]
        errors: list[str] = []
        started = time.perf_counter()

        def visit(job: tuple[str, str]) -> int:
            session = requests.Session()
            sent = 0
            for step in site.visit(*job):
                ok, _seconds, detail = send(session, server.url, step)
                sent += 1
                if not ok:
                    errors.append(detail)
            return sent

        with ThreadPoolExecutor(max_workers=4) as pool:
            requests_sent = sum(pool.map(visit, jobs))
        elapsed = time.perf_counter() - started
        pids = sorted(set(pids) | server.worker_pids())
        after = {pid: peak_rss_mb(pid) for pid in pids}
        private = {pid: shared_and_private_mb(pid) for pid in pids}
        master = peak_rss_mb(server.process.pid) if workers > 1 else None
    return {"store": db.name, "workers": workers, "regions": len(regions),
            "pages": len(site.paths), "requests": requests_sent, "errors": errors,
            "elapsed": elapsed, "at_start": at_start, "after": after, "private": private,
            "master": master}


def report(r: dict, note: str) -> str:
    from bench.bench_ingest import machine

    peak = max(hwm for hwm, _rss in r["after"].values())
    lines = [f"\n## {time.strftime('%Y-%m-%d %H:%M')} — bench_memory.py (`slt serve --workers "
             f"{r['workers']}`, {r['store']})", "",
             f"Machine: {machine()}" + (f"; {note}" if note else ""), "",
             f"{r['pages']} pages × {r['regions']} regions = {r['requests']:,} requests "
             f"(page, router, callbacks) in {r['elapsed']:.0f} s, {len(r['errors'])} errors.", "",
             "| process | RSS after start | peak RSS after every page | RSS now | PSS / USS now "
             "| aim (peak RSS) | met |",
             "|---|---:|---:|---:|---:|---|---|"]
    for pid, (hwm, rss) in sorted(r["after"].items()):
        start = r["at_start"].get(pid, (float("nan"), float("nan")))[1]
        pss, uss = r["private"][pid]
        lines.append(f"| worker {pid} | {start:.0f} MB | {hwm:.0f} MB | {rss:.0f} MB "
                     f"| {pss:.0f} / {uss:.0f} MB | < {AIM_MB} MB "
                     f"| {'yes' if hwm < AIM_MB else 'no'} |")
    if r["master"]:
        lines.append(f"| gunicorn master | — | {r['master'][0]:.0f} MB | {r['master'][1]:.0f} MB "
                     "| — | — | — |")
    lines.append(f"\nLargest worker peak: {peak:.0f} MB (aim < {AIM_MB} MB: "
                 f"{'met' if peak < AIM_MB else 'not met'}).")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="default: the national synthetic store")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--regions", type=int, default=25)
    parser.add_argument("--note", default="", help="e.g. the load on the machine")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    result = run(args.db or national_store(), args.workers, args.regions)
    text = report(result, args.note)
    print(text)
    if not args.no_write:
        from bench.bench_ingest import RESULTS

        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(text)
    return result


if __name__ == "__main__":
    main()
