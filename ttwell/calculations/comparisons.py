"""Fair comparisons of teams, role families or services: which indicator gets which funnel, and the funnels.

The funnel calculator (:mod:`ttwell.calculations.funnel`) knows nothing about workforce indicators; this module
says how each one is compared (stats spec 2.7):

* NHS stability index: staff still in post out of a cohort of people, a proportion (exact binomial limits).
* Leaver rate (headcount): leavers over the *average* staff in post, which is not a whole number of people and
  can be exceeded by the leavers, so it is treated as events over exposure (exact Poisson limits), as its
  confidence interval is.
* Sickness absence rate: FTE days lost over FTE days available. Poisson limits on days would assume every day
  lost is a separate event, but days come in episodes and episodes in people, so the limits are widened by the
  service's design effect: the person-clustered variance of its rate over the Poisson variance, recovered from
  the service's own interval (Spiegelhalter 2005's multiplicative form with a factor estimated within units).
* Survey scores: the mean over respondents, normal limits with the pooled within-group SD.

Every function takes the complete, undisclosed tables; disclosure decides afterwards which units are drawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations.funnel import Funnel, funnel

Z95 = 1.959963984540054
FUNNEL_INDICATORS = {
    "sickness_absence_rate_12m": "rate",
    "leaver_rate_hc_12m": "rate",
    "stability_index_nhs_12m": "proportion",
}


def dispersion_from_interval(value: float, ci_high: float, denominator: float) -> float:
    """Design effect of a clustered ratio from its normal 95% interval: SE² / (R / Σx), at least 1.

    :func:`ttwell.calculations.workforce.baseline_summary` gives the person-clustered interval R ± 1.96 SE (upper
    limit never clipped), so SE = (upper - R)/1.96; the Poisson variance of R = Σy/Σx is R/Σx. See
    :func:`ttwell.calculations.funnel.design_effect` for the same factor from the person-level sums.
    """
    if not (np.isfinite(value) and np.isfinite(ci_high) and np.isfinite(denominator)) or value <= 0 \
            or denominator <= 0:
        return 1.0
    se = (ci_high - value) / Z95
    return max(1.0, float(se ** 2 / (value / denominator)))


def workforce_funnels(table: pd.DataFrame, *, level: str = "team", indicators=tuple(FUNNEL_INDICATORS),
                      overdispersion: bool = True) -> dict[str, Funnel]:
    """One funnel per workforce indicator across the groups of ``level``, around the service's own value.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`ttwell.calculations.workforce.baseline_summary` output, complete (not disclosed): one row per
        indicator, level and group with ``value, ci_high, numerator, denominator``.
    level : str
        ``"team"`` or ``"role_family"`` (or ``"service"`` when the rows are several services).
    """
    out: dict[str, Funnel] = {}
    for indicator in indicators:
        kind = FUNNEL_INDICATORS[indicator]
        rows = table[(table["indicator"] == indicator) & (table["level"] == level)]
        rows = rows[np.isfinite(rows["denominator"].astype(float)) & (rows["denominator"].astype(float) > 0)
                    & np.isfinite(rows["numerator"].astype(float))]
        if rows.empty:
            continue
        service = table[(table["indicator"] == indicator) & (table["level"] == "service")]
        target = float(service["value"].iloc[0]) if len(service) else None
        dispersion = 1.0
        if indicator == "sickness_absence_rate_12m" and len(service):
            s = service.iloc[0]
            dispersion = dispersion_from_interval(s["value"], s["ci_high"], s["denominator"])
        out[indicator] = funnel(rows, kind=kind, target=target, dispersion=dispersion,
                                overdispersion=overdispersion)
    return out


def score_funnels(scores: pd.DataFrame, *, level: str = "team", overdispersion: bool = True) -> dict[tuple, Funnel]:
    """One funnel per survey score across the groups of ``level``, around the service mean, pooled SD.

    ``scores`` is the survey scores table (``instrument, score, level, group, n_respondents, mean, sd``), complete.
    Keys are ``(instrument, score)``.
    """
    out: dict[tuple, Funnel] = {}
    for (instrument, score), rows in scores.groupby(["instrument", "score"], sort=False):
        groups = rows[(rows["level"] == level) & (rows["n_respondents"] > 0) & rows["mean"].notna()]
        if groups.empty:
            continue
        service = rows[rows["level"] == "service"]
        target = float(service["mean"].iloc[0]) if len(service) else None
        out[(instrument, score)] = funnel(groups, numerator="mean", denominator="n_respondents", kind="mean",
                                          sd="sd", target=target, overdispersion=overdispersion)
    return out


def service_design_effects(rows: pd.DataFrame) -> pd.Series:
    """Each service's design effect for its sickness absence rate, from its own 95% interval.

    ``rows`` has one row per service with ``group, value, ci_high, denominator`` (the service-level
    ``sickness_absence_rate_12m`` row of each service's baseline values). Returns a Series indexed by ``group``
    (:func:`dispersion_from_interval` on each row).
    """
    return pd.Series([dispersion_from_interval(float(r.value), float(r.ci_high), float(r.denominator))
                      for r in rows.itertuples()], index=rows["group"].to_numpy(), name="design_effect", dtype=float)


def service_funnels(indicators: pd.DataFrame, scores: pd.DataFrame, *,
                    overdispersion: bool = True) -> tuple[dict, dict[str, float]]:
    """One funnel per indicator across services, around the value pooled over the services compared.

    Parameters
    ----------
    indicators : pandas.DataFrame
        Complete service-level rows, one per service and indicator of :data:`FUNNEL_INDICATORS`:
        ``indicator, group (the service), value, ci_high, numerator, denominator``. Rows of a service whose
        figure is missing must already be left out.
    scores : pandas.DataFrame
        Complete service-level survey scores: ``instrument, score, group, mean, n_respondents, sd``.
    overdispersion : bool
        Passed to :func:`ttwell.calculations.funnel.funnel` (with fewer than 10 services it never widens the
        limits; the funnel's ``overdispersion.reason`` says why).

    Returns
    -------
    (dict, dict)
        The funnels, keyed by indicator id or ``(instrument, score)``; and for the sickness absence rate
        ``{"dispersion": median design effect, "design_effects": {service: factor}}`` (empty without it).

    Notes
    -----
    Target θ0 = Σ numerator / Σ denominator over the services (rates, proportions), or the respondent-weighted
    mean Σ n_i ȳ_i / Σ n_i (scores): the services' pooled value, not any one service's. Sickness days come in
    episodes and episodes in people, so the Poisson limits are widened by the MEDIAN of the services' design
    effects (each from its person-clustered interval, :func:`dispersion_from_interval`): one factor for every
    service, as Spiegelhalter (2005) requires of a multiplicative over-dispersion factor, and the median so that
    one service with unusual clustering does not set everyone's limits.
    """
    out: dict = {}
    sickness: dict = {}
    for indicator, kind in FUNNEL_INDICATORS.items():
        rows = indicators[indicators["indicator"] == indicator]
        if rows.empty:
            continue
        num, den = rows["numerator"].astype(float), rows["denominator"].astype(float)
        target = float(num.sum() / den.sum())
        dispersion = 1.0
        if indicator == "sickness_absence_rate_12m":
            effects = service_design_effects(rows)
            dispersion = float(effects.median())
            sickness = {"dispersion": dispersion, "design_effects": effects.to_dict()}
        out[indicator] = funnel(rows, kind=kind, target=target, dispersion=dispersion, overdispersion=overdispersion)
    for (instrument, score), rows in scores.groupby(["instrument", "score"], sort=False):
        n, mean = rows["n_respondents"].astype(float), rows["mean"].astype(float)
        target = float((n * mean).sum() / n.sum())
        out[(instrument, score)] = funnel(rows, numerator="mean", denominator="n_respondents", kind="mean", sd="sd",
                                          target=target, overdispersion=overdispersion)
    return out, sickness
