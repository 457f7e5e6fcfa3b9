"""Annual impact evaluation: baseline year vs evaluation year, and interrupted time series (ITS).

Two questions, two tools (statistics spec section 2), one module each:

* ``whole_years``: ``year_comparison`` / ``scale_comparison`` — a descriptive, *uncontrolled before-after*
  comparison of two whole years, with a confidence interval for the difference whose method is named on every
  row (the intervals are those of ``ttwell.calculations.statistics``).
* ``interrupted_time_series``: ``its`` — segmented regression on monthly data, the impact model: a quasi-Poisson
  GLM with a log-denominator offset for counts, or segmented OLS with Newey-West (HAC) standard errors for a
  continuous monthly value. The slope-change term is centred at the last pre-intervention month, so the level
  change is the step at the start of the strategy (Lopez Bernal et al. 2017, corrected 2020). Its
  autocorrelation-robust intervals are in ``autocorrelation``.

Example
-------
>>> import numpy as np, pandas as pd
>>> from ttwell.calculations.impact import its
>>> months = pd.date_range("2021-04-01", periods=36, freq="MS")
>>> rng = np.random.default_rng(1)
>>> y = 10 + 0.05 * np.arange(36) - 2.0 * (months >= "2023-04-01") + rng.normal(0, 0.3, 36)
>>> fit = its(pd.DataFrame({"month": months, "rate": y}), date="month", value="rate", start="2023-04-01",
...           seasonal=False, impact="level")
>>> round(float(fit.effects.loc[0, "estimate"]), 1), fit.diagnostics["lag"]
(-2.2, 3)
"""

from ttwell.calculations.impact.autocorrelation import ITS_VARIANCE_METHODS, latent_ar1_covariance
from ttwell.calculations.impact.interrupted_time_series import (HARMONICS, ITSResult, its, its_design,
                                                                its_method_sentence, newey_west_lag)
from ttwell.calculations.impact.whole_years import (CAVEAT_BEFORE_AFTER, DIFFERENCE_METHODS, METHOD_DIFF_NEWCOMBE,
                                                    METHOD_DIFF_POISSON, METHOD_DIFF_RATIO, METHOD_DIFF_WELCH,
                                                    YEAR_COLUMNS, scale_comparison, year_comparison)

__all__ = [
    "CAVEAT_BEFORE_AFTER", "DIFFERENCE_METHODS", "HARMONICS", "ITSResult", "ITS_VARIANCE_METHODS",
    "METHOD_DIFF_NEWCOMBE", "METHOD_DIFF_POISSON", "METHOD_DIFF_RATIO", "METHOD_DIFF_WELCH", "YEAR_COLUMNS", "its",
    "its_design", "its_method_sentence", "latent_ar1_covariance", "newey_west_lag", "scale_comparison",
    "year_comparison",
]
