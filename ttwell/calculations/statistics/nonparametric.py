"""Rank and count tests of paired data: the Wilcoxon signed-rank test and McNemar's test.

Each function is a thin call into scipy or statsmodels, set to reproduce R's defaults, and returns a one-row
DataFrame with named columns (pingouin style).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.errors import ParameterError

# scipy and statsmodels are imported inside the functions: they are slow to import.

# Differences are rounded before ranking: 1.3 - 0.0 and 2.6 - 1.3 can differ in binary and would then not be
# treated as the tie they are (stats spec 3, pitfall 12).
DIFF_DECIMALS = 9

METHOD_WILCOXON_EXACT = "Wilcoxon signed-rank, exact p (R default: fewer than 50 pairs, no ties, no zero changes)"
METHOD_WILCOXON_NORMAL = ("Wilcoxon signed-rank, normal approximation with continuity correction, zero changes "
                          "dropped (R default with ties, zero changes or 50+ pairs)")
METHOD_MCNEMAR_EXACT = "McNemar exact (two-sided binomial test of the discordant pairs; b + c < 25)"
METHOD_MCNEMAR_CHI2 = "McNemar chi-square with continuity correction (R mcnemar.test default; b + c >= 25)"

WILCOXON_COLUMNS = ["wilcoxon_v", "wilcoxon_p", "wilcoxon_method", "n_nonzero"]
MCNEMAR_COLUMNS = ["mcnemar_b", "mcnemar_c", "mcnemar_statistic", "mcnemar_p", "mcnemar_method"]


def wilcoxon_signed_rank(pre, post) -> pd.DataFrame:
    """Wilcoxon signed-rank test of post - pre as R's ``wilcox.test(post, pre, paired = TRUE)`` does by default.

    Parameters
    ----------
    pre, post : array-like
        The two measurements of the same people, in the same order.

    Returns
    -------
    DataFrame
        One row: ``wilcoxon_v, wilcoxon_p, wilcoxon_method, n_nonzero`` (V, its two-sided p, the method used
        and the number of non-zero changes). When every change is zero, V = 0, p is NaN and the method says
        "not computed".

    Notes
    -----
    Zero changes are dropped and tied absolute changes get mid-ranks. V = W+ = the sum of the ranks of the
    positive changes (R's statistic, not scipy's min(W+, W-)). As in R, the p-value is exact when fewer than 50
    non-zero changes remain and there are no ties or zeros; otherwise it is the normal approximation
    z = (V - n(n+1)/4 -/+ 0.5) / sqrt(n(n+1)(2n+1)/24 - sum(t^3 - t)/48), with continuity correction and the
    tie correction (Wilcoxon 1945; R ``wilcox.test``; scipy ``wilcoxon(zero_method="wilcox", correction=True)``).

    Examples
    --------
    >>> res = wilcoxon_signed_rank([0, 0, 0, 0], [1, 2, 3, 4])
    >>> res[["wilcoxon_v", "wilcoxon_p"]].iloc[0].tolist()
    [10.0, 0.125]
    """
    from scipy import stats

    change = np.round(np.asarray(post, dtype=float) - np.asarray(pre, dtype=float), DIFF_DECIMALS)
    nonzero = change[change != 0]
    n = len(nonzero)
    out = {"wilcoxon_v": np.nan, "wilcoxon_p": np.nan, "wilcoxon_method": None, "n_nonzero": n}
    if n == 0:
        out.update(wilcoxon_v=0.0, wilcoxon_method="not computed: every change is zero")
        return pd.DataFrame([out], columns=WILCOXON_COLUMNS)
    ranks = stats.rankdata(np.abs(nonzero))
    out["wilcoxon_v"] = float(ranks[nonzero > 0].sum())
    has_ties = len(np.unique(np.abs(nonzero))) < n
    has_zeros = n < len(change)
    if n < 50 and not has_ties and not has_zeros:
        result = stats.wilcoxon(nonzero, method="exact")
        out["wilcoxon_method"] = METHOD_WILCOXON_EXACT
    else:
        result = stats.wilcoxon(change, zero_method="wilcox", correction=True, method="asymptotic")
        out["wilcoxon_method"] = METHOD_WILCOXON_NORMAL
    out["wilcoxon_p"] = float(result.pvalue)
    return pd.DataFrame([out], columns=WILCOXON_COLUMNS)


def mcnemar_test(b: int, c: int, *, a: int = 0, d: int = 0, method: str = "auto") -> pd.DataFrame:
    """McNemar test of a paired yes/no outcome from the discordant counts b (no → yes) and c (yes → no).

    Parameters
    ----------
    b, c : int
        Discordant pairs: no before and yes after (b), yes before and no after (c).
    a, d : int
        Concordant pairs (no-no, yes-yes); they do not change the test.
    method : {"auto", "exact", "chi2"}
        ``"auto"`` uses the exact binomial test when b + c < 25 and R's continuity-corrected chi-square
        otherwise; ``"exact"`` and ``"chi2"`` force one.

    Returns
    -------
    DataFrame
        One row: ``mcnemar_b, mcnemar_c, mcnemar_statistic, mcnemar_p, mcnemar_method``. With b + c = 0 the
        statistic and p are NaN and the method says "not computed".

    Notes
    -----
    Chi-square: (|b - c| - 1)^2 / (b + c) on 1 df (McNemar 1947; R ``mcnemar.test``). Exact: two-sided binomial
    test of min(b, c) in b + c trials with p = 1/2 (R ``binom.test(c, b + c)``); the statistic is min(b, c).

    Examples
    --------
    >>> round(float(mcnemar_test(150, 86, a=794, d=570)["mcnemar_statistic"].iloc[0]), 3)
    16.818
    """
    from statsmodels.stats.contingency_tables import mcnemar

    if method not in ("auto", "exact", "chi2"):
        raise ParameterError(f"McNemar method must be 'auto', 'exact' or 'chi2'; got '{method}'.")
    out = {"mcnemar_b": int(b), "mcnemar_c": int(c), "mcnemar_statistic": np.nan, "mcnemar_p": np.nan,
           "mcnemar_method": None}
    if b + c == 0:
        out["mcnemar_method"] = "not computed: nobody crossed the threshold in either direction"
        return pd.DataFrame([out], columns=MCNEMAR_COLUMNS)
    exact = method == "exact" or (method == "auto" and b + c < 25)
    table = [[a, b], [c, d]]  # rows: before (no, yes); columns: after (no, yes)
    # statsmodels defaults to exact=True; R's default is the corrected chi-square, so both are set explicitly.
    result = mcnemar(table, exact=True) if exact else mcnemar(table, exact=False, correction=True)
    out.update(mcnemar_statistic=float(result.statistic), mcnemar_p=float(result.pvalue),
               mcnemar_method=METHOD_MCNEMAR_EXACT if exact else METHOD_MCNEMAR_CHI2)
    return pd.DataFrame([out], columns=MCNEMAR_COLUMNS)
