"""Assemble the knowledge-base report for one region and year from the store.

``build_report(db_path, "Grenland")`` reads the store read-only (:mod:`report.data`) and returns
a :class:`report.blocks.Report`: main findings, the two police tables, charts, the findings
sentences, the Ungdata section, sources/definitions/caveats and the data version.  Writers in
:mod:`report.writers` turn it into md, html, docx, pdf or csv.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from analysis.finding import SURVEY, Finding, ranked
from analysis.findings import count_findings, first_pass
from analysis.format import PERCENT, listing, number, p_text, period_label, sort_key
from analysis.goals import SURVEY_FAMILY, family_p_values
from analysis.suppress import Suppression
from analysis.survey import (
    caveat_note,
    figures,
    side_by_side,
    survey_findings,
    survey_pass,
    survey_table,
    value_column,
)
from etl.store import connect_read
from report import charts, texts
from report.blocks import Bullets, Heading, Image, Paragraph, Report, Table
from report.data import ReportData, load_from
from report.goals import (
    goal_section,
    provenance_from,
    region_statuses,
    report_family,
    report_year,
)
from report.tables import age_gender_table, crime_type_table

MAIN_FINDINGS = 6
SURVEY_UNTESTED = 5   # survey figures without respondents: the largest differences, in words
MAX_YEARS = 10


@dataclass(frozen=True)
class Basis:
    """What a report, the Oversikt page and a politiråd briefing are made from: the figures,
    the year, the suppression rule and every finding, so screen and paper always agree."""
    data: ReportData
    year: int
    sup: Suppression
    police: list[Finding]
    survey: list[Finding]
    goals: list = field(default_factory=list)   # analysis.goals.GoalStatus of the region
    goal_source: str = ""                         # which uploads the goals come from

    @property
    def findings(self) -> list[Finding]:
        return ranked(self.police + self.survey)

    @property
    def version(self) -> str:
        return data_version_label(self.data)


def gather(db_path: Path, region: str, year: int | None = None,
           suppress_below: int | None = None, con: duckdb.DuckDBPyConnection | None = None,
           shared: dict | None = None) -> Basis:
    """Read the store once and judge every finding for ``region`` up to ``year``.

    ``con``: an open read-only connection to the store at ``db_path`` (the dashboard keeps one
    per published version); without it one is opened for the reading and judging.  ``shared``:
    what every region reads alike, kept by the caller for that version
    (:func:`report.data.load_from`)."""
    if con is None:
        with connect_read(db_path) as own:
            return _gather(own, region, year, suppress_below, shared)
    return _gather(con, region, year, suppress_below, shared)


def _gather(con: duckdb.DuckDBPyConnection, region: str, year: int | None,
            suppress_below: int | None, shared: dict | None) -> Basis:
    """:func:`gather` through an open connection: the plan's goals are judged in the families
    of the report's comparisons, and the report's comparisons with the goals (one adjustment
    for both, so a goal never calls real what the report calls chance with the same test)."""
    data = load_from(con, region, shared)
    sup = Suppression(suppress_below)
    year = report_year(data, year)
    rows = data.u18[data.u18.year <= year] if not data.u18.empty else None
    # each comparison judged alone once: the goals' families and the report's findings
    police_done = first_pass(rows, year, sup, data.breaks) if rows is not None else []
    survey_done = survey_pass(data.survey, data.national, data.catalogue, year)
    goals = region_statuses(con, data.region, data.u18, year, data.breaks,
                            lambda: report_family(data, year, sup, police_done, survey_done))
    source = provenance_from(con, data.region) if goals else ""
    alongside = family_p_values(goals)
    police = count_findings(rows, year, sup, data.breaks, alongside, police_done) \
        if rows is not None else []
    survey = survey_findings(data.survey, data.national, data.catalogue, year,
                             alongside.get(SURVEY_FAMILY, ()), survey_done)
    return Basis(data, year, sup, police, survey, goals, source)


def main(found: list[Finding], n: int = MAIN_FINDINGS) -> list[Finding]:
    """The first ``n`` findings in priority order, one per subject."""
    seen, out = set(), []
    for finding in ranked(found):
        if finding.topic not in seen:
            seen.add(finding.topic)
            out.append(finding)
    return out[:n]


def _calm(police: list[Finding]) -> list[str]:
    """A first main finding when no police figure changed more than chance."""
    if not any(f.tested for f in police) or any(f.significant for f in police):
        return []
    return ["Ingen av endringene i politiets tall er større enn tallene vanligvis svinger fra "
            "år til år; de største bevegelsene følger."]


def main_findings(found: list[Finding], n: int = MAIN_FINDINGS) -> list[str]:
    """The sentences of :func:`main`; why the figures without a verdict have none is said once,
    after them."""
    chosen = main(found, n)
    note = caveat_note(chosen)
    return [f.bare for f in chosen] + ([note] if note else [])


def data_version_label(data: ReportData) -> str:
    """``opplasting 1, 2 og 4, siste lastet inn 23.11.2026`` — which figures these are."""
    ids = [str(i) for i in data.uploads.upload_id]
    if not ids:
        return "ingen opplastinger"
    listed = listing(ids)
    last = data.uploads.uploaded_at.max()
    word = "opplasting" if len(ids) == 1 else "opplastinger"
    return f"{word} {listed}, siste lastet inn {last:%d.%m.%Y}"


def command_line(region: str, year: int, sup: Suppression) -> str:
    line = f'slt report --region "{region}" --year {year}'
    return line + (f" --suppress-below {sup.threshold}" if sup.active else "")


def police_years(data: ReportData, year: int) -> list[int]:
    return [y for y in data.spans if y <= year][-MAX_YEARS:]


def _finding_lists(found: list[Finding]) -> list:
    """One short paragraph per theme: every sentence about the total; of the crime types and
    girls/boys the real changes as sentences and the rest named in one sentence."""
    blocks: list = []
    for title, family in (("Totalt", "total"), ("Krimtyper", "crime_type"),
                          ("Jenter og gutter", "gender")):
        mine = ranked(f for f in found if f.family == family)
        if not mine:
            continue
        if family == "total":
            text = " ".join(f.sentence for f in mine)
        else:
            real = [f.sentence for f in mine if f.significant]
            rest = [f for f in mine if f.tested and not f.significant]
            text = " ".join(real + ([_rest_sentence(rest, bool(real))] if rest else []))
            # why they have no verdict: hidden small counts, or a break (its own sentence)
            for caveat in sorted({f.caveat for f in mine if not f.tested}):
                names = _names({f.ref for f in mine if not f.tested and f.caveat == caveat})
                why = caveat or "for få tilfeller til å vurdere endringen."
                text += f" {names[0].upper()}{names[1:]}: {why}"
        blocks += [Heading(title, 4), Paragraph(text.strip())]
    return blocks


def _names(refs) -> str:
    names = sorted({r.lower() if r in ("Jenter", "Gutter") else r for r in refs}, key=sort_key)
    if len(names) > 8:
        return ", ".join(names[:6]) + f" og {len(names) - 6} til"
    return listing(names)


def _rest_sentence(rest: list[Finding], any_real: bool) -> str:
    lead = "De øvrige endringene" if any_real else "Endringene"
    return f"{lead} for {_names(f.ref for f in rest)} er innenfor tilfeldig variasjon."


def _not_given_note(data: ReportData, years: list[int]) -> list:
    missing = {y: names for y, names in data.missing.items() if y in years}
    if not missing:
        return []
    parts = [f"fordeling på {listing(names)} for {y}" for y, names in sorted(missing.items())]
    return [Paragraph(f"Kilden har ikke oppgitt {listing(parts)}. Disse tallene står som "
                      f"«ikke oppgitt» i tabellene (ikke null) og er ikke sammenlignet.", "note")]


def police_section(data: ReportData, year: int, sup: Suppression, with_charts: bool,
                   found: list[Finding]) -> list:
    if data.u18.empty:
        text = f"Databasen har ingen politi-tall (U18-forhold) for {data.region}."
        if data.police_parents:
            text += (f" {data.region} er med i {listing(data.police_parents)}, som har egne tall: "
                     f"se rapporten for {data.police_parents[0]}.")
        return [Heading("Registrerte U18-forhold", 2), Paragraph(text)]
    years = police_years(data, year)
    spans = data.spans
    label = f"{years[0]}–{period_label(years[-1], spans.get(years[-1]))}"
    blocks = [Heading(f"Registrerte U18-forhold {label}", 2),
              Paragraph(texts.police_intro(data.region)),
              *([Paragraph(texts.summed_note(data.region), "note")] if data.summed else []),
              crime_type_table(data.u18, data.region, years, sup, data.missing, data.spans),
              Paragraph(texts.AGE_INTRO),
              age_gender_table(data.u18, data.region, years, sup, data.missing, data.spans),
              *_not_given_note(data, years)]
    if with_charts:
        blocks += chart_blocks(data, years, sup)
    blocks.append(Heading("Utvikling", 3))
    return blocks + _finding_lists(found)


def chart_figures(data: ReportData, years: list[int], sup: Suppression) -> list[tuple]:
    """(figure dict, alt text, caption) of the report's charts, numbered as in the report."""
    built = [charts.total_chart(data.u18, data.region, years, sup, data.spans, data.breaks),
             charts.crime_type_chart(data.u18, data.region, years, sup, data.missing,
                                     data.spans, data.breaks)]
    return [(fig, alt, f"Figur {i}: {fig['layout']['title']['text']}")
            for i, (fig, alt) in enumerate([b for b in built if b is not None], start=1)]


