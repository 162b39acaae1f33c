"""The open indicator catalogue in the database: new indicators from survey uploads, units, and
the entries analysts complete (label, theme, direction, related police crime types).

Every change is an upload (``uploads.source`` = ``ungdata`` for indicators a survey file
brought, ``catalogue`` for an entry an analyst completed), and the row it replaced moves to
``indicators_history``, so :func:`etl.rollback.rollback` undoes it like any other upload.
Nothing in the installed package changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from etl.aliases import crime_types
from etl.errors import IngestError, Problem
from etl.store import connect_read, writing
from etl.uploads import Attempt, record

if TYPE_CHECKING:
    import pandas as pd

NEW_THEME = "ikke katalogisert"
THEMES = ("skole", "venner", "fritid", "rus", "kriminalitet og vold", "mobbing",
          "psykisk helse", "helse", "familie", "nærmiljø", "digitale medier", NEW_THEME)


def check_units(con: duckdb.DuckDBPyConnection, file_name: str) -> None:
    """Inside a survey publish (``staged`` holds the rows): an indicator the catalogue knows
    with another unit than the file's is refused, never converted."""
    clash = con.execute("""
        SELECT DISTINCT s.indicator, i.label, s.unit, i.unit FROM staged s
        JOIN indicators i USING (indicator) WHERE s.unit <> i.unit ORDER BY 1""").fetchall()
    if clash:
        raise IngestError(file_name, [Problem(
            f"indikatoren «{label}» ({indicator}) står i katalogen med enheten «{known}», men "
            f"filen gir den som «{unit}»; tallene lagres ikke om til en annen enhet")
            for indicator, label, unit, known in clash])


def new_indicators(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str]]:
    """(id, label, unit, source) of the staged indicators the catalogue does not have yet."""
    return con.execute("""
        SELECT indicator, min(coalesce(label, indicator)), min(unit), min(source)
        FROM staged WHERE indicator NOT IN (SELECT indicator FROM indicators)
        GROUP BY indicator ORDER BY 1""").fetchall()


def add_new(con: duckdb.DuckDBPyConnection, found: list[tuple[str, str, str, str]],
            upload_id: int) -> None:
    """Store indicators a file brought as new and not yet catalogued."""
    con.executemany(
        "INSERT INTO indicators VALUES (?, ?, ?, NULL, []::VARCHAR[], ?, ?, false, ?)",
        [(indicator, label, NEW_THEME, source, unit, upload_id)
         for indicator, label, unit, source in found])


def describe_new(found: list[tuple[str, str, str, str]]) -> str:
    shown = "; ".join(f"«{label}» ({indicator}, {unit})"
                      for indicator, label, unit, _ in found[:10])
    more = f" og {len(found) - 10} til" if len(found) > 10 else ""
    return (f"nye indikatorer som ikke er katalogisert ennå: {shown}{more}. De vises med en "
            "gang; fullfør oppføringen under Indikatorkatalog eller med «slt katalog sett»")


@dataclass(frozen=True)
class Entry:
    """What an analyst sets on a catalogue entry; None = keep what is stored."""

    label: str | None = None
    theme: str | None = None
    higher_is_better: bool | None = None
    crime_types: tuple[str, ...] | None = None
    unit: str | None = None


def _validate(entry: Entry, known: set[str]) -> list[Problem]:
    problems = []
    if entry.label is not None and not entry.label.strip():
        problems.append(Problem("navnet kan ikke være tomt"))
    if entry.theme is not None and not entry.theme.strip():
        problems.append(Problem("temaet kan ikke være tomt"))
    if strange := [c for c in entry.crime_types or () if c not in known]:
        problems.append(Problem(f"ukjent krimtype: {', '.join(strange)}; kjente: "
                                f"{', '.join(sorted(known))}"))
    return problems


