"""The region catalogue: kommuner, fylker, politidistrikter, analyst-defined groups, the country.

Every region has a stable ``region_code`` (``K4001``, ``F40``, ``P04``, ``GRENLAND``, ``NO``) and a
unique display ``name``.  :meth:`RegionCatalogue.resolve` reads the names users and SSB write:
``Porsgrunn``, ``4001``, ``K-3806 Porsgrunn``, ``3806 Porsgrunn (2020-2023)``, ``Oslo - Oslove``,
``Våler (Østf.)``, ``Grenland psd``.  Names the rules cannot read are taught once, in the
database (``slt alias legg-til region "Bø i Telemark" Midt-Telemark``): within
:func:`etl.vocab.using_aliases` (every ingest) :func:`load_catalogue` knows them too.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.paths import reference_dir
from etl.vocab import VOCAB_DIR, alias_hint, label_key, user_rows

LEVELS = ("land", "fylke", "politidistrikt", "gruppe", "kommune")
NATION = "NO"

_CODE_PREFIX = re.compile(r"^(?:k|kommune)\s*-?\s*(?=\d)", re.IGNORECASE)
_SHORT_CODE = re.compile(r"^\d{1,2}$")  # SSB's and FHI's codes: 0 = the country, 40 = fylke 40
_SHORT_CODE_NAME = re.compile(r"^(\d{1,2})\s+\D")  # Statbank: «0 Hele landet», «40 Telemark»
_NUMBER_NAME = re.compile(r"^(?P<number>\d{3,4})(?:\s+(?P<name>.*))?$")
_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)\s*$")
# FHI's location codes (its statistics bank's and csdata's ``location_code``): ``municip_nor0301``,
# ``county_nor03``, ``nation_nor``.
_FHI_CODE = re.compile(r"^(?P<level>municip|county|nation)_nor(?P<number>\d*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Region:
    region_code: str
    name: str
    level: str
    kommunenummer: str | None = None
    fylke_code: str | None = None
    politidistrikt_code: str | None = None


@dataclass(frozen=True)
class FormerName:
    """A kommune that ended after ``last_year`` under a name another kommune has today
    (``data/reference/former_kommune_names.csv``)."""

    name: str
    kommunenummer: str
    fylke: str
    last_year: int
    became: str
    merged: bool


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


class RegionCatalogue:
    def __init__(self, regions: list[Region], members: dict[str, tuple[str, ...]],
                 aliases: dict[str, str], renumbered: dict[str, str], suffixes: tuple[str, ...],
                 former: tuple[FormerName, ...] = ()):
        self.regions = {r.region_code: r for r in regions}
        self.former = former
        self.members = members  # region_code -> member kommune codes
        self.renumbered = renumbered  # old kommunenummer -> today's
        self.suffixes = suffixes
        self.aliases = aliases  # kept whole: a taught name may be of a group stored later
        self._by_key = {label_key(r.name): r.region_code for r in regions}
        self._by_key.update({label_key(a): code for a, code in aliases.items()
                             if code in self.regions})
        self._by_number = {r.kommunenummer: r.region_code for r in regions if r.kommunenummer}

    def by_code(self, code: str) -> Region:
        return self.regions[code]

    def by_name(self, name: str) -> Region:
        return self.regions[self._by_key[label_key(name)]]

    def _by_kommunenummer(self, number: str) -> str | None:
        number = number.zfill(4)
        return self._by_number.get(self.renumbered.get(number, number))

    def _fhi_code(self, level: str, number: str) -> Region | None:
        if level == "nation":
            return None if number else self.regions.get(NATION)
        if level == "county":
            return self.regions.get(f"F{number}") if len(number) == 2 else None
        code = self._by_kommunenummer(number) if len(number) == 4 else None
        return self.regions[code] if code else None

    def _candidates(self, text: str, split: bool = True):
        """Spellings to try for ``text``, most literal first (``split``: also the part before
        a dash, as in ``Oslo - Oslove``)."""
        text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
        yield text
        stripped = _TRAILING_PARENS.sub("", text)
        while stripped != text:
            yield stripped
            text, stripped = stripped, _TRAILING_PARENS.sub("", stripped)
        words = text.split(" ")
        while len(words) > 1 and label_key(words[-1]) in self.suffixes:
            words = words[:-1]
            yield " ".join(words)
        for separator in (" - ", " – ", "-") if split else ():
            if separator in text:
                yield text.split(separator)[0]

    def resolve(self, label: object, split: bool = True) -> Region | None:
        """The region meant by ``label``, or None when nothing matches.  ``split=False`` does
        not read ``Ringerike-samarbeidet`` as ``Ringerike`` (for checking a new group name)."""
        text = str(label).strip()
        if not text:
            return None
        if _SHORT_CODE.match(text):
            return self.regions.get(NATION if int(text) == 0 else f"F{text.zfill(2)}")
        if (short := _SHORT_CODE_NAME.match(text)) and (region := self.resolve(short[1])):
            return region
        if fhi := _FHI_CODE.match(text):
            return self._fhi_code(fhi["level"].lower(), fhi["number"])
        text = _CODE_PREFIX.sub("", text)
        if match := _NUMBER_NAME.match(text):
            if code := self._by_kommunenummer(match["number"]):
                return self.regions[code]
        for candidate in self._candidates(text, split):
            if (code := self._by_key.get(label_key(candidate))) is not None:
                return self.regions[code]
        return None

    def former_of(self, label: object) -> tuple[FormerName, Region, Region] | None:
        """For ``label`` that is also the name of a kommune that ended (``Bø``): that kommune,
        today's kommune of the name and the one the old kommune became; else None."""
        former = next((f for f in self.former if label_key(f.name) == label_key(label)), None)
        if former is None:
            return None
        today, became = self.resolve(label), self.resolve(former.became)
        return (former, today, became) if today and became else None

    def former_name(self, label: object, year: int) -> str:
        """Why ``label`` (see :meth:`former_of`) cannot be read as today's kommune of that
        name in ``year`` of a file without figures for the kommune the old one became."""
        former, today, became = self.former_of(label)
        fylke = _fylke_name(self, today)
        meant = (f"«{today.name} ({fylke})» eller kommunenummeret {today.kommunenummer} om "
                 f"{'tallene' if former.merged else 'de'} gjelder {today.name} i {fylke}")
        fate, advice = ((f"ble en del av {became.name} i {former.last_year + 1}",
                         f"Skriv {meant}") if former.merged else
                        (f"heter {became.name} fra {former.last_year + 1}",
                         f"Skriv «{became.name}» om tallene gjelder den, eller {meant}"))
        return (f"«{label}» i {year} er ikke entydig: til og med {former.last_year} var "
                f"{former.name} også en kommune i {former.fylke} ({former.kommunenummer}, som "
                f"{fate}), og filen har ingen tall for {became.name} i {year}. {advice}")

    def namesakes(self, label: object) -> list[Region]:
        """The kommuner whose name is ``label`` but for their fylke in parentheses (``Herøy``:
        ``Herøy (Møre og Romsdal)`` and ``Herøy (Nordland)``), when more than one is."""
        key = label_key(_TRAILING_PARENS.sub("", str(label).strip()))
        found = [r for r in self.regions.values() if r.level == "kommune"
                 and r.name != (base := _TRAILING_PARENS.sub("", r.name))
                 and label_key(base) == key]
        return found if len(found) > 1 else []

    def suggest(self, label: object, n: int = 3) -> list[str]:
        """The closest known region names, for an error message: the kommuner that share the
        name when several do, else the most alike."""
        if namesakes := self.namesakes(label):
            return [r.name for r in namesakes]
        names = {label_key(r.name): r.name for r in self.regions.values()}
        close = difflib.get_close_matches(label_key(label), list(names), n=n, cutoff=0.5)
        return [names[key] for key in close]

    @staticmethod
    def written_number(label: object) -> str | None:
        """The kommune number a label is written with (``4001``, ``K-3806 Porsgrunn``,
        ``municip_nor3806``), four digits, or None when it names no number."""
        text = str(label).strip()
        if fhi := _FHI_CODE.match(text):
            number = fhi["number"] if fhi["level"].lower() == "municip" else ""
        else:
            number = (match[1] if (match := re.match(r"^\D{0,2}(\d{3,4})\b", text)) else "")
        return number.zfill(4) if len(number) in (3, 4) else None

    def did_you_mean(self, label: object) -> str:
        """``; mente du A, B?`` naming the closest known regions, or ``.`` when none is close
        (ends the first sentence of an error message about ``label``)."""
        close = self.suggest(label)
        return f"; mente du {', '.join(close)}?" if close else "."

    def kommuner_of(self, code: str) -> tuple[str, ...]:
        return self.members.get(code, ())

    def with_groups(self, groups: dict[str, tuple[str, tuple[str, ...]]]) -> RegionCatalogue:
        """This catalogue with its groups replaced by ``groups`` (code → (name, kommune
        codes)): the groups stored in a database (:func:`etl.groups.catalogue_for`)."""
        kept = [r for r in self.regions.values() if r.level != "gruppe"]
        members = {c: m for c, m in self.members.items() if self.regions[c].level != "gruppe"}
        for code, (name, kommuner) in groups.items():
            kept.append(Region(code, name, "gruppe"))
            members[code] = tuple(kommuner)
        return RegionCatalogue(kept, members, self.aliases, self.renumbered, self.suffixes,
                               self.former)

    def with_aliases(self, aliases: dict[str, str]) -> RegionCatalogue:
        """This catalogue knowing ``aliases`` (name → region code) as well."""
        return RegionCatalogue(list(self.regions.values()), self.members,
                               {**self.aliases, **aliases}, self.renumbered, self.suffixes,
                               self.former)


