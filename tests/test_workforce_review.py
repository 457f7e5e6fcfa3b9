"""Review known-answer tests: spec edge cases not covered by test_workforce.py / test_disclosure.py.

Each test carries its hand arithmetic. The last four began as strict xfails in an independent review; each
documented a real deviation from the domain spec (leaver history before the first snapshot, closed episodes
past the extract date, staff-wide groups under 8, bank terminations) and now passes with the fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import episode, leaver, load, month_ends, snap
from ttwell.calculations import workforce
from ttwell.disclosure import disclose_indicators


def value(table, indicator, month, level="service", group=workforce.SERVICE_GROUP, column="value"):
    row = table[(table["indicator"] == indicator) & (table["month"] == pd.Period(month, "M"))
                & (table["level"] == level) & (table["group"] == group)]
    assert len(row) == 1, f"expected one row for {indicator} {month} {level} {group}, got {len(row)}"
    return row[column].iloc[0]


def _is_dt(d: str, first: str, last: str) -> bool:
    day = pd.to_datetime(d, format="%d/%m/%Y")
    return pd.Timestamp(first) <= day <= pd.Timestamp(last)


# 1. Rolling 12-month sickness (spec 1.2, 1.3): part-time weighting, mid-month leaver and starter inside the
#    window, episode truncated at the leaving date, open episode to the month end, and a 28-day episode that
#    crosses a month boundary (neither month piece reaches 28 days, the episode does -> long-term).

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


# 2. NHS stability cohort and event-method leavers (spec 1.5, 1.6): a team mover is retained (and stays in the
#    team cohort it started in), a leave-and-rejoin is retained (require_continuous=False) but is still a
#    leaver event, a join-and-leave inside the window is a leaver but not in the cohort, a new starter is not
#    in the cohort.

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


# 3. BUG: leaver history older than the first snapshot starts the month grid early, so months with no staff
#    snapshot count as headcount 0 and as zero sickness exposure.

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


# 4. BUG: a closed episode whose end date is after the extract date is classified on its clipped length.

def test_closed_episode_past_extract_is_classified_on_full_length(tmp_path):
    # Episode 20/03/2024 .. 30/04/2024 (closed, recorded end after the extract 31/03/2024):
    # full length = 12 (Mar 20..31) + 30 (April) = 42 calendar days >= 28 -> long-term (spec 1.3: "using the
    # full episode length"). Days lost in March are still only 20..31 = 12.
    data = load(tmp_path, snapshot=[snap("31/03/2024", "p1")],
                absence=[episode("e1", "p1", "20/03/2024", "30/04/2024")])
    days = workforce.absence_days(data.absence, workforce.person_months(data.staff_snapshot, data.leavers),
                                  data.extract_date)
    assert days["is_long_term"].tolist() == [True]


# 5. BUG: spec 4.2 rule 3 - for staff-wide output a rate is suppressed when the denominator headcount is < 8.
#    With an allowed threshold of 5 a 6-person team's rate is published while its row is flagged suppressed.

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


# 6. BUG: bank staff are excluded (spec 1.1, 1.5), but a bank worker's termination in leavers.csv is counted
#    as a leaver and given a part-month of available days, unless its ESR reason is the bank-specific one.

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
