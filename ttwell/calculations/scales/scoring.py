"""Scoring survey instruments: validated responses in, one row of scores per respondent out.

Responses may be LONG (``instrument, item_id, item_value`` columns, as the ``survey_responses`` template) or
WIDE (one column per item id); the scorer tells them apart by the ``item_id``/``item_value`` columns. Values may
be numbers or text cells (as :func:`ttwell.inputs.io.read_raw` returns them).

Nothing is imputed or clipped (domain spec 3): a value outside the instrument's allowed set, a value that is not
a number, an unknown item id, an unknown response coding and a second answer to the same item by the same
respondent are all problems, collected together and raised as one :class:`ttwell.errors.InputError` with the file,
row (as a spreadsheet shows it: header = row 1), column and value of each.

The order of work per respondent and item: recode an alternative response coding to the default (OLBI SD1_SA4
-> SA1_SD4), transform (NQPS9: (x - 1) x 2.5), reverse (``min + max - x`` on the transformed scale, plus the
items of the respondent's wave variant), then subscale means or sums with the missing-item rule, conversion
tables, and composites. Everything is vectorised over respondents.

Example
-------
>>> import pandas as pd
>>> from ttwell.calculations.scales import score
>>> wide = pd.DataFrame({"wave_id": ["w1"], "response_id": ["r1"],
...                      **{f"OLBI_{i:02d}": [2] for i in range(1, 17)}})
>>> score(wide, "OLBI")[["exhaustion", "disengagement"]].iloc[0].tolist()   # spec 3.2 self-check
[2.5, 2.5]
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ttwell.errors import InputError, ParameterError, Problem
from ttwell.inputs.io import MAX_LISTED_PER_COLUMN
from ttwell.calculations.scales.registry import Bands, Instrument, load_instrument

ID_COLUMNS = ("wave_id", "response_id")
KEEP_COLUMNS = ("team_code", "role_family", "tenure_band")
BLOCK_ROWS = 32_768

Setting = str | Mapping | pd.Series | pd.DataFrame | None


# --- small helpers ---------------------------------------------------------------------------------------

def _instrument(instrument: Instrument | str | Path) -> Instrument:
    return instrument if isinstance(instrument, Instrument) else load_instrument(instrument)


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


# --- wave settings: response coding and wording variant ----------------------------------------------------

@dataclass
class _SettingSpec:
    kind: str            # "coding" or "variant"
    options: tuple[str, ...]
    default: str | None  # None: must be declared (TPS variant)
    column: str | None   # the survey_waves column that declares it


def _spec(inst: Instrument, kind: str) -> _SettingSpec:
    if kind == "coding":
        return _SettingSpec("coding", tuple(c.name for c in inst.codings), inst.codings[0].name, inst.coding_column)
    return _SettingSpec("variant", tuple(v.name for v in inst.variants), None, inst.variant_column)


def _resolve_setting(spec: _SettingSpec, given: Setting, inst: Instrument, frame: pd.DataFrame,
                     lookup: dict[str, str], rows: np.ndarray, file: str,
                     problems: list[Problem]) -> np.ndarray | None:
    """The coding or variant of every record, or None when every record uses the default.

    ``given`` may be one name for all, a mapping wave_id -> name (a Series, or the survey_waves table itself),
    or None: then the record's own column (``ps_variant``, ``olbi_response_coding``) is used if present.
    """
    label = "response coding" if spec.kind == "coding" else "variant"
    if len(spec.options) <= (1 if spec.kind == "coding" else 0):
        if given is not None and not (spec.kind == "coding" and isinstance(given, str) and given == spec.default):
            raise ParameterError(f"{inst.id} has no alternative {label}s; leave the {spec.kind} option out.")
        return None
    n = len(frame)
    if isinstance(given, str):
        if given not in spec.options:
            raise ParameterError(f"{inst.id} has no {label} '{given}'. Choose one of: {', '.join(spec.options)}.")
        return None if given == spec.default else np.full(n, given, dtype=object)
    if given is not None:
        if isinstance(given, pd.DataFrame):
            if "wave_id" not in given.columns or spec.column not in given.columns:
                raise ParameterError(f"To take the {label} from a waves table it needs the columns wave_id and "
                                     f"{spec.column}.")
            given = given.set_index("wave_id")[spec.column]
        mapping = {str(k): v for k, v in dict(given).items()}
        wave = lookup.get("wave_id")
        if wave is None:
            raise ParameterError(f"A {label} per wave needs a wave_id column in the responses.")
        waves = frame[wave].astype(str)
        mapped = waves.map(mapping).astype(object)
        names = np.array(mapped.to_numpy(dtype=object), dtype=object)
        blank = _blank(mapped)
        if spec.default is not None:
            names[blank] = spec.default
        elif blank.any():
            missing = ", ".join(sorted(set(waves[blank])))
            raise ParameterError(f"{inst.id} is scored in one of two wordings and no {spec.column} is given for "
                                 f"wave(s) {missing}. Set {spec.column} ({' or '.join(spec.options)}) for them.")
        wrong = sorted({str(v) for v in names if v not in spec.options})
        if wrong:
            raise ParameterError(f"Unknown {label} {', '.join(wrong)} for {inst.id}. Choose one of: "
                                 f"{', '.join(spec.options)}.")
        return names
    column = lookup.get(spec.column) if spec.column else None
    if column is None:
        if spec.default is not None:
            return None
        raise ParameterError(
            f"{inst.id} is scored in one of two wordings ({', '.join(spec.options)}) and scores of the two must "
            f"never be pooled. Say which one each wave used: variant='{spec.options[0]}' (or --variant), or a "
            f"{spec.column} column / the survey_waves table.")
    values = frame[column]
    blank = _blank(values)
    names = np.array(values.astype(object).where(~blank, spec.default).to_numpy(dtype=object), dtype=object)
    if spec.default is None and blank.any():
        _listed(problems, file, rows[blank], column, np.full(int(blank.sum()), ""),
                f"one of {', '.join(spec.options)}", f"no {label} given")
    wrong = ~blank & ~pd.Series(names).isin(spec.options).to_numpy()
    if wrong.any():
        _listed(problems, file, rows[wrong], column, names[wrong], f"one of {', '.join(spec.options)}",
                f"unknown {label}")
    # Reported above; checking those rows' values as if the first option goes on, so every problem is listed.
    names[~pd.Series(names).isin(spec.options).to_numpy()] = spec.options[0]
    return names


# --- reading responses into a respondent x item matrix ------------------------------------------------------

@dataclass
class _Prepared:
    meta: pd.DataFrame           # one row per respondent: id, keep and variant columns
    raw: np.ndarray              # respondents x the items present, raw values, NaN = blank
    columns: list[int]           # the item index of each column of raw
    coding: np.ndarray | None    # per respondent, None = default everywhere
    variant: np.ndarray | None


def _blocks(n: int):
    """Row blocks: element-wise work on a block that fits in cache is several times faster than on a
    million-row matrix, and the temporaries stay small."""
    for start in range(0, n, BLOCK_ROWS):
        yield slice(start, min(n, start + BLOCK_ROWS))


def _bad_values(inst: Instrument, values: np.ndarray, item_of: np.ndarray, coding: np.ndarray | None
                ) -> list[tuple[tuple[np.ndarray, ...], tuple[float, ...], str | None]]:
    """Cells whose value breaks the allowed set of their item (under their coding).

    ``values`` is respondents x items (wide; ``item_of`` = column -> item index) or one value per row (long;
    ``item_of`` = item index per row, -1 for rows not scored). Returns, per allowed set that was broken, the
    positions (as ``np.nonzero`` gives them), the allowed values and the coding.
    """
    names = [None] if coding is None else list(dict.fromkeys(coding))
    groups = {}
    for name in names:
        for j, item in enumerate(inst.items):
            groups.setdefault((inst.allowed_values(item, name), name), []).append(j)
    found: dict[tuple, list[tuple[np.ndarray, ...]]] = {}
    for rows in _blocks(len(values)):
        block = values[rows]
        answered = ~np.isnan(block)
        for (allowed, name), items in groups.items():
            bad = answered & ~_value_ok(block, allowed)
            if len(items) < len(inst.items):
                bad &= np.isin(item_of if block.ndim == 2 else item_of[rows], items)
            if coding is not None:
                mine = coding[rows] == name
                bad &= mine[:, None] if block.ndim == 2 else mine
            if bad.any():
                where = np.nonzero(bad)
                found.setdefault((allowed, name), []).append((where[0] + rows.start, *where[1:]))
    return [(tuple(np.concatenate(parts) for parts in zip(*hits)), allowed, name)
            for (allowed, name), hits in found.items()]


def _check_ids(frame: pd.DataFrame, id_names: list[str], rows: np.ndarray, file: str,
               problems: list[Problem]) -> None:
    for name in id_names:
        blank = _blank(frame[name])
        if blank.any():
            _listed(problems, file, rows[blank], name, np.full(int(blank.sum()), ""),
                    "an id for every response", "missing value")


def _from_wide(frame, inst, lookup, file, id_names, problems, coding_given, variant_given):
    rows = _row_numbers(frame)
    item_upper = {item.upper(): j for j, item in enumerate(inst.items)}
    ignored = {item.upper() for item in inst.ignored_items}
    prefix = _item_prefix(inst)
    # olbi_response_coding shares OLBI's prefix but is the wave's coding, not an item.
    not_items = {str(c).upper() for c in (inst.coding_column, inst.variant_column, *id_names) if c}
    columns: dict[int, str] = {}
    for column in frame.columns:
        name = str(column).strip().upper()
        if name in item_upper:
            j = item_upper[name]
            if j in columns:
                problems.append(Problem(file, 1, str(column), str(column), f"one column for {inst.items[j]}",
                                        problem="duplicate item column"))
            columns[j] = column
        elif prefix and name.startswith(prefix) and name not in ignored and name not in not_items:
            problems.append(Problem(file, 1, str(column), str(column), _unknown_item_expected(inst, name),
                                    problem="unknown item"))
    if not columns:
        problems.append(Problem(file, 1, None, None, f"columns named by {inst.id} item ids ({inst.items[0]} ... "
                                f"{inst.items[-1]}), or long data with item_id and item_value columns",
                                problem=f"no {inst.id} items found"))
        return None
    coding = _resolve_setting(_spec(inst, "coding"), coding_given, inst, frame, lookup, rows, file, problems)
    variant = _resolve_setting(_spec(inst, "variant"), variant_given, inst, frame, lookup, rows, file, problems)

    order = sorted(columns)
    block = frame[[columns[j] for j in order]]
    if all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in block.dtypes):
        present = block.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        present = np.empty((len(frame), len(order)), dtype=np.float64)
        for c, j in enumerate(order):
            present[:, c], unreadable = _to_numbers(block.iloc[:, c])
            if unreadable.any():
                _listed(problems, file, rows[unreadable], str(columns[j]), block.iloc[:, c].to_numpy()[unreadable],
                        _expected_values(inst, inst.allowed_values(inst.items[j]), None), "not a number")
    # Only the item columns present are kept; absent items are widened to blanks block by block later.
    for (where_row, where_col), allowed, name in _bad_values(inst, present, np.array(order), coding):
        for c in np.unique(where_col):
            hit = np.sort(where_row[where_col == c])
            _listed(problems, file, rows[hit], str(columns[order[c]]), present[hit, c],
                    _expected_values(inst, allowed, name), "value not allowed")

    _check_ids(frame, id_names, rows, file, problems)
    if id_names:
        dupes = frame.duplicated(subset=id_names, keep=False).to_numpy()
        if dupes.any():
            ids = frame.loc[dupes, id_names].astype(str).agg(", ".join, axis=1)
            first = pd.Series(rows[dupes], index=ids.index).groupby(ids.to_numpy()).transform("min").to_numpy()
            later = rows[dupes] != first
            expected = [f"one row per respondent (first given on row {f})" for f in first[later]]
            for i in range(min(int(later.sum()), MAX_LISTED_PER_COLUMN)):
                problems.append(Problem(file, int(rows[dupes][later][i]), " + ".join(id_names),
                                        ids.to_numpy()[later][i], expected[i], problem="duplicate respondent"))
    return frame, (present, order), coding, variant


def _from_long(frame, inst, lookup, file, id_names, keep_names, problems, coding_given, variant_given):
    instrument = lookup.get("instrument")
    if instrument is not None:
        mine = _per_value(frame[instrument], lambda v: str(v).strip().upper() == inst.id.upper(), False)
        frame = frame.loc[mine.astype(bool)]
        if not len(frame):
            problems.append(Problem(file, None, instrument, None, f"rows with instrument {inst.id}",
                                    problem=f"no {inst.id} responses"))
            return None
    rows = _row_numbers(frame)
    codes, uniques = pd.factorize(frame[lookup["item_id"]], use_na_sentinel=True)
    unique_text = np.array([str(u).strip() for u in uniques] + [""], dtype=object)
    item_text = pd.Series(unique_text[codes], index=frame.index)
    position = {item.upper(): float(j) for j, item in enumerate(inst.items)}
    item_of = np.array([position.get(u.upper(), np.nan) for u in unique_text], dtype=np.float64)[codes]
    ignored_ids = {item.upper() for item in inst.ignored_items}
    ignored = np.array([u.upper() in ignored_ids for u in unique_text], dtype=bool)[codes]
    unknown = np.isnan(item_of) & ~ignored
    for i in np.flatnonzero(unknown)[:MAX_LISTED_PER_COLUMN]:
        problems.append(Problem(file, int(rows[i]), lookup["item_id"], item_text.iloc[i],
                                _unknown_item_expected(inst, item_text.iloc[i]), problem="unknown item"))
    if unknown.sum() > MAX_LISTED_PER_COLUMN:
        problems.append(Problem(file, None, lookup["item_id"], None, f"an item of {inst.id}",
                                problem=f"unknown item in {int(unknown.sum()) - MAX_LISTED_PER_COLUMN} more rows"))
    values, unreadable = _to_numbers(frame[lookup["item_value"]])
    if unreadable.any():
        _listed(problems, file, rows[unreadable], lookup["item_value"],
                frame[lookup["item_value"]].to_numpy()[unreadable], "a whole number, or blank", "not a number")
    coding = _resolve_setting(_spec(inst, "coding"), coding_given, inst, frame, lookup, rows, file, problems)
    variant = _resolve_setting(_spec(inst, "variant"), variant_given, inst, frame, lookup, rows, file, problems)

    scored = ~np.isnan(item_of)
    checked = np.where(scored, values, np.nan)
    item_index = np.where(scored, item_of, -1).astype(np.int64)
    for (bad,), allowed, name in _bad_values(inst, checked, item_index, coding):
        for i in bad[:MAX_LISTED_PER_COLUMN]:
            problems.append(Problem(file, int(rows[i]), lookup["item_value"], _show(values[i]),
                                    _expected_values(inst, allowed, name),
                                    problem=f"value not allowed for {inst.items[item_index[i]]}"))
        if len(bad) > MAX_LISTED_PER_COLUMN:
            problems.append(Problem(file, None, lookup["item_value"], None, _expected_values(inst, allowed, name),
                                    problem=f"value not allowed in {len(bad) - MAX_LISTED_PER_COLUMN} more rows"))

    _check_ids(frame, id_names, rows, file, problems)
    if not id_names:
        problems.append(Problem(file, None, None, None, "id_columns naming the respondent (wave_id, response_id)",
                                problem="long data need respondent ids"))
        return None
    respondent = frame.groupby(id_names, sort=False, dropna=False).ngroup().to_numpy()
    pair = pd.Series(np.where(scored, respondent * len(inst.items) + item_index, -1 - np.arange(len(frame))))
    dupes = pair.duplicated(keep="first").to_numpy()
    if dupes.any():
        first_row = pd.Series(rows).groupby(pair.to_numpy()).transform("min").to_numpy()
        for i in np.flatnonzero(dupes)[:MAX_LISTED_PER_COLUMN]:
            problems.append(Problem(file, int(rows[i]), lookup["item_id"], item_text.iloc[i],
                                    f"one answer per respondent per item (this respondent answered "
                                    f"{item_text.iloc[i]} on row {first_row[i]})", problem="duplicate answer"))
    # Respondent-level columns must agree across a respondent's rows, or the wide result would hide a conflict.
    settings = {n: a for n, a in (("coding", coding), ("variant", variant)) if a is not None}
    checks = {name: frame[name] for name in keep_names}
    checks.update({f"({kind})": pd.Series(arr, index=frame.index) for kind, arr in settings.items()})
    for name, column in checks.items():
        text = column.astype(object).where(~_blank(column), None)
        varies = text.groupby(respondent).transform("nunique").to_numpy() > 1
        if varies.any():
            for i in np.flatnonzero(varies)[:MAX_LISTED_PER_COLUMN]:
                problems.append(Problem(file, int(rows[i]), name, _show(text.iloc[i]),
                                        "the same value on every row of a respondent",
                                        problem="differs within one respondent"))

    if any(p.severity == "error" for p in problems):
        return None
    n_respondents = int(respondent.max()) + 1 if len(respondent) else 0
    _, first = np.unique(respondent, return_index=True)
    meta = frame.iloc[first][id_names].reset_index(drop=True)
    for name in keep_names:
        meta[name] = frame[name].astype(object).where(~_blank(frame[name]), None) \
            .groupby(respondent).first().reindex(range(n_respondents)).to_numpy()
    raw = np.full((n_respondents, len(inst.items)), np.nan)
    raw[respondent[scored], item_index[scored]] = values[scored]
    per_respondent = {kind: arr[first] for kind, arr in settings.items()}
    return meta, (raw, list(range(len(inst.items)))), per_respondent.get("coding"), per_respondent.get("variant")


def _prepare(responses: pd.DataFrame, inst: Instrument, variant: Setting, coding: Setting, file: str,
             id_columns, keep_columns) -> _Prepared:
    if not isinstance(responses, pd.DataFrame):
        raise ParameterError(f"responses must be a pandas DataFrame; got {type(responses).__name__}.")
    problems: list[Problem] = []
    lookup = _column_lookup(responses)
    id_names = []
    for name in id_columns:
        found = lookup.get(str(name).lower())
        if found is None:
            problems.append(Problem(file, 1, name, None, f"a column named '{name}' (each respondent is identified "
                                    f"by {' + '.join(id_columns)})", problem="missing id column"))
        else:
            id_names.append(found)
    keep_present = {name: lookup[name.lower()] for name in keep_columns if name.lower() in lookup}
    is_long = "item_id" in lookup and "item_value" in lookup
    if problems:
        raise InputError(problems)
    if is_long:
        result = _from_long(responses, inst, lookup, file, id_names, list(keep_present.values()), problems,
                            coding, variant)
    else:
        result = _from_wide(responses, inst, lookup, file, id_names, problems, coding, variant)
    if result is None or any(p.severity == "error" for p in problems):
        problems.sort(key=lambda p: (p.row or 0))
        raise InputError(problems, intro=f"{sum(p.severity == 'error' for p in problems)} problem(s) in the "
                                         f"{inst.id} responses; nothing was scored.")
    if is_long:
        meta, (raw, present_items), coding_per, variant_per = result
        meta.columns = [*id_columns, *keep_present]
    else:
        frame, (raw, present_items), coding_per, variant_per = result
        meta = frame[id_names + list(keep_present.values())].reset_index(drop=True)
        meta.columns = [*id_columns, *keep_present]
    for name in keep_columns:  # one shape of output whatever the input carried
        if name not in meta.columns:
            meta[name] = None
    meta = meta[[*id_columns, *keep_columns]]
    if inst.variants:
        meta[inst.variant_column] = variant_per
    return _Prepared(meta, raw, present_items, coding_per, variant_per)


# --- from raw values to item scores and scale scores -------------------------------------------------------

def _recode(values: np.ndarray, table: dict[float, float]) -> np.ndarray:
    keys = np.array(sorted(table), dtype=np.float64)
    targets = np.array([table[k] for k in sorted(table)], dtype=np.float64)
    position = np.clip(np.searchsorted(keys, values), 0, len(keys) - 1)
    return np.where(np.isnan(values), np.nan, targets[position])


def _item_matrix(prepared: _Prepared, inst: Instrument, rows: slice = slice(None)) -> np.ndarray:
    """Recode, transform and reverse (a block of) respondents: the item scores every subscale is built from."""
    if len(prepared.columns) == len(inst.items):
        scores = np.array(prepared.raw[rows], dtype=np.float64)  # always a private, writable copy
    else:
        block = prepared.raw[rows]
        scores = np.full((len(block), len(inst.items)), np.nan)
        scores[:, prepared.columns] = block
    coding = None if prepared.coding is None else prepared.coding[rows]
    variant = None if prepared.variant is None else prepared.variant[rows]
    if coding is not None:
        for alternative in inst.codings[1:]:
            mine = coding == alternative.name
            if mine.any():
                scores[mine] = _recode(scores[mine], alternative.recode_table)
    if inst.transform is not None:
        scores = inst.transform.apply(scores)
    ends = np.array([sum(inst.scored_range(item)) for item in inst.items])  # min + max per item
    position = {item: j for j, item in enumerate(inst.items)}
    reverse = [position[i] for i in inst.reverse]
    if reverse:
        scores[:, reverse] = ends[reverse] - scores[:, reverse]
    if variant is not None:
        for option in inst.variants:
            columns = [position[i] for i in option.reverse]
            mine = np.flatnonzero(variant == option.name)
            if columns and len(mine):
                block = np.ix_(mine, columns)
                scores[block] = ends[columns] - scores[block]
    return scores


def _scale_scores(prepared: _Prepared, inst: Instrument) -> dict[str, np.ndarray]:
    position = {item: j for j, item in enumerate(inst.items)}
    membership = np.zeros((len(inst.items), len(inst.subscales)))
    for s, subscale in enumerate(inst.subscales):
        membership[[position[i] for i in subscale.items], s] = 1.0
    n_respondents = len(prepared.raw)
    totals = np.empty((n_respondents, len(inst.subscales)))
    counts = np.empty((n_respondents, len(inst.subscales)))
    n_items = np.empty(n_respondents, dtype=np.int64)
    for rows in _blocks(n_respondents):
        items = _item_matrix(prepared, inst, rows)
        answered = ~np.isnan(items)
        # One matrix product per quantity gives every subscale's sum and count at once.
        totals[rows] = np.where(answered, items, 0.0) @ membership
        counts[rows] = answered.astype(np.float64) @ membership
        n_items[rows] = answered.sum(axis=1)
    out: dict[str, np.ndarray] = {"n_items_answered": n_items}
    for s, subscale in enumerate(inst.subscales):
        n = counts[:, s].astype(np.int64)
        too_few = n < subscale.min_answered
        if subscale.method == "mean":
            value = np.divide(totals[:, s], counts[:, s], out=np.full(len(n), np.nan), where=~too_few)
        else:
            value = np.where(too_few, np.nan, totals[:, s])
        out[subscale.id] = value
        if subscale.conversion:
            out[f"{subscale.id}_raw"] = value
            out[subscale.id] = _recode(np.round(value, 9), subscale.conversion_table)
        if subscale.sum_column:
            # A sum with an item missing is not comparable with a full sum, so it is left blank (never imputed).
            out[f"{subscale.id}_sum"] = np.where(n == len(subscale.items), totals[:, s], np.nan)
        out[f"{subscale.id}_n_answered"] = n
        out[f"{subscale.id}_too_few_items"] = too_few
    for composite in inst.composites:
        parts = np.column_stack([out[p] for p in composite.subscales])
        available = ~np.isnan(parts)
        n = available.sum(axis=1)
        too_few = n < composite.min_answered
        total = np.where(available, parts, 0.0).sum(axis=1)
        out[composite.id] = np.divide(total, n, out=np.full(len(n), np.nan), where=~too_few)
        out[f"{composite.id}_n_subscores"] = n
        out[f"{composite.id}_too_few_subscores"] = too_few
    return out


def score(responses: pd.DataFrame, instrument: Instrument | str | Path, *, variant: Setting = None,
          coding: Setting = None, file: str = "(data)", id_columns=ID_COLUMNS,
          keep_columns=KEEP_COLUMNS) -> pd.DataFrame:
    """Score one instrument: one row per respondent with every subscale and composite score.

    Parameters
    ----------
    responses : DataFrame
        Long (``instrument, item_id, item_value`` plus respondent columns; rows of other instruments are
        ignored) or wide (one column per item id, any case). Values may be numbers or text cells.
    instrument : Instrument, str or Path
        A shipped id (``"OLBI"``), a loaded :class:`Instrument`, or the path of your own YAML definition.
    variant : str, mapping, Series or DataFrame, optional
        Wording variant (TPS: ``edmondson_1999`` or ``strategy_positive``): one name for every respondent,
        a mapping wave_id -> name, or the ``survey_waves`` table. When omitted, a ``ps_variant`` column in the
        responses is used; TPS without either is a ParameterError (the two variants must never be pooled).
    coding : same forms as ``variant``, optional
        Response coding (OLBI: ``SA1_SD4`` default or ``SD1_SA4``); recoded to the default before scoring.
        When omitted, an ``olbi_response_coding`` column is used if present, otherwise the default.
    file : str
        Name used in problem reports.
    id_columns, keep_columns : sequence of str
        Columns identifying a respondent, and respondent columns carried into the output (blank if absent).

    Returns
    -------
    DataFrame, one row per respondent (long: in order of first appearance; wide: input order) with columns
    ``*id_columns, *keep_columns``, then ``ps_variant`` (instruments with variants), ``n_items_answered``, and
    per subscale ``<id>``, ``<id>_raw`` (raw sum, conversion tables only), ``<id>_sum`` (when the definition
    asks for it: blank unless every item is answered), ``<id>_n_answered``, ``<id>_too_few_items``; per
    composite of subscales ``<id>``, ``<id>_n_subscores``, ``<id>_too_few_subscores``. A score is NaN when its
    missing-item rule is not met.

    Raises
    ------
    InputError
        Every problem in the responses at once (file, row, column, value, expected).
    ParameterError
        Unknown instrument, variant or coding, or a TPS wave with no variant.

    Notes
    -----
    Per item: recode coding -> transform -> reverse (``min + max - x`` on the transformed scale). Subscale:
    mean (or sum) of answered items when at least ``min_answered`` are answered. Composites of subscales are the
    mean of the available subscale scores, each weighted equally (NQPS9 engagement, domain spec 2.3).

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"wave_id": "w1", "response_id": "r1", "instrument": "CBI",
    ...                      "item_id": ["CBI_W1", "CBI_W2", "CBI_W3", "CBI_W7"], "item_value": [50, 75, 25, 100]})
    >>> row = score(long, "CBI").iloc[0]      # W7 reversed: (50 + 75 + 25 + 0) / 4
    >>> float(row["work"]), int(row["work_n_answered"]), bool(row["personal_too_few_items"])
    (37.5, 4, True)
    """
    inst = _instrument(instrument)
    prepared = _prepare(responses, inst, variant, coding, file, id_columns, keep_columns)
    scores = _scale_scores(prepared, inst)
    return pd.concat([prepared.meta, pd.DataFrame(scores)], axis=1)


def item_scores(responses: pd.DataFrame, instrument: Instrument | str | Path, *, variant: Setting = None,
                coding: Setting = None, file: str = "(data)", id_columns=ID_COLUMNS,
                keep_columns=KEEP_COLUMNS) -> pd.DataFrame:
    """The per-respondent item matrix after recoding, transform and reversal (same arguments as :func:`score`).

    This is what reliability (:func:`ttwell.calculations.scales.reliability.reliability_table`, with
    ``instrument.subscale_items()``) and the lowest-rated-item view need: higher always means the direction
    the subscale's ``higher_is`` states, with reverse-keyed items already turned round.

    Returns
    -------
    DataFrame with ``*id_columns, *keep_columns``, ``ps_variant`` (instruments with variants), then one float
    column per item id in published order (NaN = unanswered).

    Examples
    --------
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"wave_id": ["w1"], "response_id": ["r1"],
    ...                      **{f"TPS_{i:02d}": [2] for i in range(1, 8)}})
    >>> item_scores(wide, "TPS", variant="edmondson_1999")[["TPS_01", "TPS_02"]].iloc[0].tolist()
    [6.0, 2.0]
    """
    inst = _instrument(instrument)
    prepared = _prepare(responses, inst, variant, coding, file, id_columns, keep_columns)
    matrix = pd.DataFrame(_item_matrix(prepared, inst), columns=list(inst.items))
    return pd.concat([prepared.meta, matrix], axis=1)


# --- group statistics the instruments define ---------------------------------------------------------------

def enps(scored: pd.DataFrame, *, by: list[str] | None = None, instrument: Instrument | str = "JOY"
         ) -> pd.DataFrame:
    """Employee Net Promoter Score per group: % promoters (9-10) minus % detractors (0-6), from -100 to +100.

    ``scored`` is the output of ``score(..., "JOY")``; thresholds come from the instrument's ``enps`` group
    summary. Respondents who did not answer JOY_02 are left out.

    Returns columns ``[*by], score, n_respondents, n_promoters, n_passives, n_detractors, enps``.

    Examples
    --------
    >>> import pandas as pd
    >>> float(enps(pd.DataFrame({"recommend": [10, 9, 8, 7, 6, 0]}))["enps"].iloc[0])   # 100 x (2 - 2) / 6
    0.0
    """
    summary = _instrument(instrument).group_summary("enps")
    values = scored[summary.score]
    frame = pd.DataFrame({
        "n_respondents": values.notna().to_numpy(),
        "n_promoters": (values >= summary.param("promoters_from")).to_numpy(),
        "n_detractors": (values <= summary.param("detractors_to")).to_numpy(),
    })
    for column in by or []:
        frame[column] = scored[column].to_numpy()
    counts = frame.groupby(by, sort=True, observed=True, dropna=False).sum().reset_index() if by \
        else frame.sum().to_frame().T
    counts = counts.astype({c: np.int64 for c in ("n_respondents", "n_promoters", "n_detractors")})
    counts["n_passives"] = counts["n_respondents"] - counts["n_promoters"] - counts["n_detractors"]
    n = counts["n_respondents"].where(counts["n_respondents"] > 0)
    counts["enps"] = 100.0 * (counts["n_promoters"] - counts["n_detractors"]) / n
    counts["score"] = summary.score
    return counts[[*(by or []), "score", "n_respondents", "n_promoters", "n_passives", "n_detractors", "enps"]]


def share_often_or_always(scored: pd.DataFrame, *, by: list[str] | None = None,
                          instrument: Instrument | str = "JOY") -> pd.DataFrame:
    """Share of respondents answering JOY_01 'often' or 'always' (3 or 4), with a Wilson interval, per group.

    The threshold comes from the instrument's ``joy_often_or_always`` group summary; the counting is
    :func:`ttwell.calculations.scales.summaries.share_at_or_above`.

    Returns columns ``[*by], score, cutoff, n_respondents, n_above, share, ci_low, ci_high``.

    Examples
    --------
    >>> import pandas as pd
    >>> float(share_often_or_always(pd.DataFrame({"joy": [4, 3, 2, 0]}))["share"].iloc[0])
    0.5
    """
    from ttwell.calculations.scales.summaries import share_at_or_above

    summary = _instrument(instrument).group_summary("joy_often_or_always")
    return share_at_or_above(scored, summary.score, summary.param("threshold"), by=by)


def apply_bands(scored: pd.DataFrame, bands: Bands) -> pd.DataFrame:
    """Add a ``<score>_band`` label column for every score the service's bands file covers (blank outside).

    See :func:`ttwell.calculations.scales.registry.load_bands`; bands on sums use the ``<score>_sum`` columns.
    """
    out = scored.copy()
    for score_id, entries in bands.scores:
        values = scored[f"{score_id}_sum" if bands.basis == "sum" else score_id].to_numpy(dtype=np.float64)
        labels = np.full(len(values), None, dtype=object)
        for band in entries:
            labels[(values >= band.low) & (values <= band.high)] = band.label
        out[f"{score_id}_band"] = labels
    return out


# --- long <-> wide --------------------------------------------------------------------------------------

def _known_items(instruments) -> dict[str, tuple[str, str, int]]:
    """Upper-case item id -> (instrument id, item id, position), shipped instruments plus any given."""
    from ttwell.calculations.scales.registry import available_instruments

    found: dict[str, tuple[str, str, int]] = {}
    for inst in [*(_instrument(i) for i in instruments or []), *(load_instrument(i) for i in available_instruments())]:
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
