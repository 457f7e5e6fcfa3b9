"""Baseline year vs evaluation year: each workforce indicator and survey score in two whole years, with a CI of
the difference whose method is named on every row (an uncontrolled before-after comparison)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ttwell.calculations.statistics import independent_difference, newcombe_difference, poisson_rate_difference
from ttwell.errors import AnalysisError, ParameterError

CAVEAT_BEFORE_AFTER = ("uncontrolled before-after comparison: the difference between two years includes every other "
                       "change over that time (staffing, demand, pay, national policy), not only the strategy.")

METHOD_DIFF_NEWCOMBE = ("Newcombe hybrid score interval (method 10) for the difference of two proportions; "
                        "approximate here because the two years' cohorts overlap.")
METHOD_DIFF_POISSON = ("Wald interval for the difference of two Poisson rates: var = count/exposure^2 for each year, "
                       "years treated as independent.")
METHOD_DIFF_RATIO = ("difference of two ratio-of-sums estimates; each year's variance is its person-clustered "
                     "(linearised) variance, and the years are treated as independent (variances added), which "
                     "ignores that many people appear in both years.")
METHOD_DIFF_WELCH = "Welch t interval for the difference of two independent means (unpaired: respondents not linked)."

DIFFERENCE_METHODS = {
    "Newcombe": METHOD_DIFF_NEWCOMBE,
    "Wald Poisson rate difference": METHOD_DIFF_POISSON,
    "independent ratio difference": METHOD_DIFF_RATIO,
    "Welch t": METHOD_DIFF_WELCH,
    "none": "no interval for the difference (a census count, or an FTE-weighted rate).",
}

YEAR_COLUMNS = ["indicator", "label", "unit", "level", "group", "value_baseline", "value_evaluation",
                "absolute_change", "relative_change", "ci_low", "ci_high", "interval", "n_baseline",
                "n_evaluation", "caveat"]


def _z(alpha: float) -> float:
    return float(stats.norm.ppf(1 - alpha / 2))


def _difference_row(base: pd.Series, evaln: pd.Series, alpha: float) -> tuple[float, float, str]:
    """CI of evaluation - baseline, chosen from the interval each year's figure used."""
    interval = base["interval"]
    if interval == "Wilson":
        if base["denominator"] > 0 and evaln["denominator"] > 0:
            _, low, high = newcombe_difference(evaln["numerator"], evaln["denominator"],
                                               base["numerator"], base["denominator"], alpha=alpha)
            return low, high, "Newcombe"
        return np.nan, np.nan, "Newcombe"
    if interval == "exact Poisson" and np.isfinite(base["denominator"]) and np.isfinite(evaln["denominator"]):
        if base["denominator"] > 0 and evaln["denominator"] > 0:
            _, low, high = poisson_rate_difference(evaln["numerator"], evaln["denominator"],
                                                   base["numerator"], base["denominator"], alpha=alpha)
            return low, high, "Wald Poisson rate difference"
        return np.nan, np.nan, "Wald Poisson rate difference"
    if interval.startswith("clustered ratio"):
        # baseline_summary gives the interval, not the SE; its upper limit is estimate + z*SE (normal, never
        # clipped), so the SE is recovered from it rather than recomputing the person-level sums here.
        se_b = (base["ci_high"] - base["value"]) / _z(0.05)
        se_e = (evaln["ci_high"] - evaln["value"]) / _z(0.05)
        _, low, high = independent_difference(evaln["value"], se_e, base["value"], se_b, alpha=alpha)
        return low, high, "independent ratio difference"
    return np.nan, np.nan, "none"


