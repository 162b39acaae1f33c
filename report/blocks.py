"""The report as a list of simple blocks that every writer (md, html, docx, pdf) renders."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A cell that is a figure: starts with a digit, a sign or a bound (``12``, ``−4,8``, ``<5``,
# ``≤ 15,0 %``, ``< 0,001``); or one of the tables' placeholders for a figure that is missing.
_FIGURE = re.compile(r"[\d<>≤≥−+]")
_PLACEHOLDERS = {"", "–", "..", "ikke oppgitt"}


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = ""        # "" or "note" (small print)


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Table:
    key: str               # machine name, used in CSV exports
    title: str
    header: list[str]
    rows: list[list[str]]  # display text, suppression already applied
    csv_rows: list[list] = field(default_factory=list)  # plain values for CSV (``<5`` kept)
    note: str = ""
    total_last: bool = False  # the last row is the total (shown in bold)

    @property
    def numeric(self) -> list[bool]:
        """Per column: every cell is a figure (right-aligned in every format); the first
        column, which names the row, never is."""
        columns = list(zip(*self.rows)) if self.rows else [()] * len(self.header)
        return [i > 0 and all(str(c) in _PLACEHOLDERS or _FIGURE.match(str(c)) for c in column)
                for i, column in enumerate(columns)]


@dataclass(frozen=True)
class Image:
    key: str
    png: bytes
    alt: str
    caption: str


@dataclass
class Report:
    title: str
    region: str
    year: int
    blocks: list = field(default_factory=list)
    command: str = ""
    version: str = ""      # the data version in words (upload ids, last upload date)

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def images(self) -> list[Image]:
        return [b for b in self.blocks if isinstance(b, Image)]
