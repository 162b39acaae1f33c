"""Region groups as data analysts own: stored in the database, with history and rollback.

A group (an SLT cooperation such as ``Grenland``) is a named set of kommuner.  Its rows live in
``region_group_members`` (one row per member, with the upload that put it there); every change
— make, rename, change members, delete — is one accepted upload with source ``gruppe``: the
rows it replaces move to ``region_group_members_history`` (``removal = 'replaced'``), so
:func:`etl.rollback.rollback` undoes a change exactly as it undoes a file.  The ``regions`` and
``region_members`` rows of level ``gruppe`` follow the stored groups inside the same transaction
(:func:`sync_regions`, called by :func:`etl.store.writing`), and so do the derived tables.

``data/reference/region_groups.csv`` still seeds groups: a group in the file whose code the
store has never held is added with ``upload_id`` 0 (not an upload; nothing to undo) on the next
write.  A seeded group can be changed and deleted like any other, and a deleted one stays
deleted.  A refused change raises :class:`GroupError` and leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.regions import RegionCatalogue, load_catalogue
from etl.uploads import Attempt, record
from etl.vocab import label_key

SOURCE = "gruppe"
SEED_UPLOAD = 0  # rows seeded from data/reference/region_groups.csv
LIVE, HISTORY = "region_group_members", "region_group_members_history"
TABLES = [
    f"""CREATE TABLE IF NOT EXISTS {LIVE} (
        group_code VARCHAR NOT NULL, name VARCHAR NOT NULL, kommune_code VARCHAR NOT NULL,
        upload_id INTEGER NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {HISTORY} AS
        SELECT *, 0 AS removed_by, '' AS removal FROM {LIVE} WHERE false""",
]
MIN_MEMBERS = 2
MAX_NAME = 60
_NAME = re.compile(r"^[\w .'()/&-]+$")
_CODE_CHARS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "AE", "Ø": "OE", "Å": "AA"})
# Tables whose rows name a region by code: a group with figures (or goals) of its own may not
# disappear.  Table → what the refusal says it has, and what to do first.
FACT_TABLES = {
    "u18_current": ("egne tall", "angre den opplastingen først"),
    "population_facts": ("egne tall", "angre den opplastingen først"),
    "ungdata_facts": ("egne tall", "angre den opplastingen først"),
    "ssb_08487_facts": ("egne tall", "angre den opplastingen først"),
    "goals": ("mål i planen", "slett eller endre målene på Mål-siden først"),
}
LEVEL_WORD = {"land": "landet", "fylke": "fylket", "politidistrikt": "politidistriktet",
              "kommune": "kommunen", "gruppe": "gruppen"}


class GroupError(Exception):
    """A group change is refused; the message says why, in Norwegian."""


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    members: tuple[str, ...]  # kommune names, sorted
    upload_id: int  # the change that gave it this name and these members (0: the seed file)


# --- schema, seeding and the regions tables ------------------------------------------------

def ensure_groups(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the group tables, seed groups from the reference file the store has never held,
    and make the ``gruppe`` rows of ``regions``/``region_members`` follow them.  True when the
    regions tables changed (the derived tables must then be rebuilt)."""
    for statement in TABLES:
        con.execute(statement)
    known = {c for (c,) in con.execute(
        f"SELECT group_code FROM {LIVE} UNION SELECT group_code FROM {HISTORY}").fetchall()}
    taken = {label_key(n) for (n,) in con.execute(f"SELECT name FROM {LIVE}").fetchall()}
    catalogue = load_catalogue()
    rows = []
    for code, members in catalogue.members.items():
        region = catalogue.by_code(code)
        if region.level == "gruppe" and code not in known and label_key(region.name) not in taken:
            rows += [(code, region.name, kommune, SEED_UPLOAD) for kommune in members]
    if rows:
        con.executemany(f"INSERT INTO {LIVE} VALUES (?, ?, ?, ?)", rows)
    return sync_regions(con)


def fingerprint(con: duckdb.DuckDBPyConnection) -> tuple:
    return tuple(con.execute(
        f"SELECT count(*), sum(hash(group_code, name, kommune_code, upload_id)) FROM {LIVE}"
    ).fetchall()[0])


def sync_regions(con: duckdb.DuckDBPyConnection) -> bool:
    """Rewrite the ``gruppe`` rows of ``regions`` and ``region_members`` from the stored groups.

    Refuses (GroupError) a state where a group's name is taken by another region or a region
    with figures of its own would disappear (e.g. undoing the making of a group that has since
    got police figures).  True when anything changed."""
    wanted = """SELECT DISTINCT group_code, name FROM region_group_members"""
    current = "SELECT region_code, name FROM regions WHERE level = 'gruppe'"
    members_now = """SELECT m.region_code, m.kommune_code FROM region_members m
                     JOIN regions r USING (region_code) WHERE r.level = 'gruppe'"""
    same = not con.execute(f"""
        (({wanted}) EXCEPT ({current})) UNION ALL (({current}) EXCEPT ({wanted}))
        UNION ALL ((SELECT group_code, kommune_code FROM {LIVE}) EXCEPT ({members_now}))
        UNION ALL (({members_now}) EXCEPT (SELECT group_code, kommune_code FROM {LIVE}))
        LIMIT 1""").fetchall()
    if same:
        return False
    con.execute("""DELETE FROM region_members WHERE region_code IN
                   (SELECT region_code FROM regions WHERE level = 'gruppe')""")
    con.execute("DELETE FROM regions WHERE level = 'gruppe'")
    con.execute(f"INSERT INTO regions SELECT group_code, name, 'gruppe', NULL, NULL, NULL "
                f"FROM ({wanted})")
    con.execute(f"INSERT INTO region_members SELECT DISTINCT group_code, kommune_code FROM {LIVE}")
    _check_regions(con)
    return True


def _check_regions(con: duckdb.DuckDBPyConnection) -> None:
    clashes = con.execute("""
        SELECT g.name, o.name, o.level FROM regions g JOIN regions o
        ON lower(g.name) = lower(o.name) AND g.region_code <> o.region_code
        WHERE g.level = 'gruppe' ORDER BY 1""").fetchall()
    if clashes:
        name, other, level = clashes[0]
        raise GroupError(f"navnet «{name}» er allerede i bruk av {LEVEL_WORD[level]} «{other}»")
    present = {t for (t,) in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = "
        "current_database() AND table_schema = current_schema()").fetchall()}
    for table, (has, first) in FACT_TABLES.items():
        if table not in present:
            continue
        orphans = con.execute(f"""
            SELECT region_code, min(upload_id) FROM {table}
            WHERE region_code IN (SELECT group_code FROM {HISTORY})
              AND region_code NOT IN (SELECT region_code FROM regions) GROUP BY 1 LIMIT 1
        """).fetchall()  # table names from the fixed tuple above; only groups can vanish
        if orphans:
            code, upload = orphans[0]
            [(name,)] = con.execute(f"SELECT coalesce(any_value(name), ?) FROM {HISTORY} "
                                    "WHERE group_code = ?", [code, code]).fetchall()
            raise GroupError(f"gruppen {name} har {has} (opplasting {upload}); {first}, "
                             "eller behold gruppen")


