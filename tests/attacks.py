"""Attacks on a finished run: try to learn something about a small group from what a run wrote (issue 9).

An attacker sees only the output folder of one notebook run: ``results.json``, ``tables/*.csv``, the ``.xlsx``
workbook and the ``.html`` report (plus the executed notebook and ``run.log``). Each attack below reads ALL of
them through :func:`load_run` and returns a list of :class:`Finding`; an empty list means the attack learnt
nothing. The attacks follow ``domain.md`` section 4.2 (rule numbers in brackets):

=====================  ==================================================================================
attack                 what it tries
=====================  ==================================================================================
small_group_shown      (a) a row or sentence naming a group whose TRUE size is below the threshold shows a
                       number [rules 1-3]
subtraction            (b) total minus the visible parts, per grouping level (team, role family) and for the
                       no-team remainder: counts, and n x mean for survey and training means [rule 4]
related_indicators     (c) all leavers minus voluntary leavers (or minus leavers excluding training
                       completions) gives 1-7 people; a hidden sickness figure rebuilt from the others
                       [rules 3, 4]
rate_from_exact        (d) a staff-wide rate below service level that is not (shown numerator / shown
                       denominator) of rounded counts and so gives the exact counts back (0.203125 with
                       n = 65 can only be 13/64) [rule 2]
monthly_difference     (e) consecutive months of a below-service monthly count differ by 1-7 [rule 5]
unrounded_count        a staff-wide HR count below service level that is not 0 or a multiple of 5 of at
                       least 10 [rule 2]
health_data            long-term sickness or mental-health figures resting on 1-7 people, or mental-health
                       or absence-reason figures below service level, staff-wide [rules 3, 7]
suppressed_row_number  a suppressed row that still shows an n, an interval, a judgement or an icon [rule 4]
footnote_count         a footnote's "N row(s) suppressed" differs from what its own table suppressed [rule 12]
identifier             a staff, respondent, participant, episode or response id from the inputs [rule 6]
free_text              free text from the inputs [rule 8]
=====================  ==================================================================================

"Truth" (the real size of each group) comes from the input files, never from the outputs: see
``tests/second_service.py`` (:class:`Truth`, :func:`truth_from_files`).

Suppressed cells are blank in CSV (in a row whose ``suppressed`` flag is true) and ``[c]`` in HTML and XLSX.

The workbook shows words, not codes (``People`` for ``n_people``, ``Whole service`` for ``service``): its sheets
are read back into the calculators' names through the same labelling layer (:mod:`ttwell.presentation.labels`) and the run's
own CSV tables, as an attacker with the ttwell source would (:func:`_xlsx_decoder`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from ttwell.presentation import labels
from ttwell.inputs.templates import ROLE_FAMILY_LABELS

SUPPRESSED = "[c]"
SERVICE_LEVEL = "service"
STAFF_WIDE = ("staff_wide", "external")
# The largest count that NHS Digital's rule hides (1-7): a difference or a group of this size identifies people.
SMALL_COUNT = 7

# Column names the lead keeps in CSV tables (issue 9); the attacks key on them.
LABEL_COLUMNS = ("group", "team_code", "team", "breakdown_value", "facet")
KEY_COLUMNS = ("indicator", "month", "date", "wave_id", "instrument", "score", "subscale", "programme_id", "area",
               "timepoint", "direction", "reason_code", "reason_group", "measure_id", "year", "label")
# Numbers that describe the table, not the group: a small group's row may keep them.
NON_DATA_COLUMNS = {"month", "year", "area", "area_id", "threshold", "scale_min", "scale_max", "n_items",
                    "cycle_number", "segment", "programme_id", "confidence_threshold"}
PEOPLE_COLUMNS = ("n_people", "n_respondents", "n_matched", "n_baseline", "n_evaluation")
ADDITIVE_COLUMNS = PEOPLE_COLUMNS + ("numerator", "denominator", "n_numerator_people", "n_above_pre", "n_above_post",
                                     "n_citing", "leavers", "voluntary_leavers", "n_improved")
# mean column -> the n columns it may be weighted by (first present wins)
MEAN_COLUMNS = {"mean": ("n_respondents",), "mean_pre": ("n_respondents", "n_matched"),
                "mean_post": ("n_respondents", "n_matched"), "mean_change": ("n_respondents", "n_matched"),
                "mean_baseline": ("n_baseline",), "mean_evaluation": ("n_evaluation",)}
# Columns that carry "a number about the group" besides its value: must go when the value is suppressed.
MAIN_VALUE_COLUMNS = ("value", "mean", "share", "response_rate", "value_baseline", "value_evaluation", "mean_pre",
                      "mean_post", "mean_change", "share_of_respondents", "mean_baseline", "mean_evaluation",
                      "difference", "share_above_pre", "share_above_post", "enps")
JUDGEMENT_COLUMNS = ("judgement", "rag", "variation", "variation_icon", "assurance_icon", "signal", "data_verdict",
                     "status")
COUNT_INDICATORS = ("staff_in_post_headcount", "joiners", "leavers")
# Monthly figures about the people in post in that month only: their group size is that month's headcount.
MONTH_ONLY_INDICATORS = ("staff_in_post_headcount", "staff_in_post_fte", "sickness_absence_rate_month", "joiners",
                         "vacancy_rate_fte")
SERVICE_LABELS = {"all staff", "all respondents", "service", "all attendees", "all"}


@dataclass(frozen=True)
class Finding:
    """One thing an attack learnt.

    Attributes
    ----------
    attack : str
        Which attack (``small_group_shown``, ``subtraction``, ...).
    file : str
        The output file, relative to the run folder (``tables/baseline_values.csv``, ``baseline.html``).
    where : str
        The table and row (or sheet and row, or sentence).
    detail : str
        What leaks, in words an analyst can check by hand.
    """

    attack: str
    file: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.attack}] {self.file} | {self.where} | {self.detail}"


@dataclass
class Table:
    """One table as an attacker sees it in one file.

    ``frame`` holds numbers as floats and text as str; a suppressed or blank cell is NaN. ``hidden`` is True
    where a cell was suppressed (blank in a suppressed CSV row, ``[c]`` in HTML and XLSX).
    """

    file: str
    name: str
    frame: pd.DataFrame
    hidden: pd.DataFrame
    footnote: str | None = None
    kind: str = "csv"  # csv, xlsx or html
    text: pd.DataFrame | None = None  # html: the cells exactly as displayed

    @cached_property
    def rows(self) -> dict:
        """Row index -> {column: value}: plain dicts, much faster to read cell by cell than ``frame.loc``."""
        return self.frame.to_dict("index")

    @cached_property
    def hid(self) -> dict:
        """Row index -> {column: True if suppressed}."""
        return self.hidden.to_dict("index")


@dataclass
class Run:
    """Everything one notebook run wrote, read back from its folder."""

    folder: Path
    notebook: str
    audience: str
    threshold: int
    results: dict
    tables: list[Table]
    texts: dict[str, str]  # file -> the text a reader can see (images left out)
    sentences: list[tuple[str, str]] = field(default_factory=list)  # (file, sentence) outside tables, alt text

    @property
    def staff_wide(self) -> bool:
        return self.audience in STAFF_WIDE


# --- reading the outputs -------------------------------------------------------------------------------------

def parse_number(text) -> float:
    """A displayed cell as a number (``"20.3%"`` -> 0.203, ``"1,234"`` -> 1234); NaN if it is not a number."""
    if text is None:
        return math.nan
    if isinstance(text, bool):
        return math.nan
    if isinstance(text, (int, float, np.integer, np.floating)):
        return float(text)
    s = str(text).strip().replace(",", "").replace("\u2212", "-")
    percent = s.endswith("%")
    s = s.rstrip("%").strip()
    if s.startswith("+"):
        s = s[1:]
    if not re.fullmatch(r"-?\d+(\.\d+)?", s):
        return math.nan
    return float(s) / 100 if percent else float(s)


def _csv_tables(folder: Path, results: dict) -> list[Table]:
    tables = []
    specs = results.get("tables") or {}
    for path in sorted((folder / "tables").glob("*.csv")):
        frame = pd.read_csv(path, encoding="utf-8-sig")
        if "suppressed" in frame.columns:
            rows = frame["suppressed"].astype(str).str.strip().str.lower().isin(["true", "1", "yes"])
        else:
            rows = pd.Series(False, index=frame.index)
        hidden = frame.isna() & np.asarray(rows)[:, None]
        spec = specs.get(path.stem) or {}
        tables.append(Table(f"tables/{path.name}", path.stem, frame, hidden, spec.get("footnote"), "csv"))
    return tables


def _table_rows(sheet, rows: list[list]) -> list[list]:
    """The rows of a sheet's data: its Excel table's block when it has one (below a title), else all rows."""
    if not getattr(sheet, "tables", None):
        return rows
    min_col, min_row, max_col, max_row = openpyxl.utils.cell.range_boundaries(next(iter(sheet.tables.values())).ref)
    return [r[min_col - 1:max_col] for r in rows[min_row - 1:max_row]]


def _xlsx_decoder(title: str, heading_row: list[str], csv: dict[str, Table], specs: dict) -> tuple[dict, dict]:
    """How to read one sheet back: displayed heading -> column name, and per column, displayed text -> code.

    The sheet's table is the CSV table whose title is the sheet's title row (or whose name is the sheet's name);
    its columns' headings and its text cells' labels come from :mod:`ttwell.presentation.labels`, as the workbook writes them.
    A heading not found there is looked up among every column of the run and the names the attacks key on.
    """
    name = next((n for n, spec in specs.items() if n in csv
                 and title in {str((spec or {}).get("title")), labels.prose(str((spec or {}).get("title")))}), None)
    name = name or next((n for n in csv if title in (n, labels.plain_words(n))), None)
    vocabulary = [c for t in csv.values() for c in t.frame.columns]
    vocabulary += [*LABEL_COLUMNS, *KEY_COLUMNS, *NON_DATA_COLUMNS, *ADDITIVE_COLUMNS, *MEAN_COLUMNS,
                   *MAIN_VALUE_COLUMNS, *JUDGEMENT_COLUMNS, "level", "unit", "value", "suppressed"]
    columns = {h: c for c in dict.fromkeys(vocabulary) for h in (c, labels.heading(c))}
    values: dict[str, dict] = {}
    if name is not None:
        table = [c for c in csv[name].frame.columns if c != "suppressed"]
        for column in table:
            columns[column] = column
        # The workbook's own headings of this table (a repeated heading gets " (2)"), constant columns included.
        columns.update(dict(zip(labels.headings(table), table)))
        for column in table:
            cells = csv[name].frame[column]
            values[column] = {labels.cell(column, v): v for v in cells.dropna().unique() if isinstance(v, str)}
    for column in ("level", "unit"):  # the codes the attacks compare with, known without a CSV
        values.setdefault(column, {})
    for code in labels.LEVELS:
        values["level"].setdefault(labels.cell("level", code), code)
    for code in labels.UNITS:
        values["unit"].setdefault(labels.unit(code), code)
    return {h: columns.get(h, h) for h in heading_row}, values


def _xlsx_tables(path: Path, csv: dict[str, Table] | None = None, specs: dict | None = None
                 ) -> tuple[list[Table], str]:
    # Not read-only: a read-only sheet does not know its Excel tables, which say where the data starts.
    book = openpyxl.load_workbook(path, data_only=True)
    tables, notes, text = [], {}, []
    for sheet in book.worksheets:
        all_rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        text += [str(v) for r in all_rows for v in r if v is not None]
        rows = _table_rows(sheet, all_rows)
        if sheet.title == "Notes":
            for r in rows[1:]:  # a sheet may have several notes: its footnote, a caveat, how teams are shown
                if r and r[0] is not None and len(r) > 1:
                    notes[str(r[0])] = " ".join(filter(None, [notes.get(str(r[0])), str(r[1])]))
            continue
        if sheet.title in ("Cover", "Key figures", "Parameters") or not rows:
            continue
        title = str(all_rows[0][0]) if sheet.tables and all_rows and all_rows[0] else sheet.title
        shown = [str(h) for h in rows[0]]
        names, decode = _xlsx_decoder(title, shown, csv or {}, specs or {})
        header = [names[h] for h in shown]
        body = [r + [None] * (len(header) - len(r)) for r in rows[1:]]
        body = [r for r in body if any(v is not None for v in r)]  # an empty Excel table keeps one blank row
        raw = pd.DataFrame(body, columns=header, dtype=object)
        for column, back in decode.items():
            if column in raw.columns and back:
                raw[column] = raw[column].map(lambda v, b=back: b.get(v, v) if isinstance(v, str) else v)
        hidden = raw.apply(lambda col: col.map(lambda v: v == SUPPRESSED)).astype(bool)
        frame = raw.apply(lambda col: col.map(lambda v: np.nan if v == SUPPRESSED or v is None else v))
        frame = frame.apply(lambda col: pd.to_numeric(col) if col.map(lambda v: v != v or isinstance(v, (int, float))
                                                                       and not isinstance(v, bool)).all() else col)
        tables.append(Table(path.name, sheet.title, frame, hidden, None, "xlsx"))
    for table in tables:
        table.footnote = notes.get(f"Sheet {table.name}")
    return tables, "\n".join(text)


def xlsx_read_back(run: "Run") -> list[str]:
    """Problems reading a run's workbook back (empty when every table of it was found and decoded).

    Every table that ``results.json`` sends to Excel must be a sheet whose headings all map back to the CSV
    table's columns: otherwise the attacks would silently skip the workbook's cells.
    """
    csv = {t.name: t for t in run.tables if t.kind == "csv"}
    xlsx = [t for t in run.tables if t.kind == "xlsx"]
    problems = []
    for name, spec in (run.results.get("tables") or {}).items():
        if not (spec or {}).get("excel", True) or name not in csv:
            continue
        from ttwell.presentation.workbook import constant_text_columns  # a sentence on every row goes to the Notes sheet

        frame = csv[name].frame
        wanted = [c for c in frame.columns if c != "suppressed" and c not in constant_text_columns(frame)]
        found = [t for t in xlsx if list(t.frame.columns) == wanted and len(t.frame) == len(frame)]
        if not found:
            problems.append(f"table {name}: no workbook sheet read back to its columns {wanted[:6]}...")
    for t in xlsx:
        stray = [c for c in t.frame.columns if c not in {c for x in csv.values() for c in x.frame.columns}]
        if stray:
            problems.append(f"sheet {t.name}: headings not read back to column names: {stray[:5]}")
    return problems


class _ReportParser(HTMLParser):
    """Collects the report's tables (caption, header, cells, footnote), its visible text and image alt text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.text: list[str] = []
        self.outside: list[str] = []  # text outside tables: paragraphs, list items, headings
        self.alts: list[str] = []
        self._table = None
        self._cell = None
        self._row = None
        self._in = []  # open tags we care about
        self._footnote = False
        self._skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "img" and attrs.get("alt"):
            self.alts.append(attrs["alt"])
        elif tag == "table":
            self._table = {"caption": "", "header": [], "rows": [], "footnote": None}
        elif self._table is not None and tag == "tr":
            self._row = []
        elif self._table is not None and tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._cell = []
        elif tag == "p" and "ttwell-footnote" in (attrs.get("class") or ""):
            self._footnote = True
            self._cell = []
        self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in ("p", "li", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "caption", "pre"):
            self.text.append("\n")
            self.outside.append("\n")
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "caption" and self._table is not None:
            self._table["caption"] = "".join(self._cell or []).strip()
            self._cell = None
        elif tag in ("td", "th") and self._table is not None and self._row is not None:
            self._row.append("".join(self._cell or []).strip())
            self._cell = None
        elif tag == "tr" and self._table is not None and self._row is not None:
            if "thead" in self._in or (not self._table["header"] and not self._table["rows"]
                                       and all(c for c in self._row) and "td" not in self._in):
                self._table["header"] = self._row
            else:
                self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag == "p" and self._footnote:
            if self.tables:
                self.tables[-1]["footnote"] = "".join(self._cell or []).strip()
            self._footnote = False
            self._cell = None
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag)]

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._table is None and not self._footnote:
            self.outside.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _html_tables(path: Path) -> tuple[list[Table], str, list[str], list[str]]:
    parser = _ReportParser()
    parser.feed(path.read_text(encoding="utf-8"))
    tables = []
    for i, t in enumerate(parser.tables, start=1):
        if not t["rows"]:
            continue
        width = max(len(r) for r in t["rows"])
        header = (t["header"] + [f"column {j}" for j in range(len(t["header"]), width)])[:width]
        header = [h if h not in header[:j] else f"{h} ({j})" for j, h in enumerate(header)]
        text = pd.DataFrame([r + [""] * (width - len(r)) for r in t["rows"]], columns=header, dtype=object)
        hidden = text.apply(lambda col: col.map(lambda v: v.strip() == SUPPRESSED)).astype(bool)
        frame = text.apply(lambda col: col.map(lambda v: parse_number(v) if not math.isnan(parse_number(v)) else
                                                (np.nan if v.strip() in ("", SUPPRESSED, "\u2013") else v)))
        name = f"table {i}: {t['caption'] or '(no caption)'}"
        tables.append(Table(path.name, name, frame, hidden, t["footnote"], "html", text))
    # Sentences outside tables: the report's paragraphs and list items, and the charts' alt text.
    body = "".join(parser.text)
    return tables, body, parser.alts, [s for s in re.split(r"\n+", "".join(parser.outside)) if s.strip()]


