"""Charts in the NHS style: drawing only.

Every function here takes a tidy table that has already been through disclosure control and draws it;
nothing is calculated here beyond sorting and placing labels. Suppressed values arrive as NaN and are never drawn.

Typical use in a notebook::

    from ttwell.presentation import charts
    charts.set_theme()                      # once, in the set-up cell
    fig = charts.monthly_chart(rates, date_col="month", value_col="value",
                               title="Sickness absence rate", ylabel="Rate", percent=True)
    charts.show(fig, alt="Sickness absence stayed between 4% and 5% each month from April 2023.")

Colours
-------
NHS identity colours are given as named constants. ``PALETTE`` holds only colours with at least 3:1 contrast
against white (WCAG 2.x, success criterion 1.4.11), so chart marks stay visible; lighter NHS colours are
used only for backgrounds and shading. Colour never carries meaning alone: lines also differ by marker and are
labelled directly, and every chart should sit above a table of the same numbers.
Making Data Count colours (``MDC_*``) are for SPC charts; they are drawn in the slightly darker tones of
``MDC_MARK_COLOURS`` (same hues, at least 3:1 on white), and point shapes repeat what the colours say.

Charts a reader can trust
-------------------------
Every chart is drawn at the size the HTML report shows it (``DISPLAY_WIDTH_PX``, text at least 9 pt), with
monthly points in the middle of their own month, labels, legends and notes placed outside the data, one scale per
axis, an x axis that spans the data, and NaN values drawn as gaps that keep their month. :func:`check_figure`
checks a drawn figure for overlapping text, text on data, small text and low-contrast marks; the tests run it on
every chart type.
"""

from __future__ import annotations

import io
import math
import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.collections import Collection, PathCollection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter

from ttwell.presentation.report import suppressed_flags
from ttwell.disclosure import SUPPRESSED_MARK

# The icon words have one home, next to the icons themselves (ttwell.calculations.spc); charts and labels reuse them.
from ttwell.calculations.spc import ASSURANCE_TEXT as ASSURANCE_ICON_TEXT
from ttwell.calculations.spc import VARIATION_TEXT as VARIATION_ICON_TEXT

# --- NHS identity colours (engineering spec 3.4; contrast vs white in the comments) ---------------------------
NHS_DARK_BLUE = "#003087"  # 11.85
NHS_BLUE = "#005EB8"  # 6.38
NHS_BRIGHT_BLUE = "#0072CE"  # 4.89
NHS_LIGHT_BLUE = "#41B6E6"  # 2.32: fills and backgrounds only
NHS_AQUA_BLUE = "#00A9CE"  # 2.78: fills and backgrounds only
NHS_BLACK = "#231F20"  # 16.30
NHS_DARK_GREY = "#425563"  # 7.75
NHS_MID_GREY = "#768692"  # 3.75
NHS_PALE_GREY = "#E8EDEE"  # 1.18: backgrounds only
NHS_DARK_GREEN = "#006747"  # 6.93
NHS_GREEN = "#009639"  # 3.87
NHS_LIGHT_GREEN = "#78BE20"  # 2.29: fills and backgrounds only
NHS_AQUA_GREEN = "#00A499"  # 3.10
NHS_PURPLE = "#330072"  # 15.18
NHS_DARK_PINK = "#7C2855"  # 9.16
NHS_PINK = "#AE2573"  # 6.34
NHS_DARK_RED = "#8A1538"  # 9.35
NHS_EMERGENCY_RED = "#DA291C"  # 4.87
NHS_ORANGE = "#ED8B00"  # 2.53: fills and backgrounds only
NHS_WARM_YELLOW = "#FFB81C"  # 1.73: fills and backgrounds only
NHS_YELLOW = "#FAE100"  # 1.33: fills and backgrounds only
NHS_WHITE = "#FFFFFF"
# NHS digital service extras used by dashboards (NHSBSA data-visualisation playbook).
NHS_GREY_5 = "#F0F4F5"  # page and panel backgrounds
NHS_GREY_4 = "#D8DDE0"  # borders and grid lines

