"""Stage a long CSV whose labels are all spelled as we know them, in one read of the file.

The general way (:func:`etl.staging.stage`) reads a fast CSV twice: once for the distinct
labels of each column, which Python maps through ``etl/vocab`` and the region catalogue, then
again to join every row with those maps into ``staged``.  Most files (a police export, a
national history) spell every label exactly as a name we already know: ``Vold``, ``15``,
``Jenter``, ``Porsgrunn``, ``2019``.  For those the maps can be made before the file is read,
from the vocabulary and the region catalogue: each known spelling (as written there, in lower
case, capitalised, in title case or in capitals) becomes a member of an ENUM type, and one read
casts every label to it and on to its canonical value, straight into ``staged``.

Anything else falls back, unchanged: a label that is not one of those spellings (spaces around
it, a region name the user taught, «Sum», a partial year), a blank label beside a count, a count of
offenders, a region given by ``--region``.  Then :func:`stage_exact` drops what it staged
and returns None, and the caller stages the file the general way, whose messages name what it
found.  What the exact way stages is what the general way would: its spellings are mapped by the
same ``Vocab.lookup`` (the user's own aliases included), ``RegionCatalogue.resolve`` and
``parse_year_label`` the general way asks of each distinct label, and every check after staging
is the same (:func:`etl.staging.check_staged`).  The ingest takes this way for a file of at
least :data:`MIN_BYTES`; a smaller one gains nothing by it.
"""

from __future__ import annotations

import duckdb

from etl.errors import Problem
from etl.periods import FIRST_YEAR, LAST_YEAR, parse_year_label
from etl.readers.common import ReadResult, sql_text
from etl.regions import RegionCatalogue
from etl.rows import rows_table
from etl.staging import (
    CHECKED_COUNT,
    CLEAN,
    COUNTED_THROUGH,
    STAGED_COLUMNS,
    YEAR_MAP,
    check_staged,
    create_enum,
    create_label_types,
    create_staged,
    locate,
    parse_values,
    value_sql,
)
from etl.staging_regions import REGION_MAP, not_a_region
from etl.vocab import DIMENSIONS, TOTAL, Vocab, label_key


def _cases(key: str) -> set[str]:
    """The ways a label known as ``key`` (case-folded) is usually written."""
    return {key, key.capitalize(), key.title(), key.upper()}


def label_spellings(vocab: Vocab, dimension: str) -> dict[str, str]:
    """Spelling → canonical label of ``dimension``: every known label and total, written as
    it is known, capitalised, in title case or in capitals (and each canonical label)."""
    table = {"crime_type": vocab.crime_types, "age": vocab.ages,
             "gender": vocab.genders}[dimension]
    candidates = {TOTAL, *table.values()}
    for key in (*table, *vocab.totals):
        candidates |= _cases(key)
    return {s: canonical for s in sorted(candidates)
            if (canonical := vocab.lookup(dimension, s)) is not None}


def region_spellings(catalogue: RegionCatalogue, vocab: Vocab) -> dict[str, str]:
    """Spelling → region code: each region's name (also in the ways :func:`_cases` writes
    it), and a kommune's number alone and before its name, as
    :meth:`~etl.regions.RegionCatalogue.resolve` reads them; not a name that stands for no
    region (``Sum``).  A name another kommune had before 2020 (``Bø``) is read as today's
    kommune, and checked as the general way checks it
    (:func:`etl.staging_regions.former_names`)."""
    candidates = set()
    for region in catalogue.regions.values():
        candidates |= {region.name, *_cases(label_key(region.name))}
        if region.kommunenummer:
            candidates |= {region.kommunenummer, f"{region.kommunenummer} {region.name}"}
    spellings = {}
    for s in sorted(candidates):
        if s != s.strip() or not_a_region(s, vocab):
            continue
        if (region := catalogue.resolve(s)) is not None:
            spellings[s] = region.region_code
    return spellings


def year_spellings() -> dict[str, int]:
    """``2019`` → 2019 for every year a file may give (a whole year, no marker)."""
    return {str(y): y for y in range(FIRST_YEAR, LAST_YEAR + 1)
            if parse_year_label(str(y)) == (y, None)}


def _spelled(con, column: str, spellings: dict) -> str:
    """SQL of ``column`` (a label of ``raw``) as the ENUM of ``spellings``.  A plain CAST: a
    label that is not one of them stops the read at once with an error.  (A TRY_CAST would
    format an error message for every label it misses, ~40 µs each, and DuckDB 2.0 pushes it
    into the CSV reader as a plain cast all the same: duckdb/duckdb#23818.)"""
    create_enum(con, f"slt_spelling_{column}", list(spellings))
    return f"CAST({column} AS slt_spelling_{column})"


def _mapped(spelled: str, spellings: dict, target: str) -> str:
    """SQL of the value of type ``target`` of a label ``spelled`` (:func:`_spelled`): a list of
    the values indexed by the spelling's position."""
    values = ", ".join(str(v) if isinstance(v, int) else sql_text(v) for v in spellings.values())
    return f"([{values}]::{target}[])[enum_code({spelled}) + 1]"


