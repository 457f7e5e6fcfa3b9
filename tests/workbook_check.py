"""Checks a workbook as the GSS spreadsheet guidance and issue 12 ask: what a reader would trip over.

Used by ``test_workbook.py`` on every workbook of a real run, and on planted bad workbooks to show that each
check can fail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl

PERCENT_RANGE = (-1.5, 1.5)
COVER = "Cover"


@dataclass(frozen=True)
class Fault:
    """One thing wrong with a workbook: which check, where, and what was found."""

    check: str
    where: str
    detail: str


def decimals(value: float) -> int:
    """Decimal places of a float as Python prints it (shortest repr): 0.1 -> 1, 0.0527371272 -> 10."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        exponent = Decimal(text).as_tuple().exponent
        return max(-int(exponent), 0)
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def workbook_faults(path: Path) -> list[Fault]:
    """Every fault in one workbook.

    Checks: a cell with a percent format holding a value outside -1.5..1.5 (a 0-100 value shown as thousands
    of percent); a number in General format with more than 4 decimals; a sheet name with an underscore or over
    31 characters; a sheet other than the cover without a title in A1 above its data, or without an Excel
    table; a cover without a production date line or a contact line.
    """
    book = openpyxl.load_workbook(path)
    faults: list[Fault] = []
    for ws in book.worksheets:
        if "_" in ws.title or len(ws.title) > 31:
            faults.append(Fault("sheet_name", ws.title, "underscore or longer than 31 characters"))
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if not _is_number(value) or isinstance(value, (dt.date, dt.datetime)):
                    continue
                fmt = cell.number_format or "General"
                if "%" in fmt.replace('"%"', "") and not PERCENT_RANGE[0] <= value <= PERCENT_RANGE[1]:
                    faults.append(Fault("percent_out_of_range", f"{ws.title}!{cell.coordinate}",
                                        f"{value!r} with format {fmt}"))
                if fmt == "General" and isinstance(value, float) and decimals(value) > 4:
                    faults.append(Fault("general_many_decimals", f"{ws.title}!{cell.coordinate}", repr(value)))
        if ws.title == COVER:
            texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
            if not any(t.startswith("Produced on ") and " by ttwell " in t for t in texts):
                faults.append(Fault("cover", ws.title, "no 'Produced on dd/mm/yyyy by ttwell X.Y' line"))
            if not any(t.startswith("Contact:") for t in texts):
                faults.append(Fault("cover", ws.title, "no contact line"))
            continue
        if not ws.tables:
            faults.append(Fault("no_excel_table", ws.title, "the data is not an Excel table"))
            continue
        first_rows = [openpyxl.utils.cell.range_boundaries(t.ref)[1] for t in ws.tables.values()]
        title = ws["A1"].value
        if not isinstance(title, str) or not title.strip() or min(first_rows) < 2:
            faults.append(Fault("no_title_row", ws.title, f"A1 is {title!r}; table starts on row {min(first_rows)}"))
    return faults
