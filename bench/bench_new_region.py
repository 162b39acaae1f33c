"""Server CPU of a new region's first visits: every public page, in-process, one region at a time.

Run: ``.venv/bin/python bench/bench_new_region.py [--regions 12] [--profile FILE]``.  Builds the
served app of ``slt serve`` (:func:`dashboard.server.build`: stored answers included) on the
national synthetic store, then for each of ``--regions`` regions drawn (fixed seed) from the
region list opens every public page as a browser does (:mod:`dashboard.visits`: the page, the
router, every callback that fires on load) through Flask's test client — no socket, no other
thread — and reads the process's CPU time around it.  This is the load test's tail
(``bench_load.py``: one region per user) without the load generator and the queueing: what one
new (region, page) pair costs the server.  ``--profile FILE`` writes a cProfile of the visits
(``python -m pstats FILE``).  Prints only; the figures go into ``bench/RESULTS.md`` by hand.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=12)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the visits here")
    parser.add_argument("--db", type=Path, help="default: the national synthetic store")
    args = parser.parse_args()
    from bench.dash_client import national_store
    from dashboard import answer_cache
    from dashboard.server import _set_up, build
    from dashboard.visits import LocalSession, Site

    app = build(args.db or national_store())
    _set_up(app)
    session = LocalSession(app.server.test_client())
    site = Site.capture("", session)
    paths = [p for p in site.paths if p in answer_cache.PUBLIC_PAGES]
    regions = random.Random(args.seed).sample(site.regions[1:], args.regions)
    # Warm what every worker loads once (modules, the kommune shapes, plotly's classes), on a
    # region not measured.
    for path in paths:
        _visit(session, site, path, site.regions[0])
    gc.collect()
    gc.freeze()  # as the server does before it forks its workers (dashboard.server)
    collected = _gc_time()
    profile = cProfile.Profile() if args.profile else None
    per_region, per_kind, sizes = [], defaultdict(list), defaultdict(list)
    for region in regions:
        start = time.process_time()
        if profile:
            profile.enable()
        for path in paths:
            for kind, cpu, size in _visit(session, site, path, region):
                per_kind[kind].append(cpu)
                sizes[kind].append(size)
        if profile:
            profile.disable()
        per_region.append(time.process_time() - start)
    if profile:
        profile.dump_stats(args.profile)
    gc_seconds = collected()
    print(f"{len(regions)} new regions × {len(paths)} pages: CPU per region median "
          f"{statistics.median(per_region) * 1000:.0f} ms, mean "
          f"{statistics.mean(per_region) * 1000:.0f} ms, min {min(per_region) * 1000:.0f}, "
          f"max {max(per_region) * 1000:.0f} ms; of it in garbage collection "
          f"{gc_seconds / len(regions) * 1000:.0f} ms per region")
    print("| request | mean CPU ms | max CPU ms | mean answer kB |\n|---|---:|---:|---:|")
    for kind, cpus in sorted(per_kind.items(), key=lambda kv: -sum(kv[1])):
        print(f"| {kind} | {statistics.mean(cpus) * 1000:.1f} | {max(cpus) * 1000:.1f} | "
              f"{statistics.mean(sizes[kind]) / 1000:.1f} |")


def _gc_time():
    """Start counting the CPU time of the garbage collector; returns the function that reads
    the total so far."""
    state = {"total": 0.0, "start": 0.0}

    def timed(phase, _info):
        if phase == "start":
            state["start"] = time.process_time()
        else:
            state["total"] += time.process_time() - state["start"]

    gc.callbacks.append(timed)
    return lambda: state["total"]


def _visit(session, site, path: str, region: str) -> list[tuple[str, float, int]]:
    out = []
    for kind, url, body in site.visit(path, region):
        start = time.process_time()
        if body is None:
            answer = session.get(url)
        else:
            answer = session.post(url, data=json.dumps(body),
                                  headers={"Content-Type": "application/json"})
        answer.raise_for_status()
        out.append((kind if kind != "router" else f"router {path}",
                    time.process_time() - start, len(answer.response.get_data())))
    return out


if __name__ == "__main__":
    main()
