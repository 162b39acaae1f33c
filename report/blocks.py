"""The report as a list of simple blocks that every writer (md, html, docx, pdf) renders."""

from __future__ import annotations

from dataclasses import dataclass, field


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
