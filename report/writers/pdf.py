"""PDF from the HTML with WeasyPrint; DejaVu Sans is embedded so æøå render."""

from __future__ import annotations

from pathlib import Path

from report.blocks import Report
from report.writers.html import to_html


def write_pdf(report: Report, out: Path) -> None:
    from weasyprint import HTML

    HTML(string=to_html(report, embed_fonts=True)).write_pdf(str(out))