NHS_COLOURS: dict[str, str] = {
    "NHS Dark Blue": NHS_DARK_BLUE,
    "NHS Blue": NHS_BLUE,
    "NHS Bright Blue": NHS_BRIGHT_BLUE,
    "NHS Light Blue": NHS_LIGHT_BLUE,
    "NHS Aqua Blue": NHS_AQUA_BLUE,
    "NHS Black": NHS_BLACK,
    "NHS Dark Grey": NHS_DARK_GREY,
    "NHS Mid Grey": NHS_MID_GREY,
    "NHS Pale Grey": NHS_PALE_GREY,
    "NHS Dark Green": NHS_DARK_GREEN,
    "NHS Green": NHS_GREEN,
    "NHS Light Green": NHS_LIGHT_GREEN,
    "NHS Aqua Green": NHS_AQUA_GREEN,
    "NHS Purple": NHS_PURPLE,
    "NHS Dark Pink": NHS_DARK_PINK,
    "NHS Pink": NHS_PINK,
    "NHS Dark Red": NHS_DARK_RED,
    "Emergency Services Red": NHS_EMERGENCY_RED,
    "NHS Orange": NHS_ORANGE,
    "NHS Warm Yellow": NHS_WARM_YELLOW,
    "NHS Yellow": NHS_YELLOW,
    "White": NHS_WHITE,
}

#: Categorical palette for marks on white: every colour has >= 3:1 contrast (all are >= 3.7:1).
PALETTE: tuple[str, ...] = (NHS_BLUE, NHS_DARK_PINK, NHS_DARK_GREEN, NHS_MID_GREY, NHS_PURPLE, NHS_BRIGHT_BLUE)

#: Markers paired with PALETTE so that groups differ by shape as well as colour.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P")

# --- Making Data Count SPC colours (NHSRplotthedots R/ptd_spc_colours.R) ------------------------------------
MDC_COMMON_CAUSE = "#a6a6a6"
MDC_IMPROVEMENT = "#00b0f0"
MDC_CONCERN = "#e46c0a"
MDC_NEUTRAL = "#490092"
MDC_TARGET = "#de1b1b"
MDC_COLOURS: dict[str, str] = {
    "common_cause": MDC_COMMON_CAUSE,
    "improvement": MDC_IMPROVEMENT,
    "concern": MDC_CONCERN,
    "neutral": MDC_NEUTRAL,
    "target": MDC_TARGET,
}
#: What SPC charts draw with: the Making Data Count colours darkened just enough (same hue) for 3:1 contrast on
#: white (WCAG 1.4.11). The official grey (2.43:1) and blue (2.48:1) points were too faint to see; readers still
#: recognise grey, blue, orange and purple, and the point shapes carry the same meaning.
MDC_MARK_COLOURS: dict[str, str] = {
    "common_cause": "#7F7F7F",  # 4.00:1 (official #a6a6a6, 2.43:1)
    "improvement": "#0089C4",  # 3.91:1 (official #00b0f0, 2.48:1)
    "concern": "#D06008",  # 3.92:1 (official #e46c0a, 3.26:1: darkened for a margin on small markers)
    "neutral": MDC_NEUTRAL,  # 12.36:1
    "target": MDC_TARGET,  # 4.91:1
}

# --- figure geometry ------------------------------------------------------------------------------------------
FIGSIZE: tuple[float, float] = (8.0, 4.5)  # inches; 16:9 fits an A4 page and a laptop screen
DPI = 150  # PNG resolution; sharp when printed, small enough to email the HTML report
SCREEN_DPI = 96  # CSS pixels per inch: the PNG is shown at its physical size, not at 150 px per inch

