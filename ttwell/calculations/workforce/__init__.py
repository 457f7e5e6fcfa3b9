"""Workforce indicators of the Staff Wellbeing Data Dashboard (domain spec section 1 and 5.1).

Everything is built from *person-months*: one row per person per calendar month in post, with the calendar
days in post and the FTE days available. Sickness days, leavers and cohorts are then summed per month and
per group. Rolling 12-month figures are always ratios of sums over the window, never means of monthly rates.

Inputs are the validated tables of :class:`ttwell.inputs.io.WorkforceData` (template column names). The output of
:func:`monthly_indicators` is tidy: one row per ``month, level, group, indicator``.

The package holds, in the order a calculation uses them:

* ``options``: the conventions in force (:class:`Options`);
* ``building_blocks``: person-months, counted leavers and sickness days lost;
* ``levels``: stacking a frame once per reporting level (service, team, role family);
* ``monthly``: the monthly indicators and :data:`INDICATORS`, the one list of them;
* ``baseline``: each indicator over a baseline period with its confidence interval;
* ``reasons``: leaving reasons, exit/stay reasons and the HR-only Bradford factor.

Example
-------
>>> from ttwell.inputs import io
>>> from ttwell.calculations import workforce
>>> data = io.load_workforce(paths)                                   # doctest: +SKIP
>>> table = workforce.monthly_indicators(data)                         # doctest: +SKIP
>>> table.query("level == 'service' and indicator == 'sickness_absence_rate_12m'").tail(1)  # doctest: +SKIP
"""

from ttwell.calculations.workforce.baseline import BASELINE_COLUMNS, baseline_summary, period_months
from ttwell.calculations.workforce.levels import LEVELS, SERVICE_GROUP
from ttwell.calculations.workforce.monthly import (INDICATORS, OUTPUT_COLUMNS, SERVICE_ONLY, monthly_indicators,
                                                   service_level)
from ttwell.calculations.workforce.options import FULL_TIME_HOURS_PER_WEEK, LONG_TERM_DAYS, SCOPES, Options
from ttwell.calculations.workforce.building_blocks import (absence_days, leavers_counted, person_months,
                                                         staff_in_post)
from ttwell.calculations.workforce.reasons import bradford_factor, exit_stay_reasons, leaving_reasons

__all__ = ["BASELINE_COLUMNS", "FULL_TIME_HOURS_PER_WEEK", "INDICATORS", "LEVELS", "LONG_TERM_DAYS", "OUTPUT_COLUMNS",
           "Options", "SCOPES", "SERVICE_GROUP", "SERVICE_ONLY", "absence_days", "baseline_summary",
           "bradford_factor", "exit_stay_reasons", "leavers_counted", "leaving_reasons", "monthly_indicators",
           "period_months", "person_months", "service_level", "staff_in_post"]
