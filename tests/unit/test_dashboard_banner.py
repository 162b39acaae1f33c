"""The synthetic-data warning, read from a real DuckDB store with and without the flag."""

from __future__ import annotations

import json

import pytest

from dashboard import queries
from dashboard.components.banner import BANNER_ID, HEADLINE, data_banner
from etl.store import writing


def make_store(path, synthetic: bool | None):
    with writing(path) as con:  # the real schema, as every store gets it
        if synthetic is not None:
            con.execute("INSERT INTO meta VALUES ('synthetic', ?)",
                        ["true" if synthetic else "false"])
    return path


@pytest.fixture(autouse=True)
def _restore_queries():
    previous = queries._DB.get("path")
    yield
    if previous is not None:
        queries.configure(previous)


def text_of(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda c: c.to_plotly_json(),
                      ensure_ascii=False)


def test_a_synthetic_store_shows_the_norwegian_warning(tmp_path):
    queries.configure(make_store(tmp_path / "syntetisk.duckdb", synthetic=True))
    assert queries.is_synthetic() is True
    banner = data_banner()
    assert banner is not None and banner.id == BANNER_ID and banner.color == "warning"
    assert HEADLINE == "Syntetiske tall – kun for testing, ikke virkelige lovbrudd"
    assert HEADLINE in text_of(banner)


@pytest.mark.parametrize("synthetic", [None, False])
def test_a_store_without_the_flag_shows_nothing(tmp_path, synthetic):
    queries.configure(make_store(tmp_path / "ekte.duckdb", synthetic=synthetic))
    assert queries.is_synthetic() is False
    assert data_banner() is None


def test_no_store_yet_shows_nothing(tmp_path):
    queries.configure(tmp_path / "finnes_ikke.duckdb")
    assert queries.is_synthetic() is False
    assert data_banner() is None


def test_the_flag_follows_a_publish_without_a_restart(tmp_path):
    path = make_store(tmp_path / "slt.duckdb", synthetic=None)
    queries.configure(path)
    assert data_banner() is None
    with writing(path) as con:
        con.execute("INSERT INTO meta VALUES ('synthetic', 'true')")
    assert data_banner() is not None


@pytest.mark.parametrize("synthetic", [True, False])
def test_every_page_of_the_app_carries_the_warning_only_for_a_synthetic_store(tmp_path,
                                                                                synthetic):
    from dashboard.app import create_app

    app = create_app(make_store(tmp_path / "butikk.duckdb", synthetic=synthetic))
    layout = app.server.test_client().get("/_dash-layout")
    assert layout.status_code == 200
    text = json.dumps(layout.get_json(), ensure_ascii=False)
    assert (HEADLINE in text) is synthetic
