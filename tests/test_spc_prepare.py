"""Tests for ttwell.calculations.spc.prepare: reading dates and numbers, missing values and periods, duplicates,
sorting, column and option checks (spc.md 2.1). Series are worked by hand in comments; point numbers are 1-based."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spc_cases import BASE, SHIFT, series
from ttwell.calculations import spc
from ttwell.errors import AnalysisError, InputError, ParameterError


def test_missing_value_is_an_error_or_dropped_explicitly():
    frame = series([10, 12] * 7)
    frame.loc[3, "value"] = np.nan
    with pytest.raises(InputError, match="missing='drop'") as info:
        spc.xmr(frame, date="month", value="value")
    assert info.value.problems[0].row == 5  # spreadsheet row: header 1, index 3 -> row 5
    dropped = spc.xmr(frame, date="month", value="value", missing="drop")
    warnings = dropped.summary.iloc[0]["warnings"]
    assert dropped.summary.iloc[0]["n"] == 13
    assert any("1 row(s) with a missing value were dropped" in w for w in warnings)
    assert any("1 month(s) missing between 01/03/2023 and 01/05/2023" in w for w in warnings)


def test_missing_month_is_an_error():
    frame = series([10, 12] * 7).drop(index=5)
    with pytest.raises(AnalysisError, match="1 month"):
        spc.xmr(frame, date="month", value="value")


def test_duplicate_dates_and_unparseable_dates():
    frame = pd.concat([series(BASE), series([11])])
    with pytest.raises(AnalysisError, match="duplicate rows found in 'month'"):
        spc.xmr(frame, date="month", value="value")
    text = pd.DataFrame({"month": ["01/01/2024", "01/02/2024", "Feb 2024"], "value": ["1", "2", "x"]})
    with pytest.raises(InputError) as info:
        spc.xmr(text, date="month", value="value")
    assert info.value.problems[0].row == 4 and info.value.problems[0].column == "month"


def test_text_dates_are_read_day_first_and_order_does_not_matter():
    frame = series(SHIFT)
    text = frame.assign(month=frame["month"].dt.strftime("%d/%m/%Y")).sample(frac=1, random_state=3)
    a = spc.xmr(frame, date="month", value="value").points
    b = spc.xmr(text, date="month", value="value").points
    pd.testing.assert_frame_equal(a, b)


def test_unknown_column():
    with pytest.raises(ParameterError, match="value: 'rate' must be a column"):
        spc.xmr(series(BASE), date="month", value="rate")


def test_rows_in_order_and_shuffled_give_the_same_chart_per_facet():
    frame = pd.concat([series(SHIFT, facet="b"), series(BASE, facet="a")], ignore_index=True)
    in_order = spc.xmr(frame.sort_values(["team", "month"]), date="month", value="value", facet="team")
    shuffled = spc.xmr(frame.sample(frac=1, random_state=1), date="month", value="value", facet="team")
    pd.testing.assert_frame_equal(in_order.points, shuffled.points)
    pd.testing.assert_frame_equal(in_order.summary, shuffled.summary)


def test_the_result_shares_no_memory_with_the_callers_frame():
    frame = series(BASE)
    points = spc.xmr(frame, date="month", value="value").points
    frame.loc[0, "value"] = 99.0
    assert points["value"].iloc[0] == 10.0


def test_dates_beyond_2262_are_read_to_the_second():
    # Nanosecond timestamps end in 2262; a long monthly series (the benchmark's million months) runs far past it.
    months = np.arange(np.datetime64("2250-01", "M"), np.datetime64("2250-01", "M") + 300)
    frame = pd.DataFrame({"month": months.astype("datetime64[D]").astype("datetime64[s]"),
                          "value": np.tile([10.0, 12.0], 150)})
    result = spc.xmr(frame, date="month", value="value")
    assert result.summary["end_date"].iloc[0] == pd.Timestamp("2274-12-01") and not result.warnings()


@pytest.mark.parametrize("dates, gap", [
    (pd.date_range("2023-01-31", periods=14, freq="ME").delete(5), "1 month(s) missing between 31/05/2023 and "
                                                                   "31/07/2023"),
    (pd.date_range("2023-01-02", periods=20, freq="7D").delete([3, 4]), "2 week(s) missing between 16/01/2023 "
                                                                        "and 06/02/2023"),
    (pd.date_range("2023-01-01", periods=20, freq="D").delete(10), "1 day(s) missing between 10/01/2023 and "
                                                                   "12/01/2023"),
])
def test_gaps_in_monthly_weekly_and_daily_series_are_named(dates, gap):
    frame = pd.DataFrame({"month": dates, "value": np.arange(len(dates), dtype=float)})
    result = spc.xmr(frame, date="month", value="value", missing="drop")
    assert result.warnings() == [f"all, segment 0: Gap in the series: {gap}; points analysed as consecutive."]


def test_irregular_spacing_is_not_called_a_gap():
    # Spacings 3, 5 and 11 days: neither monthly nor a multiple of 1 or 7 days, so nothing is missing.
    frame = pd.DataFrame({"month": pd.to_datetime(["2023-01-01", "2023-01-04", "2023-01-09", "2023-01-20"]),
                          "value": [1.0, 2.0, 3.0, 4.0]})
    warnings = spc.xmr(frame, date="month", value="value").summary["warnings"].iloc[0]
    assert len(warnings) == 1 and warnings[0].startswith("Only 4 point")


def test_a_bad_rebase_date_names_the_parameter():
    with pytest.raises(ParameterError, match="'rebase' must be a date as dd/mm/yyyy"):
        spc.xmr(series(BASE), date="month", value="value", rebase=["2023-31-01"])
