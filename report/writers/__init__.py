"""Writers: one module per format; :func:`write` picks one by name."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from report.blocks import Report

FORMATS = ("docx", "pdf", "html", "md", "csv")
MEDIA_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "pdf": "application/pdf", "html": "text/html", "md": "text/markdown",
               "csv": "text/csv"}


def slug(text: str) -> str:
    """``Nome og Bø`` → ``nome_og_bo``: safe in a file name."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "_"})
    return "".join(ch for ch in text.lower().translate(table) if ch.isalnum() or ch in "_-")


def file_name(report: Report, fmt: str) -> str:
    """``kunnskapsgrunnlag_grenland_2024.docx``."""
    return f"kunnskapsgrunnlag_{slug(report.region)}_{report.year}.{fmt}"


def to_bytes(report: Report, fmt: str) -> bytes:
    """The file ``write`` would write, as bytes (for a download).  Markdown carries its charts
    as data URLs, so the one file is complete without the PNG files beside it."""
    if fmt == "md":
        from report.writers.markdown import to_markdown

        images = {i.key: "data:image/png;base64," + base64.b64encode(i.png).decode("ascii")
                  for i in report.images()}
        return to_markdown(report, images).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="slt-report-") as tmp:
        return write(report, fmt, Path(tmp) / file_name(report, fmt)).read_bytes()


def write(report: Report, fmt: str, out: Path) -> Path:
    """Write ``report`` as ``fmt`` to ``out``; returns the path written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "md":
        from report.writers.markdown import write_md as writer
    elif fmt == "html":
        from report.writers.html import write_html as writer
    elif fmt == "pdf":
        from report.writers.pdf import write_pdf as writer
    elif fmt == "docx":
        from report.writers.docx import write_docx as writer
    elif fmt == "csv":
        from report.writers.csv import write_csv as writer
    else:
        raise ValueError(f"ukjent format «{fmt}» (velg {', '.join(FORMATS)})")
    writer(report, out)
    return out
