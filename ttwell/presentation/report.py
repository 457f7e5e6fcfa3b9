"""Presenting results: accessible tables in notebooks, the Excel workbook and the code-free HTML report.

Nothing here calculates or decides what may be shown: tables arrive from disclosure control with a
``suppressed`` flag, and this module only formats them. The rule for a table with a ``suppressed`` column:
in a row where ``suppressed`` is true, an empty (NaN) numeric cell was suppressed and is shown as ``[c]``;
in any other row an empty cell is simply missing and is shown as a dash (blank in Excel).

Examples
--------
>>> from ttwell import report
>>> report.display_table(rates, percent_columns=["value"], date_columns=["month"],
...                      caption="Sickness absence rate by month")          # doctest: +SKIP
>>> report.write_excel(Path("reports/baseline"), Path("reports/baseline/baseline.xlsx"))  # doctest: +SKIP
>>> report.export_html(Path("reports/baseline/baseline.ipynb"),
...                    Path("reports/baseline/baseline.html"))               # doctest: +SKIP
"""

from __future__ import annotations

import datetime
import html
import io
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ttwell.errors import TtwellError
from ttwell.disclosure import SUPPRESSED_MARK, assert_no_identifiers
from ttwell.presentation import units
from ttwell.presentation.results import RESULTS_FILE, read_results

#: Shown in place of a value removed by disclosure control (Analysis Function symbol for "confidential").
#: Shown in notebook/HTML tables in place of a value that is simply missing (an en dash).
MISSING = "\u2013"

NHS_BLUE = "#005EB8"  # repeated from charts so that report does not import matplotlib
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "resources" / "nbconvert"
TEMPLATE_NAME = "nhs_report"

#: Cells with these tags are left out of the HTML report. papermill tags its own error-marker cells.
# Cells that exist for the test suite (nbval's key-results printouts) never reach a reader.
REMOVE_CELL_TAGS = frozenset({"remove-cell", "papermill-error-cell-tag", "nbval-check-output"})

AUDIENCES = {
    "internal_management": "internal management (service leadership and HR)",
    "staff_wide": "all staff",
    "external": "external (board papers, partners or publication)",
}



# --- shared helpers -----------------------------------------------------------------------------------------

def suppressed_flags(values: pd.Series) -> pd.Series:
    """Read a ``suppressed`` column as booleans, whether it holds booleans or text from a CSV.

    Parameters
    ----------
    values : pandas.Series
        The ``suppressed`` column: booleans, or text such as ``"True"``, ``"false"``, ``"1"``.

    Returns
    -------
    pandas.Series of bool
        True where the row has suppressed cells; missing flags count as false.

    Examples
    --------
    >>> suppressed_flags(pd.Series(["True", "False", None])).tolist()
    [True, False, False]
    """
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    text = values.astype("string").str.strip().str.lower()
    return text.isin(["true", "1", "yes", "y", "t"]).fillna(False).astype(bool)


def _numeric_columns(df: pd.DataFrame, extra: Iterable[str] = ()) -> list[str]:
    # Columns where an empty cell in a suppressed row means "suppressed": numeric data columns (not flags).
    extra = set(extra)
    out = []
    for col in df.columns:
        if col == "suppressed":
            continue
        series = df[col]
        if col in extra or (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)):
            out.append(col)
    return out


def _suppressed_cells(df: pd.DataFrame, numeric_columns: Iterable[str]) -> pd.DataFrame:
    """Boolean frame (same shape as ``df``): True where a cell was suppressed by disclosure control."""
    mask = pd.DataFrame(False, index=df.index, columns=df.columns)
    if "suppressed" not in df.columns:
        return mask
    rows = suppressed_flags(df["suppressed"])
    for col in numeric_columns:
        mask[col] = rows & df[col].isna()
    return mask


