"""Generating the synthetic workforce (``ttwell.synth.workforce.generate``): every table in template order,
pseudonymous ids, a larger service on request and plain refusals of impossible arguments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ttwell.inputs.templates import TEMPLATES
from ttwell.synth.workforce import generate_workforce


def test_staff_ids_are_pseudonymous_hex(synthetic_workforce):
    ids = pd.concat([synthetic_workforce["staff_snapshot"]["staff_pid"], synthetic_workforce["leavers"]["staff_pid"],
                     synthetic_workforce["absence"]["staff_pid"]])
    assert ids.str.fullmatch(r"[0-9a-f]{16}").all()
    assert "staff_pid" not in synthetic_workforce["reasons"].columns


def test_frames_have_template_columns_in_order(synthetic_workforce):
    for kind, frame in synthetic_workforce.items():
        assert list(frame.columns) == TEMPLATES[kind].column_names(), kind
    assert np.issubdtype(synthetic_workforce["staff_snapshot"]["snapshot_date"].dtype, np.datetime64)


def test_larger_service_keeps_the_small_team():
    synthetic_workforce = generate_workforce(seed=3, n_staff=3000, n_teams=12)
    snap, teams = synthetic_workforce["staff_snapshot"], synthetic_workforce["teams"]
    assert len(teams) == 12 and teams["team_name"].is_unique
    small = teams.loc[teams["parent_team_code"].notna(), "team_code"].iloc[0]
    substantive = snap[snap["contract_type"] != "bank"]
    assert substantive[substantive["team_code"] == small].groupby("snapshot_date").size().max() < 11
    headcount = substantive.groupby("snapshot_date").size()
    assert headcount.between(2700, 3100).all()


def test_too_few_staff_for_the_teams_is_refused():
    with pytest.raises(ValueError, match="too few"):
        generate_workforce(n_staff=50, n_teams=6)
