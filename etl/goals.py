"""Read the plan's goals from a goals file (CSV or a spreadsheet) or a browser form.

A goal belongs to a plan (``SLT-plan 2025-2029``) and a region and names a measure the app has:
a police series (U18-forhold i alt, a crime type, girls/boys or an age; a count or per 1 000
aged 10-17) or a survey indicator (its label or id).  It has a direction (``≤``/``≥``), a target
in the measure's unit or a signed relative change (``-10 %``, needs a baseline), an optional
baseline (a value, a year or a period such as ``2019-2022``, whose average is used) and a
deadline year.  Headers and values are aliases in ``etl/vocab/goal_columns.csv`` and
``etl/vocab/goal_values.csv``.

Everything here is pure: rows of text in, :class:`Goal` values or :class:`IngestError` naming
the file, row, what was found and what was expected out.  Storing is :mod:`etl.goal_store`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

import python_calamine

from etl.errors import IngestError, Problem
from etl.goal_measures import RATE_SUFFIX, UNIT_LABEL, measure_id, values
from etl.goal_measures import measure as find_measure
from etl.readers import sniff_kind
from etl.readers.common import is_blank
from etl.readers.stat_text import BOM, column_roles, decode, read_table
from etl.readers.ungdata_tables import sheet_text
from etl.regions import RegionCatalogue, load_catalogue
from etl.vocab import alias_hint, label_key

COLUMNS_FILE = "goal_columns.csv"
REQUIRED = ("plan", "region", "measure", "direction", "target", "deadline")
ROLE_NAMES = {"plan": "plan", "region": "region", "measure": "mål", "direction": "retning",
              "target": "måltall", "baseline": "grunnlag", "deadline": "frist",
              "unit": "enhet", "level": "trinn", "wording": "formulering",
              "measures": "tiltak", "note": "merknad"}
_PERIOD = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")
_NUMBER = re.compile(r"^([+-]?)\s*(\d+(?:[.,]\d+)?)\s*(%?)$")
_DATE = re.compile(r"^\d{1,2}\.\s*\d{1,2}\.\s*(\d{4})$")
_PLAN_YEARS = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class Goal:
    """One goal as stored (``goals`` table, without ``upload_id``)."""

    plan: str
    plan_start: int | None
    plan_end: int | None
    region_code: str
    region: str
    measure_id: str        # u18|crime_type|age|gender|unit or survey|indicator|level
    measure: str           # the measure as the app labels it
    source: str            # u18 or survey
    crime_type: str | None
    age: str | None
    gender: str | None
    indicator: str | None
    level: str             # survey: school level or grade asked for ('' = the one with data)
    unit: str              # count, per_1000, percent
    direction: str         # ≤ or ≥
    target: float | None   # in the measure's unit; None when relative
    target_change: float | None  # signed percent change from the baseline
    baseline: float | None
    baseline_from: int | None
    baseline_to: int | None
    deadline: int
    wording: str
    measures: str
    note: str

    @property
    def key(self) -> tuple[str, str, str]:
        return self.plan, self.region_code, self.measure_id

    def record(self) -> dict:
        return asdict(self)




def is_goals_header(cells: list[str]) -> bool:
    roles, _unnamed = column_roles(cells, COLUMNS_FILE)
    return {"measure", "target", "deadline"} <= roles.keys()


HEAD_ROWS = 30          # a goals file's header is within its first rows (as read_table looks)
HEAD_BYTES = 64 * 1024


def _head(path: Path, kind: str) -> str:
    """The first rows of a text file or of a workbook's first non-empty sheet, as text: enough
    to find the header, cheap even for a police workbook of 200 000 rows."""
    if kind != "spreadsheet":
        with open(path, "rb") as fh:
            data = fh.read(HEAD_BYTES)
        return data.removeprefix(BOM).decode("utf-8", errors="replace")
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False,
                                                          nrows=HEAD_ROWS)
        lines = [";".join("" if is_blank(c) else str(c).replace(";", ",") for c in row)
                 for row in rows]
        if any(line.strip(";") for line in lines):
            return "\n".join(lines)
    return ""


def goals_kind(path: Path, file_name: str) -> str | None:
    """``rad`` (a spreadsheet) or ``linje`` (CSV) when ``path`` is a goals file, else None.
    Never raises: another reader gives the precise message for a file that is not one."""
    try:
        kind = sniff_kind(path, file_name)
        if kind == "json":
            return None
        read_table(_head(path, kind), is_goals_header, file_name)
    except Exception:  # noqa: BLE001 - a broken file is for the other readers to explain
        return None
    return "rad" if kind == "spreadsheet" else "linje"


def goals_text(path: Path, file_name: str) -> tuple[str, str] | None:
    """(the whole text, ``rad`` or ``linje``) of a goals file, else None."""
    unit = goals_kind(path, file_name)
    if unit is None:
        return None
    text = sheet_text(path, file_name) if unit == "rad" else decode(path)
    return text, unit


def _roles(header: list[str], file_name: str) -> dict[str, int]:
    """role → column; IngestError naming columns no alias knows and required ones missing."""
    roles, unnamed = column_roles(header, COLUMNS_FILE)
    problems = []
    extra = [header[i] for i in unnamed if header[i]]
    if extra:
        problems.append(Problem(f"ukjente kolonner: {', '.join(f'«{c}»' for c in extra)} "
                                f"(forventet {', '.join(ROLE_NAMES.values())})"))
    missing = [ROLE_NAMES[r] for r in REQUIRED if r not in roles]
    if missing:
        problems.append(Problem(f"mangler kolonnene {', '.join(missing)}"))
    if problems:
        raise IngestError(file_name, problems)
    return roles


def read_goals(path: Path, file_name: str, catalogue: RegionCatalogue | None = None
               ) -> list[Goal]:
    """Every goal in a goals file; IngestError listing every problem, row by row."""
    found = goals_text(path, file_name)
    if found is None:
        raise IngestError.one(file_name, "fant ingen overskriftsrad med kolonnene mål, måltall "
                                         "og frist")
    text, unit = found
    table = read_table(text, is_goals_header, file_name)
    roles = _roles(table.header, file_name)
    problems: list[Problem] = []
    goals, seen = [], {}
    for index, cells in enumerate(table.rows):
        if not any(c.strip() for c in cells):
            continue
        where = f"{unit} {table.line_of(index)}"
        if any(c.strip() for c in cells[len(table.header):]):
            problems.append(Problem(f"{where}: flere felt ({len(cells)}) enn overskriften "
                                    f"({len(table.header)}); står det «;» inne i en tekst?"))
            continue
        values = {role: cells[i] if i < len(cells) else "" for role, i in roles.items()}
        try:
            goal = parse_goal(values, catalogue)
        except GoalProblem as problem:
            problems += [Problem(f"{where}: {message}") for message in problem.messages]
            continue
        if goal.key in seen:
            problems.append(Problem(f"{where}: samme mål ({goal.measure}, {goal.region}, "
                                    f"{goal.plan}) står også på {seen[goal.key]}"))
            continue
        seen[goal.key] = where
        goals.append(goal)
    if problems:
        raise IngestError(file_name, problems)
    if not goals:
        raise IngestError.one(file_name, "filen har ingen mål under overskriftsraden")
    return goals


class GoalProblem(Exception):
    """What is wrong with one goal (a file row or the browser form), in Norwegian."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


