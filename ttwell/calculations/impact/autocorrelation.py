"""Autocorrelation-robust ITS intervals: a sandwich covariance under a latent AR(1) process plus independent
noise (Zeger 1988), and the coefficient and effect tables built from any covariance."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

ITS_VARIANCE_METHODS = {
    "latent_ar1": (
        "Intervals allow for autocorrelation: the point estimates are the usual ones (quasi-Poisson or OLS), and "
        "their covariance is a sandwich under a latent AR(1) process plus independent noise (Zeger 1988), whose "
        "parameters are estimated by REML on the model's working response; t intervals on n - p - 2 degrees of "
        "freedom. This was chosen over Newey-West because in simulated series like a service's (24 months before, "
        "12-24 after, AR(1) noise with rho 0.3-0.6, overdispersion, seasonality, a trend) Newey-West intervals "
        "covered the true level change in only about 80% of series and this model in about 94% "
        "(a simulation of 400 series, reported with ttwell's benchmarks)."),
    "hac": "Newey-West (HAC) intervals with the stated lag; they under-cover in series of 3-4 years.",
    "model": "Model-based intervals that assume neighbouring months are independent.",
}


def _effect_row(effect: str, est: float, se: float, low: float, high: float, p: float, months_after,
                ratio: bool) -> dict:
    """One row of an ITS effects table; a log-scale effect of a rate model is shown as a rate ratio."""
    row = {"effect": effect, "estimate": est, "se": se, "ci_low": low, "ci_high": high, "p": p,
           "months_after": months_after}
    if ratio:
        row.update({"estimate": np.exp(est), "ci_low": np.exp(low), "ci_high": np.exp(high),
                    "scale": "rate ratio", "log_estimate": est})
    else:
        row["scale"] = "difference (value units)"
    return row


def _ar1_matrix(rho: float, times) -> np.ndarray:
    i = np.asarray(times, dtype=float)
    return rho ** np.abs(i[:, None] - i[None, :])


def latent_ar1_covariance(X, z, w, times=None) -> dict:
    """Covariance of (weighted) least-squares estimates under a latent AR(1) process plus independent noise.

    Working model (the linearised GLM, or OLS with ``w = 1``): z = X beta + e with

        Var(e) = sigma^2 (D + lambda R(rho)),  D = diag(1 / w),  R(rho)_ij = rho^|i - j|,

    i.e. independent (quasi-Poisson) noise plus a stationary AR(1) process on the log-rate scale, the structure
    of Zeger's (1988) regression model for time series of counts. (rho, lambda) maximise the restricted
    likelihood (REML; Patterson & Thompson 1971), sigma^2 profiled out:

        l_R = -1/2 [ (n - p) log s^2 + log|Omega| + log|X' Omega^-1 X| ],  s^2 = r' Omega^-1 r / (n - p),

    with r the GLS residuals under Omega = D + lambda R. REML rather than the residual autocorrelation because
    the latter is biased towards zero by about (p + 1)/n with p = 8 coefficients on 36 months. The estimates
    beta_hat = (X'WX)^-1 X'W z (W = diag(w): the IRLS fixed point of the GLM, or OLS) are kept, and

        V = B^-1 X'W Sigma W X B^-1,  B = X'WX,  Sigma = s^2 (D + lambda R(rho)).

    Parameters
    ----------
    X : (n, p) array, the design matrix (rows in month order, consecutive months).
    z : (n,) array, the working response (GLM: eta - offset + (y - mu)/mu; OLS: y).
    w : (n,) array, the working weights (Poisson log link: mu; OLS: 1).
    times : (n,) array, optional
        Month numbers; R(rho)_ij = rho^|t_i - t_j|, so months left out (a phase-in) keep their distance.
        Default 0..n-1.

    Returns
    -------
    dict
        ``cov`` (p x p), ``rho``, ``lam``, ``sigma2``, ``ar_share`` (lambda / (mean(1/w) + lambda): the share of
        residual variance in the AR(1) part), ``loglik`` (restricted log-likelihood, up to a constant).

    References
    ----------
    Zeger SL. A regression model for time series of counts. Biometrika 1988;75:621-629.
    Patterson HD, Thompson R. Recovery of inter-block information when block sizes are unequal. Biometrika
    1971;58:545-554.

    Examples
    --------
    >>> X = np.column_stack([np.ones(6), np.arange(6)])
    >>> out = latent_ar1_covariance(X, np.array([1.0, 1.2, 0.9, 1.4, 1.6, 1.5]), np.ones(6))
    >>> out["cov"].shape, 0 <= out["rho"] <= 0.95
    ((2, 2), True)
    """
    from scipy import optimize
    from scipy.linalg import solve_triangular

    X, z, w = (np.asarray(a, dtype=float) for a in (X, z, w))
    n, p = X.shape
    d = 1.0 / w
    scale = float(np.mean(d))
    times = np.arange(n) if times is None else np.asarray(times, dtype=float)

    def parts(rho, log_lam):
        omega = np.diag(d) + np.exp(log_lam) * _ar1_matrix(rho, times)
        chol = np.linalg.cholesky(omega)
        xz = solve_triangular(chol, np.column_stack([X, z]), lower=True)
        xs, zs = xz[:, :-1], xz[:, -1]
        xtx = xs.T @ xs
        beta = np.linalg.solve(xtx, xs.T @ zs)
        resid = zs - xs @ beta
        s2 = float(resid @ resid) / (n - p)
        return omega, chol, xtx, s2

    def negll(theta):
        try:
            _, chol, xtx, s2 = parts(*theta)
        except np.linalg.LinAlgError:
            return np.inf
        if s2 <= 0:
            return np.inf
        return 0.5 * ((n - p) * np.log(s2) + 2 * np.log(np.diag(chol)).sum() + np.linalg.slogdet(xtx)[1])

    low, high = np.log(scale) - 9, np.log(scale) + 9
    best = None
    for rho in np.arange(0.0, 0.951, 0.05):  # profile grid over rho, then a local polish
        fit = optimize.minimize_scalar(lambda v: negll((rho, v)), bounds=(low, high), method="bounded")
        if best is None or fit.fun < best[0]:
            best = (fit.fun, rho, fit.x)
    polish = optimize.minimize(negll, [best[1], best[2]], method="L-BFGS-B", bounds=[(0.0, 0.95), (low, high)])
    rho, log_lam = (polish.x if polish.fun <= best[0] else (best[1], best[2]))
    omega, _, _, s2 = parts(rho, log_lam)
    sigma = s2 * omega
    bread = np.linalg.inv(X.T @ (w[:, None] * X))
    xw = X * w[:, None]
    cov = bread @ xw.T @ sigma @ xw @ bread
    lam = float(np.exp(log_lam))
    return {"cov": cov, "rho": float(rho), "lam": lam, "sigma2": s2, "ar_share": lam / (scale + lam),
            "loglik": -float(min(polish.fun, best[0]))}


def _coefficients_from_cov(params: pd.Series, cov: np.ndarray, dof: int, ratio: bool, alpha: float) -> pd.DataFrame:
    se = np.sqrt(np.diag(cov))
    q = stats.t.ppf(1 - alpha / 2, dof)
    est = params.to_numpy(float)
    out = pd.DataFrame({"term": params.index, "estimate": est, "se": se, "ci_low": est - q * se,
                        "ci_high": est + q * se, "p": 2 * stats.t.sf(np.abs(est / se), dof)})
    if ratio:
        out["exp_estimate"] = np.exp(out["estimate"])
        out["exp_ci_low"] = np.exp(out["ci_low"])
        out["exp_ci_high"] = np.exp(out["ci_high"])
    return out


def _effects_from_cov(params: pd.Series, cov: np.ndarray, dof: int, t_end: int, t0: int, ratio: bool,
                      alpha: float) -> pd.DataFrame:
    """The three effects as linear contrasts c'beta with SE sqrt(c'Vc) (delta method) and t(dof) intervals."""
    names = list(params.index)
    q = stats.t.ppf(1 - alpha / 2, dof)
    rows = []
    for effect, weights, months_after in [("level_change", {"post": 1.0}, 0), ("slope_change", {"post_t": 1.0}, None),
                                          ("effect_at_end", {"post": 1.0, "post_t": float(t_end - t0)}, t_end - t0)]:
        weights = {k: v for k, v in weights.items() if k in names}
        if not weights:
            continue
        c = np.array([weights.get(nm, 0.0) for nm in names])
        est, se = float(c @ params.to_numpy(float)), float(np.sqrt(c @ cov @ c))
        low, high = est - q * se, est + q * se
        rows.append(_effect_row(effect, est, se, low, high, float(2 * stats.t.sf(abs(est / se), dof)),
                                months_after, ratio))
    return pd.DataFrame(rows)
