"""Pre/post training confidence: matched pairs, per-area and overall change, team spread, reliable change.

Input is the long table returned by ``ttwell.inputs.io.read_training`` (one row per participant, timepoint and area,
``confidence_pct`` 0-100). Every statistic is a call into scipy or statsmodels, following the statistics
methods note (stats spec section 1); the comments name the variant used where libraries disagree.

Units of analysis (stated once, used everywhere):

* an **area answer** is one person's confidence in one area at one timepoint; per-area rows use the people
  who answered that area both before and after (no imputation);
* a **person score** is the mean of a person's area answers at a timepoint, computed only when the person
  answered *every* area of the programme (every area that appears in the data) at that timepoint. The overall
  row, the team view and reliable change use person scores;
* "above the threshold" means **strictly above** (an answer of exactly 50 is not above 50).

Example
-------
>>> import pandas as pd
>>> from ttwell.calculations.prepost import match_pairs, area_table
>>> responses = pd.DataFrame({
...     "programme_id": "TIC", "participant_pid": ["a", "a", "b", "b", "c", "c"],
...     "team_code": "T1", "role_family": "PWP", "timepoint": ["pre", "post"] * 3,
...     "area_id": 1, "confidence_pct": [40.0, 80.0, 50.0, 70.0, 60.0, 90.0]})
>>> pairs, matching = match_pairs(responses)
>>> table = area_table(pairs)
>>> table[["area", "n_matched", "mean_pre", "mean_post", "mean_change"]].to_dict("records")[0]
{'area': 1, 'n_matched': 3, 'mean_pre': 50.0, 'mean_post': 80.0, 'mean_change': 30.0}
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ttwell.errors import AnalysisError, ParameterError
from ttwell.calculations.intervals import wilson_interval

# scipy and statsmodels are imported inside the functions: they are slow to import and the command line
# should start quickly.

KEYS = ["programme_id", "participant_pid", "area_id"]
REQUIRED_COLUMNS = ["programme_id", "participant_pid", "timepoint", "area_id", "confidence_pct"]
OVERALL = "overall"
OVERALL_LABEL = "Overall (person score: mean of all areas)"
DEFAULT_THRESHOLD = 50.0
RCI_CRITICAL = 1.96
# Differences of 0-100 answers are rounded before ranking: 1.3 - 0.0 and 2.6 - 1.3 can differ in binary and
# would then not be treated as the tie they are (stats spec 3, pitfall 12).
DIFF_DECIMALS = 9

METHOD_PAIRED_T = ("paired t-test of post minus pre (scipy ttest_rel); 95% CI of the mean change from the t "
                   "distribution with n - 1 degrees of freedom.")
METHOD_WILCOXON_EXACT = "Wilcoxon signed-rank, exact p (R default: fewer than 50 pairs, no ties, no zero changes)"
METHOD_WILCOXON_NORMAL = ("Wilcoxon signed-rank, normal approximation with continuity correction, zero changes "
                          "dropped (R default with ties, zero changes or 50+ pairs)")
METHOD_EFFECT_SIZES = ("d_z = mean change / SD of the changes; d_av = mean change / sqrt((SD_pre^2 + SD_post^2) / 2); "
                       "hedges_gz = d_z x J(n - 1), exact J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m - 1)/2)) "
                       "(as R effectsize::hedges_g(paired = TRUE)).")
METHOD_MCNEMAR_EXACT = "McNemar exact (two-sided binomial test of the discordant pairs; b + c < 25)"
METHOD_MCNEMAR_CHI2 = "McNemar chi-square with continuity correction (R mcnemar.test default; b + c >= 25)"
METHOD_HOLM = "Holm step-down adjustment across the area tests only (not the overall row), one family per test type."
METHOD_WELCH = "weaker: ignores pairing. Welch t-test (unequal variances) of all post vs all pre person scores."
METHOD_WILSON_SHARES = "Wilson score interval (statsmodels proportion_confint, method='wilson')"
METHOD_ICC = ("ICC = tau^2 / (tau^2 + sigma^2) from a REML random-intercept model score ~ 1 + (1 | team) "
              "(statsmodels MixedLM, default optimisers, convergence checked)")
REASON_ZERO_SPREAD = ("not estimable: every change is the same (zero variance), so the t-test and its 95% CI cannot "
                      "be computed; a zero-width interval would claim a certainty the data do not give")
REASON_FEW_PAIRS = "not estimable: fewer than two matched people"
PERSON_SCORE_RULE = ("person score = mean of a person's area answers at a timepoint, only when every area was "
                     "answered at that timepoint")


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AnalysisError(f"{what} has no column(s) {', '.join(missing)}; pass the table from "
                            f"ttwell.inputs.io.read_training (or match_pairs for pairs).")


def _one_programme(frame: pd.DataFrame) -> str | None:
    programmes = frame["programme_id"].dropna().unique()
    if len(programmes) > 1:
        raise AnalysisError(f"The data hold {len(programmes)} training programmes ({', '.join(map(str, programmes))}); "
                            "analyse one at a time, e.g. pairs[pairs['programme_id'] == 'X'].")
    return programmes[0] if len(programmes) else None


def _plain(values: dict) -> dict:
    """numpy scalars -> Python numbers, so results print and serialise (JSON) cleanly."""
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in values.items()}


# ---------------------------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------------------------

def match_pairs(responses: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pair each person's pre and post answer per area, and count what could not be paired.

    Matching is on (``programme_id``, ``participant_pid``, ``area_id``), never on row order. Follow-up answers
    are ignored here. Nothing is imputed: an answer without its partner is counted as pre-only or post-only.

    Parameters
    ----------
    responses : DataFrame
        Long table from ``ttwell.inputs.io.read_training``.

    Returns
    -------
    pairs : DataFrame
        Matched answers only, one row per ``programme_id, participant_pid, area_id``, with columns
        ``programme_id, participant_pid, area_id, team_code, role_family, pre, post, change``.
        Team and role are taken from the pre form (from the post form when the pre form left them blank).
    matching : DataFrame
        One row per programme and area plus an ``overall`` row per programme, with columns
        ``programme_id, area, unit, n_matched, n_pre_only, n_post_only``. Area rows count answers (= people
        answering that area); the overall row counts people: matched = a pre and a post form for at least one
        area, plus ``n_matched_all_areas`` = people whose every area is matched (those in the overall result).

    Examples
    --------
    >>> import pandas as pd
    >>> responses = pd.DataFrame({"programme_id": "P", "participant_pid": ["a", "a", "b"],
    ...                           "timepoint": ["pre", "post", "pre"], "area_id": 1,
    ...                           "confidence_pct": [40.0, 70.0, 55.0]})
    >>> pairs, matching = match_pairs(responses)
    >>> matching.loc[0, ["n_matched", "n_pre_only", "n_post_only"]].tolist()
    [1, 1, 0]
    """
    _require(responses, REQUIRED_COLUMNS, "The responses table")
    frame = responses[responses["timepoint"].isin(["pre", "post"])].copy()
    for column in ("team_code", "role_family"):
        if column not in frame.columns:
            frame[column] = pd.NA
    frame = frame.dropna(subset=["confidence_pct"])
    duplicated = frame.duplicated(KEYS + ["timepoint"], keep=False)
    if duplicated.any():
        first = frame.loc[duplicated, KEYS + ["timepoint"]].iloc[0].tolist()
        raise AnalysisError(f"{int(duplicated.sum())} answers are duplicated (same programme, participant, area and "
                            f"timepoint; first: {first}). Remove the repeats before matching: ttwell never "
                            "chooses or averages between two answers.")

    wide = frame.pivot(index=KEYS, columns="timepoint", values="confidence_pct")
    wide = wide.reindex(columns=["pre", "post"]).astype(float)
    # Team and role from the pre form first: that is who attended; a blank falls back to the post form.
    people = (frame.assign(_order=frame["timepoint"].map({"pre": 0, "post": 1}))
              .sort_values("_order", kind="stable")
              .groupby(["programme_id", "participant_pid"], sort=False)[["team_code", "role_family"]]
              .first())
    wide = wide.reset_index().merge(people.reset_index(), on=["programme_id", "participant_pid"], how="left")
    has_pre, has_post = wide["pre"].notna(), wide["post"].notna()

    pairs = wide[has_pre & has_post].copy()
    pairs["change"] = pairs["post"] - pairs["pre"]
    pairs = (pairs[["programme_id", "participant_pid", "area_id", "team_code", "role_family", "pre", "post", "change"]]
             .sort_values(KEYS, kind="stable").reset_index(drop=True))

    flags = wide.assign(matched=has_pre & has_post, pre_only=has_pre & ~has_post, post_only=~has_pre & has_post)
    rows = []
    for (programme, area), part in flags.groupby(["programme_id", "area_id"], sort=True):
        rows.append({"programme_id": programme, "area": area, "unit": "answers",
                     "n_matched": int(part["matched"].sum()), "n_pre_only": int(part["pre_only"].sum()),
                     "n_post_only": int(part["post_only"].sum()), "n_matched_all_areas": pd.NA})
    for programme, part in flags.groupby("programme_id", sort=True):
        n_areas = part["area_id"].nunique()
        per_person = part.groupby("participant_pid").agg(pre=("pre", "count"), post=("post", "count"),
                                                         matched=("matched", "sum"))
        rows.append({"programme_id": programme, "area": OVERALL, "unit": "people",
                     "n_matched": int(((per_person["pre"] > 0) & (per_person["post"] > 0)).sum()),
                     "n_pre_only": int(((per_person["pre"] > 0) & (per_person["post"] == 0)).sum()),
                     "n_post_only": int(((per_person["pre"] == 0) & (per_person["post"] > 0)).sum()),
                     "n_matched_all_areas": int((per_person["matched"] == n_areas).sum())})
    matching = pd.DataFrame(rows, columns=["programme_id", "area", "unit", "n_matched", "n_pre_only", "n_post_only",
                                           "n_matched_all_areas"])
    return pairs, matching


