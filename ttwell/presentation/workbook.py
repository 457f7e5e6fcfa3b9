"""The Excel workbook of a run, laid out as the GSS guidance "Releasing statistics in spreadsheets" asks.

A workbook has a **Cover** (title, production date and software, contact, source, the disclosure rule and a
contents list), a **Notes** sheet, a **Parameters** sheet, **Key figures** and one sheet per table. Every sheet
but the cover has its title in A1, one line of supporting text in A2 and its data as an Excel table (with a
style and a filter) from A3, with the header row frozen and repeated on every printed page.

Every numeric cell gets a number format that matches its unit (:func:`number_formats`): proportions ``0.0%``,
counts ``#,##0``, scores on a 0-100 scale ``0.0``, means and other statistics to a sensible number of
decimals, p-values ``<0.001`` below 0.001, dates ``DD/MM/YYYY``. Values are stored unrounded: only the display
is rounded, so an analyst can still calculate with them.

Nothing here calculates or decides what may be shown: tables arrive from disclosure control with a
``suppressed`` flag (see :mod:`ttwell.presentation.report` for the ``[c]`` rule).

Examples
--------
>>> from ttwell import workbook
>>> workbook.write_excel(Path("reports/baseline"), Path("reports/baseline/baseline.xlsx"),
...                      contact="Workforce team, workforce@example.nhs.uk")        # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ttwell.presentation import labels, report
from ttwell.disclosure import SUPPRESSED_MARK
from ttwell.presentation.results import read_results
from ttwell.presentation.report import AUDIENCES, NHS_BLUE
from ttwell.inputs.templates import ROLE_FAMILY_LABELS

DATE = "DD/MM/YYYY"
PERCENT = "0.0%"
COUNT = "#,##0"
AMOUNT = "#,##0.0"
#: A difference on a 0-100 scale, always signed: "+3.2" and "-1.6", never a % sign (Excel's % multiplies by 100).
POINTS = "+0.0;-0.0;0.0"
#: p-values: "<0.001" below 0.001 (the value itself is kept), otherwise three decimals.
P_VALUE = '[<0.001]"<0.001";0.000'
#: Years and identifiers: no thousands separator ("2024", not "2,024").
WHOLE = "0"

#: Values with a percent format must lie in this range; anything outside is a 0-100 value or a ratio, not a
#: proportion, and would show as e.g. 4769.0%.
PERCENT_RANGE = (-1.5, 1.5)

CONTACT_PLACEHOLDER = "Contact: add your team's contact here"
TABLE_STYLE = "TableStyleMedium2"
TITLE_ROW, TEXT_ROW, HEADER_ROW = 1, 2, 3

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEETS = ("Cover", "Notes", "Parameters", "Key figures")
_COUNT_UNITS = {"count", "fte", "people", "headcount"}
_MAX_TEXT_WIDTH = 30  # wider text wraps: a long method description must not make every printed page tiny
_LINE_HEIGHT = 15  # points per line of 11-point text


# --- names ----------------------------------------------------------------------------------------------------

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


# --- number formats -------------------------------------------------------------------------------------------

def _tokens(column: str) -> set[str]:
    return set(re.split(r"[_\s]+", str(column).lower()))


def _is_p_value(column: str) -> bool:
    # "p", "p_holm", "mcnemar_p", "wilcoxon_p_holm"; not the percentiles p25/p75.
    return "p" in _tokens(column)


def _all_whole(values: pd.Series) -> bool:
    values = values.dropna()
    return bool(len(values)) and bool((values == values.round()).all())


def _at_most_one_decimal(values: pd.Series) -> bool:
    values = values.dropna()
    return bool(len(values)) and bool(((values * 10 - (values * 10).round()).abs() < 1e-9).all())


def _in_percent_range(values: pd.Series) -> bool:
    values = values.dropna()
    return bool(((values >= PERCENT_RANGE[0]) & (values <= PERCENT_RANGE[1])).all())


def _decimals_format(values: pd.Series, *, statistic: bool) -> str:
    """Decimals by size: big numbers need none after the point, small ones need more to say anything."""
    values = values.dropna().abs()
    biggest = float(values.max()) if len(values) else 0.0
    if biggest >= 1000:
        return COUNT if statistic else AMOUNT
    if biggest >= 100:
        return AMOUNT
    if statistic:
        # A 0-100 score (confidence, JOY) reads to one decimal; a 1-7 or 0-4 mean needs two.
        return "0.0" if biggest >= 10 else "0.00"
    if biggest >= 1:
        return "0.00"
    return "0.000"


#: Statistics on the scale of the scores themselves (a mean, its SD and interval, a change): their decimals
#: follow that scale. Scale-free statistics (alpha, ICC, effect sizes, test statistics) go by their own size.
_ON_SCALE_WORDS = {"mean", "sd", "ci", "low", "high", "score", "median", "p25", "p75", "iqr", "min", "max",
                   "difference", "change", "limit", "lpl", "upl", "range", "value", "latest", "baseline",
                   "evaluation", "pre", "post", "benchmark"}
_SCALE_FREE_WORDS = {"alpha", "icc", "d", "z", "av", "gz", "t", "statistic", "estimate", "effect", "tau2",
                     "sigma2"}


def _row_scales(df: pd.DataFrame) -> pd.Series | None:
    """The size of the scale each row's scores are on: ``scale_max`` when the table has it, else the largest
    mean in the row (a table of several instruments mixes 1-7 and 0-100 scores)."""
    if "scale_max" in df.columns:
        return pd.to_numeric(df["scale_max"], errors="coerce")
    means = [c for c in df.columns if "mean" in _tokens(c) and pd.api.types.is_numeric_dtype(df[c])
             and not pd.api.types.is_bool_dtype(df[c]) and not _tokens(c) & (_SCALE_FREE_WORDS | {"sd", "iqr"})]
    if not means:
        return None
    return df[means].abs().max(axis=1)


def _count_like(column: str) -> bool:
    tokens = _tokens(column)
    return (str(column).lower().startswith("n_") or str(column).lower() == "n"
            or bool(tokens & {"count", "leavers", "joiners", "rows", "warnings", "respondents", "people", "points",
                              "items", "complete", "teams", "evidence", "improved", "worse", "mixed", "responses",
                              "citing", "headcount", "eligible"}))


def _plain_number_format(column: str, values: pd.Series, scales: pd.Series | None) -> list[str] | str:
    """The format of a numeric column that the table spec says nothing about."""
    tokens = _tokens(column)
    if _is_p_value(column):
        return P_VALUE
    if "relative" in tokens:
        return "0.00"  # a ratio (0.25 = 25% higher): may exceed 150%, so never a percent format
    if tokens & {"share", "rate", "proportion"} and _in_percent_range(values):
        return PERCENT
    if _all_whole(values):
        return WHOLE if tokens & {"year", "id", "code"} else COUNT
    if _count_like(column):
        return AMOUNT  # a count that is a mean (staff in post over months) keeps one decimal
    if _at_most_one_decimal(values) and values.abs().max() < 1000:
        return "0.0"  # published to one decimal (NHS Staff Survey scores): no made-up precision
    on_scale = bool(tokens & _ON_SCALE_WORDS) and not tokens & _SCALE_FREE_WORDS
    if on_scale and scales is not None and scales.notna().any() and values.abs().max() < 1000:
        # Scores on different scales in one column: each row to the decimals its own scale needs.
        return ["0.0" if (m == m and m >= 20) else "0.00" for m in scales.tolist()]
    return _decimals_format(values, statistic=on_scale or bool(tokens & _SCALE_FREE_WORDS))


def number_formats(df: pd.DataFrame, spec: Mapping) -> dict[str, list[str | None]]:
    """The Excel number format of every cell of a table, row by row, from its units.

    The table spec in ``results.json`` says which columns are proportions (``percent_columns``), counts
    (``count_columns``) and dates (``date_columns``); a ``unit`` column says, row by row, whether a value is a
    proportion or a count (a tidy table mixes them). Everything else is inferred from the column's name and
    values: p-values, shares and rates, whole numbers, and statistics (means, SDs, intervals) to a number of
    decimals that suits their size. A column declared as proportions whose values are not proportions (a
    0-100 score) gets a plain number format instead of showing as thousands of percent.

    Parameters
    ----------
    df : pandas.DataFrame
        The table as read from its CSV (dates already parsed).
    spec : mapping
        The table's entry in ``results.json``.

    Returns
    -------
    dict
        Column -> one format per row (None for text and flag columns).

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["proportion", "count"], "value": [0.043, 176.0], "p": [0.0004, 0.2]})
    >>> number_formats(df, {"percent_columns": ["value"]})["value"]
    ['0.0%', '#,##0.0']
    >>> number_formats(df, {})["p"]
    ['[<0.001]"<0.001";0.000', '[<0.001]"<0.001";0.000']
    """
    date_cols = set(spec.get("date_columns") or [])
    percent_cols = set(spec.get("percent_columns") or [])
    count_cols = set(spec.get("count_columns") or [])
    n = len(df)
    units = df["unit"].astype(str).str.lower().tolist() if "unit" in df.columns else None
    scales = _row_scales(df)
    out: dict[str, list[str | None]] = {}
    for col in df.columns:
        series = df[col]
        if col in date_cols:
            out[col] = [DATE] * n
            continue
        if col == "suppressed" or pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            out[col] = [None] * n
            continue
        values = series.astype(float)
        rows_follow_unit = units is not None and (col in percent_cols or (
            not percent_cols and col not in count_cols and not _all_whole(values) and not _count_like(col)
            and "proportion" in units
            and _in_percent_range(values[[u == "proportion" for u in units]])))
        if rows_follow_unit:
            # A tidy table: the row's unit decides.
            is_prop = [u == "proportion" for u in units]
            prop_values = values[is_prop]
            prop_format = PERCENT if _in_percent_range(prop_values) else _decimals_format(prop_values, statistic=True)
            # Other rows (counts, FTE) are judged per indicator, so one indicator reads alike in every row:
            # joiners as whole numbers, a mean headcount (175.6) or an interval to one decimal.
            keys = (df["indicator"] if "indicator" in df.columns else pd.Series(units, index=df.index)).astype(str)
            other_formats = {}
            for key, group in values[[not x for x in is_prop]].groupby(keys[[not x for x in is_prop]]):
                group_units = {u for u, k in zip(units, keys) if k == key}
                if _all_whole(group) or group.isna().all():
                    other_formats[key] = COUNT
                elif group_units & _COUNT_UNITS or group.abs().max() >= 100:
                    other_formats[key] = AMOUNT
                else:
                    other_formats[key] = _decimals_format(group, statistic=True)
            out[col] = [prop_format if p else other_formats.get(k, AMOUNT) for p, k in zip(is_prop, keys)]
        elif col in percent_cols:
            fmt = PERCENT if _in_percent_range(values) else _decimals_format(values, statistic=True)
            out[col] = [fmt] * n
        elif col in count_cols:
            out[col] = [COUNT if _all_whole(values) else AMOUNT] * n
        else:
            fmt = _plain_number_format(col, values, scales)
            out[col] = fmt if isinstance(fmt, list) else [fmt] * n
    return out


FIGURE_FORMATS = {"proportion": PERCENT, "percent": "0.0", "percentage points": POINTS, "count": COUNT,
                  "people": COUNT}


def figure_format(value, unit: str | None) -> str | None:
    """The number format of a headline figure from its recorded unit.

    Examples
    --------
    >>> figure_format(47.7, "percent"), figure_format(0.043, "proportion"), figure_format(0.41987, None)
    ('0.0', '0.0%', '0.000')
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    unit = str(unit or "").lower()
    fmt = FIGURE_FORMATS.get(unit)
    if fmt == PERCENT and not PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]:
        fmt = None  # a mislabelled 0-100 value: shown as a number rather than as thousands of percent
    if fmt == COUNT and not float(value).is_integer():
        fmt = AMOUNT
    if fmt is None and unit == "score":
        fmt = _decimals_format(pd.Series([float(value)]), statistic=True)  # 53.4 on 0-100; 4.62 on 1-7
    if fmt is None:
        fmt = _plain_number_format("value", pd.Series([float(value)]), None)
        fmt = fmt if isinstance(fmt, str) else "0.00"
    return fmt


