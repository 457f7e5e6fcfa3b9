"""Reading the cells of survey answers: blanks, numbers, spreadsheet row numbers, allowed values, and the
problem lines that name them (used by ``ttwell.inputs.instruments.answers`` and ``.response_forms``).
"""

from __future__ import annotations

import difflib
import os
import re

import numpy as np
import pandas as pd

from ttwell.errors import Problem
from ttwell.inputs.instruments.definitions import Instrument
from ttwell.inputs.reading import MAX_LISTED_PER_COLUMN

BLOCK_ROWS = 32_768


def row_blocks(n: int):
    """Row blocks: element-wise work on a block that fits in cache is several times faster than on a
    million-row matrix, and the temporaries stay small."""
    for start in range(0, n, BLOCK_ROWS):
        yield slice(start, min(n, start + BLOCK_ROWS))



def _column_lookup(frame: pd.DataFrame) -> dict[str, str]:
    """Lower-case name -> the frame's own column name (read_raw lower-cases headers; a DataFrame may not)."""
    lookup: dict[str, str] = {}
    for column in frame.columns:
        lookup.setdefault(str(column).strip().lower(), column)
    return lookup


def _row_numbers(frame: pd.DataFrame) -> np.ndarray:
    """Spreadsheet row of each record: header = row 1. read_raw keeps the file's positions in the index
    (blank rows dropped), so an integer index is trusted; anything else falls back to position."""
    index = frame.index
    if index.dtype.kind in "iu" and index.is_unique and (len(index) == 0 or index.min() >= 0):
        return index.to_numpy(dtype=np.int64) + 2
    return np.arange(len(frame), dtype=np.int64) + 2


def _blank(values: pd.Series) -> np.ndarray:
    """Missing or empty text: what 'blank' means in every template (read_raw has already stripped cells)."""
    missing = values.isna().to_numpy()
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        missing = missing | values.eq("").to_numpy(dtype=bool, na_value=False)
    return missing


def _per_value(values: pd.Series, func, missing) -> np.ndarray:
    """``func`` applied once per distinct value rather than once per row: a long file repeats a few dozen
    item ids millions of times."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([func(u) for u in uniques] + [missing], dtype=object)
    return mapped[codes]  # code -1 (missing) picks the appended last entry


def _show(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _listed(problems: list[Problem], file: str, rows: np.ndarray, column: str, values, expected: str,
            what: str) -> None:
    """Add one problem per row, up to the cap io uses, then one summary line (keeps a 1M-row report readable)."""
    for i in range(min(len(rows), MAX_LISTED_PER_COLUMN)):
        problems.append(Problem(file, int(rows[i]), column, _show(values[i]), expected, problem=what))
    if len(rows) > MAX_LISTED_PER_COLUMN:
        problems.append(Problem(file, None, column, None, expected,
                                problem=f"{what} in {len(rows) - MAX_LISTED_PER_COLUMN} more rows"))


def _number(cell) -> float | None:
    """A cell as a float; NaN when blank, None when it is not a finite number ('three', 'n/a', 'inf')."""
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
        return float(cell) if not np.isinf(cell) else None
    text = str(cell).strip()
    if not text:
        return np.nan
    try:
        number = float(text)
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def _to_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers from numeric or text cells; returns the floats (NaN = blank or unreadable) and the unreadable mask."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=np.float64, na_value=np.nan), np.zeros(len(values), dtype=bool)
    # Text cells repeat '1' ... '5' a million times: parse each distinct cell once. Code -1 (missing) picks the
    # appended last entry.
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = [_number(u) for u in uniques]
    numbers = np.array([np.nan if v is None else v for v in parsed] + [np.nan], dtype=np.float64)
    unreadable = np.array([v is None for v in parsed] + [False], dtype=bool)
    return numbers[codes], unreadable[codes]


def _value_ok(values: np.ndarray, allowed: tuple[float, ...]) -> np.ndarray:
    """True where a value is one of ``allowed`` (NaN is never allowed; callers treat NaN as blank)."""
    low, high = allowed[0], allowed[-1]
    whole_range = len(allowed) > 3 and all(float(v).is_integer() for v in allowed) \
        and len(allowed) == int(high - low) + 1
    if whole_range:
        # Comparisons beat np.isin on floats by an order of magnitude at a million respondents.
        return (values >= low) & (values <= high) & (values == np.rint(values))
    ok = np.zeros(values.shape, dtype=bool)
    for value in allowed:
        ok |= values == value
    return ok


def _expected_values(inst: Instrument, allowed: tuple[float, ...], coding: str | None) -> str:
    low, high = allowed[0], allowed[-1]
    if all(float(v).is_integer() for v in allowed) and len(allowed) == int(high - low) + 1:
        text = f"a whole number from {low:g} to {high:g}"
    else:
        text = "one of " + ", ".join(f"{v:g}" for v in allowed)
    text += ", or blank"
    if len(inst.codings) > 1:
        others = ", ".join(c.name for c in inst.codings if c.name != (coding or inst.codings[0].name))
        text += (f" ({inst.id} coding {coding or inst.codings[0].name}; if the wave used {others}, declare it in "
                 f"{inst.coding_column or 'the coding option'})")
    return text


def _item_prefix(inst: Instrument) -> str:
    """'OLBI_' for OLBI_01..16: a wide column with this prefix but no such item is reported, not ignored."""
    common = os.path.commonprefix([i.upper() for i in inst.items])
    return common[: common.rfind("_") + 1] if "_" in common else ""


def _unknown_item_expected(inst: Instrument, found: str) -> str:
    upper = {i.upper(): i for i in inst.items}
    # 'OLBI_3' is most often OLBI_03 without its zero; string similarity alone would say OLBI_13.
    number = re.match(r"^(.*?)(\d+)$", found.upper())
    padded = f"{number.group(1)}{int(number.group(2)):02d}" if number else ""
    close = [padded] if padded in upper else difflib.get_close_matches(found.upper(), list(upper), n=1)
    hint = f" (did you mean '{upper[close[0]]}'?)" if close else ""
    return f"an item of {inst.id} ({inst.items[0]} ... {inst.items[-1]}){hint}"
