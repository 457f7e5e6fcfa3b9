"""ttwell.presentation.charts.funnel: units named, overall line and limits labelled, percent axis, readable."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ttwell.calculations.funnel import funnel
from ttwell.presentation import charts


def _funnel():
    table = pd.DataFrame({"group": ["North PWP team", "South PWP team", "Central Access and Admin team",
                                    "North High Intensity team"],
                          "numerator": [31, 26, 19, 36], "denominator": [36, 34, 20, 40]})
    f = funnel(table, target=153 / 175, overdispersion=False)
    units = f.units.rename(columns={"group": "label"})
    return f, units, f.curves_over(units["denominator"])


def test_funnel_chart_names_every_unit_and_labels_the_overall_line_and_limits():
    f, units, curves = _funnel()
    fig = charts.funnel_chart(units, curves, target=f.target, title="Stability index by team",
                              xlabel="Staff in post at the start of the year", ylabel="Share still in post",
                              percent=True, note="Limits: exact binomial limits.")
    ax = fig.axes[0]
    texts = [t.get_text().replace("\n", " ") for t in ax.texts]  # long names wrap onto two lines
    assert {"North PWP team", "South PWP team", "Central Access and Admin team",
            "North High Intensity team"} <= set(texts)
    assert "Service overall 87.4%" in texts  # 153/175, as a percentage, never 0.874 or 87.4 without %
    assert {"99.8% upper limit", "95% upper limit", "95% lower limit", "99.8% lower limit"} <= set(texts)
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all(t.endswith("%") for t in ticks) and max(float(t[:-1]) for t in ticks) <= 110
    assert charts.check_figure(fig) == []
    plt.close(fig)


def test_points_outside_the_99_8_limits_are_marked_by_shape_as_well_as_colour():
    f, units, curves = _funnel()
    units.loc[0, "position"] = "Below 99.8% limit"
    fig = charts.funnel_chart(units, curves, target=f.target, title="t", xlabel="x", ylabel="y", percent=True)
    series = [c for c in fig.axes[0].collections if c.get_gid() == charts.SERIES_GID]
    assert [len(c.get_offsets()) for c in series] == [3, 1]  # circles within, a diamond outside
    assert any("Outside the 99.8% limits" in t.get_text() for legend in fig.legends for t in legend.get_texts())
    plt.close(fig)


def test_small_multiples_of_scores_use_a_score_axis_and_one_legend():
    table = pd.DataFrame({"group": ["A team", "B team", "C team"], "mean": [4.5, 4.7, 4.2],
                          "n": [16, 29, 23], "sd": [0.9, 0.8, 1.1]})
    f = funnel(table, numerator="mean", denominator="n", kind="mean", sd="sd", overdispersion=False)
    units = f.units.rename(columns={"group": "label"})
    panel = dict(units=units, curves=f.curves_over(units["denominator"]), target=f.target, title="Autonomy",
                 xlabel="Respondents", ylabel="Mean score")
    fig = charts.funnel_small_multiples([panel, {**panel, "title": "Belonging"}], title="Needs at work")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 2 and visible[0].get_title(loc="left") == f"Autonomy: service overall {f.target:.2f}"
    fig.canvas.draw()
    assert not any("%" in t.get_text() for t in visible[0].get_yticklabels())
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"Service overall", "95% limits", "99.8% limits"} <= set(labels)
    assert charts.check_figure(fig) == []
    plt.close(fig)
