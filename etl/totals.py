"""Figures given twice, sums too large to store, and the totals a cross table leaves out.

Run by :func:`etl.staging.stage` on the temp table ``staged`` once its labels are mapped and
its values checked: the same figure given twice must agree (agreeing copies are merged), no
total may outgrow a stored count, and every total over the file's dimensions is derived from
its leaf rows (a given total is checked against the sum instead).
"""

from __future__ import annotations

from itertools import combinations

from etl.errors import MAX_PROBLEMS, Problem, count_text, problem_at
from etl.regions import RegionCatalogue
from etl.vocab import DIMENSIONS, TOTAL, UNKNOWN

MAX_COUNT = 2**31 - 1  # counts are stored as INTEGER; a larger one is refused, never cast

MAX_KEY_BITS = 1 << 28  # 32 MB of bits: beyond that, count distinct hashes instead


def _no_duplicates(con) -> bool:
    """True when no two staged rows share region, year, crime type, age and gender.

    The labels are small integers (ENUM codes), so each key packs into one number; a bit per
    possible key, set by ``bitstring_agg``, counts the distinct keys without a hash table
    (a quarter of the time on ten million rows).
    """
    sizes = {dim: f"len(enum_range(NULL::slt_{dim}))" for dim in ("region", *DIMENSIONS)}
    [(first_year, years, *counts)] = con.execute(
        f"SELECT min(year), max(year) - min(year) + 1, {', '.join(sizes.values())} FROM staged"
    ).fetchall()
    if first_year is None:
        return True
    n_regions, n_types, n_ages, n_genders = counts
    space = n_regions * years * n_types * n_ages * n_genders
    if space > MAX_KEY_BITS:
        distinct = "count(DISTINCT hash(region_code, year, crime_type, age, gender))"
    else:
        packed = (f"((((enum_code(region_code)::BIGINT * {years} + (year - {first_year})) "
                  f"* {n_types} + enum_code(crime_type)) * {n_ages} + enum_code(age)) "
                  f"* {n_genders} + enum_code(gender))")
        distinct = f"bit_count(bitstring_agg({packed}, 0, {space - 1}))"
    [(distinct_keys, rows)] = con.execute(f"SELECT {distinct}, count(*) FROM staged").fetchall()
    return distinct_keys == rows  # (hashes may collide, but equal counts prove no duplicates)


def merge_duplicates(con, problems: list[Problem]) -> tuple[int, list[tuple]]:
    """The same figure given twice must agree (e.g. Totalt in the by-type and by-age tables).

    Agreeing copies are merged; disagreeing ones are reported and kept, so the sum checks
    can still say which of them the categories support.  Returns how many figures a text
    file (no cells: a long CSV) repeated with the same count, and the first three of them
    (region code, year, crime type, age, gender): a workbook gives a total in several tables,
    but a line of a long table given twice is worth a word.
    """
    key = "region_code, year, crime_type, age, gender"
    if _no_duplicates(con):
        return 0, []
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE duplicated AS
        SELECT {key}, count(DISTINCT coalesce(offences, -1)) AS n_values
        FROM staged GROUP BY {key} HAVING count(*) > 1""")
    if not con.execute("SELECT 1 FROM duplicated LIMIT 1").fetchall():
        return 0, []
    repeated = con.execute(f"""
        SELECT count(*) OVER (), CAST(region_code AS VARCHAR), year, crime_type, age, gender
        FROM staged SEMI JOIN (SELECT * FROM duplicated WHERE n_values = 1) USING ({key})
        GROUP BY ALL HAVING bool_and(cell IS NULL) ORDER BY 2, 3, 4, 5, 6 LIMIT 3""").fetchall()
    conflicts = con.execute(f"""
        SELECT {key}, list(value ORDER BY line, cell), list(cell ORDER BY line, cell),
               list(line ORDER BY line, cell), any_value(sheet)
        FROM staged SEMI JOIN (SELECT * FROM duplicated WHERE n_values > 1) USING ({key})
        GROUP BY {key} LIMIT ?""", [MAX_PROBLEMS]).fetchall()
    for _code, year, crime_type, age, gender, values, cells, lines, sheet in conflicts:
        places = [cell or f"rad {line}" for cell, line in zip(cells, lines)]
        label = describe(crime_type, age, gender)
        problems.append(Problem(
            f"{label} {year} er {values[0]} i {places[0]}, men {values[1]} i {places[1]}; "
            "samme tall må være likt i alle tabellene", sheet, cells[0]))
    con.execute(f"""
        DELETE FROM staged WHERE rowid IN (
            SELECT rowid FROM staged SEMI JOIN duplicated USING ({key})
            QUALIFY row_number() OVER (PARTITION BY {key}, offences ORDER BY line, cell) > 1)""")
    return (repeated[0][0] if repeated else 0), [row[1:] for row in repeated]


def repeated_note(count: int, first: list[tuple], catalogue: RegionCatalogue) -> list[str]:
    """The message's word on the figures :func:`merge_duplicates` found repeated."""
    if not count:
        return []
    named = "; ".join(f"{catalogue.by_code(code).name}, {describe(crime, age, gender)} {year}"
                      for code, year, crime, age, gender in first)
    more = " …" if count > len(first) else ""
    return [f"{count_text(count)} tall står mer enn én gang med samme verdi ({named}{more}); "
            "lagret én gang — mangler filen en kolonne (f.eks. kjønn)?"]


