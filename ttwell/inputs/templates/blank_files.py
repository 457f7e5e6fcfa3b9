"""The blank CSV/XLSX input templates and the data dictionary, generated from the template definitions."""

from __future__ import annotations

from pathlib import Path

from ttwell.inputs.templates.registry import TEMPLATES


def data_dictionary():
    """One row per template column: file, column, type, required, allowed values, description."""
    import pandas as pd

    rows = []
    for t in TEMPLATES.values():
        for c in t.columns:
            rows.append({
                "file": t.filename,
                "column": c.name,
                "type": c.type,
                "required": "yes" if c.required else "no",
                "expected": c.expected(),
                "allowed_values": "; ".join(c.enum) if c.enum else "",
                "description": c.description,
                "example": c.example,
            })
    return pd.DataFrame(rows)


def write_blank_templates(folder: str | Path) -> list[Path]:
    """Write every input template as CSV (header only) and one XLSX workbook, plus the data dictionary.

    Returns the paths written. CSVs are UTF-8 with BOM so Excel opens them cleanly.
    """
    import pandas as pd
    from openpyxl.styles import Font, PatternFill

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for t in TEMPLATES.values():
        path = folder / t.filename
        pd.DataFrame(columns=t.column_names()).to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    dictionary = data_dictionary()
    path = folder / "data_dictionary.csv"
    dictionary.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    written.append(path)

    xlsx = folder / "ttwell_input_templates.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        dictionary.to_excel(writer, sheet_name="data_dictionary", index=False)
        for t in TEMPLATES.values():
            pd.DataFrame(columns=t.column_names()).to_excel(writer, sheet_name=t.kind, index=False)
        for ws in writer.book.worksheets:
            for cell in ws[1]:
                cell.font = Font(bold=True, color="FFFFFF")
                cell.fill = PatternFill("solid", fgColor="005EB8")
            ws.freeze_panes = "A2"
    written.append(xlsx)
    return written
