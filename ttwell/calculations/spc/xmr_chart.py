"""XmR charts as NHS England's Making Data Count (MDC) draws them: limits, special-cause rules and icons.

:func:`xmr` follows NHSRplotthedots 0.2.2 ``ptd_spc`` (spc.md section 2): 2.66 x mean moving range limits,
moving-range screening, rebase, fixed baseline, the astronomical-point / trend / two-in-three / shift rules,
improvement direction, variation and assurance icons. The rules are computed for every facet and segment at once
on flat arrays, so a million points take a fraction of a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations.spc.core import (ASSURANCE_TEXT, DIRECTIONS, LIMIT_MULTIPLIER, MIN_FIX_AFTER_N_POINTS,
                                          MR_SCREEN_MULTIPLIER, POINT_TYPES, RULES, SHORT_SERIES_POINTS, SIDES,
                                          TWO_SIGMA_MULTIPLIER, TWO_SIGMA_RULES, SPCResult, assurance_icon,
                                          categorical, group_count, group_mean, icon_text, in_long_run,
                                          per_point, point_type_codes, variation_icon, VARIATION_TEXT)
from ttwell.calculations.spc.prepare import PreparedSeries, check_choice, describe_dates, prepare
from ttwell.errors import ParameterError


def _xmr_rules(s: PreparedSeries, mean, upl, lpl, two_up, two_low, known, run_length: int,
               two_sigma_rule: str) -> dict:
    """Per-point flags of the four MDC rules, vectorised over all groups at once (spc.md 2.4).

    ``known`` is True for the groups that have limits. Everything is done with comparisons on int8 and bool
    arrays: on a million points each float temporary costs milliseconds, most of them in fresh memory.
    """
    y, starts = s.y, s.group_start
    n = len(y)
    boundary = np.zeros(n, dtype=bool)  # True at the first point of each facet and segment
    boundary[starts] = True
    # A missing limit (NaN) compares False, so a group without limits has no point beyond them.
    outside = (y > upl) | (y < lpl)
    beyond_two = (y > two_up) | (y < two_low)
    if not known.all():  # infinite limits, from absurdly large values, count as none too
        outside &= per_point(known, s.group_len)
        beyond_two &= per_point(known, s.group_len)
    # The sign of y - mean from two comparisons (exact: y - mean is 0 only when y == mean).
    rel = (y > mean).view(np.int8) - (y < mean).view(np.int8)
    # ptd 0.2.2: strictly between the 2- and 3-sigma lines. MDC 2023 (issue #194): any point beyond 2 sigma.
    close = beyond_two & ~outside if two_sigma_rule == "ptd" else beyond_two

    # Shift: run_length or more consecutive points with the same non-zero sign; a point on the mean (sign 0)
    # is its own run and so breaks it. Every point of a long enough run is "part of" it.
    shift = (rel != 0) & in_long_run(rel, starts, run_length)

    # Trend: run_length points need run_length - 1 consecutive differences of one sign; a tie (0) breaks it.
    diff = np.zeros(n, dtype=np.int8)
    np.subtract((y[1:] > y[:-1]).view(np.int8), (y[1:] < y[:-1]).view(np.int8), out=diff[1:])
    diff[starts] = 0
    long_diff = (diff != 0) & in_long_run(diff, starts, run_length - 1)
    # A difference at i joins points i-1 and i: a point is in a trend when the difference on either side is.
    trend = long_diff.copy()
    trend[:-1] |= long_diff[1:]  # long_diff is False at a group's first point, so this never crosses groups

    # Two of three: windows {k, k+1, k+2} inside one group with >= 2 close points all on one side (|sum| = 3);
    # a point is flagged only when it is itself close (the third point of the window is not).
    q = np.zeros(n, dtype=bool)
    if n >= 3:
        same = ~(boundary[1:-1] | boundary[2:])  # no new group starts at k + 1 or k + 2
        c = close.view(np.int8)
        q[:-2] = same & (c[:-2] + c[1:-1] + c[2:] >= 2) & (np.abs(rel[:-2] + rel[1:-1] + rel[2:]) == 3)
    in_window = q.copy()
    in_window[1:] |= q[:-1]
    in_window[2:] |= q[:-2]
    two_in_three = close & in_window

    # Trend direction for the label (spc.md 2.4): the difference to the next point when the next point is also
    # in a trend, else the difference from the previous point. ttwell departs from ptd_spc in one corner: when
    # the next difference is a tie (two trends meeting at equal values) ptd reads 0 as "Decreasing"; ttwell
    # uses the previous difference, which is the trend the point belongs to.
    next_diff = np.zeros(n, dtype=np.int8)
    next_diff[:-1] = diff[1:]
    next_in_trend = np.zeros(n, dtype=bool)
    next_in_trend[:-1] = trend[1:] & ~boundary[1:]
    trend_dir = np.where(trend & next_in_trend & (next_diff != 0), next_diff, diff)
    return {"outside": outside, "rel": rel, "close": close, "shift": shift, "trend": trend,
            "two_in_three": two_in_three, "trend_dir": trend_dir}


def _label_codes(flags: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes of rule, side and the peer's label text by precedence: outside > trend > two-in-three > shift.

    (spc.md 2.4.) Codes index :data:`RULES`, :data:`SIDES` and :func:`_label_names`.
    """
    outside, trend, tit, shift = flags["outside"], flags["trend"], flags["two_in_three"], flags["shift"]
    rel, trend_dir = flags["rel"], flags["trend_dir"]
    rule = np.full(len(rel), 4, dtype=np.int8)
    for code, fired in ((3, shift), (2, tit), (1, trend), (0, outside)):  # the last copy wins
        np.copyto(rule, np.int8(code), where=fired)  # a masked copy, faster than boolean indexing
    common = rule == 4
    # High for a trend going up; for every other rule, high when the point is above the mean.
    up = np.where(rule == 1, trend_dir == 1, rel > 0)
    side = (~up).view(np.int8)  # 0 high, 1 low
    np.copyto(side, np.int8(2), where=common)
    label = 2 * rule + side
    np.copyto(label, np.int8(8), where=common)
    return rule, side, label