def _docx_tables(path: Path) -> tuple[list[Table], str, list[str], list[str]]:
    """The Word board paper read like the HTML report: its tables (as displayed), its sentences and alt text.

    Tables are attacked as display tables (kind ``html``): the paper shows exactly what the HTML shows.
    """
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    tables, lines, last_text, pending = [], [], "", None
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(node.text or "" for node in child.iter(qn("w:t"))).strip()
            if pending is not None and text.startswith(SUPPRESSED):
                pending.footnote = text
                pending = None
                continue
            pending = None
            if text:
                lines.append(text)
                last_text = text
        elif child.tag == qn("w:tbl"):
            rows = [["".join(n.text or "" for n in cell.iter(qn("w:t"))).strip() for cell in row.iter(qn("w:tc"))]
                    for row in child.iter(qn("w:tr"))]
            if len(rows) < 2:
                continue
            width = max(len(r) for r in rows)
            header = (rows[0] + [f"column {j}" for j in range(len(rows[0]), width)])[:width]
            header = [h if h not in header[:j] else f"{h} ({j})" for j, h in enumerate(header)]
            text = pd.DataFrame([r + [""] * (width - len(r)) for r in rows[1:]], columns=header, dtype=object)
            hidden = text.apply(lambda col: col.map(lambda v: v.strip() == SUPPRESSED)).astype(bool)
            frame = text.apply(lambda col: col.map(lambda v: parse_number(v) if not math.isnan(parse_number(v)) else
                                                    (np.nan if v.strip() in ("", SUPPRESSED, "\u2013") else v)))
            pending = Table(path.name, f"table {len(tables) + 1}: {last_text}", frame, hidden, None, "html", text)
            tables.append(pending)
    alts = [node.get("descr") for node in body.iter(qn("wp:docPr")) if node.get("descr")]
    return tables, "\n".join(lines), alts, lines


