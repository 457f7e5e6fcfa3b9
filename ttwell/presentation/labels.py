"""Labels: the one place that turns ttwell's codes into the words a reader sees.

Tables, charts, the HTML, the Word paper and the workbook show indicator names, role families, reasons, team
names, Making Data Count icons (a symbol and words) and PDSA measures by name, never the snake_case identifiers
the calculators use. :func:`label` knows every code ttwell itself produces; anything else that looks like an
identifier (``caseload_workload``) is written out as words ("Caseload workload"), so a code never reaches a
reader even when a service adds its own.

Example
-------
>>> from ttwell.presentation.labels import label
>>> label("role_family"), label("improvement_low"), label("caseload_workload")
('Role family', '▼ Special cause improvement (low)', 'Caseload workload')
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

# An identifier as the calculators write one: lower-case words joined by underscores.
IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
# A survey wave id as services name them in survey_waves.csv: "2024_baseline", "2025_follow_up".
WAVE_ID = re.compile(r"^\d{4}(?:_[a-z0-9]+)+$")
# An identifier inside a sentence (a method description, a note); a file name the user gave is left alone.
IN_TEXT = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?!\.(?:csv|xlsx|xls|yaml|yml))")

LEVELS = {"service": "Whole service", "team": "Team", "role_family": "Role family", "reason": "Reason group"}

# Making Data Count icons: a symbol as well as words, so meaning never rests on colour alone.
def _icons() -> tuple[dict, dict]:
    from ttwell.calculations.spc import ASSURANCE_TEXT, VARIATION_TEXT

    symbols = {"common": "●", "high": "▲", "low": "▼"}
    variation = {code: f"{symbols['common' if code == 'common_cause' else code.rsplit('_', 1)[1]]} {text}"
                 for code, text in VARIATION_TEXT.items()}
    marks = {"consistent_pass": "✔", "consistent_fail": "✘", "inconsistent": "?"}
    assurance = {code: f"{marks[code]} {text}" for code, text in ASSURANCE_TEXT.items()}
    return variation, assurance


VARIATION_ICONS, ASSURANCE_ICONS = _icons()
POINT_TYPES = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause (high)",
    "special_cause_neutral_low": "Special cause (low)",
}
# Words for the codes of ttwell's own tables and models (column names and categories).
TERMS = {
    "level_change": "Level change at the start",
    "slope_change": "Change in trend (per year)",
    "effect_at_end": "Effect at the end of the evaluation year",
    "post_t": "Trend after the start",
    "d_z": "Cohen's d (z)",
    "d_av": "Cohen's d (av)",
    "hedges_gz": "Hedges' g (z)",
    "n_respondents": "Respondents",
    "n_people": "People",
    "n_citing": "Respondents citing it",
    "share_of_respondents": "Share of respondents",
    "reason_code": "Reason",
    "reason_group": "Reason group",
    "voluntary_leavers": "Voluntary leavers",
    "all_leavers": "All leavers",
    "other_unknown": "Other or not known",
    "end_of_contract": "End of contract",
    "sub_score": "Sub-score",
    "first_date": "First date",
    "last_date": "Last date",
    "ci_low": "95% CI from",
    "ci_high": "95% CI to",
    "internal_management": "Service leadership and HR",
    "staff_wide": "All staff",
    "need_satisfaction_total": "Total need satisfaction",
}
# Column headings of ttwell's tables (the workbook shows every column; the HTML shows a chosen few).
HEADINGS = {
    # workforce indicators and SPC summaries
    "indicator": "Indicator", "label": "Name", "level": "Level", "group": "Group", "unit": "Unit", "value": "Value",
    "numerator": "Numerator", "denominator": "Denominator", "n_numerator_people": "People in the numerator",
    "interval": "Interval method", "not_estimable_reason": "Why not estimable", "suppression_reason": "Why suppressed",
    "caution": "Caution", "baseline_mean": "Baseline mean", "lower_limit": "Lower limit", "upper_limit": "Upper limit",
    "latest_value": "Latest value", "variation": "Variation", "special_cause_points": "Special-cause points",
    "warnings": "Warnings", "leavers": "Leavers", "share": "Share", "total_leavers": "All leavers",
    "direction": "Direction", "month": "Month", "date": "Date",
    # surveys
    "wave_id": "Wave", "eligible_n": "Eligible staff", "response_rate": "Response rate", "year": "Year",
    "measure_type": "Type", "measure_id": "Measure", "measure": "Measure name", "score": "Score",
    "benchmark_median": "Benchmark median", "difference": "Difference", "n_responses": "Responses",
    "breakdown_value": "Breakdown", "instrument": "Instrument", "mean": "Mean", "sd": "SD",
    "p25": "25th percentile", "median": "Median", "p75": "75th percentile", "scale_min": "Scale minimum",
    "scale_max": "Scale maximum", "higher_is": "Higher is", "subscale": "Subscale", "alpha": "Alpha",
    "n_complete": "Complete responses", "n_items": "Items", "coefficient": "Coefficient", "method": "Method",
    "flag": "Flag", "input": "Input", "file": "File", "rows": "Rows", "encoding": "Encoding",
    # annual impact
    "value_baseline": "Baseline year", "value_evaluation": "Evaluation year", "absolute_change": "Change",
    "relative_change": "Relative change", "n_baseline": "n (baseline)", "n_evaluation": "n (evaluation)",
    "judgement": "Judgement", "mean_baseline": "Mean (baseline)", "sd_baseline": "SD (baseline)",
    "mean_evaluation": "Mean (evaluation)", "sd_evaluation": "SD (evaluation)", "t": "t",
    "dof": "Degrees of freedom", "df": "Degrees of freedom", "p": "p", "objective": "Objective", "kind": "Source",
    "id": "Evidence", "finding": "Finding", "verdict": "Verdict", "n_evidence": "Pieces of evidence",
    "n_improved": "Improved", "n_worse": "Worse", "n_mixed": "Mixed", "rating": "Rating",
    # PDSA
    "project_id": "Project", "cycle_id": "Cycle", "change_idea": "Change idea", "start_date": "Started",
    "judged_until": "Judged until", "status": "Status", "act_decision": "Decision (act)",
    "prediction_confirmed": "Prediction confirmed", "lpl": "Lower process limit", "upl": "Upper process limit",
    "n_after": "Points after the change", "first_signal_date": "First signal", "first_signal_rule": "First signal rule",
    "signal": "Signal", "runs_signal_frozen_baseline": "Run signal against the frozen baseline",
    "data_verdict": "What the data say", "decision_vs_data": "Decision against the data",
    # pre/post training
    "programme_id": "Programme", "area": "Area", "area_label": "Area name", "n_matched": "Both forms",
    "n_pre_only": "Before only", "n_post_only": "After only", "n_matched_all_areas": "Both forms, every area",
    "mean_pre": "Mean before", "sd_pre": "SD before", "mean_post": "Mean after", "sd_post": "SD after",
    "mean_change": "Mean change", "sd_change": "SD of the changes", "median_change": "Median change",
    "p_holm": "p (Holm)", "share_improved": "Share improved", "wilcoxon_v": "Wilcoxon V",
    "n_nonzero": "Non-zero changes", "wilcoxon_p": "Wilcoxon p", "wilcoxon_p_holm": "Wilcoxon p (Holm)",
    "threshold": "Threshold", "n_above_pre": "Above the threshold before",
    "share_above_pre": "Share above before", "share_above_pre_low": "Share above before: 95% CI from",
    "share_above_pre_high": "Share above before: 95% CI to", "n_above_post": "Above the threshold after",
    "share_above_post": "Share above after", "share_above_post_low": "Share above after: 95% CI from",
    "share_above_post_high": "Share above after: 95% CI to", "mcnemar_b": "McNemar b", "mcnemar_c": "McNemar c",
    "mcnemar_statistic": "McNemar statistic", "mcnemar_p": "McNemar p", "mcnemar_method": "McNemar method",
    "holm_method": "Holm method", "team_code": "Team", "timepoint": "When", "n_teams": "Teams",
    "team_mean_sd": "SD of team means", "team_mean_min": "Lowest team mean", "team_mean_max": "Highest team mean",
    "team_mean_range": "Range of team means", "team_mean_p25": "Team means: 25th percentile",
    "team_mean_p75": "Team means: 75th percentile", "team_mean_iqr": "Team means: interquartile range",
    "share_above_min": "Lowest team share above", "share_above_max": "Highest team share above",
    "share_above_range": "Range of team shares above", "icc": "ICC", "tau2": "Between-team variance (tau squared)",
    "sigma2": "Within-team variance (sigma squared)", "icc_converged": "ICC model converged", "icc_note": "ICC note",
}
# Units of a figure or a row of a tidy table.
UNITS = {"proportion": "Proportion (shown as %)", "count": "Count", "people": "People", "headcount": "Headcount",
         "fte": "FTE", "percent": "0 to 100 scale", "percentage points": "Percentage points"}
# Names of software functions and model terms inside method descriptions, in words.
IN_PROSE = {
    "post_t": "post × t",
    "ttest_rel": "ttest rel (paired t-test)",
    "proportion_confint": "proportion confint",
    "hedges_g": "Hedges' g",
    "mle_retvals": "the optimiser's return values",
}
PARAMETERS = {
    "service_name": "Service",
    "audience": "Audience",
    "disclosure_threshold": "Smallest group shown",
    "results_dirs": "Services compared",
    "period_start": "Period from",
    "period_end": "Period to",
    "baseline_start": "Baseline from",
    "baseline_end": "Baseline to",
    "evaluation_start": "Evaluation year from",
    "evaluation_end": "Evaluation year to",
    "strategy_start": "Strategy started",
    "confidence_scale": "Confidence scale",
    "confidence_threshold": "Confident means above (%)",
    "column_maps": "Column maps",
    "leave_of_absence_as_leaver": "Maternity leave and career breaks counted as leaving",
    "leaver_scope": "Leavers counted from the (service or trust)",
    "stability_one_year_days": "Days that make one year of service",
    "other_results_dir": "Other reports read from",
    "pdsa_log_file": "PDSA log file",
    "rebase_spc_at_strategy": "SPC limits recalculated at the strategy start",
    "its_lag": "Months before the strategy takes effect",
    "show_survey_cutoffs": "Published survey cut-offs shown",
    "improvement_directions": "Direction of improvement by measure",
    "targets": "Targets by measure",
}


def words(code: str) -> str:
    """An identifier written out as words: ``caseload_workload`` -> ``Caseload workload``."""
    text = str(code)
    text = re.sub(r"_pct$", " (%)", text).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


_ACRONYMS = {"spc", "nss", "pdsa", "ci", "esr", "fte", "its", "icc", "sd", "hr", "id", "olbi", "cbi", "tps"}


def plain_words(name: str) -> str:
    """A name in plain words with its acronyms in capitals (sheet names, table titles).

    Examples
    --------
    >>> plain_words("nss_published_scores")
    'NSS published scores'
    >>> plain_words("overall_mean_pre")
    'Overall mean pre'
    """
    parts = [w for w in re.split(r"[_\s]+", str(name).strip()) if w]
    if not parts:
        return ""
    out = [w.upper() if w.lower() in _ACRONYMS else w.lower() for w in parts]
    if out[0] == out[0].lower():
        out[0] = out[0][0].upper() + out[0][1:]
    return " ".join(out)


def label(value, extra: dict | None = None):
    """The reader's word for a code; any other value is returned unchanged.

    ``extra`` adds or overrides labels (team names, instrument score labels, PDSA measure names). A string
    that looks like an identifier but has no label is written out as words.
    """
    if not isinstance(value, str):
        return value
    for table in (extra or {}, LEVELS, VARIATION_ICONS, ASSURANCE_ICONS, POINT_TYPES, TERMS, PARAMETERS,
                  _indicator_labels(), _role_family_labels()):
        if value in table:
            return table[value]
    return words(value) if IDENTIFIER.match(value) or WAVE_ID.match(value) else value


def heading(column, extra: dict | None = None) -> str:
    """A column's heading: ``n_people`` -> ``People``, ``ci_low`` -> ``95% CI from``, ``value`` -> ``Value``."""
    name = str(column)
    for table in (extra or {}, HEADINGS, TERMS, PARAMETERS):
        if name in table:
            return table[name]
    return words(name) if IDENTIFIER.match(name) or name == name.lower() else name


