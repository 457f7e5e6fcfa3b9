"""Line charts over time: a monthly indicator (one line per group, baseline marked) and an interrupted time
series (observed, fitted model and counterfactual)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ttwell.presentation.report import suppressed_flags
from ttwell.presentation.charts.layout import (
    _add_note,
    _format_value,
    _label_periods,
    _layout,
    _PercentTicks,
    _right_labels,
)
from ttwell.presentation.charts.style import (
    FIGSIZE,
    MARKERS,
    NHS_BLUE,
    NHS_DARK_GREY,
    NHS_DARK_PINK,
    NHS_PALE_GREY,
    PALETTE,
    SERIES_GID,
)
from ttwell.presentation.charts.time_axis import _time_axis, _time_positions, _to_dates, _with_gaps


def monthly_chart(
    data: pd.DataFrame,
    *,
    date_col: str,
    value_col: str,
    title: str,
    ylabel: str,
    percent: bool = False,
    baseline_start=None,
    baseline_end=None,
    baseline_value: float | None = None,
    group_col: str | None = None,
    note: str | None = None,
) -> Figure:
    """Line chart of a monthly series, optionally one line per group, with the baseline marked.

    Months whose value is NaN (suppressed or missing), and months missing from the table, are left as gaps:
    the month keeps its place on the axis, the line is broken there and no marker is drawn. Months with no
    value at the start or end that are not flagged ``suppressed`` (the first 11 months of a rolling 12-month
    measure) are left off, so the axis spans the data. Each month is drawn in the middle of its own month
    (a month-end date such as 30/04/2023 sits on "Apr 2023"). Pass the table returned by disclosure control,
    never the raw aggregate.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per month (and group).
    date_col : str
        Column of month dates (datetimes, or text as ``yyyy-mm-dd`` or ``dd/mm/yyyy``); labelled like "Apr 2023".
    value_col : str
        Column of values to plot. Proportions (0-1) when ``percent`` is true.
    title, ylabel : str
        Chart title (left aligned, above the chart) and y-axis label.
    percent : bool, default False
        Format the y axis and the baseline label as percentages.
    baseline_start, baseline_end : date, datetime or str (``yyyy-mm-dd`` or ``dd/mm/yyyy``), optional
        First and last month of the baseline period; the period is shaded and labelled "Baseline period".
    baseline_value : float, optional
        Draws a dashed horizontal line labelled, for example, "Baseline: 4.3%".
    group_col : str, optional
        One line per group, each with its own colour and marker and a label at its right-hand end.
    note : str, optional
        A note printed under the chart, for example ``"[c] months suppressed to protect confidentiality"``.

    Returns
    -------
    matplotlib.figure.Figure
        Show it with :func:`show`. Data lines carry ``gid == SERIES_GID``.

    Examples
    --------
    >>> fig = monthly_chart(rates, date_col="month", value_col="value", title="Sickness absence rate",
    ...                     ylabel="Rate", percent=True, baseline_start="2023-04-01",
    ...                     baseline_end="2024-03-01", baseline_value=0.043)  # doctest: +SKIP
    """
    for column in (date_col, value_col, group_col):
        if column is not None and column not in data.columns:
            raise ValueError(f"monthly_chart: column '{column}' is not in the table (columns: {list(data.columns)})")

    frame = data.copy()
    frame[date_col] = _to_dates(frame[date_col])
    frame[value_col] = pd.to_numeric(frame[value_col], errors="coerce").astype(float)
    frame = _trim_uncomputed_ends(frame, date_col, value_col)
    x, monthly = _time_positions(frame[date_col])
    frame["_x"] = x.to_numpy()

    fig, ax = plt.subplots(figsize=FIGSIZE)

    if group_col is None:
        groups = [(None, frame)]
    else:
        groups = [(name, part) for name, part in frame.groupby(group_col, sort=True, dropna=False)]

    right: list[tuple[str, float, str]] = []
    for i, (name, part) in enumerate(groups):
        colour = PALETTE[i % len(PALETTE)]
        marker = MARKERS[i % len(MARKERS)]
        # Plot with matplotlib rather than seaborn.lineplot: seaborn drops NaN rows and joins across them,
        # which would draw through suppressed months. Missing months are put back as NaN for the same reason.
        xs, ys = _with_gaps(part["_x"], part[value_col], monthly)
        (line,) = ax.plot(xs, ys, color=colour, marker=marker,
                          label="_nolegend_" if name is None else str(name))
        line.set_gid(SERIES_GID)
        if name is not None:
            finite = part.dropna(subset=[value_col]).sort_values("_x")
            if not finite.empty:
                right.append((str(name), float(finite[value_col].iloc[-1]), colour, True))

    periods = []
    if baseline_start is not None and baseline_end is not None:
        # Whole months: from the first day of the first baseline month to the end of the last one.
        start = pd.Timestamp(_to_dates(baseline_start)).to_period("M").to_timestamp()
        end = pd.Timestamp(_to_dates(baseline_end)).to_period("M").to_timestamp() + pd.offsets.MonthBegin(1)
        ax.axvspan(start, end, color=NHS_PALE_GREY, alpha=0.8, zorder=0, linewidth=0)
        periods.append(("Baseline period", start))

    if baseline_value is not None and not pd.isna(baseline_value):
        line = ax.axhline(baseline_value, color=NHS_DARK_GREY, linestyle="--", linewidth=1.2, zorder=1)
        right.append((f"Baseline: {_format_value(baseline_value, percent)}", float(baseline_value), NHS_DARK_GREY))

    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("Month" if monthly else "Date")
    if percent:
        ax.yaxis.set_major_formatter(_PercentTicks())

    dates = frame["_x"].dropna()
    if not dates.empty:
        _time_axis(ax, dates.min(), dates.max(), monthly)
    _label_periods(ax, periods)
    _right_labels(ax, right)
    _add_note(fig, note)
    _layout(fig)
    return fig


def _trim_uncomputed_ends(frame: pd.DataFrame, date_col: str, value_col: str) -> pd.DataFrame:
    """Drop months at either end that have no value and were not suppressed (for example the first 11 months
    of a rolling 12-month measure, which cannot be worked out yet), so the axis spans the data.

    Suppressed months (``suppressed`` column true) are kept, so they stay on the axis as gaps.
    """
    flagged = suppressed_flags(frame["suppressed"]) if "suppressed" in frame else pd.Series(False, index=frame.index)
    keep = frame[value_col].notna() | flagged
    kept_dates = frame.loc[keep, date_col]
    if kept_dates.empty:
        return frame
    return frame[(frame[date_col] >= kept_dates.min()) & (frame[date_col] <= kept_dates.max())]


def its_chart(fitted: pd.DataFrame, *, start, title: str, ylabel: str, percent: bool = False,
              observed_col: str = "observed", fitted_col: str = "fitted",
              counterfactual_col: str = "counterfactual", note: str | None = None) -> Figure:
    """Interrupted time series: observed points, the fitted model and the counterfactual (no strategy) line.

    Monthly points are drawn in the middle of their own month; the strategy period is shaded from the start
    date and labelled above the plot; the legend and ``note`` sit under the chart. A NaN observation is a gap.

    Examples
    --------
    >>> result = ttwell.calculations.impact.its(monthly, date="date", value="rate", start="2024-04-01")  # doctest: +SKIP
    >>> fig = its_chart(result.fitted, start="2024-04-01", title="Vacancy rate", ylabel="%")   # doctest: +SKIP
    """
    fig, ax = plt.subplots(figsize=FIGSIZE)
    frame = fitted.copy()
    positions, monthly = _time_positions(frame["date"])
    frame["_x"] = positions.to_numpy()  # by position: the table's own index may not be 0..n-1
    frame = frame.sort_values("_x").reset_index(drop=True)
    scale = 100.0 if percent else 1.0
    start = pd.Timestamp(_to_dates(start))
    end = frame["_x"].max() + (pd.Timedelta(days=16) if monthly else pd.Timedelta(0))
    after = frame["_x"] >= (start.to_period("M").to_timestamp() if monthly else start)
    ax.axvspan(start, end, color=NHS_PALE_GREY, alpha=0.6, zorder=0, linewidth=0)
    points = ax.scatter(frame["_x"], frame[observed_col] * scale, s=18, color=NHS_DARK_GREY, zorder=3,
                        label="Observed")
    points.set_gid(SERIES_GID)
    xs, ys = _with_gaps(frame["_x"], frame[fitted_col] * scale, monthly)
    fitted_line, = ax.plot(xs, ys, color=NHS_BLUE, linewidth=1.8, zorder=2, label="Fitted model")
    counter, = ax.plot(frame.loc[after, "_x"], frame.loc[after, counterfactual_col] * scale, color=NHS_DARK_PINK,
                       linewidth=1.5, linestyle="--", zorder=2, label="Without the strategy (counterfactual)")
    ax.set_title(title, loc="left", fontweight="bold")
    ax.set_ylabel(ylabel)
    dates = frame["_x"].dropna()
    if not dates.empty:
        _time_axis(ax, dates.min(), dates.max(), monthly)
    _label_periods(ax, [("Strategy in place", start)])
    _add_note(fig, note)
    _layout(fig, legend_handles=[points, fitted_line, counter])
    return fig
