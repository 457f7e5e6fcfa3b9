"""Making Data Count XmR charts, small multiples of them, and Anhøj run charts, with PDSA cycles shaded and
labelled: drawn from the output of :mod:`ttwell.calculations.spc` (drawing only)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

# The icon words have one home, next to the icons themselves (ttwell.calculations.spc); charts and labels reuse them.
from ttwell.calculations.spc import ASSURANCE_TEXT as ASSURANCE_ICON_TEXT
from ttwell.calculations.spc import VARIATION_TEXT as VARIATION_ICON_TEXT
from ttwell.presentation.charts.layout import _add_note, _label_periods, _layout, _right_labels
from ttwell.presentation.charts.style import (
    DECORATION_GID,
    FIGSIZE,
    LABEL_PT,
    MDC_MARK_COLOURS,
    MDC_TARGET,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_MID_GREY,
    NHS_PALE_GREY,
    SERIES_GID,
)
from ttwell.presentation.charts.time_axis import _time_axis, _time_positions, _to_dates, _with_gaps


_POINT_COLOUR = {"common_cause": MDC_MARK_COLOURS["common_cause"],
                 "special_cause_improvement": MDC_MARK_COLOURS["improvement"],
                 "special_cause_concern": MDC_MARK_COLOURS["concern"],
                 "special_cause_neutral_high": MDC_MARK_COLOURS["neutral"],
                 "special_cause_neutral_low": MDC_MARK_COLOURS["neutral"]}
_POINT_MARKER = {"common_cause": "o", "special_cause_improvement": "^", "special_cause_concern": "v",
                 "special_cause_neutral_high": "D", "special_cause_neutral_low": "D"}
_POINT_TEXT = {"common_cause": "Common cause", "special_cause_improvement": "Special cause: improvement",
               "special_cause_concern": "Special cause: concern",
               "special_cause_neutral_high": "Special cause (neutral, high)",
               "special_cause_neutral_low": "Special cause (neutral, low)"}


def _looks_like_count(values: pd.Series) -> bool:
    finite = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(finite)) and bool((finite >= 0).all()) and bool(np.allclose(finite, np.round(finite)))


def spc_chart(points: pd.DataFrame, summary: pd.DataFrame | None = None, *, title: str, ylabel: str,
              percent: bool = False, target: float | None = None, cycles: pd.DataFrame | None = None,
              ax=None, note: str | None = None, floor_at_zero: bool | None = None) -> Figure:
    """Making Data Count XmR chart drawn from ``ttwell.calculations.spc`` output (drawing only).

    Points are coloured and shaped by type (grey circle common cause, blue triangle up improvement, orange
    triangle down concern, purple diamond neutral), so colour is never the only cue; the colours are darker
    tones of the Making Data Count palette with at least 3:1 contrast on white (``MDC_MARK_COLOURS``).
    Mean and limits are drawn per segment; those of the latest segment (and a target, red dashed) are labelled
    in the right margin. ``cycles`` (columns ``label, start, end``) shades each PDSA cycle and labels it above
    the plot. The variation and assurance icons of the latest segment are written under the title; the legend
    and any notes sit under the chart.

    Monthly points are drawn in the middle of their own month. A point whose value is NaN (suppressed) is a
    gap: its month keeps its place on the axis and the line breaks there.

    Parameters
    ----------
    points, summary : pandas.DataFrame
        ``result.points`` and ``result.summary`` of :func:`ttwell.calculations.spc.xmr`.
    title, ylabel : str
    percent : bool, default False
        Values are proportions (0-1), drawn as percentages.
    target : float, optional
    cycles : pandas.DataFrame, optional
    ax : matplotlib Axes, optional
        Draw into this axes (small multiples); the caller then lays the figure out.
    note : str, optional
        Printed under the chart, for example ``"[c] months suppressed to protect confidentiality"``.
    floor_at_zero : bool, optional
        Draw a lower limit below zero at zero, with a note, as qicharts2 does for attribute charts. By
        default this is done for percentages and for counts (whole numbers that are never negative); a
        percentage's upper limit above 100% is likewise drawn at 100%.

    Examples
    --------
    >>> result = ttwell.calculations.spc.xmr(data, date="date", value="value")                # doctest: +SKIP
    >>> fig = spc_chart(result.points, result.summary, title="Joy at work", ylabel="%")  # doctest: +SKIP
    """
    own = ax is None
    fig, ax = (plt.subplots(figsize=FIGSIZE) if own else (ax.figure, ax))
    frame = points.copy()
    positions, monthly = _time_positions(frame["date"])
    frame["_x"] = positions.to_numpy()  # by position: the table's own index may not be 0..n-1
    frame = frame.sort_values("_x")
    scale = 100.0 if percent else 1.0
    if floor_at_zero is None:
        floor_at_zero = percent or _looks_like_count(frame["value"])
    kind = "a percentage" if percent else "a count"
    unit = "%" if percent else ""
    _shade_cycles(ax, cycles, frame["_x"].max(), monthly)
    xs, ys = _with_gaps(frame["_x"], frame["value"] * scale, monthly)
    line, = ax.plot(xs, ys, color=MDC_MARK_COLOURS["common_cause"], linewidth=1.2, zorder=2)
    line.set_gid(SERIES_GID)
    handles = []
    for point_type in [t for t in _POINT_TEXT if t in set(frame["point_type"].dropna())] + sorted(
            set(frame["point_type"].dropna()) - set(_POINT_TEXT)):
        rows = frame[(frame["point_type"] == point_type) & frame["value"].notna()]
        handle = ax.scatter(rows["_x"], rows["value"] * scale, s=30, zorder=3,
                            color=_POINT_COLOUR.get(point_type, MDC_MARK_COLOURS["common_cause"]),
                            marker=_POINT_MARKER.get(point_type, "o"),
                            label=_POINT_TEXT.get(point_type, str(point_type).replace("_", " ").capitalize()))
        handle.set_gid(SERIES_GID)
        handles.append(handle)
    right: list[tuple[str, float, str]] = []
    segments = list(frame.groupby("segment", sort=False))
    for i, (_, seg) in enumerate(segments):
        latest = i == len(segments) - 1
        for column, style, name in (("mean", "-", "Mean"), ("upl", "--", "Upper limit"), ("lpl", "--", "Lower limit")):
            if not seg[column].notna().any():
                continue
            values = seg[column].astype(float) * scale
            shown = values.copy()
            if floor_at_zero and column == "lpl" and (values < 0).any():
                shown = values.clip(lower=0)
                _add_note(fig, f"{title.splitlines()[0]}: the calculated lower limit ({values.min():.1f}{unit}) is "
                               f"below zero, which {kind} cannot be, so it is drawn at zero." if not own else
                          f"The calculated lower limit ({values.min():.1f}{unit}) is below zero, which {kind} "
                          f"cannot be, so it is drawn at zero.")
            if floor_at_zero and percent and column == "upl" and (values > 100).any():
                shown = values.clip(upper=100)
                _add_note(fig, f"The calculated upper limit ({values.max():.1f}%) is above 100%, so it is drawn "
                               "at 100%.")
            seg_x = seg["_x"].to_numpy()
            if monthly and len(seg_x):
                # Limits run across the whole of each month, edge to edge.
                seg_x = np.r_[seg_x[0] - pd.Timedelta(days=14), seg_x, seg_x[-1] + pd.Timedelta(days=16)]
                shown = np.r_[shown.iloc[0], shown.to_numpy(), shown.iloc[-1]]
            ax.plot(seg_x, shown, color=NHS_DARK_GREY if column == "mean" else NHS_MID_GREY,
                    linestyle=style, linewidth=1.0, zorder=1)
            if latest:
                last = float(np.asarray(shown)[-1])
                right.append((f"{name} {last:.1f}{unit}", last, NHS_DARK_GREY))
    if target is not None and not (isinstance(target, float) and np.isnan(target)):
        ax.axhline(target * scale, color=MDC_TARGET, linestyle="--", linewidth=1.0)
        right.append((f"Target {target * scale:.1f}{unit}", target * scale, MDC_TARGET))
    subtitle = ""
    if summary is not None and len(summary):
        latest = summary[summary["is_latest_segment"]].iloc[-1] if "is_latest_segment" in summary else summary.iloc[-1]
        subtitle = VARIATION_ICON_TEXT.get(latest.get("variation_icon"), "")
        assurance = latest.get("assurance_icon")
        if isinstance(assurance, str):
            subtitle += f"; {ASSURANCE_ICON_TEXT.get(assurance, assurance)}"
    ax.set_title(title + (f"\n{subtitle}" if subtitle else ""), loc="left", fontweight="bold", fontsize=10)
    ax.set_ylabel(ylabel)
    dates = frame["_x"].dropna()
    if not dates.empty:
        _time_axis(ax, dates.min(), dates.max(), monthly)
    _label_cycles(ax, cycles, monthly)
    _right_labels(ax, right)
    _add_note(fig, note)
    if own:
        _layout(fig, legend_handles=handles)
    return fig


def _cycle_x(value, monthly: bool):
    # Cycles start on a day; on a monthly chart, shading runs from that day (it is not moved to month boundaries).
    return pd.Timestamp(_to_dates(value))


def _shade_cycles(ax, cycles: pd.DataFrame | None, last_date, monthly: bool = False) -> None:
    if cycles is None:
        return
    for cycle in cycles.itertuples():
        end = _cycle_x(cycle.end, monthly) if pd.notna(cycle.end) else pd.Timestamp(last_date)
        start = _cycle_x(cycle.start, monthly)
        ax.axvspan(start, end, color=NHS_PALE_GREY, alpha=0.7, zorder=0, linewidth=0)
        start_line = ax.axvline(start, color=NHS_DARK_GREY, linewidth=0.8, linestyle=":", zorder=1)
        start_line.set_gid(DECORATION_GID)  # the labelled shading carries the meaning


def _label_cycles(ax, cycles: pd.DataFrame | None, monthly: bool) -> None:
    if cycles is None:
        return
    _label_periods(ax, [(str(c.label), _cycle_x(c.start, monthly)) for c in cycles.itertuples()])


def run_chart(points: pd.DataFrame, parts: pd.DataFrame | None = None, *, title: str, ylabel: str,
              cycles: pd.DataFrame | None = None, note: str | None = None) -> Figure:
    """Run chart drawn from ``ttwell.calculations.spc.run_chart`` output: the series, its median line per part (dashed
    where it is carried on from a frozen baseline) and PDSA cycles shaded and labelled above the plot. The
    subtitle says whether Anhøj's rules found a signal (an unusually long run or too few crossings).

    Monthly points are drawn in the middle of their own month; a NaN value (suppressed) is a gap that keeps
    its month on the axis. ``note`` is printed under the chart (for example ``"[c] months suppressed to
    protect confidentiality"``).

    Examples
    --------
    >>> result = ttwell.calculations.spc.run_chart(data, date="date", value="value", freeze=18)   # doctest: +SKIP
    >>> fig = run_chart(result.points, result.parts, title="Joy at work", ylabel="%")  # doctest: +SKIP
    """
    fig, ax = plt.subplots(figsize=FIGSIZE)
    frame = points.copy()
    positions, monthly = _time_positions(frame["date"])
    frame["_x"] = positions.to_numpy()  # by position: the table's own index may not be 0..n-1
    frame = frame.sort_values("_x").reset_index(drop=True)
    _shade_cycles(ax, cycles, frame["_x"].max(), monthly)
    xs, ys = _with_gaps(frame["_x"], frame["value"], monthly)
    line, = ax.plot(xs, ys, color=NHS_BLUE, marker="o", markersize=4, linewidth=1.2, zorder=3)
    line.set_gid(SERIES_GID)
    baseline = frame["baseline"].astype(bool) if "baseline" in frame else pd.Series(True, index=frame.index)
    ax.plot(frame.loc[baseline, "_x"], frame.loc[baseline, "median"], color=NHS_DARK_GREY, linewidth=1.2, zorder=2)
    if (~baseline).any():
        ax.plot(frame.loc[~baseline, "_x"], frame.loc[~baseline, "median"], color=NHS_DARK_GREY, linewidth=1.2,
                linestyle="--", zorder=2)
    median = frame["median"].iloc[-1]
    subtitle = ""
    if parts is not None and len(parts):
        signal = parts["signal"].astype(bool).any()
        subtitle = ("Non-random variation: an unusually long run or too few crossings of the median" if signal
                    else "No signal of non-random variation (Anhøj rules)")
    ax.set_title(title + (f"\n{subtitle}" if subtitle else ""), loc="left", fontweight="bold", fontsize=10)
    ax.set_ylabel(ylabel)
    dates = frame["_x"].dropna()
    if not dates.empty:
        _time_axis(ax, dates.min(), dates.max(), monthly)
    _label_cycles(ax, cycles, monthly)
    _right_labels(ax, [(f"Median {median:.1f}", float(median), NHS_DARK_GREY)])
    _add_note(fig, note)
    _layout(fig)
    return fig


def spc_small_multiples(points: pd.DataFrame, summary: pd.DataFrame, *, title: str, ylabel: str,
                        percent: bool = False, ncols: int = 2, note: str | None = None) -> Figure:
    """One small XmR chart per facet (team, indicator, ...) on a shared grid, drawn with :func:`spc_chart`.

    Examples
    --------
    >>> result = ttwell.calculations.spc.xmr(data, date="date", value="value", facet="team")          # doctest: +SKIP
    >>> fig = spc_small_multiples(result.points, result.summary, title="By team", ylabel="%")  # doctest: +SKIP
    """
    facets = list(dict.fromkeys(points["facet"].astype(str)))
    nrows = max(1, math.ceil(len(facets) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(FIGSIZE[0], 2.8 * nrows + 0.8), squeeze=False)
    for ax, facet in zip(axes.flat, facets):
        spc_chart(points[points["facet"].astype(str) == facet], summary[summary["facet"].astype(str) == facet],
                  title=facet, ylabel=ylabel, percent=percent, ax=ax)
        ax.title.set_fontsize(LABEL_PT)
        ax._left_title.set_fontsize(LABEL_PT)
        # Fewer ticks fit in a half-width panel.
        ticks = ax.get_xticks()
        if len(ticks) > 3:
            ax.xaxis.set_major_locator(FixedLocator(ticks[::math.ceil(len(ticks) / 3)]))
    for ax in list(axes.flat)[len(facets):]:
        ax.set_visible(False)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    _add_note(fig, note)
    _layout(fig)
    return fig
