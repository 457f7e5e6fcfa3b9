"""Tests for ttwell.presentation.charts.time_axis: dates read day-first, points in their own month, gaps that
keep their month, sparse month labels, weekly dates kept."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from chart_helpers import series_lines, two_teams_monthly, xmr_points

from ttwell.presentation import charts
from ttwell.presentation.charts.time_axis import _to_dates


@pytest.fixture
def monthly():
    return two_teams_monthly()


def test_monthly_chart_labels_many_months_sparsely():
    months = pd.date_range("2021-04-01", periods=36, freq="MS")
    data = pd.DataFrame({"month": months.strftime("%Y-%m-%d"), "value": np.arange(36.0)})  # ISO strings
    fig = charts.monthly_chart(data, date_col="month", value_col="value", title="t", ylabel="y")
    ticks = fig.axes[0].get_xticks()
    assert 3 <= len(ticks) <= 8
    assert mdates.num2date(ticks[0]).strftime("%Y-%m") == "2021-04"


def test_monthly_chart_reads_uk_date_text_day_first(monthly):
    one = monthly[monthly["team"] == "North"].copy()
    one["month"] = one["month"].dt.strftime("%d/%m/%Y")  # "01/04/2023" is 1 April, not 4 January
    fig = charts.monthly_chart(one, date_col="month", value_col="value", title="t", ylabel="y",
                               baseline_start="01/04/2023", baseline_end="01/09/2023")
    (line,) = series_lines(fig)
    first = pd.Timestamp(np.asarray(line.get_xdata())[0])
    assert (first.year, first.month) == (2023, 4)  # April, drawn mid-month
    (span,) = fig.axes[0].patches
    left = mdates.num2date(span.get_x())
    right = mdates.num2date(span.get_x() + span.get_width())
    # The shading covers whole months: from 1 April to the end of September.
    assert (left.year, left.month, left.day) == (2023, 4, 1)
    assert (right.year, right.month, right.day) == (2023, 10, 1)


def test_month_end_points_are_drawn_in_their_own_month():
    result = xmr_points([5.0, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5], start="2023-04-30")
    fig = charts.spc_chart(result.points, result.summary, title="t", ylabel="y")
    ax = fig.axes[0]
    first = mdates.num2date(np.asarray(ax.collections[0].get_offsets())[:, 0].min())
    assert (first.year, first.month) == (2023, 4)  # 30/04/2023 is April, not May
    ticks = {t.get_text(): t.get_position()[0] for t in ax.get_xticklabels() if t.get_text()}
    assert mdates.date2num(pd.Timestamp(first.replace(tzinfo=None))) == pytest.approx(ticks["Apr 2023"])


@pytest.mark.parametrize("chart", ["monthly", "spc", "run"])
def test_nan_is_a_gap_that_keeps_its_month_with_a_note(chart):
    from ttwell.calculations import spc

    dates = pd.date_range("2023-04-30", periods=12, freq="ME")
    values = np.linspace(50, 61, 12)
    note = "[c] months suppressed to protect confidentiality"
    if chart == "monthly":
        values[[5, 11]] = np.nan
        data = pd.DataFrame({"month": dates, "value": values, "suppressed": [i in (5, 11) for i in range(12)]})
        fig = charts.monthly_chart(data, date_col="month", value_col="value", title="t", ylabel="y", note=note)
    elif chart == "spc":
        result = xmr_points(values, start="2023-04-30")
        points = result.points.copy()
        points.loc[points.index[[5, 11]], "value"] = np.nan
        fig = charts.spc_chart(points, result.summary, title="t", ylabel="y", note=note)
    else:
        result = spc.run_chart(pd.DataFrame({"date": dates, "value": values}), date="date", value="value")
        points = result.points.copy()
        points.loc[points.index[[5, 11]], "value"] = np.nan
        fig = charts.run_chart(points, result.parts, title="t", ylabel="y", note=note)
    ax = fig.axes[0]
    (line,) = [line for line in ax.get_lines() if line.get_gid() == charts.SERIES_GID]
    x = mdates.num2date(mdates.date2num(np.asarray(line.get_xdata())))
    y = np.asarray(line.get_ydata(), dtype=float)
    assert len(y) == 12 and np.isnan(y[5]) and np.isnan(y[11])  # the months stay, as gaps
    assert [(d.year, d.month) for d in x][5] == (2023, 9)
    right = mdates.num2date(ax.get_xlim()[1])
    assert (right.year, right.month) == (2024, 4)  # a suppressed last month keeps the axis to March 2024
    assert any(note in t.get_text() for t in fig.texts)
    assert charts.check_figure(fig) == []


def test_months_missing_from_the_table_are_gaps_too():
    months = pd.date_range("2023-04-01", periods=12, freq="MS").delete(4)
    data = pd.DataFrame({"month": months, "value": np.arange(11.0)})
    fig = charts.monthly_chart(data, date_col="month", value_col="value", title="t", ylabel="y")
    (line,) = series_lines(fig)
    y = np.asarray(line.get_ydata(), dtype=float)
    assert len(y) == 12 and np.isnan(y[4])


def test_weekly_series_keep_their_dates_and_pass_the_checks():
    from ttwell.calculations import spc

    dates = pd.date_range("2024-01-07", periods=30, freq="W")
    values = np.r_[np.linspace(10, 14, 15), [np.nan], np.linspace(14, 12, 14)]
    result = spc.xmr(pd.DataFrame({"date": dates, "value": np.nan_to_num(values, nan=12.0)}),
                     date="date", value="value")
    points = result.points.copy()
    points.loc[points.index[15], "value"] = np.nan
    fig = charts.spc_chart(points, result.summary, title="Weekly measure", ylabel="y", floor_at_zero=False)
    ax = fig.axes[0]
    (line,) = [line for line in ax.get_lines() if line.get_gid() == charts.SERIES_GID]
    x = pd.to_datetime(mdates.num2date(mdates.date2num(np.asarray(line.get_xdata())))).tz_localize(None)
    assert list(x) == list(dates)  # weekly dates are not moved to mid-month
    assert np.isnan(np.asarray(line.get_ydata(), dtype=float)[15])
    assert charts.check_figure(fig) == []


def test_to_dates_reads_text_day_first_and_keeps_blanks_as_gaps():
    parsed = _to_dates(pd.Series(["01/04/2023", "2023-05-01", None, ""]))
    assert list(parsed[:2]) == [pd.Timestamp("2023-04-01"), pd.Timestamp("2023-05-01")]
    assert parsed[2:].isna().all()  # blank months are drawn as gaps, not refused
    assert _to_dates("31/03/2024") == pd.Timestamp("2024-03-31")
    assert _to_dates(pd.Timestamp("2024-03-31")) == pd.Timestamp("2024-03-31")


def test_to_dates_refuses_text_that_is_not_a_date():
    with pytest.raises(ValueError, match="'04/31/2023'.*yyyy-mm-dd or dd/mm/yyyy"):
        _to_dates(pd.Series(["01/04/2023", "04/31/2023"]))  # month-first is never guessed
    with pytest.raises(ValueError, match="'April'"):
        charts.monthly_chart(pd.DataFrame({"month": ["April"], "value": [1.0]}), date_col="month",
                             value_col="value", title="t", ylabel="y")
