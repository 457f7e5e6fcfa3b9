"""Checking a drawn chart as a reader meets it: width, text size, overlapping text, text on data, contrast.

:func:`check_figure` returns one plain sentence per problem; the tests run it on every chart type.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import Collection, PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from ttwell.presentation.charts.display import display_scale
from ttwell.presentation.charts.style import (
    DECORATION_GID,
    DISPLAY_WIDTH_PX,
    MIN_FONT_PT,
    MIN_MARK_CONTRAST,
    MIN_TEXT_CONTRAST,
    NHS_BLACK,
    SERIES_GID,
    contrast_ratio,
)


class _Label:
    """One piece of drawn text (or a whole legend) as check_figure sees it."""

    def __init__(self, name: str, bbox, size: float | None, colour, owner=None, axes=None):
        self.name, self.bbox, self.size, self.colour, self.owner, self.axes = name, bbox, size, colour, owner, axes


def _drawn_ticks(axis):
    # Axis._update_ticks() returns only the ticks that are drawn (inside the view limits); get_ticklabels()
    # would also return labels of ticks outside the axis, which are never drawn.
    try:
        return axis._update_ticks()
    except AttributeError:  # pragma: no cover - very old or very new matplotlib
        return axis.get_major_ticks()


def _drawn_text(text) -> bool:
    return text.get_visible() and bool(text.get_text().strip())


def _labels(fig: Figure, renderer) -> list[_Label]:
    """Every visible piece of text in the figure, with its bounding box in display pixels."""
    found: list[_Label] = []

    def add(text, name=None, owner=None, axes=None):
        if _drawn_text(text):
            found.append(_Label(name or text.get_text(), text.get_window_extent(renderer), text.get_fontsize(),
                                text.get_color(), owner, axes))

    def add_legend(legend, axes=None):
        if legend is None or not legend.get_visible():
            return
        entries = [t for t in legend.get_texts() if _drawn_text(t)]
        names = ", ".join(t.get_text() for t in entries)
        # The legend is one block for overlap checks; its own entries are laid out by matplotlib.
        found.append(_Label(f"legend ({names})", legend.get_window_extent(renderer), None, NHS_BLACK, legend, axes))
        for t in entries:
            found.append(_Label(t.get_text(), t.get_window_extent(renderer), t.get_fontsize(), t.get_color(),
                                legend, axes))

    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for child in ax.get_children():
            if isinstance(child, Text):  # titles, text() and annotate() labels
                add(child, axes=ax)
        for axis in (ax.xaxis, ax.yaxis):
            for tick in _drawn_ticks(axis):
                for label in (tick.label1, tick.label2):
                    add(label, f"tick label '{label.get_text()}'")
            add(axis.label, f"axis label '{axis.label.get_text()}'")
            add(axis.get_offset_text())
        add_legend(ax.get_legend(), ax)
    for text in fig.texts:
        add(text)
    for legend in fig.legends:
        add_legend(legend)
    return found


def _overlap(a, b, tolerance: float = 1.0) -> bool:
    # Boxes that only touch (within a pixel) are not an overlap: antialiasing makes edges fuzzy anyway.
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


def _is_decoration(artist) -> bool:
    return artist.get_gid() == DECORATION_GID or not artist.get_visible()


def _line_hits(line, box, dpi: float) -> bool:
    """Does a Line2D (its path or its markers) cross a box in display pixels?"""
    xy = np.asarray(line.get_xydata(), dtype=float)
    if xy.size == 0:
        return False
    pts = line.get_transform().transform(xy)
    finite = np.isfinite(pts).all(axis=1)
    if line.get_linestyle() not in ("None", "", " ", "none"):
        # Split at NaN: a gap in the data is not drawn, so text may sit in it.
        breaks = np.flatnonzero(~finite)
        for piece in np.split(np.arange(len(pts)), breaks):
            piece = piece[finite[piece]]
            if len(piece) >= 2 and MplPath(pts[piece]).intersects_bbox(box, filled=False):
                return True
    if line.get_marker() not in ("None", "", " ", None, "none"):
        radius = line.get_markersize() / 2 * dpi / 72
        inside = ((pts[:, 0] > box.x0 - radius) & (pts[:, 0] < box.x1 + radius)
                  & (pts[:, 1] > box.y0 - radius) & (pts[:, 1] < box.y1 + radius))
        if inside[finite].any():
            return True
    return False


def _collection_hits(collection, box, dpi: float) -> bool:
    offsets = np.asarray(collection.get_offsets(), dtype=float)
    if not isinstance(collection, PathCollection) or offsets.size == 0:
        return False
    pts = collection.get_offset_transform().transform(offsets)
    sizes = collection.get_sizes()
    radius = (np.sqrt(sizes.max()) / 2 * dpi / 72) if len(sizes) else 0.0
    finite = np.isfinite(pts).all(axis=1)
    inside = ((pts[:, 0] > box.x0 - radius) & (pts[:, 0] < box.x1 + radius)
              & (pts[:, 1] > box.y0 - radius) & (pts[:, 1] < box.y1 + radius))
    return bool(inside[finite].any())


def _mark_colours(artist) -> list[tuple[str, list]]:
    """(what, colours) pairs of a meaningful mark: the mark passes if any pair passes."""
    if isinstance(artist, Line2D):
        options = []
        if artist.get_linestyle() not in ("None", "", " ", "none"):
            options.append(("line", [artist.get_color()]))
        if artist.get_marker() not in ("None", "", " ", None, "none"):
            options.append(("marker fill", [artist.get_markerfacecolor()]))
            options.append(("marker edge", [artist.get_markeredgecolor()]))
        return options
    if isinstance(artist, Collection):
        options = []
        faces, edges = artist.get_facecolors(), artist.get_edgecolors()
        if len(faces):
            options.append(("fill", list(faces)))
        widths = artist.get_linewidths()
        if len(edges) and (len(widths) == 0 or np.max(widths) > 0):
            options.append(("edge", list(edges)))
        return options
    if isinstance(artist, Patch):
        options = [("fill", [artist.get_facecolor()])]
        if artist.get_linewidth() > 0:
            options.append(("edge", [artist.get_edgecolor()]))
        return options
    return []


def _colour_name(colour) -> str:
    return to_hex(colour, keep_alpha=False)


def check_figure(fig: Figure, *, display_width_px: float = DISPLAY_WIDTH_PX, min_font_pt: float = MIN_FONT_PT,
                 min_mark_contrast: float = MIN_MARK_CONTRAST,
                 min_text_contrast: float = MIN_TEXT_CONTRAST) -> list[str]:
    """Check a drawn chart as a reader of the HTML report meets it; return the problems found (empty if none).

    The figure is drawn first, so positions are final. Checked:

    - **width**: the saved PNG is no wider than the report column, so it is shown at the size it was drawn;
    - **text size**: every piece of text is at least ``min_font_pt`` at the size it is shown;
    - **overlapping text**: tick labels, axis labels, titles, annotations (limit, median, cycle labels),
      notes and legends do not overlap each other (bounding boxes after drawing);
    - **text on data**: no text or legend sits on a data line, marker, bar or reference line (mean, limits,
      target), so nothing is hidden and no label is misread;
    - **contrast**: every mark that carries meaning (lines, markers, bars, error bars; not shading or
      artists given ``gid=DECORATION_GID``) has at least ``min_mark_contrast`` against white (WCAG 1.4.11),
      and text at least ``min_text_contrast`` (WCAG 1.4.3).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    display_width_px : float, default DISPLAY_WIDTH_PX
        Width of the report's text column in CSS pixels.
    min_font_pt : float, default 9
    min_mark_contrast, min_text_contrast : float, default 3.0 and 4.5

    Returns
    -------
    list of str
        One plain sentence per problem.

    Examples
    --------
    >>> fig = monthly_chart(rates, date_col="month", value_col="value", title="Sickness absence",
    ...                     ylabel="Rate", percent=True)   # doctest: +SKIP
    >>> check_figure(fig)                                  # doctest: +SKIP
    []
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    problems: list[str] = []

    scale = display_scale(fig, display_width_px)
    if scale < 0.999:
        problems.append(f"The chart is drawn {display_width_px / scale:.0f} px wide but shown at "
                        f"{display_width_px:.0f} px, so everything in it shrinks to {scale:.0%}.")

    labels = _labels(fig, renderer)
    for label in labels:
        if label.size is not None and label.size * scale < min_font_pt - 1e-6:
            problems.append(f"Text '{label.name}' is {label.size * scale:.1f} pt as shown "
                            f"(at least {min_font_pt:g} pt).")
        if label.size is not None and contrast_ratio(label.colour) < min_text_contrast:
            problems.append(f"Text '{label.name}' in {_colour_name(label.colour)} has "
                            f"{contrast_ratio(label.colour):.2f}:1 contrast with white "
                            f"(at least {min_text_contrast:g}:1).")

    # Overlaps between pieces of text; a legend counts as one block.
    blocks = [lb for lb in labels if lb.owner is None or lb.size is None]
    for i, a in enumerate(blocks):
        for b in blocks[i + 1:]:
            if _overlap(a.bbox, b.bbox):
                problems.append(f"Text '{a.name}' overlaps '{b.name}'.")

    dpi = fig.dpi
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        lines = [line for line in ax.get_lines() if not _is_decoration(line)]
        collections = [c for c in ax.collections if not _is_decoration(c)]
        bars = [p for p in ax.patches if p.get_gid() == SERIES_GID and p.get_visible()]
        # Text on data: only text inside this axes' plotting area can sit on its marks.
        for label in blocks:
            if not _overlap(label.bbox, ax.bbox, tolerance=0):
                continue
            box = label.bbox
            for line in lines:
                if _line_hits(line, box, dpi):
                    problems.append(f"Text '{label.name}' sits on a line or its markers "
                                    f"({_colour_name(line.get_color())}).")
                    break
            for collection in collections:
                if _collection_hits(collection, box, dpi):
                    problems.append(f"Text '{label.name}' sits on data points.")
                    break
            for bar in bars:
                if _overlap(bar.get_window_extent(renderer), box):
                    problems.append(f"Text '{label.name}' sits on a bar.")
                    break
        for mark in [*lines, *collections, *bars]:
            options = _mark_colours(mark)
            if not options:
                continue
            passes = any(colours and all(contrast_ratio(c) >= min_mark_contrast for c in colours)
                         for _, colours in options)
            if not passes:
                worst = max((min(contrast_ratio(c) for c in colours), what, colours[0])
                            for what, colours in options if colours)
                problems.append(f"A mark ({type(mark).__name__}, {worst[1]} {_colour_name(worst[2])}) has "
                                f"{worst[0]:.2f}:1 contrast with white (at least {min_mark_contrast:g}:1).")
    # The same problem on each of many ticks says nothing new.
    return list(dict.fromkeys(problems))
