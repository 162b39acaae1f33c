"""PDF from the HTML with WeasyPrint; DejaVu Sans is embedded so æøå render.

Tagged as PDF/UA-1 (WeasyPrint's ``pdf_variant``): a structure tree of headings, paragraphs,
lists, tables and figures with the charts' alt text, the language (``nb``, from the HTML) and
the title, so a screen reader can read it; untagged was WeasyPrint's default."""

from __future__ import annotations

from pathlib import Path

from report.blocks import Report
from report.writers.html import to_html


def write_pdf(report: Report, out: Path) -> None:
    from weasyprint import HTML

    HTML(string=to_html(report, embed_fonts=True)).write_pdf(str(out), pdf_variant="pdf/ua-1")
