"""Police U18 tables laid out for reading: layout families (a) and (b).

(a) one sheet with several tables stacked, each under a title line, a header row of years;
(b) one table per sheet with title and extraction-date lines above and sources below.

Both are read the same way: every row whose cells after the label are years starts a table
(beside two years or more, columns of words — «Endring», «2023 %» — are left out and named in
the message); the nearest text line above it is its title; the rows under it, until a blank
row or a line of text, are its body.  Row labels are looked up in ``etl/vocab`` (crime type,
age, gender, total, a ``73/371`` girls/boys row); a «herav …» row (a part of the row above)
is left out and named; any other labelled row with numbers that is not known there is
reported, never skipped, and so is a row of figures that stands under no header of years.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from etl.errors import Problem, place
from etl.periods import (
    extraction_date_in_text,
    parse_year_label,
    partial_date_in_note,
    partial_years_in_text,
)
from etl.readers.column_labels import (
    labels_under_years,
    named_years,
    names_above,
    one_year_labels,
)
from etl.readers.common import RawTable, cell_name, is_blank, value_text
from etl.vocab import DIMENSION_NAMES, TOTAL, Vocab, alias_hint, label_key, vocab_rows


@dataclass
class _Table:
    sheet: str
    title: str | None
    header_row: int
    label_col: int
    year_cols: dict[int, tuple[int, dt.date | None]]  # column -> (year, counted_through)
    total_cols: list[int] = field(default_factory=list)
    offenders: bool = False  # the table counts offenders (gjerningspersoner), not offences
    # A table turned to be read (years down its first column): the sheet's row and column of
    # its top-left cell; the rows read are its columns, so a cell (r, c) is the sheet's
    # (top + c, left + r).
    turned: tuple[int, int] | None = None
    regions: dict[int, str] = field(default_factory=dict)  # column -> its region's name
    # column -> (dimension, canonical label) of a table with a gender or age per column
    crossed: dict[int, tuple[str, str]] = field(default_factory=dict)

    def cell(self, r: int, c: int) -> str:
        """The sheet's name of the cell at row ``r``, column ``c`` of the rows read."""
        if self.turned is None:
            return cell_name(r, c)
        top, left = self.turned
        return cell_name(top + c, left + r)


def _text_only(row: list) -> str | None:
    """The text of a row that holds one piece of text and nothing else (a title or a note)."""
    cells = [c for c in row if not is_blank(c)]
    if len(cells) == 1 and isinstance(cells[0], str):
        return cells[0].strip()
    return None


def _header(row: list, sheet: str, r: int, vocab: Vocab, problems: list[Problem],
            footnotes: dict[str, str] | None = None, table: _Table | None = None):
    """What ``row`` says of its table's columns if it is a table's header row, else None:
    the label column, the year columns, the total columns, the columns of words left out, and
    the label of each year column when the header names one beside its year (a region, a
    gender …: :mod:`etl.readers.column_labels`).  ``footnotes``: the sheet's notes by their
    marker (``*``), which a starred year («2024*») points to; ``table``: a turned table whose
    cells these are."""
    cell = table.cell if table is not None else cell_name
    filled = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
    if len(filled) < 2 and not (filled and parse_year_label(filled[0][1])):
        return None
    first_col, first = filled[0]
    label_col = first_col
    try:
        first_year = parse_year_label(first)
    except ValueError:
        first_year = None
    if first_year is not None:
        label_col = first_col - 1
    elif vocab.classify_row_label(first) is not None:
        return None
    if first_year is None and (named := named_years(filled[1:], vocab, _SHARE)) is not None:
        return label_col, named[0], [], named[2], named[1]  # «Porsgrunn 2023 | Jenter 2023»
    years: dict[int, tuple[int, dt.date | None]] = {}
    totals, bad, others = [], [], []
    for c, v in filled if first_year is not None else filled[1:]:
        try:
            parsed = parse_year_label(v)
        except ValueError as rest:
            # «2023 %», «2023 (andel)»: a share of that year beside its count, left out
            (others if _SHARE.fullmatch(str(rest)) else bad).append((c, v))
            continue
        if parsed is not None:
            years[c] = parsed
        elif label_key(v) in vocab.totals:
            totals.append(c)
        elif isinstance(v, str) and _WORD.search(v):
            others.append((c, v))
        else:
            return None
    # Beside two years or more, a column of words («Endring 2022-2023», «Snitt») is one the
    # table computed from them: left out, and said so (read_sheet).
    if not years or (others and len(years) < 2):
        return None
    for c, v in bad:
        starred = _STARRED.fullmatch(str(v))
        note = (footnotes or {}).get(starred[2]) if starred else None
        if note is None:
            problems.append(Problem(
                f"kolonneoverskriften «{v}» er ikke et år (forventet f.eks. «2024» eller "
                "«2024 (pr. 01.08)»)", sheet, cell(r, c)))
        elif (date := partial_date_in_note(note, year := int(starred[1]))) is not None:
            years[c] = (year, date)
        else:  # a partial year («Hittil i år») or a provisional one: only the user knows
            problems.append(Problem(
                f"«{str(v).strip()}» viser til merknaden «{note}», som ikke sier hvilken dag "
                f"året er talt til; skriv «{year} (pr. 01.08)» i overskriften om året er talt "
                f"til 1. august, eller «{year}» om året er helt", sheet, cell(r, c)))
    return label_col, years, totals, others, {}


