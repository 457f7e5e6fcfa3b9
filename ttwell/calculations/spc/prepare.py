"""SPC input preparation: check the columns and options, read dates and numbers, sort, and cut into segments.

Every chart family (:mod:`.xmr_chart`, :mod:`.runs`, :mod:`.attribute`) starts from :func:`prepare`, which turns a
long DataFrame into flat numpy arrays sorted by facet and date, with one contiguous group per facet and segment.
Dates are read through :mod:`ttwell.inputs.dates`, the one place ttwell reads a date.

The first call is what a user waits for, so this module stays with numpy where pandas would add fixed costs on
small inputs (no Series arithmetic, no groupby), and skips the sort when the rows are already in order. For the
same reason :mod:`ttwell.inputs.dates` (and with it :class:`ttwell.errors.Problem`) is imported only where a date
has to be read from text or a parameter, or written into a message: a column of real dates goes straight to numpy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations.spc.core import MISSING_POLICIES, NO_FACET
from ttwell.errors import AnalysisError, InputError, ParameterError

_DAY = 86_400  # seconds
_NAT = np.iinfo(np.int64).min  # how numpy stores NaT


def spreadsheet_row(index) -> int | None:
    """The row a spreadsheet shows for a frame index (header is row 1), None for a non-numeric index."""
    try:
        return int(index) + 2
    except (TypeError, ValueError):
        return None


def parse_numbers(values: pd.Series, column: str, file: str = "data") -> pd.Series:
    """Numbers from a numeric or text column; blank text becomes NaN, anything else unreadable is an error."""
    from ttwell.errors import Problem

    if pd.api.types.is_bool_dtype(values):
        raise InputError([Problem(file, None, column, "true/false", "numbers", problem="not numeric")])
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip().str.replace(",", "", regex=False)
    out = pd.to_numeric(text.where(text != "", np.nan), errors="coerce")
    bad = out.isna() & (text != "") & (text.str.lower() != "nan")
    if bad.any():
        problems = [Problem(file, spreadsheet_row(i), column, str(v), "a number", problem="not a number")
                    for i, v in values[bad].head(20).items()]
        raise InputError(problems,
                         intro=f"{int(bad.sum())} cell(s) in '{column}' are not numbers; nothing was calculated.")
    return out.astype(float)


def _number_array(values: pd.Series, column: str) -> np.ndarray:
    # A numeric column goes straight to numpy: the Series round trip costs more than the work on small inputs.
    if values.dtype.kind in "iuf":
        return values.to_numpy(dtype=float)
    return parse_numbers(values, column).to_numpy(dtype=float)


def check_columns(data: pd.DataFrame, **columns) -> None:
    """Each named argument must be a column of ``data`` (None means not asked for)."""
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"data must be a pandas DataFrame; got a {type(data).__name__}.")
    for arg, col in columns.items():
        if col is not None and col not in data.columns:
            raise ParameterError(f"{arg}: '{col}' must be a column of the data "
                                 f"(columns: {', '.join(map(str, data.columns))}).")


def check_choice(value, name: str, choices) -> None:
    """``value`` must be one of ``choices``."""
    if value not in choices:
        raise ParameterError(f"{name} must be one of {', '.join(map(str, choices))}; got '{value}'.")


def date_list(values, name: str) -> list[pd.Timestamp]:
    """Dates given as a parameter: one date or a list of them (dd/mm/yyyy text or dates); [] for None."""
    if values is None:
        return []
    if isinstance(values, (str, pd.Timestamp)) or not hasattr(values, "__iter__"):
        values = [values]
    values = list(values)
    if not values:
        return []
    from ttwell.inputs.dates import parse_date

    return [parse_date(v, name) for v in values]


def describe_dates(dates) -> str:
    """Dates given as a parameter (a list, or a dict facet -> list), as a reader writes them."""
    if dates is None or (not isinstance(dates, dict) and len(date_list(dates, "dates")) == 0):
        return "not set"
    from ttwell.inputs.dates import uk_date

    if isinstance(dates, dict):
        return "; ".join(f"{k}: {', '.join(uk_date(d) for d in date_list(v, 'dates'))}" for k, v in dates.items())
    return ", ".join(uk_date(d) for d in date_list(dates, "dates"))


class PreparedSeries:
    """Sorted, validated input: flat arrays plus contiguous group ids (one group per facet and segment).

    A plain class rather than a dataclass: building a dataclass costs more at import than a small chart takes.
    """

    __slots__ = ("facet_code", "date", "y", "segment", "group", "_pos", "group_len", "group_start", "extra", "notes",
                 "labels")

    def __init__(self, *, facet_code, date, y, segment, group, group_len, group_start, extra, notes, labels):
        self.facet_code: np.ndarray = facet_code    # 0..F-1, sorted
        self.date: np.ndarray = date                # datetime64[s]: second resolution spans any calendar
        self.y: np.ndarray = y                      # float
        self.segment: np.ndarray = segment          # rebase counter within the facet (0 before the first rebase)
        self.group: np.ndarray = group              # 0..G-1, contiguous: one group per facet and segment
        self._pos: np.ndarray | None = None
        self.group_len: np.ndarray = group_len      # length of each group
        self.group_start: np.ndarray = group_start  # index of each group's first point
        self.extra: dict = extra                    # further columns carried through (numerator, denominator)
        self.notes: dict = notes                    # facet label -> warnings about the input (dropped rows, gaps)
        self.labels: np.ndarray = labels            # the distinct facet labels, in code order

    @property
    def pos(self) -> np.ndarray:
        """Position of each point within its group (0 at the group's first point); worked out when first asked.

        The XmR chart needs it only for a fixed baseline, and on a million points it is 8 MB to write.
        """
        if self._pos is None:
            n = len(self.y)
            self._pos = np.arange(n) - self.group_start[self.group] if len(self.group_start) > 1 else np.arange(n)
        return self._pos

    @property
    def n_groups(self) -> int:
        return len(self.group_len)

    @property
    def facet(self) -> np.ndarray:
        """The facet label of every point (object array)."""
        return self.labels[self.facet_code]

    def facet_column(self) -> pd.Categorical:
        # Categorical: one facet name per point as text would be slow to build and heavy for big inputs.
        return pd.Categorical.from_codes(self.facet_code, categories=pd.Index(self.labels, dtype=object))


def _facet_codes(data: pd.DataFrame, facet: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Sorted facet codes per row and the distinct labels; a blank facet name is an input error."""
    if facet is None:
        return np.zeros(len(data), dtype=np.intp), np.array([NO_FACET], dtype=object)
    column = data[facet]
    codes, uniques = _sorted_blocks(column) if column.dtype.kind in "OT" else (None, None)
    if codes is None:
        codes, uniques = pd.factorize(column, sort=True)
    # Checked on the distinct labels, not on every row: the same answer for a fraction of the work.
    blank_labels = [i for i, u in enumerate(uniques) if str(u).strip() == ""]
    blank = codes < 0
    if blank_labels:
        blank |= np.isin(codes, blank_labels)
    if blank.any():
        from ttwell.errors import Problem

        rows = data.index[blank]
        raise InputError([Problem("data", spreadsheet_row(i), facet, "", "a facet name", problem="blank facet")
                          for i in rows[:20]], intro=f"{len(rows)} row(s) have no '{facet}'; nothing was calculated.")
    return codes, np.asarray(uniques, dtype=object)


def _sorted_blocks(column: pd.Series) -> tuple[np.ndarray | None, list | None]:
    """``pd.factorize(column, sort=True)`` for text facets already in sorted blocks (as a long table usually is).

    Hashing every row's text is most of a first call on 1,000 facets; when the labels change only between
    blocks and each block's label sorts after the previous one, the codes are a running count of the changes.
    Returns (None, None) for anything else (missing labels, labels that are not text, or rows out of order),
    which :func:`pandas.factorize` then handles.
    """
    values = column.to_numpy()
    if len(values) == 0 or values.dtype != object:
        return None, None
    change = np.empty(len(values), dtype=bool)
    change[0] = True
    try:
        np.not_equal(values[1:], values[:-1], out=change[1:])
    except (TypeError, ValueError):  # a comparison that is not True or False (pd.NA)
        return None, None
    labels = values[change].tolist()
    if not all(isinstance(label, str) for label in labels) or not all(a < b for a, b in zip(labels, labels[1:])):
        return None, None
    return np.cumsum(change) - 1, labels


def _date_array(values: pd.Series, column: str) -> np.ndarray:
    """The date column as datetime64[s], read as :func:`ttwell.inputs.dates.require_dates` reads it.

    A column of real, naive, complete dates in whole seconds (what a spreadsheet or ``pd.date_range`` gives) is
    converted by numpy alone; anything else (text, time zones, blanks, fractions of a second) goes through
    :mod:`ttwell.inputs.dates`, which reads it or lists every bad cell.
    """
    dtype = values.dtype
    ticks_per_second = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}.get(np.datetime_data(dtype)[0], 0) \
        if isinstance(dtype, np.dtype) and dtype.kind == "M" else 0
    if ticks_per_second:
        array = values.to_numpy()
        # NaT is the smallest int64, never a whole number of seconds in a finer unit, so blanks fall through too.
        if ticks_per_second == 1 or not (array.view(np.int64) % ticks_per_second).any():
            array = array.astype("datetime64[s]", copy=False)
            if array.view(np.int64).min() != _NAT:
                return array
    from ttwell.inputs.dates import require_dates

    return require_dates(values, column).to_numpy(dtype="datetime64[s]")


