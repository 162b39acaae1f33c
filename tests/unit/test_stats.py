"""The exact Poisson (conditional binomial) test of a change between two yearly counts."""

from math import comb

import pytest

from analysis.stats import poisson_change, verdict


def two_sided_binomial_p(k: int, n: int) -> float:
    """Independent reference: sum of Binomial(n, 1/2) probabilities no larger than P(k)."""
    probs = [comb(n, i) / 2 ** n for i in range(n + 1)]
    return min(1.0, sum(p for p in probs if p <= probs[k] * (1 + 1e-7)))


def test_grenland_vinning_2021_to_2022_is_a_real_rise():
    change = poisson_change(107, 182)
    assert change.p_value == pytest.approx(two_sided_binomial_p(182, 289), rel=1e-6)
    assert change.p_value < 0.001
    assert change.direction == 1
    assert verdict(change) == "en reell økning"
    assert change.ratio == pytest.approx(182 / 107)
    assert change.ratio_low > 1  # the whole interval lies above "no change"


def test_seksuallovbrudd_19_to_17_is_within_chance():
    change = poisson_change(19, 17)
    assert change.p_value == pytest.approx(two_sided_binomial_p(17, 36), rel=1e-6)
    assert change.p_value > 0.8
    assert change.direction == 0
    assert verdict(change) == "innenfor tilfeldig variasjon"
    assert change.ratio_low < 1 < change.ratio_high


def test_a_large_fall_is_a_real_fall():
    change = poisson_change(622, 345)  # Grenland 2023 full year vs 2024 to 01.08 (never shown)
    assert change.direction == -1
    assert verdict(change) == "en reell nedgang"


def test_zero_to_three_has_p_one_quarter():
    change = poisson_change(0, 3)  # P = 2 * (1/2)^3
    assert change.p_value == pytest.approx(0.25)
    assert change.ratio is None
    assert not change.significant


def test_two_zeros_are_no_change():
    change = poisson_change(0, 0)
    assert change.p_value == 1.0
    assert change.direction == 0


def test_unequal_exposure_compares_rates_not_counts():
    # Twice the population and twice the offences: the same rate.
    change = poisson_change(100, 200, exposure_before=1000, exposure_after=2000)
    assert change.ratio == pytest.approx(1.0)
    assert change.p_value == pytest.approx(1.0)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        poisson_change(-1, 3)
