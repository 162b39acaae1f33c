"""Writers: one module per format; :func:`write` picks one by name."""

from __future__ import annotations

from pathlib import Path

from report.blocks import Report

FORMATS = ("docx", "pdf", "html", "md", "csv")


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
