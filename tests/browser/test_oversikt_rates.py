"""Oversikt's survey card in a real browser on a store with kommune rates per 1 000 beside the
sample's shares: each figure in its unit, a verdict where the export gives the denominator, and
why the others have none said once."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, served, settle
from tests.conftest import TEST_DATA, run_slt

RATES = ["fhi_kommunehelsa_skader_per_1000_teller_nevner.csv",
         "fhi_kommunehelsa_antidepressiva_per_1000.csv"]


@pytest.fixture(scope="module")
def rates_url(tmp_path_factory):
    from etl.sample import build_sample

    db = tmp_path_factory.mktemp("rates-browser") / "slt.duckdb"
    build_sample(db)
    for name in RATES:
        result = run_slt("ingest", TEST_DATA / "exports" / name, "--db", db)
        assert result.returncode == 0, result.stdout + result.stderr
    with served(db, env={"SLT_USERS": ""}) as url:
        yield url


def test_oversikt_shows_a_kommune_rate_in_its_unit_with_its_verdict(page, rates_url):
    page.goto(f"{rates_url}/?region=Porsgrunn")
    settle(page)
    card = page.locator("#ov-survey").inner_text()
    assert ("Skader behandlet i sykehus, 0-24 år (2021-2023): 14,0 per 1 000 i Porsgrunn mot "
            "12,3 per 1 000 i landet, en reell forskjell, høyere enn landet.") in card
    assert "61,5 per 1 000 i Porsgrunn" in card and "61,5 %" not in card
    assert card.count("verken nevner, befolkning eller konfidensgrenser") == 1
    screenshot(page, "oversikt-rater-Porsgrunn")