# --- reading -------------------------------------------------------------------------------

def groups(con: duckdb.DuckDBPyConnection) -> list[Group]:
    """The stored groups, by name."""
    rows = con.execute(f"""
        SELECT g.group_code, any_value(g.name), list(k.name ORDER BY k.name), max(g.upload_id)
        FROM {LIVE} g JOIN regions k ON k.region_code = g.kommune_code
        GROUP BY g.group_code ORDER BY 2""").fetchall()
    return [Group(code, name, tuple(members), int(upload)) for code, name, members, upload in rows]


def since_text(upload_id: int, uploaded_at, uploaded_by: str | None) -> str:
    """When a group got its current name and members, in Norwegian."""
    if not upload_id or uploaded_at is None:
        return "fra data/reference/region_groups.csv, ikke endret i databasen"
    by = f" av {uploaded_by}" if uploaded_by else ""
    return f"sist endret {uploaded_at:%d.%m.%Y %H:%M}{by}, opplasting {upload_id}"


def described(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Each group with its members and when it last changed (read-only connections too; a
    store written before groups were stored lists the reference file's groups)."""
    stored = con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ? AND "
                         "table_catalog = current_database()", [LIVE]).fetchall()
    if not stored:
        rows = con.execute("""SELECT g.region_code, g.name, list(k.name ORDER BY k.name)
            FROM regions g JOIN region_members m USING (region_code)
            JOIN regions k ON k.region_code = m.kommune_code WHERE g.level = 'gruppe'
            GROUP BY ALL ORDER BY 2""").fetchall()
        return [{"code": c, "name": n, "members": list(m), "upload_id": SEED_UPLOAD,
                 "since": since_text(SEED_UPLOAD, None, None)} for c, n, m in rows]
    when = {u: (at, by) for u, at, by in con.execute(
        "SELECT upload_id, uploaded_at, uploaded_by FROM uploads WHERE source = ?",
        [SOURCE]).fetchall()}
    return [{"code": g.code, "name": g.name, "members": list(g.members),
             "upload_id": g.upload_id, "since": since_text(g.upload_id, *when.get(
                 g.upload_id, (None, None)))} for g in groups(con)]


def catalogue_for(db_path: Path | None) -> RegionCatalogue:
    """The reference catalogue with the groups stored in ``db_path`` instead of the reference
    file's: what an ingest resolves region names against, so a file or ``--region`` may name a
    group made in the database.  The reference catalogue when there is no store (yet)."""
    from etl.store import StoreMissing, connect_read

    try:
        con = connect_read(db_path) if db_path is not None else None
    except StoreMissing:
        con = None
    if con is None:
        return load_catalogue()
    with con:
        if not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?",
                           [LIVE]).fetchall():
            return load_catalogue()
        rows = con.execute(f"SELECT group_code, any_value(name), list(kommune_code) FROM {LIVE} "
                           "GROUP BY group_code").fetchall()
    return load_catalogue().with_groups({code: (name, tuple(kommuner))
                                         for code, name, kommuner in rows})


