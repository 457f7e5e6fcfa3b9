"""Statistical process control: Making Data Count XmR charts, Anhøj run charts and p/u/c charts.

Computation only; :mod:`ttwell.presentation.charts` draws the results. Every function takes a long (tidy) DataFrame with a
date column and a value column (optionally a facet column, one chart per facet) and returns a result holding a
per-point table and a summary table. The rules follow the reference peers exactly as written down in
``spc.md``:

* :func:`xmr` -- NHS England's *Making Data Count* (MDC) XmR chart as implemented by NHSRplotthedots 0.2.2
  (``ptd_spc``): 2.66 x mean moving range limits, moving-range screening, rebase, fixed baseline, the
  astronomical-point / trend / two-in-three / shift rules, improvement direction, variation and assurance icons.
* :func:`run_chart` -- Anhøj's runs rules as in qicharts2 0.8.1 (longest run and number of crossings).
* :func:`p_chart`, :func:`u_chart`, :func:`c_chart` -- qicharts2's Shewhart charts for proportions, rates and
  counts (varying denominators), with the points beyond the limits and the Anhøj runs signal per segment.

Where ttwell deliberately departs from a peer it says so in the docstring (missing values and missing months are
refused rather than kept, degenerate zero moving ranges give a warning instead of absurd limits, facets without
a target get no assurance icon).

Example
-------
>>> import pandas as pd
>>> from ttwell import spc
>>> frame = pd.DataFrame({"month": pd.date_range("2023-04-01", periods=24, freq="MS"),
...                       "sickness_pct": [4.1, 4.3, 3.9, 4.6, 4.2, 4.4, 4.0, 4.5, 4.8, 4.7, 4.3, 4.1,
...                                        3.6, 3.5, 3.4, 3.7, 3.3, 3.5, 3.2, 3.6, 3.4, 3.1, 3.5, 3.3]})
>>> result = spc.xmr(frame, date="month", value="sickness_pct", improvement_direction="decrease")
>>> result.summary.loc[0, "variation_icon"]
'improvement_low'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from math import log2

import numpy as np
import pandas as pd

from ttwell.errors import AnalysisError, InputError, ParameterError, Problem

# --- constants (sources in spc.md) ----------------------------------------------------------------------
LIMIT_MULTIPLIER = 2.66  # 3 / d2 with d2 = 1.128, rounded as NHSRplotthedots and the MDC tools do
TWO_SIGMA_MULTIPLIER = 2 * LIMIT_MULTIPLIER / 3  # 1.77333...; the peer's "close to limits" line
MR_SCREEN_MULTIPLIER = 3.267  # Nelson (1982) upper limit of the moving range, D4 for n = 2
SHORT_SERIES_POINTS = 13  # NHSRplotthedots warns for n < 13 (ptd_spc.warning_threshold); MDC shows limits from 13
MIN_FIX_AFTER_N_POINTS = 12  # ptd_spc refuses a fixed baseline of fewer than 12 points
MIN_USEFUL_RUNS_POINTS = 10  # Anhøj's tables start at 10 useful points; fewer gives the runs rules little power

DIRECTIONS = ("increase", "decrease", "neutral")
RULES = ("outside_limits", "trend", "two_in_three", "shift", "none")
POINT_TYPES = ("common_cause", "special_cause_improvement", "special_cause_concern",
               "special_cause_neutral_high", "special_cause_neutral_low")
VARIATION_ICONS = ("common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low",
                   "neutral_high", "neutral_low")
ASSURANCE_ICONS = ("consistent_pass", "consistent_fail", "inconsistent")
TWO_SIGMA_RULES = ("ptd", "mdc_2023")
MISSING_POLICIES = ("error", "drop")
NO_FACET = "all"

POINT_COLUMNS = ["facet", "date", "value", "segment", "mean", "lpl", "upl", "rule", "side", "point_type"]


# --- results ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SPCResult:
    """The output of :func:`xmr` (and of :func:`p_chart`, :func:`u_chart`, :func:`c_chart`).

    Attributes
    ----------
    points : DataFrame
        One row per point, sorted by facet and date (columns in each function's docstring).
    summary : DataFrame
        One row per facet and segment.
    options : dict
        The options in force, to print back to the reader.
    """

    points: pd.DataFrame
    summary: pd.DataFrame
    options: dict = field(default_factory=dict)

    def icons(self) -> pd.DataFrame:
        """One row per facet: the variation and assurance icons of its latest segment (as MDC shows them).

        Columns ``facet, segment, n, variation_icon, assurance_icon, trial_limits, variation_text,
        assurance_text``; the texts say so when the segment's limits are trial limits (fewer than 13 points).
        """
        latest = self.summary[self.summary["is_latest_segment"]]
        cols = [c for c in ("facet", "segment", "n", "variation_icon", "assurance_icon", "trial_limits",
                            "variation_text", "assurance_text") if c in latest]
        out = latest[cols].reset_index(drop=True)
        out["assurance_icon"] = pd.Series(list(latest["assurance_icon"]), dtype=object)
        if "assurance_text" in out:
            out["assurance_text"] = pd.Series(list(latest["assurance_text"]), dtype=object)
        return out

    def warnings(self) -> list[str]:
        """Every warning of every segment, prefixed with its facet and segment."""
        out = []
        for row in self.summary.itertuples():
            out.extend(f"{row.facet}, segment {row.segment}: {w}" for w in row.warnings)
        return out

    def describe(self) -> list[str]:
        """The options in force as plain sentences (for the report's "About this chart" block)."""
        return [f"{key.replace('_', ' ')}: {value}" for key, value in self.options.items()]

    def summary_records(self) -> list[dict]:
        """The summary as plain Python values (ISO dates, None for NaN), ready for ``json.dumps``."""
        return _records(self.summary)


@dataclass(frozen=True)
class RunChartResult:
    """The output of :func:`run_chart`.

    Attributes
    ----------
    points : DataFrame
        One row per point: ``facet, date, value, part, baseline, median, runs_signal``.
    parts : DataFrame
        One row per facet and part: ``facet, part, start_date, end_date, n_obs, n_useful, median,
        longest_run, longest_run_max, n_crossings, n_crossings_min, signal, signal_reason, warnings``.
    options : dict
        The options in force.
    """

    points: pd.DataFrame
    parts: pd.DataFrame
    options: dict = field(default_factory=dict)

    def part_records(self) -> list[dict]:
        """The parts table as plain Python values (ISO dates, None for NaN), ready for ``json.dumps``."""
        return _records(self.parts)


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


# --- Anhøj limits -----------------------------------------------------------------------------------------

def longest_run_max(n_useful: int) -> int:
    """Largest longest run expected by chance among ``n_useful`` points (Schilling): ``round(log2 n) + 3``.

    Python's ``round`` is half-to-even like R's, and ``log2(n)`` is never exactly x.5 for an integer n, so this
    agrees with qicharts2.

    >>> longest_run_max(24)
    8
    """
    if n_useful < 1:
        raise AnalysisError("The runs rules need at least one point that is not on the centre line.")
    return round(log2(n_useful)) + 3


@cache
def n_crossings_min(n_useful: int) -> int:
    """Fewest crossings of the centre line expected by chance: ``qbinom(0.05, n_useful - 1, 0.5)``.

    The smallest k whose Binomial(n - 1, 1/2) cumulative probability is at least 0.05. Up to 5,000 points it is
    computed in exact integer arithmetic (``20 * sum(C(m, j)) >= 2**m``; 2**m is never a multiple of 5, so
    there are no ties); beyond, with ``scipy.stats.binom.ppf``.

    >>> n_crossings_min(24)
    8
    """
    if n_useful < 1:
        raise AnalysisError("The runs rules need at least one point that is not on the centre line.")
    m = n_useful - 1
    if m > 5000:
        from scipy.stats import binom

        return int(binom.ppf(0.05, m, 0.5))
    total, term, target = 0, 1, 2 ** m
    for k in range(m + 1):
        total += term  # term = C(m, k)
        if 20 * total >= target:
            return k
        term = term * (m - k) // (k + 1)
    return m  # pragma: no cover - the loop always returns by k = m


# --- input preparation -----------------------------------------------------------------------------------

def _fmt(day) -> str:
    return pd.Timestamp(day).strftime("%d/%m/%Y")


def _to_timestamp(value, name: str) -> pd.Timestamp:
    """A date parameter: a Timestamp/date, or text as dd/mm/yyyy or yyyy-mm-dd (never month-first)."""
    if isinstance(value, str):
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return pd.to_datetime(value.strip(), format=fmt)
            except ValueError:
                continue
        raise ParameterError(f"{name} must be dates as dd/mm/yyyy (for example 31/03/2024); got '{value}'.")
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be dates as dd/mm/yyyy; got {value!r}.") from None
    if pd.isna(stamp):
        raise ParameterError(f"{name} must be dates; got an empty value.")
    return stamp.tz_localize(None) if stamp.tzinfo else stamp


def _date_list(values, name: str) -> list[pd.Timestamp]:
    if values is None:
        return []
    if isinstance(values, (str, pd.Timestamp)) or not hasattr(values, "__iter__"):
        values = [values]
    return [_to_timestamp(v, name) for v in values]


def parse_dates(values: pd.Series, column: str, file: str = "data") -> pd.Series:
    """Parse a date column day-first (dd/mm/yyyy or yyyy-mm-dd text, or real dates).

    Raises :class:`InputError` listing every cell that is blank or not a date, with its spreadsheet row (the
    frame's index + 2, as :func:`ttwell.inputs.io.read_raw` keeps the file's row order).
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        out = out.astype("datetime64[s]")
    else:
        out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        is_date = values.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "year"))
        if is_date.any():
            out[is_date] = pd.to_datetime(values[is_date].map(pd.Timestamp))
        text = values.where(~is_date, "").astype(str).str.strip()
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
            todo = out.isna() & (text != "") & (text.str.lower() != "nan")
            if not todo.any():
                break
            out.loc[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        out = out.astype("datetime64[s]")
    bad = out.isna()
    if bad.any():
        problems = [Problem(file, _row(i), column, None if pd.isna(v) else str(v), "a date as dd/mm/yyyy or yyyy-mm-dd",
                            problem="not a date") for i, v in values[bad].head(20).items()]
        raise InputError(problems,
                         intro=f"{int(bad.sum())} cell(s) in '{column}' are not dates; nothing was calculated.")
    return out


def _row(index) -> int | None:
    try:
        return int(index) + 2
    except (TypeError, ValueError):
        return None


def parse_numbers(values: pd.Series, column: str, file: str = "data") -> pd.Series:
    """Numbers from a numeric or text column; blank text becomes NaN, anything else unreadable is an error."""
    if pd.api.types.is_bool_dtype(values):
        raise InputError([Problem(file, None, column, "true/false", "numbers", problem="not numeric")])
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip().str.replace(",", "", regex=False)
    out = pd.to_numeric(text.where(text != "", np.nan), errors="coerce")
    bad = out.isna() & (text != "") & (text.str.lower() != "nan")
    if bad.any():
        problems = [Problem(file, _row(i), column, str(v), "a number", problem="not a number")
                    for i, v in values[bad].head(20).items()]
        raise InputError(problems,
                         intro=f"{int(bad.sum())} cell(s) in '{column}' are not numbers; nothing was calculated.")
    return out.astype(float)


def _check_columns(data: pd.DataFrame, **columns) -> None:
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"data must be a pandas DataFrame; got a {type(data).__name__}.")
    for arg, col in columns.items():
        if col is not None and col not in data.columns:
            raise ParameterError(f"{arg}: '{col}' must be a column of the data "
                                 f"(columns: {', '.join(map(str, data.columns))}).")


def _check_choice(value, name: str, choices) -> None:
    if value not in choices:
        raise ParameterError(f"{name} must be one of {', '.join(map(str, choices))}; got '{value}'.")


@dataclass
class _Series:
    """Sorted, validated input: flat arrays plus contiguous group ids (one group per facet and segment)."""

    facet: np.ndarray            # facet label per point
    facet_code: np.ndarray       # 0..F-1, sorted
    date: np.ndarray             # datetime64[s]: second resolution spans any calendar (ns ends in 2262)
    y: np.ndarray                # float
    segment: np.ndarray          # rebase counter within the facet (0 before the first rebase date)
    group: np.ndarray            # 0..G-1, contiguous
    pos: np.ndarray              # position within the group
    group_len: np.ndarray        # length of each group
    group_start: np.ndarray      # index of each group's first point
    extra: dict                  # further columns carried through (numerator, denominator)
    notes: dict                  # facet label -> list of warnings about the input (dropped rows, gaps, rebase)
    labels: np.ndarray           # the distinct facet labels, in code order

    @property
    def n_groups(self) -> int:
        return len(self.group_len)

    def facet_column(self) -> pd.Categorical:
        # Categorical: one facet name per point as text would be slow to build and heavy for big inputs.
        return pd.Categorical.from_codes(self.facet_code, categories=pd.Index(self.labels, dtype=object))


def _facet_labels(data: pd.DataFrame, facet: str | None) -> pd.Series:
    if facet is None:
        return pd.Series(NO_FACET, index=data.index, dtype=object)
    labels = data[facet]
    if labels.isna().any() or (labels.astype(str).str.strip() == "").any():
        rows = labels.index[labels.isna() | (labels.astype(str).str.strip() == "")]
        raise InputError([Problem("data", _row(i), facet, "", "a facet name", problem="blank facet")
                          for i in rows[:20]], intro=f"{len(rows)} row(s) have no '{facet}'; nothing was calculated.")
    return labels


def _gap_notes(facet_code, date, labels) -> dict:
    """Missing periods per facet for monthly, weekly or daily series; {} when the spacing is irregular.

    NHSRplotthedots does not look for gaps (issue #138) and treats the points as consecutive, which makes a
    missing month shorten runs and trends without anyone noticing; ttwell names the gaps.
    """
    if len(date) < 2:
        return {}
    same = facet_code[1:] == facet_code[:-1]
    index = pd.DatetimeIndex(date)
    days = (np.diff(date) / np.timedelta64(1, "D"))[same]
    months = index.year.values * 12 + index.month.values
    month_step = np.diff(months)[same]
    codes = facet_code[1:][same]
    out: dict = {}
    if not len(days):
        return out
    at = np.nonzero(same)[0] + 1
    # A facet is monthly when every date has the same day of the month (or is a month end) and no two share a
    # month; daily or weekly when the smallest spacing is 1 or 7 days and every spacing is a multiple of it.
    day_of_month = np.where(index.is_month_end, 99, index.day.values)
    per_point = pd.DataFrame({"code": facet_code, "dom": day_of_month}).groupby("code", sort=False)["dom"]
    one_day = (per_point.min() == per_point.max())
    per_step = pd.DataFrame({"code": codes, "days": days, "month_step": month_step}).groupby("code", sort=False)
    smallest = per_step["days"].min()
    monthly = one_day.reindex(smallest.index) & (per_step["month_step"].min() >= 1)
    off_grid = np.mod(days, smallest.reindex(codes).to_numpy()) != 0
    regular = ~pd.Series(off_grid).groupby(codes, sort=False).any().reindex(smallest.index)
    step = pd.Series(np.where(monthly, 0.0, smallest), index=smallest.index)  # 0 marks a monthly facet
    step = step[monthly | (step.isin([1.0, 7.0]) & regular)]
    if step.empty:
        return out
    facet_step = step.reindex(codes).to_numpy()  # NaN where the spacing is irregular: no check
    is_monthly = facet_step == 0
    gap = np.where(is_monthly, month_step > 1, days > np.where(np.isnan(facet_step), np.inf, facet_step))
    found = np.nonzero(gap)[0]
    for i in found[:200]:  # enough to find them; a series with more gaps than this is not a monthly series
        if is_monthly[i]:
            count, unit = int(month_step[i] - 1), "month"
        else:
            count, unit = round(days[i] / facet_step[i] - 1), "day" if facet_step[i] == 1 else "week"
        j = at[i]
        out.setdefault(labels[codes[i]], []).append(
            f"{count} {unit}(s) missing between {_fmt(date[j - 1])} and {_fmt(date[j])}")
    if len(found) > 200:
        out.setdefault(labels[codes[found[200]]], []).append(f"... and {len(found) - 200} more gaps")
    return out


def _prepare(data: pd.DataFrame, *, date: str, value: str | None, facet: str | None, missing: str,
             rebase=(), extra: dict | None = None, value_required: bool = True) -> _Series:
    """Validate, sort and segment the input. ``rebase`` is a list of dates or a dict facet -> dates."""
    _check_columns(data, date=date, value=value, facet=facet, **(extra or {}))
    _check_choice(missing, "missing", MISSING_POLICIES)
    if len(data) == 0:
        raise AnalysisError("The data have no rows; an SPC chart needs at least two points.")
    dates = parse_dates(data[date], date)
    labels = _facet_labels(data, facet)
    numbers = {name: parse_numbers(data[col], col) for name, col in (extra or {}).items()}
    y = parse_numbers(data[value], value) if value is not None else None
    notes: dict = {}

    # Missing values: NHSRplotthedots keeps them as rows (issue #156); ttwell refuses, or drops and says so.
    wanted = [s for s in ([y] if y is not None else []) + list(numbers.values())]
    blank = np.zeros(len(data), dtype=bool)
    for s in wanted:
        blank |= ~np.isfinite(s.to_numpy(dtype=float))
    if blank.any():
        if missing == "error":
            cols = [c for c in ([value] if value is not None else []) + list((extra or {}).values())]
            rows = data.index[blank]
            problems = [Problem("data", _row(i), ", ".join(cols), "", "a number", problem="missing value")
                        for i in rows[:20]]
            raise InputError(problems, intro=(
                f"{int(blank.sum())} row(s) have no value in '{', '.join(cols)}'. Fill them in, remove the rows, "
                "or ask for missing='drop' (the points are then dropped and the report says so)."))
        for lab, count in pd.Series(labels[blank]).value_counts(sort=False).items():
            notes.setdefault(lab, []).append(f"{count} row(s) with a missing value were dropped.")
        keep = ~blank
        dates, labels = dates[keep], labels[keep]
        y = y[keep] if y is not None else None
        numbers = {k: v[keep] for k, v in numbers.items()}
        if not len(dates):
            raise AnalysisError("Every row has a missing value; nothing to chart.")

    codes, uniques = pd.factorize(labels, sort=True)
    date_ns = dates.to_numpy(dtype="datetime64[s]")
    order = np.lexsort((date_ns, codes))
    codes, date_ns = codes[order], date_ns[order]
    dup = (codes[1:] == codes[:-1]) & (date_ns[1:] == date_ns[:-1])
    if dup.any():
        first = np.nonzero(dup)[0][:5]
        where = "; ".join(f"{uniques[codes[i]]} on {_fmt(date_ns[i])}" if facet else _fmt(date_ns[i]) for i in first)
        raise AnalysisError(f"duplicate rows found in '{date}': {int(dup.sum())} date(s) appear twice ({where}). "
                            "Give one row per date" + (" per facet" if facet else "") + ".")
    yv = y.to_numpy(dtype=float)[order] if y is not None else np.full(len(order), np.nan)
    extra_arrays = {k: v.to_numpy(dtype=float)[order] for k, v in numbers.items()}
    label_arr = np.asarray(uniques, dtype=object)

    gaps = _gap_notes(codes, date_ns, label_arr)
    if gaps:
        if missing == "error":
            lines = [f"{lab}: {w}" if facet else w for lab, ws in gaps.items() for w in ws]
            raise AnalysisError(
                "The series has missing periods, which would silently shorten runs and trends: "
                + "; ".join(lines[:10]) + (" ..." if len(lines) > 10 else "")
                + ". Add the missing rows, or ask for missing='drop' to analyse the points as consecutive.")
        for lab, ws in gaps.items():
            notes.setdefault(lab, []).extend(f"Gap in the series: {w}; points analysed as consecutive." for w in ws)

    flag = _rebase_flags(rebase, codes, date_ns, label_arr, notes, facet)
    n = len(order)
    facet_start = np.ones(n, dtype=bool)
    facet_start[1:] = codes[1:] != codes[:-1]
    new_group = facet_start | flag
    group = np.cumsum(new_group) - 1
    group_start = np.nonzero(new_group)[0]
    group_len = np.diff(np.append(group_start, n))
    pos = np.arange(n) - group_start[group]
    flag_cum = np.cumsum(flag)
    at_facet_start = np.nonzero(facet_start)[0]
    base = (flag_cum[at_facet_start] - flag[at_facet_start])[np.cumsum(facet_start) - 1]
    segment = flag_cum - base
    return _Series(facet=label_arr[codes], facet_code=codes, date=date_ns, y=yv, segment=segment, group=group,
                   pos=pos, group_len=group_len, group_start=group_start, extra=extra_arrays, notes=notes,
                   labels=label_arr)


def _rebase_flags(rebase, codes, date_ns, label_arr, notes, facet) -> np.ndarray:
    """True on each row whose date is exactly a rebase date of its facet (that point starts a new segment)."""
    flag = np.zeros(len(codes), dtype=bool)
    if rebase is None or (not isinstance(rebase, dict) and len(_date_list(rebase, "rebase")) == 0):
        return flag
    if isinstance(rebase, dict):
        per_facet = {key: _date_list(v, f"rebase['{key}']") for key, v in rebase.items()}
        unknown = [k for k in per_facet if k not in set(label_arr)]
        if unknown:
            raise ParameterError(f"rebase names facet(s) not in the data: {', '.join(map(str, unknown))}.")
    else:
        dates = _date_list(rebase, "rebase")
        per_facet = {lab: dates for lab in label_arr}
    lookup = {lab: i for i, lab in enumerate(label_arr)}
    for lab, dates in per_facet.items():
        if not dates:
            continue
        code = lookup[lab]
        wanted = np.array(dates, dtype="datetime64[s]")
        rows = codes == code
        hit = rows & np.isin(date_ns, wanted)
        flag |= hit
        # ptd_spc silently ignores a rebase date that is not in the data; ttwell keeps going but says so.
        absent = [d for d in dates if not np.any(date_ns[rows] == np.datetime64(d, "s"))]
        for d in absent:
            notes.setdefault(lab, []).append(
                f"Rebase date {_fmt(d)} is not a date in the data" + (f" for '{lab}'" if facet else "")
                + "; it was ignored (a rebase date must be exactly the date of the first point of the new segment).")
    return flag


# --- group helpers ----------------------------------------------------------------------------------------

def _group_sum(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    return np.bincount(group, weights=values, minlength=n_groups)


def _group_mean(values: np.ndarray, mask: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean of ``values[mask]`` per group; NaN where a group has no such value."""
    total = _group_sum(np.where(mask, values, 0.0), group, n_groups)
    count = np.bincount(group, weights=mask.astype(float), minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)


def _run_lengths(key: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Length of the run of equal ``key`` values each point belongs to; runs never cross a group start."""
    start = np.ones(len(key), dtype=bool)
    start[1:] = key[1:] != key[:-1]
    start |= pos == 0
    run_id = np.cumsum(start) - 1
    return np.bincount(run_id)[run_id]


def _next_in_group(values: np.ndarray, pos: np.ndarray, group_len: np.ndarray, group: np.ndarray, fill):
    out = np.full_like(values, fill)
    has_next = pos < group_len[group] - 1
    out[:-1][has_next[:-1]] = values[1:][has_next[:-1]]
    return out


# --- XmR (Making Data Count) ---------------------------------------------------------------------------

def _xmr_rules(s: _Series, mean, upl, lpl, two_up, two_low, run_length: int, two_sigma_rule: str) -> dict:
    """Per-point flags of the four MDC rules, vectorised over all groups at once (spc.md 2.4)."""
    y, pos, group = s.y, s.pos, s.group
    limits_known = np.isfinite(upl)
    outside = limits_known & ((y > upl) | (y < lpl))
    rel = np.sign(y - mean).astype(np.int8)
    beyond_two = limits_known & ((y > two_up) | (y < two_low))
    # ptd 0.2.2: strictly between the 2- and 3-sigma lines. MDC 2023 (issue #194): any point beyond 2 sigma.
    close = beyond_two & ~outside if two_sigma_rule == "ptd" else beyond_two

    # Shift: run_length or more consecutive points with the same non-zero sign; a point on the mean (sign 0)
    # is its own run and so breaks it. Every point of a long enough run is "part of" it.
    shift = (rel != 0) & (_run_lengths(rel, pos) >= run_length)

    # Trend: run_length points need run_length - 1 consecutive differences of one sign; a tie (0) breaks it.
    diff = np.zeros(len(y), dtype=np.int8)
    diff[1:] = np.sign(y[1:] - y[:-1])
    diff[pos == 0] = 0
    long_diff = (diff != 0) & (_run_lengths(diff, pos) >= run_length - 1)
    # A difference at i joins points i-1 and i: a point is in a trend when the difference on either side is.
    trend = long_diff.copy()
    trend[:-1] |= long_diff[1:]  # long_diff is False at a group's first point, so this never crosses groups

    # Two of three: windows {k, k+1, k+2} inside one group with >= 2 close points all on one side (|sum| = 3);
    # a point is flagged only when it is itself close (the third point of the window is not).
    n = len(y)
    q = np.zeros(n, dtype=bool)
    if n >= 3:
        same = pos[:-2] <= s.group_len[group[:-2]] - 3
        c = close.astype(np.int8)
        q[:-2] = same & (c[:-2] + c[1:-1] + c[2:] >= 2) & (np.abs(rel[:-2].astype(int) + rel[1:-1] + rel[2:]) == 3)
    in_window = q.copy()
    in_window[1:] |= q[:-1]
    in_window[2:] |= q[:-2]
    two_in_three = close & in_window

    # Trend direction for the label (spc.md 2.4): the difference to the next point when the next point is also
    # in a trend, else the difference from the previous point. ttwell departs from ptd_spc in one corner: when
    # the next difference is a tie (two trends meeting at equal values) ptd reads 0 as "Decreasing"; ttwell
    # uses the previous difference, which is the trend the point belongs to.
    next_diff = np.zeros(n, dtype=np.int8)
    next_diff[:-1] = diff[1:]
    next_in_trend = np.zeros(n, dtype=bool)
    next_in_trend[:-1] = trend[1:] & (pos[1:] != 0)
    trend_dir = np.where(trend & next_in_trend & (next_diff != 0), next_diff, diff)
    return {"outside": outside, "rel": rel, "close": close, "shift": shift, "trend": trend,
            "two_in_three": two_in_three, "trend_dir": trend_dir}


SIDES = ("high", "low", "none")


def _labels(flags: dict, run_length: int):
    """Rule, side and the peer's label text by precedence: outside > trend > two-in-three > shift (spc.md 2.4).

    Returned as categoricals built from integer codes: string arrays of a million points are slow to build.
    """
    outside, trend, tit, shift = flags["outside"], flags["trend"], flags["two_in_three"], flags["shift"]
    rel, trend_dir = flags["rel"], flags["trend_dir"]
    rule = np.select([outside, trend, tit, shift], [0, 1, 2, 3], 4).astype(np.int8)
    up = np.select([outside, trend, tit | shift], [rel == 1, trend_dir == 1, rel > 0], False)
    side = np.where(rule == 4, 2, np.where(up, 0, 1)).astype(np.int8)
    label_names = ["Above UCL", "Below LCL",
                   f"{run_length} Point Trend (Increasing)", f"{run_length} Point Trend (Decreasing)",
                   "2 in 3 Above CL", "2 in 3 Below CL",
                   f"{run_length} Points Above CL", f"{run_length} Points Below CL", "Common Cause"]
    label = np.where(rule == 4, 8, 2 * rule + side)
    return (pd.Categorical.from_codes(rule, categories=RULES), pd.Categorical.from_codes(side, categories=SIDES),
            pd.Categorical.from_codes(label, categories=label_names))


def _point_type(side, direction: str) -> pd.Categorical:
    """Improvement / concern / neutral from the side of the label and the improvement direction (spc.md 2.5)."""
    codes = np.asarray(pd.Categorical(side, categories=SIDES).codes)
    high, low = codes == 0, codes == 1
    if direction == "neutral":
        out = np.select([high, low], [3, 4], 0)
    else:
        good, bad = (high, low) if direction == "increase" else (low, high)
        out = np.select([good, bad], [1, 2], 0)
    return pd.Categorical.from_codes(out.astype(np.int8), categories=POINT_TYPES)


_VARIATION = {
    ("common_cause", "increase"): "common_cause", ("common_cause", "decrease"): "common_cause",
    ("common_cause", "neutral"): "common_cause",
    ("special_cause_improvement", "increase"): "improvement_high",
    ("special_cause_improvement", "decrease"): "improvement_low",
    ("special_cause_concern", "increase"): "concern_low",
    ("special_cause_concern", "decrease"): "concern_high",
    ("special_cause_neutral_high", "neutral"): "neutral_high",
    ("special_cause_neutral_low", "neutral"): "neutral_low",
}


VARIATION_TEXT = {
    "common_cause": "Common cause variation",
    "improvement_high": "Special cause improvement (high)", "improvement_low": "Special cause improvement (low)",
    "concern_high": "Special cause concern (high)", "concern_low": "Special cause concern (low)",
    "neutral_high": "Special cause (high, neutral)", "neutral_low": "Special cause (low, neutral)",
}
ASSURANCE_TEXT = {"consistent_pass": "Consistently meets the target",
                  "consistent_fail": "Consistently misses the target",
                  "inconsistent": "May or may not meet the target"}


def trial_limits_note(n: int) -> str:
    """The words added to an icon whose segment has fewer than 13 points.

    >>> trial_limits_note(11)
    'trial limits: only 11 points, fewer than 13'
    """
    return f"trial limits: only {n} point{'s' if n != 1 else ''}, fewer than {SHORT_SERIES_POINTS}"


def icon_text(variation: str | None, assurance: str | None, n: int) -> tuple[str | None, str | None]:
    """Plain text of a segment's variation and assurance icons; both say so when the limits are trial limits.

    A segment of fewer than 13 points (:data:`SHORT_SERIES_POINTS`) has trial limits (spc.md 2.7: MDC shows
    limits and icons from 13 points). Its variation text says so, and so does an assurance icon, which is
    read straight from those limits.

    Examples
    --------
    >>> icon_text("common_cause", "inconsistent", 11)[1]
    'May or may not meet the target (from trial limits: only 11 points, fewer than 13)'
    >>> icon_text("common_cause", None, 24)
    ('Common cause variation', None)
    """
    trial = n < SHORT_SERIES_POINTS
    v_text = VARIATION_TEXT.get(variation, variation) if variation else None
    a_text = ASSURANCE_TEXT.get(assurance, assurance) if assurance else None
    if trial:
        v_text = f"{v_text} ({trial_limits_note(n)})" if v_text else None
        a_text = f"{a_text} (from {trial_limits_note(n)})" if a_text else None
    return v_text, a_text


def variation_icon(point_type: str, direction: str) -> str:
    """The MDC variation icon for a point type (the latest point's) and an improvement direction.

    >>> variation_icon("special_cause_concern", "decrease")
    'concern_high'
    """
    return _VARIATION[(point_type, direction)]


def assurance_icon(target, lpl: float, upl: float, direction: str) -> str | None:
    """The MDC assurance icon: will the process meet ``target``? None without a target or for neutral.

    A target beyond a limit is met (or missed) consistently; a target between the limits, or exactly equal to
    one, is met only some of the time: "inconsistent" (ptd_calculate_assurance_type.R, strict comparisons).

    >>> assurance_icon(5.0, lpl=6.0, upl=9.0, direction="decrease")
    'consistent_fail'
    """
    if target is None or direction == "neutral" or pd.isna(target) or not (np.isfinite(lpl) and np.isfinite(upl)):
        return None
    if target > upl:
        return "consistent_fail" if direction == "increase" else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if direction == "increase" else "consistent_fail"
    return "inconsistent"


def _targets(target, labels, facet) -> dict:
    if target is None:
        return {}
    if isinstance(target, dict):
        unknown = [k for k in target if k not in set(labels)]
        if unknown:
            raise ParameterError(f"target names facet(s) not in the data: {', '.join(map(str, unknown))}.")
        items = target.items()
    else:
        items = [(lab, target) for lab in set(labels)]
    out = {}
    for lab, t in items:
        if t is None:
            continue
        try:
            out[lab] = float(t)
        except (TypeError, ValueError):
            raise ParameterError(f"target must be a number{' per facet' if facet else ''}; got {t!r}.") from None
        if not np.isfinite(out[lab]):
            raise ParameterError(f"target must be a finite number; got {t!r}.")
    return out


def xmr(data: pd.DataFrame, *, date: str, value: str, facet: str | None = None,
        improvement_direction: str = "increase", rebase=(), fix_after_n_points: int | None = None,
        target=None, screen_outliers: bool = True, run_length: int = 7, two_sigma_rule: str = "ptd",
        missing: str = "error") -> SPCResult:
    """Making Data Count XmR chart: limits, special-cause rules, point types and icons.

    Follows NHSRplotthedots 0.2.2 ``ptd_spc`` (spc.md section 2) point for point, with the options the MDC
    tools allow (6-point runs, the 2023 two-sigma rule) and the departures listed under Notes.

    Parameters
    ----------
    data : DataFrame
        One row per date (per facet). Dates may be datetime or text (dd/mm/yyyy or yyyy-mm-dd).
    date, value : str
        Column names.
    facet : str, optional
        Column naming independent series (one chart per facet, one call).
    improvement_direction : {"increase", "decrease", "neutral"}
        Which way is better.
    rebase : list of dates, or dict facet -> list of dates
        The point on each date starts a new segment with its own limits (dd/mm/yyyy text or dates).
    fix_after_n_points : int, optional
        Limits from the first n points of each segment only (at least 12), applied to all its points.
    target : float, or dict facet -> float, optional
        For the assurance icon. Facets without a target get no assurance icon.
    screen_outliers : bool
        Drop moving ranges of at least 3.267 x their mean before the limits (Nelson 1982; default on as in
        ptd_spc; False reproduces the MDC Excel tool).
    run_length : {7, 6}
        Points needed for a shift and for a trend. 7 as in ptd_spc; 6 is allowed by the MDC Excel tool.
    two_sigma_rule : {"ptd", "mdc_2023"}
        "ptd": two of three points strictly between the 2- and 3-sigma lines on one side (ptd_spc 0.2.2).
        "mdc_2023": any point beyond 2 sigma counts, including beyond 3 sigma (MDC tools since late 2023).
    missing : {"error", "drop"}
        Missing values and missing periods (months, weeks or days) raise :class:`AnalysisError`/`InputError`
        by default; "drop" removes rows with no value, treats the points as consecutive and records both as
        warnings in the summary.

    Returns
    -------
    SPCResult
        ``points``: one row per point, sorted by facet and date, with columns ``facet, date, value, segment,
        mean, lpl, upl, rule, side, point_type`` (``rule``: outside_limits, trend, two_in_three, shift or none,
        the highest-precedence rule that fired; ``side``: high, low or none; ``point_type``: common_cause,
        special_cause_improvement, special_cause_concern, special_cause_neutral_high or _low), then
        ``label`` (the peer's text, e.g. "Above UCL"), ``lower_2sigma, upper_2sigma``, ``moving_range``
        (|difference from the previous point| within the segment), ``moving_range_used`` (counted in the mean
        moving range after the baseline cut and screening), ``in_baseline``, ``relative_to_mean`` (-1, 0, 1),
        ``outside_limits, close_to_limits, part_of_trend, part_of_two_in_three, part_of_shift`` (every rule
        that fired, not only the label's).
        ``summary``: one row per facet and segment with ``facet, segment, start_date, end_date, n,
        n_baseline, mean, lpl, upl, lower_2sigma, upper_2sigma, mr_mean, n_mr_screened_out,
        n_special_cause, variation_icon, target, assurance_icon, trial_limits, variation_text, assurance_text,
        is_latest_segment, warnings`` (a list of plain sentences). ``trial_limits`` is True for a segment of
        fewer than 13 points; its ``variation_text`` and ``assurance_text`` (the icons in words) then say the
        limits, and so the assurance read from them, are trial limits. The facet's icons are those of its
        latest segment (:meth:`SPCResult.icons`).

    Notes
    -----
    Per segment: mean = mean of the baseline values; MR_i = |y_i - y_(i-1)| within the baseline; with
    screening, MRs >= 3.267 x mean MR are dropped once and the mean MR recomputed; limits = mean +/- 2.66 x
    mean MR; 2-sigma lines = mean +/- (2 x 2.66 / 3) x mean MR. Rules use the raw values of every point.
    Departures from ptd_spc: missing values/periods are refused or dropped (never kept as rows); a segment
    whose mean moving range is 0 (after screening) gets no limits and a warning, instead of limits on the
    mean that flag every point; a rebase date not in the data gives a warning; facets without a target get no
    assurance icon; at a tie where two trends meet the trend label follows the point's own trend.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=15, freq="MS"),
    ...                       "score": [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 12]})
    >>> xmr(frame, date="month", value="score").points["rule"].iloc[-1]
    'outside_limits'
    """
    _check_choice(improvement_direction, "improvement_direction", DIRECTIONS)
    _check_choice(run_length, "run_length", (6, 7))
    _check_choice(two_sigma_rule, "two_sigma_rule", TWO_SIGMA_RULES)
    if not isinstance(screen_outliers, (bool, np.bool_)):
        raise ParameterError(f"screen_outliers must be True or False; got {screen_outliers!r}.")
    if fix_after_n_points is not None:
        if isinstance(fix_after_n_points, bool) or not float(fix_after_n_points).is_integer() \
                or fix_after_n_points < MIN_FIX_AFTER_N_POINTS:
            raise ParameterError(f"fix_after_n_points must be a whole number of at least {MIN_FIX_AFTER_N_POINTS} "
                                 "(Making Data Count locks limits after 12 or more points); "
                                 f"got {fix_after_n_points!r}.")
        fix_after_n_points = int(fix_after_n_points)
    s = _prepare(data, date=date, value=value, facet=facet, missing=missing, rebase=rebase)
    targets = _targets(target, s.facet, facet)
    G, y, group, pos = s.n_groups, s.y, s.group, s.pos

    in_base = pos < fix_after_n_points if fix_after_n_points is not None else np.ones(len(y), dtype=bool)
    mean_g = _group_mean(y, in_base, group, G)
    mr = np.full(len(y), np.nan)
    mr[1:] = np.abs(np.diff(y))
    mr[pos == 0] = np.nan  # the first moving range of a segment is never taken across a rebase or facet
    mr_base = (pos > 0) & in_base
    amr_raw = _group_mean(mr, mr_base, group, G)
    if screen_outliers:
        with np.errstate(invalid="ignore"):
            mr_used = mr_base & (mr < MR_SCREEN_MULTIPLIER * amr_raw[group])  # strict, single pass
    else:
        mr_used = mr_base
    amr = _group_mean(mr, mr_used, group, G)
    # A zero mean MR gives limits on the mean that flag every point (spc.md 2.3); no limits instead.
    degenerate = ~(amr > 0)
    amr_safe = np.where(degenerate, np.nan, amr)
    mean, amr_p = mean_g[group], amr_safe[group]
    upl, lpl = mean + LIMIT_MULTIPLIER * amr_p, mean - LIMIT_MULTIPLIER * amr_p
    two_up, two_low = mean + TWO_SIGMA_MULTIPLIER * amr_p, mean - TWO_SIGMA_MULTIPLIER * amr_p

    flags = _xmr_rules(s, mean, upl, lpl, two_up, two_low, run_length, two_sigma_rule)
    rule, side, label = _labels(flags, run_length)
    point_type = _point_type(side, improvement_direction)

    points = pd.DataFrame({
        "facet": s.facet_column(), "date": s.date, "value": y, "segment": s.segment, "mean": mean, "lpl": lpl,
        "upl": upl,
        "rule": rule, "side": side, "point_type": point_type, "label": label,
        "lower_2sigma": two_low, "upper_2sigma": two_up, "moving_range": mr, "moving_range_used": mr_used,
        "in_baseline": in_base, "relative_to_mean": flags["rel"].astype(int), "outside_limits": flags["outside"],
        "close_to_limits": flags["close"], "part_of_trend": flags["trend"],
        "part_of_two_in_three": flags["two_in_three"], "part_of_shift": flags["shift"],
    })

    last = s.group_start + s.group_len - 1
    first = s.group_start
    n_special = np.bincount(group, weights=(rule.codes != 4).astype(float), minlength=G).astype(int)
    screened = np.bincount(group, weights=(mr_base & ~mr_used).astype(float), minlength=G).astype(int)
    n_base = np.bincount(group, weights=in_base.astype(float), minlength=G).astype(int)
    latest = np.ones(G, dtype=bool)
    latest[:-1] = s.facet_code[last[:-1]] != s.facet_code[last[1:]]
    rows = []
    for g in range(G):
        lab = s.facet[first[g]]
        ptype = point_type[last[g]]
        tgt = targets.get(lab)
        warn = []
        if g == 0 or s.facet_code[first[g]] != s.facet_code[first[g - 1]]:
            warn.extend(s.notes.get(lab, []))
        n = int(s.group_len[g])
        if n < SHORT_SERIES_POINTS:
            warn.append(f"Only {n} point(s): these are trial limits. Making Data Count shows limits and icons "
                        f"from {SHORT_SERIES_POINTS} points; fix them once 12 or more are available.")
        if fix_after_n_points is not None and n < fix_after_n_points:
            warn.append(f"Fewer points ({n}) than fix_after_n_points ({fix_after_n_points}): limits use all of them.")
        if degenerate[g]:
            why = ("only one point" if n_base[g] < 2 else
                   "all moving ranges are 0 after screening" if screen_outliers and amr_raw[g] > 0 else
                   "every value is the same")
            warn.append(f"No process limits: the mean moving range is not above 0 ({why}). "
                        "Only the shift and trend rules were applied.")
        if tgt is not None and improvement_direction == "neutral":
            warn.append("A target was given but the direction is neutral: no assurance icon.")
        v_icon = variation_icon(ptype, improvement_direction)
        a_icon = assurance_icon(tgt, lpl[first[g]], upl[first[g]], improvement_direction)
        v_text, a_text = icon_text(v_icon, a_icon, n)
        rows.append({
            "facet": lab, "segment": int(s.segment[first[g]]), "start_date": s.date[first[g]],
            "end_date": s.date[last[g]], "n": n, "n_baseline": int(n_base[g]), "mean": mean_g[g],
            "lpl": lpl[first[g]], "upl": upl[first[g]], "lower_2sigma": two_low[first[g]],
            "upper_2sigma": two_up[first[g]], "mr_mean": amr[g], "n_mr_screened_out": int(screened[g]),
            "n_special_cause": int(n_special[g]), "variation_icon": v_icon,
            "target": tgt, "assurance_icon": a_icon, "trial_limits": n < SHORT_SERIES_POINTS,
            "variation_text": v_text, "assurance_text": a_text,
            "is_latest_segment": bool(latest[g]), "warnings": warn,
        })
    summary = pd.DataFrame(rows, columns=["facet", "segment", "start_date", "end_date", "n", "n_baseline", "mean",
                                          "lpl", "upl", "lower_2sigma", "upper_2sigma", "mr_mean",
                                          "n_mr_screened_out", "n_special_cause", "variation_icon", "target",
                                          "assurance_icon", "trial_limits", "variation_text", "assurance_text",
                                          "is_latest_segment", "warnings"])
    # pandas would turn None into NaN in a text column; "no assurance icon" stays None.
    summary["assurance_icon"] = pd.Series([r["assurance_icon"] for r in rows], dtype=object)
    summary["assurance_text"] = pd.Series([r["assurance_text"] for r in rows], dtype=object)
    options = {"chart": "xmr", "improvement_direction": improvement_direction,
               "rebase": _describe_dates(rebase), "fix_after_n_points": fix_after_n_points or "not set (all points)",
               "target": target if target is not None else "not set", "screen_outliers": bool(screen_outliers),
               "run_length": run_length, "two_sigma_rule": two_sigma_rule, "missing": missing}
    return SPCResult(points=points, summary=summary, options=options)


def _describe_dates(dates) -> str:
    if dates is None or (not isinstance(dates, dict) and len(_date_list(dates, "dates")) == 0):
        return "not set"
    if isinstance(dates, dict):
        return "; ".join(f"{k}: {', '.join(_fmt(d) for d in _date_list(v, 'dates'))}" for k, v in dates.items())
    return ", ".join(_fmt(d) for d in _date_list(dates, "dates"))


# --- Anhøj runs analysis ------------------------------------------------------------------------------------

def _runs_analysis(y: np.ndarray, centre: np.ndarray, part: np.ndarray, n_parts: int) -> dict:
    """Anhøj runs analysis per part (spc.md 3.2): points on the centre line are dropped, not run-breakers."""
    sign = np.sign(y - centre)
    useful = np.isfinite(sign) & (sign != 0)
    sg, pt = sign[useful], part[useful]
    n_useful = np.bincount(pt, minlength=n_parts)
    start = np.ones(len(sg), dtype=bool)
    start[1:] = (sg[1:] != sg[:-1]) | (pt[1:] != pt[:-1])
    run_id = np.cumsum(start) - 1
    run_len = np.bincount(run_id) if len(run_id) else np.zeros(0, dtype=int)
    run_part = pt[start]
    longest = np.zeros(n_parts, dtype=int)
    np.maximum.at(longest, run_part, run_len)
    blocks = np.bincount(run_part, minlength=n_parts)
    crossings = np.maximum(blocks - 1, 0)
    lr_max = np.array([longest_run_max(int(k)) if k > 0 else -1 for k in n_useful])
    cr_min = np.array([n_crossings_min(int(k)) if k > 0 else -1 for k in n_useful])
    long_signal = (n_useful > 0) & (longest > lr_max)
    cross_signal = (n_useful > 0) & (crossings < cr_min)
    return {"n_useful": n_useful, "longest_run": longest, "n_crossings": crossings, "longest_run_max": lr_max,
            "n_crossings_min": cr_min, "long_signal": long_signal, "cross_signal": cross_signal,
            "signal": long_signal | cross_signal}


def _signal_reason(long_signal: bool, cross_signal: bool) -> str:
    if long_signal and cross_signal:
        return "longest_run_and_crossings"
    return "longest_run" if long_signal else "crossings" if cross_signal else "none"


def _run_warnings(n_useful: int) -> list[str]:
    if n_useful == 0:
        return ["Every point is on the centre line: the runs rules cannot be applied."]
    if n_useful < MIN_USEFUL_RUNS_POINTS:
        return [(f"Only {n_useful} point(s) off the centre line: the runs rules have little power below "
                 f"{MIN_USEFUL_RUNS_POINTS}.")]
    return []


def _parts_from_dates(s: _Series, part_after, facet) -> np.ndarray:
    """Part number within each facet: a new part starts after each ``part_after`` date (its last point)."""
    part = np.zeros(len(s.y), dtype=int)
    if part_after is None or (not isinstance(part_after, dict) and len(_date_list(part_after, "part_after")) == 0):
        return part
    labels = list(dict.fromkeys(s.facet))
    if isinstance(part_after, dict):
        unknown = [k for k in part_after if k not in set(labels)]
        if unknown:
            raise ParameterError(f"part_after names facet(s) not in the data: {', '.join(map(str, unknown))}.")
        per_facet = {k: _date_list(v, f"part_after['{k}']") for k, v in part_after.items()}
    else:
        dates = _date_list(part_after, "part_after")
        per_facet = {lab: dates for lab in labels}
    for lab, dates in per_facet.items():
        rows = s.facet == lab
        fd = s.date[rows]
        counts = np.zeros(rows.sum(), dtype=int)
        for d in sorted(set(dates)):
            after = fd > np.datetime64(d, "s")
            if after.all() or not after.any():
                raise ParameterError(
                    f"part_after {_fmt(d)} leaves an empty part" + (f" for '{lab}'" if facet else "")
                    + f": the data run from {_fmt(fd[0])} to {_fmt(fd[-1])}. Give the date of the last point "
                    "before the change.")
            counts += after
        part[rows] = counts
    return part


def run_chart(data: pd.DataFrame, *, date: str, value: str, facet: str | None = None, part_after=(),
              freeze: int | None = None, missing: str = "error") -> RunChartResult:
    """Run chart with Anhøj's rules (qicharts2 0.8.1 ``qic(chart = "run")``, spc.md 3.2).

    Parameters
    ----------
    data : DataFrame
        One row per date (per facet).
    date, value : str
        Column names.
    facet : str, optional
        Column naming independent series.
    part_after : list of dates, or dict facet -> list of dates
        Before/after parts: each date is the **last point of the earlier part** (points on or before it); each
        part has its own median and runs analysis.
    freeze : int, optional
        The first ``freeze`` points of each facet are the baseline: the median comes from them and every point
        of the series is tested against it (the before/after use in a PDSA review). Not together with
        ``part_after`` (qicharts2 silently ignores ``freeze`` then; ttwell refuses).
    missing : {"error", "drop"}
        As in :func:`xmr`. (qicharts2 drops missing values and aggregates duplicate dates; ttwell refuses
        duplicates.)

    Returns
    -------
    RunChartResult
        ``parts``: one row per facet and part with ``facet, part, start_date, end_date, n_obs, n_useful,
        median, longest_run, longest_run_max, n_crossings, n_crossings_min, signal, signal_reason, warnings``.
        ``points``: ``facet, date, value, part, baseline, median, runs_signal``.

    Notes
    -----
    Points on the median are dropped (they neither break nor extend a run); ``n_useful`` counts the rest.
    ``longest_run_max = round(log2(n_useful)) + 3``; ``n_crossings_min = qbinom(0.05, n_useful - 1, 0.5)``.
    The signal is ``longest_run > longest_run_max or n_crossings < n_crossings_min``, one flag per part.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=12, freq="MS"),
    ...                       "joy": [3, 5, 4, 6, 3, 5, 4, 6, 3, 5, 4, 6]})
    >>> part = run_chart(frame, date="month", value="joy").parts.iloc[0]
    >>> int(part["n_useful"]), int(part["n_crossings"]), bool(part["signal"])
    (12, 11, False)
    """
    if freeze is not None:
        if isinstance(freeze, bool) or not float(freeze).is_integer() or freeze < 1:
            raise ParameterError(f"freeze must be a whole number of points, at least 1; got {freeze!r}.")
        freeze = int(freeze)
        if part_after is not None and (isinstance(part_after, dict) or len(_date_list(part_after, "part_after"))):
            raise ParameterError("Give part_after or freeze, not both (as in qicharts2, a frozen baseline applies "
                                 "to the whole series).")
    s = _prepare(data, date=date, value=value, facet=facet, missing=missing)
    part_in_facet = _parts_from_dates(s, part_after, facet)
    # Contiguous part ids over all facets (facets are sorted, parts increase within a facet).
    key_change = np.ones(len(s.y), dtype=bool)
    key_change[1:] = (s.facet_code[1:] != s.facet_code[:-1]) | (part_in_facet[1:] != part_in_facet[:-1])
    part = np.cumsum(key_change) - 1
    n_parts = int(part[-1]) + 1
    facet_pos = np.arange(len(s.y)) - np.nonzero(np.r_[True, s.facet_code[1:] != s.facet_code[:-1]])[0][s.facet_code]
    baseline = facet_pos < freeze if freeze is not None else np.ones(len(s.y), dtype=bool)
    if freeze is not None:
        short = [lab for lab, n in pd.Series(s.facet).value_counts(sort=False).items() if n < freeze]
        if short:
            raise AnalysisError(f"freeze = {freeze} needs at least {freeze} points; "
                                f"{', '.join(map(str, short[:5]))} has fewer.")
    median = pd.Series(np.where(baseline, s.y, np.nan)).groupby(part).median().to_numpy()
    centre = median[part]
    runs = _runs_analysis(s.y, centre, part, n_parts)
    starts = np.nonzero(key_change)[0]
    ends = np.append(starts[1:], len(s.y)) - 1
    n_obs = ends - starts + 1
    rows = []
    for p in range(n_parts):
        lab = s.facet[starts[p]]
        nu = int(runs["n_useful"][p])
        warn = (list(s.notes.get(lab, [])) if p == 0 or s.facet_code[starts[p]] != s.facet_code[starts[p - 1]]
                else []) + _run_warnings(nu)
        rows.append({"facet": lab, "part": int(part_in_facet[starts[p]]), "start_date": s.date[starts[p]],
                     "end_date": s.date[ends[p]], "n_obs": int(n_obs[p]), "n_useful": nu, "median": median[p],
                     "longest_run": int(runs["longest_run"][p]),
                     "longest_run_max": int(runs["longest_run_max"][p]) if nu else None,
                     "n_crossings": int(runs["n_crossings"][p]),
                     "n_crossings_min": int(runs["n_crossings_min"][p]) if nu else None,
                     "signal": bool(runs["signal"][p]),
                     "signal_reason": _signal_reason(runs["long_signal"][p], runs["cross_signal"][p]),
                     "warnings": warn})
    parts = pd.DataFrame(rows)
    points = pd.DataFrame({"facet": s.facet_column(), "date": s.date, "value": s.y, "part": part_in_facet,
                           "baseline": baseline, "median": centre, "runs_signal": runs["signal"][part]})
    options = {"chart": "run", "part_after": _describe_dates(part_after),
               "freeze": freeze if freeze is not None else "not set", "missing": missing}
    return RunChartResult(points=points, parts=parts, options=options)


# --- p, u and c charts (qicharts2) ----------------------------------------------------------------------------

def _attribute_chart(kind: str, data: pd.DataFrame, *, date: str, numerator: str | None, denominator: str | None,
                     value: str | None, facet, improvement_direction, rebase, fix_after_n_points, missing,
                     multiply: float) -> SPCResult:
    _check_choice(improvement_direction, "improvement_direction", DIRECTIONS)
    if fix_after_n_points is not None:
        if isinstance(fix_after_n_points, bool) or not float(fix_after_n_points).is_integer() or fix_after_n_points < 2:
            raise ParameterError("fix_after_n_points must be a whole number of at least 2; "
                                 f"got {fix_after_n_points!r}.")
        fix_after_n_points = int(fix_after_n_points)
    if kind == "c":
        s = _prepare(data, date=date, value=value, facet=facet, missing=missing, rebase=rebase)
        num, den = s.y, np.ones(len(s.y))
    else:
        s = _prepare(data, date=date, value=None, facet=facet, missing=missing, rebase=rebase,
                     extra={"numerator": numerator, "denominator": denominator})
        num, den = s.extra["numerator"], s.extra["denominator"]
        bad = den <= 0
        if bad.any():
            raise AnalysisError(f"Every '{denominator}' must be above 0; {int(bad.sum())} are not "
                                f"(first on {_fmt(s.date[np.argmax(bad)])}).")
        if (num < 0).any():
            raise AnalysisError(f"'{numerator}' must not be negative.")
        if kind == "p" and (num > den).any():
            raise AnalysisError(f"For a p chart '{numerator}' cannot exceed '{denominator}' "
                                f"(first on {_fmt(s.date[np.argmax(num > den)])}).")
    if kind == "c" and (num < 0).any():
        raise AnalysisError(f"Counts in '{value}' must not be negative.")
    G, group, pos = s.n_groups, s.group, s.pos
    in_base = pos < fix_after_n_points if fix_after_n_points is not None else np.ones(len(num), dtype=bool)
    y = num / den
    base_num = _group_sum(np.where(in_base, num, 0.0), group, G)
    base_den = _group_sum(np.where(in_base, den, 0.0), group, G)
    centre_g = base_num / base_den  # pooled: ratio of sums over the baseline, never a mean of ratios
    centre = centre_g[group]
    if kind == "p":
        sigma = np.sqrt(centre * (1 - centre) / den)
        lpl, upl = np.clip(centre - 3 * sigma, 0, 1), np.clip(centre + 3 * sigma, 0, 1)
    else:  # u: sqrt(CL / n_i); c: n_i = 1, so sqrt(CL)
        sigma = np.sqrt(centre / den)
        lpl, upl = np.maximum(centre - 3 * sigma, 0), centre + 3 * sigma
    outside = (y > upl) | (y < lpl)
    rel = np.sign(y - centre)
    side = pd.Categorical.from_codes(np.where(outside, np.where(rel > 0, 0, 1), 2).astype(np.int8), categories=SIDES)
    rule = pd.Categorical.from_codes(np.where(outside, 0, 4).astype(np.int8), categories=RULES)
    runs = _runs_analysis(y, centre, group, G)
    point_type = _point_type(side, improvement_direction)
    points = pd.DataFrame({
        "facet": s.facet_column(), "date": s.date, "value": y * multiply, "segment": s.segment,
        "mean": centre * multiply,
        "lpl": lpl * multiply, "upl": upl * multiply, "rule": rule, "side": side,
        "point_type": point_type, "numerator": num, "denominator": den,
        "sigma": sigma * multiply, "in_baseline": in_base, "outside_limits": outside,
        "runs_signal": runs["signal"][group],
    })
    last = s.group_start + s.group_len - 1
    latest = np.ones(G, dtype=bool)
    latest[:-1] = s.facet_code[last[:-1]] != s.facet_code[last[1:]]
    rows = []
    for g in range(G):
        f0, lab = s.group_start[g], s.facet[s.group_start[g]]
        nu = int(runs["n_useful"][g])
        warn = list(s.notes.get(lab, [])) if g == 0 or s.facet_code[f0] != s.facet_code[s.group_start[g - 1]] else []
        warn += _run_warnings(nu)
        if s.group_len[g] < SHORT_SERIES_POINTS:
            warn.append(f"Only {int(s.group_len[g])} point(s): treat the limits as trial limits.")
        rows.append({"facet": lab, "segment": int(s.segment[f0]), "start_date": s.date[f0], "end_date": s.date[last[g]],
                     "n": int(s.group_len[g]), "n_baseline": int(in_base[group == g].sum()),
                     "mean": centre_g[g] * multiply, "numerator_baseline": base_num[g],
                     "denominator_baseline": base_den[g],
                     "n_outside_limits": int(outside[group == g].sum()),
                     "variation_icon": variation_icon(point_type[last[g]], improvement_direction),
                     "trial_limits": bool(s.group_len[g] < SHORT_SERIES_POINTS),
                     "variation_text": icon_text(variation_icon(point_type[last[g]], improvement_direction), None,
                                                 int(s.group_len[g]))[0],
                     "n_useful": nu, "longest_run": int(runs["longest_run"][g]),
                     "longest_run_max": int(runs["longest_run_max"][g]) if nu else None,
                     "n_crossings": int(runs["n_crossings"][g]),
                     "n_crossings_min": int(runs["n_crossings_min"][g]) if nu else None,
                     "runs_signal": bool(runs["signal"][g]),
                     "signal_reason": _signal_reason(runs["long_signal"][g], runs["cross_signal"][g]),
                     "assurance_icon": None, "is_latest_segment": bool(latest[g]), "warnings": warn})
    options = {"chart": kind, "improvement_direction": improvement_direction, "rebase": _describe_dates(rebase),
               "fix_after_n_points": fix_after_n_points or "not set (all points)", "multiply": multiply,
               "missing": missing}
    summary = pd.DataFrame(rows)
    summary["assurance_icon"] = pd.Series([None] * len(rows), dtype=object)
    return SPCResult(points=points, summary=summary, options=options)


_ATTRIBUTE_DOC = """
    Parameters
    ----------
    data : DataFrame
        One row per date (per facet).
    date : str
        Date column.
    {counts}
    facet : str, optional
        Column naming independent series.
    improvement_direction : {{"increase", "decrease", "neutral"}}
        Which way is better; colours points beyond the limits as improvement or concern.
    rebase : list of dates, or dict facet -> list of dates
        Dates starting a new segment (own centre, limits and runs analysis), as in :func:`xmr`.
    fix_after_n_points : int, optional
        Centre and limits from the first n points of each segment (qicharts2 ``freeze``), applied to all.
    missing : {{"error", "drop"}}
        As in :func:`xmr`.
    multiply : float
        Scales values and lines after the calculation (100 for per cent), as qicharts2 ``multiply``.

    Returns
    -------
    SPCResult
        ``points``: ``facet, date, value, segment, mean (the centre line), lpl, upl, rule (outside_limits or
        none), side, point_type, numerator, denominator, sigma, in_baseline, outside_limits, runs_signal``.
        ``summary``: per facet and segment ``facet, segment, start_date, end_date, n, n_baseline, mean,
        numerator_baseline, denominator_baseline, n_outside_limits, variation_icon, trial_limits,
        variation_text, n_useful, longest_run, longest_run_max, n_crossings, n_crossings_min, runs_signal,
        signal_reason, assurance_icon (None), is_latest_segment, warnings`` (``trial_limits``: fewer than 13
        points; the variation text then says so).

    Notes
    -----
    qicharts2 0.8.1 (spc.md 3.3-3.4): points beyond the 3-sigma limits (strict) are signals; the Anhøj runs
    analysis is done per segment against the centre line. {formula}
"""


def p_chart(data: pd.DataFrame, *, date: str, numerator: str, denominator: str, facet: str | None = None,
            improvement_direction: str = "increase", rebase=(), fix_after_n_points: int | None = None,
            missing: str = "error", multiply: float = 1.0) -> SPCResult:
    return _attribute_chart("p", data, date=date, numerator=numerator, denominator=denominator, value=None,
                            facet=facet, improvement_direction=improvement_direction, rebase=rebase,
                            fix_after_n_points=fix_after_n_points, missing=missing, multiply=multiply)


def u_chart(data: pd.DataFrame, *, date: str, numerator: str, denominator: str, facet: str | None = None,
            improvement_direction: str = "increase", rebase=(), fix_after_n_points: int | None = None,
            missing: str = "error", multiply: float = 1.0) -> SPCResult:
    return _attribute_chart("u", data, date=date, numerator=numerator, denominator=denominator, value=None,
                            facet=facet, improvement_direction=improvement_direction, rebase=rebase,
                            fix_after_n_points=fix_after_n_points, missing=missing, multiply=multiply)


def c_chart(data: pd.DataFrame, *, date: str, value: str, facet: str | None = None,
            improvement_direction: str = "increase", rebase=(), fix_after_n_points: int | None = None,
            missing: str = "error", multiply: float = 1.0) -> SPCResult:
    return _attribute_chart("c", data, date=date, numerator=None, denominator=None, value=value, facet=facet,
                            improvement_direction=improvement_direction, rebase=rebase,
                            fix_after_n_points=fix_after_n_points, missing=missing, multiply=multiply)


p_chart.__doc__ = """P chart: proportions with varying denominators (qicharts2 ``chart = "p"``).
""" + _ATTRIBUTE_DOC.format(
    counts="numerator, denominator : str\n        Columns of counts: events and the number at risk (e.g. "
           "staff who left, staff in post).",
    formula="CL = sum(numerator) / sum(denominator) over the baseline; sigma_i = sqrt(CL (1 - CL) / n_i); limits "
            "CL +/- 3 sigma_i clipped to [0, 1].") + """
    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=3, freq="MS"),
    ...                       "left": [2, 3, 5], "staff": [100, 100, 100]})
    >>> round(float(p_chart(frame, date="month", numerator="left", denominator="staff").points["mean"].iloc[0]), 4)
    0.0333
"""
u_chart.__doc__ = """U chart: rates per unit with varying exposure (qicharts2 ``chart = "u"``).
""" + _ATTRIBUTE_DOC.format(
    counts="numerator, denominator : str\n        Columns of event counts and exposure (e.g. sickness episodes, "
           "FTE days available).",
    formula="CL = sum(numerator) / sum(denominator) over the baseline; sigma_i = sqrt(CL / n_i); lower limit "
            "clipped at 0.") + """
    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=2, freq="MS"),
    ...                       "episodes": [4, 8], "fte": [2.0, 2.0]})
    >>> float(u_chart(frame, date="month", numerator="episodes", denominator="fte").points["mean"].iloc[0])
    3.0
"""
c_chart.__doc__ = """C chart: counts with a constant area of opportunity (qicharts2 ``chart = "c"``).
""" + _ATTRIBUTE_DOC.format(
    counts="value : str\n        Column of counts.",
    formula="CL = mean count over the baseline; sigma = sqrt(CL); lower limit clipped at 0.") + """
    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=2, freq="MS"), "incidents": [3, 5]})
    >>> float(c_chart(frame, date="month", value="incidents").points["upl"].iloc[0])
    10.0
"""
