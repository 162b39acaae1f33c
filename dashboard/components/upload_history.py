"""The upload history as a table (pure builder from :func:`etl.uploads.history` rows)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from analysis import format as fmt

OUTCOME_LABEL = {"accepted": "Lagret", "unchanged": "Uendret", "rejected": "Avvist",
                 "rolled_back": "Angret"}
OUTCOME_COLOUR = {"accepted": "success", "unchanged": "secondary", "rejected": "danger",
                  "rolled_back": "warning"}
SOURCE_LABEL = {"u18": "Politiet U18", "population": "Befolkning", "ungdata": "Ungdata/FHI",
                "ssb_08487": "SSB 08487", "gruppe": "Regiongruppe", "goals": "Planens mål",
                "catalogue": "Indikatorkatalog", "alias": "Navn (slt alias)", "ukjent": "ukjent"}


def _outcome(row: dict) -> list:
    outcome = row["outcome"]
    colour = OUTCOME_COLOUR.get(outcome, "secondary")
    # Dark text on the yellow badge: white on Bootstrap's yellow is 1.6:1.
    badge = dbc.Badge(OUTCOME_LABEL.get(outcome, outcome), color=colour,
                      **({"text_color": "dark"} if colour == "warning" else {}))
    if outcome != "rolled_back":
        return [badge]
    who = f" av {row['rolled_back_by']}" if row.get("rolled_back_by") else ""
    return [badge, html.Div(f"{fmt.date_time(row['rolled_back_at'])}{who}",
                            className="small text-muted")]


def _message(text: str | None) -> html.Div | str:
    lines = (text or "").splitlines()
    if len(lines) <= 1:
        return lines[0] if lines else ""
    return html.Details([html.Summary(f"{lines[0]} (+{len(lines) - 1})"),
                         html.Ul([html.Li(line) for line in lines[1:]], className="small")])


def _action(row: dict):
    if row["outcome"] != "accepted":
        return ""
    return dbc.Button("Angre", id={"type": "hist-undo", "index": int(row["upload_id"])},
                      size="sm", color="danger", outline=True,
                      title=f"Angre opplasting {row['upload_id']}")


def _regions(names: list[str] | None) -> str:
    names = names or []
    if len(names) <= 4:
        return ", ".join(names)
    return f"{', '.join(names[:3])} og {fmt.number(len(names) - 3)} til"


def _years(years: list[int] | None) -> str:
    """``2019–2024`` for consecutive years, else the list."""
    years = sorted(years or [])
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def _row(row: dict) -> html.Tr:
    what = " ".join(filter(None, [_regions(row.get("regions")), _years(row.get("years"))]))
    return html.Tr([
        html.Td(str(row["upload_id"])), html.Td(fmt.date_time(row["uploaded_at"])),
        html.Td(row["uploaded_by"] or "–"),
        html.Td([html.Div(row["file_name"]),
                 html.Div(SOURCE_LABEL.get(row["source"], row["source"] or ""),
                          className="small text-muted")]),
        html.Td(what or "–"),
        html.Td(html.Code(row["sha256"][:12], title=f"sha256: {row['sha256']}")),
        html.Td(_outcome(row)), html.Td(_message(row["message"])), html.Td(_action(row)),
    ], id=f"hist-row-{row['upload_id']}")


def history_table(rows: list[dict]):
    if not rows:
        return html.P("Ingen opplastinger ennå.", className="text-muted")
    head = html.Thead(html.Tr([html.Th(h) for h in (
        "Nr.", "Tidspunkt", "Hvem", "Fil", "Regioner og år", "Sjekksum", "Utfall", "Melding",
        "")]))
    return dbc.Table([head, html.Tbody([_row(r) for r in rows])], size="sm", hover=True,
                     responsive=True, className="align-middle", id="hist-uploads")
