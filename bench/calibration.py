"""Clustered offence counts, simulated, to check what the findings engine calls «reell».

One simulated region: each year a Poisson number of young offenders; each offender has a gender,
an age and a preferred crime type, and commits a geometric number of offences (mean ``m``), each
of the preferred type with probability ``SPECIALISE`` and otherwise of a type drawn by the
shares.  The counts by crime type, gender and age are what a police U18 table would show.  The
frame goes through :func:`analysis.findings.count_findings` exactly as the report's does.

Used by ``bench/bench_calibration.py`` (the full study) and ``tests/unit/test_calibration.py``
(a smaller, seeded run that pins the calibration).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.findings import count_findings

CRIME_TYPES = {"Vold": 0.25, "Vinning": 0.22, "Annen": 0.12, "Narkotika": 0.10,
               "Skadeverk": 0.10, "Trafikk": 0.10, "Økonomi": 0.05, "Seksuallovbrudd": 0.04,
               "Undersøkelsessaker": 0.02}
AGES = {"<10": 0.03, "10": 0.02, "11": 0.04, "12": 0.08, "13": 0.12, "14": 0.16, "15": 0.18,
        "16": 0.19, "17": 0.18}
BOYS = 0.75
SPECIALISE = 0.7
TOTAL = "Totalt"


@dataclass(frozen=True)
class Setting:
    offenders: float          # mean offenders a year
    per_offender: float       # mean offences per offender (geometric; 1 = one each)
    years: int                # years of history, the last one tested
    rise: float = 1.0         # the last year's offenders = rise × the others'
    rise_in: str = TOTAL      # TOTAL: every offender; a crime type: only that type's offenders
    offenders_given: bool = False  # the table also gives the number of offenders per cell


def _year(rng: np.random.Generator, setting: Setting, mean: float, year: int,
          last: bool) -> list[tuple]:
    types, shares = list(CRIME_TYPES), np.array(list(CRIME_TYPES.values()))
    n = rng.poisson(mean)
    preferred = rng.choice(len(types), size=n, p=shares)
    if last and setting.rise_in != TOTAL:   # extra offenders of one type only
        index = types.index(setting.rise_in)
        extra = rng.poisson(mean * shares[index] * (setting.rise - 1))
        preferred = np.concatenate([preferred, np.full(extra, index)])
        n += extra
    counts = rng.geometric(1 / setting.per_offender, size=n)
    gender = np.where(rng.random(n) < BOYS, "Gutter", "Jenter")
    age = rng.choice(list(AGES), size=n, p=list(AGES.values()))
    offence_of = np.repeat(np.arange(n), counts)
    kept = rng.random(offence_of.size) < SPECIALISE
    crime = np.where(kept, preferred[offence_of],
                     rng.choice(len(types), size=offence_of.size, p=shares))
    # Distinct offenders per cell (no random draws: the offences are as without them).
    persons = np.bincount(np.unique(np.stack([offence_of, crime]), axis=1)[1],
                          minlength=len(types)) if n else np.zeros(len(types), dtype=int)
    rows = [(year, TOTAL, TOTAL, TOTAL, int(offence_of.size), int(n))]
    rows += [(year, t, TOTAL, TOTAL, int(c), int(p)) for t, c, p in
             zip(types, np.bincount(crime, minlength=len(types)), persons) if c]
    for label, column in (("gender", gender), ("age", age)):
        values, sums = np.unique(column[offence_of], return_counts=True)
        heads = dict(zip(*np.unique(column, return_counts=True)))
        rows += [(year, TOTAL, v, TOTAL, int(c), int(heads[v])) if label == "age" else
                 (year, TOTAL, TOTAL, v, int(c), int(heads[v])) for v, c in zip(values, sums)]
    return rows


def region(rng: np.random.Generator, setting: Setting) -> pd.DataFrame:
    """One region's U18 frame (``year, counted_through, crime_type, age, gender, offences``,
    and ``offenders`` with ``setting.offenders_given``)."""
    rows = []
    for i, year in enumerate(range(2025 - setting.years, 2025)):
        last = i == setting.years - 1
        mean = setting.offenders * (setting.rise if last and setting.rise_in == TOTAL else 1.0)
        rows += _year(rng, setting, mean, year, last)
    frame = pd.DataFrame(rows, columns=["year", "crime_type", "age", "gender", "offences",
                                        "offenders"])
    frame["counted_through"] = pd.NaT
    return frame if setting.offenders_given else frame.drop(columns="offenders")


@dataclass(frozen=True)
class Outcome:
    tested: int = 0
    raw: int = 0                 # p < 0,05 before the adjustment for many comparisons
    called: int = 0              # called «reell» (adjusted p < 0,05)
    reports: int = 0
    reports_with_any: int = 0    # reports with at least one change called real
    target_tested: int = 0
    target_raw: int = 0
    target_called: int = 0       # the rising series' year-on-year change called a real rise
    goals_tested: int = 0        # the plan's goals (:data:`GOALS`) whose change was tested
    goals_called: int = 0        # ... called real («på vei», «går feil vei», or «nådd» by it)
    goals_disagreeing: int = 0   # the goal on the report's own comparison (the total against
    #                              the three years before) judged otherwise than the report

    def share(self, part: int, whole: int) -> float:
        return part / whole if whole else float("nan")


def plan_goals(setting: Setting) -> list:
    """A plan's goals on the simulated region, judged as the report judges them: Vinning down
    20 % from the average of every year before the last (a baseline the report does not use),
    and the total down 20 % from the three years before the last (the report's own
    comparison against the three-year average)."""
    from etl.goals import parse_goal

    last = 2024
    common = {"plan": f"SLT-plan {last}-2029", "region": "Grenland", "direction": "≤",
              "target": "-20 %", "deadline": "2029"}
    return [parse_goal({**common, "measure": "Vinning",
                        "baseline": f"{last - setting.years + 1}-{last - 1}"}),
            parse_goal({**common, "measure": TOTAL_MEASURE,
                        "baseline": f"{last - 3}-{last - 1}"})]


TOTAL_MEASURE = "U18-forhold i alt"


def _with_goals(frame: pd.DataFrame, goals: list) -> tuple[list, dict[str, int]]:
    """The report's tested findings with the plan's goals judged together (as
    :func:`report.build.gather` does: the goals adjusted with the report's comparisons and
    these with the goals), and what the goals add to an :class:`Outcome`, with whether the goal
    on the report's own comparison gets the report's verdict."""
    from analysis.goals import family_p_values, goal_statuses

    statuses = goal_statuses(goals, frame, pd.DataFrame(), pd.DataFrame())
    found = [f for f in count_findings(frame, alongside=family_p_values(statuses)) if f.tested]
    called = [s.q_value is not None and s.q_value < 0.05 for s in statuses]
    report = next((f for f in found if f.topic == TOTAL_MEASURE and f.kind == "avg3"), None)
    return found, {"goals_tested": sum(s.p_value is not None for s in statuses),
                   "goals_called": sum(called),
                   "goals_disagreeing": int(report is not None
                                            and statuses[-1].p_value is not None
                                            and called[-1] != report.significant)}


def run(setting: Setting, reports: int, seed: int, goals: bool = False) -> Outcome:
    """``reports`` simulated regions under ``setting``, each judged as one report (with
    ``goals``: and the plan's goals of :func:`plan_goals`, judged with it)."""
    rng = np.random.default_rng(seed)
    totals = dict.fromkeys(Outcome.__dataclass_fields__, 0)
    topic = "U18-forhold i alt" if setting.rise_in == TOTAL else setting.rise_in
    planned = plan_goals(setting) if goals else []
    for _ in range(reports):
        frame = region(rng, setting)
        if planned:
            found, counts = _with_goals(frame, planned)
            for key, value in counts.items():
                totals[key] += value
        else:
            found = [f for f in count_findings(frame) if f.tested]
        totals["tested"] += len(found)
        totals["raw"] += sum(f.p_value < 0.05 for f in found)
        totals["called"] += sum(f.significant for f in found)
        totals["reports"] += 1
        totals["reports_with_any"] += any(f.significant for f in found)
        target = [f for f in found if f.topic == topic and f.kind == "yoy"]
        totals["target_tested"] += len(target)
        totals["target_raw"] += sum(f.p_value < 0.05 and f.size > 0 for f in target)
        totals["target_called"] += sum(f.direction > 0 for f in target)
    return Outcome(**totals)
