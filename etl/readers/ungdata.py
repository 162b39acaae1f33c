"""Survey indicators from FHI: Kommunehelsa CSV exports and the open API (CSV or json-stat2).

A Kommunehelsa export is a long table ``Geografi, År, Kjønn, Alder…, <category columns>,
Måltall, value`` whose column names differ from table to table; ``etl/vocab/fhi_columns.csv``
names the roles, and the values of the remaining (category) columns identify the indicator
through ``etl/vocab/fhi_indicators.csv``.  Categories no line there names are a new indicator:
its id and label come from the file's title and category values (:mod:`etl.indicators`), and
the catalogue in the database marks it as not yet catalogued.  The unit comes from the measure
(``andel (prosent, standardisert)`` → prosent, ``per 100 000`` → per 100 000); a file without
a measure gives percentages.  The open API writes ``aar`` as ``2022_2024``, ``kjonn`` as 0/1/2
and ``..`` for suppressed values.  Shares given as fractions (0.856, as the API writes them
under «andel (prosent)») are turned into percent (85.6), unless the value column's header
states the unit (``Andel (prosent)``: the figures are as the bank shows them); an empty,
``..`` or dash (``-``, ``–``: ``etl/vocab/survey_symbols.csv``) value, or one that a non-zero
``Spvflagg`` marks, is kept as NULL with ``suppressed``.  A category column's header names the
indicator when the file has no title (``Ungdata: Brukt hasj siste år`` over ``Ja``); an age
band in the grade's column (``Alder``: ``15-29 år``, ``alle aldre``) is a category of the
indicator, not a school level.  One indicator given in several measures (``andel (prosent)``
and ``andel (prosent, standardisert)``) is refused: the user picks one in the bank.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from etl.errors import IngestError, Problem
from etl.indicators import PERCENT, indicator_lookup, known_unit, new_indicator_id, unit_of
from etl.readers.common import Where
from etl.readers.stat_text import (
    alias_rows,
    column_roles,
    decode,
    jsonstat_rows,
    parse_number,
    read_table,
    unknown_problem,
    value_map,
)
from etl.readers.survey_cells import (
    age_band_apart,
    category_heading,
    check_one_measure,
    indicator_name,
    is_flagged,
    survey_symbols,
)
from etl.vocab import label_key

if TYPE_CHECKING:
    import pandas as pd

ALIASES = "fhi_columns.csv"
COLUMNS = ["region", "period", "year", "school_level", "grade", "gender", "indicator",
           "value", "respondents", "suppressed", "source", "line", "unit", "label"]
SOURCE_FHI = "FHI Kommunehelsa"
PARTS = "fhi_measure_parts.csv"
# FHI: an empty cell (NaN in exports) and ".." are suppressed, "." means no figure exists.
FHI_SYMBOLS = {"": "suppressed", "nan": "suppressed", ".": "missing"}
_YEARS = re.compile(r"(?<!\d)(\d{4})(?:/(\d{2}))?(?!\d)")


def period_year(label: object) -> int | None:
    """The last calendar year a period label names: ``2022_2024`` → 2024, ``2014/15-2016/17``
    → 2017, ``2016-01-01`` → 2016; None when it names none."""
    matches = _YEARS.findall(str(label))
    if not matches or re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(label).strip()):
        return int(matches[0][0]) if matches else None
    year, short = matches[-1]
    return int(year[:2] + short) + (100 if short < year[2:] else 0) if short else int(year)


@cache
def _category_indicators() -> dict[frozenset[str], str]:
    return {frozenset(label_key(part) for part in categories.split("|")): indicator
            for indicator, categories in alias_rows("fhi_indicators.csv")}


def fhi_roles(cells: list[str]) -> tuple[dict[str, int], list[int]]:
    """Column roles; a column named with a unit (``Andel (prosent)``, ``Per 1000``) is the value
    column, and its header is then the measure, when no other column is."""
    roles, categories = column_roles(cells, ALIASES)
    if "value" not in roles:
        named = [i for i in categories if known_unit(cells[i])]
        if len(named) == 1:
            roles["value"] = named[0]
            categories = [i for i in categories if i != named[0]]
    return roles, categories


def _is_fhi_header(cells: list[str]) -> bool:
    roles, _ = fhi_roles(cells)
    return {"region", "value"} <= roles.keys() and ("period" in roles or "year" in roles)


def is_fhi_long(cells: list[str]) -> bool:
    """A Kommunehelsa/FHI API long table that states its measure."""
    roles = fhi_roles(cells)[0]
    return _is_fhi_header(cells) and ("measure" in roles or bool(known_unit(
        cells[roles["value"]])))


def _count(text: str | None) -> float | None:
    number = parse_number(text or "", survey_symbols())
    return number[0] if number else None


def category_indicator(names: list[str]) -> str | None:
    """The reference indicator named by these category values (fhi_indicators.csv), or None."""
    return _category_indicators().get(frozenset(label_key(v) for v in names))


def new_fhi_indicator(title: str | None, names: list[str],
                      file_name: str | None = None) -> tuple[str, str]:
    """(id, label) of categories the catalogue does not know: the title, then the values; a
    file that gives neither is named after the file (``ensomhet_ungdom.csv`` → «Ensomhet
    ungdom»), so two such files are two indicators, not one whose second file replaces the
    first."""
    label = " – ".join(part for part in (title, ", ".join(names)) if part) or \
        _file_label(file_name) or "Ny indikator"
    return new_indicator_id(label), label


def _indicator_of(title: str | None, names: list[str],
                  file_name: str | None) -> tuple[str, str | None]:
    """(id, label of a new indicator or None) of a row's category values: an FHI table the
    catalogue lists (fhi_indicators.csv); one value that is a catalogue label or alias (a tidy
    Ungdata table's «Indikator» column: «Trives på skolen»); else a new indicator."""
    if (indicator := category_indicator(names)) is not None:
        return indicator, None
    filled = [v for v in names if v]
    if len(filled) == 1 and (indicator := known_indicator(filled[0])) is not None:
        return indicator, None
    return new_fhi_indicator(title, filled, file_name)


def _file_label(file_name: str | None) -> str:
    """A file's name as an indicator's label: the stem, ``_`` and ``-`` as spaces."""
    words = re.sub(r"[\s_\-]+", " ", Path(file_name or "").stem).strip()
    return words[:1].upper() + words[1:]


def _records(header: list[str], rows, file_name: str, first_line: int | None,
             title: str | None = None, sheet: str | None = None) -> list[dict]:
    """``sheet``: the rows are a workbook's sheet (problems name its cells)."""
    roles, categories = fhi_roles(header)
    records, bad, beside, indicators, measures = [], [], {}, {}, {}
    stated = header[roles["value"]] if "value" in roles and known_unit(header[roles["value"]]) \
        else None  # «Andel (prosent)»: the value column's header is the measure
    symbols = survey_symbols(FHI_SYMBOLS)
    for n, row in enumerate(rows):
        if not any(str(c).strip() for c in row):
            continue
        line = first_line + n if first_line is not None else None
        get = {role: str(row[i]).strip() for role, i in roles.items() if i < len(row)}
        names = [str(row[i]).strip() for i in categories if i < len(row)]
        age_band_apart(get, names)
        if (found := indicators.get(tuple(names))) is None:  # once per set of categories
            found = indicators[tuple(names)] = _indicator_of(
                title or category_heading(header, categories, row), names, file_name)
        indicator, label = found
        value = parse_number(get.get("value", ""), symbols)
        where = Where(line, roles.get("value"), sheet)
        if value is None:
            if line is None:  # json: its categories
                categories_text = ", ".join(str(c) for i, c in enumerate(row)
                                            if i != roles.get("value") and str(c).strip())
                bad.append(Problem(f"{categories_text}: «{get.get('value')}» er ikke et tall"))
            else:
                bad.append(where.problem(f"«{get.get('value')}» er ikke et tall"))
            continue
        number, suppressed = value
        key = (get["region"], get.get("period"), get.get("year"), get.get("grade"),
               get.get("gender"), indicator)
        if (part := measure_part(get.get("measure", ""))) is not None:
            if number is not None:  # a Måltall row of a confidence limit, teller or nevner
                beside.setdefault(key, {})[part] = number
            continue
        flagged = is_flagged(get.get("flag", ""), symbols)  # Spvflagg: no published figure
        if number is None and not suppressed and not flagged:
            continue  # "." : nothing was measured (no survey in that window)
        number, suppressed = (None, True) if flagged else (number, suppressed)
        period = get.get("period") or get.get("year", "")
        year = period_year(get["year"]) if get.get("year") else period_year(period)
        measure = get.get("measure") or stated
        if get.get("measure"):
            measures.setdefault(indicator_name(indicator, label), {}).setdefault(
                label_key(measure), measure)
        unit = unit_of(measure) if measure else PERCENT
        records.append((key, dict(
            region=get["region"], period=period, year=year,
            grade=get.get("grade", "Ikke oppgitt"), gender=get.get("gender", "Totalt"),
            indicator=indicator, value=number, respondents=_count(get.get("respondents")),
            suppressed=suppressed, source=SOURCE_FHI, line=line, unit=unit, label=label,
            numerator=_count(get.get("numerator")), ci_low=_count(get.get("ci_low")),
            ci_high=_count(get.get("ci_high")), where=where,
            percent_stated=not get.get("measure") and bool(stated) and unit == PERCENT)))
    if bad:
        raise IngestError(file_name, bad)
    if "measure" in roles:
        check_one_measure(measures, f"kolonnen «{header[roles['measure']]}»", file_name)
    return [{**record, **{k: v for k, v in beside.get(key, {}).items() if record[k] is None}}
            for key, record in records]


def measure_part(text: object) -> str | None:
    """``ci_low``, ``ci_high``, ``numerator`` or ``respondents`` for a measure (Måltall) that
    belongs beside the figure (etl/vocab/fhi_measure_parts.csv); None for the figure itself."""
    key = label_key(text)
    return next((role for phrase, role in alias_rows(PARTS) if label_key(phrase) in key), None)


def finish(records: list[dict], file_name: str) -> pd.DataFrame:
    """Rows as ``COLUMNS``: fractions → percent, school level from the grade, checks."""
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    frame = pd.DataFrame(records, columns=[c for c in COLUMNS if c != "school_level"]
                         + ["numerator", "ci_low", "ci_high"])
    levels, genders = value_map("school_level"), value_map("gender")
    frame.insert(3, "school_level", frame["grade"].map(lambda g: levels.get(label_key(g))))
    frame["gender"] = frame["gender"].map(lambda g: genders.get(label_key(g), f"?{g}"))
    for what, column, prefix, kind in (("trinn/skolenivå", "grade", None, "skolenivå"),
                                       ("kjønn", "gender", "?", "kjønn")):
        mask = (frame["school_level"].isna() if prefix is None
                else frame[column].str.startswith(prefix))
        if mask.any():
            raise unknown_problem(what, frame.loc[mask, column].astype(str).str.lstrip("?"),
                                  file_name, "Forventet f.eks. «10. trinn», «Ungdomsskole», "
                                  "«Jenter» eller «kjønn samlet»", kind)
    frame["value"] = pd.to_numeric(frame["value"]).astype("Float64")
    frame["year"] = pd.to_numeric(frame["year"]).astype("Int64")
    check_respondents(frame, file_name)
    frame["respondents"] = frame["respondents"].map(_as_number)
    frame["respondents"] = pd.to_numeric(frame["respondents"]).round().astype("Int64")
    check_units(frame, file_name)
    signed = any(record.get("percent_sign") or record.get("percent_stated")
                 for record in records)
    return with_respondents(scale_fractions(frame, file_name, signed))


def with_respondents(frame: pd.DataFrame) -> pd.DataFrame:
    """Respondents as given (nevner, antall svar); else, for a percentage, teller ÷ share;
    else the effective number behind a 95 % confidence interval, n = 1.96² p(1-p) / h² with h
    half its width (the limits on the same scale as the value)."""
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    numerator = pd.to_numeric(frame.pop("numerator")).astype("Float64")
    low = pd.to_numeric(frame.pop("ci_low")).astype("Float64")
    high = pd.to_numeric(frame.pop("ci_high")).astype("Float64")
    percent = (frame["unit"] == PERCENT) & (frame["value"] > 0) & (frame["value"] < 100)
    share = frame["value"].where(percent) / 100
    derived = (numerator / share).round().astype("Int64")
    on_share_scale = (high <= 1) & (frame["value"] > 1)  # limits given as fractions
    half = (high - low).where(~on_share_scale, (high - low) * 100) / 2 / 100
    from_ci = (1.96 ** 2 * share * (1 - share) / half.where(half > 0) ** 2).round()
    frame["respondents"] = (frame["respondents"].fillna(derived)
                            .fillna(from_ci.astype("Int64")))
    return with_denominators(frame, numerator, low, high)


RATE_SCALES = {"per 1 000": 1_000, "per 10 000": 10_000, "per 100 000": 100_000}


def with_denominators(frame: pd.DataFrame, numerator: pd.Series, low: pd.Series,
                      high: pd.Series) -> pd.DataFrame:
    """For a rate (per 1 000 …) ``respondents`` holds the denominator (the population): as
    given (nevner); else teller × scale ÷ rate; else the effective denominator behind a 95 %
    confidence interval of a Poisson count, k = (1,96 · rate / h)² persons-events with h half
    its width, n = k × scale ÷ rate."""
    scale = frame["unit"].map(RATE_SCALES).astype("Float64")
    rate = frame["value"].where(scale.notna() & (frame["value"] > 0))
    from_numerator = (numerator * scale / rate).round()
    half = (high - low) / 2
    events = (1.96 * rate / half.where(half > 0)) ** 2
    from_ci = (events * scale / rate).round()
    frame["respondents"] = (frame["respondents"].fillna(from_numerator.astype("Int64"))
                            .fillna(from_ci.astype("Int64")))
    # a derived number the store cannot hold (limits far narrower than any survey) is unknown
    frame["respondents"] = frame["respondents"].where(frame["respondents"] <= 2_147_483_647)
    return frame


def _as_number(value: object) -> object:
    """``"1 234"`` → 1234.0; a text that is no number stays as written (for the message)."""
    if isinstance(value, str):
        number = parse_number(value, survey_symbols())
        return value if number is None else number[0]
    return value


def _where(line: object) -> str:
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    return f"linje {line}: " if pd.notna(line) else ""


def _text(value: object) -> str:
    return f"{value:.0f}" if isinstance(value, float) and value.is_integer() else str(value)


def check_respondents(frame: pd.DataFrame, file_name: str) -> None:
    """Respondents are whole numbers the store can hold; anything else names its line."""
    import pandas as pd  # (here, not at the top: see etl/rows.py)

    given = pd.to_numeric(frame["respondents"].map(_as_number), errors="coerce")
    wrong = frame["respondents"].notna() & ~given.map(
        lambda v: v == v and float(v).is_integer() and 0 <= v <= 2_147_483_647)
    if wrong.any():
        raise IngestError(file_name, [Problem(
            f"{_where(row.line)}«{_text(row.respondents)}» er ikke et antall svar (forventet et "
            "helt tall fra 0 til 2 147 483 647)") for row in frame[wrong].head(20).itertuples()])


def check_units(frame: pd.DataFrame, file_name: str) -> None:
    """One unit per indicator within a file."""
    units = frame.groupby("indicator")["unit"].unique()
    if len(mixed := units[units.map(len) > 1]):
        raise IngestError(file_name, [Problem(
            f"indikatoren «{indicator}» har flere enheter i samme fil "
            f"({', '.join(sorted(found))}); én enhet per indikator") for indicator, found
            in mixed.items()])


def _decimal(value: float) -> str:
    """``0.856`` → ``0,856``; ``85.6`` → ``85,6`` (as the message writes a number)."""
    return f"{round(value, 10):g}".replace(".", ",")


def scale_fractions(frame: pd.DataFrame, file_name: str, signed: bool = False) -> pd.DataFrame:
    """Per file: when every share is within 0-1 and one of them is a fraction (0.856: not 0 or
    1, which are whole percents of a rare behaviour) the file gives fractions (×100), unless
    its shares were written with a percent sign or under a header or unit line that states
    percent (``signed``: «0,5 %», a wide table's «andel (prosent)», a value column «Andel
    (prosent)»): then 0,8 is 0,8 % of a rare behaviour.  Only percentages are
    scaled and checked against 0-100; other units are kept as given.  What was scaled is said
    in the frame's ``attrs["notes"]``, which end the upload's message."""
    percent = frame["unit"] == PERCENT
    for _, group in frame[percent].groupby("source"):
        values = group["value"].dropna()
        fractions = not signed and bool(((values > 0) & (values < 1)).any())
        if len(values) and values.max() <= 1.0 and fractions:
            frame.loc[group.index, "value"] = (group["value"] * 100).round(10)
            example = float(values[(values > 0) & (values < 1)].iloc[0])
            frame.attrs.setdefault("notes", []).append(  # (the message says what was assumed)
                f"andelene står som brøk ({_decimal(example)} → {_decimal(example * 100)} %) "
                "og er lagret som prosent")
        elif len(values) and (values.max() > 100 or values.min() < 0):
            raise IngestError.one(file_name, "andeler må være mellom 0 og 100 "
                                             f"(fant {values.min()}–{values.max()})")
    return frame


def read_fhi_text(path: Path, file_name: str, spreadsheet: bool = False) -> pd.DataFrame:
    """An FHI long table as CSV or (``spreadsheet``) as the first sheet of a workbook (an
    export opened and saved in Excel): the same rows."""
    from etl.readers.ungdata_tables import check_repeats, first_sheet

    sheet, text = first_sheet(path, file_name) if spreadsheet else (None, decode(path))
    table = read_table(text, _is_fhi_header, file_name)
    title = table.titles[0] if table.titles else None
    records = _records(table.header, table.rows, file_name, table.first_line, title, sheet)
    if sheet is not None:
        check_repeats(records, file_name)
    return finish(records, file_name)


def read_fhi_json(path: Path, file_name: str) -> pd.DataFrame:
    doc = json.loads(decode(path))
    ids, cells = jsonstat_rows(doc, file_name)
    roles, _ = column_roles(ids, ALIASES)
    if "region" not in roles:
        raise IngestError.one(file_name, f"json-stat2-dimensjonene {', '.join(ids)} har ingen "
                                         "geografi (GEO)")
    rows = []
    for codes, labels, value, status in cells:
        row = [codes[i] if i in (roles.get("period"), roles.get("gender")) else labels[i]
               for i in range(len(ids))]
        rows.append([*row, "" if value is None else value, status or ""])
    header = [*ids, "value", "Spvflagg"]
    title = (doc.get("dataset", doc) if isinstance(doc, dict) else {}).get("label")
    return finish(_records(header, rows, file_name, None, title), file_name)


def known_indicator(text: object) -> str | None:
    return indicator_lookup().get(label_key(text))
