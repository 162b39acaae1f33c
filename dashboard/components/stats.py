"""Is a change between two yearly counts larger than chance?  Pure functions, no Dash.

Two counts of rare, independent events are modelled as Poisson.  Given their sum n, the later
count is Binomial(n, p0) where p0 = e2 / (e1 + e2) is its share of the exposure (0.5 for two full
years of the same population).  The exact two-sided binomial test then asks whether the rates
differ; the Clopper-Pearson interval of the share gives an exact interval for the rate ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy.stats import binomtest

ALPHA = 0.05


@dataclass(frozen=True)
class Change:
    before: int
    after: int
    p_value: float
    ratio: float | None        # after / before rate ratio (None when before is 0)
    ratio_low: float
    ratio_high: float           # may be inf

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA

    @property
    def direction(self) -> int:
        """+1 a real rise, -1 a real fall, 0 within chance."""
        if not self.significant:
            return 0
        return 1 if self.ratio is None or self.ratio > 1 else -1

    @property
    def percent_change(self) -> float | None:
        return None if self.ratio is None else (self.ratio - 1) * 100


def _ratio(share: float, p0: float) -> float:
    if share >= 1:
        return float("inf")
    return (share / (1 - share)) * ((1 - p0) / p0)


def poisson_change(before: int, after: int, exposure_before: float = 1.0,
                   exposure_after: float = 1.0) -> Change:
    """Exact conditional test of equal Poisson rates for two counts (e.g. two full years)."""
    before, after = int(before), int(after)
    if before < 0 or after < 0:
        raise ValueError("counts cannot be negative")
    p0 = exposure_after / (exposure_before + exposure_after)
    n = before + after
    if n == 0:
        return Change(before, after, 1.0, None, 0.0, float("inf"))
    result = binomtest(after, n, p0)
    ci = result.proportion_ci(confidence_level=1 - ALPHA, method="exact")
    ratio = None if before == 0 else (after / exposure_after) / (before / exposure_before)
    return Change(before, after, float(result.pvalue), ratio, _ratio(ci.low, p0),
                  _ratio(ci.high, p0))


def verdict(change: Change) -> str:
    """The plain-language judgement used in titles and sentences."""
    if change.direction > 0:
        return "en reell økning"
    if change.direction < 0:
        return "en reell nedgang"
    return "innenfor tilfeldig variasjon"
