"""The per-version caches of :mod:`dashboard.queries`: answers are copies a caller may change,
and a publish (a new file replacing the store) is seen on the next call."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import queries
from etl.dispatch import ingest_any
from tests.unit.test_dashboard_fixture_store import build_store

TEST_DATA = Path(__file__).resolve().parents[1] / "data"


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


def test_the_map_built_once_per_version_follows_a_publish(tmp_path):
    """Sammenlign's map keeps what is the same for every region (its shapes and table) per
    data version: another region gets the same kommune figures, and a publish new ones."""
    from dashboard.app import create_app
    from etl.sample import build_sample

    db = tmp_path / "slt.duckdb"
    build_sample(db)  # every kommune's population, for the rates per 1 000
    excerpt = TEST_DATA / "ssb" / "ssb_08487_excerpt.csv"
    ingest_any(excerpt, db)
    create_app(db)
    from dashboard.pages import sammenlign

    queries.configure(db)
    measure = "ssb:Alle lovbruddsgrupper"

    def kragero(region: str) -> float:
        fig, table = (sammenlign._map(region, measure, "")[i] for i in (1, 6))
        assert "Kragerø" in str(table.to_plotly_json())
        return next(value for trace in fig["data"] for name, value in trace.get("customdata")
                    or [] if name == "Kragerø")

    before = kragero("Grenland")
    assert kragero("Porsgrunn") == before
    changed = tmp_path / "ssb_08487_ny.csv"
    changed.write_text(excerpt.read_text(encoding="utf-8").replace(
        '"Kragerø",4014,"2023-2024","4014 Kragerø",4014,886,',
        '"Kragerø",4014,"2023-2024","4014 Kragerø",4014,1772,'), encoding="utf-8")
    ingest_any(changed, db)  # publishes a new file over the store
    assert kragero("Grenland") == kragero("Porsgrunn") == pytest.approx(2 * before, rel=0.01)