def _in_order(codes: np.ndarray, dates: np.ndarray) -> bool:
    """True when the rows are already sorted by facet and then strictly by date (so no sort and no duplicates)."""
    if len(codes) < 2:
        return True
    later = dates[1:] > dates[:-1]
    if codes[-1] == codes[0] and not codes.any():  # one facet (the common case): dates alone decide
        return bool(later.all())
    step = codes[1:] - codes[:-1]
    return bool((step >= 0).all() and ((step > 0) | later).all())


def prepare(data: pd.DataFrame, *, date: str, value: str | None, facet: str | None, missing: str,
            rebase=(), extra: dict | None = None) -> PreparedSeries:
    """Validate, sort and segment the input. ``rebase`` is a list of dates or a dict facet -> dates."""
    check_columns(data, date=date, value=value, facet=facet, **(extra or {}))
    check_choice(missing, "missing", MISSING_POLICIES)
    if len(data) == 0:
        raise AnalysisError("The data have no rows; an SPC chart needs at least two points.")
    dates = _date_array(data[date], date)
    codes, label_arr = _facet_codes(data, facet)
    numbers = {name: _number_array(data[col], col) for name, col in (extra or {}).items()}
    y = _number_array(data[value], value) if value is not None else None
    notes: dict = {}

    # Missing values: NHSRplotthedots keeps them as rows (issue #156); ttwell refuses, or drops and says so.
    wanted = ([y] if y is not None else []) + list(numbers.values())
    blank = np.zeros(len(data), dtype=bool)
    for array in wanted:
        blank |= ~np.isfinite(array)
    if blank.any():
        if missing == "error":
            from ttwell.errors import Problem

            cols = [c for c in ([value] if value is not None else []) + list((extra or {}).values())]
            rows = data.index[blank]
            problems = [Problem("data", spreadsheet_row(i), ", ".join(cols), "", "a number", problem="missing value")
                        for i in rows[:20]]
            raise InputError(problems, intro=(
                f"{int(blank.sum())} row(s) have no value in '{', '.join(cols)}'. Fill them in, remove the rows, "
                "or ask for missing='drop' (the points are then dropped and the report says so)."))
        for lab, count in pd.Series(label_arr[codes[blank]]).value_counts(sort=False).items():
            notes.setdefault(lab, []).append(f"{count} row(s) with a missing value were dropped.")
        keep = ~blank
        dates, codes = dates[keep], codes[keep]
        y = y[keep] if y is not None else None
        numbers = {k: v[keep] for k, v in numbers.items()}
        if not len(dates):
            raise AnalysisError("Every row has a missing value; nothing to chart.")
        present = np.bincount(codes, minlength=len(label_arr)) > 0
        if not present.all():  # a facet whose every row was dropped has no chart
            codes, label_arr = (np.cumsum(present) - 1)[codes], label_arr[present]

    if _in_order(codes, dates):
        # Copies all the same: the result must not share memory with the caller's frame.
        y = y.copy() if y is not None else np.full(len(dates), np.nan)
        dates = dates.copy()
    else:
        order = np.lexsort((dates, codes))
        codes, dates = codes[order], dates[order]
        dup = (codes[1:] == codes[:-1]) & (dates[1:] == dates[:-1])
        if dup.any():
            from ttwell.inputs.dates import uk_date

            first = np.nonzero(dup)[0][:5]
            where = "; ".join(f"{label_arr[codes[i]]} on {uk_date(dates[i])}" if facet else uk_date(dates[i])
                              for i in first)
            raise AnalysisError(f"duplicate rows found in '{date}': {int(dup.sum())} date(s) appear twice ({where}). "
                                "Give one row per date" + (" per facet" if facet else "") + ".")
        y = y[order] if y is not None else np.full(len(order), np.nan)
        numbers = {k: v[order] for k, v in numbers.items()}

    gaps = gap_notes(codes, dates, label_arr)
    if gaps:
        if missing == "error":
            lines = [f"{lab}: {w}" if facet else w for lab, ws in gaps.items() for w in ws]
            raise AnalysisError(
                "The series has missing periods, which would silently shorten runs and trends: "
                + "; ".join(lines[:10]) + (" ..." if len(lines) > 10 else "")
                + ". Add the missing rows, or ask for missing='drop' to analyse the points as consecutive.")
        for lab, ws in gaps.items():
            notes.setdefault(lab, []).extend(f"Gap in the series: {w}; points analysed as consecutive." for w in ws)

    flag = _rebase_flags(rebase, codes, dates, label_arr, notes, facet)
    n = len(dates)
    facet_start = np.ones(n, dtype=bool)
    facet_start[1:] = codes[1:] != codes[:-1]
    if not flag.any():
        # No rebase: one group per facet, so the sorted facet codes are the group ids (no running counts needed).
        group, group_start = codes, np.nonzero(facet_start)[0]
        segment = np.zeros(n, dtype=np.int64)
    else:
        new_group = facet_start | flag
        group = np.cumsum(new_group) - 1
        group_start = np.nonzero(new_group)[0]
        flag_cum = np.cumsum(flag)
        at_facet_start = np.nonzero(facet_start)[0]
        base = (flag_cum[at_facet_start] - flag[at_facet_start])[np.cumsum(facet_start) - 1]
        segment = flag_cum - base
    group_len = np.diff(np.append(group_start, n))
    return PreparedSeries(facet_code=codes, date=dates, y=y, segment=segment, group=group,
                          group_len=group_len, group_start=group_start, extra=numbers, notes=notes,
                          labels=label_arr)