# --- labels ---------------------------------------------------------------------------------------------------

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


# --- sheets ---------------------------------------------------------------------------------------------------

def _fonts():
    from openpyxl.styles import Font

    # Arial: the NHS identity's alternative to Frutiger for documents made in-house.
    return {"title": Font(name="Arial", bold=True, size=14, color=NHS_BLUE[1:]),
            "heading": Font(name="Arial", bold=True, size=12, color=NHS_BLUE[1:]),
            "bold": Font(name="Arial", bold=True),
            "notice": Font(name="Arial", bold=True, size=12, color="DA291C")}


def _style_header(ws, n_columns: int, row: int = HEADER_ROW, numeric: Iterable[int] = ()) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill

    fill = PatternFill("solid", start_color=NHS_BLUE[1:], end_color=NHS_BLUE[1:])
    font = Font(name="Arial", bold=True, color="FFFFFF")  # white on NHS Blue: 6.4:1
    numeric = set(numeric)
    for col in range(1, n_columns + 1):
        cell = ws.cell(row=row, column=col)
        cell.fill = fill
        cell.font = font
        cell.border = Border()  # pandas draws a thin box round header cells; the fill is enough
        # A number column's heading sits over its numbers, which Excel aligns right.
        cell.alignment = Alignment(horizontal="right" if col in numeric else "left", vertical="top",
                                   wrap_text=True)


