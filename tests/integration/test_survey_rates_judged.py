"""Indicators that are rates (per 1 000 / per 100 000) are judged when the export gives their
denominator (nevner, or teller beside the rate), and say «ikke vurdert» with the reason when it
does not; other units (indeks) are never judged.  Files written here, through the real
``slt ingest`` into a real DuckDB file, read back from ``indicator_values``.

Invented figures: Skien 300 injuries in 30 000 (1 000 per 100 000) then 420 in 30 000
(1 400,0): an exact Poisson test of 420 against 300 gives p < 0,001.
"""

import pandas as pd

from analysis.survey import survey_findings
from tests.conftest import query

COLUMNS = ["region", "indicator", "school_level", "grade", "period", "year", "gender", "value",
           "unit", "respondents", "suppressed"]


def write(path, lines):
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def findings(db, region):
    frame = pd.DataFrame(query(db, f"SELECT {', '.join(COLUMNS)} FROM indicator_values"),
                         columns=COLUMNS)
    catalogue = pd.DataFrame(query(db, "SELECT indicator, label, higher_is_better, crime_types "
                                       "FROM indicators"),
                             columns=["indicator", "label", "higher_is_better", "crime_types"])
    return {f.kind: f for f in survey_findings(frame[frame.region == region],
                                               frame[frame.region == "Hele landet"], catalogue)}


def test_a_rate_with_its_denominator_is_judged(slt, db, tmp_path):
    path = write(tmp_path / "skader.csv", [
        "Skader behandlet i sykehus, 0-24 år", "per 100 000, standardisert", "",
        ";2018-2020;;;2021-2023;;",
        "Geografi;per 100 000;teller;nevner;per 100 000;teller;nevner",
        "Hele landet;1234,5;66000;5346000;1234,5;66000;5346000",
        "Skien;1000,0;300;30000;1400,0;420;30000"])
    result = slt("ingest", path, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(db, "SELECT region, period, value, respondents FROM indicator_values "
                     "WHERE region = 'Skien' ORDER BY period") == [
        ("Skien", "2018-2020", 1000.0, 30000), ("Skien", "2021-2023", 1400.0, 30000)]
    found = findings(db, "Skien")
    change = found["since_previous"]
    assert change.tested and change.significant and change.direction == 1
    assert ("1\u00a0400,0 per 100 000 i 2021-2023 mot 1\u00a0000,0 per 100 000 i 2018-2020, "
            "en reell økning") in change.sentence
    assert found["vs_national"].tested


def test_the_numerator_beside_a_rate_gives_its_denominator(slt, db, tmp_path):
    path = write(tmp_path / "skader_teller.csv", [
        "Skader behandlet i sykehus, 0-24 år", "per 1 000", "",
        ";2018-2020;;2021-2023;",
        "Geografi;per 1 000;teller;per 1 000;teller",
        "Skien;10,0;300;14,0;420"])
    assert slt("ingest", path, "--db", db).returncode == 0
    assert query(db, "SELECT respondents FROM indicator_values ORDER BY period") == [
        (30000,), (30000,)]
    assert findings(db, "Skien")["since_previous"].significant


def test_a_rate_without_a_denominator_says_it_is_not_judged_and_why(slt, db, tmp_path):
    path = write(tmp_path / "skader_uten_nevner.csv", [
        "Skader behandlet i sykehus, 0-24 år", "per 100 000, standardisert", "",
        "Geografi;2018-2020;2021-2023", "Hele landet;1234,5;1210,0", "Skien;1000,0;1400,0"])
    assert slt("ingest", path, "--db", db).returncode == 0
    found = findings(db, "Skien")
    assert not found["since_previous"].tested and not found["vs_national"].tested
    assert ("Ikke vurdert: filen oppgir verken nevner, befolkning eller konfidensgrenser, så vi "
            "kan ikke si om endringen er større enn tilfeldig variasjon.") in (
        found["since_previous"].sentence)


def test_an_index_is_never_judged_and_says_so(slt, db, tmp_path):
    path = write(tmp_path / "indeks.csv", [
        "Trivsel på skolen", "indeks", "", "Geografi;2018-2020;2021-2023", "Skien;3,9;4,1"])
    assert slt("ingest", path, "--db", db).returncode == 0
    change = findings(db, "Skien")["since_previous"]
    assert not change.tested
    assert "Ikke vurdert: enheten «indeks» er verken en andel eller en rate" in change.sentence


def test_confidence_limits_of_a_rate_give_its_effective_denominator(slt, db, tmp_path):
    # 1 400 per 100 000 with 1 266,1–1 533,9: (1,96 × 1 400 / 133,9)² ≈ 420 injuries,
    # 420 × 100 000 / 1 400 ≈ 29 997 persons
    path = write(tmp_path / "skader_ki.csv", [
        "Skader behandlet i sykehus, 0-24 år", "per 100 000", "",
        ";2021-2023;;", "Geografi;per 100 000;nedre;øvre", "Skien;1400,0;1266,1;1533,9"])
    assert slt("ingest", path, "--db", db).returncode == 0
    assert query(db, "SELECT respondents FROM indicator_values") == [(29_997,)]
