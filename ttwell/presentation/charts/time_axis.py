"""Time on the x axis: reading dates, monthly positions (mid-month), gaps for missing months, month tick labels.

A month's value is drawn in the middle of its own month; a month with no value keeps its place as a gap; the
axis spans exactly the data. Non-monthly series (weekly, daily) keep their own dates.
"""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter

from ttwell.inputs.dates import parse_dates

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _to_dates(values):
    """Dates from datetimes or text; text is read by :func:`ttwell.inputs.dates.parse_dates` (the one home for
    reading dates), so ``dd/mm/yyyy`` and ``yyyy-mm-dd`` are accepted and nothing is read month-first.

    Blank values stay NaT (they are drawn as gaps); text that is not a date raises ValueError.
    """
    scalar = not isinstance(values, pd.Series)
    series = pd.Series([values]) if scalar else values
    if pd.api.types.is_datetime64_any_dtype(series):
        parsed = series
    elif not any(isinstance(v, str) for v in series):
        parsed = pd.to_datetime(series)  # date objects or Timestamps in an object column: no text to read
    else:
        parsed = parse_dates(series)
        blank = series.isna() | series.astype(str).str.strip().str.lower().isin(["", "nan", "nat", "none"])
        unread = parsed.isna() & ~blank
        if unread.any():
            raise ValueError(f"Could not read dates such as '{series[unread].iloc[0]}': "
                             "use yyyy-mm-dd or dd/mm/yyyy.")
    return parsed.iloc[0] if scalar else parsed


def _month_label(x, _pos=None) -> str:
    # English month names whatever the machine's locale, so labels and tests do not depend on Windows settings.
    when = mdates.num2date(x)
    return f"{_MONTHS[when.month - 1]} {when.year}"


def _month_interval(n_months: int, max_labels: int = 8) -> int:
    # Step in calendar-friendly multiples so that at most ``max_labels`` "Apr 2023" labels are drawn.
    for step in (1, 2, 3, 4, 6, 12):
        if math.ceil(n_months / step) <= max_labels:
            return step
    return 12 * math.ceil(n_months / (12 * max_labels))


def _is_monthly(dates: pd.Series) -> bool:
    """True when the dates are one per calendar month (month starts, month ends or any day in the month)."""
    dates = pd.Series(pd.to_datetime(dates)).dropna().drop_duplicates().sort_values()
    if dates.empty:
        return False
    months = dates.dt.to_period("M")
    if months.duplicated().any():
        return False
    if len(dates) < 2:
        return True
    return 27 <= dates.diff().dt.days.dropna().median() <= 32


def _mid_month(dates: pd.Series) -> pd.Series:
    # A month's value belongs to the whole month, so it is drawn in the middle of that month: a month-end date
    # such as 30/04/2023 is then drawn in April, between the April and May boundaries, on the "Apr 2023" tick.
    return pd.to_datetime(dates).dt.to_period("M").dt.to_timestamp() + pd.Timedelta(days=14)


def _time_positions(dates) -> tuple[pd.Series, bool]:
    dates = _to_dates(pd.Series(dates).reset_index(drop=True))
    monthly = _is_monthly(dates)
    return (_mid_month(dates) if monthly else pd.to_datetime(dates)), monthly


def _with_gaps(x: pd.Series, y, monthly: bool):
    """x and y with every missing month put back as NaN, so that the line breaks there."""
    frame = pd.DataFrame({"x": pd.to_datetime(x).to_numpy(), "y": np.asarray(y, dtype=float)}).dropna(subset=["x"])
    frame = frame.sort_values("x")
    if not monthly or frame.empty:
        return frame["x"].to_numpy(), frame["y"].to_numpy()
    full = _mid_month(pd.Series(pd.date_range(frame["x"].min().to_period("M").to_timestamp(),
                                              frame["x"].max(), freq="MS")))
    series = frame.groupby("x")["y"].last().reindex(full.to_numpy())
    return series.index.to_numpy(), series.to_numpy()


def _time_axis(ax, first, last, monthly: bool) -> None:
    """Month ticks on the data's own months, as many as fit, and an axis that spans exactly the data."""
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    # A "Sep 2025" label at 10 pt is about 0.6 in wide; leave half as much again between labels.
    max_labels = max(2, int(width_in / 0.9))
    if monthly:
        start = first.to_period("M").to_timestamp()
        n_months = (last.year - first.year) * 12 + last.month - first.month + 1
        step = _month_interval(n_months, max_labels)
        ticks = _mid_month(pd.Series(pd.date_range(start, last, freq=f"{step}MS")))
        ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(ticks)))
        ax.xaxis.set_major_formatter(FuncFormatter(_month_label))
        end = last.to_period("M").to_timestamp() + pd.offsets.MonthBegin(1)
        ax.set_xlim(start, end)
    else:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=max(3, max_labels - 2)))
        ax.xaxis.set_major_formatter(FuncFormatter(_day_label))
        pad = max((last - first) * 0.02, pd.Timedelta(days=3))
        ax.set_xlim(first - pad, last + pad)


def _day_label(x, _pos=None) -> str:
    when = mdates.num2date(x)
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"
