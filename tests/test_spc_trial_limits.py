"""Trial limits (issue 11, item 8; spc.md 2.7): a segment of fewer than 13 points says so wherever its icons
appear, and an assurance icon read from trial limits says so too."""

from __future__ import annotations

import pandas as pd
import pytest

from ttwell.presentation import narrative
from ttwell.calculations import spc


def series(values, start="2024-01-01"):
    return pd.DataFrame({"month": pd.date_range(start, periods=len(values), freq="MS"), "value": values})


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


def test_attribute_chart_marks_trial_limits():
    frame = series([1, 2, 1, 2, 1]).assign(num=[1, 2, 1, 2, 1], den=10)
    seg = spc.p_chart(frame, date="month", numerator="num", denominator="den").summary.iloc[0]
    assert bool(seg["trial_limits"]) and "only 5 points" in seg["variation_text"]


class _Runs:
    parts = pd.DataFrame([{"median": 11.0, "longest_run": 1, "longest_run_max": 6, "n_crossings": 10,
                           "n_crossings_min": 2, "signal": False}])


class _Section:
    def __init__(self, result):
        self.spc = result
        self.runs = _Runs()
