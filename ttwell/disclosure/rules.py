"""The settings of the disclosure rules (domain spec 4.2): which indicators each rule names, the NHS Digital
count band and its rounding, and the refusals (unknown audience, low threshold, identifier columns).

:class:`ttwell.disclosure.policy.Policy` applies them; the rules themselves are described there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.errors import DisclosureError, ParameterError
from ttwell.inputs.params import AUDIENCES, DEFAULT_THRESHOLD, MINIMUM_THRESHOLD
from ttwell.inputs.templates import IDENTIFIER_COLUMNS

HR_COUNT_SUPPRESS_BELOW = 8  # NHS Digital: 1-7 suppressed, 8+ rounded to the nearest 5
SUPPRESSED_MARK = "[c]"
# Text columns that carry a finding about the group: emptied with its numbers when a row is suppressed.
JUDGEMENT_COLUMNS = {"judgement", "rag", "variation", "variation_icon", "assurance_icon", "flag", "signal",
                     "point_type", "rule", "verdict", "finding", "caveat_group", "not_estimable_reason", "caution"}
# Rates whose numerator and denominator are counts of people: staff-wide, below service level, they are
# recomputed from rounded counts (rule 2). Their intervals are recomputed from the same rounded counts.
COUNT_BASED_RATES = {"leaver_rate_hc_12m": "exact Poisson", "voluntary_leaver_rate_hc_12m": "exact Poisson",
                     "leaver_rate_excl_training_hc_12m": "exact Poisson", "stability_index_nhs_12m": "Wilson",
                     "stability_index_1yr_service": "Wilson"}
# FTE-weighted leaver rates have no count behind them to round: staff-wide they are shown at service level only.
SERVICE_ONLY_FOR_STAFF_WIDE = {"leaver_rate_fte_12m", "voluntary_leaver_rate_fte_12m"}
# Month-by-month figures (not rolling): below service level, staff-wide, they would allow differencing (rule 5).
MONTH_BY_MONTH = {"staff_in_post_headcount", "staff_in_post_fte", "joiners", "sickness_absence_rate_month",
                  "vacancy_rate_fte"}
# Health data: absence reasons (rule 7), for every audience.
HEALTH_REASONS = {"mental_health_share_of_days_lost_12m"}
# Totals that equal the sum of their parts, for the same group and month (rule 4 across related indicators).
RELATED_INDICATORS = {
    "sickness_absence_rate_12m": ("short_term_sickness_rate_12m", "long_term_sickness_rate_12m"),
}
# An indicator whose figure is another's numerator over a different denominator hides with it.
SAME_NUMERATOR = {"long_term_sickness_rate_12m": "long_term_share_of_days_lost_12m"}


def check_settings(audience: str, threshold: int) -> None:
    """Refuse an unknown audience or a threshold below the floor, with a plain message."""
    if audience not in AUDIENCES:
        raise ParameterError(f"audience must be one of {', '.join(AUDIENCES)}; got '{audience}'.")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < MINIMUM_THRESHOLD:
        raise ParameterError(f"disclosure_threshold must be a whole number of at least {MINIMUM_THRESHOLD} "
                             f"(default {DEFAULT_THRESHOLD}); got {threshold!r}.")


def assert_no_identifiers(table: pd.DataFrame, what: str = "This table") -> None:
    """Raise :class:`DisclosureError` if a column identifies a person or a record about one person."""
    found = sorted(IDENTIFIER_COLUMNS.intersection(map(str, table.columns)))
    if found:
        raise DisclosureError(f"{what} carries identifier column(s) {', '.join(found)}; identifiers must never "
                              "appear in an output. Aggregate first.")


def round_hr_count(count: float) -> float:
    """NHS Digital rule: 0 -> 0; 1-7 -> suppressed (NaN); 8+ -> nearest 5, halves rounded up."""
    if pd.isna(count):
        return np.nan
    if count == 0:
        return 0.0
    if count < HR_COUNT_SUPPRESS_BELOW:
        return np.nan
    return float(np.floor(count / 5 + 0.5) * 5)


def few_people(values: pd.Series) -> pd.Series:
    """1 to 7 (people or events): the NHS Digital band that is never shown."""
    return values.notna() & (values >= 1) & (values < HR_COUNT_SUPPRESS_BELOW)
