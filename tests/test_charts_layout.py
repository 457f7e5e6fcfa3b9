"""Tests for ttwell.presentation.charts.layout: value labels, percent ticks and labels pushed apart."""

from __future__ import annotations

import pytest

from ttwell.presentation.charts.layout import _format_value, _PercentTicks, _spread_labels


def test_format_value_whole_numbers_decimals_and_percent():
    assert _format_value(0.043, percent=True) == "4.3%"
    assert _format_value(1234.0, percent=False) == "1,234"
    assert _format_value(2.36, percent=False) == "2.4"
    assert _format_value(0.5, percent=False) == "0.5"  # below 1: one decimal, never "0"


def test_percent_ticks_use_only_the_decimals_the_spacing_needs():
    ticks = _PercentTicks()
    ticks.set_locs([0.04, 0.045, 0.05])
    assert [ticks(x) for x in (0.04, 0.045, 0.05)] == ["4.0%", "4.5%", "5.0%"]
    ticks.set_locs([0.0, 0.05, 0.10])
    assert ticks(0.05) == "5%"


def test_spread_labels_keeps_order_and_the_gap():
    placed = _spread_labels([10.0, 10.5, 30.0], min_gap=4.0)
    assert placed[0] < placed[1] < placed[2]
    assert placed[1] - placed[0] == pytest.approx(4.0)
    assert sum(placed) / 3 == pytest.approx((10.0 + 10.5 + 30.0) / 3)  # centred on where the lines are
    assert _spread_labels([], 4.0) == []
