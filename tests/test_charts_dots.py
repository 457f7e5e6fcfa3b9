"""Tests for ttwell.presentation.charts.dots: a score beside its benchmark, and before/after dumbbells."""

from __future__ import annotations

import pandas as pd

from ttwell.presentation import charts


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



def test_dumbbell_chart_labels_both_ends_and_marks_missing_rows():
    data = pd.DataFrame({"area": ["Risk", "Supervision", "Endings"], "pre": [40.0, 61.0, None],
                         "post": [80.0, 60.0, 70.0]})
    fig = charts.dumbbell_chart(data, label_col="area", before_col="pre", after_col="post", title="t",
                                xlabel="Mean confidence (%)")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert {"40", "80", "61", "60"} <= set(labels)  # values at both ends, so colour is not needed
    assert labels.count("[c]") == 1  # a row with a missing value is marked, not drawn
    connectors = [line for line in ax.lines if line.get_gid() == charts.DECORATION_GID]
    assert len(connectors) == 2
