"""Group summaries of scored survey data: means with intervals, distributions, cut-offs, response rates and the
psychological-safety "which item do staff most disagree with" view.

Inputs are the scorer's outputs (one row per respondent); every function returns a tidy table with an
``n_respondents`` column, so disclosure control can decide what may be shown.

Example
-------
>>> import pandas as pd
>>> from ttwell.calculations.scales.summaries import scale_summary
>>> scored = pd.DataFrame({"wave_id": ["w1"] * 4, "exhaustion": [2.0, 2.5, 3.0, 2.5]})
>>> scale_summary(scored, ["exhaustion"], by=["wave_id"])["mean"].tolist()
[2.5]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations.statistics import wilson_interval

SUMMARY_COLUMNS = ["score", "n_respondents", "mean", "sd", "ci_low", "ci_high", "p25", "median", "p75", "interval"]
# The interval each table's ci_low/ci_high come from, named in its ``interval`` column (issue 11, item 9).
INTERVAL_MEAN = "t interval of the mean (n - 1 df)"
INTERVAL_WILSON = "Wilson"


def _groups(frame: pd.DataFrame, by: list[str] | None):
    return frame.groupby(by, sort=True, observed=True) if by else [((), frame)]


def _keys(by: list[str] | None, key) -> dict:
    key = key if isinstance(key, tuple) else (key,)
    return dict(zip(by or [], key))


def scale_summary(scored: pd.DataFrame, scores: list[str], *, by: list[str] | None = None,
                  confidence: float = 0.95) -> pd.DataFrame:
    """Mean, SD, t-based confidence interval and quartiles of each score, per group.

    Respondents with a missing score (too few items answered) are left out of that score's ``n_respondents``.

    Returns columns ``[*by], score, n_respondents, mean, sd, ci_low, ci_high, p25, median, p75, interval``
    (``interval`` names the method: t interval of the mean with n - 1 degrees of freedom).
    """
    from scipy import stats

    rows = []
    for key, frame in _groups(scored, by):
        for score in scores:
            values = frame[score].dropna().astype(float)
            n = len(values)
            mean = values.mean() if n else np.nan
            sd = values.std(ddof=1) if n > 1 else np.nan
            half = stats.t.ppf(0.5 + confidence / 2, n - 1) * sd / np.sqrt(n) if n > 1 else np.nan
            quartiles = values.quantile([0.25, 0.5, 0.75]).tolist() if n else [np.nan] * 3
            rows.append({**_keys(by, key), "score": score, "n_respondents": n, "mean": mean, "sd": sd,
                         "ci_low": mean - half, "ci_high": mean + half, "p25": quartiles[0],
                         "median": quartiles[1], "p75": quartiles[2], "interval": INTERVAL_MEAN})
    return pd.DataFrame(rows, columns=[*(by or []), *SUMMARY_COLUMNS])


def share_at_or_above(scored: pd.DataFrame, score: str, cutoff: float, *, by: list[str] | None = None,
                      inclusive: bool = True) -> pd.DataFrame:
    """Share of respondents whose score is at or above (or strictly above) a cut-off, with a Wilson interval.

    A published cut-off describes a group, not a person: reports label it "not a diagnosis".

    Returns columns ``[*by], score, cutoff, n_respondents, n_above, share, ci_low, ci_high, interval``
    (Wilson score interval).
    """
    rows = []
    for key, frame in _groups(scored, by):
        values = frame[score].dropna()
        above = int((values >= cutoff).sum() if inclusive else (values > cutoff).sum())
        share, low, high = wilson_interval(above, len(values))
        rows.append({**_keys(by, key), "score": score, "cutoff": cutoff, "n_respondents": len(values),
                     "n_above": above, "share": share, "ci_low": low, "ci_high": high,
                     "interval": INTERVAL_WILSON})
    return pd.DataFrame(rows, columns=[*(by or []), "score", "cutoff", "n_respondents", "n_above", "share",
                                       "ci_low", "ci_high", "interval"])


def lowest_rated_items(item_scores: pd.DataFrame, items: list[str], *, by: list[str] | None = None) -> pd.DataFrame:
    """For each item, the share of respondents for whom it is their lowest-rated item.

    The Model Strategy suggests asking staff for "the one factor they most disagree with"; this is the same
    question answered from the items. Items are compared after reverse-keying (higher = safer). A respondent
    whose lowest rating is shared by several items contributes an equal fraction to each, so the shares add
    up to 100%. Respondents with any item missing are left out.

    Returns columns ``[*by], item, n_respondents, share_lowest``.
    """
    rows = []
    for key, frame in _groups(item_scores, by):
        complete = frame[items].dropna().astype(float)
        n = len(complete)
        if n:
            values = complete.to_numpy()
            is_lowest = values == values.min(axis=1, keepdims=True)
            weight = is_lowest / is_lowest.sum(axis=1, keepdims=True)
            shares = weight.sum(axis=0) / n
        else:
            shares = np.full(len(items), np.nan)
        for item, share in zip(items, shares):
            rows.append({**_keys(by, key), "item": item, "n_respondents": n, "share_lowest": share})
    return pd.DataFrame(rows, columns=[*(by or []), "item", "n_respondents", "share_lowest"])


def response_rates(scored: pd.DataFrame, waves: pd.DataFrame, *, respondent: str = "response_id") -> pd.DataFrame:
    """Respondents per wave against the staff eligible, with a Wilson interval (service level).

    Returns columns ``wave_id, n_respondents, eligible_n, response_rate, ci_low, ci_high, interval`` (Wilson).
    """
    counts = scored.groupby("wave_id")[respondent].nunique()
    rows = []
    for wave in waves.itertuples():
        n = int(counts.get(wave.wave_id, 0))
        rate, low, high = wilson_interval(n, wave.eligible_n)
        rows.append({"wave_id": wave.wave_id, "n_respondents": n, "eligible_n": wave.eligible_n,
                     "response_rate": rate, "ci_low": low, "ci_high": high, "interval": INTERVAL_WILSON})
    return pd.DataFrame(rows, columns=["wave_id", "n_respondents", "eligible_n", "response_rate", "ci_low", "ci_high",
                                       "interval"])
