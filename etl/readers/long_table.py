"""Long police tables (layout family (c)): one row per observation, CSV or a sheet.

Headers may be Norwegian or English (``etl/vocab/headers.csv``); CSV files may be separated by
comma, semicolon or tab, in UTF-8 (with or without BOM) or Windows-1252.  The file is read by
DuckDB straight into the staging database, so a file of millions of rows never passes through
Python row by row.
"""

from __future__ import annotations

import codecs
import csv
import os
import tempfile
from pathlib import Path

import duckdb

from etl.errors import IngestError, Problem
from etl.periods import parse_year_label
from etl.readers.common import (
    RAW_COLUMNS,
    ReadResult,
    cell_name,
    is_blank,
    sql_text,
    value_text,
)
from etl.readers.stat_text import without_footnotes
from etl.rows import temp_table
from etl.vocab import DIMENSIONS, Vocab, alias_hint

SNIFF_BYTES = 64 * 1024
BLOCK_BYTES = 1 << 22
# A CSV laid out as a sheet (a cross table, a column per year) is read in Python, as a
# sheet's rows are: up to this size (etl.readers.grid_csv).
MAX_GRID_BYTES = 4 << 20
HEADER_SEARCH_LINES = 10


def column_map(names: list[str], vocab: Vocab, file_name: str, where: str | None,
                header_cells: list[str] | None = None) -> dict[str, int]:
    """Our column name → the position of the file's column; fails listing what is not known."""
    mapping, unknown, problems = {}, [], []
    for i, name in enumerate(names):
        column = vocab.header(name)
        if column is None:
            unknown.append(str(name))
        elif column == "ignore":
            continue
        elif column in mapping:
            problems.append(Problem(f"to kolonner betyr det samme ({column}): «{name}»", where,
                                    header_cells[i] if header_cells else None))
        else:
            mapping[column] = i
    if unknown:
        problems.append(Problem(
            "ukjente kolonner: " + ", ".join(f"«{name}»" for name in unknown) + ". Kjente navn "
            "er f.eks. År, Kommune, Krimtype, Alder, Kjønn, Antall; "
            + alias_hint("kolonne", unknown[0]), where, unknown=("kolonne", unknown[0])))
    for required, label in (("year", "År/Year"), ("offences", "Antall/Count")):
        if required not in mapping:
            problems.append(Problem(f"mangler kolonnen {label}", where))
    if problems:
        raise IngestError(file_name, problems)
    return mapping


def looks_like_long_header(cells: list[object], vocab: Vocab) -> bool:
    known = {vocab.header(c) for c in cells if not is_blank(c)}
    return {"year", "offences"} <= known


def _decode_to_utf8(path: Path) -> Path:
    """A UTF-8 version of ``path``: itself when it already is UTF-8, else a Windows-1252 copy.

    Checked and converted a block at a time, so a file of hundreds of megabytes is never held
    in memory whole.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(BLOCK_BYTES), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        return path
    except UnicodeDecodeError:
        pass
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="slt-")
    with open(path, "rb") as fh, os.fdopen(fd, "wb") as out:
        for block in iter(lambda: fh.read(BLOCK_BYTES), b""):
            # Windows-1252 is one byte per character: a block never ends inside one.
            out.write(block.decode("cp1252", errors="replace").encode("utf-8"))
    return Path(tmp)


def _head_is_utf8(path: Path) -> bool:
    """True when the first :data:`SNIFF_BYTES` of ``path`` are UTF-8 (a character cut at the
    end of them counts as UTF-8)."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return False
    return True


