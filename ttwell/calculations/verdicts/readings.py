"""The reading of each source in the indicator's better direction, and the clause that states its figures.

A year comparison or an ITS effect is read from its 95% interval (:func:`interval_reading`), an SPC chart from
its special-cause points (:func:`spc_reading`). Each reading is one of ``BETTER``, ``WORSE``, ``NONE``
(no clear change), "mixed" (SPC only) or ``MISSING``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.errors import ParameterError

BETTER, WORSE, NONE, MISSING = "better", "worse", "no clear change", "not available"


def interval_reading(low: float, high: float, better: str, null: float = 0.0) -> str:
    """'better', 'worse' or 'no clear change' from a 95% interval of a change, given the better direction.

    Parameters
    ----------
    low, high : float
        Interval of the change (a difference: null 0; a rate ratio: null 1).
    better : {"down", "up"}
        Which direction is better for the indicator.
    null : float
        The value meaning no change.

    >>> interval_reading(-0.03, -0.01, "down"), interval_reading(0.9, 1.2, "down", null=1), interval_reading(1.1, 1.3, "down", 1)
    ('better', 'no clear change', 'worse')
    """
    if better not in ("down", "up"):
        raise ParameterError(f"better must be 'down' or 'up'; got '{better}'.")
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return MISSING
    if low > null:
        return BETTER if better == "up" else WORSE
    if high < null:
        return BETTER if better == "down" else WORSE
    return NONE


def spc_reading(chart=None, *, icon: str | None = None, evaluation_start=None) -> str:
    """The SPC reading of the evaluation months: 'better', 'worse', 'no clear change' or 'mixed'.

    From a chart (``spc.xmr`` result) the points dated on or after ``evaluation_start`` are read: any
    special-cause improvement and no concern is 'better', concern and no improvement 'worse', both 'mixed', neither
    'no clear change'. Without a chart, the Making Data Count variation icon (``improvement_high/low``,
    ``concern_high/low``, ``common_cause``, ``neutral_*``) is read the same way.

    >>> spc_reading(icon="improvement_low"), spc_reading(icon="concern_high"), spc_reading(icon="common_cause")
    ('better', 'worse', 'no clear change')
    """
    if chart is not None:
        points = chart.points
        if evaluation_start is not None:
            points = points[points["date"] >= pd.Timestamp(evaluation_start)]
        types = set(points["point_type"].dropna())
        good, bad = "special_cause_improvement" in types, "special_cause_concern" in types
        return "mixed" if good and bad else BETTER if good else WORSE if bad else NONE
    if icon is None or (isinstance(icon, float) and np.isnan(icon)):
        return MISSING
    if icon.startswith("improvement"):
        return BETTER
    if icon.startswith("concern"):
        return WORSE
    return NONE


def its_headline(result) -> str:
    """Which ITS effect may be the headline: 'effect_at_end', unless its counterfactual is an extrapolation
    (outside the range of the observed months) or the model has no slope change, then 'level_change'."""
    names = set(result.effects["effect"])
    if result.diagnostics.get("extrapolation") or "slope_change" not in names:
        return "level_change"
    return "effect_at_end"


def effect_reading(result, effect: str, better: str) -> str:
    """The reading of one ITS effect from its 95% interval (a rate ratio's null is 1, a difference's 0)."""
    row = result.effects.set_index("effect").loc[effect]
    null = 1.0 if row["scale"] == "rate ratio" else 0.0
    return interval_reading(row["ci_low"], row["ci_high"], better, null)


# What a reading says in a sentence.
READING_PHRASES = {BETTER: "an improvement clear of chance", WORSE: "a worsening clear of chance",
                   NONE: "no change clear of chance", "mixed": "both special-cause improvement and concern",
                   MISSING: "not available"}


def percent_text(x: float) -> str:
    """A proportion as a percentage with one decimal (0.053 -> '5.3%')."""
    return f"{100 * x:.1f}%"


def year_clause(year: pd.Series, better: str | None = None, percent: bool = True) -> str:
    """'the whole-year rate went from 5.3% to 3.6% (-1.7 points, 95% CI -3.9 to +0.5)' plus its reading."""
    scale, unit = (100, " points") if percent else (1, "")
    fmt = percent_text if percent else (lambda v: f"{v:.2f}")
    text = (f"the whole-year value went from {fmt(year['value_baseline'])} to {fmt(year['value_evaluation'])} "
            f"({scale * year['absolute_change']:+.1f}{unit}")
    if pd.notna(year.get("ci_low")):
        text += f", 95% CI {scale * year['ci_low']:+.1f} to {scale * year['ci_high']:+.1f}"
    return text + ")"


def its_clause(result, effect: str, percent: bool = True) -> str:
    """The ITS effect that may be the headline, with its interval, and the extrapolation label when needed."""
    row = result.effects.set_index("effect").loc[effect]
    what = "the level change at the start" if effect == "level_change" else "the effect at the end of the year"
    if row["scale"] == "rate ratio":
        size = f"rate ratio {row['estimate']:.2f}, 95% CI {row['ci_low']:.2f} to {row['ci_high']:.2f}"
    else:
        scale = 100 if percent else 1
        size = (f"{scale * row['estimate']:+.1f}{' points' if percent else ''}, 95% CI "
                f"{scale * row['ci_low']:+.1f} to {scale * row['ci_high']:+.1f}")
    text = f"in the interrupted time series, {what} was {size}"
    diag = result.diagnostics
    if diag.get("extrapolation"):
        cf = diag["counterfactual_end"]
        side = "above every" if cf > diag["observed_max"] else "below every"
        shown = percent_text(cf) if (percent or row["scale"] == "rate ratio") else f"{cf:.2f}"
        text += (f" (the effect at the end of the year is not used: its counterfactual, {shown}, is {side} "
                 "observed month, an extrapolation of the pre-strategy trend)")
    return text
