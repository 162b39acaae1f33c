"""Is a change between yearly counts larger than chance, when one young person can be counted
many times?  Pure functions, no Dash.

Police U18 figures count offences (forhold).  One offender often commits several, so the counts
vary more from year to year than a Poisson model allows: with offenders arriving at random and a
geometric number of offences each (mean m), the variance is (2m - 1) times the mean.  A test
that assumes Poisson variation then calls chance a «reell endring» far more often than 5 % of
the time (22-25 % at m = 2, 37-39 % at m = 3).

So every change of counts is judged against the variation the series really have:

1. **Dispersion** (:func:`estimate_dispersion`): the ratio φ of variance to mean, estimated by
   quasi-Poisson's Pearson statistic pooled over the region's series (around a straight-line
   trend in each, so a steady rise is not mistaken for noise) and over its full years *before*
   the year tested, shrunk towards a reference φ₀ when the history is short, never below 1
   (Poisson).
2. **The test** (:func:`count_change`): the exact conditional Poisson test (given the two counts'
   sum, the later one is binomial with its share of the exposure), and a quasi-Poisson test of
   the same share whose variance is φ times the binomial's, referred to Student's t with the
   dispersion's degrees of freedom.  The p-value is the larger of the two, so it is never below
   the exact Poisson test.
3. **Many comparisons** (:func:`adjust`): one view or report makes some 40 comparisons; their
   p-values are adjusted by Benjamini-Hochberg's step-up rule, which keeps the expected share
   of chance among the changes called real (the false discovery rate) at 5 %.

``bench/bench_calibration.py`` checks by simulation that this keeps its promise and
``tests/unit/test_calibration.py`` pins a smaller run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import ndtr, stdtr

from analysis.exact import ALPHA, binomial_p, binomial_test, clopper_pearson, fisher_exact_p

__all__ = ["ALPHA", "Change", "Dispersion", "POISSON", "adjust", "binomial_p", "binomial_test",
           "clopper_pearson", "count_change", "estimate_dispersion", "fisher_exact_p",
           "poisson_change", "verdict"]

# The reference the estimate is shrunk towards: offenders with two offences each on average
# (φ = 3), worth as much as REFERENCE_DF degrees of freedom of data.
REFERENCE_DISPERSION = 3.0
REFERENCE_DF = 4
CONTINUITY = 0.5  # half a count: the step of a discrete count
MIN_MEAN = 1.0   # series averaging less than one offence a year say nothing of the dispersion


@dataclass(frozen=True)
class Dispersion:
    """Variance / mean of the counts (φ >= 1) and the degrees of freedom behind it."""
    phi: float
    df: float                     # math.inf: known, not estimated (Poisson)
    data_df: int = 0              # the part of ``df`` that comes from the data
    estimate: float | None = None  # the pooled estimate before shrinking (None: no data)

    @property
    def poisson(self) -> bool:
        return self.phi <= 1.0


POISSON = Dispersion(1.0, math.inf)


@dataclass(frozen=True)
class Change:
    before: int
    after: int
    p_value: float
    ratio: float | None        # after / before rate ratio (None when before is 0)
    ratio_low: float
    ratio_high: float           # may be inf
    phi: float = 1.0            # the dispersion the change was judged against
    q_value: float | None = None  # p adjusted for the view's many comparisons (None: alone)

    @property
    def evidence(self) -> float:
        """The value compared with 5 %: the adjusted p-value when there is one."""
        return self.p_value if self.q_value is None else self.q_value

    @property
    def significant(self) -> bool:
        return self.evidence < ALPHA

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


def _checked(before, after) -> tuple[int, int]:
    before, after = int(before), int(after)
    if before < 0 or after < 0:
        raise ValueError("counts cannot be negative")
    return before, after


def poisson_change(before: int, after: int, exposure_before: float = 1.0,
                   exposure_after: float = 1.0) -> Change:
    """Exact conditional test of equal Poisson rates for two counts (e.g. two full years)."""
    before, after = _checked(before, after)
    p0 = exposure_after / (exposure_before + exposure_after)
    n = before + after
    if n == 0:
        return Change(before, after, 1.0, None, 0.0, float("inf"))
    p_value, low, high = binomial_test(after, n, p0)
    ratio = None if before == 0 else (after / exposure_after) / (before / exposure_before)
    return Change(before, after, p_value, ratio, _ratio(low, p0), _ratio(high, p0))


def _quasi_p(after: int, n: int, p0: float, dispersion: Dispersion) -> float:
    """Two-sided p of the share ``after / n`` against ``p0`` with variance φ·n·p0·(1 - p0),
    continuity-corrected, referred to t with the dispersion's degrees of freedom."""
    gap = max(abs(after - n * p0) - CONTINUITY, 0.0)
    z = gap / math.sqrt(dispersion.phi * n * p0 * (1 - p0))
    tail = ndtr(-z) if math.isinf(dispersion.df) else stdtr(dispersion.df, -z)
    return float(min(1.0, 2 * tail))