#: Width of the HTML report's text column in CSS pixels: ``main`` is at most 960 px wide with 24 px of padding on
#: each side, and images are capped at 100% of it (ttwell/resources/nbconvert/nhs_report/nhs_report.css). A chart
#: drawn wider than this is shrunk, and its text with it, so every chart is drawn to fit.
DISPLAY_WIDTH_PX = 912
#: Smallest text, in points at the size the chart is shown (9 pt is 12 CSS px).
MIN_FONT_PT = 9.0
#: Size of annotations, legends and notes: the smallest allowed, so labels fit without crowding.
LABEL_PT = 9
#: WCAG 2.x contrast against white: 3:1 for marks that carry meaning (1.4.11), 4.5:1 for text (1.4.3).
MIN_MARK_CONTRAST = 3.0
MIN_TEXT_CONTRAST = 4.5
#: gid for drawn things that carry no meaning of their own (connectors between two labelled dots), which the
#: contrast and text-on-data checks of :func:`check_figure` skip.
DECORATION_GID = "ttwell-decoration"
_SAVE_PAD_INCHES = 0.1  # what figure_png's bbox_inches="tight" adds on each side

#: Text drawn in place of a suppressed (or missing) value.

#: gid set on every data line and bar, so tests and later code can tell data marks from reference lines.
SERIES_GID = "ttwell-series"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PREFERRED_FONTS = ("Arial", "Liberation Sans", "Arimo", "Helvetica", "DejaVu Sans")


def _available_sans_fonts() -> list[str]:
    # Only list fonts that are installed: a missing name in the list makes some matplotlib versions log a
    # "findfont" warning for every text element. DejaVu Sans ships with matplotlib, so the list is never empty.
    installed = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [name for name in _PREFERRED_FONTS if name in installed]
    if "DejaVu Sans" not in fonts:
        fonts.append("DejaVu Sans")
    return fonts


def theme_rc() -> dict:
    """Return the matplotlib rcParams that make up the ttwell chart theme.

    Returns
    -------
    dict
        rcParams (font, sizes, colours, grid), as applied by :func:`set_theme`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with plt.rc_context(theme_rc()):
    ...     fig, ax = plt.subplots()
    """
    return {
        "font.family": ["sans-serif"],
        "font.sans-serif": _available_sans_fonts(),
        "font.size": 10,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.titlecolor": NHS_BLACK,
        "axes.labelsize": 10,
        "axes.labelcolor": NHS_BLACK,
        "axes.edgecolor": NHS_DARK_GREY,
        "axes.facecolor": NHS_WHITE,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": NHS_GREY_4,
        "grid.linewidth": 0.6,
        "xtick.color": NHS_BLACK,
        "ytick.color": NHS_BLACK,
        "text.color": NHS_BLACK,
        "figure.figsize": FIGSIZE,
        "figure.dpi": 100,
        "figure.facecolor": NHS_WHITE,
        "savefig.dpi": DPI,
        "savefig.facecolor": NHS_WHITE,
        "lines.linewidth": 2.0,
        "lines.markersize": 5,
        "legend.frameon": False,
    }


def set_theme() -> None:
    """Apply the ttwell chart theme (seaborn + matplotlib) for the rest of the session.

    Arial where installed, otherwise a similar sans-serif (Liberation Sans, then DejaVu Sans) chosen without
    font warnings; fixed figure size and resolution; white background; light grid; the accessible NHS palette.
    Call it once in a notebook's set-up cell. It does not change the matplotlib backend.

    Examples
    --------
    >>> from ttwell import charts
    >>> charts.set_theme()
    """
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=list(PALETTE), rc=theme_rc())


def show(fig: Figure, alt: str) -> None:
    """Display a figure in a notebook as a PNG with alternative text, then close it.

    The alt text travels in the output's metadata (``image/png`` -> ``alt``); the ttwell HTML report template
    puts it in the ``<img alt="...">`` attribute. Closing the figure stops the inline backend from showing it a
    second time and stops a ``<Figure ...>`` line appearing.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to show, for example from :func:`monthly_chart`.
    alt : str
        What the chart shows, in a sentence that a screen-reader user can act on (the finding, not "a chart").

    Raises
    ------
    ValueError
        If ``alt`` is empty or only spaces.

    Examples
    --------
    >>> fig = monthly_chart(rates, date_col="month", value_col="value", title="Sickness absence",
    ...                     ylabel="Rate", percent=True)          # doctest: +SKIP
    >>> show(fig, alt="Sickness absence fell from 5.1% to 4.3% over the year.")  # doctest: +SKIP
    """
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(
            "charts.show needs alt text: describe what the chart shows in one or two sentences, "
            'for example show(fig, alt="Sickness absence fell from 5.1% to 4.3% over the year.")'
        )
    from IPython.display import Image, display

    alt = " ".join(alt.split())
    try:
        png = figure_png(fig)
        width_px = _png_width(png)
        metadata = {"alt": alt}
        if width_px:
            metadata["width"] = round(width_px * SCREEN_DPI / DPI)
        # Metadata is given to display() explicitly because that is what lands in the notebook output's
        # metadata["image/png"], which the report template reads (Image(alt=...) alone depends on IPython's
        # version for where the alt ends up).
        display(Image(data=png, format="png"), metadata={"image/png": metadata})
    finally:
        plt.close(fig)


