"""Tests for ttwell.presentation.charts: colours, theme, figure contents and the notebook display helper."""

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

from ttwell.presentation import charts  # noqa: E402
from ttwell.inputs.dates import parse_date  # noqa: E402


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
    from ttwell.calculations import spc

    dates = pd.date_range("2023-01-31", periods=15, freq="ME")
    data = pd.concat([pd.DataFrame({"team": team, "date": dates, "value": [10, 12] * 7 + [11]}) for team in "ABC"])
    result = spc.xmr(data, date="date", value="value", facet="team")
    fig = charts.spc_small_multiples(result.points, result.summary, title="By team", ylabel="%")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3 and len(fig.axes) == 4  # a 2 x 2 grid with the spare panel hidden
    assert [ax.get_title(loc="left").split("\n")[0] for ax in visible] == ["A", "B", "C"]


# --- check_figure: the chart checks themselves ----------------------------------------------------------------

def test_check_figure_finds_planted_overlap_small_text_and_low_contrast():
    fig, ax = plt.subplots(figsize=charts.FIGSIZE)
    ax.plot([0, 1, 2], [0, 1, 0], color=charts.MDC_COMMON_CAUSE)  # official MDC grey: 2.43:1
    ax.text(0.2, 0.2, "First label", fontsize=10)
    ax.text(0.2, 0.2, "Second label", fontsize=10)  # drawn on top of the first
    ax.text(1.0, 1.0, "On the peak", fontsize=10, ha="center", va="center")  # sits on the line
    ax.text(1.8, 0.9, "tiny", fontsize=7)
    problems = charts.check_figure(fig)
    assert any("'First label' overlaps 'Second label'" in p for p in problems)
    assert any("'On the peak' sits on a line" in p for p in problems)
    assert any("'tiny' is 7.0 pt" in p for p in problems)
    assert any("2.43:1" in p for p in problems)


def test_check_figure_finds_a_chart_too_wide_for_the_report():
    fig, ax = plt.subplots(figsize=(14, 4))  # 1344 CSS px: the report would shrink it to 68%
    ax.plot([0, 1], [0, 1], color=charts.NHS_BLUE)
    problems = charts.check_figure(fig)
    assert any("shown at 912 px" in p for p in problems)
    assert any("as shown" in p and "pt" in p for p in problems)  # 10 pt tick labels become under 9 pt


def test_check_figure_passes_a_clean_figure_and_skips_decoration():
    fig, ax = plt.subplots(figsize=charts.FIGSIZE)
    ax.plot([0, 1], [0, 1], color=charts.NHS_BLUE)
    connector, = ax.plot([0, 1], [1, 0], color=charts.NHS_GREY_4)  # 1.4:1, but only joins labelled dots
    connector.set_gid(charts.DECORATION_GID)
    fig.tight_layout()
    assert charts.check_figure(fig) == []


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


# --- every chart type passes the checks ------------------------------------------------------------------------

def xmr_points(values, start="2023-01-31", **kwargs):
    from ttwell.calculations import spc

    dates = pd.date_range(start, periods=len(values), freq="ME")
    return spc.xmr(pd.DataFrame({"date": dates, "value": values}), date="date", value="value", **kwargs)


