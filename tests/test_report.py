"""Tests for ttwell.presentation.report: the Excel workbook, the HTML report and notebook tables."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # tests only: notebooks keep the inline backend

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

import ttwell  # noqa: E402
from ttwell.presentation import report  # noqa: E402
from ttwell.presentation import workbook as workbook_module  # noqa: E402
from ttwell.errors import DisclosureError, TtwellError  # noqa: E402

LONG_NAME = "sickness/absence: by team [all staff] and role"


def write_results(folder: Path, tables: dict[str, tuple[str, dict]], *, notes=("Rates are per month.",)) -> Path:
    """Write a results folder as ttwell.presentation.results does: results.json plus UTF-8-with-BOM CSVs."""
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    specs = {}
    for i, (name, (csv_text, spec)) in enumerate(tables.items()):
        file = f"tables/t{i}.csv"
        (folder / file).write_bytes(b"\xef\xbb\xbf" + csv_text.encode("utf-8"))
        specs[name] = {"file": file, **spec}
    results = {
        "notebook": "baseline",
        "title": "Staff Wellbeing Data Dashboard: baseline",
        "ttwell_version": "0.1.0",
        "parameters": {"service_name": "Anytown Talking Therapies", "audience": "staff_wide",
                       "disclosure_threshold": 11, "period_start": "2023-04-01", "period_end": "2024-03-31"},
        "figures": {"sickness_rate": {"value": 0.043, "unit": "proportion", "label": "Sickness absence rate",
                                      "note": None}},
        "tables": specs,
        "notes": list(notes),
    }
    (folder / "results.json").write_text(json.dumps(results), encoding="utf-8")
    return folder


BASELINE_CSV = (
    "month,team,value,ci_low,n_people,suppressed\n"
    "2023-04-01,North,0.043,0.031,1234,False\n"
    "2023-05-01,South,,,,True\n"  # suppressed: every empty numeric cell is [c]
    "2023-06-01,NA,,0.02,15,False\n"  # not suppressed: the empty value is just missing; "NA" is a team name
)
BASELINE_SPEC = {"title": "Baseline values with 95% CIs", "footnote": "[c] = suppressed: fewer than 11 people.",
                 "date_columns": ["month"], "percent_columns": ["value", "ci_low"], "count_columns": ["n_people"]}


@pytest.fixture
def workbook(tmp_path):
    folder = write_results(tmp_path / "results", {
        "baseline_values": (BASELINE_CSV, BASELINE_SPEC),
        LONG_NAME: ("group,score\nA,1.5\nB,2.5\n", {"title": "Scores", "footnote": "Means of 0-4 scores."}),
    })
    path = report.write_excel(folder, tmp_path / "out" / "baseline.xlsx")
    assert path == tmp_path / "out" / "baseline.xlsx"
    return openpyxl.load_workbook(path)


def cell_values(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


# --- Excel ----------------------------------------------------------------------------------------------------

def sheet_text(ws) -> str:
    return " ".join(str(v) for row in cell_values(ws) for v in row if v is not None)


def table_rows(ws):
    """The cells of a sheet's Excel table: header first."""
    (table,) = ws.tables.values()
    return [[c.value for c in row] for row in ws[table.ref]]


def test_excel_sheets_cover_and_notes(workbook):
    assert workbook.sheetnames[:4] == ["Cover", "Notes", "Parameters", "Key figures"]
    cover = workbook["Cover"]
    cover_text = sheet_text(cover)
    assert cover["A1"].value == "Staff Wellbeing Data Dashboard: baseline"
    assert re.fullmatch(r"Produced on \d\d/\d\d/\d{4} by ttwell 0\.1\.0", cover["A3"].value)
    assert cover["A4"].value == "Contact: add your team's contact here"  # a placeholder, never a made-up person
    assert "Anytown Talking Therapies" in cover_text
    assert "01/04/2023 to 31/03/2024" in cover_text  # ISO dates in the parameters, UK dates on the cover
    assert "disclosure threshold of 11" in cover_text and "[c]" in cover_text and "all staff" in cover_text
    assert "Anytown Talking Therapies's own data" in cover_text  # not a demonstration: the source is the service
    # The contents list links to every other sheet.
    links = {c.value: c.hyperlink.location or c.hyperlink.target for row in cover.iter_rows() for c in row
             if c.hyperlink}
    assert set(links) == set(workbook.sheetnames[1:])

    params = dict(table_rows(workbook["Parameters"])[1:])  # named in words, from the labelling layer
    assert params["Period from"] == "2023-04-01" and params["Smallest group shown"] == 11

    notes = table_rows(workbook["Notes"])
    assert notes[0] == ["Applies to", "Note"]
    texts = [row[1] for row in notes[1:]]
    assert any(t.startswith("[c] = value suppressed") for t in texts)
    assert "Rates are per month." in texts
    assert "[c] = suppressed: fewer than 11 people." in texts
    assert "Means of 0-4 scores." in texts


