"""Read a police U18 file of any supported layout into the staging table ``raw``.

The kind of file is decided from its bytes, never from its name: a spreadsheet (xlsx, xls,
ods) is read cell by cell with python-calamine; text is read as a CSV by DuckDB.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import python_calamine

from etl.errors import IngestError, Problem
from etl.readers.common import RawTable, ReadResult, is_blank
from etl.readers.grid_csv import grid_rows
from etl.readers.long_table import (
    looks_like_long_header,
    read_csv,
    read_long_sheet,
    years_as_columns,
)
from etl.readers.workbook import partial_markers, read_sheet
from etl.readers.years_table import read_years_sheet
from etl.vocab import DIMENSIONS, Vocab

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_FORMULA_CELL = re.compile(
    rb'<c\b[^>]*\br="([A-Z]+[0-9]+)"[^>/]*>((?:(?!</c>).)*?<f[ >/](?:(?!</c>).)*?)</c>',
    re.DOTALL)
_CACHED_VALUE = re.compile(rb"<v>[^<]+</v>")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def sniff_kind(path: Path, file_name: str) -> str:
    """``spreadsheet``, ``json`` or ``text``; a one-line refusal for anything else."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if not head.strip():
        raise IngestError.one(file_name, "filen er tom")
    if head.startswith(ZIP_MAGIC):
        _check_zip(path, file_name)
        _refuse_uncached_formulas(path, file_name)
        return "spreadsheet"
    if head.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in path.read_bytes():
            raise IngestError.one(file_name, "filen er passordbeskyttet; lagre den uten passord "
                                             "i Excel og prøv igjen")
        return "spreadsheet"
    if b"\x00" in head:
        raise IngestError.one(file_name, "filen er verken et regneark (xlsx, xls, ods) eller "
                                         "tekst (csv, json)")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return "json"
    return "text"


