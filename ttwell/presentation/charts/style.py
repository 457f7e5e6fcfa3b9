"""Chart style: NHS identity and Making Data Count colours, figure sizes and text sizes, the theme, contrast.

Everything a chart needs to look like an NHS chart and stay readable: the named colours, the accessible
palette (every colour at least 3:1 on white), the figure size and resolution, the smallest text size, the
WCAG contrast rules and :func:`contrast_ratio` that measures them, and :func:`set_theme` for notebooks.
"""

from __future__ import annotations

from matplotlib import font_manager
from matplotlib.colors import to_rgba

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

#: gid set on every data line and bar, so tests and later code can tell data marks from reference lines.
SERIES_GID = "ttwell-series"

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
    >>> from ttwell.presentation import charts
    >>> charts.set_theme()
    """
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=list(PALETTE), rc=theme_rc())


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
