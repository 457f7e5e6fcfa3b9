"""SPC shared core: constants, result types, point types and the variation and assurance icons (with their words).

Everything here is used by more than one chart family (:mod:`.xmr_chart`, :mod:`.runs`, :mod:`.attribute`); the
sources of the constants are in ``spc.md``. The icon words live here, next to the icons, so that charts and labels
reuse them rather than spelling them again.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import numpy as np
import pandas as pd

# --- constants (sources in spc.md) ----------------------------------------------------------------------
LIMIT_MULTIPLIER = 2.66  # 3 / d2 with d2 = 1.128, rounded as NHSRplotthedots and the MDC tools do
TWO_SIGMA_MULTIPLIER = 2 * LIMIT_MULTIPLIER / 3  # 1.77333...; the peer's "close to limits" line
MR_SCREEN_MULTIPLIER = 3.267  # Nelson (1982) upper limit of the moving range, D4 for n = 2
SHORT_SERIES_POINTS = 13  # NHSRplotthedots warns for n < 13 (ptd_spc.warning_threshold); MDC shows limits from 13
MIN_FIX_AFTER_N_POINTS = 12  # ptd_spc refuses a fixed baseline of fewer than 12 points
MIN_USEFUL_RUNS_POINTS = 10  # Anhøj's tables start at 10 useful points; fewer gives the runs rules little power

DIRECTIONS = ("increase", "decrease", "neutral")
RULES = ("outside_limits", "trend", "two_in_three", "shift", "none")
SIDES = ("high", "low", "none")
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

class _FrozenRecord:
    """Two tables and the options, read-only: what ``@dataclass(frozen=True)`` would give, written out by hand.

    Making a dataclass costs about 0.5 ms at import, as much as a small chart takes to compute, and the result
    types are made every time the SPC code is imported. The behaviour is the frozen dataclass's: positional or
    keyword arguments, ``options`` defaulting to a new empty dict, equality field by field, the same repr, and
    no assignment after creation.
    """

    _fields: tuple = ()

    def __init__(self, *args, **kwargs):
        names = self._fields
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__}() takes {len(names)} arguments but {len(args)} were given")
        values = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument '{key}'")
            if key in values:
                raise TypeError(f"{type(self).__name__}() got multiple values for argument '{key}'")
            values[key] = value
        values.setdefault("options", {})
        missing = [name for name in names if name not in values]
        if missing:
            raise TypeError(f"{type(self).__name__}() missing required argument(s): {', '.join(missing)}")
        for name in names:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name, value):
        raise FrozenInstanceError(f"cannot assign to field '{name}'")

    def __delattr__(self, name):
        raise FrozenInstanceError(f"cannot delete field '{name}'")

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self):
        return hash(self._values())

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in self._fields)})"


class SPCResult(_FrozenRecord):
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

    _fields = ("points", "summary", "options")
    __match_args__ = _fields
    points: pd.DataFrame
    summary: pd.DataFrame
    options: dict

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


class RunChartResult(_FrozenRecord):
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

    _fields = ("points", "parts", "options")
    __match_args__ = _fields
    points: pd.DataFrame
    parts: pd.DataFrame
    options: dict


# --- categorical columns -----------------------------------------------------------------------------------

def categorical(codes: np.ndarray, categories) -> pd.Categorical:
    """A categorical column from integer codes: text arrays of a million points are slow to build."""
    return pd.Categorical.from_codes(codes, categories=categories)


def point_type_codes(side_codes: np.ndarray, direction: str) -> np.ndarray:
    """Codes into :data:`POINT_TYPES` from codes into :data:`SIDES` and the improvement direction (spc.md 2.5)."""
    high, low = side_codes == 0, side_codes == 1
    out = np.zeros(len(side_codes), dtype=np.int8)
    if direction == "neutral":
        codes = ((3, high), (4, low))
    else:
        good, bad = (high, low) if direction == "increase" else (low, high)
        codes = ((1, good), (2, bad))
    for code, where in codes:
        np.copyto(out, np.int8(code), where=where)  # a masked copy, faster than boolean indexing
    return out


# --- icons and their words --------------------------------------------------------------------------------

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


# --- group helpers (one group per facet and segment, contiguous) -------------------------------------------

def group_sum(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum of ``values`` per group."""
    return np.bincount(group, weights=values, minlength=n_groups)


def group_mean(values: np.ndarray, mask: np.ndarray, group: np.ndarray, group_start: np.ndarray,
               scratch: np.ndarray | None = None) -> np.ndarray:
    """Mean of ``values[mask]`` per group; NaN where a group has no such value.

    Sums are taken in order with ``bincount`` (not numpy's pairwise sum), so they match to the last bit
    whichever way the groups are cut. ``scratch``, a float array the size of ``values``, takes the masked values
    instead of a new array (on a million points each fresh 8 MB array costs milliseconds on a first call).
    """
    n_groups = len(group_start)
    all_in = bool(mask.all())
    if all_in:
        weights = values
    elif scratch is None:
        weights = np.where(mask, values, 0.0)
    else:
        weights = scratch
        np.copyto(weights, 0.0)
        np.copyto(weights, values, where=mask)
    total = group_sum(weights, group, n_groups)
    count = np.diff(np.append(group_start, len(values))) if all_in else group_count(mask, group_start)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)


def group_count(mask: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """Number of True values of ``mask`` per group (groups are contiguous and start at ``group_start``)."""
    if len(group_start) == 1:  # one group: a plain count, which numpy has warmed up already on a first call
        return np.array([np.count_nonzero(mask)], dtype=np.int64)
    return np.add.reduceat(mask, group_start, dtype=np.int64)


def per_point(values: np.ndarray, group_len: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """A per-group value repeated over the group's points (groups contiguous, in order), into ``out`` if given."""
    if len(values) == 1:  # one group: a fill, without reading the lengths
        if out is None:
            return np.full(int(group_len[0]), values[0])
        out.fill(values[0])
        return out
    if out is None:
        return np.repeat(values, group_len)
    out[:] = np.repeat(values, group_len)
    return out


def in_long_run(key: np.ndarray, group_start: np.ndarray, min_length: int) -> np.ndarray:
    """True for each point in a run of at least ``min_length`` equal ``key`` values; runs never cross a group start.

    A point is in such a run when some window of ``min_length`` consecutive points around it holds one run:
    found with a few passes over boolean arrays, so that a million points need no per-point run ids or lengths.
    """
    n = len(key)
    if min_length <= 1:
        return np.ones(n, dtype=bool)
    if n < min_length:
        return np.zeros(n, dtype=bool)
    same = np.empty(n, dtype=bool)  # point i carries on the run of point i - 1
    same[0] = False
    np.equal(key[1:], key[:-1], out=same[1:])
    same[group_start] = False
    m = n - min_length + 1
    window = same[1:m + 1].copy()  # window[j]: points j .. j + min_length - 1 are one run
    for k in range(2, min_length):
        window &= same[k:m + k]
    out = np.zeros(n, dtype=bool)
    for k in range(min_length):
        out[k:m + k] |= window
    return out