def test_excel_cover_contact_and_date_are_as_given(tmp_path):
    folder = write_results(tmp_path / "results", {"fine": ("team,n\nA,12\n", {})})
    path = workbook_module.write_excel(folder, tmp_path / "b.xlsx", contact="Workforce team, wf@example.nhs.uk",
                                       produced_on=dt.date(2026, 3, 9))
    cover = openpyxl.load_workbook(path)["Cover"]
    assert cover["A3"].value == "Produced on 09/03/2026 by ttwell 0.1.0"
    assert cover["A4"].value == "Contact: Workforce team, wf@example.nhs.uk"
    assert cover.page_setup.fitToHeight == 1 and cover.page_setup.fitToWidth == 1  # the cover on one page
    assert cover.sheet_properties.pageSetUpPr.fitToPage


def test_excel_table_layout_and_formats(workbook):
    ws = workbook["Baseline values with 95% CIs"]  # the table's title is short enough to be its sheet name
    assert ws["A1"].value == "Baseline values with 95% CIs" and ws["A1"].font.bold
    # Headings in words (ttwell.presentation.labels); the suppressed flag is dropped.
    assert [c.value for c in ws[3]] == ["Month", "Team", "Value", "95% CI from", "People"]
    (table,) = ws.tables.values()
    assert table.ref == "A3:E6" and table.tableStyleInfo.name
    header = ws["A3"]
    assert header.font.bold and header.font.color.rgb.endswith("FFFFFF")
    assert header.fill.fgColor.rgb.endswith("005EB8")
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"  # the header row repeats on every printed page
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert not ws.merged_cells.ranges
    assert ws.column_dimensions["A"].width >= 10

    for row in range(4, 7):
        date_cell = ws.cell(row=row, column=1)
        assert isinstance(date_cell.value, dt.datetime)
        assert date_cell.number_format == "DD/MM/YYYY"
    assert ws["A4"].value == dt.datetime(2023, 4, 1)

    assert ws["C4"].value == pytest.approx(0.043) and ws["C4"].number_format == "0.0%"
    assert ws["D6"].value == pytest.approx(0.02) and ws["D6"].number_format == "0.0%"
    assert ws["E4"].value == 1234 and ws["E4"].number_format == "#,##0"
    assert ws["B6"].value == "NA"  # a category called NA stays text


def test_excel_c_only_in_suppressed_numeric_cells(workbook):
    ws = workbook["Baseline values with 95% CIs"]
    c_cells = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.value == "[c]"}
    assert c_cells == {(5, 3), (5, 4), (5, 5)}  # South's value, ci_low, n_people
    assert ws["C6"].value is None  # missing, not suppressed
    for name in workbook.sheetnames[4:]:
        if name == "Baseline values with 95% CIs":
            continue
        assert not any(c.value == "[c]" for row in workbook[name].iter_rows() for c in row)


def test_excel_sheet_names_are_plain_words(workbook):
    names = workbook.sheetnames
    assert "Scores" in names  # the title of the table with the long, punctuated name
    for name in names:
        assert len(name) <= 31 and "_" not in name
        assert not re.search(r"[\[\]:*?/\\]", name)
    assert workbook["Scores"]["B4"].value == pytest.approx(1.5)


def test_sheet_name_unique_and_reserved():
    assert report.sheet_name("Notes", taken=["Cover", "Notes"]) == "Notes (2)"
    assert report.sheet_name("notes", taken=["Notes", "Notes (2)"]) == "Notes (3)"
    long = "x" * 40
    first = report.sheet_name(long)
    second = report.sheet_name(long, taken=[first])
    assert len(first) == 31 and len(second) == 31 and first != second
    assert report.sheet_name("'quoted'") == "Quoted"
    assert report.sheet_name("a/b\\c?d*e:f[g]") == "A b c d e f g"
    assert report.sheet_name("spc_summary") == "SPC summary"
    assert report.sheet_name(LONG_NAME) == "Sickness absence by team all st"
    assert workbook_module.table_sheet_name("objective_summary", {"title": "Objectives: summary of ratings"}) \
        == "Objective summary"  # a title with a colon cannot be a sheet name: the table's name in words


