"""Sensitivity analyses of an interrupted time series (statistics spec 2.3; issue 11 item 2).

The ITS headline counts towards a verdict only when its conclusion survives every sensitivity analysis.
"""

from __future__ import annotations

import pandas as pd

from ttwell.calculations.verdicts.readings import READING_PHRASES, effect_reading, its_clause, its_headline

SENSITIVITY_COLUMNS = ["analysis", "effect", "estimate", "ci_low", "ci_high", "scale", "reading", "agrees",
                       "model"]


def its_sensitivity(data: pd.DataFrame, *, better: str, effect: str | None = None, variance: str = "latent_ar1",
                    phase_in: int = 3, **its_kwargs) -> pd.DataFrame:
    """The main ITS and its sensitivity analyses, with whether each agrees with the main conclusion.

    Parameters
    ----------
    data : pandas.DataFrame
        As for ``impact.its``.
    better : {"down", "up"}
        The indicator's better direction.
    effect : str, optional
        The effect whose conclusion is checked; default the main model's headline (``its_headline``).
    variance : str
        Variance method of the main model (default the autocorrelation-robust ``"latent_ar1"``).
    phase_in : int
        Months after the start left out in the phase-in analysis (default 3).
    **its_kwargs
        Passed to ``impact.its`` (``date, value`` or ``count, denominator, start, seasonal, lag, end_of_year,
        impact``).

    Returns
    -------
    pandas.DataFrame
        One row per analysis: ``analysis, effect, estimate, ci_low, ci_high, scale, reading, agrees, model``;
        ``attrs["survives"]`` is True when every analysis agrees with the main one, ``attrs["main"]`` is the main
        ``ITSResult`` and ``attrs["effect"]`` the effect checked. Analyses:

        * main model;
        * without the pre-trend (``trend=False``, level change only): the counterfactual is the pre-strategy level,
          so nothing is extrapolated;
        * level change only, trend kept (no slope change);
        * Newey-West (HAC) intervals with lag 1 and with twice the rule-of-thumb lag (the lag varied);
        * leaving out the first ``phase_in`` months after the start.

        A reading is 'better', 'worse' or 'no clear change' (``interval_reading``); in the models without a slope
        change the effect at the end equals the level change.
    """
    from ttwell.calculations import impact

    impact_model = its_kwargs.pop("impact", "level+slope")
    main = impact.its(data, variance=variance, impact=impact_model, **its_kwargs)
    effect = effect or its_headline(main)
    n = main.diagnostics["n"]
    rule = impact.newey_west_lag(n) if its_kwargs.get("lag") is None else int(its_kwargs["lag"])
    kwargs = {k: v for k, v in its_kwargs.items() if k != "lag"}
    runs = [("main model", main)]
    runs.append(("without the pre-trend (level change only)",
                 impact.its(data, variance=variance, impact="level", trend=False, **kwargs)))
    if impact_model != "level":
        runs.append(("level change only (pre-trend kept, no slope change)",
                     impact.its(data, variance=variance, impact="level", **kwargs)))
    for lag in sorted({1, max(2 * rule, 2)}):
        runs.append((f"Newey-West intervals, lag {lag}",
                     impact.its(data, variance="hac", lag=lag, impact=impact_model, **kwargs)))
    runs.append((f"leaving out the first {phase_in} months after the start",
                 impact.its(data, variance=variance, impact=impact_model, exclude_after_start=phase_in,
                            **its_kwargs)))
    rows = []
    for name, fit in runs:
        names = set(fit.effects["effect"])
        used = effect if effect in names else "level_change"
        row = fit.effects.set_index("effect").loc[used]
        rows.append({"analysis": name, "effect": used, "estimate": row["estimate"], "ci_low": row["ci_low"],
                     "ci_high": row["ci_high"], "scale": row["scale"], "reading": effect_reading(fit, used, better),
                     "model": fit.model})
    table = pd.DataFrame(rows)
    table["agrees"] = table["reading"] == table["reading"].iloc[0]
    table = table[SENSITIVITY_COLUMNS]
    table.attrs.update({"survives": bool(table["agrees"].all()), "main": main, "effect": effect})
    return table


def sensitivity_sentence(label: str, table: pd.DataFrame) -> str:
    """'Sickness absence: the conclusion (no clear change) survives all 5 sensitivity analyses.' or which fail.

    >>> t = pd.DataFrame({"analysis": ["main model", "x"], "reading": ["better", "no clear change"], "agrees": [True, False]})
    >>> sensitivity_sentence("Sickness", t)
    'Sickness: the interrupted time series conclusion (better) does not survive the sensitivity analyses: x gives no clear change.'
    """
    main = table["reading"].iloc[0]
    others = table.iloc[1:]
    failed = others[~others["agrees"]]
    if failed.empty:
        return (f"{label}: the interrupted time series conclusion ({main}) survives all {len(others)} sensitivity "
                "analyses.")
    return (f"{label}: the interrupted time series conclusion ({main}) does not survive the sensitivity analyses: "
            + "; ".join(f"{r.analysis} gives {r.reading}" for r in failed.itertuples()) + ".")


def its_summary_sentence(label: str, table: pd.DataFrame, percent: bool = False) -> str:
    """The ITS sentence for a report (replaces ``narrative.its_sentence``): the headline effect allowed by
    ``its_headline`` (never an extrapolated counterfactual), its reading, and whether it survives the sensitivity
    analyses of ``its_sensitivity``.

    Branches: survives or not; extrapolated (the end-of-year effect named as unused) or not.
    """
    main = table.attrs["main"]
    clause = its_clause(main, table.attrs["effect"], percent=percent)
    reading = table["reading"].iloc[0]
    n = len(table) - 1
    if table.attrs["survives"]:
        tail = f"{READING_PHRASES[reading]}, and this survives all {n} sensitivity analyses"
    else:
        failed = table.iloc[1:][~table.iloc[1:]["agrees"]]
        tail = (f"{READING_PHRASES[reading]} in the main model, but not in {len(failed)} of {n} sensitivity "
                f"analyses ({'; '.join(failed['analysis'])}), so it is not a robust finding")
    return f"{label}: {clause[0].upper()}{clause[1:]}: {tail}."