def person_scores(pairs: pd.DataFrame) -> pd.DataFrame:
    """Person scores before and after: the mean of a person's matched area answers, complete people only.

    A person is included only when every area that appears in ``pairs`` (for the programme) is matched for them,
    so the pre and post scores average the same areas.

    Returns columns ``programme_id, participant_pid, team_code, role_family, n_areas, pre, post, change``.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"programme_id": "P", "participant_pid": ["a", "a", "b"], "area_id": [1, 2, 1],
    ...                       "team_code": "T", "role_family": "R", "pre": [40.0, 60.0, 30.0],
    ...                       "post": [80.0, 90.0, 50.0]})
    >>> person_scores(pairs)[["participant_pid", "pre", "post"]].to_dict("records")
    [{'participant_pid': 'a', 'pre': 50.0, 'post': 85.0}]
    """
    _require(pairs, ["programme_id", "participant_pid", "area_id", "pre", "post"], "The pairs table")
    columns = ["programme_id", "participant_pid", "team_code", "role_family", "n_areas", "pre", "post", "change"]
    frames = []
    for _, part in pairs.groupby("programme_id", sort=True):
        n_areas = part["area_id"].nunique()
        extra = {c: (c, "first") for c in ("team_code", "role_family") if c in part.columns}
        people = (part.groupby(["programme_id", "participant_pid"], sort=True)
                  .agg(n_areas=("area_id", "nunique"), pre=("pre", "mean"), post=("post", "mean"), **extra)
                  .reset_index())
        frames.append(people[people["n_areas"] == n_areas])
    if not frames:
        return pd.DataFrame(columns=columns)
    people = pd.concat(frames, ignore_index=True)
    for column in ("team_code", "role_family"):
        if column not in people.columns:
            people[column] = pd.NA
    people["change"] = people["post"] - people["pre"]
    return people[columns].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------
# The tests, each a thin call into scipy / statsmodels returning a dict of named numbers
# ---------------------------------------------------------------------------------------------------------------