def year_comparison(data, *, baseline_start, baseline_end, evaluation_start, evaluation_end,
                    options=None, alpha: float = 0.05) -> pd.DataFrame:
    """Each workforce indicator in the baseline year and the evaluation year, with a CI of the difference.

    Parameters
    ----------
    data : ttwell.inputs.io.WorkforceData
    baseline_start, baseline_end, evaluation_start, evaluation_end : date-like
        First and last day of each period; whole years (April-March) so seasonality cancels.
    options : ttwell.calculations.workforce.Options, optional
    alpha : float
        1 - confidence level of the interval of the difference.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, level and group: ``indicator, label, unit, level, group, value_baseline,
        value_evaluation, absolute_change, relative_change, ci_low, ci_high, interval, n_baseline, n_evaluation,
        caveat``. ``absolute_change`` = evaluation - baseline (in the indicator's unit: a proportion, so x100 for
        percentage points); ``relative_change`` = absolute_change / value_baseline; ``ci_low, ci_high`` are for
        ``absolute_change``; ``interval`` names the method (``DIFFERENCE_METHODS`` explains each); ``n_*`` are
        staff in post at the end of each period (the cohort for the NHS stability index). ``caveat`` and
        ``attrs["caveat"]`` hold the "uncontrolled before-after comparison" warning.

    Notes
    -----
    * Proportions of people (stability indices): Newcombe hybrid score interval (approximate: the cohorts overlap).
    * Leaver rates (events / mean staff in post): Wald interval on the difference of two Poisson rates.
    * Sickness absence (ratio of sums): each year's person-clustered linearised variance, added as if the years
      were independent.
    * Staff in post, joiners and FTE-weighted leaver rates: no interval of the difference.

    Examples
    --------
    >>> table = year_comparison(data, baseline_start="2023-04-01", baseline_end="2024-03-31",
    ...                         evaluation_start="2024-04-01", evaluation_end="2025-03-31")  # doctest: +SKIP
    """
    from ttwell.calculations import workforce

    options = options or workforce.Options()
    base = workforce.baseline_summary(data, baseline_start, baseline_end, options)
    evaln = workforce.baseline_summary(data, evaluation_start, evaluation_end, options)
    keys = ["indicator", "level", "group"]
    merged = base.merge(evaln, on=keys, how="outer", suffixes=("_b", "_e"), sort=False)
    rows = []
    for _, r in merged.iterrows():
        b = pd.Series({k[:-2]: r[k] for k in r.index if k.endswith("_b")})
        e = pd.Series({k[:-2]: r[k] for k in r.index if k.endswith("_e")})
        low = high = np.nan
        method = "none"
        if pd.notna(b.get("value")) and pd.notna(e.get("value")) and isinstance(b.get("interval"), str):
            low, high, method = _difference_row(b, e, alpha)
        diff = e.get("value") - b.get("value")
        rel = diff / b["value"] if pd.notna(b.get("value")) and b["value"] != 0 else np.nan
        rows.append({"indicator": r["indicator"], "label": r["label_b"] if pd.notna(r.get("label_b")) else r["label_e"],
                     "unit": r["unit_b"] if pd.notna(r.get("unit_b")) else r["unit_e"],
                     "level": r["level"], "group": r["group"], "value_baseline": b.get("value"),
                     "value_evaluation": e.get("value"), "absolute_change": diff, "relative_change": rel,
                     "ci_low": low, "ci_high": high, "interval": method, "n_baseline": b.get("n_people"),
                     "n_evaluation": e.get("n_people"), "caveat": CAVEAT_BEFORE_AFTER})
    table = pd.DataFrame(rows, columns=YEAR_COLUMNS)
    table.attrs["caveat"] = CAVEAT_BEFORE_AFTER
    table.attrs["methods"] = {k: v for k, v in DIFFERENCE_METHODS.items() if k in set(table["interval"])}
    return table


def scale_comparison(scored_baseline: pd.DataFrame, scored_evaluation: pd.DataFrame, score: str,
                     alpha: float = 0.05) -> pd.DataFrame:
    """Mean survey scale score in two independent survey rounds, with a Welch t CI of the difference.

    Parameters
    ----------
    scored_baseline, scored_evaluation : pandas.DataFrame
        Scored responses (``ttwell.calculations.scales.score`` output), one row per respondent.
    score : str
        Column holding the scale score; missing scores are dropped.
    alpha : float

    Returns
    -------
    pandas.DataFrame
        One row: ``score, n_baseline, mean_baseline, sd_baseline, n_evaluation, mean_evaluation, sd_evaluation,
        difference, ci_low, ci_high, t, dof, p, interval, caveat``. difference = evaluation - baseline.

    Examples
    --------
    >>> a = pd.DataFrame({"wemwbs": [40, 45, 50, 48]}); b = pd.DataFrame({"wemwbs": [50, 52, 49, 55]})
    >>> round(float(scale_comparison(a, b, "wemwbs")["difference"].iloc[0]), 2)
    5.75
    """
    from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

    for name, frame in (("scored_baseline", scored_baseline), ("scored_evaluation", scored_evaluation)):
        if score not in frame.columns:
            raise ParameterError(f"{name} has no column '{score}'; columns are: {', '.join(map(str, frame.columns))}.")
    x0 = pd.to_numeric(scored_baseline[score], errors="coerce").dropna().to_numpy(float)
    x1 = pd.to_numeric(scored_evaluation[score], errors="coerce").dropna().to_numpy(float)
    if len(x0) < 2 or len(x1) < 2:
        raise AnalysisError(f"'{score}' needs at least two scored respondents in each round "
                            f"(found {len(x0)} and {len(x1)}).")
    cm = CompareMeans(DescrStatsW(x1), DescrStatsW(x0))
    t, p, dof = cm.ttest_ind(usevar="unequal")
    low, high = cm.tconfint_diff(alpha=alpha, usevar="unequal")
    return pd.DataFrame([{
        "score": score, "n_baseline": len(x0), "mean_baseline": x0.mean(), "sd_baseline": x0.std(ddof=1),
        "n_evaluation": len(x1), "mean_evaluation": x1.mean(), "sd_evaluation": x1.std(ddof=1),
        "difference": x1.mean() - x0.mean(), "ci_low": float(low), "ci_high": float(high), "t": float(t),
        "dof": float(dof), "p": float(p), "interval": "Welch t", "caveat": CAVEAT_BEFORE_AFTER}])
