"""Horizontal bar chart of one value per category (teams, survey measures), with intervals, value labels and
[c] rows; measures on different scales get their own panels."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ttwell.disclosure import SUPPRESSED_MARK
from ttwell.presentation.report import suppressed_flags
from ttwell.presentation.charts.layout import _format_value, _layout, _PercentTicks
from ttwell.presentation.charts.style import (
    FIGSIZE,
    LABEL_PT,
    NHS_BLACK,
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    SERIES_GID,
)


def bar_chart(
    data: pd.DataFrame,
    *,
    category_col: str,
    value_col: str,
    title: str,
    xlabel: str,
    percent: bool = False,
    ci_low_col: str | None = None,
    ci_high_col: str | None = None,
    scale_cols: tuple[str, str] | None = None,
) -> Figure:
    """Horizontal bar chart, largest value at the top, with value labels and optional confidence intervals.

    Rows whose value is suppressed (``suppressed`` column true) or NaN are not drawn: the category keeps its
    place at the bottom and is labelled "[c]". If the table has a ``suppressed`` column and a NaN row is not
    flagged as suppressed, it is labelled "no data" instead, so a missing value is not mistaken for a
    suppressed one.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per category, as returned by disclosure control.
    category_col, value_col : str
        Category labels (y axis) and values (bar lengths).
    title, xlabel : str
        Chart title and x-axis label.
    percent : bool, default False
        Values are proportions (0-1); axis and labels shown as percentages.
    ci_low_col, ci_high_col : str, optional
        Lower and upper confidence limits, drawn as error bars when both are given.
    scale_cols : (str, str), optional
        Columns giving each row's scale (lowest and highest possible score). Rows on different scales are
        drawn in separate panels, one scale per axis. By default ``scale_min`` and ``scale_max`` are used when
        the table has them (survey score tables do).

    Returns
    -------
    matplotlib.figure.Figure
        Show it with :func:`show`. Bars carry ``gid == SERIES_GID``.

    Examples
    --------
    >>> fig = bar_chart(by_team, category_col="team", value_col="value", title="Sickness absence by team",
    ...                 xlabel="Rate", percent=True, ci_low_col="ci_low", ci_high_col="ci_high")  # doctest: +SKIP
    """
    needed = [category_col, value_col, *(c for c in (ci_low_col, ci_high_col) if c is not None)]
    for column in needed:
        if column not in data.columns:
            raise ValueError(f"bar_chart: column '{column}' is not in the table (columns: {list(data.columns)})")

    frame = data.copy()
    frame[value_col] = pd.to_numeric(frame[value_col], errors="coerce").astype(float)
    panels = _scale_panels(frame, scale_cols)
    sizes = [len(part) for _, part in panels]
    height = max(FIGSIZE[1], sum(0.42 * n + 0.9 for n in sizes) + 0.8)
    fig, axes = plt.subplots(len(panels), 1, figsize=(FIGSIZE[0], height), squeeze=False,
                             gridspec_kw={"height_ratios": [max(n, 1) + 1.2 for n in sizes]})
    for ax, (scale_range, part) in zip(axes.flat, panels):
        _bar_panel(ax, part, category_col=category_col, value_col=value_col, percent=percent,
                   ci_low_col=ci_low_col, ci_high_col=ci_high_col)
        label = xlabel
        if scale_range is not None and len(panels) > 1:
            # One scale per axis: measures on different scales get their own panel, and say which scale.
            label = f"{xlabel} (scale {scale_range[0]:g} to {scale_range[1]:g})"
        if scale_range is not None and all(np.isfinite(scale_range)):
            # The axis runs to the top of the scale, so a bar's length reads against what was possible.
            left, right = ax.get_xlim()
            ax.set_xlim(min(left, scale_range[0]), max(right, scale_range[1]))
        ax.set_xlabel(label)
    axes.flat[0].set_title(title)
    _layout(fig)
    return fig


def _scale_panels(frame: pd.DataFrame, scale_cols: tuple[str, str] | None):
    """Split rows by measurement scale, so that a 0-4 and a 0-10 measure never share an axis."""
    if scale_cols is None:
        scale_cols = ("scale_min", "scale_max")
        if not set(scale_cols) <= set(frame.columns):
            return [(None, frame)]
    low, high = scale_cols
    keys = list(zip(pd.to_numeric(frame[low], errors="coerce"), pd.to_numeric(frame[high], errors="coerce")))
    frame = frame.assign(_scale=keys)
    ranges = list(dict.fromkeys(keys))
    if len(ranges) <= 1:
        return [(ranges[0] if ranges else None, frame.drop(columns="_scale"))]
    return [(r, frame[frame["_scale"] == r].drop(columns="_scale")) for r in ranges]


def _bar_panel(ax, frame: pd.DataFrame, *, category_col: str, value_col: str, percent: bool,
               ci_low_col: str | None, ci_high_col: str | None) -> None:
    """Draw one panel of :func:`bar_chart`: sorted bars, value labels, intervals and [c] rows."""
    has_flag = "suppressed" in frame.columns
    flagged = suppressed_flags(frame["suppressed"]) if has_flag else pd.Series(False, index=frame.index)
    hidden = flagged | frame[value_col].isna()
    shown = frame[~hidden].sort_values(value_col, ascending=False, kind="stable")
    not_shown = frame[hidden]
    # Largest at the top: matplotlib counts y positions upwards, so the order is reversed.
    ordered = pd.concat([shown, not_shown])
    n = len(ordered)
    positions = np.arange(n)[::-1]

    shown_pos = positions[: len(shown)]
    values = shown[value_col].to_numpy(dtype=float)
    xerr = None
    if ci_low_col is not None and ci_high_col is not None and len(shown):
        low = pd.to_numeric(shown[ci_low_col], errors="coerce").to_numpy(dtype=float)
        high = pd.to_numeric(shown[ci_high_col], errors="coerce").to_numpy(dtype=float)
        xerr = np.vstack([values - low, high - values])
    bars = ax.barh(shown_pos, values, color=NHS_BLUE, height=0.6, edgecolor=NHS_DARK_BLUE, linewidth=0.6)
    for bar in bars:
        bar.set_gid(SERIES_GID)
    if xerr is not None:
        ax.errorbar(values, shown_pos, xerr=np.where(np.isnan(xerr), 0.0, xerr), fmt="none", ecolor=NHS_BLACK,
                    elinewidth=1.0, capsize=3)

    # Value labels go just beyond the bar end, or beyond the error bar when there is one.
    upper = values.copy()
    lower = values.copy()
    if xerr is not None:
        upper = np.fmax(values + np.nan_to_num(xerr[1]), values)
        lower = np.fmin(values - np.nan_to_num(xerr[0]), values)
    top = max(float(np.nanmax(upper)) if len(upper) else 0.0, 0.0)
    bottom = min(float(np.nanmin(lower)) if len(lower) else 0.0, 0.0)
    span = (top - bottom) or 1.0
    offset = span * 0.015
    for pos, value, hi, lo in zip(shown_pos, values, upper, lower):
        if value >= 0:
            ax.text(hi + offset, pos, _format_value(value, percent), va="center", ha="left", fontsize=LABEL_PT)
        else:
            ax.text(lo - offset, pos, _format_value(value, percent), va="center", ha="right", fontsize=LABEL_PT)
    for pos, is_flagged in zip(positions[len(shown):], flagged[hidden].to_numpy()):
        text = SUPPRESSED_MARK if (is_flagged or not has_flag) else "no data"
        ax.text(offset, pos, text, va="center", ha="left", fontsize=LABEL_PT, color=NHS_DARK_GREY)

    ax.set_yticks(positions)
    # Long survey labels are wrapped, so the chart stays as wide as the report column.
    ax.set_yticklabels([textwrap.fill(str(c), 32) for c in ordered[category_col]])
    ax.axvline(0, color=NHS_DARK_GREY, linewidth=0.8)
    ax.set_xlim(bottom - span * 0.18 if bottom < 0 else 0, top + span * 0.18)
    ax.set_ylim(-0.6, n - 0.4)
    ax.grid(axis="y", visible=False)
    if percent:
        ax.xaxis.set_major_formatter(_PercentTicks())