def all_chart_types():
    from ttwell.calculations import spc

    rng = np.random.default_rng(3)
    months = pd.date_range("2022-04-01", periods=36, freq="MS")
    monthly = pd.DataFrame({"month": list(months) * 3, "team": np.repeat(["North", "South", "East"], 36),
                            "value": rng.uniform(0.03, 0.06, 108)})
    counts = xmr_points(rng.poisson(2, 24).astype(float))
    joy = xmr_points(rng.normal(60, 6, 30), start="2022-04-30")
    cycles = pd.DataFrame({"label": ["C01-1: adapt", "C02-1: abandon", "C03-1: adopt"],
                           "start": pd.to_datetime(["2023-01-02", "2023-03-06", "2023-04-03"]),
                           "end": pd.to_datetime(["2023-02-28", "2023-03-31", "2023-07-31"])})
    run = spc.run_chart(pd.DataFrame({"date": pd.date_range("2022-04-30", periods=30, freq="ME"),
                                      "value": rng.normal(60, 6, 30)}), date="date", value="value", freeze=12)
    facets = spc.xmr(pd.concat([pd.DataFrame({"team": t, "date": pd.date_range("2023-01-31", periods=15, freq="ME"),
                                              "value": rng.normal(10, 1, 15)}) for t in "ABC"]),
                     date="date", value="value", facet="team")
    survey = pd.DataFrame({"label": ["Joy or meaning in work (0-4)", "Would recommend as a place to work (0-10)"],
                           "mean": [2.3, 6.2], "ci_low": [2.1, 5.9], "ci_high": [2.5, 6.6],
                           "scale_min": [0, 0], "scale_max": [4, 10]})
    areas = pd.DataFrame({"area": ["Managing endings / relationships with people who have experienced trauma",
                                   "Risk", "Supervision"], "pre": [40.0, 50.0, 61.0], "post": [80.0, 52.0, 60.0]})
    fitted = pd.DataFrame({"date": pd.date_range("2022-04-30", periods=36, freq="ME"),
                           "observed": rng.uniform(0.04, 0.06, 36)})
    fitted["fitted"] = fitted["observed"].rolling(3, min_periods=1).mean()
    fitted["counterfactual"] = fitted["fitted"] + 0.005
    return {
        "monthly": lambda: charts.monthly_chart(monthly, date_col="month", value_col="value", title="Sickness absence",
                                                ylabel="%", percent=True, group_col="team",
                                                baseline_start="2022-04-01", baseline_end="2023-03-01",
                                                baseline_value=0.045),
        "spc_count": lambda: charts.spc_chart(counts.points, counts.summary, title="Joiners (headcount)",
                                              ylabel="count"),
        "spc_cycles": lambda: charts.spc_chart(joy.points, joy.summary, title="Joy at work: XmR chart",
                                               ylabel="%", target=0.7 * 100, cycles=cycles),
        "run": lambda: charts.run_chart(run.points, run.parts, title="Joy at work: run chart", ylabel="%",
                                        cycles=cycles),
        "small_multiples": lambda: charts.spc_small_multiples(facets.points, facets.summary, title="By team",
                                                              ylabel="count"),
        "bar": lambda: charts.bar_chart(survey, category_col="label", value_col="mean", ci_low_col="ci_low",
                                        ci_high_col="ci_high", title="Joy at work pulse: baseline average with 95% CI",
                                        xlabel="Average score"),
        "dumbbell": lambda: charts.dumbbell_chart(areas, label_col="area", before_col="pre", after_col="post",
                                                  title="Confidence before and after", xlabel="Mean confidence (%)"),
        "benchmark": lambda: charts.benchmark_chart(
            pd.DataFrame({"measure": ["Staff engagement", "Morale"], "score": [7.1, 6.2],
                          "benchmark_median": [7.1, 5.9]}),
            label_col="measure", score_col="score", benchmark_col="benchmark_median",
            title="NHS Staff Survey 2024: this service against the benchmark median"),
        "its": lambda: charts.its_chart(fitted, start="2024-04-01", title="Sickness absence rate", ylabel="%",
                                        percent=True),
    }


@pytest.mark.parametrize("kind", list(all_chart_types()))
def test_every_chart_type_passes_check_figure(kind):
    fig = all_chart_types()[kind]()
    assert charts.check_figure(fig) == []
    assert charts.display_scale(fig) == 1.0  # drawn at the size the report shows it


# --- months, gaps, limits and scales ---------------------------------------------------------------------------

