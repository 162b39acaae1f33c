"""Raw rows → checked, canonical rows in the staging table ``staged``.

Everything here runs as SQL in the in-memory staging database, so a ten-million-row CSV is
handled as fast as a twelve-cell table.  Labels are mapped through ``etl/vocab`` once per
distinct value; what cannot be mapped is collected and reported, never dropped.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from etl.errors import MAX_PROBLEMS, Problem, count_text, problem_at
from etl.located import first_row
from etl.periods import parse_year_label
from etl.readers.common import ReadResult, sql_text
from etl.regions import RegionCatalogue
from etl.rows import rows_table
from etl.staging_regions import former_names, map_regions, skip_non_regions, skip_sheet_sums
from etl.totals import (
    MAX_COUNT,
    derive_totals,
    drop_derivable,
    merge_duplicates,
    repeated_note,
    too_large_sums,
    varied,
)
from etl.vocab import DIMENSION_NAMES, DIMENSIONS, TOTAL, Vocab, alias_hint

_EXAMPLES = {"crime_type": "Vold", "age": "15", "gender": "Jenter"}
# A raw count as stored: NULL when hidden, not a whole number, negative or too large (each of
# those is refused or kept as suppressed by the checks, never cast).
CHECKED_COUNT = (f"CASE WHEN r.suppressed OR r.number <> floor(r.number) OR r.number < 0 "
                 f"OR r.number > {MAX_COUNT} THEN NULL ELSE CAST(r.number AS INTEGER) END")
# The raw values with their region, year, crime type, age and gender mapped to canonical labels.
MAPPED_VALUES = """FROM raw_values r
        JOIN raw_region rr ON rr.region IS NOT DISTINCT FROM r.region
                          AND rr."table" IS NOT DISTINCT FROM r."table"
        JOIN map_year my ON my.raw = CAST(r.year AS VARCHAR)
        JOIN map_crime_type mc ON mc.raw = r.crime_type
        JOIN map_age ma ON ma.raw = r.age
        JOIN map_gender mg ON mg.raw = r.gender"""
# After the label in a message about a value of ``raw_values``: which count it is.
_RAW_MEASURE = "CASE WHEN measure = 'offenders' THEN ', gjerningspersoner' ELSE '' END"
# A row with a count whose cell for this column is empty (it would otherwise vanish).  A row
# without a count stores nothing, so its blanks do not matter (``;;;`` lines of a CSV).
_BLANK = {**{column: f"{column} IS NULL AND v <> ''" for column in (*DIMENSIONS, "region")},
          # a fast read leaves spaces around the year (see _map_years)
          "year": "(year IS NULL OR trim(CAST(year AS VARCHAR)) = '') AND v <> ''"}


def create_label_types(con, vocab: Vocab) -> None:
    """ENUM types for the canonical labels, in sorted order (ORDER BY sorts as for text).

    ``staged`` holds its labels as these small integers: grouping, joining and checking a
    million rows by them is about twice as fast as by text, and takes a fraction of the memory.
    """
    canonical = {"crime_type": vocab.crime_types, "age": vocab.ages, "gender": vocab.genders}
    for dim, table in canonical.items():
        create_enum(con, f"slt_{dim}", sorted(set(table.values()) | {TOTAL}))


def create_enum(con, name: str, members: list[str]) -> None:
    """(Re)create the ENUM type ``name`` (ours, never input) of ``members``, in their order."""
    con.execute(f"CREATE OR REPLACE TYPE {name} AS ENUM ({', '.join(map(sql_text, members))})")


def drop_staging(con) -> None:
    """Remove every temp table and view (and the label types) of a staging connection."""
    for (name,) in con.execute("SELECT view_name FROM duckdb_views() "
                               "WHERE temporary AND NOT internal").fetchall():
        con.execute(f'DROP VIEW "{name}"')
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() "
                               "WHERE temporary").fetchall():
        con.execute(f'DROP TABLE "{name}"')


def _distinct_values(con, region_column: bool = True) -> dict[str, list]:
    """The distinct labels of every column that is mapped, in one pass over ``raw``, and
    (``blank_…``) whether a count stands beside an empty cell of each label column.

    Empty cells are rare, and asking every row whether a count stands beside one costs a
    third of the pass: the pass counts each column's filled cells instead, and only a column
    with an empty cell (or a year of spaces) is asked about it, in a second pass.
    ``region_column``: the rows name their region (else a blank region is no question)."""
    columns = [*DIMENSIONS, "year", "place"]
    row = con.execute(
        "SELECT " + ", ".join(f"list(DISTINCT {d})" for d in DIMENSIONS)
        + ", list(DISTINCT CAST(year AS VARCHAR)), "
          "list(DISTINCT {'region': region, 'title': \"table\"}), "
        + ", ".join(f"count({column})" for column in _BLANK) + ", count(*) FROM raw_located"
    ).fetchall()[0]
    values = dict(zip(columns, row))
    *filled, rows = row[len(columns):]
    [(spaces,)] = con.execute("SELECT coalesce(bool_or(trim(y) = ''), FALSE) "
                              "FROM unnest(?::VARCHAR[]) t(y)", [values["year"]]).fetchall()
    maybe = [column for column, n in zip(_BLANK, filled)
             if (n < rows or (column == "year" and spaces))
             and (column != "region" or region_column)]
    found = dict(zip(maybe, con.execute(
        "SELECT " + ", ".join(f"coalesce(bool_or({_BLANK[c]}), FALSE)" for c in maybe)
        + " FROM raw_located").fetchall()[0])) if maybe else {}
    for column in _BLANK:
        values[f"blank_{column}"] = found.get(column, False)
    values["place"] = [(p["region"], p["title"]) for p in values["place"]]
    return values


def _blank_cell(con, column: str, name: str, expected: str) -> Problem:
    """A count with an empty ``column`` cell, at its first line."""
    return problem_at(f"{name} mangler (tom celle i en rad med et antall; forventet {expected})",
                       first_row(con, _BLANK[column], []))


def _map_dimensions(con, distinct: dict[str, list], vocab: Vocab,
                    problems: list[Problem]) -> None:
    for dim in DIMENSIONS:
        known, unknown = [], []
        # Sorted: list(DISTINCT …) has no order, and the message must not change between runs.
        for label in sorted(label for label in distinct[dim] if label is not None):
            canonical = vocab.lookup(dim, label)
            (known if canonical else unknown).append((label, canonical))
        rows_table(con, f"map_{dim}", {"raw": "VARCHAR", "canonical": f"slt_{dim}"}, known)
        if distinct[f"blank_{dim}"]:
            problems.append(_blank_cell(con, dim, DIMENSION_NAMES[dim],
                                        f"f.eks. «{_EXAMPLES[dim]}» eller «{TOTAL}»"))
        if unknown:
            labels = ", ".join(f"«{label}»" for label, _ in unknown[:20])
            where = first_row(con, f"{dim} = ?", [unknown[0][0]])
            kind = DIMENSION_NAMES[dim]
            problems.append(problem_at(
                f"ukjent {kind}: {labels}; {alias_hint(kind, unknown[0][0])}", where,
                (kind, unknown[0][0])))


YEAR_EXAMPLE = "et år som «2024», eller «2024 (pr. 01.08)» for et delår"
# The temp table ``map_year``: a year label of the file → its year and, for a partial year, the
# last date counted.
YEAR_MAP = {"raw": "VARCHAR", "year": "INTEGER", "counted_through": "DATE"}


def _map_years(con, labels: list[str], blank: bool, problems: list[Problem]) -> None:
    """``blank``: a row with a count has no year."""
    if blank:
        where = first_row(con, _BLANK["year"], [])
        problems.append(problem_at(f"året mangler (tom celle; forventet {YEAR_EXAMPLE})", where))
    rows = []
    for label in labels:
        if label is None or (isinstance(label, str) and not label.strip()):
            continue
        try:  # a fast read leaves the spaces trim() would remove (etl.readers.long_table)
            parsed = parse_year_label(label.strip(" ") if isinstance(label, str) else label)
        except ValueError:
            parsed = None
        if parsed is None:
            where = first_row(con, "CAST(year AS VARCHAR) = ?", [label])
            problems.append(problem_at(f"«{label}» er ikke et år (forventet {YEAR_EXAMPLE})",
                                        where))
            continue
        rows.append((label, parsed[0], parsed[1]))
    rows_table(con, "map_year", YEAR_MAP, rows)


def _symbols(vocab: Vocab, meaning: str) -> list[str]:
    return [s for s, m in vocab.symbols.items() if m == meaning]


CLEAN = "replace(replace(coalesce({0}, ''), ' ', ''), '\u00a0', '')"


def locate(con, line_offset: int, fast: bool = False, offenders: bool = False) -> None:
    """View ``raw_located``: ``raw`` plus each row's line number, its value without spaces
    and its ``measure``: ``offences``, or ``offenders`` for the second count of a file that
    gives the number of persons (one located row per count, so the checks of labels, blank
    cells and values see both and name their own line or cell).

    A fast ``raw`` (a view over the file) has no rowid, so no line numbers.
    """
    line = "" if fast else f" REPLACE (coalesce(line, rowid + {int(line_offset)}) AS line)"
    located = f"SELECT *{line} FROM raw"
    common = "* EXCLUDE (offenders, offenders_cell)"
    query = (f"SELECT {common}, 'offences' AS measure, {CLEAN.format('value')} AS v "
             f"FROM ({located})")
    if offenders:
        query += (f" UNION ALL SELECT {common} REPLACE (CAST(offenders AS VARCHAR) AS value, "
                  "CAST(offenders_cell AS VARCHAR) AS cell), 'offenders', "
                  f"{CLEAN.format('CAST(offenders AS VARCHAR)')} FROM ({located})")
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw_located AS {query}")


def value_sql(con, vocab: Vocab) -> tuple[str, str, str]:
    """SQL over ``value`` and ``v`` (the value without spaces) of a row: whether it is
    suppressed, its number, and whether a value is there at all (an empty cell counts nothing).

    A value that DuckDB reads as a number as it stands (``7``, `` 12 ``: nearly every cell)
    is that number, and neither a symbol nor empty: removing its spaces, comparing it with the
    symbols and replacing a decimal comma is asked only of the others.  That shortcut holds
    only while no symbol reads as a number itself; otherwise every value takes the long way.
    """
    def sql_list(values: list[str]) -> str:  # symbols come from our vocab file, not input
        return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"

    suppressed, zero = _symbols(vocab, "suppressed"), _symbols(vocab, "zero")
    is_suppressed = f"list_contains({sql_list(suppressed)}, v)"
    number = (f"CASE WHEN list_contains({sql_list(zero)}, v) THEN 0.0 "
              "ELSE TRY_CAST(replace(v, ',', '.') AS DOUBLE) END")
    present = "v <> ''"
    if not _numeric_symbol(con, suppressed + zero):
        plain = "TRY_CAST(value AS DOUBLE)"
        is_suppressed = f"CASE WHEN {plain} IS NULL THEN {is_suppressed} ELSE FALSE END"
        number = f"coalesce({plain}, {number})"
        present = f"({plain} IS NOT NULL OR {present})"
    return is_suppressed, number, present


def parse_values(con, vocab: Vocab) -> None:
    """View ``raw_values``: each non-empty value as a number, or flagged as suppressed."""
    is_suppressed, number, present = value_sql(con, vocab)
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw_values AS SELECT *, {is_suppressed} AS "
                f"suppressed, {number} AS number FROM raw_located WHERE {present}")


def _numeric_symbol(con, symbols: list[str]) -> bool:
    """Whether DuckDB reads any of ``symbols`` as a number."""
    [(found,)] = con.execute("SELECT coalesce(bool_or(TRY_CAST(s AS DOUBLE) IS NOT NULL), FALSE) "
                             "FROM unnest(?::VARCHAR[]) t(s)", [symbols]).fetchall()
    return found


_OFFENDERS_LABEL = ", gjerningspersoner"


def _value_problems(con, source: str, measure: str = "''") -> list[Problem]:
    """Values in ``source`` (``raw_values``, ``staged`` or ``staged_offenders``) that are not
    counts.  ``measure``: SQL for the words after the label (a count of offenders says so)."""
    bad = con.execute(
        f"SELECT sheet, cell, line, value, coalesce(row_label, crime_type) || {measure}, "
        "CAST(year AS VARCHAR), "
        f"  number FROM {source} WHERE NOT suppressed AND "
        f"  (number IS NULL OR number <> floor(number) OR number < 0 OR number > {MAX_COUNT}) "
        "ORDER BY line LIMIT ?", [MAX_PROBLEMS]).fetchall()
    problems = []
    for sheet, cell, line, value, label, year, number in bad:
        what = ("er ikke et antall" if number is None else
                "er negativt" if number < 0 else
                f"er større enn det største antallet som kan lagres ({count_text(MAX_COUNT)})"
                if number > MAX_COUNT else "er ikke et helt antall")
        problems.append(problem_at(
            f"{label} {year}: «{value}» {what} (forventet et helt tall ≥ 0, en tom celle eller "
            "et prikketegn som «..»)", (sheet, cell, line)))
    return problems


# Where a staged row came from.  A fast read (a view over a CSV, see ReadResult.fast) has no
# locations: they are virtual columns there, computed from the figure, stored nowhere.  Any
# problem found on a fast read makes etl.ingest.stage_file read the file again with them.
_LOCATED = {"number": "DOUBLE", "sheet": "VARCHAR", "cell": "VARCHAR", "line": "BIGINT",
            "row_label": "VARCHAR", "value": "VARCHAR"}
_UNLOCATED = {"number": "CAST(offences AS DOUBLE)", "value": "CAST(offences AS VARCHAR)"}


# A row's last date counted: its own (``counted_through`` column, a date or «31.08.2024»), else
# its year label's (``2024 (pr. 01.08)``), whose date is ``{0}``.
COUNTED_THROUGH = """coalesce(TRY_CAST(r.counted_through AS DATE),
    CAST(try_strptime(CAST(r.counted_through AS VARCHAR), '%d.%m.%Y') AS DATE), {0})"""
STAGED_COLUMNS = ("region_code", "year", "counted_through", "crime_type", "age", "gender",
                  "offences", "suppressed")


def create_staged(con, fast: bool = False) -> None:
    """The empty temp table ``staged`` (its region codes of the type ``slt_region``)."""
    located = [f"{name} {kind} GENERATED ALWAYS AS "
               f"({_UNLOCATED.get(name, f'CAST(NULL AS {kind})')}) VIRTUAL"
               if fast else f"{name} {kind}" for name, kind in _LOCATED.items()]
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE staged (
            region_code slt_region, year INTEGER, counted_through DATE,
            crime_type slt_crime_type, age slt_age, gender slt_gender, offences INTEGER,
            suppressed BOOLEAN, {', '.join(located)}, given BOOLEAN, offenders INTEGER)""")


