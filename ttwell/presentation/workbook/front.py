"""The workbook's front sheets: the Cover (title, production date, contact, source, the disclosure rule and
contents), Notes, Parameters and Key figures."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
import pandas as pd

from ttwell.errors import ParameterError
from ttwell.inputs.dates import parse_date, uk_date
from ttwell.presentation import labels, report, units
from ttwell.disclosure import SUPPRESSED_MARK
from ttwell.presentation.report import AUDIENCES
from ttwell.presentation.workbook.layout import (HEADER_ROW, fit_row_heights, sheet_fonts, print_settings, title_rows,
                                                 write_rows)


CONTACT_PLACEHOLDER = "Contact: add your team's contact here"


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
    """A date parameter as dd/mm/yyyy; text that is not a date is shown as given."""
    try:
        return uk_date(parse_date(text, "date"))
    except ParameterError:
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


def build_cover(ws, results: Mapping, contents: list[tuple[str, str]], *, contact: str | None,
                 produced_on: dt.date) -> None:
    from openpyxl.styles import Alignment

    fonts = sheet_fonts()
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
    fit_row_heights(ws)
    print_settings(ws, width_chars=115, n_columns=2, one_page=True)
    ws.page_setup.orientation = "portrait"


def build_notes(ws, results: Mapping, table_notes: list[tuple[str, str]], names: set[str]) -> None:
    from openpyxl.styles import Alignment

    title_rows(ws, "Notes", "Notes that apply to the tables in this workbook. This sheet has one table.")
    rows = [("All tables", f"{SUPPRESSED_MARK} = value suppressed by disclosure control to protect confidentiality "
                           "(a blank cell means no value was available).")]
    rows += [("Whole report", labels.prose(str(note))) for note in results.get("notes") or []]
    rows += table_notes
    rows.append(("All tables", "Proportions are shown as percentages; scores on a 0 to 100 scale (such as "
                               "confidence) are plain numbers, and differences on that scale are percentage points. "
                               "Values are stored unrounded; only their display is rounded."))
    if any(units.is_p_value(c) for c in names):
        rows.append(("All tables", "p-values below 0.001 are shown as <0.001; the cell holds the exact value."))
    if any("relative" in units.name_words(c) for c in names):
        rows.append(("All tables", "A relative change is a ratio: 0.25 means 25% higher than the baseline, "
                                   "-0.10 means 10% lower."))
    write_rows(ws, ["Applies to", "Note"], [list(r) for r in rows])
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 110
    fit_row_heights(ws)
    print_settings(ws, width_chars=144, n_columns=2)


def build_parameters(ws, results: Mapping) -> None:
    from openpyxl.styles import Alignment

    params = results.get("parameters") or {}
    title_rows(ws, "Parameters of this run",
                "The settings the report was run with, as written in the parameters file (file names only).")
    rows = [[labels.heading(k, labels.PARAMETERS), _parameter_value(v, folder=str(k).endswith("_dir"))]
            for k, v in params.items()] or [["(none)", ""]]
    write_rows(ws, ["Parameter", "Value"], rows)
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True, horizontal="left")
            if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = units.WHOLE  # a threshold or a number of days, as written in the file
            elif isinstance(cell.value, float):
                cell.number_format = "0.0###"
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    fit_row_heights(ws)
    print_settings(ws, width_chars=104, n_columns=2)


def build_figures(ws, figures: Mapping) -> None:
    from openpyxl.styles import Alignment

    title_rows(ws, "Key figures", "The headline figures of this report, each with its unit.")
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
        formats.append(units.figure_format(value, unit))
    write_rows(ws, ["Figure", "Value", "Unit", "Note"], rows, numeric=[2])
    for i, fmt in enumerate(formats, start=HEADER_ROW + 1):
        if fmt:
            ws.cell(row=i, column=2).number_format = fmt
        for j in (1, 2, 3, 4):
            ws.cell(row=i, column=j).alignment = Alignment(vertical="top", wrap_text=j in (1, 4))
    for letter, width in zip("ABCD", (50, 14, 18, 60)):
        ws.column_dimensions[letter].width = width
    fit_row_heights(ws)
    print_settings(ws, width_chars=142, n_columns=4)
