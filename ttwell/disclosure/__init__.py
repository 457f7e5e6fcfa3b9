"""Stage 3, disclosure: the only place that decides what may be shown (domain spec 4.2).

One :class:`Policy` (audience, threshold), built once from the parameters, is applied as the last step to every
finished table, chart series, sentence, workbook cell, CSV and ``results.json``. The rules are applied in
:mod:`ttwell.disclosure.policy`, their settings (rule sets, count band and rounding) live in
:mod:`ttwell.disclosure.rules`, and survey and training groups are regrouped first in
:mod:`ttwell.disclosure.groups`; this package exports what the rest of ttwell uses.
"""

from ttwell.disclosure.groups import NO_TEAM, merge_small_groups, with_no_team
from ttwell.disclosure.policy import Disclosed, Policy, combine, disclose, disclose_indicators, footnote
from ttwell.disclosure.rules import (COUNT_BASED_RATES, HEALTH_REASONS, JUDGEMENT_COLUMNS, MONTH_BY_MONTH,
                                     RELATED_INDICATORS, SAME_NUMERATOR, SERVICE_ONLY_FOR_STAFF_WIDE, SUPPRESSED_MARK,
                                     assert_no_identifiers, check_settings, round_hr_count)
from ttwell.inputs.params import AUDIENCES, DEFAULT_THRESHOLD, MINIMUM_THRESHOLD

__all__ = ["AUDIENCES", "COUNT_BASED_RATES", "DEFAULT_THRESHOLD", "Disclosed", "HEALTH_REASONS", "JUDGEMENT_COLUMNS",
           "MINIMUM_THRESHOLD", "MONTH_BY_MONTH", "NO_TEAM", "Policy", "RELATED_INDICATORS", "SAME_NUMERATOR",
           "SERVICE_ONLY_FOR_STAFF_WIDE", "SUPPRESSED_MARK", "assert_no_identifiers", "check_settings", "combine",
           "disclose", "disclose_indicators", "footnote", "merge_small_groups", "round_hr_count", "with_no_team"]