def set_entry(db_path: Path, indicator: str, entry: Entry, user: str | None = None) -> int:
    """Complete or change one catalogue entry in one transaction; returns its upload id.

    The entry counts as catalogued from now on.  Raises IngestError (in Norwegian) for an
    unknown indicator or invalid values; nothing is written then."""
    name = f"katalog: {indicator}"
    if problems := _validate(entry, set(crime_types(db_path))):
        raise IngestError(name, problems)
    with writing(db_path) as con:
        rows = con.execute("SELECT * FROM indicators WHERE indicator = ?", [indicator]).df()
        if rows.empty:
            raise IngestError.one(name, f"indikatoren «{indicator}» finnes ikke i katalogen")
        old = rows.iloc[0]
        if entry.unit is not None and entry.unit != old["unit"] and con.execute(
                "SELECT 1 FROM ungdata_facts WHERE indicator = ? LIMIT 1", [indicator]
        ).fetchall():
            raise IngestError.one(name, f"enheten kan ikke endres fra «{old['unit']}» når det "
                                        "finnes tall for indikatoren; last tallene inn på nytt")
        new = _merged(old, entry)
        message = f"katalogoppføring for {indicator}: {_changed(old, new) or 'bekreftet'}"
        upload_id = record(con, Attempt(name, "", "catalogue", user), "accepted", message,
                           rows=1)
        con.execute("INSERT INTO indicators_history SELECT *, ?, 'replaced' FROM indicators "
                    "WHERE indicator = ?", [upload_id, indicator])
        con.execute("DELETE FROM indicators WHERE indicator = ?", [indicator])
        con.execute("INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, true, ?)",
                    [indicator, new["label"], new["theme"], new["higher_is_better"],
                     list(new["crime_types"]), new["survey"], new["unit"], upload_id])
    return upload_id


def _merged(old: pd.Series, entry: Entry) -> dict:
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    new = {k: old[k] for k in ("label", "theme", "higher_is_better", "crime_types", "survey",
                               "unit")}
    new["crime_types"] = list(new["crime_types"])
    new["higher_is_better"] = None if pd.isna(old["higher_is_better"]) else bool(
        old["higher_is_better"])
    for key in ("label", "theme", "unit"):
        if (value := getattr(entry, key)) is not None:
            new[key] = value.strip()
    if entry.higher_is_better is not None:
        new["higher_is_better"] = entry.higher_is_better
    if entry.crime_types is not None:
        new["crime_types"] = list(entry.crime_types)
    return new


def _changed(old: pd.Series, new: dict) -> str:
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    parts = []
    for key, word in (("label", "navn"), ("theme", "tema"), ("higher_is_better", "høyere er "
                      "bedre"), ("crime_types", "krimtyper"), ("unit", "enhet")):
        before = list(old[key]) if key == "crime_types" else old[key]
        before = None if not isinstance(before, list) and pd.isna(before) else before
        if before != new[key]:
            parts.append(f"{word} {_text(before)} → {_text(new[key])}")
    return ", ".join(parts)


def _text(value) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "ingen"
    if isinstance(value, bool):
        return "ja" if value else "nei"
    return "–" if value is None else str(value)


def brought_by(db_path: Path, upload_id: int) -> list[tuple[str, str]]:
    """(id, label) of the indicators ``upload_id`` added that are still not catalogued."""
    with connect_read(db_path) as con:
        return con.execute("SELECT indicator, label FROM indicators WHERE upload_id = ? AND NOT "
                           "catalogued ORDER BY label", [upload_id]).fetchall()


def catalogue(db_path: Path) -> pd.DataFrame:
    """Every entry with how many figures it has, uncatalogued first."""
    with connect_read(db_path) as con:
        return con.execute("""
            SELECT i.indicator, i.label, i.theme, i.higher_is_better, i.crime_types, i.survey,
                   i.unit, i.catalogued, i.upload_id,
                   (SELECT count(*) FROM ungdata_facts f WHERE f.indicator = i.indicator)
                       AS figures
            FROM indicators i ORDER BY i.catalogued, i.theme, i.label""").df()
