"""What every U18 reader hands on: one raw row per cell, with where it came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from etl.errors import Problem
from etl.rows import temp_table

RAW_TYPES = {"region": "VARCHAR", "year": "BIGINT", "counted_through": "DATE",
             "crime_type": "VARCHAR", "age": "VARCHAR", "gender": "VARCHAR", "value": "VARCHAR",
             "sheet": "VARCHAR", "cell": "VARCHAR", "line": "BIGINT", "row_label": "VARCHAR",
             "table": "VARCHAR", "offenders": "VARCHAR", "offenders_cell": "VARCHAR"}
RAW_COLUMNS = tuple(RAW_TYPES)
# ``value`` is the count of offences (forhold); ``offenders`` the count of persons
# (gjerningspersoner) where the file gives one (a second count column of a long table), else
# NULL; ``offenders_cell`` is that count's cell on a sheet.


def sql_text(value: str) -> str:
    """``value`` as an SQL string literal, for the few places a parameter cannot go (a type's
    ENUM values, a view's ``read_csv`` arguments)."""
    return "'" + value.replace("'", "''") + "'"


def column_letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """``cell_name(11, 5)`` → ``F12`` (both zero-based)."""
    return f"{column_letters(col)}{row + 1}"


@dataclass(frozen=True)
class Where:
    """A cell's place: a line of a text file, or a sheet and cell of a workbook."""

    line: int | None
    column: int | None = None
    sheet: str | None = None

    def problem(self, message: str) -> Problem:
        if self.sheet is not None and self.line is not None:
            return Problem(message, self.sheet, cell_name(self.line - 1, self.column or 0))
        prefix = f"linje {self.line}: " if self.line is not None else ""
        return Problem(prefix + message)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def value_text(value: object) -> str:
    """A cell as text, with whole floats written without ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class RawTable:
    """Observations as read, before labels, regions and numbers are checked."""

    columns: dict[str, list] = field(default_factory=lambda: {c: [] for c in RAW_COLUMNS})
    titles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # what was not read, for the message
    # a region named in a header (a region per column): the sheet and cell that name it
    region_cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    # sheets whose name stands as the region of their tables (when no title names one)
    sheet_labels: set[str] = field(default_factory=set)
    # (row dimension, column dimension) of the cells of tables with a gender or age per column
    crossed: set[tuple[str, str]] = field(default_factory=set)

    def add(self, year: int, counted_through: dt.date | None, crime_type: str, age: str,
            gender: str, value: str, sheet: str, cell: str, row_label: str,
            table: str | None, region: str | None = None, offenders: bool = False) -> None:
        """One cell; ``offenders``: it counts offenders (a table of gjerningspersoner)."""
        counts = ("", value, cell) if offenders else (value, None, None)
        row = (region, year, counted_through, crime_type, age, gender, counts[0], sheet, cell,
               None, row_label, table, counts[1], counts[2])
        for name, item in zip(RAW_COLUMNS, row):
            self.columns[name].append(item)

    @property
    def has_offenders(self) -> bool:
        return any(v is not None for v in self.columns["offenders"])

    def __len__(self) -> int:
        return len(self.columns["value"])

    def load(self, con, name: str = "raw") -> None:
        """The temp table ``name`` of these rows."""
        temp_table(con, name, RAW_TYPES, self.columns)


@dataclass
class ReadResult:
    """What a file says about itself; its rows are in the staging table ``raw``."""

    sheet_partial: dict[int, dt.date] = field(default_factory=dict)
    extracted: dt.date | None = None
    title_regions: list[tuple[str, str]] = field(default_factory=list)  # (title, region text)
    derive_totals: bool = False
    dimensions: tuple[str, ...] = ("crime_type", "age", "gender")
    line_offset: int = 0  # added to a raw row's rowid for its line number when it has none
    region_column: bool = False  # the rows name their region: a blank region cell is an error
    offenders: bool = False  # the file gives the number of offenders (the column ``offenders``)
    # ``raw`` is a view straight over the file, without line numbers: a problem found means
    # reading again without it (etl.ingest.stage_file) for messages that name their lines.
    fast: bool = False
    temporary: list = field(default_factory=list)  # files to delete once staging is done
    notes: list[str] = field(default_factory=list)  # what was left out, for the message
    # region label → (sheet, cell) of the header that names it, for a problem with the name
    region_cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    # sheet names given as rows' region labels: each is the region of its sheet's tables when
    # it is one and no title names another (etl.staging_regions.place_text), else no problem
    sheet_labels: frozenset[str] = frozenset()