def _notebook_text(path: Path) -> str:
    """Sources and text outputs of an executed notebook (images left out: base64 is not something people read)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb.get("cells", []):
        parts.append("".join(cell.get("source", "")))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for kind, value in (out.get("data") or {}).items():
                if kind.startswith("text/"):
                    parts.append("".join(value) if isinstance(value, list) else str(value))
    return "\n".join(parts)


def load_run(folder: str | Path) -> Run:
    """Read every output a notebook run wrote into ``folder``: results.json, the CSV tables, the workbook, the
    HTML report and the Word board paper, the executed notebook and the run log."""
    folder = Path(folder)
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    parameters = results.get("parameters") or {}
    tables = _csv_tables(folder, results)
    texts = {"results.json": (folder / "results.json").read_text(encoding="utf-8")}
    for path in sorted((folder / "tables").glob("*.csv")):
        texts[f"tables/{path.name}"] = path.read_text(encoding="utf-8-sig")
    sentences = []
    for path in sorted(folder.glob("*.xlsx")):
        found, text = _xlsx_tables(path, {t.name: t for t in tables if t.kind == "csv"}, results.get("tables") or {})
        tables += found
        texts[path.name] = text
    for path in sorted(folder.glob("*.html")):
        found, text, alts, lines = _html_tables(path)
        tables += found
        texts[path.name] = text + "\n" + "\n".join(alts)
        sentences += [(path.name, s) for s in lines] + [(f"{path.name} (chart alt text)", a) for a in alts]
    for path in sorted(folder.glob("*.docx")):
        found, text, alts, lines = _docx_tables(path)
        tables += found
        texts[path.name] = text + "\n" + "\n".join(alts)
        sentences += [(path.name, s) for s in lines] + [(f"{path.name} (chart alt text)", a) for a in alts]
    for path in sorted(folder.glob("*.ipynb")):
        texts[path.name] = _notebook_text(path)
    if (folder / "run.log").exists():
        texts["run.log"] = (folder / "run.log").read_text(encoding="utf-8")
    return Run(folder, results.get("notebook", folder.name), parameters.get("audience", "internal_management"),
               int(parameters.get("disclosure_threshold", 11)), results, tables, texts, sentences)


# --- group sizes from the truth ------------------------------------------------------------------------------

class Sizes:
    """True group sizes by label, per kind of data (``hr``, ``survey``, ``training``), from a :class:`Truth`.

    A label may be a team code, a team name, a role family or its label, or a merged label such as
    ``"North PWP team (with Employment Advice team)"`` or ``"Admin, management and other + Employment support"``
    (the sum of its parts). Labels it does not know (such as ``"All staff"``) have no size.
    """

    def __init__(self, truth):
        self.truth = truth
        names = dict(truth.team_names)
        self._aliases = {**{v: k for k, v in names.items()}, **{v: k for k, v in ROLE_FAMILY_LABELS.items()}}
        survey: dict = {}
        for counts in truth.respondents.values():
            for group, n in counts.items():
                if group:
                    survey[group] = max(survey.get(group, 0), int(n))
        self._by_kind = {"hr": dict(truth.staff_per_team), "survey": survey,
                         "training": {k: int(v) for k, v in truth.trainees.items() if k}}
        self.codes = set(names) | set(ROLE_FAMILY_LABELS)

    def _code(self, label: str) -> str | None:
        label = label.strip()
        if label in self.codes:
            return label
        return self._aliases.get(label)

    def size(self, label, kind: str) -> int | None:
        """The true size of the group a label names, or None when the label names no known group."""
        if not isinstance(label, str) or not label.strip():
            return None
        parts = re.fullmatch(r"(.+?) \(with (.+)\)", label.strip())
        pieces = [parts.group(1)] + re.split(r", | and ", parts.group(2)) if parts else label.split(" + ")
        codes = [self._code(p) for p in pieces]
        if any(c is None for c in codes):
            return None
        sizes = self._by_kind.get(kind, {})
        if kind != "hr" and not any(c in sizes for c in codes):
            # A team nobody in this survey/training gave is small by definition (0 people).
            return 0
        # A team too small for HR figures is too small for survey or training figures too.
        return sum(sizes.get(c, 0) if kind != "hr" else self._by_kind["hr"].get(c, 0) for c in codes)

    def month_size(self, label, month) -> int | None:
        """People in post in a group at one month-end ("yyyy-mm"), or None if not known."""
        code = self._code(label) if isinstance(label, str) else None
        return self.truth.monthly_staff.get((code, str(month)[:7])) if code else None

    def small_labels(self, kind: str, threshold: int) -> list[tuple[str, str, int]]:
        """(code, name, size) of every single group below the threshold for this kind of data."""
        out = []
        for code in sorted(self.codes):
            size = self.size(code, kind)
            if size is not None and size < threshold:
                name = self.truth.team_names.get(code) or ROLE_FAMILY_LABELS.get(code, code)
                out.append((code, name, size))
        return out


def table_kind(run: Run, table: Table) -> str:
    """What the people behind a table are: ``training`` (attendees), ``survey`` (respondents) or ``hr`` (staff)."""
    if run.notebook == "prepost_training":
        return "training"
    columns = " ".join(str(c).lower() for c in table.frame.columns)
    words = f"{columns} {table.name.lower()}"
    if any(w in words for w in ("respondent", "responses", "wave", "instrument", "survey", "olbi", "joy")):
        return "survey"
    return "hr"


# --- helpers ---------------------------------------------------------------------------------------------------

def _shown(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) and _shown(value)


def _rounded(value: float) -> bool:
    """0, or a multiple of 5 of at least 10 (NHS Digital's rounding for counts of 8 or more)."""
    return value == 0 or (value >= 10 and abs(value / 5 - round(value / 5)) < 1e-9)


def _row_label(table: Table, i) -> str:
    row = table.rows[i]
    parts = [f"{c}={row[c]}" for c in (*KEY_COLUMNS, "level", *LABEL_COLUMNS) if c in row and _shown(row[c])]
    if table.kind == "html":
        parts = [str(v) for v in table.text.loc[i].tolist()[:3]]
    return f"{table.name}, row {int(i) + 2 if table.kind != 'html' else int(i) + 1} ({'; '.join(parts)[:160]})"


def _level(frame: pd.DataFrame) -> pd.Series:
    if "level" in frame.columns:
        return frame["level"].astype(str)
    return pd.Series("", index=frame.index)


def _below_service(table: Table, i) -> bool:
    row = table.rows[i]
    level = row.get("level")
    if isinstance(level, str):
        return level != SERVICE_LEVEL
    group = next((row[c] for c in LABEL_COLUMNS if c in row), None)
    return isinstance(group, str) and group.strip().lower() not in SERVICE_LABELS


def exact_fraction(value: float, near: float, *, spread: float = 2.5, tol: float = 1e-7) -> tuple[int, float] | None:
    """The one fraction a/b equal to ``value`` with b (a whole or half number) within ``spread`` of ``near``.

    A rounded denominator n (nearest 5) hides a true denominator in [n - 2.5, n + 2.5]. If exactly one b there
    makes value x b a whole number, the exact counts are back. None if no b, or several, fit.

    >>> exact_fraction(0.203125, 65)
    (13, 64.0)
    >>> exact_fraction(0.2, 65) is None  # 13/65, 12/60.. fits several: nothing learnt
    True
    """
    if not (_is_number(value) and _is_number(near)) or value <= 0 or value >= 1 or near <= 0:
        return None
    fits = []
    for b in np.arange(max(0.5, math.ceil((near - spread) * 2) / 2), near + spread + 1e-9, 0.5):
        a = value * b
        if abs(a - round(a)) < tol * max(1.0, b) and round(a) >= 1:
            fits.append((int(round(a)), float(b)))
    return fits[0] if len(fits) == 1 else None


# --- (a) a small group shown -----------------------------------------------------------------------------------

def small_group_shown(run: Run, sizes: Sizes) -> list[Finding]:
    """(a) A row naming a group whose TRUE size is below the threshold, showing any number.

    Merged groups are sized as the sum of their parts, so "North (with Small)" of 25 people is fine.
    Also checks generated sentences and chart alt text, and the headline figures in results.json.
    """
    out = []
    for table in run.tables:
        kind = table_kind(run, table)
        columns = [c for c in table.frame.columns if c in LABEL_COLUMNS] if table.kind != "html" else list(table.frame.columns)
        data_columns = [c for c in table.frame.columns if c not in NON_DATA_COLUMNS and c not in LABEL_COLUMNS]
        for i in table.frame.index:
            row = table.rows[i]
            for c in columns:
                size = sizes.size(row[c], kind) if isinstance(row[c], str) else None
                if kind == "hr" and row.get("indicator") in MONTH_ONLY_INDICATORS and "month" in row:
                    size = sizes.month_size(row[c], row["month"])  # that month's headcount, not the year's
                if size is None or size >= run.threshold:
                    continue
                numbers = [f"{d}={row[d]:g}" for d in data_columns if d != c and _is_number(row[d])]
                if numbers:
                    out.append(Finding("small_group_shown", table.file, _row_label(table, i),
                                       f"'{row[c]}' has {size} {kind} people (< {run.threshold}) but the row shows "
                                       + ", ".join(numbers[:6])))
                break
    # Sentences and alt text: a small group's code or name next to a number. "fewer than 11" is the rule, not
    # a figure, and "North (with Small)" names a merged group: both are taken out before looking.
    # A sentence does not say whose figure it gives, so groups are sized as staff (attendees in the pre/post
    # report): a team with enough staff but too few survey respondents is not caught in sentences.
    for kind in (("training",) if run.notebook == "prepost_training" else ("hr",)):
        for code, name, size in sizes.small_labels(kind, run.threshold):
            pattern = re.compile(rf"(?<![\w-])({re.escape(code)}|{re.escape(name)})(?![\w-])[^;.\n]*?\d")
            for file, sentence in run.sentences:
                for piece in re.split(r";|\.\s", sentence):
                    piece = re.sub(r"\((?:with|including) [^)]*\)|[^(;]*\(with [^)]*", " ", piece)
                    piece = re.sub(r"(fewer|less|more) than \d+|\d+ or (more|fewer)|at least \d+", " ", piece)
                    if pattern.search(piece):
                        out.append(Finding("small_group_shown", file, f"sentence: {piece.strip()[:160]}",
                                           f"names {name} ({size} {kind} people) next to a number"))
    for name, figure in (run.results.get("figures") or {}).items():
        text = f"{name} {figure.get('label', '') if isinstance(figure, dict) else ''}"
        for code, label, size in sizes.small_labels("hr", run.threshold):
            if re.search(rf"\b{re.escape(code)}\b", text) or label in text:
                value = figure.get("value") if isinstance(figure, dict) else figure
                if _is_number(value):
                    out.append(Finding("small_group_shown", "results.json", f"figures.{name}",
                                       f"headline figure about {label} ({size} people): {value}"))
    return out


# --- (b) subtraction -------------------------------------------------------------------------------------------

def _groups(frame: pd.DataFrame, keys: list[str]) -> dict:
    """Row indices by the values of ``keys`` (a tuple per group; the whole table when there are no keys)."""
    if not keys:
        return {(): frame.index}
    return {(k if isinstance(k, tuple) else (k,)): v
            for k, v in frame.groupby(keys if len(keys) > 1 else keys[0], dropna=False, sort=False).groups.items()}


def _key_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in KEY_COLUMNS if c in frame.columns]


