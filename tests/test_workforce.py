"""Known-answer tests for the workforce indicators (domain spec section 1), each worked by hand in a comment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import episode, leaver, load, month_ends, snap
from ttwell.calculations import workforce
from ttwell.calculations.workforce import Options


def value(table, indicator, month, level="service", group=workforce.SERVICE_GROUP, column="value"):
    row = table[(table["indicator"] == indicator) & (table["month"] == pd.Period(month, "M"))
                & (table["level"] == level) & (table["group"] == group)]
    assert len(row) == 1, f"expected one row for {indicator} {month} {level} {group}, got {len(row)}"
    return row[column].iloc[0]


@pytest.fixture
def march_2024(tmp_path):
    """Four people in March 2024 (31 days).

    p1: FTE 1.0, whole month.                       available 31.0
    p2: FTE 0.6, whole month, sick 05-14 March.     available 18.6, lost 10 days x 0.6 = 6.0
    p3: FTE 1.0, started 16/03/2024.                available 16 days (16-31) x 1.0 = 16.0
    p4: FTE 1.0, left 10/03/2024, sick 08-20 March. available 10.0, lost 3 days (8, 9, 10) x 1.0 = 3.0
    Rate = (6.0 + 3.0) / (31 + 18.6 + 16 + 10) = 9 / 75.6 = 0.119047...
    """
    return load(
        tmp_path,
        snapshot=[snap("29/02/2024", "p1"), snap("29/02/2024", "p2", fte=0.6), snap("29/02/2024", "p4"),
                  snap("31/03/2024", "p1"), snap("31/03/2024", "p2", fte=0.6),
                  snap("31/03/2024", "p3", start="16/03/2024")],
        absence=[episode("e1", "p2", "05/03/2024", "14/03/2024"), episode("e2", "p4", "08/03/2024", "20/03/2024")],
        leavers=[leaver("p4", "10/03/2024")],
    )


def test_sickness_rate_month_part_time_starter_and_leaver(march_2024):
    table = workforce.monthly_indicators(march_2024)
    assert value(table, "sickness_absence_rate_month", "2024-03") == pytest.approx(9 / 75.6)
    assert value(table, "sickness_absence_rate_month", "2024-03", column="numerator") == pytest.approx(9.0)
    assert value(table, "sickness_absence_rate_month", "2024-03", column="denominator") == pytest.approx(75.6)
    # Two different people were off sick.
    assert value(table, "sickness_absence_rate_month", "2024-03", column="n_numerator_people") == 2


def test_staff_in_post_and_joiners(march_2024):
    table = workforce.monthly_indicators(march_2024)
    # March month-end: p1, p2, p3 in post (p4 left on the 10th); FTE 1 + 0.6 + 1 = 2.6; one joiner (p3).
    assert value(table, "staff_in_post_headcount", "2024-03") == 3
    assert value(table, "staff_in_post_fte", "2024-03") == pytest.approx(2.6)
    assert value(table, "joiners", "2024-03") == 1
    assert value(table, "joiners", "2024-02") == 0


def test_bank_staff_are_not_staff_in_post(tmp_path):
    data = load(tmp_path, snapshot=[snap("31/03/2024", "p1"), snap("31/03/2024", "b1", contract="bank"),
                                    snap("31/03/2024", "x1", in_scope="false")])
    table = workforce.monthly_indicators(data)
    assert value(table, "staff_in_post_headcount", "2024-03") == 1


def test_long_term_boundary_is_28_days(tmp_path):
    # e28: 01/03 to 28/03 = 28 calendar days -> long-term. e27: 01/03 to 27/03 = 27 days -> short-term.
    data = load(tmp_path, snapshot=[snap("31/03/2024", "p1"), snap("31/03/2024", "p2")],
                absence=[episode("e28", "p1", "01/03/2024", "28/03/2024"),
                         episode("e27", "p2", "01/03/2024", "27/03/2024")])
    days = workforce.absence_days(data.absence, workforce.person_months(data.staff_snapshot, data.leavers),
                                  data.extract_date)
    flags = dict(zip(days["episode_id"], days["is_long_term"]))
    assert flags == {"e28": True, "e27": False}


def test_open_episode_runs_to_extract_date_and_crosses_months(tmp_path):
    # Open episode from 20/02/2024; extract (last snapshot) 31/03/2024.
    # February (29 days in 2024): 20..29 = 10 days; March: 31 days. Length 41 days -> long-term in both months.
    data = load(tmp_path, snapshot=[snap("29/02/2024", "p1"), snap("31/03/2024", "p1")],
                absence=[episode("e1", "p1", "20/02/2024", None)])
    days = workforce.absence_days(data.absence, workforce.person_months(data.staff_snapshot, data.leavers),
                                  data.extract_date)
    assert days.set_index("month")["days_lost"].to_dict() == {pd.Period("2024-02", "M"): 10,
                                                               pd.Period("2024-03", "M"): 31}
    assert days["is_open"].all() and days["is_long_term"].all()


def test_maternity_leave_days_are_not_available(tmp_path):
    # p2 on maternity leave all March: not available. Rate = 2 / 31 (p1 sick 2 days, FTE 1).
    data = load(tmp_path, snapshot=[snap("31/03/2024", "p1"), snap("31/03/2024", "p2", status="maternity_adoption_leave")],
                absence=[episode("e1", "p1", "04/03/2024", "05/03/2024")])
    table = workforce.monthly_indicators(data)
    assert value(table, "sickness_absence_rate_month", "2024-03") == pytest.approx(2 / 31)
    # ...but p2 stays in post by default (decision 8.4).
    assert value(table, "staff_in_post_headcount", "2024-03") == 2


def test_part_day_and_override(tmp_path):
    # Part day: FTE 0.6 on 22.5 h/week -> 4.5 h/day; 2.25 h lost -> 0.6 x 2.25 / 4.5 = 0.3 FTE days.
    # Override: 1.5 FTE days supplied for a 3-day episode, used as given.
    # Available: p1 0.6 x 31 = 18.6; p2 1.0 x 31 = 31. Rate = 1.8 / 49.6.
    data = load(tmp_path, snapshot=[snap("31/03/2024", "p1", fte=0.6, contracted_hours_per_week=22.5),
                                    snap("31/03/2024", "p2")],
                absence=[episode("e1", "p1", "04/03/2024", "04/03/2024", partial_day="true", hours_lost=2.25),
                         episode("e2", "p2", "11/03/2024", "13/03/2024", fte_days_lost_override=1.5)])
    table = workforce.monthly_indicators(data)
    assert value(table, "sickness_absence_rate_month", "2024-03", column="numerator") == pytest.approx(1.8)
    assert value(table, "sickness_absence_rate_month", "2024-03") == pytest.approx(1.8 / 49.6)


def _twelve_month_service(tmp_path, sick_days_by_month: dict[str, tuple[str, str]]):
    # Ten full-time people in post for 13 month-ends (Mar 2023 .. Mar 2024); p0 is sick as given.
    ends = month_ends("2023-03-01", "2024-03-31")
    snapshot = [snap(d, f"p{i}") for d in ends for i in range(10)]
    absence = [episode(f"e{k}", "p0", a, b) for k, (a, b) in sick_days_by_month.items()]
    return load(tmp_path, snapshot=snapshot, absence=absence)


def test_rolling_12_months_is_a_ratio_of_sums(tmp_path):
    # Window Apr 2023 .. Mar 2024 = 366 days (2024 is a leap year) x 10 people = 3660 FTE days available.
    # Lost: 10 days in Apr 2023 + 5 days in Feb 2024 = 15. Rate = 15 / 3660.
    data = _twelve_month_service(tmp_path, {"a": ("01/04/2023", "10/04/2023"), "b": ("01/02/2024", "05/02/2024")})
    table = workforce.monthly_indicators(data)
    assert value(table, "sickness_absence_rate_12m", "2024-03") == pytest.approx(15 / 3660)
    # (The mean of the 12 monthly rates, (10/300 + 5/290) / 12 = 0.00421, would be wrong: 15 / 3660 = 0.00410.)
    # Data start March 2023, so the first full window ends February 2024; none before.
    assert np.isnan(value(table, "sickness_absence_rate_12m", "2024-01"))
    assert not np.isnan(value(table, "sickness_absence_rate_12m", "2024-02"))


def test_leaver_rate_headcount_fte_and_voluntary(tmp_path):
    # Mar 2023: p0..p9 in post (10 people, FTE 10 x 1.0 but p9 is 0.5 -> 9.5).
    # Leavers in Apr 2023 .. Mar 2024: p8 (voluntary, FTE 1.0, 15/06/2023), p9 (retirement, FTE 0.5, 31/12/2023).
    # Joiner: n1 from 01/07/2023. Mar 2024 in post: p0..p7 + n1 = 9 people, FTE 9.0.
    # Headcount rate = 2 / ((10 + 9) / 2) = 2 / 9.5; FTE rate = 1.5 / ((9.5 + 9.0) / 2) = 1.5 / 9.25;
    # voluntary = 1 / 9.5.
    ends = month_ends("2023-03-01", "2024-03-31")
    snapshot = []
    for d in ends:
        day = pd.to_datetime(d, format="%d/%m/%Y")
        for i in range(8):
            snapshot.append(snap(d, f"p{i}"))
        if day <= pd.Timestamp("2023-05-31"):
            snapshot.append(snap(d, "p8"))
        if day <= pd.Timestamp("2023-12-31"):
            snapshot.append(snap(d, "p9", fte=0.5))
        if day >= pd.Timestamp("2023-07-31"):
            snapshot.append(snap(d, "n1", start="01/07/2023"))
    leavers = [leaver("p8", "15/06/2023"), leaver("p9", "31/12/2023", reason="Retirement Age", fte=0.5)]
    data = load(tmp_path, snapshot=snapshot, leavers=leavers)
    table = workforce.monthly_indicators(data)
    assert value(table, "leaver_rate_hc_12m", "2024-03") == pytest.approx(2 / 9.5)
    assert value(table, "leaver_rate_fte_12m", "2024-03") == pytest.approx(1.5 / 9.25)
    assert value(table, "voluntary_leaver_rate_hc_12m", "2024-03") == pytest.approx(1 / 9.5)
    # NHS stability: of the 10 in post at Mar 2023, 8 are in post at Mar 2024 -> 0.8.
    assert value(table, "stability_index_nhs_12m", "2024-03") == pytest.approx(0.8)
    # Excluded ESR reasons never count: same data with p8 recorded as a duplicate record -> 1 leaver.
    leavers[0]["leaving_reason_esr"] = "Merged Organisation - Duplicate Record"
    data2 = load(tmp_path / "b", snapshot=snapshot, leavers=leavers)
    assert value(workforce.monthly_indicators(data2), "leaver_rate_hc_12m", "2024-03") == pytest.approx(1 / 9.5)


def test_leave_of_absence_convention_switch(tmp_path):
    # p1 goes on maternity leave from the Feb 2024 snapshot. Default: still in post, not a leaver.
    # NHS Digital convention: leaves active service in Feb 2024 (1 leaver; Mar 2024 headcount 9).
    ends = month_ends("2023-03-01", "2024-03-31")
    snapshot = [snap(d, f"p{i}") for d in ends for i in range(2, 11)]
    for d in ends:
        status = "maternity_adoption_leave" if pd.to_datetime(d, format="%d/%m/%Y") >= pd.Timestamp("2024-02-01") else "active"
        snapshot.append(snap(d, "p1", status=status))
    data = load(tmp_path, snapshot=snapshot)
    default = workforce.monthly_indicators(data)
    nhs = workforce.monthly_indicators(data, Options(leave_of_absence_as_leaver=True))
    assert value(default, "leaver_rate_hc_12m", "2024-03") == 0
    assert value(default, "staff_in_post_headcount", "2024-03") == 10
    assert value(nhs, "staff_in_post_headcount", "2024-03") == 9
    # 1 leaver / mean(10, 9)
    assert value(nhs, "leaver_rate_hc_12m", "2024-03") == pytest.approx(1 / 9.5)


def test_stability_one_year_uses_365_days(tmp_path):
    # At 31/03/2024: p1 started 01/04/2023 -> 365 days -> counts; p2 started 02/04/2023 -> 364 days -> not.
    # p3 started 2020 -> counts. Strategy stability = 2 / 3.
    data = load(tmp_path, snapshot=[snap("31/03/2024", "p1", start="01/04/2023"),
                                    snap("31/03/2024", "p2", start="02/04/2023"), snap("31/03/2024", "p3")])
    table = workforce.monthly_indicators(data)
    assert value(table, "stability_index_1yr_service", "2024-03") == pytest.approx(2 / 3)


def test_vacancy_rate_given_and_derived(tmp_path):
    # T01 pwp: establishment 12, vacancy given 2.0. T02 pwp: establishment 3, vacancy blank -> derived as
    # establishment 3 - staff in post FTE (1.0 + 0.5) = 1.5. Service: (2 + 1.5) / (12 + 3) = 3.5 / 15.
    data = load(tmp_path, snapshot=[snap("31/03/2024", "p1", team="T02"), snap("31/03/2024", "p2", team="T02", fte=0.5),
                                    snap("31/03/2024", "p3")],
                establishment=[{"month": "2024-03", "team_code": "T01", "role_group": "pwp", "establishment_fte": 12,
                                "vacancy_fte": 2.0},
                               {"month": "2024-03", "team_code": "T02", "role_group": "pwp", "establishment_fte": 3}])
    table = workforce.monthly_indicators(data)
    assert value(table, "vacancy_rate_fte", "2024-03") == pytest.approx(3.5 / 15)
    assert value(table, "vacancy_rate_fte", "2024-03", level="team", group="T02") == pytest.approx(1.5 / 3)


def test_team_and_role_family_levels_add_up(march_2024):
    table = workforce.monthly_indicators(march_2024)
    march = table[(table["indicator"] == "staff_in_post_headcount") & (table["month"] == pd.Period("2024-03", "M"))]
    total = march[march["level"] == "service"]["value"].sum()
    assert march[march["level"] == "team"]["value"].sum() == total == 3
    assert march[march["level"] == "role_family"]["value"].sum() == total


def test_health_data_indicators_are_service_level_only(march_2024):
    table = workforce.monthly_indicators(march_2024)
    mh = table[table["indicator"] == "mental_health_share_of_days_lost_12m"]
    assert set(mh["level"]) == {"service"}


def test_baseline_summary_intervals(tmp_path):
    # Ten people x 12 months; p0 sick 10 days in April 2023 and 5 days in February 2024.
    data = _twelve_month_service(tmp_path, {"a": ("01/04/2023", "10/04/2023"), "b": ("01/02/2024", "05/02/2024")})
    base = workforce.baseline_summary(data, "2023-04-01", "2024-03-31")
    service = base[base["level"] == "service"].set_index("indicator")
    sick = service.loc["sickness_absence_rate_12m"]
    assert sick["value"] == pytest.approx(15 / 3660)
    # Person-clustered linearised interval, worked by hand: y = (15, 0 x 9), x = 366 each, R = 15/3660.
    # residuals y - R x: 15 - 1.5 = 13.5 for p0, -1.5 for the other nine.
    # var = n/(n-1) x sum(res^2) / (sum x)^2 = 10/9 x (182.25 + 9 x 2.25) / 3660^2
    se = np.sqrt(10 / 9 * (13.5**2 + 9 * 1.5**2) / 3660**2)
    assert sick["ci_high"] == pytest.approx(15 / 3660 + 1.959964 * se, rel=1e-4)
    assert sick["ci_low"] == pytest.approx(max(15 / 3660 - 1.959964 * se, 0), abs=1e-6)
    # NHS stability: all 10 retained -> Wilson interval for 10/10 is (0.7225, 1.0).
    stab = service.loc["stability_index_nhs_12m"]
    assert stab["value"] == 1.0
    assert stab["ci_low"] == pytest.approx(0.7225, abs=1e-4)
    assert stab["interval"] == "Wilson"


def test_baseline_period_must_be_whole_months(march_2024):
    from ttwell.errors import AnalysisError
    with pytest.raises(AnalysisError, match="first day of a month"):
        workforce.baseline_summary(march_2024, "2024-03-05", "2024-03-31")


def test_leaving_reasons_groups_and_unknown_share(tmp_path):
    data = load(tmp_path, snapshot=[snap("31/03/2024", "p1")],
                leavers=[leaver("a", "10/01/2024"), leaver("b", "10/02/2024", reason="Unknown"),
                         leaver("c", "11/02/2024", reason="Retirement Age"),
                         leaver("d", "12/02/2024", reason="Has Not Worked")])
    reasons = workforce.leaving_reasons(data.leavers, "2024-01-01", "2024-03-31").set_index("reason_group")
    # 'Has Not Worked' is excluded: 3 leavers, one each of resignation, other_unknown and retirement.
    assert reasons.loc["all_leavers", "leavers"] == 3
    assert reasons.loc["other_unknown", "share"] == pytest.approx(1 / 3)
    assert reasons.loc["resignation", "voluntary_leavers"] == 1


def test_bradford_factor_worked_example():
    # Wikipedia's examples: 1 spell of 10 days -> 1^2 x 10 = 10; 10 spells of 1 day -> 10^2 x 10 = 1000.
    rows = [("a", "2024-01-01", "2024-01-10")] + [("b", f"2024-01-{d:02d}", f"2024-01-{d:02d}") for d in range(1, 20, 2)]
    absence = pd.DataFrame(rows, columns=["staff_pid", "absence_start_date", "absence_end_date"])
    absence[["absence_start_date", "absence_end_date"]] = absence[["absence_start_date", "absence_end_date"]].apply(pd.to_datetime)
    factors = workforce.bradford_factor(absence, "2024-03-31").set_index("staff_pid")["bradford_factor"]
    assert factors.to_dict() == {"a": 10, "b": 1000}


def test_distinct_people_in_12_month_windows_match_brute_force():
    # Independent check of the run-merging shortcut: count, for each window, the set of people with days lost.
    from ttwell.inputs import io
    from ttwell.inputs.params import input_paths, load_params

    data = io.load_workforce(input_paths(load_params(notebook="baseline")))
    table = workforce.monthly_indicators(data)
    months_pm = workforce.person_months(data.staff_snapshot, data.leavers)
    days = workforce.absence_days(data.absence, months_pm, data.extract_date)
    days = days[days["fte_days_lost"] > 0].merge(months_pm[["staff_pid", "month", "team_code"]], on=["staff_pid", "month"])
    for end in ("2023-03", "2024-01", "2025-03"):
        end_p = pd.Period(end, "M")
        window = days[(days["month"] > end_p - 12) & (days["month"] <= end_p)]
        assert value(table, "sickness_absence_rate_12m", end, column="n_numerator_people") == window["staff_pid"].nunique()
        for team, rows in window.groupby("team_code"):
            assert value(table, "sickness_absence_rate_12m", end, level="team", group=team,
                         column="n_numerator_people") == rows["staff_pid"].nunique()


def test_joiner_who_leaves_within_the_month_still_counts(tmp_path):
    # j1 starts 05/03/2024 and leaves 20/03/2024: in no snapshot, but a joiner (and a leaver) in March.
    data = load(tmp_path, snapshot=[snap("29/02/2024", "p1"), snap("31/03/2024", "p1")],
                leavers=[leaver("j1", "20/03/2024", start="05/03/2024")])
    table = workforce.monthly_indicators(data)
    assert value(table, "joiners", "2024-03") == 1
    assert value(table, "staff_in_post_headcount", "2024-03") == 1


def test_unknown_scope_is_refused():
    from ttwell.errors import ParameterError
    with pytest.raises(ParameterError, match="scope"):
        Options(scope="nhs")
