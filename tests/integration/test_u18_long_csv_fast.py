"""A long CSV is read twice over when it must be: fast, then carefully for the messages.

The fast pass reads the file through a DuckDB view without line numbers; any problem makes
``stage_file`` read it again into ``raw`` with a line number per row.  These tests hold the two
passes to the same figures, and a refused file to the careful pass's messages.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt

import duckdb
import pytest

from etl import staging, totals
from etl.errors import IngestError
from etl.ingest import _stage_and_check, ingest_file, stage_file
from etl.readers.long_table import BLOCK_BYTES, _decode_to_utf8
from etl.vocab import load_vocab
from tests.conftest import TEST_DATA, query, snapshot

TODAY = dt.date(2025, 3, 1)
STAGED = ("SELECT CAST(region_code AS VARCHAR), year, counted_through, CAST(crime_type AS VARCHAR),"
          " CAST(age AS VARCHAR), CAST(gender AS VARCHAR), offences, suppressed, given "
          "FROM staged ORDER BY ALL")

# Labels with spaces around them and in other spellings, suppressed cells, SSB's "-" for zero,
# a comma decimal that is a whole number, a blank cell (no row), a partial year in the label.
VARIED = """Kommune;År;Krimtype;Alder;Kjønn;Antall
 Skien ;2023; vold ;15 år;Jenter;3