def figure_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes at the ttwell resolution.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    bytes
        The PNG file contents.

    Examples
    --------
    >>> png = figure_png(fig)  # doctest: +SKIP
    >>> png[:4]                # doctest: +SKIP
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    # No "Software" entry: the PNG then does not change when matplotlib is upgraded, so committed notebooks
    # do not show spurious diffs.
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=_SAVE_PAD_INCHES, facecolor=NHS_WHITE,
                metadata={"Software": None})
    return buffer.getvalue()


def _png_width(png: bytes) -> int | None:
    # The IHDR chunk always comes first: width is the big-endian int at bytes 16-19.
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return None
    return int.from_bytes(png[16:20], "big")


# --- checking a drawn chart -----------------------------------------------------------------------------------

def contrast_ratio(colour, background=NHS_WHITE) -> float:
    """WCAG 2.x contrast ratio between a colour and a background (1 to 21).

    A colour with transparency is first blended onto the background, because that is what the reader sees.

    Parameters
    ----------
    colour : matplotlib colour
        Hex string, name or RGB(A) tuple.
    background : matplotlib colour, default white

    Returns
    -------
    float

    Examples
    --------
    >>> round(contrast_ratio("#005EB8"), 2)
    6.38
    """
    r, g, b, a = to_rgba(colour)
    br, bg, bb, _ = to_rgba(background)
    blended = [a * c + (1 - a) * base for c, base in ((r, br), (g, bg), (b, bb))]

    def luminance(rgb):
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(blended), luminance((br, bg, bb))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def display_scale(fig: Figure, display_width_px: float = DISPLAY_WIDTH_PX) -> float:
    """How much the HTML report shrinks this figure: 1.0 when it is shown at the size it is drawn.

    The PNG from :func:`figure_png` is shown at ``SCREEN_DPI`` CSS pixels per inch, capped at the width of
    the report's text column (``DISPLAY_WIDTH_PX``); a wider chart is scaled down, and its text with it.

    Examples
    --------
    >>> display_scale(fig)  # doctest: +SKIP
    1.0
    """
    fig.canvas.draw()
    bbox = fig.get_tightbbox(fig.canvas.get_renderer())
    width_px = (bbox.width + 2 * _SAVE_PAD_INCHES) * SCREEN_DPI
    return min(1.0, display_width_px / width_px)


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


def _to_dates(values):
    """Dates from datetimes or text; text must be ISO ``yyyy-mm-dd`` or UK ``dd/mm/yyyy``.

    pandas on its own reads "01/04/2023" month-first (4 January), so text is parsed with explicit formats.
    """
    scalar = not isinstance(values, pd.Series)
    series = pd.Series([values]) if scalar else values
    if pd.api.types.is_datetime64_any_dtype(series):
        parsed = series
    elif not (pd.api.types.is_string_dtype(series) or series.dtype == object) or not any(
            isinstance(v, str) for v in series):
        parsed = pd.to_datetime(series)
    else:
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "ISO8601"):
            try:
                parsed = pd.to_datetime(series, format=fmt)
                break
            except (ValueError, TypeError):
                continue
        else:
            raise ValueError(f"Could not read dates such as '{series.dropna().iloc[0]}': "
                             "use yyyy-mm-dd or dd/mm/yyyy.")
    return parsed.iloc[0] if scalar else parsed