def _find(con: duckdb.DuckDBPyConnection, name: str) -> Group:
    stored = groups(con)
    for group in stored:
        if label_key(group.name) == label_key(name):
            return group
    names = ", ".join(g.name for g in stored) or "ingen"
    raise GroupError(f"ingen gruppe heter «{name}» (gruppene er: {names})")


# --- checking names ------------------------------------------------------------------------

def clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", str(name).replace("\u00a0", " ")).strip()


def check_name(con: duckdb.DuckDBPyConnection, name: str, own_code: str | None = None) -> str:
    """The group name as stored, or GroupError: empty, odd characters, or already the name of
    a kommune, fylke, politidistrikt, the country or another group."""
    name = clean_name(name)
    if not name:
        raise GroupError("gruppen må ha et navn")
    if not 2 <= len(name) <= MAX_NAME or not _NAME.match(name) or not re.search(r"[^\W\d_]", name):
        raise GroupError(f"«{name}» kan ikke brukes som navn: bruk bokstaver, tall, mellomrom og "
                         f"- . ' ( ) / & (2–{MAX_NAME} tegn, minst én bokstav)")
    catalogue = load_catalogue()
    region = catalogue.resolve(name, split=False) or catalogue.resolve(f"{name} politidistrikt",
                                                                      split=False)
    if region is not None and region.level != "gruppe":
        raise GroupError(f"«{name}» er allerede navnet på {LEVEL_WORD[region.level]} "
                         f"{region.name}; velg et annet navn")
    taken = con.execute("SELECT region_code, name, level FROM regions WHERE lower(name) = "
                        "lower(?) AND region_code IS DISTINCT FROM ?", [name, own_code]).fetchall()
    if taken:
        code, other, level = taken[0]
        raise GroupError(f"«{name}» er allerede navnet på {LEVEL_WORD[level]} {other}; velg et "
                         "annet navn")
    return name


