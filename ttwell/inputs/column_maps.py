"""Column maps: read a service's own export (ESR staff in post, absence, ...) as one of ttwell's templates.

A map is a small YAML file naming, for one template, which export header holds each template column, how the
export's text values translate into the template's values, and one fixed value for columns the export lacks::

    template: staff_monthly_snapshot      # a template's name
    columns:                              # template column: the export's header, as it reads
      snapshot_date: Effective Date
      staff_pid: Employee Number
    values:                               # template column: {export value: template value}
      assignment_status: {Active Assignment: active, Maternity & Adoption: maternity_adoption_leave}
    fixed:                                # template columns the export lacks: one value for every row
      in_scope: true

Only mapped columns are read; the export's other columns are listed once, as a note. A value with no mapping is
an error naming the file, the spreadsheet row, the export's header and the values the map lists. A map naming an
unknown template, template column or export header is an error naming the map file and line. Every check runs
before anything is returned, and all problems come back together.

Example
-------
>>> from ttwell.inputs.column_maps import load_map
>>> cmap = load_map("templates/maps/examples/esr_staff_in_post.yaml")          # doctest: +SKIP
>>> cmap.kind, cmap.columns["staff_pid"]                                       # doctest: +SKIP
('staff_snapshot', 'Employee Number')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ttwell.errors import Problem
from ttwell.inputs.templates import TEMPLATES, Template, kind_from_name

SECTIONS = ("template", "columns", "values", "fixed")


@dataclass(frozen=True)
class ColumnMap:
    """A parsed column map: which export header feeds each template column, value translations, fixed values.

    ``lines`` gives the map file's line of each entry (``("columns", "staff_pid")`` -> 4) for messages.
    """

    path: Path
    kind: str
    columns: dict[str, str]
    values: dict[str, dict[str, str]]
    fixed: dict[str, object]
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    @property
    def template(self) -> Template:
        return TEMPLATES[self.kind]

    def at(self, *key: str) -> str:
        """'esr.yaml, line 4' for an entry of the map (the section's line when the entry has none)."""
        line = self.lines.get(key) or self.lines.get(key[:1]) or 1
        return f"{self.path.name}, line {line}"


def _node_lines(node, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """1-based line of every mapping key, by its path of keys, from a composed YAML node."""
    lines: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = prefix + (str(key_node.value),)
            lines[key] = key_node.start_mark.line + 1
            lines.update(_node_lines(value_node, key))
    return lines


def _text(value) -> str:
    """A YAML scalar as the text a CSV cell would hold (true -> 'true', 2024-03-31 -> '31/03/2024')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value).strip()


def load_map(path: str | Path, kind: str | None = None) -> tuple[ColumnMap | None, list[Problem]]:
    """Read and check a column map on its own (the export's headers are checked by :func:`apply_map`).

    Parameters
    ----------
    path
        The map's YAML file.
    kind
        The template the map must be for, when the caller knows it (``--kind``, or the file parameter).

    Returns
    -------
    (ColumnMap or None, problems)
        ``None`` when the map names no known template (or another template than ``kind``); the map cannot be
        used when any problem is an error. Every problem names the map file and line.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        return None, [Problem(name, None, None, str(path), "an existing column map (.yaml)", problem="map not found")]
    text = path.read_text(encoding="utf-8-sig")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}, line {mark.line + 1}" if mark else name
        return None, [Problem(where, None, None, str(getattr(exc, "problem", exc)), "valid YAML",
                              problem="map is not valid YAML")]
    lines = _node_lines(node)

    def at(*key: str) -> str:
        return f"{name}, line {lines.get(key) or lines.get(key[:1]) or 1}"

    if not isinstance(data, dict):
        return None, [Problem(f"{name}, line 1", None, None, None, "'template:', 'columns:', 'values:' and 'fixed:'",
                              problem="not a column map")]
    problems: list[Problem] = []
    for key in data:
        if key not in SECTIONS:
            problems.append(Problem(at(str(key)), None, str(key), str(key), "one of: " + ", ".join(SECTIONS),
                                    problem="unknown section in the map"))
    template_name = data.get("template")
    map_kind = kind_from_name(str(template_name)) if template_name else None
    if template_name is None:
        problems.append(Problem(f"{name}, line 1", None, "template", None, "a template's name, such as "
                                "staff_monthly_snapshot", problem="map names no template"))
    elif map_kind is None:
        problems.append(Problem(at("template"), None, "template", str(template_name),
                                "a template's name: " + ", ".join(t.filename.rsplit(".", 1)[0] for t in TEMPLATES.values()),
                                problem="unknown template"))
    elif kind is not None and map_kind != kind:
        problems.append(Problem(at("template"), None, "template", str(template_name),
                                f"a map for {TEMPLATES[kind].filename.rsplit('.', 1)[0]} (the file being read)",
                                problem="map is for another template"))
    if map_kind is None or problems and any(p.problem == "map is for another template" for p in problems):
        return None, problems
    template = TEMPLATES[map_kind]
    known = template.column_names()
    sections: dict[str, dict] = {}
    for section in ("columns", "values", "fixed"):
        value = data.get(section) or {}
        if not isinstance(value, dict):
            problems.append(Problem(at(section), None, section, None, "'template column: ...' lines",
                                    problem=f"'{section}' is not a list of template columns"))
            value = {}
        for column in value:
            if str(column) not in known:
                close = [c for c in known if c.startswith(str(column)[:4])][:1]
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(Problem(at(section, str(column)), None, str(column), str(column),
                                        f"a column of {template.filename}{hint}", problem="unknown template column"))
        sections[section] = {str(k): v for k, v in value.items()}
    columns = {k: _text(v) for k, v in sections["columns"].items() if k in known}
    for column, header in columns.items():
        if not header:
            problems.append(Problem(at("columns", column), None, column, None, "the export's header for this column",
                                    problem="no export header given"))
    values: dict[str, dict[str, str]] = {}
    for column, mapping in sections["values"].items():
        if column not in known:
            continue
        if not isinstance(mapping, dict):
            problems.append(Problem(at("values", column), None, column, None, "{export value: template value, ...}",
                                    problem="values must map export values to template values"))
            continue
        col = template.column(column)
        for export_value, template_value in mapping.items():
            shown = _text(template_value)
            if col.enum and shown not in col.enum:
                problems.append(Problem(at("values", column, str(export_value)), None, column, shown,
                                        col.expected(), problem="not an allowed template value"))
        values[column] = {_text(k): _text(v) for k, v in mapping.items()}
        if column not in columns:
            problems.append(Problem(at("values", column), None, column, None,
                                    f"an export header for '{column}' under 'columns:'",
                                    problem="values given for a column the map does not read"))
    fixed = {k: _text(v) for k, v in sections["fixed"].items() if k in known}
    for column in sorted(set(fixed) & set(columns)):
        problems.append(Problem(at("fixed", column), None, column, None, "a column either read (columns:) or fixed "
                                "(fixed:), not both", problem="column both read and fixed"))
    for column in template.required_columns():
        if column not in columns and column not in fixed:
            problems.append(Problem(at("columns"), None, column, None,
                                    f"an export header for the required column '{column}' (or a fixed value)",
                                    problem="required column not mapped"))
    # Returned even with problems, so the export's headers can be checked too (all problems at once).
    return ColumnMap(path, map_kind, columns, values, fixed, lines), problems


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\ufeff", "")).strip().lower()


def apply_map(raw: pd.DataFrame, cmap: ColumnMap, label: str) -> tuple[pd.DataFrame, dict[str, str], list[Problem]]:
    """Turn an export (text cells, headers as written) into a template-shaped frame of text cells.

    Parameters
    ----------
    raw
        The export as :func:`ttwell.inputs.io.read_raw` reads it with ``keep_headers=True``.
    cmap
        The map (from :func:`load_map`).
    label
        The export's file name, for messages.

    Returns
    -------
    (frame, headers, problems)
        ``frame`` has template column names (only the mapped and fixed ones); ``headers`` gives each template
        column's name in the user's file (for messages); ``problems`` lists every header missing from the
        export, every value the map does not translate, and one note naming the export columns not used.
    """
    problems: list[Problem] = []
    by_squash = {}
    for header in raw.columns:
        by_squash.setdefault(_squash(header), header)
    source: dict[str, str] = {}
    for column, header in cmap.columns.items():
        found = header if header in raw.columns else by_squash.get(_squash(header))
        if found is None:
            import difflib

            close = difflib.get_close_matches(header, [str(c) for c in raw.columns], n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(cmap.at("columns", column), None, column, header,
                                    f"a header of {label}{hint}", problem="export header not found"))
            continue
        source[column] = found
    unused = [str(c) for c in raw.columns if c not in set(source.values())]
    if unused:
        problems.append(Problem(label, 1, None, ", ".join(unused), f"only the columns {cmap.path.name} maps",
                                "warning", f"{len(unused)} export column(s) not in the map, ignored"))
    if any(p.severity == "error" for p in problems):
        return pd.DataFrame(columns=list(cmap.columns) + list(cmap.fixed)), {}, problems
    out = pd.DataFrame(index=raw.index)
    headers: dict[str, str] = {}
    for column, header in source.items():
        cells = raw[header]
        headers[column] = header
        mapping = cmap.values.get(column)
        if mapping:
            lookup = {_squash(k): v for k, v in mapping.items()}
            text = cells.map(lambda v: "" if v is None else str(v).strip())
            mapped = text.map(lambda v: lookup.get(_squash(v)) if v else "")
            bad = mapped.isna()
            allowed = ", ".join(mapping)
            for i in bad[bad].index[:20]:
                problems.append(Problem(label, int(i) + 2, header, text[i],
                                        f"one of the values {cmap.path.name} maps for '{header}': {allowed} "
                                        "(add the value to the map's values)", problem="value not in the map"))
            if bad.sum() > 20:
                problems.append(Problem(label, None, header, None, f"one of: {allowed}",
                                        problem=f"value not in the map in {int(bad.sum()) - 20} more rows"))
            cells = mapped.fillna("")
        out[column] = cells
    for column, value in cmap.fixed.items():
        out[column] = value
        headers[column] = f"{column}, fixed in {cmap.path.name}"
    return out, headers, problems


def example_map(kind: str) -> str:
    """A commented example map for template ``kind``: every column, with its allowed values, ready to edit."""
    template = TEMPLATES[kind]
    name = template.filename.rsplit(".", 1)[0]
    lines = [f"# Column map: reads your own export as {template.filename} ({template.title}).",
             "# Use it with:  ttwell validate MY_EXPORT.csv --kind " + name + " --map THIS_FILE.yaml",
             "# or name it in your parameter file:  column_maps: {<file parameter>: THIS_FILE.yaml}",
             "# Example column names: check them against your own export.", "",
             f"template: {name}", "",
             "columns:                # template column: your export's header, exactly as it reads"]
    for col in template.columns:
        need = "required" if col.required else "optional"
        lines.append(f"  {col.name}: {col.name.replace('_', ' ').title():<28} # {need}; {col.expected()}")
    enums = [c for c in template.columns if c.enum]
    lines += ["", "values:                 # template column: {your export's value: template value}"]
    if enums:
        for col in enums:
            lines.append(f"  # {col.name}: allowed template values: {', '.join(col.enum)}")
        first = enums[0]
        lines.append(f"  {first.name}: {{{first.enum[0].replace('_', ' ').title()}: {first.enum[0]}}}")
    else:
        lines.append("  {}")
    lines += ["", "fixed:                  # template columns your export lacks: one value for every row",
              "  {}", ""]
    return "\n".join(lines)


def write_example_maps(folder: str | Path) -> list[Path]:
    """Write one commented example map per template into ``folder`` (``<template>.yaml``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, template in TEMPLATES.items():
        path = folder / f"{template.filename.rsplit('.', 1)[0]}.yaml"
        path.write_text(example_map(kind), encoding="utf-8")
        written.append(path)
    return written