Skien; 2023 ;Vold;15;Gutter ;7
Skien;2023;Vinning;15;Jenter;..
Skien;2023;Vinning;15;Gutter;-
Porsgrunn;2024 (pr. 01.08);Vold;15;Jenter;1,0
Porsgrunn;2024 (pr. 01.08);Vold;15;Gutter;
Porsgrunn;2024 (pr. 01.08);Vold;16;Gutter;4
"""


def refusal(path, text: str, db) -> str:
    """Write ``text`` to ``path`` and ingest it: the summary of the refusal it must get."""
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError) as error:
        ingest_file(path, db, today=TODAY)
    return error.value.summary()


def refusal_over_stored_figures(path, text: str, db) -> str:
    """:func:`refusal` on a database holding the seed's figures, which it must leave as they
    were."""
    ingest_file(TEST_DATA / "u18" / "grenland_u18_2019-2024_tidy.csv", db, today=TODAY)
    before = snapshot(db)
    summary = refusal(path, text, db)
    assert snapshot(db) == before
    return summary


def staged(path, fast: bool) -> tuple[bool, list[tuple]]:
    con = duckdb.connect()
    try:
        result, problems = _stage_and_check(con, path, path.name, None, TODAY, fast=fast)
        assert problems == []
        [(is_view,)] = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'raw' "
                                   "AND temporary").fetchall()
        return result.fast and bool(is_view), con.execute(STAGED).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("name", ["grenland_u18_2019-2024_tidy.csv",
                                  "family_c_semicolon_cp1252.csv", "family_c_english_bom.csv",
                                  "varied.csv"])
def test_the_fast_pass_stages_exactly_what_the_careful_pass_does(tmp_path, name):
    path = TEST_DATA / "u18" / name
    if name == "varied.csv":
        path = tmp_path / name
        path.write_text(VARIED, encoding="utf-8")
    fast_used, fast_rows = staged(path, fast=True)
    careful_used, careful_rows = staged(path, fast=False)
    assert fast_used and not careful_used
    assert fast_rows == careful_rows
    assert len(fast_rows) > 0


def test_a_clean_long_csv_is_staged_by_the_fast_pass_alone(tmp_path):
    path = tmp_path / "clean.csv"
    path.write_text(VARIED, encoding="utf-8")
    con = duckdb.connect()
    stage_file(con, path, path.name, None, TODAY)
    # The fast pass leaves ``raw`` a view over the file; the careful one makes it a table.
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'raw'").fetchall() \
        == [(1,)]
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'raw'").fetchall() \
        == [(0,)]
    con.close()


def test_a_bad_value_on_one_line_of_a_long_csv_is_named_by_line_and_changes_nothing(tmp_path,
                                                                                    db):
    summary = refusal_over_stored_figures(
        tmp_path / "bad_value.csv", VARIED.replace("Vold;16;Gutter;4", "Vold;16;Gutter;ca. 4"), db)
    assert summary == (
        "bad_value.csv: rad 8: Vold 2024: «ca. 4» er ikke et antall (forventet et "
        "helt tall ≥ 0, en tom celle eller et prikketegn som «..»)")
    assert query(db, "SELECT outcome FROM uploads ORDER BY upload_id DESC LIMIT 1") == [
        ("rejected",)]


def test_an_unknown_label_in_a_long_csv_is_named_by_its_first_line(tmp_path, db):
    summary = refusal(tmp_path / "unknown.csv", VARIED.replace(
        "Skien;2023;Vinning;15;Gutter", "Skien;2023;Ran;15;Gutter"), db)
    assert summary.startswith("unknown.csv: rad 5: ukjent krimtype: «Ran»; ")
    assert not db.exists() or query(db, "SELECT count(*) FROM u18_current") == [(0,)]


def test_a_wrong_total_in_a_long_csv_is_named_by_line_and_changes_nothing(tmp_path, db):
    summary = refusal_over_stored_figures(tmp_path / "total.csv",
                                          VARIED + "Skien;2023;Totalt;15;Gutter;4\n", db)
    assert "total.csv: rad 9: 15 år, Gutter 2023 er 4, men radene under summerer til 7" in summary


def test_utf8_is_recognised_across_block_boundaries_and_cp1252_converted(tmp_path):
    header = "Kommune;År;Krimtype;Antall\n"
    filler = "x" * (BLOCK_BYTES - len(header.encode("utf-8")) - 3)
    text = header + filler + "\nBø;2023;Økonomi;1\n" * 3
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes(text.encode("utf-8"))
    assert utf8.read_bytes()[BLOCK_BYTES - 1:BLOCK_BYTES + 1] == "ø".encode()  # cut in two
    assert _decode_to_utf8(utf8) == utf8
    cp1252 = tmp_path / "cp1252.csv"
    cp1252.write_bytes(text.encode("cp1252") + b"\x81")  # 0x81 is undefined in Windows-1252
    converted = _decode_to_utf8(cp1252)
    try:
        assert converted != cp1252
        assert converted.read_text(encoding="utf-8") == text + "\ufffd"
        codecs.decode(converted.read_bytes(), "utf-8")
    finally:
        converted.unlink()


def test_a_file_utf8_at_its_head_and_windows_1252_further_on_is_read_as_windows_1252(
        tmp_path, db):
    """The fast pass checks only the head for UTF-8 and leaves the rest to DuckDB's reader,
    which refuses the first line that is not; the file is then converted, as before."""
    lines = ["Region;Year;Crime type;Age;Gender;Count"]  # ASCII: the head is UTF-8 too
    lines += [f"Skien;{year};Vold;{age};Jenter;{age}" for year in range(2000, 2025)
              for age in range(10, 18)] * 20  # the same figure again and again: merged
    head = ("\n".join(lines) + "\n").encode("cp1252")
    assert len(head) > 64 * 1024
    path = tmp_path / "mixed.csv"
    path.write_bytes(head + "Bø;2024;Økonomi;15;Gutter;3\n".encode("cp1252"))
    outcome = ingest_file(path, db, today=TODAY)
    assert outcome.status == "accepted" and outcome.regions == ["Bø", "Skien"]
    assert query(db, "SELECT crime_type, age, gender, offences FROM u18_offences "
                     "WHERE region = 'Bø' AND 'Totalt' NOT IN (crime_type, age, gender)") == [
        ("Økonomi", "15", "Gutter", 3)]


def test_a_line_with_too_many_fields_is_named_with_what_was_expected(tmp_path, db):
    summary = refusal_over_stored_figures(
        tmp_path / "fields.csv", VARIED.replace("Vold;16;Gutter;4", "Vold;16;Gutter;4;5"), db)
    assert summary == (
        "fields.csv: rad 8: 7 felt, men overskriften har 6 kolonner (forventet 6 felt adskilt "
        "med «;»; står det skilletegn inne i en verdi, må verdien stå i anførselstegn)")


def test_the_same_figure_twice_in_a_long_csv_is_stored_once_or_refused_if_it_differs(tmp_path,
                                                                                      db):
    path = tmp_path / "twice.csv"
    path.write_text(VARIED + "Skien;2023;Vold;15;Gutter;7\n", encoding="utf-8")
    ingest_file(path, db, today=TODAY)
    assert query(db, "SELECT offences FROM u18_offences WHERE region = 'Skien' AND year = 2023 "
                     "AND crime_type = 'Vold' AND age = '15' AND gender = 'Gutter'") == [(7,)]
    before = snapshot(db)
    assert refusal(path, VARIED + "Skien;2023;Vold;15;Gutter;8\n", db) == (
        "twice.csv: Vold, 15 år, Gutter 2023 er 7 i rad 3, men 8 i rad 9; samme tall må være "
        "likt i alle tabellene")
    assert snapshot(db) == before


@pytest.mark.parametrize("max_bits", [totals.MAX_KEY_BITS, 0])  # bits per key, or hashes
def test_duplicates_are_found_by_bits_and_by_hashes(tmp_path, monkeypatch, max_bits):
    monkeypatch.setattr(totals, "MAX_KEY_BITS", max_bits)
    path = tmp_path / "clean.csv"
    path.write_text(VARIED, encoding="utf-8")
    con = duckdb.connect()
    stage_file(con, path, path.name, None, TODAY)
    assert totals._no_duplicates(con)
    con.execute("INSERT INTO staged (region_code, year, crime_type, age, gender, offences, "
                "suppressed, given) SELECT region_code, year, crime_type, age, gender, offences, "
                "suppressed, given FROM staged LIMIT 1")
    assert not totals._no_duplicates(con)
    con.close()


@pytest.mark.parametrize("year", ["", "   "])
def test_a_blank_year_cell_in_a_long_csv_is_refused_not_a_traceback(tmp_path, db, year):
    summary = refusal(tmp_path / "blank_year.csv", VARIED.replace(
        "Skien;2023;Vinning;15;Jenter", f"Skien;{year};Vinning;15;Jenter"), db)
    assert summary == (
        "blank_year.csv: rad 4: året mangler (tom celle; forventet et år som «2024», eller "
        "«2024 (pr. 01.08)» for et delår)")
    assert query(db, "SELECT outcome FROM uploads") == [("rejected",)]


def test_a_count_with_an_empty_label_cell_is_refused_at_its_line_not_dropped(tmp_path, db):
    # Before, the row vanished (no label to map) and the derived total left it out: 5, not 9.
    path = tmp_path / "blank_label.csv"
    summary = refusal(path, "År;Kommune;Krimtype;Antall\n2023;Skien;Vold;5\n2023;Skien;;4\n"
                            "2023;Skien;;\n", db)  # a row without a count stays ignored
    assert summary == (
        "blank_label.csv: rad 3: krimtype mangler (tom celle i en rad med et antall; forventet "
        "f.eks. «Vold» eller «Totalt»)")
    path.write_text("År;Kommune;Krimtype;Antall\n2023;Skien;Vold;5\n2023;Skien;;\n",
                    encoding="utf-8")
    assert ingest_file(path, db, today=TODAY).status == "accepted"


def test_a_count_with_a_blank_region_cell_is_refused_not_given_the_files_other_region(tmp_path,
                                                                                      db):
    # Before, the one region named in the file was taken for the blank cell without a word.
    path = tmp_path / "blank_region.csv"
    text = "År;Kommune;Krimtype;Antall\n2023;Skien;Vold;5\n2023;;Vold;4\n2023;;Vinning;\n"
    assert refusal(path, text, db) == (
        "blank_region.csv: rad 3: regionen mangler (tom celle i en rad med et antall; forventet "
        "en kommune, region eller gruppe, f.eks. «Porsgrunn» eller «Grenland»)")
    assert query(db, "SELECT outcome FROM uploads") == [("rejected",)]
    path.write_text(text.replace("\n2023;;Vold;4", ""), encoding="utf-8")  # no count: ignored
    assert ingest_file(path, db, today=TODAY).status == "accepted"


# A spreadsheet's CSV export: an empty line, a line of separators only, and a note with a line
# break inside quotes (DuckDB's parallel reader refuses that; its rows are not the file's lines).
EXPORTED = ("År;Kommune;Krimtype;Antall;Merknad\r\n2023;Skien;Vold;5;\r\n\r\n"
            "2023;Skien;Vinning;3;\"tall fra\r\nBRIS\"\r\n;;;;\r\n2023;Porsgrunn;Vold;2;\r\n")


def test_a_spreadsheet_export_with_empty_lines_and_a_quoted_line_break_is_read(tmp_path, db):
    path = tmp_path / "export.csv"
    path.write_text(EXPORTED, encoding="utf-8")
    ingest_file(path, db, today=TODAY)
    assert query(db, "SELECT region, crime_type, offences FROM u18_offences WHERE year = 2023 "
                     "AND age = 'Totalt' AND gender = 'Totalt' AND crime_type <> 'Totalt' "
                     "ORDER BY ALL") == [("Porsgrunn", "Vold", 2), ("Skien", "Vinning", 3),
                                         ("Skien", "Vold", 5)]


def test_lines_are_the_files_lines_after_empty_lines_and_quoted_line_breaks(tmp_path, db):
    # The row after the note starts on line 7, not 5 (its position among the rows).
    summary = refusal(tmp_path / "export.csv", EXPORTED.replace("Porsgrunn;Vold;2", "Porsgrunn;"
                                                                "Vold;to"), db)
    assert summary == ("export.csv: rad 7: Vold 2023: «to» er ikke et antall (forventet et helt "
                       "tall ≥ 0, en tom celle eller et prikketegn som «..»)")


NOTES = "\r\nKilde: Sør-Øst politidistrikt, analyseavdelingen\r\n\r\n«..»: skjult (under 3)\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_notes_under_a_long_csv_are_not_rows_of_it(tmp_path, db, encoding):
    """A blank line, then lines of one cell («Kilde: …»), in paragraphs: notes, not a region
    «Kilde: …» (refused before); the figures and their lines are the file's without them."""
    plain, noted = tmp_path / "plain.csv", tmp_path / "noted.csv"
    plain.write_text(VARIED, encoding=encoding)
    noted.write_bytes(VARIED.encode(encoding) + NOTES.encode(encoding))
    ingest_file(plain, tmp_path / "plain.duckdb", today=TODAY)
    ingest_file(noted, db, today=TODAY)
    figures = "SELECT * FROM u18_offences ORDER BY ALL"
    assert query(db, figures) == query(tmp_path / "plain.duckdb", figures)
    assert noted.read_bytes().endswith(NOTES.encode(encoding))  # the user's file is untouched
    summary = refusal(tmp_path / "bad.csv", VARIED.replace("Vold;16;Gutter;4", "Vold;16;Gutter;"
                                                           "ca. 4") + NOTES, db)
    assert summary.startswith("bad.csv: rad 8: Vold 2024: «ca. 4» er ikke et antall")
    # two cells after the blank line: a row of the table, read (and here refused) as before
    summary = refusal(tmp_path / "row.csv", VARIED + "\nKilde;politiet\n", db)
    assert summary.startswith("row.csv: rad 10:")


