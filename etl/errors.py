"""Problems found in an input file, worded for the person who sent it (Norwegian bokmål)."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PROBLEMS = 50  # at most this many problems of one kind are listed


def count_text(n: int) -> str:
    """A whole number as the messages write it: ``192 780`` (no-break space; the dashboard's
    own formatting lives in ``analysis.format``, which ``etl`` does not import)."""
    return f"{int(n):,}".replace(",", "\u00a0")


def figure_text(value, unit: str = "count") -> str:
    """A stored figure in a message: ``skjult`` (suppressed or gone), ``85,6 %``, ``1234`` or
    ``3,4 per 1 000`` (``unit``: ``percent``, ``count`` or an indicator's own unit)."""
    if value is None or value != value:
        return "skjult"
    if unit == "percent":
        return f"{value:.1f} %".replace(".", ",")
    return str(int(value)) if unit == "count" else f"{value:.1f} {unit}".replace(".", ",")


def counted(n: int, one: str, many: str) -> str:
    """``1 region``, ``2 regioner``: :func:`count_text` and the word in number."""
    return f"{count_text(n)} {one if n == 1 else many}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as precisely as the file allows."""

    message: str
    sheet: str | None = None
    cell: str | None = None
    unknown: tuple[str, str] | None = None  # (alias kind, name) the user may teach (slt alias)

    def render(self, file_name: str) -> str:
        return f"{', '.join(filter(None, (file_name, place(self.sheet, self.cell))))}: " \
            f"{self.message}"


def place(sheet: str | None, cell: str | None) -> str:
    """«ark «U18 Grenland», celle H5»: where in a workbook (either part may be missing)."""
    return ", ".join(part for part in (sheet and f"ark «{sheet}»", cell and f"celle {cell}")
                     if part)


@dataclass
class IngestError(Exception):
    """A file was refused.  Nothing was written except the attempt in ``uploads``."""

    file_name: str
    problems: list[Problem] = field(default_factory=list)
    upload_id: int | None = None  # set once the refused attempt is recorded in ``uploads``

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    @classmethod
    def one(cls, file_name: str, message: str, sheet: str | None = None,
            cell: str | None = None) -> IngestError:
        return cls(file_name, [Problem(message, sheet, cell)])

    def lines(self, limit: int = 50) -> list[str]:
        lines = [p.render(self.file_name) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"… og {len(self.problems) - limit} feil til i {self.file_name}")
        return lines

    def summary(self) -> str:
        return "\n".join(self.lines())


def problem_at(message: str, location: tuple,
                unknown: tuple[str, str] | None = None) -> Problem:
    """A problem at ``location`` (sheet, cell, line): a line is named in the message when there
    is no cell to name."""
    sheet, cell, line = location
    if cell is None and line is not None:
        message = f"rad {line}: {message}"
    return Problem(message, sheet, cell, unknown)
