"""The synthetic staff snapshot (``ttwell.synth.workforce.staff_snapshot``, with the spells and turnover behind
it): 36 month-ends, a headcount near 180, a realistic mix, joiners and a plausible stability index.
"""

from __future__ import annotations

import pandas as pd



def _monthly_headcount(synthetic_in_post: pd.DataFrame) -> pd.Series:
    return synthetic_in_post.groupby(synthetic_in_post["snapshot_date"].dt.to_period("M"))["staff_pid"].nunique()


def test_thirty_six_month_end_snapshots(synthetic_workforce):
    dates = pd.DatetimeIndex(sorted(synthetic_workforce["staff_snapshot"]["snapshot_date"].unique()))
    assert len(dates) == 36
    assert dates.is_month_end.all()
    assert dates[0] == pd.Timestamp("2022-04-30") and dates[-1] == pd.Timestamp("2025-03-31")


def test_headcount_stays_near_180(synthetic_in_post):
    headcount = _monthly_headcount(synthetic_in_post)
    assert len(headcount) == 36
    assert headcount.between(150, 210).all(), headcount.to_dict()


def test_workforce_mix_is_realistic(synthetic_workforce):
    snap = synthetic_workforce["staff_snapshot"]
    assert (snap["contract_type"] == "bank").any()
    assert (snap["assignment_status"] == "maternity_adoption_leave").any()
    assert snap["in_scope"].isna().any()
    trainees = snap[snap["role_group"].isin(["pwp_trainee", "hi_trainee"])]
    assert (trainees["contract_type"] == "fixed_term").all()
    assert trainees["fixed_term_end_date"].notna().all()
    assert ((snap["fte"] > 0) & (snap["fte"] <= 1.0)).all()
    substantive = snap[snap["contract_type"] != "bank"]
    part_time_share = (substantive["fte"] < 1.0).mean()
    assert 0.2 < part_time_share < 0.6


def test_joiners_start_in_the_month_they_first_appear(synthetic_workforce):
    snap = synthetic_workforce["staff_snapshot"]
    first = snap.groupby(["staff_pid", "service_start_date"])["snapshot_date"].min().reset_index()
    joiners = first[first["snapshot_date"] > snap["snapshot_date"].min()]
    assert len(joiners) > 30
    assert (joiners["service_start_date"].dt.to_period("M") == joiners["snapshot_date"].dt.to_period("M")).all()
    starters = first[first["snapshot_date"] == snap["snapshot_date"].min()]
    tenure_days = (starters["snapshot_date"] - starters["service_start_date"]).dt.days
    assert (tenure_days < 365).any() and (tenure_days > 5 * 365).any()


def test_stability_index_is_plausible(synthetic_in_post):
    by_month = synthetic_in_post.groupby("snapshot_date")["staff_pid"].agg(set)
    stability = [len(by_month.iloc[i - 12] & by_month.iloc[i]) / len(by_month.iloc[i - 12])
                 for i in range(12, len(by_month))]
    assert min(stability) > 0.75 and max(stability) < 0.95, stability
