"""Survey responses in their two forms: long (one row per answer, the ``survey_responses`` template) and wide
(one row per respondent, one column per item id), and the lossless conversion between them.

Example
-------
>>> import pandas as pd
>>> from ttwell.inputs.instruments.response_forms import wide_to_long
>>> wide_to_long(pd.DataFrame({"wave_id": ["w1"], "response_id": ["r1"], "JOY_01": [3]}))["item_id"].tolist()
['JOY_01']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.errors import InputError, ParameterError, Problem
from ttwell.inputs.instruments.answer_cells import _blank, _column_lookup, _row_numbers, _show
from ttwell.inputs.instruments.answers import ID_COLUMNS
from ttwell.inputs.instruments.loading import as_instrument, available_instruments, load_instrument
from ttwell.inputs.reading import MAX_LISTED_PER_COLUMN


def _known_items(instruments) -> dict[str, tuple[str, str, int]]:
    """Upper-case item id -> (instrument id, item id, position), shipped instruments plus any given."""
    found: dict[str, tuple[str, str, int]] = {}
    given = [as_instrument(i) for i in instruments or []]
    for inst in [*given, *(load_instrument(i) for i in available_instruments())]:
        for position, item in enumerate(inst.items):
            found.setdefault(item.upper(), (inst.id, item, position))
    return found


def long_to_wide(long: pd.DataFrame, *, id_columns=ID_COLUMNS, file: str = "(data)") -> pd.DataFrame:
    """Long responses -> one row per respondent with one column per item id (lossless; see wide_to_long).

    Every column other than ``instrument, item_id, item_value`` is a respondent column and must agree across
    the respondent's rows. Item columns come after them, grouped by instrument (in order of first appearance)
    and in each instrument's published order. Integer values become nullable ``Int64`` columns.

    Raises InputError for a second answer to the same item or a respondent column that differs between rows.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"wave_id": "w1", "response_id": ["r1", "r1"], "instrument": "JOY",
    ...                      "item_id": ["JOY_02", "JOY_01"], "item_value": [9, 3]})
    >>> long_to_wide(long).columns.tolist()
    ['wave_id', 'response_id', 'JOY_01', 'JOY_02']
    """
    lookup = _column_lookup(long)
    missing = [c for c in ("item_id", "item_value") if c not in lookup]
    if missing:
        raise ParameterError(f"Long responses need the columns item_id and item_value; missing: {', '.join(missing)}.")
    instrument_col = lookup.get("instrument")
    item_col, value_col = lookup["item_id"], lookup["item_value"]
    respondent_cols = [c for c in long.columns if c not in (instrument_col, item_col, value_col)]
    id_names = [lookup.get(str(c).lower(), c) for c in id_columns]
    absent = [c for c in id_names if c not in long.columns]
    if absent:
        raise ParameterError(f"Long responses need the id column(s) {', '.join(map(str, absent))}.")
    rows = _row_numbers(long)
    known = _known_items([])
    item_text = long[item_col].astype(str).str.strip()
    item_key = item_text.map(lambda v: known.get(v.upper(), (None, v, 0))[1])
    respondent = long.groupby(id_names, sort=False, dropna=False).ngroup().to_numpy()
    problems: list[Problem] = []
    pairs = pd.Series(list(zip(respondent, item_key)))
    dupes = pairs.duplicated().to_numpy()
    for i in np.flatnonzero(dupes)[:MAX_LISTED_PER_COLUMN]:
        problems.append(Problem(file, int(rows[i]), item_col, item_text.iloc[i],
                                "one answer per respondent per item", problem="duplicate answer"))
    for column in respondent_cols:
        text = long[column].astype(object).where(~_blank(long[column]), None)
        varies = text.groupby(respondent).transform("nunique").to_numpy() > 1
        for i in np.flatnonzero(varies)[:MAX_LISTED_PER_COLUMN]:
            problems.append(Problem(file, int(rows[i]), str(column), _show(text.iloc[i]),
                                    "the same value on every row of a respondent",
                                    problem="differs within one respondent"))
    if problems:
        raise InputError(problems)

    # Column order: instruments by first appearance, items in published order; unknown items by appearance.
    instrument_rank: dict[str, int] = {}
    order = {}
    for item in dict.fromkeys(item_key):
        inst_id, _, position = known.get(item.upper(), (None, item, 0))
        rank = instrument_rank.setdefault(inst_id or f"?{item}", len(instrument_rank))
        order[item] = (rank, position if inst_id else 0, len(order))
    items = sorted(order, key=order.get)
    column_of = {item: j for j, item in enumerate(items)}
    n = int(respondent.max()) + 1 if len(respondent) else 0
    _, first = np.unique(respondent, return_index=True)
    wide = long.iloc[first][respondent_cols].reset_index(drop=True)
    for column in respondent_cols:
        blank = _blank(long[column])
        if blank.any():  # a respondent's first row may be the blank one: take the first value given
            wide[column] = long[column].astype(object).where(~blank, None).groupby(respondent).first() \
                .reindex(range(n)).to_numpy()
    values = long[value_col]
    integer = pd.api.types.is_integer_dtype(values.dtype)
    numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
    matrix = np.full((n, len(items)), np.nan if numeric else None, dtype=np.float64 if numeric else object)
    matrix[respondent, item_key.map(column_of).to_numpy(dtype=np.int64)] = \
        values.to_numpy(dtype=np.float64, na_value=np.nan) if numeric else values.to_numpy(dtype=object)
    block = pd.DataFrame(matrix, columns=items)
    if integer:
        block = block.astype("Int64")
    return pd.concat([wide, block], axis=1)


def wide_to_long(wide: pd.DataFrame, *, instruments=None, drop_blank: bool = True) -> pd.DataFrame:
    """Wide responses -> the long ``survey_responses`` form (one row per respondent per answered item).

    Item columns are recognised (any case) from the shipped instruments and any ``instruments`` given (your
    own definitions); every other column is a respondent column, repeated on each of the respondent's rows.
    A blank answer and no row mean the same thing (missing), so blank cells are dropped unless
    ``drop_blank=False``. ``long_to_wide(wide_to_long(w))`` gives ``w`` back, and the other way round.

    Returns columns ``*respondent columns, instrument, item_id, item_value``, respondent by respondent.

    Examples
    --------
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"wave_id": ["w1"], "response_id": ["r1"], "joy_01": [3], "JOY_02": [None]})
    >>> wide_to_long(wide)[["instrument", "item_id", "item_value"]].values.tolist()
    [['JOY', 'JOY_01', 3]]
    """
    known = _known_items(instruments)
    item_columns = [c for c in wide.columns if str(c).strip().upper() in known]
    respondent_cols = [c for c in wide.columns if c not in item_columns]
    n, k = len(wide), len(item_columns)
    block = wide[item_columns]
    integer = k > 0 and all(pd.api.types.is_integer_dtype(t) for t in block.dtypes)
    numeric = k > 0 and all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t)
                            for t in block.dtypes)
    values = block.to_numpy(dtype=np.float64, na_value=np.nan) if numeric else block.to_numpy(dtype=object)
    values = values.reshape(-1)
    keep = np.ones(n * k, dtype=bool)
    if drop_blank:
        keep = ~_blank(pd.Series(values, dtype=np.float64 if numeric else object))
    respondent = np.repeat(np.arange(n), k)[keep]
    which = np.tile(np.arange(k), n)[keep]
    long = wide[respondent_cols].iloc[respondent].reset_index(drop=True)
    canonical = [known[str(c).strip().upper()] for c in item_columns]
    long["instrument"] = np.array([c[0] for c in canonical], dtype=object)[which] if k else []
    long["item_id"] = np.array([c[1] for c in canonical], dtype=object)[which] if k else []
    item_values = pd.Series(values[keep], dtype=np.float64 if numeric else object)
    if integer:
        # Integers stay integers: plain int64 when nothing is blank, nullable Int64 otherwise.
        item_values = item_values.astype("Int64")
        if not item_values.isna().any():
            item_values = item_values.astype(np.int64)
    long["item_value"] = item_values.to_numpy() if not integer else item_values.array
    return long