_STARRED = re.compile(r"\s*(\d{4})\s*(\*+)\s*")  # «2024*»: the year, then a note's marker
_FOOTNOTE = re.compile(r"(\*+)\s*\S")


def _footnotes(rows: list[list]) -> dict[str, str]:
    """The sheet's notes that start with a marker (``*``, ``**``), by their marker."""
    notes = {}
    for row in rows:
        if (text := _text_only(row)) is not None and (found := _FOOTNOTE.match(text)):
            notes.setdefault(found[1], text)
    return notes


_WORD = re.compile(r"[^\W\d_]")  # a letter
_SHARE = re.compile(r"\(?\s*(?:%|andel|prosent|pst\.?|endring|change|share)(?:\s*\(?%\)?)?\s*\)?",
                    re.IGNORECASE)


def starts_table(rows: list[list], r: int, vocab: Vocab) -> bool:
    """True when ``rows[r]`` is the header row of a table: a label cell, then years (or names
    of regions with years, or regions alone under a title naming one year)."""
    return _header(rows[r], "", 0, vocab, []) is not None or one_year_labels(
        rows[r], _title_above(rows, r, 0), vocab, _SHARE) is not None or (r > 0 and (
            labels_under_years(rows[r], rows[r - 1], vocab, _SHARE) is not None))


def _title_above(rows: list[list], start: int, stop: int) -> str | None:
    """The nearest line of text above a header that is not an extraction-date line."""
    for r in range(start - 1, max(stop, start - 4) - 1, -1):
        text = _text_only(rows[r])
        if text is not None and extraction_date_in_text(text) is None:
            return text
    return None


def _row_observations(table: _Table, r: int, row: list, vocab: Vocab, tables: RawTable,
                      problems: list[Problem]) -> bool:
    """Add the observations of one body row; False when the row ends the table."""
    label = row[table.label_col] if table.label_col >= 0 else ""
    values = {c: row[c] if c < len(row) else "" for c in table.year_cols}
    has_values = any(not is_blank(v) for v in values.values())
    if is_blank(label):
        if has_values:
            problems.append(Problem("raden har tall men ingen etikett i første kolonne",
                                    table.sheet, table.cell(r, table.label_col)))
        return has_values
    kind = vocab.classify_row_label(label)
    if kind is None and has_values and _part_of_row_above(label):
        where = place(table.sheet, table.cell(r, table.label_col))
        tables.left_out.append(f"hoppet over raden «{value_text(label)}» ({where}): en del av "
                               "raden over; lagres ikke")
        return True
    if kind is None:
        if has_values:
            problems.append(Problem(
                f"ukjent radetikett «{label}» (ikke en krimtype, alder, kjønn eller total "
                f"programmet kjenner); {alias_hint('krimtype', label)}, eller alder, kjønn "
                "eller total i stedet for krimtype", table.sheet, table.cell(r, table.label_col),
                ("krimtype", str(label))))
            return True
        return False
    dimension, canonical = kind
    if dimension == "ambiguous":
        if has_values:
            problems.append(Problem(
                f"radetiketten «{label}» kan bety både ukjent alder og ukjent kjønn (forventet "
                "«Ukjent alder» eller «Ukjent kjønn»)", table.sheet,
                table.cell(r, table.label_col)))
        return has_values
    if dimension != "gender_split":
        _check_row_total(table, r, row, label, values, problems)
    if table.crossed and not _crossable(table, r, label, dimension, problems):
        return True
    for c, (year, counted_through) in table.year_cols.items():
        value = values[c]
        if is_blank(value):
            continue
        cell = table.cell(r, c)
        if dimension == "gender_split":
            parts = value_text(value).split("/")
            if len(parts) != 2:
                problems.append(Problem(
                    f"«{value_text(value)}» i raden «{label}» skulle vært to antall som "
                    "«73/371»", table.sheet, cell))
                continue
            for gender, part in zip(canonical, parts):
                tables.add(year, counted_through, TOTAL, TOTAL, gender, part.strip(),
                           table.sheet, cell, str(label), table.title,
                           region=table.regions.get(c), offenders=table.offenders)
            continue
        dims = {"crime_type": TOTAL, "age": TOTAL, "gender": TOTAL}
        if dimension != "total":
            dims[dimension] = canonical
        if c in table.crossed:  # a gender or age per column: the cell is of both labels
            dims[table.crossed[c][0]] = table.crossed[c][1]
            if dimension != "total":
                tables.crossed.add((dimension, table.crossed[c][0]))
        tables.add(year, counted_through, dims["crime_type"], dims["age"], dims["gender"],
                   value_text(value), table.sheet, cell, str(label), table.title,
                   region=table.regions.get(c), offenders=table.offenders)
    return True


