"""Per-cycle PDSA verdicts on hand-built series whose answers are known by construction."""

from __future__ import annotations

import pandas as pd
import pytest

from ttwell.calculations import pdsa

MONTHS = pd.date_range("2022-01-31", periods=40, freq="ME")


def measures(values) -> pd.DataFrame:
    return pd.DataFrame({"measure_id": "m", "date": MONTHS[: len(values)], "value": values, "facet": None})


def log_row(cycle_id, start, decision, status="completed", measures_="m") -> dict:
    return {"project_id": "P", "cycle_id": cycle_id, "change_idea": f"idea {cycle_id}", "measures": measures_,
            "actual_start_date": pd.Timestamp(start), "planned_start_date": pd.Timestamp(start),
            "status": status, "act_decision": decision, "prediction_confirmed": None}


def test_shift_after_an_adopted_change_is_improvement_from_the_first_point_of_the_run():
    # 15 baseline points 10, 12, ..., 10: mean (7 x 22 + 10) / 15 = 164/15 = 10.93, every moving range 2,
    # limits 10.93 +/- 2.66 x 2 = 5.61..16.25, two-sigma line 10.93 + 3.55 = 14.48. From the 16th point
    # (30/04/2023) seven points of 13: above the mean, below the two-sigma line, so only the 7-point shift
    # fires, and MDC labels the whole run from its first point.
    values = [10, 12] * 7 + [10] + [13] * 7
    log = pd.DataFrame([log_row("A", "2023-04-01", "adopt")])
    verdict = pdsa.evaluate_cycles(log, measures(values)).iloc[0]
    assert verdict["n_baseline"] == 15 and verdict["n_after"] == 7
    assert verdict["baseline_mean"] == pytest.approx(164 / 15)
    assert verdict["upl"] == pytest.approx(164 / 15 + 2.66 * 2)
    assert verdict["signal"] == "improvement" and verdict["first_signal_rule"] == "shift"
    assert verdict["first_signal_date"] == pd.Timestamp("2023-04-30")
    assert verdict["decision_vs_data"] == "adopted, and the data show special-cause improvement"


def test_each_cycle_is_judged_only_until_the_next_one_starts():
    # Cycle B (abandoned) runs from point 16 to point 18; cycle C starts at point 19, where a shift begins.
    # B must not be credited with C's improvement.
    values = [10, 12] * 7 + [10] + [11, 11.5, 10.5] + [13] * 7
    log = pd.DataFrame([log_row("B", "2023-04-01", "abandon"), log_row("C", "2023-07-01", "adopt")])
    verdicts = pdsa.evaluate_cycles(log, measures(values)).set_index("cycle_id")
    assert verdicts.loc["B", "n_after"] == 3 and verdicts.loc["B", "signal"] == "none"
    assert verdicts.loc["B", "judged_until"] == pd.Timestamp("2023-07-01")
    assert verdicts.loc["B", "decision_vs_data"].startswith("abandoned; the data show no special cause")
    assert verdicts.loc["C", "signal"] == "improvement"


def test_adopted_but_no_signal_yet_and_short_baseline_warning():
    # Five baseline points only: limits are not fixed and the verdict says so; four points after, no signal.
    values = [10, 12, 10, 12, 10, 11, 12, 10, 11]
    log = pd.DataFrame([log_row("D", "2022-06-01", "adopt")])
    verdict = pdsa.evaluate_cycles(log, measures(values)).iloc[0]
    assert verdict["n_baseline"] == 5 and verdict["signal"] == "none"
    assert verdict["decision_vs_data"] == "adopted, but no special-cause improvement yet after 4 points"
    assert any("only 5 points before the start" in w for w in verdict["warnings"])


def test_decrease_direction_turns_a_fall_into_improvement():
    values = [10, 12] * 7 + [10] + [9] * 7
    log = pd.DataFrame([log_row("E", "2023-04-01", "adapt")])
    verdict = pdsa.evaluate_cycles(log, measures(values), directions={"m": "decrease"}).iloc[0]
    assert verdict["signal"] == "improvement"
    assert verdict["decision_vs_data"] == "adapted, although the data show special-cause improvement: worth a second look"


def test_adopted_change_starts_a_new_baseline_for_later_cycles():
    # A (adopted) starts at point 16; cycle F starts at point 30. F's baseline is points 16..29 only (14 points).
    values = [10, 12] * 7 + [10] + [13, 14] * 7 + [13.5] * 3
    log = pd.DataFrame([log_row("A", "2023-04-01", "adopt"), log_row("F", "2024-06-01", "abandon")])
    verdicts = pdsa.evaluate_cycles(log, measures(values)).set_index("cycle_id")
    assert verdicts.loc["F", "n_baseline"] == 14
    assert verdicts.loc["F", "baseline_mean"] == pytest.approx(13.5)
    assert verdicts.loc["F", "signal"] == "none"
    assert pdsa.adopted_rebase_dates(log, "m") == [pd.Timestamp("2023-04-01")]


# --- a cycle's window (moved from the SPC review tests) ---------------------------------------------------

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
