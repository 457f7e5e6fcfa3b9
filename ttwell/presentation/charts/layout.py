"""Layout shared by every chart: value and percent labels, labels in the right margin and above the plot,
notes and the legend under the chart, and the final fitting of the figure.

Labels that depend on the final axes size are registered as "adjusters" and placed by :func:`_layout`.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

from ttwell.presentation.charts.style import LABEL_PT, NHS_DARK_GREY


# --- value and tick labels ------------------------------------------------------------------------------------

def _format_value(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.1f}%"
    if float(value).is_integer() and abs(value) >= 1:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


class _PercentTicks(Formatter):
    """Percent tick labels with only as many decimals as the tick spacing needs (5%, 4.5%, 4.25%)."""

    _ticks: tuple[float, ...] = ()

    def set_locs(self, locs):
        # Kept here rather than in Formatter.locs, which matplotlib 3.11 deprecates.
        self._ticks = tuple(float(loc) for loc in locs)

    def __call__(self, x, pos=None):
        locs = [loc for loc in self._ticks if np.isfinite(loc)]
        step = min((b - a for a, b in zip(locs, locs[1:]) if b > a), default=0.01) * 100
        decimals = next((d for d in range(4) if abs(step * 10**d - round(step * 10**d)) < 1e-6), 3)
        return f"{x * 100:.{decimals}f}%"


def _spread_labels(positions: list[float], min_gap: float) -> list[float]:
    # Push direct labels apart vertically so they do not overprint; keeps their order.
    if not positions:
        return []
    order = np.argsort(positions)
    placed = np.array(positions, dtype=float)[order]
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + min_gap)
    # Centre the adjusted block on the original mean so labels stay near their lines.
    shift = (np.array(positions, dtype=float)[order].mean() - placed.mean())
    placed = placed + shift
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + min_gap)
    result = np.empty_like(placed)
    result[order] = placed
    return result.tolist()


# --- labels placed for the final axes size; notes and legend under the chart ----------------------------------

def _adjusters(fig: Figure) -> list:
    # Steps that place labels once the axes have their final size (they run in _layout, twice).
    if not hasattr(fig, "_ttwell_adjusters"):
        fig._ttwell_adjusters = []
        fig._ttwell_notes = []
    return fig._ttwell_adjusters


def _add_note(fig: Figure, note: str | None) -> None:
    _adjusters(fig)
    if note and note not in fig._ttwell_notes:
        fig._ttwell_notes.append(note)


def _set_title_pad(ax, pad: float) -> None:
    # set_title() resets size and weight to the theme's, so keep those of the title as drawn.
    for loc, text in (("left", ax._left_title), ("center", ax.title), ("right", ax._right_title)):
        if text.get_text():
            ax.set_title(text.get_text(), loc=loc, pad=pad, fontsize=text.get_fontsize(),
                         fontweight=text.get_fontweight())


def _fit_title(fig: Figure, ax) -> None:
    """Wrap a left-aligned title so that it ends inside the figure (long survey titles ran off the PNG)."""
    title = next((t for t in (ax._left_title, ax.title) if t.get_text()), ax.title)
    text = title.get_text()
    if not text:
        return
    renderer = fig.canvas.get_renderer()
    right = fig.bbox.x1 - 4
    lines = text.split("\n")
    width = max(len(line) for line in lines)
    while width > 20 and title.get_window_extent(renderer).x1 > right:
        width = int(width * 0.9)
        title.set_text("\n".join(textwrap.fill(line, width) for line in lines))


def _layout(fig: Figure, *, legend_handles=None, legend_ncol: int | None = None) -> None:
    """Lay the figure out: axes, then labels placed for the final axes size, then a footer for legend and notes.

    The legend and notes go under the plot, outside it, so they never sit on data or limit lines.
    """
    adjusters = _adjusters(fig)
    notes = fig._ttwell_notes
    width_pt = fig.get_figwidth() * 72
    chars = max(40, int(width_pt / (LABEL_PT * 0.55)))
    note_text = "\n".join(textwrap.fill(n, chars) for n in notes)
    line_in = LABEL_PT * 1.35 / 72
    footer = 0.0
    if note_text:
        footer += (note_text.count("\n") + 1) * line_in + 0.08
    legend_rows = 0
    if legend_handles:
        legend_ncol = legend_ncol or min(len(legend_handles), 3)
        legend_rows = math.ceil(len(legend_handles) / legend_ncol)
        footer += legend_rows * line_in * 1.25 + 0.1
    rect = (0, min(0.45, footer / fig.get_figheight()), 1, 1)
    for _ in range(3):
        fig.tight_layout(rect=rect)
        fig.canvas.draw()
        for ax in fig.axes:
            if ax.get_visible():
                _fit_title(fig, ax)
        for adjust in adjusters:
            adjust()
    fig.tight_layout(rect=rect)
    bottom = 0.06 / fig.get_figheight()
    if note_text:
        fig.text(0.01, bottom, note_text, ha="left", va="bottom", fontsize=LABEL_PT, color=NHS_DARK_GREY)
        bottom += ((note_text.count("\n") + 1) * line_in + 0.05) / fig.get_figheight()
    if legend_handles:
        fig.legend(handles=legend_handles, loc="lower left", bbox_to_anchor=(0.005, bottom), ncol=legend_ncol,
                   fontsize=LABEL_PT, frameon=False, handletextpad=0.4, columnspacing=1.2, borderaxespad=0)


def _right_labels(ax, items: list[tuple], *, bold: bool = False) -> None:
    """Label lines in the right margin, outside the plot, pushed apart so they never overprint.

    ``items`` are (text, y in data units, colour) or (text, y, colour, bold). Labels sit just right of the
    plotting area, so they never cover a data point; their vertical spacing is set once the axes have their
    final size.
    """
    items = [(item[0], item[1], item[2], item[3] if len(item) > 3 else bold) for item in items
             if item[1] is not None and np.isfinite(item[1])]
    if not items:
        return
    annotations = [ax.annotate(text, xy=(1.0, y), xycoords=("axes fraction", "data"), xytext=(6, 0),
                               textcoords="offset points", ha="left", va="center", fontsize=LABEL_PT, color=colour,
                               fontweight="bold" if heavy else "normal", annotation_clip=False)
                   for text, y, colour, heavy in items]

    def adjust():
        fig = ax.figure
        to_px = fig.dpi / 72
        low, high = ax.get_ylim()
        wanted = [ax.transData.transform((0, min(max(y, low), high)))[1] for _, y, _, _ in items]
        placed = _spread_labels(wanted, LABEL_PT * 1.3 * to_px)
        for ann, y, px, want in zip(annotations, [y for _, y, _, _ in items], placed, wanted):
            y_clamped = min(max(y, low), high)
            ann.xy = (1.0, y_clamped)
            ann.xyann = (6, (px - want) / to_px)

    _adjusters(ax.figure).append(adjust)


def _label_periods(ax, periods: list[tuple[str, object]], title_pad: float = 6.0) -> None:
    """Label periods (PDSA cycles, the baseline, the strategy) above the plot, in rows so that none overlap.

    Each label starts at its period's start; labels that would run into the one before go up a row.
    """
    periods = [(label, mdates.date2num(pd.Timestamp(start))) for label, start in periods if label]
    if not periods:
        return
    annotations = [ax.annotate(label, xy=(x, 1.0), xycoords=("data", "axes fraction"), xytext=(2, 3),
                               textcoords="offset points", ha="left", va="bottom", fontsize=LABEL_PT,
                               color=NHS_DARK_GREY, annotation_clip=False)
                   for label, x in periods]
    row_pt = LABEL_PT * 1.35

    def adjust():
        fig = ax.figure
        renderer = fig.canvas.get_renderer()
        ends: list[float] = []
        left = ax.get_xlim()[0]
        for ann, (_, x) in zip(annotations, periods):
            # A period that began before the first data point is labelled at the left edge of the plot.
            ann.xy = (max(x, left), 1.0)
        for ann in sorted(annotations, key=lambda a: a.xy[0]):
            ann.xyann = (2, 3)
            box = ann.get_window_extent(renderer)
            row = next((i for i, end in enumerate(ends) if box.x0 > end + 6), len(ends))
            if row == len(ends):
                ends.append(box.x1)
            else:
                ends[row] = box.x1
            ann.xyann = (2, 3 + row * row_pt)
        _set_title_pad(ax, title_pad + len(ends) * row_pt)

    _adjusters(ax.figure).append(adjust)
