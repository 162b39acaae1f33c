"""The regions the rows of a police file name: read as catalogue regions, totals and
non-regions left out, and names another kommune had before 2020 refused where ambiguous.

Part of :func:`etl.staging.stage`: the temp table ``raw_region`` maps each (region label,
table title) of ``raw`` to a region code.
"""

from __future__ import annotations

import re
from functools import cache

from etl.errors import Problem, count_text, problem_at
from etl.located import first_row
from etl.regions import RegionCatalogue, unknown_region
from etl.rows import rows_table
from etl.vocab import Vocab, label_key, user_rows, vocab_rows

_TITLE_REGION = re.compile(r"^(.*?)\s+[-–:]\s+")


def region_text(region: str | None, title: str | None) -> str | None:
    if region is not None:
        return region
    if title and (match := _TITLE_REGION.match(title)):
        return match[1]
    return None


def place_text(region: str | None, title: str | None, catalogue: RegionCatalogue,
               sheets: frozenset[str] = frozenset()) -> str | None:
    """The text a place's region is read from: its label, else its table's title
    (``Porsgrunn - …``).  A label that is a sheet's name (``sheets``: a workbook whose tables
    name no region of their own) gives way to a title that names one."""
    if region is not None and region in sheets:
        titled = region_text(None, title)
        if titled and catalogue.resolve(titled) is not None:
            return titled
        return _region_in(region, catalogue)
    return region_text(region, title)


def _region_in(name: str, catalogue: RegionCatalogue) -> str:
    """The region a sheet's name names: the name itself, else its longest run of words that
    is a region and the only one that long («U18 Porsgrunn», «Skien 2019-2024», «Indre Østfold
    U18» → «Indre Østfold», not «Østfold»); else the name as it is."""
    if catalogue.resolve(name) is not None:
        return name
    words = name.split()
    for size in range(len(words) - 1, 0, -1):
        found = {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}
        found = {run for run in found if catalogue.resolve(run) is not None}
        if found:
            return found.pop() if len(found) == 1 else name
    return name


def sheet_non_regions(places: list[tuple], sheets: frozenset[str], catalogue: RegionCatalogue,
                      vocab: Vocab) -> dict[str, str]:
    """Sheet name → what it stands for, of the sheets named for no region (``Totalt``,
    ``Sum``: the kommuner's sum) whose tables' titles name none either: their rows are left
    out, as a «Sum» row of a long table is."""
    return {label: what for label, title in places if label in sheets
            and place_text(label, title, catalogue, sheets) == label
            and (what := not_a_region(label, vocab))}


def not_a_region(label: str, vocab: Vocab) -> str | None:
    """What a region cell that names no region stands for, or None: a total of the file's
    regions (``Sum``, ``Totalt``: etl/vocab/totals.csv), or a row of etl/vocab/region_skip.csv
    (unknown kommune, the continental shelf, Svalbard), as SSB and the police export them."""
    key = label_key(label)
    if key in vocab.totals:
        return "summen av regionene i filen"
    return next((what for phrase, what in _skip_phrases(user_rows())
                 if label_key(phrase) in key), None)


@cache
def _skip_phrases(_user: tuple) -> tuple[tuple[str, ...], ...]:
    return vocab_rows("region_skip.csv")


def skip_non_regions(con, places: list[tuple], vocab: Vocab, notes: list[str],
                     problems: list[Problem]) -> list[tuple]:
    """``places`` without the region labels that name no region; their rows are not stored,
    and ``notes`` say which were left out, why and how many figures they held.  A file with
    no other rows is a problem."""
    skipped = {label: what for label, _ in places
               if label is not None and (what := not_a_region(label, vocab))}
    if not skipped:
        return places
    if len(skipped) == len(places):
        listed = "; ".join(f"«{label}» ({what})" for label, what in sorted(skipped.items()))
        problems.append(Problem(f"filen har ingen rader for en kommune eller region, bare "
                                f"{listed}"))
    return _left_out(con, places, skipped, notes)


def skip_sheet_sums(con, places: list[tuple], sheets: frozenset[str],
                    catalogue: RegionCatalogue, vocab: Vocab, notes: list[str]) -> list[tuple]:
    """``places`` without the sheets named for no region (``Totalt``: the kommuner's sum,
    :func:`sheet_non_regions`), as :func:`skip_non_regions` leaves out such labels; a file of
    only such sheets keeps them (its region is then unknown, and said so)."""
    skipped = sheet_non_regions(places, sheets, catalogue, vocab)
    if not skipped or len(skipped) == len({p[0] for p in places}):
        return places
    return _left_out(con, places, skipped, notes, "arket ")


def _left_out(con, places: list[tuple], skipped: dict[str, str], notes: list[str],
              kind: str = "") -> list[tuple]:
    """``places`` without the labels ``skipped`` (label → what it stands for); ``notes`` say
    which were left out (``kind``: «arket » for a sheet's name), why and how many figures they
    held."""
    counts = dict(con.execute(
        "SELECT region, count(*) FROM raw_values WHERE list_contains(?, region) "
        "GROUP BY region", [list(skipped)]).fetchall())
    for label, what in sorted(skipped.items()):
        notes.append(f"hoppet over {kind}«{label}» ({what}, {count_text(counts.get(label, 0))} "
                     "tall): lagres ikke som egen region")
    return [place for place in places if place[0] not in skipped]


