"""Numbers by unit, from one place: how a proportion, a difference in percentage points, a count, a score, a
p-value or a date is written for a reader (text in reports and sentences) and formatted in a workbook (Excel
number formats).

Proportions are stored 0-1 and shown as ``12.3%``; a difference of two proportions is shown in percentage points
(``+1.6 pp``), never as a percentage; counts take thousands separators; p-values below 0.001 are written
``< 0.001``; dates are ``dd/mm/yyyy``. Workbook values are stored unrounded: only the display is rounded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd

_COUNT_UNITS = {"count", "fte", "people", "headcount"}

# --- text -----------------------------------------------------------------------------------------------------

def percent(value, decimals: int = 1) -> str:
    """A proportion as a percentage string; missing values as '[c]'-free 'not available'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    return f"{value * 100:.{decimals}f}%"


def points(value, decimals: int = 1) -> str:
    """A difference of two proportions in percentage points, signed: 0.016 -> '+1.6 pp'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    return f"{float(value) * 100:+.{decimals}f} pp"


def p_value(p) -> str:
    """'p < 0.001' style: tiny p-values differ in their last digits between machines and mean nothing more."""
    if p is None or pd.isna(p):
        return "-"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def count(value, decimals: int) -> str:
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.{decimals}f}"


def plain_number(value, decimals: int) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return str(value)  # years and codes must not gain a thousands separator
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d/%m/%Y")
    return str(value)


DATE = "DD/MM/YYYY"
PERCENT = "0.0%"
COUNT = "#,##0"
AMOUNT = "#,##0.0"
#: A difference on a 0-100 scale, always signed: "+3.2" and "-1.6", never a % sign (Excel's % multiplies by 100).
POINTS = "+0.0;-0.0;0.0"
#: p-values: "<0.001" below 0.001 (the value itself is kept), otherwise three decimals.
P_VALUE = '[<0.001]"<0.001";0.000'
#: Years and identifiers: no thousands separator ("2024", not "2,024").
WHOLE = "0"

#: Values with a percent format must lie in this range; anything outside is a 0-100 value or a ratio, not a
#: proportion, and would show as e.g. 4769.0%.
PERCENT_RANGE = (-1.5, 1.5)


# --- Excel number formats -------------------------------------------------------------------------------------------

def name_words(column: str) -> set[str]:
    return set(re.split(r"[_\s]+", str(column).lower()))


def is_p_value(column: str) -> bool:
    # "p", "p_holm", "mcnemar_p", "wilcoxon_p_holm"; not the percentiles p25/p75.
    return "p" in name_words(column)


def _all_whole(values: pd.Series) -> bool:
    values = values.dropna()
    return bool(len(values)) and bool((values == values.round()).all())


def _at_most_one_decimal(values: pd.Series) -> bool:
    values = values.dropna()
    return bool(len(values)) and bool(((values * 10 - (values * 10).round()).abs() < 1e-9).all())


def _in_percent_range(values: pd.Series) -> bool:
    values = values.dropna()
    return bool(((values >= PERCENT_RANGE[0]) & (values <= PERCENT_RANGE[1])).all())


def _decimals_format(values: pd.Series, *, statistic: bool) -> str:
    """Decimals by size: big numbers need none after the point, small ones need more to say anything."""
    values = values.dropna().abs()
    biggest = float(values.max()) if len(values) else 0.0
    if biggest >= 1000:
        return COUNT if statistic else AMOUNT
    if biggest >= 100:
        return AMOUNT
    if statistic:
        # A 0-100 score (confidence, JOY) reads to one decimal; a 1-7 or 0-4 mean needs two.
        return "0.0" if biggest >= 10 else "0.00"
    if biggest >= 1:
        return "0.00"
    return "0.000"


#: Statistics on the scale of the scores themselves (a mean, its SD and interval, a change): their decimals
#: follow that scale. Scale-free statistics (alpha, ICC, effect sizes, test statistics) go by their own size.
_ON_SCALE_WORDS = {"mean", "sd", "ci", "low", "high", "score", "median", "p25", "p75", "iqr", "min", "max",
                   "difference", "change", "limit", "lpl", "upl", "range", "value", "latest", "baseline",
                   "evaluation", "pre", "post", "benchmark"}
_SCALE_FREE_WORDS = {"alpha", "icc", "d", "z", "av", "gz", "t", "statistic", "estimate", "effect", "tau2",
                     "sigma2"}


def _row_scales(df: pd.DataFrame) -> pd.Series | None:
    """The size of the scale each row's scores are on: ``scale_max`` when the table has it, else the largest
    mean in the row (a table of several instruments mixes 1-7 and 0-100 scores)."""
    if "scale_max" in df.columns:
        return pd.to_numeric(df["scale_max"], errors="coerce")
    means = [c for c in df.columns if "mean" in name_words(c) and pd.api.types.is_numeric_dtype(df[c])
             and not pd.api.types.is_bool_dtype(df[c]) and not name_words(c) & (_SCALE_FREE_WORDS | {"sd", "iqr"})]
    if not means:
        return None
    return df[means].abs().max(axis=1)


def _count_like(column: str) -> bool:
    tokens = name_words(column)
    return (str(column).lower().startswith("n_") or str(column).lower() == "n"
            or bool(tokens & {"count", "leavers", "joiners", "rows", "warnings", "respondents", "people", "points",
                              "items", "complete", "teams", "evidence", "improved", "worse", "mixed", "responses",
                              "citing", "headcount", "eligible"}))


def _plain_number_format(column: str, values: pd.Series, scales: pd.Series | None) -> list[str] | str:
    """The format of a numeric column that the table spec says nothing about."""
    tokens = name_words(column)
    if is_p_value(column):
        return P_VALUE
    if "relative" in tokens:
        return "0.00"  # a ratio (0.25 = 25% higher): may exceed 150%, so never a percent format
    if tokens & {"share", "rate", "proportion"} and _in_percent_range(values):
        return PERCENT
    if _all_whole(values):
        return WHOLE if tokens & {"year", "id", "code"} else COUNT
    if _count_like(column):
        return AMOUNT  # a count that is a mean (staff in post over months) keeps one decimal
    if _at_most_one_decimal(values) and values.abs().max() < 1000:
        return "0.0"  # published to one decimal (NHS Staff Survey scores): no made-up precision
    on_scale = bool(tokens & _ON_SCALE_WORDS) and not tokens & _SCALE_FREE_WORDS
    if on_scale and scales is not None and scales.notna().any() and values.abs().max() < 1000:
        # Scores on different scales in one column: each row to the decimals its own scale needs.
        return ["0.0" if (m == m and m >= 20) else "0.00" for m in scales.tolist()]
    return _decimals_format(values, statistic=on_scale or bool(tokens & _SCALE_FREE_WORDS))


def number_formats(df: pd.DataFrame, spec: Mapping) -> dict[str, list[str | None]]:
    """The Excel number format of every cell of a table, row by row, from its units.

    The table spec in ``results.json`` says which columns are proportions (``percent_columns``), counts
    (``count_columns``) and dates (``date_columns``); a ``unit`` column says, row by row, whether a value is a
    proportion or a count (a tidy table mixes them). Everything else is inferred from the column's name and
    values: p-values, shares and rates, whole numbers, and statistics (means, SDs, intervals) to a number of
    decimals that suits their size. A column declared as proportions whose values are not proportions (a
    0-100 score) gets a plain number format instead of showing as thousands of percent.

    Parameters
    ----------
    df : pandas.DataFrame
        The table as read from its CSV (dates already parsed).
    spec : mapping
        The table's entry in ``results.json``.

    Returns
    -------
    dict
        Column -> one format per row (None for text and flag columns).

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["proportion", "count"], "value": [0.043, 176.0], "p": [0.0004, 0.2]})
    >>> number_formats(df, {"percent_columns": ["value"]})["value"]
    ['0.0%', '#,##0.0']
    >>> number_formats(df, {})["p"]
    ['[<0.001]"<0.001";0.000', '[<0.001]"<0.001";0.000']
    """
    date_cols = set(spec.get("date_columns") or [])
    percent_cols = set(spec.get("percent_columns") or [])
    count_cols = set(spec.get("count_columns") or [])
    n = len(df)
    units = df["unit"].astype(str).str.lower().tolist() if "unit" in df.columns else None
    scales = _row_scales(df)
    out: dict[str, list[str | None]] = {}
    for col in df.columns:
        series = df[col]
        if col in date_cols:
            out[col] = [DATE] * n
            continue
        if col == "suppressed" or pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            out[col] = [None] * n
            continue
        values = series.astype(float)
        rows_follow_unit = units is not None and (col in percent_cols or (
            not percent_cols and col not in count_cols and not _all_whole(values) and not _count_like(col)
            and "proportion" in units
            and _in_percent_range(values[[u == "proportion" for u in units]])))
        if rows_follow_unit:
            # A tidy table: the row's unit decides.
            is_prop = [u == "proportion" for u in units]
            prop_values = values[is_prop]
            prop_format = PERCENT if _in_percent_range(prop_values) else _decimals_format(prop_values, statistic=True)
            # Other rows (counts, FTE) are judged per indicator, so one indicator reads alike in every row:
            # joiners as whole numbers, a mean headcount (175.6) or an interval to one decimal.
            keys = (df["indicator"] if "indicator" in df.columns else pd.Series(units, index=df.index)).astype(str)
            other_formats = {}
            for key, group in values[[not x for x in is_prop]].groupby(keys[[not x for x in is_prop]]):
                group_units = {u for u, k in zip(units, keys) if k == key}
                if _all_whole(group) or group.isna().all():
                    other_formats[key] = COUNT
                elif group_units & _COUNT_UNITS or group.abs().max() >= 100:
                    other_formats[key] = AMOUNT
                else:
                    other_formats[key] = _decimals_format(group, statistic=True)
            out[col] = [prop_format if p else other_formats.get(k, AMOUNT) for p, k in zip(is_prop, keys)]
        elif col in percent_cols:
            fmt = PERCENT if _in_percent_range(values) else _decimals_format(values, statistic=True)
            out[col] = [fmt] * n
        elif col in count_cols:
            out[col] = [COUNT if _all_whole(values) else AMOUNT] * n
        else:
            fmt = _plain_number_format(col, values, scales)
            out[col] = fmt if isinstance(fmt, list) else [fmt] * n
    return out


FIGURE_FORMATS = {"proportion": PERCENT, "percent": "0.0", "percentage points": POINTS, "count": COUNT,
                  "people": COUNT}


def figure_format(value, unit: str | None) -> str | None:
    """The number format of a headline figure from its recorded unit.

    Examples
    --------
    >>> figure_format(47.7, "percent"), figure_format(0.043, "proportion"), figure_format(0.41987, None)
    ('0.0', '0.0%', '0.000')
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    unit = str(unit or "").lower()
    fmt = FIGURE_FORMATS.get(unit)
    if fmt == PERCENT and not PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]:
        fmt = None  # a mislabelled 0-100 value: shown as a number rather than as thousands of percent
    if fmt == COUNT and not float(value).is_integer():
        fmt = AMOUNT
    if fmt is None and unit == "score":
        fmt = _decimals_format(pd.Series([float(value)]), statistic=True)  # 53.4 on 0-100; 4.62 on 1-7
    if fmt is None:
        fmt = _plain_number_format("value", pd.Series([float(value)]), None)
        fmt = fmt if isinstance(fmt, str) else "0.00"
    return fmt


