"""Publish population, survey and SSB 08487 rows read by ``etl/readers`` into the store.

One transaction per file (:func:`etl.store.writing`): regions are resolved through the
catalogue (unknown names fail with the closest known ones), rows replace the stored rows with
the same key, and the attempt is recorded in ``uploads``.  A refused file writes nothing but
its attempt.

Population replaces whole slices instead, as police figures do per region-year: a file
replaces everything stored for each region, year, age and gender it gives a cell of, so a cell
suppressed in the new file (``..``, ``:``, blank; staged with ``persons`` NULL, never stored)
leaves its figure, and the totals over it, unknown, not the earlier file's.  The slice has the
age and the gender because Statbank's 07459 is downloaded by ages and genders: ages 10-24 in
one file and all ages together in another (the bundled sample) both stay, and so do the stored
girls and boys when a file gives «Begge kjønn» only.  A file of girls and boys covers their
total too (``Totalt`` is made from them, unknown when either is).  Survey indicators and SSB
08487 store a suppressed cell as a row (NULL with ``suppressed``), so replacing by key already
makes it unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from etl import catalogue as indicator_catalogue
from etl.changes import first_changes
from etl.errors import IngestError, Problem, count_text, counted, figure_text
from etl.ingest import Outcome
from etl.regions import Region, RegionCatalogue, load_catalogue
from etl.staging_regions import not_a_region
from etl.uploads import UNCHANGED, Attempt, record
from etl.vocab import alias_hint, load_vocab

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Target:
    """Where one source's rows go. Names are fixed here, never taken from input."""

    source: str
    table: str
    columns: tuple[str, ...]  # staged columns inserted after region_code, before upload_id
    key: tuple[str, ...]
    label: str
    value: str  # the figure a preview compares, old -> new
    period: str  # the column a preview groups new and replaced figures by
    what: tuple[str, ...]  # key columns (besides region and period) naming a figure
    unit: str = "'count'"  # SQL on the staged row ``s``: the unit a preview shows a figure in
    extra: tuple[str, ...] = ()  # staged for the checks, not stored in ``table``
    # The key columns of a slice, starting with region_code and ``period``: a file replaces
    # everything stored for each slice it covers, and a staged row whose ``value`` is NULL (a
    # suppressed cell) only marks its slice as covered.  (): staged rows replace stored rows
    # with the same key, NULL values stored as rows.
    slice: tuple[str, ...] = ()
    slice_words: str = ""  # the slices in a message: «de samme regionene, årene og aldrene»


POPULATION = Target("population", "population_facts", ("year", "age", "gender", "persons"),
                    ("region_code", "year", "age", "gender"), "befolkning",
                    "persons", "year", ("age", "gender"),
                    slice=("region_code", "year", "age", "gender"),
                    slice_words="de samme regionene, årene, aldrene og kjønnene")
UNGDATA = Target("ungdata", "ungdata_facts",
                 ("period", "year", "school_level", "grade", "gender", "indicator", "value",
                  "respondents", "suppressed", "source"),
                 ("region_code", "period", "school_level", "grade", "gender", "indicator",
                  "source"), "indikatorer",
                 "value", "period", ("indicator", "school_level", "grade", "gender"),
                 "CASE WHEN s.unit = 'prosent' THEN 'percent' ELSE s.unit END",
                 ("unit", "label"))
SSB_08487 = Target("ssb_08487", "ssb_08487_facts",
                   ("period", "year", "offence_group", "offences", "suppressed"),
                   ("region_code", "period", "offence_group"), "anmeldte lovbrudd (SSB 08487)",
                   "offences", "period", ("offence_group",))


