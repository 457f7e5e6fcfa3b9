"""Tests for ttwell.presentation.charts.time_series: monthly line charts (baseline, groups, gaps, rolling series)."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from chart_helpers import series_lines, texts, two_teams_monthly

from ttwell.presentation import charts


@pytest.fixture
def monthly():
    return two_teams_monthly()


def test_monthly_chart_single_series(monthly):
    one = monthly[monthly["team"] == "North"]
    fig = charts.monthly_chart(one, date_col="month", value_col="value", title="Sickness absence rate",
                               ylabel="Rate", percent=True, baseline_start="2023-04-01",
                               baseline_end="2023-09-01", baseline_value=0.043)
    ax = fig.axes[0]
    assert len(series_lines(fig)) == 1
    assert ax.get_title() == "Sickness absence rate"
    assert "Baseline period" in texts(fig)
    assert "Baseline: 4.3%" in texts(fig)
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 1 and dashed[0].get_ydata()[0] == pytest.approx(0.043)
    assert len(ax.patches) == 1  # the baseline shading

    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels[0] == "Apr 2023"
    assert all(len(lbl.split()) == 2 and len(lbl.split()[1]) == 4 for lbl in labels)
    ylabels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ylabels and all(lbl.endswith("%") for lbl in ylabels)


def test_monthly_chart_one_line_per_group_with_direct_labels(monthly):
    fig = charts.monthly_chart(monthly, date_col="month", value_col="value", title="t", ylabel="y",
                               group_col="team")
    lines = series_lines(fig)
    assert len(lines) == 2
    assert {line.get_label() for line in lines} == {"North", "South"}
    assert len({line.get_marker() for line in lines}) == 2  # not colour alone
    assert len({line.get_color() for line in lines}) == 2
    assert {"North", "South"} <= set(texts(fig))


def test_monthly_chart_nan_is_a_gap(monthly):
    data = monthly[monthly["team"] == "North"].copy()
    data.loc[data.index[5], "value"] = np.nan
    fig = charts.monthly_chart(data, date_col="month", value_col="value", title="t", ylabel="y")
    (line,) = series_lines(fig)
    y = np.asarray(line.get_ydata(), dtype=float)
    assert len(y) == 12 and np.isnan(y[5])  # kept in place, so the line breaks instead of joining across
    # When drawn, the path is split into two pieces at the NaN: two MOVETO codes.
    path = line.get_path().cleaned(remove_nans=True)
    assert list(path.codes).count(1) == 2


def test_monthly_chart_unknown_column_is_clear(monthly):
    with pytest.raises(ValueError, match="'rate'"):
        charts.monthly_chart(monthly, date_col="month", value_col="rate", title="t", ylabel="y")


def test_rolling_series_axis_starts_at_its_first_value():
    months = pd.date_range("2023-04-01", periods=24, freq="MS")
    values = np.r_[[np.nan] * 11, np.linspace(0.04, 0.05, 13)]  # a rolling 12-month measure
    data = pd.DataFrame({"month": months, "value": values, "suppressed": False})
    fig = charts.monthly_chart(data, date_col="month", value_col="value", title="t", ylabel="y", percent=True)
    left, right = (mdates.num2date(x) for x in fig.axes[0].get_xlim())
    assert (left.year, left.month) == (2024, 3)  # the first month with a value, not a year earlier
    assert (right.year, right.month) == (2025, 4) and right.day == 1  # the end of the last month



def test_its_chart_draws_the_counterfactual_only_once_the_strategy_starts():
    fitted = pd.DataFrame({"date": pd.date_range("2023-04-30", periods=24, freq="ME"),
                           "observed": np.linspace(0.05, 0.04, 24)})
    fitted["fitted"] = fitted["observed"]
    fitted["counterfactual"] = fitted["fitted"] + 0.005
    fig = charts.its_chart(fitted, start="01/04/2024", title="Vacancy rate", ylabel="%", percent=True)
    ax = fig.axes[0]
    counter = next(line for line in ax.get_lines() if line.get_linestyle() == "--")
    first = mdates.num2date(mdates.date2num(np.asarray(counter.get_xdata())[0]))
    assert (first.year, first.month) == (2024, 4) and len(counter.get_xdata()) == 12
    assert "Strategy in place" in texts(fig)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "Observed", "Fitted model", "Without the strategy (counterfactual)"]
