"""Funnel-plot limits and the over-dispersion adjustment, against values worked by hand (stats spec 2.7).

The exact limits follow Spiegelhalter (2005, Stat Med 24:1185), appendix: r_p the smallest r with F(r) >= p,
α = (F(r_p) - p) / (F(r_p) - F(r_p - 1)), limit (r_p - α)/n. The CDF values below were summed term by term from
the binomial and Poisson probability functions (math.comb, math.factorial), not with scipy.
"""

import math

import numpy as np
import pandas as pd
import pytest

from ttwell.calculations.funnel import WITHIN, design_effect, funnel, pooled_sd
from ttwell.errors import InputError, ParameterError


def units(numerators, denominators, **extra):
    return pd.DataFrame({"group": [f"Unit {i + 1}" for i in range(len(numerators))], "numerator": numerators,
                         "denominator": denominators, **extra})


# --- exact limits -------------------------------------------------------------------------------------------------

def test_binomial_upper_95_limit_at_10_people_worked_by_hand():
    # Binomial(10, 0.2): F(4) = 0.9672065024, F(5) = 0.9936306176, so r = 5 for p = 0.975,
    # α = (0.9936306176 - 0.975) / (0.9936306176 - 0.9672065024) = 0.7050612; limit = (5 - α)/10.
    f = funnel(units([2], [10]), target=0.2, overdispersion=False)
    assert f.units.loc[0, "upper_95"] == pytest.approx(0.4294939, abs=1e-7)
    # p = 0.025: F(0) = 0.1073741824 already exceeds it, r = 0 and the interpolated limit is below 0: clipped.
    assert f.units.loc[0, "lower_95"] == 0


def test_binomial_lower_99_8_limit_at_50_people_worked_by_hand():
    # Binomial(50, 0.3): F(5) = 0.00072286, F(6) = 0.00249372, so r = 6 for p = 0.001;
    # α = (0.00249372 - 0.001) / (0.00249372 - 0.00072286) = 0.8433; limit = (6 - α)/50 = 0.1031300.
    f = funnel(units([15], [50]), target=0.3, overdispersion=False)
    assert f.units.loc[0, "lower_99_8"] == pytest.approx(0.10312998, abs=1e-7)


def test_binomial_limits_approach_the_normal_limits_for_large_denominators():
    f = funnel(units([2000], [10000]), target=0.2, overdispersion=False)
    normal = 0.2 + 3.090232 * math.sqrt(0.2 * 0.8 / 10000)
    assert f.units.loc[0, "upper_99_8"] == pytest.approx(normal, abs=2e-4)


def test_poisson_limits_worked_by_hand():
    # Poisson(0.5 x 10 = 5): F(12) = 0.99798115, F(13) = 0.99930201, r = 13 for p = 0.999;
    # α = 0.22855; limit = (13 - α)/10 = 1.2771354.
    f = funnel(units([4], [10.0]), kind="rate", target=0.5, overdispersion=False)
    assert f.units.loc[0, "upper_99_8"] == pytest.approx(1.2771354, abs=1e-6)
    # Poisson(20) at p = 0.025: F(11) = 0.02138682, F(12) = 0.03901199, r = 12, α = 0.79244;
    # limit = (12 - α)/40 = 0.2801250.
    f = funnel(units([20], [40.0]), kind="rate", target=0.5, overdispersion=False)
    assert f.units.loc[0, "lower_95"] == pytest.approx(0.2801250, abs=1e-6)


def test_standardised_ratio_limits_are_poisson_around_one():
    # O/E with E = 5: the same Poisson(5) quantile as above, divided by E: (13 - 0.22855)/5.
    f = funnel(units([7], [5.0]), kind="ratio", overdispersion=False)
    assert f.target == 1
    assert f.units.loc[0, "upper_99_8"] == pytest.approx(2.5542708, abs=1e-6)
    assert f.units.loc[0, "value"] == pytest.approx(1.4)


