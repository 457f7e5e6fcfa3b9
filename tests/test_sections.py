"""ttwell.presentation.sections: the compact report tables and the survey sentences of the baseline report (issue 12, item 1).

Each sentence is written out by hand from the figures given, one test per branch.
"""

from __future__ import annotations

import pandas as pd

from ttwell import disclosure
from ttwell.calculations import scales
from ttwell.presentation import sections

NAN = float("nan")


# --- breakdown_table -----------------------------------------------------------------------------------------------

def _baseline_rows():
    rows = []
    for group, n, sick, leave, hidden in (("T01", 36, 0.046, 0.139, False), ("T06", NAN, NAN, NAN, True),
                                          ("T02", 40, 0.044, NAN, True)):
        rows.append({"indicator": "sickness_absence_rate_12m", "level": "team", "group": group, "value": sick,
                     "n_people": n, "suppressed": hidden and group == "T06"})
        rows.append({"indicator": "leaver_rate_hc_12m", "level": "team", "group": group, "value": leave,
                     "n_people": n if not hidden else NAN, "suppressed": hidden})
    rows.append({"indicator": "sickness_absence_rate_12m", "level": "role_family", "group": "low_intensity",
                 "value": 0.051, "n_people": 64, "suppressed": False})
    rows.append({"indicator": "leaver_rate_hc_12m", "level": "role_family", "group": "low_intensity",
                 "value": 0.203, "n_people": 65, "suppressed": False})
    rows.append({"indicator": "leaver_rate_hc_12m", "level": "service", "group": "service", "value": 0.13,
                 "n_people": 176, "suppressed": False})
    return pd.DataFrame(rows)


def test_breakdown_table_one_row_per_group_named_and_labelled():
    out = sections.breakdown_table(_baseline_rows(), ["sickness_absence_rate_12m", "leaver_rate_hc_12m"],
                                   {"team": {"T01": "North PWP team"}, "role_family": {"low_intensity": "Low intensity"}})
    assert list(out.columns) == ["level", "group", "n_people", "Sickness absence rate (rolling 12 months)",
                                 "Leaver rate, headcount (rolling 12 months)", "suppressed"]
    assert out["group"].tolist() == ["North PWP team", "T06", "T02", "Low intensity"]
    assert out["level"].tolist() == ["Team", "Team", "Team", "Role family"]
    first = out.iloc[0]
    assert first["n_people"] == 36 and first.iloc[3] == 0.046 and first.iloc[4] == 0.139 and not first["suppressed"]
    # The largest number of staff behind the row's figures.
    assert out.iloc[3]["n_people"] == 65


def test_breakdown_table_hides_every_figure_of_a_row_with_one_hidden():
    out = sections.breakdown_table(_baseline_rows(), ["sickness_absence_rate_12m", "leaver_rate_hc_12m"], {})
    t02 = out[out["group"] == "T02"].iloc[0]
    # T02's sickness rate was shown in the long table, but its leaver rate was hidden: the row shows no number.
    assert t02["suppressed"] and t02.iloc[2:5].isna().all()


# --- exit_stay_table -----------------------------------------------------------------------------------------------

def _reasons():
    rows = [("reason_to_stay", "team_relationships", 0.35, 80, False), ("reason_to_stay", "pay_reward", 0.075, 80, False),
            ("reason_to_stay", "line_management", NAN, NAN, True),
            ("reason_might_leave", "caseload_workload", 0.38, 50, False), ("reason_might_leave", "pay_reward", 0.22, 50, False),
            ("reason_might_leave", "line_management", 0.1, 50, False),
            ("reason_to_leave", "caseload_workload", NAN, NAN, True), ("reason_to_leave", "other", NAN, NAN, True)]
    return pd.DataFrame(rows, columns=["direction", "reason_code", "share_of_respondents", "n_respondents", "suppressed"])


def test_exit_stay_table_one_column_per_question_ordered_by_largest_share():
    wide, hidden = sections.exit_stay_table(_reasons())
    assert hidden == ["Why leavers left"]
    assert list(wide.columns) == ["reason_code", "Why staff stay (80 respondents)",
                                  "Why staff might leave (50 respondents)", "suppressed"]
    assert wide["reason_code"].tolist() == ["caseload_workload", "team_relationships", "pay_reward", "line_management"]
    caseload = wide.iloc[0]
    # Not cited by stayers: empty (a dash), not suppressed.
    assert pd.isna(caseload.iloc[1]) and caseload.iloc[2] == 0.38 and not caseload["suppressed"]
    assert wide.iloc[2].iloc[1] == 0.075 and wide.iloc[2].iloc[2] == 0.22