def parse_goal(values: dict[str, str], catalogue: RegionCatalogue | None = None) -> Goal:
    """One goal from its cells by role (text as written); GoalProblem naming every fault.
    ``catalogue``: the store's regions (its region groups included), else the reference one."""
    text = {role: str(values.get(role) or "").strip() for role in ROLE_NAMES}
    problems: list[str] = []

    def check(role: str, parse, *args):
        try:
            return parse(text[role], *args)
        except ValueError as error:
            problems.append(f"{ROLE_NAMES[role]}: {error}")
            return None

    plan = text["plan"] or problems.append("plan: tom (forventet f.eks. «SLT-plan 2025-2029»)")
    region = check("region", _region, catalogue or load_catalogue())
    measure = check("measure", find_measure, text["unit"])
    direction = check("direction", _direction)
    target = check("target", _target, measure[2] if measure else "count", text["direction"])
    baseline = check("baseline", _baseline)
    deadline = check("deadline", _year)
    if problems:
        raise GoalProblem(problems)
    years = _PLAN_YEARS.search(plan)
    _consistent(target, baseline, deadline, years, problems)
    if problems:
        raise GoalProblem(problems)
    fields, label, unit = measure
    value, change = target
    base_value, base_from, base_to = baseline
    return Goal(plan, int(years[1]) if years else None, int(years[2]) if years else None,
                region[0], region[1], measure_id(fields, unit, text["level"]), label,
                fields["source"], fields.get("crime_type"), fields.get("age"),
                fields.get("gender"), fields.get("indicator"), text["level"], unit, direction,
                value, change, base_value, base_from, base_to, deadline, text["wording"],
                text["measures"], text["note"])


def _consistent(target, baseline, deadline, years, problems: list[str]) -> None:
    if target[1] is not None and baseline == (None, None, None):
        problems.append("måltall: en endring i prosent («-10 %») krever et grunnlag å regne fra")
    if years and not int(years[1]) <= int(years[2]):
        problems.append(f"plan: perioden {years[0]} slutter før den begynner")
    elif years and deadline < int(years[1]):
        problems.append(f"frist: {deadline} er før planperioden ({years[1]}–{years[2]})")
        return
    end = baseline[2] if baseline[2] is not None else (int(years[1]) - 1 if years else None)
    if end is not None and deadline <= end:
        problems.append(f"frist: {deadline} er ikke etter grunnlaget ({end})")