def _sniff(path: Path, vocab: Vocab, file_name: str) -> tuple[str, int, list[str]]:
    """Delimiter, lines to skip before the header, and the header cells."""
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        head = fh.read(SNIFF_BYTES)
    lines = head.splitlines()[:HEADER_SEARCH_LINES]
    for skip, line in enumerate(lines):
        delimiter = max(";,\t", key=line.count)
        cells = next(csv.reader([line], delimiter=delimiter))
        if looks_like_long_header(cells, vocab):
            return delimiter, skip, [c.strip() for c in cells]
        if years_as_columns(cells, vocab):  # read as a sheet (etl.readers.grid_csv) when small
            if len(head) < SNIFF_BYTES and not any(
                    rest.strip(f"{delimiter} \t") for rest in head.splitlines()[skip + 1:]):
                raise IngestError.one(file_name, (
                    f"linje {skip + 1} er en overskrift med en kolonne per år "
                    f"(«{' | '.join(c.strip() for c in cells)}»), men filen har ingen rader "
                    "under den"))
            raise IngestError.one(file_name, (
                f"linje {skip + 1} har en kolonne per år («{' | '.join(cells[:4])} | …»); en "
                f"slik fil leses når den er under {MAX_GRID_BYTES >> 20} MB. Del den opp (f.eks. "
                "én fil per fylke), eller send den som lang tabell med kolonnene År og Antall"))
    first = lines[0] if lines else ""
    raise IngestError.one(
        file_name, "fant ingen overskriftsrad med År og Antall i de første "
        f"{HEADER_SEARCH_LINES} linjene (første linje: «{first[:80]}»)")


def _cells(line: bytes, delimiter: str) -> list[str]:
    """A CSV line's cells, stripped (none for a blank line)."""
    text = line.decode("utf-8", errors="replace").strip().lstrip("\ufeff")
    return [cell.strip() for cell in next(csv.reader([text], delimiter=delimiter))] if text \
        else []