def resolve_kommuner(labels: list[str],
                     catalogue: RegionCatalogue | None = None) -> dict[str, str]:
    """kommune code → name for each label, or GroupError naming every unknown one with the
    closest kommune names."""
    catalogue = catalogue or load_catalogue()
    found, problems = {}, []
    for label in (clean_name(x) for x in labels):
        if not label:
            continue
        region = catalogue.resolve(label)
        if region is None:
            close = _closest_kommuner(catalogue, label)
            hint = f"; mente du {' eller '.join(close)}?" if close else ""
            problems.append(f"ukjent kommune «{label}»{hint}")
        elif region.level != "kommune":
            problems.append(f"«{label}» er {LEVEL_WORD[region.level]} {region.name}, ikke en "
                            "kommune; skriv kommunene hver for seg")
        else:
            found[region.region_code] = region.name
    if problems:
        raise GroupError("; ".join(problems))
    return found


def _closest_kommuner(catalogue: RegionCatalogue, label: str) -> list[str]:
    """``Våler`` → both Vålers; otherwise :meth:`RegionCatalogue.suggest`, kommuner only."""
    kommuner = [r.name for r in catalogue.regions.values() if r.level == "kommune"]
    same = [n for n in kommuner if label_key(n).startswith(label_key(label) + " (")]
    close = [n for n in catalogue.suggest(label, n=8) if n in kommuner]
    return (same + [n for n in close if n not in same])[:3]


def check_size(members: dict[str, str]) -> dict[str, str]:
    if len(members) < MIN_MEMBERS:
        raise GroupError(f"en gruppe må ha minst {MIN_MEMBERS} kommuner (fikk {len(members)})")
    return members


def split_names(text: str) -> list[str]:
    """``"Porsgrunn, Skien;Bamble"`` → the names (comma, semicolon or line separated)."""
    return [part for part in re.split(r"[,;\n]", text or "") if part.strip()]


# --- changing ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    upload_id: int
    message: str


def _new_code(con: duckdb.DuckDBPyConnection, name: str) -> str:
    base = re.sub(r"[^A-Z0-9]+", "_", name.translate(_CODE_CHARS).upper()).strip("_") or "GRUPPE"
    base = "G_" + base if re.match(r"^(NO|F\d|P\d|K\d|\d)", base) else base
    used = {c for (c,) in con.execute(
        f"SELECT region_code FROM regions UNION SELECT group_code FROM {LIVE} "
        f"UNION SELECT group_code FROM {HISTORY}").fetchall()}
    code, n = base, 1
    while code in used:
        n += 1
        code = f"{base}_{n}"
    return code


def _record(con, name: str, members: dict[str, str] | tuple, message: str,
            user: str | None, regions: list[str]) -> int:
    listing = ",".join(sorted(members.values() if isinstance(members, dict) else members))
    digest = hashlib.sha256(f"{name}\n{listing}".encode()).hexdigest()
    return record(con, Attempt(f"gruppe {name}", digest, SOURCE, user), "accepted", message,
                  regions, None, len(members))


def _replace(con, group: Group, upload_id: int) -> None:
    con.execute(f"INSERT INTO {HISTORY} SELECT *, ?, 'replaced' FROM {LIVE} WHERE group_code = ?",
                [upload_id, group.code])
    con.execute(f"DELETE FROM {LIVE} WHERE group_code = ?", [group.code])


