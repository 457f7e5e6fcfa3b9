"""Known-answer tests for the SPC engine (spc.md): MDC XmR rules, Anhøj run charts, p/u/c charts.

Every series is small and worked by hand in a comment: mean, mean moving range (MR-bar), limits
(mean +/- 2.66 MR-bar), 2-sigma lines (mean +/- 1.77333 MR-bar) and which rule fires where. Point numbers in
comments are 1-based, as on a chart.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy.stats import binom

from ttwell.calculations import spc
from ttwell.errors import AnalysisError, InputError, ParameterError

# 12 points: mean 11, 11 moving ranges of 2 -> MR-bar 2; UPL 16.32, LPL 5.68, 2-sigma lines 7.4533 / 14.5467.
BASE = [10, 12] * 6


def series(values, start="2023-01-01", facet=None) -> pd.DataFrame:
    frame = pd.DataFrame({"month": pd.date_range(start, periods=len(values), freq="MS"),
                          "value": np.asarray(values, dtype=float)})
    if facet is not None:
        frame.insert(0, "team", facet)
    return frame


def run(values, **kwargs) -> spc.SPCResult:
    return spc.xmr(series(values), date="month", value="value", **kwargs)


def rules(result) -> list[str]:
    return result.points["rule"].tolist()


def expand(spec) -> list[str]:
    """[(3, 'none'), (2, 'shift')] -> ['none', 'none', 'none', 'shift', 'shift']"""
    return [rule for count, rule in spec for _ in range(count)]


# --- limits and screening ----------------------------------------------------------------------------------

def test_limits_of_a_stable_series():
    # 14 points 10, 12, ...: mean 11; 13 MRs of 2 -> MR-bar 2; UPL = 11 + 2.66*2 = 16.32, LPL = 5.68;
    # 2-sigma lines 11 +/- 1.77333*2 = 7.4533 / 14.5467. Signs alternate -, +: no shift, no trend, no 2-in-3.
    result = run([10, 12] * 7)
    row = result.summary.iloc[0]
    assert row["n"] == 14 and row["mean"] == pytest.approx(11) and row["mr_mean"] == pytest.approx(2)
    assert row["upl"] == pytest.approx(16.32, rel=1e-12) and row["lpl"] == pytest.approx(5.68, rel=1e-12)
    assert row["upper_2sigma"] == pytest.approx(11 + 2 * 2 * 2.66 / 3, rel=1e-12)
    assert set(rules(result)) == {"none"} and row["variation_icon"] == "common_cause"
    assert row["warnings"] == [] and row["assurance_icon"] is None
    assert list(result.points.columns[:10]) == spc.POINT_COLUMNS


def test_astronomical_point_and_moving_range_screening():
    # 10, 12 x 7 then 20 (15 points): mean = (70 + 84 + 20) / 15 = 11.6.
    # MRs: 13 of 2 and |20 - 12| = 8 -> raw MR-bar = 34/14 = 2.428571; screen at 3.267 * 2.428571 = 7.934:
    # 8 >= 7.934 is dropped -> MR-bar = 26/13 = 2; UPL = 11.6 + 5.32 = 16.92 -> 20 is "Above UCL".
    screened = run([10, 12] * 7 + [20])
    row = screened.summary.iloc[0]
    assert row["mr_mean"] == pytest.approx(2) and row["n_mr_screened_out"] == 1
    assert row["upl"] == pytest.approx(16.92) and row["lpl"] == pytest.approx(6.28)
    assert rules(screened) == ["none"] * 14 + ["outside_limits"]
    last = screened.points.iloc[-1]
    assert (last["side"], last["label"], last["point_type"]) == ("high", "Above UCL", "special_cause_improvement")
    assert not screened.points["moving_range_used"].iloc[-1] and screened.points["moving_range"].iloc[-1] == 8
    assert row["variation_icon"] == "improvement_high"
    # Without screening (the MDC Excel tool): MR-bar 34/14; UPL = 11.6 + 2.66 * 2.428571 = 18.06.
    raw = run([10, 12] * 7 + [20], screen_outliers=False).summary.iloc[0]
    assert raw["mr_mean"] == pytest.approx(34 / 14) and raw["n_mr_screened_out"] == 0
    assert raw["upl"] == pytest.approx(11.6 + 2.66 * 34 / 14)


def test_screening_is_a_single_pass():
    # 1, 1, 1, 1, 5: MRs 0, 0, 0, 4 -> raw MR-bar 1; 4 >= 3.267 * 1 is dropped. The recomputed MR-bar (0) is
    # not screened again; it leaves no limits (see the degenerate-limits test).
    summary = run([1, 1, 1, 1, 5]).summary.iloc[0]
    assert summary["n_mr_screened_out"] == 1 and summary["mr_mean"] == 0


# --- shift ---------------------------------------------------------------------------------------------------

SHIFT = [14, 6, 14, 6, 14, 6, 11, 12, 11, 12, 11, 12, 11, 9, 8, 9, 8, 9, 8, 9]
# sum 60 + 80 + 60 = 200, n 20 -> mean 10. MRs: 5 x 8, 5, 6 x 1, 2, 6 x 1 = 59 -> MR-bar 59/19 = 3.1053
# (screen at 10.14: none). UPL 18.26, LPL 1.74, 2 sigma 4.49 / 15.51: 6 and 14 are not beyond 2 sigma.
# Point 6 (6) is below the mean, so the run above starts at point 7.


def test_shift_of_seven_points_each_side():
    # Points 7-13 (11/12) are all above 10: a 7-point shift, high; points 14-20 (8/9) all below: shift, low.
    result = run(SHIFT)
    assert result.summary.iloc[0]["mean"] == 10 and result.summary.iloc[0]["mr_mean"] == pytest.approx(59 / 19)
    assert rules(result) == expand([(6, "none"), (14, "shift")])
    assert result.points["side"].tolist()[6:] == ["high"] * 7 + ["low"] * 7
    assert result.points["label"].iloc[6] == "7 Points Above CL"
    assert result.points["label"].iloc[-1] == "7 Points Below CL"
    # Decrease is better: above the mean is concern, below is improvement; icon from the last point (low).
    dec = run(SHIFT, improvement_direction="decrease")
    assert dec.points["point_type"].iloc[6] == "special_cause_concern"
    assert dec.points["point_type"].iloc[-1] == "special_cause_improvement"
    assert dec.summary.iloc[0]["variation_icon"] == "improvement_low"


def test_a_point_exactly_on_the_mean_breaks_a_shift():
    # As SHIFT with point 10 (12) -> 10 and point 2 (6) -> 8: the sum stays 200, the mean exactly 10.
    # Points 7-9 above, point 10 ON the mean (sign 0), points 11-13 above: two runs of 3, no shift.
    # MRs 6, 6, 8, 8, 8, 5, 6 x 1, 2, 6 x 1 = 55 -> MR-bar 2.8947 (2 sigma 4.87 / 15.13: nothing beyond).
    values = [14, 8, 14, 6, 14, 6, 11, 12, 11, 10, 11, 12, 11, 9, 8, 9, 8, 9, 8, 9]
    result = run(values)
    assert result.summary.iloc[0]["mean"] == 10
    assert result.points["relative_to_mean"].iloc[9] == 0
    assert rules(result) == expand([(13, "none"), (7, "shift")])


def test_six_point_runs_option():
    # 14, 6, 14, 6, then six points 11/12 above and six 9/8 below: sum 40 + 69 + 51 = 160, n 16, mean 10.
    # MRs 8, 8, 8, 5, 5 x 1, 3, 5 x 1 = 42 -> MR-bar 2.8, 2 sigma 5.03 / 14.97: nothing beyond.
    values = [14, 6, 14, 6, 11, 12, 11, 12, 11, 12, 9, 8, 9, 8, 9, 8]
    assert set(rules(run(values))) == {"none"}  # runs of 6 < 7
    six = run(values, run_length=6)
    assert rules(six) == expand([(4, "none"), (12, "shift")])
    assert six.points["label"].iloc[4] == "6 Points Above CL"


# --- trend ---------------------------------------------------------------------------------------------------

TREND = [4, 16, 4, 16, 7, 8, 9, 10, 11, 12, 13, 4, 16, 10]
# sum 40 + 70 + 30 = 140, n 14 -> mean 10. MRs 12, 12, 12, 9, 6 x 1, 9, 12, 6 = 78 -> MR-bar 6;
# UPL 25.96, LPL -5.96, 2 sigma -0.64 / 20.64: no point near a limit. Signs: no 7 on one side.


def test_trend_of_seven_increasing_points_crossing_the_mean():
    # Points 5-11 (7, 8, ..., 13): six rising differences -> a 7-point trend; it crosses the mean (point 8 = 10).
    result = run(TREND)
    assert rules(result) == expand([(4, "none"), (7, "trend"), (3, "none")])
    assert set(result.points["label"].iloc[4:11]) == {"7 Point Trend (Increasing)"}
    assert set(result.points["point_type"].iloc[4:11]) == {"special_cause_improvement"}
    # Reversed in time: a decreasing trend, which is improvement when lower is better.
    down = run(TREND[::-1], improvement_direction="decrease")
    assert rules(down) == expand([(3, "none"), (7, "trend"), (4, "none")])
    assert set(down.points["label"].iloc[3:10]) == {"7 Point Trend (Decreasing)"}
    assert set(down.points["point_type"].iloc[3:10]) == {"special_cause_improvement"}


def test_a_tie_breaks_a_trend():
    # Point 8 (10) -> 9: differences +1, +1, 0, +2, +1, +1; the 0 breaks the run (longest 3 rising). The
    # mean is 139/14 = 9.93, MR-bar still 78/13 = 6; points 5-8 (7, 8, 9, 9) are 4 below the mean: no shift.
    values = TREND.copy()
    values[7] = 9
    assert set(rules(run(values))) == {"none"}


def test_trends_of_exactly_six_and_seven_points():
    # 1..6 rising then a fall: 6 points, no 7-point trend; with run_length 6 it is one.
    values = [5, 9, 5, 9, 1, 2, 3, 4, 5, 6, 0, 9, 5, 9]
    assert "trend" not in rules(run(values))
    assert rules(run(values, run_length=6))[4:10] == ["trend"] * 6


def test_trend_label_at_a_peak_follows_the_next_difference():
    # 0, 10, 0, 10 (wide limits), then 1..7 up and 6..1 down: 17 points, sum 69, mean 4.06; MRs 10, 10, 10, 9
    # and twelve 1s = 51/16 = 3.19 -> UPL 12.54, 2 sigma 9.71 (the 10s are close but on alternating sides);
    # signs: runs of 4 below, 5 above, 4 below: no shift. Point 11 (the peak 7) ends the rising trend and
    # starts the falling one; ptd labels it by the difference to the next point: Decreasing.
    values = [0, 10, 0, 10, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
    labels = run(values).points["label"].tolist()
    assert labels[:4] == ["Common Cause"] * 4
    assert labels[4:10] == ["7 Point Trend (Increasing)"] * 6
    assert labels[10:] == ["7 Point Trend (Decreasing)"] * 7


def test_trend_label_when_two_trends_meet_at_a_tie():
    # As above with the peak doubled (7, 7): mean 76/18 = 4.22, MR-bar 51/17 = 3; the six points 5, 6, 7, 7,
    # 6, 5 above the mean are no shift. The first 7 belongs only to the rising trend: ptd reads the tie to the
    # next point (difference 0) as "Decreasing"; ttwell labels it Increasing (documented departure).
    values = [0, 10, 0, 10, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1]
    result = run(values)
    labels = result.points["label"].tolist()
    assert labels[10] == "7 Point Trend (Increasing)" and labels[11] == "7 Point Trend (Decreasing)"
    assert result.points["point_type"].iloc[10] == "special_cause_improvement"


# --- two of three beyond 2 sigma ---------------------------------------------------------------------------
# With fix_after_n_points=12 on BASE the limits are frozen: mean 11, UPL 16.32, LPL 5.68,
# 2 sigma 14.5467 / 7.4533, whatever follows.

def test_two_of_three_on_the_same_side():
    # Points 13-15 = 15, 12, 15: 15 is in the zone (14.55, 16.32]; window {13, 14, 15} has 2 close, all above
    # the mean -> points 13 and 15 flagged; point 14 (12, not close) is not. Point 16 = 10 below.
    result = run(BASE + [15, 12, 15, 10], fix_after_n_points=12)
    assert rules(result) == expand([(12, "none"), (1, "two_in_three"), (1, "none"), (1, "two_in_three"), (1, "none")])
    assert result.points["label"].iloc[12] == "2 in 3 Above CL"


def test_two_of_three_with_a_point_on_the_mean_does_not_qualify():
    # 15, 11, 15: the middle point is on the mean (sign 0), so |sum of signs| = 2, not 3: no window qualifies.
    assert set(rules(run(BASE + [15, 11, 15, 10], fix_after_n_points=12))) == {"none"}


def test_two_of_three_on_opposite_sides_does_not_qualify():
    # 15 (close, above) and 7 (close, below: 5.68 < 7 < 7.4533) with 12 between: signs +, -, + -> |sum| 1.
    # Fixed in NHSRplotthedots 0.2.x (issue #143).
    assert set(rules(run(BASE + [15, 7, 15, 10], fix_after_n_points=12))) == {"none"}
    assert set(rules(run(BASE + [15, 12, 7, 10], fix_after_n_points=12))) == {"none"}


def test_two_of_three_below():
    # 7, 10, 7: two close below, all below the mean -> both 7s "2 in 3 Below CL", low side.
    result = run(BASE + [7, 10, 7, 12], fix_after_n_points=12)
    assert rules(result)[12:] == ["two_in_three", "none", "two_in_three", "none"]
    assert result.points["side"].iloc[12] == "low" and result.points["label"].iloc[14] == "2 in 3 Below CL"


def test_two_sigma_rule_mdc_2023_counts_points_beyond_three_sigma():
    # 17 (> UPL 16.32: outside), 12, 15 (close): ptd counts only 15 as "close" -> 1 in 3, not flagged.
    # MDC 2023 counts 17 as beyond 2 sigma too -> window {17, 12, 15} qualifies: 15 is "two_in_three";
    # 17 keeps its "outside_limits" label (precedence).
    values = BASE + [17, 12, 15, 10]
    ptd = run(values, fix_after_n_points=12)
    assert rules(ptd)[12:] == ["outside_limits", "none", "none", "none"]
    mdc = run(values, fix_after_n_points=12, two_sigma_rule="mdc_2023")
    assert rules(mdc)[12:] == ["outside_limits", "none", "two_in_three", "none"]


# --- label precedence, neutral direction ------------------------------------------------------------------

PRECEDENCE = BASE + [11.5, 12, 13, 14, 15, 16.5, 17, 15.5, 13]
# Frozen limits (fix 12): mean 11, UPL 16.32, 2-sigma 14.5467. Points 12-21 (12, 11.5, ..., 13) are all above
# 11: a 10-point shift. Differences from point 13: -0.5, +0.5, +1, +1, +1, +1.5, +0.5, -1.5, -2.5 -> points
# 13-19 rise six times: a trend. Points 18 (16.5) and 19 (17) are above the UPL. Points 17 (15) and 20 (15.5)
# are in the 2-sigma zone, but no window has two of them (18 and 19 are outside, not "close").


def test_label_precedence_outside_then_trend_then_shift():
    result = run(PRECEDENCE, fix_after_n_points=12)
    expected = expand([(11, "none"), (1, "shift"), (5, "trend"), (2, "outside_limits"), (2, "shift")])
    assert rules(result) == expected
    points = result.points
    # Every rule that fired is kept, not only the label's: points 13-17 are in the trend AND the shift.
    assert points["part_of_shift"].iloc[11:21].all() and points["part_of_trend"].iloc[12:19].all()
    assert points["label"].iloc[12] == "7 Point Trend (Increasing)"
    assert points["label"].iloc[18] == "Above UCL"


def test_label_precedence_two_in_three_over_shift():
    # MDC 2023 rule: beyond 2 sigma are points 17-20; windows {16,17,18} and {18,19,20} qualify, so points
    # 17 and 20 are two-in-three; 17 stays "trend" (trend before two-in-three), 20 becomes two_in_three
    # (two-in-three before shift).
    result = run(PRECEDENCE, fix_after_n_points=12, two_sigma_rule="mdc_2023")
    assert rules(result)[16] == "trend" and rules(result)[19] == "two_in_three" and rules(result)[20] == "shift"


def test_neutral_direction():
    result = run(PRECEDENCE, fix_after_n_points=12, improvement_direction="neutral", target=20)
    assert set(result.points["point_type"].iloc[11:]) == {"special_cause_neutral_high"}
    assert result.summary.iloc[0]["variation_icon"] == "neutral_high"
    assert result.summary.iloc[0]["assurance_icon"] is None  # no assurance for a neutral measure
    low = run(SHIFT, improvement_direction="neutral")
    assert low.points["point_type"].iloc[-1] == "special_cause_neutral_low"
    assert low.summary.iloc[0]["variation_icon"] == "neutral_low"


@pytest.mark.parametrize("point_type, direction, icon", [
    ("common_cause", "increase", "common_cause"),
    ("special_cause_improvement", "increase", "improvement_high"),
    ("special_cause_improvement", "decrease", "improvement_low"),
    ("special_cause_concern", "increase", "concern_low"),
    ("special_cause_concern", "decrease", "concern_high"),
    ("special_cause_neutral_high", "neutral", "neutral_high"),
    ("special_cause_neutral_low", "neutral", "neutral_low"),
])
def test_variation_icons(point_type, direction, icon):
    assert spc.variation_icon(point_type, direction) == icon


# --- assurance -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target, direction, icon", [
    (11 + 2.66 * 2, "increase", "inconsistent"),   # exactly the UPL (16.32): equality is "hit and miss"
    (11 - 2.66 * 2, "increase", "inconsistent"),   # exactly the LPL
    (16.33, "increase", "consistent_fail"),        # above the UPL: never reached
    (16.33, "decrease", "consistent_pass"),        # above the UPL, lower is better: always met
    (5.0, "increase", "consistent_pass"),
    (5.0, "decrease", "consistent_fail"),
    (12.0, "increase", "inconsistent"),
])
def test_assurance_icon(target, direction, icon):
    # BASE: mean 132/12 = 11 and MR-bar 22/11 = 2 exactly, so the UPL is the same float as 11 + 2.66 * 2.
    summary = run(BASE, target=target, improvement_direction=direction).summary.iloc[0]
    assert summary["upl"] == 11 + 2.66 * 2
    assert summary["assurance_icon"] == icon


def test_assurance_uses_the_latest_segment_and_per_facet_targets():
    # Team A: BASE (UPL 16.32) then rebased to 20, 24, ... (mean 22, MR-bar 4, limits 11.36 / 32.64).
    # Target 20: above the first segment's UPL (consistent_fail there) but between the latest limits, and the
    # facet's icon is the latest segment's (issue #172): inconsistent.
    a = series(BASE + [20, 24] * 6, facet="A")
    b = series(BASE, facet="B")
    result = spc.xmr(pd.concat([a, b]), date="month", value="value", facet="team",
                     rebase={"A": ["01/01/2024"]}, target={"A": 20})
    assert result.summary["assurance_icon"].tolist() == ["consistent_fail", "inconsistent", None]
    icons = result.icons().set_index("facet")
    assert icons.loc["A", "segment"] == 1 and icons.loc["A", "assurance_icon"] == "inconsistent"
    assert icons.loc["B", "assurance_icon"] is None  # ptd would say "inconsistent" for a facet with no target


# --- segments: rebase and fixed baseline ----------------------------------------------------------------------

def test_rebase_starts_a_new_segment_at_the_rebase_date():
    # 14 points 10/12 (mean 11, MR-bar 2) then 14 points 20/24 (mean 22, MR-bar 4: UPL 32.64, LPL 11.36).
    # The rebase point (01/03/2024, point 15) starts segment 1; the MR |20 - 12| is not taken across the break.
    values = [10, 12] * 7 + [20, 24] * 7
    result = run(values, rebase=["01/03/2024"])
    summary = result.summary
    assert summary["segment"].tolist() == [0, 1] and summary["n"].tolist() == [14, 14]
    assert summary["mean"].tolist() == [11, 22] and summary["mr_mean"].tolist() == [2, 4]
    assert summary["upl"].iloc[1] == pytest.approx(32.64) and summary["lpl"].iloc[1] == pytest.approx(11.36)
    assert np.isnan(result.points["moving_range"].iloc[14]) and result.points["segment"].iloc[14] == 1
    assert summary["is_latest_segment"].tolist() == [False, True]
    assert set(rules(result)) == {"none"}
    # Without the rebase the step is two long shifts around the mean 16.5 (some points label as two-in-three).
    assert run(values).points["part_of_shift"].all()


def test_rebase_date_not_in_the_data_is_ignored_with_a_warning():
    result = run([10, 12] * 7, rebase=["15/03/2023"])
    assert len(result.summary) == 1
    assert any("15/03/2023 is not a date in the data" in w for w in result.summary.iloc[0]["warnings"])


def test_fixed_baseline_together_with_rebase():
    # Segment 0: BASE (12 points: mean 11, UPL 16.32) then 30, 30, 30 -> limits from the first 12 only, the
    # 30s are above the UPL. Segment 1 (from the 16th point): 20/24 x 6 (mean 22, MR-bar 4, UPL 32.64) then
    # 100 -> outside. Without fixing, the 30s would drag segment 0's mean to (132 + 90) / 15 = 14.8.
    values = BASE + [30, 30, 30] + [20, 24] * 6 + [100]
    result = run(values, rebase=["01/04/2024"], fix_after_n_points=12)
    summary = result.summary
    assert summary["n"].tolist() == [15, 13] and summary["n_baseline"].tolist() == [12, 12]
    assert summary["mean"].tolist() == [11, 22] and summary["mr_mean"].tolist() == [2, 4]
    assert rules(result)[12:15] == ["outside_limits"] * 3 and rules(result)[-1] == "outside_limits"
    assert result.points["in_baseline"].tolist() == [True] * 12 + [False] * 3 + [True] * 12 + [False]


def test_fix_after_n_points_minimum():
    with pytest.raises(ParameterError, match="at least 12"):
        run(BASE, fix_after_n_points=11)


# --- short series, degenerate limits, missing data ------------------------------------------------------------

def test_short_series_warning_below_thirteen_points():
    assert any("trial limits" in w for w in run(BASE).summary.iloc[0]["warnings"])  # 12 points
    assert run(BASE + [10]).summary.iloc[0]["warnings"] == []  # 13 points


def test_zero_moving_range_gives_no_limits_and_a_warning():
    # Constant series: MR-bar 0 -> no limits (ptd: NaN limits too), every point common cause.
    constant = run([5] * 15)
    assert np.isnan(constant.summary.iloc[0]["upl"]) and set(rules(constant)) == {"none"}
    assert any("No process limits" in w for w in constant.summary.iloc[0]["warnings"])
    # 14 fives then 6: raw MR-bar 1/14, the MR of 1 is screened out -> MR-bar 0. ptd would put UPL = LPL =
    # mean and flag every point outside; ttwell gives no limits. The 14 fives are below the mean 76/15: a shift.
    odd = run([5] * 14 + [6])
    assert np.isnan(odd.summary.iloc[0]["upl"])
    assert rules(odd) == ["shift"] * 14 + ["none"]
    assert any("after screening" in w for w in odd.summary.iloc[0]["warnings"])


def test_missing_value_is_an_error_or_dropped_explicitly():
    frame = series([10, 12] * 7)
    frame.loc[3, "value"] = np.nan
    with pytest.raises(InputError, match="missing='drop'") as info:
        spc.xmr(frame, date="month", value="value")
    assert info.value.problems[0].row == 5  # spreadsheet row: header 1, index 3 -> row 5
    dropped = spc.xmr(frame, date="month", value="value", missing="drop")
    warnings = dropped.summary.iloc[0]["warnings"]
    assert dropped.summary.iloc[0]["n"] == 13
    assert any("1 row(s) with a missing value were dropped" in w for w in warnings)
    assert any("1 month(s) missing between 01/03/2023 and 01/05/2023" in w for w in warnings)


def test_missing_month_is_an_error():
    frame = series([10, 12] * 7).drop(index=5)
    with pytest.raises(AnalysisError, match="1 month"):
        spc.xmr(frame, date="month", value="value")


def test_duplicate_dates_and_unparseable_dates():
    frame = pd.concat([series(BASE), series([11])])
    with pytest.raises(AnalysisError, match="duplicate rows found in 'month'"):
        spc.xmr(frame, date="month", value="value")
    text = pd.DataFrame({"month": ["01/01/2024", "01/02/2024", "Feb 2024"], "value": ["1", "2", "x"]})
    with pytest.raises(InputError) as info:
        spc.xmr(text, date="month", value="value")
    assert info.value.problems[0].row == 4 and info.value.problems[0].column == "month"


def test_text_dates_are_read_day_first_and_order_does_not_matter():
    frame = series(SHIFT)
    text = frame.assign(month=frame["month"].dt.strftime("%d/%m/%Y")).sample(frac=1, random_state=3)
    a = spc.xmr(frame, date="month", value="value").points
    b = spc.xmr(text, date="month", value="value").points
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("kwargs, message", [
    ({"improvement_direction": "up"}, "improvement_direction"),
    ({"run_length": 8}, "run_length"),
    ({"two_sigma_rule": "2019"}, "two_sigma_rule"),
    ({"missing": "ignore"}, "missing"),
    ({"target": "high"}, "target"),
])
def test_bad_options_are_parameter_errors(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        run(BASE, **kwargs)


def test_unknown_column():
    with pytest.raises(ParameterError, match="value: 'rate' must be a column"):
        spc.xmr(series(BASE), date="month", value="rate")


# --- facets ------------------------------------------------------------------------------------------------

def test_facets_in_one_call_equal_separate_calls():
    frame = pd.concat([series(SHIFT, facet="North"), series(TREND, facet="South")], ignore_index=True)
    both = spc.xmr(frame, date="month", value="value", facet="team")
    north = run(SHIFT).points.drop(columns="facet").reset_index(drop=True)
    south = run(TREND).points.drop(columns="facet").reset_index(drop=True)
    got = both.points
    pd.testing.assert_frame_equal(got[got["facet"] == "North"].drop(columns="facet").reset_index(drop=True), north)
    pd.testing.assert_frame_equal(got[got["facet"] == "South"].drop(columns="facet").reset_index(drop=True), south)
    assert both.summary["facet"].tolist() == ["North", "South"]
    # A rebase for one facet only leaves the other alone.
    one = spc.xmr(frame, date="month", value="value", facet="team", rebase={"North": ["01/07/2023"]})
    assert one.summary["facet"].tolist() == ["North", "North", "South"]


# --- Anhøj run charts --------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", range(10, 101))
def test_anhoej_limits_against_the_binomial(n):
    # longest run: round(log2 n) + 3 (Schilling); crossings: qbinom(0.05, n - 1, 0.5), here from scipy.
    assert spc.longest_run_max(n) == int(np.round(np.log2(n))) + 3
    assert spc.n_crossings_min(n) == int(binom.ppf(0.05, n - 1, 0.5))


def test_anhoej_limits_by_hand_and_for_long_series():
    # n = 10: m = 9; P(X <= 1) = 10/512 = 0.0195, P(X <= 2) = 46/512 = 0.0898 -> 2. log2 10 = 3.32 -> 3 + 3 = 6.
    # n = 12: P(X <= 2) = 67/2048 = 0.0327, P(X <= 3) = 232/2048 = 0.113 -> 3; log2 12 = 3.58 -> 7.
    # n = 24: 8 and 8 (spc.md 3.2).
    assert (spc.longest_run_max(10), spc.n_crossings_min(10)) == (6, 2)
    assert (spc.longest_run_max(12), spc.n_crossings_min(12)) == (7, 3)
    assert (spc.longest_run_max(24), spc.n_crossings_min(24)) == (8, 8)
    for n in (5001, 5002, 20000):  # exact arithmetic up to 5,000 points, scipy beyond: both agree
        assert spc.n_crossings_min(n) == int(binom.ppf(0.05, n - 1, 0.5))


def runs(values, **kwargs):
    return spc.run_chart(series(values), date="month", value="value", **kwargs)


def test_points_on_the_median_are_ignored_not_run_breakers():
    # 17 points: eight 1s, two 5s, seven 9s -> median 5 (9th value). Useful points: 15 (the 5s dropped).
    # 1 1 1 1 1 [5] 1 1 1 9 x 7 [5]: the 1s form ONE run of 8 (the 5 does not break it); crossings 1.
    # Limits for 15: round(log2 15 = 3.91) + 3 = 7 -> 8 > 7; qbinom(0.05, 14, .5): P(X <= 3) = 470/16384 =
    # 0.029, P(X <= 4) = 1471/16384 = 0.090 -> 4 -> 1 < 4. Both rules signal.
    part = runs([1, 1, 1, 1, 1, 5, 1, 1, 1, 9, 9, 9, 9, 9, 9, 9, 5]).parts.iloc[0]
    assert (part["n_obs"], part["n_useful"], part["median"]) == (17, 15, 5)
    assert (part["longest_run"], part["longest_run_max"], part["n_crossings"], part["n_crossings_min"]) == (8, 7, 1, 4)
    assert part["signal"] and part["signal_reason"] == "longest_run_and_crossings"


def test_run_chart_random_pattern_and_crossings_only_signal():
    # Median 5 of 1/5/9 x 4: the four 5s are dropped; 1, 9 alternate -> 8 useful, 7 crossings, longest 1.
    # n 8: longest max round(3) + 3 = 6; qbinom(.05, 7, .5): P(X <= 0) = 1/128, P(X <= 1) = 8/128 -> 1. No signal.
    part = runs([5, 5, 1, 9, 1, 9, 1, 9, 1, 9, 5, 5]).parts.iloc[0]
    assert (part["n_useful"], part["n_crossings"], part["longest_run"], part["signal"]) == (8, 7, 1, False)
    assert any("little power" in w for w in part["warnings"])
    # 1..14: median 7.5, runs of 7 below and 7 above: longest 7 = max 7 (round(3.81) + 3), no signal from it;
    # crossings 1 < qbinom(.05, 13, .5) = 4 (P(X <= 3) = 378/8192 = 0.046) -> signal from crossings only.
    part = runs(list(range(1, 15))).parts.iloc[0]
    assert (part["longest_run"], part["longest_run_max"], part["n_crossings"], part["n_crossings_min"]) == (7, 7, 1, 4)
    assert part["signal"] and part["signal_reason"] == "crossings"


def test_run_chart_parts_and_freeze():
    before = [3, 5, 4, 6, 3, 5, 4, 6, 3, 5, 4, 6]          # median 4.5, 11 crossings
    after = [7, 8, 7, 9, 8, 7, 9, 8, 7, 8]                 # sorted 7 7 7 7 8 8 8 8 9 9: median 8
    values = before + after
    # part_after = 01/12/2023 (the 12th month) is the last point of the first part.
    result = runs(values, part_after=["01/12/2023"])
    parts = result.parts
    assert parts["part"].tolist() == [0, 1] and parts["n_obs"].tolist() == [12, 10]
    assert parts["median"].iloc[0] == 4.5 and parts["median"].iloc[1] == 8  # sorted after: 7 7 7 7 8 8 8 8 9 9
    assert result.points["part"].iloc[11] == 0 and result.points["part"].iloc[12] == 1
    # freeze = 12: median 4.5 from the first 12 points; the 10 later points are all above it -> a run of 11
    # (point 12 = 6 is above too) among 22 useful points, max round(log2 22 = 4.46) + 3 = 7: signal.
    frozen = runs(values, freeze=12).parts.iloc[0]
    assert (frozen["median"], frozen["n_useful"], frozen["longest_run"], frozen["longest_run_max"]) == (4.5, 22, 11, 7)
    assert frozen["signal"]
    with pytest.raises(ParameterError, match="not both"):
        runs(values, freeze=12, part_after=["01/12/2023"])
    with pytest.raises(ParameterError, match="empty part"):
        runs(values, part_after=["01/01/2030"])


def test_run_chart_facets():
    frame = pd.concat([series(list(range(1, 15)), facet="A"), series([5, 5, 1, 9, 1, 9, 1, 9, 1, 9, 5, 5], facet="B")])
    parts = spc.run_chart(frame, date="month", value="value", facet="team").parts.set_index("facet")
    assert parts.loc["A", "signal"] and not parts.loc["B", "signal"]


# --- p, u and c charts ---------------------------------------------------------------------------------------

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


# --- speed (a guard, not the benchmark) ------------------------------------------------------------------------

def test_one_hundred_thousand_points_is_fast():
    import time

    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"day": pd.date_range("1900-01-01", periods=100_000, freq="D"),
                          "value": rng.normal(10, 1, 100_000)})
    start = time.perf_counter()
    result = spc.xmr(frame, date="day", value="value")
    assert time.perf_counter() - start < 2.0
    assert len(result.points) == 100_000


# --- command line -----------------------------------------------------------------------------------------------

def test_cli_spc_writes_points_and_summary(tmp_path):
    from ttwell.running.cli import main

    path = tmp_path / "absence.csv"
    frame = series([10, 12] * 7 + [20])
    text = frame.assign(month=frame["month"].dt.strftime("%d/%m/%Y")).rename(columns={"month": "Month"})
    text.to_csv(path, index=False)
    out = tmp_path / "out" / "spc.csv"
    result = CliRunner().invoke(main, ["spc", str(path), "--date", "Month", "--value", "value", "--target", "30",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    points = pd.read_csv(out)
    assert points["rule"].iloc[-1] == "outside_limits" and points["date"].iloc[0] == "2023-01-01"
    summary = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    segment = summary["segments"][0]
    assert segment["n"] == 15 and segment["variation_icon"] == "improvement_high"
    assert segment["assurance_icon"] == "consistent_fail" and segment["upl"] == pytest.approx(16.92)


def test_cli_spc_bad_input_exits_2(tmp_path):
    from ttwell.running.cli import main

    path = tmp_path / "bad.csv"
    path.write_text("month,value\n01/01/2024,1\n31/02/2024,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["spc", str(path), "--date", "month", "--value", "value", "-o",
                                       str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "bad.csv, row 3, column 'month'" in result.output
    result = CliRunner().invoke(main, ["spc", str(path), "--date", "month", "--value", "rate", "-o",
                                       str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "'rate' is not a column" in result.output


def test_cli_runchart(tmp_path):
    from ttwell.running.cli import main

    path = tmp_path / "joy.csv"
    series(list(range(1, 15))).to_csv(path, index=False)
    out = tmp_path / "runs.json"
    result = CliRunner().invoke(main, ["runchart", str(path), "--date", "month", "--value", "value", "-o", str(out)])
    assert result.exit_code == 0, result.output
    part = json.loads(out.read_text(encoding="utf-8"))["parts"][0]
    assert (part["n_useful"], part["n_crossings"], part["n_crossings_min"], part["signal"]) == (14, 1, 4, True)
    for command in ("spc", "runchart"):
        helped = CliRunner().invoke(main, [command, "--help"])
        assert helped.exit_code == 0 and "Example" in helped.output