def headings(columns, extra: dict | None = None) -> list[str]:
    """Headings of a table's columns, unique (an Excel table needs unique headings): a repeat gets " (2)"."""
    out: list[str] = []
    for column in columns:
        text, n = heading(column, extra), 2
        while text.lower() in (o.lower() for o in out):
            text = f"{heading(column, extra)} ({n})"
            n += 1
        out.append(text)
    return out


def unit(value) -> str:
    """A unit in words: ``proportion`` -> ``Proportion (shown as %)``."""
    return UNITS.get(value, label(value)) if isinstance(value, str) else value


def prose(text, extra: dict | None = None):
    """A sentence with any identifier in it written in words; a sentence without one is returned unchanged.

    A whole cell that is a code gets its label; inside a sentence known terms get theirs (``d_z`` -> "Cohen's d
    (z)") and other identifiers lose their underscores (a software name stays recognisable).
    """
    if not isinstance(text, str):
        return text
    whole = label(text, extra)
    if whole != text:
        return whole

    def one(match: re.Match) -> str:
        code = match.group(0)
        for table in (IN_PROSE, extra or {}, TERMS, _indicator_labels(), _role_family_labels()):
            if code in table:
                return table[code]
        return re.sub(r"_pct$", " (%)", code).replace("_", " ")

    return IN_TEXT.sub(one, text)


def cell(column, value, extra: dict | None = None):
    """A table cell as a reader sees it: units in words, codes labelled, identifiers in sentences in words."""
    if not isinstance(value, str):
        return value
    if str(column) == "unit":
        return unit(value)
    return prose(value, extra)


def frame(table: pd.DataFrame, extra: dict | None = None, *, columns: bool = False) -> pd.DataFrame:
    """A copy of ``table`` whose text cells are labelled (numbers, dates and missing values untouched).

    With ``columns=True`` the column names become headings (:func:`headings`) as well.
    """
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v, c=column: cell(c, v, extra))
    if columns:
        out.columns = headings(out.columns)
    return out


def measure(measure_id: str, names: dict | None = None) -> str:
    """A PDSA measure's name: from the service's own names when given, else its id as words."""
    return (names or {}).get(measure_id) or words(measure_id)


@lru_cache(maxsize=1)
def _indicator_labels() -> dict:
    from ttwell.calculations.workforce import INDICATORS

    return {code: spec[0] for code, spec in INDICATORS.items()}


@lru_cache(maxsize=1)
def _role_family_labels() -> dict:
    from ttwell.inputs.templates import ROLE_FAMILY_LABELS

    return dict(ROLE_FAMILY_LABELS)
