"""Teams before and after training: per-team results, the spread between teams, ICCs and the change allowing for teams."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ttwell.calculations.prepost.areas import METHOD_WILSON_SHARES
from ttwell.calculations.prepost.matching import (DEFAULT_THRESHOLD, _check_threshold, _one_programme, _require,
                                                  person_scores)
from ttwell.calculations.statistics import wilson_interval

METHOD_ICC = ("ICC = tau^2 / (tau^2 + sigma^2) from a REML random-intercept model score ~ 1 + (1 | team) "
              "(statsmodels MixedLM, default optimisers, convergence checked)")


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
