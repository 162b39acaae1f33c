"""Police cross tables whose columns are labelled with more than a year: a region per column,
as a police district summarises its kommuner, or a gender or age per column (``fordelt på
kjønn``):

- ``Lovbruddsgruppe | Porsgrunn 2023 | Porsgrunn 2024 | Skien 2023`` (``Gutter 2023 | Jenter
  2023``) in one header row;
- the names written once over their years in the row above the header of years (merged cells
  in Excel: the name in the first cell of its span, the others blank);
- for one year, the names alone across under a title that names that year and no other
  (``Anmeldte forhold 2024`` over ``Lovbruddsgruppe | Porsgrunn | Skien | Sum``, or ``Porsgrunn
  – anmeldte forhold 2024`` over ``Lovbruddsgruppe | Gutter | Jenter | Totalt``).

A column's label is ``("region", name)`` — its rows' region label, which staging resolves
against the region catalogue (the user's taught names too), leaving a column over all of them
(``Sum``) out and refusing a name that is no region, naming its cell — or ``(dimension,
canonical label)`` of a crime type, age or gender (a total column: that dimension's
``Totalt``).  One header's labels are all regions or all of one dimension.
"""

from __future__ import annotations

import re

from etl.periods import FIRST_YEAR, LAST_YEAR, parse_year_label, partial_years_in_text
from etl.readers.common import is_blank
from etl.vocab import DIMENSIONS, TOTAL, Vocab

_NAMED_YEAR = re.compile(r"^\s*(?P<name>\S(?:.*?\S)?)\s+(?P<year>\d{4}(?!\d).*)$", re.DOTALL)
_LETTER = re.compile(r"[^\W\d_]")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")

Label = tuple[str, str]  # ("region", name) or (dimension, canonical label)


def _label(name: str, vocab: Vocab, words: re.Pattern) -> tuple[str, str] | None:
    """What a column's name says: ``("region", name)``, ``(dimension, canonical)`` of a crime
    type, age or gender, ``("total", name)`` (``Sum``, ``Totalt``: settled by the others), or
    None: no letter, a share or change word, a column's name (``År 2019`` is a year) or a label
    that could be either of two (``Ukjent``)."""
    if not _LETTER.search(name) or words.fullmatch(name) or vocab.header(name) is not None:
        return None
    kind = vocab.classify_row_label(name)
    if kind is None:
        return "region", name
    if kind[0] == "total":
        return "total", name
    return (kind[0], kind[1]) if kind[0] in DIMENSIONS else None


def _settled(found: dict[int, tuple[str, str]]) -> dict[int, Label] | None:
    """``found`` (column → :func:`_label`) when its labels are all regions or all of one
    dimension, totals among them; each total then that dimension's ``Totalt`` (or a region
    label, ``Sum``, that staging leaves out).  None for a mix, or totals alone."""
    kinds = {kind for kind, _ in found.values() if kind != "total"}
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    return {c: (kind, value if label == kind or kind == "region" else TOTAL)
            for c, (label, value) in found.items()}


def named_years(cells: list[tuple[int, object]], vocab: Vocab, words: re.Pattern
                ) -> tuple[dict, dict[int, Label], list[tuple[int, object]]] | None:
    """The year and the label of each of ``cells`` (column, header text) that is a name and a
    year (``Porsgrunn 2023``, ``Jenter 2024 (pr. 01.08)``), and the columns of words beside
    them (``Endring``: left out, as beside plain years); None unless two or more are named and
    every other is words."""
    years, found, others = {}, {}, []
    for c, value in cells:
        text = value if isinstance(value, str) else ""
        match = _NAMED_YEAR.match(text)
        # words alone («Sum»), a change or share («Endring 2023»), a span («Snitt 2019-2023»)
        if _LETTER.search(text) and (not _YEAR.search(text) or len(_YEAR.findall(text)) > 1
                                     or (match and words.fullmatch(match["name"].strip()))):
            others.append((c, value))
            continue
        label = _label(match["name"].strip(), vocab, words) if match else None
        if label is None:
            return None
        try:
            parsed = parse_year_label(match["year"])
        except ValueError:
            return None
        if parsed is None:
            return None
        years[c], found[c] = parsed, label
    labels = _settled(found) if len(years) >= 2 else None
    return (years, labels, others) if labels else None


