"""The pre/post area table (each area's change and an overall row on person scores) and the unmatched comparison.

Each row combines the general tests of ``ttwell.calculations.statistics`` (paired t, Wilcoxon, effect sizes,
McNemar, Wilson, Holm, Welch) on the training form's answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations.prepost.matching import (DEFAULT_THRESHOLD, OVERALL, OVERALL_LABEL, REQUIRED_COLUMNS,
                                                  _check_threshold, _one_programme, _require, person_scores)
from ttwell.calculations.prepost.reliable import reliable_change
from ttwell.calculations.statistics import (METHOD_EFFECT_SIZES, effect_sizes, holm, mcnemar_test, paired_t,
                                            welch_t, wilcoxon_signed_rank, wilson_interval)

METHOD_HOLM = "Holm step-down adjustment across the area tests only (not the overall row), one family per test type."
METHOD_WELCH = "weaker: ignores pairing. Welch t-test (unequal variances) of all post vs all pre person scores."
METHOD_WILSON_SHARES = "Wilson score interval (statsmodels proportion_confint, method='wilson')"


def _first_row(result: pd.DataFrame) -> dict:
    """The one row of a ``ttwell.calculations.statistics`` test result, as a dict to build a table row from."""
    return result.to_dict("records")[0]


def _shares(pre: np.ndarray, post: np.ndarray, threshold: float) -> dict:
    above_pre, above_post = pre > threshold, post > threshold  # strictly above: exactly 50 is not above 50
    out = {"threshold": threshold}
    for name, above in (("pre", above_pre), ("post", above_post)):
        share, low, high = wilson_interval(int(above.sum()), len(above))
        out.update({f"n_above_{name}": int(above.sum()), f"share_above_{name}": share,
                    f"share_above_{name}_low": low, f"share_above_{name}_high": high})
    out.update(_first_row(mcnemar_test(int((~above_pre & above_post).sum()), int((above_pre & ~above_post).sum()),
                                       a=int((~above_pre & ~above_post).sum()),
                                       d=int((above_pre & above_post).sum()))))
    return out


def _paired_row(pre, post, threshold: float) -> dict:
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    n = len(pre)
    change = post - pre
    row = {"n_matched": n, "n_respondents": n,
           "mean_pre": pre.mean() if n else np.nan, "sd_pre": pre.std(ddof=1) if n > 1 else np.nan,
           "mean_post": post.mean() if n else np.nan, "sd_post": post.std(ddof=1) if n > 1 else np.nan,
           "median_change": float(np.median(change)) if n else np.nan,
           "n_improved": int((change > 0).sum()), "share_improved": (change > 0).mean() if n else np.nan}
    row.update(_first_row(paired_t(pre, post)))
    row.pop("n")
    row.update(_first_row(wilcoxon_signed_rank(pre, post)))
    row.update(_first_row(effect_sizes(pre, post)))
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
    return row


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
        result = _first_row(welch_t(part.loc[part["timepoint"] == "pre", "confidence_pct"],
                                    part.loc[part["timepoint"] == "post", "confidence_pct"]))
        rows.append({"programme_id": programme, "area": area, "unit": "area answer", **result})
    n_areas = frame["area_id"].nunique()
    scores = (frame.groupby(["timepoint", "participant_pid"])["confidence_pct"].agg(["mean", "count"])
              .reset_index())
    scores = scores[scores["count"] == n_areas]
    result = _first_row(welch_t(scores.loc[scores["timepoint"] == "pre", "mean"],
                                scores.loc[scores["timepoint"] == "post", "mean"]))
    rows.append({"programme_id": programme, "area": OVERALL, "unit": "person score", **result})
    table = pd.DataFrame(rows, columns=["programme_id", "area", "unit", "n_pre", "n_post", "mean_pre", "mean_post",
                                        "mean_difference", "ci_low", "ci_high", "t", "df", "p"])
    table["method"] = METHOD_WELCH
    return table