def _insert(con, code: str, name: str, members: dict[str, str], upload_id: int) -> None:
    con.executemany(f"INSERT INTO {LIVE} VALUES (?, ?, ?, ?)",
                    [(code, name, kommune, upload_id) for kommune in sorted(members)])


def _listing(names) -> str:
    names = sorted(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def _taught_names(con):
    """Within the block, :func:`etl.regions.load_catalogue` knows the region names taught
    with ``slt alias`` stored in the open store ``con``, as an ingest does."""
    from etl.aliases import rows_in  # (etl.aliases reads this module's groups)
    from etl.vocab import using_aliases

    return using_aliases(rows_in(con))


def create(db_path: Path, name: str, kommuner: list[str], user: str | None = None) -> Change:
    """Make a group; GroupError (nothing written) if the name or a kommune is refused."""
    from etl.store import writing

    with writing(db_path) as con, _taught_names(con):
        name = check_name(con, name)
        members = check_size(resolve_kommuner(kommuner))
        code = _new_code(con, name)
        message = f"ny gruppe {name}: {_listing(members.values())}"
        upload_id = _record(con, name, members, message, user, [name])
        _insert(con, code, name, members, upload_id)
    return Change(upload_id, message)


def change(db_path: Path, name: str, *, new_name: str | None = None,
           kommuner: list[str] | None = None, add: list[str] | None = None,
           remove: list[str] | None = None, user: str | None = None) -> Change | None:
    """Rename a group and/or change its members (all of them, or some added/taken out).
    None when nothing would change (nothing is written)."""
    try:
        return _change(db_path, name, new_name, kommuner, add, remove, user)
    except _Unchanged:  # the transaction was rolled back: the file is as it was
        return None


class _Unchanged(Exception):
    pass


def _change(db_path, name, new_name, kommuner, add, remove, user) -> Change:
    from etl.store import writing

    with writing(db_path) as con, _taught_names(con):
        group = _find(con, name)
        target = check_name(con, new_name, group.code) if new_name else group.name
        catalogue = load_catalogue()
        members = {catalogue.by_name(m).region_code: m for m in group.members}
        if kommuner is not None:
            members = resolve_kommuner(kommuner, catalogue)
        members |= resolve_kommuner(add or [], catalogue)
        out = resolve_kommuner(remove or [], catalogue)
        if set(out) - set(members):
            raise GroupError(f"{_listing(out[c] for c in set(out) - set(members))} er ikke med "
                             f"i {group.name}")
        members = check_size({c: n for c, n in members.items() if c not in out})
        message = _describe(group, target, members)
        if not message:
            raise _Unchanged
        upload_id = _record(con, target, members, message, user, sorted({group.name, target}))
        _replace(con, group, upload_id)
        _insert(con, group.code, target, members, upload_id)
    return Change(upload_id, message)


def _describe(group: Group, name: str, members: dict[str, str]) -> str:
    parts = []
    if name != group.name:
        parts.append(f"gruppen {group.name} heter nå {name}")
    added = sorted(set(members.values()) - set(group.members))
    gone = sorted(set(group.members) - set(members.values()))
    if added:
        parts.append(f"lagt til {_listing(added)}")
    if gone:
        parts.append(f"tatt ut {_listing(gone)}")
    if not parts:
        return ""
    return f"{name}: " + "; ".join(parts) + f" (medlemmer nå: {_listing(members.values())})"


def delete(db_path: Path, name: str, user: str | None = None) -> Change:
    """Delete a group (GroupError if it has figures of its own, e.g. a police file, or the
    plan has goals for it)."""
    from etl.store import writing

    with writing(db_path) as con:
        group = _find(con, name)
        message = f"gruppen {group.name} er slettet (var: {_listing(group.members)})"
        upload_id = _record(con, group.name, group.members, message, user, [group.name])
        _replace(con, group, upload_id)
    return Change(upload_id, message)
