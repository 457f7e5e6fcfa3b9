"""Interrupted time series (segmented regression) on one monthly series: the design, the model, its effects
and its autocorrelation checks."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ttwell.calculations.impact.autocorrelation import (ITS_VARIANCE_METHODS, _coefficients_from_cov, _effect_row,
                                                        _effects_from_cov, latent_ar1_covariance)
from ttwell.errors import AnalysisError, ParameterError

HARMONICS = ["sin1", "cos1", "sin2", "cos2"]


@dataclass
class ITSResult:
    """What ``its`` returns.

    Attributes
    ----------
    coefficients : DataFrame
        ``term, estimate, se, ci_low, ci_high, p`` (+ ``exp_estimate, exp_ci_low, exp_ci_high`` for the GLM).
    effects : DataFrame
        ``effect, estimate, se, ci_low, ci_high, p, scale, months_after`` for ``level_change``, ``slope_change``
        and ``effect_at_end`` (ratio scale for the GLM: rate ratios; value units for OLS).
    fitted : DataFrame
        ``date, time, post, observed, fitted, counterfactual`` (for counts also ``denominator`` and the same three
        as rates per unit denominator: ``observed_rate, fitted_rate, counterfactual_rate``).
    diagnostics : dict
        ``n, n_pre, n_post, t0, t_end, dispersion, durbin_watson, breusch_godfrey_p, acf`` (lags 1..3),
        ``lag`` (Newey-West lag used; None for the GLM), ``lag_rule``.
    warnings : list of str
    model : str
        One sentence naming the model, its formula and the variance method.
    result : statsmodels results object (not serialised).
    """

    coefficients: pd.DataFrame
    effects: pd.DataFrame
    fitted: pd.DataFrame
    diagnostics: dict
    warnings: list[str] = field(default_factory=list)
    model: str = ""
    result: object = None

    def as_dict(self) -> dict:
        """JSON-friendly summary (no fitted model object)."""
        def records(frame):
            out = frame.copy()
            for col in out.columns:
                if pd.api.types.is_datetime64_any_dtype(out[col]):
                    out[col] = out[col].dt.strftime("%Y-%m-%d")
            return [{k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in row.items()}
                    for row in out.astype(object).to_dict("records")]
        diag = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in self.diagnostics.items()}
        return {"model": self.model, "coefficients": records(self.coefficients), "effects": records(self.effects),
                "diagnostics": diag, "warnings": list(self.warnings), "fitted": records(self.fitted)}


def newey_west_lag(n: int) -> int:
    """Rule-of-thumb Newey-West lag, floor(4 (n/100)^(2/9)) (Newey & West 1994); 3 for n = 36-59.

    >>> newey_west_lag(59)
    3
    """
    return int(np.floor(4 * (n / 100) ** (2 / 9)))


def its_design(dates, start) -> pd.DataFrame:
    """The ITS design columns for monthly dates: ``time, post, post_t, month, sin1, cos1, sin2, cos2``.

    ``time`` counts months from 1 at the first month (so gaps keep their place), ``post`` = 1 from the month of
    ``start``, ``post_t`` = post x (time - t0) with t0 the last pre-intervention month (centred interaction,
    statistics spec 2.2), and the harmonics are sin/cos(2 pi k month / 12), k = 1, 2, with month the calendar
    month 1-12, as R ``tsModel::harmonic(month, 2, 12)``.

    >>> its_design(pd.date_range("2024-01-01", periods=4, freq="MS"), "2024-03-01")[["time", "post", "post_t"]].values.tolist()
    [[1, 0, 0], [2, 0, 0], [3, 1, 1], [4, 1, 2]]
    """
    months = pd.DatetimeIndex(dates).to_period("M")
    start_m = pd.Timestamp(start).to_period("M")
    first = months.min()
    time = np.asarray([(m - first).n + 1 for m in months], dtype=int)
    t0 = (start_m - first).n  # last pre-intervention month on the same scale
    post = (months >= start_m).astype(int)
    month = np.asarray(months.month, dtype=int)
    design = pd.DataFrame({"time": time, "post": post, "post_t": post * (time - t0), "month": month})
    for k in (1, 2):
        design[f"sin{k}"] = np.sin(2 * np.pi * k * month / 12)
        design[f"cos{k}"] = np.cos(2 * np.pi * k * month / 12)
    design.attrs["t0"] = int(t0)
    return design


def _acf(resid, nlags: int = 3) -> list[float]:
    from statsmodels.tsa.stattools import acf

    resid = np.asarray(resid, dtype=float)
    nlags = min(nlags, len(resid) - 2)
    if nlags < 1:
        return []
    return [float(v) for v in acf(resid, nlags=nlags, fft=False)[1:]]


def _tidy_coefficients(res, ratio: bool, alpha: float) -> pd.DataFrame:
    ci = res.conf_int(alpha=alpha)
    out = pd.DataFrame({"term": res.params.index, "estimate": res.params.values, "se": res.bse.values,
                        "ci_low": ci.iloc[:, 0].values, "ci_high": ci.iloc[:, 1].values, "p": res.pvalues.values})
    if ratio:
        out["exp_estimate"] = np.exp(out["estimate"])
        out["exp_ci_low"] = np.exp(out["ci_low"])
        out["exp_ci_high"] = np.exp(out["ci_high"])
    return out.reset_index(drop=True)


def _effects(res, names: list[str], t_end: int, t0: int, ratio: bool, alpha: float) -> pd.DataFrame:
    rows = []
    candidates = [("level_change", {"post": 1.0}, 0), ("slope_change", {"post_t": 1.0}, None),
                  ("effect_at_end", {"post": 1.0, "post_t": float(t_end - t0)}, t_end - t0)]
    for effect, weights, months_after in candidates:
        weights = {k: v for k, v in weights.items() if k in names}
        if not weights:  # the term is not in the pre-specified impact model
            continue
        contrast = np.array([[weights.get(n, 0.0) for n in names]])
        # t_test on the contrast is the delta method for a linear combination of coefficients.
        tt = res.t_test(contrast)
        est = float(np.squeeze(tt.effect))
        se = float(np.squeeze(tt.sd))
        low, high = (float(v) for v in np.squeeze(tt.conf_int(alpha=alpha)))
        rows.append({**_effect_row(effect, est, se, low, high, float(np.squeeze(tt.pvalue)), months_after, ratio),
                     "_weights": weights})
    return pd.DataFrame(rows)


def _drop_weights(effects: pd.DataFrame) -> pd.DataFrame:
    return effects.drop(columns=["_weights"], errors="ignore")


def its_method_sentence(result: "ITSResult") -> str:
    """One printable sentence saying how the ITS intervals treat autocorrelation, with the checks' numbers.

    >>> its_method_sentence(ITSResult(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
    ...     {"variance": "model", "ljung_box_p": 0.2, "ljung_box_lags": 6, "durbin_watson": 1.9}))
    'Autocorrelation check: Durbin-Watson 1.90, Ljung-Box p = 0.200 (6 lags). Model-based intervals that assume neighbouring months are independent.'
    """
    diag = result.diagnostics
    check = (f"Autocorrelation check: Durbin-Watson {diag['durbin_watson']:.2f}, Ljung-Box p = "
             f"{diag['ljung_box_p']:.3f} ({diag['ljung_box_lags']} lags).")
    method = diag.get("variance")
    if method == "latent_ar1":
        return (f"{check} {ITS_VARIANCE_METHODS['latent_ar1']} Here the estimated AR(1) coefficient is "
                f"{diag['latent_rho']:.2f} and the AR(1) part holds {100 * diag['latent_ar_share']:.0f}% of the "
                "residual variance.")
    if method == "hac":
        return f"{check} {ITS_VARIANCE_METHODS['hac'].replace('the stated lag', 'lag ' + str(diag['lag']))}"
    return f"{check} {ITS_VARIANCE_METHODS['model']}"


def its(data: pd.DataFrame, *, date: str, value: str | None = None, count: str | None = None,
        denominator: str | None = None, start, seasonal: bool = True, lag: int | None = None,
        end_of_year=None, impact: str = "level+slope", alpha: float = 0.05, variance: str | None = None,
        exclude_after_start: int = 0, trend: bool = True) -> ITSResult:
    """Interrupted time series (segmented regression) on one monthly series.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per month.
    date : str
        Column of dates (any day in the month; datetime or parseable).
    value : str, optional
        A continuous monthly value (for example a sickness absence rate): segmented OLS with Newey-West SEs.
    count, denominator : str, optional
        Event count and its denominator (for example FTE days lost and FTE days available): quasi-Poisson GLM
        with offset log(denominator). Give either ``value`` or both ``count`` and ``denominator``.
    start : date-like
        First month of the strategy (X = 1 from this month).
    seasonal : bool
        Add two harmonic pairs of the calendar month (sin1, cos1, sin2, cos2).
    lag : int, optional
        Newey-West lag for the OLS model; default floor(4 (n/100)^(2/9)). Always reported.
    end_of_year : date-like, optional
        Month at which to report the combined effect beta2 + beta3 (t_end - t0); default the last month observed.
    impact : {"level+slope", "level", "slope"}
        The pre-specified impact model: which of ``post`` (level change) and ``post_t`` (slope change) to include.
    alpha : float
    variance : {None, "latent_ar1", "hac", "model"}
        How the intervals allow for autocorrelation. ``None`` keeps the published defaults (quasi-Poisson
        model-based errors for counts, as Lopez Bernal et al. 2017; Newey-West for OLS). ``"latent_ar1"`` (the
        robust choice for reports, see ``latent_ar1_covariance`` and ``ITS_VARIANCE_METHODS``): the same point
        estimates, with a sandwich covariance under a latent AR(1) process plus independent noise whose parameters
        are estimated by REML; t(n - p - 2) intervals. ``"hac"``: Newey-West with ``lag`` (also for the GLM).
        ``"model"``: quasi-Poisson (GLM) or plain OLS errors, no allowance for autocorrelation.
    trend : bool
        Include the pre-strategy trend (``time``). ``False`` is a sensitivity analysis: the counterfactual is the
        pre-strategy level (with its seasonality), so nothing is extrapolated.
    exclude_after_start : int
        Leave out this many months from the strategy start (a phase-in period, statistics spec 2.2); the time
        index keeps their place, so the level change is still the step at the start.

    Returns
    -------
    ITSResult

    Notes
    -----
    Model (statistics spec 2.2-2.4, Wagner et al. 2002; Lopez Bernal et al. 2017):
    ``y ~ time + post + post_t [+ sin1 + cos1 + sin2 + cos2]`` with post_t = post x (time - t0), t0 the last
    pre-intervention month. GLM: Poisson family, ``fit(scale="X2")`` = quasi-Poisson (phi = Pearson chi2/(n-p)),
    Wald CIs exp(beta +/- z SE) as R ``Epi::ci.lin``, p-values from t(n - p) as R ``summary`` for quasi families.
    OLS: ``cov_type="HAC"``, ``maxlags=lag``, no small-sample correction (R ``sandwich::NeweyWest(prewhite=FALSE,
    adjust=FALSE)``), ``use_t=True``. Effects are linear contrasts (``results.t_test``): the delta method.

    Autocorrelation is always checked: Durbin-Watson, the residual ACF (lags 1-3) and a Ljung-Box test on the
    Pearson residuals (GLM) or the residuals (OLS), plus Breusch-Godfrey for OLS. With ``variance="latent_ar1"``
    the intervals allow for it whatever those checks say, because with 8 coefficients on 36 months the residual
    autocorrelation is biased towards zero and the tests miss it (``benchmarks/bench_its_coverage.py``).
    ``diagnostics["extrapolation"]`` says whether the counterfactual at ``end_of_year`` lies outside the range of
    the observed months (then the effect at the end is an extrapolation and must not be the headline).

    Examples
    --------
    >>> sicily = pd.read_csv("sicily.csv")  # doctest: +SKIP
    >>> sicily["date"] = pd.to_datetime(dict(year=sicily.year, month=sicily.month, day=1))  # doctest: +SKIP
    >>> its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01").effects  # doctest: +SKIP
    """
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    from statsmodels.stats.diagnostic import acorr_breusch_godfrey
    from statsmodels.stats.stattools import durbin_watson

    glm = count is not None or denominator is not None
    if glm and (count is None or denominator is None):
        raise ParameterError("A count model needs both count= and denominator= columns.")
    if glm == (value is not None):
        raise ParameterError("Give either value= (a continuous monthly value) or count= and denominator=, not both.")
    columns = [date] + ([count, denominator] if glm else [value])
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ParameterError(f"Column(s) {', '.join(missing)} not found; columns are: "
                             f"{', '.join(map(str, data.columns))}.")
    frame = data[columns].copy()
    frame[date] = pd.to_datetime(frame[date])
    for c in columns[1:]:
        frame[c] = pd.to_numeric(frame[c], errors="coerce")
    if frame[columns[1:]].isna().any().any():
        raise AnalysisError("Some months have a missing or non-numeric value; drop or fill them first.")
    frame = frame.sort_values(date).reset_index(drop=True)
    periods = frame[date].dt.to_period("M")
    if periods.duplicated().any():
        dup = periods[periods.duplicated()].iloc[0]
        raise AnalysisError(f"More than one row for {dup.strftime('%m/%Y')}: ITS needs one row per month.")
    if glm and (frame[denominator] <= 0).any():
        raise AnalysisError(f"'{denominator}' must be greater than 0 in every month (it is the log offset).")
    if glm and (frame[count] < 0).any():
        raise AnalysisError(f"'{count}' must not be negative.")

    design = its_design(frame[date], start)
    t0 = design.attrs["t0"]
    df = pd.concat([frame.rename(columns={date: "date"}), design], axis=1)
    if variance not in (None, "latent_ar1", "hac", "model"):
        raise ParameterError(f"variance must be None, 'latent_ar1', 'hac' or 'model'; got '{variance}'.")
    if exclude_after_start < 0:
        raise ParameterError("exclude_after_start must be 0 or more.")
    if exclude_after_start:
        # Phase-in months are dropped; time, post_t and the harmonics keep their values for the months left.
        df = df[~((df["post_t"] >= 1) & (df["post_t"] <= exclude_after_start))].reset_index(drop=True)
    n = len(df)
    n_pre, n_post = int((df["post"] == 0).sum()), int((df["post"] == 1).sum())
    warnings: list[str] = []
    if exclude_after_start:
        warnings.append(f"The first {exclude_after_start} month(s) after the start are left out (phase-in).")
    if n_pre < 2 or n_post < 2:
        raise AnalysisError(f"ITS needs months before and after the start ({n_pre} before, {n_post} after).")
    if n_pre < 12 or n_post < 12:
        warnings.append(f"Only {n_pre} month(s) before and {n_post} after the start: at least 12 on each side is the "
                        "usual recommendation (Wagner et al. 2002); intervals are wide and autocorrelation is poorly "
                        "estimated, so power is low.")
    if int(df["time"].iloc[-1]) != n and not exclude_after_start:
        warnings.append("Some months are missing from the series; the time index keeps their place, but "
                        "autocorrelation checks and Newey-West errors assume consecutive months.")
    if seasonal and n - 8 < 4:
        raise AnalysisError(f"Too few months ({n}) for a seasonal model; use seasonal=False.")

    if end_of_year is None:
        t_end = int(df["time"].iloc[-1])
    else:
        t_end = (pd.Timestamp(end_of_year).to_period("M") - df["date"].dt.to_period("M").min()).n + 1
    impact_terms = {"level+slope": ["post", "post_t"], "level": ["post"], "slope": ["post_t"]}
    if impact not in impact_terms:
        raise ParameterError(f"impact must be one of {', '.join(impact_terms)}; got '{impact}'.")
    rhs = " + ".join((["time"] if trend else []) + impact_terms[impact]) + (" + " + " + ".join(HARMONICS) if seasonal else "")
    x0 = df.assign(post=0, post_t=0)

    if glm:
        df["y"] = df[count]
        offset = np.log(df[denominator].to_numpy(float))
        model = smf.glm(f"y ~ {rhs}", df, family=sm.families.Poisson(), offset=offset)
        # Wald (normal) intervals match R Epi::ci.lin, which the published tables use.
        res = model.fit(scale="X2")
        # p-values from t(n - p), as R summary() for quasi families (statistics spec 2.3).
        res_t = model.fit(scale="X2", use_t=True)
        mu = np.asarray(res.mu, dtype=float)
        fitted = res.predict(df, offset=offset)
        counter = res.predict(x0, offset=offset)
        resid = res.resid_deviance
        pearson = np.asarray(res.resid_pearson, dtype=float)
        dispersion = float(res.scale)
        out = pd.DataFrame({"date": df["date"], "time": df["time"], "post": df["post"], "observed": df["y"],
                            "fitted": np.asarray(fitted), "counterfactual": np.asarray(counter),
                            "denominator": df[denominator]})
        for col in ("observed", "fitted", "counterfactual"):
            out[f"{col}_rate"] = out[col] / out["denominator"]
        bg_p = np.nan
        lag_used = None
        # Working response and weights of the converged IRLS fit (log link, Poisson variance function).
        working = np.log(mu) - offset + (df["y"].to_numpy(float) - mu) / mu
        weights = mu
        chosen = variance or "model"
        if chosen == "model":
            coefs = _tidy_coefficients(res, ratio=True, alpha=alpha)
            coefs["p"] = res_t.pvalues.values
            effects = _effects(res, list(res.params.index), t_end, t0, ratio=True, alpha=alpha)
            effects["p"] = [float(np.squeeze(res_t.t_test(np.array([[w.get(nm, 0.0) for nm in res.params.index]]))
                                             .pvalue)) for w in effects.pop("_weights")]
            variance_text = "quasi-Poisson model-based standard errors (no allowance for autocorrelation)"
            cov_used, q_used = np.asarray(res.cov_params()), float(stats.norm.ppf(1 - alpha / 2))
        description = (f"quasi-Poisson GLM for the rate {count}/{denominator} (offset log({denominator})): {count} ~ {rhs}; "
                       "post_t = post x (time - t0); dispersion = Pearson chi2/(n - p); ")
        if dispersion > 1.5:
            warnings.append(f"Overdispersion: phi = {dispersion:.2f}; quasi-Poisson standard errors are x sqrt(phi).")
        observed_range = (float(out["observed_rate"].min()), float(out["observed_rate"].max()))
    else:
        df["y"] = df[value]
        lag_used = newey_west_lag(n) if lag is None else int(lag)
        if lag_used < 0:
            raise ParameterError("lag must be 0 or more.")
        model = smf.ols(f"y ~ {rhs}", df)
        res = model.fit(cov_type="HAC", cov_kwds={"maxlags": lag_used}, use_t=True)
        out = pd.DataFrame({"date": df["date"], "time": df["time"], "post": df["post"], "observed": df["y"],
                            "fitted": np.asarray(res.predict(df)), "counterfactual": np.asarray(res.predict(x0))})
        resid = res.resid
        pearson = np.asarray(resid, dtype=float)
        dispersion = None  # no dispersion parameter for OLS; residual variance reported separately
        try:
            bg = acorr_breusch_godfrey(res, nlags=max(lag_used, 1), result_object=False)
        except TypeError:  # statsmodels < 0.15 has no result_object and always returns the tuple
            bg = acorr_breusch_godfrey(res, nlags=max(lag_used, 1))
        bg_p = float(bg[1])
        working = df["y"].to_numpy(float)
        weights = np.ones(n)
        chosen = variance or "hac"
        if chosen == "hac":
            coefs = _tidy_coefficients(res, ratio=False, alpha=alpha)
            effects = _drop_weights(_effects(res, list(res.params.index), t_end, t0, ratio=False, alpha=alpha))
            variance_text = (f"Newey-West (HAC) standard errors with lag {lag_used}, Bartlett weights, no "
                             "pre-whitening or small-sample adjustment; t intervals")
            cov_used, q_used = np.asarray(res.cov_params()), float(stats.t.ppf(1 - alpha / 2, res.df_resid))
        elif chosen == "model":
            plain = model.fit(use_t=True)
            coefs = _tidy_coefficients(plain, ratio=False, alpha=alpha)
            effects = _drop_weights(_effects(plain, list(plain.params.index), t_end, t0, ratio=False, alpha=alpha))
            variance_text = "ordinary least-squares standard errors (no allowance for autocorrelation)"
            cov_used, q_used = np.asarray(plain.cov_params()), float(stats.t.ppf(1 - alpha / 2, plain.df_resid))
        coefs_ols_se = model.fit().bse.values
        description = f"segmented OLS: {value} ~ {rhs}; post_t = post x (time - t0); "
        if bg_p < 0.05:
            warnings.append(f"Residual autocorrelation (Breusch-Godfrey p = {bg_p:.3f}); Newey-West errors allow for "
                            "it, but check the sensitivity to the lag.")
        observed_range = (float(out["observed"].min()), float(out["observed"].max()))

    names = list(res.params.index)
    X = np.asarray(model.exog, dtype=float)
    latent = None
    if chosen == "latent_ar1":
        latent = latent_ar1_covariance(X, working, weights, times=df["time"].to_numpy(float))
        cov = latent["cov"]
        df_t = n - len(names) - 2
        coefs = _coefficients_from_cov(res.params, cov, df_t, ratio=glm, alpha=alpha)
        effects = _effects_from_cov(res.params, cov, df_t, t_end, t0, ratio=glm, alpha=alpha)
        variance_text = (f"standard errors allowing for autocorrelation: sandwich covariance under a latent AR(1) "
                         f"process plus independent noise (REML rho = {latent['rho']:.2f}, share of residual variance "
                         f"in the AR(1) part {latent['ar_share']:.2f}; Zeger 1988); t intervals on {df_t} df")
        cov_used, q_used = cov, float(stats.t.ppf(1 - alpha / 2, df_t))
    elif chosen == "hac" and glm:
        hac = model.fit(cov_type="HAC", cov_kwds={"maxlags": newey_west_lag(n) if lag is None else int(lag)},
                        use_t=True)
        lag_used = newey_west_lag(n) if lag is None else int(lag)
        coefs = _tidy_coefficients(hac, ratio=True, alpha=alpha)
        effects = _drop_weights(_effects(hac, names, t_end, t0, ratio=True, alpha=alpha))
        variance_text = (f"Newey-West (HAC) standard errors with lag {lag_used} on the GLM scores, Bartlett weights; "
                         "t intervals")
        cov_used, q_used = np.asarray(hac.cov_params()), float(stats.t.ppf(1 - alpha / 2, hac.df_resid))
    if not glm:
        coefs["se_ols"] = coefs_ols_se
    description += variance_text + "." + (" Wald 95% CIs on the log scale, exponentiated to rate ratios."
                                          if glm and chosen == "model" else "")

    from statsmodels.stats.diagnostic import acorr_ljungbox

    lb_lags = max(1, min(6, n // 5))
    lb = acorr_ljungbox(pearson, lags=[lb_lags], model_df=0)
    lb_p = float(lb["lb_pvalue"].iloc[-1])
    if lb_p < 0.05 and chosen not in ("latent_ar1", "hac"):
        warnings.append(f"Residual autocorrelation (Ljung-Box p = {lb_p:.3f} over {lb_lags} lags) and the intervals "
                        "do not allow for it: use variance='latent_ar1'.")
    dw = float(durbin_watson(np.asarray(resid)))
    end_rows = out[out["time"] == t_end]
    cf_col = "counterfactual_rate" if glm else "counterfactual"
    if len(end_rows):
        cf_end = float(end_rows[cf_col].iloc[0])
    else:  # end_of_year beyond the data: predict the counterfactual there
        extra = its_design(pd.date_range(df["date"].min().to_period("M").to_timestamp(), periods=t_end, freq="MS"),
                           start).iloc[[-1]].assign(post=0, post_t=0)
        cf_end = float(np.exp(np.asarray(extra[list(names[1:])], float) @ res.params.values[1:] + res.params.values[0])
                       if glm else np.asarray(extra[list(names[1:])], float) @ res.params.values[1:] + res.params.values[0])
    extrapolation = bool(cf_end < observed_range[0] or cf_end > observed_range[1])
    b_time = float(res.params["time"]) if trend else 0.0
    v_time = float(cov_used[names.index("time"), names.index("time")]) if trend else 0.0
    q = q_used
    if not trend:
        pre_trend = None
    elif glm:
        pre_trend = {"estimate": float(np.exp(12 * b_time)), "ci_low": float(np.exp(12 * (b_time - q * np.sqrt(v_time)))),
                     "ci_high": float(np.exp(12 * (b_time + q * np.sqrt(v_time)))), "scale": "rate ratio per year"}
    else:
        pre_trend = {"estimate": 12 * b_time, "ci_low": 12 * (b_time - q * np.sqrt(v_time)),
                     "ci_high": 12 * (b_time + q * np.sqrt(v_time)), "scale": "change per year (value units)"}
    diagnostics = {"n": n, "n_pre": n_pre, "n_post": n_post, "t0": t0, "t_end": t_end,
                   "residual_variance": float(np.var(np.asarray(resid), ddof=len(res.params))) if not glm else None,
                   "dispersion": dispersion, "durbin_watson": dw, "breusch_godfrey_p": bg_p,
                   "ljung_box_p": lb_p, "ljung_box_lags": lb_lags,
                   "acf": _acf(resid), "lag": lag_used,
                   "lag_rule": "floor(4 (n/100)^(2/9))" if (lag_used is not None and lag is None) else None,
                   "seasonal": seasonal, "variance": chosen,
                   "latent_rho": None if latent is None else latent["rho"],
                   "latent_ar_share": None if latent is None else latent["ar_share"],
                   "pre_trend": pre_trend, "counterfactual_end": cf_end, "observed_min": observed_range[0],
                   "observed_max": observed_range[1], "extrapolation": extrapolation,
                   "exclude_after_start": int(exclude_after_start)}
    if extrapolation:
        warnings.append("The counterfactual at the end of the evaluation year lies outside the range of the observed "
                        "months: the effect at the end is an extrapolation of the pre-strategy trend.")
    return ITSResult(coefficients=coefs, effects=effects, fitted=out, diagnostics=diagnostics, warnings=warnings,
                     model=description, result=res)
