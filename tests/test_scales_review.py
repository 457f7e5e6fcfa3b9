"""Review known-answer tests for the survey scorer (domain spec 2.3, 3.1-3.3, 3.6, 6.6).

Every expected value below is worked by hand in the comments, from the spec's keys, not from the YAML files.
Each respondent is chosen so that a wrong key (a missing reversal, a wrong factor, question-weighted instead of
sub-score-weighted engagement, a coding ignored) gives a different number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ttwell.errors import InputError
from ttwell.calculations.scales import long_to_wide, score
from ttwell.calculations.scales.summaries import scale_summary, share_at_or_above

WRQOL = [f"WRQOL_{i:02d}" for i in range(1, 25)]
BPNSW = [f"BPNSW_{i:02d}" for i in range(1, 22)]
OLBI = [f"OLBI_{i:02d}" for i in range(1, 17)]
SWEMWBS = [f"SWEMWBS_{i:02d}" for i in range(1, 8)]


def wide(*respondents: dict, **columns) -> pd.DataFrame:
    return pd.DataFrame([{"wave_id": "w1", "response_id": f"r{i}", **columns, **answers}
                         for i, answers in enumerate(respondents, start=1)])


# --- 1. WRQoL: a full hand-worked respondent, every factor and the overall score ---------------------------

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


# --- 2. BPNSW: reversed items in each need ---------------------------------------------------------------

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


# --- 3. NQPS9: engagement is the mean of the three sub-score means, not of the answered items ---------------

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


# --- 4. OLBI: the same raw answers scored under each declared coding -----------------------------------------

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


# --- 5. SWEMWBS: every raw sum of the conversion table ---------------------------------------------------------

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


# --- 6. Long form: a duplicate answer, keyed in a different case, is named by row -----------------------------

def test_long_duplicate_answer_in_other_case_is_named_by_row():
    # 16 OLBI rows for r1 (spreadsheet rows 2-17), then 'olbi_05 ' again with another value on row 18:
    # the same item (ids match in any case, whitespace stripped), so the scorer must refuse and name rows 18 and 6.
    long = pd.DataFrame({"wave_id": "w1", "response_id": "r1", "instrument": "OLBI",
                         "item_id": OLBI, "item_value": OLBI_RAW})
    extra = pd.DataFrame({"wave_id": ["w1"], "response_id": ["r1"], "instrument": ["OLBI"],
                          "item_id": ["olbi_05 "], "item_value": [2]})
    data = pd.concat([long, extra], ignore_index=True)
    with pytest.raises(InputError) as caught:
        score(data, "OLBI", file="answers.csv")
    problems = caught.value.problems
    assert len(problems) == 1
    assert (problems[0].row, problems[0].column, problems[0].problem) == (18, "item_id", "duplicate answer")
    assert "answers.csv, row 18, column 'item_id'" in str(caught.value) and "on row 6" in str(caught.value)
    # long_to_wide refuses it too, naming the same row (one answer per respondent per item).
    with pytest.raises(InputError) as caught:
        long_to_wide(data, file="answers.csv")
    assert [(p.row, p.problem) for p in caught.value.problems] == [(18, "duplicate answer")]
    # The same item for a different respondent is not a duplicate.
    ok = pd.concat([long, extra.assign(response_id="r2")], ignore_index=True)
    assert score(ok, "OLBI")["exhaustion_n_answered"].tolist() == [8, 1]