def _breakdowns(run: Run):
    """Yield (table, key, total row index or None, total table, level, part indices) for csv/xlsx tables.

    A table without a service row (pre/post teams) takes its total from the service row of another table of
    the same run with the same key (the "overall" area of the pre/post areas table).
    """
    tables = [t for t in run.tables if t.kind in ("csv", "xlsx") and "level" in t.frame.columns]
    for table in tables:
        frame = table.frame
        keys = _key_columns(frame)
        level = _level(frame)
        for key, index in _groups(frame, keys).items():
            index = list(index)
            totals = [i for i in index if level[i] == SERVICE_LEVEL]
            total_table, total = table, (totals[0] if len(totals) == 1 else None)
            if total is None:
                total_table, total = _linked_total(table, tables, {k: table.rows[index[0]][k] for k in keys})
            if total is None:
                continue
            for lvl in sorted(set(level[index]) - {SERVICE_LEVEL}):
                yield table, key, total_table, total, lvl, [i for i in index if level[i] == lvl]


def _linked_total(table: Table, tables: list[Table], key) -> tuple[Table, object]:
    for other in tables:
        if other is table or other.kind != table.kind:
            continue
        level = _level(other.frame)
        rows = other.frame[level == SERVICE_LEVEL]
        shared = [c for c in key if c in rows.columns]
        for c in shared:
            rows = rows[rows[c] == key[c]]
        extra = [c for c in _key_columns(rows) if c not in shared]
        overall = rows[rows[extra].apply(lambda r: all(str(v).lower() in ("overall", "all", "nan") for v in r), axis=1)] \
            if extra else rows
        if len(overall) == 1 and any(c in rows.columns for c in ADDITIVE_COLUMNS if c in table.frame.columns):
            return other, overall.index[0]
    return table, None