def _region(text: str, catalogue: RegionCatalogue) -> tuple[str, str]:
    if not text:
        raise ValueError("tom (forventet en kommune, gruppe, fylke eller «Hele landet»)")
    region = catalogue.resolve(text)
    if region is None:
        teach = alias_hint("region", text, next(iter(catalogue.suggest(text)), None))
        raise ValueError(f"ukjent region «{text}»{catalogue.did_you_mean(text)} "
                         f"{teach[0].upper()}{teach[1:]}")
    return region.region_code, region.name


def _direction(text: str) -> str:
    found = values("direction").get(label_key(text))
    if found is None:
        raise ValueError(f"«{text}» er ingen retning (forventet ≤ eller ≥, også «under» "
                         "eller «over»)")
    return found


def _number(text: str) -> tuple[str, float, bool] | None:
    match = _NUMBER.match(text.replace("\u00a0", "").replace(" ", ""))
    if not match:
        return None
    return match[1], float(match[2].replace(",", ".")), bool(match[3])


def _target(text: str, unit: str, direction: str = "") -> tuple[float | None, float | None]:
    """(value, None) or (None, signed percent change).  A percent without sign on a police
    measure after a verb of change (``direction`` «redusere», «øke») is that change."""
    parsed = _number(text)
    if parsed is None:
        raise ValueError(f"«{text}» er ikke et tall (forventet f.eks. «150», «12,5» eller en "
                         "endring som «-10 %»)")
    sign, value, is_percent = parsed
    if is_percent and not sign and unit != "percent":
        sign = values("change").get(label_key(direction), "")
    if sign and is_percent:
        return None, -value if sign == "-" else value
    if sign == "-":
        raise ValueError(f"«{text}»: et måltall kan ikke være negativt (en endring skrives "
                         "med prosenttegn: «-10 %»)")
    if is_percent and unit != "percent":
        raise ValueError(f"«{text}»: prosent uten fortegn passer bare for Ungdata-indikatorer; "
                         "en endring skrives med fortegn («-10 %»)")
    if unit == "percent" and value > 100:
        raise ValueError(f"«{text}» er over 100 prosent")
    return value, None


def _baseline(text: str) -> tuple[float | None, int | None, int | None]:
    """(value, None, None), (None, first year, last year) or all None when empty."""
    if not text:
        return None, None, None
    if match := _PERIOD.match(text.strip()):
        first, last = int(match[1]), int(match[2])
        if not FIRST_YEAR <= first <= last <= LAST_YEAR:
            raise ValueError(f"«{text}» er ingen periode (forventet f.eks. «2019-2022»)")
        return None, first, last
    parsed = _number(text)
    if parsed is None or parsed[0] == "-":
        raise ValueError(f"«{text}» er verken et tall, et år eller en periode som «2019-2022»")
    value = parsed[1]
    if value.is_integer() and FIRST_YEAR <= value <= LAST_YEAR and "," not in text:
        return None, int(value), int(value)
    return value, None, None


def _year(text: str) -> int:
    """«2029», or a date in it («31.12.2029»): the deadline is a year."""
    if date := _DATE.match(text.strip()):
        text = date[1]
    parsed = _number(text)
    if parsed is None or parsed[0] or not parsed[1].is_integer() or \
            not FIRST_YEAR <= parsed[1] <= LAST_YEAR:
        raise ValueError(f"«{text}» er ikke et årstall (forventet f.eks. «2029»)")
    return int(parsed[1])


def as_row(goal: Goal) -> dict[str, str]:
    """A goal as the cells of a goals file (the export; reading it back gives the same goal)."""
    if goal.target_change is not None:
        target = f"{goal.target_change:+g} %".replace(".", ",")
    else:
        target = f"{goal.target:g}".replace(".", ",")
    if goal.baseline is not None:  # a whole number that looks like a year keeps its ",0"
        baseline = f"{goal.baseline:g}".replace(".", ",")
        if goal.baseline.is_integer() and FIRST_YEAR <= goal.baseline <= LAST_YEAR:
            baseline += ",0"
    elif goal.baseline_from is None:
        baseline = ""
    elif goal.baseline_from == goal.baseline_to:
        baseline = str(goal.baseline_from)
    else:
        baseline = f"{goal.baseline_from}-{goal.baseline_to}"
    shown = goal.measure.removesuffix(RATE_SUFFIX)
    return {"plan": goal.plan, "region": goal.region, "measure": shown,
            "direction": goal.direction, "target": target, "baseline": baseline,
            "deadline": str(goal.deadline), "unit": UNIT_LABEL[goal.unit],
            "level": goal.level, "wording": goal.wording, "measures": goal.measures,
            "note": goal.note}
