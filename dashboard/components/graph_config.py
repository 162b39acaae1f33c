"""The plotly.js ``config`` of every chart with a tool bar: one button, «Last ned figuren som
PNG», in Norwegian, saving the file under the chart's own name.

plotly.js 4 shows a «Share chart» button by default (``showSendToCloud``) that uploads the
figure, the police figures included, to Plotly Cloud; and ``locale: "no"`` does nothing unless
plotly's Norwegian locale bundle is loaded on the page, which Dash does not do.  So the tool bar
is given its buttons explicitly (``modeBarButtons``) and the Norwegian texts travel with the
config (``locales``).
"""

from __future__ import annotations

import re

# The texts plotly.js shows for the download button and its notices, and the date and number
# format of hover labels and axes (bokmål).
NB_LOCALE = {
    "dictionary": {
        "Download plot as a PNG": "Last ned figuren som PNG",
        "Download plot": "Last ned figuren",
        "Preparing image - this may take a few seconds": "Lager bildet – det kan ta noen sekunder",
        "Taking snapshot - this may take a few seconds": "Lager bildet – det kan ta noen sekunder",
        "Image download succeeded": "Bildet er lastet ned",
        "Snapshot succeeded": "Bildet er lastet ned",
        "Sorry, there was a problem downloading your image!":
            "Beklager, bildet kunne ikke lastes ned.",
        "Sorry, there was a problem downloading your snapshot!":
            "Beklager, bildet kunne ikke lastes ned.",
        "Double-click to zoom back out": "Dobbeltklikk for å vise alt igjen",
        "trace": "serie",
    },
    "format": {
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        "months": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
                   "september", "oktober", "november", "desember"],
        "shortMonths": ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt",
                        "nov", "des"],
        "date": "%d.%m.%Y",
        "decimal": ",",
        "thousands": "\u00a0",
    },
}

DEFAULT_NAME = "slt-figur"


def png_name(filename: str) -> str:
    """The PNG's name (without extension, plotly adds it) from the chart's CSV name:
    ``u18_totalt_Grenland.csv`` → ``u18_totalt_Grenland``."""
    stem = re.sub(r"\.csv$", "", filename or "").strip()
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "_", stem).strip("_")
    return stem or DEFAULT_NAME


def graph_config(filename: str = DEFAULT_NAME) -> dict:
    """The ``config`` of a ``dcc.Graph`` whose PNG is saved as ``filename`` (+ ``.png``)."""
    return {"displaylogo": False, "showSendToCloud": False, "showEditInChartStudio": False,
            "plotlyServerURL": "", "showLink": False, "sendData": False,
            "modeBarButtons": [["toImage"]], "scrollZoom": False,
            "locale": "nb", "locales": {"nb": NB_LOCALE},
            "toImageButtonOptions": {"format": "png", "scale": 2,
                                     "filename": png_name(filename)}}