def test_exit_stay_table_hides_a_reason_under_every_question_when_hidden_under_one():
    wide, _ = sections.exit_stay_table(_reasons())
    line = wide[wide["reason_code"] == "line_management"].iloc[0]
    assert line["suppressed"] and line.iloc[1:3].isna().all()  # its 10% under "might leave" is hidden too


def test_hidden_questions_sentence_branches():
    assert sections.hidden_questions_sentence([]) is None
    assert sections.hidden_questions_sentence(["Why leavers left"]) == (
        "Why leavers left: not shown, fewer respondents than the threshold.")
    assert sections.hidden_questions_sentence(["Why staff stay", "Why leavers left"]) == (
        "Why staff stay and Why leavers left: not shown, fewer respondents than the threshold.")


# --- survey tables and sentences -----------------------------------------------------------------------------------

def _section(instrument_id="OLBI", levels=None, cutoffs=None, reliability=None, extras=None):
    instrument = scales.load_instrument(instrument_id)
    levels = levels if levels is not None else pd.DataFrame([
        {"level": "service", "label": "Exhaustion", "wave_id": "W1", "mean": 2.48, "ci_low": 2.42, "ci_high": 2.55,
         "n_respondents": 128, "scale_min": 1, "scale_max": 4, "higher_is": "worse", "suppressed": False},
        {"level": "service", "label": "Disengagement", "wave_id": "W1", "mean": NAN, "ci_low": NAN, "ci_high": NAN,
         "n_respondents": NAN, "scale_min": 1, "scale_max": 4, "higher_is": "worse", "suppressed": True},
        {"level": "team", "label": "Exhaustion", "wave_id": "W1", "mean": 2.5, "ci_low": 2.3, "ci_high": 2.7,
         "n_respondents": 40, "scale_min": 1, "scale_max": 4, "higher_is": "worse", "suppressed": False}])
    reliability = reliability if reliability is not None else pd.DataFrame(
        [{"subscale": "exhaustion", "wave_id": "W1", "alpha": 0.74, "flag": None, "n_items": 8}])
    return sections.SurveySection(instrument, disclosure.Disclosed(levels, "", 0), reliability,
                                  cutoffs=None if cutoffs is None else disclosure.Disclosed(cutoffs, "", 0),
                                  extras={k: disclosure.Disclosed(v, "", 0) for k, v in (extras or {}).items()})


def test_survey_scores_table_service_rows_with_scale_and_instrument_once():
    out = sections.survey_scores_table({"OLBI": _section()})
    assert list(out.columns) == ["instrument", "label", "n_respondents", "mean", "ci_low", "ci_high", "suppressed"]
    assert out["instrument"].tolist() == ["Oldenburg Burnout Inventory", ""]
    assert out["label"].tolist() == ["Exhaustion (1\u20134, higher worse)", "Disengagement (1\u20134, higher worse)"]
    assert out["suppressed"].tolist() == [False, True]


def test_survey_scores_table_shows_the_wave_only_with_two_waves():
    section = _section()
    section.levels.table.loc[1, "wave_id"] = "W2"
    assert "wave_id" in sections.survey_scores_table({"OLBI": section}).columns
    assert list(sections.survey_scores_table({}).columns) == ["instrument", "label", "n_respondents", "mean",
                                                              "ci_low", "ci_high", "suppressed"]


def _cutoffs(status="UNCONFIRMED", share=0.734):
    return pd.DataFrame([{"label": "Exhaustion at or above 2.25", "score_label": "Exhaustion", "n_respondents": 128,
                          "share": share, "ci_low": 0.65, "ci_high": 0.80, "status": status, "suppressed": pd.isna(share)},
                         {"label": "Score at or above 50", "score_label": "Personal burnout", "n_respondents": 128,
                          "share": 0.60, "ci_low": 0.51, "ci_high": 0.68, "status": status, "suppressed": False}])