def _label_names(run_length: int) -> list[str]:
    return ["Above UCL", "Below LCL",
            f"{run_length} Point Trend (Increasing)", f"{run_length} Point Trend (Decreasing)",
            "2 in 3 Above CL", "2 in 3 Below CL",
            f"{run_length} Points Above CL", f"{run_length} Points Below CL", "Common Cause"]


def _targets(target, labels, facet) -> dict:
    if target is None:
        return {}
    if isinstance(target, dict):
        unknown = [k for k in target if k not in set(labels)]
        if unknown:
            raise ParameterError(f"target names facet(s) not in the data: {', '.join(map(str, unknown))}.")
        items = target.items()
    else:
        items = [(lab, target) for lab in set(labels)]
    out = {}
    for lab, t in items:
        if t is None:
            continue
        try:
            out[lab] = float(t)
        except (TypeError, ValueError):
            raise ParameterError(f"target must be a number{' per facet' if facet else ''}; got {t!r}.") from None
        if not np.isfinite(out[lab]):
            raise ParameterError(f"target must be a finite number; got {t!r}.")
    return out


def xmr(data: pd.DataFrame, *, date: str, value: str, facet: str | None = None,
        improvement_direction: str = "increase", rebase=(), fix_after_n_points: int | None = None,
        target=None, screen_outliers: bool = True, run_length: int = 7, two_sigma_rule: str = "ptd",
        missing: str = "error") -> SPCResult:
    """Making Data Count XmR chart: limits, special-cause rules, point types and icons.

    Follows NHSRplotthedots 0.2.2 ``ptd_spc`` (spc.md section 2) point for point, with the options the MDC
    tools allow (6-point runs, the 2023 two-sigma rule) and the departures listed under Notes.

    Parameters
    ----------
    data : DataFrame
        One row per date (per facet). Dates may be datetime or text (dd/mm/yyyy or yyyy-mm-dd).
    date, value : str
        Column names.
    facet : str, optional
        Column naming independent series (one chart per facet, one call).
    improvement_direction : {"increase", "decrease", "neutral"}
        Which way is better.
    rebase : list of dates, or dict facet -> list of dates
        The point on each date starts a new segment with its own limits (dd/mm/yyyy text or dates).
    fix_after_n_points : int, optional
        Limits from the first n points of each segment only (at least 12), applied to all its points.
    target : float, or dict facet -> float, optional
        For the assurance icon. Facets without a target get no assurance icon.
    screen_outliers : bool
        Drop moving ranges of at least 3.267 x their mean before the limits (Nelson 1982; default on as in
        ptd_spc; False reproduces the MDC Excel tool).
    run_length : {7, 6}
        Points needed for a shift and for a trend. 7 as in ptd_spc; 6 is allowed by the MDC Excel tool.
    two_sigma_rule : {"ptd", "mdc_2023"}
        "ptd": two of three points strictly between the 2- and 3-sigma lines on one side (ptd_spc 0.2.2).
        "mdc_2023": any point beyond 2 sigma counts, including beyond 3 sigma (MDC tools since late 2023).
    missing : {"error", "drop"}
        Missing values and missing periods (months, weeks or days) raise :class:`AnalysisError`/`InputError`
        by default; "drop" removes rows with no value, treats the points as consecutive and records both as
        warnings in the summary.

    Returns
    -------
    SPCResult
        ``points``: one row per point, sorted by facet and date, with columns ``facet, date, value, segment,
        mean, lpl, upl, rule, side, point_type`` (``rule``: outside_limits, trend, two_in_three, shift or none,
        the highest-precedence rule that fired; ``side``: high, low or none; ``point_type``: common_cause,
        special_cause_improvement, special_cause_concern, special_cause_neutral_high or _low), then
        ``label`` (the peer's text, e.g. "Above UCL"), ``lower_2sigma, upper_2sigma``, ``moving_range``
        (|difference from the previous point| within the segment), ``moving_range_used`` (counted in the mean
        moving range after the baseline cut and screening), ``in_baseline``, ``relative_to_mean`` (-1, 0, 1),
        ``outside_limits, close_to_limits, part_of_trend, part_of_two_in_three, part_of_shift`` (every rule
        that fired, not only the label's).
        ``summary``: one row per facet and segment with ``facet, segment, start_date, end_date, n,
        n_baseline, mean, lpl, upl, lower_2sigma, upper_2sigma, mr_mean, n_mr_screened_out,
        n_special_cause, variation_icon, target, assurance_icon, trial_limits, variation_text, assurance_text,
        is_latest_segment, warnings`` (a list of plain sentences). ``trial_limits`` is True for a segment of
        fewer than 13 points; its ``variation_text`` and ``assurance_text`` (the icons in words) then say the
        limits, and so the assurance read from them, are trial limits. The facet's icons are those of its
        latest segment (:meth:`SPCResult.icons`).

    Notes
    -----
    Per segment: mean = mean of the baseline values; MR_i = |y_i - y_(i-1)| within the baseline; with
    screening, MRs >= 3.267 x mean MR are dropped once and the mean MR recomputed; limits = mean +/- 2.66 x
    mean MR; 2-sigma lines = mean +/- (2 x 2.66 / 3) x mean MR. Rules use the raw values of every point.
    Departures from ptd_spc: missing values/periods are refused or dropped (never kept as rows); a segment
    whose mean moving range is 0 (after screening) gets no limits and a warning, instead of limits on the
    mean that flag every point; a rebase date not in the data gives a warning; facets without a target get no
    assurance icon; at a tie where two trends meet the trend label follows the point's own trend.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=15, freq="MS"),
    ...                       "score": [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 12]})
    >>> xmr(frame, date="month", value="score").points["rule"].iloc[-1]
    'outside_limits'
    """
    check_choice(improvement_direction, "improvement_direction", DIRECTIONS)
    check_choice(run_length, "run_length", (6, 7))
    check_choice(two_sigma_rule, "two_sigma_rule", TWO_SIGMA_RULES)
    if not isinstance(screen_outliers, (bool, np.bool_)):
        raise ParameterError(f"screen_outliers must be True or False; got {screen_outliers!r}.")
    if fix_after_n_points is not None:
        if isinstance(fix_after_n_points, bool) or not float(fix_after_n_points).is_integer() \
                or fix_after_n_points < MIN_FIX_AFTER_N_POINTS:
            raise ParameterError(f"fix_after_n_points must be a whole number of at least {MIN_FIX_AFTER_N_POINTS} "
                                 "(Making Data Count locks limits after 12 or more points); "
                                 f"got {fix_after_n_points!r}.")
        fix_after_n_points = int(fix_after_n_points)
    s = prepare(data, date=date, value=value, facet=facet, missing=missing, rebase=rebase)
    targets = _targets(target, s.labels, facet)
    G, y, group, starts, lengths = s.n_groups, s.y, s.group, s.group_start, s.group_len

    in_base = s.pos < fix_after_n_points if fix_after_n_points is not None else np.ones(len(y), dtype=bool)
    mean_g = group_mean(y, in_base, group, starts)
    mr = np.empty(len(y))
    np.subtract(y[1:], y[:-1], out=mr[1:])  # in place: a million-point series should not allocate twice
    np.abs(mr[1:], out=mr[1:])
    mr[starts] = np.nan  # the first moving range of a segment is never taken across a rebase or facet
    mr_base = in_base.copy()
    mr_base[starts] = False
    # One scratch array serves both masked means and then becomes the mean column: fresh memory is most of what
    # a first call on a million points costs.
    scratch = np.empty(len(y))
    amr_raw = group_mean(mr, mr_base, group, starts, scratch)
    if screen_outliers:
        limit = MR_SCREEN_MULTIPLIER * amr_raw
        with np.errstate(invalid="ignore"):  # strict, single pass; a NaN mean screens nothing in
            mr_used = mr_base & (mr < (limit[0] if G == 1 else per_point(limit, lengths)))
    else:
        mr_used = mr_base.copy()  # its own array: the points table shares no memory between columns
    amr = group_mean(mr, mr_used, group, starts, scratch)
    # A zero mean MR gives limits on the mean that flag every point (spc.md 2.3); no limits instead.
    degenerate = ~(amr > 0)
    amr_safe = np.where(degenerate, np.nan, amr)
    # Limits per segment, then spread over its points (the same sums, in the same order, as point by point).
    spread, two_spread = LIMIT_MULTIPLIER * amr_safe, TWO_SIGMA_MULTIPLIER * amr_safe
    upl_g = mean_g + spread
    mean, upl, lpl = per_point(mean_g, lengths, scratch), per_point(upl_g, lengths), per_point(mean_g - spread, lengths)
    two_up, two_low = per_point(mean_g + two_spread, lengths), per_point(mean_g - two_spread, lengths)

    flags = _xmr_rules(s, mean, upl, lpl, two_up, two_low, np.isfinite(upl_g), run_length, two_sigma_rule)
    rule, side, label = _label_codes(flags)
    point_type = point_type_codes(side, improvement_direction)

    # copy=False: every array is new and belongs to this table alone, and copying 22 columns of a million
    # points into consolidated blocks would cost more than the whole calculation.
    points = pd.DataFrame({
        "facet": s.facet_column(), "date": s.date, "value": y, "segment": s.segment, "mean": mean, "lpl": lpl,
        "upl": upl, "rule": categorical(rule, RULES), "side": categorical(side, SIDES),
        "point_type": categorical(point_type, POINT_TYPES), "label": categorical(label, _label_names(run_length)),
        "lower_2sigma": two_low, "upper_2sigma": two_up, "moving_range": mr, "moving_range_used": mr_used,
        "in_baseline": in_base, "relative_to_mean": flags["rel"].astype(int), "outside_limits": flags["outside"],
        "close_to_limits": flags["close"], "part_of_trend": flags["trend"],
        "part_of_two_in_three": flags["two_in_three"], "part_of_shift": flags["shift"],
    }, copy=False)

    summary = _summary(s, mean_g, amr, amr_raw, degenerate, lpl, upl, two_low, two_up, rule, point_type, in_base,
                       mr_base, mr_used, targets, improvement_direction, fix_after_n_points, screen_outliers)
    options = {"chart": "xmr", "improvement_direction": improvement_direction,
               "rebase": describe_dates(rebase), "fix_after_n_points": fix_after_n_points or "not set (all points)",
               "target": target if target is not None else "not set", "screen_outliers": bool(screen_outliers),
               "run_length": run_length, "two_sigma_rule": two_sigma_rule, "missing": missing}
    return SPCResult(points=points, summary=summary, options=options)