# --- display_table ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DisplayTable:
    """A formatted table that shows as accessible HTML in a notebook and as plain text elsewhere.

    Made by :func:`display_table`: ``header`` and ``rows`` hold the display strings, ``numeric`` says which
    columns are right-aligned, ``row_header`` whether the first column is the (meaningful) index.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    row_header: bool
    caption: str | None
    footnote: str | None

    def _repr_html_(self) -> str:
        parts = ['<div class="ttwell-table">', '<table class="ttwell-table__table">']
        if self.caption:
            parts.append(f"<caption>{html.escape(self.caption)}</caption>")
        parts.append("<thead><tr>")
        for name, is_num in zip(self.header, self.numeric):
            parts.append(f'<th scope="col" style="text-align: {"right" if is_num else "left"}">'
                         f"{html.escape(name)}</th>")
        parts.append("</tr></thead><tbody>")
        for row in self.rows:
            parts.append("<tr>")
            for j, (value, is_num) in enumerate(zip(row, self.numeric)):
                tag = "th" if (self.row_header and j == 0) else "td"
                scope = ' scope="row"' if tag == "th" else ""
                cls = ' class="ttwell-suppressed"' if value == SUPPRESSED_MARK else ""
                align = "right" if is_num else "left"
                parts.append(f'<{tag}{scope}{cls} style="text-align: {align}">{html.escape(value)}</{tag}>')
            parts.append("</tr>")
        parts.append("</tbody></table>")
        if self.footnote:
            parts.append(f'<p class="ttwell-footnote">{html.escape(self.footnote)}</p>')
        parts.append("</div>")
        return "".join(parts)

    def to_text(self) -> str:
        """Fixed-width text version (what ``repr`` and nbval's text/plain comparison see)."""
        widths = [len(h) for h in self.header]
        for row in self.rows:
            widths = [max(w, len(v)) for w, v in zip(widths, row)]

        def line(values):
            cells = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, self.numeric)]
            return "  ".join(cells).rstrip()

        out = []
        if self.caption:
            out.append(self.caption)
        out.append(line(self.header))
        out.extend(line(row) for row in self.rows)
        if self.footnote:
            out.append(self.footnote)
        return "\n".join(out)

    def __repr__(self) -> str:
        return self.to_text()

    def __str__(self) -> str:
        return self.to_text()


def display_table(
    df: pd.DataFrame,
    *,
    percent_columns: Iterable[str] = (),
    date_columns: Iterable[str] = (),
    count_columns: Iterable[str] = (),
    decimals: int = 1,
    caption: str | None = None,
    footnote: str | None = None,
    column_labels: Mapping[str, str] | None = None,
    point_columns: Iterable[str] = (),
    value_labels: Mapping[str, str] | None = None,
) -> DisplayTable:
    """Format a table for a notebook or report: accessible HTML, UK formats, suppressed cells as ``[c]``.

    Parameters
    ----------
    df : pandas.DataFrame
        A tidy table, normally the output of disclosure control. A ``suppressed`` column, if present, is used
        for the ``[c]`` rule and not shown. The index is shown only when it is named.
    percent_columns : iterable of str
        Proportions (0-1) shown as percentages, for example 0.123 -> ``12.3%``.
    date_columns : iterable of str
        Dates shown as ``dd/mm/yyyy``.
    count_columns : iterable of str
        Counts shown with thousands separators, for example ``1,234``.
    decimals : int, default 1
        Decimal places for percentages and other non-integer numbers.
    caption : str, optional
        Table caption (the HTML ``<caption>``, which screen readers announce).
    footnote : str, optional
        Text under the table, for example the disclosure-control footnote.
    column_labels : mapping, optional
        Display names for columns, for example ``{"n_people": "People"}``. Other column names and text cells
        that are codes are labelled by :func:`ttwell.presentation.labels.label`, so no identifier reaches a reader.
    point_columns : iterable of str
        Differences of two proportions, shown in percentage points: 0.016 -> ``+1.6 pp``.
    value_labels : mapping, optional
        Extra labels for text cells (team names, score names).

    Returns
    -------
    DisplayTable
        Shows as an HTML table in Jupyter; its text form is stable for nbval.

    Raises
    ------
    DisclosureError
        If the table contains a staff or respondent identifier column.

    Examples
    --------
    >>> t = display_table(pd.DataFrame({"team": ["A", "B"], "value": [0.123, None],
    ...                                 "suppressed": [False, True]}), percent_columns=["value"])
    >>> print(t)
    team  value
    A     12.3%
    B       [c]
    """
    assert_no_identifiers(pd.DataFrame(columns=[*map(str, df.columns), *[str(n) for n in df.index.names if n]]),
                          "The table")
    from ttwell.presentation.labels import IDENTIFIER, label

    percent_columns, date_columns, count_columns = set(percent_columns), set(date_columns), set(count_columns)
    point_columns = set(point_columns)
    unknown = (percent_columns | date_columns | count_columns | point_columns) - set(df.columns)
    if unknown:
        raise ValueError(f"display_table: column(s) {sorted(unknown)} are not in the table "
                         f"(columns: {list(df.columns)})")
    labels = dict(column_labels or {})

    frame = df
    # A filtered table keeps its old row numbers; only a named index means something to a reader.
    show_index = any(name is not None for name in df.index.names)
    if show_index:
        frame = df.reset_index()
    numeric_cols = _numeric_columns(frame, percent_columns | count_columns | point_columns)
    suppressed = _suppressed_cells(frame, numeric_cols)
    shown_cols = [c for c in frame.columns if c != "suppressed"]

    formatted: dict[str, list[str]] = {}
    for col in shown_cols:
        series = frame[col]
        if col in date_columns:
            series = pd.to_datetime(series)
        out = []
        for value, is_suppressed in zip(series.tolist(), suppressed[col].tolist()):
            if is_suppressed:
                out.append(SUPPRESSED_MARK)
            elif value is None or (not isinstance(value, str) and pd.isna(value)):
                out.append(MISSING)
            elif col in date_columns:
                out.append(pd.Timestamp(value).strftime("%d/%m/%Y"))
            elif col in percent_columns:
                out.append(f"{float(value) * 100:.{decimals}f}%")
            elif col in point_columns:
                out.append(units.points(value, decimals))
            elif isinstance(value, str):
                out.append(label(value, value_labels))
            elif col in count_columns:
                out.append(units.count(value, decimals))
            else:
                out.append(units.plain_number(value.item() if hasattr(value, "item") else value, decimals))
        formatted[col] = out

    header = tuple(str(labels.get(c, label(str(c)) if IDENTIFIER.match(str(c)) else c)) for c in shown_cols)
    rows = tuple(zip(*(formatted[c] for c in shown_cols))) if shown_cols else ()
    numeric = tuple(c in numeric_cols for c in shown_cols)
    return DisplayTable(header=header, rows=tuple(tuple(r) for r in rows), numeric=numeric,
                        row_header=show_index, caption=caption, footnote=footnote)


