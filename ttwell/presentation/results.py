"""Results files: how headline figures and tables leave a notebook (``results.json`` + ``tables/*.csv``).

A notebook records figures and disclosed tables as it goes and saves them at the end. With no output folder
(as when nbval re-executes a committed notebook) nothing is written. ``results.json`` holds no timestamps
and no absolute paths, so the same inputs give the same file.

Example
-------
>>> from ttwell.presentation.results import Results
>>> r = Results("baseline", output_dir=None, parameters={"audience": "internal_management"})
>>> r.record("sickness_absence_rate", 0.043, unit="proportion", label="Sickness absence rate")
>>> r.figures["sickness_absence_rate"]["value"]
0.043
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from ttwell import __version__
from ttwell.disclosure import Disclosed, assert_no_identifiers
from ttwell.errors import DisclosureError, TtwellError
from ttwell.inputs.params import demonstration_notice

RESULTS_FILE = "results.json"
TABLES_DIR = "tables"


def json_safe(value):
    """``value`` as JSON can hold it: the one converter for every JSON file ttwell writes.

    numpy numbers become Python numbers (floats rounded to 10 decimals, so a figure does not change in its last
    bits between platforms), NaN, infinity, ``pd.NA`` and ``NaT`` become ``None``, numpy booleans Python booleans,
    timestamps ISO dates (``2024-03-31``), periods their text (``2024-03``); dicts, lists and tuples are converted
    item by item. Anything else is returned as it is.

    Examples
    --------
    >>> json_safe({"rate": np.float64(0.25), "n": np.int64(3), "ci": (float("nan"), 1.0)})
    {'rate': 0.25, 'n': 3, 'ci': [None, 1.0]}
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if not math.isfinite(value) else round(float(value), 10)
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def json_records(frame: pd.DataFrame) -> list[dict]:
    """A table as a list of JSON-safe rows (one dict per row)."""
    return json_safe(frame.to_dict(orient="records"))


