"""Reliability and group summaries of survey scores, against hand-worked values and pingouin."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ttwell.disclosure import merge_small_groups
from ttwell.calculations.scales.reliability import cronbach_alpha, reliability_table
from ttwell.calculations.scales.summaries import lowest_rated_items, response_rates, scale_summary, share_at_or_above

ITEMS = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})


def test_cronbach_alpha_hand_worked_and_feldt_interval():
    # Item variances (ddof 1): a 2.5, b 2.3, c 1.5 -> sum 6.3. Totals 4, 7, 9, 13, 14 -> variance 17.3.
    # alpha = 3/2 x (1 - 6.3/17.3) = 0.953757...
    # pingouin 0.5: pg.cronbach_alpha(ITEMS) -> (0.953757225433526, array([0.766, 0.995]))
    result = cronbach_alpha(ITEMS, min_cases=2)
    assert result["alpha"] == pytest.approx(1.5 * (1 - 6.3 / 17.3))
    assert round(result["ci_low"], 3) == 0.766 and round(result["ci_high"], 3) == 0.995
    assert result["n_complete"] == 5 and result["flag"] is None


def test_alpha_uses_complete_cases_and_minimum():
    with_gap = pd.concat([ITEMS, pd.DataFrame({"a": [np.nan], "b": [1], "c": [5]})], ignore_index=True)
    assert cronbach_alpha(with_gap, min_cases=2)["alpha"] == pytest.approx(0.953757, abs=1e-6)
    too_few = cronbach_alpha(ITEMS)  # 5 complete cases < 20
    assert np.isnan(too_few["alpha"]) and "fewer than 20" in too_few["flag"]


def test_low_alpha_is_flagged_and_two_items_use_spearman_brown():
    noisy = pd.DataFrame({"a": [1, 2, 3, 4, 5, 1], "b": [5, 1, 4, 2, 3, 3], "c": [2, 5, 1, 3, 4, 2]})
    assert "below the conventional 0.70" in cronbach_alpha(noisy, min_cases=2)["flag"]
    # Two items: a = 1..5, b = 2,2,3,5,5. Cross-products of deviations 9.0; Σa² 10, Σb² 9.2;
    # r = 9 / sqrt(92) = 0.93831; Spearman-Brown 2r/(1+r) = 0.96817.
    two = cronbach_alpha(ITEMS[["a", "b"]], min_cases=2)
    r = np.corrcoef(ITEMS["a"], ITEMS["b"])[0, 1]
    assert round(r, 4) == 0.9383 and round(two["alpha"], 4) == 0.9682
    assert two["alpha"] == pytest.approx(2 * r / (1 + r)) and "Spearman-Brown" in two["method"]


def test_reliability_table_per_wave():
    data = pd.concat([ITEMS.assign(wave_id="w1"), ITEMS.iloc[::-1].assign(wave_id="w2")], ignore_index=True)
    table = reliability_table(data, {"abc": ["a", "b", "c"]}, min_cases=2)
    assert table["wave_id"].tolist() == ["w1", "w2"]
    assert table["alpha"].round(6).tolist() == [0.953757, 0.953757]


def test_scale_summary_mean_sd_and_t_interval():
    # Scores 2, 2.5, 3, 2.5: mean 2.5, sd sqrt(0.5/3) = 0.408248; t(0.975, 3) = 3.182446
    # half-width = 3.182446 x 0.408248 / 2 = 0.649614
    scored = pd.DataFrame({"wave_id": "w", "exhaustion": [2.0, 2.5, 3.0, 2.5, np.nan]})
    row = scale_summary(scored, ["exhaustion"], by=["wave_id"]).iloc[0]
    assert row["n_respondents"] == 4 and row["mean"] == 2.5
    assert row["sd"] == pytest.approx(0.408248, abs=1e-6)
    assert row["ci_low"] == pytest.approx(2.5 - 0.649614, abs=1e-6)
    assert row["median"] == 2.5


def test_share_at_or_above_cutoff_with_wilson_interval():
    # 3 of 5 at or above 2.25 (2.25 counts, as the OLBI rule is ">="); Wilson 95% for 3/5: 0.2307 to 0.8824.
    scored = pd.DataFrame({"exhaustion": [2.0, 2.25, 2.5, 3.0, 2.1]})
    row = share_at_or_above(scored, "exhaustion", 2.25).iloc[0]
    assert (row["n_above"], row["n_respondents"]) == (3, 5)
    assert row["ci_low"] == pytest.approx(0.2307, abs=1e-4) and row["ci_high"] == pytest.approx(0.8824, abs=1e-4)
    assert share_at_or_above(scored, "exhaustion", 2.25, inclusive=False).iloc[0]["n_above"] == 2


def test_lowest_rated_item_shares_split_ties():
    # r1 lowest on TPS_01 only; r2 ties TPS_02 and TPS_03 (half each); r3 lowest on TPS_01.
    # TPS_01: (1 + 0 + 1)/3 = 2/3; TPS_02: 0.5/3; TPS_03: 0.5/3. r4 has a missing item and is left out.
    items = pd.DataFrame({"TPS_01": [1, 5, 2, np.nan], "TPS_02": [3, 2, 4, 1], "TPS_03": [4, 2, 6, 1]})
    table = lowest_rated_items(items, ["TPS_01", "TPS_02", "TPS_03"]).set_index("item")
    assert table["share_lowest"].to_dict() == pytest.approx({"TPS_01": 2 / 3, "TPS_02": 1 / 6, "TPS_03": 1 / 6})
    assert (table["n_respondents"] == 3).all()
    assert table["share_lowest"].sum() == pytest.approx(1.0)


def test_response_rates():
    scored = pd.DataFrame({"wave_id": ["w1"] * 3 + ["w2"], "response_id": ["a", "b", "c", "a"]})
    waves = pd.DataFrame({"wave_id": ["w1", "w2"], "eligible_n": [4, 10]})
    rates = response_rates(scored, waves).set_index("wave_id")
    assert rates.loc["w1", "response_rate"] == 0.75 and rates.loc["w2", "n_respondents"] == 1


def test_small_teams_merge_into_parent_or_pool():
    sizes = pd.Series({"T01": 30, "T02": 25, "T05": 6, "T06": 4, "T07": 8})
    mapping = merge_small_groups(sizes, 11, parents={"T06": "T01"})
    assert mapping["T06"] == mapping["T01"] == "T01 (with T06)"
    # T05 and T07 have no parent: pooled together (6 + 8 = 14 respondents).
    assert mapping["T05"] == mapping["T07"] == "Other groups (merged)"
    assert mapping["T02"] == "T02"
    # A lone small group without a parent joins the smallest large-enough group (T02, 25).
    lone = merge_small_groups(pd.Series({"A": 30, "B": 25, "C": 5}), 11)
    assert lone["C"] == lone["B"] == "B + C" and lone["A"] == "A"
