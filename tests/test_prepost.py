"""Pre/post training confidence (ttwell.calculations.prepost): known answers from R and the literature, constructed
data, and any cohort of two or more ('not estimable' with a reason, never 0.00; issue 11 items 6 and 9).

Every reference number is quoted with its source (statistics methods note, stats spec section 1) and the call that
produced it.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ttwell.calculations import prepost, statistics
from ttwell.calculations.prepost.areas import _shares
from ttwell.errors import AnalysisError, ParameterError

# --- reference results -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("x, n, low, high", [
    # Newcombe 1998a (Stat Med 17:857), Wilson score intervals, VERIFIED to 4 dp (stats spec 1.5).
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
def test_share_above_uses_wilson(x, n, low, high):
    pre = np.r_[np.full(x, 60.0), np.full(n - x, 40.0)]
    res = _shares(pre, pre, 50)
    assert res["n_above_pre"] == x
    assert res["share_above_pre_low"] == pytest.approx(low, abs=5e-5)
    assert res["share_above_pre_high"] == pytest.approx(high, abs=5e-5)


# --- constructed data: area means known by construction ------------------------------------------------------------

PIDS = [f"p{i:02d}" for i in range(1, 13)]
PRE = {1: [20, 30, 40, 50, 60, 70] * 2, 2: [40] * 6 + [60] * 6, 3: [90] + [50] * 11}
CHANGE = {1: [20, 40] * 6, 2: [10, 20, 30] * 4, 3: [0] + [15, 35] * 5 + [25]}
TEAMS = ["A"] * 4 + ["B"] * 4 + ["C"] * 4


def constructed_responses() -> pd.DataFrame:
    """12 matched attendees x 3 areas, plus p13 (pre only), p14 (post only), p01 without a post answer for area 3,
    and follow-up answers that must be ignored. Rows shuffled: matching must not depend on order."""
    rows = []
    for a in (1, 2, 3):
        for i, pid in enumerate(PIDS):
            base = {"programme_id": "TIC", "participant_pid": pid, "team_code": TEAMS[i], "role_family": "PWP",
                    "area_id": a}
            rows.append({**base, "timepoint": "pre", "confidence_pct": float(PRE[a][i])})
            if not (pid == "p01" and a == 3):
                rows.append({**base, "timepoint": "post", "confidence_pct": float(PRE[a][i] + CHANGE[a][i])})
            if pid == "p02":
                rows.append({**base, "timepoint": "follow_up", "confidence_pct": 0.0})
        rows.append({"programme_id": "TIC", "participant_pid": "p13", "team_code": "A", "role_family": "PWP",
                     "area_id": a, "timepoint": "pre", "confidence_pct": 10.0})
        rows.append({"programme_id": "TIC", "participant_pid": "p14", "team_code": "B", "role_family": "PWP",
                     "area_id": a, "timepoint": "post", "confidence_pct": 100.0})
    frame = pd.DataFrame(rows)
    return frame.sample(frac=1, random_state=7).reset_index(drop=True)


AREAS = pd.DataFrame({"programme_id": "TIC", "area_id": [1, 2, 3],
                      "area_label": ["Prevalence of trauma", "Trauma and the brain", "Intervening"]})


def test_match_pairs_counts_and_order_independence():
    pairs, matching = prepost.match_pairs(constructed_responses())
    assert len(pairs) == 12 + 12 + 11
    assert set(pairs.columns) >= {"programme_id", "participant_pid", "area_id", "team_code", "role_family", "pre",
                                  "post"}
    by_area = matching.set_index("area")
    assert by_area.loc[1, ["n_matched", "n_pre_only", "n_post_only"]].tolist() == [12, 1, 1]
    assert by_area.loc[2, ["n_matched", "n_pre_only", "n_post_only"]].tolist() == [12, 1, 1]
    assert by_area.loc[3, ["n_matched", "n_pre_only", "n_post_only"]].tolist() == [11, 2, 1]
    # People: p01..p12 have both forms, p13 only pre, p14 only post; p01 is not complete on every area.
    assert by_area.loc["overall", ["n_matched", "n_pre_only", "n_post_only", "n_matched_all_areas"]].tolist() == \
        [12, 1, 1, 11]
    # Follow-up (0 %) ignored; p05's area-2 pair is the right one whatever the row order.
    p05 = pairs[(pairs["participant_pid"] == "p05") & (pairs["area_id"] == 2)].iloc[0]
    assert (p05["pre"], p05["post"]) == (40.0, 60.0)  # CHANGE[2][4] = 20
    assert pairs["post"].min() > 0


def test_match_pairs_refuses_duplicates():
    responses = constructed_responses()
    with pytest.raises(AnalysisError, match="duplicated"):
        prepost.match_pairs(pd.concat([responses, responses.iloc[[0]]]))


def test_area_table_end_to_end_on_constructed_data():
    pairs, matching = prepost.match_pairs(constructed_responses())
    table = prepost.area_table(pairs, areas=AREAS, matching=matching)
    assert table["area"].tolist() == [1, 2, 3, "overall"]
    rows = table.set_index("area")
    # Means by construction: area 1 pre 45, change 30; area 2 pre 50, change 20; area 3 (p02-p12) pre 50, change 25.
    assert rows.loc[1, ["mean_pre", "mean_post", "mean_change"]].tolist() == pytest.approx([45, 75, 30])
    assert rows.loc[2, ["mean_pre", "mean_post", "mean_change"]].tolist() == pytest.approx([50, 70, 20])
    assert rows.loc[3, ["mean_pre", "mean_post", "mean_change"]].tolist() == pytest.approx([50, 75, 25])
    assert rows.loc[[1, 2, 3, "overall"], "n_matched"].tolist() == [12, 12, 11, 11]
    assert rows.loc[[1, 2, 3], "n_pre_only"].tolist() == [1, 1, 2]
    assert rows.loc[[1, 2, 3], "n_post_only"].tolist() == [1, 1, 1]
    assert rows.loc[1, "area_label"] == "Prevalence of trauma"
    # Overall = mean person score over p02..p12 (p01 lacks area 3): computed by hand from the construction.
    people = range(1, 12)
    pre_scores = [np.mean([PRE[a][i] for a in (1, 2, 3)]) for i in people]
    change_scores = [np.mean([CHANGE[a][i] for a in (1, 2, 3)]) for i in people]
    assert rows.loc["overall", "mean_pre"] == pytest.approx(np.mean(pre_scores))
    assert rows.loc["overall", "mean_change"] == pytest.approx(np.mean(change_scores))
    assert rows.loc["overall", "unit"] == "person score"
    # The area-1 t statistic is the hand formula mean / (sd / sqrt(n)); the CI brackets the mean.
    sd1 = np.std(CHANGE[1], ddof=1)
    assert rows.loc[1, "t"] == pytest.approx(30 / (sd1 / math.sqrt(12)))
    assert rows.loc[1, "df"] == 11
    assert rows.loc[1, "ci_low"] < 30 < rows.loc[1, "ci_high"]
    # Holm across the three areas only; the overall row is not adjusted.
    assert rows.loc[[1, 2, 3], "p_holm"].tolist() == pytest.approx(statistics.holm(rows.loc[[1, 2, 3], "p"]).tolist())
    assert math.isnan(rows.loc["overall", "p_holm"])
    for column in ["area", "area_label", "n_matched", "mean_pre", "mean_post", "mean_change", "ci_low", "ci_high",
                   "t", "df", "p", "p_holm", "wilcoxon_v", "wilcoxon_p", "d_z", "d_av", "hedges_gz",
                   "share_above_pre", "share_above_pre_low", "share_above_pre_high", "share_above_post",
                   "share_above_post_low", "share_above_post_high", "mcnemar_b", "mcnemar_c", "mcnemar_p",
                   "mcnemar_method"]:
        assert column in table.columns


def test_strictly_above_threshold():
    # Area 3 before training: eleven answers of exactly 50 -> none above 50 (stats spec 1.5, pitfall 10).
    pairs, _ = prepost.match_pairs(constructed_responses())
    rows = prepost.area_table(pairs).set_index("area")
    assert rows.loc[3, "n_above_pre"] == 0
    assert rows.loc[1, "n_above_pre"] == 4  # 60 and 70, twice; 50 is not above
    assert rows.loc[2, "n_above_pre"] == 6
    assert rows.loc[3, ["mcnemar_b", "mcnemar_c"]].tolist() == [11, 0]
    assert rows.loc[3, "mcnemar_method"] == statistics.METHOD_MCNEMAR_EXACT
    assert rows.loc[3, "mcnemar_p"] == pytest.approx(2 * 0.5**11)
    edge = pd.DataFrame({"programme_id": "P", "participant_pid": list("abc"), "area_id": 1,
                         "pre": [50.0, 50.5, 49.0], "post": [50.0, 80.0, 51.0]})
    row = prepost.area_table(edge).iloc[0]
    assert (row["n_above_pre"], row["n_above_post"]) == (1, 2)
    assert prepost.area_table(edge, threshold=49).iloc[0]["n_above_pre"] == 2
    with pytest.raises(ParameterError):
        prepost.area_table(edge, threshold=150)


def test_area_table_one_programme_at_a_time():
    pairs, _ = prepost.match_pairs(constructed_responses())
    other = pairs.assign(programme_id="OTHER")
    with pytest.raises(AnalysisError, match="one at a time"):
        prepost.area_table(pd.concat([pairs, other]))


# --- reliable change -------------------------------------------------------------------------------------------------

def test_reliable_change_by_hand():
    # Jacobson & Truax (1991): SD_pre of 40, 50, 60, 50 = sqrt(200/3); r = 0.75 -> SEM = SD/2,
    # S_diff = sqrt(2) SEM = sqrt(100/3) = 5.7735; reliable change needs |change| > 1.96 x 5.7735 = 11.32 points.
    scores = pd.DataFrame({"pre": [40.0, 50.0, 60.0, 50.0], "post": [90.0, 55.0, 40.0, 61.0]})
    people, summary = prepost.reliable_change(scores, reliability=0.75)
    assert summary["s_diff"].iloc[0] == pytest.approx(math.sqrt(100 / 3))
    assert summary["change_needed"].iloc[0] == pytest.approx(1.96 * math.sqrt(100 / 3))
    assert people["category"].tolist() == ["reliable improvement", "no reliable change", "reliable deterioration",
                                           "no reliable change"]
    assert summary.set_index("category")["n"].to_dict() == {"reliable improvement": 1, "no reliable change": 2,
                                                            "reliable deterioration": 1}
    assert summary["reliability_source"].iloc[0] == "coefficient given by the user"
    with pytest.raises(ParameterError):
        prepost.reliable_change(scores, reliability=1.0)
    with pytest.raises(ParameterError, match="pairs"):
        prepost.reliable_change(scores, reliability="alpha")


def test_reliable_change_alpha_is_cronbach_of_pre_areas():
    rng = np.random.default_rng(3)
    n = 30
    true = rng.normal(50, 15, n)
    rows = []
    for a in (1, 2, 3, 4):
        pre = np.clip(np.round(true + rng.normal(0, 8, n)), 0, 100)
        post = np.clip(pre + 25 + np.round(rng.normal(0, 10, n)), 0, 100)
        rows.append(pd.DataFrame({"programme_id": "P", "participant_pid": [f"x{i}" for i in range(n)],
                                  "area_id": a, "team_code": "T", "pre": pre, "post": post}))
    pairs = pd.concat(rows, ignore_index=True)
    items = pairs.pivot(index="participant_pid", columns="area_id", values="pre")
    k = items.shape[1]
    alpha = k / (k - 1) * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))  # Cronbach (1951)
    _, summary = prepost.reliable_change(pairs, reliability="alpha")
    assert summary["reliability"].iloc[0] == pytest.approx(alpha)
    assert "Cronbach" in summary["reliability_source"].iloc[0]
    table = prepost.area_table(pairs, reliability="alpha")
    overall = table.set_index("area").loc["overall"]
    assert overall["rc_reliability"] == pytest.approx(alpha)
    assert overall["rc_n_improved"] + overall["rc_n_no_change"] + overall["rc_n_deteriorated"] == n


# --- teams -----------------------------------------------------------------------------------------------------------

def team_pairs() -> pd.DataFrame:
    # One area, three teams of four: team means before 30 / 60 / 80, after 80 / 85 / 90.
    pre = {"A": [15, 25, 35, 45], "B": [45, 55, 65, 75], "C": [65, 75, 85, 95]}
    post = {"A": [70, 75, 85, 90], "B": [80, 80, 90, 90], "C": [85, 85, 95, 95]}
    rows = []
    for team in "ABC":
        for i in range(4):
            rows.append({"programme_id": "P", "participant_pid": f"{team}{i}", "area_id": 1, "team_code": team,
                         "pre": float(pre[team][i]), "post": float(post[team][i])})
    return pd.DataFrame(rows)


def test_team_spread_by_hand():
    view = prepost.team_view(team_pairs())
    teams = view.teams.set_index("team_code")
    assert teams["n_respondents"].tolist() == [4, 4, 4]
    assert teams["mean_pre"].tolist() == [30, 60, 80]
    assert teams["share_above_pre"].tolist() == [0, 0.75, 1.0]  # B: 55, 65, 75 above 50; 45 not
    spread = view.spread.set_index("timepoint")
    # SD of 30, 60, 80 (ddof 1) = sqrt(((-26.67)^2 + 3.33^2 + 23.33^2) / 2) = sqrt(1900/3); R quantile type 7:
    # p25 = 45, p75 = 70, IQR 25.
    assert spread.loc["pre", "team_mean_sd"] == pytest.approx(math.sqrt(1900 / 3))
    assert spread.loc["pre", ["team_mean_min", "team_mean_max", "team_mean_range"]].tolist() == [30, 80, 50]
    assert spread.loc["pre", ["team_mean_p25", "team_mean_p75", "team_mean_iqr"]].tolist() == [45, 70, 25]
    assert spread.loc["post", "team_mean_range"] == 10
    assert spread.loc["post", "share_above_range"] == 0


def test_team_share_above_strict():
    teams = prepost.team_view(team_pairs()).teams.set_index("team_code")
    # B before: 45, 55, 65, 75 -> three of four above 50.
    assert teams.loc["B", "n_above_pre"] == 3


def test_team_icc_matches_balanced_anova_and_cr1_by_hand():
    rng = np.random.default_rng(11)
    rows = []
    for g in range(6):
        effect = rng.normal(0, 6)
        for i in range(10):
            pre = 45 + effect + rng.normal(0, 10)
            rows.append({"programme_id": "P", "participant_pid": f"{g}-{i}", "area_id": 1, "team_code": f"T{g}",
                         "pre": pre, "post": pre + 30 + effect + rng.normal(0, 8)})
    pairs = pd.DataFrame(rows)
    view = prepost.team_view(pairs)
    # Balanced one-way layout: REML variance components = ANOVA estimators when positive,
    # ICC = (MSB - MSW) / (MSB + (k - 1) MSW).
    k, g = 10, 6
    pre = pairs["pre"].to_numpy().reshape(g, k)
    msb = k * pre.mean(axis=1).var(ddof=1)
    msw = pre.var(axis=1, ddof=1).mean()
    spread = view.spread.set_index("timepoint")
    assert spread.loc["pre", "icc_converged"]
    assert spread.loc["pre", "icc"] == pytest.approx((msb - msw) / (msb + (k - 1) * msw), abs=1e-4)
    models = view.change_models.set_index("model")
    robust = models.loc["OLS, CR1 cluster-robust SE by team, t with teams - 1 df"]
    change = (pairs["post"] - pairs["pre"]).to_numpy()
    resid = (change - change.mean()).reshape(g, k).sum(axis=1)
    # CR1 for an intercept-only model: V = G/(G-1) (N-1)/(N-1) sum_g (sum e)^2 / N^2.
    assert robust["se"] == pytest.approx(math.sqrt(g / (g - 1) * (resid**2).sum()) / (g * k))
    assert robust["df"] == 5
    from scipy import stats
    assert robust["ci_high"] - robust["estimate"] == pytest.approx(stats.t.ppf(0.975, 5) * robust["se"])
    mixed = models.loc["random intercept (REML), t with teams - 1 df"]
    assert mixed["estimate"] == pytest.approx(change.mean(), abs=1e-6)  # balanced: GLS mean = grand mean
    assert mixed["df"] == 5 and bool(mixed["converged"])


# --- unmatched ------------------------------------------------------------------------------------------------------

def test_unmatched_comparison_uses_every_form():
    table = prepost.unmatched_comparison(constructed_responses()).set_index("area")
    assert table.loc[1, ["n_pre", "n_post"]].tolist() == [13, 13]  # p01-p13 pre; p01-p12 and p14 post
    assert table.loc[3, ["n_pre", "n_post"]].tolist() == [13, 12]
    assert table.loc["overall", ["n_pre", "n_post"]].tolist() == [13, 12]  # p01 has no complete post form
    assert table["method"].str.startswith("weaker: ignores pairing").all()
    post1 = [PRE[1][i] + CHANGE[1][i] for i in range(12)] + [100]
    pre1 = PRE[1] + [10]
    assert table.loc[1, "mean_difference"] == pytest.approx(np.mean(post1) - np.mean(pre1))


# --- command line ---------------------------------------------------------------------------------------------------

def test_cli_prepost_writes_table_and_json(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from ttwell.inputs import io
    from ttwell.running.cli import main

    responses = constructed_responses()
    monkeypatch.setattr(io, "read_training", lambda path, areas_path=None, scale=None: (responses, AREAS, []),
                        raising=False)
    out = tmp_path / "prepost.csv"
    result = CliRunner().invoke(main, ["prepost", "any.csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table["area"].astype(str).tolist() == ["1", "2", "3", "overall"]
    summary = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert summary["overall"]["n_matched"] == 11
    # Every team has fewer than 11 respondents: they are pooled into one group of 11 before any team figure.
    assert [t["team_code"] for t in summary["teams"]] == ["Other groups (merged)"]
    assert summary["teams"][0]["n_respondents"] == 11
    assert "fewer than 11" in summary["teams_note"]
    assert len(summary["team_spread"]) == 2


def test_cli_prepost_bad_reliability_exits_2(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from ttwell.inputs import io
    from ttwell.running.cli import main

    monkeypatch.setattr(io, "read_training",
                        lambda path, areas_path=None, scale=None: (constructed_responses(), None, []), raising=False)
    result = CliRunner().invoke(main, ["prepost", "any.csv", "--reliability", "high", "-o",
                                       str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "reliability" in result.output


# === Any cohort of two or more: 'not estimable' with a reason, never 0.00; method columns (issue 11, items 6 and 9) ===

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
    result = statistics.paired_t([40, 50, 60], [50, 60, 70]).iloc[0]
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
    assert statistics.paired_t([40], [50]).iloc[0]["t_not_estimable"] == statistics.REASON_FEW_PAIRS


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