def subtraction(run: Run, sizes: Sizes | None = None) -> list[Finding]:
    """(b) Total minus the visible parts, per breakdown level and for the no-team remainder.

    For each people-count column (n_people, n_respondents, n_matched, ...): the total minus the parts shown is
    the size of the hidden parts plus anyone with no group (blank team code). Flags a recovered group of 1 to
    threshold-1 people (with its mean from n x mean where the table has means). For any additive column, also
    flags a breakdown in which exactly one part is hidden while the total and all other parts are shown.
    Parts that are all rounded to 5 in a staff-wide output are not subtracted (the rounding is the protection).
    """
    out = []
    for table, key, total_table, total, lvl, parts in _breakdowns(run):
        frame, t_row, rows = table.frame, total_table.rows[total], table.rows
        for column in [c for c in ADDITIVE_COLUMNS if c in frame.columns and c in t_row]:
            if not _is_number(t_row[column]):
                continue
            values = {i: rows[i][column] for i in parts}
            hidden = [i for i in parts if table.hid[i][column]]
            shown = [i for i in parts if _is_number(values[i])]
            missing = [i for i in parts if i not in shown and i not in hidden]
            if missing:
                continue
            rounded = run.staff_wide and shown and all(_rounded(values[i]) for i in shown)
            where = f"{table.name}, {lvl} breakdown of {key if key != () else 'the table'}"
            remainder = t_row[column] - sum(values[i] for i in shown)
            if column in PEOPLE_COLUMNS and not rounded and 1 <= remainder < run.threshold:
                names = [str(rows[i][next((c for c in LABEL_COLUMNS if c in frame.columns), column)]) for i in hidden]
                detail = (f"{column}: total {t_row[column]:g} minus the {lvl} rows shown ({len(shown)}) leaves "
                          f"{remainder:g} people" + (f" (hidden: {', '.join(names)}" if names else " (no hidden rows")
                          + "; plus anyone with no " + lvl.replace("_", " ") + ")")
                for mean, weights in MEAN_COLUMNS.items():
                    if mean in frame.columns and column == next((w for w in weights if w in frame.columns), None) \
                            and _is_number(t_row.get(mean)) and all(_is_number(rows[i][mean]) for i in shown):
                        rest = t_row[column] * t_row[mean] - sum(values[i] * rows[i][mean] for i in shown)
                        detail += f"; their {mean} = {rest / remainder:.4g}"
                out.append(Finding("subtraction", table.file, where, detail))
            if len(hidden) == 1 and shown and not rounded:
                label = next((c for c in LABEL_COLUMNS if c in frame.columns), None)
                who = rows[hidden[0]][label] if label else hidden[0]
                out.append(Finding("subtraction", table.file, where,
                                   f"exactly one {lvl} row hidden ({who}) while the total and the other "
                                   f"{len(shown)} show {column}: it is {remainder:g}"))
    return out