def _fit_row_heights(ws, first_row: int = 1) -> None:
    """Set the height of rows holding wrapped text: LibreOffice and Excel do not grow rows that a program wrote,
    so wrapped lines would print over the next row."""
    from openpyxl.utils import get_column_letter

    widths = {}
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
                continue
            letter = get_column_letter(cell.column)
            if letter not in widths:
                widths[letter] = ws.column_dimensions[letter].width or 8.43
            # Text is narrower than the "0" Excel measures in, but words do not break mid-line: a few
            # characters per line are lost at each line end.
            per_line = max(int(widths[letter] * 1.15) - 2, 1)
            text_lines = sum(max(math.ceil(len(part) / per_line), 1) for part in str(cell.value).split("\n"))
            lines = max(lines, text_lines)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = _LINE_HEIGHT * lines


def _display_width(value, number_format: str | None) -> int:
    if value is None:
        return 0
    if number_format == DATE:
        return 10
    if isinstance(value, (int, float)) and not isinstance(value, bool) and number_format:
        if number_format == PERCENT:
            return len(f"{value * 100:.1f}%")
        if number_format in (COUNT, WHOLE):
            return len(f"{value:,.0f}")
        if number_format == P_VALUE:
            return 6
        decimals = len(number_format.split(".")[-1].split(";")[0]) if "." in number_format else 0
        return len(f"{value:,.{decimals}f}") + 1
    if isinstance(value, float):
        return min(len(f"{value:.6g}"), 12)
    return len(str(value))


