"""The Excel workbook of a run, laid out as the GSS guidance "Releasing statistics in spreadsheets" asks.

A workbook has a **Cover** (title, production date and software, contact, source, the disclosure rule and a
contents list), a **Notes** sheet, a **Parameters** sheet, **Key figures** and one sheet per table. Every sheet
but the cover has its title in A1, one line of supporting text in A2 and its data as an Excel table (with a
style and a filter) from A3, with the header row frozen and repeated on every printed page.

Every numeric cell gets a number format that matches its unit (:func:`units.number_formats`): proportions ``0.0%``,
counts ``#,##0``, scores on a 0-100 scale ``0.0``, means and other statistics to a sensible number of
decimals, p-values ``<0.001`` below 0.001, dates ``DD/MM/YYYY``. Values are stored unrounded: only the display
is rounded, so an analyst can still calculate with them.

Nothing here calculates or decides what may be shown: tables arrive from disclosure control with a
``suppressed`` flag (see :mod:`ttwell.presentation.report` for the ``[c]`` rule).

Examples
--------
>>> from ttwell.presentation import workbook
>>> workbook.write_excel(Path("reports/baseline"), Path("reports/baseline/baseline.xlsx"),
...                      contact="Workforce team, workforce@example.nhs.uk")        # doctest: +SKIP
"""

from ttwell.presentation.workbook.layout import (HEADER_ROW, PRINT_WIDTH_PER_PAGE, TABLE_STYLE, TEXT_ROW, TITLE_ROW)
from ttwell.presentation.workbook.front import CONTACT_PLACEHOLDER, suppression_sentence  # noqa: F401
from ttwell.presentation.workbook.tables import (RESERVED_SHEETS, constant_text_columns, sheet_name, table_sheet_name,
                                                 write_excel)
