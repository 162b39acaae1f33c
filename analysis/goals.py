"""How is the plan's goal going?  An honest status for each goal.  Pure functions on frames.

Each goal (:class:`etl.goals.Goal`) is set against its measure's figures for its region:

* **Points**: one per year (police: full years only are judged; a partial year is shown but
  never taken as a whole year) or survey round with a year.  Police counts and rates per 1 000
  aged 10-17 come from ``u18_offences`` / ``u18_rates`` frames, survey percentages from
  ``ungdata`` rows (gender ``Totalt``, one school level or grade).
* **Baseline**: the value the goal gives, or the average of the years it names
  (``2019-2022``); without one, the last full year before the plan starts.  A relative target
  (``-20 %``) is computed from it.
* **The change from the baseline** is judged by the statistics engine: police figures with
  :func:`analysis.stats.count_change` against the dispersion of the region's own series
  (:func:`analysis.findings.judge_for`; rates with the population as exposure), survey
  percentages with Fisher's exact test when the number of respondents is known (else not
  tested).  Each goal's p-value is adjusted (Benjamini-Hochberg) together with the report's
  comparisons of its family and the region's other goals of it (:func:`adjusted_with`), and
  the report adjusts its comparisons with the goals' (:func:`family_p_values`): one
  adjustment, so a goal never calls real what the report calls chance with the same test.
* **Status** in plain words (``STATUSES``): at or after the deadline «nådd» / «ikke nådd» (the
  deadline year's figure against the target).  Before it: «nådd» when the figure meets the
  target and either the baseline already did or the change from the baseline is real;
  «på vei» when the target is not met but the change towards it is real; «går feil vei» when
  the change away from it is real; otherwise «for tidlig å si» (no whole year after the
  baseline yet, or the change is within chance); «mangler tall» saying which figures.
* **Breaks** (:class:`analysis.comparisons.Break`): a police goal whose baseline includes a
  year before the new penal code (2015) or before the region's new borders, and whose figure
  is from that year or later, is not tested, as a finding across it is not; its reason says so
  (``caveat``) and ``why`` is the break's (``penal_code``, ``borders``).  A stated baseline
  counts as the year before the plan starts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from analysis.comparisons import PENAL_CODE, Break, crossed
from analysis.findings import adjusted_in, count_p_values, judge_for
from analysis.format import number, percent, year_span
from analysis.series import TOTAL
from analysis.stats import ALPHA, bh_adjusted_with, fisher_exact_p
from etl.goals import Goal

REACHED, NOT_REACHED, ON_TRACK, WRONG_WAY, TOO_EARLY, MISSING = (
    "nådd", "ikke nådd", "på vei", "går feil vei", "for tidlig å si", "mangler tall")
STATUSES = (REACHED, NOT_REACHED, ON_TRACK, WRONG_WAY, TOO_EARLY, MISSING)
TONE = {REACHED: "good", ON_TRACK: "good", NOT_REACHED: "bad", WRONG_WAY: "bad",
        TOO_EARLY: "neutral", MISSING: "missing"}


@dataclass(frozen=True)
class Point:
    year: int
    label: str                 # ``2023``, ``2024 (pr. 01.08)``, a survey period
    value: float | None        # in the goal's unit
    count: int | None = None   # what the test counts (offences, respondents who said yes)
    exposure: float | None = None  # years, thousands aged 10-17, or respondents
    partial: bool = False


@dataclass(frozen=True)
class GoalStatus:
    goal: Goal
    status: str
    reason: str                # why, in one sentence
    latest: Point | None = None
    target: float | None = None     # absolute, in the goal's unit
    baseline: float | None = None
    baseline_label: str = ""
    points: tuple[Point, ...] = ()
    p_value: float | None = None
    q_value: float | None = None
    partial_note: str = ""
    why: str = ""              # why the change is not tested: ``penal_code``, ``borders`` or ''
    caveat: str = ""           # that reason in words (the break's sentence)

    @property
    def tone(self) -> str:
        return TONE[self.status]

    def value_text(self, value: float | None) -> str:
        return fmt_value(value, self.goal.unit)

    @property
    def target_text(self) -> str:
        goal = self.goal
        if goal.target_change is not None:
            change = number(goal.target_change).replace("\u2212", "−")
            change = ("+" if goal.target_change > 0 else "") + change
            head = f"{change} % fra grunnlaget"
            return head + (f" ({goal.direction} {self.value_text(self.target)})"
                           if self.target is not None else "")
        return f"{goal.direction} {self.value_text(goal.target)}"

    @property
    def sentence(self) -> str:
        goal = self.goal
        head = f"{goal.measure}, {goal.region} (mål {self.target_text} innen {goal.deadline})"
        return f"{head}: {self.status}. {self.reason}"


def fmt_value(value: float | None, unit: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    if unit == "percent":
        return percent(value)
    return number(value, 0 if unit == "count" and float(value).is_integer() else 1)


# --- the measure's figures ---------------------------------------------------------------------

def police_points(goal: Goal, u18: pd.DataFrame, rates: pd.DataFrame) -> list[Point]:
    """Per year: the goal's police count (``u18``: u18_offences rows of the region) or rate per
    1 000 (``rates``: u18_rates rows of the region); partial years flagged."""
    if goal.unit == "per_1000":
        rows = rates[(rates.crime_type == goal.crime_type) & (rates.gender == goal.gender)]
        return [Point(int(r.year), _label(r), None if pd.isna(r.per_1000) else float(r.per_1000),
                      None if pd.isna(r.offences) else int(r.offences),
                      None if pd.isna(r.persons_10_17) else float(r.persons_10_17) / 1000,
                      not pd.isna(r.counted_through))
                for r in rows.sort_values("year").itertuples(index=False)]
    rows = u18[(u18.crime_type == goal.crime_type) & (u18.age == goal.age)
               & (u18.gender == goal.gender)]
    known = u18.groupby("year").counted_through.first()
    values = dict(zip(rows.year.astype(int), rows.offences))
    out = []
    for year, through in known.sort_index().items():
        value = values.get(int(year))
        if int(year) not in values and not _breakdown_given(u18, goal, int(year)):
            continue  # the source did not give this breakdown that year: unknown, not 0
        value = 0 if int(year) not in values else (None if pd.isna(value) else int(value))
        out.append(Point(int(year), _label_of(int(year), through), value, value, 1.0,
                         not pd.isna(through)))
    return out


def _breakdown_given(u18: pd.DataFrame, goal: Goal, year: int) -> bool:
    rows = u18[u18.year == year]
    if goal.crime_type != TOTAL:
        rows = rows[(rows.crime_type != TOTAL) & (rows.age == TOTAL) & (rows.gender == TOTAL)]
    elif goal.age != TOTAL:
        rows = rows[(rows.age != TOTAL) & (rows.crime_type == TOTAL)]
    elif goal.gender != TOTAL:
        rows = rows[(rows.gender != TOTAL) & (rows.crime_type == TOTAL)]
    return not rows.empty


def _label(row) -> str:
    return _label_of(int(row.year), row.counted_through)


def _label_of(year: int, through) -> str:
    if through is None or pd.isna(through):
        return str(year)
    return f"{year} (pr. {pd.Timestamp(through):%d.%m})"


def survey_points(goal: Goal, survey: pd.DataFrame) -> tuple[list[Point], str]:
    """Per survey round with a year: the indicator's percent (gender Totalt) at one school
    level or grade: the goal's ``level``, else the one with most rounds.  Also a note on rows
    that could not be placed in time."""
    rows = survey[(survey.indicator == goal.indicator) & (survey.gender == TOTAL)
                  & survey.percent.notna()]
    if goal.level:
        wanted = goal.level.casefold()
        rows = rows[(rows.school_level.str.casefold() == wanted)
                    | (rows.grade.str.casefold() == wanted)]
    undated = rows[rows.year.isna()]
    rows = rows[rows.year.notna()]
    note = ""
    if not undated.empty:
        note = (f"tallene fra «{undated.period.iloc[0]}» har ikke årstall og kan ikke "
                "plasseres i tid")
    if rows.empty:
        return [], note
    level = rows.groupby(["school_level", "grade"]).size().sort_values(ascending=False).index[0]
    rows = rows[(rows.school_level == level[0]) & (rows.grade == level[1])]
    points = []
    for r in rows.sort_values("year").itertuples(index=False):
        n = None if pd.isna(r.respondents) else float(r.respondents)
        points.append(Point(int(r.year), str(r.period), float(r.percent),
                            None if n is None else round(r.percent / 100 * n), n))
    return points, note


# --- the status ------------------------------------------------------------------------------

def _baseline(goal: Goal, full: list[Point]) -> tuple[list[Point] | None, float | None, str,
                                                      str]:
    """(points the baseline averages, its value, label, what is missing)."""
    if goal.baseline is not None:
        return None, goal.baseline, "grunnlaget oppgitt i planen", ""
    first, last = goal.baseline_from, goal.baseline_to
    if first is None and goal.plan_start is not None:
        first = last = goal.plan_start - 1
    if first is None:
        return None, None, "", ""
    span = list(range(first, last + 1))
    by_year = {p.year: p for p in full}
    gone = [y for y in span if y not in by_year or by_year[y].value is None]
    label = f"snittet {year_span(first, last)}" if first != last else str(first)
    if gone:
        return None, None, label, f"grunnlaget ({label}) mangler tall for {_years(gone)}"
    chosen = [by_year[y] for y in span]
    return chosen, sum(p.value for p in chosen) / len(chosen), label, ""


def _years(years: list[int]) -> str:
    return ", ".join(map(str, years[:-1])) + (" og " if len(years) > 1 else "") + \
        str(years[-1])


def _absolute_target(goal: Goal, baseline: float | None) -> float | None:
    if goal.target_change is None:
        return goal.target
    return None if baseline is None else baseline * (1 + goal.target_change / 100)


def _meets(goal: Goal, value: float, target: float) -> bool:
    return value <= target if goal.direction == "≤" else value >= target


def _p_value(goal: Goal, base: list[Point] | None, baseline: float, latest: Point,
             u18: pd.DataFrame) -> float | None:
    """The p-value of the change from the baseline to ``latest`` (None: cannot be tested)."""
    if goal.source == "survey":
        if latest.exposure is None or (base and any(p.exposure is None for p in base)):
            return None
        n_a, k_a = int(latest.exposure), int(latest.count)
        if base:
            n_b, k_b = int(sum(p.exposure for p in base)), int(sum(p.count for p in base))
        else:
            n_b, k_b = n_a, round(baseline / 100 * n_a)
        return fisher_exact_p([[k_a, n_a - k_a], [k_b, n_b - k_b]])
    if latest.count is None or latest.exposure is None:
        return None
    if base:
        if any(p.count is None or p.exposure is None for p in base):
            return None
        before, exposure = sum(p.count for p in base), sum(p.exposure for p in base)
    else:  # a value from the plan: as if one year at the latest year's exposure
        before, exposure = round(baseline * latest.exposure), latest.exposure
    family = "crime_type" if goal.crime_type != TOTAL else \
        "gender" if goal.gender != TOTAL else "age" if goal.age != TOTAL else "total"
    judge = judge_for(u18, latest.year, family)
    return judge.change(before, latest.count, exposure, latest.exposure).p_value


def _direction(goal: Goal, base: float, latest: float, q: float | None) -> int:
    """+1 a real move towards the target, -1 a real move away, 0 within chance/untested."""
    if q is None or q >= ALPHA or latest == base:
        return 0
    down = latest < base
    return 1 if down == (goal.direction == "≤") else -1


@dataclass(frozen=True)
class _Draft:
    status: GoalStatus
    base: float | None = None


def _draft(goal: Goal, points: list[Point], note: str, what: str,
           u18: pd.DataFrame, breaks: tuple[Break, ...] = (PENAL_CODE,)) -> _Draft:
    partial = [p for p in points if p.partial]
    partial_note = (f"{partial[-1].label} er et delår og er ikke vurdert som et helt år."
                    if partial else "")
    full = [p for p in points if not p.partial and p.value is not None]
    if not full:
        why = note or f"ingen tall for {what}"
        return _Draft(GoalStatus(goal, MISSING, _cap(why) + ".", points=tuple(points),
                                 partial_note=partial_note))
    base_points, base, base_label, gone = _baseline(goal, full)
    target = _absolute_target(goal, base)
    done = [p for p in full if p.year <= goal.deadline]
    latest = done[-1] if done and full[-1].year >= goal.deadline else full[-1]
    common = dict(latest=latest, target=target, baseline=base, baseline_label=base_label,
                  points=tuple(points), partial_note=partial_note)
    if target is None:
        return _Draft(GoalStatus(goal, MISSING, _cap(gone or "målet regnes fra grunnlaget, "
                                                             "som mangler") + ".", **common))
    if (found := _across(goal, latest, breaks)) is not None:
        return _Draft(GoalStatus(goal, "", "", why=found.why, caveat=found.reason, **common),
                      base)
    p_value = None if base is None else _p_value(goal, base_points, base, latest, u18)
    return _Draft(GoalStatus(goal, "", "", p_value=p_value, **common), base)


def _across(goal: Goal, latest: Point, breaks: tuple[Break, ...]) -> Break | None:
    """The break (of ``breaks``) that a police goal's baseline and ``latest`` figure span: a
    baseline with a year before it, a figure from its year or later (a stated baseline: the
    year before the plan; without a plan start its year is unknown)."""
    first = goal.baseline_from if goal.baseline_from is not None else _baseline_end(goal)
    if goal.source == "survey" or first <= 0:
        return None
    return crossed(breaks, first, latest.year)


def _baseline_end(goal: Goal) -> int:
    """The last year the baseline covers (a stated value: the year before the plan)."""
    if goal.baseline_to is not None:
        return goal.baseline_to
    return goal.plan_start - 1 if goal.plan_start is not None else 0


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _at_deadline(status: GoalStatus, base: float | None, q: float | None, met: bool,
                 against: str) -> GoalStatus:
    """«nådd» or «ikke nådd»: the deadline year's figure against the target; a target met
    by a change within chance, or by one across the new penal code, says so."""
    goal = status.goal
    chance = "" if base is None or _direction(goal, base, status.latest.value, q) or not met \
        else " Endringen fra grunnlaget er innenfor tilfeldig variasjon."
    if status.caveat:
        chance = f" {status.caveat}"
    return replace(status, status=REACHED if met else NOT_REACHED,
                   reason=f"{_cap(against)} (fristen er {goal.deadline}).{chance}")


def _finish(draft: _Draft, q: float | None) -> GoalStatus:
    status = replace(draft.status, q_value=q)
    if status.status:
        return status
    goal, latest, target, base = status.goal, status.latest, status.target, draft.base
    value = status.value_text
    now = f"{value(latest.value)} i {latest.label}"
    met = _meets(goal, latest.value, target)
    against = f"{now} mot målet {goal.direction} {value(target)}"
    if latest.year >= goal.deadline:
        return _at_deadline(status, base, q, met, against)
    if latest.year <= _baseline_end(goal):
        note = f" {_cap(status.partial_note)}" if status.partial_note else ""
        if status.caveat:  # and it will not be judged when later years come
            note = f" {status.caveat}{note}"
        return replace(status, status=TOO_EARLY, reason=f"{_cap(against)}; ingen hele år "
                       f"etter grunnlaget ({status.baseline_label or _baseline_end(goal)}) "
                       f"ennå.{note}", partial_note="")
    if base is None:
        return replace(status, status=REACHED if met else TOO_EARLY,
                       reason=f"{_cap(against)}; uten grunnlag kan utviklingen ikke vurderes.")
    since = f"{value(base)} ({status.baseline_label})"
    moved = _direction(goal, base, latest.value, q)
    tested = q is not None
    if met and (_meets(goal, base, target) or moved > 0):
        why = "endringen fra grunnlaget er større enn tilfeldig variasjon" if moved > 0 else \
            "grunnlaget nådde også målet"
        return replace(status, status=REACHED, reason=f"{_cap(against)}, fra {since}; {why}.")
    if moved > 0:
        return replace(status, status=ON_TRACK, reason=f"{_cap(against)}, fra {since}; "
                       "endringen mot målet er større enn tilfeldig variasjon.")
    if moved < 0:
        return replace(status, status=WRONG_WAY, reason=f"{_cap(against)}, fra {since}; "
                       "endringen bort fra målet er større enn tilfeldig variasjon.")
    if status.caveat:
        return replace(status, status=TOO_EARLY,
                       reason=f"{_cap(against)}, fra {since}. {status.caveat}")
    why = "endringen fra grunnlaget er innenfor tilfeldig variasjon" if tested else \
        "antall som svarte er ikke oppgitt, så endringen kan ikke testes"
    return replace(status, status=TOO_EARLY, reason=f"{_cap(against)}, fra {since}; {why}.")


SURVEY_FAMILY = "survey"


def adjusted_with(goal: Goal) -> str:
    """The family of the report's comparisons a goal's p-value is adjusted in: the total's
    (:data:`analysis.findings.TOTAL_FAMILY`), the breakdowns' or the survey comparisons'."""
    if goal.source == "survey":
        return SURVEY_FAMILY
    whole = goal.crime_type == TOTAL and goal.gender == TOTAL and goal.age == TOTAL
    return adjusted_in("total" if whole else "crime_type")


def family_p_values(statuses: list[GoalStatus]) -> dict[str, list[float]]:
    """The raw p-values of the tested goals by the family they are adjusted in: what the
    report's comparisons of that family are adjusted together with."""
    out: dict[str, list[float]] = {}
    for status in statuses:
        if status.p_value is not None:
            out.setdefault(adjusted_with(status.goal), []).append(status.p_value)
    return out


