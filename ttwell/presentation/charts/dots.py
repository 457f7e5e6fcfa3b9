"""Horizontal dot charts, one row per measure: a score beside its benchmark median, and before/after pairs
(dumbbells) for pre/post training results."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ttwell.disclosure import SUPPRESSED_MARK
from ttwell.presentation.charts.layout import _layout
from ttwell.presentation.charts.style import (
    DECORATION_GID,
    FIGSIZE,
    LABEL_PT,
    NHS_BLACK,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_GREY_4,
    NHS_MID_GREY,
    SERIES_GID,
)


def _finish_dot_chart(fig: Figure, ax, *, title: str, xlabel: str, handles=None) -> Figure:
    """Shared finish of the horizontal dot charts: axis label, left-aligned title, legend under the chart (not on
    the dots), no row grid lines."""
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left", fontweight="bold")
    ax.grid(axis="y", visible=False)
    _layout(fig, legend_handles=handles or ax.get_legend_handles_labels()[0])
    return fig


def benchmark_chart(
    data: pd.DataFrame,
    *,
    label_col: str,
    score_col: str,
    benchmark_col: str,
    title: str,
    xlabel: str = "Score (0-10)",
) -> Figure:
    """Dot chart of published scores beside their benchmark medians, one row per measure.

    The service's score is a filled NHS Blue circle, the benchmark median an open grey diamond, joined by a
    thin line; each is labelled with its value, so the chart never relies on colour alone. Rows without a
    benchmark show the score only.

    Examples
    --------
    >>> fig = benchmark_chart(latest, label_col="measure", score_col="score", benchmark_col="benchmark_median",
    ...                       title="NHS Staff Survey 2024")  # doctest: +SKIP
    """
    frame = data.dropna(subset=[score_col]).reset_index(drop=True)
    n = len(frame)
    fig, ax = plt.subplots(figsize=(FIGSIZE[0], max(FIGSIZE[1], 0.5 * n + 1.5)))
    positions = np.arange(n)[::-1]
    scores = frame[score_col].to_numpy(dtype=float)
    benchmarks = pd.to_numeric(frame[benchmark_col], errors="coerce").to_numpy(dtype=float)
    for y, score, bench in zip(positions, scores, benchmarks):
        if not np.isnan(bench):
            connector, = ax.plot([score, bench], [y, y], color=NHS_GREY_4, linewidth=2, zorder=1)
            connector.set_gid(DECORATION_GID)  # joins two labelled dots; carries no value of its own
    ax.scatter(benchmarks, positions, marker="D", s=45, facecolors="white", edgecolors=NHS_MID_GREY,
               linewidths=1.5, zorder=2, label="Benchmark median")
    score_pts = ax.scatter(scores, positions, marker="o", s=60, color=NHS_BLUE, zorder=3, label="This service")
    score_pts.set_gid(SERIES_GID)
    for y, score, bench in zip(positions, scores, benchmarks):
        right = max(score, bench) if not np.isnan(bench) else score
        text = f"{score:.1f}" + ("" if np.isnan(bench) else f" (benchmark {bench:.1f})")
        ax.annotate(text, (right, y), xytext=(8, 0), textcoords="offset points", va="center", fontsize=LABEL_PT,
                    color=NHS_BLACK)
    ax.set_yticks(positions)
    ax.set_yticklabels(frame[label_col].tolist())
    lows = np.nanmin(np.concatenate([scores, benchmarks])) if n else 0
    ax.set_xlim(max(0, np.floor(lows) - 1), 10.9)
    return _finish_dot_chart(fig, ax, title=title, xlabel=xlabel)


def dumbbell_chart(data: pd.DataFrame, *, label_col: str, before_col: str, after_col: str, title: str,
                   xlabel: str, before_label: str = "Before", after_label: str = "After") -> Figure:
    """Paired dot chart: one row per category, an open circle before and a filled circle after, joined.

    Values are labelled at both ends, so the chart reads without colour. Rows with a missing value (suppressed)
    are labelled "[c]" and not drawn.

    Examples
    --------
    >>> fig = dumbbell_chart(table, label_col="area_label", before_col="mean_pre", after_col="mean_post",
    ...                      title="Confidence before and after", xlabel="Mean confidence (%)")  # doctest: +SKIP
    """
    frame = data.reset_index(drop=True)
    n = len(frame)
    fig, ax = plt.subplots(figsize=(FIGSIZE[0], max(FIGSIZE[1], 0.5 * n + 1.5)))
    positions = np.arange(n)[::-1]
    for y, row in zip(positions, frame.itertuples()):
        before, after = getattr(row, before_col), getattr(row, after_col)
        if pd.isna(before) or pd.isna(after):
            ax.annotate(SUPPRESSED_MARK, (0, y), xytext=(2, 0), textcoords="offset points", va="center",
                        fontsize=LABEL_PT)
            continue
        connector, = ax.plot([before, after], [y, y], color=NHS_GREY_4, linewidth=2.5, zorder=1)
        connector.set_gid(DECORATION_GID)  # joins two labelled dots; carries no value of its own
        # Labels on the outer side of each dot, so they never sit on the other dot when the change is small.
        low_is_before = before <= after
        ax.annotate(f"{before:.0f}", (before, y), xytext=(-7 if low_is_before else 7, 0), textcoords="offset points",
                    ha="right" if low_is_before else "left", va="center", fontsize=LABEL_PT, color=NHS_DARK_GREY)
        ax.annotate(f"{after:.0f}", (after, y), xytext=(7 if low_is_before else -7, 0), textcoords="offset points",
                    ha="left" if low_is_before else "right", va="center", fontsize=LABEL_PT, color=NHS_BLACK)
    ax.scatter(frame[before_col], positions, s=55, facecolors="white", edgecolors=NHS_MID_GREY, linewidths=1.5,
               zorder=2, label=before_label)
    after_pts = ax.scatter(frame[after_col], positions, s=55, color=NHS_BLUE, zorder=3, label=after_label)
    after_pts.set_gid(SERIES_GID)
    ax.set_yticks(positions)
    ax.set_yticklabels([textwrap.fill(str(v), 40) for v in frame[label_col]], fontsize=LABEL_PT)
    ax.set_xlim(0, 105)
    return _finish_dot_chart(fig, ax, title=title, xlabel=xlabel)
