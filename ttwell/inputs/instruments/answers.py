"""Checking survey answers against an instrument definition, and reading them into a respondent x item
matrix for scoring (``ttwell.calculations.scales.scoring``).

Responses may be LONG (``instrument, item_id, item_value`` columns, as the ``survey_responses`` template) or
WIDE (one column per item id); they are told apart by the ``item_id``/``item_value`` columns. Values may
be numbers or text cells (as :func:`ttwell.inputs.io.read_raw` returns them).

Nothing is imputed or clipped (domain spec 3): a value outside the instrument's allowed set, a value that is not
a number, an unknown item id, an unknown response coding and a second answer to the same item by the same
respondent are all problems, collected together and raised as one :class:`ttwell.errors.InputError` with the file,
row (as a spreadsheet shows it: header = row 1), column and value of each.

Example
-------
>>> import pandas as pd
>>> from ttwell.inputs.instruments.answers import answer_problems
>>> wide = pd.DataFrame({"wave_id": ["w1"], "response_id": ["r1"], "JOY_01": [5], "JOY_02": [9]})
>>> [(p.row, p.column, p.value) for p in answer_problems(wide, "JOY")]
[(2, 'JOY_01', '5')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ttwell.errors import InputError, ParameterError, Problem
from ttwell.inputs.instruments.answer_cells import (_blank, _column_lookup, _expected_values, _item_prefix,
                                                    _listed, _per_value, _row_numbers, _show, _to_numbers,
                                                    _unknown_item_expected, _value_ok, row_blocks)
from ttwell.inputs.instruments.definitions import Instrument
from ttwell.inputs.instruments.loading import as_instrument
from ttwell.inputs.reading import MAX_LISTED_PER_COLUMN

ID_COLUMNS = ("wave_id", "response_id")
KEEP_COLUMNS = ("team_code", "role_family", "tenure_band")

Setting = str | Mapping | pd.Series | pd.DataFrame | None


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
class AnswerMatrix:
    """Checked answers of one instrument: respondent columns and the raw item values, per respondent."""

    meta: pd.DataFrame           # one row per respondent: id, keep and variant columns
    raw: np.ndarray              # respondents x the items present, raw values, NaN = blank
    columns: list[int]           # the item index of each column of raw
    coding: np.ndarray | None    # per respondent, None = default everywhere
    variant: np.ndarray | None


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
    for rows in row_blocks(len(values)):
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


def read_answers(responses: pd.DataFrame, inst: Instrument, variant: Setting, coding: Setting, file: str,
                 id_columns=ID_COLUMNS, keep_columns=KEEP_COLUMNS) -> AnswerMatrix:
    """Check every answer of ``inst`` in ``responses`` and return them as a respondent x item matrix.

    Arguments are those of :func:`ttwell.calculations.scales.score`.

    Raises
    ------
    InputError
        Every problem in the responses at once (file, row, column, value, expected).
    ParameterError
        Unknown variant or coding, or a TPS wave with no variant.
    """
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
    return AnswerMatrix(meta, raw, present_items, coding_per, variant_per)


def answer_problems(responses: pd.DataFrame, instrument: Instrument | str | Path, *, variant: Setting = None,
                    coding: Setting = None, file: str = "(data)", id_columns=ID_COLUMNS,
                    keep_columns=KEEP_COLUMNS) -> list[Problem]:
    """Every problem in the answers to ``instrument`` (the checks scoring makes first), without scoring.

    Arguments are those of :func:`ttwell.calculations.scales.score`. Returns an empty list when the answers
    can be scored. A ParameterError (unknown variant or coding, a TPS wave with no variant) is raised, not
    listed: it is a choice to make, not a cell to fix.
    """
    try:
        read_answers(responses, as_instrument(instrument), variant, coding, file, id_columns, keep_columns)
    except InputError as exc:
        return list(exc.problems)
    return []
