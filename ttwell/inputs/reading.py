"""Reading and checking one input file: CSV or Excel, UK dates, Windows encodings, messy headers.

Validation happens here, at the boundary, so the calculators can trust their inputs. Every problem in
every file is collected (file, row, column, value found, what was expected) before anything is raised.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record is row 2.

Example
-------
>>> from ttwell.inputs.reading import read_table
>>> table, problems = read_table("data/synthetic/teams.csv", "teams")   # doctest: +SKIP
>>> [p.describe() for p in problems]                                    # doctest: +SKIP
[]
"""

from __future__ import annotations

import difflib
import hashlib
import io as _io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ttwell.errors import Problem
from ttwell.inputs.dates import parse_dates, parse_month_cells
from ttwell.inputs.templates import TEMPLATES, Column, Template

# Accepted date spellings, tried in order. Day-first only: a UK extract is never read month-first.
TRUE_WORDS = {"true", "t", "yes", "y", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "0"}
MAX_LISTED_PER_COLUMN = 20  # beyond this, one summary line per column keeps the report readable


def normalise_header(name: object) -> str:
    """'Snapshot Date ' -> 'snapshot_date'; 'FTE' -> 'fte'; strips a stray byte-order mark."""
    text = str(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def _canonical(text: str) -> str:
    # ESR exports vary in dash style, case and spacing: "Voluntary Resignation – Health" must still match.
    text = text.replace("\u2013", "-").replace("\u2014", "-").lower()
    return re.sub(r"\s+", " ", re.sub(r"\s*-\s*", " - ", text)).strip()


RUN_CACHE_VARIABLE = "TTWELL_RUN_CACHE"


def _stat_key(value) -> object:
    """A file argument as (resolved path, size, modification time); a dict of them (paths by kind) likewise;
    other arguments as they are."""
    if isinstance(value, dict):
        return repr(sorted((str(k), _stat_key(v)) for k, v in value.items()))
    if isinstance(value, (str, Path)) and Path(value).is_file():
        info = Path(value).stat()
        return (str(Path(value).resolve()), info.st_size, info.st_mtime_ns, str(getattr(value, "column_map", "")))
    return repr(value)


def read_once(function):
    """Within one ``ttwell run``, read and check each input file once.

    The runner checks every input before a kernel starts; the notebook then asks for the same files. The runner
    sets ``TTWELL_RUN_CACHE`` to a private temporary folder for the run (removed when it ends, never inside a
    report folder), and the checked result is kept there, keyed by the file's path, size and modification time,
    so the notebook receives the validated data instead of reading and checking the file again. Without the
    variable (a notebook opened in Jupyter, a script) nothing is cached.
    """
    import functools
    import inspect
    import os
    import pickle
    import threading

    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        folder = os.environ.get(RUN_CACHE_VARIABLE)
        if not folder or not Path(folder).is_dir():
            return function(*args, **kwargs)
        # Keyed on the arguments as bound, so f(paths) and f(paths, None) are the same call.
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        key = repr((function.__qualname__, sorted((k, _stat_key(v)) for k, v in bound.arguments.items())))
        path = Path(folder) / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}.pickle"
        if path.is_file():
            with path.open("rb") as handle:
                return pickle.load(handle)
        result = function(*args, **kwargs)
        # Kernels of notebooks running side by side share the folder: write aside, then rename (atomic), so
        # no reader ever sees half a file.
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.partial")
        with partial.open("wb") as handle:
            pickle.dump(result, handle)
        os.replace(partial, path)
        return result

    return wrapper


@read_once
def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class LoadedFile:
    """What was read: shown in the data-readiness summary and the report's provenance block."""

    kind: str
    path: Path
    rows: int
    encoding: str
    sha256: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "file": self.path.name, "rows": self.rows,
                "encoding": self.encoding, "sha256": self.sha256}


