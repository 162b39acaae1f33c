"""«Status for planens mål»: the plan's goals for the report's region and how each is going.

:func:`load_statuses` reads the region's goals and the figures they name (read-only, bound
parameters) and judges them with :func:`analysis.goals.goal_statuses`; :func:`goal_section`
turns them into blocks every writer renders (md, html, docx, pdf, csv).  The Oversikt page,
the Mål page and the politiråd slides read the same statuses (through
:class:`report.build.Basis` or :func:`load_statuses`), so they always agree.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from analysis.findings import FirstPass, count_p_values
from analysis.goals import (
    MISSING,
    STATUSES,
    SURVEY_FAMILY,
    GoalStatus,
    fmt_value,
    goal_statuses,
)
from analysis.suppress import Suppression
from analysis.survey import SurveyPass, survey_p_values
from etl.goal_store import stored_goals
from etl.store import connect_read
from report.blocks import Heading, Paragraph, Table
from report.data import ReportData, load_from, region_breaks, region_police

TITLE = "Status for planens mål"
HEADER = ["Plan", "Mål", "Målsetting", "Grunnlag", "Siste tall", "Status", "Begrunnelse"]
INTRO = ("Hvert mål er satt opp mot det siste hele året (eller siste måling) og grunnlaget. "
         "«På vei» og «går feil vei» brukes bare når endringen fra grunnlaget er større enn "
         "tallene vanligvis svinger (samme vurdering som resten av rapporten); ellers står det "
         "«for tidlig å si». Et delår vurderes aldri som et helt år.")
EXAMPLE_NOTE = "Mål merket EKSEMPEL er laget for å vise funksjonen og er ikke vedtatt."


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    try:
        return con.execute(sql, params).df()
    except duckdb.CatalogException:  # a store without population or survey figures yet
        return pd.DataFrame()


def region_statuses(con: duckdb.DuckDBPyConnection, region: str,
                    u18: pd.DataFrame | None = None, year: int | None = None,
                    breaks: tuple | None = None,
                    family: Callable[[], Mapping] | None = None) -> list[GoalStatus]:
    """The statuses of every stored goal of ``region`` (a region name), with the figures up
    to ``year`` (default: all); ``u18`` and ``breaks`` as the report read them, when it did.
    ``family``: gives the raw p-values of the report's comparisons the goals are adjusted with
    (:func:`analysis.goals.goal_statuses`), asked only when the region has goals; default:
    those of the report for ``year`` without suppression (:func:`report_family`)."""
    if not _has_goals(con, region):  # most regions: no need to read the figures
        return []
    if family is None:
        data = load_from(con, region)
        family = functools.partial(report_family, data, report_year(data, year))
    goals = [g for g in stored_goals(con) if g.region == region]
    if u18 is None:  # as the report reads them: its own, else its kommuner's sums
        u18 = region_police(con, region)
    rates = _frame(con, "SELECT year, counted_through, crime_type, gender, offences, "
                        "persons_10_17, per_1000 FROM u18_rates WHERE region = ?", [region])
    survey = _frame(con, "SELECT * FROM ungdata WHERE region = ?", [region])
    if year is not None:
        u18 = u18[u18.year <= year] if not u18.empty else u18
        rates = rates[rates.year <= year] if not rates.empty else rates
        survey = survey[survey.year.isna() | (survey.year <= year)] if not survey.empty \
            else survey
    if breaks is None:
        breaks = region_breaks(con, region)
    return goal_statuses(goals, u18, rates, survey, breaks, family())


def report_family(data: ReportData, year: int, sup: Suppression = Suppression(),
                  police_done: FirstPass | None = None,
                  survey_done: SurveyPass | None = None) -> dict[str, list[float]]:
    """The raw p-values of the comparisons the report for ``year`` makes (with ``sup``), by the
    family they are adjusted in: the plan's goals join these families.  ``police_done`` and
    ``survey_done``: the comparisons judged alone, when the report has made them already."""
    police = data.u18[data.u18.year <= year] if not data.u18.empty else data.u18
    family = count_p_values(police, year, sup, data.breaks, police_done) \
        if not police.empty else {}
    return {**family, SURVEY_FAMILY: survey_p_values(data.survey, data.national, data.catalogue,
                                                     year, survey_done)}


def report_year(data: ReportData, year: int | None) -> int:
    """The year a report on ``data`` is for: ``year``, else the latest police year, else the
    latest survey year."""
    if year is not None:
        return year
    if not data.u18.empty:
        return int(data.u18.year.max())
    dated = data.survey.year.dropna()
    return int(dated.max()) if not dated.empty else dt.date.today().year


def _has_goals(con: duckdb.DuckDBPyConnection, region: str) -> bool:
    try:
        return bool(con.execute("SELECT 1 FROM goals g JOIN regions r USING (region_code) "
                                "WHERE r.name = ? LIMIT 1", [region]).fetchall())
    except duckdb.CatalogException:  # a store made before goals
        return False


def load_statuses(db_path: Path, region: str, u18: pd.DataFrame | None = None,
                  year: int | None = None) -> list[GoalStatus]:
    with connect_read(db_path) as con:
        return region_statuses(con, region, u18, year)


def provenance(db_path: Path, region: str) -> str:
    """Which uploads the region's goals come from: ``opplasting 10 (maal.csv, 30.11.2026)``."""
    with connect_read(db_path) as con:
        return provenance_from(con, region)