def _fylke_name(catalogue: RegionCatalogue, region: Region) -> str:
    fylke = catalogue.regions.get(region.fylke_code or "")
    return fylke.name.removesuffix(" fylke") if fylke else ""


TAUGHT = "region_aliases.csv"  # the vocab file a taught region name extends (slt alias)


def unknown_region(catalogue: RegionCatalogue, label: str, what: str) -> str:
    """«WHAT «LABEL» er ingen kjent kommune, region eller gruppe. Mente du …?», then how to
    teach the name (``slt alias legg-til region``) with the closest known name as example."""
    if namesakes := catalogue.namesakes(label):
        named = [f"«{r.name}» ({r.kommunenummer})" for r in namesakes]
        teach = alias_hint("region", str(label), namesakes[0].name)
        return (f"{what} «{label}» er navnet på flere kommuner: {', '.join(named[:-1])} og "
                f"{named[-1]}. Skriv hvilken i filen, med fylket i parentes eller "
                f"kommunenummeret. Gjelder filene alltid den ene, "
                f"{teach.removeprefix('er navnet riktig, ')}")
    close = catalogue.suggest(label)
    hint = f" Mente du {' eller '.join(f'«{c}»' for c in close)}?" if close else ""
    teach = alias_hint("region", str(label), close[0] if close else None)
    return (f"{what} «{label}» er ingen kjent kommune, region eller gruppe.{hint} "
            f"{teach[0].upper()}{teach[1:]}")


