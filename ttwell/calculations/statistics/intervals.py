"""Confidence intervals: a proportion (Wilson), a rate (exact Poisson), a ratio of sums (clustered), and the
difference of two proportions (Newcombe), of two rates (Wald) or of two independent estimates.

Every function returns ``(estimate, low, high)`` and has a ``METHOD_*`` sentence that reports quote, so a
reader is always told which interval was used and why; ``INTERVALS`` maps the short name shown in tables to it.

Example
-------
>>> from ttwell.calculations.statistics import wilson_interval
>>> [round(x, 3) for x in wilson_interval(8, 10)]
[0.8, 0.49, 0.943]
"""

from __future__ import annotations

import numpy as np

# statsmodels is imported inside each function: it takes about a second to import, and the command line
# (which imports this module through ttwell.calculations.workforce) should start quickly.

# Short names shown in tables, each with the sentence a report prints once to explain it.
METHOD_WILSON = ("Wilson score interval: a proportion of a fixed group of people; it stays inside 0-100% and "
                 "behaves well for small groups and values near 0% or 100%.")
METHOD_POISSON = ("exact Poisson (Garwood) interval on the count of events, divided by the average staff in post: "
                  "leavers are events that can include people who joined and left in the period, so the count, "
                  "not a proportion, is what varies by chance.")
METHOD_RATIO_PEOPLE = ("ratio-of-sums estimate with a delta-method (linearised) interval clustered on people: days "
                       "lost are bunched within people, so each person is treated as one unit, not each day.")
METHOD_RATIO_MONTHS = ("ratio-of-sums estimate with a delta-method (linearised) interval clustered on months: each "
                       "month's establishment and vacancies are treated as one unit.")
METHOD_NONE_CENSUS = "no interval: a count of everyone in post (a census), not an estimate."
METHOD_NONE_FTE = "no interval: FTE-weighted leavers are not a count; see the headcount rate's interval."

INTERVALS = {
    "Wilson": METHOD_WILSON,
    "exact Poisson": METHOD_POISSON,
    "clustered ratio (people)": METHOD_RATIO_PEOPLE,
    "clustered ratio (months)": METHOD_RATIO_MONTHS,
    "none (census)": METHOD_NONE_CENSUS,
    "none (FTE-weighted)": METHOD_NONE_FTE,
}


def wilson_interval(successes: float, n: float, alpha: float = 0.05) -> tuple[float, float, float]:
    """Proportion with its Wilson score interval (statsmodels ``proportion_confint(method="wilson")``).

    Parameters
    ----------
    successes, n : float
        Number with the characteristic and group size; ``n <= 0`` gives ``(nan, nan, nan)``.
    alpha : float
        1 - confidence level.

    Returns
    -------
    tuple of float
        ``(p, low, high)`` with p = successes / n.

    Notes
    -----
    With z = z_{1-alpha/2}: (p + z^2/(2n) -/+ z sqrt(p(1 - p)/n + z^2/(4n^2))) / (1 + z^2/n)
    (Wilson 1927; R ``prop.test(x, n, correct = FALSE)$conf.int``; Newcombe 1998a, Stat Med 17:857, method 3).

    Examples
    --------
    >>> [round(v, 4) for v in wilson_interval(81, 263)]
    [0.308, 0.2553, 0.3662]
    """
    from statsmodels.stats.proportion import proportion_confint

    if n <= 0:
        return (np.nan, np.nan, np.nan)
    low, high = proportion_confint(successes, n, alpha=alpha, method="wilson")
    return (successes / n, float(low), float(high))