def describe(crime_type: str, age: str, gender: str) -> str:
    """``Vold, 15 år, Jenter`` — the labels of a figure that are not totals (``Vold, ukjent
    alder, ukjent kjønn`` for an age and a gender the police did not record)."""
    parts = [crime_type if crime_type != TOTAL else None,
             "ukjent alder" if age == UNKNOWN else f"{age} år" if age != TOTAL else None,
             "ukjent kjønn" if gender == UNKNOWN else gender if gender != TOTAL else None]
    return ", ".join(p for p in parts if p) or TOTAL


def too_large_sums(con, dimensions: tuple[str, ...],
                    catalogue: RegionCatalogue) -> list[Problem]:
    """Region-years whose rows sum to more than a count can be (a derived total would be)."""
    [(largest, rows)] = con.execute("SELECT max(offences), count(*) FROM staged").fetchall()
    if not dimensions or largest is None or largest * rows <= MAX_COUNT:
        return []  # no sum of these rows can be too large: the usual case, one cheap pass
    leaf = " AND ".join(f"{d} <> '{TOTAL}'" for d in dimensions)
    return [Problem(f"{catalogue.by_code(code).name} {year}: tallene summerer til "
                    f"{count_text(total)}, mer enn det største antallet som kan lagres "
                    f"({count_text(MAX_COUNT)})")
            for code, year, total in con.execute(f"""
                SELECT CAST(region_code AS VARCHAR), year, sum(offences) FROM staged
                WHERE {leaf} GROUP BY ALL HAVING sum(offences) > {MAX_COUNT} ORDER BY 1, 2
                LIMIT {MAX_PROBLEMS}""").fetchall()]


def varied(con, dimensions: tuple[str, ...]) -> tuple[str, ...]:
    """The ``dimensions`` with a label other than the total in ``staged``: a column that is
    «Totalt» on every line (the police's tidy export's age) is no dimension of the file, and
    its totals are summed over the others, as for a file without it."""
    return tuple(d for d in dimensions  # (stops at the first such row: at once, as a rule)
                 if con.execute(f"SELECT 1 FROM staged WHERE {d} <> '{TOTAL}' LIMIT 1").fetchall())


def stored(subset: tuple[str, ...]) -> bool:
    """Whether the totals that keep the labels of ``subset`` (and sum over the file's other
    dimensions) are stored: those at every age (``age`` summed over: the rate tables read
    them) and those by age alone (the age breakdown).  The others — by crime type and age,
    by age and gender — are sums :func:`etl.store.u18_rows` (and so the view
    ``u18_offences``) adds when read."""
    return "age" not in subset or not {"crime_type", "gender"} & set(subset)


def stored_total(row: str = "") -> str:
    """:func:`stored` said of a row: a condition on it (``row``: the alias of its table and a
    dot, e.g. ``s.``); ``etl.store`` reads it for the totals that are not."""
    return f"({row}age = '{TOTAL}' OR ({row}crime_type = '{TOTAL}' AND {row}gender = '{TOTAL}'))"


