"""Statistical process control: Making Data Count XmR charts, Anhøj run charts and p/u/c charts.

Computation only; :mod:`ttwell.presentation.charts` draws the results. Every function takes a long (tidy) DataFrame with a
date column and a value column (optionally a facet column, one chart per facet) and returns a result holding a
per-point table and a summary table. The rules follow the reference peers exactly as written down in
``spc.md``. One module per family:

* :mod:`.xmr_chart` -- :func:`xmr`, NHS England's *Making Data Count* (MDC) XmR chart as implemented by
  NHSRplotthedots 0.2.2 (``ptd_spc``): 2.66 x mean moving range limits, moving-range screening, rebase, fixed
  baseline, the astronomical-point / trend / two-in-three / shift rules, improvement direction, variation and
  assurance icons.
* :mod:`.runs` -- :func:`run_chart`, Anhøj's runs rules as in qicharts2 0.8.1 (longest run and number of
  crossings), and their limits :func:`longest_run_max`, :func:`n_crossings_min`.
* :mod:`.attribute` -- :func:`p_chart`, :func:`u_chart`, :func:`c_chart`, qicharts2's Shewhart charts for
  proportions, rates and counts (varying denominators), with the points beyond the limits and the Anhøj runs
  signal per segment.
* :mod:`.core` -- constants, the result types, point types, the variation and assurance icons and their words;
  :mod:`.prepare` -- reading, checking, sorting and segmenting the input (dates through
  :mod:`ttwell.inputs.dates`).

Where ttwell deliberately departs from a peer it says so in the docstring (missing values and missing months are
refused rather than kept, degenerate zero moving ranges give a warning instead of absurd limits, facets without
a target get no assurance icon).

Example
-------
>>> import pandas as pd
>>> from ttwell.calculations import spc
>>> frame = pd.DataFrame({"month": pd.date_range("2023-04-01", periods=24, freq="MS"),
...                       "sickness_pct": [4.1, 4.3, 3.9, 4.6, 4.2, 4.4, 4.0, 4.5, 4.8, 4.7, 4.3, 4.1,
...                                        3.6, 3.5, 3.4, 3.7, 3.3, 3.5, 3.2, 3.6, 3.4, 3.1, 3.5, 3.3]})
>>> result = spc.xmr(frame, date="month", value="sickness_pct", improvement_direction="decrease")
>>> result.summary.loc[0, "variation_icon"]
'improvement_low'
"""

import importlib

from ttwell.calculations.spc.core import (ASSURANCE_ICONS, ASSURANCE_TEXT, DIRECTIONS, LIMIT_MULTIPLIER,
                                          MIN_FIX_AFTER_N_POINTS, MIN_USEFUL_RUNS_POINTS, MISSING_POLICIES,
                                          MR_SCREEN_MULTIPLIER, NO_FACET, POINT_COLUMNS, POINT_TYPES, RULES,
                                          SHORT_SERIES_POINTS, SIDES, TWO_SIGMA_MULTIPLIER, TWO_SIGMA_RULES,
                                          VARIATION_ICONS, VARIATION_TEXT, RunChartResult, SPCResult,
                                          assurance_icon, icon_text, trial_limits_note, variation_icon)
from ttwell.calculations.spc.prepare import parse_numbers
from ttwell.calculations.spc.xmr_chart import xmr

# The run chart and the p, u and c charts load when first used (PEP 562): the XmR chart is the common first call
# and importing modules it does not need would cost it more than its own arithmetic on 10,000 points.
_LAZY = {"run_chart": "runs", "longest_run_max": "runs", "n_crossings_min": "runs", "runs": "runs",
         "p_chart": "attribute", "u_chart": "attribute", "c_chart": "attribute", "attribute": "attribute"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_LAZY[name]}")
    value = module if name == _LAZY[name] else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "xmr", "run_chart", "p_chart", "u_chart", "c_chart", "SPCResult", "RunChartResult",
    "longest_run_max", "n_crossings_min", "variation_icon", "assurance_icon", "icon_text", "trial_limits_note",
    "parse_numbers", "VARIATION_TEXT", "ASSURANCE_TEXT", "LIMIT_MULTIPLIER", "TWO_SIGMA_MULTIPLIER",
    "MR_SCREEN_MULTIPLIER", "SHORT_SERIES_POINTS", "MIN_FIX_AFTER_N_POINTS", "MIN_USEFUL_RUNS_POINTS",
    "DIRECTIONS", "RULES", "SIDES", "POINT_TYPES", "VARIATION_ICONS", "ASSURANCE_ICONS", "TWO_SIGMA_RULES",
    "MISSING_POLICIES", "NO_FACET", "POINT_COLUMNS",
]