def skip_non_regions(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Drop rows whose region label is not a region
    (:func:`etl.staging_regions.not_a_region`: a total of the file's regions, the continental
    shelf, unknown kommune, Svalbard); the notes say which labels were skipped and why."""
    labels = frame["region"].astype(str)
    vocab = load_vocab()
    what = {label: not_a_region(label, vocab) for label in labels.unique()}
    skipped = {label: w for label, w in what.items() if w}
    rows = {label: int((labels == label).sum()) for label in skipped}
    notes = [f"hoppet over «{label}» ({w}, {count_text(rows[label])} "
             f"{'rad' if rows[label] == 1 else 'rader'})" for label, w in skipped.items()]
    return frame[~labels.isin(list(skipped))], notes


def kommuner_only(frame: pd.DataFrame, target: Target, catalogue: RegionCatalogue | None = None
                  ) -> tuple[pd.DataFrame, list[str]]:
    """Population is stored per kommune (fylker, groups and the country are sums of their
    kommuner): aggregate rows given alongside kommuner are skipped, and the notes say so.  Other
    sources store them as what they are (a survey's fylke and country figures are their own),
    and the notes say that.  A file with no kommune rows keeps its rows.  ``catalogue``: the
    store's (with its region groups), else the reference one."""
    catalogue = catalogue or load_catalogue()
    levels = frame["region_code"].map(lambda code: catalogue.by_code(code).level)
    if not (levels == "kommune").any() or (levels == "kommune").all():
        return frame, []
    if target is not POPULATION:
        kept = sorted({catalogue.by_code(c).name for c in frame.loc[levels != "kommune",
                                                                      "region_code"]})
        return frame, [f"lagret som egne regioner, ikke som kommuner: {', '.join(kept[:6])}"
                       f"{' …' if len(kept) > 6 else ''}"]
    names = sorted({catalogue.by_code(c).name for c in frame.loc[levels != "kommune",
                                                                   "region_code"]})
    return frame[levels == "kommune"], [
        f"hoppet over {len(names)} samleregioner ({', '.join(names[:6])}"
        f"{' …' if len(names) > 6 else ''}): de regnes ut som summen av kommunene"]


def resolve_regions(frame: pd.DataFrame, file_name: str, override: str | None = None,
                    catalogue: RegionCatalogue | None = None) -> pd.DataFrame:
    """Add ``region_code`` (and ``direct``: the label names today's region, not an old one).
    ``catalogue``: the store's (:func:`etl.groups.catalogue_for`), else the reference one."""
    catalogue = catalogue or load_catalogue()
    labels = [override] if override else list(frame["region"].astype(str).unique())
    found = {label: catalogue.resolve(label) for label in labels}
    unknown = [label for label, region in found.items() if region is None]
    if unknown:
        raise IngestError(file_name, [Problem(
            f"ukjent region «{label}»{catalogue.did_you_mean(label)} "
            "Kjente regioner er kommunene (2024, også med gamle kommunenummer), fylkene, "
            "politidistriktene, regiongruppene og Hele landet; "
            + alias_hint("region", label, next(iter(catalogue.suggest(label)), None)),
            unknown=("region", label))
            for label in unknown[:20]])
    frame = frame.copy()
    written = frame["region"].astype(str)
    # per label, not per row (a national population file has 200 000 rows of 357 labels)
    each = {label: found[override or label] for label in written.unique()}
    frame["region_code"] = written.map({label: r.region_code for label, r in each.items()})
    frame["direct"] = written.map({label: _names_today(label, r) for label, r in each.items()})
    return frame


def _names_today(label: str, region: Region) -> bool:
    number = RegionCatalogue.written_number(label)
    return number is None or region.kommunenummer == number


def drop_empty_kommuner(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """SSB fills a kommune that did not exist yet (under that number) with 0: a label and year
    whose known figures are all 0 is no population, and is dropped (never a rate on 0
    persons).  A single age that is 0 in a kommune with people stays, and so does a suppressed
    cell (``persons`` NaN: unknown, see :data:`POPULATION`)."""
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    counted = frame[frame["persons"].notna()]
    totals = counted.groupby([counted["region"].astype(str), "year"])["persons"].sum()
    empty = totals[totals == 0]
    if empty.empty:
        return frame, []
    labels = pd.MultiIndex.from_arrays([frame["region"].astype(str), frame["year"]])
    shown = ", ".join(f"{label} {year}" for label, year in list(empty.index)[:6])
    more = " …" if len(empty) > 6 else ""
    return frame[~labels.isin(empty.index)], [
        f"hoppet over {len(empty)} kommune-år der SSB har 0 personer (kommunen fantes ikke "
        f"under det nummeret; befolkning mangler): {shown}{more}"]


def combine_population(frame: pd.DataFrame) -> pd.DataFrame:
    """One figure per region, year, age and gender.  Old kommuner that became one kommune are
    summed; when the file also has the figure under today's number, that one wins.  A label
    whose cell is suppressed gives nothing (a number not in use that year may be written
    ``..``); a figure no label gives is unknown (``persons`` NA: it marks its slice, see
    :data:`POPULATION`)."""
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    key = ["region_code", "year", "age", "gender"]
    known = frame[frame["persons"].notna()]
    has_direct = known.groupby(key)["direct"].transform("any")
    kept = known[known["direct"] | ~has_direct]
    summed = kept.groupby(key, as_index=False)["persons"].sum()
    summed["persons"] = summed["persons"].round().astype("Int64")
    unknown = frame[key].drop_duplicates()
    unknown = unknown[~unknown.set_index(key).index.isin(summed.set_index(key).index)]
    return add_gender_totals(pd.concat([summed, unknown.assign(persons=pd.NA)],
                                       ignore_index=True).astype({"persons": "Int64"}))


def _known_sums(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """``persons`` summed by ``key``; NA where any part is unknown."""
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    parts = frame.assign(unknown=frame["persons"].isna())
    summed = parts.groupby(key, as_index=False).agg(persons=("persons", "sum"),
                                                    unknown=("unknown", "any"))
    summed["persons"] = summed["persons"].astype("Int64").where(~summed["unknown"], pd.NA)
    return summed.drop(columns="unknown")


def add_gender_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """``Totalt`` = Jenter + Gutter where a file gives both genders but no total (unknown when
    either is)."""
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    key = ["region_code", "year", "age"]
    genders = frame[frame["gender"].isin(["Jenter", "Gutter"])]
    both = genders[genders.groupby(key)["gender"].transform("nunique") == 2]
    totals = _known_sums(both, key).assign(gender="Totalt")
    have = frame[frame["gender"] == "Totalt"].set_index(key).index
    totals = totals[~totals.set_index(key).index.isin(have)]
    return pd.concat([frame, totals[frame.columns]], ignore_index=True)


def check_duplicates(frame: pd.DataFrame, target: Target, file_name: str) -> None:
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    dup = frame[frame.duplicated(list(target.key), keep=False)]
    if len(dup):
        first = dup.iloc[0]
        where = f"linje {first['line']}: " if "line" in dup and pd.notna(first["line"]) else ""
        # the region as the file writes it (each spelling of it), never the store's code
        keys = dup[list(target.key)].astype(str)  # (a key part may be NULL: «nan» == «nan»)
        same = dup[(keys == keys.iloc[0]).all(axis=1)]
        region = " og ".join(f"«{label}»" for label in dict.fromkeys(same["region"].astype(str)))
        raise IngestError.one(file_name, f"{where}samme tall står flere ganger "
                                         f"({len(dup)} rader), f.eks. {region}, "
                                         f"{', '.join(str(first[k]) for k in target.key[1:])}")


def _summary(con: duckdb.DuckDBPyConnection,
             target: Target) -> tuple[list[str], list[int], int]:
    """The staged rows' regions and years (a slice of suppressed cells only counts too) and
    how many figures will be stored."""
    regions = [r for (r,) in con.execute(
        "SELECT DISTINCT r.name FROM staged s JOIN regions r USING (region_code) ORDER BY 1"
    ).fetchall()]
    years = [y for (y,) in con.execute(
        "SELECT DISTINCT year FROM staged WHERE year IS NOT NULL ORDER BY 1").fetchall()]
    known = f" WHERE {target.value} IS NOT NULL" if target.slice else ""
    return regions, years, con.execute(f"SELECT count(*) FROM staged{known}").fetchall()[0][0]


def _stage_slices(con: duckdb.DuckDBPyConnection, target: Target) -> int:
    """For a target replaced by whole slices: temp tables ``covered`` (each slice the file
    gives a cell of) and ``removed`` (the stored figures of those slices the file does not
    give: suppressed or left out, so unknown from now on); the staged rows without a value
    are dropped (they only marked their slice).  Returns how many figures are removed."""
    columns = ", ".join(target.slice)
    con.execute(f"CREATE OR REPLACE TEMP TABLE covered AS SELECT DISTINCT {columns} FROM staged")
    con.execute(f"DELETE FROM staged WHERE {target.value} IS NULL")
    on = " AND ".join(f"s.{k} IS NOT DISTINCT FROM t.{k}" for k in target.key)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE removed AS
        SELECT t.* FROM {target.table} t SEMI JOIN covered USING ({columns})
        ANTI JOIN staged s ON {on}""")
    return con.execute("SELECT count(*) FROM removed").fetchall()[0][0]


def _changed(con: duckdb.DuckDBPyConnection, target: Target) -> int:
    cols = ", ".join(("region_code", *target.columns))
    removed = " + (SELECT count(*) FROM removed)" if target.slice else ""
    return con.execute(f"""SELECT (SELECT count(*) FROM (
        SELECT {cols} FROM staged EXCEPT SELECT {cols} FROM {target.table})){removed}"""
                       ).fetchall()[0][0]


def _same_key(target: Target) -> str:
    """SQL: a staged row ``s`` and a stored row ``t`` of the same figure."""
    return " AND ".join(f"s.{k} IS NOT DISTINCT FROM t.{k}" for k in target.key)


def changed_note(con: duckdb.DuckDBPyConnection, target: Target,
                 changes: list[dict]) -> str | None:
    """«endrer 1 tall som var lagret, fra opplasting 1 (Hele landet 2024, …: 85,6 % →
    90,0 %)»: the stored figures the file gives anew with another value, and which uploads
    gave them (read before they are replaced), as a police file's message names the years it
    replaced.  (Figures of a slice the file leaves unknown have a note of their own.)"""
    [(changed, uploads)] = con.execute(
        f"SELECT count(*), list(DISTINCT t.upload_id ORDER BY t.upload_id) FROM staged s "
        f"JOIN {target.table} t ON {_same_key(target)} "
        f"WHERE s.{target.value} IS DISTINCT FROM t.{target.value}").fetchall()
    if not changed or not changes:
        return None
    uploads = [str(u) for u in uploads]
    first = next((c for c in changes if c["new"] is not None), changes[0])
    example = (f"{first['region']} {first['year']}, {first['what']}: "
               f"{figure_text(first['old'], first['unit'])} → "
               f"{figure_text(first['new'], first['unit'])}")
    source = f"opplasting {uploads[0]}" if len(uploads) == 1 else \
        f"opplastingene {', '.join(uploads[:-1])} og {uploads[-1]}"
    return (f"endrer {count_text(changed)} tall som var lagret, fra {source} "
            f"({'f.eks. ' if changed > 1 else ''}{example})")


def _named(column: str, target: Target) -> str:
    """SQL of a staged row's ``column`` in words: an indicator by its name (the file's for a
    new one, else the catalogue's), never its id («trivsel_elevundersokelsen»)."""
    if column == "indicator" and "label" in target.extra:
        return ("coalesce(s.label, (SELECT i.label FROM indicators i "
                "WHERE i.indicator = s.indicator), s.indicator)")
    return f"coalesce(CAST(s.{column} AS VARCHAR), '–')"


def compare(con: duckdb.DuckDBPyConnection,
            target: Target) -> tuple[list[dict], int, list[dict]]:
    """What the staged rows would change: (changed figures old -> new, the first
    :data:`etl.changes.MAX_CHANGES`; how many figures change; slices).

    A slice is a region and period (year for population) with ``status`` ``new`` (nothing
    stored for it), ``changed`` (some stored figure differs, is added or, for a target
    replaced by whole slices, becomes unknown) or ``unchanged``.
    Changed figures carry ``region``, ``year`` (the period), ``what`` (the other key columns,
    joined), ``old``/``new`` (missing when suppressed or no longer given) and ``unit``
    (``percent``, ``count`` or an indicator's own unit such as ``per 1 000``).
    Names come from :class:`Target`.
    """
    on = _same_key(target)
    what = " || ', ' || ".join(_named(c, target) for c in target.what)
    value, period = target.value, target.period
    removed = "" if not target.slice else f"""
        UNION ALL
        SELECT r.name, CAST(s.{period} AS VARCHAR), {what}, s.{value}, NULL, {target.unit}
        FROM removed s JOIN regions r ON r.region_code = s.region_code"""
    changes, changed = first_changes(con, f"""
        SELECT r.name AS region, CAST(s.{period} AS VARCHAR) AS year, {what} AS what,
               t.{value} AS old, s.{value} AS new, {target.unit} AS unit
        FROM staged s JOIN {target.table} t ON {on} JOIN regions r ON r.region_code = s.region_code
        WHERE s.{value} IS DISTINCT FROM t.{value}{removed}""", "1, 2, 3")
    return changes, changed, _slices(con, target, on)


def _slices(con: duckdb.DuckDBPyConnection, target: Target, on: str) -> list[dict]:
    """:func:`compare`'s slices (``on``: a staged row ``s`` and its stored row ``t``)."""
    value, period = target.value, target.period
    whole = "" if not target.slice else f"""
            UNION ALL SELECT region_code, {period}, TRUE FROM removed
            UNION ALL SELECT region_code, {period}, FALSE FROM covered"""
    return con.execute(f"""
        WITH stored AS (SELECT DISTINCT region_code, {period} AS period FROM {target.table}),
        differs AS (SELECT region_code, period, bool_or(differ) AS differ FROM (
            SELECT s.region_code, s.{period} AS period,
                   bool_or(t.region_code IS NULL OR s.{value} IS DISTINCT FROM t.{value}) AS differ
            FROM staged s LEFT JOIN {target.table} t ON {on} GROUP BY ALL{whole})
            GROUP BY ALL)
        SELECT r.name AS region, CAST(d.period AS VARCHAR) AS year,
               CASE WHEN st.region_code IS NULL THEN 'new'
                    WHEN d.differ THEN 'changed' ELSE 'unchanged' END AS status
        FROM differs d JOIN regions r USING (region_code)
        LEFT JOIN stored st ON st.region_code = d.region_code
                           AND st.period IS NOT DISTINCT FROM d.period
        ORDER BY 1, 2""").df().to_dict("records")


def publish(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, target: Target,
            attempt: Attempt, notes: list[str] | tuple[str, ...] = ()) -> Outcome:
    """Inside :func:`etl.store.writing`: replace rows with the same key by ``frame`` (a
    target replaced by whole slices: every stored row of the regions and periods it covers).

    The outcome's changes and slices come from :func:`compare`, read before anything is
    replaced.  Survey indicators the catalogue does not know are added to it as new (not yet
    catalogued) entries of this upload; ``notes`` (rows skipped) end the message.
    """
    cols = ("region_code", *target.columns)
    con.register("staged_frame", frame[[*cols, *target.extra]])
    con.execute("CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM staged_frame")
    con.unregister("staged_frame")
    regions, years, rows = _summary(con, target)
    if target.slice and not rows:  # it would only make stored figures unknown: a wrong file
        raise IngestError.one(attempt.file_name, f"filen har ingen tall for {target.label}: "
                                                 "alle cellene er skjult eller tomme")
    new = []
    if target is UNGDATA:
        indicator_catalogue.check_units(con, attempt.file_name)
        if new := indicator_catalogue.new_indicators(con):
            notes = [indicator_catalogue.describe_new(new), *notes]
    if target.slice and (removed := _stage_slices(con, target)):
        notes = [f"{count_text(removed)} tall som var lagret for {target.slice_words}, er "
                 "skjult eller mangler i filen og er nå ukjente (ikke 0)", *notes]
    changes, changed, slices = compare(con, target)
    if note := changed_note(con, target, changes):
        notes = [note, *notes]
    if not _changed(con, target):
        message = "; ".join([UNCHANGED,
                             *notes])
        return Outcome(record(con, attempt, "unchanged", message, regions, years, rows),
                       "unchanged", message, regions, years, rows, changes, slices, changed)
    span = (f"{years[0]}" if years[0] == years[-1] else f"{years[0]}-{years[-1]}") if years \
        else "uten år"
    message = (f"{count_text(rows)} tall for {target.label}: "
               f"{counted(len(regions), 'region', 'regioner')} "
               f"({', '.join(regions[:5])}{' …' if len(regions) > 5 else ''}), {span}"
               + "".join(f"; {note}" for note in notes))
    upload_id = record(con, attempt, "accepted", message, regions, years, rows)
    if new:
        indicator_catalogue.add_new(con, new, upload_id)
    _replace(con, target, upload_id)
    return Outcome(upload_id, "accepted", message, regions, years, rows, changes, slices,
                   changed)


def _replace(con: duckdb.DuckDBPyConnection, target: Target, upload_id: int) -> None:
    """Move the stored rows the staged ones replace to the history table (so that rollback
    restores them) and put the staged rows live as ``upload_id``'s."""
    cols = ", ".join(("region_code", *target.columns))
    if target.slice:
        columns = ", ".join(target.slice)
        replaced = f"({columns}) IN (SELECT {columns} FROM covered)"
    else:
        key = ", ".join(target.key)
        replaced = f"({key}) IN (SELECT {key} FROM staged)"
    con.execute(f"INSERT INTO {target.table}_history SELECT *, ?, 'replaced' "
                f"FROM {target.table} WHERE {replaced}", [upload_id])
    con.execute(f"DELETE FROM {target.table} WHERE {replaced}")
    con.execute(f"INSERT INTO {target.table} ({cols}, upload_id) SELECT {cols}, ? FROM staged",
                [upload_id])
