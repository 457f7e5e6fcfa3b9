"""The synthetic sickness absence (``ttwell.synth.workforce.absence``): episodes within employment, a realistic
mix, seasonality and the planted improvement after the strategy start.
"""

from __future__ import annotations

import pandas as pd


STRATEGY_START = pd.Timestamp("2024-04-01")


def _monthly_headcount(synthetic_in_post: pd.DataFrame) -> pd.Series:
    return synthetic_in_post.groupby(synthetic_in_post["snapshot_date"].dt.to_period("M"))["staff_pid"].nunique()


def test_absence_episodes_lie_within_employment(synthetic_workforce):
    snap, absence, leavers = synthetic_workforce["staff_snapshot"], synthetic_workforce["absence"], synthetic_workforce["leavers"]
    spells = snap.groupby(["staff_pid", "service_start_date"]).size().reset_index()[["staff_pid", "service_start_date"]]
    spells = spells.merge(leavers[["staff_pid", "service_start_date", "leaving_date"]], how="left")
    joined = absence.merge(spells, on="staff_pid")
    inside = (joined["absence_start_date"] >= joined["service_start_date"]) & (
        joined["leaving_date"].isna() | (joined["absence_start_date"] <= joined["leaving_date"]))
    joined = joined[inside]
    assert joined["episode_id"].is_unique and set(joined["episode_id"]) == set(absence["episode_id"])
    ends_after_leaving = joined["leaving_date"].notna() & (
        joined["absence_end_date"].isna() | (joined["absence_end_date"] > joined["leaving_date"]))
    assert not ends_after_leaving.any()
    ordered = absence.sort_values(["staff_pid", "absence_start_date"])
    previous_end = ordered.groupby("staff_pid")["absence_end_date"].shift()
    assert not (ordered["absence_start_date"] <= previous_end).any(), "overlapping episodes"


def test_absence_mix_is_realistic(synthetic_workforce):
    absence = synthetic_workforce["absence"]
    length = (absence["absence_end_date"] - absence["absence_start_date"]).dt.days + 1
    long_term_share = (length >= 28).sum() / len(absence)
    assert 0.05 < long_term_share < 0.15
    assert ((length <= 10).sum() / len(absence)) > 0.6
    assert 1 <= absence["absence_end_date"].isna().sum() <= 15
    assert absence["absence_reason_group"].value_counts().index[0] == "mental_health"
    partial = absence[absence["partial_day"]]
    assert len(partial) > 0 and partial["hours_lost"].notna().all()
    assert (partial["absence_start_date"] == partial["absence_end_date"]).all()
    assert absence.loc[~absence["partial_day"], "hours_lost"].isna().all()


def _starts_per_100(synthetic_workforce, synthetic_in_post) -> pd.Series:
    absence = synthetic_workforce["absence"]
    headcount = _monthly_headcount(synthetic_in_post)
    starts = absence.groupby(absence["absence_start_date"].dt.to_period("M")).size()
    return starts.reindex(headcount.index, fill_value=0) / headcount * 100


def test_planted_sickness_improvement_after_strategy_start(synthetic_workforce, synthetic_in_post):
    rate = _starts_per_100(synthetic_workforce, synthetic_in_post)
    after = rate.index >= STRATEGY_START.to_period("M")
    assert after.sum() == 12 and (~after).sum() == 24
    # Planted: rate x 0.82 from April 2024; two full years before, one after, so seasons balance out.
    assert rate[after].mean() < 0.95 * rate[~after].mean()


def test_sickness_is_seasonal(synthetic_workforce, synthetic_in_post):
    rate = _starts_per_100(synthetic_workforce, synthetic_in_post)
    winter = rate[rate.index.month.isin([12, 1, 2])].mean()
    summer = rate[rate.index.month.isin([6, 7, 8])].mean()
    assert winter > 1.2 * summer
