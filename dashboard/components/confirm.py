"""The «are you sure?» dialog before deleting something an analyst owns (a goal, a group)."""

from __future__ import annotations

import dash_bootstrap_components as dbc


def confirm_modal(prefix: str, title: str, yes: str = "Ja, slett") -> dbc.Modal:
    """A closed dialog ``{prefix}-confirm`` named by its title (``{prefix}-confirm-title``),
    with its text in ``{prefix}-confirm-text`` and the buttons ``{prefix}-confirm-yes``
    (``yes``) and ``{prefix}-confirm-no`` («Nei»).

    dbc's close button (×) is named «Close» in English and cannot be renamed; «Nei» and Esc
    close the dialog, so it is left out."""
    return dbc.Modal([
        dbc.ModalHeader(dbc.ModalTitle(title, id=f"{prefix}-confirm-title"), close_button=False),
        dbc.ModalBody(id=f"{prefix}-confirm-text"),
        dbc.ModalFooter([dbc.Button(yes, id=f"{prefix}-confirm-yes", color="danger"),
                         dbc.Button("Nei", id=f"{prefix}-confirm-no", color="secondary",
                                    outline=True)]),
    ], id=f"{prefix}-confirm", is_open=False, labelledby=f"{prefix}-confirm-title")
