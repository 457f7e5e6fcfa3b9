"""Tests for ttwell.calculations.spc.core: the variation and assurance icons, their words, and the group helpers."""

from __future__ import annotations

import numpy as np
import pytest

from ttwell.calculations import spc
from ttwell.calculations.spc import core


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


def test_icon_words_say_when_the_limits_are_trial_limits():
    assert spc.icon_text("improvement_high", "consistent_pass", 24) == (
        "Special cause improvement (high)", "Consistently meets the target")
    assert spc.icon_text("concern_low", None, 1) == ("Special cause concern (low) (trial limits: only 1 point, "
                                                     "fewer than 13)", None)
    assert spc.trial_limits_note(12) == "trial limits: only 12 points, fewer than 13"


def test_assurance_icon_without_a_target_limits_or_direction_is_none():
    assert spc.assurance_icon(None, 1.0, 2.0, "increase") is None
    assert spc.assurance_icon(5.0, 1.0, 2.0, "neutral") is None
    assert spc.assurance_icon(5.0, float("nan"), float("nan"), "increase") is None


def test_group_helpers_on_contiguous_groups():
    # Groups [0, 0, 0 | 1, 1]: values 1, 2, 3 | 4, 5; mask drops the 2 and both of group 1 -> means 2, NaN.
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    group, start = np.array([0, 0, 0, 1, 1]), np.array([0, 3])
    mask = np.array([True, False, True, False, False])
    assert core.group_count(mask, start).tolist() == [2, 0]
    means = core.group_mean(values, mask, group, start)
    assert means[0] == 2.0 and np.isnan(means[1])
    assert core.group_mean(values, np.ones(5, dtype=bool), group, start).tolist() == [2.0, 4.5]