def test_a_count_too_large_to_store_is_refused_in_norwegian_naming_file_and_line(tmp_path, db):
    summary = refusal_over_stored_figures(
        tmp_path / "huge.csv", "År;Kommune;Krimtype;Alder;Kjønn;Antall\n"
        "2023;Skien;Vold;15;Gutter;3\n2023;Skien;Vold;15;Jenter;99999999999999999999\n", db)
    assert summary == (
        "huge.csv: rad 3: Vold 2023: «99999999999999999999» er større enn det største antallet "
        "som kan lagres (2\u00a0147\u00a0483\u00a0647) (forventet et helt tall ≥ 0, en tom celle "
        "eller et prikketegn som «..»)")
    assert "Exception" not in summary and "INT32" not in summary


def test_counts_whose_sum_is_too_large_to_store_are_refused_before_any_total_is_derived(
        tmp_path, db):
    summary = refusal(tmp_path / "sum.csv", "År;Kommune;Krimtype;Antall\n"
                      "2023;Skien;Vold;2000000000\n2023;Skien;Vinning;2000000000\n", db)
    assert summary == ("sum.csv: Skien 2023: tallene summerer til 4\u00a0000\u00a0000\u00a0000, "
                       "mer enn det største antallet som kan lagres (2\u00a0147\u00a0483\u00a0647)")


