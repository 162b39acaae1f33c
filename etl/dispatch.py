"""``slt ingest`` for any file: decide from the CONTENT which source it is, read, publish.

Police U18 tables go to :func:`etl.ingest.ingest_file`; population (SSB 07459), survey
indicators (FHI, Ungdata key figures, tidy) and SSB 08487 go to their readers and
:mod:`etl.sources`.  The file name is never used to decide.  Every attempt is recorded in
``uploads``; a refused file writes nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import IngestError
from etl.groups import catalogue_for
from etl.ingest import Outcome, ingest_file, record_rejection, sha256_of
from etl.readers import population as pop
from etl.readers import sniff_kind, ssb, ungdata, ungdata_tables
from etl.readers.stat_text import column_roles, decode, read_table
from etl.sources import (
    POPULATION,
    SSB_08487,
    UNGDATA,
    Target,
    check_duplicates,
    combine_population,
    publish,
    resolve_regions,
)
from etl.store import writing
from etl.uploads import Attempt

POPULATION_WORDS = ("07459", "befolkning", "personer", "persons", "pop_jan1", "population")


def _text_header(text: str, predicate) -> tuple[list[str], list[str]] | None:
    try:
        table = read_table(text, predicate, "")
    except IngestError:
        return None
    return table.header, table.titles


def _population_text(text: str) -> bool:
    found = _text_header(text, pop._is_header)
    if not found:
        return False
    header, titles = found
    words = " ".join([*header, *titles]).casefold()
    _, unnamed = column_roles(header, pop.ALIASES)
    plain = all(pop._YEAR.search(header[i]) for i in unnamed)
    return plain and any(word in words for word in POPULATION_WORDS)


def _fhi_text(text: str) -> bool:
    found = _text_header(text, ungdata._is_fhi_header)
    return bool(found) and "measure" in column_roles(found[0], ungdata.ALIASES)[0]


def _survey_table(text: str) -> bool:
    return bool(_text_header(text, lambda c: ungdata_tables.is_tidy_header(c)
                             or ungdata_tables.is_key_figure_header(c)))


def classify(path: Path, file_name: str) -> str:
    """``u18``, ``population``, ``population_json``, ``fhi``, ``fhi_json``, ``survey``,
    ``survey_sheet`` or ``ssb_08487``, from the bytes of the file."""
    kind = sniff_kind(path, file_name)
    if kind == "spreadsheet":
        try:
            text = ungdata_tables.sheet_text(path, file_name)
        except IngestError:
            return "u18"  # the U18 engine gives the precise message
        return "survey_sheet" if _survey_table(text) else "u18"
    text = decode(path)
    if kind == "json":
        return _json_kind(text, file_name)
    if _text_header(text, ssb.is_08487_header):
        return "ssb_08487"
    for name, test in (("population", _population_text), ("fhi", _fhi_text),
                       ("survey", _survey_table)):
        if test(text):
            return name
    return "u18"


def _json_kind(text: str, file_name: str) -> str:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise IngestError.one(file_name, f"JSON-filen kan ikke leses ({exc})") from None
    ids = doc.get("id", []) if isinstance(doc, dict) else []
    roles, unnamed = column_roles(ids, pop.ALIASES)
    if {"region", "year"} <= roles.keys() and not unnamed:
        return "population_json"
    if "region" in column_roles(ids, ungdata.ALIASES)[0]:
        return "fhi_json"
    raise IngestError.one(file_name, "JSON-filen er verken et json-stat2-svar fra SSB "
                                     "(befolkning, tabell 07459) eller fra FHI (indikatorer)")


def _reader(kind: str, region: str | None) -> tuple[Target, Callable[[Path, str], pd.DataFrame]]:
    return {
        "population": (POPULATION, pop.read_population_text),
        "population_json": (POPULATION, pop.read_population_json),
        "fhi": (UNGDATA, ungdata.read_fhi_text),
        "fhi_json": (UNGDATA, ungdata.read_fhi_json),
        "survey": (UNGDATA, lambda p, f: ungdata_tables.read_survey_table(p, f, region)),
        "survey_sheet": (UNGDATA, lambda p, f: ungdata_tables.read_survey_table(
            p, f, region, spreadsheet=True)),
        "ssb_08487": (SSB_08487, ssb.read_08487),
    }[kind]


def _prepare(frame: pd.DataFrame, target: Target, file_name: str,
             region: str | None, db_path: Path | None = None) -> pd.DataFrame:
    frame = resolve_regions(frame, file_name, region if target is POPULATION else None,
                            catalogue_for(db_path))
    if target is POPULATION:
        return combine_population(frame)
    check_duplicates(frame, target, file_name)
    return frame


def ingest_any(path: Path, db_path: Path, *, file_name: str | None = None,
               region: str | None = None, user: str | None = None,
               force: bool = False, dry_run: bool = False) -> Outcome:
    """Ingest one file of any supported source.  Raises IngestError (after recording the
    attempt in ``uploads``) when it is refused.  ``dry_run`` checks and compares everything
    and publishes and records nothing (the upload preview)."""
    path = Path(path)
    file_name = file_name or path.name
    try:
        kind = classify(path, file_name)
    except IngestError as error:
        if not dry_run:
            error.upload_id = record_rejection(
                db_path, Attempt(file_name, sha256_of(path), "ukjent", user), error)
        raise
    if kind == "u18":
        return ingest_file(path, db_path, file_name=file_name, region=region, user=user,
                           force=force, dry_run=dry_run)
    target, read = _reader(kind, region)
    attempt = Attempt(file_name, sha256_of(path), target.source, user)
    try:
        frame = _prepare(read(path, file_name), target, file_name, region, db_path)
        con = duckdb.connect()
        try:
            with writing(db_path, con, dry_run=dry_run):
                outcome = publish(con, frame, target, attempt)
        finally:
            con.close()
    except IngestError as error:
        if not dry_run:
            error.upload_id = record_rejection(db_path, attempt, error)
        raise
    if dry_run:
        outcome.upload_id = None
    return outcome
