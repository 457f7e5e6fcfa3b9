"""Tests for ttwell.presentation.charts.style: NHS and Making Data Count colours, the theme, contrast ratios."""

from __future__ import annotations

import warnings

import matplotlib
import matplotlib.font_manager
import pytest
from chart_helpers import contrast_with_white, two_teams_monthly
from matplotlib.colors import to_rgb

from ttwell.presentation import charts


@pytest.fixture
def monthly():
    return two_teams_monthly()


def test_palette_has_at_least_3_to_1_contrast_on_white():
    assert len(charts.PALETTE) == 6
    assert charts.PALETTE[0] == charts.NHS_BLUE == "#005EB8"
    for colour in charts.PALETTE:
        assert contrast_with_white(colour) >= 3.0, colour
    assert contrast_with_white(charts.NHS_LIGHT_BLUE) < 3.0  # the check itself can fail


def test_identity_and_mdc_colours():
    assert charts.NHS_COLOURS["NHS Dark Pink"] == "#7C2855"
    assert charts.NHS_COLOURS["NHS Black"] == "#231F20"
    assert charts.MDC_COLOURS == {"common_cause": "#a6a6a6", "improvement": "#00b0f0", "concern": "#e46c0a",
                                  "neutral": "#490092", "target": "#de1b1b"}


def test_set_theme_font_fallback_is_silent(monthly, caplog):
    with matplotlib.rc_context():
        charts.set_theme()
        installed = {f.name for f in matplotlib.font_manager.fontManager.ttflist}
        fonts = matplotlib.rcParams["font.sans-serif"]
        assert fonts[-1] == "DejaVu Sans"
        assert set(fonts) <= installed  # only installed fonts listed, so no "findfont" messages
        assert fonts[0] == ("Arial" if "Arial" in installed else fonts[0])
        assert tuple(matplotlib.rcParams["figure.figsize"]) == charts.FIGSIZE
        assert matplotlib.rcParams["savefig.dpi"] == charts.DPI
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with caplog.at_level("WARNING", logger="matplotlib.font_manager"):
                fig = charts.monthly_chart(monthly, date_col="month", value_col="value", title="t", ylabel="y")
                charts.figure_png(fig)
        assert not [r for r in caplog.records if "findfont" in r.getMessage()]


def test_contrast_ratio_matches_the_wcag_values_in_the_spec():
    assert charts.contrast_ratio("#005EB8") == pytest.approx(6.38, abs=0.01)
    assert charts.contrast_ratio("#41B6E6") == pytest.approx(2.32, abs=0.01)
    assert charts.contrast_ratio((0, 0, 0, 0)) == pytest.approx(1.0)  # transparent: the background shows


def test_mdc_mark_colours_reach_3_to_1_and_keep_their_hue():
    import colorsys

    for key, official in charts.MDC_COLOURS.items():
        mark = charts.MDC_MARK_COLOURS[key]
        assert contrast_with_white(mark) >= 3.0, key
        h1, _, s1 = colorsys.rgb_to_hls(*to_rgb(official))
        h2, _, s2 = colorsys.rgb_to_hls(*to_rgb(mark))
        assert abs(h1 - h2) < 0.02 or s1 < 0.05  # same hue (grey has none)
    assert contrast_with_white(charts.MDC_COMMON_CAUSE) < 3.0  # why the darker tones exist

