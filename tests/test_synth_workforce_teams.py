"""The synthetic teams (``ttwell.synth.workforce.teams``): one small team, merged into a parent, below eleven
staff every month, and big teams that never are.
"""

from __future__ import annotations




def test_small_team_stays_below_eleven_every_month(synthetic_workforce, synthetic_in_post):
    teams = synthetic_workforce["teams"]
    small = teams.loc[teams["parent_team_code"].notna(), "team_code"]
    assert len(small) == 1
    assert teams.loc[teams["parent_team_code"].notna(), "parent_team_code"].isin(teams["team_code"]).all()
    per_month = synthetic_in_post[synthetic_in_post["team_code"] == small.iloc[0]].groupby("snapshot_date")["staff_pid"].nunique()
    assert len(per_month) == 36, "the small team must have staff in every month"
    assert (per_month < 11).all() and (per_month >= 4).all(), per_month.to_dict()
    big = synthetic_in_post[synthetic_in_post["team_code"] != small.iloc[0]].groupby(["snapshot_date", "team_code"]).size()
    assert (big >= 11).all()