def _check_zip(path: Path, file_name: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise IngestError.one(file_name, "filen ser ut som et Excel-regneark, men er skadet "
                                         "(kan ikke pakkes ut)") from None
    if "[Content_Types].xml" not in names and "mimetype" not in names:
        raise IngestError.one(file_name, "filen er et zip-arkiv, men ikke et regneark")
    if unpacked > MAX_UNPACKED_BYTES:
        raise IngestError.one(
            file_name, f"regnearket pakker seg ut til {unpacked // 2**20} MB, mer enn "
                       f"{MAX_UNPACKED_BYTES // 2**20} MB; del det opp eller send det som CSV")


def _sheet_files(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet XML member → the sheet's name as the user sees it."""
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    files = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        files["xl/" + target.lstrip("/").removeprefix("xl/")] = sheet.get("name")
    return {member: name for member, name in files.items() if member in archive.namelist()}


def _refuse_uncached_formulas(path: Path, file_name: str) -> None:
    """Formulas are read as the values Excel saved with them; one without a value is refused.

    We never evaluate formulas: a file written by a program that does not compute them would
    otherwise show empty cells, read as "none".
    """
    with zipfile.ZipFile(path) as archive:
        for member, sheet in _sheet_files(archive).items():
            xml = archive.read(member)
            if b"<f" not in xml:
                continue
            cells = [cell.decode() for cell, body in _FORMULA_CELL.findall(xml)
                     if not _CACHED_VALUE.search(body)]
            if cells:
                what = "én celle har en formel" if len(cells) == 1 else \
                    f"{len(cells)} celler har formler"
                raise IngestError.one(
                    file_name, f"{what} uten lagret verdi ({', '.join(cells[:5])}); åpne filen "
                    "i Excel, lagre den og prøv igjen", sheet)


def _sheets(path: Path, file_name: str) -> list[tuple[str, list[list]]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        return [(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
                for name in workbook.sheet_names]
    except Exception as exc:  # calamine raises its own error types for broken files
        raise IngestError.one(file_name, f"regnearket kan ikke leses ({exc})") from None


def _first_filled_row(rows: list[list]) -> int | None:
    for r, row in enumerate(rows):
        if any(not is_blank(c) for c in row):
            return r
    return None


def read_spreadsheet(con: duckdb.DuckDBPyConnection, path: Path, file_name: str,
                     vocab: Vocab) -> ReadResult:
    return _read_sheets(con, _sheets(path, file_name), file_name, vocab)


def _read_sheets(con: duckdb.DuckDBPyConnection, sheets: list[tuple[str, list[list]]],
                 file_name: str, vocab: Vocab) -> ReadResult:
    """The rows of every sheet: long tables and cross tables (a CSV grid is one sheet with
    no name, so its problems name the cell alone)."""
    wide, problems, long_results = RawTable(), [], []
    for name, rows in sheets:
        first = _first_filled_row(rows)
        if first is None:
            continue
        years = years_as_columns(rows[first], vocab)  # «Kommune | Krimtype | 2021 | 2022»
        if years or looks_like_long_header(rows[first], vocab):
            if long_results:
                raise IngestError.one(file_name, "flere ark har lange tabeller; legg dem i ett "
                                                 "ark eller send én fil per ark", name)
            read = read_years_sheet if years else read_long_sheet
            long_results.append(read(con, name, rows, first, file_name, vocab))
        else:
            read_sheet(name, rows, vocab, wide, problems)
    if problems:
        raise IngestError(file_name, problems)
    if long_results and len(wide):
        raise IngestError.one(file_name, "filen blander lange tabeller og krysstabeller i ulike "
                                         "ark; send dem som separate filer")
    if long_results:
        return long_results[0]
    if not len(wide):
        raise IngestError(file_name, [Problem(
            "fant ingen tabell: ingen rad har årstall som kolonneoverskrifter (forventet f.eks. "
            "«Alder ved gjerning | 2019 | 2020 | …») og ingen lang tabell med kolonnene År og "
            "Antall")])
    wide.load(con)
    partial, extracted = partial_markers(wide.titles + wide.notes)
    # A table of a region per column names every row's region (a «Sum» column is then left
    # out as no region).  Any other table's rows carry its sheet's name, its region when no
    # title names one (a sheet per kommune), else no problem (etl.staging_regions.place_text).
    named = not wide.sheet_labels and all(r is not None for r in wide.columns["region"])
    # Crime types by gender (or age) in one table: the totals it leaves out are derived and
    # those it gives checked, as for a long table of those two; with other pairs beside it,
    # no cell is a leaf of both, and nothing is derived.
    derive = {"derive_totals": True, "dimensions": tuple(
        d for d in DIMENSIONS if d in next(iter(wide.crossed)))} if len(wide.crossed) == 1 else {}
    return ReadResult(sheet_partial=partial, extracted=extracted, **derive,
                      offenders=wide.has_offenders, notes=wide.left_out, region_column=named,
                      region_cells=wide.region_cells, sheet_labels=frozenset(wide.sheet_labels))


def read_u18(con: duckdb.DuckDBPyConnection, path: Path, file_name: str,
             vocab: Vocab, fast: bool = False) -> ReadResult:
    """Read ``path`` into the temp table ``raw`` of ``con``.

    ``fast``: a CSV becomes a view over the file instead (see :func:`read_csv`); spreadsheets
    are read as always.
    """
    kind = sniff_kind(path, file_name)
    if kind == "spreadsheet":
        return read_spreadsheet(con, path, file_name, vocab)
    if kind == "json":
        raise IngestError.one(file_name, "JSON-filer kan ikke inneholde U18-tabeller fra politiet; "
                                         "send regnearket eller en CSV")
    if (grid := grid_rows(path, vocab)) is not None:  # a cross table saved as CSV
        return _read_sheets(con, [("", grid)], file_name, vocab)
    return read_csv(con, path, file_name, vocab, fast=fast)