def _renumbering(transitions: list[dict[str, str]]) -> dict[str, str]:
    """Old kommunenummer → today's, following chains (0805 → 3806 → 4001).  Splits and
    merges are left out: a kommune merged into a larger one is not that one (its figures
    would be stored as the whole kommune's), so its number stays unknown and is refused."""
    targets: dict[str, set[str]] = {}
    for row in transitions:
        if row["level"] == "municipality" and row["change_type"] != "merge":
            targets.setdefault(row["from_id"], set()).add(row["to_id"])
    step = {old: next(iter(new)) for old, new in targets.items() if len(new) == 1}
    final = {}
    for old in step:
        seen, current = {old}, step[old]
        while current in step and current not in seen:
            seen.add(current)
            current = step[current]
        final[old] = current
    return final


def _transitions(ref: Path) -> list[dict[str, str]]:
    """bord4-data's kommune changes, with this project's corrections
    (``region_transitions_corrections.csv``) replacing its rows of the same old number."""
    corrections = _read_csv(ref / "region_transitions_corrections.csv")
    corrected = {row["from_id"] for row in corrections if row["level"] == "municipality"}
    return [row for row in _read_csv(ref / "region_transitions.csv")
            if row["level"] != "municipality" or row["from_id"] not in corrected] + corrections


