"""Small-number suppression for publication: counts 1 … threshold-1 are shown as ``<threshold``.

One object decides for every output (tables, charts, sentences, CSV), so the rule is applied
consistently.  ``Suppression(None)`` (the default) shows exact numbers.  Zero is never hidden (a
zero reveals nothing about a person).  Only primary suppression is done: a total shown exactly
beside a single hidden category can reveal it, which the report's caveats say.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.format import number


@dataclass(frozen=True)
class Suppression:
    threshold: int | None = None

    def __post_init__(self) -> None:
        if self.threshold is not None and self.threshold < 2:
            raise ValueError("terskelen for skjuling må være minst 2")

    @property
    def active(self) -> bool:
        return self.threshold is not None

    def hidden(self, value) -> bool:
        """True for a count that must not be shown (1 … threshold-1)."""
        if not self.active or value is None or _nan(value):
            return False
        return 0 < value < self.threshold

    def any_hidden(self, *values) -> bool:
        return any(self.hidden(v) for v in values)

    def count(self, value, missing: str = "..") -> str:
        """A count as text: ``1 234``, ``<5`` or ``missing`` for an unknown value."""
        if value is None or _nan(value):
            return missing
        if self.hidden(value):
            return f"<{self.threshold}"
        return number(value)

    def plot_value(self, value):
        """The value to draw: hidden and unknown counts are not drawn (None)."""
        if value is None or _nan(value) or self.hidden(value):
            return None
        return value

    def mask_column(self, series: pd.Series) -> pd.Series:
        """A column for CSV export: hidden counts become the text ``<N``, others stay as is."""
        return series.map(lambda v: f"<{self.threshold}" if self.hidden(v) else v)

    def note(self) -> str:
        if not self.active:
            return "Tallene vises eksakt (ingen skjuling av små tall)."
        return (f"Antall fra 1 til {self.threshold - 1} vises som «<{self.threshold}» i tabeller, "
                f"figurer, setninger og CSV-filer. Totalsummer vises eksakt.")


def _nan(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
