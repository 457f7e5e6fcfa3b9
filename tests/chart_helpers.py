"""Shared helpers for the chart tests (tests/test_charts_*.py): test data and ways to find what a chart drew."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb

from ttwell.presentation import charts


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



def two_teams_monthly() -> pd.DataFrame:
    """Twelve months from April 2023 for two teams, North and South, as proportions."""
    months = pd.date_range("2023-04-01", periods=12, freq="MS")
    return pd.DataFrame({
        "month": list(months) * 2,
        "team": ["North"] * 12 + ["South"] * 12,
        "value": np.r_[np.linspace(0.03, 0.05, 12), np.linspace(0.04, 0.06, 12)],
    })


def xmr_points(values, start="2023-01-31", **kwargs):
    from ttwell.calculations import spc

    dates = pd.date_range(start, periods=len(values), freq="ME")
    return spc.xmr(pd.DataFrame({"date": dates, "value": values}), date="date", value="value", **kwargs)

