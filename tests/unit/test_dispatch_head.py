"""Deciding a file's kind reads a bounded head of it, decoded as the readers decode the file."""

from __future__ import annotations

import pytest

from etl.dispatch import HEAD_BYTES, HEAD_LINES, classify, head_text
from tests.conftest import TEST_DATA

POLICE_HEADER = "År;Kommune;Krimtype;Alder;Kjønn;Antall\n"


def test_head_text_is_the_first_thirty_lines(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(POLICE_HEADER + "".join(f"2023;Skien;Vold;15;Jenter;{n}\n"
                                            for n in range(1000)), encoding="utf-8")
    lines = head_text(path).splitlines()
    assert len(lines) == HEAD_LINES
    assert lines[0] == POLICE_HEADER.strip() and lines[-1] == "2023;Skien;Vold;15;Jenter;28"


def test_head_text_reads_at_most_the_byte_bound_and_never_splits_a_character(tmp_path):
    # Lines of «Ø» (two bytes in UTF-8) that end on either side of the byte bound: a cut
    # inside a character would make the head invalid UTF-8 and decode it as Windows-1252.
    path = tmp_path / "wide.csv"
    line = "Ø" * (HEAD_BYTES // 6 + 1) + "\n"
    path.write_text(POLICE_HEADER + line * 10, encoding="utf-8")
    text = head_text(path)
    assert len(text.encode("utf-8")) <= HEAD_BYTES
    assert text.startswith(POLICE_HEADER.strip()) and "Ã" not in text
    assert set(text.splitlines()[1]) == {"Ø"}


def test_head_text_decodes_windows_1252_and_a_bom_as_the_readers_do(tmp_path):
    cp1252, bom = tmp_path / "cp1252.csv", tmp_path / "bom.csv"
    cp1252.write_bytes(POLICE_HEADER.encode("cp1252"))
    bom.write_bytes(b"\xef\xbb\xbf" + POLICE_HEADER.encode("utf-8"))
    assert head_text(cp1252) == head_text(bom) == POLICE_HEADER.strip()


def test_a_police_long_csv_with_a_population_like_header_is_police_whatever_its_length(
        tmp_path):
    # «Kommune» and «Antall» make a population header too; the words decide, from the head.
    path = tmp_path / "police.csv"
    path.write_text(POLICE_HEADER + "2023;Skien;Vold;15;Jenter;3\n" * 50_000, encoding="utf-8")
    assert classify(path, "police.csv") == "u18"


def test_the_kind_of_every_checked_in_text_fixture_is_the_one_its_whole_text_gives():
    paths = [path for folder in ("population", "ssb", "ungdata", "u18")
             for path in sorted((TEST_DATA / folder).glob("*.csv"))]
    kinds = {path.name: classify(path, path.name) for path in paths}
    assert set(kinds.values()) == {"population", "ssb_08487", "fhi", "survey", "u18"}
    assert kinds == {path.name: _whole_file_kind(path) for path in paths}


def _whole_file_kind(path) -> str:
    """The kind as the whole file's text gives it (the way classify decided before)."""
    from etl import dispatch
    from etl.readers.stat_text import decode

    text = decode(path)
    if dispatch._text_header(text, dispatch.ssb.is_08487_header):
        return "ssb_08487"
    for name, test in (("population", dispatch._population_text), ("fhi", dispatch._fhi_text),
                       ("survey", dispatch._survey_table)):
        if test(text):
            return name
    return "u18"


def _workbook(path, sheets: dict[str, list[list]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def _key_figures() -> list[list]:
    import csv

    from etl.readers.stat_text import decode, delimiter_of

    text = decode(TEST_DATA / "ungdata" / "nokkeltall_skien_years.csv")
    lines = text.splitlines()
    return list(csv.reader(lines, delimiter=delimiter_of(lines[0])))


@pytest.mark.parametrize("sheets, kind", [
    ({"Nøkkeltall": _key_figures()}, "survey_sheet"),
    ({"Tom": [], "Nøkkeltall": _key_figures()}, "survey_sheet"),
    # a header below line 30 is not looked for, with the whole sheet or its head alike
    ({"Nøkkeltall": [[None]] * 35 + _key_figures(), "Neste": _key_figures()}, "u18"),
])
def test_a_workbook_is_classified_from_the_head_of_its_first_sheet_as_from_all_of_it(
        tmp_path, sheets, kind):
    from etl.readers import ungdata_tables

    path = tmp_path / "book.xlsx"
    _workbook(path, sheets)
    assert classify(path, "book.xlsx") == kind
    whole = ungdata_tables.sheet_text(path, "book.xlsx")
    assert kind == ("survey_sheet" if _whole_text_is_survey(whole) else "u18")


def _whole_text_is_survey(text: str) -> bool:
    from etl import dispatch

    return dispatch._survey_table(text)


@pytest.mark.parametrize("header, kind", [
    # region and year in the population's words, a count column not known yet: population,
    # so the population reader names the column with the command that teaches it
    ("region;år;kjønn;alder;Folkemengde i alt", "population"),
    ("Kommune;År;Alder;Folkemengde", "population"),
    # the police long table's year and count, or its crime type: police, whatever else
    ("År;Kommune;Alder;Kjønn;Antall", "u18"),
    ("År;Kommune;Krimtype;Alder;Kjønn;Antal", "u18"),
    # more than a count column unknown: not said to be population (the police refusal, as before)
    ("Region;År;Farge;Form", "u18"),
])
def test_a_header_of_region_and_year_without_police_columns_is_population(
        tmp_path, header, kind):
    path = tmp_path / "file.csv"
    path.write_text(header + "\n" + "Skien;2023;15;Jenter;3\n" * 100, encoding="utf-8")
    assert classify(path, "file.csv") == kind
    book = tmp_path / "file.xlsx"
    _workbook(book, {"Ark1": [header.split(";"), ["Skien", 2023, "15", "Jenter", 3]]})
    assert classify(book, "file.xlsx") == ("u18" if kind == "u18" else f"{kind}_sheet")