def poisson_rate_interval(count: float, exposure: float, alpha: float = 0.05) -> tuple[float, float, float]:
    """Events per unit of exposure with the exact (Garwood) Poisson interval (statsmodels ``confint_poisson``).

    Notes
    -----
    For a count x: low = chi2_{alpha/2}(2x) / 2, high = chi2_{1-alpha/2}(2x + 2) / 2 (low = 0 when x = 0), each
    divided by the exposure (Garwood 1936; R ``poisson.test(x, T)$conf.int``). ``exposure <= 0`` gives NaNs.

    Examples
    --------
    >>> [round(v, 4) for v in poisson_rate_interval(10, 1)]
    [10.0, 4.7954, 18.3904]
    """
    from statsmodels.stats.rates import confint_poisson

    if exposure <= 0:
        return (np.nan, np.nan, np.nan)
    low, high = confint_poisson(count, exposure, method="exact-c", alpha=alpha)
    return (count / exposure, float(low), float(high))


def ratio_interval(numerators, denominators, alpha: float = 0.05) -> tuple[float, float, float]:
    """Ratio of sums Σy/Σx with a cluster-level (linearised, delta-method) interval.

    Each element is one cluster (for example one person's FTE days lost and available over the period).
    The ratio is the weighted least-squares mean of y/x with weights x; its HC1 robust standard error is
    the textbook linearisation variance of a ratio estimator, n/(n-1) Σ(y - R x)² / (Σx)² (Cochran 1977,
    Sampling Techniques, 6.9), with a normal interval whose lower limit is clipped at 0. When every cluster has
    the same ratio the interval is the zero-width (R, R, R) (see :func:`not_estimable_reason`); one cluster gives
    (R, nan, nan).

    Examples
    --------
    >>> est, low, high = ratio_interval([1, 2, 3], [10, 10, 10])
    >>> round(est, 3)
    0.2
    """
    y = np.asarray(numerators, dtype=float)
    x = np.asarray(denominators, dtype=float)
    keep = x > 0
    y, x = y[keep], x[keep]
    if len(x) == 0:
        return (np.nan, np.nan, np.nan)
    estimate = y.sum() / x.sum()
    if len(x) < 2 or np.allclose(y / x, estimate):
        return (estimate, estimate, estimate) if len(x) >= 2 else (estimate, np.nan, np.nan)
    from scipy.special import ndtri

    # The closed form of the WLS/HC1 variance above, without importing statsmodels (about a second) for it.
    n = len(x)
    se = np.sqrt(n / (n - 1) * np.sum((y - estimate * x) ** 2)) / x.sum()
    half = ndtri(1 - alpha / 2) * se
    return (float(estimate), max(float(estimate - half), 0.0), float(estimate + half))


METHOD_NEWCOMBE = ("Newcombe hybrid score interval (method 10) for the difference of two independent proportions, "
                   "built from each proportion's Wilson limits.")
INTERVALS["Newcombe"] = METHOD_NEWCOMBE


