"""The per-version caches of :mod:`dashboard.queries`: answers are copies a caller may change,
and a publish (a new file replacing the store) is seen on the next call."""

from __future__ import annotations

from dashboard import queries
from etl.dispatch import ingest_any
from tests.unit.test_dashboard_fixture_store import build_store


def test_regions_is_sorted_once_per_version_and_handed_out_as_a_copy(tmp_path):
    db = build_store(tmp_path)
    queries.configure(db)
    first = queries.regions()
    assert first.iloc[0]["has_u18"] and first["name"].is_unique
    first.loc[:, "name"] = "endret"  # a caller changing its copy
    second = queries.regions()
    assert "endret" not in set(second["name"]) and second is not first
    assert list(second.columns) == list(first.columns)


def test_regions_follow_a_publish(tmp_path, u18_data):
    db = build_store(tmp_path)
    queries.configure(db)
    assert "Skien" not in set(queries.regions().query("has_u18")["name"])
    ingest_any(u18_data / "family_b_skien.xlsx", db)  # publishes a new file over the store
    assert "Skien" in set(queries.regions().query("has_u18")["name"])
