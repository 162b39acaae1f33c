"""Which measure a goal names: a police series or a survey indicator, as the app labels them.

``Vinning``, ``U18-forhold i alt``, ``Jenter``, ``15 år``, ``Forhold begått av 15-åringer``, an
indicator's label or id; `` per 1 000`` (or the ``enhet`` column) for the rate per 1 000 aged
10-17.  Spellings come from ``etl/vocab`` (crime types, ages, genders, totals, indicators, goal
values).  Pure; raises ValueError with a Norwegian message.
"""

from __future__ import annotations

import difflib
import re

from etl.indicators import indicator_lookup
from etl.knowledge import indicator_catalogue
from etl.readers.stat_text import alias_rows
from etl.vocab import AGES, GENDERS, TOTAL, label_key, load_vocab

TOTAL_NAMES = ("u18-forhold i alt", "u18-forhold", "forhold i alt", "i alt", "totalt",
               "alle forhold", "u18 i alt")
UNIT_LABEL = {"count": "antall forhold", "per_1000": "per 1 000 unge 10–17 år",
              "percent": "prosent"}
RATE_SUFFIX = " per 1 000 unge 10–17 år"
_PER_1000 = re.compile(r"[\s,(]*per\s*1[\s.\u00a0]?000\b.*$", re.IGNORECASE)
_AGE_WORD = re.compile(r"^(\d{1,2})[\s-]*(?:år|åringer|åring)$", re.IGNORECASE)


def values(dimension: str) -> dict[str, str]:
    """label_key of an alias → canonical value, for one dimension of goal_values.csv."""
    return {label_key(alias): canonical
            for dim, alias, canonical in alias_rows("goal_values.csv") if dim == dimension}


def measure(text: str, unit_text: str) -> tuple[dict, str, str]:
    """(fields, the app's label, unit) of the measure named ``text``."""
    if not text:
        raise ValueError("tom (forventet f.eks. «Vinning», «U18-forhold i alt» eller en "
                         "Ungdata-indikator)")
    unit = None
    if unit_text:
        unit = values("unit").get(label_key(unit_text))
        if unit is None:
            raise ValueError(f"ukjent enhet «{unit_text}» (forventet antall, per 1 000 "
                             "eller prosent)")
    name = text
    if _PER_1000.search(text):
        name, unit = _PER_1000.sub("", text).strip(), "per_1000"
    fields, label = _police(name) or _survey(name) or (None, None)
    if fields is None:
        raise ValueError(f"ukjent mål «{text}»{_suggestion(name)}; forventet U18-forhold i alt, "
                         "en krimtype (Vold, Vinning …), jenter eller gutter, en alder "
                         "(«15 år») eller en Ungdata-indikator (navn eller id)")
    if fields["source"] == "survey":
        if unit not in (None, "percent"):
            raise ValueError(f"«{label}» er en Ungdata-indikator og måles i prosent, ikke "
                             f"{UNIT_LABEL[unit]}")
        return fields, label, "percent"
    unit = unit or "count"
    if unit == "percent":
        raise ValueError(f"«{label}» er politiets tall og måles i antall eller per 1 000, "
                         "ikke prosent")
    if unit == "per_1000":
        if fields["age"] != TOTAL:
            raise ValueError("per 1 000 finnes for U18-forhold i alt, krimtyper og kjønn, "
                             "ikke for én alder")
        label += RATE_SUFFIX
    return fields, label, unit


def _police(name: str) -> tuple[dict, str] | None:
    vocab = load_vocab()
    key = label_key(name)
    key = key.removeprefix("forhold begått av ").strip()
    base = {"source": "u18", "crime_type": TOTAL, "age": TOTAL, "gender": TOTAL}
    if key in TOTAL_NAMES or key in vocab.totals:
        return base, "U18-forhold i alt"
    if (crime := vocab.crime_types.get(key)) is not None:
        return {**base, "crime_type": crime}, crime
    if (gender := vocab.genders.get(key)) in GENDERS:
        return {**base, "gender": gender}, f"Forhold begått av {gender.lower()}"
    age = vocab.ages.get(key)
    if age is None and (match := _AGE_WORD.match(key)):
        age = match[1] if match[1] in AGES else None
    if age is None and key.startswith("barn under 10"):
        age = "<10"
    if age in AGES:
        label = "Forhold begått av barn under 10 år" if age == "<10" else \
            f"Forhold begått av {age}-åringer"
        return {**base, "age": age}, label
    return None


def _survey(name: str) -> tuple[dict, str] | None:
    indicator = indicator_lookup().get(label_key(name))
    if indicator is None:
        return None
    labels = {row[0]: row[1] for row in indicator_catalogue()}
    return {"source": "survey", "indicator": indicator}, labels[indicator]


def _suggestion(name: str) -> str:
    vocab = load_vocab()
    known = sorted({*vocab.crime_types.values(), "U18-forhold i alt", "Jenter", "Gutter",
                    *(row[1] for row in indicator_catalogue())})
    close = difflib.get_close_matches(name, known, n=2, cutoff=0.6)
    return f" (mente du {' eller '.join(f'«{c}»' for c in close)}?)" if close else ""


def measure_id(fields: dict, unit: str, level: str) -> str:
    if fields["source"] == "survey":
        return f"survey|{fields['indicator']}|{label_key(level)}"
    return f"u18|{fields['crime_type']}|{fields['age']}|{fields['gender']}|{unit}"