def provenance_from(con: duckdb.DuckDBPyConnection, region: str) -> str:
    """:func:`provenance` through an open connection to the store."""
    frame = _frame(con, """SELECT DISTINCT u.upload_id, u.file_name, u.uploaded_at
        FROM goals g JOIN regions r USING (region_code) JOIN uploads u USING (upload_id)
        WHERE r.name = ? ORDER BY 1""", [region])
    if frame.empty:
        return ""
    parts = [f"{r.upload_id} ({r.file_name}, {r.uploaded_at:%d.%m.%Y})"
             for r in frame.itertuples(index=False)]
    word = "opplasting" if len(parts) == 1 else "opplastingene"
    return f"Målene kommer fra {word} {', '.join(parts)}."


def all_statuses(db_path: Path) -> list[GoalStatus]:
    """Every stored goal's status, region by region (the Mål page's «alle regioner»)."""
    with connect_read(db_path) as con:
        regions = sorted({g.region for g in stored_goals(con)})
        return [s for region in regions for s in region_statuses(con, region)]


def baseline_text(status: GoalStatus) -> str:
    if status.baseline is None:
        return status.baseline_label or "–"
    return f"{status.value_text(status.baseline)} ({status.baseline_label})"


def latest_text(status: GoalStatus, sup: Suppression = Suppression()) -> str:
    if status.latest is None:
        return "–"
    if status.goal.unit == "count":
        return f"{sup.count(status.latest.value)} ({status.latest.label})"
    return f"{fmt_value(status.latest.value, status.goal.unit)} ({status.latest.label})"


def hidden(status: GoalStatus, sup: Suppression) -> bool:
    """A count goal whose latest figure or baseline is a small number to be hidden."""
    if status.goal.unit != "count" or not sup.active:
        return False
    values = [status.latest.value if status.latest else None]
    values += [p.value for p in status.points if status.goal.baseline_from is not None
               and status.goal.baseline_from <= p.year <= (status.goal.baseline_to or 0)]
    return sup.any_hidden(*values)


def status_row(status: GoalStatus, sup: Suppression = Suppression()) -> list[str]:
    goal = status.goal
    reason = status.reason
    if hidden(status, sup):
        reason = "For få tilfeller til å vise tallene."
    measure = goal.measure + (f" ({goal.note})" if goal.note else "")
    target = f"{status.target_text} innen {goal.deadline}"
    base = "–" if hidden(status, sup) else baseline_text(status)
    return [goal.plan, measure, target, base, latest_text(status, sup), status.status,
            reason + (f" {status.partial_note}" if status.partial_note else "")]


def goal_section(statuses: list[GoalStatus], region: str,
                 sup: Suppression = Suppression(), source: str = "") -> list:
    blocks: list = [Heading(TITLE, 2)]
    if not statuses:
        return blocks + [Paragraph(f"Ingen mål er lagt inn for {region}. Mål fra handlingsplanen "
                                   "lastes inn som en målfil med «slt ingest» eller legges inn "
                                   "på siden Mål.", "note")]
    counts = {s: sum(1 for x in statuses if x.status == s) for s in STATUSES}
    summary = ", ".join(f"{n} {word}" for word, n in counts.items() if n)
    rows = [status_row(s, sup) for s in statuses]
    blocks += [Paragraph(f"{len(statuses)} mål for {region}: {summary}."), Paragraph(INTRO),
               Table("maal", f"Planens mål – {region}", HEADER, rows, rows,
                     EXAMPLE_NOTE if any("EKSEMPEL" in s.goal.note for s in statuses) else "")]
    if source:
        blocks.append(Paragraph(source, "note"))
    missing = [s for s in statuses if s.status == MISSING]
    if missing:
        blocks.append(Paragraph("Tall som mangler lastes inn med «slt ingest» (politiets "
                                "tabeller, SSB 07459 for befolkning, Ungdata/Kommunehelsa).",
                                "note"))
    return blocks