def test_month_end_points_are_drawn_in_their_own_month():
    result = xmr_points([5.0, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5], start="2023-04-30")
    fig = charts.spc_chart(result.points, result.summary, title="t", ylabel="y")
    ax = fig.axes[0]
    first = mdates.num2date(np.asarray(ax.collections[0].get_offsets())[:, 0].min())
    assert (first.year, first.month) == (2023, 4)  # 30/04/2023 is April, not May
    ticks = {t.get_text(): t.get_position()[0] for t in ax.get_xticklabels() if t.get_text()}
    assert mdates.date2num(pd.Timestamp(first.replace(tzinfo=None))) == pytest.approx(ticks["Apr 2023"])


def test_rolling_series_axis_starts_at_its_first_value():
    months = pd.date_range("2023-04-01", periods=24, freq="MS")
    values = np.r_[[np.nan] * 11, np.linspace(0.04, 0.05, 13)]  # a rolling 12-month measure
    data = pd.DataFrame({"month": months, "value": values, "suppressed": False})
    fig = charts.monthly_chart(data, date_col="month", value_col="value", title="t", ylabel="y", percent=True)
    left, right = (mdates.num2date(x) for x in fig.axes[0].get_xlim())
    assert (left.year, left.month) == (2024, 3)  # the first month with a value, not a year earlier
    assert (right.year, right.month) == (2025, 4) and right.day == 1  # the end of the last month


@pytest.mark.parametrize("chart", ["monthly", "spc", "run"])
def test_nan_is_a_gap_that_keeps_its_month_with_a_note(chart):
    from ttwell.calculations import spc

    dates = pd.date_range("2023-04-30", periods=12, freq="ME")
    values = np.linspace(50, 61, 12)
    note = "[c] months suppressed to protect confidentiality"
    if chart == "monthly":
        values[[5, 11]] = np.nan
        data = pd.DataFrame({"month": dates, "value": values, "suppressed": [i in (5, 11) for i in range(12)]})
        fig = charts.monthly_chart(data, date_col="month", value_col="value", title="t", ylabel="y", note=note)
    elif chart == "spc":
        result = xmr_points(values, start="2023-04-30")
        points = result.points.copy()
        points.loc[points.index[[5, 11]], "value"] = np.nan
        fig = charts.spc_chart(points, result.summary, title="t", ylabel="y", note=note)
    else:
        result = spc.run_chart(pd.DataFrame({"date": dates, "value": values}), date="date", value="value")
        points = result.points.copy()
        points.loc[points.index[[5, 11]], "value"] = np.nan
        fig = charts.run_chart(points, result.parts, title="t", ylabel="y", note=note)
    ax = fig.axes[0]
    (line,) = [line for line in ax.get_lines() if line.get_gid() == charts.SERIES_GID]
    x = mdates.num2date(mdates.date2num(np.asarray(line.get_xdata())))
    y = np.asarray(line.get_ydata(), dtype=float)
    assert len(y) == 12 and np.isnan(y[5]) and np.isnan(y[11])  # the months stay, as gaps
    assert [(d.year, d.month) for d in x][5] == (2023, 9)
    right = mdates.num2date(ax.get_xlim()[1])
    assert (right.year, right.month) == (2024, 4)  # a suppressed last month keeps the axis to March 2024
    assert any(note in t.get_text() for t in fig.texts)
    assert charts.check_figure(fig) == []


def test_months_missing_from_the_table_are_gaps_too():
    months = pd.date_range("2023-04-01", periods=12, freq="MS").delete(4)
    data = pd.DataFrame({"month": months, "value": np.arange(11.0)})
    fig = charts.monthly_chart(data, date_col="month", value_col="value", title="t", ylabel="y")
    (line,) = series_lines(fig)
    y = np.asarray(line.get_ydata(), dtype=float)
    assert len(y) == 12 and np.isnan(y[4])


