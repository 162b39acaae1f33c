"""Calibration study of «reell økning/nedgang»: how often the findings engine calls an unchanged
year real, and how often it finds a real rise, when offences cluster by offender.

Run: ``.venv/bin/python bench/bench_calibration.py [--reports 400] [--seed 1]``.  Simulates
regions with :mod:`bench.calibration` (Poisson offenders, geometric offences per offender with
mean 1, 2 or 3; 20 to 200 offenders a year; 5 or 10 years of history) and judges each one as a
report does (:func:`analysis.findings.count_findings`).  Prints Markdown tables:

* null (nothing changes): the share of comparisons with p < 0,05 before the adjustment for many
  comparisons (aim: at most 5-6 %), the share called «reell» after it, and the share of reports
  with at least one change called real;
* power: the share of rises of the total by 50 % and 100 % in the last year called a real rise
  (aim: at least 80 % for a doubling at 50 offenders a year), and of one crime type tripled;
* offenders: the same when the table also gives the number of offenders per cell, so that
  verdicts are based on them (``--only offenders`` prints just this table).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.calibration import Setting, run  # noqa: E402

MEANS = (1, 2, 3)
OFFENDERS = (20, 50, 100, 200)
YEARS = (5, 10)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def null_table(reports: int, seed: int) -> list[str]:
    lines = ["| offences per offender | offenders a year | years | comparisons | p < 0,05 "
             "(unadjusted) | called «reell» | reports with any |",
             "|---|---|---|---|---|---|---|"]
    for i, (m, n, t) in enumerate((m, n, t) for m in MEANS for n in OFFENDERS for t in YEARS):
        o = run(Setting(n, m, t), reports, seed + i)
        lines.append(f"| {m} | {n} | {t} | {o.tested} | {percent(o.raw, o.tested)} | "
                     f"{percent(o.called, o.tested)} | {percent(o.reports_with_any, o.reports)} |")
    return lines


def power_table(reports: int, seed: int) -> list[str]:
    lines = ["| offences per offender | offenders a year | rise | of | p < 0,05 (unadjusted) | "
             "called a real rise |", "|---|---|---|---|---|---|"]
    settings = [Setting(n, m, 5, rise) for m in MEANS for n in OFFENDERS for rise in (1.5, 2.0)]
    settings += [Setting(100, m, 5, 3.0, "Vinning") for m in MEANS]
    for i, s in enumerate(settings):
        o = run(s, reports, seed + 1000 + i)
        lines.append(f"| {s.per_offender} | {s.offenders} | ×{s.rise:g} | {s.rise_in} | "
                     f"{percent(o.target_raw, o.target_tested)} | "
                     f"{percent(o.target_called, o.target_tested)} |")
    return lines


def offenders_table(reports: int, seed: int) -> list[str]:
    lines = ["| offences per offender | offenders a year | null: p < 0,05 (unadjusted) | "
             "null: called «reell» | ×2: called a real rise |", "|---|---|---|---|---|"]
    for i, (m, n) in enumerate((m, n) for m in MEANS for n in (20, 50, 200)):
        null = run(Setting(n, m, 5, offenders_given=True), reports, seed + 2000 + i)
        rise = run(Setting(n, m, 5, 2.0, offenders_given=True), reports, seed + 3000 + i)
        lines.append(f"| {m} | {n} | {percent(null.raw, null.tested)} | "
                     f"{percent(null.called, null.tested)} | "
                     f"{percent(rise.target_called, rise.target_tested)} |")
    return lines


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=400, help="simulated reports per setting")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["offenders"], help="print only this table")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    offenders = [
        "Offenders given: the table also gives the number of offenders per cell, and verdicts "
        "are based on them (5 years of history).", "",
        *offenders_table(args.reports, args.seed), ""]
    if args.only == "offenders":
        text = "\n".join([f"### Calibration on offenders ({args.reports} simulated reports per "
                          f"setting, seed {args.seed})", "", *offenders,
                          f"({time.perf_counter() - started:.0f} s)"])
        print(text)
        return text
    text = "\n".join([
        f"### Calibration ({args.reports} simulated reports per setting, seed {args.seed})", "",
        "Null: nothing changes between years.", "", *null_table(args.reports, args.seed), "",
        "Power: the last year rises (the total: every offender group; «Vinning»: one crime "
        "type's offenders only, 5 years of history).", "",
        *power_table(args.reports, args.seed), "", *offenders,
        f"({time.perf_counter() - started:.0f} s)"])
    print(text)
    return text


if __name__ == "__main__":
    main()
