"""Instrument registry and scoring engine (domain spec 2.2-2.3, 3, 6.6): known answers worked by hand in the
comments, validation problems with file/row/column, long <-> wide round trips and user-defined instruments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ttwell.running.cli import main
from ttwell.errors import InputError, ParameterError
from ttwell.calculations.scales import (apply_bands, available_instruments, enps, item_labels, item_scores, load_bands,
                           load_instrument, long_to_wide, score, share_often_or_always, wide_to_long)

OLBI = [f"OLBI_{i:02d}" for i in range(1, 17)]
WRQOL = [f"WRQOL_{i:02d}" for i in range(1, 25)]
BPNSW = [f"BPNSW_{i:02d}" for i in range(1, 22)]
TPS = [f"TPS_{i:02d}" for i in range(1, 8)]
SWEMWBS = [f"SWEMWBS_{i:02d}" for i in range(1, 8)]
NQPS = ["NQPS_Q2A", "NQPS_Q2B", "NQPS_Q2C", "NQPS_Q3C", "NQPS_Q3D", "NQPS_Q3F", "NQPS_Q25A", "NQPS_Q25C",
        "NQPS_Q25D"]
CBI_P, CBI_W, CBI_C = ([f"CBI_{s}{i}" for i in range(1, n + 1)] for s, n in (("P", 6), ("W", 7), ("C", 6)))


def wide(*respondents: dict, **columns) -> pd.DataFrame:
    """One row per respondent: {item: value}; ids r1, r2, ... in wave w1 unless given."""
    rows = [{"wave_id": "w1", "response_id": f"r{i}", **columns, **answers}
            for i, answers in enumerate(respondents, start=1)]
    return pd.DataFrame(rows)


def answers(items, values) -> dict:
    return dict(zip(items, values))


def only(frame: pd.DataFrame) -> pd.Series:
    assert len(frame) == 1
    return frame.iloc[0]


# --- the registry ------------------------------------------------------------------------------------------

def test_every_required_instrument_ships_and_loads():
    assert available_instruments() == ["BPNSW", "CBI", "JOY", "NQPS9", "OLBI", "SWEMWBS", "TPS", "WRQOL"]
    for name in available_instruments():
        inst = load_instrument(name.lower())  # ids are matched in any case
        assert inst.id == name and inst.sources and inst.subscales
        assert all(tag in ("CONFIRMED", "CORROBORATED", "UNCONFIRMED", "PROPOSED") for _, tag in inst.status)
        # No item wording ships (spec 3.9): labels fall back to item ids.
        assert item_labels(inst) == {item: item for item in inst.items}


def test_shipped_keys_match_the_spec():
    olbi = load_instrument("OLBI")
    assert olbi.subscale("exhaustion").items == tuple(f"OLBI_{i:02d}" for i in (2, 4, 5, 8, 10, 12, 14, 16))
    assert olbi.reverse == tuple(f"OLBI_{i:02d}" for i in (2, 3, 4, 6, 8, 9, 11, 12))
    assert [(c.at_least, c.status) for c in olbi.subscale("disengagement").cutoffs] == [(2.10, "UNCONFIRMED")]
    wrqol = load_instrument("WRQOL")
    assert len(wrqol.subscale("wrqol_overall").items) == 23 and wrqol.subscale("wrqol_overall").min_answered == 21
    assert wrqol.reverse == ("WRQOL_07", "WRQOL_09", "WRQOL_19")
    factor_items = [i for s in wrqol.subscales if s.kind == "subscale" and s.id != "overall_qowl_item"
                    for i in s.items]
    assert sorted(factor_items) == WRQOL[:23]  # six factors cover items 1-23 once each
    cbi = load_instrument("CBI")
    assert [s.min_answered for s in cbi.subscales] == [3, 4, 3] and cbi.reverse == ("CBI_W7",)
    assert cbi.values == (0, 25, 50, 75, 100)
    tps = load_instrument("TPS")
    assert {v.name: v.reverse for v in tps.variants} == {"edmondson_1999": ("TPS_01", "TPS_03", "TPS_05"),
                                                         "strategy_positive": ()}


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


# --- validation problems ------------------------------------------------------------------------------------

def long_olbi(values=None) -> pd.DataFrame:
    values = values or MIXED_OLBI
    return pd.DataFrame({"wave_id": "w1", "response_id": "r1", "team_code": "T01", "instrument": "OLBI",
                         "item_id": OLBI, "item_value": values})


def test_out_of_range_long_names_file_row_and_column():
    data = long_olbi()
    data.loc[2, "item_value"] = 5  # third record: spreadsheet row 4
    with pytest.raises(InputError) as caught:
        score(data, "OLBI", file="olbi.csv")
    message = str(caught.value)
    assert "olbi.csv, row 4, column 'item_value'" in message and "OLBI_03" in message and "found '5'" in message
    assert "a whole number from 1 to 4" in message
    assert len(caught.value.problems) == 1


def test_out_of_range_wide_names_the_respondent_row_and_item_column():
    data = wide(answers(OLBI, MIXED_OLBI), answers(OLBI, MIXED_OLBI) | {"OLBI_07": 0})
    with pytest.raises(InputError) as caught:
        score(data, "OLBI", file="wide.csv")
    assert "wide.csv, row 3, column 'OLBI_07'" in str(caught.value) and "found '0'" in str(caught.value)


def test_value_not_in_cbi_set_is_not_rounded():
    with pytest.raises(InputError) as caught:
        score(wide(answers(CBI_W, [100, 75, 3, 25])), "CBI", file="cbi.csv")
    problem = only(pd.DataFrame([p.as_dict() for p in caught.value.problems]))
    assert (problem["row"], problem["column"], problem["value"]) == (2, "CBI_W3", "3")
    assert "one of 0, 25, 50, 75, 100" in problem["expected"]


def test_wrong_coding():
    with pytest.raises(ParameterError, match="SD1_SA4"):
        score(wide(answers(OLBI, MIXED_OLBI)), "OLBI", coding="SD1SA4")
    with pytest.raises(ParameterError, match="no alternative"):
        score(wide(answers(CBI_W, [0] * 7)), "CBI", coding="SD1_SA4")
    data = wide(answers(OLBI, MIXED_OLBI), answers(OLBI, MIXED_OLBI))
    data["olbi_response_coding"] = ["SA1_SD4", "SD1SA4"]
    with pytest.raises(InputError) as caught:
        score(data, "OLBI", file="w.csv")
    assert "w.csv, row 3, column 'olbi_response_coding'" in str(caught.value)
    # A 5-point OLBI file breaks the 4-point coding, and the message says which coding was assumed.
    with pytest.raises(InputError, match="coding SA1_SD4"):
        score(wide(answers(OLBI, [5] * 16)), "OLBI")


def test_unknown_items_long_and_wide():
    data = long_olbi()
    data.loc[15, "item_id"] = "OLBI_17"  # row 17
    with pytest.raises(InputError) as caught:
        score(data, "OLBI", file="l.csv")
    assert "l.csv, row 17, column 'item_id'" in str(caught.value) and "OLBI_17" in str(caught.value)
    with pytest.raises(InputError) as caught:
        score(wide(answers(OLBI, MIXED_OLBI) | {"OLBI_3": 2}), "OLBI", file="w.csv")
    assert "w.csv, row 1, column 'OLBI_3'" in str(caught.value) and "did you mean 'OLBI_03'" in str(caught.value)


def test_duplicate_answers_and_respondents():
    data = pd.concat([long_olbi(), long_olbi().iloc[[4]]], ignore_index=True)  # OLBI_05 again on row 18
    with pytest.raises(InputError) as caught:
        score(data, "OLBI", file="l.csv")
    message = str(caught.value)
    assert "l.csv, row 18, column 'item_id'" in message and "on row 6" in message
    with pytest.raises(InputError) as caught:
        score(wide(answers(OLBI, MIXED_OLBI), answers(OLBI, MIXED_OLBI), response_id="r1"), "OLBI", file="w.csv")
    assert "w.csv, row 3, column 'wave_id + response_id'" in str(caught.value)


def test_every_problem_is_raised_together():
    data = long_olbi([str(v) for v in MIXED_OLBI])
    data.loc[0, "item_value"] = "three"      # row 2: not a number
    data.loc[1, "item_value"] = "2.5"        # row 3: not a whole number
    data.loc[2, "item_id"] = "OLBI_99"       # row 4: unknown item
    data.loc[3, "response_id"] = ""          # row 5: no respondent id
    with pytest.raises(InputError) as caught:
        score(data, "OLBI", file="f.csv")
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [(2, "item_value"), (3, "item_value"), (4, "item_id"), (5, "response_id")]


def test_missing_id_column_and_no_items():
    with pytest.raises(InputError, match="column 'wave_id'"):
        score(pd.DataFrame({"response_id": ["r1"], "OLBI_01": [1]}), "OLBI")
    with pytest.raises(InputError, match="no OLBI items found"):
        score(wide({"WRQOL_01": 3}), "OLBI")


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


def test_long_scoring_ignores_other_instruments_and_keeps_respondent_columns():
    scored = score(survey_long(), "OLBI")
    assert scored[["response_id", "team_code"]].values.tolist() == [["r1", "T01"], ["r2", "T02"]]
    assert scored["role_family"].isna().all()  # absent keep columns are blank, so every output has one shape
    assert scored["exhaustion"].tolist() == [1.875, 2.5]


# --- user-defined instruments and files ---------------------------------------------------------------------

MY_SCALE = """
id: MYSCALE
name: My team climate scale
sources: [{citation: "Our service (2025), local wording", status: PROPOSED}]
items: [MY_01, MY_02, MY_03, MY_04]
values: {min: 0, max: 3}
reverse: [MY_02]
subscales:
  - {id: climate, label: Team climate, items: [MY_01, MY_02, MY_03, MY_04], min_answered: 3, sum_column: true}
