"""Kommune indicators that are not percentages reach the report and Oversikt with their units:
per 1 000 figures loaded from checked-in FHI exports through the real ``slt ingest`` into a real
DuckDB file, reported with the real ``slt report --format md``.

Fixtures (tests/data/make_export_fixtures.py): injuries per 1 000 with teller and nevner
(Porsgrunn 10,0 → 14,0 per 1 000 of 30 000: a real rise; 14,0 against the country's 12,3: a
real difference), antidepressants per 1 000 with no denominator (never judged), and a share
with teller and nevner (non-prescription painkillers, 15,0 % against 9,0 %).
"""

from __future__ import annotations

import re

import pytest

from analysis.stats import bh_adjusted
from tests.conftest import TEST_DATA

EXPORTS = TEST_DATA / "exports"
FILES = ["fhi_kommunehelsa_skader_per_1000_teller_nevner.csv",
         "fhi_kommunehelsa_antidepressiva_per_1000.csv",
         "fhi_kommunehelsa_gammel_smertestillende.csv"]
NO_DENOMINATOR = "oppgir filen verken nevner, befolkning eller konfidensgrenser"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from tests.conftest import run_slt

    db = tmp_path_factory.mktemp("rates") / "slt.duckdb"
    for name in FILES:
        result = run_slt("ingest", EXPORTS / name, "--db", db)
        assert result.returncode == 0, result.stdout + result.stderr
    return db


@pytest.fixture(scope="module")
def markdown(store):
    from tests.conftest import run_slt

    out = store.with_name("porsgrunn.md")
    result = run_slt("report", "--region", "Porsgrunn", "--format", "md", "--out", out,
                     "--db", store)
    assert result.returncode == 0, result.stdout + result.stderr
    return out.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    return text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]


def test_a_rate_per_1000_is_in_the_survey_table_in_its_unit(markdown):
    survey = section(markdown, "Ungdata og andre spørreundersøkelser")
    assert ("| Porsgrunn | Skader behandlet i sykehus, 0-24 år |  | 2021-2023 | "
            "14,0 per 1 000 | 12,3 per 1 000 | 10,0 per 1 000 (2018-2020) |") in survey
    assert "| 15,0\u00a0% | 9,0\u00a0% |" in survey          # the share keeps its percent
    assert "| Verdi | Hele landet |" in survey and "«per 1 000»" in survey
    # a kommune's rates are not Ungdata's: the table's title says so
    assert "Ungdata og andre indikatorer – Porsgrunn mot landet" in survey
    assert not re.search(r"(14,0|61,5|12,3)\u00a0%", markdown)  # a rate is never a percent


def test_a_rate_with_its_denominator_gets_a_verdict_in_the_main_findings(markdown):
    main = section(markdown, "Hovedfunn")
    assert ("Skader behandlet i sykehus, 0-24 år i Porsgrunn: 14,0 per 1 000 i 2021-2023 mot "
            "10,0 per 1 000 i 2018-2020, en reell økning.") in main
    assert ("Skader behandlet i sykehus, 0-24 år (2021-2023): 14,0 per 1 000 i Porsgrunn mot "
            "12,3 per 1 000 i landet, en reell forskjell, høyere enn landet.") in markdown
    appendix = section(markdown, "Vedlegg: alle sammenligninger")
    assert ("| Porsgrunn, 2021-2023 mot 2018-2020 | 14,0 mot 10,0 per 1 000 | <\u00a00,001 | "
            "<\u00a00,001 | – | en reell økning | rate |") in appendix


def test_a_rate_without_a_denominator_is_shown_without_a_verdict_saying_why_once(markdown):
    survey = section(markdown, "Ungdata og andre spørreundersøkelser")
    assert ("Legemiddelbrukere, antidepressiva (2021-2023): 61,5 per 1 000 i Porsgrunn mot "
            "55,2 per 1 000 i landet.\n") in survey
    assert survey.count(NO_DENOMINATOR) == 1        # two figures, one sentence saying why
    assert "Ikke vurdert" not in markdown
    assert "Antall som svarte er ikke oppgitt" not in survey  # not the shares' caveat
    assert ("| Legemiddelbrukere, antidepressiva | Porsgrunn mot landet, 2021-2023 | 61,5 mot "
            "55,2 per 1 000 | – | – | – | kan ikke vurderes | – |") in markdown


def test_rates_and_shares_are_adjusted_together_as_one_family(store):
    from report.build import gather

    survey = gather(store, "Porsgrunn").survey
    tested = [f for f in survey if f.tested]
    assert {f.basis_text for f in tested} == {"rate", "andel"} and len(tested) == 3
    expected = bh_adjusted([f.p_value for f in tested])
    assert [f.q_value for f in tested] == pytest.approx(expected)
    assert len([f for f in survey if not f.tested]) == 2


def test_oversikt_lists_a_rate_against_the_country_in_its_unit_with_one_caveat(store):
    import importlib

    from dash import html

    from dashboard import queries
    from dashboard.app import create_app
    from tests.unit.test_dashboard_pages import texts

    create_app(store)       # pages register with an app
    oversikt = importlib.import_module("dashboard.pages.oversikt")
    queries.configure(store)
    card = texts(html.Div(oversikt._survey("Porsgrunn", [2018, 2023])))
    assert ("Skader behandlet i sykehus, 0-24 år (2021-2023): 14,0 per 1 000 i Porsgrunn mot "
            "12,3 per 1 000 i landet, en reell forskjell, høyere enn landet.") in card
    assert "Legemiddelbrukere, antidepressiva (2021-2023): 61,5 per 1 000 i Porsgrunn" in card
    assert card.count(NO_DENOMINATOR) == 1 and "Ikke vurdert" not in card


def test_a_store_from_before_units_is_reported_from_its_shares_as_it_is(tmp_path):
    import duckdb

    from report.build import build_report
    from report.writers import write
    from tests.conftest import run_slt

    db = tmp_path / "slt.duckdb"
    assert run_slt("ingest", EXPORTS / FILES[2], "--db", db).returncode == 0
    with duckdb.connect(str(db)) as con:  # the ungdata view as it was, no indicator_values
        con.execute("DROP VIEW ungdata")
        con.execute("DROP VIEW indicator_values")
        con.execute("CREATE VIEW ungdata AS SELECT r.name AS region, u.period, u.year, "
                    "u.school_level, u.grade, u.gender, u.indicator, u.value AS percent, "
                    "u.respondents, u.source, u.suppressed, u.region_code, u.upload_id "
                    "FROM ungdata_facts u JOIN regions r USING (region_code)")
    before = db.read_bytes()
    out = tmp_path / "porsgrunn.md"
    write(build_report(db, "Porsgrunn"), "md", out)
    survey = section(out.read_text(encoding="utf-8"), "Ungdata og andre spørreundersøkelser")
    assert "| Andel | Hele landet |" in survey and "| 15,0\u00a0% | 9,0\u00a0% |" in survey
    assert db.read_bytes() == before  # read as it is: readers never migrate
