"""The synthetic exit and stay surveys (``ttwell.synth.workforce.reasons``).
"""

from __future__ import annotations


from ttwell.inputs.templates import LEAVING_REASONS


def test_exit_and_stay_surveys(synthetic_workforce):
    reasons, leavers = synthetic_workforce["reasons"], synthetic_workforce["leavers"]
    exits = reasons[reasons["instrument"] == "exit_survey"]
    stays = reasons[reasons["instrument"] == "stay_survey"]
    voluntary_leavers = leavers["leaving_reason_esr"].map(lambda r: LEAVING_REASONS[r][1]).sum()
    assert 0.3 < exits["response_id"].nunique() / voluntary_leavers < 0.7
    assert exits.groupby("response_id").size().between(1, 3).all()
    assert (exits["direction"] == "reason_to_leave").all() and exits["intent_to_stay_12m"].isna().all()
    assert sorted(stays["response_date"].dt.year.unique()) == [2023, 2024, 2025]
    assert stays["intent_to_stay_12m"].between(1, 5).all()
    assert set(stays["direction"]) == {"reason_to_stay", "reason_might_leave"}
    ranks = reasons.groupby(["response_id", "direction"])["reason_rank"].agg(["min", "max", "size"])
    assert (ranks["min"] == 1).all() and (ranks["max"] == ranks["size"]).all()
    assert reasons["free_text"].isna().mean() > 0.8
