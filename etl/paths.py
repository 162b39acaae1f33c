"""Where the project's data files and the default database live."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    return Path(os.environ.get("SLT_DATA_DIR", PROJECT_DIR / "data"))


def reference_dir() -> Path:
    return data_dir() / "reference"


def sample_dir() -> Path:
    return data_dir() / "sample"


def default_db() -> Path:
    """``--db`` falls back to ``$SLT_DB``, then to ``data/slt.duckdb``."""
    return Path(os.environ.get("SLT_DB") or data_dir() / "slt.duckdb")
