"""«Reell endring» through the real commands: clustered counts loaded with ``slt ingest`` and
judged by ``slt report``, and a breakdown the police did not send is never turned into 0."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from bench.calibration import Setting, region
from report.build import gather
from tests.conftest import SEED_WORKBOOK, run_slt

KOMMUNER = ["Porsgrunn", "Skien", "Bamble", "Kragerø", "Notodden", "Midt-Telemark", "Nome",
            "Drangedal", "Sandefjord", "Larvik", "Horten", "Holmestrand", "Tønsberg", "Færder",
            "Arendal", "Grimstad"]
HEADER = ["Kommune", "År", "Krimtype", "Alder", "Kjønn", "Antall"]


def write_long_csv(path: Path, frames: dict[str, object]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER)
        for name, frame in frames.items():
            for r in frame.itertuples(index=False):
                writer.writerow([name, r.year, r.crime_type, r.age, r.gender, r.offences])
    return path


@pytest.fixture(scope="module")
def null_store(tmp_path_factory) -> Path:
    """16 kommuner, eight years, nothing changes; two offences per offender on average."""
    folder = tmp_path_factory.mktemp("null")
    rng = np.random.default_rng(2026)
    frames = {name: region(rng, Setting(offenders=rng.integers(30, 160), per_offender=2,
                                        years=8)) for name in KOMMUNER}
    db = folder / "slt.duckdb"
    ingested = run_slt("ingest", write_long_csv(folder / "null.csv", frames), "--db", db)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    return db


def test_unchanged_kommuner_get_almost_no_real_changes(null_store):
    found = [f for name in KOMMUNER for f in gather(null_store, name).police if f.tested]
    assert len(found) > 16 * 20
    assert sum(f.significant for f in found) / len(found) <= 0.08


def test_the_report_command_calls_an_unchanged_kommune_unchanged(null_store, tmp_path):
    out = tmp_path / "porsgrunn.md"
    made = run_slt("report", "--region", "Porsgrunn", "--format", "md", "--out", out,
                   "--db", null_store)
    assert made.returncode == 0, made.stderr
    text = out.read_text(encoding="utf-8").split("## Vedlegg")[0]
    assert not re.search(r"reell (økning|nedgang)", text)
    assert "## Vedlegg: alle sammenligninger" in out.read_text(encoding="utf-8")


def test_a_tripled_crime_type_in_a_mid_sized_kommune_is_a_real_rise(tmp_path):
    rng = np.random.default_rng(11)
    frame = region(rng, Setting(offenders=120, per_offender=2, years=8, rise=3.0,
                                rise_in="Vinning"))
    vinning = frame[(frame.crime_type == "Vinning")].set_index("year")["offences"]
    assert vinning[2024] > 2.2 * vinning[2023]
    db = tmp_path / "slt.duckdb"
    assert run_slt("ingest", write_long_csv(tmp_path / "k.csv", {"Skien": frame}),
                   "--db", db).returncode == 0
    out = tmp_path / "skien.md"
    assert run_slt("report", "--region", "Skien", "--format", "md", "--out", out,
                   "--db", db).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert (f"Vinning økte fra {vinning[2023]} i 2023 til {vinning[2024]} i 2024, "
            "en reell økning.") in text


# --- a file that gives only the crime-type table ------------------------------------------------

TYPES_2024 = {"Vold": 180, "Vinning": 150, "Annen": 70, "Narkotika": 40, "Skadeverk": 45,
              "Trafikk": 50, "Seksuallovbrudd": 15, "Økonomi": 20}


@pytest.fixture(scope="module")
def only_types(tmp_path_factory) -> Path:
    """The seed (2019-2024 pr. 01.08) and then a full 2024 with only the crime-type table."""
    folder = tmp_path_factory.mktemp("types")
    db = folder / "slt.duckdb"
    assert run_slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    path = folder / "grenland_2024.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["Region", "År", "Krimtype", "Antall"])
        for crime, count in TYPES_2024.items():
            writer.writerow(["Grenland", 2024, crime, count])
        writer.writerow(["Grenland", 2024, "Totalt", sum(TYPES_2024.values())])
    loaded = run_slt("ingest", path, "--db", db)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    return db


def test_a_breakdown_not_sent_is_not_a_fall_to_zero(only_types, tmp_path):
    out = tmp_path / "g.md"
    assert run_slt("report", "--region", "Grenland", "--format", "md", "--out", out,
                   "--db", only_types).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "til 0 i 2024" not in text and "gikk ned fra 470" not in text
    assert "Kilden har ikke oppgitt fordeling på kjønn og alder for 2024." in text
    ages = text.split("U18-forhold fordelt på alder og kjønn**")[1].split("\n\n")[1]
    assert "| 15 | 87 | 59 | 80 | 174 | 152 | ikke oppgitt |" in ages
    assert "| Fordeling jenter/gutter | 73/371 | 87/302 | 84/330 | 154/469 | 152/470 | " \
           "ikke oppgitt |" in ages
    assert f"| Totalt | 444 | 389 | 414 | 623 | 622 | {sum(TYPES_2024.values())} |" in ages


def test_no_finding_compares_a_breakdown_the_source_did_not_give(only_types):
    basis = gather(only_types, "Grenland")
    assert basis.year == 2024
    assert not [f for f in basis.police if f.family in ("gender", "age") and f.year == 2024]
    assert {f.ref for f in basis.police if f.family == "crime_type"} >= set(TYPES_2024)


# --- the same file on every page -------------------------------------------------------------

@pytest.fixture
def pages(only_types):
    import importlib

    from dashboard import queries
    from dashboard.app import create_app

    create_app(only_types)
    queries.configure(only_types)
    return lambda name: importlib.import_module(f"dashboard.pages.{name}")


def test_the_age_and_gender_charts_leave_the_year_out_and_say_why(pages):
    page = pages("ungdomskriminalitet")
    _title, fig, _style, _empty, note, data, _table, _tools, *_ = page._ages("Grenland",
                                                                              [2019, 2024])
    assert "Kilden har ikke oppgitt fordeling på alder for 2024" in note
    assert "2024" not in data["csv"].split("Antall forhold", 1)[1].replace("2024 (pr", "")
    out = page._genders("Grenland", [2019, 2024], "antall")
    assert "Kilden har ikke oppgitt fordeling på kjønn for 2024" in out[4]
    assert ";2024;0" not in out[5]["csv"] and ";2024;" not in out[5]["csv"]


def test_oversikt_names_no_fall_to_zero(pages):
    out = pages("oversikt")._update("Grenland", [2019, 2024])
    assert "til 0" not in str(out)


def test_politirad_slides_show_no_zero_bar_for_a_breakdown_not_given(only_types):
    from analysis.findings import count_findings
    from dashboard.components.slides import build_slides
    from report.build import gather

    basis = gather(only_types, "Grenland")
    boys_2023 = next(f for f in count_findings(basis.data.u18, 2023)
                     if f.ref == "Gutter" and f.kind == "yoy")
    (slide,) = build_slides([boys_2023], basis.data.u18, 2024)
    assert [(b.label, b.value, b.text) for b in slide.bars][-2:] == [
        ("2023", 470, "470"), ("2024", None, "ikke oppgitt")]
    for slide in build_slides(basis.findings, basis.data.u18, basis.year, basis.sup):
        assert "til 0 i 2024" not in slide.sentence
