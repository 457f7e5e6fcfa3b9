"""Internal consistency of survey subscales: Cronbach's alpha with Feldt's confidence interval.

Rules (domain spec 3.8): complete cases only, after reverse-keying; computed per subscale per wave when at least
20 complete cases exist; flagged below the conventional 0.70; for a two-item subscale the Spearman-Brown
coefficient of the inter-item correlation is reported instead (alpha and Spearman-Brown coincide for
standardised items, and a two-item alpha is unstable).

Example
-------
>>> import pandas as pd
>>> from ttwell.calculations.scales.reliability import cronbach_alpha
>>> items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
>>> float(round(cronbach_alpha(items, min_cases=2)["alpha"], 3))
0.954
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_COMPLETE_CASES = 20
COEFFICIENT_ALPHA = "Cronbach's alpha"
COEFFICIENT_SPEARMAN_BROWN = "Spearman-Brown"
ACCEPTABLE_ALPHA = 0.70


def cronbach_alpha(items: pd.DataFrame, *, confidence: float = 0.95,
                   min_cases: int = MIN_COMPLETE_CASES) -> dict:
    """Cronbach's alpha of the item columns of ``items`` (one row per respondent), complete cases only.

    Returns a dict with ``alpha, ci_low, ci_high, n_complete, n_items, coefficient, method, flag``.
    ``coefficient`` names what ``alpha`` holds: "Cronbach's alpha", or "Spearman-Brown" for two items (a
    two-item score's coefficient is never shown as Cronbach's alpha).

    Notes
    -----
    alpha = k / (k - 1) × (1 - Σ var(item) / var(Σ items)), sample variances (ddof = 1).
    The interval is Feldt's (1965), as in pingouin and R's psych: with F quantiles on (n - 1) and
    (n - 1)(k - 1) degrees of freedom, lower = 1 - (1 - alpha) F(1 - γ/2), upper = 1 - (1 - alpha) F(γ/2).
    For two items the Spearman-Brown coefficient 2r / (1 + r) of the Pearson correlation r is returned.
    """
    from scipy import stats

    complete = items.dropna()
    n, k = complete.shape
    out = {"alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n_complete": int(n), "n_items": int(k),
           "coefficient": COEFFICIENT_ALPHA, "method": "Cronbach's alpha (Feldt 95% interval)", "flag": None}
    if k < 2:
        out["flag"] = "fewer than two items: no reliability coefficient"
        return out
    if n < min_cases:
        out["flag"] = f"fewer than {min_cases} complete responses: not computed"
        return out
    if k == 2:
        r = complete.iloc[:, 0].corr(complete.iloc[:, 1])
        out.update(alpha=2 * r / (1 + r), coefficient=COEFFICIENT_SPEARMAN_BROWN,
                   method="Spearman-Brown of the inter-item correlation (two items; no interval)")
    else:
        variances = complete.var(ddof=1)
        total = complete.sum(axis=1).var(ddof=1)
        alpha = k / (k - 1) * (1 - variances.sum() / total) if total > 0 else np.nan
        gamma = 1 - confidence
        df1, df2 = n - 1, (n - 1) * (k - 1)
        out.update(alpha=alpha,
                   ci_low=1 - (1 - alpha) * stats.f.ppf(1 - gamma / 2, df1, df2),
                   ci_high=1 - (1 - alpha) * stats.f.ppf(gamma / 2, df1, df2))
    if pd.notna(out["alpha"]) and out["alpha"] < ACCEPTABLE_ALPHA:
        out["flag"] = f"below the conventional {ACCEPTABLE_ALPHA:.2f}"
    return out


def reliability_table(item_scores: pd.DataFrame, subscales: dict[str, list[str]], *, by: str | None = "wave_id",
                      confidence: float = 0.95, min_cases: int = MIN_COMPLETE_CASES) -> pd.DataFrame:
    """Alpha per subscale (and per wave), from reverse-keyed item scores (one row per respondent).

    Parameters
    ----------
    item_scores : DataFrame
        Item columns after transformation and reverse-keying, plus ``by`` if given.
    subscales : dict
        Subscale id -> its item columns.
    by : str or None
        Column to split by (normally the wave).

    Returns
    -------
    DataFrame with columns ``[by], subscale, alpha, ci_low, ci_high, n_complete, n_items, coefficient, method,
    flag``: ``alpha`` holds the coefficient that ``coefficient`` names (Spearman-Brown for two-item scores)
    and ``method`` names it with its interval.
    """
    groups = item_scores.groupby(by, sort=True) if by else [(None, item_scores)]
    rows = []
    for key, frame in groups:
        for subscale, columns in subscales.items():
            present = [c for c in columns if c in frame.columns]
            result = cronbach_alpha(frame[present], confidence=confidence, min_cases=min_cases)
            rows.append({**({by: key} if by else {}), "subscale": subscale, **result})
    columns = ([by] if by else []) + ["subscale", "alpha", "ci_low", "ci_high", "n_complete", "n_items",
                                      "coefficient", "method", "flag"]
    return pd.DataFrame(rows, columns=columns)
