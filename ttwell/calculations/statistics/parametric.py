"""t-tests: the paired t-test of a change and the Welch t-test of two independent samples.

Each function is a thin call into scipy and returns a one-row DataFrame with named columns (pingouin style).
A statistic that cannot be computed is NaN, with the reason in a column, never a zero-width interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# scipy is imported inside the functions: it is slow to import and the command line should start quickly.

METHOD_PAIRED_T = ("paired t-test of post minus pre (scipy ttest_rel); 95% CI of the mean change from the t "
                   "distribution with n - 1 degrees of freedom.")
REASON_ZERO_SPREAD = ("not estimable: every change is the same (zero variance), so the t-test and its 95% CI cannot "
                      "be computed; a zero-width interval would claim a certainty the data do not give")
REASON_FEW_PAIRS = "not estimable: fewer than two matched people"

PAIRED_T_COLUMNS = ["n", "mean_change", "sd_change", "ci_low", "ci_high", "t", "df", "p", "t_method",
                    "t_not_estimable"]
WELCH_T_COLUMNS = ["n_pre", "n_post", "mean_pre", "mean_post", "ci_low", "ci_high", "t", "df", "p",
                   "mean_difference"]


def paired_t(pre, post, confidence: float = 0.95) -> pd.DataFrame:
    """Paired t-test of post - pre with the CI of the mean change (``scipy.stats.ttest_rel(post, pre)``).

    Parameters
    ----------
    pre, post : array-like
        The two measurements of the same people, in the same order.
    confidence : float
        Confidence level of the interval of the mean change.

    Returns
    -------
    DataFrame
        One row: ``n, mean_change, sd_change, ci_low, ci_high, t, df, p, t_method, t_not_estimable``. With fewer
        than two people, or when every change is the same (zero variance), t, p and the interval are NaN and
        ``t_not_estimable`` says why (the interval is never the zero-width "mean to mean").

    Notes
    -----
    With d_i = post_i - pre_i: t = mean(d) / (sd(d) / sqrt(n)) on n - 1 df; CI mean(d) -/+ t_{1-a/2, n-1} sd(d)
    / sqrt(n) (Student 1908; R ``t.test(post, pre, paired = TRUE)``).

    Examples
    --------
    >>> paired_t([10, 20], [15, 25])["t_not_estimable"].iloc[0][:30]
    'not estimable: every change is'
    >>> round(float(paired_t([1, 2, 3, 4], [2, 4, 5, 5])["mean_change"].iloc[0]), 2)
    1.5
    """
    from scipy import stats

    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    n = len(pre)
    change = post - pre
    out = {"n": n, "mean_change": change.mean() if n else np.nan,
           "sd_change": change.std(ddof=1) if n > 1 else np.nan,
           "ci_low": np.nan, "ci_high": np.nan, "t": np.nan, "df": n - 1 if n > 1 else np.nan, "p": np.nan,
           "t_method": METHOD_PAIRED_T, "t_not_estimable": None}
    if n < 2:
        out["t_not_estimable"] = REASON_FEW_PAIRS
    elif np.allclose(change, change[0]):
        # No spread in the changes: t and its CI are undefined (scipy would warn and return nan). The interval
        # is left empty with the reason, never shown as the zero-width "mean to mean".
        out["t_not_estimable"] = REASON_ZERO_SPREAD
    else:
        result = stats.ttest_rel(post, pre)  # (post, pre) so that the sign and the CI are post - pre
        ci = result.confidence_interval(confidence)
        out.update(ci_low=float(ci.low), ci_high=float(ci.high), t=float(result.statistic), df=int(n - 1),
                   p=float(result.pvalue))
    return pd.DataFrame([out], columns=PAIRED_T_COLUMNS)


def welch_t(pre, post, confidence: float = 0.95) -> pd.DataFrame:
    """Welch t-test of post vs pre as independent samples (``scipy.stats.ttest_ind(post, pre, equal_var=False)``).

    Parameters
    ----------
    pre, post : array-like
        Two independent samples; the difference is post - pre.
    confidence : float
        Confidence level of the interval of the difference.

    Returns
    -------
    DataFrame
        One row: ``n_pre, n_post, mean_pre, mean_post, ci_low, ci_high, t, df, p, mean_difference``. t, df, p and
        the interval are NaN with fewer than two values in a sample or no spread in either.

    Notes
    -----
    t = (mean_post - mean_pre) / sqrt(s_post^2/n_post + s_pre^2/n_pre), with the Welch-Satterthwaite df
    (s_post^2/n_post + s_pre^2/n_pre)^2 / [(s_post^2/n_post)^2/(n_post - 1) + (s_pre^2/n_pre)^2/(n_pre - 1)]
    (Welch 1947; R ``t.test(post, pre)``, whose default is Welch).

    Examples
    --------
    >>> round(float(welch_t([1, 2, 3], [3, 4, 6])["mean_difference"].iloc[0]), 3)
    2.333
    """
    from scipy import stats

    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    out = {"n_pre": len(pre), "n_post": len(post), "mean_pre": pre.mean() if len(pre) else np.nan,
           "mean_post": post.mean() if len(post) else np.nan, "ci_low": np.nan, "ci_high": np.nan,
           "t": np.nan, "df": np.nan, "p": np.nan}
    out["mean_difference"] = out["mean_post"] - out["mean_pre"]
    if not (len(pre) < 2 or len(post) < 2 or (pre.var() == 0 and post.var() == 0)):
        result = stats.ttest_ind(post, pre, equal_var=False)
        ci = result.confidence_interval(confidence)
        out.update(ci_low=float(ci.low), ci_high=float(ci.high), t=float(result.statistic), df=float(result.df),
                   p=float(result.pvalue))
    return pd.DataFrame([out], columns=WELCH_T_COLUMNS)