def test_normal_limits_for_means_with_the_pooled_sd():
    # 50 ± 1.959964 x 10/√25 = 46.080072, 53.919928; 99.8%: 50 ± 3.090232 x 2.
    f = funnel(units([48.0], [25]), kind="mean", target=50, sd=10.0, overdispersion=False)
    row = f.units.loc[0]
    assert (row["lower_95"], row["upper_95"]) == pytest.approx((46.080072, 53.919928), abs=1e-6)
    assert (row["lower_99_8"], row["upper_99_8"]) == pytest.approx((43.819536, 56.180464), abs=1e-6)


def test_pooled_sd_weights_each_unit_by_its_degrees_of_freedom():
    # √((10 x 10² + 20 x 20²) / 30) = √300.
    assert pooled_sd([11, 21], [10.0, 20.0]) == pytest.approx(math.sqrt(300))
    # A unit of one respondent has no SD and no weight.
    assert pooled_sd([11, 21, 1], [10.0, 20.0, np.nan]) == pytest.approx(math.sqrt(300))


def test_means_default_target_is_the_respondent_weighted_mean_and_sd_can_be_a_column():
    f = funnel(units([40.0, 60.0], [10, 30], sd=[5.0, 5.0]), kind="mean", sd="sd", overdispersion=False)
    assert f.target == pytest.approx(55.0)
    assert f.sd == pytest.approx(5.0)


def test_default_target_is_the_ratio_of_sums_not_the_mean_of_ratios():
    f = funnel(units([1, 30], [10, 100]))
    assert f.target == pytest.approx(31 / 110)


# --- positions ----------------------------------------------------------------------------------------------------

def test_each_unit_is_placed_within_above_or_below_the_limits():
    # Target 0.2 at n = 100: 95% about 0.120-0.276, 99.8% about 0.081-0.327 (exact binomial).
    f = funnel(units([20, 29, 35, 11, 5], [100] * 5), target=0.2, overdispersion=False)
    assert list(f.units["position"]) == [WITHIN, "Above 95% limit", "Above 99.8% limit", "Below 95% limit",
                                         "Below 99.8% limit"]


def test_a_whole_count_at_its_interpolated_limit_is_judged_by_its_exact_tail():
    # All 6 of 6 stay when the service keeps 87.4%: P(X >= 6) = 0.874^6 = 0.446, so within limits, although the
    # interpolated 99.8% curve at n = 6 is (6 - α)/6 with α = (1 - 0.999)/(F(6) - F(5)) = 0.001/0.446 = 0.0022.
    f = funnel(units([6], [6]), target=0.874, overdispersion=False)
    assert f.units.loc[0, "upper_99_8"] == pytest.approx((6 - 0.001 / 0.874 ** 6) / 6, abs=1e-9)
    assert f.units.loc[0, "position"] == WITHIN
    # 35 of 100 against 20%: P(X >= 35) = 0.00034 < 0.001, above the 99.8% limit.
    assert funnel(units([35], [100]), target=0.2, overdispersion=False).units.loc[0, "position"] == \
        "Above 99.8% limit"


# --- over-dispersion ----------------------------------------------------------------------------------------------

Z = [-3, -2, -1, 0, 0, 0, 1, 1, 2, 4]


def test_overdispersion_worked_by_hand_with_equal_weights():
    # Means with σ = 1, n = 1 and target 0: z_i = y_i. R's type-7 10th and 90th percentiles of Z are -2.1 and
    # 2.2; Winsorised squares sum to 4.41 + 4 + 1 + 0 + 0 + 0 + 1 + 1 + 4 + 4.84 = 20.25, so φ = 2.025 and
    # I·φ = 20.25 on 9 df (p = 0.01643, R: pchisq(20.25, 9, lower.tail = FALSE)). τ² = (20.25 - 9) / (10 - 10/10) = 1.25; the widened 95% limits at n = 1
    # are ± 1.959964 √(1 + 1.25) = ± 2.939946.
    f = funnel(units([float(z) for z in Z], [1] * 10), kind="mean", target=0, sd=1.0)
    od = f.overdispersion
    assert od.phi == pytest.approx(2.025)
    assert od.statistic == pytest.approx(20.25)
    assert od.df == 9
    assert od.p_value == pytest.approx(0.01643, abs=1e-5)
    assert od.tau2 == pytest.approx(1.25)
    assert od.adjusted
    assert f.units.loc[0, "upper_95"] == pytest.approx(2.939946, abs=1e-6)
    assert f.units.loc[0, "lower_95"] == pytest.approx(-2.939946, abs=1e-6)
    # Unit 1 (-3) is below the unadjusted 99.8% limit (-3.09 would not be) but only below 95% once widened.
    assert f.units.loc[0, "position"] == "Below 95% limit"
    assert f.units.loc[9, "position"] == "Above 95% limit"