def test_negative_lower_limit_on_a_count_is_drawn_at_zero_with_a_note():
    result = xmr_points([2.0, 1, 4, 0, 3, 1, 2, 4, 1, 2, 3, 1])
    assert result.points["lpl"].min() < 0
    fig = charts.spc_chart(result.points, result.summary, title="Joiners", ylabel="count")
    ax = fig.axes[0]
    limit_lines = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert min(np.nanmin(np.asarray(line.get_ydata(), dtype=float)) for line in limit_lines) == 0
    assert "Lower limit 0.0" in texts(fig)
    assert any("below zero" in t.get_text() and "drawn at zero" in t.get_text() for t in fig.texts)
    # A measure that can be negative keeps its limit (floor_at_zero=False).
    fig = charts.spc_chart(result.points, result.summary, title="Change", ylabel="y", floor_at_zero=False)
    assert not any("below zero" in t.get_text() for t in fig.texts)


def test_bar_chart_puts_each_scale_on_its_own_axis():
    data = pd.DataFrame({"label": ["Joy (0-4)", "Recommend (0-10)", "Joy again (0-4)"], "mean": [2.3, 6.2, 2.0],
                         "scale_min": [0, 0, 0], "scale_max": [4, 10, 4]})
    fig = charts.bar_chart(data, category_col="label", value_col="mean", title="t", xlabel="Average score")
    assert len(fig.axes) == 2
    labels = sorted(ax.get_xlabel() for ax in fig.axes)
    assert labels == ["Average score (scale 0 to 10)", "Average score (scale 0 to 4)"]
    for ax in fig.axes:
        bars = [p for p in ax.patches if p.get_gid() == charts.SERIES_GID]
        top = 10 if "10" in ax.get_xlabel() else 4
        assert all(b.get_width() <= top for b in bars) and ax.get_xlim()[1] >= top


def test_spc_points_use_the_accessible_mdc_tones_and_shapes():
    result = xmr_points([5.0, 6] * 6 + [12.0] * 7)  # a shift: special-cause points as well as common cause
    fig = charts.spc_chart(result.points, result.summary, title="t", ylabel="y")
    ax = fig.axes[0]
    colours = {to_rgb(c) for coll in ax.collections for c in coll.get_facecolors()[:, :3]}
    assert to_rgb(charts.MDC_COMMON_CAUSE) not in colours
    assert all(contrast_with_white(tuple(c)) >= 3.0 for c in colours)
    assert len({coll.get_paths()[0].vertices.tobytes() for coll in ax.collections}) == len(ax.collections)


# --- the shipped synthetic data, drawn as the notebooks draw it ------------------------------------------------

def shipped_charts():
    """The baseline SPC and rolling 12-month charts and the PDSA charts, built from data/synthetic."""
    from ttwell import disclosure
    from ttwell.inputs import io
    from ttwell.presentation import sections
    from ttwell.calculations import workforce
    from ttwell.inputs import params as ttwell_params

    p = ttwell_params.load_params(None, "baseline")
    start, end = (parse_date(p[k], k) for k in ("baseline_start", "baseline_end"))
    data = io.load_workforce(ttwell_params.input_paths(p))
    monthly = disclosure.disclose_indicators(workforce.monthly_indicators(data), audience=p["audience"],
                                             threshold=p["disclosure_threshold"]).table
    service = monthly[monthly["level"] == "service"].copy()
    service["date"] = service["month"].dt.end_time.dt.normalize()  # month-end dates, as the notebooks use
    service["month_start"] = service["month"].dt.start_time
    figures = {}
    spc_charts = sections.indicator_spc(service, ["sickness_absence_rate_month", "joiners"],
                                        baseline_start=start, baseline_end=end)
    for indicator, chart in spc_charts.items():
        percent = workforce.INDICATORS[indicator][1] == "proportion"
        figures[indicator] = (charts.spc_chart(chart.points, chart.summary, title=workforce.INDICATORS[indicator][0],
                                               ylabel="%" if percent else "count", percent=percent), chart.points)
    rolling = service[service["indicator"] == "sickness_absence_rate_12m"]
    figures["rolling"] = (charts.monthly_chart(rolling, date_col="month_start", value_col="value", title="Rolling",
                                               ylabel="%", percent=True, baseline_start=start, baseline_end=end,
                                               baseline_value=0.05), rolling)

    q = ttwell_params.load_params(None, "pdsa_review")
    measures, _ = io.read_table(q["measures_file"], "pdsa_measures")
    log, _ = io.read_pdsa_log(q["pdsa_log_file"])
    measure_id = sorted(measures["measure_id"].unique())[0]
    section = sections.pdsa_measure(measures, log, measure_id, direction="increase", target=q["targets"].get(measure_id),
                                    policy=disclosure.Policy.from_params(q))
    figures["pdsa_run"] = (charts.run_chart(section.runs.points, section.runs.parts, title="Joy: run chart",
                                            ylabel="%", cycles=section.cycles), section.runs.points)
    figures["pdsa_spc"] = (charts.spc_chart(section.spc.points, section.spc.summary, title="Joy: XmR chart",
                                            ylabel="%", target=q["targets"].get(measure_id), cycles=section.cycles),
                           section.spc.points)
    return figures


