"""Tests for ttwell.presentation.charts.spc: XmR charts (limits floored at zero, accessible point tones), small
multiples and PDSA cycle labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
from chart_helpers import contrast_with_white, texts, xmr_points
from matplotlib.colors import to_rgb

from ttwell.presentation import charts


def test_spc_small_multiples_one_panel_per_facet():
    from ttwell.calculations import spc

    dates = pd.date_range("2023-01-31", periods=15, freq="ME")
    data = pd.concat([pd.DataFrame({"team": team, "date": dates, "value": [10, 12] * 7 + [11]}) for team in "ABC"])
    result = spc.xmr(data, date="date", value="value", facet="team")
    fig = charts.spc_small_multiples(result.points, result.summary, title="By team", ylabel="%")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3 and len(fig.axes) == 4  # a 2 x 2 grid with the spare panel hidden
    assert [ax.get_title(loc="left").split("\n")[0] for ax in visible] == ["A", "B", "C"]


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


def test_spc_points_use_the_accessible_mdc_tones_and_shapes():
    result = xmr_points([5.0, 6] * 6 + [12.0] * 7)  # a shift: special-cause points as well as common cause
    fig = charts.spc_chart(result.points, result.summary, title="t", ylabel="y")
    ax = fig.axes[0]
    colours = {to_rgb(c) for coll in ax.collections for c in coll.get_facecolors()[:, :3]}
    assert to_rgb(charts.MDC_COMMON_CAUSE) not in colours
    assert all(contrast_with_white(tuple(c)) >= 3.0 for c in colours)
    assert len({coll.get_paths()[0].vertices.tobytes() for coll in ax.collections}) == len(ax.collections)


def test_a_cycle_that_began_before_the_data_is_labelled_inside_the_chart():
    result = xmr_points(list(np.linspace(50, 60, 12)), start="2023-04-30")
    cycles = pd.DataFrame({"label": ["Earlier cycle"], "start": [pd.Timestamp("2022-06-01")],
                           "end": [pd.Timestamp("2023-06-30")]})
    fig = charts.spc_chart(result.points, result.summary, title="t", ylabel="y", cycles=cycles)
    ax = fig.axes[0]
    label = next(t for t in ax.texts if t.get_text() == "Earlier cycle")
    assert label.get_window_extent().x0 >= ax.bbox.x0
    assert charts.check_figure(fig) == []