def newcombe_difference(x1: float, n1: float, x2: float, n2: float,
                        alpha: float = 0.05) -> tuple[float, float, float]:
    """Difference x1/n1 - x2/n2 with the Newcombe hybrid score interval.

    A thin call to statsmodels ``confint_proportions_2indep(method="newcomb")`` (R ``Epi::ci.pd``); the
    proportions must come from independent groups.

    Notes
    -----
    With (l_i, u_i) the Wilson limits of p_i and D = p1 - p2 (Newcombe 1998b, Stat Med 17:873, method 10):
    low = D - sqrt((p1 - l1)^2 + (u2 - p2)^2), high = D + sqrt((u1 - p1)^2 + (p2 - l2)^2).

    Examples
    --------
    >>> [round(v, 4) for v in newcombe_difference(56, 70, 48, 80)]
    [0.2, 0.0524, 0.3339]
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    if n1 <= 0 or n2 <= 0:
        return (np.nan, np.nan, np.nan)
    low, high = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=alpha)
    return (x1 / n1 - x2 / n2, float(low), float(high))


def poisson_rate_difference(count1: float, exposure1: float, count2: float, exposure2: float,
                            alpha: float = 0.05) -> tuple[float, float, float]:
    """Difference of two rates count1/exposure1 - count2/exposure2 with a Wald (normal) interval.

    Notes
    -----
    D = r1 - r2, SE = sqrt(x1/T1^2 + x2/T2^2) (each count Poisson, the two independent), D -/+ z_{1-alpha/2} SE
    (Rothman & Greenland, Modern Epidemiology, 3rd ed., ch. 14). Either exposure <= 0 gives NaNs.

    Examples
    --------
    >>> [round(float(v), 4) for v in poisson_rate_difference(2, 9, 0, 10)]
    [0.2222, -0.0858, 0.5302]
    """
    from scipy import stats

    if exposure1 <= 0 or exposure2 <= 0:
        return (np.nan, np.nan, np.nan)
    difference = count1 / exposure1 - count2 / exposure2
    se = np.sqrt(count1 / exposure1 ** 2 + count2 / exposure2 ** 2)
    z = float(stats.norm.ppf(1 - alpha / 2))
    return (difference, difference - z * se, difference + z * se)


def independent_difference(estimate1: float, se1: float, estimate2: float, se2: float,
                           alpha: float = 0.05) -> tuple[float, float, float]:
    """Difference estimate1 - estimate2 of two independent estimates with a Wald (normal) interval.

    Notes
    -----
    D = e1 - e2, SE = sqrt(se1^2 + se2^2) (independence: the covariance is taken as 0), D -/+ z_{1-alpha/2} SE.

    Examples
    --------
    >>> [round(float(v), 4) for v in independent_difference(0.5, 0.3, 0.1, 0.4)]
    [0.4, -0.58, 1.38]
    """
    from scipy import stats

    difference = estimate1 - estimate2
    se = np.sqrt(se2 ** 2 + se1 ** 2)
    z = float(stats.norm.ppf(1 - alpha / 2))
    return (difference, difference - z * se, difference + z * se)


REASON_ZERO_VARIANCE = ("not estimable: every unit has the same ratio (zero variance, e.g. a group with no "
                        "absence), so the data give no interval; a zero-width interval would claim certainty")


def not_estimable_reason(value, ci_low, ci_high, interval) -> str | None:
    """Why a figure has no usable interval, or None: zero-width clustered-ratio intervals are not estimable.

    :func:`ratio_interval` returns the zero-width interval (estimate, estimate, estimate) when every cluster
    has the same ratio, e.g. a team with no absence at all, because ``ttwell.calculations.impact`` recovers each year's
    standard error (0) from it. Shown to a reader, "0% to 0%" would claim a certainty the data do not give;
    this names the reason instead. Methods that give no interval by design (names starting "none") and
    missing figures give None.

    Examples
    --------
    >>> not_estimable_reason(0.0, 0.0, 0.0, "clustered ratio (people)")[:40]
    'not estimable: every unit has the same r'
    >>> not_estimable_reason(0.04, 0.03, 0.05, "clustered ratio (people)") is None
    True
    """
    if not isinstance(interval, str) or interval.startswith("none") or value is None or np.isnan(float(value)):
        return None
    low, high = float(ci_low), float(ci_high)
    if interval.startswith("clustered ratio") and not np.isnan(low) and low == high:
        return REASON_ZERO_VARIANCE
    return None


def add_not_estimable_reasons(table):
    """A copy of a tidy table (``value, ci_low, ci_high, interval``; e.g. ``ttwell.calculations.workforce.baseline_summary``)
    for showing: zero-width intervals blanked (NaN) and a ``not_estimable_reason`` column saying why.

    Examples
    --------
    >>> import pandas as pd
    >>> shown = add_not_estimable_reasons(pd.DataFrame({"value": [0.0, 0.04], "ci_low": [0.0, 0.03],
    ...                                                 "ci_high": [0.0, 0.05], "interval": ["clustered ratio (people)"] * 2}))
    >>> shown["ci_low"].isna().tolist(), shown["not_estimable_reason"].notna().tolist()
    ([True, False], [True, False])
    """
    reasons = [not_estimable_reason(v, lo, hi, i)
               for v, lo, hi, i in zip(table["value"], table["ci_low"], table["ci_high"], table["interval"])]
    out = table.assign(not_estimable_reason=reasons)
    blank = out["not_estimable_reason"].notna()
    out.loc[blank, ["ci_low", "ci_high"]] = np.nan
    return out