"""


def test_user_defined_instrument_from_yaml(tmp_path):
    path = tmp_path / "my_scale.yaml"
    path.write_text(MY_SCALE, encoding="utf-8")
    inst = load_instrument(path)
    # MY_02 reversed: 0 + 3 - 1 = 2. (3 + 2 + 2 + 0) / 4 = 1.75; second respondent 3 answered: (3 + 3 + 3) / 3.
    scored = score(wide({"MY_01": 3, "MY_02": 1, "MY_03": 2, "MY_04": 0}, {"MY_01": 3, "MY_02": 0, "MY_03": 3}),
                   str(path))
    assert scored["climate"].tolist() == [1.75, 3.0] and scored["climate_sum"].tolist()[0] == 7
    text = tmp_path / "my_text.yaml"
    text.write_text('MY_01: "We help each other"\n', encoding="utf-8")
    assert item_labels(inst, text) == {"MY_01": "We help each other", "MY_02": "MY_02", "MY_03": "MY_03",
                                       "MY_04": "MY_04"}
    text.write_text('MY_09: "Not ours"\n', encoding="utf-8")
    with pytest.raises(ParameterError, match="MY_09"):
        item_labels(inst, text)


def test_malformed_definition_lists_every_problem(tmp_path):
    bad = MY_SCALE.replace("min_answered: 3", "min_answered: 5").replace("status: PROPOSED", "status: MAYBE") \
        .replace("reverse: [MY_02]", "reverse: [MY_02, MY_07]") + "colour: blue\n"
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ParameterError) as caught:
        load_instrument(path)
    message = str(caught.value)
    assert "bad.yaml has 4 problem(s)" in message
    assert "min_answered must be a whole number from 1 to 4" in message
    assert "status must be one of CONFIRMED" in message and "MY_07" in message and "unknown key 'colour'" in message


def test_definition_rules_for_sums_and_conversion_tables(tmp_path):
    path = tmp_path / "sum.yaml"
    path.write_text(MY_SCALE.replace("sum_column: true", "method: sum, conversion: {0: 0, 1: 1}"),
                    encoding="utf-8")
    with pytest.raises(ParameterError) as caught:
        load_instrument(path)
    assert "never imputes" in str(caught.value) and "no entry for the possible raw sum(s) 2, 3" in str(caught.value)


def test_unreadable_yaml_and_unknown_instrument(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: X\nitems: [A_01, A_02\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid YAML near line"):
        load_instrument(path)
    with pytest.raises(ParameterError, match="Shipped instruments: BPNSW"):
        load_instrument("OLB1")


def test_user_bands_file_labels_scores(tmp_path):
    path = tmp_path / "wrqol_bands.yaml"
    path.write_text("instrument: WRQOL\nbasis: mean\nsource: our licensed manual\nbands:\n  wrqol_overall:\n"
                    "    - {label: lower, min: 1, max: 2.99}\n    - {label: higher, min: 3, max: 5}\n",
                    encoding="utf-8")
    bands = load_bands(path, "WRQOL")
    scored = apply_bands(score(wide(answers(WRQOL, [2] * 24), answers(WRQOL, [5] * 24)), "WRQOL"), bands)
    # all 2s: (20 x 2 + 3 x 4) / 23 = 2.26 -> lower; all 5s: 103 / 23 = 4.48 -> higher
    assert scored["wrqol_overall_band"].tolist() == ["lower", "higher"]
    path.write_text(path.read_text(encoding="utf-8").replace("min: 3,", "min: 2.5,"), encoding="utf-8")
    with pytest.raises(ParameterError, match="overlap"):
        load_bands(path, "WRQOL")


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
