"""Known-answer tests for the workforce indicators (domain spec section 1), each worked by hand in a comment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import episode, leaver, load, month_ends, snap
from ttwell.calculations import workforce
from ttwell.calculations.workforce import Options
from ttwell.disclosure import disclose_indicators
from ttwell.calculations.impact import year_comparison


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


# ----------------------------------------------------------------------------------------------------
# Review known-answer tests: spec edge cases not covered by test_workforce.py / test_disclosure.py.
# Each test carries its hand arithmetic. The last four began as strict xfails in an independent review; each
# documented a real deviation from the domain spec (leaver history before the first snapshot, closed episodes
# past the extract date, staff-wide groups under 8, bank terminations) and now passes with the fix.


def _is_dt(d: str, first: str, last: str) -> bool:
    day = pd.to_datetime(d, format="%d/%m/%Y")
    return pd.Timestamp(first) <= day <= pd.Timestamp(last)


def test_rolling_sickness_with_part_months_open_episode_and_cross_month_28_days(tmp_path):
    # Snapshots Mar 2023 .. Mar 2024. Window for March 2024 = Apr 2023 .. Mar 2024 = 366 days (leap Feb).
    # p0..p3  FTE 1.0 all year:                        available 4 x 366 x 1.0           = 1464.0
    # L       FTE 0.5, left 15/07/2023:                Apr 30 + May 31 + Jun 30 + Jul 15 = 106 d x 0.5 = 53.0
    # S       FTE 0.8, started 16/01/2024:             Jan 16 + Feb 29 + Mar 31          =  76 d x 0.8 = 60.8
    # Σ available = 1464 + 53 + 60.8 = 1577.8
    # Lost:
    #   p0 mental health 20/11/2023..17/12/2023: Nov 11 d + Dec 17 d = 28 d x 1.0 = 28.0  (28 d -> LONG-term)
    #   L  10/07/2023..20/07/2023, truncated at leaving 15/07: 6 d x 0.5       =  3.0  (11 d -> short)
    #   S  open from 20/03/2024, runs to month end 31/03: 12 d x 0.8           =  9.6  (12 d -> short)
    # Σ lost = 40.6; long = 28.0; short = 12.6; mental health = 28.0; 3 distinct people.
    ends = month_ends("2023-03-01", "2024-03-31")
    snapshot = [snap(d, f"p{i}") for d in ends for i in range(4)]
    snapshot += [snap(d, "L", fte=0.5) for d in ends if _is_dt(d, "2023-03-01", "2023-06-30")]
    snapshot += [snap(d, "S", fte=0.8, start="16/01/2024") for d in ends if _is_dt(d, "2024-01-01", "2024-03-31")]
    data = load(tmp_path, snapshot=snapshot,
                absence=[episode("e0", "p0", "20/11/2023", "17/12/2023", reason="mental_health"),
                         episode("eL", "L", "10/07/2023", "20/07/2023"),
                         episode("eS", "S", "20/03/2024", None)],
                leavers=[leaver("L", "15/07/2023", fte=0.5)])
    t = workforce.monthly_indicators(data)
    assert value(t, "sickness_absence_rate_12m", "2024-03", column="denominator") == pytest.approx(1577.8)
    assert value(t, "sickness_absence_rate_12m", "2024-03", column="numerator") == pytest.approx(40.6)
    assert value(t, "sickness_absence_rate_12m", "2024-03") == pytest.approx(40.6 / 1577.8)
    assert value(t, "long_term_sickness_rate_12m", "2024-03") == pytest.approx(28.0 / 1577.8)
    assert value(t, "short_term_sickness_rate_12m", "2024-03") == pytest.approx(12.6 / 1577.8)
    assert value(t, "long_term_share_of_days_lost_12m", "2024-03") == pytest.approx(28.0 / 40.6)
    assert value(t, "mental_health_share_of_days_lost_12m", "2024-03") == pytest.approx(28.0 / 40.6)
    assert value(t, "sickness_absence_rate_12m", "2024-03", column="n_numerator_people") == 3
    # Monthly: Jul 2023 available 4 x 31 + 15 x 0.5 = 131.5, lost 3.0. Nov: 11 / (4 x 30). Dec: 17 / (4 x 31).
    assert value(t, "sickness_absence_rate_month", "2023-07") == pytest.approx(3.0 / 131.5)
    assert value(t, "sickness_absence_rate_month", "2023-11") == pytest.approx(11 / 120)
    assert value(t, "sickness_absence_rate_month", "2023-12") == pytest.approx(17 / 124)


def test_stability_cohort_and_event_leavers(tmp_path):
    # Month-end snapshots Mar 2023 .. Mar 2024, everyone FTE 1.0, start 01/01/2020 unless stated.
    # p0, p4..p9  T01 all year.
    # p1          T01 to Sep 2023, then T02 (team move, still in post).
    # p2          T01 Mar-May 2023, leaves 15/06/2023, re-joins 01/01/2024 (new start), T01 Jan-Mar 2024.
    # p3          T01 Mar-Aug 2023, leaves 15/09/2023.
    # n1          starts 01/07/2023, T01 Jul 2023 - Mar 2024.
    # j1          starts 01/08/2023, in Aug and Sep snapshots, leaves 20/10/2023.
    # Cohort at end Mar 2023 = p0..p9 = 10. In post end Mar 2024 = p0, p1, p2, p4..p9, n1 = 10.
    # NHS stability = |{p0,p1,p2,p4..p9}| / 10 = 9 / 10; people lost from the cohort = 1 (p3).
    # T01 cohort (grouped as at Mar 2023) = all 10 -> also 9/10; T02 had no one at Mar 2023 -> undefined (NaN).
    # Leaver events Apr 2023..Mar 2024: p2, p3, j1 = 3; rate = 3 / ((10 + 10) / 2) = 0.3.
    # Strategy stability at 31/03/2024 (>= 365 days): 8 of 10 (p2 has 90 days, n1 274 days) = 0.8.
    ends = month_ends("2023-03-01", "2024-03-31")
    snapshot = []
    for d in ends:
        snapshot += [snap(d, p) for p in ("p0", "p4", "p5", "p6", "p7", "p8", "p9")]
        snapshot.append(snap(d, "p1", team="T01" if _is_dt(d, "2023-03-01", "2023-09-30") else "T02"))
        if _is_dt(d, "2023-03-01", "2023-05-31"):
            snapshot.append(snap(d, "p2"))
        if _is_dt(d, "2024-01-01", "2024-03-31"):
            snapshot.append(snap(d, "p2", start="01/01/2024"))
        if _is_dt(d, "2023-03-01", "2023-08-31"):
            snapshot.append(snap(d, "p3"))
        if _is_dt(d, "2023-07-01", "2024-03-31"):
            snapshot.append(snap(d, "n1", start="01/07/2023"))
        if _is_dt(d, "2023-08-01", "2023-09-30"):
            snapshot.append(snap(d, "j1", start="01/08/2023"))
    leavers = [leaver("p2", "15/06/2023"), leaver("p3", "15/09/2023"), leaver("j1", "20/10/2023", start="01/08/2023")]
    t = workforce.monthly_indicators(load(tmp_path, snapshot=snapshot, leavers=leavers))
    assert value(t, "stability_index_nhs_12m", "2024-03") == pytest.approx(0.9)
    assert value(t, "stability_index_nhs_12m", "2024-03", column="denominator") == 10
    assert value(t, "stability_index_nhs_12m", "2024-03", column="n_numerator_people") == 1
    assert value(t, "stability_index_nhs_12m", "2024-03", level="team", group="T01") == pytest.approx(0.9)
    assert np.isnan(value(t, "stability_index_nhs_12m", "2024-03", level="team", group="T02"))
    assert value(t, "leaver_rate_hc_12m", "2024-03") == pytest.approx(3 / 10)
    assert value(t, "stability_index_1yr_service", "2024-03") == pytest.approx(8 / 10)
    # Joiners: n1 in Jul 2023, j1 in Aug 2023, p2's re-joining in Jan 2024.
    assert [value(t, "joiners", m) for m in ("2023-07", "2023-08", "2024-01")] == [1, 1, 1]


def test_leaver_history_before_first_snapshot_does_not_fake_a_window(tmp_path):
    # Snapshots Mar 2023 .. Apr 2024, 10 people; p9 leaves 15/05/2023 (last snapshot 30/04/2023).
    # leavers.csv also holds an old leaver, 15/06/2022, from before the snapshots start.
    # Spec 1.5: HC_start for the window ending Jun 2023 is the snapshot at end Jun 2022 -> there is none, so the
    # leaver rate is undefined (NaN). The library takes HC_start = 0 and reports 1 / ((0 + 9) / 2) = 0.222.
    # Spec 1.2: the 12-month sickness rate ending Jun 2023 needs Jul 2022 .. Jun 2023; only Mar..Jun 2023 exist
    # (4 months, 10 x 122 = 1220 FTE days) -> should be NaN; the library reports 0 / 1220.
    ends = month_ends("2023-03-01", "2024-04-30")
    snapshot = [snap(d, f"p{i}") for d in ends for i in range(9)]
    snapshot += [snap(d, "p9") for d in ends if _is_dt(d, "2023-03-01", "2023-04-30")]
    data = load(tmp_path, snapshot=snapshot, leavers=[leaver("old", "15/06/2022"), leaver("p9", "15/05/2023")])
    t = workforce.monthly_indicators(data)
    assert np.isnan(value(t, "leaver_rate_hc_12m", "2023-06"))
    assert np.isnan(value(t, "sickness_absence_rate_12m", "2023-06"))


def test_closed_episode_past_extract_is_classified_on_full_length(tmp_path):
    # Episode 20/03/2024 .. 30/04/2024 (closed, recorded end after the extract 31/03/2024):
    # full length = 12 (Mar 20..31) + 30 (April) = 42 calendar days >= 28 -> long-term (spec 1.3: "using the
    # full episode length"). Days lost in March are still only 20..31 = 12.
    data = load(tmp_path, snapshot=[snap("31/03/2024", "p1")],
                absence=[episode("e1", "p1", "20/03/2024", "30/04/2024")])
    days = workforce.absence_days(data.absence, workforce.person_months(data.staff_snapshot, data.leavers),
                                  data.extract_date)
    assert days["is_long_term"].tolist() == [True]


def test_staff_wide_rate_of_group_under_8_is_hidden_even_with_threshold_5():
    # Team B: 6 people, 0 sick -> n_numerator_people 0 (rule 3's 1-7 numerator test does not fire), size 6 >= 5
    # (rule 1 does not fire). Rule 3: denominator headcount 6 < 8 -> the rate must be '*' (NaN).
    table = pd.DataFrame([
        {"month": "2024-03", "indicator": "sickness_absence_rate_12m", "level": "service", "group": "All staff",
         "value": 0.05, "n_people": 56, "n_numerator_people": 10},
        {"month": "2024-03", "indicator": "sickness_absence_rate_12m", "level": "team", "group": "A",
         "value": 0.05, "n_people": 50, "n_numerator_people": 10},
        {"month": "2024-03", "indicator": "sickness_absence_rate_12m", "level": "team", "group": "B",
         "value": 0.0, "n_people": 6, "n_numerator_people": 0},
    ])
    out = disclose_indicators(table, audience="staff_wide", threshold=5).table.set_index("group")
    assert out.loc["B", "suppressed"]
    assert np.isnan(out.loc["B", "value"])


def test_bank_worker_termination_is_not_a_leaver(tmp_path):
    # 10 permanent staff all year (Mar 2023 .. Mar 2024); b1 is bank in Mar-May 2023 snapshots and leaves
    # 15/06/2023 ("Voluntary Resignation - Relocation"). Substantive leavers = 0 -> leaver rate 0 / 10 = 0.
    # Sickness denominator (no sickness) = 10 x 366 = 3660; wrongly adding b1's June part-month (1..15 June,
    # 15 d x FTE 1.0) would give 3675.
    ends = month_ends("2023-03-01", "2024-03-31")
    snapshot = [snap(d, f"p{i}") for d in ends for i in range(10)]
    snapshot += [snap(d, "b1", contract="bank") for d in ends if _is_dt(d, "2023-03-01", "2023-05-31")]
    data = load(tmp_path, snapshot=snapshot, leavers=[leaver("b1", "15/06/2023", reason="Voluntary Resignation - Relocation")])
    t = workforce.monthly_indicators(data)
    assert value(t, "leaver_rate_hc_12m", "2024-03") == 0
    assert value(t, "sickness_absence_rate_12m", "2024-03", column="denominator") == pytest.approx(3660)


# ----------------------------------------------------------------------------------------------------
# A leaving date on the last day of a window (issue 11, item 7; domain spec 1.5-1.6).
# Someone whose leaving date is the last day of a window is a leaver in that window and NOT in post at its
# end, whether or not the extract lists them in that day's snapshot. A leaving date on the month-end before a
# window makes them a leaver of the previous window, outside the starting cohort. Hand-worked below.


WINDOW = ("01/04/2023", "31/03/2024")


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
        assert value(table, indicator, "2024-03", column="numerator") == num, indicator
        assert value(table, indicator, "2024-03", column="denominator") == pytest.approx(den), indicator
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
