"""The exact Poisson (conditional binomial) test of a change between two yearly counts."""

from math import comb

import pytest

from analysis.stats import (
    REFERENCE_DISPERSION,
    Dispersion,
    adjust,
    count_change,
    estimate_dispersion,
    poisson_change,
    verdict,
)


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


# --- counts that cluster by offender ----------------------------------------------------------

def test_a_dispersion_above_one_never_gives_a_smaller_p_than_poisson():
    for before, after in [(107, 182), (19, 17), (0, 9), (40, 80), (2500, 2630)]:
        for phi in (1.5, 3.0, 6.0):
            judged = count_change(before, after, dispersion=Dispersion(phi, 20))
            assert judged.p_value >= poisson_change(before, after).p_value
            assert judged.phi == phi


def test_zero_to_nine_ten_year_olds_is_not_a_real_rise_when_offences_cluster():
    """«Forhold begått av 10-åringer økte fra 0 til 9» may be one child."""
    assert poisson_change(0, 9).significant
    assert not count_change(0, 9, dispersion=Dispersion(3.0, 4)).significant


def test_the_dispersion_is_estimated_around_each_series_trend_and_pooled():
    steady_rise = {2019: 100, 2020: 120, 2021: 140, 2022: 160, 2023: 180}
    assert estimate_dispersion([steady_rise], reference_df=0).estimate == pytest.approx(0.0)
    noisy = {2019: 50, 2020: 150, 2021: 60, 2022: 140, 2023: 55}
    judged = estimate_dispersion([noisy, steady_rise], reference_df=0)
    assert judged.estimate > 10 and judged.data_df == 6


def test_a_short_history_is_shrunk_towards_the_reference_and_never_below_poisson():
    assert estimate_dispersion([]).phi == pytest.approx(REFERENCE_DISPERSION)
    assert estimate_dispersion([{2022: 10, 2023: 11}]).data_df == 0   # two years: no estimate
    flat = {y: 100 for y in range(2010, 2024)}
    assert estimate_dispersion([flat] * 5).phi == 1.0


def test_the_adjustment_for_many_comparisons_only_raises_p():
    changes = [count_change(100, 100 + k) for k in (0, 10, 30, 60)]
    adjusted = adjust(changes)
    assert all(a.q_value >= c.p_value for a, c in zip(adjusted, changes))
    assert adjusted[-1].significant and not adjusted[0].significant