def gap_notes(facet_code: np.ndarray, date: np.ndarray, labels: np.ndarray) -> dict:
    """Missing periods per facet for monthly, weekly or daily series; {} when the spacing is irregular.

    NHSRplotthedots does not look for gaps (issue #138) and treats the points as consecutive, which makes a
    missing month shorten runs and trends without anyone noticing; ttwell names the gaps. ``facet_code`` must
    be sorted (each facet's points contiguous and in date order).
    """
    n = len(date)
    if n < 2:
        return {}
    # The usual series has no gap by construction, and saying so needs only the steps in seconds (converting a
    # million dates to months costs tens of milliseconds): every step within a facet of 28 to 31 days (two
    # dates on the same day of the month, or both month ends, at most 31 days apart are one month apart; any
    # other facet with such steps has an irregular spacing and is not checked), or every step exactly one day,
    # or every step exactly one week.
    steps = np.diff(date.view(np.int64))
    if facet_code[0] != facet_code[-1]:  # several facets: the step from one facet into the next is no step
        steps = steps[facet_code[1:] == facet_code[:-1]]
    if not len(steps):
        return {}
    shortest, longest = int(steps.min()), int(steps.max())
    if 28 * _DAY <= shortest and longest <= 31 * _DAY or shortest == longest and shortest in (_DAY, 7 * _DAY):
        return {}
    from ttwell.inputs.dates import uk_date

    facet_start = np.nonzero(np.r_[True, facet_code[1:] != facet_code[:-1]])[0]
    facet_len = np.diff(np.append(facet_start, n))
    stepped = facet_len > 1  # facets of one point have no steps (and are left out of the reductions below)
    if not stepped.any():
        return {}
    # Whole days and months are counted on the calendar; each conversion of a million dates costs milliseconds,
    # so the steps are taken from the seconds and nothing is filtered when there is one facet.
    seconds = date.view(np.int64)
    day = date.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    days = np.diff(seconds) / 86400.0
    month_step = np.diff(month.view(np.int64))
    if len(facet_start) == 1:
        at, codes = np.arange(1, n), np.zeros(n - 1, dtype=facet_code.dtype)
    else:
        same = facet_code[1:] == facet_code[:-1]
        at = np.nonzero(same)[0] + 1
        days, month_step, codes = days[same], month_step[same], facet_code[at]
    out: dict = {}
    # A facet is monthly when every date has the same day of the month (or is a month end) and no two share a
    # month; daily or weekly when the smallest spacing is 1 or 7 days and every spacing is a multiple of it.
    day_of_month = (day - month.astype("datetime64[D]")).view(np.int64) + 1
    maybe_end = np.nonzero(day_of_month >= 28)[0]  # only these can be the last day of their month
    if len(maybe_end):
        is_end = (month[maybe_end] + 1).astype("datetime64[D]") - day[maybe_end] == np.timedelta64(1, "D")
        day_of_month[maybe_end[is_end]] = 99
    one_day = np.minimum.reduceat(day_of_month, facet_start) == np.maximum.reduceat(day_of_month, facet_start)
    step_start = (np.cumsum(facet_len - 1) - (facet_len - 1))[stepped]  # each facet's steps are contiguous
    smallest = np.full(len(facet_start), np.nan)
    smallest[stepped] = np.minimum.reduceat(days, step_start)
    monthly = np.zeros(len(facet_start), dtype=bool)
    monthly[stepped] = one_day[stepped] & (np.minimum.reduceat(month_step, step_start) >= 1)
    # Daily or weekly: every spacing a multiple of the smallest (worked out only where it can matter).
    candidate = stepped & ~monthly & np.isin(smallest, [1.0, 7.0])
    regular = np.zeros(len(facet_start), dtype=bool)
    if candidate.any():
        off_grid = np.zeros(len(days), dtype=bool)
        on = candidate[codes]
        off_grid[on] = np.mod(days[on], smallest[codes[on]]) != 0
        regular[stepped] = ~np.logical_or.reduceat(off_grid, step_start)
    step = np.where(monthly, 0.0, smallest)  # 0 marks a monthly facet
    checked = monthly | (candidate & regular)
    if not checked.any():
        return out
    if monthly[checked].all():  # the usual case: monthly series only, no per-step spacing needed
        gap = month_step > 1
        if not checked.all():
            gap &= checked[codes]
    else:
        facet_step = np.where(checked, step, np.nan)[codes]  # NaN where the spacing is irregular: no check
        gap = np.where(facet_step == 0, month_step > 1, days > np.where(np.isnan(facet_step), np.inf, facet_step))
    found = np.nonzero(gap)[0]
    for i in found[:200].tolist():  # enough to find them; a series with more gaps is not a monthly series
        facet_step = step[codes[i]]
        if facet_step == 0:
            count, unit = int(month_step[i] - 1), "month"
        else:
            count, unit = round(days[i] / facet_step - 1), "day" if facet_step == 1 else "week"
        j = at[i]
        out.setdefault(labels[codes[i]], []).append(
            f"{count} {unit}(s) missing between {uk_date(date[j - 1])} and {uk_date(date[j])}")
    if len(found) > 200:
        out.setdefault(labels[codes[found[200]]], []).append(f"... and {len(found) - 200} more gaps")
    return out