# Cells DuckDB reads as numbers as they stand, cells it does not, and cells it reads otherwise
# than the long way would (``1.5`` rounds as an integer, ``0x10`` is hexadecimal to it).
ODD_VALUES = ["7", " 12 ", "1 000", "12\u00a0000", "1,5", "1.5", "..", ":", "-", "\u2013",
              "1e3", "+5", "-3", "0x10", "nan", "", "   ", "00012", "<5", "1-4"]


def _values(vocab) -> list[tuple]:
    con = duckdb.connect()
    try:
        con.execute("CREATE TEMP TABLE cells AS SELECT unnest(?::VARCHAR[]) AS value, "
                    "unnest(range(?)) AS i", [ODD_VALUES, len(ODD_VALUES)])
        con.execute(f"CREATE TEMP VIEW raw_located AS SELECT i, value, "
                    f"{staging.CLEAN.format('value')} AS v FROM cells")
        staging.parse_values(con, vocab)
        return con.execute("SELECT i, suppressed, CAST(number AS VARCHAR) FROM raw_values "
                           "ORDER BY i").fetchall()
    finally:
        con.close()


def test_plain_numbers_are_read_as_the_long_way_reads_them(tmp_path):
    """Cells that read as numbers as they stand skip the cleaning: the same numbers, flags and
    empty cells as when a symbol that reads as a number («0» for zero) makes every cell take
    the long way."""
    vocab = load_vocab()
    long_way = dataclasses.replace(vocab, symbols={**vocab.symbols, "0": "zero"})
    shortcut = _values(vocab)
    assert shortcut == _values(long_way)
    by_value = {ODD_VALUES[i]: (suppressed, number) for i, suppressed, number in shortcut}
    assert by_value["1 000"] == (False, "1000.0") and by_value["1,5"] == (False, "1.5")
    assert by_value[".."] == (True, None) and by_value["-"] == (False, "0.0")
    assert "" not in by_value and "   " not in by_value


