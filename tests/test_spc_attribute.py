"""Tests for ttwell.calculations.spc.attribute: p, u and c charts (qicharts2 0.8.1, spc.md 3.3-3.4).

Limits are worked by hand in comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spc_cases import series
from ttwell.calculations import spc
from ttwell.errors import AnalysisError


def test_p_chart_limits_with_varying_denominators():
    # CL = (10 + 20 + 30) / (100 + 200 + 100) = 60/400 = 0.15.
    # n = 100: sigma = sqrt(0.15 * 0.85 / 100) = 0.0357071; limits 0.15 -/+ 0.1071214 = 0.0428786 / 0.2571214.
    # n = 200: sigma = sqrt(0.1275 / 200) = 0.0252488; limits 0.0742537 / 0.2257463.
    # p3 = 30/100 = 0.30 > 0.2571: outside, high.
    frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=3, freq="MS"),
                          "left": [10, 20, 30], "staff": [100, 200, 100]})
    points = spc.p_chart(frame, date="month", numerator="left", denominator="staff").points
    assert points["mean"].tolist() == pytest.approx([0.15] * 3)
    assert points["upl"].tolist() == pytest.approx([0.2571214, 0.2257463, 0.2571214], rel=1e-6)
    assert points["lpl"].tolist() == pytest.approx([0.0428786, 0.0742537, 0.0428786], rel=1e-6)
    assert points["rule"].tolist() == ["none", "none", "outside_limits"] and points["side"].iloc[2] == "high"
    # Small denominators: CL 0.5, n = 1 -> 0.5 -/+ 1.5, clipped to [0, 1].
    tiny = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=2, freq="MS"), "left": [0, 1], "staff": [1, 1]})
    clipped = spc.p_chart(tiny, date="month", numerator="left", denominator="staff").points
    assert clipped["lpl"].tolist() == [0, 0] and clipped["upl"].tolist() == [1, 1]


def test_u_and_c_chart_limits():
    # u: CL = (4 + 8 + 3) / (2 + 4 + 1) = 15/7 = 2.142857; n = 1: sigma = sqrt(15/7) = 1.463850 -> UCL
    # 2.142857 + 4.391550 = 6.534407, LCL max(-2.248693, 0) = 0; n = 4: sigma 0.731925 -> 4.338632 / 0 (clip).
    frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=3, freq="MS"),
                          "episodes": [4, 8, 3], "fte": [2, 4, 1]})
    u = spc.u_chart(frame, date="month", numerator="episodes", denominator="fte").points
    assert u["mean"].iloc[0] == pytest.approx(15 / 7)
    assert u["upl"].tolist() == pytest.approx([15 / 7 + 3 * np.sqrt(15 / 14), 15 / 7 + 3 * np.sqrt(15 / 28), 6.534407],
                                              rel=1e-6)
    assert u["lpl"].tolist() == [0, 0, 0]
    # c: counts 2, 4, 6, 4, 14 -> CL 6, sigma sqrt 6 = 2.449490; UCL 13.348469, LCL max(-1.35, 0) = 0: 14 outside.
    c = spc.c_chart(series([2, 4, 6, 4, 14]), date="month", value="value").points
    assert c["upl"].iloc[0] == pytest.approx(13.348469) and c["lpl"].iloc[0] == 0
    assert c["rule"].tolist()[-1] == "outside_limits"


def test_p_chart_runs_analysis_and_multiply():
    # 14 months at 10/100 then 14 at 20/100: CL 0.15, every point off the centre: 28 useful, runs of 14,
    # one crossing; max round(log2 28 = 4.81) + 3 = 8 -> signal. multiply=100 reports per cent.
    frame = pd.DataFrame({"month": pd.date_range("2022-01-01", periods=28, freq="MS"),
                          "left": [10] * 14 + [20] * 14, "staff": [100] * 28})
    result = spc.p_chart(frame, date="month", numerator="left", denominator="staff", multiply=100)
    row = result.summary.iloc[0]
    assert (row["n_useful"], row["longest_run"], row["longest_run_max"], row["n_crossings"]) == (28, 14, 8, 1)
    assert row["runs_signal"] and row["mean"] == pytest.approx(15)
    assert result.points["value"].iloc[0] == pytest.approx(10)


def test_p_chart_rejects_impossible_counts():
    frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=2, freq="MS"), "left": [5, 120],
                          "staff": [100, 100]})
    with pytest.raises(AnalysisError, match="cannot exceed"):
        spc.p_chart(frame, date="month", numerator="left", denominator="staff")


def test_u_chart_pooled_centre_on_a_fixed_baseline_with_varying_exposure():
    # Baseline (fix 3): episodes 4, 9, 1 over fte 2, 3, 1 -> rates 2, 3, 1 (mean of rates 2, NOT used);
    # pooled CL = 14 / 6 = 2.333333. All five points are judged against it (with all points CL would be
    # 76 / 58 = 1.310345).
    # sigma_i = sqrt(CL / n_i):
    #   n = 1: 1.527525 -> UCL 6.915909, LCL 0 (clipped); n = 2: 1.080123 -> UCL 5.573703, LCL 0;
    #   n = 3: 0.881917 -> UCL 4.979084, LCL 0 (2.3333 - 2.6458 < 0);
    #   n = 50: 0.216025 -> UCL 2.981407, LCL 1.685259.
    # Point 4: 12 / 2 = 6 > 5.573703 -> outside, high; point 5: 50 / 50 = 1 < 1.685259 -> outside, low.
    # Lower is better: point 4 is concern, point 5 improvement, icon improvement_low.
    # Runs vs 2.3333: rates 2, 3, 1, 6, 1 -> -, +, -, +, -: 5 useful, 4 crossings, longest 1;
    # max round(log2 5 = 2.32) + 3 = 5, min qbinom(.05, 4, .5) = 0 (P(X = 0) = 1/16 >= .05): no signal.
    frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=5, freq="MS"),
                          "episodes": [4, 9, 1, 12, 50], "fte": [2, 3, 1, 2, 50]})
    result = spc.u_chart(frame, date="month", numerator="episodes", denominator="fte",
                         fix_after_n_points=3, improvement_direction="decrease")
    points, row = result.points, result.summary.iloc[0]
    assert points["mean"].tolist() == pytest.approx([14 / 6] * 5)
    cl = 14 / 6
    expected_upl = [cl + 3 * np.sqrt(cl / n) for n in (2, 3, 1, 2, 50)]
    assert points["upl"].tolist() == pytest.approx(expected_upl, rel=1e-12)
    assert points["upl"].tolist() == pytest.approx([5.573704, 4.979085, 6.915909, 5.573704, 2.981407], rel=1e-6)
    assert points["lpl"].tolist()[:4] == [0, 0, 0, 0] and points["lpl"].iloc[4] == pytest.approx(1.685259, rel=1e-6)
    assert points["rule"].tolist() == ["none", "none", "none", "outside_limits", "outside_limits"]
    assert points["point_type"].tolist()[3:] == ["special_cause_concern", "special_cause_improvement"]
    assert points["in_baseline"].tolist() == [True, True, True, False, False]
    assert (row["n_baseline"], row["numerator_baseline"], row["denominator_baseline"]) == (3, 14, 6)
    assert row["variation_icon"] == "improvement_low"
    assert (row["n_useful"], row["n_crossings"], row["longest_run"]) == (5, 4, 1)
    assert (row["longest_run_max"], row["n_crossings_min"], row["runs_signal"]) == (5, 0, False)


def test_attribute_chart_marks_trial_limits():
    frame = series([1, 2, 1, 2, 1]).assign(num=[1, 2, 1, 2, 1], den=10)
    seg = spc.p_chart(frame, date="month", numerator="num", denominator="den").summary.iloc[0]
    assert bool(seg["trial_limits"]) and "only 5 points" in seg["variation_text"]