def names_above(row: list, label_col: int, years: dict[int, object], vocab: Vocab,
                words: re.Pattern) -> dict[int, Label]:
    """The label over each year column, from ``row`` (the one above the header of years):
    each name stands over its own column and the blank ones to its right (a merged cell).
    Empty unless two names or more stand there, only over year columns, the first year column
    has one, the label column is blank, and the names are all regions or all of one
    dimension."""
    filled = {c: v for c, v in enumerate(row) if not is_blank(v)}
    first = min(years)
    if (len(filled) < 2 or first not in filled or not set(filled) <= set(years)
            or (0 <= label_col < len(row) and not is_blank(row[label_col]))
            or not all(isinstance(v, str) for v in filled.values())):
        return {}
    found = {c: _label(v.strip(), vocab, words) for c, v in filled.items()}
    labels = _settled(found) if None not in found.values() else None
    if not labels:
        return {}
    spread, current = {}, None
    for c in sorted(years):
        current = labels.get(c, current)
        spread[c] = current
    return spread


def _names_header(row: list, vocab: Vocab, words: re.Pattern
                  ) -> tuple[int, list, dict[int, Label]] | None:
    """A header of names alone (``Lovbruddsgruppe | Porsgrunn | Skien | Sum``,
    ``Lovbruddsgruppe | Gutter | Jenter``): its first cell names the row labels' dimension, the
    others are regions or labels of another dimension (columns of words left out); the label
    column, those columns of words and the labels, or None."""
    filled = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
    if len(filled) < 3 or (rows := vocab.header(filled[0][1])) not in DIMENSIONS:
        return None
    found, others = {}, []
    for c, value in filled[1:]:
        text = value.strip() if isinstance(value, str) else ""
        if words.fullmatch(text):
            others.append((c, value))
            continue
        label = None if not text or _YEAR.search(text) else _label(text, vocab, words)
        if label is None:
            return None
        found[c] = label
    labels = _settled(found) if len(found) >= 2 else None
    if not labels or next(iter(labels.values()))[0] == rows:
        return None  # («Kjønn | Jenter | Gutter»: rows and columns of one dimension)
    return filled[0][0], others, labels


def one_year_labels(row: list, title: str | None, vocab: Vocab, words: re.Pattern
                    ) -> tuple[int, dict, list, list, dict[int, Label]] | None:
    """A header of names alone (:func:`_names_header`) under a title that names one year and
    no other (``Anmeldte forhold 2024 (pr. 01.08)``): as :func:`etl.readers.workbook._header`
    gives a header, each name's column that year; None for any other row."""
    years = {int(y) for y in _YEAR.findall(title or "") if FIRST_YEAR <= int(y) <= LAST_YEAR}
    if len(years) != 1 or (found := _names_header(row, vocab, words)) is None:
        return None
    year = years.pop()
    label_col, others, labels = found
    through = partial_years_in_text(title).get(year)
    return label_col, dict.fromkeys(labels, (year, through)), [], others, labels


def labels_under_years(row: list, above: list, vocab: Vocab, words: re.Pattern
                       ) -> tuple[int, dict, list, list, dict[int, Label]] | None:
    """A header of names alone (:func:`_names_header`) under a row of years, each year over its
    own column and the blank ones to its right (``| 2023 | | 2024 |`` merged over ``Gutter |
    Jenter | Gutter | Jenter``): as :func:`etl.readers.workbook._header` gives a header; None
    unless every year stands over a named column, the first named column has one, and the row
    above holds nothing else."""
    if (found := _names_header(row, vocab, words)) is None:
        return None
    label_col, others, labels = found
    over = {}
    for c, value in enumerate(above):
        if is_blank(value):
            continue
        try:
            parsed = parse_year_label(value)
        except ValueError:
            return None
        if parsed is None or c not in labels:
            return None
        over[c] = parsed
    if min(labels) not in over:
        return None
    years, current = {}, None
    for c in sorted(labels):
        current = over.get(c, current)
        years[c] = current
    return label_col, years, [], others, labels
