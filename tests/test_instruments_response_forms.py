"""Long <-> wide survey responses (``ttwell.inputs.instruments.response_forms``): lossless both ways, and
conflicts refused."""

from __future__ import annotations

import pandas as pd
import pytest

from ttwell.calculations.scales import score
from ttwell.errors import InputError
from ttwell.inputs.instruments import long_to_wide, wide_to_long

OLBI = [f"OLBI_{i:02d}" for i in range(1, 17)]
MIXED_OLBI = [1, 2, 3, 4] * 4  # OLBI_01 = 1, OLBI_02 = 2, ... OLBI_16 = 4 (SA1_SD4)


# --- long <-> wide ------------------------------------------------------------------------------------------

def survey_long() -> pd.DataFrame:
    rows = []
    for rid, team, olbi, joy in (("r1", "T01", MIXED_OLBI, [3, 9]), ("r2", "T02", [2] * 16, [1, None])):
        for item, value in zip(OLBI + ["JOY_01", "JOY_02"], olbi + joy):
            if value is not None:
                rows.append({"wave_id": "w1", "response_id": rid, "team_code": team,
                             "instrument": "JOY" if item.startswith("JOY") else "OLBI",
                             "item_id": item, "item_value": value})
    return pd.DataFrame(rows)


def test_long_wide_round_trip_is_lossless():
    long = survey_long()
    as_wide = long_to_wide(long)
    assert as_wide.columns.tolist() == ["wave_id", "response_id", "team_code", *OLBI, "JOY_01", "JOY_02"]
    assert as_wide.loc[1, "JOY_02"] is pd.NA and as_wide.loc[0, "OLBI_04"] == 4
    back = wide_to_long(as_wide)
    pd.testing.assert_frame_equal(back, long)
    pd.testing.assert_frame_equal(long_to_wide(back), as_wide)
    # The scorer gives the same answer from either shape.
    pd.testing.assert_frame_equal(score(long, "OLBI"), score(as_wide, "OLBI"))


def test_long_to_wide_refuses_conflicts():
    long = survey_long()
    long.loc[3, "team_code"] = "T09"
    with pytest.raises(InputError, match="differs within one respondent"):
        long_to_wide(long)