def chart_blocks(data: ReportData, years: list[int], sup: Suppression) -> list[Image]:
    figures = chart_figures(data, years, sup)
    pngs = charts.render([fig for fig, _alt, _caption in figures])
    return [Image(f"figur{i}", png, alt, caption)
            for i, ((_fig, alt, caption), png) in enumerate(zip(figures, pngs), start=1)]


def survey_section(data: ReportData, year: int, found: list[Finding]) -> list:
    blocks: list = [Heading("Ungdata og andre spørreundersøkelser", 2)]
    rows = survey_table(data.survey, data.national, data.catalogue, year)
    if not rows:
        return blocks + [Paragraph(f"Databasen har ingen Ungdata-tall for {data.region}.")]
    units = set(figures(data.survey).unit.dropna())
    # a kommune's rates (hospital injuries, prescriptions …) are not Ungdata's
    source = "Ungdata" if units <= {PERCENT} else "Ungdata og andre indikatorer"
    if len(data.survey_regions) > 1:
        header, rows = side_by_side(data.survey, data.national, data.catalogue,
                                    data.survey_regions, year)
        blocks += [Paragraph(texts.members_note(data.region, data.survey_regions)),
                   Table("ungdata", f"{source} – kommunene i {data.region} og landet", header,
                         rows, rows, texts.side_by_side_note(units))]
    else:
        if data.survey_regions != [data.region]:
            blocks.append(Paragraph(texts.members_note(data.region, data.survey_regions)))
        blocks.append(Table("ungdata", f"{source} – {data.region} mot landet",
                            ["Kommune", "Indikator", "Trinn", "Periode",
                             value_column(data.survey), "Hele landet", "Forrige måling"],
                            rows, rows, texts.survey_note(units)))
    return blocks + survey_findings_blocks(found)