# --- (c) related indicators ------------------------------------------------------------------------------------

LEAVER_PAIRS = [("leaver_rate_hc_12m", "voluntary_leaver_rate_hc_12m"),
                ("leaver_rate_hc_12m", "leaver_rate_excl_training_hc_12m"),
                ("leaver_rate_fte_12m", "voluntary_leaver_rate_fte_12m")]
# target <- sources: if the target is hidden and the sources are shown, the target is rebuilt exactly.
DERIVATIONS = [
    ("long_term_sickness_rate_12m", ("sickness_absence_rate_12m", "short_term_sickness_rate_12m")),
    ("short_term_sickness_rate_12m", ("sickness_absence_rate_12m", "long_term_sickness_rate_12m")),
    ("sickness_absence_rate_12m", ("short_term_sickness_rate_12m", "long_term_sickness_rate_12m")),
    ("long_term_sickness_rate_12m", ("sickness_absence_rate_12m", "long_term_share_of_days_lost_12m")),
    ("short_term_sickness_rate_12m", ("sickness_absence_rate_12m", "long_term_share_of_days_lost_12m")),
]
VALUE_SETS = [("value", ("numerator", "n_numerator_people"), ("denominator", "n_people")),
              ("value_baseline", (), ("n_baseline",)), ("value_evaluation", (), ("n_evaluation",))]


def _people_count(row: pd.Series, value_col: str, numerators, denominators) -> float | None:
    """The EXACT number of people behind a rate, or None when the output does not give it away.

    An unrounded shown numerator is exact. Otherwise the rate itself may give it: value x the one denominator
    near the shown one that makes a whole number (see :func:`exact_fraction`). A rounded numerator alone is not
    exact (that is what rounding is for).
    """
    for c in numerators:
        if c in row and _is_number(row[c]) and c != "numerator" and not _rounded(row[c]):
            return float(row[c])
    value = row.get(value_col)
    if not _is_number(value):
        return None
    for c in denominators:
        if c in row and _is_number(row[c]):
            if value == 0:
                return 0.0
            fit = exact_fraction(value, row[c], spread=2.5 if _rounded(row[c]) else 0.5)
            if fit is None or _from_rounded(fit, row[c]):
                return None
            return float(fit[0])
    return None


def _from_rounded(fit: tuple[int, float], shown_denominator: float) -> bool:
    """True when a rate's one fraction is a rounded count over the rounded denominator shown: rule-abiding."""
    return fit[1] == shown_denominator and _rounded(fit[0]) and _rounded(shown_denominator)


