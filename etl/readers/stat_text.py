"""Shared parts of the population, survey and SSB readers: text decoding, header finding,
column roles from alias files, numbers with SSB symbols, and json-stat2.

Every function is pure (text or parsed JSON in, values out) and raises :class:`IngestError`
naming the file and line when something is not understood.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.errors import IngestError, Problem
from etl.vocab import alias_hint, label_key, load_vocab, user_rows, vocab_rows

BOM = b"\xef\xbb\xbf"
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def decode(path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (a superset of ISO-8859-1's letters)."""
    data = Path(path).read_bytes()
    if data.startswith(BOM):
        return data[len(BOM):].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def delimiter_of(line: str) -> str:
    counts = {d: line.count(d) for d in (";", "\t", ",")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


@dataclass
class TextTable:
    header: list[str]
    rows: list[list[str]]
    first_line: int  # 1-based line number of the first data row
    titles: list[str]

    def line_of(self, index: int) -> int:
        return self.first_line + index


def split_lines(text: str) -> list[str]:
    return text.splitlines()


def read_table(text: str, is_header, file_name: str) -> TextTable:
    """The first line for which ``is_header(cells)`` is true starts the table; lines before it
    are titles (Statbank puts the table name and a blank line first)."""
    lines = split_lines(text)
    for number, line in enumerate(lines[:30]):
        if not line.strip():
            continue
        delimiter = delimiter_of(line)
        cells = next(csv.reader([line], delimiter=delimiter))
        if is_header([c.strip() for c in cells]):
            body = csv.reader(io.StringIO("\n".join(lines[number + 1:])), delimiter=delimiter)
            rows = without_footnotes([[c.strip() for c in row] for row in body])
            titles = [t.strip().strip('"') for t in lines[:number] if t.strip()]
            return TextTable([c.strip() for c in cells], rows, number + 2, titles)
    raise IngestError.one(file_name, "fant ingen overskriftsrad i de første 30 linjene")


def join_split_header(text: str, is_period, is_measure, key_name) -> str:
    """Statbank's workbook («Lagre som Excel») writes the statistic variable on one row (once
    over its periods) and the periods on the row under it, often over blank key headers.  The
    two rows become one header (``Personer 2024``, ``Anmeldte lovbrudd 2023-2024``) where a
    period row (cells ``is_period`` after its first key cells) stands under a row with a cell
    ``is_measure``; a blank key header is named by ``key_name`` of the cell under it in the
    first row of figures.  The text is ``;``-separated as
    :func:`etl.readers.ungdata_tables.sheet_text` writes it, and every line keeps its number
    (the variable row becomes blank)."""
    lines = text.split("\n")
    for n in range(1, min(len(lines) - 1, 30)):
        cells = lines[n].split(";")
        keys = next((i for i, c in enumerate(cells) if is_period(c)), 0)
        values = cells[keys:]
        if not keys or not all(is_period(c) for c in values if c.strip()):
            continue
        above, measures, current = lines[n - 1].split(";"), [], ""
        for i in range(keys, len(cells)):
            current = (above[i] if i < len(above) else "").strip() or current
            measures.append(current)
        if not any(is_measure(m) for m in measures):
            continue
        first = lines[n + 1].split(";")
        names = [c.strip() or key_name(first[i] if i < len(first) else "")
                 for i, c in enumerate(cells[:keys])]
        lines[n - 1] = ""
        lines[n] = ";".join([*names, *(f"{m} {p}".strip() for m, p in zip(measures, values))])
        break
    return "\n".join(lines)


def without_footnotes(rows: list[list[str]]) -> list[list[str]]:
    """``rows`` without the notes under a table: after a blank row that follows figures, lines
    that fill at most one cell each («Kilde: SSB», «..: Oppgave mangler», as Statbank, FHI and
    a user's own «Kilde:» line in Excel put them), in one or more paragraphs.  Anything else
    after the blank row is kept (and read, or refused, as rows of the table).  Only the tail is
    looked at: a table of 200 000 rows costs nothing more."""
    end = len(rows)
    while end and sum(1 for c in rows[end - 1] if c) <= 1:
        end -= 1  # back over the notes and blank rows to the last row of figures
    tail = rows[end:]
    if end and tail and not any(tail[0]) and any(any(row) for row in tail):
        return rows[:end]
    return rows


def alias_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The lines of ``etl/vocab/<name>``, with the user's own (``slt alias``) while an ingest
    runs."""
    return vocab_rows(name)


def value_map(dimension: str) -> dict[str, str]:
    """Canonical values of ``dimension`` from stat_values.csv (plus genders.csv for gender)."""
    return _value_map(dimension, user_rows())


@cache
def _value_map(dimension: str, _user: tuple) -> dict[str, str]:
    result = dict(load_vocab().genders) if dimension == "gender" else {}
    result.update({label_key(alias): canonical
                   for dim, alias, canonical in alias_rows("stat_values.csv") if dim == dimension})
    return result


def _role_aliases(alias_file: str) -> dict[str, tuple[str, int]]:
    return _role_aliases_of(alias_file, user_rows())


@cache
def _role_aliases_of(alias_file: str, _user: tuple) -> dict[str, tuple[str, int]]:
    return {label_key(alias): (role, int(priority or 1))
            for role, alias, priority in alias_rows(alias_file)}


def column_roles(header: list[str], alias_file: str) -> tuple[dict[str, int], list[int]]:
    """role → column index (lowest priority number wins), and the columns no alias names."""
    aliases = _role_aliases(alias_file)
    best: dict[str, tuple[int, int]] = {}
    unnamed = []
    for index, name in enumerate(header):
        if (hit := aliases.get(label_key(name))) is None:
            unnamed.append(index)
            continue
        role, priority = hit
        if role != "ignore" and (role not in best or priority < best[role][0]):
            best[role] = (priority, index)
    return {role: index for role, (_, index) in best.items()}, unnamed


def parse_number(text: object, extra_symbols: dict[str, str] | None = None
                 ) -> tuple[float | None, bool] | None:
    """(value, suppressed) for a cell, or None when it is neither a number nor a known symbol.

    Decimal comma, spaces and non-breaking spaces as thousand separators are accepted; SSB's
    symbols come from etl/vocab/symbols.csv: suppressed → (None, True), zero → (0, False).
    """
    s = str(text).replace("\u00a0", "").replace(" ", "").strip()
    if _NUMBER.match(s):
        return float(s.replace(",", ".")), False
    symbols = {**load_vocab().symbols, **(extra_symbols or {})}
    meaning = symbols.get(s)
    if meaning == "suppressed":
        return None, True
    if meaning == "zero":
        return 0.0, False
    if meaning == "missing":
        return None, False
    return None


def unknown_problem(what: str, labels, file_name: str, hint: str, kind: str | None = None,
                    example: str | None = None, sheet: str | None = None,
                    cell: str | None = None) -> IngestError:
    """«ukjent WHAT: «a», «b». HINT»; with ``kind`` (of :data:`etl.vocab.ALIAS_KINDS`), also how
    to teach the first one (``slt alias``, or Last opp: ``Problem.unknown``); ``sheet`` and
    ``cell``: where the (one) label stands."""
    labels = sorted(set(map(str, labels)))
    shown = ", ".join(f"«{label}»" for label in labels[:20])
    if kind is None:
        return IngestError(file_name, [Problem(f"ukjent {what}: {shown}. {hint}", sheet, cell)])
    teach = alias_hint(kind, labels[0], example)
    return IngestError(file_name, [Problem(f"ukjent {what}: {shown}. {hint}; {teach}",
                                           sheet, cell, unknown=(kind, labels[0]))])


def jsonstat_dataset(doc: object) -> dict:
    """A json-stat 2 dataset as is; a json-stat 1 answer (``{"dataset": {"dimension": {"id":
    …, "size": …}}}``) in the same shape."""
    if not isinstance(doc, dict):
        return {}
    if doc.get("class") == "dataset" or not isinstance(doc.get("dataset"), dict):
        return doc
    old = doc["dataset"]
    dimension = dict(old.get("dimension", {}))
    ids = dimension.pop("id", [])
    size = dimension.pop("size", [])
    dimension.pop("role", None)
    return {**old, "class": "dataset", "id": ids, "size": size, "dimension": dimension}


def jsonstat_rows(doc: dict, file_name: str) -> tuple[list[str], list[tuple]]:
    """Dimension ids, and one (codes, labels, value, status) per cell of a json-stat dataset
    (version 2, or version 1 through :func:`jsonstat_dataset`)."""
    doc = jsonstat_dataset(doc)
    if doc.get("class") != "dataset" or "id" not in doc or "dimension" not in doc:
        raise IngestError.one(file_name, "JSON-filen er ikke et json-stat2-datasett "
                                         "(mangler «class»: «dataset», «id» eller «dimension»)")
    ids, axes = list(doc["id"]), []
    for dim in ids:
        category = doc["dimension"][dim]["category"]
        index = category.get("index") or list(category.get("label", {}))
        codes = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
        labels = category.get("label", {})
        axes.append([(code, labels.get(code, code)) for code in codes])
    values, status = doc.get("value", []), doc.get("status") or {}
    rows = []
    for position, combo in enumerate(itertools.product(*axes)):
        value = values.get(str(position)) if isinstance(values, dict) else (
            values[position] if position < len(values) else None)
        flag = status if isinstance(status, str) else (
            status.get(str(position)) if isinstance(status, dict) else
            (status[position] if position < len(status) else None))
        rows.append((tuple(c for c, _ in combo), tuple(lbl for _, lbl in combo), value, flag))
    return ids, rows
