"""Funnel plots for comparing units (teams, role families, services): the limits, not the drawing.

A funnel plot shows each unit's indicator y_i against its size n_i, with control limits around a target θ0 that
narrow as n grows (Spiegelhalter 2005, Stat Med 24:1185-1202; stats spec 2.7). A unit outside the 99.8% limits is
flagged for a closer look; 95% is for information. Four kinds of indicator:

* ``proportion``: r_i of n_i people (stability, share of staff). Exact binomial limits.
* ``rate``: O_i events over exposure E_i (episodes per FTE-year, FTE days lost per FTE day available). Exact
  Poisson limits.
* ``ratio``: a standardised ratio O_i/E_i of observed to expected counts. Exact Poisson(E) limits around 1.
* ``mean``: the mean of a survey score over n_i respondents. Normal limits θ0 ± z σ/√n, σ the pooled SD.

Over-dispersion (Spiegelhalter 2005, "Handling over-dispersion of performance indicators", Qual Saf Health Care
14:347-351): units often differ by more than chance. The z-scores z_i = (y_i - θ0)/s_i are Winsorised (10% at each
end by default), φ = (1/I) Σ z_i², and I·φ is tested against χ²(I - 1). When the test rejects at the chosen level
and there are at least ``min_units`` units, the limits widen by the DerSimonian-Laird additive random effect
τ² = max(0, (I·φ - (I - 1)) / (Σw_i - Σw_i²/Σw_i)), w_i = 1/s_i², to θ0 ± z √(s²(n) + τ²).

The z-scores are on the indicator's own scale, as the stats spec and Spiegelhalter's paper give them. NHS-R's
FunnelPlotR (R/od_adjustment.R) computes the same φ and τ² on a transformed scale (arcsine square root for
proportions, log for ratios of counts, square root or log for standardised ratios), so its φ and τ² differ from
these; the tests check these against the formulas worked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ttwell.errors import AnalysisError, InputError, ParameterError, Problem

KINDS = ("proportion", "rate", "ratio", "mean")
LIMITS = {"95": 0.95, "99_8": 0.998}
WITHIN = "Within limits"
POSITIONS = (WITHIN, "Above 95% limit", "Above 99.8% limit", "Below 95% limit", "Below 99.8% limit")
# Spiegelhalter (QSHC 2005) and the stats spec: with fewer than about 10 units φ and τ² are unstable.
MIN_UNITS_FOR_ADJUSTMENT = 10
WINSORISE = 0.10
TEST_LEVEL = 0.05
UNIT_COLUMNS = ["group", "numerator", "denominator", "value", "z", "lower_95", "upper_95", "lower_99_8",
                "upper_99_8", "position"]
CURVE_POINTS = 200

LIMIT_METHODS = {
    "proportion": "exact binomial limits, interpolated (Spiegelhalter 2005)",
    "rate": "exact Poisson limits, interpolated (Spiegelhalter 2005)",
    "ratio": "exact Poisson limits around 1, interpolated (Spiegelhalter 2005)",
    "mean": "normal limits with the pooled standard deviation (Spiegelhalter 2005)",
}


@dataclass(frozen=True)
class Overdispersion:
    """The Spiegelhalter (2005) over-dispersion test and the random-effects adjustment it leads to.

    ``phi`` is the dispersion ratio (1/I) Σ z_i² of the Winsorised z-scores; ``statistic`` = I·φ is compared with
    χ²(``df`` = I - 1); ``tau2`` is the DerSimonian-Laird between-unit variance, 0 unless ``adjusted``.
    """

    n_units: int
    winsorise: float
    phi: float
    statistic: float
    df: int
    p_value: float
    tau2: float
    adjusted: bool
    reason: str


@dataclass(frozen=True)
class Funnel:
    """Limits for every unit and the curves to draw, around one target.

    ``units`` has one row per unit (``UNIT_COLUMNS``: the unit's value, its z-score, the limits at its own
    denominator and its position); ``curves`` has the limits at a grid of denominators covering the units.
    """

    kind: str
    target: float
    sd: float | None
    dispersion: float
    method: str
    units: pd.DataFrame
    curves: pd.DataFrame
    overdispersion: Overdispersion
    limits: dict = field(default_factory=lambda: dict(LIMITS))

    def limits_at(self, denominators) -> pd.DataFrame:
        """The limits at other denominators, around the same target with the same variance, τ² and dispersion.

        For drawing from what may be shown: a staff-wide report shows rounded sizes, so each unit's limits are
        evaluated at the size it is drawn at, and the curves span only the units shown (the curves in
        ``curves`` span every unit, hidden ones too). Returns ``denominator`` and the four limit columns.
        """
        n = np.asarray(denominators, dtype=float)
        variance = _variance(self.kind, self.target, self.sd)
        return pd.DataFrame({"denominator": n, **_limits_at(self.kind, self.target, n, variance,
                                                            self.overdispersion.tau2, self.dispersion)})

    def curves_over(self, denominators) -> pd.DataFrame:
        """Limit curves on a drawing grid spanning ``denominators`` (as ``curves`` spans every unit's)."""
        return self.limits_at(_curve_grid(np.asarray(denominators, dtype=float), self.kind))

    def summary(self) -> dict:
        """Everything but the unit rows, JSON-ready: target, method, the test, τ² and the limit curves."""
        od = self.overdispersion
        return {"kind": self.kind, "target": self.target, "pooled_sd": self.sd, "dispersion": self.dispersion,
                "limits": {"95%": LIMITS["95"], "99.8%": LIMITS["99_8"]}, "method": self.method,
                "n_units": od.n_units,
                "overdispersion": {"winsorised_each_end": od.winsorise, "phi": od.phi, "statistic": od.statistic,
                                   "df": od.df, "p_value": od.p_value, "tau2": od.tau2, "adjusted": od.adjusted,
                                   "reason": od.reason},
                "curves": self.curves.to_dict(orient="list")}


def _variance(kind: str, target: float, sd: float | None) -> float:
    """V(θ0): the variance of one unit of size 1 under the target (spec 2.7)."""
    if kind == "proportion":
        return target * (1 - target)
    if kind in ("rate", "ratio"):
        return target
    return sd ** 2


def _cdf(kind: str, k: np.ndarray, n: np.ndarray, target: float) -> np.ndarray:
    """P(X <= k) for X ~ Binomial(n, θ0) or Poisson(θ0 n); 0 below 0 (scipy.special: no scipy.stats import)."""
    from scipy import special

    k = np.floor(np.asarray(k, dtype=float))
    safe = np.maximum(k, 0)
    if kind == "proportion":
        whole = np.rint(n).astype(np.int64)  # scipy's binomial functions take whole numbers of trials
        out = special.bdtr(np.minimum(safe, whole).astype(np.int64), whole, target)
    else:
        out = special.pdtr(safe, target * n)
    return np.where(k < 0, 0.0, out)


def _upper_tail(kind: str, k: np.ndarray, n: np.ndarray, target: float) -> np.ndarray:
    """P(X >= k), computed as the complement's own function for precision in the far tail."""
    from scipy import special

    below = np.floor(np.asarray(k, dtype=float)) - 1
    safe = np.maximum(below, 0)
    if kind == "proportion":
        whole = np.rint(n).astype(np.int64)
        out = np.where(below >= n, 0.0, special.bdtrc(np.minimum(safe, whole).astype(np.int64), whole, target))
    else:
        out = special.pdtrc(safe, target * n)
    return np.where(below < 0, 1.0, out)


def _quantile(kind: str, p: float, n: np.ndarray, target: float) -> np.ndarray:
    """r_p, the smallest whole r with F(r) >= p: a start from the continuous inverse, then stepped to exact."""
    from scipy import special

    with np.errstate(invalid="ignore"):
        start = special.bdtrik(p, n, target) if kind == "proportion" else special.pdtrik(p, target * n)
    r = np.where(np.isfinite(start), np.ceil(start), 0.0)
    r = np.maximum(r, 0.0)
    if kind == "proportion":
        r = np.minimum(r, n)
    for _ in range(50):  # the start is within a step or two; the loop only guards rounding at the boundary
        down = (r > 0) & (_cdf(kind, r - 1, n, target) >= p)
        up = _cdf(kind, r, n, target) < p
        if not (down.any() or up.any()):
            break
        r = r - down + up
    return r


def _exact_limit(kind: str, target: float, n: np.ndarray, p: float) -> np.ndarray:
    """Spiegelhalter's interpolated exact limit at denominators ``n`` for probability ``p``.

    r_p is the smallest r with F(r) >= p (F the Binomial(n, θ0) or Poisson(θ0 n) CDF);
    α = (F(r_p) - p) / (F(r_p) - F(r_p - 1)); the limit is (r_p - α) / n.
    """
    n = np.asarray(n, dtype=float)
    r = _quantile(kind, p, n, target)
    f_r, f_below = _cdf(kind, r, n, target), _cdf(kind, r - 1, n, target)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = (f_r - p) / (f_r - f_below)
        limit = (r - alpha) / n
    limit = np.maximum(limit, 0.0)
    return np.minimum(limit, 1.0) if kind == "proportion" else limit


def _limits_at(kind: str, target: float, n: np.ndarray, variance: float, tau2: float,
               dispersion: float) -> dict[str, np.ndarray]:
    from scipy import special

    out: dict[str, np.ndarray] = {}
    exact = kind != "mean" and tau2 == 0 and dispersion == 1
    for name, level in LIMITS.items():
        upper_p, lower_p = 1 - (1 - level) / 2, (1 - level) / 2
        if exact:
            low, high = _exact_limit(kind, target, n, lower_p), _exact_limit(kind, target, n, upper_p)
        else:
            z = special.ndtri(upper_p)
            half = z * np.sqrt(dispersion * variance / n + tau2)
            low, high = target - half, target + half
            if kind != "mean":
                low = np.maximum(low, 0.0)
            if kind == "proportion":
                high = np.minimum(high, 1.0)
        out[f"lower_{name}"], out[f"upper_{name}"] = low, high
    return out


def _test(z: np.ndarray, weights: np.ndarray, winsorise: float, min_units: int, test_level: float,
          adjust: bool) -> Overdispersion:
    """Winsorised dispersion ratio, its χ² test and the DerSimonian-Laird τ² (Spiegelhalter, QSHC 2005)."""
    from scipy import special

    units = len(z)
    if units < 2:
        return Overdispersion(units, winsorise, float("nan"), float("nan"), max(units - 1, 0), float("nan"), 0.0,
                              False, "Over-dispersion cannot be tested with fewer than two units.")
    # Winsorise at the percentiles (linear interpolation, as R's default quantile type 7 used by FunnelPlotR).
    low, high = np.percentile(z, [100 * winsorise, 100 * (1 - winsorise)])
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    statistic, df = units * phi, units - 1
    p_value = float(special.chdtrc(df, statistic))
    tau2 = max(0.0, float((statistic - df) / (weights.sum() - (weights ** 2).sum() / weights.sum())))
    if not adjust:
        return Overdispersion(units, winsorise, phi, statistic, df, p_value, 0.0, False,
                              "Limits are not adjusted for over-dispersion (asked for).")
    if p_value >= test_level:
        return Overdispersion(units, winsorise, phi, statistic, df, p_value, 0.0, False,
                              f"The units differ by no more than chance would give (p = {p_value:.2g}): "
                              f"the limits are not widened.")
    if units < min_units:
        return Overdispersion(units, winsorise, phi, statistic, df, p_value, 0.0, False,
                              f"The units differ by more than chance (p = {p_value:.2g}), but with {units} units "
                              f"(fewer than {min_units}) the extra spread cannot be estimated reliably: the limits "
                              f"are not widened, so more units may fall outside them than chance alone would put "
                              f"there.")
    return Overdispersion(units, winsorise, phi, statistic, df, p_value, tau2, bool(tau2 > 0),
                          f"The units differ by more than chance (p = {p_value:.2g}): the limits are widened by "
                          f"a between-unit variance (τ² = {tau2:.3g}).")


def _position(value: np.ndarray, limits: dict[str, np.ndarray]) -> np.ndarray:
    position = np.full(len(value), WITHIN, dtype=object)
    position[value > limits["upper_95"]] = "Above 95% limit"
    position[value > limits["upper_99_8"]] = "Above 99.8% limit"
    position[value < limits["lower_95"]] = "Below 95% limit"
    position[value < limits["lower_99_8"]] = "Below 99.8% limit"
    return position


def _exact_position(kind: str, target: float, count: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Position from the exact tail probabilities of a whole-number count, P(X >= r) and P(X <= r).

    The interpolated limits are for drawing: they lie between two attainable values, so an observed count equal
    to r_p would sit just beyond its limit although P(X >= r_p) > 1 - p (for example all 6 of 6 staff staying when
    the service keeps 87%: P = 0.45). A unit is beyond a limit only if its tail probability is below the limit's
    tail area.
    """
    upper_tail, lower_tail = _upper_tail(kind, count, n, target), _cdf(kind, count, n, target)
    position = np.full(len(count), WITHIN, dtype=object)
    for name, level in (("95%", LIMITS["95"]), ("99.8%", LIMITS["99_8"])):
        tail = (1 - level) / 2
        position[upper_tail < tail] = f"Above {name} limit"
        position[lower_tail < tail] = f"Below {name} limit"
    return position


def _curve_grid(n: np.ndarray, kind: str) -> np.ndarray:
    low, high = max(n.min() * 0.8, 1e-9), n.max() * 1.1
    grid = np.geomspace(low, high, CURVE_POINTS)
    if kind == "proportion":
        grid = np.unique(np.maximum(np.round(grid), 1))
    return grid


def pooled_sd(n: np.ndarray, sd: np.ndarray) -> float:
    """Pooled within-unit standard deviation √(Σ(n_i - 1) s_i² / Σ(n_i - 1)), units with n_i ≥ 2 only."""
    n, sd = np.asarray(n, dtype=float), np.asarray(sd, dtype=float)
    keep = (n >= 2) & np.isfinite(sd)
    if not keep.any():
        raise AnalysisError("A funnel plot of means needs at least one unit with two or more respondents and a "
                            "standard deviation.")
    return float(np.sqrt(((n[keep] - 1) * sd[keep] ** 2).sum() / (n[keep] - 1).sum()))


def funnel(table: pd.DataFrame, *, group: str = "group", numerator: str = "numerator",
           denominator: str = "denominator", kind: str = "proportion", target: float | None = None,
           sd: str | float | None = None, dispersion: float = 1.0, overdispersion: bool = True,
           winsorise: float = WINSORISE, min_units: int = MIN_UNITS_FOR_ADJUSTMENT,
           test_level: float = TEST_LEVEL) -> Funnel:
    """Funnel-plot limits for each unit of a tidy table, with the over-dispersion test.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per unit.
    group, numerator, denominator : str
        Column names: the unit's name, its numerator and its denominator. For ``kind="mean"`` the numerator
        column holds the unit's mean score and the denominator its number of respondents.
    kind : {"proportion", "rate", "ratio", "mean"}
    target : float, optional
        θ0. Default: Σ numerator / Σ denominator (proportion, rate), 1 (ratio), the respondent-weighted mean
        (mean).
    sd : str or float, optional
        For ``kind="mean"``: a column of each unit's standard deviation (pooled with :func:`pooled_sd`) or the
        pooled SD itself.
    dispersion : float
        A multiplicative factor on V(θ0) known from within-unit structure (Spiegelhalter 2005's multiplicative
        form θ0 ± z √(φ V(θ0)/n)); 1 means none. Limits are then normal, not exact.
    overdispersion : bool
        Test for over-dispersion and widen the limits when the test rejects (default True).
    winsorise : float
        Share of z-scores Winsorised at each end before φ is computed (default 0.10).
    min_units : int
        Fewest units for which τ² is estimated (default 10); below it the limits stay unadjusted.
    test_level : float
        The χ² test's level (default 0.05).

    Returns
    -------
    Funnel

    Examples
    --------
    >>> f = funnel(pd.DataFrame({"group": ["A", "B"], "numerator": [2, 8], "denominator": [10, 40]}))
    >>> round(f.target, 3)
    0.2
    """
    if kind not in KINDS:
        raise ParameterError(f"The funnel type must be one of {', '.join(KINDS)} (got {kind!r}).")
    if not 0 <= winsorise < 0.5:
        raise ParameterError(f"The share Winsorised at each end must be at least 0 and below 0.5 (got {winsorise}).")
    if not dispersion > 0:
        raise ParameterError(f"The dispersion factor must be positive (got {dispersion}).")
    missing = [c for c in (group, numerator, denominator) if c not in table.columns]
    if isinstance(sd, str) and sd not in table.columns:
        missing.append(sd)
    if missing:
        raise ParameterError(f"The table has no column {', '.join(repr(c) for c in missing)}; "
                             f"it has {', '.join(map(str, table.columns))}.")
    num = pd.to_numeric(table[numerator], errors="coerce").to_numpy(dtype=float)
    den = pd.to_numeric(table[denominator], errors="coerce").to_numpy(dtype=float)
    _check_values(table, group, num, den, kind, numerator, denominator)
    if kind == "mean":
        if sd is None:
            raise ParameterError("A funnel plot of means needs the standard deviation: a column of each unit's SD "
                                 "or the pooled SD.")
        sigma = pooled_sd(den, pd.to_numeric(table[sd], errors="coerce")) if isinstance(sd, str) else float(sd)
        value = num
        theta = float(np.sum(num * den) / den.sum()) if target is None else float(target)
    else:
        sigma = None
        value = num / den
        theta = (1.0 if kind == "ratio" else float(num.sum() / den.sum())) if target is None else float(target)
    if kind == "proportion" and not 0 < theta < 1:
        raise AnalysisError(f"Every unit's proportion is {theta:g}: a funnel plot needs a target between 0 and 1.")
    if kind in ("rate", "ratio") and not theta > 0:
        raise AnalysisError("No unit has any events: a funnel plot of rates needs a target above 0.")
    variance = _variance(kind, theta, sigma)
    s2 = dispersion * variance / den
    z = (value - theta) / np.sqrt(s2)
    test = _test(z, 1 / s2, winsorise, min_units, test_level, overdispersion)
    limits = _limits_at(kind, theta, den, variance, test.tau2, dispersion)
    exact = kind != "mean" and not test.adjusted and dispersion == 1
    whole = exact and bool(np.all(num == np.round(num)))
    position = _exact_position(kind, theta, num, den) if whole else _position(value, limits)
    units = pd.DataFrame({"group": table[group].to_numpy(), "numerator": num, "denominator": den, "value": value,
                          "z": z, **limits, "position": position}, columns=UNIT_COLUMNS)
    grid = _curve_grid(den, kind)
    curves = pd.DataFrame({"denominator": grid, **_limits_at(kind, theta, grid, variance, test.tau2, dispersion)})
    method = LIMIT_METHODS[kind]
    if test.adjusted:
        method = "normal limits widened by the between-unit variance τ² (Spiegelhalter 2005, additive random effects)"
    elif dispersion != 1 and kind != "mean":
        method = (f"normal limits with the variance multiplied by {dispersion:.3g} for clustering within units "
                  f"(Spiegelhalter 2005, multiplicative form)")
    return Funnel(kind, theta, sigma, float(dispersion), method, units, curves, test)


def _check_values(table: pd.DataFrame, group: str, num: np.ndarray, den: np.ndarray, kind: str, numerator: str,
                  denominator: str) -> None:
    """Every problem with the unit rows at once, each with its row (as a spreadsheet numbers it) and column."""
    problems = []

    def row(i):
        index = table.index[i]
        return int(index) + 2 if isinstance(index, (int, np.integer)) else None

    def add(i, column, value, expected, problem=""):
        problems.append(Problem("data", row(i), column, None if value is None else f"{value:g}"
                                if isinstance(value, float) else str(value), expected, problem=problem))

    names = table[group]
    for i, (name, n, d) in enumerate(zip(names, num, den)):
        if pd.isna(name) or str(name).strip() == "":
            add(i, group, "", "a unit name", "blank unit")
        if not np.isfinite(d) or d <= 0:
            add(i, denominator, table[denominator].iloc[i], "a number above 0")
        elif kind == "proportion" and d != np.round(d):
            add(i, denominator, d, "a whole number of people (use the rate type for an average headcount)")
        elif kind == "mean" and d != np.round(d):
            add(i, denominator, d, "a whole number of respondents")
        if not np.isfinite(n):
            add(i, numerator, table[numerator].iloc[i], "a number")
        elif kind != "mean" and n < 0:
            add(i, numerator, n, "a number of at least 0")
        elif kind == "proportion" and np.isfinite(d) and d > 0 and n > d:
            add(i, numerator, n, f"no more than the denominator ({d:g})")
    for i in np.flatnonzero(names.duplicated().to_numpy()):
        add(i, group, names.iloc[i], "each unit once", "unit named twice")
    if problems:
        raise InputError(problems, intro=f"{len(problems)} problem(s) in the units; no funnel was computed.")
    if len(table) == 0:
        raise AnalysisError("The table has no units: a funnel plot needs at least one.")


def design_effect(numerators, denominators) -> float:
    """How much more a ratio of sums varies than Poisson counting would give, when events come in clusters.

    deff = Var_cluster(R) / Var_Poisson(R), with R = Σy/Σx over clusters (people), the linearised cluster variance
    Var_cluster = m/(m - 1) Σ(y_j - R x_j)² / (Σx)² (Cochran 1977, Sampling Techniques 6.9; as
    :func:`ttwell.calculations.statistics.ratio_interval`) and the Poisson variance Var_Poisson = R / Σx. Sickness
    days come in episodes, so a team's days lost vary far more than Poisson counts of single days would; this is
    the factor the funnel's ``dispersion`` argument takes. Returns 1 when it cannot be estimated (fewer than two
    clusters or no events), and never less than 1.
    """
    y = np.asarray(numerators, dtype=float)
    x = np.asarray(denominators, dtype=float)
    keep = x > 0
    y, x = y[keep], x[keep]
    m = len(x)
    if m < 2 or y.sum() <= 0:
        return 1.0
    ratio = y.sum() / x.sum()
    cluster_var = m / (m - 1) * ((y - ratio * x) ** 2).sum() / x.sum() ** 2
    return max(1.0, float(cluster_var / (ratio / x.sum())))