# --- Excel --------------------------------------------------------------------------------------------------

def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """Make a valid, unique Excel sheet name in plain words; see :func:`ttwell.presentation.workbook.sheet_name`.

    Examples
    --------
    >>> sheet_name("Notes", taken=["Cover", "Notes"])
    'Notes (2)'
    """
    from ttwell.presentation import workbook

    return workbook.sheet_name(name, taken)


def write_excel(results_dir: Path, xlsx_path: Path, *, contact: str | None = None,
                team_names: Mapping[str, str] | None = None) -> Path:
    """Write the Excel workbook for a results folder: the entry point kept for callers of ``ttwell.presentation.report``.

    The layout, parameters, return value and errors are those of :func:`ttwell.presentation.workbook.write_excel`.
    """
    # Imported here: ttwell.presentation.workbook uses this module's readers, so a top-level import would be circular.
    from ttwell.presentation import workbook

    return workbook.write_excel(results_dir, xlsx_path, contact=contact, team_names=team_names)


def _save_bytes(data: bytes, path: Path) -> Path:
    """Write a file via a temporary file in the same folder, so a failed write never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes owner-only files; a report should get the usual permissions of a new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except PermissionError as exc:
        # On Windows, Excel and Word lock a file they have open, and replacing it fails.
        program = {".xlsx": "Excel", ".docx": "Word"}.get(path.suffix.lower(), "the program that has it open")
        raise TtwellError(f"Could not write {path.name}: it is open in another program. "
                          f"Close {path.name} in {program} and run again.") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


# --- HTML ---------------------------------------------------------------------------------------------------

def _strip_markdown(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images -> their text
    text = re.sub(r"[*_`]+", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    return text.strip().strip("#").strip()


def report_title(nb) -> str | None:
    """The title for a notebook's report: ``metadata["title"]``, else its first markdown heading.

    Parameters
    ----------
    nb : nbformat.NotebookNode

    Returns
    -------
    str or None

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Staff wellbeing: baseline")])
    >>> report_title(nb)
    'Staff wellbeing: baseline'
    """
    title = nb.metadata.get("title")
    if title:
        return str(title)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if match:
                return _strip_markdown(match.group(1)) or None
            match = re.match(r"^\s*<h[1-6][^>]*>(.*?)</h[1-6]>", line, flags=re.IGNORECASE)
            if match:
                return _strip_markdown(match.group(1)) or None
    return None


def html_exporter():
    """Return the nbconvert ``HTMLExporter`` configured for ttwell's code-free NHS report.

    Code, input prompts and output prompts are excluded; cells tagged ``remove-cell`` and papermill's error
    cells are removed; the ``nhs_report`` template (no outside requests, NHS styling, real alt text) is used.

    Returns
    -------
    nbconvert.HTMLExporter

    Examples
    --------
    >>> body, _ = html_exporter().from_notebook_node(nb)  # doctest: +SKIP
    """
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    config.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    config.HTMLExporter.template_name = TEMPLATE_NAME
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    # Belt and braces: the template drops the script tags, and these keep any stray reference local.
    config.HTMLExporter.mathjax_url = ""
    config.HTMLExporter.require_js_url = ""
    exporter = HTMLExporter(config=config)
    exporter.register_preprocessor(drop_stderr, enabled=True)
    return exporter


def drop_stderr(nb, resources):
    """Remove what cells wrote to stderr (library warnings, progress noise): it is for the analyst running the
    notebook, who still sees it in the executed ``.ipynb``, never for a board paper.

    An nbconvert preprocessor function: ``(nb, resources) -> (nb, resources)``.
    """
    for cell in nb.cells:
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return nb, resources


def read_executed(executed_notebook: Path, making: str):
    """Read an executed notebook for a report, or raise a plain :class:`TtwellError` saying what went wrong."""
    import nbformat

    try:
        return nbformat.read(executed_notebook, as_version=4)
    except FileNotFoundError as exc:
        raise TtwellError(f"Cannot make {making}: {executed_notebook} does not exist.") from exc
    except (ValueError, nbformat.reader.NotJSONError) as exc:
        raise TtwellError(f"Cannot make {making}: {executed_notebook} is not a readable notebook ({exc}).") from exc


def produced_line(results_dir: Path, today: datetime.date | None = None) -> str:
    """'Produced on 01/12/2026 by ttwell 0.1.0 from <data>.' for the top of every report.

    The data are named from the run's ``results.json``: the synthetic demonstration says so; otherwise the
    service named in the parameters.
    """
    from ttwell import __version__

    today = today or datetime.date.today()
    data = ""
    if (Path(results_dir) / RESULTS_FILE).is_file():
        results = read_results(results_dir, tables=False)
        service = (results.get("parameters") or {}).get("service_name")
        data = results.get("data_notice") or (f"data of {service}" if service else "")
    return f"Produced on {today:%d/%m/%Y} by ttwell {__version__}" + (f" from {data}" if data else "") + "."


def export_html(executed_notebook: Path, html_path: Path) -> Path:
    """Export an executed notebook as a stakeholder HTML report: no code, NHS styling, self-contained.

    The report makes no outside requests (no MathJax, require.js, widget or Mermaid scripts from CDNs), embeds
    charts as data URIs with the alt text given to :func:`ttwell.presentation.charts.show`, shows the title from the
    notebook's ``title`` metadata or first heading in an NHS Blue header bar, and prints cleanly on A4.

    Parameters
    ----------
    executed_notebook : pathlib.Path
        Notebook executed by papermill.
    html_path : pathlib.Path
        HTML file to write; its folder is created if needed.

    Returns
    -------
    pathlib.Path
        ``html_path``.

    Raises
    ------
    TtwellError
        If the notebook cannot be read, or the HTML file cannot be written.

    Examples
    --------
    >>> export_html(Path("reports/baseline/baseline.ipynb"), Path("reports/baseline/baseline.html"))  # doctest: +SKIP
    """
    executed_notebook, html_path = Path(executed_notebook), Path(html_path)
    nb = read_executed(executed_notebook, "the HTML report")
    title = report_title(nb) or executed_notebook.stem
    nb.metadata["title"] = title  # in memory only: the template shows it in <title> and the header bar
    nb.metadata["ttwell_produced"] = produced_line(executed_notebook.parent)
    resources = {"metadata": {"name": title, "path": str(executed_notebook.parent)}}
    body, _ = html_exporter().from_notebook_node(nb, resources=resources)
    return _save_bytes(body.encode("utf-8"), html_path)