def test_overdispersion_tau2_with_unequal_weights_worked_by_hand():
    # Five units of n = 1 (z = y) and five of n = 4 (z = 2y): the same z-scores, so φ = 2.025 again.
    # Σw = 5 x 1 + 5 x 4 = 25; Σw² = 5 + 80 = 85; τ² = 11.25 / (25 - 85/25) = 11.25 / 21.6 = 0.5208333.
    y = [-3, -2, -1, 0, 0, 0, 0.5, 0.5, 1, 2]
    f = funnel(units(y, [1] * 5 + [4] * 5), kind="mean", target=0, sd=1.0)
    assert f.overdispersion.phi == pytest.approx(2.025)
    assert f.overdispersion.tau2 == pytest.approx(11.25 / 21.6)
    # At n = 4 the 95% limit is 1.959964 √(1/4 + τ²).
    assert f.units.loc[9, "upper_95"] == pytest.approx(1.959964 * math.sqrt(0.25 + 11.25 / 21.6), abs=1e-6)


NINE = [-4.0, -3.0, -2.0, 0.0, 0.0, 0.0, 2.0, 3.0, 4.0]


def test_too_few_units_keep_unadjusted_limits_and_say_why():
    # Winsorised at -3.2 and 3.2: I·φ = 46.48 on 8 df, p < 0.0001, but 9 units are fewer than the minimum.
    f = funnel(units(NINE, [1] * 9), kind="mean", target=0, sd=1.0)
    assert f.overdispersion.statistic == pytest.approx(46.48)
    assert f.overdispersion.p_value < 0.05
    assert not f.overdispersion.adjusted and f.overdispersion.tau2 == 0
    assert "fewer than 10" in f.overdispersion.reason
    assert f.units.loc[0, "upper_95"] == pytest.approx(1.959964, abs=1e-6)
    # The minimum is a named, configurable setting.
    assert funnel(units(NINE, [1] * 9), kind="mean", target=0, sd=1.0, min_units=9).overdispersion.adjusted


def test_no_adjustment_when_the_test_does_not_reject_or_when_switched_off():
    calm = funnel(units([-1.0, 0.5, 0, 0.2, -0.4, 0.9, -0.3, 0.1, 0, -0.6], [1] * 10), kind="mean", target=0,
                  sd=1.0)
    assert calm.overdispersion.p_value > 0.05 and not calm.overdispersion.adjusted
    assert "no more than chance" in calm.overdispersion.reason
    off = funnel(units([float(z) for z in Z], [1] * 10), kind="mean", target=0, sd=1.0, overdispersion=False)
    assert not off.overdispersion.adjusted and off.overdispersion.phi == pytest.approx(2.025)
    assert "not adjusted" in off.overdispersion.reason


def test_winsorising_share_is_configurable():
    # With none Winsorised: φ = (9 + 4 + 1 + 0 + 0 + 0 + 1 + 1 + 4 + 16)/10 = 3.6.
    f = funnel(units([float(z) for z in Z], [1] * 10), kind="mean", target=0, sd=1.0, winsorise=0)
    assert f.overdispersion.phi == pytest.approx(3.6)


def test_design_effect_worked_by_hand():
    # R = 12/400 = 0.03; residuals y - R x = -3, 7, -3, -1, squares 68; cluster variance (4/3) 68 / 400² =
    # 0.000566667; Poisson variance 0.03/400 = 0.000075; ratio 7.5556.
    assert design_effect([0, 10, 0, 2], [100] * 4) == pytest.approx(7.555556, abs=1e-6)
    assert design_effect([1], [10]) == 1.0


