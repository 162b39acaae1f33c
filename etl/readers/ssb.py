"""SSB table 08487 (offences reported to the police, all ages, by kommune where committed,
two-year annual averages) → rows ``region, period, year, offence_group, offences, suppressed``.

One reader for every layout, by content (column roles in ``etl/vocab/ssb_08487_columns.csv``):

- the cleaned file in ``data/reference/ssb/`` (``komnr``, ``år``, one column per offence group,
  ``komnr`` without its leading zero, ``NA`` = suppressed by SSB because there were 4 or fewer);
- Statbank's own CSV and XLSX downloads, in Norwegian or English: a title line, a header naming
  the region (``3806 Porsgrunn``, ``K-3806 Porsgrunn``) and the offence group, and the periods
  either as columns (``Anmeldte lovbrudd, årlig gjennomsnitt 2023-2024``) or in a column of their
  own with the statistic variable in the header or a column; in a workbook, a key cell left blank
  under a filled one repeats it (Statbank groups rows that way);
- PxWeb CSV with code and ``_tekst`` columns, and json-stat 1 and 2 (``Region``,
  ``LovbruddKrim``, ``ContentsCode``, ``Tid``).

Only the count (``offences``) is kept; SSB's own rate per 1 000 is not stored (the store computes
it from the population, as SSB does), in any of its spellings (``per 1 000``, ``pr. 1000 innb.``,
``per 1,000 population``: ``etl/vocab/ssb_08487_measures.csv``), and the message says it was left
out; a file of only the rate is refused.  A statistic variable that is neither the count nor the
rate (a share, a change, a rate per 100 000) is refused naming its cell, never stored as a count.
``..`` and ``:`` are suppressed (NULL with a flag, never 0), ``.`` means no figure exists (a
kommune number not in use that period) and stores nothing.  ``year`` is the last year of the
period: SSB divides by the population on 1 January of it.  Regions are resolved by
:mod:`etl.sources`; :func:`combine_numbers` then merges a kommune given under an old and a new
number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from etl.errors import IngestError, Problem
from etl.readers.common import Where
from etl.readers.population import text_columns
from etl.readers.stat_text import (
    TextTable,
    alias_rows,
    column_roles,
    decode,
    join_split_header,
    jsonstat_rows,
    parse_number,
    read_table,
    unknown_problem,
    value_map,
)
from etl.readers.ungdata import period_year
from etl.vocab import label_key

if TYPE_CHECKING:
    import pandas as pd

ALIASES = "ssb_08487_columns.csv"
MEASURES = "ssb_08487_measures.csv"
SYMBOLS = {"NA": "suppressed", ".": "missing", "": "missing"}
COLUMNS = ["region", "period", "year", "offence_group", "offences", "suppressed", "line"]
OFFENCES = "offences"
KEYS = ("region", "period", "group", "measure")
_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*[-–/_]\s*((?:19|20)?\d{2}))?(?!\d)")


def period_label(text: str) -> str | None:
    """``2023-2024``, ``2023–2024``, ``2023/2024``, ``2023-24`` → ``2023-2024``; ``2024`` →
    ``2024``; None when the text names no year."""
    match = _PERIOD.search(text)
    if not match:
        return None
    first, last = match[1], match[2]
    if last is None:
        return first
    return f"{first}-{first[:2] + last if len(last) == 2 else last}"


def measure_of(text: str) -> str | None:
    """``offences`` (the count), ``per_1000`` (SSB's rate) or ``unclear`` (a statistic
    variable that is neither, e.g. a share or a change) for a text naming 08487's statistic
    variable (:data:`MEASURES`); None when it names none."""
    key = label_key(text)
    found = [(m, names) for phrase, m, names in alias_rows(MEASURES)
             if _phrase(label_key(phrase)).search(key)]
    if not any(names == "yes" for _, names in found):
        return None
    return found[0][0]


@lru_cache(maxsize=256)
def _phrase(phrase: str) -> re.Pattern:
    """``phrase`` standing as whole words (``innb`` in «innb.», not in «innbrudd»)."""
    start = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    end = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return re.compile(start + re.escape(phrase) + end)


def unclear_problem(text: str, where: Where) -> Problem:
    return where.problem(f"«{text}» er verken antall anmeldte lovbrudd eller SSBs rate per "
                         "1 000 innbyggere (forventet «Anmeldte lovbrudd, årlig gjennomsnitt»; "
                         "raten per 1 000 innbyggere lagres ikke)")


def group_of(text: str) -> str | None:
    return value_map("offence_group").get(label_key(text))


def column_meaning(header: str) -> dict[str, str] | None:
    """What a value column's header fixes: its period, offence group and/or statistic variable
    (``Anmeldte lovbrudd 2023-2024``, ``eiendomstyveri``, ``2022-2023``); None when the header
    is none of these."""
    meaning = {}
    rest = header
    if (period := period_label(header)) is not None:
        meaning["period"] = period
        rest = _PERIOD.sub(" ", header)
    rest = rest.strip(" ,;:-–()")
    if rest:
        if (group := group_of(rest)) is not None:
            meaning["group"] = group
        elif (measure := measure_of(rest)) is not None:
            meaning["measure"] = measure
        else:
            return None
    return meaning or None


@dataclass
class Layout:
    roles: dict[str, int]  # key role -> column
    texts: dict[int, int]  # code column -> its text column (PxWeb codes and texts)
    values: dict[int, dict[str, str]] = field(default_factory=dict)  # value column -> meaning
    strange: list[str] = field(default_factory=list)


def layout_of(header: list[str]) -> Layout:
    roles, unnamed = column_roles(header, ALIASES)
    paired = text_columns(header)  # text column -> code column
    texts = {code: text for text, code in paired.items()}
    layout = Layout({r: i for r, i in roles.items() if r not in ("value", "ignore")}, texts)
    if "value" in roles:
        layout.values[roles["value"]] = {}
    for i in unnamed:
        if i in paired or not header[i].strip():
            continue
        if (meaning := column_meaning(header[i])) is None:
            layout.strange.append(header[i])
        else:
            layout.values[i] = meaning
    return layout


def is_08487_header(cells: list[str]) -> bool:
    """A header of table 08487 in any of its layouts: a region, an offence group and a period
    (each a column or in the value columns' headers), every column understood, and something
    only 08487 has (the statistic variable, two-year periods or the cleaned file's group
    columns) so that a police table (one year per column, ages, genders) is never taken for
    it."""
    layout = layout_of(cells)
    if "region" not in layout.roles or layout.strange or not layout.values:
        return False
    stated = {k for meaning in layout.values.values() for k in meaning} | layout.roles.keys()
    periods = [m["period"] for m in layout.values.values() if "period" in m]
    specific = ("measure" in stated or any("-" in p for p in periods)
                or sum("group" in m for m in layout.values.values()) > 1)
    return {"group", "period"} <= stated and specific


@dataclass
class Found:
    """What a file's figures gave: the count's records, cells that are wrong, labels not
    known, and how many of SSB's rates were left out (for the message)."""

    records: list[tuple] = field(default_factory=list)
    bad: list[Problem] = field(default_factory=list)
    unknown: dict[str, set] = field(default_factory=dict)
    rates: int = 0


def _record(dims: dict[str, str], number, text: str, where: Where, found: Found) -> None:
    """One figure: checked, canonical group, counts kept, rates and «.» dropped."""
    missing = [k for k in ("region", "period", "group") if not dims.get(k)]
    if missing:
        names = {"region": "region", "period": "periode", "group": "lovbruddsgruppe"}
        found.bad.append(where.problem("tallet har ingen " + " eller ".join(
            names[k] for k in missing) + " (forventet en kolonne eller en kolonneoverskrift "
            "som sier det)"))
        return
    if (group := group_of(dims["group"])) is None:
        found.unknown.setdefault("lovbruddsgruppe", set()).add(dims["group"])
        return
    measure = dims.get("measure") or OFFENCES
    if measure not in (OFFENCES, "per_1000", "unclear"):
        measure = measure_of(measure)
        if measure is None:
            found.unknown.setdefault("statistikkvariabel", set()).add(dims["measure"])
            return
    if measure == "unclear":
        found.bad.append(unclear_problem(dims["measure"], where))
        return
    if measure != OFFENCES:
        found.rates += 1
        return  # SSB's rate: the store computes its own from the population
    if number is None:
        found.bad.append(where.problem(f"«{text}» er ikke et tall (forventet et tall, «..», «:», "
                                       "«.» eller «NA»)"))
        return
    if number == (None, False):
        return  # "." : no figure exists
    period = period_label(dims["period"]) or dims["period"]
    found.records.append((dims["region"], period, period_year(period), group, number[0],
                          number[1], where.line))


def _region(code: str, text: str | None) -> str:
    if text:  # PxWeb: «4001» + «Porsgrunn» → «4001 Porsgrunn»
        return f"{code} {text}".strip()
    return code if not code.isdigit() or len(code) <= 2 else code.zfill(4)


def merge_split_header(text: str) -> str:
    """A workbook's statistic variable over its periods made one header
    (:func:`etl.readers.stat_text.join_split_header`); a blank key header is named from the
    first row of figures (an offence group → ``lovbruddsgruppe``, else ``region``)."""
    return join_split_header(text, period_label, measure_of,
                        lambda cell: "lovbruddsgruppe" if group_of(cell) else "region")


def table_records(table: TextTable, file_name: str, sheet: str | None = None) -> Found:
    layout = layout_of(table.header)
    if layout.strange:
        raise unknown_problem("kolonne", layout.strange, file_name,
                              "Forventet region, periode, lovbruddsgruppe og statistikkvariabel; "
                              "andre kolonner må ha en periode (2023-2024), en lovbruddsgruppe "
                              "eller en statistikkvariabel som overskrift", "kolonne", "Region")
    if unclear := [unclear_problem(table.header[i], Where(table.first_line - 1, i, sheet))
                   for i, meaning in layout.values.items() if meaning.get("measure") == "unclear"]:
        raise IngestError(file_name, unclear)
    found, above = Found(), {}
    measure = layout.roles.get("measure")
    for n, row in enumerate(table.rows):
        if not any(row):
            continue
        if not any(row[i].strip() for i in layout.values if i < len(row)):
            continue  # no figures: a footnote («Kilde: …») or a spacer row
        line = table.line_of(n)
        dims = {}
        for role, i in layout.roles.items():
            text_i = layout.texts.get(i)
            code = row[i] if i < len(row) else ""
            label = row[text_i] if text_i is not None and text_i < len(row) else None
            value = _region(code, label) if role == "region" else (label or code)
            if sheet is not None and not value:  # a grouped workbook repeats by leaving blank
                value = above.get(role, "")
            dims[role] = value
        above = dims
        if measure is not None and measure_of(dims["measure"]) == "unclear":
            found.bad.append(unclear_problem(dims["measure"], Where(line, measure, sheet)))
            continue  # named once, at its cell, not once per figure
        for i, meaning in layout.values.items():
            text = row[i] if i < len(row) else ""
            _record({**dims, **meaning}, parse_number(text, SYMBOLS), text,
                    Where(line, i, sheet), found)
    _refuse(found, file_name)
    return found


def _refuse(found: Found, file_name: str) -> None:
    if found.unknown:
        what, labels = next(iter(found.unknown.items()))
        if what == "lovbruddsgruppe":
            raise unknown_problem(what, labels, file_name, "Forventet en av SSBs "
                                  "lovbruddsgrupper, f.eks. «Eiendomstyveri»", what)
        raise unknown_problem(what, labels, file_name, "Forventet «Anmeldte lovbrudd, årlig "
                              "gjennomsnitt» eller «Anmeldte lovbrudd per 1 000 innbyggere»")
    if found.bad:
        raise IngestError(file_name, found.bad)


def read_08487(path: Path, file_name: str, spreadsheet: bool = False) -> pd.DataFrame:
    """A CSV in any of the layouts above, or (``spreadsheet``) its first non-empty sheet."""
    from etl.readers.ungdata_tables import first_sheet

    sheet, text = first_sheet(path, file_name) if spreadsheet else (None, decode(path))
    table = read_table(merge_split_header(text) if spreadsheet else text, is_08487_header,
                       file_name)
    return _frame(table_records(table, file_name, sheet), file_name)


def read_08487_json(path: Path, file_name: str) -> pd.DataFrame:
    ids, cells = jsonstat_rows(json.loads(decode(path)), file_name)
    roles, unnamed = column_roles(ids, ALIASES)
    if {"region", "period", "group"} - roles.keys() or unnamed:
        raise IngestError.one(file_name, f"json-stat-dimensjonene {', '.join(ids)} passer ikke "
                                         "til tabell 08487 (forventet Region, LovbruddKrim, "
                                         "ContentsCode og Tid)")
    found = Found()
    for codes, labels, value, status in cells:
        region = roles["region"]
        dims = {role: labels[i] for role, i in roles.items() if role in KEYS}
        code, label = codes[region], labels[region]
        dims["region"] = f"{code} {label}" if code.isdigit() and len(code) >= 3 else label
        dims["period"] = codes[roles["period"]]
        if value is not None:
            number = parse_number(value)
            if number is None:  # a json-stat cell is named by its categories
                found.bad.append(Problem(f"{', '.join(map(str, labels))}: «{value}» er ikke et "
                                         "tall"))
                continue
        else:
            number = (None, False) if status == "." else (None, True)
        _record(dims, number, str(value), Where(None), found)
    _refuse(found, file_name)
    return _frame(found, file_name)


RATE_LEFT_OUT = "SSBs rate per 1 000 innbyggere lagres ikke"


def _frame(found: Found, file_name: str) -> pd.DataFrame:
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    if not found.records and found.rates:
        raise IngestError.one(file_name, f"fant ingen antall anmeldte lovbrudd i filen "
                                         f"({RATE_LEFT_OUT}): filen har bare SSBs rate per "
                                         "1 000 innbyggere; ta med statistikkvariabelen "
                                         "«Anmeldte lovbrudd, årlig gjennomsnitt» (antall "
                                         "anmeldte lovbrudd) når du laster ned tabell 08487")
    if not found.records:
        raise IngestError.one(file_name, f"fant ingen antall anmeldte lovbrudd i filen "
                                         f"({RATE_LEFT_OUT}; ta med statistikkvariabelen "
                                         "«Anmeldte lovbrudd, årlig gjennomsnitt» når du laster "
                                         "ned tabell 08487)")
    frame = pd.DataFrame(found.records, columns=COLUMNS)
    if frame["year"].isna().any():
        raise unknown_problem("periode", frame.loc[frame["year"].isna(), "period"], file_name,
                              "Forventet en periode som 2023-2024")
    if found.rates:
        frame.attrs["notes"] = ["SSBs rate per 1 000 innbyggere er ikke lagret (raten "
                                "regnes ut fra befolkningen, som SSB gjør)"]
    return frame


def combine_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """After regions are resolved: one figure per kommune, period and offence group.  A figure
    given under today's number wins over the same kommune under an old number (SSB lists both,
    the old one with «..» for periods after the change); where today's number is suppressed
    and the old one has a figure, the old one counts (as for population,
    :func:`etl.sources.combine_population`).  Old kommuner that became one are summed, and the
    sum is suppressed (NULL) when one of them is."""
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    key = ["region_code", "period", "offence_group"]
    known = frame["offences"].notna()
    groups = frame.assign(known_direct=frame["direct"] & known,
                          known_old=~frame["direct"] & known).groupby(key)
    direct_wins = groups["known_direct"].transform("any") | (
        groups["direct"].transform("any") & ~groups["known_old"].transform("any"))
    kept = frame[frame["direct"] == direct_wins]
    single = ~kept.duplicated(key, keep=False) | kept["direct"]
    merged = kept[~single]
    if merged.empty:
        return kept
    summed = merged.groupby(key, as_index=False).agg(
        region=("region", "first"), year=("year", "first"), line=("line", "min"),
        offences=("offences", lambda s: None if s.isna().any() else s.sum()),
        suppressed=("suppressed", "any"), direct=("direct", "first"))
    summed["suppressed"] = summed["suppressed"] | summed["offences"].isna()
    return pd.concat([kept[single], summed[kept.columns]], ignore_index=True)
