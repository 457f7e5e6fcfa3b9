"""Review known-answer tests for the SPC engine (spc.md sections 2-3) and the PDSA verdict window.

Each series is worked by hand in a comment; point numbers are 1-based, as on a chart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ttwell.calculations import pdsa, spc


def series(values, start="2023-01-01") -> pd.DataFrame:
    return pd.DataFrame({"month": pd.date_range(start, periods=len(values), freq="MS"),
                         "value": np.asarray(values, dtype=float)})


def run(values, **kwargs) -> spc.SPCResult:
    return spc.xmr(series(values), date="month", value="value", **kwargs)


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


def test_anhoej_points_on_the_median_shrink_n_useful_and_the_run_limit():
    # 24 points: eleven 1s, two 5s, eleven 9s -> sorted 12th and 13th are 5 and 5: median 5.
    # Signs (5s dropped): - + - + - + - then + + + + [5] + + [5] + + then - x 7.
    # n_useful = 22; the 5s neither break nor extend: the 9s form ONE run of 8; blocks 9 -> crossings 8.
    # longest_run_max = round(log2 22 = 4.459) + 3 = 7 -> 8 > 7: signal.
    # n_crossings_min = qbinom(.05, 21, .5): cumulative C(21, k) = 1, 22, 232, 1562, 7547, 27896, 82160, 198440
    # over 2^21 = 2097152 (5 % = 104857.6): 82160 < 104857.6 <= 198440 -> 7; 8 >= 7: no crossings signal.
    # Had the 5s been counted (n 24: round(4.585) + 3 = 8) or treated as breakers (runs of 4 and 2), no signal.
    values = [1, 9, 1, 9, 1, 9, 1] + [9, 9, 9, 9, 5, 9, 9, 5, 9, 9] + [1] * 7
    part = spc.run_chart(series(values), date="month", value="value").parts.iloc[0]
    assert (part["n_obs"], part["n_useful"], part["median"]) == (24, 22, 5)
    assert (part["longest_run"], part["longest_run_max"]) == (8, 7)
    assert (part["n_crossings"], part["n_crossings_min"]) == (8, 7)
    assert part["signal"] and part["signal_reason"] == "longest_run"


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


MONTHS = pd.date_range("2022-01-31", periods=40, freq="ME")


def _log_row(cycle_id, start, decision, measures):
    return {"project_id": "P", "cycle_id": cycle_id, "change_idea": f"idea {cycle_id}", "measures": measures,
            "actual_start_date": pd.Timestamp(start), "planned_start_date": pd.Timestamp(start),
            "status": "completed", "act_decision": decision, "prediction_confirmed": None}


def test_pdsa_window_is_not_cut_by_a_cycle_on_another_measure():
    # Measure m: 15 baseline points 10, 12, ..., 10 (mean 164/15 = 10.93, MR-bar 2, UPL 16.25) then 7 x 13
    # from 30/04/2023: a 7-point shift above the mean -> improvement from 30/04/2023 (as in test_pdsa).
    # Cycle A (m) starts 01/04/2023; cycle B starts 01/06/2023 but on measure "m2" only, so it must not end
    # A's window: A is judged on all 7 later points (judged_until None) and shows the shift.
    values = [10, 12] * 7 + [10] + [13] * 7
    frame = pd.concat([pd.DataFrame({"measure_id": mid, "date": MONTHS[:len(values)], "value": values,
                                     "facet": None}) for mid in ("m", "m2")], ignore_index=True)
    log = pd.DataFrame([_log_row("A", "2023-04-01", "adopt", "m"), _log_row("B", "2023-06-01", "abandon", "m2")])
    verdict = pdsa.evaluate_cycles(log, frame).set_index("cycle_id").loc["A"]
    assert verdict["n_after"] == 7 and pd.isna(verdict["judged_until"])
    assert verdict["signal"] == "improvement" and verdict["first_signal_date"] == pd.Timestamp("2023-04-30")
