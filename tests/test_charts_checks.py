"""Tests for ttwell.presentation.charts.checks: check_figure finds planted problems, and every chart type (and
the shipped synthetic data, drawn as the notebooks draw them) passes it."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from chart_helpers import xmr_points

from ttwell.inputs.dates import parse_date
from ttwell.presentation import charts


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



# --- every chart type passes the checks ------------------------------------------------------------------------

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