def write_json(path: str | Path, payload: dict) -> Path:
    """Write ``payload`` (made :func:`json_safe`) as indented UTF-8 JSON, creating the folder; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(json_safe(payload), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


class Results:
    """Collects a notebook's figures and tables and writes them as ``results.json`` and CSV files."""

    def __init__(self, notebook: str, output_dir: str | Path | None, parameters: dict, title: str = ""):
        self.notebook = notebook
        self.output_dir = Path(output_dir) if output_dir else None
        self.title = title
        # Paths are reduced to file names: results must not depend on where the data sat.
        self.parameters = {k: (Path(v).name if k.endswith(("_file", "_dir")) and v else v)
                           for k, v in parameters.items() if k not in ("output_dir", "demonstration", "column_maps")}
        if parameters.get("column_maps"):
            self.parameters["column_maps"] = {k: Path(v).name for k, v in parameters["column_maps"].items()}
        # A run on the shipped synthetic data says so in results.json and on the workbook's cover.
        self.data_notice = demonstration_notice(parameters)
        self.figures: dict[str, dict] = {}
        self.tables: dict[str, dict] = {}
        self._frames: dict[str, pd.DataFrame] = {}
        self.notes: list[str] = []
        self.team_names: dict[str, str] = {}  # team code -> name, so the workbook shows names

    def record(self, name: str, value, *, unit: str | None = None, label: str = "", note: str | None = None) -> None:
        """Record one headline figure."""
        self.figures[name] = {"value": json_safe(value), "unit": unit, "label": label, "note": note}

    def note(self, text: str) -> None:
        """Record an interpretation note (a caveat, a suppression, a data-quality remark)."""
        if text not in self.notes:
            self.notes.append(text)

    def table(self, name: str, disclosed: Disclosed | pd.DataFrame, *, title: str, date_columns=(),
              percent_columns=(), count_columns=(), footnote: str | None = None, excel: bool = True) -> None:
        """Record a table. Tables of groups must come through disclosure control (a ``Disclosed``).

        A plain DataFrame is accepted only when it has no group-size column (nothing to disclose).
        ``excel=False`` keeps a long table (such as every monthly value) out of the Excel workbook; it is
        still written as CSV.
        """
        if isinstance(disclosed, Disclosed):
            frame, footnote = disclosed.table, footnote or disclosed.footnote
        else:
            frame = disclosed
            if any(c in frame.columns for c in ("n_people", "n_respondents", "n")):
                raise DisclosureError(f"Table '{name}' has group sizes but did not pass through disclosure "
                                      "control; call ttwell.disclosure.disclose first.")
        assert_no_identifiers(frame, f"Table '{name}'")
        self._frames[name] = frame
        self.tables[name] = {"file": f"{TABLES_DIR}/{name}.csv", "title": title, "footnote": footnote,
                             "date_columns": list(date_columns), "percent_columns": list(percent_columns),
                             "count_columns": list(count_columns), "excel": excel}

    def as_dict(self) -> dict:
        return {"notebook": self.notebook, "title": self.title, "ttwell_version": __version__,
                "demonstration": self.data_notice is not None, "data_notice": self.data_notice,
                "parameters": json_safe(self.parameters), "figures": self.figures, "tables": self.tables,
                "notes": self.notes, **({"team_names": self.team_names} if self.team_names else {})}

    def save(self) -> Path | None:
        """Write ``results.json`` and the table CSVs (UTF-8 with BOM, ISO dates); nothing without a folder."""
        if self.output_dir is None:
            return None
        (self.output_dir / TABLES_DIR).mkdir(parents=True, exist_ok=True)
        for name, frame in self._frames.items():
            frame = frame.copy()
            for column in frame.columns:
                if isinstance(frame[column].dtype, pd.PeriodDtype):
                    frame[column] = frame[column].astype(str)
            frame.to_csv(self.output_dir / TABLES_DIR / f"{name}.csv", index=False, encoding="utf-8-sig",
                         date_format="%Y-%m-%d", lineterminator="\n")
        path = self.output_dir / RESULTS_FILE
        path.write_text(json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


def read_results(folder: str | Path, *, tables: bool | list[str] | tuple[str, ...] = True) -> dict:
    """Read a results folder: the parsed ``results.json``, with each table it lists loaded as ``frames[name]``.

    The one reader of results files (the workbook writer, the annual evaluation and the comparison of services
    use it). Tables are read as written: only an empty cell is missing (a category called "NA" stays text), ISO
    dates become dates, and a table that carries a staff identifier is refused; ``tables=False`` reads
    ``results.json`` only, and a list of names reads only those of the listed tables (a name results.json does
    not list is skipped, not an error). Raises :class:`TtwellError` saying what to re-run.
    """
    folder = Path(folder)
    path = folder / RESULTS_FILE
    if not path.is_file():
        raise TtwellError(f"There is no {RESULTS_FILE} in {folder}. Run the notebook first, then use its "
                          "results folder.")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise TtwellError(f"{path} is not valid JSON ({exc}). Run the notebook again to rewrite it.") from exc
    if tables is not False:
        wanted = None if tables is True else set(tables)
        data["frames"] = {name: read_table(folder, name, spec or {})
                          for name, spec in (data.get("tables") or {}).items() if wanted is None or name in wanted}
    return data


def read_table(folder: Path, name: str, spec: dict) -> pd.DataFrame:
    """One table of a results folder, as :func:`read_results` reads it (``spec`` is its entry in results.json)."""
    path = Path(folder) / spec.get("file", f"{TABLES_DIR}/{name}.csv")
    if not path.is_file():
        raise TtwellError(f"{RESULTS_FILE} lists the table '{name}' but {path} is missing. "
                          "Run the notebook again to rewrite its results folder.")
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError as exc:
        raise TtwellError(f"The table '{name}' ({path}) is empty, not even a header row. "
                          "Run the notebook again to rewrite its results folder.") from exc
    assert_no_identifiers(frame, f"The table '{name}' ({path.name})")
    for column in spec.get("date_columns") or []:
        if column in frame.columns:
            try:
                frame[column] = pd.to_datetime(frame[column], format="ISO8601")
            except (ValueError, TypeError) as exc:
                raise TtwellError(f"Table '{name}', column '{column}': dates should be yyyy-mm-dd ({exc}).") from exc
    for column in [*(spec.get("percent_columns") or []), *(spec.get("count_columns") or [])]:
        if column in frame.columns and not pd.api.types.is_numeric_dtype(frame[column]):
            try:
                frame[column] = pd.to_numeric(frame[column])
            except (ValueError, TypeError) as exc:
                raise TtwellError(f"Table '{name}', column '{column}' should hold numbers only ({exc}).") from exc
    return frame
