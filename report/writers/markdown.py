"""Markdown: tables as pipe tables, charts saved as PNG files beside the .md file."""

from __future__ import annotations

from pathlib import Path

from report.blocks import Bullets, Heading, Image, Paragraph, Report, Table


def _escape(text: str) -> str:
    return str(text).replace("|", "\\|")


def _table(block: Table) -> list[str]:
    lines = [f"**{block.title}**", "", "| " + " | ".join(map(_escape, block.header)) + " |",
             "|" + "|".join("---:" if n else "---" for n in block.numeric) + "|"]
    lines += ["| " + " | ".join(map(_escape, row)) + " |" for row in block.rows]
    if block.note:
        lines += ["", f"*{block.note}*"]
    return lines


def to_markdown(report: Report, image_names: dict[str, str] | None = None) -> str:
    out: list[str] = []
    for block in report.blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + block.text]
        elif isinstance(block, Paragraph):
            out += [f"*{block.text}*" if block.style == "note" else block.text]
        elif isinstance(block, Bullets):
            out += [f"- {item}" for item in block.items]
        elif isinstance(block, Table):
            out += _table(block)
        elif isinstance(block, Image):
            name = (image_names or {}).get(block.key, f"{block.key}.png")
            out += [f"![{_escape(block.alt)}]({name})", "", f"*{block.caption}*"]
        out.append("")
    return "\n".join(out)


def write_md(report: Report, out: Path) -> None:
    names = {}
    for image in report.images():
        name = f"{out.stem}_{image.key}.png"
        (out.parent / name).write_bytes(image.png)
        names[image.key] = name
    out.write_text(to_markdown(report, names), encoding="utf-8")