def _notes_start(path: Path, delimiter: str) -> int | None:
    """The byte at which notes under the table begin (the rule of
    :func:`etl.readers.stat_text.without_footnotes`: after a blank line that follows the last
    row of figures, lines of at most one cell), or None when the file ends with its table.
    Only the last :data:`SNIFF_BYTES` are read."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        start = max(0, size - SNIFF_BYTES)
        fh.seek(start)
        block = fh.read()
    if start:  # begin at a whole line
        cut = block.find(b"\n")
        if cut < 0:
            return None
        block, start = block[cut + 1:], start + cut + 1
    lines = block.splitlines(keepends=True)
    kept = len(without_footnotes([_cells(line, delimiter) for line in lines]))
    return None if kept == len(lines) else start + sum(len(line) for line in lines[:kept])


def _without_notes(path: Path, delimiter: str, temporary: list[Path]) -> Path:
    """``path``, or when notes stand under its table (:func:`_notes_start`) a copy that ends
    before them (``path`` itself cut short when it is already our temporary copy).  Every line
    keeps its number: the notes are at the end."""
    cut = _notes_start(path, delimiter)
    if cut is None:
        return path
    if path in temporary:
        os.truncate(path, cut)
        return path
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="slt-")
    with open(path, "rb") as fh, os.fdopen(fd, "wb") as out:
        left = cut
        while left > 0:
            block = fh.read(min(BLOCK_BYTES, left))
            if not block:
                break
            out.write(block)
            left -= len(block)
    temporary.append(Path(tmp))
    return Path(tmp)


def _select_raw(mapping: dict[str, int], source: str, line: str = "CAST(NULL AS BIGINT)",
                sheet: str = "CAST(NULL AS VARCHAR)", cell: str = "CAST(NULL AS VARCHAR)",
                trim: bool = True, offenders_cell: str = "CAST(NULL AS VARCHAR)") -> str:
    """SQL that turns the file's columns (named ``c0``, ``c1``, … by us, never by the file)
    into the raw columns every reader hands on.

    ``trim=False`` leaves spaces around labels (not around a date) to the label mapping,
    which ignores them: trimming every cell of a million rows costs more than reading them.
    """
    exprs = {"line": line, "sheet": sheet, "cell": cell,
             "value": f"CAST(c{mapping['offences']} AS VARCHAR)"}
    if "offenders" in mapping:  # a second count: the number of persons (gjerningspersoner)
        exprs["offenders"] = f"CAST(c{mapping['offenders']} AS VARCHAR)"
        exprs["offenders_cell"] = offenders_cell
    for column in ("region", "year", "counted_through", *DIMENSIONS):
        if column in mapping:
            text = f"CAST(c{mapping[column]} AS VARCHAR)"
            exprs[column] = f"trim({text})" if trim or column == "counted_through" else text
        elif column in DIMENSIONS:
            exprs[column] = "'Totalt'"
    parts = [f"{exprs.get(column, 'CAST(NULL AS VARCHAR)')} AS {column}"
             for column in RAW_COLUMNS]
    return f"SELECT {', '.join(parts)} FROM {source}"


def _dimensions(mapping: dict[str, str]) -> tuple[str, ...]:
    return tuple(d for d in DIMENSIONS if d in mapping)


def _first_long_line(path: Path, delimiter: str, skip: int,
                     columns: int) -> tuple[int, int] | None:
    """Line number and field count of the first row with more fields than the header.

    Only asked when DuckDB's reader has refused the file (its message names no line we can
    trust); a row with fewer fields is padded with empty cells, as the reader does.
    """
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        for row in reader:
            if reader.line_num > skip + 1 and len(row) > columns:
                return reader.line_num, len(row)
    return None


def _record_lines(path: Path, delimiter: str, skip: int, records: int) -> list[int] | None:
    """The line each of the file's ``records`` data rows starts on, or None when that is
    simply its position (the usual case, told from the file's number of line breaks alone).

    DuckDB's reader skips empty lines and a quoted value may hold line breaks, so a row's
    position is then not its line; Python's csv module, which counts physical lines, tells.
    """
    breaks, last = 0, b"\n"
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(BLOCK_BYTES), b""):
            breaks, last = breaks + block.count(b"\n"), block[-1:]
    lines = breaks + (last != b"\n")
    if lines - skip - 1 == records:
        return None
    starts: list[int] = []
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        for _ in range(skip):
            fh.readline()
        reader = csv.reader(fh, delimiter=delimiter)
        seen, header = skip, True
        for row in reader:
            if row and not header:
                starts.append(seen + 1)
            header = header and not row
            seen = skip + reader.line_num
    return starts


def read_csv(con: duckdb.DuckDBPyConnection, path: Path, file_name: str,
             vocab: Vocab, fast: bool = False) -> ReadResult:
    """The file as the staging table ``raw``, or with ``fast`` as the view ``raw`` over it.

    The view is read by DuckDB's parallel CSV reader each time it is scanned (twice: for the
    distinct labels, then into ``staged``), so the file's rows are never held as text; but it
    has no line numbers.  A fast read whose staging finds any problem is repeated without
    ``fast`` (:func:`etl.ingest.stage_file`), so every message names its line.
    """
    # A fast read whose head is UTF-8 leaves checking the rest to DuckDB's reader, which
    # refuses a line that is not UTF-8 (then the careful read converts the file as the Python
    # check does: a file of hundreds of megabytes is not decoded twice).
    utf8_path = path if fast and _head_is_utf8(path) else _decode_to_utf8(path)
    temporary = [utf8_path] if utf8_path != path else []
    try:
        delimiter, skip, header = _sniff(utf8_path, vocab, file_name)
        utf8_path = _without_notes(utf8_path, delimiter, temporary)
        mapping = column_map(header, vocab, file_name, None)
        names = [f"c{i}" for i in range(len(header))]
        result = ReadResult(derive_totals=True, dimensions=_dimensions(mapping),
                            line_offset=skip + 2, region_column="region" in mapping,
                            offenders="offenders" in mapping)
        if fast:
            # Literals, not parameters: a view cannot hold parameters.  The path is ours or
            # the user's file name, quoted; the delimiter is one of ``;,\t``.
            source = (f"read_csv({sql_text(str(utf8_path))}, delim={sql_text(delimiter)}, "
                      f"skip={int(skip)}, header=true, "
                      f"names=[{', '.join(map(sql_text, names))}], all_varchar=true, "
                      "quote='\"', null_padding=true)")
            con.execute("CREATE OR REPLACE TEMP VIEW raw AS "
                        + _select_raw(mapping, source, trim=False))
            result.fast, result.temporary, temporary = True, temporary, []
            return result
        # One thread: DuckDB's parallel reader refuses a quoted value with a line break.
        source = ("read_csv(?, delim=?, skip=?, header=true, names=?, all_varchar=true, "
                  "quote='\"', null_padding=true, parallel=false)")
        select = _select_raw(mapping, source)
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE raw AS {select}",
                        [str(utf8_path), delimiter, skip, names])
            [(records,)] = con.execute("SELECT count(*) FROM raw").fetchall()
            starts = _record_lines(utf8_path, delimiter, skip, records)
            if starts is not None:
                temp_table(con, "raw_lines", {"n": "BIGINT", "line": "BIGINT"},
                           {"n": range(len(starts)), "line": starts})
                con.execute("UPDATE raw SET line = l.line FROM raw_lines l "
                            "WHERE raw.rowid = l.n")
                con.execute("DROP TABLE raw_lines")
        except duckdb.Error as exc:
            bad = _first_long_line(utf8_path, delimiter, skip, len(header))
            if bad is not None:
                line, fields = bad
                shown = {"\t": "tabulator"}.get(delimiter, delimiter)
                raise IngestError.one(
                    file_name, f"rad {line}: {fields} felt, men overskriften har {len(header)} "
                    f"kolonner (forventet {len(header)} felt adskilt med «{shown}»; står det "
                    "skilletegn inne i en verdi, må verdien stå i anførselstegn)") from None
            raise IngestError.one(file_name, f"filen kunne ikke leses som CSV: {exc}") from None
    finally:
        for tmp in temporary:
            tmp.unlink(missing_ok=True)
    return result


def read_long_sheet(con: duckdb.DuckDBPyConnection, sheet: str, rows: list[list],
                    header_row: int, file_name: str, vocab: Vocab) -> ReadResult:
    """A long table on a worksheet; ``rows`` is the whole sheet from A1."""
    header = [value_text(c) for c in rows[header_row]]
    used = [i for i, c in enumerate(header) if c]
    mapping = column_map([header[i] for i in used], vocab, file_name, sheet,
                          [cell_name(header_row, i) for i in used])
    value_col = used[mapping["offences"]]
    offenders_col = used[mapping["offenders"]] if "offenders" in mapping else None
    data: dict[str, list] = {f"c{n}": [] for n in range(len(used))}
    lines, cells, offender_cells = [], [], []
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if all(is_blank(c) for c in row):
            continue
        for n, i in enumerate(used):
            data[f"c{n}"].append(value_text(row[i]) if i < len(row) else "")
        lines.append(r + 1)
        cells.append(cell_name(r, value_col))
        offender_cells.append(None if offenders_col is None else cell_name(r, offenders_col))
    return sheet_result(con, sheet, mapping, data, lines, cells, offender_cells)


def sheet_result(con, sheet: str, mapping: dict[str, int], data: dict[str, list],
                  lines: list[int], cells: list[str], offender_cells: list) -> ReadResult:
    """The temp table ``raw`` of a sheet's rows (``data``: the columns ``c0``, ``c1`` …)."""
    types = {**dict.fromkeys(data, "VARCHAR"), "line_no": "BIGINT", "cell_ref": "VARCHAR",
             "offenders_ref": "VARCHAR"}
    temp_table(con, "raw_sheet", types, {**data, "line_no": lines, "cell_ref": cells,
                                         "offenders_ref": offender_cells})
    select = _select_raw(mapping, "raw_sheet", line="line_no", sheet="CAST(? AS VARCHAR)",
                         cell="cell_ref", offenders_cell="offenders_ref")
    con.execute(f"CREATE OR REPLACE TEMP TABLE raw AS {select}", [sheet])
    con.execute("DROP TABLE raw_sheet")
    return ReadResult(derive_totals=True, dimensions=_dimensions(mapping),
                      region_column="region" in mapping, offenders="offenders" in mapping)


def is_year_header(cell: object) -> bool:
    try:
        return parse_year_label(cell) is not None
    except ValueError:
        return False


def years_as_columns(cells: list[object], vocab: Vocab) -> bool:
    """A header of columns the police vocabulary names (two of region, crime type, age and
    gender, or a region) and then years: ``Kommune;Krimtype;2021;2022;2023``, as a pivot
    table is exported.  (One label column and years is a cross table under a title.)"""
    filled = [c for c in cells if not is_blank(c)]
    keys = [vocab.header(c) for c in filled if not is_year_header(c)]
    years = len(filled) - len(keys)
    return (years >= 1 and bool(keys) and None not in keys
            and set(keys) <= {"region", *DIMENSIONS} and len(set(keys)) == len(keys)
            and (len(keys) >= 2 or keys == ["region"]))
