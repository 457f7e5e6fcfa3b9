"""Tests for ttwell.calculations.spc.runs: Anhøj's limits and the run chart (qicharts2 0.8.1, spc.md 3.2).

Every series is small and worked by hand in a comment; point numbers are 1-based, as on a chart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

from spc_cases import rules, run, series
from ttwell.calculations import spc
from ttwell.errors import ParameterError


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
