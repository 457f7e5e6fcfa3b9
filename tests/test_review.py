"""The monthly review (issue 14): each watch-list rule fires once, in the month where it is planted, and never on a
series without it; the previous state comes from last month's data or from the previous run's review table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ttwell.calculations import review
from ttwell.errors import ParameterError

MONTHS = pd.date_range("2023-04-30", periods=30, freq="ME")
BASELINE = ("01/04/2023", "31/03/2024")
# A quiet series: a repeating zig-zag around 5% with no run of 7 on one side, no trend and no point near a
# limit (baseline mean 0.05, moving ranges 0.002-0.004 give limits about 0.05 +/- 0.008).
QUIET = np.array([0.050, 0.052, 0.049, 0.051, 0.048, 0.052, 0.050, 0.047, 0.051, 0.049, 0.053, 0.050] * 3)[:30]


def monthly(values, indicator="sickness_absence_rate_month") -> pd.DataFrame:
    return pd.DataFrame({"indicator": indicator, "date": MONTHS[:len(values)], "value": values})


def fired_by_month(values, **kwargs) -> dict[str, str]:
    """Review every month after the baseline; the watch rules that fire in each."""
    data = monthly(values)
    out = {}
    for end in MONTHS[12:len(values)]:
        table = review.review_month(data, month=f"{end:%m/%Y}", baseline_start=BASELINE[0],
                                    baseline_end=BASELINE[1], **kwargs).table
        out[f"{end:%m/%Y}"] = table.set_index("indicator").loc["sickness_absence_rate_month", "watch_rules"]
    return out


def only_fires(fired: dict, month: str, rule: str):
    assert fired[month] == rule, fired
    assert all(v == "" for m, v in fired.items() if m != month), fired


def test_a_quiet_series_puts_nothing_on_the_watch_list():
    fired = fired_by_month(QUIET)
    assert set(fired.values()) == {""}, fired


def test_a_point_beyond_the_upper_limit_fires_once_in_its_month():
    values = QUIET.copy()
    values[20] = 0.075  # December 2024: well above the baseline upper limit
    only_fires(fired_by_month(values), "12/2024", "new_special_cause")


def test_a_run_of_seven_fires_once_when_its_seventh_point_arrives():
    values = QUIET.copy()
    values[15:22] = [0.053, 0.054, 0.053, 0.055, 0.054, 0.053, 0.054]  # seven above the mean, inside the limits
    values[22:] = [0.049, 0.051, 0.048, 0.052, 0.049, 0.051, 0.048, 0.052]  # back to the zig-zag
    # the 7th point is index 21: January 2025
    only_fires(fired_by_month(values), "01/2025", "run_started")


def test_a_run_of_six_fires_a_month_earlier_when_asked():
    values = QUIET.copy()
    values[15:22] = [0.053, 0.054, 0.053, 0.055, 0.054, 0.053, 0.054]
    values[22:] = [0.049, 0.051, 0.048, 0.052, 0.049, 0.051, 0.048, 0.052]
    fired = fired_by_month(values, run_length=6)
    assert fired["12/2024"] == "run_started" and fired["01/2025"] == "", fired


def test_a_trend_fires_once_when_its_seventh_point_arrives():
    values = QUIET.copy()
    # seven rising points from index 16 to 22 (the 7th is index 22: February 2025), within the limits and
    # alternating round the mean so that no run of 7 on one side forms
    values[16:23] = [0.0440, 0.0460, 0.0480, 0.0500, 0.0520, 0.0540, 0.0560]
    values[23:] = [0.050, 0.049, 0.051, 0.050, 0.048, 0.051, 0.050][:len(values) - 23]
    only_fires(fired_by_month(values), "02/2025", "trend_started")


def test_a_changed_assurance_icon_fires_against_the_previous_report():
    data = monthly(QUIET)
    now = review.review_month(data, month="06/2024", baseline_start=BASELINE[0], baseline_end=BASELINE[1],
                              targets={"sickness_absence_rate_month": 0.04})
    assert now.table.iloc[0]["assurance_icon"] == "consistent_fail"  # the whole process sits above 4%
    previous = now.table.assign(assurance_icon="inconsistent")
    later = review.review_month(data, month="07/2024", baseline_start=BASELINE[0], baseline_end=BASELINE[1],
                                targets={"sickness_absence_rate_month": 0.04}, previous=previous,
                                previous_month="06/2024")
    row = later.table.iloc[0]
    assert row["watch_rules"] == "assurance_changed" and bool(row["watch"])
    assert later.compared_with == "the previous report (June 2024)"
    # Unchanged icons against the same previous report fire nothing.
    same = review.review_month(data, month="07/2024", baseline_start=BASELINE[0], baseline_end=BASELINE[1],
                               targets={"sickness_absence_rate_month": 0.04}, previous=now.table)
    assert same.table.iloc[0]["watch_rules"] == ""


def test_a_signal_that_ends_is_reported_but_not_watched():
    values = QUIET.copy()
    values[20] = 0.075
    data = monthly(values)
    table = review.review_month(data, month="01/2025", baseline_start=BASELINE[0], baseline_end=BASELINE[1]).table
    row = table.iloc[0]
    assert row["previous_variation_icon"] == "concern_high" and row["variation_icon"] == "common_cause"
    assert row["changes"] == "signal_ended" and not bool(row["watch"])


@pytest.mark.parametrize("last, before, expected", [(0.039, 0.041, "target_met"), (0.041, 0.039, "target_missed"),
                                                    (0.039, 0.038, "")])
def test_target_met_or_missed_this_month(last, before, expected):
    now = {"value": last, "variation_icon": "common_cause"}
    prior = {"value": before, "variation_icon": "common_cause"}
    assert ";".join(review.other_changes(now, prior, target=0.04, direction="decrease")) == expected


def test_without_a_previous_report_it_says_what_it_compares_with():
    result = review.review_month(monthly(QUIET), month="06/2024", baseline_start=BASELINE[0],
                                 baseline_end=BASELINE[1])
    assert result.compared_with.startswith("May 2024 as it looks in this month's data, with limits fixed")
    assert result.month == pd.Timestamp("2024-06-30")


def test_limits_stay_fixed_on_the_baseline_from_month_to_month():
    data = monthly(QUIET)
    from ttwell.calculations import spc
    charts = [review._chart(data, pd.Timestamp(m), baseline_start=BASELINE[0], baseline_end=BASELINE[1],
                            direction="decrease", target=None, run_length=7) for m in ("2024-06-30", "2025-09-30")]
    assert charts[0].summary.iloc[-1]["upl"] == pytest.approx(charts[1].summary.iloc[-1]["upl"])
    assert isinstance(charts[0], spc.SPCResult)


@pytest.mark.parametrize("given, expected", [("04/2024", "2024-04-30"), ("12/2024", "2024-12-31"),
                                             ("15/04/2024", "2024-04-30"), (pd.Period("2024-02", "M"), "2024-02-29")])
def test_review_month_forms(given, expected):
    assert review.month_end(given) == pd.Timestamp(expected)


def test_a_review_month_written_the_wrong_way_is_refused():
    with pytest.raises(ParameterError, match="MM/YYYY"):
        review.month_end("13/2024")


def test_the_default_review_month_is_the_latest_complete_month():
    data = pd.concat([monthly(QUIET), monthly(QUIET[:29], "vacancy_rate_fte")])
    assert review.latest_month(data) == MONTHS[28]
