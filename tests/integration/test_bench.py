"""The benchmark scripts still run, in a tiny mode on the bundled sample, so they cannot rot."""

from __future__ import annotations

import pytest

from bench import bench_ingest, bench_load, bench_memory
from etl.sample import build_sample


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "sample.duckdb"
    list(build_sample(path))
    return path


def test_load_test_replays_pages_and_callbacks_and_survives_a_publish(sample_db):
    result = bench_load.main(["--db", str(sample_db), "--clients", "3", "--seconds", "3",
                              "--think", "0", "--region-per-visit", "--no-write"])
    assert result["errors"] == 0, result["error_kinds"]
    assert result["server_log_errors"] == []
    assert result["callbacks"] > 5 and result["kinds"]["callback"][0] > 0
    assert result["publish"]["returncode"] == 0
    assert len(result["uploads_seen_after"]) == 1
    assert result["uploads_seen_after"][0] != result["upload_before"]
    assert "p95" in bench_load.report(result, "test")


def test_memory_bench_reads_the_peak_of_every_worker(sample_db):
    result = bench_memory.main(["--db", str(sample_db), "--regions", "1", "--no-write"])
    assert result["errors"] == []
    assert len(result["after"]) == 2
    assert all(peak >= now > 50 for peak, now in result["after"].values())


def test_ingest_bench_measures_both_sides_in_child_processes():
    item = bench_ingest.bench_long(3000)
    assert item["rows"] == 2880 and not item["synthetic_regions"]
    assert item["ours"]["seconds"] > 0 and item["baseline"]["seconds"] > 0
    assert item["ours"]["rss_mb"] > 50
    assert "ours/baseline" in bench_ingest.report(None, [item])


def test_the_10m_plan_adds_synthetic_kommuner_beyond_the_real_ones():
    names, years, data_dir = bench_ingest.plan(10_000_000)
    assert len(years) == 2025 - 1990 + 1
    assert len(names) * len(years) * bench_ingest.CELLS <= 10_000_000
    assert len(set(names)) == len(names) and data_dir is not None
    assert "Syntetisk 6001" in (data_dir / "reference" / "kommune_fylke_politidistrikt_2024.csv"
                                ).read_text(encoding="utf-8")
    assert years[0] == 1990 and years[-1] == 2025


def test_calibration_bench_prints_both_tables():
    from bench import bench_calibration

    text = bench_calibration.main(["--reports", "2"])
    assert "| 3 | 200 | 10 |" in text and "| 2 | 50 | ×2 | Totalt |" in text
