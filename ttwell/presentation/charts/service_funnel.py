"""A funnel plot of a few units (services): each unit's value against its size, inside 95% and 99.8% limits.

Drawing only: the limits come from :func:`ttwell.calculations.funnel.funnel` and the points from the comparison's
disclosed table (a hidden unit arrives as NaN and is not drawn). With a handful of services every point is
labelled with its name; position is said by the point's shape as well as its colour (a filled circle inside the
limits, a diamond outside the 99.8% limits, a square between the 95% and the 99.8% limits).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ttwell.presentation.charts.layout import _format_value, _layout
from ttwell.presentation.charts.style import (
    FIGSIZE,
    LABEL_PT,
    NHS_BLACK,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_DARK_PINK,
    NHS_MID_GREY,
    SERIES_GID,
)

# Position -> (marker, colour, legend text). Outside 99.8% is the flag for a closer look.
POINT_STYLE = {
    "within": ("o", NHS_BLUE, "Within the 95% limits"),
    "95": ("s", NHS_DARK_GREY, "Between the 95% and 99.8% limits"),
    "99_8": ("D", NHS_DARK_PINK, "Outside the 99.8% limits: a closer look"),
}


def _style_key(position: str) -> str:
    if not isinstance(position, str) or position.startswith("Within"):
        return "within"
    return "99_8" if "99.8%" in position else "95"


def service_funnel_chart(units: pd.DataFrame, curves: pd.DataFrame, *, target: float, title: str, xlabel: str,
                         ylabel: str, percent: bool = False, target_label: str = "Pooled value") -> Figure:
    """Draw one funnel plot.

    Parameters
    ----------
    units : pandas.DataFrame
        Disclosed units: ``group, denominator, value, position``; a suppressed unit has NaN value and is not drawn.
    curves : pandas.DataFrame
        ``denominator, lower_95, upper_95, lower_99_8, upper_99_8`` (the funnel's curves).
    target : float
        The pooled value the limits are drawn around.
    percent : bool
        Values are proportions shown as percentages.
    """
    shown = units.dropna(subset=["value", "denominator"]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    x = curves["denominator"].to_numpy(dtype=float)
    scale = 100.0 if percent else 1.0
    for name, style, width in (("99_8", "-", 1.6), ("95", "--", 1.2)):
        label = "99.8% limits" if name == "99_8" else "95% limits"
        ax.plot(x, curves[f"upper_{name}"] * scale, style, color=NHS_MID_GREY, linewidth=width, label=label)
        ax.plot(x, curves[f"lower_{name}"] * scale, style, color=NHS_MID_GREY, linewidth=width)
    ax.axhline(target * scale, color=NHS_BLACK, linewidth=1.2, label=f"{target_label} {_format_value(target, percent)}")
    handles = ax.get_legend_handles_labels()[0]
    used = []
    low, high = float(x.min()), float(x.max())
    middle = (low + high) / 2
    # Names alternate above and below their points (in order of value), and points in the right half are
    # labelled to their left, so labels stay inside the plot and off each other.
    order = {i: k for k, i in enumerate(shown["value"].rank(method="first").astype(int).sort_values().index)}
    for row in shown.itertuples():
        key = _style_key(row.position)
        marker, colour, _ = POINT_STYLE[key]
        points = ax.scatter([row.denominator], [row.value * scale], marker=marker, s=70, color=colour, zorder=3)
        points.set_gid(SERIES_GID)
        if key not in used:
            used.append(key)
        name = row.group if len(str(row.group)) <= 28 else str(row.group)[:27] + "…"
        right = row.denominator > middle
        ax.annotate(name, (row.denominator, row.value * scale), xytext=(-8 if right else 8, 10 if order[row.Index] % 2
                                                                         else -14),
                    textcoords="offset points", ha="right" if right else "left", fontsize=LABEL_PT, color=NHS_BLACK)
    for key in ("within", "95", "99_8"):
        if key in used:
            marker, colour, text = POINT_STYLE[key]
            handles.append(Line2D([], [], marker=marker, linestyle="", color=colour, markersize=8, label=text))
    ax.set_xlim(low, high)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if percent:
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}%"))
    ax.set_title(title, loc="left", fontweight="bold")
    _layout(fig, legend_handles=handles)
    return fig


__all__ = ["POINT_STYLE", "service_funnel_chart"]