def load_catalogue() -> RegionCatalogue:
    """The reference catalogue, knowing the region names taught with ``slt alias`` while
    :func:`etl.vocab.using_aliases` holds them (every ingest)."""
    taught = tuple(row for file, row in user_rows() if file == TAUGHT)
    return _with_taught(taught)


@cache
def _with_taught(taught: tuple[tuple[str, ...], ...]) -> RegionCatalogue:
    reference = _reference_catalogue()
    return reference.with_aliases(dict(taught)) if taught else reference


@cache
def _reference_catalogue() -> RegionCatalogue:
    ref = reference_dir()
    regions = [Region(NATION, "Hele landet", "land")]
    members: dict[str, list[str]] = {NATION: []}
    fylker: dict[str, str] = {}
    districts: dict[str, str] = {}
    kommune_rows = _read_csv(ref / "kommune_fylke_politidistrikt_2024.csv")
    for row in kommune_rows:
        fylker[row["fylkesnummer"]] = row["fylkesnavn"]
        districts[row["politidistriktnummer"].upper()] = row["politidistrikt"]
    kommune_names = {label_key(r["kommunenavn"]) for r in kommune_rows}
    for number, name in sorted(fylker.items()):
        unique = name if label_key(name) not in kommune_names else f"{name} fylke"
        regions.append(Region(f"F{number}", unique, "fylke", fylke_code=f"F{number}"))
    for number, name in sorted(districts.items()):
        regions.append(Region(number, name, "politidistrikt", politidistrikt_code=number))
    for row in kommune_rows:
        code = f"K{row['kommunenummer']}"
        fylke, district = f"F{row['fylkesnummer']}", row["politidistriktnummer"].upper()
        regions.append(Region(code, row["kommunenavn"], "kommune", row["kommunenummer"], fylke,
                              district))
        for parent in (NATION, fylke, district):
            members.setdefault(parent, []).append(code)
    for row in _read_csv(ref / "region_groups.csv"):
        code = row["group_code"].strip().upper()
        if code not in members:
            regions.append(Region(code, row["group_name"].strip(), "gruppe"))
        members.setdefault(code, []).append(f"K{row['kommunenummer'].strip().zfill(4)}")
    aliases = {row["alias"]: row["region_code"]
               for row in _read_csv(VOCAB_DIR / "region_aliases.csv")}
    suffixes = tuple(label_key(row["suffix"])
                     for row in _read_csv(VOCAB_DIR / "region_suffixes.csv"))
    return RegionCatalogue(
        regions,
        {code: tuple(m) for code, m in members.items()},
        aliases,
        _renumbering(_transitions(ref)),
        suffixes,
        tuple(FormerName(row["name"], row["kommunenummer"], row["fylke"],
                         int(row["last_year"]), row["became"], row["merged"] == "yes")
              for row in _read_csv(ref / "former_kommune_names.csv")),
    )


def clear_catalogue_caches() -> None:
    """Read the reference files again at the next :func:`load_catalogue` (for code and tests
    that change them)."""
    _with_taught.cache_clear()
    _reference_catalogue.cache_clear()
    border_changes.cache_clear()


@dataclass(frozen=True)
class BorderChange:
    """A kommune's borders changed on 1 January ``year`` while it kept its name
    (``data/reference/border_changes.csv``); ``change`` says how, in bokmål."""

    year: int
    change: str


@cache
def border_changes() -> dict[str, tuple[BorderChange, ...]]:
    """Kommune region code (``K4204``) → the changes of its borders, oldest first."""
    changes: dict[str, list[BorderChange]] = {}
    for row in _read_csv(reference_dir() / "border_changes.csv"):
        code = f"K{row['kommunenummer'].strip().zfill(4)}"
        changes.setdefault(code, []).append(BorderChange(int(row["year"]), row["change"].strip()))
    return {code: tuple(sorted(found, key=lambda c: c.year)) for code, found in changes.items()}

