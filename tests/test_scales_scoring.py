"""Scoring survey instruments (``ttwell.calculations.scales.scoring``, domain spec 2.2-2.3, 3, 6.6): known answers
worked by hand in the comments, from the spec's keys, not from the YAML files; the group statistics the
instruments define; and the ``ttwell score`` command. Each hand-worked respondent is chosen so that a wrong key (a
missing reversal, a wrong factor, question-weighted instead of sub-score-weighted engagement, a coding ignored)
gives a different number."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ttwell.calculations.scales import enps, item_scores, score, share_often_or_always
from ttwell.calculations.scales.summaries import scale_summary, share_at_or_above
from ttwell.errors import InputError, ParameterError
from ttwell.running.cli import main

from survey_cases import answers, only, wide  # noqa: E402,F401

OLBI = [f"OLBI_{i:02d}" for i in range(1, 17)]
WRQOL = [f"WRQOL_{i:02d}" for i in range(1, 25)]
BPNSW = [f"BPNSW_{i:02d}" for i in range(1, 22)]
TPS = [f"TPS_{i:02d}" for i in range(1, 8)]
SWEMWBS = [f"SWEMWBS_{i:02d}" for i in range(1, 8)]
NQPS = ["NQPS_Q2A", "NQPS_Q2B", "NQPS_Q2C", "NQPS_Q3C", "NQPS_Q3D", "NQPS_Q3F", "NQPS_Q25A", "NQPS_Q25C",
        "NQPS_Q25D"]
CBI_P, CBI_W, CBI_C = ([f"CBI_{s}{i}" for i in range(1, n + 1)] for s, n in (("P", 6), ("W", 7), ("C", 6)))




# --- OLBI ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [1, 2, 3, 4])
def test_olbi_identical_answers_give_2_5_on_both_subscales(value):
    # Spec 3.2 self-check: each subscale has 4 reversed and 4 plain items: 4(5 - x) + 4x = 20 -> mean 2.5.
    row = only(score(wide(answers(OLBI, [value] * 16)), "OLBI"))
    assert row["exhaustion"] == 2.5 and row["disengagement"] == 2.5
    assert row["exhaustion_sum"] == 20 and row["disengagement_sum"] == 20


MIXED_OLBI = [1, 2, 3, 4] * 4  # OLBI_01 = 1, OLBI_02 = 2, ... OLBI_16 = 4 (SA1_SD4)


def test_olbi_hand_worked_mixed_respondent():
    # Exhaustion 2, 4, 5, 8, 10, 12, 14, 16 (reversed 2, 4, 8, 12 -> 5 - x):
    #   2:2->3, 4:4->1, 5:1, 8:4->1, 10:2, 12:4->1, 14:2, 16:4  = 15 / 8 = 1.875
    # Disengagement 1, 3, 6, 7, 9, 11, 13, 15 (reversed 3, 6, 9, 11):
    #   1:1, 3:3->2, 6:2->3, 7:3, 9:1->4, 11:3->2, 13:1, 15:3     = 19 / 8 = 2.375
    row = only(score(wide(answers(OLBI, MIXED_OLBI)), "OLBI"))
    assert row["exhaustion"] == 1.875 and row["disengagement"] == 2.375
    assert row["exhaustion_n_answered"] == 8 and not row["exhaustion_too_few_items"]


def test_olbi_sd1_sa4_coding_equals_sa1_sd4_after_normalisation():
    # The same answers coded strongly disagree = 1: every code becomes 5 - x.
    flipped = [5 - x for x in MIXED_OLBI]
    plain = score(wide(answers(OLBI, MIXED_OLBI)), "OLBI")
    recoded = score(wide(answers(OLBI, flipped)), "OLBI", coding="SD1_SA4")
    pd.testing.assert_frame_equal(plain, recoded)
    # Spec 3.2's own route under SD1_SA4: reverse the positively worded items 1, 5, 7, 10, 13, 14, 15, 16.
    positive = {1, 5, 7, 10, 13, 14, 15, 16}
    by_spec = {i: (5 - x if i in positive else x) for i, x in enumerate(flipped, start=1)}
    exhaustion = np.mean([by_spec[i] for i in (2, 4, 5, 8, 10, 12, 14, 16)])
    assert recoded["exhaustion"].iloc[0] == exhaustion == 1.875
    # Per wave, from the survey_waves table: w2 declared SD1_SA4, w1 the default.
    both = pd.concat([wide(answers(OLBI, MIXED_OLBI)), wide(answers(OLBI, flipped)).assign(wave_id="w2")])
    waves = pd.DataFrame({"wave_id": ["w1", "w2"], "olbi_response_coding": ["SA1_SD4", "SD1_SA4"]})
    assert score(both.reset_index(drop=True), "OLBI", coding=waves)["exhaustion"].tolist() == [1.875, 1.875]


def test_olbi_missing_item_rule_six_of_eight():
    exhaustion = ["OLBI_02", "OLBI_04", "OLBI_05", "OLBI_08", "OLBI_10", "OLBI_12", "OLBI_14", "OLBI_16"]
    six = answers(OLBI, [2] * 16) | {exhaustion[0]: None, exhaustion[1]: None}
    five = six | {exhaustion[2]: None}
    scored = score(wide(six, five), "OLBI")
    # Six answered: 02 and 04 blank; 05, 10, 14, 16 plain (2 each) and 08, 12 reversed (3 each) = 14 / 6.
    assert scored["exhaustion"].iloc[0] == pytest.approx(14 / 6)
    assert scored["exhaustion_n_answered"].tolist() == [6, 5]
    assert np.isnan(scored["exhaustion"].iloc[1]) and scored["exhaustion_too_few_items"].tolist() == [False, True]
    # A sum with an item missing is never shown (it would be too low); disengagement is complete.
    assert scored["exhaustion_sum"].isna().all() and scored["disengagement_sum"].tolist() == [20, 20]


# --- OLBI: the same raw answers scored under each declared coding -----------------------------------------

OLBI_RAW = [1, 1, 2, 1, 4, 2, 3, 1, 2, 4, 1, 2, 3, 4, 4, 3]  # OLBI_01 ... OLBI_16


def test_olbi_same_raw_answers_under_sa1_sd4_and_sd1_sa4():
    # SA1_SD4 (default): reverse the negatively worded 2, 3, 4, 6, 8, 9, 11, 12 as 5 - x.
    #   Exhaustion 2, 4, 5, 8, 10, 12, 14, 16: 1->4, 1->4, 4, 1->4, 4, 2->3, 4, 3 = 30 -> 3.75
    #   Disengagement 1, 3, 6, 7, 9, 11, 13, 15: 1, 2->3, 2->3, 3, 2->3, 1->4, 3, 4 = 24 -> 3.0
    # SD1_SA4 (spec 3.2: reverse the positively worded 1, 5, 7, 10, 13, 14, 15, 16 instead):
    #   Exhaustion: 2:1, 4:1, 5:4->1, 8:1, 10:4->1, 12:2, 14:4->1, 16:3->2 = 10 -> 1.25
    #   Disengagement: 1:1->4, 3:2, 6:2, 7:3->2, 9:2, 11:1, 13:3->2, 15:4->1 = 16 -> 2.0
    # (Each pair adds to 5, as every item flips x -> 5 - x between codings.)
    # Cut-offs (>= 2.25 exhaustion, >= 2.10 disengagement): w1 both met; w2 neither.
    # Long form, coding per wave from the survey_waves table.
    long = pd.DataFrame({"wave_id": ["w1"] * 16 + ["w2"] * 16, "response_id": "r1", "instrument": "OLBI",
                         "item_id": OLBI * 2, "item_value": OLBI_RAW * 2})
    waves = pd.DataFrame({"wave_id": ["w1", "w2"], "olbi_response_coding": ["SA1_SD4", "SD1_SA4"]})
    scored = score(long, "OLBI", coding=waves)
    assert scored["wave_id"].tolist() == ["w1", "w2"]
    assert scored["exhaustion"].tolist() == [3.75, 1.25]
    assert scored["disengagement"].tolist() == [3.0, 2.0]
    assert scored["exhaustion_sum"].tolist() == [30, 10] and scored["disengagement_sum"].tolist() == [24, 16]
    exhausted = share_at_or_above(scored, "exhaustion", 2.25, by=["wave_id"])["n_above"].tolist()
    disengaged = share_at_or_above(scored, "disengagement", 2.10, by=["wave_id"])["n_above"].tolist()
    assert exhausted == [1, 0] and disengaged == [1, 0]
    # No coding declared: the default SA1_SD4 applies to both waves.
    assert score(long, "OLBI")["exhaustion"].tolist() == [3.75, 3.75]


# --- WRQoL ------------------------------------------------------------------------------------------------

def test_wrqol_all_fives_with_reversed_items():
    # Items 7, 9, 19 reversed: 6 - 5 = 1. GWB (4, 9, 10, 15, 17, 21) = 5+1+5+5+5+5 = 26 -> 26/6;
    # SAW (7, 19) = 1 + 1 -> mean 1, sum 2; overall = 20 x 5 + 3 x 1 = 103 -> 103/23; item 24 on its own.
    row = only(score(wide(answers(WRQOL, [5] * 24)), "WRQOL"))
    assert row["general_wellbeing"] == pytest.approx(26 / 6) and row["general_wellbeing_sum"] == 26
    assert row["stress_at_work"] == 1.0 and row["stress_at_work_sum"] == 2
    assert row["home_work_interface"] == 5 and row["control_at_work"] == 5 and row["working_conditions"] == 5
    assert row["job_career_satisfaction"] == 5
    assert row["wrqol_overall"] == pytest.approx(103 / 23) and row["wrqol_overall_sum"] == 103
    assert row["overall_qowl_item"] == 5


def test_wrqol_missing_item_rules():
    base = answers(WRQOL, [3] * 24)
    gwb_five = base | {"WRQOL_04": None}                       # GWB 5 of 6: scored; overall 22 of 23
    gwb_four = gwb_five | {"WRQOL_09": None}                   # GWB 4 of 6: missing; overall 21 of 23: scored
    overall_20 = gwb_four | {"WRQOL_01": None}                 # overall 20 of 23: missing
    hwi_two = base | {"WRQOL_05": None}                        # 3-item factor needs all three
    scored = score(wide(gwb_five, gwb_four, overall_20, hwi_two), "WRQOL")
    assert scored["general_wellbeing"][0] == 3.0 and np.isnan(scored["general_wellbeing"][1])
    assert scored["wrqol_overall_n_answered"].tolist() == [22, 21, 20, 22]
    assert scored["wrqol_overall"].notna().tolist() == [True, True, False, True]
    assert np.isnan(scored["home_work_interface"][3]) and scored["home_work_interface_too_few_items"][3]


# --- WRQoL: a full hand-worked respondent, every factor and the overall score ---------------------------

WRQOL_RAW = {1: 4, 2: 2, 3: 5, 4: 3, 5: 1, 6: 4, 7: 5, 8: 2, 9: 4, 10: 3, 11: 5, 12: 1,
             13: 2, 14: 3, 15: 4, 16: 5, 17: 2, 18: 1, 19: 2, 20: 3, 21: 4, 22: 5, 23: 3, 24: 2}


def test_wrqol_full_respondent_all_factors_and_overall():
    # Spec 3.1: reverse 7, 9, 19 as 6 - x: item 7: 5 -> 1, item 9: 4 -> 2, item 19: 2 -> 4.
    # GWB  4, 9, 10, 15, 17, 21 = 3 + 2 + 3 + 4 + 2 + 4 = 18 -> 18/6 = 3.0   (9 unreversed: 20/6 = 3.33)
    # HWI  5, 6, 14             = 1 + 4 + 3             =  8 -> 8/3 = 2.667
    # JCS  1, 3, 8, 11, 18, 20  = 4 + 5 + 2 + 5 + 1 + 3 = 20 -> 20/6 = 3.333
    # CAW  2, 12, 23            = 2 + 1 + 3             =  6 -> 2.0
    # WCS  13, 16, 22           = 2 + 5 + 5             = 12 -> 4.0
    # SAW  7, 19                = 1 + 4                 =  5 -> 2.5          (unreversed: 7/2 = 3.5)
    # Overall items 1-23: 18 + 8 + 20 + 6 + 12 + 5 = 69 -> 69/23 = 3.0. Check from the raw sum: items 1-23 raw
    # add to 73; reversal changes 7 by -4, 9 by -2, 19 by +2 -> 73 - 4 = 69. Item 24 (2) is on its own.
    # Respondent 2: the same but items 5 and 15 blank.
    # GWB 5 of 6 answered (>= 5): (18 - 4)/5 = 2.8, no sum; HWI 2 of 3 (needs all 3): missing;
    # overall 21 of 23 (>= 21): (69 - 1 - 4)/21 = 64/21 = 3.047619, no sum.
    full = {f"WRQOL_{i:02d}": v for i, v in WRQOL_RAW.items()}
    gaps = full | {"WRQOL_05": None, "WRQOL_15": None}
    scored = score(wide(full, gaps), "WRQOL")
    first = scored.iloc[0]
    expected = {"general_wellbeing": (3.0, 18), "home_work_interface": (8 / 3, 8),
                "job_career_satisfaction": (20 / 6, 20), "control_at_work": (2.0, 6),
                "working_conditions": (4.0, 12), "stress_at_work": (2.5, 5), "wrqol_overall": (3.0, 69)}
    for factor, (mean, total) in expected.items():
        assert first[factor] == pytest.approx(mean), factor
        assert first[f"{factor}_sum"] == total, factor
    assert first["overall_qowl_item"] == 2
    second = scored.iloc[1]
    assert second["general_wellbeing"] == pytest.approx(2.8) and np.isnan(second["general_wellbeing_sum"])
    assert np.isnan(second["home_work_interface"]) and second["home_work_interface_too_few_items"]
    assert second["wrqol_overall"] == pytest.approx(64 / 21) and second["wrqol_overall_n_answered"] == 21
    assert np.isnan(second["wrqol_overall_sum"])
    # The other four factors are untouched by the gaps.
    assert second["stress_at_work"] == 2.5 and second["job_career_satisfaction"] == pytest.approx(20 / 6)


# --- BPNSW ------------------------------------------------------------------------------------------------

def test_bpnsw_all_sevens_reverse_is_eight_minus_x():
    # Autonomy 1, 5, 8, 11, 13, 17, 20 (R 5, 11, 20 -> 1): 7+1+7+1+7+7+1 = 31 / 7
    # Competence 3, 4, 10, 12, 14, 19 (R 3, 14, 19): 1+7+7+7+1+1 = 24 / 6 = 4
    # Relatedness 2, 6, 7, 9, 15, 16, 18, 21 (R 7, 16, 18): 7+7+1+7+7+1+1+7 = 38 / 8 = 4.75
    # Total: 12 x 7 + 9 x 1 = 93 / 21
    row = only(score(wide(answers(BPNSW, [7] * 21)), "BPNSW"))
    assert row["autonomy"] == pytest.approx(31 / 7) and row["competence"] == 4.0 and row["relatedness"] == 4.75
    assert row["need_satisfaction_total"] == pytest.approx(93 / 21)


def test_bpnsw_eighty_percent_rule():
    six = answers(BPNSW, [4] * 21) | {"BPNSW_01": None}
    five = six | {"BPNSW_05": None}
    scored = score(wide(six, five), "BPNSW")
    assert scored["autonomy"].tolist()[0] == 4.0 and np.isnan(scored["autonomy"][1])
    assert scored["need_satisfaction_total_n_answered"].tolist() == [20, 19]


# --- BPNSW: reversed items in each need ---------------------------------------------------------------

BPNSW_RAW = {1: 6, 2: 5, 3: 2, 4: 6, 5: 3, 6: 7, 7: 2, 8: 5, 9: 4, 10: 6, 11: 4, 12: 5, 13: 6, 14: 1,
             15: 5, 16: 3, 17: 7, 18: 1, 19: 2, 20: 2, 21: 6}


def test_bpnsw_respondent_with_reversed_items_in_each_need():
    # Spec 3.3: reverse = 8 - x for 3, 5, 7, 11, 14, 16, 18, 19, 20:
    #   3: 2 -> 6, 5: 3 -> 5, 7: 2 -> 6, 11: 4 -> 4, 14: 1 -> 7, 16: 3 -> 5, 18: 1 -> 7, 19: 2 -> 6, 20: 2 -> 6.
    # Autonomy    1, 5, 8, 11, 13, 17, 20        = 6 + 5 + 5 + 4 + 6 + 7 + 6     = 39 -> 39/7 = 5.571429
    #             (no reversal: 6 + 3 + 5 + 4 + 6 + 7 + 2 = 33 -> 4.714)
    # Competence  3, 4, 10, 12, 14, 19           = 6 + 6 + 6 + 5 + 7 + 6         = 36 -> 6.0
    #             (no reversal: 2 + 6 + 6 + 5 + 1 + 2 = 22 -> 3.667)
    # Relatedness 2, 6, 7, 9, 15, 16, 18, 21     = 5 + 7 + 6 + 4 + 5 + 5 + 7 + 6 = 45 -> 45/8 = 5.625
    #             (no reversal: 5 + 7 + 2 + 4 + 5 + 3 + 1 + 6 = 33 -> 4.125)
    # Total: (39 + 36 + 45)/21 = 120/21 = 5.714286.
    row = score(wide({f"BPNSW_{i:02d}": v for i, v in BPNSW_RAW.items()}), "BPNSW").iloc[0]
    assert row["autonomy"] == pytest.approx(39 / 7)
    assert row["competence"] == pytest.approx(6.0)
    assert row["relatedness"] == pytest.approx(45 / 8)
    assert row["need_satisfaction_total"] == pytest.approx(120 / 21)
    # Dropping one reversed item per need keeps each at >= 80% (A 6/7, C 5/6, R 7/8):
    # A without 20: 33/6 = 5.5; C without 14: 29/5 = 5.8; R without 18: 38/7 = 5.428571.
    gaps = {f"BPNSW_{i:02d}": (None if i in (14, 18, 20) else v) for i, v in BPNSW_RAW.items()}
    row = score(wide(gaps), "BPNSW").iloc[0]
    assert (row["autonomy"], row["competence"], row["relatedness"]) == (
        pytest.approx(5.5), pytest.approx(5.8), pytest.approx(38 / 7))


# --- TPS --------------------------------------------------------------------------------------------------

TPS_ANSWERS = [2, 6, 3, 5, 1, 7, 4]


def test_tps_two_variants_scored_apart_and_labelled():
    # edmondson_1999 reverses 1, 3, 5 (8 - x): 6 + 6 + 5 + 5 + 7 + 7 + 4 = 40 -> 40/7
    # strategy_positive reverses nothing:      2 + 6 + 3 + 5 + 1 + 7 + 4 = 28 -> 4.0
    data = pd.concat([wide(answers(TPS, TPS_ANSWERS)), wide(answers(TPS, TPS_ANSWERS)).assign(wave_id="w2")],
                     ignore_index=True)
    scored = score(data, "TPS", variant={"w1": "edmondson_1999", "w2": "strategy_positive"})
    assert scored["ps_variant"].tolist() == ["edmondson_1999", "strategy_positive"]
    assert scored["psych_safety"].tolist() == [pytest.approx(40 / 7), 4.0]
    one = score(wide(answers(TPS, TPS_ANSWERS)), "TPS", variant="edmondson_1999")
    assert one["psych_safety"].iloc[0] == pytest.approx(40 / 7)
    # A ps_variant column in the responses is used when no variant is passed.
    from_column = score(wide(answers(TPS, TPS_ANSWERS), ps_variant="strategy_positive"), "TPS")
    assert from_column["psych_safety"].iloc[0] == 4.0


def test_tps_item_scores_after_reversal_and_missing_rule():
    items = only(item_scores(wide(answers(TPS, TPS_ANSWERS)), "TPS", variant="edmondson_1999"))
    assert [items[i] for i in TPS] == [6, 6, 5, 5, 7, 7, 4]
    six = answers(TPS, TPS_ANSWERS) | {"TPS_07": None}
    five = six | {"TPS_06": None}
    scored = score(wide(six, five), "TPS", variant="strategy_positive")
    assert scored["psych_safety"][0] == 4.0 and np.isnan(scored["psych_safety"][1])  # (28 - 4) / 6 = 4


def test_tps_without_a_variant_is_refused():
    with pytest.raises(ParameterError, match="never be pooled"):
        score(wide(answers(TPS, TPS_ANSWERS)), "TPS")
    with pytest.raises(ParameterError, match="w1"):
        score(wide(answers(TPS, TPS_ANSWERS)), "TPS", variant={"w9": "edmondson_1999"})
    with pytest.raises(ParameterError, match="strategy_positive"):
        score(wide(answers(TPS, TPS_ANSWERS)), "TPS", variant="positive")


# --- CBI --------------------------------------------------------------------------------------------------

def test_cbi_w7_reversed_and_non_responder_minimums():
    # Work W1..W7 = 100, 75, 50, 25, 0, 25, 100; W7 reversed (0 + 100 - 100 = 0): 275 / 7.
    full = answers(CBI_W, [100, 75, 50, 25, 0, 25, 100]) | answers(CBI_P, [50, 50, 50]) | answers(CBI_C, [25, 75])
    # Personal 3 of 6 answered (minimum 3): 50. Client 2 of 6 (minimum 3): non-responder.
    row = only(score(wide(full), "CBI"))
    assert row["work"] == pytest.approx(275 / 7)
    assert row["personal"] == 50 and row["personal_n_answered"] == 3
    assert np.isnan(row["client"]) and row["client_too_few_items"]
    # Work with 4 answered (minimum 4) is scored; with 3 it is a non-responder.
    four = answers(CBI_W[:4], [100, 75, 50, 25])
    three = answers(CBI_W[:3], [100, 75, 50])
    scored = score(wide(four, three), "CBI")
    assert scored["work"][0] == 62.5 and np.isnan(scored["work"][1])
    # W7 alone shows the reversal: printed 25 -> 75.
    assert only(item_scores(wide({"CBI_W7": 25}), "CBI"))["CBI_W7"] == 75


# --- SWEMWBS -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("values, raw, metric", [
    ([1] * 7, 7, 7.00),                   # spec 3.6 table
    ([3, 3, 3, 3, 3, 3, 2], 20, 18.59),
    ([5] * 7, 35, 35.00),
    ([2] * 7, 14, 15.32),
    ([3] * 7, 21, 19.25),
    ([4] * 7, 28, 25.03),
    ([5, 5, 5, 5, 5, 4, 4], 33, 30.70),
])
def test_swemwbs_conversion_table(values, raw, metric):
    row = only(score(wide(answers(SWEMWBS, values)), "SWEMWBS"))
    assert row["wellbeing_raw"] == raw and row["wellbeing"] == metric


def test_swemwbs_needs_every_item():
    row = only(score(wide(answers(SWEMWBS[:6], [3] * 6)), "SWEMWBS"))
    assert np.isnan(row["wellbeing"]) and np.isnan(row["wellbeing_raw"]) and row["wellbeing_too_few_items"]


# --- SWEMWBS: every raw sum of the conversion table ---------------------------------------------------------

# Typed from domain spec 3.6, not read from the YAML.

SPEC_SWEMWBS = {7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32, 15: 15.84,
                16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73,
                24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13,
                32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00}


def _items_summing_to(raw: int) -> list[int]:
    # Spread raw - 7 over seven items starting at 1: e.g. 22 -> 15 extra = 4 + 4 + 4 + 3 -> [5, 5, 5, 4, 1, 1, 1].
    values, extra = [1] * 7, raw - 7
    for i in range(7):
        step = min(4, extra)
        values[i] += step
        extra -= step
    return values


def test_swemwbs_every_raw_sum_converts_by_the_spec_table():
    # One respondent per raw sum 7..35 (29 rows); middle of the table e.g. 22 -> 19.98, 23 -> 20.73, 24 -> 21.54.
    rows = [dict(zip(SWEMWBS, _items_summing_to(raw))) for raw in SPEC_SWEMWBS]
    assert [sum(r.values()) for r in rows] == list(SPEC_SWEMWBS)
    scored = score(wide(*rows), "SWEMWBS")
    assert scored["wellbeing_raw"].tolist() == list(SPEC_SWEMWBS)
    assert scored["wellbeing"].tolist() == pytest.approx(list(SPEC_SWEMWBS.values()), abs=1e-9)
    mid = scored.set_index("wellbeing_raw")["wellbeing"]
    assert mid[22] == 19.98 and mid[23] == 20.73 and mid[24] == 21.54


# --- NQPS9 engagement ---------------------------------------------------------------------------------------

def test_nqps_items_on_0_to_10():
    # (x - 1) x 2.5: 1 -> 0, 2 -> 2.5, 3 -> 5, 4 -> 7.5, 5 -> 10.
    items = only(item_scores(wide(answers(NQPS, [1, 2, 3, 4, 5, 1, 2, 3, 4])), "NQPS9"))
    assert [items[i] for i in NQPS] == [0, 2.5, 5, 7.5, 10, 0, 2.5, 5, 7.5]


def test_nqps_engagement_weights_each_subscore_equally():
    # Motivation 5, 5, 5 -> 10; involvement only Q3C = 1 -> 0; advocacy unanswered -> missing.
    # Engagement = mean of available sub-scores = (10 + 0) / 2 = 5.0 (weighting questions would give 30/4 = 7.5).
    row = only(score(wide(answers(NQPS[:4], [5, 5, 5, 1])), "NQPS9"))
    assert row["motivation"] == 10 and row["involvement"] == 0 and np.isnan(row["advocacy"])
    assert row["engagement"] == 5.0 and row["engagement_n_subscores"] == 2
    # All answered: motivation (10 + 7.5 + 5)/3 = 7.5, involvement (0 + 2.5 + 5)/3 = 2.5, advocacy 10.
    # Engagement (7.5 + 2.5 + 10) / 3 = 6.6667.
    row = only(score(wide(answers(NQPS, [5, 4, 3, 1, 2, 3, 5, 5, 5])), "NQPS9"))
    assert (row["motivation"], row["involvement"], row["advocacy"]) == (7.5, 2.5, 10.0)
    assert row["engagement"] == pytest.approx(20 / 3)
    none = only(score(wide({"NQPS_Q2A": None}), "NQPS9"))
    assert np.isnan(none["engagement"]) and none["engagement_too_few_subscores"]


# --- NQPS9: engagement is the mean of the three sub-score means, not of the answered items ---------------

def test_nqps_engagement_is_mean_of_subscore_means_where_item_mean_differs():
    # (x - 1) x 2.5 on every item; none of the nine is reversed.
    # r1: motivation Q2A = 5 only -> 10; involvement Q3C, Q3D, Q3F = 1, 1, 1 -> 0; advocacy 3, 3, 3 -> 5.
    #     engagement = (10 + 0 + 5)/3 = 5.0;  the mean of the 7 answered items = (10 + 0 x 3 + 5 x 3)/7 = 3.571.
    # r2: motivation Q2A = 4, Q2B = 2 -> (7.5 + 2.5)/2 = 5; involvement Q3D = 5 -> 10;
    #     advocacy Q25A, Q25C, Q25D = 1, 2, 4 -> (0 + 2.5 + 7.5)/3 = 10/3.
    #     engagement = (5 + 10 + 10/3)/3 = 55/9 = 6.1111;  item mean = (7.5 + 2.5 + 10 + 0 + 2.5 + 7.5)/6 = 5.0.
    # Group score (spec 2.3 step 4) = mean of respondent theme scores = (5 + 55/9)/2 = 50/9 = 5.5556.
    r1 = {"NQPS_Q2A": 5, "NQPS_Q3C": 1, "NQPS_Q3D": 1, "NQPS_Q3F": 1,
          "NQPS_Q25A": 3, "NQPS_Q25C": 3, "NQPS_Q25D": 3}
    r2 = {"NQPS_Q2A": 4, "NQPS_Q2B": 2, "NQPS_Q3D": 5, "NQPS_Q25A": 1, "NQPS_Q25C": 2, "NQPS_Q25D": 4}
    scored = score(wide(r1, r2), "NQPS9")
    assert scored["motivation"].tolist() == [10.0, 5.0]
    assert scored["involvement"].tolist() == [0.0, 10.0]
    assert scored["advocacy"].tolist() == [5.0, pytest.approx(10 / 3)]
    assert scored["engagement"].tolist() == [pytest.approx(5.0), pytest.approx(55 / 9)]
    assert scored["engagement_n_subscores"].tolist() == [3, 3]
    group = scale_summary(scored, ["engagement"]).iloc[0]
    assert group["n_respondents"] == 2 and group["mean"] == pytest.approx(50 / 9)


# --- JOY ----------------------------------------------------------------------------------------------------

def test_enps_and_share_often_or_always_hand_example():
    # JOY_02: 10, 9, 9, 8, 7, 6, 2 and one blank -> n 7; promoters (9-10) 3, passives (7-8) 2, detractors
    # (0-6) 2: the boundaries 9, 7 and 6 are all present. eNPS = 100 x (3 - 2) / 7 = 14.2857...
    # JOY_01: 4, 3, 3, 2, 1, 0, 0, 3 -> often (3) or always (4): 4 of 8 = 0.5.
    data = wide(*[{"JOY_01": a, "JOY_02": b} for a, b in
                  zip([4, 3, 3, 2, 1, 0, 0, 3], [10, 9, 9, 8, 7, 6, 2, None])])
    scored = score(data, "JOY")
    result = only(enps(scored))
    assert (result["n_respondents"], result["n_promoters"], result["n_passives"], result["n_detractors"]) \
        == (7, 3, 2, 2)
    assert result["enps"] == pytest.approx(100 / 7)
    joy = only(share_often_or_always(scored))
    assert (joy["n_above"], joy["n_respondents"], joy["share"]) == (4, 8, 0.5)
    scored["team_code"] = ["T1"] * 4 + ["T2"] * 4
    by_team = enps(scored, by=["team_code"]).set_index("team_code")
    # T1: 10, 9, 9, 8 -> 100 x (3 - 0) / 4 = 75; T2: 7, 6, 2 (one blank) -> 100 x (0 - 2) / 3.
    assert by_team.loc["T1", "enps"] == 75 and by_team.loc["T2", "enps"] == pytest.approx(-200 / 3)


def test_joy_item_ranges_and_free_text_item_ignored():
    long = pd.DataFrame({"wave_id": "w1", "response_id": "r1", "instrument": "JOY",
                         "item_id": ["JOY_01", "JOY_02", "JOY_03"], "item_value": ["4", "10", ""]})
    row = only(score(long, "JOY"))
    assert row["joy"] == 4 and row["recommend"] == 10
    with pytest.raises(InputError, match="from 0 to 4"):
        score(wide({"JOY_01": 5, "JOY_02": 10}), "JOY")


# --- long responses with two instruments ---------------------------------------------------------------

def survey_long() -> pd.DataFrame:
    rows = []
    for rid, team, olbi, joy in (("r1", "T01", MIXED_OLBI, [3, 9]), ("r2", "T02", [2] * 16, [1, None])):
        for item, value in zip(OLBI + ["JOY_01", "JOY_02"], olbi + joy):
            if value is not None:
                rows.append({"wave_id": "w1", "response_id": rid, "team_code": team,
                             "instrument": "JOY" if item.startswith("JOY") else "OLBI",
                             "item_id": item, "item_value": value})
    return pd.DataFrame(rows)


def test_long_scoring_ignores_other_instruments_and_keeps_respondent_columns():
    scored = score(survey_long(), "OLBI")
    assert scored[["response_id", "team_code"]].values.tolist() == [["r1", "T01"], ["r2", "T02"]]
    assert scored["role_family"].isna().all()  # absent keep columns are blank, so every output has one shape
    assert scored["exhaustion"].tolist() == [1.875, 2.5]


# --- command line -------------------------------------------------------------------------------------------

def test_cli_score_writes_one_row_per_respondent(tmp_path):
    path = tmp_path / "olbi.csv"
    wide(answers(OLBI, MIXED_OLBI), answers(OLBI, [3] * 16)).to_csv(path, index=False)
    out = tmp_path / "out" / "scores.csv"
    result = CliRunner().invoke(main, ["score", "OLBI", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "person-level" in result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table["exhaustion"].tolist() == [1.875, 2.5] and len(table) == 2


def test_cli_score_lists_problems_and_exits_2(tmp_path):
    path = tmp_path / "olbi.csv"
    path.write_text("wave_id,response_id,OLBI_01,OLBI_02\nw1,r1,2,x\nw1,r2,7,2.5\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "OLBI", str(path)])
    assert result.exit_code == 2
    # Columns are named as the user's header names them (issue 10: not lower-cased).
    for where in ("olbi.csv, row 2, column 'OLBI_02'", "olbi.csv, row 3, column 'OLBI_01'",
                  "olbi.csv, row 3, column 'OLBI_02'"):
        assert where in result.output
    assert not (tmp_path / "olbi_olbi_scores.csv").exists()
    tps = tmp_path / "tps.csv"
    wide(answers(TPS, TPS_ANSWERS)).to_csv(tps, index=False)
    assert CliRunner().invoke(main, ["score", "TPS", str(tps)]).exit_code == 2
    result = CliRunner().invoke(main, ["score", "TPS", str(tps), "--variant", "strategy_positive"])
    assert result.exit_code == 0 and (tmp_path / "tps_tps_scores.csv").exists()


def test_cli_score_help_has_an_example():
    result = CliRunner().invoke(main, ["score", "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "--variant" in result.output