# The exact way costs about 50 ms whatever the file's size (the spellings of ~1 000 regions
# resolved, ENUMs of them made and bound) and saves about 6 ms per MB (the distinct labels'
# read, ~0.2 s per million rows): it pays from about this size (a yearly police file of a few
# thousand rows, the upload page's usual file, is read the general way).
MIN_BYTES = 8 << 20


def stage_exact(con: duckdb.DuckDBPyConnection, result: ReadResult, vocab: Vocab,
                catalogue: RegionCatalogue, region_override: str | None) -> list[Problem] | None:
    """Stage the fast read ``raw`` in one pass when every label is a known spelling, and
    check it (:func:`etl.staging.check_staged`); None (nothing left staged) when any is not,
    or the file is not a fast long CSV naming its regions without offenders."""
    if not (result.fast and result.region_column and region_override is None
            and not result.offenders):
        return None
    create_label_types(con, vocab)
    spellings = {"region": region_spellings(catalogue, vocab), "year": year_spellings(),
                 **{dim: label_spellings(vocab, dim) for dim in DIMENSIONS}}
    targets = {"region": "slt_region", "year": "INTEGER",
               **{dim: f"slt_{dim}" for dim in DIMENSIONS}}
    create_enum(con, "slt_region", sorted(set(spellings["region"].values())))
    spelled = {c: _spelled(con, c, s) for c, s in spellings.items()}
    create_staged(con, fast=True)
    # Which name each row's region had: a former kommune name is checked by the file's years.
    con.execute("ALTER TABLE staged ADD COLUMN region_spelling slt_spelling_region")
    labels = [_mapped(f"s_{c}", spellings[c], targets[c]) for c in ("region", "year")]
    labels.append(COUNTED_THROUGH.format("NULL"))
    labels += [_mapped(f"s_{c}", spellings[c], targets[c]) for c in DIMENSIONS]
    is_suppressed, number, present = value_sql(con, vocab)
    # Every row, so that every label is cast (the general way refuses an unknown label with a
    # count or without); a row without a count (not ``given``) is removed once its labels are
    # known, before anything else reads ``staged``.
    try:
        con.execute(f"""
            INSERT INTO staged ({', '.join(STAGED_COLUMNS)}, given, region_spelling)
            SELECT {', '.join(labels)},
                   {CHECKED_COUNT}, r.suppressed, present, s_region
            FROM (SELECT {', '.join(f'{sql} AS s_{c}' for c, sql in spelled.items())},
                         counted_through, {is_suppressed} AS suppressed, {number} AS number,
                         {present} AS present
                  FROM (SELECT *, {CLEAN.format('value')} AS v FROM raw)) r""")
    except duckdb.ConversionException:  # a label not spelled as we know it
        con.execute("DROP TABLE staged")
        return None
    con.execute("DELETE FROM staged WHERE NOT given")
    if con.execute("SELECT 1 FROM staged WHERE " + " OR ".join(
            f"{c} IS NULL" for c in ("region_code", "year", *DIMENSIONS)) + " LIMIT 1"
                   ).fetchall():  # a blank label beside a count
        con.execute("DROP TABLE staged")
        return None
    places = _places(con, result, vocab, catalogue, spellings["region"])
    return check_staged(con, result, catalogue, None, places)


def _places(con, result: ReadResult, vocab: Vocab, catalogue: RegionCatalogue,
            regions: dict[str, str]) -> list[tuple]:
    """The (region name, table) pairs of the staged rows that :func:`etl.staging_regions.
    former_names` must look at (its only reader): a name another kommune had before 2020
    (``Bø``) in a year the file has no figures for the kommune the old one became.  Most files
    that name it also name that kommune in every such year (a national file): found here from
    one pass over ``staged``, they are left out.  For any other, what former_names reads beside
    them is made as the general way leaves it: ``raw_region``, ``map_year`` and the views
    ``raw_located`` and ``raw_values`` (two more passes over the rows: ~0.1 s a million)."""
    spelled: dict[str, set[int]] = {}
    years: dict[str, set[int]] = {}  # region code → the years it has figures for
    for name, year, code in con.execute(
            "SELECT CAST(n AS VARCHAR), year, CAST(c AS VARCHAR) FROM (SELECT DISTINCT "
            "region_spelling AS n, year, region_code AS c FROM staged "
            "WHERE region_spelling IS NOT NULL)").fetchall():
        spelled.setdefault(name, set()).add(year)
        years.setdefault(code, set()).add(year)
    places = []
    for name in sorted(spelled):
        if (found := catalogue.former_of(name)) is not None:
            former, _today, became = found
            if any(y <= former.last_year and y not in years.get(became.region_code, ())
                   for y in spelled[name]):
                places.append((name, None))
    if not places:
        return places  # former_names reads nothing more
    rows_table(con, "raw_region", REGION_MAP,
               [(name, None, regions[name]) for name in sorted(spelled)])
    rows_table(con, "map_year", YEAR_MAP, [(str(y), y, None) for y in
                                           sorted(set().union(*years.values()))])
    locate(con, result.line_offset, fast=True)
    parse_values(con, vocab)
    return places
