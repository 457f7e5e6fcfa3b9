"""Tests for ttwell.presentation.charts.display: showing a chart in a notebook as a PNG with alt text."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from chart_helpers import two_teams_monthly

from ttwell.presentation import charts


@pytest.fixture
def monthly():
    return two_teams_monthly()


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