def _rebase_flags(rebase, codes, dates, label_arr, notes, facet) -> np.ndarray:
    """True on each row whose date is exactly a rebase date of its facet (that point starts a new segment)."""
    flag = np.zeros(len(codes), dtype=bool)
    if rebase is None or (not isinstance(rebase, dict) and len(date_list(rebase, "rebase")) == 0):
        return flag
    from ttwell.inputs.dates import uk_date

    if isinstance(rebase, dict):
        per_facet = {key: date_list(v, f"rebase['{key}']") for key, v in rebase.items()}
        unknown = [k for k in per_facet if k not in set(label_arr)]
        if unknown:
            raise ParameterError(f"rebase names facet(s) not in the data: {', '.join(map(str, unknown))}.")
    else:
        wanted_dates = date_list(rebase, "rebase")
        per_facet = {lab: wanted_dates for lab in label_arr}
    lookup = {lab: i for i, lab in enumerate(label_arr)}
    for lab, wanted_dates in per_facet.items():
        if not wanted_dates:
            continue
        rows = codes == lookup[lab]
        wanted = np.array(wanted_dates, dtype="datetime64[s]")
        flag |= rows & np.isin(dates, wanted)
        # ptd_spc silently ignores a rebase date that is not in the data; ttwell keeps going but says so.
        absent = [d for d in wanted_dates if not np.any(dates[rows] == np.datetime64(d, "s"))]
        for d in absent:
            notes.setdefault(lab, []).append(
                f"Rebase date {uk_date(d)} is not a date in the data" + (f" for '{lab}'" if facet else "")
                + "; it was ignored (a rebase date must be exactly the date of the first point of the new segment).")
    return flag
