"""Wide FHI Kommunehelsa tables that give 95 % confidence limits (nedre/øvre) or teller/nevner
beside the figure — as columns under each period or as rows of their own (Måltall) — through
the real ``slt ingest``: the limits become the effective number of respondents, which the
survey comparisons then test with (analysis/survey.py).

Files written here in the layout of the statistics bank's «Last ned»; invented figures chosen
so the effective numbers can be checked by hand: 20 % with 17–23 % gives
1,96² × 0,2 × 0,8 / 0,03² ≈ 683 respondents.
"""

import pandas as pd

from analysis.survey import survey_findings
from tests.conftest import query

TITLE = ['"Ensomhet"', '"andel (prosent), standardisert"', '""', '"Variabler i filter:"',
         '"Kjønn: kjønn samlet"', '""']


def write(path, lines, encoding="utf-8"):
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def limits_as_columns(path):
    """The period written once over its figure and limits; the measure row under it."""
    return write(path, [*TITLE,
        '"";"";"2018-2020";"";"";"2021-2023";"";""',
        '"Geografi";"Trinn";"andel (prosent)";"nedre konfidensgrense";"øvre konfidensgrense";'
        '"andel (prosent)";"nedre konfidensgrense";"øvre konfidensgrense"',
        '"Hele landet";"Ungdomsskole";"15,0";"14,9";"15,1";"15,0";"14,9";"15,1"',
        '"Porsgrunn";"Ungdomsskole";"14,0";"12,0";"16,0";"20,0";"17,0";"23,0"',
        '"Skien";"Ungdomsskole";"..";"..";"..";"16,0";"";""'])


def limits_as_rows(path):
    """Måltall as a key column: one row for the figure, one per limit."""
    return write(path, ['"Ensomhet"', '""', '"Variabler i filter:"', '"Kjønn: kjønn samlet"',
                        '""',
        '"Geografi";"Trinn";"Måltall";"2018-2020";"2021-2023"',
        '"Hele landet";"Ungdomsskole";"andel (prosent)";"15,0";"15,0"',
        '"Hele landet";"Ungdomsskole";"Konfidensintervall, nedre";"14,9";"14,9"',
        '"Hele landet";"Ungdomsskole";"Konfidensintervall, øvre";"15,1";"15,1"',
        '"Porsgrunn";"Ungdomsskole";"andel (prosent)";"14,0";"20,0"',
        '"Porsgrunn";"Ungdomsskole";"Konfidensintervall, nedre";"12,0";"17,0"',
        '"Porsgrunn";"Ungdomsskole";"Konfidensintervall, øvre";"16,0";"23,0"',
        '"Skien";"Ungdomsskole";"andel (prosent)";"..";"16,0"'])


def numerator_and_denominator(path):
    return write(path, [*TITLE,
        '"";"";"2021-2023";"";""',
        '"Geografi";"Trinn";"andel (prosent)";"teller";"nevner"',
        '"Hele landet";"Ungdomsskole";"15,0";"7350";"49000"',
        '"Porsgrunn";"Ungdomsskole";"20,0";"137";"685"'])


def stored(db):
    return query(db, "SELECT region, period, percent, respondents FROM ungdata "
                     "ORDER BY ALL")


EXPECTED = [("Hele landet", "2018-2020", 15.0, 489804),
            ("Hele landet", "2021-2023", 15.0, 489804),
            ("Porsgrunn", "2018-2020", 14.0, 1156), ("Porsgrunn", "2021-2023", 20.0, 683),
            ("Skien", "2018-2020", None, None), ("Skien", "2021-2023", 16.0, None)]


def test_confidence_limits_as_columns_give_the_effective_number_of_respondents(
        slt, db, tmp_path):
    result = slt("ingest", limits_as_columns(tmp_path / "ensomhet.csv"), "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert stored(db) == EXPECTED


def test_confidence_limits_as_rows_land_the_same(slt, db, tmp_path):
    result = slt("ingest", limits_as_rows(tmp_path / "ensomhet_rader.csv"), "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert stored(db) == EXPECTED
    assert query(db, "SELECT DISTINCT unit FROM indicator_values") == [("prosent",)]


def test_the_denominator_beside_the_figure_is_the_number_of_respondents(slt, db, tmp_path):
    result = slt("ingest", numerator_and_denominator(tmp_path / "n.csv"), "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert stored(db) == [("Hele landet", "2021-2023", 15.0, 49000),
                          ("Porsgrunn", "2021-2023", 20.0, 685)]


def test_the_survey_comparisons_test_with_the_numbers_the_limits_give(slt, db, tmp_path):
    assert slt("ingest", limits_as_columns(tmp_path / "e.csv"), "--db", db).returncode == 0
    frame = pd.DataFrame(query(db, "SELECT region, indicator, school_level, grade, period, "
                                   "year, gender, percent, respondents, suppressed FROM ungdata"),
                         columns=["region", "indicator", "school_level", "grade", "period",
                                  "year", "gender", "percent", "respondents", "suppressed"])
    catalogue = pd.DataFrame(query(db, "SELECT indicator, label, higher_is_better, crime_types "
                                       "FROM indicators"),
                             columns=["indicator", "label", "higher_is_better", "crime_types"])
    porsgrunn = frame[frame.region == "Porsgrunn"]
    findings = survey_findings(porsgrunn, frame[frame.region == "Hele landet"], catalogue)
    by_kind = {f.kind: f for f in findings}
    assert by_kind["vs_national"].tested and by_kind["vs_national"].significant
    assert "683 svar" in by_kind["vs_national"].sentence
    assert by_kind["since_previous"].tested and by_kind["since_previous"].significant
    skien = survey_findings(frame[frame.region == "Skien"], frame[frame.region == "Hele landet"],
                            catalogue)
    assert [f.tested for f in skien] == [False]  # no limits given: not judged, and says so
    assert "Antall som svarte er ikke oppgitt" in skien[0].sentence


def test_a_long_table_with_the_limits_as_maltall_rows_lands_the_same(slt, db, tmp_path):
    """The long layout (one row per Måltall) with the limits as rows of their own: they are no
    indicator values in a unit of their own, but the figure's respondents."""
    path = write(tmp_path / "ensomhet_lang.csv", [
        "Geografi;År;Kjønn;Trinn;Måltall;Verdi",
        *(f"{region};{period};kjønn samlet;ungdomsskole;{measure};{value}"
          for region, period, figures in (
              ("Hele landet", "2018-2020", ("15,0", "14,9", "15,1")),
              ("Hele landet", "2021-2023", ("15,0", "14,9", "15,1")),
              ("Porsgrunn", "2018-2020", ("14,0", "12,0", "16,0")),
              ("Porsgrunn", "2021-2023", ("20,0", "17,0", "23,0")),
              ("Skien", "2018-2020", ("..", "..", "..")),
              ("Skien", "2021-2023", ("16,0", "", "")))
          for measure, value in zip(("andel (prosent)", "nedre konfidensgrense",
                                     "øvre konfidensgrense"), figures))])
    result = slt("ingest", path, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert stored(db) == EXPECTED
    assert query(db, "SELECT DISTINCT unit FROM indicator_values") == [("prosent",)]