def read_raw(path: str | Path, keep_headers: bool = False) -> tuple[pd.DataFrame, str, list[Problem]]:
    """Read a CSV or XLSX file as text cells (no type guessing), with normalised headers.

    Returns the frame, the encoding used (``"xlsx"`` for Excel) and any problems with the file itself.
    CSV is tried as UTF-8 (with or without BOM), then Windows-1252, the default of Excel on UK Windows.
    With ``keep_headers`` the headers stay as the file writes them (trimmed), for column maps. The headers as
    written are kept in ``frame.attrs["headers"]`` (normalised name -> header), for messages.
    """
    path = Path(path)
    label = path.name
    if not path.exists():
        return pd.DataFrame(), "", [Problem(label, None, None, str(path), "an existing file", problem="file not found")]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(path, sheet_name=0, dtype=object)
        except Exception as exc:  # openpyxl raises many types for damaged or locked files
            return pd.DataFrame(), "xlsx", [Problem(label, None, None, type(exc).__name__,
                                                    "a readable .xlsx workbook", problem="could not open the workbook")]
        encoding = "xlsx"
        frame = frame.astype(object).where(frame.notna(), "")
    else:
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - cp1252 decodes nearly everything
            return pd.DataFrame(), "", [Problem(label, None, None, None, "UTF-8 or Windows-1252 text",
                                                problem="unreadable text encoding")]
        if not text.strip():
            return pd.DataFrame(), encoding, [Problem(label, None, None, "an empty file",
                                                      "a header row and at least one data row", problem="empty file")]
        try:
            frame = pd.read_csv(_io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
        except pd.errors.ParserError as exc:
            line = re.search(r"line (\d+)", str(exc))
            return pd.DataFrame(), encoding, [Problem(label, int(line.group(1)) if line else None, None, None,
                                                      "the same number of commas on every line",
                                                      problem="malformed CSV row")]
    written = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
    frame.columns = written if keep_headers else [normalise_header(c) for c in written]
    headers = {normalise_header(w): w for w in written}
    # Excel leaves trailing blank rows and 'Unnamed' columns behind; drop what is wholly empty.
    frame = frame.loc[:, [c for c in frame.columns if c and not normalise_header(c).startswith("unnamed")]]
    if encoding == "xlsx":  # cells of any type
        frame = frame.map(lambda v: v.strip() if isinstance(v, str) else v)
        blank = frame.apply(lambda col: col.map(lambda v: v == "" or v is None)).all(axis=1) if len(frame) else []
    else:  # CSV cells are all text (dtype=str, no missing values), so whole columns are stripped at once
        frame = frame.apply(lambda col: col.str.strip()) if len(frame.columns) else frame
        blank = (frame == "").all(axis=1) if len(frame) else []
    if len(frame):
        frame = frame.loc[~blank]
    frame.attrs["headers"] = headers
    return frame, encoding, []


_DAY_FIRST = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _looks_like_a_date(text: str) -> bool:
    """True for 31/02/2024 or 2024-02-31: the right shape, a day 1-31 and a month 1-12, but no such day."""
    day_first, iso = _DAY_FIRST.match(text.strip()), _ISO.match(text.strip())
    if day_first:
        day, month = int(day_first.group(1)), int(day_first.group(2))
    elif iso:
        day, month = int(iso.group(3)), int(iso.group(2))
    else:
        return False
    return 1 <= day <= 31 and 1 <= month <= 12


def _column_problems(frame: pd.DataFrame, col: Column, label: str) -> tuple[pd.Series, list[Problem]]:
    raw = frame[col.name]
    # Each distinct cell is turned into text once: a column of 50,000 rows holds a few hundred values.
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    cells = np.array([v if isinstance(v, str) else str(v) for v in uniques] + [""], dtype=object)[codes]
    missing = codes == -1
    if missing.any():  # None is a blank cell; a NaN that reached here is shown as the text "nan", as before
        cells[missing] = ["" if v is None else str(v) for v in raw.to_numpy()[missing]]
    text = pd.Series(cells, index=raw.index, dtype=object)
    blank = text == ""
    problems: list[Problem] = []
    bad = pd.Series(False, index=raw.index)
    reason = "wrong type"

    if col.type == "str":
        parsed = text.where(~blank, None).astype(object)
    elif col.type in ("int", "float"):
        parsed = pd.to_numeric(text.str.replace(",", "", regex=False).where(~blank), errors="coerce")
        bad = ~blank & parsed.isna()
        if col.type == "int":
            frac = ~bad & ~blank & (parsed != parsed.round())
            bad |= frac
    elif col.type == "bool":
        low = text.str.lower()
        parsed = pd.Series(np.where(low.isin(TRUE_WORDS), True, np.where(low.isin(FALSE_WORDS), False, None)),
                           index=raw.index, dtype=object)
        bad = ~blank & parsed.isna()
    elif col.type == "date":
        parsed = parse_dates(raw.where(~blank, ""))
        bad = ~blank & parsed.isna()
        # 31/02/2024 is written the right way but names no day: say so, not "must be dd/mm/yyyy".
        impossible = bad & text.map(_looks_like_a_date).astype(bool)
        bad &= ~impossible
    elif col.type == "month":
        parsed_text = parse_month_cells(text.where(~blank))
        as_date = parse_dates(raw.where(~blank & parsed_text.isna(), ""))
        parsed = parsed_text.fillna(as_date).dt.to_period("M")
        bad = ~blank & parsed.isna()
    elif col.type == "enum":
        lookup = {_canonical(v): v for v in col.enum}
        matched = {v: (lookup.get(_canonical(v)) if v else None) for v in text.unique()}
        parsed = text.map(matched)
        bad = ~blank & parsed.isna()
        reason = "unknown value"
    else:  # pragma: no cover - template typo
        raise ValueError(f"unknown column type {col.type!r}")

    def add(mask: pd.Series, what: str, expected: str, severity: str = "error") -> None:
        rows = list(mask[mask].index)
        for i in rows[:MAX_LISTED_PER_COLUMN]:
            problems.append(Problem(label, int(i) + 2, col.name, text[i], expected, severity, what))
        if len(rows) > MAX_LISTED_PER_COLUMN:
            problems.append(Problem(label, None, col.name, None, expected, severity,
                                    f"{what} in {len(rows) - MAX_LISTED_PER_COLUMN} more rows"))

    if col.required:
        add(blank, "missing value", col.expected())
    if col.type == "date":
        add(impossible, "impossible date (that day does not exist)", "a date that exists on the calendar")
    if col.type == "enum":
        for i in bad[bad].index[:MAX_LISTED_PER_COLUMN]:
            close = difflib.get_close_matches(text[i], col.enum, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(label, int(i) + 2, col.name, text[i], col.expected() + hint, "error", reason))
        if bad.sum() > MAX_LISTED_PER_COLUMN:
            problems.append(Problem(label, None, col.name, None, col.expected(), "error",
                                    f"unknown value in {int(bad.sum()) - MAX_LISTED_PER_COLUMN} more rows"))
    else:
        add(bad, reason, col.expected())
    if col.type in ("int", "float"):
        ok = ~bad & ~blank
        if col.minimum is not None:
            low = parsed <= col.minimum if col.min_exclusive else parsed < col.minimum
            add(ok & low, "out of range", col.expected())
        if col.maximum is not None:
            add(ok & (parsed > col.maximum), "out of range", col.expected())
        if col.warn_above is not None:
            in_range = parsed <= (np.inf if col.maximum is None else col.maximum)
            add(ok & in_range & (parsed > col.warn_above),
                "unusually high", f"usually at most {col.warn_above:g}; check this value", "warning")
    return parsed, problems


def validate_frame(frame: pd.DataFrame, template: Template, label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a raw frame against its template; return typed columns in template order and all problems."""
    problems: list[Problem] = []
    if frame.empty and len(frame.columns) == 0:
        return frame, [Problem(label, None, None, "no columns", "a header row with the template's columns",
                               problem="empty file")]
    seen = [c for c in frame.columns]
    dupes = sorted({c for c in seen if seen.count(c) > 1})
    for name in dupes:
        problems.append(Problem(label, 1, name, name, "each column once", problem="duplicate column"))
    if dupes:
        frame = frame.loc[:, ~frame.columns.duplicated()]
    known = set(template.column_names())
    for name in template.required_columns():
        if name not in frame.columns:
            close = difflib.get_close_matches(name, [c for c in frame.columns if c not in known], n=1)
            hint = f" (is '{close[0]}' meant to be '{name}'?)" if close else ""
            problems.append(Problem(label, 1, name, None, f"a column named '{name}'{hint}",
                                    problem="missing required column"))
    for name in frame.columns:
        if name not in known:
            problems.append(Problem(label, 1, name, name, f"only the template's columns ({template.filename})",
                                    "warning", "unknown column, ignored"))
    if len(frame) == 0:
        severity = "warning" if template.may_be_empty else "error"
        problems.append(Problem(label, None, None, "a header but no data rows", "at least one data row", severity,
                                "no data rows" if template.may_be_empty else "empty file"))
    if any(p.severity == "error" for p in problems):
        return pd.DataFrame(columns=template.column_names()), problems

    frame = frame.reset_index(drop=True)
    clean = {}
    for col in template.columns:
        if col.name not in frame.columns:
            # An optional column left out: typed blanks, so the calculators see one shape of data.
            frame[col.name] = ""
        parsed, col_problems = _column_problems(frame, col, label)
        problems += col_problems
        if col.name in template.defaults:
            parsed = parsed.where(parsed.notna(), template.defaults[col.name])
        clean[col.name] = parsed
    out = pd.DataFrame(clean)
    for col in template.columns:
        if col.type == "bool":
            out[col.name] = out[col.name].astype(object)

    for key in template.unique:
        present = out[list(key)].notna().all(axis=1)
        dup = out[list(key)].duplicated(keep="first") & present
        for i in dup[dup].index[:MAX_LISTED_PER_COLUMN]:
            first = out.index[(out[list(key)] == out.loc[i, list(key)]).all(axis=1)][0]
            shown = ", ".join(cell_text(out.loc[i, k]) for k in key)
            problems.append(Problem(label, int(i) + 2, " + ".join(key), shown,
                                    f"a unique {' + '.join(key)} (first used on row {int(first) + 2})",
                                    problem="duplicate key"))
    for earlier, later in template.ordered:
        wrong = out[earlier].notna() & out[later].notna() & (out[later] < out[earlier])
        for i in wrong[wrong].index[:MAX_LISTED_PER_COLUMN]:
            problems.append(Problem(label, int(i) + 2, later, cell_text(out.loc[i, later]),
                                    f"a date on or after {earlier} ({cell_text(out.loc[i, earlier])})",
                                    problem=f"{later} before {earlier}"))
    for name in template.month_end:
        dates = out[name]
        wrong = dates.notna() & ~dates.dt.is_month_end
        for i in wrong[wrong].index[:MAX_LISTED_PER_COLUMN]:
            problems.append(Problem(label, int(i) + 2, name, cell_text(dates[i]),
                                    f"the last day of the month ({cell_text(dates[i] + pd.offsets.MonthEnd(0))})",
                                    problem="not a month-end date"))
    return out, problems


def cell_text(value) -> str:
    """A value as a problem report shows it: dates as dd/mm/yyyy, blank for a missing value."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, pd.Period):
        return str(value)
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def read_mapped(path: str | Path, kind: str, column_map: str | Path | None = None
                ) -> tuple[pd.DataFrame, str, list[Problem], dict[str, str]]:
    """Read a file as text cells with template column names, through its column map when one is given.

    Returns the frame, the encoding, the problems so far and each template column's header in the user's file
    (``{"snapshot_date": "Effective Date"}``), for messages.
    """
    from ttwell.inputs.column_maps import apply_map, load_map

    path = Path(path)
    if column_map is None:
        raw, encoding, problems = read_raw(path)
        return raw, encoding, problems, dict(raw.attrs.get("headers", {}))
    cmap, problems = load_map(column_map, kind)
    raw, encoding, read_problems = read_raw(path, keep_headers=True)
    problems += read_problems
    if cmap is None or read_problems:
        return pd.DataFrame(), encoding, problems, {}
    frame, headers, map_problems = apply_map(raw, cmap, path.name)
    return frame, encoding, problems + map_problems, headers


def as_written(problems: list[Problem], headers: dict[str, str]) -> list[Problem]:
    """Name columns as the user's file names them, with the template's column in brackets when different."""
    from dataclasses import replace

    def show(column: str | None) -> str | None:
        if not column:
            return column
        parts = []
        for name in column.split(" + "):
            written = headers.get(name)
            parts.append(f"{written} ({name})" if written and written != name else name)
        return " + ".join(parts)

    return [replace(p, column=show(p.column)) if p.column and p.file != "(parameters)" else p for p in problems]


@read_once
def read_table(path: str | Path, kind: str, column_map: str | Path | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one input file and check it against the template ``kind``; never raises for bad data.

    Parameters
    ----------
    path
        CSV or XLSX file. A :class:`ttwell.inputs.params.MappedFile` carries its own column map.
    kind
        Template kind (``staff_snapshot``, ``absence``, ...).
    column_map
        Optional column map (YAML, see :mod:`ttwell.inputs.column_maps`) reading an export with its own headers
        and values; default: ``path.column_map`` when present.

    Returns
    -------
    (table, problems)
        The typed DataFrame and the list of problems (errors and warnings). Problems name columns as the
        user's file names them, with the template column in brackets when different.
    """
    if kind not in TEMPLATES:
        raise ValueError(f"unknown input kind {kind!r}; choose one of {', '.join(TEMPLATES)}")
    if column_map is None:
        column_map = getattr(path, "column_map", None)
    path = Path(path)
    raw, encoding, problems, headers = read_mapped(path, kind, column_map)
    if any(p.severity == "error" for p in problems):
        return pd.DataFrame(columns=TEMPLATES[kind].column_names()), problems
    if encoding == "cp1252":
        problems.append(Problem(path.name, None, None, "Windows-1252", "UTF-8", "warning",
                                "read as Windows-1252 text (not UTF-8)"))
    table, more = validate_frame(raw, TEMPLATES[kind], path.name)
    if column_map is not None:
        # A mapped frame holds only template columns: "unknown column" notes would repeat the map's note.
        more = [p for p in more if p.problem != "unknown column, ignored"]
    more.sort(key=lambda p: (p.row or 0))
    return table, as_written(problems + more, headers)


def loaded_file(kind: str, path: Path, table: pd.DataFrame, problems: list[Problem]) -> LoadedFile:
    """What the readiness summary says about a file that was read: rows, encoding, hash."""
    windows = any(p.problem.startswith("read as") for p in problems)
    encoding = "xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else ("cp1252" if windows else "utf-8")
    return LoadedFile(kind, path, len(table), encoding, file_sha256(path))


def read_inputs(paths: dict, kinds, maps: dict | None = None
                ) -> tuple[dict, dict, list[Problem], list[LoadedFile], dict[str, str]]:
    """Read each given file of ``kinds``: clean tables, every readable table (for cross-file checks), problems,
    file information and the file name used in messages for each kind. ``maps`` gives a column map per kind
    (default: each path's own ``column_map``, see :class:`ttwell.inputs.params.MappedFile`)."""
    tables: dict[str, pd.DataFrame] = {}
    readable: dict[str, pd.DataFrame] = {}  # files with row errors still take part in cross-file checks
    problems: list[Problem] = []
    files: list[LoadedFile] = []
    names = {kind: TEMPLATES[kind].filename for kind in kinds}
    for kind in kinds:
        path = paths.get(kind)
        if path is None:
            continue
        table, found = read_table(path, kind, (maps or {}).get(kind))
        path = Path(path)
        names[kind] = path.name
        problems += found
        readable[kind] = table
        if not any(p.severity == "error" for p in found):
            tables[kind] = table
            files.append(loaded_file(kind, path, table, found))
    return tables, readable, problems, files, names