def _format_value(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.1f}%"
    if float(value).is_integer() and abs(value) >= 1:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _month_label(x, _pos=None) -> str:
    # English month names whatever the machine's locale, so labels and tests do not depend on Windows settings.
    when = mdates.num2date(x)
    return f"{_MONTHS[when.month - 1]} {when.year}"


def _month_interval(n_months: int, max_labels: int = 8) -> int:
    # Step in calendar-friendly multiples so that at most ``max_labels`` "Apr 2023" labels are drawn.
    for step in (1, 2, 3, 4, 6, 12):
        if math.ceil(n_months / step) <= max_labels:
            return step
    return 12 * math.ceil(n_months / (12 * max_labels))


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


# --- layout shared by every chart -----------------------------------------------------------------------------

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


# --- months on the x axis -------------------------------------------------------------------------------------

def _is_monthly(dates: pd.Series) -> bool:
    """True when the dates are one per calendar month (month starts, month ends or any day in the month)."""
    dates = pd.Series(pd.to_datetime(dates)).dropna().drop_duplicates().sort_values()
    if dates.empty:
        return False
    months = dates.dt.to_period("M")
    if months.duplicated().any():
        return False
    if len(dates) < 2:
        return True
    return 27 <= dates.diff().dt.days.dropna().median() <= 32


def _mid_month(dates: pd.Series) -> pd.Series:
    # A month's value belongs to the whole month, so it is drawn in the middle of that month: a month-end date
    # such as 30/04/2023 is then drawn in April, between the April and May boundaries, on the "Apr 2023" tick.
    return pd.to_datetime(dates).dt.to_period("M").dt.to_timestamp() + pd.Timedelta(days=14)


def _time_positions(dates) -> tuple[pd.Series, bool]:
    dates = _to_dates(pd.Series(dates).reset_index(drop=True))
    monthly = _is_monthly(dates)
    return (_mid_month(dates) if monthly else pd.to_datetime(dates)), monthly


def _with_gaps(x: pd.Series, y, monthly: bool):
    """x and y with every missing month put back as NaN, so that the line breaks there."""
    frame = pd.DataFrame({"x": pd.to_datetime(x).to_numpy(), "y": np.asarray(y, dtype=float)}).dropna(subset=["x"])
    frame = frame.sort_values("x")
    if not monthly or frame.empty:
        return frame["x"].to_numpy(), frame["y"].to_numpy()
    full = _mid_month(pd.Series(pd.date_range(frame["x"].min().to_period("M").to_timestamp(),
                                              frame["x"].max(), freq="MS")))
    series = frame.groupby("x")["y"].last().reindex(full.to_numpy())
    return series.index.to_numpy(), series.to_numpy()


