"""Disclosure control (domain spec 4.2): thresholds, rounding, complementary suppression, identifiers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ttwell.disclosure import NO_TEAM, Policy, disclose, disclose_indicators, merge_small_groups, round_hr_count, with_no_team
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


RULES = ("[c] = suppressed to protect confidentiality. Groups of fewer than 11 people are never shown, and where one "
         "group is hidden a second is hidden too so it cannot be worked out from the total. Audience: internal "
         "management.")


def test_section_footnote_nothing_suppressed():
    note = Policy("internal_management", 11).section_footnote(
        {"Rates": pd.DataFrame({"suppressed": [False, False]}), "Counts": pd.DataFrame({"value": [1.0]})})
    assert note == RULES + " Nothing was suppressed in this section."


def test_section_footnote_names_every_table_with_its_own_count():
    note = Policy("internal_management", 11).section_footnote(
        {"Baseline by team": pd.DataFrame({"suppressed": [True, True, False]}),
         "Reasons": pd.DataFrame({"suppressed": [False]})})
    assert note == RULES + " Rows suppressed in this section: Baseline by team, 2 of 3; Reasons, none."


def test_section_footnote_counts_cautions_per_table():
    note = Policy("internal_management", 11).section_footnote(
        {"Teams": pd.DataFrame({"suppressed": [False, False], "caution": ["few people", None]}),
         "Roles": pd.DataFrame({"suppressed": [False], "caution": [None]})})
    assert note == (RULES + " Nothing was suppressed in this section. Figures resting on fewer than 8 people (shown "
                    "to this internal audience only, to be read with care, and never to all staff): Teams, 1.")


def test_section_footnote_staff_wide_states_the_rounding_rule():
    note = Policy("staff_wide", 11).section_footnote({"Teams": pd.DataFrame({"suppressed": [True]})})
    assert "Audience: staff wide." in note and "rounded to the nearest 5" in note
    assert note.endswith("Rows suppressed in this section: Teams, 1 of 1.")


def indicator_rows(indicator, rows, month="2024-03"):
    """Tidy workforce rows: (level, group, numerator, denominator, n_people, n_numerator_people)."""
    return pd.DataFrame([{"month": month, "indicator": indicator, "level": lv, "group": g, "numerator": num,
                          "denominator": den, "value": num / den, "n_people": n, "n_numerator_people": k}
                         for lv, g, num, den, n, k in rows])


def test_staff_wide_rate_is_shown_numerator_over_shown_denominator():
    # The example: 13 leavers over a mean of 64 staff is 0.203125, which with n = 65 can only be 13/64.
    # Staff-wide, below service level, the rate is worked out from the rounded counts: 15 / 65 (NHS Digital,
    # domain spec 4.1: percentages from the rounded numerator and denominator).
    table = indicator_rows("leaver_rate_hc_12m", [("service", "All staff", 23, 140, 140, 23),
                                                   ("team", "A", 13, 64, 65, 13), ("team", "B", 10, 76, 75, 10)])
    out = Policy("staff_wide").indicators(table).table.set_index("group")
    assert out.loc["A", "numerator"] == 15 and out.loc["A", "denominator"] == 65
    assert out.loc["A", "value"] == pytest.approx(15 / 65)
    assert out.loc["B", "value"] == pytest.approx(10 / 75)
    # The service total is exact (rule 2 applies below it only).
    assert out.loc["All staff", "value"] == pytest.approx(23 / 140)
    internal = Policy("internal_management").indicators(table).table.set_index("group")
    assert internal.loc["A", "value"] == pytest.approx(13 / 64)


def test_intervals_of_rounded_rates_come_from_the_rounded_counts():
    from ttwell.calculations.statistics import poisson_rate_interval, wilson_interval

    table = indicator_rows("leaver_rate_hc_12m", [("service", "All staff", 23, 140, 140, 23),
                                                   ("team", "A", 13, 64, 65, 13), ("team", "B", 10, 76, 75, 10)])
    table["ci_low"], table["ci_high"] = 0.0, 1.0
    out = Policy("staff_wide").indicators(table).table.set_index("group")
    _, low, high = poisson_rate_interval(15, 65)
    assert (out.loc["A", "ci_low"], out.loc["A", "ci_high"]) == pytest.approx((low, high))
    stab = indicator_rows("stability_index_nhs_12m", [("service", "All staff", 150, 176, 176, 26),
                                                       ("team", "A", 52, 61, 61, 9), ("team", "B", 98, 115, 115, 17)])
    stab["ci_low"], stab["ci_high"] = 0.0, 1.0
    out = Policy("staff_wide").indicators(stab).table.set_index("group")
    # 52 -> 50 and 61 -> 60: Wilson on 50 of 60.
    assert out.loc["A", "value"] == pytest.approx(50 / 60)
    assert out.loc["A", "ci_low"] == pytest.approx(wilson_interval(50, 60)[1])


def test_rule_3_counts_the_people_behind_that_numerator_at_every_level():
    # Long-term sickness resting on 2 people is hidden staff-wide, even at service level and even though 40
    # people were off sick for some reason; short-term is then hidden too, or all - short = long.
    rows = []
    for indicator, people in (("sickness_absence_rate_12m", 40), ("short_term_sickness_rate_12m", 39),
                              ("long_term_sickness_rate_12m", 2)):
        rows.append(indicator_rows(indicator, [("service", "All staff", 500.0, 10000.0, 150, people)]))
    table = pd.concat(rows, ignore_index=True)
    staff = Policy("staff_wide").indicators(table).table.set_index("indicator")
    assert staff.loc["long_term_sickness_rate_12m", "suppressed"]
    assert staff.loc["short_term_sickness_rate_12m", "suppressed"]
    assert "related" in staff.loc["short_term_sickness_rate_12m", "suppression_reason"]
    assert not staff.loc["sickness_absence_rate_12m", "suppressed"]
    internal = Policy("internal_management").indicators(table).table
    assert not internal["suppressed"].any()


@pytest.mark.parametrize("people, hidden", [(7, True), (8, False)])
def test_rule_7_health_reasons_need_8_people_for_every_audience(people, hidden):
    table = indicator_rows("mental_health_share_of_days_lost_12m",
                           [("service", "All staff", 100.0, 400.0, 150, people)])
    for audience in ("internal_management", "staff_wide"):
        out = Policy(audience).indicators(table).table
        assert bool(out["suppressed"].iloc[0]) is hidden


def test_rule_5_no_month_by_month_team_counts_for_staff_wide():
    months = [indicator_rows("staff_in_post_headcount", [("service", "All staff", 60, np.nan, 60, np.nan),
                                                          ("team", "A", n, np.nan, n, np.nan),
                                                          ("team", "B", 60 - n, np.nan, 60 - n, np.nan)], month=m)
              for m, n in (("2024-01", 20), ("2024-02", 21))]
    table = pd.concat(months, ignore_index=True)
    table["value"] = table["numerator"]
    staff = Policy("staff_wide").indicators(table).table
    teams = staff[staff["level"] == "team"]
    # 20 then 21 would tell everyone that one person joined team A.
    assert teams["suppressed"].all() and teams["value"].isna().all()
    assert not staff[staff["level"] == "service"]["suppressed"].any()
    internal = Policy("internal_management").indicators(table).table
    assert not internal["suppressed"].any()


def test_a_small_remainder_outside_the_breakdown_triggers_complementary_suppression():
    # Service 60; teams 30 + 25 = 55, so 5 people (no team) could be worked out as service minus the teams.
    table = pd.DataFrame({"level": ["service", "team", "team"], "group": ["All", "A", "B"],
                          "mean": [3.0, 3.2, 2.9], "n_respondents": [60, 30, 25]})
    out = Policy("internal_management").table(table, value_columns=["mean"], size_column="n_respondents",
                                              partition=[], rates=False).table.set_index("group")
    assert out.loc["B", "suppressed"] and not out.loc["A", "suppressed"]
    # A remainder at or above the threshold is a group that may be shown, so nothing more is hidden.
    table.loc[0, "n_respondents"] = 66
    out = Policy("internal_management").table(table, value_columns=["mean"], size_column="n_respondents",
                                              partition=[], rates=False).table
    assert not out["suppressed"].any()


def test_a_suppressed_row_carries_no_number_judgement_or_icon():
    table = pd.DataFrame({"level": ["service", "team", "team", "team"], "group": ["All", "A", "B", "C"],
                          "value_baseline": [0.1, 0.1, 0.2, 0.3], "n_baseline": [60, 30, 25, 5],
                          "judgement": ["green", "amber", "red", "green"], "n_people": [60, 30, 25, 5],
                          "interval": ["Wilson"] * 4})
    out = Policy("internal_management").table(table, value_columns=["value_baseline"], partition=[],
                                              rates=False).table.set_index("group")
    for group in ("B", "C"):
        assert out.loc[group, "suppressed"]
        assert out.loc[group, ["value_baseline", "n_baseline", "n_people"]].isna().all()
        assert out.loc[group, "judgement"] is None
    assert out.loc["A", "judgement"] == "amber"


def test_footnote_counts_what_the_table_it_sits_under_hides():
    policy = Policy("internal_management")
    shown = policy.table(team_table({"A": 30, "B": 12, "D": 6}), value_columns=["value"],
                         partition=["month", "indicator"]).table
    assert "2 row(s) suppressed" in policy.footnote(shown)
    assert "Nothing was suppressed" in policy.footnote(shown[shown["level"] == "service"])


def test_year_comparison_hides_a_row_hidden_in_either_year():
    def period(sizes):
        return indicator_rows("stability_index_nhs_12m", [("service", "All staff", 50, 60, 60, 10)]
                              + [("team", g, n - 2, n, n, 2) for g, n in sizes.items()])
    base, evaluation = period({"A": 30, "B": 20, "C": 10}), period({"A": 30, "B": 20, "C": 12})
    table = pd.DataFrame({"indicator": "stability_index_nhs_12m", "level": ["service", "team", "team", "team"],
                          "group": ["All staff", "A", "B", "C"], "value_baseline": [0.8, 0.9, 0.8, 0.7],
                          "value_evaluation": [0.85, 0.9, 0.85, 0.8], "absolute_change": [0.05, 0, 0.05, 0.1],
                          "relative_change": 0.0, "ci_low": -0.1, "ci_high": 0.2, "n_baseline": [60, 30, 20, 10],
                          "n_evaluation": [60, 30, 20, 12], "judgement": "amber"})
    out = Policy("internal_management").year_comparison(table, base, evaluation).table.set_index("group")
    # C has 10 people in the baseline year: hidden, with its 12 of the evaluation year and its judgement.
    assert out.loc["C", "suppressed"] and pd.isna(out.loc["C", "n_evaluation"]) and out.loc["C", "judgement"] is None
    assert out.loc["B", "suppressed"]  # complementary: the service total is shown
    assert not out.loc["A", "suppressed"]


def test_chart_series_keep_hidden_months_as_gaps():
    points = pd.DataFrame({"date": pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31"]),
                           "value": [0.1, 0.2, 0.15], "moving_range": [np.nan, 0.1, 0.05]})
    shown = pd.DataFrame({"date": points["date"], "suppressed": [False, True, False]})
    out = Policy().series(points, shown, on=["date"], columns=["value", "moving_range"])
    assert len(out) == 3 and out["value"].isna().tolist() == [False, True, False]
    # |0.15 - hidden| would give the hidden month back.
    assert out["moving_range"].isna().tolist() == [True, True, True]


def test_blank_team_codes_become_a_group_of_their_own_and_are_merged():
    teams = with_no_team(pd.Series(["T1", None, "", "T2", " "]))
    assert teams.tolist() == ["T1", NO_TEAM, NO_TEAM, "T2", NO_TEAM]
    mapping = merge_small_groups(pd.Series({"T1": 20, "T2": 15, NO_TEAM: 3}), 11)
    assert mapping[NO_TEAM] == mapping["T2"] == f"T2 + {NO_TEAM}"


def test_internal_reports_warn_where_a_rate_rests_on_few_people():
    # Rule 3 for an internal audience: the figure is shown, and the footnote says it rests on few people.
    table = team_table({"A": 30, "B": 25, "C": 20}, people=10)
    table.loc[table["group"] == "A", "n_numerator_people"] = 7
    policy = Policy("internal_management")
    out = policy.table(table, value_columns=["value"], numerator_people_column="n_numerator_people",
                       partition=["month", "indicator"])
    shown = out.table.set_index("group")
    assert not shown.loc["A", "suppressed"] and shown.loc["A", "caution"].startswith("rests on fewer than 8")
    assert pd.isna(shown.loc["B", "caution"])
    assert "1 figure(s) rest on fewer than 8 people" in out.footnote


def test_hidden_parts_that_add_up_to_a_small_group_hide_one_more():
    # The second test service's role families: 7 and 3 people are hidden; 54 - 22 - 22 = 10 people would be
    # recovered together as one group under 11, so a third family is hidden too.
    table = pd.DataFrame({"level": ["service", "role_family", "role_family", "role_family", "role_family"],
                          "group": ["All", "low", "high", "admin", "employment"], "value": 0.1,
                          "n_people": [54, 22, 22, 7, 3]})
    out = Policy("internal_management").table(table, value_columns=["value"], partition=[]).table.set_index("group")
    assert out.loc[["admin", "employment"], "suppressed"].all()
    assert out.loc[["low", "high"], "suppressed"].sum() == 1  # 10 + 22 = 32 hidden together: no small group


def test_staff_wide_rounded_headcount_shows_no_exact_count_beside_it():
    table = indicator_rows("staff_in_post_headcount", [("service", "All staff", 76, np.nan, 76, np.nan),
                                                        ("team", "A", 36, np.nan, 36, np.nan),
                                                        ("team", "B", 40, np.nan, 40, np.nan)])
    table["value"] = table["numerator"]
    out = Policy("staff_wide").indicators(table).table.set_index("group")
    assert out.loc["A", "value"] == 35 and pd.isna(out.loc["A", "numerator"])
    assert out.loc["All staff", "value"] == 76  # the service total is exact


def test_parts_of_unknown_size_are_not_summed_into_a_small_group():
    # Without group sizes the hidden parts cannot be judged "small together": only the one-hidden-part rule
    # applies (otherwise every visible part would be hidden, one pass at a time).
    table = pd.DataFrame({"level": ["service", "team", "team", "team", "team"], "group": ["All", "A", "B", "C", "D"],
                          "value": [0.1, 0.1, 0.2, 0.3, 0.4], "n_people": np.nan})
    reasons = pd.Series(["", "", "", "hidden by a rule", "hidden by a rule"])
    out = Policy("internal_management").table(table, value_columns=["value"], partition=[],
                                              extra_reasons=reasons).table
    assert out["suppressed"].tolist() == [False, False, False, True, True]


def test_pdsa_points_table_keeps_a_hidden_point_as_a_dated_gap():
    from types import SimpleNamespace

    from ttwell.presentation import sections

    points = pd.DataFrame({"date": pd.to_datetime(["2024-01-31", "2024-02-29"]), "value": [60.0, np.nan],
                           "segment": 1, "mean": 58.0, "lpl": 40.0, "upl": 76.0, "rule": [None, "shift"],
                           "side": [None, "high"], "point_type": ["common_cause", "special_cause_improvement"],
                           "suppressed": [False, True]})
    out = sections.pdsa_points_table(SimpleNamespace(spc_points=points), Policy())
    assert out.n_suppressed_rows == 1 and len(out.table) == 2
    hidden = out.table.iloc[1]
    assert pd.isna(hidden["value"]) and pd.isna(hidden["rule"]) and pd.isna(hidden["point_type"])
    assert "1 row(s) suppressed" in out.footnote
