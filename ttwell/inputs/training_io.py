"""Reading pre/post training confidence (domain spec 6.8): long or wide form, three answer scales.

Part of the input layer with :mod:`ttwell.inputs.reading`, whose reader, column maps and cell checks it uses; the
notebooks call it as ``ttwell.inputs.io.read_training``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ttwell.errors import ParameterError, Problem
from ttwell.inputs.reading import (MAX_LISTED_PER_COLUMN, as_written, cell_text, read_mapped, read_once, read_table,
                                   validate_frame)
from ttwell.inputs.templates import TEMPLATES

# Answer scales a confidence form may use: (lowest, highest, conversion to 0-100, how it is converted).
TRAINING_SCALES = {
    "0-100": (0.0, 100.0, lambda x: x, ""),
    "0-10": (0.0, 10.0, lambda x: x * 10, "value x 10"),
    "1-5": (1.0, 5.0, lambda x: (x - 1) * 25, "(value - 1) x 25"),
}
# Wide form: one column per timepoint and area, named <timepoint>_<area_id> after header normalisation, so
# 'pre_1', 'Pre 1', 'POST-7' and 'Follow-up 3' all read. Per-timepoint form dates are <timepoint>_response_date.
_WIDE_AREA = re.compile(r"^(pre|post|follow_up)_(\d+)$")
_WIDE_DATE = re.compile(r"^(pre|post|follow_up)_response_date$")
# A header naming a timepoint and a number in another order (area1_pre, pre1) would otherwise drop answers quietly.
_WIDE_LOOKALIKE = re.compile(r"(pre|post|follow)")
_WIDE_PERSON_COLUMNS = ("programme_id", "session_id", "session_date", "participant_pid", "team_code", "role_family")
WIDE_NAMING_RULE = ("one column per timepoint and area named <timepoint>_<area_id> (pre_1 ... pre_7, post_1 ... "
                    "post_7, follow_up_1 ...), optional <timepoint>_response_date, and the attendee columns "
                    + ", ".join(_WIDE_PERSON_COLUMNS))


def _training_wide_to_long(raw: pd.DataFrame, label: str) -> tuple[pd.DataFrame, list[int], list[dict], list[Problem]]:
    """Wide (one row per attendee) -> long text rows, with the spreadsheet row and column each value came from."""
    problems: list[Problem] = []
    area_cols, date_cols = {}, {}
    for name in raw.columns:
        area, date = _WIDE_AREA.match(name), _WIDE_DATE.match(name)
        if area:
            area_cols[name] = (area.group(1), area.group(2))
        elif date:
            date_cols[date.group(1)] = name
        elif name not in _WIDE_PERSON_COLUMNS:
            looks_like_area = bool(_WIDE_LOOKALIKE.search(name) and re.search(r"\d", name))
            problems.append(Problem(label, 1, name, name, WIDE_NAMING_RULE, "error" if looks_like_area else "warning",
                                    "area column not named <timepoint>_<area_id>" if looks_like_area
                                    else "unknown column, ignored"))
    person = [c for c in _WIDE_PERSON_COLUMNS if c in raw.columns]
    rows, source_rows, source_cols = [], [], []
    for i, record in raw.iterrows():
        for name, (timepoint, area_id) in area_cols.items():
            value = record[name]
            if value == "" or value is None:
                continue  # a blank cell is an area not answered (or a form not returned), not a row
            row = {c: record[c] for c in person}
            row.update(timepoint=timepoint, area_id=area_id, confidence_pct=value)
            cols = {"timepoint": name, "area_id": name, "confidence_pct": name,
                    "programme_id + participant_pid + timepoint + area_id": name}
            if timepoint in date_cols:
                row["response_date"] = record[date_cols[timepoint]]
                cols["response_date"] = date_cols[timepoint]
            rows.append(row)
            source_rows.append(int(i) + 2)
            source_cols.append(cols)
    columns = person + ["timepoint", "area_id", "confidence_pct"] + (["response_date"] if date_cols else [])
    return pd.DataFrame(rows, columns=columns, dtype=object), source_rows, source_cols, problems


@read_once
def read_training(path: str | Path, *, areas_path: str | Path | None = None, scale: str | None = None,
                  column_map: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None, list[Problem]]:
    """Read and check pre/post training confidence (template ``training_confidence``); never raises for bad data.

    Accepts the long form (one row per attendee, timepoint and area) or a wide form with one row per attendee
    and one column per timepoint and area, named ``<timepoint>_<area_id>`` after header normalisation:
    ``pre_1 ... pre_7, post_1 ... post_7`` (``Pre 1`` and ``POST-7`` read the same), optionally
    ``pre_response_date`` / ``post_response_date`` / ``follow_up_response_date``, plus the attendee columns
    (``programme_id``, ``session_id``, ``session_date``, ``participant_pid``, ``team_code``, ``role_family``).
    A wide file is recognised by having area columns and no ``confidence_pct`` column. A blank area cell is an
    unanswered area. Other columns are reported: an error when they look like a misnamed area column
    (``area1_pre``), else a warning.

    Parameters
    ----------
    path
        The confidence file (CSV or XLSX).
    areas_path
        Optional ``training_areas.csv``; when given, every area_id must be listed for its programme.
    scale
        Answer scale of the form: ``"0-100"`` (default), ``"0-10"`` (converted x 10) or ``"1-5"``
        (converted (x - 1) x 25). Values are range-checked on this scale, then converted to 0-100, and a
        warning records the conversion so reports can say so.
    column_map
        Optional column map (long form only) for an export with its own headers; default: ``path.column_map``.

    Returns
    -------
    (table, areas, problems)
        The typed long table in template column order (``confidence_pct`` on 0-100), the typed areas table
        (``None`` without ``areas_path``) and every problem. Rows are numbered as a spreadsheet shows them;
        for a wide file, a problem names the attendee's row and the area column (such as ``post_3``).

    Raises
    ------
    ParameterError
        Only for an unknown ``scale`` (a caller's mistake, not bad data).

    Examples
    --------
    >>> table, areas, problems = read_training("data/synthetic/training_confidence.csv",
    ...                                        areas_path="data/synthetic/training_areas.csv")  # doctest: +SKIP
    >>> sorted(table["timepoint"].unique()), [p.describe() for p in problems]                 # doctest: +SKIP
    (['follow_up', 'post', 'pre'], [])
    """
    if column_map is None:
        column_map = getattr(path, "column_map", None)
    table, areas, problems, headers = _read_training(path, areas_path, scale, column_map)
    return table, areas, as_written(problems, headers)


def _read_training(path, areas_path, scale, column_map):
    scale = scale or "0-100"
    if scale not in TRAINING_SCALES:
        raise ParameterError(f"Unknown confidence scale {scale!r}; use one of {', '.join(TRAINING_SCALES)}.")
    template = TEMPLATES["training_confidence"]
    path = Path(path)
    label = path.name
    empty = pd.DataFrame(columns=template.column_names())

    areas = None
    area_problems: list[Problem] = []
    if areas_path is not None:
        areas, area_problems = read_table(areas_path, "training_areas")

    raw, encoding, problems, headers = read_mapped(path, "training_confidence", column_map)
    if any(p.severity == "error" for p in problems):
        return empty, areas, problems + area_problems, headers
    if encoding == "cp1252":
        problems.append(Problem(label, None, None, "Windows-1252", "UTF-8", "warning",
                                "read as Windows-1252 text (not UTF-8)"))
    is_wide = "confidence_pct" not in raw.columns and any(_WIDE_AREA.match(c) for c in raw.columns)
    if is_wide:
        long_text, source_rows, source_cols, wide_problems = _training_wide_to_long(raw, label)
        problems += wide_problems
    else:
        long_text = raw.reset_index(drop=True)
        # read_raw drops blank lines but keeps the index, so the spreadsheet row survives a blank line.
        source_rows = [int(i) + 2 for i in raw.index]
        source_cols = [{} for _ in source_rows]

    def at(i: int, column: str) -> tuple[int, str]:
        """Spreadsheet row and column of long row ``i`` (index), for messages."""
        return source_rows[i], source_cols[i].get(column, column)

    # Duplicates are checked below, where the first row can be named in spreadsheet terms.
    table, found = validate_frame(long_text, replace(template, unique=()), label)
    for p in found:
        if p.row is not None and p.row >= 2:
            row, column = at(p.row - 2, p.column)
            p = replace(p, row=row, column=column)
        if p not in problems:  # a wide row missing its programme_id would otherwise repeat once per area
            problems.append(p)
    if table.empty:  # a missing column or no rows: the row rules below have nothing to check
        return empty, areas, _sorted(problems) + area_problems, headers

    low, high, convert, how = TRAINING_SCALES[scale]
    values = table["confidence_pct"]
    wrong = values.notna() & ((values < low) | (values > high))
    for i in wrong[wrong].index[:MAX_LISTED_PER_COLUMN]:
        row, column = at(i, "confidence_pct")
        problems.append(Problem(label, row, column, cell_text(values[i]), f"a number from {low:g} to {high:g} "
                                f"(answer scale {scale})", problem="out of range"))
    if wrong.sum() > MAX_LISTED_PER_COLUMN:
        problems.append(Problem(label, None, "confidence_pct", None, f"a number from {low:g} to {high:g}",
                                problem=f"out of range in {int(wrong.sum()) - MAX_LISTED_PER_COLUMN} more rows"))
    if scale != "0-100":
        table["confidence_pct"] = convert(values)
        problems.append(Problem(label, None, "confidence_pct", f"answer scale {scale}", "confidence as 0-100%",
                                "warning", f"confidence converted from the {scale} scale to 0-100% ({how})"))
    elif len(values.dropna()) >= 5 and values.max() <= 10:
        problems.append(Problem(label, None, "confidence_pct", f"highest value {values.max():g}",
                                "0-100%; for a 0-10 form read with scale='0-10'", "warning",
                                "every answer is 10 or less: was a 0-10 scale used?"))

    if areas is not None and not any(p.severity == "error" for p in area_problems):
        known = set(zip(areas["programme_id"], areas["area_id"].astype("Int64")))
        listed = table["programme_id"].notna() & table["area_id"].notna()
        unknown = listed & ~pd.Series([(p, a) in known for p, a in zip(table["programme_id"],
                                                                        table["area_id"].astype("Int64"))],
                                      index=table.index)
        areas_label = Path(areas_path).name
        for i in unknown[unknown].index[:MAX_LISTED_PER_COLUMN]:
            row, column = at(i, "area_id")
            problems.append(Problem(label, row, column, cell_text(int(table.loc[i, "area_id"])),
                                    f"an area_id listed for programme {table.loc[i, 'programme_id']} in {areas_label}",
                                    problem="unknown area"))

    key = ["programme_id", "participant_pid", "timepoint", "area_id"]
    key_name = " + ".join(key)
    present = table[key].notna().all(axis=1)
    dup = table[key].duplicated(keep="first") & present
    first_of = table[present].reset_index().groupby(key, sort=False)["index"].first()
    for i in dup[dup].index[:MAX_LISTED_PER_COLUMN]:
        first = first_of[tuple(table.loc[i, key])]
        row, column = at(i, key_name)
        problems.append(Problem(label, row, column, ", ".join(cell_text(table.loc[i, k]) for k in key),
                                f"one {table.loc[i, 'timepoint']} answer per attendee and area (first given on row "
                                f"{source_rows[first]})", problem="duplicate answer"))

    # A post (or follow-up) form dated before the pre form of the same attendee and area is a mix-up of
    # codes or dates; the form's own date is used when given, else the session date.
    when = table["response_date"].fillna(table["session_date"])
    order = {"pre": 0, "post": 1, "follow_up": 2}
    dated = present & when.notna() & ~dup
    ranked = table.loc[dated, key].assign(_when=when[dated], _rank=table.loc[dated, "timepoint"].map(order))
    out_of_order = 0
    for _, group in ranked.groupby(["programme_id", "participant_pid", "area_id"], sort=False):
        if len(group) < 2 or out_of_order >= MAX_LISTED_PER_COLUMN:
            continue
        group = group.sort_values("_rank")
        latest_before = group["_when"].cummax().shift()
        earlier_tp = group["timepoint"].shift()
        for i in group.index[1:]:
            if group.loc[i, "_when"] < latest_before[i]:
                date_col = "response_date" if pd.notna(table.loc[i, "response_date"]) else "session_date"
                row, column = at(i, date_col)
                out_of_order += 1
                problems.append(Problem(label, row, column, cell_text(group.loc[i, "_when"]),
                                        f"a date on or after the {earlier_tp[i]} answer of the same attendee and "
                                        f"area ({cell_text(latest_before[i])})",
                                        problem=f"{table.loc[i, 'timepoint']} dated before {earlier_tp[i]}"))
    return table, areas, _sorted(problems) + area_problems, headers


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.row or 0))