def _time_axis(ax, first, last, monthly: bool) -> None:
    """Month ticks on the data's own months, as many as fit, and an axis that spans exactly the data."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    # A "Sep 2025" label at 10 pt is about 0.6 in wide; leave half as much again between labels.
    max_labels = max(2, int(width_in / 0.9))
    if monthly:
        start = first.to_period("M").to_timestamp()
        n_months = (last.year - first.year) * 12 + last.month - first.month + 1
        step = _month_interval(n_months, max_labels)
        ticks = _mid_month(pd.Series(pd.date_range(start, last, freq=f"{step}MS")))
        ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(ticks)))
        ax.xaxis.set_major_formatter(FuncFormatter(_month_label))
        end = last.to_period("M").to_timestamp() + pd.offsets.MonthBegin(1)
        ax.set_xlim(start, end)
    else:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=max(3, max_labels - 2)))
        ax.xaxis.set_major_formatter(FuncFormatter(_day_label))
        pad = max((last - first) * 0.02, pd.Timedelta(days=3))
        ax.set_xlim(first - pad, last + pad)


def _day_label(x, _pos=None) -> str:
    when = mdates.num2date(x)
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def monthly_chart(
    data: pd.DataFrame,
    *,
    date_col: str,
    value_col: str,
    title: str,
    ylabel: str,
    percent: bool = False,
    baseline_start=None,
    baseline_end=None,
    baseline_value: float | None = None,
    group_col: str | None = None,
    note: str | None = None,
) -> Figure:
    """Line chart of a monthly series, optionally one line per group, with the baseline marked.

    Months whose value is NaN (suppressed or missing), and months missing from the table, are left as gaps:
    the month keeps its place on the axis, the line is broken there and no marker is drawn. Months with no
    value at the start or end that are not flagged ``suppressed`` (the first 11 months of a rolling 12-month
    measure) are left off, so the axis spans the data. Each month is drawn in the middle of its own month
    (a month-end date such as 30/04/2023 sits on "Apr 2023"). Pass the table returned by disclosure control,
    never the raw aggregate.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per month (and group).
    date_col : str
        Column of month dates (datetimes, or text as ``yyyy-mm-dd`` or ``dd/mm/yyyy``); labelled like "Apr 2023".
    value_col : str
        Column of values to plot. Proportions (0-1) when ``percent`` is true.
    title, ylabel : str
        Chart title (left aligned, above the chart) and y-axis label.
    percent : bool, default False
        Format the y axis and the baseline label as percentages.
    baseline_start, baseline_end : date, datetime or str (``yyyy-mm-dd`` or ``dd/mm/yyyy``), optional
        First and last month of the baseline period; the period is shaded and labelled "Baseline period".
    baseline_value : float, optional
        Draws a dashed horizontal line labelled, for example, "Baseline: 4.3%".
    group_col : str, optional
        One line per group, each with its own colour and marker and a label at its right-hand end.
    note : str, optional
        A note printed under the chart, for example ``"[c] months suppressed to protect confidentiality"``.

    Returns
    -------
    matplotlib.figure.Figure
        Show it with :func:`show`. Data lines carry ``gid == SERIES_GID``.

    Examples
    --------
    >>> fig = monthly_chart(rates, date_col="month", value_col="value", title="Sickness absence rate",
    ...                     ylabel="Rate", percent=True, baseline_start="2023-04-01",
    ...                     baseline_end="2024-03-01", baseline_value=0.043)  # doctest: +SKIP
    """
    for column in (date_col, value_col, group_col):
        if column is not None and column not in data.columns:
            raise ValueError(f"monthly_chart: column '{column}' is not in the table (columns: {list(data.columns)})")

    frame = data.copy()
    frame[date_col] = _to_dates(frame[date_col])
    frame[value_col] = pd.to_numeric(frame[value_col], errors="coerce").astype(float)
    frame = _trim_uncomputed_ends(frame, date_col, value_col)
    x, monthly = _time_positions(frame[date_col])
    frame["_x"] = x.to_numpy()

    fig, ax = plt.subplots(figsize=FIGSIZE)

    if group_col is None:
        groups = [(None, frame)]
    else:
        groups = [(name, part) for name, part in frame.groupby(group_col, sort=True, dropna=False)]

    right: list[tuple[str, float, str]] = []
    for i, (name, part) in enumerate(groups):
        colour = PALETTE[i % len(PALETTE)]
        marker = MARKERS[i % len(MARKERS)]
        # Plot with matplotlib rather than seaborn.lineplot: seaborn drops NaN rows and joins across them,
        # which would draw through suppressed months. Missing months are put back as NaN for the same reason.
        xs, ys = _with_gaps(part["_x"], part[value_col], monthly)
        (line,) = ax.plot(xs, ys, color=colour, marker=marker,
                          label="_nolegend_" if name is None else str(name))
        line.set_gid(SERIES_GID)
        if name is not None:
            finite = part.dropna(subset=[value_col]).sort_values("_x")
            if not finite.empty:
                right.append((str(name), float(finite[value_col].iloc[-1]), colour, True))

    periods = []
    if baseline_start is not None and baseline_end is not None:
        # Whole months: from the first day of the first baseline month to the end of the last one.
        start = pd.Timestamp(_to_dates(baseline_start)).to_period("M").to_timestamp()
        end = pd.Timestamp(_to_dates(baseline_end)).to_period("M").to_timestamp() + pd.offsets.MonthBegin(1)
        ax.axvspan(start, end, color=NHS_PALE_GREY, alpha=0.8, zorder=0, linewidth=0)
        periods.append(("Baseline period", start))

    if baseline_value is not None and not pd.isna(baseline_value):
        line = ax.axhline(baseline_value, color=NHS_DARK_GREY, linestyle="--", linewidth=1.2, zorder=1)
        right.append((f"Baseline: {_format_value(baseline_value, percent)}", float(baseline_value), NHS_DARK_GREY))

    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("Month" if monthly else "Date")
    if percent:
        ax.yaxis.set_major_formatter(_PercentTicks())

    dates = frame["_x"].dropna()
    if not dates.empty:
        _time_axis(ax, dates.min(), dates.max(), monthly)
    _label_periods(ax, periods)
    _right_labels(ax, right)
    _add_note(fig, note)
    _layout(fig)
    return fig


def _trim_uncomputed_ends(frame: pd.DataFrame, date_col: str, value_col: str) -> pd.DataFrame:
    """Drop months at either end that have no value and were not suppressed (for example the first 11 months
    of a rolling 12-month measure, which cannot be worked out yet), so the axis spans the data.

    Suppressed months (``suppressed`` column true) are kept, so they stay on the axis as gaps.
    """
    flagged = suppressed_flags(frame["suppressed"]) if "suppressed" in frame else pd.Series(False, index=frame.index)
    keep = frame[value_col].notna() | flagged
    kept_dates = frame.loc[keep, date_col]
    if kept_dates.empty:
        return frame
    return frame[(frame[date_col] >= kept_dates.min()) & (frame[date_col] <= kept_dates.max())]


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


def its_chart(fitted: pd.DataFrame, *, start, title: str, ylabel: str, percent: bool = False,
              observed_col: str = "observed", fitted_col: str = "fitted",
              counterfactual_col: str = "counterfactual", note: str | None = None) -> Figure:
    """Interrupted time series: observed points, the fitted model and the counterfactual (no strategy) line.

    Monthly points are drawn in the middle of their own month; the strategy period is shaded from the start
    date and labelled above the plot; the legend and ``note`` sit under the chart. A NaN observation is a gap.

    Examples
    --------
    >>> result = ttwell.calculations.impact.its(monthly, date="date", value="rate", start="2024-04-01")            # doctest: +SKIP
    >>> fig = its_chart(result.fitted, start="2024-04-01", title="Vacancy rate", ylabel="%")   # doctest: +SKIP
    """
    fig, ax = plt.subplots(figsize=FIGSIZE)
    frame = fitted.copy()
    positions, monthly = _time_positions(frame["date"])
    frame["_x"] = positions.to_numpy()  # by position: the table's own index may not be 0..n-1
    frame = frame.sort_values("_x").reset_index(drop=True)
    scale = 100.0 if percent else 1.0
    start = pd.Timestamp(_to_dates(start))
    end = frame["_x"].max() + (pd.Timedelta(days=16) if monthly else pd.Timedelta(0))
    after = frame["_x"] >= (start.to_period("M").to_timestamp() if monthly else start)
    ax.axvspan(start, end, color=NHS_PALE_GREY, alpha=0.6, zorder=0, linewidth=0)
    points = ax.scatter(frame["_x"], frame[observed_col] * scale, s=18, color=NHS_DARK_GREY, zorder=3,
                        label="Observed")
    points.set_gid(SERIES_GID)
    xs, ys = _with_gaps(frame["_x"], frame[fitted_col] * scale, monthly)
    fitted_line, = ax.plot(xs, ys, color=NHS_BLUE, linewidth=1.8, zorder=2, label="Fitted model")
    counter, = ax.plot(frame.loc[after, "_x"], frame.loc[after, counterfactual_col] * scale, color=NHS_DARK_PINK,
                       linewidth=1.5, linestyle="--", zorder=2, label="Without the strategy (counterfactual)")
    ax.set_title(title, loc="left", fontweight="bold")
    ax.set_ylabel(ylabel)
    dates = frame["_x"].dropna()
    if not dates.empty:
        _time_axis(ax, dates.min(), dates.max(), monthly)
    _label_periods(ax, [("Strategy in place", start)])
    _add_note(fig, note)
    _layout(fig, legend_handles=[points, fitted_line, counter])
    return fig
