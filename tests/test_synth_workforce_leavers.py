"""The synthetic leavers (``ttwell.synth.workforce.leavers`` and ``.turnover``): leavers leave the snapshots, and
the leaving reasons cover the expected kinds.
"""

from __future__ import annotations

import pandas as pd

from ttwell.inputs.templates import LEAVING_REASONS


def test_leavers_leave_the_snapshots(synthetic_workforce):
    snap, leavers = synthetic_workforce["staff_snapshot"], synthetic_workforce["leavers"]
    joined = leavers.merge(snap, on="staff_pid", suffixes=("_leaver", ""))
    # A re-joiner has a new, later service start: only rows of the spell that ended are checked.
    same_spell = joined["service_start_date"] == joined["service_start_date_leaver"]
    assert not (same_spell & (joined["snapshot_date"] > joined["leaving_date"])).any()
    # ...and the last snapshot of the spell is the last month-end on or before the leaving date.
    last_seen = joined[same_spell].groupby(["staff_pid", "leaving_date"])["snapshot_date"].max()
    expected = pd.Series(last_seen.index.get_level_values("leaving_date"), index=last_seen.index)
    expected = expected.where(expected.dt.is_month_end, expected - pd.offsets.MonthEnd(1))
    assert (last_seen == expected).all()
    rejoiners = snap.groupby("staff_pid")["service_start_date"].nunique()
    assert (rejoiners > 1).sum() <= 1
    # Nothing after the extract date (the last snapshot) is known.
    extract_date = snap["snapshot_date"].max()
    assert leavers["leaving_date"].max() <= extract_date
    assert synthetic_workforce["absence"]["absence_start_date"].max() <= extract_date


def test_leaving_reasons_cover_the_expected_kinds(synthetic_workforce):
    reasons = synthetic_workforce["leavers"]["leaving_reason_esr"]
    assert reasons.isin(list(LEAVING_REASONS)).all()
    voluntary = reasons.map(lambda r: LEAVING_REASONS[r][1])
    groups = reasons.map(lambda r: LEAVING_REASONS[r][0])
    assert voluntary.mean() > 0.5
    assert (reasons == "End of Fixed Term Contract - Completion of Training Scheme").sum() >= 2
    assert (groups == "retirement").any() and (reasons == "Unknown").any()
    completed = synthetic_workforce["leavers"].loc[reasons == "End of Fixed Term Contract - Completion of Training Scheme"]
    assert completed["training_completed"].eq(True).all()
    assert completed["role_group"].isin(["pwp_trainee", "hi_trainee"]).all()