def test_excel_refuses_identifier_columns(tmp_path):
    folder = write_results(tmp_path / "results", {
        "fine": ("team,n\nA,12\n", {}),
        "leaky": ("staff_pid,value\nP001,0.5\n", {}),
    })
    target = tmp_path / "leaky.xlsx"
    with pytest.raises(DisclosureError, match="staff_pid"):
        report.write_excel(folder, target)
    assert not target.exists()


def test_excel_locked_file_gives_plain_message(tmp_path, monkeypatch):
    folder = write_results(tmp_path / "results", {"fine": ("team,n\nA,12\n", {})})

    def locked(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(report.os, "replace", locked)
    with pytest.raises(TtwellError, match=r"Close baseline\.xlsx in Excel and run again"):
        report.write_excel(folder, tmp_path / "baseline.xlsx")
    assert list(tmp_path.glob("*.xlsx")) == []  # the temporary file is cleaned up


def test_excel_missing_results_is_plain_error(tmp_path):
    with pytest.raises(TtwellError, match="results.json"):
        report.write_excel(tmp_path, tmp_path / "x.xlsx")


# --- HTML -----------------------------------------------------------------------------------------------------

def _png_bytes() -> bytes:
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([1, 2, 3])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


@pytest.fixture
def exported_html(tmp_path):
    png = base64.b64encode(_png_bytes()).decode("ascii")
    nb = new_notebook(cells=[
        new_markdown_cell("# Staff wellbeing *baseline*\n\nThe rate was 4.3% ($p < 0.05$)."),
        new_code_cell("secret_code_marker = 1", outputs=[
            new_output("display_data", data={"image/png": png, "text/plain": "<IPython.core.display.Image object>"},
                       metadata={"image/png": {"alt": 'Sickness absence fell from 5.1% to 4.3% "overall"'}}),
        ]),
        new_code_cell("no_alt = 1", outputs=[new_output("display_data", data={"image/png": png})]),
        new_code_cell("provenance = 1", metadata={"tags": ["remove-cell"]},
                      outputs=[new_output("stream", name="stdout", text="REMOVED_CELL_OUTPUT\n")]),
        new_code_cell("key = 1", metadata={"tags": ["nbval-check-output"]},
                      outputs=[new_output("stream", name="stdout", text="NBVAL_TEST_PRINTOUT\n")]),
        new_code_cell("", metadata={"tags": ["papermill-error-cell-tag"]},
                      outputs=[new_output("stream", name="stdout", text="PAPERMILL_ERROR_MARKER\n")]),
        new_code_cell("kept = 1", outputs=[new_output("stream", name="stdout", text="KEPT_OUTPUT\n"),
                                           new_output("stream", name="stderr", text="LIBRARY_WARNING\n")]),
    ])
    # Widget state makes the lab template load a widget manager from a CDN unless the template stops it.
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {}, "version_major": 2, "version_minor": 0}}
    nb_path = tmp_path / "baseline.ipynb"
    nbformat.write(nb, nb_path)
    html_path = report.export_html(nb_path, tmp_path / "out" / "baseline.html")
    assert html_path == tmp_path / "out" / "baseline.html"
    return html_path.read_text(encoding="utf-8")


def test_html_hides_code_and_removed_cells(exported_html):
    assert "secret_code_marker" not in exported_html
    assert "no_alt" not in exported_html
    assert "REMOVED_CELL_OUTPUT" not in exported_html
    assert "PAPERMILL_ERROR_MARKER" not in exported_html
    assert "NBVAL_TEST_PRINTOUT" not in exported_html  # the test suite's key-results cells never reach a reader
    assert "KEPT_OUTPUT" in exported_html  # outputs of ordinary cells stay
    assert "LIBRARY_WARNING" not in exported_html  # stderr (warnings) is for the analyst, not the reader
    assert "The rate was 4.3%" in exported_html


