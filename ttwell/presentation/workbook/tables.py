"""The workbook's table sheets and the whole workbook: sheet names in plain words, team names for codes, one
sheet per table with number formats by unit, and :func:`write_excel`, which reads a results folder and writes
its workbook."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
import pandas as pd

from ttwell.presentation import labels, report, units
from ttwell.disclosure import SUPPRESSED_MARK
from ttwell.presentation.results import read_results
from ttwell.inputs.templates import ROLE_FAMILY_LABELS
from ttwell.presentation.workbook.front import build_cover, build_figures, build_notes, build_parameters
from ttwell.presentation.workbook.layout import (HEADER_ROW, MAX_TEXT_WIDTH, add_table, display_width,
                                                 fit_row_heights, print_settings, style_header, table_display_name,
                                                 title_rows)


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


RESERVED_SHEETS = ("Cover", "Notes", "Parameters", "Key figures")


def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """Make a valid, unique Excel sheet name in plain words.

    Excel allows at most 31 characters, none of ``[]:*?/\\``, no leading or trailing apostrophe, and compares
    names without regard to case. Underscores become spaces, so a table called ``spc_summary`` gets the sheet
    ``SPC summary``.

    Parameters
    ----------
    name : str
        The wanted name: a table's title, or its name in ``results.json``.
    taken : iterable of str
        Names already used in the workbook.

    Returns
    -------
    str

    Examples
    --------
    >>> sheet_name("sickness/absence: by team [all]")
    'Sickness absence by team all'
    >>> sheet_name("Notes", taken=["Cover", "Notes"])
    'Notes (2)'
    """
    clean = _SHEET_FORBIDDEN.sub(" ", str(name)).replace("_", " ")
    clean = re.sub(r"\s+", " ", clean).strip().strip("'").strip()
    clean = labels.plain_words(clean) if clean == clean.lower() else clean
    clean = clean or "Table"
    if clean.lower() == "history":  # reserved by Excel
        clean = "History table"
    used = {t.lower() for t in taken}
    candidate = clean[:31].rstrip()
    counter = 2
    while candidate.lower() in used:
        suffix = f" ({counter})"
        candidate = clean[: 31 - len(suffix)].rstrip() + suffix
        counter += 1
    return candidate


def table_sheet_name(name: str, spec: Mapping, taken: Iterable[str] = ()) -> str:
    """The sheet for a table: its title when that is short and plain, else its name in plain words.

    Examples
    --------
    >>> table_sheet_name("spc_summary", {"title": "SPC summary across indicators"})
    'SPC summary across indicators'
    >>> table_sheet_name("nss_published_scores", {"title": "Published NHS Staff Survey scores"})
    'NSS published scores'
    """
    title = str(spec.get("sheet") or spec.get("title") or "").strip()
    if title and len(title) <= 31 and not _SHEET_FORBIDDEN.search(title) and "_" not in title:
        return sheet_name(title, taken)
    return sheet_name(labels.plain_words(name), taken)


_CODE = re.compile(r"[A-Za-z0-9_-]{1,12}")  # a team code as teams files have them ("T01"); names have spaces


def _with_group_names(df: pd.DataFrame, team_names: Mapping[str, str]) -> tuple[pd.DataFrame, bool]:
    """Groups by name, not code: role families by their labels, teams by name when the names are known.

    Returns the table and whether it still shows team codes (no name was known for them).
    """
    df = df.copy()
    team_cells = []  # (rows, column) holding teams
    if "level" in df.columns and "group" in df.columns:
        level = df["level"].astype(str)
        roles = level.eq("role_family")
        df.loc[roles, "group"] = df.loc[roles, "group"].map(lambda g: ROLE_FAMILY_LABELS.get(g, g))
        team_cells.append((level.eq("team"), "group"))
    for col in ("team_code", "team"):
        if col in df.columns:
            team_cells.append((pd.Series(True, index=df.index), col))
    codes_left = False
    for rows, col in team_cells:
        df.loc[rows, col] = df.loc[rows, col].map(lambda c: team_names.get(c, c) if isinstance(c, str) else c)
        left = df.loc[rows, col].map(lambda c: isinstance(c, str) and bool(_CODE.fullmatch(c)))
        codes_left = codes_left or bool(left.any())
    return df, codes_left


def constant_text_columns(df: pd.DataFrame, min_length: int = 60) -> list[str]:
    """Text columns that repeat one long sentence on every row (a caveat, a method description).

    Examples
    --------
    >>> constant_text_columns(pd.DataFrame({"x": [1, 2], "method": ["Welch t interval of the difference " * 2] * 2}))
    ['method']
    """
    if len(df) < 2:
        return []
    out = []
    for col in df.columns:
        values = df[col]
        if values.isna().any() or pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        if values.nunique() == 1 and len(str(values.iloc[0])) >= min_length:
            out.append(col)
    return out


def _finish_table_sheet(ws, df: pd.DataFrame, spec: Mapping, formats: Mapping[str, list],
                        titles: Iterable[str] | None = None) -> float:
    """Header style, ``[c]`` and number formats on a table written from A3; returns the sheet's width.

    ``df`` has the calculators' column names (formats are keyed by them); ``titles`` are the headings shown."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    numeric_cols = report._numeric_columns(df, set(spec.get("percent_columns") or [])
                                           | set(spec.get("count_columns") or []))
    suppressed = report._suppressed_cells(df, numeric_cols)
    shown = [c for c in df.columns if c != "suppressed"]
    titles = list(titles) if titles is not None else [str(c) for c in shown]
    style_header(ws, len(shown), numeric=[j for j, c in enumerate(shown, start=1) if any(formats[c])])
    total = 0.0
    for j, (col, title) in enumerate(zip(shown, titles), start=1):
        width = min(len(title), 16)  # a long heading wraps (its row is tall) rather than widen the column
        wrap = False
        for i, (is_suppressed, fmt) in enumerate(zip(suppressed[col].tolist(), formats[col]),
                                                 start=HEADER_ROW + 1):
            cell = ws.cell(row=i, column=j)
            if cell.value == "":
                cell.value = None  # pandas writes NaN as an empty string; a truly empty cell is cleaner
            # Top-aligned, so a row whose label wraps still reads across as one line.
            cell.alignment = Alignment(vertical="top")
            if is_suppressed:
                cell.value = SUPPRESSED_MARK
                cell.alignment = Alignment(horizontal="right", vertical="top")
            elif fmt is not None and cell.value is not None:
                if fmt == units.DATE and hasattr(cell.value, "date"):
                    cell.value = cell.value.date()  # a date, not midnight on that date
                cell.number_format = fmt
            shown_width = display_width(cell.value, fmt)
            if shown_width > MAX_TEXT_WIDTH:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                wrap = True
            width = max(width, shown_width)
        width = min(max(width + 2, 8), MAX_TEXT_WIDTH + 2 if wrap else 60)
        ws.column_dimensions[get_column_letter(j)].width = width
        total += width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    fit_row_heights(ws, HEADER_ROW)
    return total