def _build_staged(con, fast: bool = False) -> None:
    con.execute("CREATE OR REPLACE TYPE slt_region AS ENUM (SELECT DISTINCT region_code "
                "FROM raw_region WHERE region_code IS NOT NULL ORDER BY 1)")
    con.execute("ALTER TABLE raw_region ALTER region_code TYPE slt_region")
    create_staged(con, fast)
    stored = [] if fast else ["r.number", "r.sheet", "r.cell", "r.line", "r.row_label",
                              "r.value"]
    columns = [*STAGED_COLUMNS, *[c.removeprefix("r.") for c in stored], "given"]
    con.execute(f"""
        INSERT INTO staged ({', '.join(columns)})
        SELECT rr.region_code, my.year, {COUNTED_THROUGH.format('my.counted_through')},
               mc.canonical AS crime_type, ma.canonical AS age, mg.canonical AS gender,
               {CHECKED_COUNT} AS offences,
               r.suppressed, {''.join(c + ', ' for c in stored)}TRUE AS given
        {MAPPED_VALUES}
        WHERE r.measure = 'offences'
    """)


def _resolve_partial_years(con, result: ReadResult, problems: list[Problem]) -> None:
    """One ``counted_through`` per year for the whole file (a title marker covers every table)."""
    dates: dict[int, set[dt.date]] = {}
    for year, date in con.execute(
            "SELECT DISTINCT year, counted_through FROM staged").fetchall():
        dates.setdefault(year, set())
        if date is not None:
            dates[year].add(date)
    for year, date in result.sheet_partial.items():
        if year in dates:
            dates[year].add(date)
    extracted = result.extracted
    for year, found in sorted(dates.items()):
        if len(found) > 1:
            listed = " og ".join(d.strftime("%d.%m.%Y") for d in sorted(found))
            problems.append(Problem(f"{year} er merket som delår til både {listed}"))
            continue
        date = next(iter(found), None)
        if date is None and extracted is not None and extracted.year == year:
            date = extracted
        if date is not None and date >= dt.date(year, 12, 31):
            date = None
        con.execute("UPDATE staged SET counted_through = $date WHERE year = $year "
                    "AND counted_through IS DISTINCT FROM $date", {"date": date, "year": year})