def test_html_alt_text_from_output_metadata(exported_html):
    soup = BeautifulSoup(exported_html, "html.parser")
    alts = [img.get("alt") for img in soup.find_all("img")]
    assert alts[0] == 'Sickness absence fell from 5.1% to 4.3% "overall"'
    assert alts[1] and "no description" in alts[1].lower()  # generic text only when none was given
    assert all(img["src"].startswith("data:image/png;base64,") for img in soup.find_all("img"))


def test_html_makes_no_outside_requests(exported_html):
    soup = BeautifulSoup(exported_html, "html.parser")
    for tag in soup.find_all(["script", "link", "img", "iframe"]):
        for attr in ("src", "href"):
            value = tag.get(attr) or ""
            assert not value.startswith(("http://", "https://", "//")), f"outside request: {tag}"
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", exported_html.split("<body", 1)[0])
    assert soup.find_all("script", src=True) == []  # the template drops require.js, MathJax, widget loaders
    for script in soup.find_all("script"):  # loaders that build a CDN URL in JavaScript count too
        assert not re.search(r"https?:|//unpkg|cdn", script.get_text()), script.get_text()[:200]
    for style in soup.find_all("style"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", style.get_text())
    assert "cdnjs" not in exported_html and "mathjax" not in exported_html.lower()
    assert "require.js" not in exported_html and "require.min.js" not in exported_html
    assert "@import" not in exported_html


def test_html_nhs_styling_and_title(exported_html):
    soup = BeautifulSoup(exported_html, "html.parser")
    assert soup.title.string == "Staff wellbeing baseline"
    header = soup.find("header")
    assert header is not None and "Staff wellbeing baseline" in header.get_text()
    assert "#005EB8" in exported_html
    assert "#231F20" in exported_html
    assert "Arial" in exported_html
    assert "break-inside: avoid" in exported_html
    assert re.search(r"@page\s*{[^}]*A4", exported_html)


def test_html_title_from_metadata(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("## Second-level heading")], metadata={"title": "Annual impact"})
    nbformat.write(nb, tmp_path / "a.ipynb")
    html = report.export_html(tmp_path / "a.ipynb", tmp_path / "a.html").read_text(encoding="utf-8")
    assert BeautifulSoup(html, "html.parser").title.string == "Annual impact"


def test_report_title_falls_back_to_first_heading():
    nb = new_notebook(cells=[new_markdown_cell("Intro text"), new_markdown_cell("## PDSA review: [cycle 2](x.md)")])
    assert report.report_title(nb) == "PDSA review: cycle 2"
    assert report.report_title(new_notebook()) is None


# --- display_table --------------------------------------------------------------------------------------------

@pytest.fixture
def table():
    return pd.DataFrame({
        "month": pd.to_datetime(["2023-04-01", "2023-05-01", "2023-06-01"]),
        "team": ["North", "South", "East"],
        "value": [0.1234, None, None],
        "n_people": [1234, None, 15],
        "year": [2023, 2023, 2023],
        "suppressed": [False, True, False],
    })


def test_display_table_formats_and_suppression(table):
    t = report.display_table(table, percent_columns=["value"], date_columns=["month"], count_columns=["n_people"],
                             caption="Sickness by team", footnote="[c] = suppressed.")
    # No suppressed column; a code left without a label is written in words (ttwell.presentation.labels), never shown raw.
    assert t.header == ("month", "team", "value", "People", "year")
    assert t.rows[0] == ("01/04/2023", "North", "12.3%", "1,234", "2023")
    assert t.rows[1][2] == "[c]" and t.rows[1][3] == "[c]"  # suppressed row: empty numbers are [c]
    assert t.rows[2][2] == "\u2013"  # not suppressed: missing shows as a dash
    assert t.rows[2][3] == "15"

    soup = BeautifulSoup(t._repr_html_(), "html.parser")
    assert soup.find("caption").get_text() == "Sickness by team"
    assert [th["scope"] for th in soup.find("thead").find_all("th")] == ["col"] * 5
    assert soup.find("tbody").find("th") is None  # a plain 0..n-1 index is not shown
    cells = [td.get_text() for td in soup.find("tbody").find_all("td")]
    assert cells.count("[c]") == 2 and cells.count("\u2013") == 1
    assert "12.3%" in cells
    assert soup.find("p", class_="ttwell-footnote").get_text() == "[c] = suppressed."

    text = repr(t)
    assert text.splitlines()[0] == "Sickness by team"
    assert "12.3%" in text and "[c]" in text and text.endswith("[c] = suppressed.")
    assert repr(report.display_table(table, percent_columns=["value"])) == repr(
        report.display_table(table.copy(), percent_columns=["value"]))


