"""bench_ingest reports CPU time beside wall time, and the machine's load: on shared cores
the wall time alone says more about the neighbours than about the code."""

from __future__ import annotations

from bench import bench_ingest


def test_ingest_bench_reports_cpu_time_and_load():
    item = bench_ingest.bench_long(3000)
    for side in ("ours", "baseline", "duckdb"):
        assert 0 < item[side]["cpu_seconds"] < 60
    text = bench_ingest.report(None, [item], load=bench_ingest.load_average())
    assert "load average before the run: " in text
    assert text.count("; CPU ") == 3


def test_ingest_bench_gives_each_file_its_load_and_cpu_ratios():
    item = bench_ingest.bench_long(3000)
    text = bench_ingest.report(None, [item], load=bench_ingest.load_average())
    assert "load average over this file's runs: " in text
    assert "÷ pandas: speed " in text and text.count(" (CPU ") == 2