# The temp table ``raw_region``: a (region label, table title) of the file → its region code.
REGION_MAP = {"region": "VARCHAR", "table": "VARCHAR", "region_code": "VARCHAR"}


def map_regions(con, places: list[tuple], catalogue: RegionCatalogue, override: str | None,
                 problems: list[Problem], named_at: dict[str, tuple[str, str]] | None = None,
                 sheets: frozenset[str] = frozenset()) -> None:
    """The temp table ``raw_region``; a label that is no region is a problem at the header
    cell that names it (``named_at``: label → sheet and cell), else at its first row.  A
    sheet's name (``sheets``) that is no region is no problem: the table's region is then
    unknown, as it was without it (:func:`place_text`)."""
    if override is not None:
        region = catalogue.resolve(override)
        if region is None:
            problems.append(Problem(unknown_region(catalogue, override, "--region")))
            return
        rows_table(con, "raw_region", REGION_MAP,
                   [(r, t, region.region_code) for r, t in places])
        return
    mapped, unresolved = [], []
    for region_label, title in places:
        text = place_text(region_label, title, catalogue, sheets)
        match = catalogue.resolve(text) if text else None
        if match is None and region_label is not None and region_label not in sheets:
            where = (*named_at[region_label], None) if region_label in (named_at or {}) \
                else first_row(con, "region = ?", [region_label])
            problems.append(problem_at(unknown_region(catalogue, region_label, "regionen"),
                                       where, ("region", str(region_label))))
        mapped.append((region_label, title, match.region_code if match else None))
        if match is None:
            unresolved.append((title, region_label if region_label in sheets else None))
    found = {code for _, _, code in mapped if code}
    if unresolved and len(found) == 1:
        mapped = [(r, t, code or next(iter(found))) for r, t, code in mapped]
    elif unresolved and not problems:
        problems.append(Problem(_no_region(unresolved)))
    rows_table(con, "raw_region", REGION_MAP, mapped)


def _no_region(unresolved: list[tuple[str | None, str | None]]) -> str:
    """The refusal of tables (title, sheet) whose region nothing names, saying where to name
    it."""
    tables = "; ".join(("«" + title + "»" if title else "uten tittel")
                       + (f" på arket «{sheet}»" if sheet else "") for title, sheet in unresolved)
    title = next((title for title, _ in unresolved if title), "…")
    sheets = " eller som navnet på arket" if any(sheet for _, sheet in unresolved) else ""
    return (f"fant ikke hvilken region tabellen gjelder ({tables}): skriv regionen først i "
            f"tittelen («Porsgrunn – {title}»){sheets}, eller oppgi den med --region NAVN, "
            "f.eks. --region Grenland")


def former_names(con, places: list[tuple], catalogue: RegionCatalogue,
                 override: str | None, sheets: frozenset[str] = frozenset()) -> list[Problem]:
    """A region named as another kommune was named then («Bø» in 2019, before Bø i Telemark
    became part of Midt-Telemark) is not read as today's kommune of that name
    (:meth:`etl.regions.RegionCatalogue.former_of`) in a year the file has no figures for the
    kommune the old one became: a file with them names kommuner by today's borders."""
    checks = [(override, None, None)] if override is not None else [
        (text, region, table) for region, table in places
        if (text := place_text(region, table, catalogue, sheets))]
    problems = []
    for text, region, table in checks:
        if (found := catalogue.former_of(text)) is None:
            continue
        former, today, became = found
        named, params = _named_years(con, region, table, today.region_code)
        [(year,)] = con.execute(
            f"SELECT min(year) FROM ({named}) WHERE year <= ? AND year NOT IN "
            "(SELECT year FROM staged WHERE CAST(region_code AS VARCHAR) = ?)",
            [*params, former.last_year, became.region_code]).fetchall()
        if year is not None:
            problems.append(problem_at(catalogue.former_name(text, year), (
                None, None, None) if region is None else first_row(
                con, "region = ? AND CAST(year AS VARCHAR) IN "
                     "(SELECT raw FROM map_year WHERE year = ?)", [region, year])))
    return problems


def _named_years(con, region: str | None, table: str | None, code: str) -> tuple[str, list]:
    """SQL (and its parameters) of the years of the rows named ``region`` (in ``table``),
    which map to ``code``: read from ``staged`` when no other name in the file maps to that
    code (the usual case), else from the raw rows (for a CSV, a second read of the file)."""
    [(names,)] = con.execute("SELECT count(*) FROM raw_region "
                             "WHERE CAST(region_code AS VARCHAR) = ?", [code]).fetchall()
    if names <= 1 or (region is None and table is None):  # (--region: every row is it)
        return "SELECT year FROM staged WHERE CAST(region_code AS VARCHAR) = ?", [code]
    return ("SELECT my.year FROM raw_values r JOIN map_year my "
            "ON my.raw = CAST(r.year AS VARCHAR) WHERE r.region IS NOT DISTINCT FROM ? "
            "AND r.\"table\" IS NOT DISTINCT FROM ?", [region, table])
