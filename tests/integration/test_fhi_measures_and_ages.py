"""FHI Kommunehelsa files as users download them, through the real ``slt ingest`` into a real
DuckDB file: a table that states percent keeps its small shares as written, two indicators
named only by their category column stay two, an age band is part of the indicator (never a
school level), a file of several measures (Måltall) is refused saying which to choose, and a
figure that FHI's suppression flag (Spvflagg) marks is stored suppressed.

The figures are made up in the shape of the statistics bank's exports."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import query, snapshot

VALUES = ("SELECT region, value, suppressed FROM indicator_values ORDER BY region")


def _ingest(slt, db: Path, tmp_path: Path, name: str, text: str, ok: bool = True):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    done = slt("ingest", path, "--db", db)
    assert (done.returncode == 0) == ok, done.stdout + done.stderr
    return done


SMALL_SHARES = ("Brukt andre narkotiske stoffer enn cannabis siste år\n"
                "andel (prosent)\n"
                ";;2021-2023\n"
                "Geografi;Trinn;andel\n"
                "Hele landet;Ungdomsskole;0,8\n"
                "Telemark;Ungdomsskole;0,6\n"
                "Porsgrunn;Ungdomsskole;0,5\n"
                "Skien;Ungdomsskole;1,0\n"
                "Bamble;Ungdomsskole;:\n")


def test_small_shares_of_a_table_that_states_percent_are_never_scaled(slt, db, tmp_path):
    """Rare behaviours (other drugs) are below 1 %: «andel (prosent)» over 0,8 is 0,8 %, not
    80 % read as a fraction."""
    done = _ingest(slt, db, tmp_path, "andre_stoffer.csv", SMALL_SHARES)
    assert query(db, VALUES) == [("Bamble", None, True), ("Hele landet", 0.8, False),
                                 ("Porsgrunn", 0.5, False), ("Skien", 1.0, False),
                                 ("Telemark", 0.6, False)]
    assert "brøk" not in done.stdout


def _category_file(question: str, value: str) -> str:
    return ("\ufeffMåltall;Kjønn;År;Geografi;" f"{question};Verdi\n"
            f"Andel (prosent);Begge kjønn;2022_2024;Porsgrunn;Ja;{value}\n")


def test_two_indicators_named_only_by_their_category_column_stay_two(slt, db, tmp_path):
    """Without a title the category column's header names the question: «Ja» to cannabis and
    «Ja» to drunkenness are two indicators, the second never replacing the first."""
    _ingest(slt, db, tmp_path, "hasj.csv", _category_file("Ungdata: Brukt hasj siste år", "6,2"))
    _ingest(slt, db, tmp_path, "beruset.csv",
            _category_file("Ungdata: Vært beruset siste år", "25,0"))
    assert query(db, "SELECT i.label, f.value FROM ungdata_facts f JOIN indicators i "
                     "USING (indicator) ORDER BY i.label") == [
        ("Ungdata: Brukt hasj siste år – Ja", 6.2), ("Ungdata: Vært beruset siste år – Ja", 25.0)]


AGE_FILTER = ("Legemiddelbrukere, antidepressiva\n"
              "per 1 000, standardisert\n"
              "Variabler i filter:\n"
              "Kjønn: begge kjønn\n"
              "Alder: 15-29 år\n"
              ";2021-2023;2022-2024\n"
              "Geografi;per 1000;per 1000\n"
              "Hele landet;50,1;55,2\n"
              "Porsgrunn;48,0;:\n")
AGE_COLUMN = ("Legemiddelbrukere, antidepressiva\n"
              "Geografi;År;Kjønn;Alder;Måltall;Verdi\n"
              "Porsgrunn;2021-2023;begge kjønn;alle aldre;per 1000, standardisert;48,0\n"
              "Hele landet;2021-2023;begge kjønn;alle aldre;per 1000, standardisert;50,1\n")


@pytest.mark.parametrize("text, band", [(AGE_FILTER, "15-29 år"), (AGE_COLUMN, "alle aldre")])
def test_an_age_band_is_part_of_the_indicator_not_a_school_level(slt, db, tmp_path, text, band):
    """Kommunehelsa's «Alder» holds an age band in tables that are no school survey: it was
    refused as an unknown school level, with advice to teach it as «Ungdomsskole»."""
    _ingest(slt, db, tmp_path, "antidepressiva.csv", text)
    rows = query(db, "SELECT DISTINCT i.label, f.school_level, f.grade, i.unit FROM "
                     "ungdata_facts f JOIN indicators i USING (indicator)")
    assert rows == [(f"Legemiddelbrukere, antidepressiva – {band}", "Ikke oppgitt",
                     "Ikke oppgitt", "per 1 000")]
    assert query(db, "SELECT value FROM indicator_values WHERE region = 'Porsgrunn' "
                     "AND period = '2021-2023'") == [(48.0,)]


def test_an_age_band_in_a_workbook_lands_with_its_counts(slt, db, tmp_path):
    book = openpyxl.Workbook()
    for row in [["Legemiddelbrukere, antidepressiva (LMR)"], ["antall"], ["Variabler i filter:"],
                ["Kjønn: begge kjønn"], ["Alder: 0-74 år"], [None, "2021-2023", "2022-2024"],
                ["Geografi", "antall", "antall"], ["Hele landet", 250000, 260000],
                ["Porsgrunn", ":", 1500], [], ["Kilde: Reseptregisteret / FHI"]]:
        book.active.append(row)
    path = tmp_path / "antall.xlsx"
    book.save(path)
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert query(db, "SELECT region, period, value, suppressed, unit FROM indicator_values "
                     "ORDER BY ALL") == [
        ("Hele landet", "2021-2023", 250000.0, False, "antall"),
        ("Hele landet", "2022-2024", 260000.0, False, "antall"),
        ("Porsgrunn", "2021-2023", None, True, "antall"),
        ("Porsgrunn", "2022-2024", 1500.0, False, "antall")]
    assert query(db, "SELECT label FROM indicators WHERE NOT catalogued") == [
        ("Legemiddelbrukere, antidepressiva (LMR) – 0-74 år",)]


MEASURES = ("Mobbet på skolen (U)\n"
            "Geografi;År;Kjønn;Trinn;Måltall;Verdi\n"
            "Porsgrunn;2022_2024;Begge kjønn;Ungdomsskole;andel (prosent);12,5\n"
            "Porsgrunn;2022_2024;Begge kjønn;Ungdomsskole;andel (prosent, standardisert);11,9\n"
            "Hele landet;2022_2024;Begge kjønn;Ungdomsskole;andel (prosent);10,0\n"
            "Hele landet;2022_2024;Begge kjønn;Ungdomsskole;andel (prosent, standardisert);10,0\n")
COUNTS = MEASURES + ("Porsgrunn;2022_2024;Begge kjønn;Ungdomsskole;antall;85\n"
                     "Hele landet;2022_2024;Begge kjønn;Ungdomsskole;antall;12000\n")


@pytest.mark.parametrize("text, found", [
    (MEASURES, "«andel (prosent)», «andel (prosent, standardisert)»"),
    (COUNTS, "«andel (prosent)», «andel (prosent, standardisert)», «antall»")])
def test_several_measures_of_one_indicator_are_refused_naming_the_maaltall_column(
        slt, db, tmp_path, text, found):
    """Standardised and unstandardised shares (or a count beside them) are different figures
    of one question: refused saying which column holds them and what to download instead —
    not «samme tall står flere ganger … K4001, mobbet_paa_skolen_u»."""
    _ingest(slt, db, tmp_path, "forste.csv", SMALL_SHARES)
    before = snapshot(db)
    done = _ingest(slt, db, tmp_path, "mobbet.csv", text, ok=False)
    assert (f"mobbet.csv: kolonnen «Måltall» har flere måltall for «Mobbet på skolen (U)»: "
            f"{found}; velg ett måltall i FHIs statistikkbank og last ned filen på nytt"
            ) in done.stderr, done.stdout + done.stderr
    assert "mobbet_paa_skolen_u" not in done.stderr and "K4001" not in done.stderr
    assert snapshot(db) == before


def test_a_figure_flagged_by_spvflagg_is_stored_suppressed(slt, db, tmp_path):
    """FHI's Spvflagg 3 beside a 0 says the 0 is no published figure: suppressed, not 0 %."""
    _ingest(slt, db, tmp_path, "mobbet.csv",
            "Ungdata: Mobbet (U)\n"
            "Geografi;Aar;Kjonn;Trinn;Maltall;Andel;Spvflagg\n"
            "Porsgrunn;2022_2024;0;8-10.trinn;andel (prosent);7,5;0\n"
            "Porsgrunn;2022_2024;1;8-10.trinn;andel (prosent);0;3\n"
            "Porsgrunn;2022_2024;2;8-10.trinn;andel (prosent);;1\n")
    assert query(db, "SELECT gender, value, suppressed FROM indicator_values ORDER BY ALL") == [
        ("Gutter", None, True), ("Jenter", None, True), ("Totalt", 7.5, False)]


def test_a_wide_table_of_two_measures_under_its_periods_is_refused(slt, db, tmp_path):
    """«andel (prosent)» and «antall» under one period would both be stored in the first one's
    unit (85 pupils as 85 %)."""
    done = _ingest(slt, db, tmp_path, "mobbet_bred.csv",
                   "Mobbet på skolen (U)\nandel (prosent)\n;;2022_2024;2022_2024\n"
                   "Geografi;Trinn;andel (prosent);antall\n"
                   "Porsgrunn;Ungdomsskole;12,5;85\n", ok=False)
    assert ("mobbet_bred.csv: linje 4: tabellen har flere måltall: «andel (prosent)», «antall»; "
            "velg ett måltall i FHIs statistikkbank og last ned filen på nytt") in done.stderr, \
        done.stderr
