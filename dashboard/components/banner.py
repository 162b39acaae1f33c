"""A warning across the top of every page when the database holds synthetic figures.

``bench/make_national.py`` writes ``meta.synthetic = true`` into the national-size test
database; nobody should mistake those invented figures for real offences, on screen or in a
screenshot.  Unlike the pure builders in this package, :func:`data_banner` asks
:func:`dashboard.queries.is_synthetic` when it is not told (cached per published version).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

BANNER_ID = "data-banner"
HEADLINE = "Syntetiske tall – kun for testing, ikke virkelige lovbrudd"
DETAIL = ("Databasen er laget av et testprogram (bench/make_national.py). Tallene er oppdiktet "
          "og må ikke brukes i kunnskapsgrunnlag, rapporter eller presentasjoner.")


def data_banner(synthetic: bool | None = None) -> dbc.Alert | None:
    """The warning when the store is synthetic, else None.

    ``synthetic`` None: ask the store (through :mod:`dashboard.queries`).
    """
    if synthetic is None:
        from dashboard import queries

        synthetic = queries.is_synthetic()
    if not synthetic:
        return None
    return dbc.Alert([html.Strong(HEADLINE), html.Span(" " + DETAIL)], id=BANNER_ID,
                     color="warning", className="data-banner mb-2",
                     dismissable=False)