def test_display_table_decimals_labels_and_index():
    df = pd.DataFrame({"value": [0.5, 0.12345]}, index=pd.Index(["A", "B"], name="team"))
    t = report.display_table(df, percent_columns=["value"], decimals=2, column_labels={"value": "Rate"})
    assert t.header == ("team", "Rate")
    assert t.rows == (("A", "50.00%"), ("B", "12.35%"))
    soup = BeautifulSoup(t._repr_html_(), "html.parser")
    assert [th["scope"] for th in soup.find("tbody").find_all("th")] == ["row", "row"]


def test_display_table_without_flag_shows_dash_not_c():
    t = report.display_table(pd.DataFrame({"value": [None, 0.2]}), percent_columns=["value"])
    assert t.rows == (("\u2013",), ("20.0%",))


def test_display_table_refuses_identifiers():
    with pytest.raises(DisclosureError, match="respondent_pid"):
        report.display_table(pd.DataFrame({"respondent_pid": ["x"], "score": [1.0]}))


def test_display_table_escapes_html():
    t = report.display_table(pd.DataFrame({"team": ["<b>A&B</b>"]}), caption="<script>")
    html = t._repr_html_()
    assert "<b>A&B</b>" not in html and "&lt;b&gt;A&amp;B&lt;/b&gt;" in html
    assert "<script>" not in html


def test_suppressed_flags_reads_text_and_bools():
    assert report.suppressed_flags(pd.Series(["True", "false", "1", None])).tolist() == [True, False, True, False]
    assert report.suppressed_flags(pd.Series([True, False])).tolist() == [True, False]


def test_unit_column_overrides_percent_format_per_row(tmp_path):
    # A tidy table of rates and counts in one 'value' column: counts must not be shown as 17675.0%.
    import json

    import openpyxl

    folder = tmp_path / "results"
    (folder / "tables").mkdir(parents=True)
    pd.DataFrame({"indicator": ["headcount", "rate"], "unit": ["count", "proportion"], "value": [176.75, 0.053],
                  "suppressed": [False, False]}).to_csv(folder / "tables" / "mixed.csv", index=False)
    (folder / "results.json").write_text(json.dumps({
        "notebook": "t", "title": "T", "parameters": {}, "figures": {}, "notes": [],
        "tables": {"mixed": {"file": "tables/mixed.csv", "title": "Mixed", "footnote": None,
                             "percent_columns": ["value"]}}}), encoding="utf-8")
    report.write_excel(folder, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["Mixed"]
    header = [c.value for c in sheet[3]]
    column = header.index("Value") + 1
    assert sheet.cell(4, column).number_format == "#,##0.0"
    assert sheet.cell(5, column).number_format == "0.0%"


def test_display_table_shows_words_not_codes_and_points_for_differences():
    table = pd.DataFrame({"level": ["role_family", "team"], "reason_code": ["caseload_workload", "T01"],
                          "variation": ["improvement_low", "common_cause"], "change": [-0.016, 0.004]})
    t = report.display_table(table, point_columns=["change"], value_labels={"T01": "North PWP team"})
    assert t.header == ("level", "Reason", "variation", "change")
    assert t.rows[0] == ("Role family", "Caseload workload", "\u25bc Special cause improvement (low)", "-1.6 pp")
    assert t.rows[1] == ("Team", "North PWP team", "\u25cf Common cause variation", "+0.4 pp")


def test_every_report_says_when_it_was_produced_and_from_what(tmp_path):
    (tmp_path / "results.json").write_text('{"parameters": {"service_name": "North Service"}}', encoding="utf-8")
    line = report.produced_line(tmp_path, today=dt.date(2026, 12, 1))
    assert line == f"Produced on 01/12/2026 by ttwell {ttwell.__version__} from data of North Service."
    (tmp_path / "results.json").write_text('{"data_notice": "Synthetic demonstration data: not a real service"}',
                                           encoding="utf-8")
    assert report.produced_line(tmp_path).endswith("from Synthetic demonstration data: not a real service.")


def test_html_header_carries_the_production_line(exported_html):
    assert re.search(r"Produced on \d{2}/\d{2}/\d{4} by ttwell ", exported_html)
