"""What an upload would change, worded for the analyst: pure builders from an ingest Outcome
(:func:`etl.dispatch.ingest_any` with ``dry_run=True``) or an IngestError to Dash components."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from analysis import format as fmt
from etl.totals import describe
from etl.uploads import UNCHANGED

SHOWN_CHANGES = 60
SHOWN_SLICE_LINES = 8  # more lines than this (a file of many regions): the rest one click away
KIND_LABEL = {
    "u18": "Politiets U18-tall (straffbare forhold, gjerningsperson under 18 år)",
    "population": "Befolkning (SSB tabell 07459)",
    "population_json": "Befolkning (SSB tabell 07459, json-stat)",
    "population_sheet": "Befolkning (SSB tabell 07459, regneark)",
    "fhi": "Indikatorer fra FHI Kommunehelsa (Ungdata/Elevundersøkelsen)",
    "fhi_sheet": "Indikatorer fra FHI Kommunehelsa (Ungdata/Elevundersøkelsen, regneark)",
    "fhi_json": "Indikatorer fra FHI (json)",
    "fhi_wide": "Indikatorer fra FHI Kommunehelsa (statistikkbankens tabell)",
    "fhi_wide_sheet": "Indikatorer fra FHI Kommunehelsa (statistikkbankens tabell, regneark)",
    "survey": "Ungdata-tabell",
    "survey_sheet": "Ungdata-tabell (regneark)",
    "ssb_08487": "Anmeldte lovbrudd (SSB tabell 08487)",
    "goals": "Planens mål (målfil; år = fristene, tall = antall mål)",
}
STATUS_VERB = {"accepted": "Lagret", "unchanged": "Uendret"}
# What a refusal worded for ``slt ingest`` means on the upload page: its option, and the hint.
PAGE_HINTS = (
    ("--force", "På denne siden: kryss av for «Tillat å erstatte et helt år med et delår» for "
                "å gjøre det med vilje."),
    ("--region", "På denne siden: velg regionen under «Region (bare hvis filen ikke sier det "
                 "selv)»; filen sjekkes igjen med en gang."),
)


def with_page_hints(lines: list[str]) -> list[str]:
    """A refusal's lines, and how to do on this page what they say with an option."""
    return lines + [hint for option, hint in PAGE_HINTS if any(option in line for line in lines)]


def _date(value) -> str | None:
    return None if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d.%m.%Y}"


def _count(value, unit: str = "count") -> str:
    """A count as a whole number, a survey share as a percent with one decimal, any other
    indicator with its unit (``1 234,5 per 100 000``)."""
    if value is None or pd.isna(value):
        return "skjult"
    if unit == "percent":
        return fmt.percent(value)
    return fmt.number(value) if unit == "count" else f"{fmt.number(value, 1)} {unit}"


def _years(years) -> str:
    return ", ".join(str(y) for y in years) if years else "–"


def _regions(names: list[str]) -> str:
    """Every region of a file of a few; how many and the first three of a file of many."""
    if len(names) <= SHOWN_SLICE_LINES:
        return ", ".join(names) or "–"
    return (f"{fmt.number(len(names))} regioner: {', '.join(names[:3])} og "
            f"{fmt.number(len(names) - 3)} til")


def summary(outcome, file_name: str, kind: str | None) -> list:
    """File, content, regions, years and number of figures, as a definition list."""
    rows = [("Fil", file_name), ("Innhold", KIND_LABEL.get(kind or "", "–")),
            ("Regioner", _regions(outcome.regions)), ("År", _years(outcome.years)),
            ("Antall tall som lagres", fmt.number(outcome.rows))]
    return [html.Dl([part for label, value in rows
                     for part in (html.Dt(label, className="col-sm-3"),
                                  html.Dd(value, className="col-sm-9"))],
                    className="row mb-0", id="upload-summary")]


def _slice_lines(slices: list[dict]) -> list:
    """New years, replaced years and partial → full, per region."""
    lines = []
    for status, label in (("new", "Nye år"), ("changed", "Erstattes")):
        by_region: dict[str, list[int]] = {}
        for s in slices:
            if s["status"] == status:
                by_region.setdefault(s["region"], []).append(s["year"])
        lines += [html.Li(f"{label}: {region} {_years(years)}", className=f"upload-{status}")
                  for region, years in by_region.items()]
    for s in slices:
        old, new = _date(s.get("old_counted_through")), _date(s.get("counted_through"))
        if s["status"] == "new" and new:
            lines.append(html.Li(f"{s['region']} {s['year']} er et delår, talt til {new}",
                                 className="upload-partial"))
        if s["status"] == "changed" and old != new:
            before = f"delår til {old}" if old else "helt år"
            after = f"delår til {new}" if new else "helt år"
            lines.append(html.Li(f"{s['region']} {s['year']} går fra {before} til {after}",
                                 className="upload-partial-to-full fw-semibold"))
    return lines