def write_excel(results_dir: Path, xlsx_path: Path, *, contact: str | None = None,
                team_names: Mapping[str, str] | None = None, produced_on: dt.date | None = None) -> Path:
    """Write the Excel workbook for a results folder, laid out as the GSS spreadsheet guidance asks.

    Sheets: Cover (title, "Produced on dd/mm/yyyy by ttwell X.Y", contact, source, period, the disclosure rule
    and contents), Notes, Parameters, Key figures, then one sheet per table named in plain words. Every sheet
    after the cover has its title in A1 and its data as an Excel table from A3; every numeric cell has a
    number format for its unit (:func:`units.number_formats`); cells suppressed by disclosure control hold ``[c]``.
    Sheets print on A4, fitted to the page width with the header row repeated; the cover prints on one page.

    Parameters
    ----------
    results_dir : pathlib.Path
        Folder holding ``results.json`` and ``tables/<name>.csv`` (written by :mod:`ttwell.presentation.results`).
    xlsx_path : pathlib.Path
        Workbook to write; its folder is created if needed. An existing file is replaced.
    contact : str, optional
        Who to contact about the figures (shown on the cover). Default: ``results.json``'s ``contact``, else
        a placeholder asking the service to add its own; ttwell never invents one.
    team_names : mapping, optional
        Team code -> team name, so tables show names. Default: ``results.json``'s ``team_names`` if any;
        without names, team codes stay as they are and a note says so.
    produced_on : datetime.date, optional
        The production date on the cover; default today.

    Returns
    -------
    pathlib.Path
        ``xlsx_path``.

    Raises
    ------
    DisclosureError
        If any table has an identifier column (nothing is written).
    TtwellError
        If the results folder is incomplete, or the workbook is open in Excel.

    Examples
    --------
    >>> write_excel(Path("reports/baseline"), Path("reports/baseline/baseline.xlsx"))  # doctest: +SKIP
    PosixPath('reports/baseline/baseline.xlsx')
    """
    results_dir, xlsx_path = Path(results_dir), Path(xlsx_path)
    # Every table is read (and checked) before anything is written, so a refused table leaves no half-written file.
    results = read_results(results_dir)
    contact = contact or results.get("contact")
    team_names = dict(team_names or results.get("team_names") or {})
    produced_on = produced_on or dt.date.today()
    # Tables marked excel=False (long monthly series) stay as CSV only: the workbook holds the key tables.
    table_specs: Mapping[str, Mapping] = {name: (spec or {}) for name, spec in (results.get("tables") or {}).items()
                                          if (spec or {}).get("excel", True)}
    tables = {name: results["frames"][name] for name in table_specs}

    taken = list(RESERVED_SHEETS)
    sheets: dict[str, str] = {}
    for name in tables:
        sheets[name] = table_sheet_name(name, table_specs[name], taken)
        taken.append(sheets[name])

    figures = results.get("figures") or {}
    contents = [("Notes", "Notes, including what [c] means"), ("Parameters", "The settings of this run")]
    if figures:
        contents.append(("Key figures", "Headline figures"))
    titles = {name: labels.prose(str(table_specs[name].get("title") or labels.plain_words(name))) for name in tables}
    contents += [(sheets[name], titles[name]) for name in tables]
    table_notes = [(f"Sheet {sheets[name]}", labels.prose(str(spec["footnote"])))
                   for name, spec in table_specs.items() if spec.get("footnote")]
    labelled = {}
    for name, df in tables.items():
        labelled[name], codes_left = _with_group_names(df, team_names)
        # A sentence repeated on every row (a method, a caveat) is a note, not data (GSS): it moves to Notes.
        for col in constant_text_columns(labelled[name]):
            table_notes.append((f"Sheet {sheets[name]}",
                                f"{labels.heading(col)} (the same for every row): "
                                f"{labels.prose(labelled[name][col].iloc[0])}"))
            labelled[name] = labelled[name].drop(columns=[col])
        if codes_left:
            teams_file = (results.get("parameters") or {}).get("teams_file")
            table_notes.append((f"Sheet {sheets[name]}", "Teams are shown by their code"
                                + (f", as in the teams file {teams_file}." if teams_file else ".")))
    all_columns = {str(c) for df in tables.values() for c in df.columns}

    buffer = io.BytesIO()
    display_names: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        book = writer.book
        build_cover(book.create_sheet("Cover"), results, contents, contact=contact, produced_on=produced_on)
        notes = book.create_sheet("Notes")
        build_notes(notes, results, table_notes, all_columns)
        add_table(notes, table_display_name("Notes", display_names), 2, notes.max_row - HEADER_ROW)
        params = book.create_sheet("Parameters")
        build_parameters(params, results)
        add_table(params, table_display_name("Parameters", display_names), 2, params.max_row - HEADER_ROW)
        if figures:
            ws = book.create_sheet("Key figures")
            build_figures(ws, figures)
            add_table(ws, table_display_name("Key_figures", display_names), 4, len(figures))
        for name, df in labelled.items():
            spec = table_specs[name]
            shown = df.drop(columns=["suppressed"]) if "suppressed" in df.columns else df
            shown = shown.rename(columns=str)
            # Words, not codes: headings and code cells from the labelling layer (formats stay keyed by the codes).
            shown = labels.frame(shown, columns=True)
            shown.to_excel(writer, sheet_name=sheets[name], index=False, startrow=HEADER_ROW - 1)
            ws = writer.sheets[sheets[name]]
            title = titles[name]
            # One short line: the table's footnote (often long) is on the Notes sheet, where it can wrap.
            text = "This sheet has one table. " + ("Its notes, including how [c] was applied, are on the Notes sheet."
                                                   if spec.get("footnote") else "Notes are on the Notes sheet.")
            title_rows(ws, title, text)
            width = _finish_table_sheet(ws, df, spec, units.number_formats(df, spec), titles=shown.columns)
            add_table(ws, table_display_name(name, display_names), shown.shape[1], len(shown))
            print_settings(ws, width_chars=width, n_columns=shown.shape[1])
        book.properties.title = str(results.get("title") or "")
        book.properties.creator = "ttwell"
        book.active = 0

    return report._save_bytes(buffer.getvalue(), xlsx_path)
