"""Load test: many browsers on a real ``slt serve --workers 2``, with one publish in the middle.

Run: ``.venv/bin/python bench/bench_load.py`` (50 clients for 60 s on the national synthetic
store; ``--quick`` for 10 clients × 10 s; ``--clients N --seconds S --db PATH`` to choose;
``--skip /rapport`` leaves a page out of the mix; ``--threads 1`` for synchronous workers;
``--ramp 5`` lets the users arrive over the first 5 s instead of all in the same instant;
``--default-region`` keeps every user on the pages' default region, as on one kommune's own
server, instead of one region drawn per user from the ~390 of the national store).
Prints the figures and appends them, with the machine's description, to ``bench/RESULTS.md``
(``--no-write`` to print only).

Each client is a thread with its own HTTP session, modelling one SLT coordinator: it keeps one
region (drawn from the region dropdown) and, until the time is up, opens a page the way a
browser does (GET the page, the Dash Pages router callback, every callback that fires on load —
see :mod:`bench.dash_client`), sends the page's data-version poll, and reads the page for a
think time (uniform between 0.4 and 1.6 × ``--think``, default 5 s) before the next one.
``--think 0 --region-per-visit`` is the saturation test instead: no pause, a new region (so new
queries) on every visit.  Halfway through, ``slt ingest`` loads
the seed workbook into the same database file (a private copy under ``bench/out/``, so the
national store stays as it was): the publish must cause no error, and every worker must serve
the new version afterwards.  Aims (issue 15): zero errors, p95 under 200 ms and p99 under
400 ms, also in the 10 s after the publish (reported on a line of its own, with the kinds of
request that make the tail of the first 10 s and of the 10 s after the publish).

The clients run on the same 2 cores as the server, so the figures include the load generator's
own CPU use; they are an upper bound on what the server alone would take.  The p95 of every
10 s of the run is shown beside the whole run's: the start (every cache cold, all users at once)
and the publish (every cache of the old version obsolete) are where the tail comes from.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.dash_client import (
    Server,
    Site,
    cpu_seconds,
    national_store,
    private_copy,
    remove_copy,
    send,
    slt_cmd,
)

PUBLISH_FILE = REPO / "data" / "sample" / "grenland_u18_2019-2024.xlsx"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def client(site: Site, stop: float, seed: int, results: list, errors: list, think: float,
           region_per_visit: bool, stored: list | None = None, ramp: float = 0.0,
           default_region: bool = False) -> None:
    rng = random.Random(seed)
    if ramp > 0:  # users arrive over the first ``ramp`` seconds instead of all at once
        time.sleep(rng.uniform(0, ramp))
    session = requests.Session()
    regions = site.regions or [None]
    mine = None if default_region else rng.choice(regions)  # None: the page's own default
    first = True
    while time.monotonic() < stop:
        if not first and think > 0:
            time.sleep(min(rng.uniform(0.4 * think, 1.6 * think),
                           max(0.0, stop - time.monotonic())))
        first = False
        path = rng.choice(site.paths)
        steps = site.visit(path, rng.choice(regions) if region_per_visit else mine)
        if (poll := site.poll_request(path)) is not None:
            steps.append(poll)
        for step in steps:
            if time.monotonic() >= stop:
                return
            hit: list[bool] = []
            ok, seconds, detail = send(session, site.url, step, stored=hit)
            results.append((step[0], seconds, time.monotonic()))
            if stored is not None and hit:
                stored.append((step[0], hit[0]))
            if not ok:
                errors.append(detail)


def publish(db: Path, at: float, record: dict) -> None:
    time.sleep(max(0.0, at - time.monotonic()))
    start = time.perf_counter()
    done = subprocess.run([*slt_cmd(), "ingest", str(PUBLISH_FILE), "--db", str(db),
                           "--user", "bench_load"], check=False, capture_output=True,
                          text=True)
    record.update(seconds=time.perf_counter() - start, returncode=done.returncode,
                  output=(done.stdout + done.stderr).strip().splitlines()[:1],
                  finished=time.monotonic())


def _slowest(timed: list[tuple[str, float]], n: int = 4) -> list[tuple[str, int, float]]:
    """(kind, requests, p95) of the kinds of request with the highest p95 (a callback by its
    first output's id): which requests make a window's tail."""
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, seconds in timed:
        by_kind[kind].append(seconds)
    ranked = sorted(((k, len(v), percentile(v, .95)) for k, v in by_kind.items()),
                    key=lambda item: -item[2])
    return ranked[:n]


def run(db: Path, clients: int, seconds: float, workers: int = 2,
        skip: tuple[str, ...] = (), think: float = 5.0, region_per_visit: bool = False,
        threads: int | None = None, ramp: float = 0.0, default_region: bool = False) -> dict:
    from dashboard.server import THREADS

    threads = threads or THREADS
    copy = private_copy(db, "load")
    try:
        with Server(copy, workers=workers, threads=threads) as server:
            site = Site.capture(server.url)
            site.paths = [p for p in site.paths if p not in skip]
            before = requests.get(server.url + "/helse", timeout=10).json()["last_upload_id"]
            results: list = []
            errors: list = []
            published: dict = {}
            stored: list = []
            workers_before = server.worker_pids()
            cpu_before = {pid: cpu_seconds(pid) for pid in workers_before}
            client_cpu = time.process_time()
            begin = time.monotonic()
            stop = begin + seconds
            users = [threading.Thread(target=client, args=(site, stop, i, results, errors,
                                                           think, region_per_visit, stored,
                                                           ramp, default_region))
                     for i in range(clients)]
            users.append(threading.Thread(target=publish,
                                          args=(copy, begin + seconds / 2, published)))
            for thread in users:
                thread.start()
            for thread in users:
                thread.join()
            elapsed = time.monotonic() - begin
            client_cpu = time.process_time() - client_cpu
            server_cpu = sum(cpu_seconds(pid) - cpu_before[pid] for pid in cpu_before
                             if Path(f"/proc/{pid}").exists())
            seen = {requests.get(server.url + "/helse", timeout=10).json()["last_upload_id"]
                    for _ in range(4 * workers)}
            pids = server.worker_pids()
            logged = server.errors_logged()
    finally:
        remove_copy(copy)
    latencies = [s for _, s, _ in results]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, s, _ in results:
        by_kind["callback" if kind.startswith("callback") else kind].append(s)
    after_publish = [s for _, s, t in results if t >= published.get("finished", float("inf"))]
    finished = published.get("finished", float("inf"))
    publish_window = [s for _, s, t in results if finished <= t < finished + 10]
    first_window = [(kind, s) for kind, s, t in results if t < begin + 10]
    windows: dict[int, list[float]] = defaultdict(list)  # p95 per 10 s of the run
    for _, s, t in results:
        windows[min(int((t - begin) // 10), int(seconds // 10) - 1)].append(s)
    return {
        "clients": clients, "seconds": seconds, "workers": workers, "threads": threads,
        "ramp": ramp, "default_region": default_region,
        "elapsed": elapsed,
        "requests": len(results), "errors": len(errors), "error_kinds": Counter(errors),
        "p50": percentile(latencies, .50), "p95": percentile(latencies, .95),
        "p99": percentile(latencies, .99), "max": max(latencies),
        "throughput": len(results) / elapsed,
        "kinds": {k: (len(v), percentile(v, .5), percentile(v, .95)) for k, v in by_kind.items()},
        "pages": len(site.paths), "callbacks": len(site.callbacks),
        "publish": published, "upload_before": before, "uploads_seen_after": sorted(seen),
        "answering_workers": len(pids), "after_publish_p95": (percentile(after_publish, .95)
                                                              if after_publish else None),
        "publish_window": ((len(publish_window), percentile(publish_window, .95),
                            percentile(publish_window, .99)) if publish_window else None),
        "slowest_first": _slowest(first_window),
        "slowest_after_publish": _slowest([(kind, s) for kind, s, t in results
                                           if finished <= t < finished + 10]),
        "store": db.name, "mean": statistics.fmean(latencies), "skipped": list(skip),
        "paths": list(site.paths), "think": think, "region_per_visit": region_per_visit,
        "server_log_errors": logged, "server_cpu": server_cpu, "client_cpu": client_cpu,
        "windows": {w * 10: (len(v), percentile(v, .95)) for w, v in sorted(windows.items())},
        "publish_at": published.get("finished", begin) - begin,
        "stored_answers": sum(hit for kind, hit in stored if kind != "page"),
        "dash_requests": sum(1 for kind, _ in stored if kind != "page"),
    }


def report(r: dict, note: str) -> str:
    from bench.bench_ingest import machine

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f}"
    publish = r["publish"]
    published_ok = publish.get("returncode") == 0 and len(r["uploads_seen_after"]) == 1 \
        and r["uploads_seen_after"][0] != r["upload_before"]
    lines = [f"\n## {time.strftime('%Y-%m-%d %H:%M')} — bench_load.py "
             f"({r['clients']} clients × {r['seconds']:.0f} s, `slt serve --workers "
             f"{r['workers']} --threads {r.get('threads', 1)}`, {r['store']}"
             + (f", without {', '.join(r['skipped'])}" if r["skipped"] else "")
             + (f", think time {r['think']:g} s" if r["think"] else ", no think time")
             + (f", users arriving over the first {r['ramp']:g} s" if r.get("ramp") else "")
             + (", a new region every visit" if r["region_per_visit"] else
                ", every client on the default region" if r.get("default_region") else
                ", one region per client") + ")", "",
             f"Machine: {machine()}" + (f"; {note}" if note else ""), "",
             "| measure | result | aim | met |", "|---|---|---|---|",
             (f"| requests (pages, router, on-load callbacks, polls) over the pages "
             f"{' '.join(r['paths'])} | {r['requests']:,} in {r['elapsed']:.0f} s = "
             f"{r['throughput']:.1f} req/s | — | — |"),
             f"| errors | {r['errors']}"
             + (f" ({'; '.join(f'{k} ×{n}' for k, n in r['error_kinds'].most_common(3))})"
                if r['errors'] else "")
             + f"; exceptions in the server log: {len(r['server_log_errors'])}"
             + f" | 0 | {'yes' if r['errors'] == 0 and not r['server_log_errors'] else 'no'} |",
             (f"| latency p50 / p95 / p99 (max) | {ms(r['p50'])} / {ms(r['p95'])} / "
             f"{ms(r['p99'])} ms ({ms(r['max'])} ms) | p95 < 200 ms, p99 < 400 ms "
             f"| {'yes' if r['p95'] < 0.2 and r['p99'] < 0.4 else 'no'} |")]
    for kind, (n, p50, p95) in sorted(r["kinds"].items()):
        lines.append(f"| … {kind}: {n:,} requests | p50 {ms(p50)} / p95 {ms(p95)} ms | — | — |")
    if r.get("windows"):
        lines.append("| p95 per 10 s (from the start; every cache is cold at the start and after "
                     f"the publish, which ended at {r['publish_at']:.0f} s) | "
                     + "; ".join(f"{start}–{start + 10} s: {ms(p95)} ms"
                                 for start, (_n, p95) in r["windows"].items()) + " | — | — |")
    if r.get("publish_window"):
        n, p95, p99 = r["publish_window"]
        lines.append(f"| the 10 s after the publish: p95 / p99 ({n:,} requests) | {ms(p95)} / "
                     f"{ms(p99)} ms | p95 < 200 ms, p99 < 400 ms | "
                     f"{'yes' if p95 < 0.2 and p99 < 0.4 else 'no'} |")
    for label, key in (("the first 10 s", "slowest_first"),
                       ("the 10 s after the publish", "slowest_after_publish")):
        if r.get(key):
            lines.append(f"| slowest kinds of request in {label} (p95) | "
                         + "; ".join(f"{kind} ×{n}: {ms(p95)} ms" for kind, n, p95 in r[key])
                         + " | — | — |")
    if r.get("dash_requests"):
        lines.append(f"| stored answers (`X-SLT-Svar: lagret`, shared by the workers per data "
                     f"version) | {r['stored_answers']:,} of {r['dash_requests']:,} callback, "
                     f"router and poll requests ({r['stored_answers'] / r['dash_requests']:.0%})"
                     " | — | — |")
    per_request = r["server_cpu"] / max(1, r["requests"])
    lines.append(f"| server CPU (both workers, all threads) | {r['server_cpu']:.1f} s = "
                 f"{per_request * 1000:.0f} ms per request; 2 cores ≈ "
                 f"{2 / per_request if per_request else 0:.0f} req/s at most; the load generator "
                 f"itself used {r['client_cpu']:.1f} s of CPU "
                 f"({r['client_cpu'] / r['elapsed']:.2f} "
                 "cores) | — | — |")
    lines.append(
        f"| publish in the middle (`slt ingest` seed workbook) | "
        f"{publish.get('seconds', float('nan')):.1f} s, exit {publish.get('returncode')}; upload "
        f"id {r['upload_before']} → {r['uploads_seen_after']} on every worker after; p95 after "
        f"it {ms(r['after_publish_p95']) if r['after_publish_p95'] else '—'} ms "
        f"| reaches every worker, no errors "
        f"| {'yes' if published_ok and not r['errors'] else 'no'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="default: the national synthetic store")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None,
                        help="threads per worker (default: the server's; 1: sync workers)")
    parser.add_argument("--quick", action="store_true", help="10 clients × 10 s")
    parser.add_argument("--think", type=float, default=5.0,
                        help="mean seconds a user reads a page before the next (0: none)")
    parser.add_argument("--ramp", type=float, default=0.0,
                        help="seconds over which the users arrive (default 0: all at once)")
    parser.add_argument("--region-per-visit", action="store_true",
                        help="a new region on every visit instead of one per client")
    parser.add_argument("--default-region", action="store_true",
                        help="every client keeps the pages' default region (one kommune's own "
                             "server) instead of one drawn per client")
    parser.add_argument("--skip", action="append", default=[], metavar="PATH",
                        help="leave a page out of the mix (repeatable), e.g. --skip /rapport")
    parser.add_argument("--note", default="", help="e.g. the load on the machine")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    clients = args.clients or (10 if args.quick else 50)
    seconds = args.seconds or (10 if args.quick else 60)
    result = run(args.db or national_store(), clients, seconds, args.workers, tuple(args.skip),
                 args.think, args.region_per_visit, args.threads, args.ramp,
                 args.default_region)
    text = report(result, args.note)
    print(text)
    if not args.no_write:
        from bench.bench_ingest import RESULTS

        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(text)
    return result


if __name__ == "__main__":
    main()