def count_change(before: int, after: int, exposure_before: float = 1.0,
                 exposure_after: float = 1.0, dispersion: Dispersion = POISSON) -> Change:
    """The change from ``before`` to ``after`` judged against ``dispersion``: the larger p of
    the exact Poisson test and the quasi-Poisson test; the rate-ratio interval is the exact
    one of the counts divided by φ."""
    exact = poisson_change(before, after, exposure_before, exposure_after)
    n = exact.before + exact.after
    if dispersion.poisson or n == 0:
        return exact
    p0 = exposure_after / (exposure_before + exposure_after)
    p_value = max(exact.p_value, _quasi_p(exact.after, n, p0, dispersion))
    low, high = clopper_pearson(exact.after / dispersion.phi, n / dispersion.phi)
    return replace(exact, p_value=p_value, ratio_low=_ratio(low, p0),
                   ratio_high=_ratio(high, p0), phi=dispersion.phi)


def _pearson(counts: Sequence[float], years: Sequence[int]) -> tuple[float, int]:
    """Pearson's X² of one series around its least-squares straight line, and its df."""
    y, t = np.asarray(counts, dtype=float), np.asarray(years, dtype=float)
    if len(y) < 3 or y.mean() < MIN_MEAN:
        return 0.0, 0
    slope, intercept = np.polyfit(t - t.mean(), y, 1)
    fitted = np.maximum(intercept + slope * (t - t.mean()), 0.5)
    return float(((y - fitted) ** 2 / fitted).sum()), len(y) - 2


def estimate_dispersion(series: Iterable[dict[int, int | None]],
                        reference: float = REFERENCE_DISPERSION,
                        reference_df: float = REFERENCE_DF) -> Dispersion:
    """φ pooled over ``series`` (each ``{year: count}``, full years only; None = unknown or
    hidden, left out), shrunk towards ``reference``: (X² + df₀·φ₀) / (df + df₀), at least 1."""
    x2, df = 0.0, 0
    for counts in series:
        known = sorted((y, c) for y, c in counts.items() if c is not None)
        value, degrees = _pearson([c for _y, c in known], [y for y, _c in known])
        x2, df = x2 + value, df + degrees
    estimate = x2 / df if df else None
    phi = (x2 + reference_df * reference) / (df + reference_df)
    return Dispersion(max(1.0, phi), df + reference_df, df, estimate)


def bh_adjusted(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (the smallest false discovery rate at which each
    would be rejected), as ``scipy.stats.false_discovery_control(ps, method='bh')``."""
    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return []
    order = np.argsort(p)
    scaled = p[order] * p.size / np.arange(1, p.size + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty_like(p)
    out[order] = np.minimum(adjusted, 1.0)
    return out.tolist()


def bh_adjusted_with(p_values: Sequence[float], alongside: Sequence[float] = ()) -> list[float]:
    """:func:`bh_adjusted` of ``p_values`` as members of one family with ``alongside`` (the
    other comparisons made and judged with them): the first ``len(p_values)`` of the whole
    family's adjusted p-values."""
    return bh_adjusted([*p_values, *alongside])[:len(p_values)]


def adjust(changes: Sequence[Change]) -> list[Change]:
    """The changes with ``q_value`` set by Benjamini-Hochberg over all of them."""
    q = bh_adjusted([c.p_value for c in changes])
    return [replace(c, q_value=value) for c, value in zip(changes, q)]


def verdict(change: Change) -> str:
    """The plain-language judgement used in titles and sentences."""
    if change.direction > 0:
        return "en reell økning"
    if change.direction < 0:
        return "en reell nedgang"
    return "innenfor tilfeldig variasjon"