def slice_list(lines: list):
    """The first :data:`SHOWN_SLICE_LINES` lines, and the rest behind «Vis alle»."""
    if not lines:
        return None
    shown = html.Ul(lines[:SHOWN_SLICE_LINES], className="mt-3 mb-0", id="upload-slices")
    rest = lines[SHOWN_SLICE_LINES:]
    if not rest:
        return shown
    return html.Div([shown, html.Details(
        [html.Summary(f"Vis alle {fmt.number(len(lines))} linjer "
                      f"({fmt.number(len(rest))} til)", className="small"),
         html.Ul(rest, className="mb-0", id="upload-slices-rest")], id="upload-slices-more")])


def changes_table(changes: list[dict], changed: int) -> list:
    """Changed figures, old → new (the first :data:`SHOWN_CHANGES` of ``changed``)."""
    if not changes:
        return []
    head = html.Thead(html.Tr([html.Th("Region"), html.Th("År/periode"), html.Th("Tall"),
                               html.Th("Før", className="text-end"),
                               html.Th("Nå", className="text-end")]))
    body = html.Tbody([html.Tr([
        html.Td(c["region"]), html.Td(str(c["year"])),
        html.Td(c.get("what") or describe(c["crime_type"], c["age"], c["gender"])),
        html.Td(_count(c["old"], c.get("unit", "count")), className="text-end"),
        html.Td(_count(c["new"], c.get("unit", "count")), className="text-end")])
        for c in changes[:SHOWN_CHANGES]])
    more = changed - min(len(changes), SHOWN_CHANGES)
    return [html.H3("Endrede tall (før → nå)", className="h6 mt-3"),
            dbc.Table([head, body], size="sm", striped=True, className="mb-1",
                      id="upload-changes"),
            html.P(f"… og {fmt.number(more)} endrede tall til" if more > 0 else "",
                   className="small text-muted")]


def preview(outcome, file_name: str, kind: str | None) -> dbc.Card:
    """The preview of a file that passed every check."""
    if outcome.status == "unchanged":
        notes = outcome.message.removeprefix(UNCHANGED).removeprefix("; ")
        verdict = dbc.Alert(["Alle tallene i filen er allerede lagret. Å publisere endrer "
                             "ingenting.", *([" Merk: ", html.Strong(notes)] if notes else [])],
                            color="secondary", id="upload-verdict")
    else:
        verdict = dbc.Alert(["Filen er kontrollert og kan publiseres. ",
                             html.Strong(outcome.message)], color="info", id="upload-verdict")
    return dbc.Card(dbc.CardBody([
        html.H2("Forhåndsvisning", className="h5"), verdict, *summary(outcome, file_name, kind),
        slice_list(_slice_lines(outcome.slices)),
        *changes_table(outcome.changes, outcome.changed),
    ]), className="mb-3 shadow-sm", id="upload-preview-card")


def refusal(lines: list[str], title: str = "Filen kan ikke lagres") -> dbc.Alert:
    """Every problem found, one per line, as the engine words them (file, sheet, cell)."""
    return dbc.Alert([html.H2(title, className="h5"),
                      html.Ul([html.Li(line) for line in lines], className="mb-0",
                              id="upload-problems")],
                     color="danger", id="upload-refusal")


# What to do with a file over the limit.  Not «send it as CSV»: the file may be one, and a
# workbook saved as CSV grows (xlsx is compressed).
SPLIT_IT = ("Del den opp, for eksempel ett år eller én region per fil, og last opp delene hver "
            "for seg.")


def too_large(size: int, limit: int) -> str:
    mb = 1024 * 1024
    return (f"Filen er {fmt.number(size / mb, 1)} MB, men grensen er "
            f"{fmt.number(limit / mb, 1)} MB. {SPLIT_IT}")


def published(outcome, file_name: str, new: list[tuple[str, str]] = ()) -> dbc.Alert:
    """What was stored; ``new`` = (id, label) of indicators the file brought that are not
    catalogued yet, each linked to its entry on the Indikatorkatalog page."""
    verb = STATUS_VERB.get(outcome.status, outcome.status)
    number = f" (opplasting {outcome.upload_id})" if outcome.upload_id is not None else ""
    entries = [html.Div([
        "Fullfør katalogoppføringen for: ",
        *[part for i, (indicator, label) in enumerate(new) for part in (
            [" · "] if i else []) + [dcc.Link(label, href=f"/katalog?indikator={indicator}")]],
    ], className="mt-2", id="upload-new-indicators")] if new else []
    return dbc.Alert([html.Strong(f"{verb}: {file_name}{number}. "), outcome.message, " ",
                      dcc.Link("Se Oversikt", href="/"), " · ",
                      dcc.Link("Historikk", href="/historikk"), *entries],
                     color="success", id="upload-published")
