"""FHI's statistics bank as users download it in English, or with «Periode» over the period:
the same figures land as the Norwegian export's, through the real ``slt ingest``, and a tidy
Ungdata table with «Periode» is still read as one (its school level is no category).

The rows are Porsgrunn's of FHI Kommunehelsa table 349 «Fornøyd med helsa» (data/sample),
with the export's headers and labels as FHI's English page writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import query

CATEGORIES = 'Litt eller svært fornøyd,SOES 0,"andel (prosent, standardisert)"'
ROWS = [("2018", "8-10.trinn", "69.0856444212109"), ("2018", "8-10.trinn", "73.315258840721"),
        ("2019", "8-10.trinn", "..")]


def _table(header: str, genders: tuple[str, str, str], grade: str | None = None) -> str:
    lines = [f"Porsgrunn,{year},{gender},{grade or given},{CATEGORIES},{value}"
             for (year, given, value), gender in zip(ROWS, genders, strict=True)]
    return "\n".join([header, *lines]) + "\n"


NORWEGIAN = _table("Geografi,År,Kjønn,Alder vises ikke,Fornøydhet med helsa,SOES,Måltall,value",
                   ("kjønn samlet", "gutter", "jenter"))
ENGLISH = _table("Geography,Year,Sex,Grade,Fornøydhet med helsa,SOES,Measure type,Value",
                 ("both sexes", "boys", "girls"), "lower secondary school")
PERIODE = NORWEGIAN.replace("Geografi,År,", "Geografi,Periode,", 1)

FACTS = ("SELECT period, year, school_level, gender, indicator, round(value, 2), suppressed, "
         "i.unit FROM ungdata_facts JOIN indicators i USING (indicator) ORDER BY ALL")


def _ingest(slt, db: Path, tmp_path: Path, name: str, text: str) -> list[tuple]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    return query(db, FACTS)


@pytest.mark.parametrize("name, text", [("english.csv", ENGLISH), ("periode.csv", PERIODE)])
def test_english_and_periode_headers_give_the_norwegian_exports_rows(slt, tmp_path, name, text):
    expected = _ingest(slt, tmp_path / "no.duckdb", tmp_path, "norsk.csv", NORWEGIAN)
    assert [row[4] for row in expected] == ["fornoyd_helse"] * 3, expected
    assert expected[1][3:] == ("Totalt", "fornoyd_helse", 69.09, False, "prosent")
    assert expected[2][5:7] == (None, True)  # «..»: suppressed, never 0
    assert _ingest(slt, tmp_path / "other.duckdb", tmp_path, name, text) == expected


def test_a_tidy_ungdata_table_with_periode_is_still_a_tidy_table(slt, db, tmp_path):
    facts = _ingest(slt, db, tmp_path, "tidy.csv",
                    "Kommune;Periode;Skolenivå;Kjønn;Indikator;Prosent;Antall svar\n"
                    "Porsgrunn;2024;Ungdomsskole;Alle;Trives på skolen;85;400\n")
    assert [(period, indicator, value) for period, _, _, _, indicator, value, *_ in facts] == [
        ("2024", "trives_skolen", 85.0)]
    [(level,)] = query(db, "SELECT school_level FROM ungdata_facts")
    assert level == "Ungdomsskole"


def test_shares_read_as_fractions_are_said_in_the_message(slt, db, tmp_path):
    """Elevundersøkelsen's export gives «andel (prosent)» as 0.856: stored as 85,6 %, and the
    message says so, so that a user whose file meant 0,856 % sees what was assumed."""
    path = tmp_path / "trivsel.csv"
    path.write_text("Kommune,Skoleår,År,Kjønn,Spm.id,Klassetrinn,Måltall,Andel\n"
                    'Porsgrunn,2021/22-2023/24,2024-01-01,Kjønn samlet,spm.id,10. trinn,'
                    '"andel (prosent, standardisert)",0.856\n', encoding="utf-8")
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert query(db, "SELECT value FROM ungdata_facts") == [(85.6,)]
    assert ("1 tall for indikatorer: 1 region (Porsgrunn), 2024; andelene står som brøk "
            "(0,856 → 85,6 %) og er lagret som prosent") in done.stdout, done.stdout
    [(message,)] = query(db, "SELECT message FROM uploads")
    assert "brøk" in message
