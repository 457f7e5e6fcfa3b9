"""The general statistical tests and intervals (ttwell.calculations.statistics): known answers only.

Every reference number is quoted with its source: R's printout (the call is in the comment), a published table, or
a hand calculation worked in the comment.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import episode, load, month_ends, snap
from ttwell.calculations import statistics, workforce
from ttwell.calculations.statistics import newcombe_difference
from ttwell.errors import ParameterError


# --- parametric, nonparametric, effect sizes, multiplicity ---------------------------------------------------------

# R's `sleep` data (extra hours of sleep; the same 10 people under two drugs), as printed in ?t.test.
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_paired_t_reproduces_r_sleep():
    # R: with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE)) ->
    # t = -4.0621, df = 9, p-value = 0.002833, 95% CI -2.4598858 -0.7001142 (stats spec 1.2, PUBLISHED).
    res = statistics.paired_t(pre=SLEEP_2, post=SLEEP_1).iloc[0]  # post - pre = group 1 - group 2, as R's printout
    assert res["t"] == pytest.approx(-4.0621, abs=5e-5)
    assert res["df"] == 9
    assert res["p"] == pytest.approx(0.002833, abs=5e-7)
    assert res["ci_low"] == pytest.approx(-2.4598858, abs=1e-7)
    assert res["ci_high"] == pytest.approx(-0.7001142, abs=1e-7)
    assert res["mean_change"] == pytest.approx(-1.58)


def test_wilcoxon_reproduces_r_default_on_sleep():
    # R: wilcox.test(group2, group1, paired = TRUE) -> V = 45, p-value = 0.009091 (one zero change and a tie, so
    # R uses the normal approximation with continuity correction; stats spec 1.3, VERIFIED). scipy's own default
    # would give 0.00390625 and statistic min(W+, W-) = 0.
    res = statistics.wilcoxon_signed_rank(pre=SLEEP_1, post=SLEEP_2).iloc[0]
    assert res["wilcoxon_v"] == 45
    assert res["wilcoxon_p"] == pytest.approx(0.009091, abs=5e-7)
    assert res["n_nonzero"] == 9
    assert res["wilcoxon_method"] == statistics.METHOD_WILCOXON_NORMAL


def test_wilcoxon_exact_without_ties_or_zeros_as_r():
    # R: wilcox.test(1:8) -> V = 36, p-value = 0.007812 (exact: n < 50, no ties, no zeros) = 2 / 2^8.
    res = statistics.wilcoxon_signed_rank(pre=np.zeros(8), post=np.arange(1, 9)).iloc[0]
    assert res["wilcoxon_v"] == 36
    assert res["wilcoxon_p"] == pytest.approx(2 / 2**8)
    assert res["wilcoxon_method"] == statistics.METHOD_WILCOXON_EXACT
    # V counts only positive ranks: one negative change of rank 1 gives V = 35.
    res = statistics.wilcoxon_signed_rank(pre=np.zeros(8), post=[-1, 2, 3, 4, 5, 6, 7, 8]).iloc[0]
    assert res["wilcoxon_v"] == 35


def test_effect_sizes_reproduce_sleep():
    # stats spec 1.4 (VERIFIED R effectsize / pingouin): d_z = 1.284558, d_av = 0.832181,
    # R effectsize::hedges_g(group2, group1, paired = TRUE) = 1.17392 (exact J with m = n - 1 = 9).
    res = statistics.effect_sizes(pre=SLEEP_1, post=SLEEP_2).iloc[0]
    assert res["d_z"] == pytest.approx(1.284558, abs=5e-7)
    assert res["d_av"] == pytest.approx(0.832181, abs=5e-7)
    assert res["hedges_gz"] == pytest.approx(1.17392, abs=5e-6)
    # Not the approximate J = 1 - 3/(4m - 1), and not pingouin's 0.79702 (d_av with m = 2n - 2).
    assert res["hedges_gz"] != pytest.approx(1.284558 * (1 - 3 / (4 * 9 - 1)), abs=5e-6)


def test_welch_reproduces_r_sleep():
    # R: t.test(extra ~ group, data = sleep) -> t = -1.8608, df = 17.776, p-value = 0.07939,
    # 95% CI -3.3654832 0.2054832 (stats spec 1.7, PUBLISHED).
    res = statistics.welch_t(pre=SLEEP_2, post=SLEEP_1).iloc[0]
    assert res["t"] == pytest.approx(-1.8608, abs=5e-5)
    assert res["df"] == pytest.approx(17.776, abs=5e-4)
    assert res["p"] == pytest.approx(0.07939, abs=5e-6)
    assert res["ci_low"] == pytest.approx(-3.3654832, abs=1e-7)
    assert res["ci_high"] == pytest.approx(0.2054832, abs=1e-7)


def test_mcnemar_reproduces_agresti():
    # Agresti presidential approval 794/150/86/570 (stats spec 1.5): R mcnemar.test -> McNemar's chi-squared =
    # 16.818, p-value = 4.115e-05; exact binomial p = 3.716e-05 (VERIFIED R / statsmodels).
    res = statistics.mcnemar_test(150, 86, a=794, d=570).iloc[0]
    assert res["mcnemar_statistic"] == pytest.approx(16.818, abs=5e-4)
    assert res["mcnemar_p"] == pytest.approx(4.115e-5, rel=1e-3)
    assert res["mcnemar_method"] == statistics.METHOD_MCNEMAR_CHI2  # b + c = 236 >= 25
    exact = statistics.mcnemar_test(150, 86, a=794, d=570, method="exact").iloc[0]
    assert exact["mcnemar_p"] == pytest.approx(3.716e-5, rel=1e-3)
    # b + c < 25 switches to the exact test: 8 vs 2 -> binom.test(2, 10) p = 0.109375.
    small = statistics.mcnemar_test(8, 2).iloc[0]
    assert small["mcnemar_method"] == statistics.METHOD_MCNEMAR_EXACT
    assert small["mcnemar_p"] == pytest.approx(0.109375)
    assert math.isnan(statistics.mcnemar_test(0, 0).iloc[0]["mcnemar_p"])


def test_holm_by_hand():
    # Holm (1979): sorted 0.005, 0.01, 0.03, 0.04 -> x4, x3, x2, x1 = 0.02, 0.03, 0.06, 0.04 -> running max
    # 0.02, 0.03, 0.06, 0.06; R p.adjust(c(.01, .04, .03, .005), "holm") = 0.03 0.06 0.06 0.02.
    assert statistics.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    adjusted = statistics.holm([0.01, np.nan, 0.5])
    assert adjusted[[0, 2]] == pytest.approx([0.02, 0.5]) and np.isnan(adjusted[1])


def test_hedges_j_exact():
    # J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)); J(2) = Gamma(1) / (1 * Gamma(1/2)) = 1/sqrt(pi).
    assert statistics.hedges_j(2) == pytest.approx(1 / math.sqrt(math.pi))
    assert statistics.hedges_j(200) == pytest.approx(1 - 3 / (4 * 200 - 1), abs=1e-6)


def test_holm_hand_worked_with_nan():
    # Sorted p: 0.005, 0.01, 0.03, 0.04 (m = 4) -> 4x0.005 = 0.02, 3x0.01 = 0.03, 2x0.03 = 0.06, 1x0.04 = 0.04,
    # running maximum -> 0.02, 0.03, 0.06, 0.06; back in the input order:
    assert statistics.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert np.isnan(statistics.holm([0.01, np.nan])[1]) and statistics.holm([0.01, np.nan])[0] == pytest.approx(0.01)


def test_chance_improvements_hand_worked():
    # 12 two-sided tests at 0.05: each "improves" by chance with probability 0.025 -> expected 0.3;
    # P(at least one) = 1 - 0.975^12 = 1 - 0.737998 = 0.262002; P(at least 2) = 1 - 0.975^12 - 12 x 0.025 x 0.975^11.
    r = statistics.chance_improvements(12)
    assert r["expected"] == pytest.approx(0.3)
    assert r["p_at_least_one"] == pytest.approx(0.262002, abs=1e-6)
    assert r["p_at_least"](2) == pytest.approx(1 - 0.975 ** 12 - 12 * 0.025 * 0.975 ** 11)


def test_paired_t_and_welch_t_return_one_tidy_row():
    assert list(statistics.paired_t([1, 2, 3], [2, 4, 5]).columns) == statistics.parametric.PAIRED_T_COLUMNS
    assert list(statistics.welch_t([1, 2, 3], [2, 4, 5]).columns) == statistics.parametric.WELCH_T_COLUMNS
    # Welch is not computed on fewer than two values or no spread at all: the row says NaN, never 0.
    assert math.isnan(statistics.welch_t([1], [2, 3]).iloc[0]["p"])
    assert math.isnan(statistics.welch_t([2, 2], [3, 3]).iloc[0]["ci_low"])


def test_mcnemar_rejects_an_unknown_method():
    with pytest.raises(ParameterError, match="'auto', 'exact' or 'chi2'"):
        statistics.mcnemar_test(3, 4, method="mid-p")


def test_wilcoxon_all_zero_changes_is_not_computed():
    res = statistics.wilcoxon_signed_rank([1, 2, 3], [1, 2, 3]).iloc[0]
    assert res["wilcoxon_v"] == 0 and math.isnan(res["wilcoxon_p"]) and res["n_nonzero"] == 0
    assert res["wilcoxon_method"].startswith("not computed")


# --- intervals ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("x, n, low, high", [
    # Newcombe 1998a (Stat Med 17:857) Table I, Wilson score intervals (method 3), to 4 dp;
    # R: prop.test(81, 263, correct = FALSE)$conf.int -> 0.2553 0.3662.
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
def test_wilson_interval_reference(x, n, low, high):
    share, lo, hi = statistics.wilson_interval(x, n)
    assert share == pytest.approx(x / n)
    assert (lo, hi) == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_of_an_empty_group_is_nan():
    assert all(math.isnan(v) for v in statistics.wilson_interval(0, 0))


def test_poisson_rate_interval_reference():
    # R: poisson.test(10, 1)$conf.int -> 4.795389 18.390356 (exact, Garwood);
    #    poisson.test(0, 1)$conf.int -> 0.000000 3.688879.
    rate, low, high = statistics.poisson_rate_interval(10, 1)
    assert (rate, low, high) == pytest.approx((10, 4.795389, 18.390356), abs=5e-6)
    # Per unit exposure: 10 events over 4 units -> rate 2.5, limits divided by 4.
    assert statistics.poisson_rate_interval(10, 4) == pytest.approx((2.5, 4.795389 / 4, 18.390356 / 4), abs=5e-6)
    assert statistics.poisson_rate_interval(0, 1)[1:] == pytest.approx((0.0, 3.688879), abs=5e-6)
    assert all(math.isnan(v) for v in statistics.poisson_rate_interval(3, 0))


def test_ratio_interval_hand_worked():
    # y = 1, 2, 3 over x = 10 each: R = 6/30 = 0.2; residuals y - R x = -1, 0, 1;
    # var = n/(n-1) x sum(e^2) / (sum x)^2 = 3/2 x 2 / 900 = 1/300; SE = 0.0577350; z = 1.959964;
    # CI 0.2 -/+ 0.1131586 = 0.0868414 to 0.3131586 (Cochran 1977, 6.9 with the n/(n-1) factor).
    est, low, high = statistics.ratio_interval([1, 2, 3], [10, 10, 10])
    half = 1.959963985 * math.sqrt(1 / 300)
    assert (est, low, high) == pytest.approx((0.2, 0.2 - half, 0.2 + half), abs=1e-9)
    # Every cluster the same ratio: the zero-width interval (named not estimable by not_estimable_reason).
    assert statistics.ratio_interval([1, 2], [10, 20]) == pytest.approx((0.1, 0.1, 0.1))
    # One cluster: no interval; the lower limit is clipped at 0.
    est, low, high = statistics.ratio_interval([1], [10])
    assert est == pytest.approx(0.1) and math.isnan(low) and math.isnan(high)
    assert statistics.ratio_interval([0, 0, 9], [10, 10, 10])[1] == 0.0


def test_ratio_interval_is_the_wls_hc1_interval_of_statsmodels():
    # The closed form against the regression it replaces: WLS of y/x on a constant, weights x, HC1, normal.
    from statsmodels.regression.linear_model import WLS

    rng = np.random.default_rng(7)
    x = rng.uniform(50, 250, 40)
    y = rng.gamma(0.3, 20, 40)
    fit = WLS(y / x, np.ones_like(x), weights=x).fit(cov_type="HC1")
    est, low, high = statistics.ratio_interval(y, x)
    assert est == pytest.approx(fit.params[0], rel=1e-12)
    assert (low, high) == pytest.approx(tuple(fit.conf_int(alpha=0.05)[0]), rel=1e-12)


def test_poisson_rate_difference_hand_worked():
    # 2 events over 9 vs 0 over 10: D = 2/9; SE = sqrt(2/81 + 0) = 0.1571348; z SE = 0.3079778.
    diff, low, high = statistics.poisson_rate_difference(2, 9, 0, 10)
    half = 1.959963985 * math.sqrt(2) / 9
    assert (diff, low, high) == pytest.approx((2 / 9, 2 / 9 - half, 2 / 9 + half), abs=1e-9)
    assert all(math.isnan(v) for v in statistics.poisson_rate_difference(2, 0, 1, 10))


def test_independent_difference_hand_worked():
    # D = 0.5 - 0.1 = 0.4; SE = sqrt(0.3^2 + 0.4^2) = 0.5; z SE = 0.9799820 -> -0.5799820 to 1.3799820.
    diff, low, high = statistics.independent_difference(0.5, 0.3, 0.1, 0.4)
    assert (diff, low, high) == pytest.approx((0.4, 0.4 - 0.979982, 0.4 + 0.979982), abs=1e-6)


# --- Newcombe (1998b Table II; spec 1.5) --------------------------------------------------------------------------

@pytest.mark.parametrize("x1, n1, x2, n2, low, high", [
    (56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090), (6, 7, 2, 7, 0.0582, 0.8062),
    (5, 56, 0, 29, -0.0381, 0.1926), (0, 10, 0, 20, -0.1611, 0.2775), (0, 10, 0, 10, -0.2775, 0.2775),
    (10, 10, 0, 20, 0.6791, 1.0), (10, 10, 0, 10, 0.6075, 1.0)])
def test_newcombe_difference_reference(x1, n1, x2, n2, low, high):
    diff, lo, hi = newcombe_difference(x1, n1, x2, n2)
    assert diff == pytest.approx(x1 / n1 - x2 / n2)
    assert (lo, hi) == pytest.approx((low, high), abs=5e-5)


# --- not estimable: a zero-width interval is named, never shown as 0% to 0% (issue 11, item 6) ---------------------

def test_team_with_no_absence_is_shown_as_not_estimable(tmp_path):
    # T01: p1, p2 full time all year; p1 off sick 10 days (01/04/2023 - 10/04/2023). T02: q1, q2, nobody sick.
    # Window Apr 2023 - Mar 2024 = 366 days. T01 rate = 10 / 732; T02 rate = 0 / 732 with every person's ratio 0,
    # so the linearised variance is 0 and the raw interval is 0 to 0.
    snapshot = [snap(d, pid, team=team) for d in month_ends("2023-03-01", "2024-03-31")
                for pid, team in (("p1", "T01"), ("p2", "T01"), ("q1", "T02"), ("q2", "T02"))]
    data = load(tmp_path, snapshot=snapshot, absence=[episode("e1", "p1", "01/04/2023", "10/04/2023")])
    table = workforce.baseline_summary(data, pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31"))
    sick = table[table["indicator"] == "sickness_absence_rate_12m"].set_index("group")
    assert sick.loc["T01", "value"] == pytest.approx(10 / 732)
    assert (sick.loc["T02", "value"], sick.loc["T02", "ci_low"], sick.loc["T02", "ci_high"]) == (0, 0, 0)
    shown = statistics.add_not_estimable_reasons(table)
    t02 = shown[(shown["indicator"] == "sickness_absence_rate_12m") & (shown["group"] == "T02")].iloc[0]
    assert t02["value"] == 0 and np.isnan(t02["ci_low"]) and np.isnan(t02["ci_high"])
    assert t02["not_estimable_reason"] == statistics.REASON_ZERO_VARIANCE
    t01 = shown[(shown["indicator"] == "sickness_absence_rate_12m") & (shown["group"] == "T01")].iloc[0]
    assert pd.isna(t01["not_estimable_reason"]) and t01["ci_high"] > t01["value"]
    # Census figures have no interval by design: no reason is invented for them.
    census = shown[shown["indicator"] == "staff_in_post_headcount"]
    assert census["not_estimable_reason"].isna().all()
