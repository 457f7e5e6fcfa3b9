"""Many tests at once: Holm's step-down adjustment, and how many 'improvements' chance alone would give."""

from __future__ import annotations

import numpy as np


def holm(pvalues) -> np.ndarray:
    """Holm-adjusted p-values (``statsmodels.stats.multitest.multipletests(method="holm")``); NaN stays NaN.

    Parameters
    ----------
    pvalues : array-like
        The p-values of one family of tests; NaNs are left out of the family and stay NaN.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order.

    Notes
    -----
    With the m p-values sorted p(1) <= ... <= p(m): p~(i) = max_{j <= i} min(1, (m - j + 1) p(j)) (Holm 1979,
    Scand. J. Statist. 6:65; R ``p.adjust(p, "holm")``).

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, 0.005]).round(3).tolist()
    [0.03, 0.06, 0.06, 0.02]
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(pvalues, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        adjusted[ok] = multipletests(p[ok], method="holm")[1]
    return adjusted


def chance_improvements(m: int, alpha: float = 0.05) -> dict:
    """How many 'improvements' chance alone would give among m independent two-sided tests with no true change.

    Returns
    -------
    dict
        ``m, expected, p_at_least_one`` and ``p_at_least`` (a function of k: P(at least k improvements)).

    Notes
    -----
    Each test shows an improvement beyond chance with probability alpha/2 (the better tail), so the number is
    Binomial(m, alpha/2): expected m alpha/2, and P(at least one) = 1 - (1 - alpha/2)^m.

    Examples
    --------
    >>> r = chance_improvements(12); round(r["expected"], 2), round(r["p_at_least_one"], 3)
    (0.3, 0.262)
    """
    from scipy import stats

    q = alpha / 2
    return {"m": m, "expected": m * q, "p_at_least_one": 1 - (1 - q) ** m,
            "p_at_least": lambda k: float(stats.binom.sf(k - 1, m, q))}
