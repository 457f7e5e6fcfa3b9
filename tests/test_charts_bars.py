"""Tests for ttwell.presentation.charts.bars: sorted bars, value labels, intervals, [c] rows, one scale per axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from chart_helpers import series_bars, texts

from ttwell.presentation import charts


@pytest.fixture
def teams():
    return pd.DataFrame({
        "team": ["A", "B", "C", "D"],
        "value": [0.20, 0.50, np.nan, 0.35],
        "ci_low": [0.10, 0.40, np.nan, 0.30],
        "ci_high": [0.30, 0.60, np.nan, 0.40],
        "suppressed": [False, False, True, False],
    })


def test_bar_chart_sorted_bars_labels_and_c(teams):
    fig = charts.bar_chart(teams, category_col="team", value_col="value", title="By team", xlabel="Rate",
                           percent=True, ci_low_col="ci_low", ci_high_col="ci_high")
    ax = fig.axes[0]
    bars = series_bars(fig)
    assert len(bars) == 3  # the suppressed team is not drawn
    by_height = sorted(bars, key=lambda b: b.get_y(), reverse=True)
    assert [b.get_width() for b in by_height] == pytest.approx([0.50, 0.35, 0.20])  # largest at the top
    ticklabels = [t.get_text() for t in ax.get_yticklabels()]
    positions = list(ax.get_yticks())
    order = [lbl for _, lbl in sorted(zip(positions, ticklabels), reverse=True)]
    assert order == ["B", "D", "A", "C"]
    assert {"50.0%", "35.0%", "20.0%", "[c]"} <= set(texts(fig))
    assert texts(fig).count("[c]") == 1
    assert ax.collections, "error bars drawn"
    label_50 = next(t for t in ax.texts if t.get_text() == "50.0%")
    assert label_50.get_position()[0] > 0.60  # beyond the upper confidence limit


def test_bar_chart_nan_without_flag_is_c_and_not_drawn():
    data = pd.DataFrame({"team": ["A", "B"], "value": [3.0, np.nan]})
    fig = charts.bar_chart(data, category_col="team", value_col="value", title="t", xlabel="x")
    assert len(series_bars(fig)) == 1
    assert "[c]" in texts(fig) and "3" in texts(fig)


def test_bar_chart_missing_but_not_suppressed_is_not_called_c():
    data = pd.DataFrame({"team": ["A", "B"], "value": [3.0, np.nan], "suppressed": [False, False]})
    fig = charts.bar_chart(data, category_col="team", value_col="value", title="t", xlabel="x")
    assert "[c]" not in texts(fig) and "no data" in texts(fig)


def test_bar_chart_handles_negative_values():
    data = pd.DataFrame({"group": ["A", "B"], "value": [-0.4, 0.6]})
    fig = charts.bar_chart(data, category_col="group", value_col="value", title="t", xlabel="Change")
    left, right = fig.axes[0].get_xlim()
    assert left < -0.4 and right > 0.6


def test_bar_chart_puts_each_scale_on_its_own_axis():
    data = pd.DataFrame({"label": ["Joy (0-4)", "Recommend (0-10)", "Joy again (0-4)"], "mean": [2.3, 6.2, 2.0],
                         "scale_min": [0, 0, 0], "scale_max": [4, 10, 4]})
    fig = charts.bar_chart(data, category_col="label", value_col="mean", title="t", xlabel="Average score")
    assert len(fig.axes) == 2
    labels = sorted(ax.get_xlabel() for ax in fig.axes)
    assert labels == ["Average score (scale 0 to 10)", "Average score (scale 0 to 4)"]
    for ax in fig.axes:
        bars = [p for p in ax.patches if p.get_gid() == charts.SERIES_GID]
        top = 10 if "10" in ax.get_xlabel() else 4
        assert all(b.get_width() <= top for b in bars) and ax.get_xlim()[1] >= top

