"""Sheet layout for the workbook: fonts, header style, row heights, column widths, Excel tables, title rows and
print settings (fit to width, header row repeated). Nothing here knows what a sheet holds."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from ttwell.presentation import units
from ttwell.presentation.report import NHS_BLUE


TABLE_STYLE = "TableStyleMedium2"


TITLE_ROW, TEXT_ROW, HEADER_ROW = 1, 2, 3


MAX_TEXT_WIDTH = 30  # wider text wraps: a long method description must not make every printed page tiny


_LINE_HEIGHT = 15  # points per line of 11-point text


def sheet_fonts():
    from openpyxl.styles import Font

    # Arial: the NHS identity's alternative to Frutiger for documents made in-house.
    return {"title": Font(name="Arial", bold=True, size=14, color=NHS_BLUE[1:]),
            "heading": Font(name="Arial", bold=True, size=12, color=NHS_BLUE[1:]),
            "bold": Font(name="Arial", bold=True),
            "notice": Font(name="Arial", bold=True, size=12, color="DA291C")}


def style_header(ws, n_columns: int, row: int = HEADER_ROW, numeric: Iterable[int] = ()) -> None:
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


def fit_row_heights(ws, first_row: int = 1) -> None:
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


def display_width(value, number_format: str | None) -> int:
    if value is None:
        return 0
    if number_format == units.DATE:
        return 10
    if isinstance(value, (int, float)) and not isinstance(value, bool) and number_format:
        if number_format == units.PERCENT:
            return len(f"{value * 100:.1f}%")
        if number_format in (units.COUNT, units.WHOLE):
            return len(f"{value:,.0f}")
        if number_format == units.P_VALUE:
            return 6
        decimals = len(number_format.split(".")[-1].split(";")[0]) if "." in number_format else 0
        return len(f"{value:,.{decimals}f}") + 1
    if isinstance(value, float):
        return min(len(f"{value:.6g}"), 12)
    return len(str(value))


def add_table(ws, display_name: str, n_columns: int, n_rows: int) -> None:
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


def table_display_name(name: str, taken: set[str]) -> str:
    # Excel: letters, digits, underscores and full stops, starting with a letter, unique in the workbook.
    base = "Table_" + (re.sub(r"[^0-9A-Za-z_]", "_", name).strip("_") or "data")
    base = base[:200]
    candidate, counter = base, 2
    while candidate.lower() in taken:
        candidate = f"{base}_{counter}"
        counter += 1
    taken.add(candidate.lower())
    return candidate


def title_rows(ws, title: str, text: str) -> None:
    fonts = sheet_fonts()
    ws.cell(row=TITLE_ROW, column=1, value=title).font = fonts["title"]
    ws.cell(row=TEXT_ROW, column=1, value=text)


#: Column width (in Excel's character units) that one landscape A4 page holds at about 40%: wider sheets are
#: printed across more pages rather than shrunk further, where 11-point text can no longer be read.
PRINT_WIDTH_PER_PAGE = 360


def print_settings(ws, *, width_chars: float, n_columns: int, one_page: bool = False) -> None:
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


def write_rows(ws, header: list[str], rows: list[list], numeric: Iterable[int] = ()) -> None:
    for j, name in enumerate(header, start=1):
        ws.cell(row=HEADER_ROW, column=j, value=name)
    for i, row in enumerate(rows, start=HEADER_ROW + 1):
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=value)
    style_header(ws, len(header), numeric=numeric)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