def stage(con: duckdb.DuckDBPyConnection, result: ReadResult, vocab: Vocab,
          catalogue: RegionCatalogue, region_override: str | None) -> list[Problem]:
    """Turn ``raw`` into ``staged``; returns every problem found (nothing is stored here)."""
    problems: list[Problem] = []
    fast = result.fast
    create_label_types(con, vocab)
    locate(con, result.line_offset, fast, result.offenders)
    distinct = _distinct_values(con, result.region_column and region_override is None)
    _map_dimensions(con, distinct, vocab, problems)
    _map_years(con, distinct["year"], distinct["blank_year"], problems)
    parse_values(con, vocab)
    places = distinct["place"]
    if result.region_column and region_override is None:
        # The rows name their region: a blank one is not filled in from the file's other rows
        # (which region a count belongs to is not a guess to make for the user), and rows
        # without a count need none.
        if distinct["blank_region"]:
            problems.append(_blank_cell(con, "region", "regionen", "en kommune, region eller "
                                        "gruppe, f.eks. «Porsgrunn» eller «Grenland»"))
        places = skip_non_regions(con, [p for p in places if p[0] is not None], vocab,
                                   result.notes, problems)
    elif result.sheet_labels and region_override is None:  # a sheet per kommune
        places = skip_sheet_sums(con, places, result.sheet_labels, catalogue, vocab,
                                 result.notes)
    map_regions(con, places, catalogue, region_override, problems, result.region_cells,
                result.sheet_labels)
    if problems:
        if fast:  # it will be read again with line numbers for the messages
            return problems
        return problems + _value_problems(con, "raw_values", _RAW_MEASURE)
    _build_staged(con, fast)
    return check_staged(con, result, catalogue, region_override, places)


def check_staged(con: duckdb.DuckDBPyConnection, result: ReadResult, catalogue: RegionCatalogue,
                 region_override: str | None, places: list[tuple]) -> list[Problem]:
    """The checks of ``staged`` once it is built, its partial years, duplicates and derived
    totals; returns every problem found.  ``places``: the (region label, table title) pairs
    of the rows, for the check of former kommune names."""
    problems = _value_problems(con, "staged")
    problems += former_names(con, places, catalogue, region_override, result.sheet_labels)
    if result.offenders:
        from etl.offenders import attach_offenders, build_offenders

        build_offenders(con)
        problems += _value_problems(con, "staged_offenders", sql_text(_OFFENDERS_LABEL))
    if problems:
        return problems
    _resolve_partial_years(con, result, problems)
    result.notes += repeated_note(*merge_duplicates(con, problems), catalogue)
    if result.derive_totals:
        dimensions = varied(con, result.dimensions)
        problems += too_large_sums(con, dimensions, catalogue)
        if problems:
            return problems
        derive_totals(con, dimensions, problems)
    if result.offenders and not problems:
        problems += attach_offenders(con)
    if result.derive_totals and not problems:
        drop_derivable(con)
    return problems
