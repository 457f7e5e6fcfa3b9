"""Verdicts (issue 11): readings, the stated rules, every sentence branch, ITS sensitivity and survey multiplicity."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ttwell.calculations import impact, verdicts
from ttwell.errors import ParameterError
from ttwell.calculations.verdicts import BETTER, MISSING, NONE, WORSE


# --- readings of one source ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("low, high, better, null, expected", [
    (-0.03, -0.01, "down", 0, BETTER), (-0.03, -0.01, "up", 0, WORSE), (0.01, 0.03, "up", 0, BETTER),
    (0.01, 0.03, "down", 0, WORSE), (-0.01, 0.02, "down", 0, NONE), (0.7, 0.9, "down", 1, BETTER),
    (0.9, 1.2, "down", 1, NONE), (1.1, 1.3, "down", 1, WORSE), (np.nan, 0.1, "down", 0, MISSING),
    # exactly touching the null is not clear of it
    (-0.02, 0.0, "down", 0, NONE)])
def test_interval_reading(low, high, better, null, expected):
    assert verdicts.interval_reading(low, high, better, null) == expected


def test_interval_reading_rejects_unknown_direction():
    with pytest.raises(ParameterError):
        verdicts.interval_reading(0, 1, "sideways")


@pytest.mark.parametrize("icon, expected", [("improvement_low", BETTER), ("improvement_high", BETTER),
                                            ("concern_high", WORSE), ("concern_low", WORSE),
                                            ("common_cause", NONE), ("neutral_high", NONE), (None, MISSING)])
def test_spc_reading_from_icon(icon, expected):
    assert verdicts.spc_reading(icon=icon) == expected


@pytest.mark.parametrize("types, expected", [
    (["common_cause", "special_cause_improvement"], BETTER), (["special_cause_concern", "common_cause"], WORSE),
    (["special_cause_concern", "special_cause_improvement"], "mixed"), (["common_cause", "common_cause"], NONE)])
def test_spc_reading_from_evaluation_months(types, expected):
    # The first two months are before the evaluation year and carry the opposite signal, which must be ignored.
    dates = pd.to_datetime(["2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"])
    before = ["special_cause_concern" if expected == BETTER else "special_cause_improvement"] * 2
    chart = SimpleNamespace(points=pd.DataFrame({"date": dates, "point_type": before + types}))
    assert verdicts.spc_reading(chart, evaluation_start="2024-04-01") == expected


# --- the verdict rule -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("readings, verdict, why", [
    ({"year comparison": BETTER, "interrupted time series": BETTER, "SPC": NONE}, "improved", ""),
    ({"year comparison": BETTER, "interrupted time series": MISSING, "SPC": MISSING}, "improved", ""),
    ({"year comparison": WORSE, "interrupted time series": NONE, "SPC": WORSE}, "worse", ""),
    ({"year comparison": NONE, "interrupted time series": NONE, "SPC": NONE}, "no clear change", ""),
    ({"year comparison": MISSING, "interrupted time series": MISSING, "SPC": MISSING}, "no evidence",
     "no source could be read"),
    ({"year comparison": BETTER, "interrupted time series": NONE, "SPC": WORSE}, "mixed evidence",
     "the year comparison shows an improvement but the SPC shows a worsening"),
    ({"year comparison": NONE, "interrupted time series": NONE, "SPC": "mixed"}, "mixed evidence",
     "the SPC shows both special-cause improvement and concern"),
    ({"year comparison": NONE, "interrupted time series": NONE, "SPC": BETTER}, "mixed evidence",
     "only the SPC shows an improvement; the year comparison and the interrupted time series show no clear change"),
    ({"year comparison": NONE, "SPC": WORSE}, "mixed evidence",
     "only the SPC shows a worsening; the year comparison shows no clear change"),
    ({"a": BETTER, "b": BETTER, "c": NONE, "d": NONE}, "mixed evidence",
     "the a and the b show an improvement; the c and the d show no clear change"),
])
def test_combine_readings_every_branch(readings, verdict, why):
    assert verdicts.combine_readings(readings) == (verdict, why)


def test_rules_are_printable():
    for rule in (verdicts.VERDICT_RULE, verdicts.OBJECTIVE_RULE, verdicts.MULTIPLICITY_RULE):
        assert isinstance(rule, str) and len(rule) > 100


# --- ITS pieces: fake results whose numbers are set by hand ----------------------------------------------------

def _fake_its(level=(0.80, 0.70, 0.92), end=(0.60, 0.45, 0.80), extrapolation=False, ratio=True):
    scale = "rate ratio" if ratio else "difference (value units)"
    effects = pd.DataFrame({"effect": ["level_change", "slope_change", "effect_at_end"],
                            "estimate": [level[0], 0.98, end[0]], "ci_low": [level[1], 0.96, end[1]],
                            "ci_high": [level[2], 1.0, end[2]], "scale": scale})
    diagnostics = {"extrapolation": extrapolation, "counterfactual_end": 0.0975, "observed_min": 0.021,
                   "observed_max": 0.069}
    return impact.ITSResult(pd.DataFrame(), effects, pd.DataFrame(), diagnostics)


def _fake_sensitivity(result, effect, readings):
    table = pd.DataFrame({"analysis": ["main model"] + [f"alt {i}" for i in range(1, len(readings))],
                          "reading": readings})
    table["agrees"] = table["reading"] == readings[0]
    table.attrs.update({"main": result, "effect": effect, "survives": bool(table["agrees"].all())})
    return table


def test_its_headline_avoids_an_extrapolated_counterfactual():
    assert verdicts.its_headline(_fake_its()) == "effect_at_end"
    assert verdicts.its_headline(_fake_its(extrapolation=True)) == "level_change"
    level_only = _fake_its()
    level_only.effects = level_only.effects[level_only.effects["effect"] != "slope_change"]
    assert verdicts.its_headline(level_only) == "level_change"


YEAR = {"value_baseline": 0.053, "value_evaluation": 0.036, "absolute_change": -0.017, "ci_low": -0.030,
        "ci_high": -0.004}


def test_verdict_improved_sentence():
    fit = _fake_its()
    v = verdicts.indicator_verdict("sick", "Sickness absence", better="down", year=YEAR,
                                   its_sensitivity_table=_fake_sensitivity(fit, "effect_at_end", [BETTER] * 3),
                                   spc=BETTER)
    assert v.verdict == "improved" and v.text == "improved"
    assert v.sentence == (
        "Sickness absence: improved. Evidence: the whole-year value went from 5.3% to 3.6% (-1.7 points, 95% CI -3.0 "
        "to -0.4), an improvement clear of chance; in the interrupted time series, the effect at the end of the year "
        "was rate ratio 0.60, 95% CI 0.45 to 0.80, an improvement clear of chance; the SPC chart of the evaluation "
        "months shows special-cause improvement.")


def test_verdict_worse_sentence_without_its():
    year = {"value_baseline": 0.036, "value_evaluation": 0.053, "absolute_change": 0.017, "ci_low": 0.004,
            "ci_high": 0.030}
    v = verdicts.indicator_verdict("sick", "Sickness absence", better="down", year=year, spc=WORSE)
    assert v.verdict == "worse"
    assert v.sentence == ("Sickness absence: worse. Evidence: the whole-year value went from 3.6% to 5.3% (+1.7 "
                          "points, 95% CI +0.4 to +3.0), a worsening clear of chance; the SPC chart of the evaluation "
                          "months shows special-cause concern.")


def test_verdict_not_robust_and_extrapolated_is_never_the_headline():
    # The main model reads "better" but one sensitivity analysis does not: the ITS counts as no clear change, and
    # the extrapolated end-of-year effect (RR 0.42) is not quoted as the effect.
    fit = _fake_its(level=(0.73, 0.51, 1.05), end=(0.42, 0.29, 0.60), extrapolation=True)
    fit.effects.loc[0, ["ci_low", "ci_high"]] = [0.55, 0.95]
    table = _fake_sensitivity(fit, "level_change", [BETTER, NONE, BETTER])
    v = verdicts.indicator_verdict("sick", "Sickness absence", better="down",
                                   year={**YEAR, "ci_high": 0.001, "absolute_change": -0.016}, its_sensitivity_table=table,
                                   spc=NONE)
    assert v.readings["interrupted time series"] == NONE and v.its_survives is False and v.its_extrapolation
    assert v.verdict == "no clear change"
    assert "0.42" not in v.sentence
    assert ("the level change at the start was rate ratio 0.73, 95% CI 0.55 to 0.95 (the effect at the end of the "
            "year is not used: its counterfactual, 9.8%, is above every observed month, an extrapolation of the "
            "pre-strategy trend), read as an improvement clear of chance by the main model but not robust to the "
            "sensitivity analyses, so counted as no clear change") in v.sentence
    assert "shows only common-cause variation" in v.sentence


def test_verdict_mixed_sentence_and_difference_scale():
    fit = _fake_its(level=(-0.01, -0.02, -0.005), end=(-0.03, -0.04, -0.02), ratio=False)
    v = verdicts.indicator_verdict("vac", "Vacancy rate", better="down",
                                   its_sensitivity_table=_fake_sensitivity(fit, "effect_at_end", [BETTER, BETTER]),
                                   spc=WORSE)
    assert v.verdict == "mixed evidence"
    assert v.text == "mixed evidence: the interrupted time series shows an improvement but the SPC shows a worsening"
    assert v.sentence == ("Vacancy rate: mixed evidence (the interrupted time series shows an improvement but the "
                          "SPC shows a worsening). Evidence: in the interrupted time series, the effect at the end of "
                          "the year was -3.0 points, 95% CI -4.0 to -2.0, an improvement clear of chance; the SPC "
                          "chart of the evaluation months shows special-cause concern.")


def test_verdict_no_evidence_sentence():
    v = verdicts.indicator_verdict("x", "Something", better="up")
    assert v.verdict == "no evidence" and v.sentence == "Something: no evidence."


def test_sensitivity_sentence_branches():
    fit = _fake_its()
    ok = _fake_sensitivity(fit, "effect_at_end", [NONE, NONE, NONE])
    assert verdicts.sensitivity_sentence("Sickness absence", ok) == (
        "Sickness absence: the interrupted time series conclusion (no clear change) survives all 2 sensitivity "
        "analyses.")
    bad = _fake_sensitivity(fit, "effect_at_end", [BETTER, NONE, BETTER])
    assert verdicts.sensitivity_sentence("Sickness absence", bad) == (
        "Sickness absence: the interrupted time series conclusion (better) does not survive the sensitivity "
        "analyses: alt 1 gives no clear change.")


def test_its_summary_sentence_branches():
    fit = _fake_its()
    ok = _fake_sensitivity(fit, "effect_at_end", [BETTER, BETTER, BETTER])
    assert verdicts.its_summary_sentence("Sickness absence rate", ok) == (
        "Sickness absence rate: In the interrupted time series, the effect at the end of the year was rate ratio "
        "0.60, 95% CI 0.45 to 0.80: an improvement clear of chance, and this survives all 2 sensitivity analyses.")
    extrapolated = _fake_its(extrapolation=True)
    bad = _fake_sensitivity(extrapolated, "level_change", [BETTER, NONE, BETTER])
    assert verdicts.its_summary_sentence("Sickness absence rate", bad) == (
        "Sickness absence rate: In the interrupted time series, the level change at the start was rate ratio 0.80, "
        "95% CI 0.70 to 0.92 (the effect at the end of the year is not used: its counterfactual, 9.8%, is above "
        "every observed month, an extrapolation of the pre-strategy trend): an improvement clear of chance in the "
        "main model, but not in 1 of 2 sensitivity analyses (alt 1), so it is not a robust finding.")
    below = _fake_its(extrapolation=True)
    below.diagnostics.update(counterfactual_end=0.01)
    table = _fake_sensitivity(below, "level_change", [BETTER])
    assert "its counterfactual, 1.0%, is below every observed month" in verdicts.its_summary_sentence("X", table)


# --- ITS sensitivity on real fits -------------------------------------------------------------------------------

def _series(level=-2.0, n_pre=24, n_post=24, seed=7, slope=0.05):
    rng = np.random.default_rng(seed)
    months = pd.date_range("2021-04-01", periods=n_pre + n_post, freq="MS")
    t = np.arange(1, n_pre + n_post + 1)
    y = 20 + slope * t + level * (t > n_pre) + np.sin(2 * np.pi * months.month / 12) + rng.normal(0, 0.4, len(t))
    return pd.DataFrame({"month": months, "rate": y}), months[n_pre]


def test_its_sensitivity_rows_match_direct_fits():
    data, start = _series(slope=0.05)
    table = verdicts.its_sensitivity(data, better="down", date="month", value="rate", start=start)
    assert list(table.columns) == verdicts.SENSITIVITY_COLUMNS
    assert table["analysis"].tolist() == [
        "main model", "without the pre-trend (level change only)",
        "level change only (pre-trend kept, no slope change)", "Newey-West intervals, lag 1",
        "Newey-West intervals, lag 6", "leaving out the first 3 months after the start"]
    main = impact.its(data, date="month", value="rate", start=start, variance="latent_ar1")
    # The trend (+0.6 a year) carried 24 months past the start lies above every observed month, so the headline
    # checked is the level change.
    assert main.diagnostics["extrapolation"] and table.attrs["effect"] == "level_change" == verdicts.its_headline(main)
    level = main.effects.set_index("effect").loc["level_change"]
    assert table.loc[0, "estimate"] == pytest.approx(level["estimate"]) and table.loc[0, "effect"] == "level_change"
    hac1 = impact.its(data, date="month", value="rate", start=start, variance="hac", lag=1)
    assert table.loc[3, "ci_low"] == pytest.approx(hac1.effects.set_index("effect").loc["level_change", "ci_low"])
    no_trend = impact.its(data, date="month", value="rate", start=start, variance="latent_ar1", impact="level",
                          trend=False)
    assert "time" not in set(no_trend.coefficients["term"]) and no_trend.diagnostics["pre_trend"] is None
    assert table.loc[1, "estimate"] == pytest.approx(no_trend.effects.set_index("effect").loc["level_change",
                                                                                               "estimate"])
    # A planted step of -2 on a rise of +0.6 a year: without the pre-trend the post-start months are compared
    # with the pre-strategy mean, which the rise lifts towards them, so that analysis disagrees.
    assert table["reading"].tolist() == [BETTER, NONE, BETTER, BETTER, BETTER, BETTER]
    assert not table.attrs["survives"]
    flat, start = _series(slope=0.0)
    table = verdicts.its_sensitivity(flat, better="down", date="month", value="rate", start=start)
    assert table["reading"].tolist() == [BETTER] * 6 and table.attrs["survives"]


def test_its_sensitivity_detects_a_conclusion_resting_on_the_trend():
    # A rise of 0.1 a month to 12.4, then flat at 11.9 after the start: the step against the trend (about -0.6) is
    # "better", but the post-start months sit above the pre-strategy mean (11.25), so without the pre-trend the
    # estimate is a rise; the unmodelled pre-strategy rise is taken as persistent (AR(1)) noise there, so its
    # interval is wide and the reading is "no clear change": the conclusion rests on the trend.
    months = pd.date_range("2021-04-01", periods=36, freq="MS")
    t = np.arange(1, 37)
    y = np.where(t <= 24, 10 + 0.1 * t, 11.9) + np.random.default_rng(3).normal(0, 0.1, 36)
    table = verdicts.its_sensitivity(pd.DataFrame({"month": months, "rate": y}), better="down", date="month",
                                     value="rate", start=months[24], seasonal=False)
    assert table.loc[0, "reading"] == BETTER
    assert table.attrs["effect"] == "level_change"  # the end-of-year counterfactual (13.6) is an extrapolation
    assert table.set_index("analysis").loc["without the pre-trend (level change only)", "reading"] == NONE
    assert table.set_index("analysis").loc["without the pre-trend (level change only)", "estimate"] > 0
    assert not table.attrs["survives"]


# --- objectives ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("given, rating", [
    (["improved", "improved", "no clear change"], "improving"),
    (["improved", "no clear change", "no clear change", "no clear change"], "mixed evidence"),  # not on amber
    (["worse", "worse"], "worsening"),
    (["no clear change", "no clear change"], "no clear change"),
    (["improved", "improved", "mixed evidence: x"], "mixed evidence"),
    (["improved", "worse", "improved"], "mixed evidence"),
    ([], "no evidence"), (["no evidence"], "no evidence")])
def test_objective_rating_every_branch(given, rating):
    assert verdicts.objective_rating(given) == rating


def test_objective_ratings_use_reconciled_verdicts():
    objectives = {"wellbeing": {"label": "Wellbeing foundations"}, "belonging": {"label": "Belonging"},
                  "empty": {"label": "Empty"}}
    evidence = pd.DataFrame([
        ("wellbeing", "workforce", "sickness_absence_rate_12m", "Sickness", "", "amber"),
        ("wellbeing", "survey", "OLBI.exhaustion", "Exhaustion", "", "green"),
        ("wellbeing", "survey", "SWEMWBS.wellbeing", "Wellbeing", "", "green"),
        ("belonging", "pdsa", "C1", "Idea", "", "green"),
        ("belonging", "training", "T1", "Training", "", "green")],
        columns=["objective", "kind", "id", "label", "finding", "judgement"])
    sick = verdicts.IndicatorVerdict("sickness_absence_rate_12m", "Sickness", "mixed evidence", "why", {}, "")
    survey = pd.DataFrame({"instrument": ["OLBI", "SWEMWBS"], "score": ["exhaustion", "wellbeing"],
                           "verdict": ["no clear change", "improved"]})
    out = verdicts.objective_ratings(evidence, objectives, {"sickness_absence_rate_12m": sick}, survey)
    rows = out.set_index("objective")
    # RAG (sections.RAG_RULE) would call wellbeing green (2 green, 0 red); the reconciled verdicts say mixed.
    assert rows.loc["wellbeing", "rating"] == "mixed evidence"
    assert (rows.loc["wellbeing", "n_improved"], rows.loc["wellbeing", "n_mixed"]) == (1, 1)
    assert rows.loc["belonging", "rating"] == "improving" and rows.loc["empty", "rating"] == "no evidence"
    assert out.attrs["evidence"]["verdict"].tolist() == ["mixed evidence", "no clear change", "improved", "improved",
                                                         "improved"]
    assert verdicts.objective_sentence(rows.loc["wellbeing"].to_dict() | {"label": "Wellbeing foundations"}) == (
        "Wellbeing foundations: mixed evidence (1 of 3 pieces of evidence improved, 0 worse, 1 mixed).")
    assert verdicts.objective_sentence({"label": "Empty", "rating": "no evidence"}) == (
        "Empty: no evidence mapped to this objective in the data.")


# --- multiplicity --------------------------------------------------------------------------------------------------

def test_primary_scores_from_the_instrument_definitions():
    from ttwell.calculations import scales

    assert verdicts.primary_scores(scales.load_instrument("NQPS9")) == {
        "motivation": "secondary of engagement", "involvement": "secondary of engagement",
        "advocacy": "secondary of engagement", "engagement": "primary"}
    wrqol = verdicts.primary_scores(scales.load_instrument("WRQOL"))
    # The 23-item total is primary; its six factors are secondary; item 24 is outside the total, so primary.
    assert wrqol["wrqol_overall"] == "primary" and wrqol["overall_qowl_item"] == "primary"
    assert {k for k, v in wrqol.items() if v == "secondary of wrqol_overall"} == {
        "general_wellbeing", "home_work_interface", "job_career_satisfaction", "control_at_work",
        "working_conditions", "stress_at_work"}
    bpnsw = verdicts.primary_scores(scales.load_instrument("BPNSW"))
    assert bpnsw == {"autonomy": "secondary of need_satisfaction_total",
                     "competence": "secondary of need_satisfaction_total",
                     "relatedness": "secondary of need_satisfaction_total", "need_satisfaction_total": "primary"}
    assert verdicts.primary_scores(scales.load_instrument("OLBI")) == {"exhaustion": "primary",
                                                                      "disengagement": "primary"}


def _survey_table():
    return pd.DataFrame({
        "instrument": ["NQPS9"] * 4 + ["OLBI"] * 2,
        "score": ["motivation", "involvement", "advocacy", "engagement", "exhaustion", "disengagement"],
        "label": ["NQPS9: Motivation", "NQPS9: Involvement", "NQPS9: Advocacy", "NQPS9: Engagement",
                  "OLBI: Exhaustion", "OLBI: Disengagement"],
        "p": [0.001, 0.04, 0.3, 0.01, 0.02, 0.5],
        "judgement": ["green", "green", "amber", "green", "red", "amber"]})


def test_survey_multiplicity_hand_worked():
    out = verdicts.survey_multiplicity(_survey_table())
    assert out["role"].tolist() == ["secondary of engagement"] * 3 + ["primary"] * 3
    # Primary family (engagement 0.01, exhaustion 0.02, disengagement 0.5): 3x0.01 = 0.03, 2x0.02 = 0.04, 0.5.
    # Secondary scores: Holm over all six: sorted 0.001, 0.01, 0.02, 0.04, 0.3, 0.5 -> 0.006, 0.05, 0.08, 0.12,
    # 0.6, 0.5 -> running max 0.006, 0.05, 0.08, 0.12, 0.6, 0.6; motivation 0.006, involvement 0.12, advocacy 0.6.
    assert out["p_holm"].tolist() == pytest.approx([0.006, 0.12, 0.6, 0.03, 0.04, 0.5])
    assert out["verdict"].tolist() == ["improved", "no clear change", "no clear change", "improved", "worse",
                                       "no clear change"]
    assert out.attrs["chance"]["m"] == 3
    assert verdicts.survey_count_sentence(out) == (
        "In the staff survey, 1 of 3 primary scores (each instrument's composite, or its separate scales, counted "
        "once) improved beyond chance after a Holm adjustment (NQPS9: Engagement); 1 worsened (OLBI: Exhaustion). "
        "With 3 scores and no real change, chance alone would give about 0.1 'improvements' at p < 0.05 without "
        "adjustment.")


def test_survey_count_sentence_other_branches():
    table = _survey_table().assign(p=0.5, judgement="amber")
    out = verdicts.survey_multiplicity(table)
    assert verdicts.survey_count_sentence(out) == (
        "In the staff survey, 0 of 3 primary scores (each instrument's composite, or its separate scales, counted "
        "once) improved beyond chance after a Holm adjustment. With 3 scores and no real change, chance alone would "
        "give about 0.1 'improvements' at p < 0.05 without adjustment.")
    assert verdicts.survey_count_sentence(pd.DataFrame()) == "No survey scores were compared between the two years."
    assert verdicts.survey_multiplicity(pd.DataFrame()).empty


# --- the shipped synthetic service: what the reconciled verdict says about sickness absence -------------------------

def test_synthetic_service_sickness_verdict():
    from ttwell.inputs import io, params
    from ttwell.presentation import sections
    from ttwell.calculations import workforce

    p = params.load_params(notebook="annual_impact")
    data = io.load_workforce(params.input_paths(p))
    monthly = workforce.monthly_indicators(data)
    service = monthly[monthly["level"] == "service"].copy()
    service["date"] = service["month"].dt.end_time.dt.normalize()
    sick = service[service["indicator"] == "sickness_absence_rate_month"].dropna(subset=["numerator"])
    years = impact.year_comparison(data, baseline_start="2023-04-01", baseline_end="2024-03-31",
                                   evaluation_start="2024-04-01", evaluation_end="2025-03-31")
    year = years[(years["level"] == "service") & (years["indicator"] == "sickness_absence_rate_12m")].iloc[0]
    table = verdicts.its_sensitivity(sick, better="down", date="date", count="numerator", denominator="denominator",
                                     start="2024-04-01", end_of_year="2025-03-31")
    main = table.attrs["main"]
    # The published-method fit gives the report's 0.42 at the end of the year from a counterfactual of ~9.7%,
    # above every observed month (2.1%-6.9%): an extrapolation, so the headline is the level change.
    assert main.diagnostics["extrapolation"] and main.diagnostics["counterfactual_end"] == pytest.approx(0.0975, abs=5e-4)
    assert table.attrs["effect"] == "level_change"
    # Without the pre-trend the level change is RR 0.80, close to the planted 0.82 (18% fall,
    # ttwell.synth.workforce.SICKNESS_RATIO_AFTER_STRATEGY), but its robust interval includes 1.
    no_trend = table.set_index("analysis").loc["without the pre-trend (level change only)"]
    assert no_trend["estimate"] == pytest.approx(0.80, abs=0.01) and no_trend["ci_low"] < 1 < no_trend["ci_high"]
    charts = sections.indicator_spc(service, ["sickness_absence_rate_month"], baseline_start="2023-04-01",
                                    baseline_end="2024-03-31")
    spc = verdicts.spc_reading(charts["sickness_absence_rate_month"], evaluation_start="2024-04-01")
    v = verdicts.indicator_verdict("sickness_absence_rate_12m", "Sickness absence", better="down", year=year,
                                   its_sensitivity_table=table, spc=spc)
    assert v.text == ("mixed evidence: only the SPC shows an improvement; the year comparison and the interrupted "
                      "time series show no clear change")
    assert v.sentence.startswith("Sickness absence: mixed evidence") and "0.42" not in v.sentence