def test_survey_shares_table_names_each_cutoff_by_its_score_and_adds_joy():
    often = pd.DataFrame([{"score": "joy", "n_respondents": 126, "share": 0.46, "ci_low": 0.376, "ci_high": 0.547,
                           "suppressed": False}])
    out = sections.survey_shares_table({"OLBI": _section(cutoffs=_cutoffs()),
                                        "JOY": _section("JOY", extras={"often_or_always": often})})
    assert out["measure"].tolist() == ["Exhaustion at or above 2.25", "Personal burnout: score at or above 50",
                                       "Joy at work often or always"]
    assert out["status"].tolist()[:2] == ["Unconfirmed", "Unconfirmed"] and pd.isna(out["status"].iloc[2])
    assert out["share"].tolist() == [0.734, 0.60, 0.46]


def test_cutoff_sentence_branches():
    shares = lambda status: sections.survey_shares_table({"OLBI": _section(cutoffs=_cutoffs(status))})
    assert sections.cutoff_sentence(shares("UNCONFIRMED")) == (
        "The shares at or above a cut-off use published screening cut-offs whose sources are not yet confirmed: "
        "they describe the group and are not a diagnosis.")
    assert sections.cutoff_sentence(shares("CONFIRMED")) == (
        "The shares at or above a cut-off use published screening cut-offs: they describe the group and are not a "
        "diagnosis.")
    mixed = shares("CONFIRMED")
    mixed.loc[0, "status"] = "Unconfirmed"
    assert sections.cutoff_sentence(mixed) == (
        "The shares at or above a cut-off use published screening cut-offs, some of whose sources are not yet "
        "confirmed (see the table): they describe the group and are not a diagnosis.")
    assert sections.cutoff_sentence(sections.survey_shares_table({"OLBI": _section()})) is None


def _enps(value, n=128):
    return _section("JOY", extras={"enps": pd.DataFrame([{"enps": value, "n_respondents": n}])})


def test_enps_sentence_branches():
    assert sections.enps_sentence(_section()) is None
    assert sections.enps_sentence(_enps(NAN, NAN)) == (
        "Employee Net Promoter Score: not shown, fewer respondents than the threshold.")
    assert sections.enps_sentence(_enps(-39.8)) == (
        "Employee Net Promoter Score: -40 on a scale from -100 to +100, from 128 respondents: more staff would not "
        "recommend the service as a place to work (0 to 6 out of 10) than would (9 or 10).")
    assert sections.enps_sentence(_enps(12.4)) == (
        "Employee Net Promoter Score: +12 on a scale from -100 to +100, from 128 respondents: more staff would "
        "recommend the service as a place to work (9 or 10 out of 10) than would not (0 to 6).")
    assert sections.enps_sentence(_enps(0.2)) == (
        "Employee Net Promoter Score: +0 on a scale from -100 to +100, from 128 respondents: as many staff would "
        "recommend the service as a place to work (9 or 10 out of 10) as would not (0 to 6).")


def test_reliability_sentence_branches():
    assert sections.reliability_sentence({"OLBI": _section()}) == (
        "The one multi-item score is reliable (coefficient 0.70 or more: Cronbach's alpha, or Spearman-Brown for two "
        "items); the reliability table is in the workbook.")
    flagged = pd.DataFrame([{"subscale": "exhaustion", "wave_id": "W1", "alpha": 0.61, "flag": "below the conventional 0.70",
                             "n_items": 8},
                            {"subscale": "disengagement", "wave_id": "W1", "alpha": 0.8, "flag": None, "n_items": 8},
                            {"subscale": "single", "wave_id": "W1", "alpha": NAN,
                             "flag": "fewer than two items: no reliability coefficient", "n_items": 1}])
    assert sections.reliability_sentence({"OLBI": _section(reliability=flagged)}) == (
        "Read with care, because of their reliability: Exhaustion (Oldenburg Burnout Inventory): below the "
        "conventional 0.70. The reliability table is in the workbook.")
    assert sections.reliability_sentence({"OLBI": _section(reliability=flagged.iloc[1:2]), "CBI": _section(
        "CBI", reliability=flagged.iloc[1:2])}).startswith("All 2 multi-item scores are reliable")
    single = flagged[flagged["n_items"] == 1]
    assert sections.reliability_sentence({"OLBI": _section(reliability=single)}) is None


def test_item_label():
    assert sections.item_label("TPS_03") == "Item 3" and sections.item_label("x") == "x"
