"""Exact tests on counts: the two-sided binomial test, the Clopper-Pearson interval and Fisher's
exact test.  Pure functions on public ``scipy.special`` functions.

``scipy.stats.binomtest`` and ``scipy.stats.fisher_exact`` give the same p-values (the tests in
``tests/unit/test_stats_exact.py`` compare them for thousands of inputs), but importing
``scipy.stats`` costs each server worker about 50 MB and each call about 1 ms of argument
checking; these functions use only ``scipy.special`` (``bdtr``, ``bdtrc``, ``gammaln``,
``betaincinv``), which the server imports anyway.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import bdtr, bdtrc, betainccinv, betaincinv, gammaln, xlog1py, xlogy

ALPHA = 0.05
RELATIVE_TIES = 1 + 1e-7   # outcomes this close in probability count as equally likely


def binomial_pmf(k, n: int, p: float):
    """P(X = k) for X ~ Binomial(n, p); ``k`` may be an array."""
    k = np.asarray(k, dtype=float)
    inside = (k >= 0) & (k <= n)
    kk = np.clip(k, 0, n)
    log = (gammaln(n + 1) - gammaln(kk + 1) - gammaln(n - kk + 1)
           + xlogy(kk, p) + xlog1py(n - kk, -p))
    return np.where(inside, np.exp(log), 0.0)


def _cdf(k: int, n: int, p: float) -> float:
    return 0.0 if k < 0 else (1.0 if k >= n else float(bdtr(k, n, p)))


def _sf(k: int, n: int, p: float) -> float:
    return 1.0 if k < 0 else (0.0 if k >= n else float(bdtrc(k, n, p)))


def _search(a, d: float, lo: int, hi: int) -> int:
    """The index i in [lo, hi] with a(i) <= d < a(i+1), ``a`` ascending over the range."""
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
    """Two-sided exact binomial test of ``k`` successes in ``n`` trials against ``p``: the
    probability of every outcome no more likely than ``k`` (the method of
    ``scipy.stats.binomtest``: a binary search on the far side of the mode, then two tails)."""
    def pmf(x: int) -> float:
        return float(binomial_pmf(x, n, p))

    if k == p * n:
        return 1.0
    d = pmf(k)
    if k < p * n:
        ix = _search(lambda x: -pmf(x), -d * RELATIVE_TIES, math.ceil(p * n), n)
        y = n - ix + int(d * RELATIVE_TIES == pmf(ix))
        value = _cdf(k, n, p) + _sf(n - y, n, p)
    else:
        ix = _search(pmf, d * RELATIVE_TIES, 0, math.floor(p * n))
        y = ix + 1
        value = _cdf(y - 1, n, p) + _sf(k - 1, n, p)
    return min(1.0, value)


def clopper_pearson(k: float, n: float, alpha: float = ALPHA) -> tuple[float, float]:
    """The exact two-sided 1 - ``alpha`` interval of a binomial proportion k/n: the alpha/2 and
    1 - alpha/2 quantiles of Beta(k, n-k+1) and Beta(k+1, n-k).  ``k`` and ``n`` may be
    non-integer (counts scaled by a dispersion factor)."""
    half = alpha / 2
    low = 0.0 if k <= 0 else float(betaincinv(k, n - k + 1, half))
    high = 1.0 if k >= n else float(betainccinv(k + 1, n - k, half))
    return low, high


def binomial_test(k: int, n: int, p: float, alpha: float = ALPHA) -> tuple[float, float, float]:
    """(p-value, low, high): the exact binomial test and the Clopper-Pearson interval of k/n."""
    k, n = int(k), int(n)
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n >= 1 (k={k}, n={n})")
    if not 0 <= p <= 1:
        raise ValueError(f"p ({p}) must be in [0, 1]")
    return (binomial_p(k, n, p), *clopper_pearson(k, n, alpha))


def fisher_exact_p(table) -> float:
    """Two-sided p-value of Fisher's exact test on a 2×2 table ``[[a, b], [c, d]]``: the
    probability, given the margins, of every table no more likely than the one observed."""
    (c00, c01), (c10, c11) = [[int(v) for v in row] for row in table]
    if min(c00, c01, c10, c11) < 0:
        raise ValueError("every cell of the table must be nonnegative")
    if 0 in (c00 + c10, c01 + c11, c00 + c01, c10 + c11):
        return 1.0
    n1, n2, draws = c00 + c01, c10 + c11, c00 + c10
    support = np.arange(max(0, draws - n2), min(n1, draws) + 1, dtype=float)
    log = (gammaln(n1 + 1) - gammaln(support + 1) - gammaln(n1 - support + 1)
           + gammaln(n2 + 1) - gammaln(draws - support + 1) - gammaln(n2 - draws + support + 1)
           - gammaln(n1 + n2 + 1) + gammaln(draws + 1) + gammaln(n1 + n2 - draws + 1))
    pmf = np.exp(log)
    observed = pmf[c00 - int(support[0])]
    return float(min(1.0, pmf[pmf <= observed * RELATIVE_TIES].sum()))
