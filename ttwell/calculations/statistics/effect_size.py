"""Standardised effect sizes of a paired change: Cohen's d_z and d_av, Hedges' g_z with the exact correction J."""

from __future__ import annotations

import numpy as np
import pandas as pd

METHOD_EFFECT_SIZES = ("d_z = mean change / SD of the changes; d_av = mean change / sqrt((SD_pre^2 + SD_post^2) / 2); "
                       "hedges_gz = d_z x J(n - 1), exact J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m - 1)/2)) "
                       "(as R effectsize::hedges_g(paired = TRUE)).")

EFFECT_SIZE_COLUMNS = ["d_z", "d_av", "hedges_gz"]


def hedges_j(m: float) -> float:
    """Exact Hedges small-sample correction J(m) = Γ(m/2) / (√(m/2)·Γ((m − 1)/2)).

    Parameters
    ----------
    m : float
        Degrees of freedom (n - 1 for a paired d_z); ``m <= 1`` gives NaN.

    Notes
    -----
    Hedges (1981), J. Educ. Stat. 6:107, eq. 6b; computed on the log scale (``scipy.special.gammaln``) so large m
    does not overflow. The common approximation is 1 - 3 / (4m - 1).

    Examples
    --------
    >>> round(hedges_j(9), 5)
    0.91387
    """
    from scipy.special import gammaln

    if not m > 1:
        return np.nan
    return float(np.exp(gammaln(m / 2) - 0.5 * np.log(m / 2) - gammaln((m - 1) / 2)))


def effect_sizes(pre, post) -> pd.DataFrame:
    """Standardised change of paired data: ``d_z``, ``d_av`` and ``hedges_gz``.

    Parameters
    ----------
    pre, post : array-like
        The two measurements of the same people, in the same order.

    Returns
    -------
    DataFrame
        One row: ``d_z, d_av, hedges_gz`` (NaN with fewer than two people, or with no spread in the denominator).

    Notes
    -----
    With d = post - pre: d_z = mean(d) / sd(d); d_av = mean(d) / sqrt((sd_pre^2 + sd_post^2) / 2); hedges_gz =
    d_z × J(n − 1) with the exact J of :func:`hedges_j` (Lakens 2013, Front. Psychol. 4:863, eqs. 6 and 10).
    d_z depends on the pre-post correlation; d_av uses the average of the two variances and is comparable with
    a between-group d. ``hedges_gz`` matches R ``effectsize::hedges_g(post, pre, paired = TRUE)``; it is not
    pingouin's "hedges" (which corrects d_av with m = 2n - 2).

    Examples
    --------
    >>> round(float(effect_sizes([1, 2, 3, 4], [2, 4, 5, 5])["d_z"].iloc[0]), 4)
    2.5981
    """
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    n = len(pre)
    if n < 2:
        return pd.DataFrame([{"d_z": np.nan, "d_av": np.nan, "hedges_gz": np.nan}], columns=EFFECT_SIZE_COLUMNS)
    change = post - pre
    sd_change = change.std(ddof=1)
    sd_av = np.sqrt((pre.var(ddof=1) + post.var(ddof=1)) / 2)
    d_z = change.mean() / sd_change if sd_change > 0 else np.nan
    d_av = change.mean() / sd_av if sd_av > 0 else np.nan
    return pd.DataFrame([{"d_z": d_z, "d_av": d_av, "hedges_gz": d_z * hedges_j(n - 1)}],
                        columns=EFFECT_SIZE_COLUMNS)
