"""``slt ingest`` for any file: decide from the CONTENT which source it is, read, publish.

Police U18 tables go to :func:`etl.ingest.ingest_file`; population (SSB 07459), survey
indicators (FHI, Ungdata key figures, tidy) and SSB 08487 go to their readers and
:mod:`etl.sources`.  The file name is never used to decide.  Every attempt is recorded in
``uploads``; a refused file writes nothing else.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from etl.aliases import stored_rows
from etl.errors import IngestError
from etl.goals import goals_kind
from etl.groups import catalogue_for
from etl.ingest import Outcome, ingest_file, publish_recorded, record_rejection, sha256_of
from etl.readers import fhi_wide, sniff_kind, ssb, ungdata, ungdata_tables
from etl.readers import population as pop
from etl.readers.long_table import looks_like_long_header
from etl.readers.stat_text import (
    BOM,
    TextTable,
    column_roles,
    decode,
    jsonstat_dataset,
    read_table,
)
from etl.sources import (
    POPULATION,
    SSB_08487,
    UNGDATA,
    Target,
    check_duplicates,
    combine_population,
    drop_empty_kommuner,
    kommuner_only,
    publish,
    resolve_regions,
    skip_non_regions,
)
from etl.uploads import Attempt
from etl.vocab import load_vocab, using_aliases

if TYPE_CHECKING:
    import pandas as pd

POPULATION_WORDS = ("07459", "befolkning", "personer", "persons", "pop_jan1", "population")
# Deciding a file's kind reads only its head: every reader looks for its header in the first
# 30 lines (:func:`etl.readers.stat_text.read_table`), so those lines, within at most 1 MiB,
# decide; a file of a million rows is never parsed in Python just to be classified.
HEAD_LINES = 30
HEAD_BYTES = 1 << 20


def _first_lines(text: str) -> str:
    return "\n".join(text.splitlines()[:HEAD_LINES])


def head_text(path: Path) -> str:
    """The first :data:`HEAD_LINES` lines of a text file (at most :data:`HEAD_BYTES`), decoded
    as :func:`etl.readers.stat_text.decode` decodes the whole file: UTF-8 with or without BOM,
    else Windows-1252.  Cut at a line break, so a UTF-8 character is never split."""
    with open(path, "rb") as fh:
        data = fh.read(HEAD_BYTES + 1)
    if len(data) > HEAD_BYTES:
        data = data[:HEAD_BYTES]
        end = max(data.rfind(b"\n"), data.rfind(b"\r"))
        data = data[:end + 1] if end >= 0 else data
    if data.startswith(BOM):
        text = data[len(BOM):].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return _first_lines(text)


def _text_header(text: str, predicate) -> TextTable | None:
    """The table of the head ``text`` whose header ``predicate`` accepts, or None."""
    try:
        return read_table(text, predicate, "")
    except IngestError:
        return None


def _population_text(text: str) -> bool:
    found = _text_header(text, pop._is_header)
    if not found or _police_long(found.header):
        return False
    header, titles = found.header, found.titles
    words = " ".join([*header, *titles]).casefold()
    _, unnamed = column_roles(header, pop.ALIASES)
    texts = pop.text_columns(header)
    plain = all(pop._YEAR.search(header[i]) for i in unnamed if i not in texts)
    return plain and any(word in words for word in POPULATION_WORDS)


def _population_sheet(text: str) -> bool:
    """A population workbook, also in Statbank's «Lagre som Excel» form (``Personer`` over the
    years, blank key headers); a police table of offenders written that way (``Personer`` over
    the years, crime types down the rows) is not one."""
    merged = pop.merge_split_header(text)
    if merged == text:
        return _population_text(text)
    found = _text_header(merged, pop._is_header)
    return _population_text(merged) and found is not None and not _crime_type_rows(found.rows)


def _population_shaped(text: str) -> bool:
    """A header the population columns read as region and year, in which the police columns
    find neither a crime type nor the year and count a police long table has: a population
    file whose count column is not known yet (the population reader names it, with the command
    that teaches it) or was taught (``slt alias legg-til kolonne "Folkemengde i alt"
    Personer``)."""
    found = _text_header(text, pop._is_header)
    if not found:
        return False
    header = found.header
    vocab = load_vocab()
    police = {vocab.header(cell) for cell in header}
    roles, unnamed = column_roles(header, pop.ALIASES)
    texts = pop.text_columns(header)
    strange = [i for i in unnamed if i not in texts and not pop._YEAR.search(header[i])]
    return ({"region", "year"} <= roles.keys() and len(strange) <= 1  # at most the count
            and "crime_type" not in police and not looks_like_long_header(header, vocab))


def _fhi_text(text: str) -> bool:
    """An FHI long table: not a police one, and not a tidy survey table, whose indicator and
    percent columns FHI's columns would read too (``Kommune;Periode;Skolenivå;Indikator;
    Prosent``: its school level would become a category of a new indicator)."""
    found = _text_header(text, ungdata.is_fhi_long)
    return bool(found) and not _police_long(found.header) \
        and not ungdata_tables.is_tidy_header(found.header)


def _police_long(header: list[str]) -> bool:
    """A header only a police long table has, though a statistics reader could also read it:
    the police vocabulary finds a year and a count of offences, and also a crime type or a
    count of offenders (no statistics file has those: ``Kommune;År;Alder;Kjønn;Antall;
    Personer`` was read as population), or its count column has a police name that FHI's
    columns only read through its unit word (``Antall forhold``, ``Antall gjerningspersoner``
    read as a value in «antall»: the file was stored as survey indicators)."""
    vocab = load_vocab()
    known = {vocab.header(cell) for cell in header}
    if not looks_like_long_header(header, vocab):
        return False
    if {"crime_type", "offenders"} & known:
        return True
    roles, _ = column_roles(header, ungdata.ALIASES)
    inferred = ungdata.fhi_roles(header)[0].get("value")
    return "value" not in roles and inferred is not None \
        and vocab.header(header[inferred]) in ("offences", "offenders")


def _survey_table(text: str) -> bool:
    table = _text_header(text, lambda c: ungdata_tables.is_tidy_header(c)
                         or ungdata_tables.is_key_figure_header(c))
    return table is not None and not _crime_type_rows(table.rows)


def _crime_type_rows(rows: list[list[str]]) -> bool:
    """Rows labelled with two police crime types or more: a police cross table (a header of
    years written «År 2021» reads as survey periods too), never survey percentages."""
    vocab = load_vocab()
    kinds = (vocab.classify_row_label(row[0]) for row in rows if row and row[0])
    return sum(kind is not None and kind[0] == "crime_type" for kind in kinds) >= 2


def classify(path: Path, file_name: str) -> str:
    """``u18``, ``population``, ``population_sheet``, ``population_json``, ``fhi``,
    ``fhi_sheet``, ``fhi_wide``, ``fhi_wide_sheet``, ``fhi_json``, ``survey``, ``survey_sheet``,
    ``ssb_08487`` (CSV, workbook or json-stat) or ``goals``, from the bytes of the file."""
    if goals_kind(path, file_name) is not None:  # the plan's goals (etl/goals.py)
        return "goals"
    kind = sniff_kind(path, file_name)
    if kind == "spreadsheet":
        try:
            text = _first_lines(ungdata_tables.sheet_text(path, file_name, HEAD_LINES))
        except IngestError:
            return "u18"  # the U18 engine gives the precise message
        if fhi_wide.find_layout(text) is not None:
            return "fhi_wide_sheet"
        if _text_header(ssb.merge_split_header(text), ssb.is_08487_header):
            return "ssb_08487"
        if _population_sheet(text):
            return "population_sheet"
        if _fhi_text(text):
            return "fhi_sheet"
        if _survey_table(text):
            return "survey_sheet"
        return "population_sheet" if _population_shaped(text) else "u18"
    if kind == "json":
        return _json_kind(decode(path), file_name)
    text = head_text(path)
    if _text_header(text, ssb.is_08487_header):
        return "ssb_08487"
    for name, test in (("population", _population_text),
                       ("fhi_wide", lambda t: fhi_wide.find_layout(t) is not None),
                       ("fhi", _fhi_text), ("survey", _survey_table),
                       ("population", _population_shaped)):
        if test(text):
            return name
    return "u18"


def _json_kind(text: str, file_name: str) -> str:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise IngestError.one(file_name, f"JSON-filen kan ikke leses ({exc})") from None
    ids = jsonstat_dataset(doc).get("id", [])
    if {"region", "period", "group"} <= column_roles(ids, ssb.ALIASES)[0].keys():
        return "ssb_08487"
    roles, unnamed = column_roles(ids, pop.ALIASES)
    if {"region", "year"} <= roles.keys() and not unnamed:
        return "population_json"
    if "region" in column_roles(ids, ungdata.ALIASES)[0]:
        return "fhi_json"
    raise IngestError.one(file_name, "JSON-filen er verken et json-stat-svar fra SSB "
                                     "(befolkning, tabell 07459; anmeldte lovbrudd, tabell "
                                     "08487) eller fra FHI (indikatorer)")


def _read_08487(path: Path, file_name: str) -> pd.DataFrame:
    """SSB 08487 in any of its forms: one kind of file, whichever way it was downloaded."""
    form = sniff_kind(path, file_name)
    if form == "json":
        return ssb.read_08487_json(path, file_name)
    return ssb.read_08487(path, file_name, spreadsheet=form == "spreadsheet")


def _reader(kind: str, region: str | None) -> tuple[Target, Callable[[Path, str], pd.DataFrame]]:
    return {
        "population": (POPULATION, pop.read_population_text),
        "population_json": (POPULATION, pop.read_population_json),
        "population_sheet": (POPULATION, lambda p, f: pop.read_population_text(
            p, f, spreadsheet=True)),
        "fhi": (UNGDATA, ungdata.read_fhi_text),
        "fhi_sheet": (UNGDATA, lambda p, f: ungdata.read_fhi_text(p, f, spreadsheet=True)),
        "fhi_wide": (UNGDATA, fhi_wide.read_fhi_wide),
        "fhi_wide_sheet": (UNGDATA, lambda p, f: fhi_wide.read_fhi_wide(p, f, spreadsheet=True)),
        "fhi_json": (UNGDATA, ungdata.read_fhi_json),
        "survey": (UNGDATA, lambda p, f: ungdata_tables.read_survey_table(p, f, region)),
        "survey_sheet": (UNGDATA, lambda p, f: ungdata_tables.read_survey_table(
            p, f, region, spreadsheet=True)),
        "ssb_08487": (SSB_08487, _read_08487),
    }[kind]


def _prepare(frame: pd.DataFrame, target: Target, file_name: str,
             region: str | None, db_path: Path | None = None
             ) -> tuple[pd.DataFrame, list[str]]:
    """Regions resolved (against the store's region groups too), non-regions and aggregates
    skipped (the notes say which)."""
    frame, notes = skip_non_regions(frame)
    if target is POPULATION:
        frame, empty = drop_empty_kommuner(frame)
        notes += empty + pop.age_groups_note(frame["age"].unique())
    catalogue = catalogue_for(db_path)
    frame = resolve_regions(frame, file_name, region if target is POPULATION else None,
                            catalogue)
    if target is SSB_08487:  # a kommune under an old and today's number: one figure
        frame = ssb.combine_numbers(frame)
    frame, aggregates = kommuner_only(frame, target, catalogue)
    notes += aggregates
    if target is POPULATION:
        return combine_population(frame), notes
    check_duplicates(frame, target, file_name)
    return frame, notes


def ingest_any(path: Path, db_path: Path, *, file_name: str | None = None,
               region: str | None = None, user: str | None = None,
               force: bool = False, dry_run: bool = False) -> Outcome:
    """Ingest one file of any supported source.  Raises IngestError (after recording the
    attempt in ``uploads``) when it is refused.  ``dry_run`` checks and compares everything
    and publishes and records nothing (the upload preview).  The names the users taught the
    readers (``slt alias``) are known while it runs."""
    with using_aliases(stored_rows(db_path)), _utf8(Path(path)) as text_path:
        return _ingest_any(text_path, db_path, file_name=file_name or Path(path).name,
                           region=region, user=user, force=force, dry_run=dry_run)


@contextlib.contextmanager
def _utf8(path: Path) -> Iterator[Path]:
    """``path``, or a UTF-8 copy of it when it is UTF-16 with a byte order mark: Excel's
    «Unicode-tekst (*.txt)», tab-separated, which every reader then reads as any text file."""
    with open(path, "rb") as fh:
        head = fh.read(2)
    if head not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="slt-utf16-") as folder:
        copy = Path(folder) / path.name
        copy.write_text(path.read_bytes().decode("utf-16", errors="replace"), encoding="utf-8")
        yield copy


def _ingest_any(path: Path, db_path: Path, *, file_name: str, region: str | None,
                user: str | None, force: bool, dry_run: bool) -> Outcome:
    if goals_kind(path, file_name) is not None:  # the plan's goals (etl/goals.py)
        from etl.goal_store import ingest_goals

        return ingest_goals(path, db_path, file_name=file_name, user=user, dry_run=dry_run)
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

    def prepare():
        frame = read(path, file_name)
        said = list(frame.attrs.get("notes", ()))  # what the reader assumed (fractions)
        frame, notes = _prepare(frame, target, file_name, region, db_path)
        notes = [*said, *notes]
        if frame.empty:
            raise IngestError.one(file_name, "filen har ingen tall for kommuner, fylker eller "
                                             "landet: " + "; ".join(notes))
        return frame, notes

    return publish_recorded(db_path, attempt, dry_run, prepare,
                            lambda con, ready: publish(con, ready[0], target, attempt, ready[1]))
