"""A police cross table with a region per column, as a police district summarises its kommuner:
``Lovbruddsgruppe | Porsgrunn 2023 | Porsgrunn 2024 | Skien 2023 | Skien 2024`` in one header
row, or the kommuner written once over their years in the row above the header of years
(merged cells in Excel: the name in the first cell of its span, the others blank), or, for one
year, the kommuner alone across under a title that names the year (``Anmeldte forhold 2024`` over
``Lovbruddsgruppe | Porsgrunn | Skien | Sum``).

Each column's name is handed on as its rows' region label; staging resolves it against the
region catalogue (the user's taught names too), leaves a column over all of them (``Sum 2024``,
``Totalt``) out and says so, and refuses a name that is no region, naming its cell.  A name that
is a crime type, an age or a gender (``Jenter 2023``) is not read as a region: such a header is
not a table of regions.
"""

from __future__ import annotations

import re

from etl.periods import FIRST_YEAR, LAST_YEAR, parse_year_label, partial_years_in_text
from etl.readers.common import is_blank
from etl.vocab import DIMENSIONS, Vocab

_NAMED_YEAR = re.compile(r"^\s*(?P<name>\S(?:.*?\S)?)\s+(?P<year>\d{4}(?!\d).*)$", re.DOTALL)
_LETTER = re.compile(r"[^\W\d_]")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _region_name(name: str, vocab: Vocab, words: re.Pattern) -> bool:
    """``name`` may be a region: it has a letter, and is neither a crime type, age or gender
    (a total, «Sum», may be: the column over every region), a share or change word, nor a
    column's name (``År 2019`` is a year)."""
    if not _LETTER.search(name) or words.fullmatch(name) or vocab.header(name) is not None:
        return False
    kind = vocab.classify_row_label(name)
    return kind is None or kind[0] == "total"


def named_years(cells: list[tuple[int, object]], vocab: Vocab, words: re.Pattern
                ) -> tuple[dict, dict[int, str], list[tuple[int, object]]] | None:
    """The year and the region name of each of ``cells`` (column, header text) that is a name
    and a year (``Porsgrunn 2023``, ``Skien 2024 (pr. 01.08)``), and the columns of words
    beside them (``Endring``: left out, as beside plain years); None unless two or more are
    named and every other is words."""
    years, names, others = {}, {}, []
    for c, value in cells:
        text = value if isinstance(value, str) else ""
        match = _NAMED_YEAR.match(text)
        # words alone («Sum»), a change or share («Endring 2023»), a span («Snitt 2019-2023»)
        if _LETTER.search(text) and (not _YEAR.search(text) or len(_YEAR.findall(text)) > 1
                                     or (match and words.fullmatch(match["name"].strip()))):
            others.append((c, value))
            continue
        if match is None or not _region_name(match["name"], vocab, words):
            return None
        try:
            parsed = parse_year_label(match["year"])
        except ValueError:
            return None
        if parsed is None:
            return None
        years[c], names[c] = parsed, match["name"].strip()
    return (years, names, others) if len(years) >= 2 else None


def names_above(row: list, label_col: int, years: dict[int, object], vocab: Vocab,
                words: re.Pattern) -> dict[int, str]:
    """The region name over each year column, from ``row`` (the one above the header of
    years): each name stands over its own column and the blank ones to its right (a merged
    cell).  Empty unless two names or more stand there, only over year columns, the first year
    column has one, the label column is blank, and every name may be a region."""
    filled = {c: v for c, v in enumerate(row) if not is_blank(v)}
    first = min(years)
    if (len(filled) < 2 or first not in filled or not set(filled) <= set(years)
            or (0 <= label_col < len(row) and not is_blank(row[label_col]))
            or not all(isinstance(v, str) and _region_name(v.strip(), vocab, words)
                       for v in filled.values())):
        return {}
    names, current = {}, None
    for c in sorted(years):
        current = str(filled[c]).strip() if c in filled else current
        names[c] = current
    return names


def one_year_regions(row: list, title: str | None, vocab: Vocab, words: re.Pattern
                     ) -> tuple[int, dict, list, list, dict[int, str]] | None:
    """A header of region names alone (``Lovbruddsgruppe | Porsgrunn | Skien | Sum``: its first
    cell names the row labels' dimension) under a title that names one year and no other
    (``Anmeldte forhold 2024 (pr. 01.08)``): as :func:`etl.readers.workbook._header` gives a
    header, each name's column that year; None for any other row."""
    filled = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
    years = {int(y) for y in _YEAR.findall(title or "") if FIRST_YEAR <= int(y) <= LAST_YEAR}
    if len(filled) < 3 or len(years) != 1 or vocab.header(filled[0][1]) not in DIMENSIONS:
        return None
    year = years.pop()
    names, others = {}, []
    for c, value in filled[1:]:
        text = value.strip() if isinstance(value, str) else ""
        if words.fullmatch(text):
            others.append((c, value))
        elif not text or _YEAR.search(text) or not _region_name(text, vocab, words):
            return None
        else:
            names[c] = text
    if len(names) < 2:
        return None
    through = partial_years_in_text(title).get(year)
    return filled[0][0], dict.fromkeys(names, (year, through)), [], others, names
