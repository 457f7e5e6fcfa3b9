"""The general statistical tests and intervals of the kit, one function per test (as pingouin), in one place.

Pre/post training (``prepost``), the annual impact comparison (``impact``), verdicts, workforce indicators and
survey summaries all call these; each is a thin, documented call into scipy or statsmodels set to reproduce
R's defaults, with a known-answer test in ``tests/test_statistics.py``.

* ``parametric``: :func:`paired_t`, :func:`welch_t`
* ``nonparametric``: :func:`wilcoxon_signed_rank`, :func:`mcnemar_test`
* ``effect_size``: :func:`effect_sizes` (d_z, d_av, Hedges' g_z), :func:`hedges_j`
* ``multiplicity``: :func:`holm`, :func:`chance_improvements`
* ``intervals``: :func:`wilson_interval`, :func:`poisson_rate_interval`, :func:`ratio_interval`,
  :func:`newcombe_difference`, :func:`poisson_rate_difference`, :func:`independent_difference`, and the
  not-estimable reasons of zero-width intervals

The tests return one-row DataFrames with documented columns; the intervals return ``(estimate, low, high)``.
"""

from ttwell.calculations.statistics.effect_size import METHOD_EFFECT_SIZES, effect_sizes, hedges_j
from ttwell.calculations.statistics.intervals import (
    INTERVALS, METHOD_NEWCOMBE, METHOD_NONE_CENSUS, METHOD_NONE_FTE, METHOD_POISSON, METHOD_RATIO_MONTHS,
    METHOD_RATIO_PEOPLE, METHOD_WILSON, REASON_ZERO_VARIANCE, add_not_estimable_reasons, independent_difference,
    newcombe_difference, not_estimable_reason, poisson_rate_difference, poisson_rate_interval, ratio_interval,
    wilson_interval)
from ttwell.calculations.statistics.multiplicity import chance_improvements, holm
from ttwell.calculations.statistics.nonparametric import (
    DIFF_DECIMALS, METHOD_MCNEMAR_CHI2, METHOD_MCNEMAR_EXACT, METHOD_WILCOXON_EXACT, METHOD_WILCOXON_NORMAL,
    mcnemar_test, wilcoxon_signed_rank)
from ttwell.calculations.statistics.parametric import (
    METHOD_PAIRED_T, REASON_FEW_PAIRS, REASON_ZERO_SPREAD, paired_t, welch_t)

__all__ = [
    "DIFF_DECIMALS", "INTERVALS", "METHOD_EFFECT_SIZES", "METHOD_MCNEMAR_CHI2", "METHOD_MCNEMAR_EXACT",
    "METHOD_NEWCOMBE", "METHOD_NONE_CENSUS", "METHOD_NONE_FTE", "METHOD_PAIRED_T", "METHOD_POISSON",
    "METHOD_RATIO_MONTHS", "METHOD_RATIO_PEOPLE", "METHOD_WILCOXON_EXACT", "METHOD_WILCOXON_NORMAL", "METHOD_WILSON",
    "REASON_FEW_PAIRS", "REASON_ZERO_SPREAD", "REASON_ZERO_VARIANCE", "add_not_estimable_reasons",
    "chance_improvements", "effect_sizes", "hedges_j", "holm", "independent_difference", "mcnemar_test",
    "newcombe_difference", "not_estimable_reason", "paired_t", "poisson_rate_difference", "poisson_rate_interval",
    "ratio_interval", "welch_t", "wilcoxon_signed_rank", "wilson_interval",
]