def _totals_query(dimensions: tuple[str, ...], keep: str, every: bool = True) -> str:
    """SQL of the totals of the leaf rows of ``staged`` over one or more of ``dimensions``
    (rows of ``staged``, grouped by ``keep``); a sum with a suppressed part is left out.
    ``every``: all of them (to check the totals a file gives), else only those
    :func:`stored`.

    Level by level: the sums over one dimension from the leaves, then each smaller set of
    labels from one set of the level above (a few rows per region-year, not every leaf
    again; a stored one where there is one).  Sums of sums are the same sums, and a part
    suppressed anywhere below stays known as suppressed (``bool_or``)."""
    when = "" if "counted_through" in keep else ", any_value(counted_through) AS counted_through"

    def select(subset: tuple[str, ...], source: str, where: str = "TRUE") -> str:
        labels = ", ".join(d if d in subset else f"'{TOTAL}'::slt_{d} AS {d}"
                           for d in DIMENSIONS)
        return (f"SELECT {keep}{when}, {labels}, sum(offences) AS offences, "
                f"bool_or(suppressed) AS suppressed "
                f"FROM {source} WHERE {where} GROUP BY {', '.join([keep, *subset])}")

    def name(subset: tuple[str, ...]) -> str:  # one CTE per set of labels summed over
        return "sums_" + "_".join(subset or ("all",))

    def parent(subset: tuple[str, ...]) -> tuple[str, ...]:  # the set it is summed from
        larger = [tuple(d for d in dimensions if d in subset or d == extra)
                  for extra in dimensions if extra not in subset]
        return next((p for p in larger if stored(p)), larger[0])

    top = len(dimensions) - 1
    leaf = " AND ".join(f"{d} <> '{TOTAL}'" for d in dimensions)
    ctes = {name(subset): select(subset, "staged", leaf)
            for subset in combinations(dimensions, top)}
    ctes |= {name(subset): select(subset, name(parent(subset)))
             for size in range(top - 1, -1, -1) for subset in combinations(dimensions, size)}
    kept = [name(subset) for size in range(top, -1, -1)
            for subset in combinations(dimensions, size) if every or stored(subset)]
    union = " UNION ALL ".join(f"SELECT * FROM {cte}" for cte in kept)
    defined = ", ".join(f"{cte} AS ({query})" for cte, query in ctes.items())
    return (f"WITH {defined} SELECT region_code, year, counted_through, "
            f"{', '.join(DIMENSIONS)}, CAST(offences AS INTEGER) AS offences "
            f"FROM ({union}) WHERE NOT suppressed")


def derive_totals(con, dimensions: tuple[str, ...], problems: list[Problem]) -> None:
    """Check the totals a file gives, and add those it leaves out that are :func:`stored`.

    Every total is a sum over one or more dimensions of the leaf rows (grouped by the labels'
    small integer codes, see :func:`_totals_query`).  A sum with a suppressed part is left out
    (unknown), as it is in the file.
    """
    con.execute("DROP TABLE IF EXISTS derived")
    if not dimensions:
        return
    # counted_through is one date per year in the file, unless a year was given two (which
    # is already a problem): then the sums are kept apart by date, as the messages expect.
    keep = "region_code, year, counted_through" if problems else "region_code, year"
    totals = _totals_query(dimensions, keep)
    insert = ("INSERT INTO staged (region_code, year, counted_through, crime_type, age, gender, "
              "offences, suppressed, given) SELECT *, FALSE, FALSE FROM ")
    if not con.execute(f"SELECT 1 FROM staged WHERE '{TOTAL}' IN (crime_type, age, gender) "
                       "LIMIT 1").fetchall():  # no total given: nothing to check them with
        con.execute(f"{insert} ({_totals_query(dimensions, keep, every=False)})")
        return
    con.execute(f"CREATE OR REPLACE TEMP TABLE derived AS {totals}")
    key = "region_code, year, crime_type, age, gender"
    for year, ct, age, gender, given, derived, cell, line, sheet in con.execute(f"""
            SELECT s.year, s.crime_type, s.age, s.gender, s.offences, d.offences, s.cell,
                   s.line, s.sheet
            FROM staged s JOIN derived d USING ({key})
            WHERE s.offences IS DISTINCT FROM d.offences AND NOT s.suppressed
            ORDER BY s.line LIMIT ?""", [MAX_PROBLEMS]).fetchall():
        problems.append(problem_at(
            f"{describe(ct, age, gender)} {year} er {given}, men radene under summerer til "
            f"{derived}", (sheet, cell, line)))
    con.execute(f"{insert} (SELECT d.* FROM derived d ANTI JOIN staged s USING ({key}) "
                f"WHERE {stored_total('d.')})")


def drop_derivable(con) -> None:
    """A total the file gives that is not :func:`stored` is dropped from ``staged`` when it
    equals the sum of its leaf rows and gives no offenders: it is a figure the view sums when
    read, as for a file that leaves it out, so the store holds the same rows whichever the
    file gave (and a store written before schema 3 is migrated to the same rows,
    :func:`etl.store._migrate`).  One that differs is already a problem; one whose sum has a
    suppressed part is the only figure there is, and stays.  Run after the offenders are
    attached (:func:`etl.offenders.attach_offenders`)."""
    if not con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'derived'").fetchall():
        return  # no total given (or none to derive): nothing to drop
    con.execute(f"""DELETE FROM staged WHERE rowid IN (
        SELECT s.rowid FROM staged s JOIN derived d
            USING (region_code, year, crime_type, age, gender)
        WHERE s.given AND s.offenders IS NULL AND NOT s.suppressed
          AND s.offences = d.offences AND NOT {stored_total("s.")})""")
