"""Every sentence function in ttwell.presentation.narrative that states figures: one test per branch (issue 11, item 5).

Each expected sentence is written out by hand from the figures given. The annual summary and the survey sentences
(sections.survey_sentences) are tested at the end; the verdict sentences are in test_verdicts.py.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ttwell.presentation import narrative, units
from ttwell.disclosure import Disclosed


# --- formatting helpers ------------------------------------------------------------------------------------------

def test_percent_and_p_value_and_in_ten_branches():
    assert units.percent(0.04321) == "4.3%"
    assert units.percent(float("nan")) == "not available"
    assert units.percent(None) == "not available"
    assert units.p_value(None) == "-"
    assert units.p_value(0.0004) == "< 0.001"
    assert units.p_value(0.0123) == "0.012"
    assert narrative.in_ten(0.2) == "two in ten" and narrative.in_ten(0.04) == "none in ten"


# --- pre/post: headline change ------------------------------------------------------------------------------------

def overall(**kw):
    row = {"mean_pre": 48.0, "mean_post": 81.0, "mean_change": 33.0, "ci_low": 30.2, "ci_high": 35.9,
           "n_matched": 80, "n_above_post": 70, "not_estimable_reason": None}
    row.update(kw)
    return pd.Series(row)


def test_change_sentence_rose_clear_of_chance():
    assert narrative.change_sentence(overall()) == (
        "Mean confidence rose from 48% before training to 81% after: a change of +33 percentage points "
        "(95% CI 30 to 36) across the 80 attendees who completed both forms.")


def test_change_sentence_fell_clear_of_chance():
    text = narrative.change_sentence(overall(mean_pre=60.0, mean_post=52.0, mean_change=-8.0, ci_low=-11.0,
                                             ci_high=-5.0))
    assert text == ("Mean confidence fell from 60% before training to 52% after: a change of -8 percentage points "
                    "(95% CI -11 to -5) across the 80 attendees who completed both forms.")


def test_change_sentence_rise_not_clear_of_chance():
    # +3 points with a CI of -1 to 7: the verb says it rose, the clause says the CI includes no change.
    text = narrative.change_sentence(overall(mean_post=51.0, mean_change=3.0, ci_low=-1.0, ci_high=7.0))
    assert "rose from 48% before training to 51% after" in text
    assert "(95% CI -1 to 7, which includes no change: not clear of chance)" in text


def test_change_sentence_about_the_same():
    # +0.4 points rounds to 0: "about the same", never "rose".
    text = narrative.change_sentence(overall(mean_post=48.4, mean_change=0.4, ci_low=-2.0, ci_high=2.8))
    assert text.startswith("Mean confidence was about the same: 48% before training and 48% after: a change of "
                           "+0 percentage points")


def test_change_sentence_interval_not_estimable_gives_reason():
    # Everyone changed by exactly +10: the t interval cannot be estimated (zero variance), never "10 to 10".
    reason = "not estimable: every change is the same (zero variance)"
    text = narrative.change_sentence(overall(mean_post=58.0, mean_change=10.0, ci_low=np.nan, ci_high=np.nan,
                                             not_estimable_reason=reason))
    assert f"(no 95% CI: {reason})" in text and "10 to 10" not in text


def test_change_sentence_suppressed_is_left_out():
    assert narrative.change_sentence(overall(mean_pre=np.nan)) is None


# --- pre/post: areas ----------------------------------------------------------------------------------------------

def areas(changes, pres=(40.0, 50.0, 60.0)):
    return pd.DataFrame({"area": [1, 2, 3], "area_label": ["A", "B", "C"], "mean_pre": list(pres),
                         "mean_change": list(changes)})


def test_area_sentence_lowest_also_rose_most():
    assert narrative.area_sentence(areas([30.0, 20.0, 10.0])) == (
        "Confidence was lowest before training in 'A' (40%), which also rose most (+30 points).")


def test_area_sentence_another_area_rose_most():
    assert narrative.area_sentence(areas([10.0, 25.0, 5.0])) == (
        "Confidence was lowest before training in 'A' (40%), and rose most in 'B' (+25 points).")


def test_area_sentence_no_area_rose():
    # Largest change -2 (area C): "fell least", never "rose most".
    assert narrative.area_sentence(areas([-9.0, -5.0, -2.0])) == (
        "Confidence was lowest before training in 'A' (40%), and fell least (no area rose) in 'C' (-2 points).")


def test_area_sentence_largest_change_zero():
    assert narrative.area_sentence(areas([-3.0, 0.0, -1.0])) == (
        "Confidence was lowest before training in 'A' (40%), and changed least (no area rose) in 'B' (+0 points).")


def test_area_sentence_without_areas():
    assert narrative.area_sentence(areas([1.0, 2.0, 3.0]).iloc[0:0]) is None


# --- pre/post: teams ----------------------------------------------------------------------------------------------

def test_team_share_sentence_differs_same_and_too_few():
    teams = pd.DataFrame({"team_code": ["T1", "T2", "T3"], "share_above_pre": [0.2, 0.9, 0.5]})
    assert narrative.team_share_sentence(teams) == (
        "Before training, two in ten staff were above 50% confident in T1, compared with nine in ten in T2.")
    same = teams.assign(share_above_pre=[0.31, 0.29, 0.33])  # all round to three in ten
    assert narrative.team_share_sentence(same) == (
        "Before training, about three in ten staff were above 50% confident in every team shown (3 teams).")
    assert narrative.team_share_sentence(teams.iloc[:1]) is None


def spread(pre_range, post_range, pre_sd=5.0, post_sd=4.0, n_teams=5, share_range=0.07):
    return pd.DataFrame({"timepoint": ["pre", "post"], "n_teams": [n_teams, n_teams],
                         "team_mean_range": [pre_range, post_range], "team_mean_sd": [pre_sd, post_sd],
                         "share_above_range": [0.5, share_range]})


def test_spread_sentence_narrowed():
    # Range 20 -> 4: fell by 16 > 2 points.
    assert narrative.spread_sentence(spread(20.2, 3.6, 7.61, 1.46)) == (
        "The spread between teams narrowed: team averages ranged over 20 points before and 4 after "
        "(SD 7.6 to 1.5); the teams' shares above 50% differed by 7 points after training.")


def test_spread_sentence_widened():
    # The case: team averages spread from 3 points to 34 -> widened (rose by 31 > 2).
    assert narrative.spread_sentence(spread(3.0, 34.0, 1.2, 14.9, share_range=0.5)) == (
        "The spread between teams widened: team averages ranged over 3 points before and 34 after "
        "(SD 1.2 to 14.9); the teams' shares above 50% differed by 50 points after training.")


def test_spread_sentence_unchanged_within_the_stated_tolerance():
    # 10 -> 12 is a rise of exactly 2.0 = the tolerance: about the same, and the sentence states the tolerance.
    assert narrative.spread_sentence(spread(10.0, 12.0)).startswith(
        "The spread between teams stayed about the same (within 2 points): team averages ranged over 10 points "
        "before and 12 after")
    # 10 -> 12.5 (rise 2.5) is beyond it: widened; 10 -> 7.9 (fall 2.1): narrowed.
    assert narrative.spread_sentence(spread(10.0, 12.5)).startswith("The spread between teams widened")
    assert narrative.spread_sentence(spread(10.0, 7.9)).startswith("The spread between teams narrowed")
    assert narrative.SPREAD_TOLERANCE_POINTS == 2.0


def test_spread_sentence_one_team_missing_or_suppressed():
    assert narrative.spread_sentence(spread(np.nan, np.nan, n_teams=1)) == (
        "Fewer than two teams can be shown, so the spread between teams is not described.")
    assert narrative.spread_sentence(spread(10.0, 12.0).iloc[:1]) is None
    assert narrative.spread_sentence(spread(np.nan, np.nan)) is None  # suppressed figures are not quoted


def test_below_threshold_sentence_some_none_and_suppressed():
    assert narrative.below_threshold_sentence(overall()) == (
        "After training, 10 of 80 attendees rated their overall confidence at 50% or below.")  # 80 - 70
    assert narrative.below_threshold_sentence(overall(n_above_post=80)) == (
        "After training, all 80 attendees rated their overall confidence above 50%.")
    assert narrative.below_threshold_sentence(overall(n_above_post=np.nan)) is None


def test_reliable_change_sentence_computed_left_out_and_absent():
    computed = pd.DataFrame([{"reliability": 0.9234, "reliability_source": "Cronbach's alpha of the 7 area answers",
                              "change_needed": 9.71, "not_estimable_reason": None}])
    assert narrative.reliable_change_sentence(computed) == (
        "Reliability used: 0.92 (Cronbach's alpha of the 7 area answers); a change of more than 9.7 points counts "
        "as reliable.")
    left_out = computed.assign(reliability=np.nan, change_needed=np.nan,
                               not_estimable_reason="Reliable change is left out: too few people.")
    assert narrative.reliable_change_sentence(left_out) == "Reliable change is left out: too few people."
    assert narrative.reliable_change_sentence(pd.DataFrame()) is None


def section(area_rows, spread_table, teams=None):
    teams = teams if teams is not None else pd.DataFrame({"team_code": [], "share_above_pre": []})
    return SimpleNamespace(areas=Disclosed(pd.DataFrame(area_rows), "", 0), teams=Disclosed(teams, "", 0),
                           spread=Disclosed(spread_table, "", 0))


def test_prepost_statements_leaves_out_suppressed_sentences_and_follows_numbers():
    rows = [{"area": 1, "area_label": "A", **overall(mean_pre=np.nan).to_dict()},
            {"area": "overall", "area_label": "Overall", **overall(mean_pre=np.nan, n_above_post=np.nan).to_dict()}]
    assert narrative.prepost_statements(section(rows, spread(np.nan, np.nan))) == []
    rows = [{"area": 1, "area_label": "A", **overall().to_dict()},
            {"area": "overall", "area_label": "Overall", **overall().to_dict()}]
    out = narrative.prepost_statements(section(rows, spread(3.0, 34.0)))
    assert len(out) == 4 and out[0].startswith("Mean confidence rose") and "widened" in out[2]


def test_prepost_key_results_not_estimable_is_never_zero():
    rows = [{"area": 1, "mean_pre": 50.0, "mean_post": 60.0, "mean_change": 10.0, "ci_low": np.nan,
             "ci_high": np.nan, "n_matched": 3, "p_holm": np.nan},
            {"area": "overall", "mean_pre": 50.0, "mean_post": 60.0, "mean_change": 10.0, "ci_low": 8.0,
             "ci_high": 12.0, "n_matched": 3, "p_holm": np.nan}]
    table = spread(20.0, 4.0).assign(icc=[0.289, np.nan],
                                      not_estimable_reason=[None, "ICC not estimable: the mixed model did not "
                                                                  "converge; describe the spread of team means instead"])
    text = narrative.prepost_key_results(section(rows, table)).splitlines()
    assert text[0] == "area 1: n = 3, before 50.0, after 60.0, change +10.0 (95% CI not estimable), p_holm -"
    assert text[1].endswith("(95% CI 8.0 to 12.0), p_holm -")
    assert text[2] == "teams pre: 5 teams, SD of team means 5.00, range 20.00, ICC 0.289"
    assert text[3] == ("teams post: 5 teams, SD of team means 4.00, range 4.00, ICC not estimable (the mixed model "
                       "did not converge; describe the spread of team means instead)")
    one_team = spread(0.0, 0.0, pre_sd=np.nan, post_sd=np.nan, n_teams=1).assign(icc=np.nan,
                                                                                 not_estimable_reason=None)
    assert "SD not estimable" in narrative.prepost_key_results(section(rows, one_team))


# --- baseline workforce -------------------------------------------------------------------------------------------

def wf_row(**kw):
    row = {"label": "Sickness absence rate", "unit": "proportion", "value": 0.0432, "ci_low": 0.038,
           "ci_high": 0.049, "n_people": 120, "suppressed": False}
    row.update(kw)
    return pd.Series(row)


def test_baseline_sentence_branches():
    start, end = "2023-04-01", "2024-03-31"
    assert narrative.baseline_sentence(wf_row(), start, end) == (
        "Sickness absence rate: 4.3% (95% CI 3.8% to 4.9%), April 2023 to March 2024; 120 staff.")
    assert narrative.baseline_sentence(wf_row(ci_low=np.nan, ci_high=np.nan, n_people=np.nan), start, end) == (
        "Sickness absence rate: 4.3%, April 2023 to March 2024.")
    assert narrative.baseline_sentence(wf_row(label="Staff in post", unit="count", value=176.4), start, end) == (
        "Staff in post: 176 on average over April 2023 to March 2024.")
    assert narrative.baseline_sentence(wf_row(value=np.nan, suppressed=True), start, end) == (
        "Sickness absence rate: suppressed ([c]) because too few people are behind it.")


def test_key_results_text_branches():
    table = pd.DataFrame([
        {"indicator": "staff", "level": "service", "unit": "count", "value": 176.42, "ci_low": np.nan,
         "ci_high": np.nan, "n_people": 176},
        {"indicator": "sick", "level": "service", "unit": "proportion", "value": 0.0432, "ci_low": 0.038,
         "ci_high": 0.049, "n_people": 120},
        {"indicator": "vac", "level": "service", "unit": "proportion", "value": 0.05, "ci_low": np.nan,
         "ci_high": np.nan, "n_people": np.nan}])
    assert narrative.key_results_text(table, ["staff", "sick", "vac", "absent"]) == (
        "staff: 176.4\nsick: 4.3% (95% CI 3.8% to 4.9%), n = 120\nvac: 5.0%")


def test_suppression_summary_none_and_some():
    table = pd.DataFrame({"level": ["team", "team", "team"], "group": ["T1", "T2", "T3"],
                          "suppressed": [False, True, False],
                          "suppression_reason": [None, "group of fewer than 11 people", None]})
    assert narrative.suppression_summary(table, "team") == (
        "team: 1 of 3 rows suppressed (T2: group of fewer than 11 people)")
    assert narrative.suppression_summary(table.assign(suppressed=False), "team") == "team: no rows suppressed (3 shown)"


# --- surveys ------------------------------------------------------------------------------------------------------

def test_survey_key_results_names_spearman_brown_for_two_items():
    levels = pd.DataFrame([
        {"level": "service", "wave_id": "w1", "score": "stress_at_work", "mean": 3.1, "ci_low": 3.0, "ci_high": 3.2,
         "n_respondents": 124},
        {"level": "service", "wave_id": "w1", "score": "general_wellbeing", "mean": 3.5, "ci_low": 3.4,
         "ci_high": 3.6, "n_respondents": 123},
        {"level": "service", "wave_id": "w1", "score": "overall_item", "mean": 3.0, "ci_low": 2.9, "ci_high": 3.1,
         "n_respondents": 127},
        {"level": "service", "wave_id": "w1", "score": "hidden", "mean": np.nan, "ci_low": np.nan,
         "ci_high": np.nan, "n_respondents": 5}])
    reliability = pd.DataFrame([
        {"wave_id": "w1", "subscale": "stress_at_work", "alpha": 0.8123,
         "method": "Spearman-Brown of the inter-item correlation (two items)"},
        {"wave_id": "w1", "subscale": "general_wellbeing", "alpha": 0.88, "method": "Cronbach's alpha (Feldt 95% interval)"},
        {"wave_id": "w1", "subscale": "overall_item", "alpha": np.nan, "method": "Cronbach's alpha (Feldt 95% interval)"}])
    sections = {"WRQOL": SimpleNamespace(reliability=reliability, levels=Disclosed(levels, "", 0))}
    assert narrative.survey_key_results(sections).splitlines() == [
        "WRQOL stress_at_work [w1]: 3.10 (95% CI 3.00 to 3.20), n = 124, Spearman-Brown 0.81",
        "WRQOL general_wellbeing [w1]: 3.50 (95% CI 3.40 to 3.60), n = 123, alpha 0.88",
        "WRQOL overall_item [w1]: 3.00 (95% CI 2.90 to 3.10), n = 127",
        "WRQOL hidden [w1]: suppressed"]
    assert narrative.survey_key_results({}) == "No survey instruments in the baseline period."


def test_cronbach_alpha_of_two_items_is_spearman_brown():
    # Items a, b with r = 0.6 -> Spearman-Brown 2r / (1 + r) = 1.2 / 1.6 = 0.75; the method says so.
    from ttwell.calculations.scales.reliability import cronbach_alpha

    rng = np.random.default_rng(0)
    a = rng.normal(size=40)
    b = 0.6 * (a - a.mean()) / a.std() + 0.8 * rng.normal(size=40)
    r = np.corrcoef(a, b)[0, 1]
    result = cronbach_alpha(pd.DataFrame({"a": a, "b": b}))
    assert result["alpha"] == pytest.approx(2 * r / (1 + r))
    assert narrative.coefficient_name(result["method"]) == "Spearman-Brown"


# --- PDSA ---------------------------------------------------------------------------------------------------------

def test_pdsa_key_results_with_and_without_signal():
    verdicts = pd.DataFrame([
        {"cycle_id": "C1", "measure_id": "joy", "act_decision": "adopt", "signal": "improvement",
         "first_signal_date": pd.Timestamp("2024-06-01"), "first_signal_rule": "shift", "n_baseline": 12,
         "n_after": 8, "change_idea": "huddles", "data_verdict": "special-cause improvement",
         "decision_vs_data": "the decision follows the data"},
        {"cycle_id": "C2", "measure_id": "joy", "act_decision": "adapt", "signal": "none",
         "first_signal_date": pd.NaT, "first_signal_rule": None, "n_baseline": 12, "n_after": 4,
         "change_idea": "rota", "data_verdict": "no signal yet", "decision_vs_data": "too early to tell"}])
    assert narrative.pdsa_key_results(verdicts).splitlines() == [
        "C1 joy: adopt; signal improvement from 2024-06 (shift); 12 baseline points, 8 after",
        "C2 joy: adapt; signal none; 12 baseline points, 4 after"]
    assert narrative.pdsa_sentences(verdicts)[1] == "C2 (rota) on Joy: no signal yet; too early to tell."


def test_pdsa_chart_key_results_trial_and_full_limits():
    runs = SimpleNamespace(parts=pd.DataFrame([{"median": 11.0, "longest_run": 3, "longest_run_max": 7,
                                                "n_crossings": 9, "n_crossings_min": 6, "signal": False}]))
    summary = pd.DataFrame([
        {"segment": 0, "n": 24, "mean": 60.0, "lpl": 50.0, "upl": 70.0, "variation_icon": "common_cause",
         "assurance_icon": None, "trial_limits": False},
        {"segment": 1, "n": 11, "mean": 65.0, "lpl": 55.0, "upl": 75.0, "variation_icon": "common_cause",
         "assurance_icon": "inconsistent", "trial_limits": True}])
    summary["assurance_icon"] = pd.Series([None, "inconsistent"], dtype=object)
    text = narrative.pdsa_chart_key_results({"joy": SimpleNamespace(spc=SimpleNamespace(summary=summary),
                                                                    runs=runs)}).splitlines()
    assert text[0] == "joy segment 0: n = 24, mean 60.00, limits 50.00 to 70.00, common_cause, no target"
    assert text[1] == ("joy segment 1: n = 11, mean 65.00, trial limits 55.00 to 75.00, common_cause, "
                       "inconsistent (from trial limits)")
    assert text[2] == ("joy run chart: median 11.00, longest run 3 (max 7), crossings 9 (min 6), signal False")


# --- the annual summary (issue 11: one verdict per indicator, every sentence from the verdict objects) ----------

def _verdict(indicator, label, verdict, sentence):
    from ttwell.calculations.verdicts import IndicatorVerdict

    return IndicatorVerdict(indicator, label, verdict, "", {}, sentence)


def test_annual_summary_states_each_headline_verdict_once_in_a_fixed_order():
    verdicts = {"vacancy_rate_fte": _verdict("vacancy_rate_fte", "Vacancy rate", "improved", "Vacancy rate: improved."),
                "sickness_absence_rate_12m": _verdict("sickness_absence_rate_12m", "Sickness", "mixed evidence",
                                                      "Sickness: mixed evidence."),
                "joiners": _verdict("joiners", "Joiners", "no evidence", "Joiners: no evidence.")}
    objectives = pd.DataFrame([{"label": "Wellbeing foundations", "rating": "no evidence", "n_evidence": 0,
                                "n_improved": 0, "n_worse": 0, "n_mixed": 0}])
    out = narrative.annual_summary(verdicts, pd.DataFrame(), objectives, "2023-24 and 2024-25")
    # Headline indicators only (joiners is context), sickness before vacancy; no survey sentence without a survey.
    assert out[:2] == ["Sickness: mixed evidence.", "Vacancy rate: improved."]
    assert out[2] == "Wellbeing foundations: no evidence mapped to this objective in the data."
    assert out[3].startswith("All of this compares 2023-24 and 2024-25 before and after the strategy started")
    assert len(out) == 4


def test_annual_summary_adds_the_survey_sentence_when_there_is_a_survey():
    from ttwell.calculations import verdicts

    survey = pd.DataFrame({"instrument": ["TPS"], "score": ["team_psych_safety"], "label": ["TPS: Team psychological safety"],
                           "difference": [0.3], "p": [0.001], "judgement": ["green"]})
    table = verdicts.survey_multiplicity(survey)
    out = narrative.annual_summary({}, table, pd.DataFrame(), "two years")
    # One primary score, improved beyond chance after Holm (p 0.001 alone in its family).
    assert out[0].startswith("In the staff survey, 1 of 1 primary scores")
    assert "TPS: Team psychological safety" in out[0]


def test_survey_sentences_follow_each_row():
    # Branches: a score shown (with its scale and direction), a score hidden, a cut-off share, a reliability flag
    # on a multi-item score (a single-item score's missing alpha is not a warning).
    from ttwell import disclosure
    from ttwell.calculations import scales
    from ttwell.presentation import sections

    instrument = scales.load_instrument("OLBI")
    levels = pd.DataFrame([
        {"level": "service", "label": "Exhaustion", "wave_id": "W1", "mean": 2.514, "ci_low": 2.4, "ci_high": 2.63,
         "n_respondents": 40, "scale_min": 1, "scale_max": 4, "higher_is": "worse"},
        {"level": "service", "label": "Disengagement", "wave_id": "W1", "mean": float("nan"), "ci_low": float("nan"),
         "ci_high": float("nan"), "n_respondents": float("nan"), "scale_min": 1, "scale_max": 4, "higher_is": "worse"}])
    cutoffs = pd.DataFrame([{"label": "High exhaustion", "wave_id": "W1", "share": 0.25, "ci_low": 0.14, "ci_high": 0.4,
                             "status": "UNCONFIRMED"}])
    reliability = pd.DataFrame([{"subscale": "exhaustion", "wave_id": "W1", "flag": "alpha under 0.70", "n_items": 8},
                                {"subscale": "single", "wave_id": "W1", "flag": "one item", "n_items": 1}])
    section = sections.SurveySection(instrument, disclosure.Disclosed(levels, "", 0), reliability,
                                     cutoffs=disclosure.Disclosed(cutoffs, "", 0))
    out = sections.survey_sentences(section)
    assert out == [
        "Exhaustion (W1): average 2.51 on a 1 to 4 scale (higher is worse), 95% CI 2.40 to 2.63, from 40 respondents.",
        "Disengagement (W1): not shown, fewer respondents than the threshold.",
        "High exhaustion (W1): 25% of respondents (95% CI 14% to 40%). This uses a published screening cut-off "
        "(unconfirmed source): it describes the group and is not a diagnosis.",
        "Reliability of Exhaustion (W1): alpha under 0.70; read that score with care.",
    ]


def test_about_this_report_names_each_file_once_when_asked():
    params = {"service_name": "North", "absence_file": "data/absence.csv", "output_dir": "/x"}
    files = [{"kind": "absence", "file": "absence.csv", "rows": 12, "sha256": "abcdef0123456789"}]
    both = narrative.about_this_report(params, files, ["A convention."])
    assert "| Absence file | absence.csv |" in both and "| absence.csv | 12 | abcdef012345 |" in both
    once = narrative.about_this_report(params, files, ["A convention."], file_parameters=False)
    assert "Absence file" not in once and "| absence.csv | 12 | abcdef012345 |" in once
    # Without a files table the file parameters stay, so every input is still named.
    assert "| Absence file | absence.csv |" in narrative.about_this_report(params, [], [], file_parameters=False)


def test_about_this_report_writes_words_for_yes_no_and_input_kinds():
    params = {"service_name": "North", "show_survey_cutoffs": True, "leave_of_absence_as_leaver": False}
    files = [{"kind": "absence", "file": "absence.csv", "rows": 1234, "sha256": "abcdef0123456789"}]
    text = narrative.about_this_report(params, files, [])
    assert "| Sickness absence episodes | absence.csv | 1,234 | abcdef012345 |" in text
    assert "| Yes |" in text and "| No |" in text and "True" not in text and "False" not in text