def survey_findings_blocks(found: list[Finding]) -> list:
    """The real differences as sentences, how many are within chance, and the largest figures
    without a verdict in words, with why they have none said once."""
    blocks: list = []
    real = [f.sentence for f in ranked(found) if f.significant]
    untested = [f.bare for f in ranked(found) if not f.tested][:SURVEY_UNTESTED]
    chance = [f for f in found if f.tested and not f.significant]
    if real or chance or untested:
        blocks.append(Heading("Funn", 3))
    if real:
        blocks.append(Bullets(real))
    if chance:
        blocks.append(Paragraph(f"{len(chance)} andre sammenligninger er innenfor tilfeldig "
                                f"variasjon; se vedlegget."))
    if untested:
        more = sum(1 for f in found if not f.tested) - len(untested)
        blocks += [Bullets(untested),
                   Paragraph(caveat_note(found)
                             + (f" {more} mindre forskjeller står i tabellen." if more else ""),
                             "note")]
    return blocks


def p_value_text(value: float) -> str:
    """``0,04``, ``0,004``, ``< 0,001``: a p-value in a column headed p."""
    return p_text(value).replace("p\u00a0=\u00a0", "").replace("p\u00a0", "")


def appendix(found: list[Finding]) -> list:
    """Every comparison behind the text: what, the figures, p, adjusted p, dispersion, the
    verdict and the series it is based on (offences, or offenders where the source gives
    them)."""
    rows = [[f.topic, f.compared, f.figures,
             "–" if f.p_value is None else p_value_text(f.p_value),
             "–" if f.q_value is None else p_value_text(f.q_value),
             number(f.phi, 1) if f.family not in SURVEY else "–", f.verdict,
             f.basis_text if f.tested else "–"]
            for f in ranked(found)]
    if not rows:
        return []
    return [Heading("Vedlegg: alle sammenligninger", 2),
            Paragraph(texts.APPENDIX_INTRO),
            Table("sammenligninger", "Alle sammenligninger i rapporten",
                  ["Tema", "Sammenligning", "Tall", "p", "Justert p", "Spredning (φ)",
                   "Vurdering", "Vurdert på"], rows, rows)]


