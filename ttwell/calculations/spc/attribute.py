"""Attribute charts: p, u and c charts for proportions, rates and counts (qicharts2 0.8.1, spc.md 3.3-3.4).

Shewhart limits from a pooled centre line (a ratio of sums over the baseline, never a mean of ratios), with the
points beyond the limits and the Anhøj runs signal per segment (:func:`.runs.runs_analysis`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations.spc.core import (DIRECTIONS, POINT_TYPES, RULES, SHORT_SERIES_POINTS, SIDES, SPCResult,
                                          categorical, group_sum, icon_text, point_type_codes, variation_icon)
from ttwell.calculations.spc.prepare import check_choice, describe_dates, prepare
from ttwell.calculations.spc.runs import run_warnings, runs_analysis, signal_reason
from ttwell.errors import AnalysisError, ParameterError
from ttwell.inputs.dates import uk_date


def _attribute_chart(kind: str, data: pd.DataFrame, *, date: str, numerator: str | None, denominator: str | None,
                     value: str | None, facet, improvement_direction, rebase, fix_after_n_points, missing,
                     multiply: float) -> SPCResult:
    check_choice(improvement_direction, "improvement_direction", DIRECTIONS)
    if fix_after_n_points is not None:
        if isinstance(fix_after_n_points, bool) or not float(fix_after_n_points).is_integer() or fix_after_n_points < 2:
            raise ParameterError("fix_after_n_points must be a whole number of at least 2; "
                                 f"got {fix_after_n_points!r}.")
        fix_after_n_points = int(fix_after_n_points)
    if kind == "c":
        s = prepare(data, date=date, value=value, facet=facet, missing=missing, rebase=rebase)
        num, den = s.y, np.ones(len(s.y))
    else:
        s = prepare(data, date=date, value=None, facet=facet, missing=missing, rebase=rebase,
                     extra={"numerator": numerator, "denominator": denominator})
        num, den = s.extra["numerator"], s.extra["denominator"]
        bad = den <= 0
        if bad.any():
            raise AnalysisError(f"Every '{denominator}' must be above 0; {int(bad.sum())} are not "
                                f"(first on {uk_date(s.date[np.argmax(bad)])}).")
        if (num < 0).any():
            raise AnalysisError(f"'{numerator}' must not be negative.")
        if kind == "p" and (num > den).any():
            raise AnalysisError(f"For a p chart '{numerator}' cannot exceed '{denominator}' "
                                f"(first on {uk_date(s.date[np.argmax(num > den)])}).")
    if kind == "c" and (num < 0).any():
        raise AnalysisError(f"Counts in '{value}' must not be negative.")
    G, group, pos = s.n_groups, s.group, s.pos
    in_base = pos < fix_after_n_points if fix_after_n_points is not None else np.ones(len(num), dtype=bool)
    y = num / den
    base_num = group_sum(np.where(in_base, num, 0.0), group, G)
    base_den = group_sum(np.where(in_base, den, 0.0), group, G)
    centre_g = base_num / base_den  # pooled: ratio of sums over the baseline, never a mean of ratios
    centre = centre_g[group]
    if kind == "p":
        sigma = np.sqrt(centre * (1 - centre) / den)
        lpl, upl = np.clip(centre - 3 * sigma, 0, 1), np.clip(centre + 3 * sigma, 0, 1)
    else:  # u: sqrt(CL / n_i); c: n_i = 1, so sqrt(CL)
        sigma = np.sqrt(centre / den)
        lpl, upl = np.maximum(centre - 3 * sigma, 0), centre + 3 * sigma
    outside = (y > upl) | (y < lpl)
    rel = np.sign(y - centre)
    side = np.where(outside, np.where(rel > 0, 0, 1), 2).astype(np.int8)
    rule = np.where(outside, 0, 4).astype(np.int8)
    runs = runs_analysis(y, centre, group, G)
    point_type = point_type_codes(side, improvement_direction)
    points = pd.DataFrame({
        "facet": s.facet_column(), "date": s.date, "value": y * multiply, "segment": s.segment,
        "mean": centre * multiply,
        "lpl": lpl * multiply, "upl": upl * multiply, "rule": categorical(rule, RULES), "side": categorical(side, SIDES),
        "point_type": categorical(point_type, POINT_TYPES), "numerator": num, "denominator": den,
        "sigma": sigma * multiply, "in_baseline": in_base, "outside_limits": outside,
        "runs_signal": runs["signal"][group],
    })
    last = s.group_start + s.group_len - 1
    latest = np.ones(G, dtype=bool)
    latest[:-1] = s.facet_code[last[:-1]] != s.facet_code[last[1:]]
    n_baseline = np.bincount(group, weights=in_base.astype(float), minlength=G).astype(int)
    n_outside = np.bincount(group, weights=outside.astype(float), minlength=G).astype(int)
    rows = []
    for g in range(G):
        f0 = s.group_start[g]
        lab = s.labels[s.facet_code[f0]]
        icon = variation_icon(POINT_TYPES[point_type[last[g]]], improvement_direction)
        nu = int(runs["n_useful"][g])
        warn = list(s.notes.get(lab, [])) if g == 0 or s.facet_code[f0] != s.facet_code[s.group_start[g - 1]] else []
        warn += run_warnings(nu)
        if s.group_len[g] < SHORT_SERIES_POINTS:
            warn.append(f"Only {int(s.group_len[g])} point(s): treat the limits as trial limits.")
        rows.append({"facet": lab, "segment": int(s.segment[f0]), "start_date": s.date[f0], "end_date": s.date[last[g]],
                     "n": int(s.group_len[g]), "n_baseline": int(n_baseline[g]),
                     "mean": centre_g[g] * multiply, "numerator_baseline": base_num[g],
                     "denominator_baseline": base_den[g],
                     "n_outside_limits": int(n_outside[g]),
                     "variation_icon": icon,
                     "trial_limits": bool(s.group_len[g] < SHORT_SERIES_POINTS),
                     "variation_text": icon_text(icon, None, int(s.group_len[g]))[0],
                     "n_useful": nu, "longest_run": int(runs["longest_run"][g]),
                     "longest_run_max": int(runs["longest_run_max"][g]) if nu else None,
                     "n_crossings": int(runs["n_crossings"][g]),
                     "n_crossings_min": int(runs["n_crossings_min"][g]) if nu else None,
                     "runs_signal": bool(runs["signal"][g]),
                     "signal_reason": signal_reason(runs["long_signal"][g], runs["cross_signal"][g]),
                     "assurance_icon": None, "is_latest_segment": bool(latest[g]), "warnings": warn})
    options = {"chart": kind, "improvement_direction": improvement_direction, "rebase": describe_dates(rebase),
               "fix_after_n_points": fix_after_n_points or "not set (all points)", "multiply": multiply,
               "missing": missing}
    summary = pd.DataFrame(rows)
    summary["assurance_icon"] = pd.Series([None] * len(rows), dtype=object)
    return SPCResult(points=points, summary=summary, options=options)


_ATTRIBUTE_DOC = """
    Parameters
    ----------
    data : DataFrame
        One row per date (per facet).
    date : str
        Date column.
    {counts}
    facet : str, optional
        Column naming independent series.
    improvement_direction : {{"increase", "decrease", "neutral"}}
        Which way is better; colours points beyond the limits as improvement or concern.
    rebase : list of dates, or dict facet -> list of dates
        Dates starting a new segment (own centre, limits and runs analysis), as in :func:`xmr`.
    fix_after_n_points : int, optional
        Centre and limits from the first n points of each segment (qicharts2 ``freeze``), applied to all.
    missing : {{"error", "drop"}}
        As in :func:`xmr`.
    multiply : float
        Scales values and lines after the calculation (100 for per cent), as qicharts2 ``multiply``.

    Returns
    -------
    SPCResult
        ``points``: ``facet, date, value, segment, mean (the centre line), lpl, upl, rule (outside_limits or
        none), side, point_type, numerator, denominator, sigma, in_baseline, outside_limits, runs_signal``.
        ``summary``: per facet and segment ``facet, segment, start_date, end_date, n, n_baseline, mean,
        numerator_baseline, denominator_baseline, n_outside_limits, variation_icon, trial_limits,
        variation_text, n_useful, longest_run, longest_run_max, n_crossings, n_crossings_min, runs_signal,
        signal_reason, assurance_icon (None), is_latest_segment, warnings`` (``trial_limits``: fewer than 13
        points; the variation text then says so).

    Notes
    -----
    qicharts2 0.8.1 (spc.md 3.3-3.4): points beyond the 3-sigma limits (strict) are signals; the Anhøj runs
    analysis is done per segment against the centre line. {formula}