def _crossable(table: _Table, r: int, label: object, dimension: str,
               problems: list[Problem]) -> bool:
    """A row of a table with a gender or age per column must be labelled with another
    dimension (or a total): «Jenter» under «Gutter | Jenter» columns, or a «73/371» row, is a
    problem at its label."""
    column = next(iter(table.crossed.values()))[0]
    if dimension not in (column, "gender_split"):
        return True
    what = DIMENSION_NAMES[column]
    problems.append(Problem(
        f"raden «{value_text(label)}» står i en tabell med {what} i kolonnene; radene må være "
        "en annen inndeling (f.eks. krimtyper) eller Totalt", table.sheet,
        table.cell(r, table.label_col)))
    return False


def _part_of_row_above(label: object) -> bool:
    """A label that begins with a phrase of ``etl/vocab/part_rows.csv`` («herav …»)."""
    key = label_key(str(label).lstrip(" -–—•*"))
    return any(key == phrase or key.startswith(phrase + " ")
               for phrase in (label_key(row[0]) for row in vocab_rows("part_rows.csv")))


def _check_row_total(table: _Table, r: int, row: list, label: object, values: dict,
                     problems: list[Problem]) -> None:
    """A total column over the years (``Sum``) must equal the sum of the row's years."""
    numbers = [v for v in values.values() if not is_blank(v)]
    if not all(isinstance(v, (int, float)) for v in numbers):
        return  # text in a year cell is reported, with its cell, by the value checks
    for c in table.total_cols:
        given = row[c] if c < len(row) else ""
        if isinstance(given, (int, float)) and given != sum(numbers):
            problems.append(Problem(
                f"«{label}»: sumkolonnen er {value_text(given)}, men årene summerer til "
                f"{value_text(float(sum(numbers)))}", table.sheet, table.cell(r, c)))


def _figures_outside(sheet: str, r: int, row: list, vocab: Vocab,
                     problems: list[Problem]) -> bool:
    """A row of figures labelled with a crime type, an age or a gender that stands under no
    header of years (its table's header was not understood): a problem, never skipped.
    True when ``row`` is one."""
    filled = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
    kind = vocab.classify_row_label(filled[0][1]) if filled else None
    if (kind is None or kind[0] not in ("crime_type", "age", "gender")
            or sum(isinstance(v, (int, float)) for _, v in filled[1:]) < 2):
        return False
    problems.append(Problem(
        f"raden «{value_text(filled[0][1])}» har tall, men står ikke under en rad med "
        "årstall (forventet en overskriftsrad som «Krimtype | 2019 | 2020 | …» over "
        "tabellen)", sheet, cell_name(r, filled[0][0])))
    return True


def read_sheet(name: str, rows: list[list], vocab: Vocab, out: RawTable,
               problems: list[Problem]) -> None:
    """Read every table on one sheet into ``out``."""
    r, consumed, outside, footnotes = 0, 0, False, _footnotes(rows)
    while r < len(rows):
        under = labels_under_years(rows[r + 1], rows[r], vocab, _SHARE) \
            if r + 1 < len(rows) else None
        if under is not None:
            r += 1  # the years over the genders or kommuner of the header below them
        header = under or _header(rows[r], name, r, vocab, problems, footnotes) or \
            one_year_labels(rows[r], _title_above(rows, r, consumed), vocab, _SHARE)
        if header is None and (turned := _turned(rows, r, vocab)) is not None:
            block, left, end = turned
            _read_table(name, block, 0, _title_above(rows, r, consumed), vocab, out, problems,
                        footnotes, turned=(r, left))
            r = consumed = end
            outside = False
            continue
        if header is None:
            if (text := _text_only(rows[r])) is not None:
                out.notes.append(text)
            # the first of a run of such rows is named: the table's header above it is wrong
            found = _figures_outside(name, r, rows[r], vocab, [] if outside else problems)
            outside, r = found, r + 1
            continue
        outside = False
        r = consumed = _read_table(name, rows, r, _title_above(rows, r, consumed), vocab, out,
                                   problems, footnotes, header=header)


