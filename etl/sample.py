"""Build the bundled sample database from ``data/sample/MANIFEST.csv``."""

from __future__ import annotations

import csv
from pathlib import Path

from etl.paths import sample_dir


def manifest() -> list[dict[str, str]]:
    with open(sample_dir() / "MANIFEST.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build_sample(db_path: Path) -> list[str]:
    """Ingest every sample file into ``db_path``; returns one line per file."""
    from etl.dispatch import ingest_any

    lines = []
    for entry in manifest():
        outcome = ingest_any(sample_dir() / entry["file"], db_path,
                              region=entry["region"] or None, user="sample")
        lines.append(f"{entry['file']}: {outcome.message}")
    return lines
