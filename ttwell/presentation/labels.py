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
PARAMETERS = {
    "service_name": "Service",
    "audience": "Audience",
    "disclosure_threshold": "Smallest group shown",
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
}


def words(code: str) -> str:
    """An identifier written out as words: ``caseload_workload`` -> ``Caseload workload``."""
    text = str(code)
    text = re.sub(r"_pct$", " (%)", text).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


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
    return words(value) if IDENTIFIER.match(value) else value


def frame(table: pd.DataFrame, extra: dict | None = None) -> pd.DataFrame:
    """A copy of ``table`` whose text cells are labelled (numbers, dates and missing values untouched)."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: label(v, extra))
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
