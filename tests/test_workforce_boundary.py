"""A leaving date on the last day of a window (issue 11, item 7; domain spec 1.5-1.6).

Someone whose leaving date is the last day of a window is a leaver in that window and NOT in post at its
end, whether or not the extract lists them in that day's snapshot. A leaving date on the month-end before a
window makes them a leaver of the previous window, outside the starting cohort. Hand-worked below.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import leaver, load, month_ends, snap
from ttwell.calculations import workforce
from ttwell.calculations.impact import year_comparison

WINDOW = ("01/04/2023", "31/03/2024")


def value(table, indicator, month, column="value"):
    row = table[(table["indicator"] == indicator) & (table["month"] == pd.Period(month, "M"))
                & (table["level"] == "service")]
    assert len(row) == 1
    return row[column].iloc[0]


def _service(tmp_path, listed_on_last_day: bool):
    # Snapshots 31/03/2023 .. 31/03/2024 (window Apr 2023 .. Mar 2024; the month-end before it is 31/03/2023).
    # p0..p8: in post throughout, started 2020.
    # p9:  in post throughout, leaves 31/03/2024 = the LAST day of the window (voluntary).
    # p10: leaves 31/03/2023 = the month-end BEFORE the window (a leaver of the previous window).
    # n1:  joined 01/10/2023 (182 days' service at 31/03/2024: under a year).
    # listed_on_last_day: the extract lists p9 on 31/03/2024 and p10 on 31/03/2023 (the day they left), or not.
    snapshot = []
    for d in month_ends("2023-03-01", "2024-03-31"):
        day = pd.to_datetime(d, format="%d/%m/%Y")
        snapshot += [snap(d, f"p{i}") for i in range(9)]
        if day < pd.Timestamp("2024-03-31") or listed_on_last_day:
            snapshot.append(snap(d, "p9"))
        if day == pd.Timestamp("2023-03-31") and listed_on_last_day:
            snapshot.append(snap(d, "p10"))
        if day >= pd.Timestamp("2023-10-31"):
            snapshot.append(snap(d, "n1", start="01/10/2023"))
    leavers = [leaver("p9", "31/03/2024"), leaver("p10", "31/03/2023")]
    return load(tmp_path, snapshot=snapshot, leavers=leavers)


# Hand-worked, identical whether or not the leavers are listed on their last day:
# In post 31/03/2023 (HC_start, NHS cohort): p0..p9 = 10 (p10 left that day: not in post).
# In post 31/03/2024 (HC_end):               p0..p8 + n1 = 10 (p9 left that day: not in post).
# Leavers in the window: p9 only (p10's date is in March 2023, before the window)            -> 1.
# Leaver rate (headcount)     = 1 / ((10 + 10) / 2) = 1 / 10 = 0.1    (the old count: 1 / ((11 + 11) / 2)).
# NHS stability index         = still in post at the end / cohort = p0..p8 / p0..p9 = 9 / 10   (old: 10 / 11).
# Strategy stability (1+ yr)  = p0..p8 / (p0..p8 + n1) = 9 / 10                              (old: 10 / 11).
EXPECTED = {"leaver_rate_hc_12m": (1, 10.0), "voluntary_leaver_rate_hc_12m": (1, 10.0),
            "stability_index_nhs_12m": (9, 10), "stability_index_1yr_service": (9, 10)}


@pytest.mark.parametrize("listed", [True, False], ids=["listed_on_last_day", "not_listed"])
def test_baseline_summary_last_day_leaver_is_not_in_post(tmp_path, listed):
    data = _service(tmp_path, listed)
    table = workforce.baseline_summary(data, *[pd.to_datetime(d, format="%d/%m/%Y") for d in WINDOW])
    service = table[table["level"] == "service"].set_index("indicator")
    for indicator, (num, den) in EXPECTED.items():
        assert service.loc[indicator, "numerator"] == num, indicator
        assert service.loc[indicator, "denominator"] == pytest.approx(den), indicator
        assert service.loc[indicator, "value"] == pytest.approx(num / den), indicator
    assert service.loc["stability_index_nhs_12m", "n_numerator_people"] == 1  # 10 - 9: p9 left
    # p9 worked all of March 2024: 366 days in the window (2024 is a leap year), none lost with the fix.
    pm = workforce.person_months(data.staff_snapshot, data.leavers)
    p9 = pm[(pm["staff_pid"] == "p9") & (pm["month"] == pd.Period("2024-03", "M"))]
    assert len(p9) == 1
    assert p9["days_in_post"].iloc[0] == 31
    assert not p9["in_post_at_month_end"].iloc[0]
    p9_window = pm[(pm["staff_pid"] == "p9") & (pm["month"] >= pd.Period("2023-04", "M"))]
    assert p9_window["days_in_post"].sum() == 366


@pytest.mark.parametrize("listed", [True, False], ids=["listed_on_last_day", "not_listed"])
def test_monthly_indicators_last_day_leaver_is_not_in_post(tmp_path, listed):
    table = workforce.monthly_indicators(_service(tmp_path, listed))
    for indicator, (num, den) in EXPECTED.items():
        assert value(table, indicator, "2024-03", "numerator") == num, indicator
        assert value(table, indicator, "2024-03", "denominator") == pytest.approx(den), indicator
    # Month-end headcounts: 31/03/2023: p0..p9 = 10 (p10 left that day); 29/02/2024: p0..p9 + n1 = 11;
    # 31/03/2024: p0..p8 + n1 = 10 (p9 left that day).
    assert value(table, "staff_in_post_headcount", "2023-03") == 10
    assert value(table, "staff_in_post_headcount", "2024-02") == 11
    assert value(table, "staff_in_post_headcount", "2024-03") == 10


def test_same_year_same_figures_through_baseline_and_annual(tmp_path):
    # One year, one set of options, two routes: workforce.baseline_summary (the baseline notebook) and
    # impact.year_comparison (the annual notebook, evaluation side). Both must give the same figures, with
    # leave of absence counted either way. p3 goes on maternity leave from the 31/10/2023 snapshot.
    snapshot = []
    for d in month_ends("2022-03-01", "2024-03-31"):
        day = pd.to_datetime(d, format="%d/%m/%Y")
        snapshot += [snap(d, f"p{i}") for i in range(3)] + [snap(d, f"p{i}") for i in range(4, 9)]
        status = "maternity_adoption_leave" if day >= pd.Timestamp("2023-10-31") else "active"
        snapshot.append(snap(d, "p3", status=status))
        snapshot.append(snap(d, "p9"))  # listed on 31/03/2024, the day they left
    data = load(tmp_path, snapshot=snapshot, leavers=[leaver("p9", "31/03/2024")])
    for loa in (False, True):
        options = workforce.Options(leave_of_absence_as_leaver=loa)
        base = workforce.baseline_summary(data, pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31"), options)
        years = year_comparison(data, baseline_start="2022-04-01", baseline_end="2023-03-31",
                                evaluation_start="2023-04-01", evaluation_end="2024-03-31", options=options)
        merged = base.merge(years, on=["indicator", "level", "group"])
        assert len(merged) == len(base)
        assert np.allclose(merged["value"], merged["value_evaluation"], equal_nan=True)
        rate = base[(base["indicator"] == "leaver_rate_hc_12m") & (base["level"] == "service")]
        # Default: p9 is the only leaver; HC 31/03/2023 = 10, 31/03/2024 = 9 -> 1 / 9.5.
        # NHS convention: p3's leave (first seen 31/10/2023) is a second leaver; HC_end = 8 -> 2 / 9.
        assert rate["value"].iloc[0] == pytest.approx(2 / 9 if loa else 1 / 9.5)