def _read_table(name: str, rows: list[list], r: int, title: str | None, vocab: Vocab,
                out: RawTable, problems: list[Problem], footnotes: dict[str, str], *,
                header: tuple | None = None, turned: tuple[int, int] | None = None) -> int:
    """The table whose header is ``rows[r]`` (``header``: what :func:`_header` found in it,
    its problems said; ``turned``: the sheet's row and column of a turned table's top-left
    cell, see :class:`_Table`); the index of the row after its body."""
    where = _Table(name, title, r, 0, {}, turned=turned)  # names the header's cells
    label_col, years, totals, others, labels = header or _header(
        rows[r], name, r, vocab, problems, footnotes, where)
    named = set(labels)  # in the header's own cells, else in the row above it
    if not labels and r > 0 and turned is None:  # the kommuner over their years (merged)
        labels = names_above(rows[r - 1], label_col, years, vocab, _SHARE)
    regions = {c: value for c, (kind, value) in labels.items() if kind == "region"}
    crossed = {c: label for c, label in labels.items() if label[0] != "region"}
    out.left_out += [f"hoppet over kolonnen «{str(v).strip()}» ({place(name, where.cell(r, c))})"
                     ": ikke antall for ett år; lagres ikke" for c, v in others]
    if title is not None:
        out.titles.append(title)
    label = rows[r][label_col] if label_col >= 0 else None
    offenders = vocab.counts_offenders(title) or vocab.counts_offenders(label)
    for c, region in regions.items():  # a name over several years: its first cell
        out.region_cells.setdefault(region, (name, where.cell(r - (c not in named), c)))
    if not regions and name:  # the sheet's name, for a table whose title names no region
        regions = dict.fromkeys(years, name)
        out.sheet_labels.add(name)
    table = _Table(name, title, r, label_col, years, totals, offenders, turned, regions,
                   crossed)
    r += 1
    while r < len(rows) and _row_observations(table, r, rows[r], vocab, out, problems):
        r += 1
    return r


def _turned(rows: list[list], r: int, vocab: Vocab) -> tuple[list[list], int, int] | None:
    """A table with its years down the first column and its labels across (``År | Vold |
    Vinning | Totalt`` over ``2019 | 114 | 53 | 444``) whose header is ``rows[r]``: the table
    turned to be read as the others are (rows of labels, a column per year), the sheet column
    of its first column, and the row after its last year.  None when ``rows[r]`` is no such
    header: its first cell a year column's name («År») or blank, then two known row labels or
    more and nothing else, and a year under the first cell."""
    filled = [(c, v) for c, v in enumerate(rows[r]) if not is_blank(v)]
    if len(filled) < 2:
        return None
    left = filled[0][0] if vocab.header(filled[0][1]) == "year" else filled[0][0] - 1
    labels = [v for c, v in filled if c > left]
    if left < 0 or len(labels) < 2 or len(labels) != len(filled) - (filled[0][0] == left) or \
            any(vocab.classify_row_label(v) is None for v in labels):
        return None
    end = r + 1
    while end < len(rows) and left < len(rows[end]) and _year_cell(rows[end][left]):
        end += 1
    if end == r + 1:
        return None
    width = max(c for c, _ in filled) + 1
    block = [[rows[k][c] if c < len(rows[k]) else None for k in range(r, end)]
             for c in range(left, width)]
    return block, left, end


def _year_cell(value: object) -> bool:
    try:
        return parse_year_label(value) is not None
    except ValueError:
        return True  # «2024*»: a year the header's reading names or refuses


def partial_markers(texts: list[str]) -> tuple[dict[int, dt.date], dt.date | None]:
    """Partial years named in titles and notes, and the extraction date if one is given."""
    partial: dict[int, dt.date] = {}
    extracted = None
    for text in texts:
        partial.update(partial_years_in_text(text))
        extracted = extracted or extraction_date_in_text(text)
    return partial, extracted