def version_section(data: ReportData, command: str) -> list:
    rows = [[str(r.upload_id), r.file_name, f"{r.uploaded_at:%d.%m.%Y %H:%M}", r.source or "",
             r.sha256[:12]] for r in data.uploads.itertuples(index=False)]
    return [Heading("Dataversjon", 2), Paragraph(texts.VERSION_INTRO),
            Table("dataversjon", "Opplastinger tallene i rapporten kommer fra",
                  ["Opplasting", "Fil", "Lastet opp", "Kilde", "SHA-256 (start)"], rows, rows),
            Paragraph(f"Laget {dt.datetime.now():%d.%m.%Y kl. %H:%M} med kommandoen: {command}",
                      "note")]


def build_report(db_path: Path, region: str, year: int | None = None,
                 suppress_below: int | None = None, with_charts: bool = True) -> Report:
    """The whole report for ``region`` up to ``year`` (default: the latest year in the data)."""
    return report_from(gather(db_path, region, year, suppress_below), with_charts)


def report_from(basis: Basis, with_charts: bool = True) -> Report:
    data, year, sup = basis.data, basis.year, basis.sup
    police, survey = basis.police, basis.survey
    command = command_line(data.region, year, sup)
    calm = _calm(police)
    report = Report(f"Barne- og ungdomskriminalitet i {data.region} – utvikling og utfordringer",
                    data.region, year, command=command, version=basis.version)
    report.add(Heading(report.title, 1), Paragraph(texts.lead(data.region, year)),
               *([Paragraph(texts.group_note(data.region, data.group["members"],
                                             data.group["since"]))] if data.group else []),
               Heading("Hovedfunn", 2),
               Bullets(calm + main_findings(police + survey, MAIN_FINDINGS - len(calm))
                       or ["Ingen funn: databasen mangler tall for regionen."]))
    report.add(*police_section(data, year, sup, with_charts, police))
    report.add(*survey_section(data, year, survey))
    report.add(*goal_section(basis.goals, data.region, sup, basis.goal_source))
    report.add(*appendix(police + survey))
    report.add(*texts.sources_section(sup), *version_section(data, command))
    return report
