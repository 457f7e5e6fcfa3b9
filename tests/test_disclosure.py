"""Disclosure control (domain spec 4.2): thresholds, rounding, complementary suppression, identifiers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ttwell.disclosure import disclose, disclose_indicators, round_hr_count
from ttwell.errors import DisclosureError, ParameterError


def team_table(sizes: dict[str, int], rate=0.05, people=3) -> pd.DataFrame:
    rows = [{"month": "2024-03", "indicator": "sickness_absence_rate_12m", "level": "service", "group": "All staff",
             "value": rate, "n_people": sum(sizes.values()), "n_numerator_people": people * len(sizes)}]
    rows += [{"month": "2024-03", "indicator": "sickness_absence_rate_12m", "level": "team", "group": g,
              "value": rate, "n_people": n, "n_numerator_people": people} for g, n in sizes.items()]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("count, expected", [(0, 0), (1, np.nan), (7, np.nan), (8, 10), (12, 10), (12.5, 15),
                                             (13, 15), (17, 15), (18, 20), (22, 20), (23, 25)])
def test_nhs_digital_count_rule_boundaries(count, expected):
    # 0 -> 0; 1-7 -> suppressed; 8+ -> nearest 5 with halves up (12.5 -> 15, spec 4.2).
    result = round_hr_count(count)
    assert (np.isnan(result) and np.isnan(expected)) or result == expected


@pytest.mark.parametrize("size, hidden", [(10, True), (11, False)])
def test_threshold_boundary_10_11(size, hidden):
    out = disclose(team_table({"A": 30, "B": 25, "C": size}), audience="internal_management",
                   value_columns=["value"], partition=["month", "indicator"]).table
    assert bool(out.loc[out["group"] == "C", "suppressed"].iloc[0]) is hidden


def test_small_group_and_complementary_suppression():
    out = disclose(team_table({"A": 30, "B": 12, "C": 25, "D": 6}), audience="internal_management",
                   value_columns=["value"], partition=["month", "indicator"]).table.set_index("group")
    # D is below 11; B, the next smallest, is hidden too so D cannot be worked out from the total.
    assert out.loc["D", "suppressed"] and out.loc["B", "suppressed"]
    assert "complementary" in out.loc["B", "suppression_reason"]
    assert not out.loc["A", "suppressed"] and not out.loc["C", "suppressed"]
    assert not out.loc["All staff", "suppressed"]
    # The group size of a hidden group is hidden too.
    assert np.isnan(out.loc["D", "n_people"]) and np.isnan(out.loc["D", "value"])


def test_two_small_groups_need_no_extra_suppression():
    out = disclose(team_table({"A": 30, "B": 5, "C": 6}), audience="internal_management",
                   value_columns=["value"], partition=["month", "indicator"]).table.set_index("group")
    assert out.loc[["B", "C"], "suppressed"].all() and not out.loc["A", "suppressed"]


def test_staff_wide_rates_with_few_people_behind_them_are_hidden():
    table = team_table({"A": 30, "B": 25, "C": 20})
    table.loc[table["group"] == "A", "n_numerator_people"] = 7   # 7 people behind the rate -> hidden
    table.loc[table["group"] == "B", "n_numerator_people"] = 8   # 8 -> shown
    internal = disclose(table, audience="internal_management", value_columns=["value"],
                        numerator_people_column="n_numerator_people", partition=["month", "indicator"]).table
    staff = disclose(table, audience="staff_wide", value_columns=["value"], count_columns=["n_numerator_people"],
                     numerator_people_column="n_numerator_people", partition=["month", "indicator"]).table
    assert not internal[internal["level"] == "team"]["suppressed"].any()
    shown = staff.set_index("group")
    assert shown.loc["A", "suppressed"] and not shown.loc["B", "suppressed"]
    assert shown.loc["B", "n_numerator_people"] == 10  # 8 rounded to the nearest 5
    assert shown.loc["B", "n_people"] == 25


def test_staff_wide_counts_and_shares_from_rounded_values():
    table = pd.DataFrame({"level": "service", "reason_group": ["a", "b", "c"], "leavers": [12, 3, 18],
                          "total_leavers": [33, 33, 33], "share": [12 / 33, 3 / 33, 18 / 33]})
    # At service level counts are exact; shares stay as computed.
    out = disclose(table, audience="staff_wide", value_columns=["share"], count_columns=["leavers"],
                   size_column="total_leavers", partition=[], rates=False,
                   shares={"share": ("leavers", "total_leavers")}).table
    assert out["leavers"].tolist() == [12, 3, 18]
    below = table.assign(level="team")
    out = disclose(below, audience="staff_wide", value_columns=["share"], count_columns=["leavers"],
                   size_column="total_leavers", partition=[], rates=False,
                   shares={"share": ("leavers", "total_leavers")}).table
    # Below service level: 3 is a count of 1-7, so its row is hidden; one more row (a) is hidden with it so
    # 3 cannot be recovered from the total (rule 4). c: 18 -> 20, total 33 -> 35, share from rounded 20/35.
    assert out["suppressed"].tolist() == [True, True, False]
    assert out["suppression_reason"].tolist()[1] == "count of 1 to 7"
    assert "complementary" in out["suppression_reason"].tolist()[0]
    assert out["leavers"].tolist()[2] == 20 and out["total_leavers"].tolist()[2] == 35
    assert out["share"].tolist()[2] == pytest.approx(20 / 35)


def test_identifiers_are_refused():
    with pytest.raises(DisclosureError, match="staff_pid"):
        disclose(pd.DataFrame({"staff_pid": ["a"], "value": [1.0], "n_people": [20]}), audience="staff_wide",
                 value_columns=["value"], partition=[])


@pytest.mark.parametrize("audience, threshold", [("everyone", 11), ("staff_wide", 4), ("staff_wide", 10.5)])
def test_bad_settings_are_refused(audience, threshold):
    with pytest.raises(ParameterError):
        disclose(team_table({"A": 30}), audience=audience, threshold=threshold, value_columns=["value"], partition=[])


def test_footnote_says_what_and_why():
    result = disclose(team_table({"A": 30, "B": 12, "D": 6}), audience="staff_wide", threshold=11,
                      value_columns=["value"], partition=["month", "indicator"])
    assert "[c]" in result.footnote and "fewer than 11" in result.footnote and "staff wide" in result.footnote
    assert "2 row(s) suppressed" in result.footnote


def test_indicator_tables_drop_exact_counts_for_staff_wide():
    table = team_table({"A": 30, "B": 25}).assign(numerator=5.0, denominator=100.0)
    staff = disclose_indicators(table, audience="staff_wide").table
    internal = disclose_indicators(table, audience="internal_management").table
    assert "numerator" not in staff.columns and "numerator" in internal.columns