def _summary(s: PreparedSeries, mean_g, amr, amr_raw, degenerate, lpl, upl, two_low, two_up, rule, point_type,
             in_base, mr_base, mr_used, targets: dict, direction: str, fix_after_n_points, screen_outliers) -> pd.DataFrame:
    """One row per facet and segment (columns in :func:`xmr`'s docstring).

    Built column by column from per-segment arrays; only the segments that need a warning, a target or a
    trial-limits note are visited one by one, so a thousand facets cost little more than one.
    """
    G, group, starts = s.n_groups, s.group, s.group_start
    first, last = starts, starts + s.group_len - 1
    n = s.group_len
    n_base = group_count(in_base, starts)
    codes_first = s.facet_code[first]
    facet = s.labels[codes_first]
    latest = np.ones(G, dtype=bool)
    latest[:-1] = s.facet_code[last[:-1]] != s.facet_code[last[1:]]
    facet_first = np.ones(G, dtype=bool)
    facet_first[1:] = codes_first[1:] != codes_first[:-1]
    trial = n < SHORT_SERIES_POINTS
    v_icons = [variation_icon(POINT_TYPES[code], direction) for code in point_type[last].tolist()]
    lpl_first, upl_first = lpl[first], upl[first]
    target_col: list = [None] * G
    a_icons: list = [None] * G
    if targets:
        for g, lab in enumerate(facet.tolist()):
            if lab in targets:
                target_col[g] = targets[lab]
                a_icons[g] = assurance_icon(targets[lab], lpl_first[g], upl_first[g], direction)
    v_texts = [VARIATION_TEXT.get(icon, icon) for icon in v_icons]
    a_texts = [ASSURANCE_TEXT.get(icon, icon) if icon else None for icon in a_icons]
    for g in np.nonzero(trial)[0].tolist():
        v_texts[g], a_texts[g] = icon_text(v_icons[g], a_icons[g], int(n[g]))

    warnings: list[list[str]] = [[] for _ in range(G)]
    if s.notes:
        for g in np.nonzero(facet_first)[0].tolist():
            warnings[g].extend(s.notes.get(facet[g], []))
    short = trial | (n < fix_after_n_points if fix_after_n_points is not None else False)
    needs_words = short | degenerate
    if targets and direction == "neutral":
        needs_words |= np.array([tgt is not None for tgt in target_col])
    for g in np.nonzero(needs_words)[0].tolist():
        size, warn = int(n[g]), warnings[g]
        if size < SHORT_SERIES_POINTS:
            warn.append(f"Only {size} point(s): these are trial limits. Making Data Count shows limits and icons "
                        f"from {SHORT_SERIES_POINTS} points; fix them once 12 or more are available.")
        if fix_after_n_points is not None and size < fix_after_n_points:
            warn.append(f"Fewer points ({size}) than fix_after_n_points ({fix_after_n_points}): "
                        "limits use all of them.")
        if degenerate[g]:
            why = ("only one point" if n_base[g] < 2 else
                   "all moving ranges are 0 after screening" if screen_outliers and amr_raw[g] > 0 else
                   "every value is the same")
            warn.append(f"No process limits: the mean moving range is not above 0 ({why}). "
                        "Only the shift and trend rules were applied.")
        if target_col[g] is not None and direction == "neutral":
            warn.append("A target was given but the direction is neutral: no assurance icon.")

    # pandas would turn None into NaN in a text column; "no assurance icon" stays None, so the icon and its words
    # go in as object Series (on the frame's own index, so nothing is realigned).
    index = pd.RangeIndex(G)
    summary = pd.DataFrame({
        "facet": facet.tolist(), "segment": s.segment[first], "start_date": s.date[first], "end_date": s.date[last],
        "n": n, "n_baseline": n_base, "mean": mean_g, "lpl": lpl_first, "upl": upl_first,
        "lower_2sigma": two_low[first], "upper_2sigma": two_up[first], "mr_mean": amr,
        "n_mr_screened_out": group_count(mr_base & ~mr_used, starts), "n_special_cause": group_count(rule != 4, starts),
        "variation_icon": v_icons, "target": target_col,
        "assurance_icon": pd.Series(a_icons, index=index, dtype=object), "trial_limits": trial,
        "variation_text": v_texts,
        "assurance_text": pd.Series(a_texts, index=index, dtype=object), "is_latest_segment": latest,
        "warnings": warnings,
    }, index=index)
    return summary
