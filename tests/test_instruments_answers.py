"""Survey answers checked against an instrument definition (``ttwell.inputs.instruments.answers``): every
problem named by file, row (header = row 1), column and value, all raised together; the scorer refuses the same
answers with the same problems."""

from __future__ import annotations

import pandas as pd
import pytest

from ttwell.calculations.scales import score
from ttwell.errors import InputError, ParameterError
from ttwell.inputs.instruments import answer_problems, long_to_wide

from survey_cases import answers, only, wide  # noqa: E402,F401

OLBI = [f"OLBI_{i:02d}" for i in range(1, 17)]
CBI_W = [f"CBI_W{i}" for i in range(1, 8)]




MIXED_OLBI = [1, 2, 3, 4] * 4  # OLBI_01 = 1, OLBI_02 = 2, ... OLBI_16 = 4 (SA1_SD4)


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


OLBI_RAW = [1, 1, 2, 1, 4, 2, 3, 1, 2, 4, 1, 2, 3, 4, 4, 3]  # OLBI_01 ... OLBI_16


# --- long form: a duplicate answer, keyed in a different case, is named by row --------------------------------

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


# --- the check on its own, without scoring ---------------------------------------------------------------------

def test_answer_problems_lists_what_the_scorer_refuses():
    data = long_olbi([str(v) for v in MIXED_OLBI])
    data.loc[0, "item_value"] = "three"
    data.loc[2, "item_id"] = "OLBI_99"
    with pytest.raises(InputError) as caught:
        score(data, "OLBI", file="f.csv")
    listed = answer_problems(data, "OLBI", file="f.csv")
    assert [p.as_dict() for p in listed] == [p.as_dict() for p in caught.value.problems]
    assert answer_problems(long_olbi(), "OLBI") == []
    # A choice to make (which wording) is raised, not listed as a cell to fix.
    with pytest.raises(ParameterError, match="never be pooled"):
        answer_problems(wide(answers([f"TPS_{i:02d}" for i in range(1, 8)], [4] * 7)), "TPS")
