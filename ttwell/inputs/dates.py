"""Dates: the one place where ttwell reads a date from a file or a parameter, and writes one for a reader.

UK services write dates day-first (31/03/2024). pandas on its own reads "01/04/2023" month-first (4 January),
so every date is parsed here with explicit day-first or ISO formats, never guessed.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from ttwell.errors import InputError, ParameterError, Problem

# Accepted text forms, tried in this order: day-first UK forms and ISO; never month-first.
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y")
PARAMETER_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
EXPECTED = "a date as dd/mm/yyyy or yyyy-mm-dd"


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse text or spreadsheet date cells day-first; NaT where no accepted format matched.

    Real date cells (Excel gives ``datetime``; ``pd.Timestamp`` is a subclass) are kept as they are, at
    midnight; text is tried against :data:`DATE_FORMATS` in order.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        return out.astype("datetime64[ns]")
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    is_date_cell = values.map(lambda v: isinstance(v, (datetime.date, np.datetime64)))
    if is_date_cell.any():
        out[is_date_cell] = pd.to_datetime(values[is_date_cell].map(pd.Timestamp)).dt.normalize()
    text = values.where(~is_date_cell, "").astype(str).str.strip()
    for fmt in DATE_FORMATS:
        todo = out.isna() & (text != "") & (text.str.lower() != "nan")
        if not todo.any():
            break
        out.loc[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    return out


def parse_month_cells(text: pd.Series) -> pd.Series:
    """Month cells written ``yyyy-mm`` (as the monthly templates allow) as the month's first day; NaT otherwise."""
    return pd.to_datetime(text, format="%Y-%m", errors="coerce")


def parse_month(value: str, name: str) -> pd.Timestamp:
    """One month given as a parameter, written ``MM/YYYY``: the last day of that month.

    Raises :class:`ParameterError` naming the parameter.
    """
    try:
        first = pd.to_datetime(str(value).strip(), format="%m/%Y")
    except ValueError:
        raise ParameterError(f"The {name.replace('_', ' ')} must be written MM/YYYY (for example 04/2024); "
                             f"got '{value}'.") from None
    return pd.Period(first, "M").to_timestamp(how="end").normalize()


def require_dates(values: pd.Series, column: str, file: str = "data") -> pd.Series:
    """Parse a date column that must be complete (as :func:`parse_dates`), to whole seconds.

    Raises :class:`InputError` listing every cell that is blank or not a date, with its spreadsheet row (the
    frame's index + 2, as :func:`ttwell.inputs.io.read_raw` keeps the file's row order).
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        # Real dates go straight to seconds: through nanoseconds, dates after 2262 would overflow.
        out = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        out = out.astype("datetime64[s]")
    else:
        out = parse_dates(values).astype("datetime64[s]")
    bad = out.isna()
    if bad.any():
        problems = [Problem(file, _row(i), column, None if pd.isna(v) else str(v), EXPECTED, problem="not a date")
                    for i, v in values[bad].head(20).items()]
        raise InputError(problems,
                         intro=f"{int(bad.sum())} cell(s) in '{column}' are not dates; nothing was calculated.")
    return out


def parse_date(value, name: str) -> pd.Timestamp:
    """One date given as a parameter: a date, or text as dd/mm/yyyy or yyyy-mm-dd (never month-first).

    Raises :class:`ParameterError` naming the parameter.
    """
    if isinstance(value, str) or value is None:
        for fmt in PARAMETER_FORMATS:
            try:
                return pd.to_datetime(str(value).strip(), format=fmt)
            except (ValueError, TypeError):
                continue
        raise ParameterError(f"Parameter '{name}' must be a date as dd/mm/yyyy (for example 31/03/2024); "
                             f"got '{value}'.")
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ParameterError(f"Parameter '{name}' must be a date as dd/mm/yyyy; got {value!r}.") from None
    if pd.isna(stamp):
        raise ParameterError(f"Parameter '{name}' must be a date; got an empty value.")
    return stamp.tz_localize(None) if stamp.tzinfo else stamp


def uk_date(day) -> str:
    """A date as a UK reader writes it: dd/mm/yyyy."""
    return pd.Timestamp(day).strftime("%d/%m/%Y")


def _row(index) -> int | None:
    try:
        return int(index) + 2
    except (TypeError, ValueError):
        return None