def paired_t(pre, post, confidence: float = 0.95) -> dict:
    """Paired t-test of post - pre with the CI of the mean change (``scipy.stats.ttest_rel(post, pre)``).

    Returns a dict with ``n, mean_change, sd_change, ci_low, ci_high, t, df, p, t_method, t_not_estimable``.
    With fewer than two people, or when every change is the same (zero variance), t, p and the interval are
    NaN and ``t_not_estimable`` says why (the interval is never the zero-width "mean to mean").

    Examples
    --------
    >>> paired_t([10, 20], [15, 25])["t_not_estimable"][:30]
    'not estimable: every change is'
    >>> round(paired_t([1, 2, 3, 4], [2, 4, 5, 5])["mean_change"], 2)
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
        return _plain(out)
    if np.allclose(change, change[0]):
        # No spread in the changes: t and its CI are undefined (scipy would warn and return nan). The interval
        # is left empty with the reason, never shown as the zero-width "mean to mean".
        out["t_not_estimable"] = REASON_ZERO_SPREAD
        return _plain(out)
    result = stats.ttest_rel(post, pre)  # (post, pre) so that the sign and the CI are post - pre
    ci = result.confidence_interval(confidence)
    out.update(ci_low=float(ci.low), ci_high=float(ci.high), t=float(result.statistic), df=int(n - 1),
               p=float(result.pvalue))
    return _plain(out)


def wilcoxon_signed_rank(pre, post) -> dict:
    """Wilcoxon signed-rank test of post - pre as R's ``wilcox.test(post, pre, paired = TRUE)`` does by default.

    Zero changes are dropped and tied absolute changes get mid-ranks. As in R, the p-value is exact when fewer
    than 50 non-zero changes remain and there are no ties or zeros; otherwise it is the normal approximation
    with continuity correction. The statistic is R's V = W+ (sum of the ranks of the positive changes), not
    scipy's min(W+, W-).

    Returns a dict with ``wilcoxon_v, wilcoxon_p, wilcoxon_method, n_nonzero``.

    Examples
    --------
    >>> res = wilcoxon_signed_rank([0, 0, 0, 0], [1, 2, 3, 4])
    >>> res["wilcoxon_v"], res["wilcoxon_p"]
    (10.0, 0.125)
    """
    from scipy import stats

    change = np.round(np.asarray(post, dtype=float) - np.asarray(pre, dtype=float), DIFF_DECIMALS)
    nonzero = change[change != 0]
    n = len(nonzero)
    out = {"wilcoxon_v": np.nan, "wilcoxon_p": np.nan, "wilcoxon_method": None, "n_nonzero": n}
    if n == 0:
        out.update(wilcoxon_v=0.0, wilcoxon_method="not computed: every change is zero")
        return _plain(out)
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
    return _plain(out)


def hedges_j(m: float) -> float:
    """Exact Hedges small-sample correction J(m) = Γ(m/2) / (√(m/2)·Γ((m − 1)/2)).

    Examples
    --------
    >>> round(hedges_j(9), 5)
    0.91387
    """
    from scipy.special import gammaln

    if not m > 1:
        return np.nan
    return float(np.exp(gammaln(m / 2) - 0.5 * np.log(m / 2) - gammaln((m - 1) / 2)))


def effect_sizes(pre, post) -> dict:
    """Standardised change: ``d_z``, ``d_av`` and ``hedges_gz`` (d_z × exact J with m = n − 1).

    d_z depends on the pre-post correlation; d_av uses the average of the two variances and is comparable with
    a between-group d. ``hedges_gz`` matches R ``effectsize::hedges_g(post, pre, paired = TRUE)``; it is not
    pingouin's "hedges" (which corrects d_av with m = 2n - 2).

    Examples
    --------
    >>> round(effect_sizes([1, 2, 3, 4], [2, 4, 5, 5])["d_z"], 4)
    2.5981
    """
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    n = len(pre)
    if n < 2:
        return {"d_z": np.nan, "d_av": np.nan, "hedges_gz": np.nan}
    change = post - pre
    sd_change = change.std(ddof=1)
    sd_av = np.sqrt((pre.var(ddof=1) + post.var(ddof=1)) / 2)
    d_z = change.mean() / sd_change if sd_change > 0 else np.nan
    d_av = change.mean() / sd_av if sd_av > 0 else np.nan
    return _plain({"d_z": d_z, "d_av": d_av, "hedges_gz": d_z * hedges_j(n - 1)})


def mcnemar_test(b: int, c: int, *, a: int = 0, d: int = 0, method: str = "auto") -> dict:
    """McNemar test of a paired yes/no outcome from the discordant counts b (no → yes) and c (yes → no).

    ``method="auto"`` uses the exact binomial test when b + c < 25 and R's continuity-corrected chi-square
    otherwise; ``"exact"`` and ``"chi2"`` force one. The concordant counts ``a`` and ``d`` do not change the test.

    Returns a dict with ``mcnemar_b, mcnemar_c, mcnemar_statistic, mcnemar_p, mcnemar_method``.

    Examples
    --------
    >>> round(mcnemar_test(150, 86, a=794, d=570)["mcnemar_statistic"], 3)
    16.818
    """
    from statsmodels.stats.contingency_tables import mcnemar

    if method not in ("auto", "exact", "chi2"):
        raise ParameterError(f"McNemar method must be 'auto', 'exact' or 'chi2'; got '{method}'.")
    out = {"mcnemar_b": int(b), "mcnemar_c": int(c), "mcnemar_statistic": np.nan, "mcnemar_p": np.nan,
           "mcnemar_method": None}
    if b + c == 0:
        out["mcnemar_method"] = "not computed: nobody crossed the threshold in either direction"
        return _plain(out)
    exact = method == "exact" or (method == "auto" and b + c < 25)
    table = [[a, b], [c, d]]  # rows: before (not above, above); columns: after (not above, above)
    # statsmodels defaults to exact=True; R's default is the corrected chi-square, so both are set explicitly.
    result = mcnemar(table, exact=True) if exact else mcnemar(table, exact=False, correction=True)
    out.update(mcnemar_statistic=float(result.statistic), mcnemar_p=float(result.pvalue),
               mcnemar_method=METHOD_MCNEMAR_EXACT if exact else METHOD_MCNEMAR_CHI2)
    return _plain(out)


def holm(pvalues) -> np.ndarray:
    """Holm-adjusted p-values (``statsmodels.stats.multitest.multipletests(method="holm")``); NaN stays NaN.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(pvalues, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        adjusted[ok] = multipletests(p[ok], method="holm")[1]
    return adjusted


def welch_t(pre, post, confidence: float = 0.95) -> dict:
    """Welch t-test of post vs pre as independent samples (``scipy.stats.ttest_ind(post, pre, equal_var=False)``).

    Returns a dict with ``n_pre, n_post, mean_pre, mean_post, mean_difference, ci_low, ci_high, t, df, p``.

    Examples
    --------
    >>> round(welch_t([1, 2, 3], [3, 4, 6])["mean_difference"], 3)
    2.333
    """
    from scipy import stats

    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    out = {"n_pre": len(pre), "n_post": len(post), "mean_pre": pre.mean() if len(pre) else np.nan,
           "mean_post": post.mean() if len(post) else np.nan, "ci_low": np.nan, "ci_high": np.nan,
           "t": np.nan, "df": np.nan, "p": np.nan}
    out["mean_difference"] = out["mean_post"] - out["mean_pre"]
    if len(pre) < 2 or len(post) < 2 or (pre.var() == 0 and post.var() == 0):
        return _plain(out)
    result = stats.ttest_ind(post, pre, equal_var=False)
    ci = result.confidence_interval(confidence)
    out.update(ci_low=float(ci.low), ci_high=float(ci.high), t=float(result.statistic), df=float(result.df),
               p=float(result.pvalue))
    return _plain(out)


def _shares(pre: np.ndarray, post: np.ndarray, threshold: float) -> dict:
    above_pre, above_post = pre > threshold, post > threshold  # strictly above: exactly 50 is not above 50
    out = {"threshold": threshold}
    for name, above in (("pre", above_pre), ("post", above_post)):
        share, low, high = wilson_interval(int(above.sum()), len(above))
        out.update({f"n_above_{name}": int(above.sum()), f"share_above_{name}": share,
                    f"share_above_{name}_low": low, f"share_above_{name}_high": high})
    out.update(mcnemar_test(int((~above_pre & above_post).sum()), int((above_pre & ~above_post).sum()),
                            a=int((~above_pre & ~above_post).sum()), d=int((above_pre & above_post).sum())))
    return _plain(out)


def _paired_row(pre, post, threshold: float) -> dict:
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    n = len(pre)
    change = post - pre
    row = {"n_matched": n, "n_respondents": n,
           "mean_pre": pre.mean() if n else np.nan, "sd_pre": pre.std(ddof=1) if n > 1 else np.nan,
           "mean_post": post.mean() if n else np.nan, "sd_post": post.std(ddof=1) if n > 1 else np.nan,
           "median_change": float(np.median(change)) if n else np.nan,
           "n_improved": int((change > 0).sum()), "share_improved": (change > 0).mean() if n else np.nan}
    row.update(paired_t(pre, post))
    row.pop("n")
    row.update(wilcoxon_signed_rank(pre, post))
    row.update(effect_sizes(pre, post))
    row.update(_shares(pre, post, threshold))
    row["share_interval_method"] = METHOD_WILSON_SHARES
    row["effect_size_method"] = METHOD_EFFECT_SIZES
    reasons = [row.pop("t_not_estimable")]
    if n >= 2 and pd.isna(row["d_av"]):
        reasons.append("effect sizes not estimable: no spread in the scores")
    for column in ("wilcoxon_method", "mcnemar_method"):
        if isinstance(row[column], str) and row[column].startswith("not computed"):
            reasons.append(f"{column.split('_')[0]} {row[column]}")
    row["not_estimable_reason"] = "; ".join(r for r in reasons if r) or None
    return _plain(row)


AREA_COLUMNS = [
    "programme_id", "area", "area_label", "unit", "n_matched", "n_pre_only", "n_post_only", "n_respondents",
    "mean_pre", "sd_pre", "mean_post", "sd_post", "mean_change", "sd_change", "median_change", "ci_low", "ci_high",
    "t", "df", "p", "p_holm", "n_improved", "share_improved",
    "wilcoxon_v", "n_nonzero", "wilcoxon_p", "wilcoxon_p_holm", "wilcoxon_method", "d_z", "d_av", "hedges_gz",
    "threshold", "n_above_pre", "share_above_pre", "share_above_pre_low", "share_above_pre_high",
    "n_above_post", "share_above_post", "share_above_post_low", "share_above_post_high",
    "mcnemar_b", "mcnemar_c", "mcnemar_statistic", "mcnemar_p", "mcnemar_method",
    "t_method", "holm_method", "share_interval_method", "effect_size_method", "not_estimable_reason",
]
RELIABLE_CHANGE_COLUMNS = ["rc_reliability", "rc_reliability_source", "rc_change_needed", "rc_n_improved",
                           "rc_n_no_change", "rc_n_deteriorated", "rc_not_estimable_reason"]
RC_CATEGORIES = ("reliable improvement", "no reliable change", "reliable deterioration")
METHOD_RELIABLE_CHANGE = ("Jacobson-Truax reliable change index: RCI = change / (SD_pre x sqrt(2 (1 - r))), reliable "
                          "when |RCI| > 1.96; shares with Wilson score intervals")


def _check_threshold(threshold: float) -> float:
    try:
        threshold = float(threshold)
    except (TypeError, ValueError):
        raise ParameterError(f"The threshold must be a number of percent (0-100); got '{threshold}'.") from None
    if not 0 <= threshold <= 100:
        raise ParameterError(f"The threshold must be between 0 and 100 percent; got {threshold:g}.")
    return threshold


def _labels(areas: pd.DataFrame | None, programme) -> dict:
    if areas is None or len(areas) == 0:
        return {}
    _require(areas, ["area_id", "area_label"], "The areas table")
    if "programme_id" in areas.columns and programme is not None:
        areas = areas[areas["programme_id"] == programme]
    return dict(zip(areas["area_id"], areas["area_label"]))


def area_table(pairs: pd.DataFrame, *, areas: pd.DataFrame | None = None, threshold: float = DEFAULT_THRESHOLD,
               reliability: float | str | None = None, matching: pd.DataFrame | None = None) -> pd.DataFrame:
    """Change in confidence per area, plus an overall row on person scores (one programme).

    Parameters
    ----------
    pairs : DataFrame
        ``pairs`` from :func:`match_pairs`, one programme.
    areas : DataFrame, optional
        ``programme_id, area_id, area_label``; without it areas are labelled "Area 1", "Area 2", ...
    threshold : float
        Confidence (percent) that an answer or person score must be strictly above (default 50).
    reliability : float or "alpha", optional
        If given, the overall row also carries Jacobson-Truax reliable-change counts (see
        :func:`reliable_change`).
    matching : DataFrame, optional
        The matching report from :func:`match_pairs`, to fill ``n_pre_only`` and ``n_post_only``.

    Returns
    -------
    DataFrame
        One row per area (``area`` = area id, unit "area answer") and a last row ``area == "overall"`` (unit
        "person score"), with columns ``programme_id, area, area_label, unit, n_matched, n_pre_only, n_post_only,
        n_respondents, mean_pre, sd_pre, mean_post, sd_post, mean_change, sd_change, median_change, ci_low,
        ci_high, t, df, p, p_holm, n_improved, share_improved, wilcoxon_v, n_nonzero, wilcoxon_p,
        wilcoxon_p_holm, wilcoxon_method, d_z, d_av, hedges_gz, threshold, n_above_pre, share_above_pre,
        share_above_pre_low, share_above_pre_high, n_above_post, share_above_post, share_above_post_low,
        share_above_post_high, mcnemar_b, mcnemar_c, mcnemar_statistic, mcnemar_p, mcnemar_method, t_method,
        holm_method, share_interval_method, effect_size_method, not_estimable_reason`` and, with
        ``reliability``, ``rc_reliability, rc_reliability_source, rc_change_needed, rc_n_improved,
        rc_n_no_change, rc_n_deteriorated, rc_not_estimable_reason``. Shares are fractions (0-1); means and
        changes are percentage points. Every interval and test names its method in a ``*_method`` column;
        ``not_estimable_reason`` says why any statistic of the row is missing (never shown as 0).

    Notes
    -----
    The mean change and its CI come from the paired t-test (primary); the Wilcoxon test is the sensitivity
    analysis for bounded, skewed answers. ``p_holm`` and ``wilcoxon_p_holm`` adjust the area tests as two
    separate families (Holm); the overall row is the primary endpoint and is not adjusted. The overall row
    uses person scores (:func:`person_scores`), so its n can be smaller than an area's n.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"programme_id": "P", "participant_pid": list("abcd"), "area_id": 1,
    ...                       "pre": [40.0, 50.0, 60.0, 30.0], "post": [80.0, 70.0, 90.0, 60.0]})
    >>> table = area_table(pairs)
    >>> table.loc[table["area"] == "overall", ["mean_change", "n_above_pre", "n_above_post"]].to_dict("records")
    [{'mean_change': 30.0, 'n_above_pre': 1, 'n_above_post': 4}]
    """
    _require(pairs, ["programme_id", "participant_pid", "area_id", "pre", "post"], "The pairs table")
    threshold = _check_threshold(threshold)
    programme = _one_programme(pairs)
    labels = _labels(areas, programme)
    counts = {}
    if matching is not None:
        counts = {row.area: (row.n_pre_only, row.n_post_only)
                  for row in matching.itertuples() if programme is None or row.programme_id == programme}

    rows = []
    for area, part in pairs.groupby("area_id", sort=True):
        row = {"programme_id": programme, "area": area, "area_label": labels.get(area, f"Area {area}"),
               "unit": "area answer"}
        row.update(_paired_row(part["pre"], part["post"], threshold))
        rows.append(row)
    people = person_scores(pairs)
    overall = {"programme_id": programme, "area": OVERALL, "area_label": OVERALL_LABEL, "unit": "person score"}
    overall.update(_paired_row(people["pre"], people["post"], threshold))
    rows.append(overall)
    table = pd.DataFrame(rows)
    table["n_pre_only"] = [counts.get(a, (pd.NA, pd.NA))[0] for a in table["area"]]
    table["n_post_only"] = [counts.get(a, (pd.NA, pd.NA))[1] for a in table["area"]]
    is_area = table["area"] != OVERALL
    table["p_holm"] = np.nan
    table["wilcoxon_p_holm"] = np.nan
    table.loc[is_area, "p_holm"] = holm(table.loc[is_area, "p"])
    table.loc[is_area, "wilcoxon_p_holm"] = holm(table.loc[is_area, "wilcoxon_p"])
    table["holm_method"] = np.where(is_area, METHOD_HOLM, None)
    table = table.reindex(columns=AREA_COLUMNS)

    if reliability is not None:
        for column in RELIABLE_CHANGE_COLUMNS:
            table[column] = pd.NA
        _, summary = reliable_change(pairs, reliability=reliability)
        counts_rc = summary.set_index("category")["n"]
        first = summary.iloc[0]
        table.loc[~is_area, RELIABLE_CHANGE_COLUMNS] = [
            first["reliability"], first["reliability_source"], first["change_needed"],
            counts_rc["reliable improvement"], counts_rc["no reliable change"], counts_rc["reliable deterioration"],
            first["not_estimable_reason"]]
    return table


# ---------------------------------------------------------------------------------------------------------------
# Reliable change
# ---------------------------------------------------------------------------------------------------------------

def _pre_alpha(pairs: pd.DataFrame, people: pd.DataFrame) -> tuple[float, str, str | None]:
    """Internal consistency of the area answers before training: (coefficient, its source, reason if none).

    Cronbach's alpha for three or more areas, Spearman-Brown for two (``ttwell.calculations.scales.reliability``); the
    coefficient is NaN, with the reason, when it cannot be computed or is not above 0.
    """
    from ttwell.calculations.scales.reliability import cronbach_alpha

    complete = pairs[pairs["participant_pid"].isin(people["participant_pid"])]
    items = complete.pivot(index="participant_pid", columns="area_id", values="pre")
    result = cronbach_alpha(items)
    name = result["method"].split(" (")[0]
    source = f"{name} of the {result['n_items']} area answers before training, {result['n_complete']} complete people"
    if pd.isna(result["alpha"]):
        why = result["flag"] or "the area answers do not vary"
        return np.nan, source, (f"Reliable change is left out: the reliability of the area answers before training "
                                f"could not be computed ({why}). Give a reliability coefficient as a number "
                                "(e.g. a published test-retest value) to include it.")
    if result["alpha"] <= 0:
        return np.nan, source, (f"Reliable change is left out: the {name} of the area answers before training is "
                                f"{result['alpha']:.2f} (not above 0), so it cannot scale reliable change. Give a "
                                "reliability coefficient as a number to include it.")
    return float(result["alpha"]), source, None


RC_SUMMARY_COLUMNS = ["category", "n", "share", "share_low", "share_high", "n_people", "reliability",
                      "reliability_source", "sd_pre", "method", "sem", "s_diff", "change_needed",
                      "not_estimable_reason"]


def reliable_change(pairs_or_person_scores: pd.DataFrame, *, reliability: float | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Jacobson & Truax (1991) reliable change of the person score.

    SEM = SD_pre·√(1 − r); S_diff = √2·SEM; RCI = (post − pre) / S_diff; reliable improvement when
    RCI > 1.96, reliable deterioration when RCI < −1.96. Descriptive only: no bespoke reliability exists for a
    training form, and the result depends on r.

    Parameters
    ----------
    pairs_or_person_scores : DataFrame
        Either ``pairs`` from :func:`match_pairs` (person scores are formed from it) or the output of
        :func:`person_scores` (columns ``pre, post``).
    reliability : float or "alpha"
        A reliability coefficient 0 <= r < 1 (e.g. test-retest), or "alpha" for the internal consistency of
        the area answers before training (Cronbach's alpha; Spearman-Brown for two areas). "alpha" needs
        ``pairs`` and at least 20 complete people; with fewer, reliable change is left out (below).

    Returns
    -------
    people : DataFrame
        The person-score rows with ``rci`` and ``category`` added.
    summary : DataFrame
        One row per category (``reliable improvement``, ``no reliable change``, ``reliable deterioration``) with
        ``category, n, share, share_low, share_high, n_people, reliability, reliability_source, sd_pre, method,
        sem, s_diff, change_needed, not_estimable_reason`` (``change_needed`` = 1.96·S_diff, in percentage
        points; Wilson intervals). When reliable change cannot be computed (the coefficient cannot be computed
        or is not above 0, fewer than two people, or no spread before training) nothing is raised: the counts,
        shares and ``change_needed`` are NaN and ``not_estimable_reason`` holds the sentence saying why (the
        report prints it instead of the table), so a small cohort still gets its pre/post report.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"pre": [40.0, 50.0, 60.0, 50.0], "post": [90.0, 55.0, 40.0, 50.0]})
    >>> _, summary = reliable_change(scores, reliability=0.75)
    >>> summary["n"].tolist()
    [1, 2, 1]
    """
    frame = pairs_or_person_scores
    _require(frame, ["pre", "post"], "The reliable-change input")
    is_pairs = "area_id" in frame.columns
    if is_pairs:
        _one_programme(frame)
    people = person_scores(frame) if is_pairs else frame.copy()
    if isinstance(reliability, str):
        if reliability.strip().lower() != "alpha":
            try:
                reliability = float(reliability)
            except ValueError:
                raise ParameterError(f"reliability must be a number between 0 and 1 or 'alpha'; got "
                                     f"'{reliability}'.") from None
        elif not is_pairs:
            raise ParameterError("reliability='alpha' needs the pairs table (the area answers), not person scores; "
                                 "pass the pairs from match_pairs or give a number.")
    reason = None
    if isinstance(reliability, str):
        r, source, reason = _pre_alpha(frame, people)
    else:
        r = float(reliability)
        if not 0 <= r < 1:
            raise ParameterError(f"reliability must be at least 0 and below 1; got {r:g}.")
        source = "coefficient given by the user"
    n_people = len(people)
    sd_pre = float(people["pre"].std(ddof=1)) if n_people >= 2 else np.nan
    sem = sd_pre * np.sqrt(1 - r)
    s_diff = np.sqrt(2 * sem**2)
    if reason is None and n_people < 2:
        reason = "Reliable change is left out: it needs at least two people with before and after scores."
    elif reason is None and not s_diff > 0:
        reason = ("Reliable change is left out: everyone gave the same score before training, so reliable change "
                  "(which scales by the spread before training) cannot be computed.")
    common = {"n_people": n_people, "reliability": r, "reliability_source": source, "sd_pre": sd_pre,
              "method": METHOD_RELIABLE_CHANGE}
    if reason is not None:
        people["rci"] = np.nan
        people["category"] = None
        rows = [{"category": c, "n": np.nan, "share": np.nan, "share_low": np.nan, "share_high": np.nan, **common,
                 "sem": np.nan, "s_diff": np.nan, "change_needed": np.nan, "not_estimable_reason": reason}
                for c in RC_CATEGORIES]
        return people.reset_index(drop=True), pd.DataFrame(rows, columns=RC_SUMMARY_COLUMNS)
    people["rci"] = (people["post"] - people["pre"]) / s_diff
    people["category"] = np.select([people["rci"] > RCI_CRITICAL, people["rci"] < -RCI_CRITICAL],
                                   ["reliable improvement", "reliable deterioration"], "no reliable change")
    rows = []
    for category in RC_CATEGORIES:
        n = int((people["category"] == category).sum())
        share, low, high = wilson_interval(n, n_people)
        rows.append({"category": category, "n": n, "share": share, "share_low": low, "share_high": high, **common,
                     "sem": sem, "s_diff": s_diff, "change_needed": RCI_CRITICAL * s_diff,
                     "not_estimable_reason": None})
    return people.reset_index(drop=True), pd.DataFrame(rows, columns=RC_SUMMARY_COLUMNS)


# ---------------------------------------------------------------------------------------------------------------
# Teams
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TeamView:
    """Team results: ``teams`` (one row per team), ``spread`` (between-team spread and ICC before and after) and
    ``change_models`` (the mean change allowing for clustering by team, two ways). See :func:`team_view`."""

    teams: pd.DataFrame
    spread: pd.DataFrame
    change_models: pd.DataFrame
    n_people_without_team: int


def _random_intercept(frame: pd.DataFrame, outcome: str) -> dict:
    """REML random-intercept model ``outcome ~ 1 + (1 | team_code)``; default optimiser list, convergence checked."""
    import statsmodels.formula.api as smf

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # The default method list (bfgs first) is kept: lbfgs alone reached a wrong boundary solution on a
            # test dataset (stats spec 1.9).
            fit = smf.mixedlm(f"{outcome} ~ 1", frame, groups=frame["team_code"]).fit(reml=True)
        except (ValueError, np.linalg.LinAlgError) as exc:
            return {"converged": False, "note": f"model could not be fitted: {exc}",
                    "not_estimable": f"not estimable: the mixed model could not be fitted ({exc})"}
    tau2 = float(fit.cov_re.iloc[0, 0])
    sigma2 = float(fit.scale)
    notes = []
    if caught or not fit.converged:
        notes.append("the optimiser reported problems (statsmodels: "
                     + "; ".join(sorted({str(w.message).splitlines()[0] for w in caught})) + ")")
    if tau2 <= 1e-6 * max(sigma2, 1e-12):
        # A variance on its boundary (zero) is the usual cause; when the model converged the ICC is zero.
        notes.insert(0, "between-team variance estimated at zero (boundary)")
    icc = tau2 / (tau2 + sigma2) if tau2 + sigma2 > 0 else np.nan
    not_estimable = None
    if not fit.converged:
        # A model that did not converge has no estimate to report: never shown as ICC 0.00.
        not_estimable = ("not estimable: the mixed model did not converge"
                         + (" (the between-team variance ran to its boundary, zero)" if notes[0].startswith("between")
                            else "") + "; describe the spread of team means instead")
        tau2 = sigma2 = icc = np.nan
    elif not np.isfinite(icc):
        not_estimable = "not estimable: no variation in the scores"
    return {"fit": fit, "converged": bool(fit.converged), "tau2": tau2, "sigma2": sigma2, "icc": icc,
            "note": "; ".join(notes) or None, "not_estimable": not_estimable}


def team_view(pairs: pd.DataFrame, *, threshold: float = DEFAULT_THRESHOLD) -> TeamView:
    """Teams before and after: per-team results, between-team spread, ICCs and the change allowing for teams.

    Uses person scores (complete people only) of one programme; people without a team code are left out and
    counted. No disclosure control is applied here: every team row carries ``n_respondents`` so the caller's
    ``ttwell.disclosure`` step can hide teams below the threshold (11) before anything is shown.

    Returns
    -------
    TeamView
        ``teams``: ``programme_id, team_code, n_respondents, mean_pre, mean_post, mean_change, n_above_pre,
        share_above_pre, share_above_pre_low, share_above_pre_high, n_above_post, share_above_post,
        share_above_post_low, share_above_post_high, share_interval_method`` (shares strictly above
        ``threshold``, Wilson intervals).

        ``spread``: one row per timepoint (``pre``, ``post``) with ``n_teams, n_respondents, team_mean_sd,
        team_mean_min, team_mean_max, team_mean_range, team_mean_p25, team_mean_p75, team_mean_iqr,
        share_above_min, share_above_max, share_above_range, icc, tau2, sigma2, icc_converged, icc_note,
        icc_method, not_estimable_reason``. The spread is of the unweighted team means (SD with ddof = 1,
        quartiles by numpy's linear method = R type 7); the ICC is from a REML random-intercept model
        ``score ~ 1 + (1 | team)``. A model that did not converge gives ICC, tau2 and sigma2 NaN and the reason
        in ``not_estimable_reason`` (never an ICC of 0); a converged model at the boundary gives ICC 0.

        ``change_models``: two rows, ``random intercept (REML), t with teams - 1 df`` and
        ``OLS, CR1 cluster-robust SE by team, t with teams - 1 df``, with ``model, estimate, se, df, t, p,
        ci_low, ci_high, n_teams, n_respondents, converged, tau2, sigma2, note, not_estimable_reason`` (the
        ``model`` column names the method). Sensitivity analyses: with few teams both are imprecise. A
        random-intercept model that did not converge gives no estimate, with the reason.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"programme_id": "P", "participant_pid": list("abcdef"), "area_id": 1,
    ...                       "team_code": list("AAABBB"), "pre": [20.0, 30.0, 40.0, 60.0, 70.0, 80.0],
    ...                       "post": [70.0, 80.0, 90.0, 80.0, 90.0, 100.0]})
    >>> view = team_view(pairs)
    >>> view.spread[["timepoint", "team_mean_range"]].to_dict("records")
    [{'timepoint': 'pre', 'team_mean_range': 40.0}, {'timepoint': 'post', 'team_mean_range': 10.0}]
    """
    from scipy import stats

    threshold = _check_threshold(threshold)
    _require(pairs, ["programme_id", "participant_pid", "area_id", "pre", "post"], "The pairs table")
    programme = _one_programme(pairs)
    people = person_scores(pairs)
    without_team = int(people["team_code"].isna().sum())
    people = people.dropna(subset=["team_code"])

    rows = []
    for team, part in people.groupby("team_code", sort=True):
        row = {"programme_id": programme, "team_code": team, "n_respondents": len(part),
               "mean_pre": part["pre"].mean(), "mean_post": part["post"].mean(),
               "mean_change": part["change"].mean()}
        for name in ("pre", "post"):
            above = int((part[name] > threshold).sum())
            share, low, high = wilson_interval(above, len(part))
            row.update({f"n_above_{name}": above, f"share_above_{name}": share,
                        f"share_above_{name}_low": low, f"share_above_{name}_high": high})
        rows.append(row)
    team_columns = ["programme_id", "team_code", "n_respondents", "mean_pre", "mean_post", "mean_change",
                    "n_above_pre", "share_above_pre", "share_above_pre_low", "share_above_pre_high",
                    "n_above_post", "share_above_post", "share_above_post_low", "share_above_post_high",
                    "share_interval_method"]
    teams = pd.DataFrame(rows, columns=team_columns)
    teams["share_interval_method"] = METHOD_WILSON_SHARES
    n_teams = len(teams)
    enough = n_teams >= 2 and len(people) > n_teams

    spread_rows = []
    for name in ("pre", "post"):
        means = teams[f"mean_{name}"].to_numpy(dtype=float)
        shares = teams[f"share_above_{name}"].to_numpy(dtype=float)
        p25, p75 = np.percentile(means, [25, 75]) if n_teams else (np.nan, np.nan)
        row = {"programme_id": programme, "timepoint": name, "n_teams": n_teams, "n_respondents": len(people),
               "team_mean_sd": means.std(ddof=1) if n_teams > 1 else np.nan,
               "team_mean_min": means.min() if n_teams else np.nan,
               "team_mean_max": means.max() if n_teams else np.nan,
               "team_mean_range": np.ptp(means) if n_teams else np.nan,
               "team_mean_p25": p25, "team_mean_p75": p75, "team_mean_iqr": p75 - p25,
               "share_above_min": shares.min() if n_teams else np.nan,
               "share_above_max": shares.max() if n_teams else np.nan,
               "share_above_range": np.ptp(shares) if n_teams else np.nan,
               "icc": np.nan, "tau2": np.nan, "sigma2": np.nan, "icc_converged": pd.NA, "icc_note": None,
               "icc_method": METHOD_ICC, "not_estimable_reason": None}
        if enough:
            model = _random_intercept(people.rename(columns={name: "score"}), "score")
            row.update(icc=model.get("icc", np.nan), tau2=model.get("tau2", np.nan),
                       sigma2=model.get("sigma2", np.nan), icc_converged=model["converged"], icc_note=model["note"],
                       not_estimable_reason=model["not_estimable"] and f"ICC {model['not_estimable']}")
        else:
            row["icc_note"] = "not computed: needs at least two teams and more people than teams"
            row["not_estimable_reason"] = "ICC not estimable: needs at least two teams and more people than teams"
        spread_rows.append(row)
    spread = pd.DataFrame(spread_rows)

    model_columns = ["programme_id", "model", "estimate", "se", "df", "t", "p", "ci_low", "ci_high", "n_teams",
                     "n_respondents", "converged", "tau2", "sigma2", "note", "not_estimable_reason"]
    base = {"programme_id": programme, "n_teams": n_teams, "n_respondents": len(people), "df": n_teams - 1,
            "estimate": np.nan, "se": np.nan, "t": np.nan, "p": np.nan, "ci_low": np.nan, "ci_high": np.nan,
            "converged": pd.NA, "tau2": np.nan, "sigma2": np.nan, "note": None, "not_estimable_reason": None}
    mixed = {**base, "model": "random intercept (REML), t with teams - 1 df"}
    robust = {**base, "model": "OLS, CR1 cluster-robust SE by team, t with teams - 1 df"}
    if enough:
        df = n_teams - 1
        quantile = stats.t.ppf(0.975, df)
        model = _random_intercept(people, "change")
        mixed.update(converged=model["converged"], note=model["note"], not_estimable_reason=model["not_estimable"])
        if "fit" in model and model["converged"]:
            # Wald t with G - 1 df, not statsmodels' normal z: with six teams the normal is far too narrow.
            estimate, se = float(model["fit"].fe_params.iloc[0]), float(model["fit"].bse.iloc[0])
            mixed.update(estimate=estimate, se=se, t=estimate / se, p=2 * stats.t.sf(abs(estimate / se), df),
                         ci_low=estimate - quantile * se, ci_high=estimate + quantile * se,
                         tau2=model["tau2"], sigma2=model["sigma2"])
        import statsmodels.formula.api as smf

        codes = pd.factorize(people["team_code"])[0]
        fit = smf.ols("change ~ 1", people).fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
        estimate, se = float(fit.params.iloc[0]), float(fit.bse.iloc[0])
        if np.allclose(people["change"], people["change"].iloc[0]):
            # Every person changed by the same amount (SE 0 up to rounding): a zero-width interval would claim
            # a certainty the data do not give.
            se = np.nan
            robust["not_estimable_reason"] = ("not estimable: the changes do not vary, so the cluster-robust "
                                              "standard error is zero")
        # Computed from G - 1 df explicitly so the reported df and the CI cannot disagree.
        robust.update(estimate=estimate, se=se, t=estimate / se, p=2 * stats.t.sf(abs(estimate / se), df),
                      ci_low=estimate - quantile * se, ci_high=estimate + quantile * se, converged=True,
                      note="few clusters: CR1 standard errors are biased downward; a sensitivity check only")
    else:
        mixed["note"] = robust["note"] = "not computed: needs at least two teams and more people than teams"
        mixed["not_estimable_reason"] = robust["not_estimable_reason"] = (
            "not estimable: needs at least two teams and more people than teams")
    change_models = pd.DataFrame([mixed, robust], columns=model_columns)
    return TeamView(teams=teams, spread=spread, change_models=change_models, n_people_without_team=without_team)


# ---------------------------------------------------------------------------------------------------------------
# Unmatched
# ---------------------------------------------------------------------------------------------------------------

def unmatched_comparison(responses: pd.DataFrame) -> pd.DataFrame:
    """All pre vs all post answers as independent samples (Welch t): weaker, it ignores pairing.

    For when forms cannot be linked, or as a check on the matched result: every pre answer and every post
    answer is used, matched or not. Biased if the people who answered only once differ from the others.

    Returns
    -------
    DataFrame
        One row per area and an ``overall`` row (person scores of people who answered every area at that
        timepoint), with ``programme_id, area, unit, n_pre, n_post, mean_pre, mean_post, mean_difference, ci_low,
        ci_high, t, df, p, method`` (``method`` starts with "weaker: ignores pairing").

    Examples
    --------
    >>> import pandas as pd
    >>> responses = pd.DataFrame({"programme_id": "P", "participant_pid": list("abcde"),
    ...                           "timepoint": ["pre", "pre", "post", "post", "post"], "area_id": 1,
    ...                           "confidence_pct": [40.0, 50.0, 70.0, 80.0, 90.0]})
    >>> unmatched_comparison(responses)[["area", "n_pre", "n_post", "mean_difference"]].to_dict("records")[0]
    {'area': 1, 'n_pre': 2, 'n_post': 3, 'mean_difference': 35.0}
    """
    _require(responses, REQUIRED_COLUMNS, "The responses table")
    frame = responses[responses["timepoint"].isin(["pre", "post"])].dropna(subset=["confidence_pct"])
    programme = _one_programme(frame)
    rows = []
    for area, part in frame.groupby("area_id", sort=True):
        result = welch_t(part.loc[part["timepoint"] == "pre", "confidence_pct"],
                         part.loc[part["timepoint"] == "post", "confidence_pct"])
        rows.append({"programme_id": programme, "area": area, "unit": "area answer", **result})
    n_areas = frame["area_id"].nunique()
    scores = (frame.groupby(["timepoint", "participant_pid"])["confidence_pct"].agg(["mean", "count"])
              .reset_index())
    scores = scores[scores["count"] == n_areas]
    result = welch_t(scores.loc[scores["timepoint"] == "pre", "mean"],
                     scores.loc[scores["timepoint"] == "post", "mean"])
    rows.append({"programme_id": programme, "area": OVERALL, "unit": "person score", **result})
    table = pd.DataFrame(rows, columns=["programme_id", "area", "unit", "n_pre", "n_post", "mean_pre", "mean_post",
                                        "mean_difference", "ci_low", "ci_high", "t", "df", "p"])
    table["method"] = METHOD_WELCH
    return table
