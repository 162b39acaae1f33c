"""Is a change between two yearly counts larger than chance?  Pure functions, no Dash.

Two counts of rare, independent events are modelled as Poisson.  Given their sum n, the later
count is Binomial(n, p0) where p0 = e2 / (e1 + e2) is its share of the exposure (0.5 for two full
years of the same population).  The exact two-sided binomial test then asks whether the rates
differ; the Clopper-Pearson interval of the share gives an exact interval for the rate ratio.

The tests are computed here rather than with ``scipy.stats`` (about 55 MB of imports per server
worker, and ~1 ms of argument checking and root finding per test, called for every crime type
of every view).  :func:`binomial_test` and :func:`fisher_exact_p` follow ``scipy.stats.binomtest``
and ``scipy.stats.fisher_exact`` step by step on the same probability functions (Boost's, which
``scipy.stats`` itself calls through ``scipy.special``), so their p-values are the same numbers;
the Clopper-Pearson limits are the inverse regularised incomplete beta function in closed form
(``betaincinv``/``betainccinv``) where ``scipy.stats`` finds the same roots with ``brentq``
(tolerance 2e-12).  ``tests/unit/test_stats_exact.py`` checks both against ``scipy.stats`` for
thousands of inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import betainccinv, betaincinv

try:  # Boost's distribution functions, which scipy.stats.binom / hypergeom call (scipy >= 1.15)
    from scipy.special._ufuncs import (
        _binom_cdf,
        _binom_pmf,
        _binom_sf,
        _hypergeom_cdf,
        _hypergeom_pmf,
        _hypergeom_sf,
    )
except ImportError:  # an older scipy: the same functions through scipy.stats (a heavier import)
    from scipy.stats import binom as _binom
    from scipy.stats import hypergeom as _hypergeom

    _binom_cdf, _binom_pmf, _binom_sf = _binom.cdf, _binom.pmf, _binom.sf

    def _hypergeom_cdf(k, good, draws, total):
        return _hypergeom.cdf(k, total, good, draws)

    def _hypergeom_pmf(k, good, draws, total):
        return _hypergeom.pmf(k, total, good, draws)

    def _hypergeom_sf(k, good, draws, total):
        return _hypergeom.sf(k, total, good, draws)


# The raw functions are defined on the support only; outside it these give what scipy.stats'
# rv_discrete gives (pmf 0; cdf 0 below and 1 from the upper end; sf the complement), clipped
# to [0, 1] as rv_discrete clips.

def _clip(value) -> float:
    return min(max(float(value), 0.0), 1.0)


def _pmf(raw, k: int, lo: int, hi: int, *args) -> float:
    return _clip(raw(k, *args)) if lo <= k <= hi else 0.0


def _cdf(raw, k: int, lo: int, hi: int, *args) -> float:
    if k >= hi:
        return 1.0
    return _clip(raw(k, *args)) if k >= lo else 0.0


def _sf(raw, k: int, lo: int, hi: int, *args) -> float:
    if k < lo:
        return 1.0
    return _clip(raw(k, *args)) if k < hi else 0.0


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


def _search(a, d: float, lo: int, hi: int) -> int:
    """The index i in [lo, hi] with a(i) <= d < a(i+1), ``a`` ascending over the range
    (scipy.stats' ``_binary_search_for_binom_tst``, on integers)."""
    while lo < hi:
        mid = lo + (hi - lo) // 2
        value = a(mid)
        if value < d:
            lo = mid + 1
        elif value > d:
            hi = mid - 1
        else:
            return mid
    return lo if a(lo) <= d else lo - 1


def binomial_p(k: int, n: int, p: float) -> float:
    """Two-sided exact binomial test of ``k`` successes in ``n`` trials against probability
    ``p``: the probability of every outcome no more likely than ``k`` (relative tolerance 1e-7),
    step by step as ``scipy.stats.binomtest(k, n, p).pvalue``."""
    def pmf(x: int) -> float:
        return _pmf(_binom_pmf, x, 0, n, n, p)

    d = pmf(k)
    rerr = 1 + 1e-7
    if k == p * n:
        return 1.0
    if k < p * n:
        ix = _search(lambda x: -pmf(x), -d * rerr, math.ceil(p * n), n)
        y = n - ix + int(d * rerr == pmf(ix))
        pval = _cdf(_binom_cdf, k, 0, n, n, p) + _sf(_binom_sf, n - y, 0, n, n, p)
    else:
        ix = _search(pmf, d * rerr, 0, math.floor(p * n))
        y = ix + 1
        pval = _cdf(_binom_cdf, y - 1, 0, n, n, p) + _sf(_binom_sf, k - 1, 0, n, n, p)
    return min(1.0, pval)


def clopper_pearson(k: int, n: int, alpha: float = ALPHA) -> tuple[float, float]:
    """The exact two-sided 1 - ``alpha`` interval of a binomial proportion: the p where
    P(X >= k; n, p) = alpha/2 and where P(X <= k; n, p) = alpha/2, i.e. the alpha/2 and
    1 - alpha/2 quantiles of Beta(k, n-k+1) and Beta(k+1, n-k)."""
    half = alpha / 2
    low = 0.0 if k == 0 else float(betaincinv(k, n - k + 1, half))
    high = 1.0 if k == n else float(betainccinv(k + 1, n - k, half))
    return low, high


def binomial_test(k: int, n: int, p: float, alpha: float = ALPHA) -> tuple[float, float, float]:
    """(p-value, low, high): the exact binomial test and the Clopper-Pearson interval of k/n,
    as ``scipy.stats.binomtest(k, n, p)`` and its ``proportion_ci(method="exact")``."""
    k, n = int(k), int(n)
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n >= 1 (k={k}, n={n})")
    if not 0 <= p <= 1:
        raise ValueError(f"p ({p}) must be in [0, 1]")
    return (binomial_p(k, n, p), *clopper_pearson(k, n, alpha))


def fisher_exact_p(table) -> float:
    """Two-sided p-value of Fisher's exact test on a 2×2 table ``[[a, b], [c, d]]``, step by
    step as ``scipy.stats.fisher_exact(table).pvalue``."""
    (c00, c01), (c10, c11) = [[int(v) for v in row] for row in table]
    if min(c00, c01, c10, c11) < 0:
        raise ValueError("every cell of the table must be nonnegative")
    if 0 in (c00 + c10, c01 + c11, c00 + c01, c10 + c11):
        return 1.0
    n1, n2, n = c00 + c01, c10 + c11, c00 + c10   # row 1, row 2, column 1 (the draws)
    total = n1 + n2
    lo, hi = max(0, n - n2), min(n1, n)            # the support of cell [0][0]

    def pmf(x: int) -> float:
        return _pmf(_hypergeom_pmf, x, lo, hi, n1, n, total)

    def cdf(x: int) -> float:
        return _cdf(_hypergeom_cdf, x, lo, hi, n1, n, total)

    def sf(x: int) -> float:
        return _sf(_hypergeom_sf, x, lo, hi, n1, n, total)

    mode = int((n + 1) * (n1 + 1) / (total + 2))
    pexact, pmode = pmf(c00), pmf(mode)
    epsilon = 1e-14
    gamma = 1 + epsilon
    if abs(pexact - pmode) / max(pexact, pmode) <= epsilon:
        return 1.0
    if c00 < mode:
        plower = cdf(c00)
        if pmf(n) > pexact * gamma:
            return min(plower, 1.0)
        guess = _search(lambda x: -pmf(x), -pexact * gamma, mode, n)
        pvalue = plower + sf(guess)
    else:
        pupper = sf(c00 - 1)
        if pmf(0) > pexact * gamma:
            return min(pupper, 1.0)
        guess = _search(pmf, pexact * gamma, 0, mode)
        pvalue = pupper + cdf(guess)
    return min(pvalue, 1.0)


def _ratio(share: float, p0: float) -> float:
    if share >= 1:
        return float("inf")
    return (share / (1 - share)) * ((1 - p0) / p0)


def poisson_change(before: int, after: int, exposure_before: float = 1.0,
                   exposure_after: float = 1.0) -> Change:
    """Exact conditional test of equal Poisson rates for two counts (e.g. two full years).
    About 30 µs (scipy.stats.binomtest with its interval: about 2 ms), so not cached."""
    before, after = int(before), int(after)
    if before < 0 or after < 0:
        raise ValueError("counts cannot be negative")
    p0 = exposure_after / (exposure_before + exposure_after)
    n = before + after
    if n == 0:
        return Change(before, after, 1.0, None, 0.0, float("inf"))
    p_value, low, high = binomial_test(after, n, p0)
    ratio = None if before == 0 else (after / exposure_after) / (before / exposure_before)
    return Change(before, after, p_value, ratio, _ratio(low, p0), _ratio(high, p0))


def verdict(change: Change) -> str:
    """The plain-language judgement used in titles and sentences."""
    if change.direction > 0:
        return "en reell økning"
    if change.direction < 0:
        return "en reell nedgang"
    return "innenfor tilfeldig variasjon"