"""


def p_chart(data: pd.DataFrame, *, date: str, numerator: str, denominator: str, facet: str | None = None,
            improvement_direction: str = "increase", rebase=(), fix_after_n_points: int | None = None,
            missing: str = "error", multiply: float = 1.0) -> SPCResult:
    return _attribute_chart("p", data, date=date, numerator=numerator, denominator=denominator, value=None,
                            facet=facet, improvement_direction=improvement_direction, rebase=rebase,
                            fix_after_n_points=fix_after_n_points, missing=missing, multiply=multiply)


def u_chart(data: pd.DataFrame, *, date: str, numerator: str, denominator: str, facet: str | None = None,
            improvement_direction: str = "increase", rebase=(), fix_after_n_points: int | None = None,
            missing: str = "error", multiply: float = 1.0) -> SPCResult:
    return _attribute_chart("u", data, date=date, numerator=numerator, denominator=denominator, value=None,
                            facet=facet, improvement_direction=improvement_direction, rebase=rebase,
                            fix_after_n_points=fix_after_n_points, missing=missing, multiply=multiply)


def c_chart(data: pd.DataFrame, *, date: str, value: str, facet: str | None = None,
            improvement_direction: str = "increase", rebase=(), fix_after_n_points: int | None = None,
            missing: str = "error", multiply: float = 1.0) -> SPCResult:
    return _attribute_chart("c", data, date=date, numerator=None, denominator=None, value=value, facet=facet,
                            improvement_direction=improvement_direction, rebase=rebase,
                            fix_after_n_points=fix_after_n_points, missing=missing, multiply=multiply)


p_chart.__doc__ = """P chart: proportions with varying denominators (qicharts2 ``chart = "p"``).
""" + _ATTRIBUTE_DOC.format(
    counts="numerator, denominator : str\n        Columns of counts: events and the number at risk (e.g. "
           "staff who left, staff in post).",
    formula="CL = sum(numerator) / sum(denominator) over the baseline; sigma_i = sqrt(CL (1 - CL) / n_i); limits "
            "CL +/- 3 sigma_i clipped to [0, 1].") + """
    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=3, freq="MS"),
    ...                       "left": [2, 3, 5], "staff": [100, 100, 100]})
    >>> round(float(p_chart(frame, date="month", numerator="left", denominator="staff").points["mean"].iloc[0]), 4)
    0.0333
"""
u_chart.__doc__ = """U chart: rates per unit with varying exposure (qicharts2 ``chart = "u"``).
""" + _ATTRIBUTE_DOC.format(
    counts="numerator, denominator : str\n        Columns of event counts and exposure (e.g. sickness episodes, "
           "FTE days available).",
    formula="CL = sum(numerator) / sum(denominator) over the baseline; sigma_i = sqrt(CL / n_i); lower limit "
            "clipped at 0.") + """
    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=2, freq="MS"),
    ...                       "episodes": [4, 8], "fte": [2.0, 2.0]})
    >>> float(u_chart(frame, date="month", numerator="episodes", denominator="fte").points["mean"].iloc[0])
    3.0
"""
c_chart.__doc__ = """C chart: counts with a constant area of opportunity (qicharts2 ``chart = "c"``).
""" + _ATTRIBUTE_DOC.format(
    counts="value : str\n        Column of counts.",
    formula="CL = mean count over the baseline; sigma = sqrt(CL); lower limit clipped at 0.") + """
    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=2, freq="MS"), "incidents": [3, 5]})
    >>> float(c_chart(frame, date="month", value="incidents").points["upl"].iloc[0])
    10.0
"""