def _add_table(ws, display_name: str, n_columns: int, n_rows: int) -> None:
    """Make the block from the header row an Excel table (screen readers and filters know its extent)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    # An Excel table needs at least one body row: an empty table keeps one blank row.
    last_row = HEADER_ROW + max(n_rows, 1)
    ref = f"A{HEADER_ROW}:{get_column_letter(max(n_columns, 1))}{last_row}"
    table = Table(displayName=display_name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True, showColumnStripes=False,
                                          showFirstColumn=False, showLastColumn=False)
    ws.add_table(table)


def _table_display_name(name: str, taken: set[str]) -> str:
    # Excel: letters, digits, underscores and full stops, starting with a letter, unique in the workbook.
    base = "Table_" + (re.sub(r"[^0-9A-Za-z_]", "_", name).strip("_") or "data")
    base = base[:200]
    candidate, counter = base, 2
    while candidate.lower() in taken:
        candidate = f"{base}_{counter}"
        counter += 1
    taken.add(candidate.lower())
    return candidate


def _title_rows(ws, title: str, text: str) -> None:
    fonts = _fonts()
    ws.cell(row=TITLE_ROW, column=1, value=title).font = fonts["title"]
    ws.cell(row=TEXT_ROW, column=1, value=text)


#: Column width (in Excel's character units) that one landscape A4 page holds at about 40%: wider sheets are
#: printed across more pages rather than shrunk further, where 11-point text can no longer be read.
PRINT_WIDTH_PER_PAGE = 360


def _print_settings(ws, *, width_chars: float, n_columns: int, one_page: bool = False) -> None:
    """A4, fit to the page width, header row on every page; landscape when the sheet is wide.

    A sheet too wide for one page at about 40% (a table with dozens of method columns) is fitted to as few
    pages across as keep it readable.
    """
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if (width_chars > 100 or n_columns > 6) else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1 if one_page else max(1, math.ceil(width_chars / PRINT_WIDTH_PER_PAGE))
    ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages down as needed
    if not one_page:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


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
    _style_header(ws, len(shown), numeric=[j for j, c in enumerate(shown, start=1) if any(formats[c])])
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
                if fmt == DATE and hasattr(cell.value, "date"):
                    cell.value = cell.value.date()  # a date, not midnight on that date
                cell.number_format = fmt
            shown_width = _display_width(cell.value, fmt)
            if shown_width > _MAX_TEXT_WIDTH:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                wrap = True
            width = max(width, shown_width)
        width = min(max(width + 2, 8), _MAX_TEXT_WIDTH + 2 if wrap else 60)
        ws.column_dimensions[get_column_letter(j)].width = width
        total += width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    _fit_row_heights(ws, HEADER_ROW)
    return total


def _write_rows(ws, header: list[str], rows: list[list], numeric: Iterable[int] = ()) -> None:
    for j, name in enumerate(header, start=1):
        ws.cell(row=HEADER_ROW, column=j, value=name)
    for i, row in enumerate(rows, start=HEADER_ROW + 1):
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=value)
    _style_header(ws, len(header), numeric=numeric)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _parameter_value(value, *, folder: bool = False):
    # Numbers stay numbers (Excel flags numbers stored as text); anything structured becomes readable text, with
    # codes in words (an audience, a measure) from the labelling layer. A folder is written as one ("reports/").
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Mapping):
        return "; ".join(f"{labels.prose(str(k))}: {labels.prose(_parameter_value(v))}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(str(labels.prose(_parameter_value(v))) for v in value)
    if value is None:
        return ""
    text = str(value)
    if folder and text and not text.endswith(("/", "\\")):
        return text + "/"
    return labels.prose(text)


def suppression_sentence(parameters: Mapping) -> str:
    """The disclosure rule in one sentence, for the cover.

    Examples
    --------
    >>> suppression_sentence({"disclosure_threshold": 11, "audience": "staff_wide"})[:62]
    'To protect staff confidentiality, figures for groups smaller t'
    """
    threshold = parameters.get("disclosure_threshold")
    audience = parameters.get("audience")
    who = AUDIENCES.get(audience, audience) if audience else "the stated audience"
    rule = (f"groups smaller than the disclosure threshold of {threshold}" if threshold is not None
            else "groups below the disclosure threshold")
    return (f"To protect staff confidentiality, figures for {rule} are not shown and are marked {SUPPRESSED_MARK}. "
            f"The rules applied are those for an audience of {who}; each table's note gives the details.")


def _uk_date(text) -> str:
    try:
        return pd.Timestamp(dt.datetime.strptime(str(text), "%d/%m/%Y")).strftime("%d/%m/%Y")
    except ValueError:
        try:
            return pd.Timestamp(str(text)).strftime("%d/%m/%Y")
        except (ValueError, TypeError):
            return str(text)


def _periods(params: Mapping) -> str:
    """The periods a run covers, from its ``*_start`` / ``*_end`` parameter pairs, as UK dates."""
    parts = []
    for key in params:
        if not str(key).endswith("_start"):
            continue
        prefix = str(key)[: -len("_start")]
        start, end = params.get(key), params.get(f"{prefix}_end")
        if start and end:
            name = "" if prefix == "period" else f"{prefix.replace('_', ' ')} period "
            parts.append(f"{name}{_uk_date(start)} to {_uk_date(end)}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _source(results: Mapping) -> str:
    params = results.get("parameters") or {}
    files = [str(v) for k, v in params.items() if k.endswith("_file") and v]
    listed = f" Files read: {', '.join(files)}." if files else ""
    if results.get("demonstration") or results.get("data_notice"):
        notice = results.get("data_notice") or "Synthetic demonstration data"
        return f"{notice}: ttwell's made-up service, shipped to show what the reports look like.{listed}"
    service = params.get("service_name") or "the service"
    return f"{service}'s own data.{listed}"


def _build_cover(ws, results: Mapping, contents: list[tuple[str, str]], *, contact: str | None,
                 produced_on: dt.date) -> None:
    from openpyxl.styles import Alignment

    fonts = _fonts()
    params = results.get("parameters") or {}
    title = results.get("title") or labels.plain_words(results.get("notebook") or "ttwell results")
    service = params.get("service_name") or ""
    ws["A1"] = title
    ws["A1"].font = fonts["title"]
    notice = results.get("data_notice")
    if notice:  # a demonstration run on the shipped synthetic data: said before anything else
        ws["A2"] = notice
        ws["A2"].font = fonts["notice"]
    else:
        ws["A2"] = f"The tables behind the report for {service}." if service else "The tables behind the report."
    version = results.get("ttwell_version") or ""
    ws["A3"] = f"Produced on {produced_on.strftime('%d/%m/%Y')} by ttwell {version}".strip()
    ws["A4"] = f"Contact: {contact}" if contact else CONTACT_PLACEHOLDER
    rows = [("Source", _source(results)),
            ("Service", service),
            ("Period", _periods(params)),
            ("Audience", AUDIENCES.get(params.get("audience"), params.get("audience") or "")),
            ("Disclosure rule", suppression_sentence(params)),
            ("Notes", "Definitions, caveats and what [c] means are on the Notes sheet; "
                      "the settings of this run are on the Parameters sheet.")]
    r = 6
    for label, text in rows:
        if not text:
            continue
        ws.cell(row=r, column=1, value=label).font = fonts["bold"]
        cell = ws.cell(row=r, column=2, value=text)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        ws.cell(row=r, column=1).alignment = Alignment(vertical="top")
        r += 1
    r += 1
    ws.cell(row=r, column=1, value="Contents").font = fonts["heading"]
    r += 1
    for sheet, description in contents:
        cell = ws.cell(row=r, column=1, value=sheet)
        cell.hyperlink = f"#'{sheet}'!A1"
        cell.style = "Hyperlink"
        ws.cell(row=r, column=2, value=description).alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 85
    _fit_row_heights(ws)
    _print_settings(ws, width_chars=115, n_columns=2, one_page=True)
    ws.page_setup.orientation = "portrait"


def _build_notes(ws, results: Mapping, table_notes: list[tuple[str, str]], names: set[str]) -> None:
    from openpyxl.styles import Alignment

    _title_rows(ws, "Notes", "Notes that apply to the tables in this workbook. This sheet has one table.")
    rows = [("All tables", f"{SUPPRESSED_MARK} = value suppressed by disclosure control to protect confidentiality "
                           "(a blank cell means no value was available).")]
    rows += [("Whole report", labels.prose(str(note))) for note in results.get("notes") or []]
    rows += table_notes
    rows.append(("All tables", "Proportions are shown as percentages; scores on a 0 to 100 scale (such as "
                               "confidence) are plain numbers, and differences on that scale are percentage points. "
                               "Values are stored unrounded; only their display is rounded."))
    if any(_is_p_value(c) for c in names):
        rows.append(("All tables", "p-values below 0.001 are shown as <0.001; the cell holds the exact value."))
    if any("relative" in _tokens(c) for c in names):
        rows.append(("All tables", "A relative change is a ratio: 0.25 means 25% higher than the baseline, "
                                   "-0.10 means 10% lower."))
    _write_rows(ws, ["Applies to", "Note"], [list(r) for r in rows])
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 110
    _fit_row_heights(ws)
    _print_settings(ws, width_chars=144, n_columns=2)


def _build_parameters(ws, results: Mapping) -> None:
    from openpyxl.styles import Alignment

    params = results.get("parameters") or {}
    _title_rows(ws, "Parameters of this run",
                "The settings the report was run with, as written in the parameters file (file names only).")
    rows = [[labels.heading(k, labels.PARAMETERS), _parameter_value(v, folder=str(k).endswith("_dir"))]
            for k, v in params.items()] or [["(none)", ""]]
    _write_rows(ws, ["Parameter", "Value"], rows)
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True, horizontal="left")
            if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = WHOLE  # a threshold or a number of days, as written in the file
            elif isinstance(cell.value, float):
                cell.number_format = "0.0###"
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    _fit_row_heights(ws)
    _print_settings(ws, width_chars=104, n_columns=2)


def _build_figures(ws, figures: Mapping) -> None:
    from openpyxl.styles import Alignment

    _title_rows(ws, "Key figures", "The headline figures of this report, each with its unit.")
    rows, formats = [], []
    for name, fig in figures.items():
        fig = fig if isinstance(fig, Mapping) else {"value": fig}
        value = fig.get("value")
        if isinstance(value, float) and math.isnan(value):
            value = None
        unit = fig.get("unit")
        rows.append([labels.prose(fig.get("label") or labels.plain_words(name)),
                     labels.label(value) if isinstance(value, str) else value,  # a verdict code in words
                     labels.unit(unit) if unit else "", labels.prose(fig.get("note")) or ""])
        formats.append(figure_format(value, unit))
    _write_rows(ws, ["Figure", "Value", "Unit", "Note"], rows, numeric=[2])
    for i, fmt in enumerate(formats, start=HEADER_ROW + 1):
        if fmt:
            ws.cell(row=i, column=2).number_format = fmt
        for j in (1, 2, 3, 4):
            ws.cell(row=i, column=j).alignment = Alignment(vertical="top", wrap_text=j in (1, 4))
    for letter, width in zip("ABCD", (50, 14, 18, 60)):
        ws.column_dimensions[letter].width = width
    _fit_row_heights(ws)
    _print_settings(ws, width_chars=142, n_columns=4)


# --- the workbook ---------------------------------------------------------------------------------------------

def write_excel(results_dir: Path, xlsx_path: Path, *, contact: str | None = None,
                team_names: Mapping[str, str] | None = None, produced_on: dt.date | None = None) -> Path:
    """Write the Excel workbook for a results folder, laid out as the GSS spreadsheet guidance asks.

    Sheets: Cover (title, "Produced on dd/mm/yyyy by ttwell X.Y", contact, source, period, the disclosure rule
    and contents), Notes, Parameters, Key figures, then one sheet per table named in plain words. Every sheet
    after the cover has its title in A1 and its data as an Excel table from A3; every numeric cell has a
    number format for its unit (:func:`number_formats`); cells suppressed by disclosure control hold ``[c]``.
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

    taken = list(_RESERVED_SHEETS)
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
        _build_cover(book.create_sheet("Cover"), results, contents, contact=contact, produced_on=produced_on)
        notes = book.create_sheet("Notes")
        _build_notes(notes, results, table_notes, all_columns)
        _add_table(notes, _table_display_name("Notes", display_names), 2, notes.max_row - HEADER_ROW)
        params = book.create_sheet("Parameters")
        _build_parameters(params, results)
        _add_table(params, _table_display_name("Parameters", display_names), 2, params.max_row - HEADER_ROW)
        if figures:
            ws = book.create_sheet("Key figures")
            _build_figures(ws, figures)
            _add_table(ws, _table_display_name("Key_figures", display_names), 4, len(figures))
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
            _title_rows(ws, title, text)
            width = _finish_table_sheet(ws, df, spec, number_formats(df, spec), titles=shown.columns)
            _add_table(ws, _table_display_name(name, display_names), shown.shape[1], len(shown))
            _print_settings(ws, width_chars=width, n_columns=shown.shape[1])
        book.properties.title = str(results.get("title") or "")
        book.properties.creator = "ttwell"
        book.active = 0

    return report._save_bytes(buffer.getvalue(), xlsx_path)