# A police district's export: its kommuner, a row for offences whose kommune is not known and
# the district's sum, in the region column beside the kommuner.
WITH_SUMS = """År;Kommune;Krimtype;Antall
2023;Skien;Vold;12
2023;Porsgrunn;Vold;9
2023;Ukjent kommune;Vold;3
2023;Sum;Vold;24
2023;Skien;Vinning;..
2023;Porsgrunn;Vinning;4
2023;Sum;Vinning;..
"""


def test_a_sum_row_and_an_unknown_kommune_in_the_region_column_are_left_out_and_named(
        tmp_path, db):
    path = tmp_path / "distrikt.csv"
    path.write_text(WITH_SUMS, encoding="utf-8")
    outcome = ingest_file(path, db, today=TODAY)
    assert outcome.status == "accepted"
    assert outcome.message.endswith(
        "; hoppet over «Sum» (summen av regionene i filen, 2 tall): lagres ikke som egen region"
        "; hoppet over «Ukjent kommune» (uoppgitt kommune, 1 tall): lagres ikke som egen "
        "region")
    assert query(db, "SELECT r.name, c.crime_type, c.offences FROM u18_current c JOIN regions r "
                     "USING (region_code) WHERE crime_type <> 'Totalt' ORDER BY ALL") == [
        ("Porsgrunn", "Vinning", 4), ("Porsgrunn", "Vold", 9), ("Skien", "Vinning", None),
        ("Skien", "Vold", 12)]
    assert query(db, "SELECT message FROM uploads")[0][0] == outcome.stored_message()


def test_a_file_of_sum_rows_only_is_refused_naming_them_and_changes_nothing(tmp_path, db):
    summary = refusal_over_stored_figures(tmp_path / "sum.csv", WITH_SUMS.replace(
        "Skien", "Sum").replace("Porsgrunn", "I alt").replace("Ukjent kommune", "Sum"), db)
    assert summary == ("sum.csv: filen har ingen rader for en kommune eller region, bare «I alt» "
                       "(summen av regionene i filen); «Sum» (summen av regionene i filen)")


def test_an_unknown_region_in_a_police_file_names_the_command_that_teaches_it(tmp_path, db):
    path = tmp_path / "gammel.csv"
    path.write_text("År;Kommune;Krimtype;Antall\n2019;Sauherad;Vold;5\n", encoding="utf-8")
    with pytest.raises(IngestError) as error:
        ingest_file(path, db, today=TODAY)
    [problem] = error.value.problems
    assert problem.unknown == ("region", "Sauherad")
    assert 'slt alias legg-til region "Sauherad"' in problem.message
    assert problem.message.startswith("rad 2: regionen «Sauherad» er ingen kjent kommune")


@pytest.mark.parametrize("header, total", [("Alder", "Totalt"), ("alder", "Alle aldre")])
def test_a_column_that_is_the_total_on_every_line_gets_the_same_totals_as_no_column(
        tmp_path, header, total):
    """The police's tidy export writes «Totalt» in the age column of every line: the other
    columns' totals are derived as for a file without that column (they were left out)."""
    lines = [("Porsgrunn", 2023, "Vold", "Jenter", 10), ("Porsgrunn", 2023, "Vold", "Gutter", 20),
             ("Porsgrunn", 2023, "Vinning", "Jenter", 5),
             ("Porsgrunn", 2023, "Vinning", "Gutter", 15)]
    stored = []
    for name, head, cell in (("without", "", ""), ("with", f";{header}", f";{total}")):
        path = tmp_path / f"{name}.csv"
        path.write_text(f"Region;År;Krimtype{head};Kjønn;Antall\n" + "".join(
            f"{r};{y};{c}{cell};{g};{n}\n" for r, y, c, g, n in lines), encoding="utf-8")
        db = tmp_path / f"{name}.duckdb"
        ingest_file(path, db)
        stored.append(query(db, "SELECT crime_type, age, gender, offences FROM u18_offences "
                                "ORDER BY ALL"))
    assert stored[1] == stored[0]
    assert ("Totalt", "Totalt", "Totalt", 50) in stored[0]
