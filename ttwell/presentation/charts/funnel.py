"""Funnel plots: each unit (team) against its size, with the overall line and the 95% and 99.8% limits.

Drawing only: the limits come from :mod:`ttwell.calculations.funnel` (evaluated at the sizes shown) and the units
from disclosure control; nothing is calculated here beyond placing labels. Units are labelled by name next to
their points, in the first free spot that sits on no line, point or other label.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox

from ttwell.presentation.charts.checks import _overlap
from ttwell.presentation.charts.layout import _add_note, _adjusters, _layout, _PercentTicks, _right_labels
from ttwell.presentation.charts.style import (
    DECORATION_GID,
    FIGSIZE,
    LABEL_PT,
    NHS_BLACK,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_DARK_PINK,
    NHS_MID_GREY,
    SERIES_GID,
)

#: How each limit is drawn: (column, colour, line style, width, label).
LIMIT_LINES = (("99_8", NHS_DARK_GREY, "-", 1.4, "99.8% limits"), ("95", NHS_MID_GREY, "--", 1.2, "95% limits"))
OUTSIDE_998 = ("Above 99.8% limit", "Below 99.8% limit")
# Label spots around a point: distance (points) and angle; the first free one is used.
_RINGS = (6, 12, 20, 30, 42, 56, 72)
_ANGLES = (0, 180, 90, 270, 45, 135, 315, 225, 22.5, 157.5, 202.5, 337.5, 67.5, 112.5, 247.5, 292.5)
_LEADER_FROM = 20  # a label this far (points) from its point is joined to it by a thin line
LABEL_WIDTH = 28  # characters per line of a unit's name: one line fits between close lines better than two


def _format(value: float, percent: bool) -> str:
    from ttwell.presentation.units import percent as as_percent

    return as_percent(value) if percent else f"{value:.2f}"


def _panel(ax, units: pd.DataFrame, curves: pd.DataFrame, *, target: float, percent: bool, label_col: str,
           value_col: str, size_col: str, right_labels: bool, target_label: str,
           label_width: int = LABEL_WIDTH) -> None:
    """Draw one funnel into ``ax``: limit curves, the overall line, the points and their name labels."""
    shown = units.dropna(subset=[value_col, size_col]).reset_index(drop=True)
    x = curves["denominator"].to_numpy(dtype=float)
    for key, colour, style, width, _ in LIMIT_LINES:
        for side in ("lower", "upper"):
            ax.plot(x, curves[f"{side}_{key}"].to_numpy(dtype=float), color=colour, linestyle=style,
                    linewidth=width, zorder=2)
    ax.axhline(target, color=NHS_BLACK, linewidth=1.2, zorder=2)
    outside = shown["position"].isin(OUTSIDE_998).to_numpy() if "position" in shown else np.zeros(len(shown), bool)
    within = ax.scatter(shown.loc[~outside, size_col], shown.loc[~outside, value_col], s=42, color=NHS_BLUE,
                        edgecolors="white", linewidths=0.6, zorder=4)
    flagged = ax.scatter(shown.loc[outside, size_col], shown.loc[outside, value_col], s=60, marker="D",
                         color=NHS_DARK_PINK, edgecolors="white", linewidths=0.6, zorder=5)
    for points in (within, flagged):
        points.set_gid(SERIES_GID)

    # The view: every shown point, and the limits over the shown sizes, with room for labels.
    values = shown[value_col].to_numpy(dtype=float)
    limits = curves[[c for c in curves.columns if c != "denominator"]].to_numpy(dtype=float)
    low = np.nanmin(np.r_[values, limits.ravel(), target])
    high = np.nanmax(np.r_[values, limits.ravel(), target])
    span = (high - low) or abs(high) or 1.0
    ax.set_ylim(low - 0.08 * span if not (percent and low >= 0 and low - 0.08 * span < 0) else 0, high + 0.12 * span)
    if len(x):
        ax.set_xlim(x.min() - 0.02 * (x.max() - x.min()), x.max() * 1.02)
    if percent:
        ax.yaxis.set_major_formatter(_PercentTicks())
    # Sizes are counted in whole units: ticks on whole numbers only, so none is rounded to a misleading label
    # (27.5 shown as 28), and with thousands separators (14,000 FTE days, not 14000).
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.grid(axis="x", visible=False)
    if right_labels:
        right_x = x.argmax() if len(x) else None
        items = [(f"{target_label} {_format(target, percent)}", target, NHS_BLACK, True)]
        if right_x is not None:
            for key, colour, _, _, text in LIMIT_LINES:
                for side in ("upper", "lower"):
                    y = float(curves[f"{side}_{key}"].iloc[right_x])
                    # A lower limit clipped at 0 runs along the axis: labelling it there says nothing.
                    if side == "lower" and y <= 0 and percent:
                        continue
                    # Text in dark grey whatever the line's grey: 4.5:1 for text (WCAG 1.4.3).
                    items.append((text.replace("limits", f"{side} limit"), y, NHS_DARK_GREY))
        _right_labels(ax, items)
    _label_points(ax, shown[label_col].astype(str).tolist(), shown[size_col].to_numpy(dtype=float), values,
                  label_width)


def _label_points(ax, names: list[str], xs: np.ndarray, ys: np.ndarray, width: int = LABEL_WIDTH) -> None:
    """Name each point in the first spot around it that is inside the plot and on no line, point or label."""
    wrapped = [textwrap.fill(name, width) for name in names]
    annotations = [ax.annotate(text, xy=(x, y), xytext=(_RINGS[0], 0), textcoords="offset points", ha="left",
                               va="center", fontsize=LABEL_PT, color=NHS_BLACK, zorder=6)
                   for text, x, y in zip(wrapped, xs, ys)]
    for ann in annotations:
        ann.set_in_layout(False)  # placed inside the plot afterwards: must not shrink the axes while laid out
    leaders = []
    for _ in annotations:
        leader, = ax.plot([], [], color=NHS_MID_GREY, linewidth=0.7, zorder=3)
        leader.set_gid(DECORATION_GID)  # joins a label to its point; carries no value of its own
        leaders.append(leader)

    def place():
        fig = ax.figure
        renderer = fig.canvas.get_renderer()
        dpi = fig.dpi
        taken = [t.get_window_extent(renderer) for t in ax.texts if t not in annotations]
        taken += [label.get_window_extent(renderer) for label in (ax.title, ax._left_title) if label.get_text()]
        points = ax.transData.transform(np.column_stack([xs, ys])) if len(xs) else np.empty((0, 2))
        # What a label must keep off, worked out once per placement (not once per candidate spot): each line's
        # drawn pieces as paths in pixels, its markers, and the scatter points.
        obstacles = _obstacles(ax, dpi)

        for ann, leader, x, y in zip(annotations, leaders, xs, ys):
            mine = ax.transData.transform((x, y))
            others = [p for p in points if not np.allclose(p, mine)]
            # The label's size does not depend on where it goes: measure it once, then move its box.
            ann.set_ha("left")
            ann.set_va("bottom")
            ann.xyann = (0, 0)
            size = ann.get_window_extent(renderer)
            width, height = size.width, size.height
            best, best_cost = None, math.inf
            for ring in _RINGS:
                for angle in _ANGLES:
                    dx, dy = ring * math.cos(math.radians(angle)), ring * math.sin(math.radians(angle))
                    ha = "left" if dx > 1 else "right" if dx < -1 else "center"
                    va = "bottom" if dy > 1 else "top" if dy < -1 else "center"
                    box = _box_at(mine, dx, dy, ha, va, width, height, dpi)
                    cost = 0 if _inside(box, ax.bbox) else 100
                    cost += 50 * sum(_overlap(box, other) for other in taken)
                    cost += 10 * sum(hit(box) for hit in obstacles)
                    cost += ring / 10  # nearer is better
                    # A label nearer another point than its own would be read as that point's name.
                    own = _distance(box, mine)
                    if any(_distance(box, other) < own for other in others):
                        cost += 5
                    if cost < best_cost:
                        best, best_cost = (dx, dy, ha, va, ring), cost
                if best_cost < 10:
                    break
            dx, dy, ha, va, ring = best
            ann.xyann = (dx, dy)
            ann.set_ha(ha)
            ann.set_va(va)
            box = ann.get_window_extent(renderer)
            taken.append(box)
            leader.set_data([], [])
            # Read by its middle, a label nearer another point than its own needs the line to its point.
            middle = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
            own = math.dist(middle, mine)
            if ring >= _LEADER_FROM or any(math.dist(middle, other) < own for other in others):
                px, py = mine
                end = (min(max(px, box.x0), box.x1), min(max(py, box.y0), box.y1))
                (x0, y0), (x1, y1) = ax.transData.inverted().transform([(px, py), end])
                leader.set_data([x0, x1], [y0, y1])

    _point_labellers(ax.figure).append(place)


def _box_at(anchor, dx: float, dy: float, ha: str, va: str, width: float, height: float, dpi: float) -> Bbox:
    """The pixel box of a label of ``width`` x ``height`` offset (dx, dy) points from ``anchor``, so aligned."""
    x = anchor[0] + dx * dpi / 72
    y = anchor[1] + dy * dpi / 72
    x0 = x if ha == "left" else x - width if ha == "right" else x - width / 2
    y0 = y if va == "bottom" else y - height if va == "top" else y - height / 2
    return Bbox.from_bounds(x0, y0, width, height)


def _obstacles(ax, dpi: float) -> list:
    """Tests ``box -> bool`` for every line (its drawn pieces and markers) and scatter on the axes, in pixels."""
    tests = []
    for line in ax.get_lines():
        if line.get_gid() == DECORATION_GID:
            continue
        xy = np.asarray(line.get_xydata(), dtype=float)
        if xy.size == 0:
            continue
        pts = line.get_transform().transform(xy)
        finite = np.isfinite(pts).all(axis=1)
        paths = []
        if line.get_linestyle() not in ("None", "", " ", "none"):
            # A gap in the data is not drawn, so text may sit in it.
            for piece in np.split(np.arange(len(pts)), np.flatnonzero(~finite)):
                piece = piece[finite[piece]]
                if len(piece) >= 2:
                    paths.append(MplPath(pts[piece]))
        marks = None
        if line.get_marker() not in ("None", "", " ", None, "none"):
            marks = (pts[finite], line.get_markersize() / 2 * dpi / 72)
        tests.append(lambda box, paths=paths, marks=marks: any(p.intersects_bbox(box, filled=False) for p in paths)
                     or (marks is not None and _near(marks[0], marks[1], box)))
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        if not isinstance(collection, PathCollection) or offsets.size == 0:
            continue
        pts = collection.get_offset_transform().transform(offsets)
        sizes = collection.get_sizes()
        radius = (np.sqrt(sizes.max()) / 2 * dpi / 72) if len(sizes) else 0.0
        tests.append(lambda box, pts=pts[np.isfinite(pts).all(axis=1)], radius=radius: _near(pts, radius, box))
    return tests


def _near(pts: np.ndarray, radius: float, box) -> bool:
    return bool(((pts[:, 0] > box.x0 - radius) & (pts[:, 0] < box.x1 + radius)
                 & (pts[:, 1] > box.y0 - radius) & (pts[:, 1] < box.y1 + radius)).any())


def _point_labellers(fig: Figure) -> list:
    # Point labels take no part in the layout (set_in_layout(False)), so they are placed once, after it.
    if not hasattr(fig, "_ttwell_point_labellers"):
        fig._ttwell_point_labellers = []
    return fig._ttwell_point_labellers


def _finish(fig: Figure, **layout) -> None:
    """Lay out, then place the margin labels once more and the point labels once: the last fitting of the
    figure moves the axes a little, and a label placed for the old size could then touch a line."""
    _layout(fig, **layout)
    fig.canvas.draw()
    for adjust in [*_adjusters(fig), *_point_labellers(fig)]:
        adjust()


def _distance(box, point) -> float:
    """Distance in pixels from a point to the nearest edge of a box (0 inside it)."""
    dx = max(box.x0 - point[0], 0, point[0] - box.x1)
    dy = max(box.y0 - point[1], 0, point[1] - box.y1)
    return math.hypot(dx, dy)


def _inside(box, bbox) -> bool:
    return box.x0 >= bbox.x0 and box.x1 <= bbox.x1 and box.y0 >= bbox.y0 and box.y1 <= bbox.y1


def _legend_handles(units: pd.DataFrame, *, with_limits: bool, unit_label: str = "Team",
                    target_label: str = "Service overall") -> list:
    handles = [Line2D([], [], marker="o", linestyle="none", color=NHS_BLUE, markersize=7, label=unit_label)]
    if "position" in units and units["position"].isin(OUTSIDE_998).any():
        handles.append(Line2D([], [], marker="D", linestyle="none", color=NHS_DARK_PINK, markersize=7,
                              label="Outside the 99.8% limits"))
    if with_limits:
        handles.append(Line2D([], [], color=NHS_BLACK, linewidth=1.2, label=target_label))
        handles += [Line2D([], [], color=c, linestyle=s, linewidth=w, label=text) for _, c, s, w, text in LIMIT_LINES]
    return handles


def funnel_chart(units: pd.DataFrame, curves: pd.DataFrame, *, target: float, title: str, xlabel: str,
                 ylabel: str, percent: bool = False, label_col: str = "label", value_col: str = "value",
                 size_col: str = "denominator", target_label: str = "Service overall",
                 note: str | None = None, unit_label: str = "Team") -> Figure:
    """One funnel plot: each unit's value against its size, the overall line and the 95% and 99.8% limits.

    Parameters
    ----------
    units : pandas.DataFrame
        The disclosed units, one row each: ``label`` (the unit's name), ``value``, ``denominator`` and
        ``position``. Rows without a value (suppressed) are not drawn.
    curves : pandas.DataFrame
        ``denominator, lower_95, upper_95, lower_99_8, upper_99_8`` on a grid over the units shown
        (:meth:`ttwell.calculations.funnel.Funnel.curves_over`).
    target : float
        The overall value the limits are drawn around; labelled "Service overall 5.3%" in the right margin,
        beside the labelled limits.
    percent : bool
        Values are proportions or rates (0-1): the axis and labels are percentages.
    note : str, optional
        Shown under the chart (how the limits were set, what disclosure left out).

    Returns
    -------
    matplotlib.figure.Figure
        Points outside the 99.8% limits are pink diamonds; the rest blue circles; both carry ``SERIES_GID``.

    Examples
    --------
    >>> fig = funnel_chart(panel.units, panel.curves, target=panel.target, title="Leaver rate by team",
    ...                    xlabel="Average staff in post", ylabel="Leaver rate", percent=True)  # doctest: +SKIP
    """
    fig, ax = plt.subplots(figsize=FIGSIZE)
    _panel(ax, units, curves, target=target, percent=percent, label_col=label_col, value_col=value_col,
           size_col=size_col, right_labels=True, target_label=target_label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left", fontweight="bold")
    _add_note(fig, note)
    handles = _legend_handles(units, with_limits=False, unit_label=unit_label)
    _finish(fig, legend_handles=handles if len(handles) > 1 else None)
    return fig


def funnel_small_multiples(panels: list[dict], *, title: str, ncols: int = 2, note: str | None = None,
                           unit_label: str = "Team", target_label: str = "Service overall") -> Figure:
    """Several funnel plots on a grid (the scores of one survey instrument), one shared legend for the lines.

    Each panel is a dict with the arguments of :func:`funnel_chart` (``units, curves, target, title, xlabel,
    ylabel, percent``, and ``label_col`` when the names are not in ``label``); the overall value is in each
    panel's title, the lines are named in the legend (``unit_label`` for the points, ``target_label`` for the
    overall line: "Service", "Pooled value" when the units are services).
    """
    ncols = max(1, min(ncols, len(panels)))
    nrows = max(1, math.ceil(len(panels) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(FIGSIZE[0], 2.9 * nrows + 1.0), squeeze=False)
    for ax, panel in zip(axes.flat, panels):
        _panel(ax, panel["units"], panel["curves"], target=panel["target"], percent=panel.get("percent", False),
               label_col=panel.get("label_col", "label"), value_col="value", size_col="denominator",
               right_labels=False, target_label=target_label)
        # Half-width panels: long score names wrap rather than run into the next panel's title.
        ax.set_title(textwrap.fill(f"{panel['title']}: {target_label.lower()} "
                                   f"{_format(panel['target'], panel.get('percent', False))}",
                                   48 if ncols > 1 else 90), loc="left", fontsize=LABEL_PT, fontweight="bold")
        ax.set_xlabel(panel.get("xlabel", ""), fontsize=LABEL_PT)
        ax.set_ylabel(panel.get("ylabel", ""), fontsize=LABEL_PT)
        ax.tick_params(labelsize=LABEL_PT)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    _add_note(fig, note)
    units = pd.concat([p["units"] for p in panels], ignore_index=True) if panels else pd.DataFrame()
    _finish(fig, legend_handles=_legend_handles(units, with_limits=True, unit_label=unit_label,
                                                target_label=target_label), legend_ncol=3)
    return fig
