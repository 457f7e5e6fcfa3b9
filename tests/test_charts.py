"""Tests for ttwell.charts: colours, theme, figure contents and the notebook display helper."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")  # tests only: notebooks keep the inline backend

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.font_manager  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from ttwell import charts  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def contrast_with_white(hex_colour: str) -> float:
    """WCAG 2.x contrast ratio of a colour against white."""
    def channel(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(hex_colour))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def series_lines(fig):
    return [line for line in fig.axes[0].get_lines() if line.get_gid() == charts.SERIES_GID]


def series_bars(fig):
    return [patch for patch in fig.axes[0].patches if patch.get_gid() == charts.SERIES_GID]


def texts(fig):
    ax = fig.axes[0]
    return [t.get_text() for t in ax.texts]


@pytest.fixture
def monthly():
    months = pd.date_range("2023-04-01", periods=12, freq="MS")
    return pd.DataFrame({
        "month": list(months) * 2,
        "team": ["North"] * 12 + ["South"] * 12,
        "value": np.r_[np.linspace(0.03, 0.05, 12), np.linspace(0.04, 0.06, 12)],
    })


# --- constants and theme --------------------------------------------------------------------------------------

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


# --- show -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("alt", ["", "   ", None])
def test_show_requires_alt_text(alt, monthly):
    fig = charts.monthly_chart(monthly, date_col="month", value_col="value", title="t", ylabel="y")
    with pytest.raises(ValueError, match="alt"):
        charts.show(fig, alt=alt)


def test_show_displays_png_with_alt_metadata_and_closes(monkeypatch, monthly):
    calls = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: calls.append((obj, kw)))
    fig = charts.monthly_chart(monthly, date_col="month", value_col="value", title="t", ylabel="y")
    assert plt.fignum_exists(fig.number)
    charts.show(fig, alt="  Sickness absence rose\nfrom 3% to 5%. ")
    assert not plt.fignum_exists(fig.number)  # closed: no duplicate inline figure
    assert len(calls) == 1
    image, kwargs = calls[0]
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert kwargs["metadata"]["image/png"]["alt"] == "Sickness absence rose from 3% to 5%."
    assert kwargs["metadata"]["image/png"]["width"] > 300


def test_show_metadata_reaches_the_output_bundle(monkeypatch, tmp_path, monthly):
    """What IPython publishes (and so what a notebook output stores) carries the alt under image/png."""
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    shell = InteractiveShell.instance()  # display() only formats and publishes when a shell is running
    published = []
    try:
        monkeypatch.setattr(shell.display_pub, "publish",
                            lambda data, metadata=None, **kw: published.append((data, metadata)))
        fig = charts.monthly_chart(monthly, date_col="month", value_col="value", title="t", ylabel="y")
        charts.show(fig, alt="Rates rose.")
    finally:
        InteractiveShell.clear_instance()
    assert len(published) == 1
    data, metadata = published[0]
    assert set(data) >= {"image/png", "text/plain"}
    assert metadata["image/png"]["alt"] == "Rates rose."


# --- monthly_chart --------------------------------------------------------------------------------------------

def test_monthly_chart_single_series(monthly):
    one = monthly[monthly["team"] == "North"]
    fig = charts.monthly_chart(one, date_col="month", value_col="value", title="Sickness absence rate",
                               ylabel="Rate", percent=True, baseline_start="2023-04-01",
                               baseline_end="2023-09-01", baseline_value=0.043)
    ax = fig.axes[0]
    assert len(series_lines(fig)) == 1
    assert ax.get_title() == "Sickness absence rate"
    assert "Baseline period" in texts(fig)
    assert "Baseline: 4.3%" in texts(fig)
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 1 and dashed[0].get_ydata()[0] == pytest.approx(0.043)
    assert len(ax.patches) == 1  # the baseline shading

    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels[0] == "Apr 2023"
    assert all(len(lbl.split()) == 2 and len(lbl.split()[1]) == 4 for lbl in labels)
    ylabels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ylabels and all(lbl.endswith("%") for lbl in ylabels)


def test_monthly_chart_one_line_per_group_with_direct_labels(monthly):
    fig = charts.monthly_chart(monthly, date_col="month", value_col="value", title="t", ylabel="y",
                               group_col="team")
    lines = series_lines(fig)
    assert len(lines) == 2
    assert {line.get_label() for line in lines} == {"North", "South"}
    assert len({line.get_marker() for line in lines}) == 2  # not colour alone
    assert len({line.get_color() for line in lines}) == 2
    assert {"North", "South"} <= set(texts(fig))


def test_monthly_chart_nan_is_a_gap(monthly):
    data = monthly[monthly["team"] == "North"].copy()
    data.loc[data.index[5], "value"] = np.nan
    fig = charts.monthly_chart(data, date_col="month", value_col="value", title="t", ylabel="y")
    (line,) = series_lines(fig)
    y = np.asarray(line.get_ydata(), dtype=float)
    assert len(y) == 12 and np.isnan(y[5])  # kept in place, so the line breaks instead of joining across
    # When drawn, the path is split into two pieces at the NaN: two MOVETO codes.
    path = line.get_path().cleaned(remove_nans=True)
    assert list(path.codes).count(1) == 2


def test_monthly_chart_labels_many_months_sparsely():
    months = pd.date_range("2021-04-01", periods=36, freq="MS")
    data = pd.DataFrame({"month": months.strftime("%Y-%m-%d"), "value": np.arange(36.0)})  # ISO strings
    fig = charts.monthly_chart(data, date_col="month", value_col="value", title="t", ylabel="y")
    ticks = fig.axes[0].get_xticks()
    assert 3 <= len(ticks) <= 8
    assert mdates.num2date(ticks[0]).strftime("%Y-%m") == "2021-04"


def test_monthly_chart_unknown_column_is_clear(monthly):
    with pytest.raises(ValueError, match="'rate'"):
        charts.monthly_chart(monthly, date_col="month", value_col="rate", title="t", ylabel="y")


# --- bar_chart ------------------------------------------------------------------------------------------------

@pytest.fixture
def teams():
    return pd.DataFrame({
        "team": ["A", "B", "C", "D"],
        "value": [0.20, 0.50, np.nan, 0.35],
        "ci_low": [0.10, 0.40, np.nan, 0.30],
        "ci_high": [0.30, 0.60, np.nan, 0.40],
        "suppressed": [False, False, True, False],
    })


def test_bar_chart_sorted_bars_labels_and_c(teams):
    fig = charts.bar_chart(teams, category_col="team", value_col="value", title="By team", xlabel="Rate",
                           percent=True, ci_low_col="ci_low", ci_high_col="ci_high")
    ax = fig.axes[0]
    bars = series_bars(fig)
    assert len(bars) == 3  # the suppressed team is not drawn
    by_height = sorted(bars, key=lambda b: b.get_y(), reverse=True)
    assert [b.get_width() for b in by_height] == pytest.approx([0.50, 0.35, 0.20])  # largest at the top
    ticklabels = [t.get_text() for t in ax.get_yticklabels()]
    positions = list(ax.get_yticks())
    order = [lbl for _, lbl in sorted(zip(positions, ticklabels), reverse=True)]
    assert order == ["B", "D", "A", "C"]
    assert {"50.0%", "35.0%", "20.0%", "[c]"} <= set(texts(fig))
    assert texts(fig).count("[c]") == 1
    assert ax.collections, "error bars drawn"
    label_50 = next(t for t in ax.texts if t.get_text() == "50.0%")
    assert label_50.get_position()[0] > 0.60  # beyond the upper confidence limit


def test_bar_chart_nan_without_flag_is_c_and_not_drawn():
    data = pd.DataFrame({"team": ["A", "B"], "value": [3.0, np.nan]})
    fig = charts.bar_chart(data, category_col="team", value_col="value", title="t", xlabel="x")
    assert len(series_bars(fig)) == 1
    assert "[c]" in texts(fig) and "3" in texts(fig)


def test_bar_chart_missing_but_not_suppressed_is_not_called_c():
    data = pd.DataFrame({"team": ["A", "B"], "value": [3.0, np.nan], "suppressed": [False, False]})
    fig = charts.bar_chart(data, category_col="team", value_col="value", title="t", xlabel="x")
    assert "[c]" not in texts(fig) and "no data" in texts(fig)


def test_bar_chart_handles_negative_values():
    data = pd.DataFrame({"group": ["A", "B"], "value": [-0.4, 0.6]})
    fig = charts.bar_chart(data, category_col="group", value_col="value", title="t", xlabel="Change")
    left, right = fig.axes[0].get_xlim()
    assert left < -0.4 and right > 0.6


def test_monthly_chart_reads_uk_date_text_day_first(monthly):
    one = monthly[monthly["team"] == "North"].copy()
    one["month"] = one["month"].dt.strftime("%d/%m/%Y")  # "01/04/2023" is 1 April, not 4 January
    fig = charts.monthly_chart(one, date_col="month", value_col="value", title="t", ylabel="y",
                               baseline_start="01/04/2023", baseline_end="01/09/2023")
    (line,) = series_lines(fig)
    first = pd.Timestamp(np.asarray(line.get_xdata())[0])
    assert (first.year, first.month) == (2023, 4)  # April, drawn mid-month
    (span,) = fig.axes[0].patches
    left = mdates.num2date(span.get_x())
    right = mdates.num2date(span.get_x() + span.get_width())
    # The shading covers whole months: from 1 April to the end of September.
    assert (left.year, left.month, left.day) == (2023, 4, 1)
    assert (right.year, right.month, right.day) == (2023, 10, 1)


def test_benchmark_chart_labels_score_and_benchmark():
    data = pd.DataFrame({"measure": ["Staff engagement", "Morale", "We are a team"], "score": [7.1, 6.2, 7.0],
                         "benchmark_median": [6.9, 5.9, None]})
    fig = charts.benchmark_chart(data, label_col="measure", score_col="score", benchmark_col="benchmark_median",
                                 title="NHS Staff Survey 2024")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "7.1 (benchmark 6.9)" in texts and "7.0" in texts  # no benchmark -> score alone
    # First measure at the top: its tick has the highest y position.
    ticks = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks())}
    assert ticks["Staff engagement"] > ticks["Morale"] > ticks["We are a team"]
    assert len([line for line in ax.lines]) == 2  # connectors only where a benchmark exists


def test_spc_small_multiples_one_panel_per_facet():
    from ttwell import spc

    dates = pd.date_range("2023-01-31", periods=15, freq="ME")
    data = pd.concat([pd.DataFrame({"team": team, "date": dates, "value": [10, 12] * 7 + [11]}) for team in "ABC"])
    result = spc.xmr(data, date="date", value="value", facet="team")
    fig = charts.spc_small_multiples(result.points, result.summary, title="By team", ylabel="%")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3 and len(fig.axes) == 4  # a 2 x 2 grid with the spare panel hidden
    assert [ax.get_title(loc="left").split("\n")[0] for ax in visible] == ["A", "B", "C"]
