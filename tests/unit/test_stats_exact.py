"""The exact tests in analysis.exact against scipy.stats, for many inputs.

analysis/exact.py computes the binomial test, the Clopper-Pearson interval and Fisher's exact
test on public scipy.special functions, without importing scipy.stats (memory and time per
server worker).  The p-values must be scipy.stats' to within 1e-9 (relative), the interval
limits the same roots to within scipy's own root-finding tolerance — and at least as exact:
the defining tail probabilities hold at the limits.  The Benjamini-Hochberg adjustment must be
scipy.stats.false_discovery_control's.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as sps

from analysis import exact, stats

# Small and large counts, the shares the findings use (0.5 for two full years, 0.25 for a year
# against the three before, partial years' day fractions, population shares), and edge cases.
SHARES = [0.5, 0.25, 214 / (366 + 214), 1 / 3, 0.8, 0.01, 0.999, 365 / 730.5]


def _cases(seed: int, count: int) -> list[tuple[int, int, float]]:
    rng = np.random.default_rng(seed)
    out = []
    for n in [1, 2, 3, 5, 10, 36, 289, 967, 5000, 60_000]:
        for p in SHARES:
            for k in {0, 1, n // 3, n // 2, round(n * p), n - 1, n}:
                if 0 <= k <= n:
                    out.append((k, n, p))
    for _ in range(count):
        n = int(rng.choice([rng.integers(1, 60), rng.integers(60, 3000),
                            rng.integers(3000, 200_000)]))
        p = float(rng.choice(SHARES + [float(rng.uniform(0.001, 0.999))]))
        centre = n * p
        k = int(np.clip(round(rng.normal(centre, 3 * math.sqrt(n * p * (1 - p)) + 1)), 0, n))
        out.append((k, n, p))
    return out


CASES = _cases(7, 1500)


def close(ours: float, theirs: float) -> bool:
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-300)


def test_binomial_p_values_are_scipys_numbers():
    mismatched = [(k, n, p, stats.binomial_p(k, n, p), sps.binomtest(k, n, p).pvalue)
                  for k, n, p in CASES
                  if not close(stats.binomial_p(k, n, p), sps.binomtest(k, n, p).pvalue)]
    assert mismatched == []


def test_clopper_pearson_limits_are_scipys_roots():
    worst = 0.0
    for k, n, p in CASES:
        low, high = stats.clopper_pearson(k, n)
        ci = sps.binomtest(k, n, p).proportion_ci(confidence_level=0.95, method="exact")
        # brentq stops within 2e-12 (+ 4 eps relative) of the root
        assert low == pytest.approx(ci.low, abs=4e-12, rel=1e-14), (k, n)
        assert high == pytest.approx(ci.high, abs=4e-12, rel=1e-14), (k, n)
        worst = max(worst, abs(low - ci.low), abs(high - ci.high))
        # ... and the closed form is the root: the tail probabilities there are alpha/2
        if 0 < k:
            assert sps.binom.sf(k - 1, n, low) == pytest.approx(0.025, rel=1e-7), (k, n)
        if k < n:
            assert sps.binom.cdf(k, n, high) == pytest.approx(0.025, rel=1e-7), (k, n)
    assert worst > 0  # the comparison is not of one function with itself


def test_the_closed_form_is_at_least_as_close_to_the_root_as_brentq():
    """Where the two differ, the defining tail probability is no further from alpha/2 at
    ours (within floating-point noise of the tail function itself)."""
    for k, n, _p in CASES[::7]:
        if not 0 < k < n:
            continue
        low, high = stats.clopper_pearson(k, n)
        ci = sps.binomtest(k, n).proportion_ci(method="exact")
        ours = abs(sps.binom.cdf(k, n, high) - 0.025)
        theirs = abs(sps.binom.cdf(k, n, ci.high) - 0.025)
        assert ours <= theirs + 1e-13, (k, n, ours, theirs)
        ours = abs(sps.binom.sf(k - 1, n, low) - 0.025)
        theirs = abs(sps.binom.sf(k - 1, n, ci.low) - 0.025)
        assert ours <= theirs + 1e-13, (k, n, ours, theirs)


def test_fisher_p_values_are_scipys_numbers():
    rng = np.random.default_rng(11)
    tables = [[[0, 0], [0, 0]], [[0, 5], [0, 7]], [[3, 0], [4, 0]], [[1, 9], [11, 3]],
              [[30, 70], [70, 30]], [[50, 50], [50, 50]], [[0, 10], [10, 0]],
              [[2, 0], [0, 2]], [[12, 5], [3, 900]]]
    for _ in range(1500):
        na, nb = (int(v) for v in rng.integers(1, rng.choice([30, 400, 3000]), size=2))
        pa = float(rng.uniform(0, 1))
        pb = float(np.clip(pa + rng.normal(0, 0.05), 0, 1))
        ka, kb = round(pa * na), round(pb * nb)
        tables.append([[kb, nb - kb], [ka, na - ka]])
    mismatched = [(t, stats.fisher_exact_p(t), sps.fisher_exact(t).pvalue) for t in tables
                  if not close(stats.fisher_exact_p(t), sps.fisher_exact(t).pvalue)]
    assert mismatched == []


def test_poisson_change_matches_scipy_for_the_findings_exposures():
    for before, after in [(107, 182), (19, 17), (622, 345), (0, 3), (3, 0), (1, 1),
                          (2500, 2630), (40_000, 41_200)]:
        for eb, ea in [(1.0, 1.0), (3.0, 1.0), (1.0, 214 / 366), (52_000.0, 1_400.0)]:
            change = stats.poisson_change(before, after, eb, ea)
            p0 = ea / (eb + ea)
            ref = sps.binomtest(after, before + after, p0)
            assert close(change.p_value, ref.pvalue)
            ci = ref.proportion_ci(method="exact")
            assert change.ratio_low == pytest.approx(stats._ratio(ci.low, p0), rel=1e-9)
            assert change.ratio_high == pytest.approx(stats._ratio(ci.high, p0), rel=1e-9)


def test_binomial_test_refuses_impossible_input():
    with pytest.raises(ValueError):
        stats.binomial_test(5, 3, 0.5)
    with pytest.raises(ValueError):
        stats.binomial_test(1, 3, 1.5)
    with pytest.raises(ValueError):
        stats.fisher_exact_p([[1, -1], [2, 3]])


def test_the_dashboards_statistics_do_not_import_scipy_stats():
    """scipy.stats costs a server worker about 50 MB; the findings must not pull it in."""
    code = ("import sys; import analysis.findings, analysis.survey, analysis.stats; "
            "print('scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_benjamini_hochberg_is_scipys():
    rng = np.random.default_rng(3)
    for size in (1, 2, 7, 40, 300):
        p = np.concatenate([rng.uniform(size=size), rng.uniform(0, 0.01, size=size // 3)])
        p[::5] = p[0]  # ties
        assert stats.bh_adjusted(p) == pytest.approx(sps.false_discovery_control(p), rel=1e-12)
    assert stats.bh_adjusted([]) == []


def test_the_exact_module_uses_only_public_scipy():
    source = (Path(exact.__file__)).read_text() + Path(stats.__file__).read_text()
    assert "._" not in "".join(line for line in source.splitlines() if "import" in line)
