"""Known-answer tests for ttwell.calculations.spc.xmr_chart: the Making Data Count XmR chart (spc.md section 2).

Every series is small and worked by hand in a comment: mean, mean moving range (MR-bar), limits
(mean +/- 2.66 MR-bar), 2-sigma lines (mean +/- 1.77333 MR-bar) and which rule fires where. Point numbers in
comments are 1-based, as on a chart. Trial limits (fewer than 13 points, spc.md 2.7) say so wherever the icons
appear."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from spc_cases import BASE, SHIFT, expand, rules, run, series
from ttwell.presentation import narrative
from ttwell.calculations import spc
from ttwell.errors import ParameterError


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


TREND = [4, 16, 4, 16, 7, 8, 9, 10, 11, 12, 13, 4, 16, 10]


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


PRECEDENCE = BASE + [11.5, 12, 13, 14, 15, 16.5, 17, 15.5, 13]


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


def test_one_hundred_thousand_points_is_fast():
    import time

    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"day": pd.date_range("1900-01-01", periods=100_000, freq="D"),
                          "value": rng.normal(10, 1, 100_000)})
    start = time.perf_counter()
    result = spc.xmr(frame, date="day", value="value")
    assert time.perf_counter() - start < 2.0
    assert len(result.points) == 100_000


def test_screening_turns_a_point_into_above_ucl():
    # [10, 11] x 8, then 4, 11, 13.4 (19 points). Sum 8 x 21 + 4 + 11 + 13.4 = 196.4 -> mean 10.336842.
    # MRs: 15 of 1, |4 - 11| = 7, |11 - 4| = 7, |13.4 - 11| = 2.4 -> 31.4 / 18 = 1.744444.
    # Screen at 3.267 x 1.744444 = 5.699: both 7s dropped (2.4 kept) -> MR-bar (15 + 2.4) / 16 = 1.0875.
    # Screened:   UPL 10.336842 + 2.66 x 1.0875   = 13.229592, LPL 7.444092 -> 13.4 is "Above UCL".
    # Unscreened: UPL 10.336842 + 2.66 x 1.744444 = 14.977064, LPL 5.696620 -> 13.4 is common cause
    #             (2-sigma line 10.336842 + 1.773333 x 1.744444 = 13.430324 > 13.4: not even "close").
    # The 4 is below the LPL either way. 10/11 alternate around the mean: no shift, trend or 2-in-3.
    values = [10, 11] * 8 + [4, 11, 13.4]
    screened = run(values)
    row = screened.summary.iloc[0]
    assert row["mean"] == pytest.approx(196.4 / 19)
    assert row["mr_mean"] == pytest.approx(1.0875) and row["n_mr_screened_out"] == 2
    assert row["upl"] == pytest.approx(13.229592, rel=1e-7) and row["lpl"] == pytest.approx(7.444092, rel=1e-7)
    assert screened.points["label"].tolist() == ["Common Cause"] * 16 + ["Below LCL", "Common Cause", "Above UCL"]
    assert screened.points["moving_range_used"].tolist()[16:18] == [False, False]
    raw = run(values, screen_outliers=False)
    rrow = raw.summary.iloc[0]
    assert rrow["mr_mean"] == pytest.approx(31.4 / 18) and rrow["upl"] == pytest.approx(14.977064, rel=1e-7)
    assert raw.points["label"].tolist() == ["Common Cause"] * 16 + ["Below LCL", "Common Cause", "Common Cause"]
    assert not raw.points["close_to_limits"].iloc[-1]


def test_rules_never_cross_a_rebase():
    # Segment 0: [10, 12] x 6 + [8, 9, 10, 11] (16 points): mean (132 + 38) / 16 = 10.625;
    #   MRs 11 x 2 + |8 - 12| = 4 + 1 + 1 + 1 = 29 / 15 = 1.933333 (screen at 6.32: none).
    # Segment 1 (rebase 01/05/2024 = point 17): [12, 13, 14] + [10, 12] x 5 (13 points): mean (39 + 110) / 13
    #   = 11.461538; MRs 1, 1, 4, 9 x 2 = 24 / 12 = 2 (the MR |12 - 11| across the break is not taken).
    # 8, 9, 10, 11 | 12, 13, 14 rise six times across the break: a 7-point trend WITHOUT the rebase (points
    # 13-19), nothing with it (4 rising points, then 3). No shifts: signs alternate in both segments.
    values = [10, 12] * 6 + [8, 9, 10, 11] + [12, 13, 14] + [10, 12] * 5
    rebased = run(values, rebase=["01/05/2024"])
    summary = rebased.summary
    assert summary["n"].tolist() == [16, 13]
    assert summary["mean"].tolist() == pytest.approx([10.625, 149 / 13])
    assert summary["mr_mean"].tolist() == pytest.approx([29 / 15, 2])
    assert summary["upl"].tolist() == pytest.approx([10.625 + 2.66 * 29 / 15, 149 / 13 + 5.32])
    assert np.isnan(rebased.points["moving_range"].iloc[16])
    assert set(rebased.points["rule"]) == {"none"}
    whole = run(values).points["rule"].tolist()
    assert whole == ["none"] * 12 + ["trend"] * 7 + ["none"] * 10


def test_point_exactly_on_the_upl_is_close_not_outside():
    # BASE [10, 12] x 6 fixed (12 points): mean 11, MR-bar 2, UPL 11 + 2.66 x 2 = 16.32 (the same float),
    # 2-sigma line 14.5467. Point 13 = exactly the UPL: not outside (strict >), but beyond 2 sigma, so "close".
    # Window {13, 14, 15} = 16.32, 12, 15: two close, all above the mean -> points 13 and 15 "2 in 3 Above CL".
    # Neutral direction: neutral_high; the last point (10, below) is common cause -> icon common_cause.
    upl = 11 + 2.66 * 2
    result = run([10, 12] * 6 + [upl, 12, 15, 10], fix_after_n_points=12, improvement_direction="neutral")
    points = result.points
    assert result.summary.iloc[0]["upl"] == upl
    assert not points["outside_limits"].iloc[12] and points["close_to_limits"].iloc[12]
    assert points["rule"].tolist()[12:] == ["two_in_three", "none", "two_in_three", "none"]
    assert points["label"].iloc[12] == "2 in 3 Above CL"
    assert points["point_type"].tolist()[12:] == ["special_cause_neutral_high", "common_cause",
                                                  "special_cause_neutral_high", "common_cause"]
    assert result.summary.iloc[0]["variation_icon"] == "common_cause"


def test_eleven_point_segment_has_trial_limits_and_its_assurance_says_so():
    # 11 points alternating 10, 12: mean = (6 x 10 + 5 x 12) / 11 = 120 / 11 = 10.909; every moving range is 2
    # (none screened: 2 < 3.267 x 2), so limits = 10.909 -/+ 2.66 x 2 = 5.589 to 16.229. A target of 11 lies
    # between them: "inconsistent" (may or may not meet the target), but from limits on only 11 points.
    result = spc.xmr(series([10, 12] * 5 + [10]), date="month", value="value", target=11)
    seg = result.summary.iloc[0]
    assert seg["n"] == 11
    assert seg["mean"] == pytest.approx(120 / 11)
    assert seg["lpl"] == pytest.approx(120 / 11 - 5.32) and seg["upl"] == pytest.approx(120 / 11 + 5.32)
    assert seg["assurance_icon"] == "inconsistent"
    assert bool(seg["trial_limits"]) is True
    assert seg["assurance_text"] == ("May or may not meet the target "
                                     "(from trial limits: only 11 points, fewer than 13)")
    assert seg["variation_text"] == "Common cause variation (trial limits: only 11 points, fewer than 13)"
    icons = result.icons()
    assert bool(icons["trial_limits"].iloc[0]) and "trial limits" in icons["assurance_text"].iloc[0]
    # The checked key-results line says so too.
    line = narrative.pdsa_chart_key_results({"m": _Section(result)}).splitlines()[0]
    assert "trial limits" in line and "inconsistent (from trial limits" in line


def test_twelve_points_are_still_trial_thirteen_are_not():
    # n < 13 is the rule (NHSRplotthedots ptd_spc.warning_threshold = 13; MDC shows icons from 13 points).
    twelve = spc.xmr(series([10, 12] * 6), date="month", value="value", target=30).summary.iloc[0]
    thirteen = spc.xmr(series([10, 12] * 6 + [10]), date="month", value="value", target=30).summary.iloc[0]
    assert bool(twelve["trial_limits"]) and not bool(thirteen["trial_limits"])
    # Target 30 is above both upper limits: consistently misses (direction increase).
    assert twelve["assurance_text"] == "Consistently misses the target (from trial limits: only 12 points, fewer than 13)"
    assert thirteen["assurance_text"] == "Consistently misses the target"
    assert thirteen["variation_text"] == "Common cause variation"


def test_rebased_segment_of_ten_points_is_trial_even_after_a_long_first_segment():
    # 20 points then a rebase: the second segment has 10 points, so its limits (and the facet's icons) are trial.
    values = [10, 12] * 10 + [20, 22] * 5
    frame = series(values)
    result = spc.xmr(frame, date="month", value="value", rebase=[frame["month"].iloc[20]], target=21)
    first, second = result.summary.iloc[0], result.summary.iloc[1]
    assert (first["n"], second["n"]) == (20, 10)
    assert not bool(first["trial_limits"]) and bool(second["trial_limits"])
    assert "only 10 points" in result.icons()["assurance_text"].iloc[0]


class _Runs:
    parts = pd.DataFrame([{"median": 11.0, "longest_run": 1, "longest_run_max": 6, "n_crossings": 10,
                           "n_crossings_min": 2, "signal": False}])


class _Section:
    def __init__(self, result):
        self.spc = result
        self.runs = _Runs()
