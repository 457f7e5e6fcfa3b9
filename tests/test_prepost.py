"""Pre/post training confidence (ttwell.calculations.prepost): known answers from R and the literature, and constructed data.

Every reference number is quoted with its source (statistics methods note, stats spec section 1) and the call that
produced it.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from ttwell.calculations import prepost
from ttwell.errors import AnalysisError, ParameterError

# R's `sleep` data (extra hours of sleep; the same 10 people under two drugs), as printed in ?t.test.
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


# --- reference results -----------------------------------------------------------------------------------------

def test_paired_t_reproduces_r_sleep():
    # R: with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE)) ->
    # t = -4.0621, df = 9, p-value = 0.002833, 95% CI -2.4598858 -0.7001142 (stats spec 1.2, PUBLISHED).
    res = prepost.paired_t(pre=SLEEP_2, post=SLEEP_1)  # post - pre = group 1 - group 2, as R's printout
    assert res["t"] == pytest.approx(-4.0621, abs=5e-5)
    assert res["df"] == 9
    assert res["p"] == pytest.approx(0.002833, abs=5e-7)
    assert res["ci_low"] == pytest.approx(-2.4598858, abs=1e-7)
    assert res["ci_high"] == pytest.approx(-0.7001142, abs=1e-7)
    assert res["mean_change"] == pytest.approx(-1.58)


def test_wilcoxon_reproduces_r_default_on_sleep():
    # R: wilcox.test(group2, group1, paired = TRUE) -> V = 45, p-value = 0.009091 (one zero change and a tie, so
    # R uses the normal approximation with continuity correction; stats spec 1.3, VERIFIED). scipy's own default
    # would give 0.00390625 and statistic min(W+, W-) = 0.
    res = prepost.wilcoxon_signed_rank(pre=SLEEP_1, post=SLEEP_2)
    assert res["wilcoxon_v"] == 45
    assert res["wilcoxon_p"] == pytest.approx(0.009091, abs=5e-7)
    assert res["n_nonzero"] == 9
    assert res["wilcoxon_method"] == prepost.METHOD_WILCOXON_NORMAL


def test_wilcoxon_exact_without_ties_or_zeros_as_r():
    # R: wilcox.test(1:8) -> V = 36, p-value = 0.007812 (exact: n < 50, no ties, no zeros) = 2 / 2^8.
    res = prepost.wilcoxon_signed_rank(pre=np.zeros(8), post=np.arange(1, 9))
    assert res["wilcoxon_v"] == 36
    assert res["wilcoxon_p"] == pytest.approx(2 / 2**8)
    assert res["wilcoxon_method"] == prepost.METHOD_WILCOXON_EXACT
    # V counts only positive ranks: one negative change of rank 1 gives V = 35.
    res = prepost.wilcoxon_signed_rank(pre=np.zeros(8), post=[-1, 2, 3, 4, 5, 6, 7, 8])
    assert res["wilcoxon_v"] == 35


def test_effect_sizes_reproduce_sleep():
    # stats spec 1.4 (VERIFIED R effectsize / pingouin): d_z = 1.284558, d_av = 0.832181,
    # R effectsize::hedges_g(group2, group1, paired = TRUE) = 1.17392 (exact J with m = n - 1 = 9).
    res = prepost.effect_sizes(pre=SLEEP_1, post=SLEEP_2)
    assert res["d_z"] == pytest.approx(1.284558, abs=5e-7)
    assert res["d_av"] == pytest.approx(0.832181, abs=5e-7)
    assert res["hedges_gz"] == pytest.approx(1.17392, abs=5e-6)
    # Not the approximate J = 1 - 3/(4m - 1), and not pingouin's 0.79702 (d_av with m = 2n - 2).
    assert res["hedges_gz"] != pytest.approx(1.284558 * (1 - 3 / (4 * 9 - 1)), abs=5e-6)


def test_welch_reproduces_r_sleep():
    # R: t.test(extra ~ group, data = sleep) -> t = -1.8608, df = 17.776, p-value = 0.07939,
    # 95% CI -3.3654832 0.2054832 (stats spec 1.7, PUBLISHED).
    res = prepost.welch_t(pre=SLEEP_2, post=SLEEP_1)
    assert res["t"] == pytest.approx(-1.8608, abs=5e-5)
    assert res["df"] == pytest.approx(17.776, abs=5e-4)
    assert res["p"] == pytest.approx(0.07939, abs=5e-6)
    assert res["ci_low"] == pytest.approx(-3.3654832, abs=1e-7)
    assert res["ci_high"] == pytest.approx(0.2054832, abs=1e-7)


def test_mcnemar_reproduces_agresti():
    # Agresti presidential approval 794/150/86/570 (stats spec 1.5): R mcnemar.test -> McNemar's chi-squared =
    # 16.818, p-value = 4.115e-05; exact binomial p = 3.716e-05 (VERIFIED R / statsmodels).
    res = prepost.mcnemar_test(150, 86, a=794, d=570)
    assert res["mcnemar_statistic"] == pytest.approx(16.818, abs=5e-4)
    assert res["mcnemar_p"] == pytest.approx(4.115e-5, rel=1e-3)
    assert res["mcnemar_method"] == prepost.METHOD_MCNEMAR_CHI2  # b + c = 236 >= 25
    exact = prepost.mcnemar_test(150, 86, a=794, d=570, method="exact")
    assert exact["mcnemar_p"] == pytest.approx(3.716e-5, rel=1e-3)
    # b + c < 25 switches to the exact test: 8 vs 2 -> binom.test(2, 10) p = 0.109375.
    small = prepost.mcnemar_test(8, 2)
    assert small["mcnemar_method"] == prepost.METHOD_MCNEMAR_EXACT
    assert small["mcnemar_p"] == pytest.approx(0.109375)
    assert math.isnan(prepost.mcnemar_test(0, 0)["mcnemar_p"])


@pytest.mark.parametrize("x, n, low, high", [
    # Newcombe 1998a (Stat Med 17:857), Wilson score intervals, VERIFIED to 4 dp (stats spec 1.5).
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
def test_share_above_uses_wilson(x, n, low, high):
    pre = np.r_[np.full(x, 60.0), np.full(n - x, 40.0)]
    res = prepost._shares(pre, pre, 50)
    assert res["n_above_pre"] == x
    assert res["share_above_pre_low"] == pytest.approx(low, abs=5e-5)
    assert res["share_above_pre_high"] == pytest.approx(high, abs=5e-5)


def test_holm_by_hand():
    # Holm (1979): sorted 0.005, 0.01, 0.03, 0.04 -> x4, x3, x2, x1 = 0.02, 0.03, 0.06, 0.04 -> running max
    # 0.02, 0.03, 0.06, 0.06; R p.adjust(c(.01, .04, .03, .005), "holm") = 0.03 0.06 0.06 0.02.
    assert prepost.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    adjusted = prepost.holm([0.01, np.nan, 0.5])
    assert adjusted[[0, 2]] == pytest.approx([0.02, 0.5]) and np.isnan(adjusted[1])


def test_hedges_j_exact():
    # J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)); J(2) = Gamma(1) / (1 * Gamma(1/2)) = 1/sqrt(pi).
    assert prepost.hedges_j(2) == pytest.approx(1 / math.sqrt(math.pi))
    assert prepost.hedges_j(200) == pytest.approx(1 - 3 / (4 * 200 - 1), abs=1e-6)


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
    assert rows.loc[[1, 2, 3], "p_holm"].tolist() == pytest.approx(prepost.holm(rows.loc[[1, 2, 3], "p"]).tolist())
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
    assert rows.loc[3, "mcnemar_method"] == prepost.METHOD_MCNEMAR_EXACT
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
