"""The «are you sure?» dialog before deleting something an analyst owns (a goal, a group)."""

from __future__ import annotations

import dash_bootstrap_components as dbc


def confirm_modal(prefix: str, title: str) -> dbc.Modal:
    """A closed dialog ``{prefix}-confirm`` with its text in ``{prefix}-confirm-text`` and the
    buttons ``{prefix}-confirm-yes`` («Ja, slett») and ``{prefix}-confirm-no`` («Nei»)."""
    return dbc.Modal([
        dbc.ModalHeader(dbc.ModalTitle(title)),
        dbc.ModalBody(id=f"{prefix}-confirm-text"),
        dbc.ModalFooter([dbc.Button("Ja, slett", id=f"{prefix}-confirm-yes", color="danger"),
                         dbc.Button("Nei", id=f"{prefix}-confirm-no", color="secondary",
                                    outline=True)]),
    ], id=f"{prefix}-confirm", is_open=False)