def related_indicators(run: Run, sizes: Sizes | None = None) -> list[Finding]:
    """(c) Pairs of related indicators for the same group.

    Staff-wide, below service level: all leavers minus voluntary leavers (or minus leavers excluding training
    completions) giving 1-7 people. Any audience, any level: a hidden sickness figure rebuilt from the shown
    ones (all = short-term + long-term; long-term = all x long-term share).
    """
    out = []
    for table in [t for t in run.tables if t.kind in ("csv", "xlsx") and "indicator" in t.frame.columns]:
        frame = table.frame
        keys = [c for c in ("level", "group", "month", "date") if c in frame.columns]
        if "group" not in keys:
            continue  # one row per indicator (an SPC summary): no group to learn about
        for key, index in _groups(frame, keys).items():
            rows = {table.rows[i]["indicator"]: i for i in index}
            for value_col, numerators, denominators in VALUE_SETS:
                if value_col not in frame.columns:
                    continue
                for target, sources in DERIVATIONS:
                    if target in rows and all(s in rows for s in sources) \
                            and table.hid[rows[target]][value_col] \
                            and all(_is_number(table.rows[rows[s]][value_col]) for s in sources):
                        out.append(Finding("related_indicators", table.file, f"{table.name}, {key}, {value_col}",
                                           f"{target} is hidden but follows from {' and '.join(sources)}"))
                if not run.staff_wide:
                    continue
                for whole, part in LEAVER_PAIRS:
                    if whole not in rows or part not in rows or not _below_service(table, rows[whole]):
                        continue
                    a = _people_count(table.rows[rows[whole]], value_col, numerators, denominators)
                    b = _people_count(table.rows[rows[part]], value_col, numerators, denominators)
                    if a is not None and b is not None and 1 <= a - b <= SMALL_COUNT:
                        out.append(Finding("related_indicators", table.file, f"{table.name}, {key}, {value_col}",
                                           f"{whole} ({a:g} people) minus {part} ({b:g}) = {a - b:g} people"))
    return out


# --- (d) rates from exact counts -------------------------------------------------------------------------------

def _is_rate(row: pd.Series) -> bool:
    if isinstance(row.get("unit"), str):
        return row["unit"] == "proportion"
    name = str(row.get("indicator", ""))
    return bool(re.search(r"rate|share|stability", name))


def rate_from_exact(run: Run, sizes: Sizes | None = None) -> list[Finding]:
    """(d) Staff-wide rates below service level must be (shown numerator / shown denominator) of rounded counts.

    Flags a rate beside a shown numerator and denominator that it does not equal, and a rate that only one
    exact fraction a/b fits with b near its shown (rounded) denominator: the exact counts are back.
    """
    if not run.staff_wide:
        return []
    out = []
    for table in [t for t in run.tables if t.kind == "csv"]:
        frame = table.frame
        for i in frame.index:
            row = table.rows[i]
            if not _below_service(table, i) or not _is_rate(row):
                continue
            for value_col, numerators, denominators in VALUE_SETS:
                value = row.get(value_col)
                if not _is_number(value):
                    continue
                num, den = row.get("numerator"), row.get("denominator")
                if value_col == "value" and _is_number(num) and _is_number(den) and den > 0 \
                        and abs(value - num / den) > 1e-6 * max(1, abs(value)):
                    out.append(Finding("rate_from_exact", table.file, _row_label(table, i),
                                       f"{value_col} {value:.6g} is not the shown {num:g} / {den:g} = {num / den:.6g}"))
                    continue
                for c in denominators:
                    n = row.get(c)
                    if not _is_number(n):
                        continue
                    fit = exact_fraction(value, n)
                    shown_num = next((row[x] for x in numerators if x in row and _is_number(row[x])), None)
                    if fit and not _from_rounded(fit, n) \
                            and not (shown_num is not None and abs(shown_num / n - value) < 1e-9):
                        out.append(Finding("rate_from_exact", table.file, _row_label(table, i),
                                           f"{value_col} {value:.6g} beside {c} {n:g} can only be {fit[0]}/{fit[1]:g}"))
                    break
    return out


# --- (e) month-on-month differences ----------------------------------------------------------------------------

def monthly_difference(run: Run, sizes: Sizes | None = None) -> list[Finding]:
    """(e) Consecutive months of a below-service monthly count (headcount, joiners, leavers) differing by 1-7."""
    if not run.staff_wide:
        return []
    out = []
    for table in [t for t in run.tables if t.kind in ("csv", "xlsx") and "indicator" in t.frame.columns
                  and ("month" in t.frame.columns or "date" in t.frame.columns)]:
        frame = table.frame
        when = "month" if "month" in frame.columns else "date"
        counts = frame[frame["indicator"].astype(str).isin(COUNT_INDICATORS)]
        keys = [c for c in ("level", "group", "indicator") if c in frame.columns]
        for key, index in _groups(counts, keys).items():
            rows = counts.loc[index]
            if not _below_service(table, rows.index[0]):
                continue
            rows = rows.assign(_period=pd.PeriodIndex(pd.to_datetime(rows[when].astype(str)), freq="M")).sort_values("_period")
            periods, values = rows["_period"].tolist(), rows["value"].tolist()
            for (p1, v1), (p2, v2) in zip(zip(periods, values), zip(periods[1:], values[1:])):
                if (p2 - p1).n == 1 and _is_number(v1) and _is_number(v2) and 1 <= abs(v2 - v1) <= SMALL_COUNT:
                    out.append(Finding("monthly_difference", table.file, f"{table.name}, {key}",
                                       f"{p1} {v1:g} -> {p2} {v2:g}: a change of {abs(v2 - v1):g}"))
    return out


# --- further attacks -------------------------------------------------------------------------------------------

