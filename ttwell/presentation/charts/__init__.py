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

Modules
-------
``style``        NHS and Making Data Count colours, figure and text sizes, the theme, contrast ratio
``display``      PNG rendering and :func:`show` (alt text), how big the report shows a chart
``checks``       :func:`check_figure`: overlapping text, text on data, small text, low contrast
``time_axis``    dates, monthly positions and gaps, month tick labels (shared by the time charts)
``layout``       value labels, right-margin and period labels, notes and legend under the chart
``time_series``  :func:`monthly_chart`, :func:`its_chart`
``spc``          :func:`spc_chart`, :func:`spc_small_multiples`, :func:`run_chart` (with PDSA cycles)
``bars``         :func:`bar_chart`
``dots``         :func:`benchmark_chart`, :func:`dumbbell_chart`
``funnel``       :func:`funnel_chart`, :func:`funnel_small_multiples` (teams against their size, with limits)

Import the package, not its modules: ``from ttwell.presentation import charts``; everything public is here.
"""

from __future__ import annotations

from ttwell.presentation.charts.bars import bar_chart
from ttwell.presentation.charts.checks import check_figure
from ttwell.presentation.charts.display import display_scale, figure_png, show
from ttwell.presentation.charts.dots import benchmark_chart, dumbbell_chart
from ttwell.presentation.charts.funnel import funnel_chart, funnel_small_multiples
from ttwell.presentation.charts.spc import (
    ASSURANCE_ICON_TEXT,
    VARIATION_ICON_TEXT,
    run_chart,
    spc_chart,
    spc_small_multiples,
)
from ttwell.presentation.charts.style import (
    DECORATION_GID,
    DISPLAY_WIDTH_PX,
    DPI,
    FIGSIZE,
    LABEL_PT,
    MARKERS,
    MDC_COLOURS,
    MDC_COMMON_CAUSE,
    MDC_CONCERN,
    MDC_IMPROVEMENT,
    MDC_MARK_COLOURS,
    MDC_NEUTRAL,
    MDC_TARGET,
    MIN_FONT_PT,
    MIN_MARK_CONTRAST,
    MIN_TEXT_CONTRAST,
    NHS_AQUA_BLUE,
    NHS_AQUA_GREEN,
    NHS_BLACK,
    NHS_BLUE,
    NHS_BRIGHT_BLUE,
    NHS_COLOURS,
    NHS_DARK_BLUE,
    NHS_DARK_GREEN,
    NHS_DARK_GREY,
    NHS_DARK_PINK,
    NHS_DARK_RED,
    NHS_EMERGENCY_RED,
    NHS_GREEN,
    NHS_GREY_4,
    NHS_GREY_5,
    NHS_LIGHT_BLUE,
    NHS_LIGHT_GREEN,
    NHS_MID_GREY,
    NHS_ORANGE,
    NHS_PALE_GREY,
    NHS_PINK,
    NHS_PURPLE,
    NHS_WARM_YELLOW,
    NHS_WHITE,
    NHS_YELLOW,
    PALETTE,
    SCREEN_DPI,
    SERIES_GID,
    contrast_ratio,
    set_theme,
    theme_rc,
)
from ttwell.presentation.charts.time_series import its_chart, monthly_chart

__all__ = [
    # style
    "NHS_DARK_BLUE", "NHS_BLUE", "NHS_BRIGHT_BLUE", "NHS_LIGHT_BLUE", "NHS_AQUA_BLUE", "NHS_BLACK", "NHS_DARK_GREY",
    "NHS_MID_GREY", "NHS_PALE_GREY", "NHS_DARK_GREEN", "NHS_GREEN", "NHS_LIGHT_GREEN", "NHS_AQUA_GREEN",
    "NHS_PURPLE", "NHS_DARK_PINK", "NHS_PINK", "NHS_DARK_RED", "NHS_EMERGENCY_RED", "NHS_ORANGE",
    "NHS_WARM_YELLOW", "NHS_YELLOW", "NHS_WHITE", "NHS_GREY_5", "NHS_GREY_4", "NHS_COLOURS", "PALETTE", "MARKERS",
    "MDC_COMMON_CAUSE", "MDC_IMPROVEMENT", "MDC_CONCERN", "MDC_NEUTRAL", "MDC_TARGET", "MDC_COLOURS",
    "MDC_MARK_COLOURS", "FIGSIZE", "DPI", "SCREEN_DPI", "DISPLAY_WIDTH_PX", "MIN_FONT_PT", "LABEL_PT",
    "MIN_MARK_CONTRAST", "MIN_TEXT_CONTRAST", "DECORATION_GID", "SERIES_GID", "theme_rc", "set_theme",
    "contrast_ratio",
    # display and checks
    "show", "figure_png", "display_scale", "check_figure",
    # charts
    "monthly_chart", "its_chart", "bar_chart", "benchmark_chart", "dumbbell_chart", "spc_chart", "run_chart",
    "spc_small_multiples", "funnel_chart", "funnel_small_multiples", "ASSURANCE_ICON_TEXT", "VARIATION_ICON_TEXT",
]
