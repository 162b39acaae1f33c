"""Word (.docx) with python-docx: real headings, bullet lists and tables, so the coordinator can
edit the text and paste it into the plan.  Charts carry their alt text (``descr``)."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from report.blocks import Bullets, Heading, Image, Paragraph, Report, Table


def _note(doc, text: str) -> None:
    run = doc.add_paragraph().add_run(text)
    run.italic = True
    run.font.size = Pt(8.5)


def _table(doc, block: Table) -> None:
    doc.add_paragraph(block.title).runs[0].bold = True
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    numeric = block.numeric
    for r, row in enumerate([block.header, *block.rows]):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = str(text)
            paragraph = cell.paragraphs[0]
            if numeric[c]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if r == 0 or (block.total_last and r == len(block.rows)):
                for run in paragraph.runs:
                    run.bold = True
    if block.note:
        _note(doc, block.note)


def _image(doc, block: Image) -> None:
    shape = doc.add_picture(io.BytesIO(block.png), width=Cm(16))
    shape._inline.docPr.set("descr", block.alt)   # alt text, as Word's "Alternativ tekst"
    shape._inline.docPr.set("title", block.caption)
    _note(doc, block.caption)


def _language(doc, tag: str = "nb-NO") -> None:
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


AUTHOR = "SLT-statistikk"


def to_docx(report: Report) -> Document:
    doc = Document()
    properties = doc.core_properties  # python-docx's template says «python-docx» wrote it
    properties.title = report.title
    properties.language = "nb-NO"
    properties.author = properties.last_modified_by = AUTHOR
    properties.subject = "Kunnskapsgrunnlag for SLT"
    properties.comments = properties.keywords = ""
    _language(doc)
    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=min(block.level, 4) if block.level > 1 else 0)
        elif isinstance(block, Paragraph):
            _note(doc, block.text) if block.style == "note" else doc.add_paragraph(block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Image):
            _image(doc, block)
    return doc


def write_docx(report: Report, out: Path) -> None:
    to_docx(report).save(str(out))
