"""A long CSV spelled as we know it is staged in one read (etl.staging_exact), and the same as
the general way stages it; anything else is left to the general way.

Each file is staged both ways, each on its own DuckDB connection over the same fast read: the
rows of ``staged`` and the problems found must be equal.  A file the exact way does not take
must leave nothing staged behind it.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from etl.ingest import ingest_file
from etl.readers import read_u18
from etl.regions import load_catalogue
from etl.staging import stage
from etl.staging_exact import MIN_BYTES, region_spellings, stage_exact
from etl.vocab import load_vocab
from tests.conftest import query

STAGED = ("SELECT CAST(region_code AS VARCHAR), year, counted_through, CAST(crime_type AS VARCHAR),"
          " CAST(age AS VARCHAR), CAST(gender AS VARCHAR), offences, suppressed, given, offenders "
          "FROM staged ORDER BY ALL")
HEADER = "Kommune;År;Krimtype;Alder;Kjønn;Antall\n"

# Exact: every label one of the spellings known before the file is read.
EXACT = {
    "plain": HEADER + "Porsgrunn;2019;Vold;15;Jenter;3\nPorsgrunn;2019;Vold;15;Gutter;4\n"
                      "Skien;2020;Vinning;16;Gutter;7\nSkien;2020;Vinning;17;Gutter;2\n",
    # other cases and aliases, suppressed cells, SSB's «-» for zero, a comma decimal, an empty
    # count (no row), a total the file gives and one it does not
    "aliases": HEADER + "porsgrunn;2019;VOLD;15 år;Jente;..\nPORSGRUNN;2019;vold;15;Gutter;-\n"
                        "Porsgrunn;2019;Vold;16;Kvinner;1,0\nPorsgrunn;2019;Vold;16;Gutter;\n"
                        "Porsgrunn;2019;Totalt;16;Gutter;5\n4001 Porsgrunn;2020;Vold;15;I alt;2\n"
                        "4001;2021;Narkotika;Totalt;Totalt;9\n",
    "no gender column": "Kommune;År;Krimtype;Alder;Antall\nBamble;2022;Vold;15;3\n"
                        "Bamble;2022;Vold;Totalt;3\n",
    # a name another kommune had before 2020: refused where the file has no figures for the
    # kommune the old one became, read as today's kommune where it has
    "former name refused": HEADER + "Bø;2020;Vold;15;Gutter;2\nBø;2019;Vold;15;Gutter;3\n",
    "former name, today's borders": HEADER + "Bø;2018;Vold;15;Gutter;4\n"
                                             "Midt-Telemark;2018;Vold;15;Gutter;5\n",
    "former name beside its number": HEADER + "Bø;2019;Vold;15;Gutter;4\n"
                                              "1867;2019;Vold;16;Gutter;5\n",
    "duplicates": HEADER + "Skien;2020;Vold;15;Gutter;7\nSkien;2020;Vold;15;Gutter;8\n",
    "future year": HEADER + "Skien;2099;Vold;15;Gutter;7\n",
    "bad count": HEADER + "Skien;2020;Vold;15;Gutter;-3\n",
}
# Not exact: the general way reads these (and names what it finds).
GENERAL = {
    "unknown crime type": HEADER + "Skien;2020;Ran;15;Gutter;7\n",
    "unknown label beside no count": HEADER + "Skien;2020;Vold;15;Gutter;7\n"
                                              "Skien;2020;Ran;15;Gutter;\n",
    "blank crime type": HEADER + "Skien;2020;;15;Gutter;7\n",
    "spaces around a label": HEADER + "Skien;2020; Vold ;15;Gutter;7\n",
    "a sum row": HEADER + "Skien;2020;Vold;15;Gutter;7\nSum;2020;Vold;15;Gutter;7\n",
    "partial year": HEADER + "Skien;2024 (pr. 01.08);Vold;15;Gutter;7\n",
    "unknown region": HEADER + "Skjen;2020;Vold;15;Gutter;7\n",
    "offenders": "Kommune;År;Krimtype;Antall;Gjerningspersoner\nSkien;2020;Vold;7;3\n",
}


def staged(path, exact: bool) -> tuple[list | None, list | None]:
    """The problems and the staged rows of ``path`` staged the exact way (None, None: not
    taken) or the general way."""
    vocab, catalogue = load_vocab(), load_catalogue()
    con = duckdb.connect()
    try:
        result = read_u18(con, path, path.name, vocab, fast=True)
        if exact:
            problems = stage_exact(con, result, vocab, catalogue, None)
        else:
            problems = stage(con, result, vocab, catalogue, None)
        tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        return problems, con.execute(STAGED).fetchall() if "staged" in tables else None
    finally:
        con.close()


@pytest.mark.parametrize("name", EXACT)
def test_a_file_spelled_as_we_know_it_is_staged_in_one_read_as_the_general_way_does(tmp_path,
                                                                                     name):
    path = tmp_path / "u18.csv"
    path.write_text(EXACT[name], encoding="utf-8")
    problems, rows = staged(path, exact=True)
    assert problems is not None, "the exact way did not take the file"
    assert (problems, rows) == staged(path, exact=False)
    assert rows or problems


@pytest.mark.parametrize("name", GENERAL)
def test_a_file_with_a_label_not_spelled_as_we_know_it_is_left_to_the_general_way(tmp_path,
                                                                                   name):
    path = tmp_path / "u18.csv"
    path.write_text(GENERAL[name], encoding="utf-8")
    assert staged(path, exact=True) == (None, None)


def test_the_problems_of_a_former_name_are_those_of_the_general_way():
    """The exact way reads «Bø» as today's Bø (Nordland) and checks it by the file's years."""
    spellings = region_spellings(load_catalogue(), load_vocab())
    assert spellings["Bø"] == spellings["1867"] == spellings["1867 Bø"] == "K1867"
    assert "Sum" not in spellings and "Hele landet" in spellings


def test_a_large_file_of_known_spellings_is_ingested_the_exact_way_and_again_unchanged(tmp_path,
                                                                                      db):
    """A file over MIN_BYTES goes the exact way through ``slt ingest``'s engine: its figures
    are stored (each total of the leaves), and the same file again changes nothing."""
    kommuner = [r.name for r in load_catalogue().regions.values() if r.level == "kommune"]
    crimes, ages = ("Vold", "Vinning", "Narkotika", "Skadeverk"), ("13", "14", "15", "16", "17")
    path = tmp_path / "national.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for year in range(2006, 2024):
            out.writelines(f"{name};{year};{crime};{age};{gender};{(len(name) + year) % 7}\n"
                           for name in kommuner for crime in crimes for age in ages
                           for gender in ("Jenter", "Gutter"))
    assert path.stat().st_size >= MIN_BYTES
    assert staged(path, exact=True)[0] == []  # the exact way takes it
    first = ingest_file(path, db, today=dt.date(2025, 3, 1))
    assert first.status == "accepted" and first.rows > 0
    expected = sum((len(name) + year) % 7 for name in kommuner for year in range(2006, 2024)) \
        * len(crimes) * len(ages) * 2
    assert query(db, "SELECT sum(offences) FROM u18_current WHERE crime_type = 'Totalt' "
                     "AND age = 'Totalt' AND gender = 'Totalt'") == [(expected,)]
    assert query(db, "SELECT region_code, offences FROM u18_current WHERE year = 2006 "
                     "AND crime_type = 'Vinning' AND age = '15' AND gender = 'Jenter' "
                     "AND region_code IN ('K4001', 'K0301') ORDER BY 1") == [
        ("K0301", (len("Oslo") + 2006) % 7), ("K4001", (len("Porsgrunn") + 2006) % 7)]
    assert ingest_file(path, db, today=dt.date(2025, 3, 1)).status == "unchanged"
