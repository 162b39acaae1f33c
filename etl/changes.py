"""What a police file changes, in words and figures: the figures that change (old → new), the
region-years that are new, replaced or unchanged, and the accepted file's message — listed, or
summarised for a file of many regions and years.

Read from the temp table ``slice_changes`` (:func:`etl.ingest.compare_slices`) and ``staged``
inside the publishing transaction, before the figures are applied.
"""

from __future__ import annotations

from etl.errors import count_text, counted
from etl.totals import describe

MAX_CHANGES = 500


def first_changes(con, query: str, order: str) -> tuple[list[dict], int]:
    """The first :data:`MAX_CHANGES` rows of ``query`` (changed figures) in ``order``, and how
    many rows it has in all."""
    result = con.execute(f"SELECT *, count(*) OVER () AS n_changed FROM ({query}) "
                         f"ORDER BY {order} LIMIT ?", [MAX_CHANGES])
    names = [column[0] for column in result.description][:-1]
    rows = result.fetchall()
    return [dict(zip(names, row)) for row in rows], rows[0][-1] if rows else 0


def figure_changes(con) -> tuple[list[dict], int, list[dict]]:
    """What the staged figures change: figure by figure (old → new, the first
    :data:`MAX_CHANGES`), how many figures, and per region-year."""
    # Plain rows, not a DataFrame: a national file has thousands of region-years (dates are
    # ``datetime.date`` or None).
    keys = ("region", "year", "status", "old_counted_through", "counted_through")
    slices = [dict(zip(keys, row)) for row in con.execute("""
        SELECT r.name AS region, c.year, c.status, c.old_counted_through, c.counted_through
        FROM slice_changes c JOIN regions r USING (region_code) ORDER BY 1, 2""").fetchall()]
    # A count of offenders that changed is listed too («Vold, gjerningspersoner: 10 → 12»);
    # one the earlier file did not give (NULL) is not a changed figure.
    cells, total = first_changes(con, """
        SELECT r.name AS region, s.year, s.crime_type, s.age, s.gender,
               c.offences AS old, s.offences AS new, FALSE AS of_offenders
        FROM staged s JOIN u18_current c USING (region_code, year, crime_type, age, gender)
        JOIN regions r USING (region_code)
        WHERE s.offences IS DISTINCT FROM c.offences
        UNION ALL
        SELECT r.name, s.year, s.crime_type, s.age, s.gender, c.offenders, s.offenders, TRUE
        FROM staged s JOIN u18_current c USING (region_code, year, crime_type, age, gender)
        JOIN regions r USING (region_code)
        WHERE s.offenders <> c.offenders""", "1, 2, 3, 4, 5, 8")
    for cell in cells:
        if cell.pop("of_offenders"):
            cell["what"] = (describe(cell["crime_type"], cell["age"], cell["gender"])
                            + ", gjerningspersoner")
    return cells, total, slices


MAX_LISTED = 5  # a message of more parts than this is summarised (see summarise_changes)
NAMED = 3  # regions (or region-years) named in a summary before «og N til»


def describe_changes(con) -> tuple[str, list[str]]:
    """The accepted file's message, and (for a file of many regions) the full list it
    summarises: new years, replaced years and partial ↔ full years per region."""
    parts = []
    for status, label in (("new", "nye år"), ("changed", "erstattet")):
        rows = con.execute("""
            SELECT r.name, list(c.year ORDER BY c.year) FROM slice_changes c
            JOIN regions r USING (region_code) WHERE status = ? GROUP BY 1 ORDER BY 1""",
                           [status]).fetchall()
        for name, years in rows:
            parts.append(f"{name} {label}: {', '.join(map(str, years))}")
    for name, year, old, new in _period_changes(con):
        before = f"delår til {old:%d.%m.%Y}" if old else "helt år"
        after = f"delår til {new:%d.%m.%Y}" if new else "helt år"
        parts.append(f"{name} {year} går fra {before} til {after}")
    if len(parts) <= MAX_LISTED:
        return "; ".join(parts), []
    return summarise_changes(con), parts


def _period_changes(con) -> list[tuple]:
    return con.execute("""
        SELECT r.name, c.year, c.old_counted_through, c.counted_through FROM slice_changes c
        JOIN regions r USING (region_code)
        WHERE status = 'changed' AND old_counted_through IS DISTINCT FROM counted_through
        ORDER BY 1, 2""").fetchall()


def named(names: list[str], total: int) -> str:
    """``Alta, Alver, Andøy og 354 til`` — the first :data:`NAMED` of ``total``."""
    shown = ", ".join(names[:NAMED])
    return f"{shown} og {count_text(total - NAMED)} til" if total > NAMED else shown


def _years_span(years: list[int]) -> str:
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"


def summarise_changes(con) -> str:
    """One line for a file of many regions and years: how many regions and years, the first
    few named, what is new and what replaced what (which earlier uploads)."""
    [(n_regions, years)] = con.execute("""
        SELECT count(DISTINCT region_code), list(DISTINCT year ORDER BY year)
        FROM slice_changes""").fetchall()
    parts = [f"{counted(n_regions, 'region', 'regioner')} og {len(years)} år "
             f"({_years_span(years)})"]
    for status, label in (("new", "nye år for"), ("changed", "erstattet for")):
        [(regions, names, slices, old)] = con.execute("""
            SELECT count(DISTINCT c.region_code), list(DISTINCT r.name ORDER BY r.name)[:?],
                   count(*), list(DISTINCT c.old_upload_id ORDER BY c.old_upload_id)
            FROM slice_changes c JOIN regions r USING (region_code) WHERE c.status = ?""",
                                                      [NAMED, status]).fetchall()
        if not regions:
            continue
        text = (f"{label} {counted(regions, 'region', 'regioner')} ({named(names, regions)}), "
                f"{count_text(slices)} region-år")
        if status == "changed":
            text += " fra opplasting " + ", ".join(str(u) for u in old if u is not None)
        parts.append(text)
    unchanged = con.execute("SELECT count(*) FROM slice_changes WHERE status = 'unchanged'"
                            ).fetchall()[0][0]
    if unchanged:
        parts.append(f"{count_text(unchanged)} region-år uendret")
    periods = _period_changes(con)
    if periods:
        shown = [f"{name} {year}" for name, year, _, _ in periods]
        parts.append(f"{count_text(len(periods))} region-år skifter mellom delår og helt år "
                     f"({named(shown, len(periods))})")
    return "; ".join(parts)