def test_a_known_dispersion_widens_rate_limits_to_the_normal_multiplicative_form():
    # θ0 = 0.05 per day, E = 1000 days, φ = 4: 0.05 ± 1.959964 √(4 x 0.05/1000).
    f = funnel(units([50.0], [1000.0]), kind="rate", target=0.05, dispersion=4.0, overdispersion=False)
    assert f.units.loc[0, "upper_95"] == pytest.approx(0.05 + 1.959964 * math.sqrt(0.0002), abs=1e-7)
    assert "multiplied by 4" in f.method


# --- curves, summary and errors -----------------------------------------------------------------------------------

def test_curves_cover_the_units_and_narrow_as_the_denominator_grows():
    f = funnel(units([3, 10, 40], [12, 50, 200]), overdispersion=False)
    assert f.curves["denominator"].min() <= 12 and f.curves["denominator"].max() >= 200
    width = f.curves["upper_99_8"] - f.curves["lower_99_8"]
    assert width.iloc[-1] < width.iloc[len(width) // 2] < width.iloc[0]
    summary = f.summary()
    assert summary["target"] == pytest.approx(53 / 262)
    assert set(summary["curves"]) == {"denominator", "lower_95", "upper_95", "lower_99_8", "upper_99_8"}


def test_limits_at_other_denominators_match_the_limits_of_a_unit_of_that_size():
    # A staff-wide report draws a unit at its rounded size: the limits there are those of Binomial(10, 0.2), the
    # hand-worked upper 95% limit above (0.4294939), whatever sizes the funnel was fitted on.
    f = funnel(units([3, 10, 40], [12, 50, 200]), target=0.2, overdispersion=False)
    at = f.limits_at([10])
    assert at.loc[0, "upper_95"] == pytest.approx(0.4294939, abs=1e-7)
    assert at.loc[0, "lower_95"] == 0
    # With a dispersion factor: the normal multiplicative form at the new size, 0.05 ± 1.959964 √(4 x 0.05/1000).
    f = funnel(units([50.0, 30.0], [800.0, 500.0]), kind="rate", target=0.05, dispersion=4.0, overdispersion=False)
    assert f.limits_at([1000.0]).loc[0, "upper_95"] == pytest.approx(0.05 + 1.959964 * math.sqrt(0.0002), abs=1e-7)
    # Curves over the shown sizes only: a hidden small unit does not stretch them.
    curves = funnel(units([3, 10, 40], [12, 50, 200]), overdispersion=False).curves_over([50, 200])
    assert curves["denominator"].min() == 40 and curves["denominator"].max() == 220


def test_bad_units_are_all_listed_at_once():
    bad = units([5, -1, 3, 2], [4, 10, 0, 9]).assign(group=["A", "B", "C", "A"])
    with pytest.raises(InputError) as err:
        funnel(bad)
    found = {(p.row, p.column, p.value, p.expected) for p in err.value.problems}
    assert found == {(2, "numerator", "5", "no more than the denominator (4)"), (3, "numerator", "-1", "a number of at least 0"),
                     (4, "denominator", "0", "a number above 0"), (5, "group", "A", "each unit once")}


def test_proportions_need_whole_denominators_and_means_need_an_sd():
    with pytest.raises(InputError, match="average headcount"):
        funnel(units([1, 2], [10.5, 12]))
    with pytest.raises(ParameterError, match="standard deviation"):
        funnel(units([1.0, 2.0], [10, 12]), kind="mean")
    with pytest.raises(ParameterError, match="must be one of"):
        funnel(units([1, 2], [10, 12]), kind="percent")
    with pytest.raises(ParameterError, match="no column 'people'"):
        funnel(units([1, 2], [10, 12]), denominator="people")


def test_exact_quantiles_match_scipy_stats_over_many_denominators():
    # The limits use scipy.special (light to import); scipy.stats's ppf is the independent check of r_p.
    from scipy import stats

    from ttwell.calculations.funnel import _quantile

    n = np.arange(1, 400, dtype=float)
    for p in (0.001, 0.025, 0.975, 0.999):
        for target in (0.03, 0.5, 0.87):
            assert np.array_equal(_quantile("proportion", p, n, target), stats.binom.ppf(p, n, target))
        exposure = n * 3.7
        assert np.array_equal(_quantile("rate", p, exposure, 0.05), stats.poisson.ppf(p, 0.05 * exposure))
