"""Which kommuner a region group sums, and when that last changed: shown under the region
choice of every page, since a group's figures (sums, population, rates per 1 000) follow its
members.  A pure builder: the page's callback reads :func:`dashboard.queries.group_members` and
:func:`dashboard.queries.group_changes`."""

from __future__ import annotations

import pandas as pd
from dash import html

from analysis import format as fmt

SEEDED = "fra data/reference/region_groups.csv og ikke endret i databasen"


def since(changes: pd.DataFrame | None) -> str:
    current = None if changes is None else changes[changes["current"].astype(bool)]
    if current is None or current.empty:
        return f"Medlemmene er {SEEDED}."
    row = current.iloc[0]
    by = f" av {row['uploaded_by']}" if isinstance(row["uploaded_by"], str) else ""
    return (f"Medlemmene ble sist endret {fmt.date_time(row['uploaded_at'])}{by} "
            f"(opplasting {int(row['upload_id'])}).")


def _change_line(row) -> html.Li:
    undone = "" if pd.isna(row["rolled_back_at"]) else \
        f" – angret {fmt.date_time(row['rolled_back_at'])}"
    by = f" ({row['uploaded_by']})" if isinstance(row["uploaded_by"], str) else ""
    return html.Li(f"{fmt.date_time(row['uploaded_at'])}{by}, opplasting "
                   f"{int(row['upload_id'])}: {row['message']}{undone}")


def membership(region: str, members: list[str], changes: pd.DataFrame | None) -> list:
    """The note for a region group (empty for any other region): its kommuner, that its
    figures are their sums, when the membership last changed, and every change."""
    if not members:
        return []
    note = [html.Span(f"{region} er en regiongruppe av {fmt.listing(members)}. Gruppens "
                      "befolkning og tall per 1 000, og summene der gruppen ikke har egne tall, "
                      "bygger på disse kommunene. "),
            html.Span(since(changes), className="group-since")]
    if changes is not None and len(changes):
        note.append(html.Details([
            html.Summary(f"Endringer i gruppen ({len(changes)})"),
            html.Ul([_change_line(row) for _, row in changes.iterrows()], className="mb-0")],
            className="mt-1"))
    return [html.Div(note, id="global-members-text")]