def unrounded_count(run: Run, sizes: Sizes | None = None) -> list[Finding]:
    """Staff-wide HR counts of people below service level must be 0 or a multiple of 5 of at least 10 (rule 2)."""
    if not run.staff_wide:
        return []
    out = []
    for table in [t for t in run.tables if t.kind == "csv" and table_kind(run, t) == "hr"]:
        frame = table.frame
        columns = [c for c in ("n_people", "n_numerator_people", "n_baseline", "n_evaluation", "leavers",
                               "voluntary_leavers", "numerator", "denominator", "value") if c in frame.columns]
        for i in frame.index:
            if not _below_service(table, i):
                continue
            row = table.rows[i]
            is_count = str(row.get("indicator", "")) in COUNT_INDICATORS or row.get("unit") == "count"
            for c in columns:
                if c == "value" and not is_count:
                    continue
                if c in ("numerator", "denominator") and not is_count \
                        and (not _is_number(row[c]) or row[c] != int(row[c])):
                    continue  # FTE days and FTE behind a rate are not counts of people
                if _is_number(row[c]) and not _rounded(row[c]):
                    out.append(Finding("unrounded_count", table.file, _row_label(table, i),
                                       f"{c} = {row[c]:g} is not rounded to 5 (or 0)"))
    return out


def health_data(run: Run, sizes: Sizes) -> list[Finding]:
    """Special-category health data staff-wide (rules 3 and 7).

    Flags a long-term sickness or mental-health figure above zero for a group in which, over the WHOLE data,
    only 1-7 people had such an episode (so every window has 1-7); and any mental-health or absence-reason
    figure below service level.
    """
    if not run.staff_wide:
        return []
    out = []
    truth = sizes.truth
    for table in [t for t in run.tables if t.kind == "csv" and "indicator" in t.frame.columns]:
        frame = table.frame
        values = [c for c in ("value", "value_baseline", "value_evaluation") if c in frame.columns]
        for i in frame.index:
            row = table.rows[i]
            name = str(row["indicator"])
            if "long_term" not in name and "mental_health" not in name:
                continue
            people = truth.long_term_people if "long_term" in name else truth.mental_health_people
            group = "service" if not _below_service(table, i) else sizes._code(str(row.get("group", ""))) or str(row.get("group"))
            shown = [c for c in values if _is_number(row[c]) and row[c] > 0]
            if not shown:
                continue
            n = people.get(group, 0)
            if "mental_health" in name and group != "service":
                out.append(Finding("health_data", table.file, _row_label(table, i),
                                   f"mental-health figure below service level ({group}) shown staff-wide"))
            elif 1 <= n <= SMALL_COUNT:
                out.append(Finding("health_data", table.file, _row_label(table, i),
                                   f"{name} for {group} shown ({', '.join(f'{c}={row[c]:.4g}' for c in shown)}) but only "
                                   f"{n} people had such an episode in the whole data"))
    return out


def suppressed_row_number(run: Run, sizes: Sizes | None = None) -> list[Finding]:
    """A row whose value is suppressed still shows an n, an interval, a judgement or an icon."""
    out = []
    for table in run.tables:
        frame, hidden = table.frame, table.hidden
        if table.kind == "html":
            for i in frame.index:
                if any(table.hid[i].values()):
                    numbers = [f"{c}={table.text.loc[i, c]}" for c in frame.columns
                               if not table.hid[i][c] and _is_number(table.rows[i][c])]
                    if numbers:
                        out.append(Finding("suppressed_row_number", table.file, _row_label(table, i),
                                           "row with [c] also shows " + ", ".join(numbers[:6])))
            continue
        mains = [c for c in MAIN_VALUE_COLUMNS if c in frame.columns]
        extras = [c for c in frame.columns if c in PEOPLE_COLUMNS or c.startswith("n_") or c in JUDGEMENT_COLUMNS
                  or c.startswith("ci_") or c.endswith(("_low", "_high"))]
        for i in frame.index:
            row, hid = table.rows[i], table.hid[i]
            if not any(hid[c] for c in mains):
                continue
            left = [f"{c}={row[c]}" for c in extras if _shown(row[c]) and not hid[c]]
            if left:
                out.append(Finding("suppressed_row_number", table.file, _row_label(table, i),
                                   "value suppressed but the row still shows " + ", ".join(left[:6])))
    return out


def footnote_count(run: Run, sizes: Sizes | None = None) -> list[Finding]:
    """A footnote's "N row(s) suppressed" (or "Nothing was suppressed") must match its own table."""
    out = []
    for table in run.tables:
        if not table.footnote:
            continue
        said = re.search(r"(\d+) rows?(?:\(s\))? suppressed", table.footnote)
        claimed = int(said.group(1)) if said else (0 if re.search(r"[Nn]othing was suppressed", table.footnote) else None)
        if claimed is None:
            continue
        actual = int(table.hidden.any(axis=1).sum())
        if claimed != actual:
            out.append(Finding("footnote_count", table.file, table.name,
                               f"footnote says {claimed} row(s) suppressed; the table has {actual} row(s) with "
                               "suppressed cells"))
    return out


def identifier(run: Run, sizes: Sizes) -> list[Finding]:
    """A staff, respondent, participant, episode or response id from the inputs appearing in any output."""
    ids = {i for i in sizes.truth.identifiers if isinstance(i, str) and len(i) >= 5}
    out = []
    for file, text in run.texts.items():
        tokens = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9_\-]*[A-Za-z0-9]", text))
        found = sorted(tokens & ids)
        if found:
            out.append(Finding("identifier", file, "anywhere", f"{len(found)} input id(s), e.g. {', '.join(found[:3])}"))
    return out


def free_text(run: Run, sizes: Sizes) -> list[Finding]:
    """Free text from the inputs (exit and stay comments) appearing in any output."""
    out = []
    for file, text in run.texts.items():
        found = sorted(t for t in sizes.truth.free_text if t in text)
        if found:
            out.append(Finding("free_text", file, "anywhere", f"{len(found)} free-text answer(s), e.g. '{found[0]}'"))
    return out


ATTACKS = {
    "small_group_shown": small_group_shown,
    "subtraction": subtraction,
    "related_indicators": related_indicators,
    "rate_from_exact": rate_from_exact,
    "monthly_difference": monthly_difference,
    "unrounded_count": unrounded_count,
    "health_data": health_data,
    "suppressed_row_number": suppressed_row_number,
    "footnote_count": footnote_count,
    "identifier": identifier,
    "free_text": free_text,
}


def attack_run(run: str | Path | Run, truth, names=None) -> list[Finding]:
    """Every attack (or those named) on one run (a folder, or a :class:`Run` already read); all their findings."""
    run = run if isinstance(run, Run) else load_run(run)
    sizes = Sizes(truth)
    findings = []
    for name, attack in ATTACKS.items():
        if names is None or name in names:
            findings += attack(run, sizes)
    return findings
