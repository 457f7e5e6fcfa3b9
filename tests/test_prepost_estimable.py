"""Pre/post for any cohort of two or more, 'not estimable' with a reason (never 0.00), and method columns
(issue 11, items 6 and 9). Numbers are worked by hand in the comments."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ttwell.calculations import prepost


def pairs_frame(pre: dict, post: dict, teams: dict | None = None) -> pd.DataFrame:
    """pre/post: area id -> list of answers, one per person p0, p1, ...; teams: person index -> team code."""
    rows = []
    for area, values in pre.items():
        for i, value in enumerate(values):
            rows.append({"programme_id": "P", "participant_pid": f"p{i}", "area_id": area,
                         "team_code": (teams or {}).get(i, "T1"), "role_family": "PWP",
                         "pre": float(value), "post": float(post[area][i])})
    return pd.DataFrame(rows)


# --- zero variance: no zero-width interval -------------------------------------------------------------------------

def test_identical_changes_give_no_interval_and_say_why():
    # Everyone gains exactly 10 points: SD of the changes = 0, so t, p and the CI are undefined. Before the fix
    # the CI was reported as 10 to 10 (zero width).
    result = prepost.paired_t([40, 50, 60], [50, 60, 70])
    assert result["mean_change"] == 10
    assert math.isnan(result["ci_low"]) and math.isnan(result["ci_high"]) and math.isnan(result["p"])
    assert result["t_not_estimable"].startswith("not estimable: every change is the same (zero variance)")
    table = prepost.area_table(pairs_frame({1: [40, 50, 60]}, {1: [50, 60, 70]}))
    row = table.set_index("area").loc["overall"]
    assert row["mean_change"] == 10 and pd.isna(row["ci_low"])
    assert "zero variance" in row["not_estimable_reason"]
    # Wilcoxon and McNemar are still computable: three tied positive changes of 10 get mid-ranks 2, 2, 2, so
    # V = 6; above 50 before: 60 (1 person), after: 60 and 70 (2 people) -> b = 1 (no -> yes), c = 0.
    assert row["wilcoxon_v"] == 6 and (row["mcnemar_b"], row["mcnemar_c"]) == (1, 0)


def test_fewer_than_two_pairs_is_not_estimable():
    assert prepost.paired_t([40], [50])["t_not_estimable"] == prepost.REASON_FEW_PAIRS


def test_estimable_rows_have_no_reason():
    table = prepost.area_table(pairs_frame({1: [40, 50, 60, 30]}, {1: [80, 70, 90, 60]}))
    assert table["not_estimable_reason"].isna().all()


# --- reliable change: given coefficient, or left out with the reason ----------------------------------------------

def test_reliable_change_with_a_given_coefficient_for_three_people():
    # pre 40, 50, 60: SD = 10. r = 0.75: SEM = 10 x sqrt(0.25) = 5; S_diff = sqrt(2 x 25) = 7.0711;
    # reliable change needs |change| > 1.96 x 7.0711 = 13.859 points. Changes +30, +5, +30 -> 2 improved, 1 not.
    pairs = pairs_frame({1: [40, 50, 60]}, {1: [70, 55, 90]})
    _, summary = prepost.reliable_change(pairs, reliability=0.75)
    assert summary["s_diff"].iloc[0] == pytest.approx(math.sqrt(50))
    assert summary["change_needed"].iloc[0] == pytest.approx(1.96 * math.sqrt(50))
    assert summary.set_index("category")["n"].to_dict() == {"reliable improvement": 2, "no reliable change": 1,
                                                            "reliable deterioration": 0}
    assert summary["not_estimable_reason"].isna().all()
    assert summary["method"].iloc[0].startswith("Jacobson-Truax")


def test_alpha_from_a_cohort_under_20_is_left_out_with_the_reason_not_an_error():
    # Five people, three areas: alpha needs 20 complete people (domain spec 3.8), so reliable change is left out,
    # the rest of the analysis runs.
    pre = {1: [40, 50, 60, 30, 45], 2: [45, 55, 50, 35, 40], 3: [50, 60, 55, 30, 50]}
    post = {a: [v + 30 for v in values] for a, values in pre.items()}
    post[1][0] = 65
    pairs = pairs_frame(pre, post)
    people, summary = prepost.reliable_change(pairs, reliability="alpha")
    assert summary["n"].isna().all() and summary["change_needed"].isna().all()
    reason = summary["not_estimable_reason"].iloc[0]
    assert reason.startswith("Reliable change is left out") and "fewer than 20 complete responses" in reason
    assert people["rci"].isna().all()
    table = prepost.area_table(pairs, reliability="alpha")
    overall = table.set_index("area").loc["overall"]
    assert overall["rc_not_estimable_reason"] == reason and pd.isna(overall["rc_n_improved"])
    assert overall["n_matched"] == 5 and overall["mean_change"] == pytest.approx((25 + 30 * 14) / 15)  # = 29.67


def test_reliable_change_left_out_for_one_person_or_no_spread():
    _, one = prepost.reliable_change(pairs_frame({1: [40]}, {1: [80]}), reliability=0.8)
    assert "at least two people" in one["not_estimable_reason"].iloc[0]
    _, flat = prepost.reliable_change(pairs_frame({1: [50, 50]}, {1: [80, 70]}), reliability=0.8)
    assert "same score before training" in flat["not_estimable_reason"].iloc[0]


def test_two_matched_people_run_every_step():
    # The smallest cohort the issue asks for: every function runs and nothing raises.
    pre = {1: [40, 60], 2: [50, 70]}
    post = {1: [70, 80], 2: [60, 90]}
    pairs = pairs_frame(pre, post, teams={0: "T1", 1: "T2"})
    table = prepost.area_table(pairs, reliability="alpha")
    overall = table.set_index("area").loc["overall"]
    # Person scores: p0 45 -> 65 (+20), p1 65 -> 85 (+20): identical changes, so no t interval, with the reason.
    assert overall["mean_change"] == 20 and pd.isna(overall["ci_low"])
    assert "zero variance" in overall["not_estimable_reason"]
    assert "fewer than 20" in overall["rc_not_estimable_reason"]
    view = prepost.team_view(pairs)
    # Two teams of one person each: not more people than teams -> no ICC, with the reason.
    assert view.spread["icc"].isna().all()
    assert view.spread["not_estimable_reason"].str.contains("two teams and more people than teams").all()
    assert view.spread.set_index("timepoint").loc["pre", "team_mean_range"] == 20  # 65 - 45
    assert view.change_models["not_estimable_reason"].notna().all()


# --- ICC: a model that did not converge is not estimable, never 0 --------------------------------------------------

def test_non_converged_icc_is_not_estimable(monkeypatch):
    # A fit that ran its variance to the boundary without converging (as statsmodels did on the shipped
    # synthetic post-training scores): tau2 ~ 0, converged False. Before the fix: "ICC 0.000".
    import statsmodels.formula.api as smf

    class FakeModel:
        def fit(self, reml=True):
            return SimpleNamespace(converged=False, cov_re=pd.DataFrame([[6e-6]]), scale=65.09,
                                   fe_params=pd.Series([80.0]), bse=pd.Series([1.0]))

    monkeypatch.setattr(smf, "mixedlm", lambda *a, **k: FakeModel())
    pairs = pairs_frame({1: [40, 50, 60, 45, 55, 65]}, {1: [80, 85, 90, 82, 88, 70]},
                        teams={0: "A", 1: "A", 2: "A", 3: "B", 4: "B", 5: "B"})
    view = prepost.team_view(pairs)
    for row in view.spread.itertuples():
        assert math.isnan(row.icc) and math.isnan(row.tau2)
        assert row.not_estimable_reason == ("ICC not estimable: the mixed model did not converge (the between-team "
                                            "variance ran to its boundary, zero); describe the spread of team "
                                            "means instead")
    mixed = view.change_models.iloc[0]
    assert math.isnan(mixed["estimate"]) and mixed["not_estimable_reason"].startswith("not estimable")
    # The cluster-robust row does not depend on the mixed model and is still estimated.
    assert not math.isnan(view.change_models.iloc[1]["estimate"])


def test_converged_boundary_icc_is_zero_and_estimable(monkeypatch):
    import statsmodels.formula.api as smf

    class FakeModel:
        def fit(self, reml=True):
            return SimpleNamespace(converged=True, cov_re=pd.DataFrame([[0.0]]), scale=50.0,
                                   fe_params=pd.Series([30.0]), bse=pd.Series([2.0]))

    monkeypatch.setattr(smf, "mixedlm", lambda *a, **k: FakeModel())
    pairs = pairs_frame({1: [40, 50, 60, 45, 55, 65]}, {1: [80, 85, 90, 82, 88, 70]},
                        teams={0: "A", 1: "A", 2: "A", 3: "B", 4: "B", 5: "B"})
    view = prepost.team_view(pairs)
    assert (view.spread["icc"] == 0).all() and view.spread["not_estimable_reason"].isna().all()


def test_cluster_robust_with_identical_changes_is_not_estimable():
    pairs = pairs_frame({1: [40, 50, 60, 45, 55, 65]}, {1: [50, 60, 70, 55, 65, 75]},
                        teams={0: "A", 1: "A", 2: "A", 3: "B", 4: "B", 5: "B"})
    robust = prepost.team_view(pairs).change_models.iloc[1]
    assert robust["estimate"] == pytest.approx(10) and pd.isna(robust["ci_low"])
    assert "standard error is zero" in robust["not_estimable_reason"]


# --- every interval and test names its method -----------------------------------------------------------------------

def test_every_interval_and_test_names_its_method():
    pairs = pairs_frame({1: [40, 50, 60, 30], 2: [45, 52, 61, 33]}, {1: [80, 70, 90, 60], 2: [70, 72, 91, 50]},
                        teams={0: "A", 1: "A", 2: "B", 3: "B"})
    table = prepost.area_table(pairs, reliability=0.8)
    for column in ("t_method", "wilcoxon_method", "mcnemar_method", "share_interval_method", "effect_size_method"):
        assert table[column].notna().all(), column
    assert table.loc[table["area"] != "overall", "holm_method"].str.startswith("Holm").all()
    assert table["t_method"].str.startswith("paired t-test").all()
    assert table["share_interval_method"].str.startswith("Wilson").all()
    view = prepost.team_view(pairs)
    assert view.teams["share_interval_method"].str.startswith("Wilson").all()
    assert view.spread["icc_method"].str.contains("REML random-intercept").all()
    assert view.change_models["model"].notna().all()
    _, summary = prepost.reliable_change(pairs, reliability=0.8)
    assert summary["method"].str.contains("Wilson").all()
    assert prepost.unmatched_comparison(
        pairs.melt(id_vars=["programme_id", "participant_pid", "area_id", "team_code", "role_family"],
                   value_vars=["pre", "post"], var_name="timepoint", value_name="confidence_pct")
    )["method"].str.contains("Welch").all()


def test_two_area_reliability_is_spearman_brown():
    # Two areas: the coefficient of the area answers is Spearman-Brown, and the source says so (item 9).
    rng = np.random.default_rng(5)
    true = rng.normal(50, 12, 25)
    pre = {1: np.round(true + rng.normal(0, 6, 25)), 2: np.round(true + rng.normal(0, 6, 25))}
    post = {a: v + 20 + np.round(rng.normal(0, 5, 25)) for a, v in pre.items()}
    pairs = pairs_frame(pre, post)
    r = np.corrcoef(pre[1], pre[2])[0, 1]
    _, summary = prepost.reliable_change(pairs, reliability="alpha")
    assert summary["reliability"].iloc[0] == pytest.approx(2 * r / (1 + r))
    assert summary["reliability_source"].iloc[0].startswith("Spearman-Brown of the inter-item correlation of the 2 "
                                                            "area answers")
