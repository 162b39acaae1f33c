"""Self-contained HTML (charts embedded as data URLs), also the source of the PDF."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from report.blocks import Bullets, Heading, Image, Paragraph, Report, Table

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.4; color: #111; max-width: 60em; margin: auto; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 1.6em; } h3 { font-size: 12pt; }
h4 { font-size: 10.5pt; }
table { border-collapse: collapse; margin: 0.4em 0 0.2em; font-size: 9.5pt; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
th, td { border: 1px solid #999; padding: 2px 6px; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr:last-child td { font-weight: bold; }
.note { font-size: 8.5pt; color: #444; }
figure { margin: 1em 0; page-break-inside: avoid; } img { max-width: 100%; }
figcaption { font-size: 9pt; color: #333; }
"""


def _font_faces() -> str:
    """Embed DejaVu (Debian fonts-dejavu-core) so æøå render wherever the HTML is opened."""
    faces = []
    for weight, name in (("normal", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf")):
        if (DEJAVU / name).exists():
            faces.append(f'@font-face {{ font-family: "DejaVu Sans"; font-weight: {weight}; '
                         f'src: url("{(DEJAVU / name).as_uri()}"); }}')
    return "\n".join(faces)


def _table(block: Table) -> str:
    esc = html.escape
    num = [" class=num" if n else "" for n in block.numeric]
    head = "".join(f"<th{n}>{esc(h)}</th>" for n, h in zip(num, block.header))
    body = "".join("<tr>" + "".join(f"<td{n}>{esc(c)}</td>" for n, c in zip(num, row))
                   + "</tr>" for row in block.rows)
    note = f'<p class="note">{esc(block.note)}</p>' if block.note else ""
    return (f"<table><caption>{esc(block.title)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>{note}")


def _block(block) -> str:
    esc = html.escape
    if isinstance(block, Heading):
        return f"<h{block.level}>{esc(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        cls = ' class="note"' if block.style == "note" else ""
        return f"<p{cls}>{esc(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode("ascii")
        return (f'<figure><img src="data:image/png;base64,{data}" alt="{esc(block.alt)}">'
                f"<figcaption>{esc(block.caption)}</figcaption></figure>")
    raise TypeError(f"unknown block {block!r}")


def to_html(report: Report, embed_fonts: bool = False) -> str:
    fonts = _font_faces() if embed_fonts else ""
    body = "\n".join(_block(b) for b in report.blocks)
    return (f'<!DOCTYPE html>\n<html lang="nb"><head><meta charset="utf-8">'
            f"<title>{html.escape(report.title)}</title><style>{fonts}{CSS}</style></head>"
            f"<body>\n{body}\n</body></html>\n")


def write_html(report: Report, out: Path) -> None:
    out.write_text(to_html(report), encoding="utf-8")