def goal_statuses(goals: list[Goal], u18: pd.DataFrame, rates: pd.DataFrame,
                  survey: pd.DataFrame, breaks: tuple[Break, ...] = (),
                  family: Mapping[str, Sequence[float]] | None = None) -> list[GoalStatus]:
    """The status of each goal of one region, each tested change adjusted together with the
    report's comparisons of its family (:func:`adjusted_with`) and the other goals of it.

    ``u18``: u18_offences rows of the region; ``rates``: its u18_rates rows; ``survey``: its
    ungdata rows.  Any of them may be empty.  ``breaks``: the region's own (its new borders),
    beside the new penal code.  ``family``: the raw p-values of the report's comparisons by
    family (:func:`analysis.findings.count_p_values`, and under ``"survey"``
    :func:`analysis.survey.survey_p_values`); default: the count comparisons of ``u18``'s
    latest year (no survey comparisons)."""
    breaks_all = (PENAL_CODE, *breaks)
    drafts = []
    for goal in goals:
        if goal.source == "survey":
            points, note = survey_points(goal, survey) if not survey.empty else ([], "")
            what = f"«{goal.measure}» i {goal.region} (Ungdata)"
        else:
            frame = rates if goal.unit == "per_1000" else u18
            points = police_points(goal, u18, rates) if not frame.empty else []
            note = "" if not (goal.unit == "per_1000" and rates.empty and not u18.empty) else \
                f"ingen befolkningstall for {goal.region}, så raten per 1 000 kan ikke regnes"
            what = f"{goal.measure} i {goal.region} (politiets U18-tall)"
        drafts.append(_draft(goal, points, note, what, u18, breaks_all))
    if family is None:
        family = count_p_values(u18, breaks=breaks) if not u18.empty else {}
    q: dict[int, float] = {}
    for key in {adjusted_with(d.status.goal) for d in drafts}:
        tested = [i for i, d in enumerate(drafts) if d.status.p_value is not None
                  and adjusted_with(d.status.goal) == key]
        q.update(zip(tested, bh_adjusted_with([drafts[i].status.p_value for i in tested],
                                              family.get(key, ()))))
    return [_finish(d, q.get(i)) for i, d in enumerate(drafts)]