def test_shipped_data_charts_pass_every_check():
    figures = shipped_charts()
    for name, (fig, _) in figures.items():
        assert charts.check_figure(fig) == [], name
        ax = fig.axes[0]
        # One point per month, each inside its own month: the first point in the month of the first date.
        lines = [line for line in ax.get_lines() if line.get_gid() == charts.SERIES_GID]
        first_x = min(np.nanmin(mdates.date2num(np.asarray(line.get_xdata()))) for line in lines)
        left = mdates.num2date(ax.get_xlim()[0])
        assert 0 < first_x - ax.get_xlim()[0] < 31, name  # the axis starts in the first month with data
        assert left.day == 1, name
    joiners = figures["joiners"][0]
    assert any("drawn at zero" in t.get_text() for t in joiners.texts)


def test_weekly_series_keep_their_dates_and_pass_the_checks():
    from ttwell.calculations import spc

    dates = pd.date_range("2024-01-07", periods=30, freq="W")
    values = np.r_[np.linspace(10, 14, 15), [np.nan], np.linspace(14, 12, 14)]
    result = spc.xmr(pd.DataFrame({"date": dates, "value": np.nan_to_num(values, nan=12.0)}),
                     date="date", value="value")
    points = result.points.copy()
    points.loc[points.index[15], "value"] = np.nan
    fig = charts.spc_chart(points, result.summary, title="Weekly measure", ylabel="y", floor_at_zero=False)
    ax = fig.axes[0]
    (line,) = [line for line in ax.get_lines() if line.get_gid() == charts.SERIES_GID]
    x = pd.to_datetime(mdates.num2date(mdates.date2num(np.asarray(line.get_xdata())))).tz_localize(None)
    assert list(x) == list(dates)  # weekly dates are not moved to mid-month
    assert np.isnan(np.asarray(line.get_ydata(), dtype=float)[15])
    assert charts.check_figure(fig) == []


def test_a_cycle_that_began_before_the_data_is_labelled_inside_the_chart():
    result = xmr_points(list(np.linspace(50, 60, 12)), start="2023-04-30")
    cycles = pd.DataFrame({"label": ["Earlier cycle"], "start": [pd.Timestamp("2022-06-01")],
                           "end": [pd.Timestamp("2023-06-30")]})
    fig = charts.spc_chart(result.points, result.summary, title="t", ylabel="y", cycles=cycles)
    ax = fig.axes[0]
    label = next(t for t in ax.texts if t.get_text() == "Earlier cycle")
    assert label.get_window_extent().x0 >= ax.bbox.x0
    assert charts.check_figure(fig) == []
