"""The synthetic teams (``ttwell.synth.workforce.teams``): one small team, merged into a parent, below eleven
staff every month, and big teams that never are.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ttwell.inputs.templates import IN_POST_CONTRACT_TYPES
from ttwell.synth.workforce import generate_workforce


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate_workforce(seed=2024)


@pytest.fixture(scope="module")
def in_post(frames) -> pd.DataFrame:
    snap = frames["staff_snapshot"]
    return snap[snap["contract_type"].isin(IN_POST_CONTRACT_TYPES) & snap["in_scope"].fillna(True)]


def test_small_team_stays_below_eleven_every_month(frames, in_post):
    teams = frames["teams"]
    small = teams.loc[teams["parent_team_code"].notna(), "team_code"]
    assert len(small) == 1
    assert teams.loc[teams["parent_team_code"].notna(), "parent_team_code"].isin(teams["team_code"]).all()
    per_month = in_post[in_post["team_code"] == small.iloc[0]].groupby("snapshot_date")["staff_pid"].nunique()
    assert len(per_month) == 36, "the small team must have staff in every month"
    assert (per_month < 11).all() and (per_month >= 4).all(), per_month.to_dict()
    big = in_post[in_post["team_code"] != small.iloc[0]].groupby(["snapshot_date", "team_code"]).size()
    assert (big >= 11).all()
