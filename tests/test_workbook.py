"""The workbooks of a real run, read as GSS guidance and issue 12 ask; and the checker shown to catch each fault.

One full run of every notebook on the shipped synthetic data (about a minute) feeds every test of the real
workbooks. The planted workbooks each carry exactly one fault, so a checker that stopped looking would fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table
from workbook_check import decimals, workbook_faults

from ttwell.presentation import labels, report, units, workbook
from ttwell.presentation.labels import heading
from ttwell.running.runner import run_all


@pytest.fixture(scope="module")
def run_folders(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    return run_all(None, out_dir=out, progress=lambda *_: None, html=False)  # the workbooks are what is read


@pytest.fixture(scope="module")
def books(run_folders):
    found = {folder.name: next(folder.glob("*.xlsx")) for folder in run_folders}
    assert set(found) == {"baseline", "pdsa_review", "prepost_training", "annual_impact"}
    return found


# --- the real workbooks -----------------------------------------------------------------------------------------

def test_every_workbook_of_a_run_passes_the_checks(books):
    faults = {name: workbook_faults(path) for name, path in books.items()}
    assert faults == {name: [] for name in books}


def test_every_number_has_a_format_for_its_unit(books):
    # Stronger than the checker: no number at all is left in General format, whatever its decimals.
    for name, path in books.items():
        book = openpyxl.load_workbook(path)
        general = [f"{ws.title}!{c.coordinate}" for ws in book.worksheets[1:] for row in ws.iter_rows(min_row=4)
                   for c in row if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
                   and c.number_format == "General"]
        assert general == [], f"{name}: {general[:5]}"


def test_survey_scores_keep_full_precision_but_show_two_decimals_or_one(books):
    ws = openpyxl.load_workbook(books["baseline"])["Survey scores"]
    header = [c.value for c in ws[3]]
    mean, scale_max = header.index(heading("mean")) + 1, header.index(heading("scale_max")) + 1
    seen = set()
    for r in range(4, ws.max_row + 1):
        value, top = ws.cell(r, mean).value, ws.cell(r, scale_max).value
        if not isinstance(value, float):
            continue
        seen.add(ws.cell(r, mean).number_format)
        # A 0-100 score (CBI, JOY) to one decimal; a 1-7 or 1-5 mean to two. Never a percent format.
        assert ws.cell(r, mean).number_format == ("0.0" if top >= 20 else "0.00"), (r, value, top)
    assert seen == {"0.0", "0.00"}
    assert any(decimals(ws.cell(r, mean).value) > 4 for r in range(4, ws.max_row + 1)
               if isinstance(ws.cell(r, mean).value, float))  # stored unrounded: only the display rounds


def test_prepost_confidence_is_a_score_not_a_percent(books):
    book = openpyxl.load_workbook(books["prepost_training"])
    figures = {row[0].value: row[1] for row in book["Key figures"].iter_rows(min_row=4)}
    before = figures["Mean confidence before training (0 to 100)"]
    assert 0 < before.value <= 100 and before.number_format == "0.0"  # 47.7, not 4769.0%
    assert figures["Mean change in confidence"].number_format == "+0.0;-0.0;0.0"  # percentage points, signed
    ws = book["Change in confidence by area"]
    header = [c.value for c in ws[3]]
    formats = {h: ws.cell(4, j).number_format for j, h in enumerate(header, start=1)}
    assert formats[heading("mean_pre")] == "0.0" and formats[heading("share_above_pre")] == "0.0%"
    assert formats[heading("p")] == '[<0.001]"<0.001";0.000' and formats[heading("n_matched")] == "#,##0"


def test_tidy_tables_format_each_row_by_its_unit(books):
    ws = openpyxl.load_workbook(books["annual_impact"])["SPC summary"]
    header = [c.value for c in ws[3]]
    unit, mean = header.index(heading("unit")) + 1, header.index(heading("baseline_mean")) + 1
    for r in range(4, ws.max_row + 1):
        fmt = ws.cell(r, mean).number_format
        if ws.cell(r, unit).value == labels.unit("proportion"):
            assert fmt == "0.0%"
        else:  # a count: whole, or a mean of month-end headcounts to one decimal
            assert fmt in ("#,##0", "#,##0.0")
            assert fmt == "#,##0" or ws.cell(r, mean).value != round(ws.cell(r, mean).value)


def test_cover_says_when_by_what_from_which_data_and_the_rule(books):
    for name, path in books.items():
        book = openpyxl.load_workbook(path)
        cover = book["Cover"]
        results = json.loads((path.parent / "results.json").read_text(encoding="utf-8"))
        assert cover["A1"].value == results["title"]
        assert cover["A2"].value == "Synthetic demonstration data: not a real service"
        assert cover["A3"].value == f"Produced on {dt.date.today():%d/%m/%Y} by ttwell {results['ttwell_version']}"
        assert cover["A4"].value == "Contact: add your team's contact here"
        text = {c.value: cover.cell(c.row, 2).value for c in cover["A"] if c.value}
        assert text["Source"].startswith("Synthetic demonstration data")
        assert f"disclosure threshold of {results['parameters']['disclosure_threshold']}" in text["Disclosure rule"]
        assert cover.page_setup.fitToHeight == 1 and cover.page_setup.fitToWidth == 1
        # Every table of results.json that goes to Excel has a sheet titled with its title.
        titles = {book[s]["A1"].value for s in book.sheetnames[1:]}
        wanted = {spec["title"] for spec in results["tables"].values() if spec.get("excel", True)}
        assert wanted <= titles, wanted - titles


def test_data_sheets_print_fitted_to_width_with_the_header_repeated(books):
    for name, path in books.items():
        for ws in openpyxl.load_workbook(path).worksheets[1:]:
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            # Fitted to one page across, unless that would print below about 40% (dozens of columns).
            width = sum(ws.column_dimensions[get_column_letter(j)].width for j in range(1, ws.max_column + 1))
            pages = ws.page_setup.fitToWidth
            assert pages == 1 or width > workbook.PRINT_WIDTH_PER_PAGE * (pages - 1), ws.title
            assert width / pages <= workbook.PRINT_WIDTH_PER_PAGE, ws.title
            assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$3:$3", ws.title
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
            if ws.max_column > 6:
                assert ws.page_setup.orientation == "landscape", ws.title


def test_role_families_and_teams_by_name(books):
    book = openpyxl.load_workbook(books["baseline"])
    ws = book["Baseline values"]
    header = [c.value for c in ws[3]]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    group, level = header.index(heading("group")), header.index(heading("level"))
    groups = {r[group] for r in rows if r[level] == labels.label("role_family")}
    assert groups and "Low intensity (PWPs)" in groups and not {g for g in groups if "_" in str(g)}
    # The notebook records the team names in results.json, so teams are named, not coded (data/synthetic/teams.csv).
    teams = {r[group] for r in rows if r[level] == labels.label("team")}
    assert "North PWP team" in teams and not {t for t in teams if str(t).startswith("T0")}
    notes = [row[1].value for row in book["Notes"].iter_rows(min_row=4)]
    assert not any(n and n.startswith("Teams are shown by their code") for n in notes)


def test_team_names_replace_codes_when_given(run_folders, tmp_path):
    folder = next(f for f in run_folders if f.name == "baseline")
    path = report.write_excel(folder, tmp_path / "named.xlsx", team_names={"T01": "North PWP team"})
    ws = openpyxl.load_workbook(path)["Baseline values"]
    header = [c.value for c in ws[3]]
    teams = {row[header.index(heading("group"))].value for row in ws.iter_rows(min_row=4)
             if row[header.index(heading("level"))].value == labels.label("team")}
    assert "North PWP team" in teams and "T01" not in teams


# --- the checker catches each fault ------------------------------------------------------------------------------

def _planted(tmp_path, fault: str):
    """A minimal good workbook (cover and one data sheet), then one fault planted in it."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover["A1"], cover["A3"], cover["A4"] = "Title", "Produced on 01/12/2026 by ttwell 0.1.0", "Contact: X"
    ws = book.create_sheet("Scores by team")
    ws["A1"] = "Scores by team"
    ws.append([])
    ws.append(["team", "mean", "share"])
    ws.append(["North", 3.25, 0.5])
    ws["B4"].number_format, ws["C4"].number_format = "0.00", "0.0%"
    table = Table(displayName="Table_scores", ref="A3:C4")
    if fault == "percent_out_of_range":
        ws["B4"].value, ws["B4"].number_format = 47.69, "0.0%"
    elif fault == "general_many_decimals":
        ws["B4"].value, ws["B4"].number_format = 3.2512345678901, "General"
    elif fault == "sheet_name":
        ws.title = "scores_by_team"
    elif fault == "no_title_row":
        ws.delete_rows(1, 2)
        table = Table(displayName="Table_scores", ref="A1:C2")
    elif fault == "cover":
        cover["A3"] = None
    if fault != "no_excel_table":
        ws.add_table(table)
    path = tmp_path / f"{fault}.xlsx"
    book.save(path)
    return path


def test_a_good_planted_workbook_passes(tmp_path):
    assert workbook_faults(_planted(tmp_path, "none")) == []


@pytest.mark.parametrize("fault", ["percent_out_of_range", "general_many_decimals", "sheet_name", "no_title_row",
                                   "no_excel_table", "cover"])
def test_the_checker_catches_each_planted_fault(tmp_path, fault):
    assert [f.check for f in workbook_faults(_planted(tmp_path, fault))] == [fault]


def test_general_with_four_decimals_is_allowed_and_five_is_not():
    assert decimals(0.1234) == 4 and decimals(0.12345) == 5 and decimals(176.0) == 0 and decimals(2.4e-35) == 36


# --- number formats from units -----------------------------------------------------------------------------------

def test_declared_percent_column_holding_scores_is_not_shown_as_percent():
    # A spec that calls 0-100 confidence a proportion must not produce 4769.0%.
    df = pd.DataFrame({"mean_pre": [47.69, 60.0]})
    assert units.number_formats(df, {"percent_columns": ["mean_pre"]})["mean_pre"] == ["0.0", "0.0"]


def test_inferred_formats_by_name_and_size():
    df = pd.DataFrame({"share_improved": [0.92, 0.99], "year": [2024, 2024], "n_people": [175.5, 176.0],
                       "relative_change": [1.625, -0.2], "icc": [0.2892, 0.3], "alpha": [0.84, 0.9],
                       "score": [5.5, 7.5], "wave_id": ["a", "b"]})
    formats = {k: v[0] for k, v in units.number_formats(df, {}).items()}
    assert formats == {"share_improved": "0.0%", "year": "0", "n_people": "#,##0.0", "relative_change": "0.00",
                       "icc": "0.00", "alpha": "0.00", "score": "0.0", "wave_id": None}


def test_sheet_names_are_plain_words_and_unique():
    taken = list(workbook.RESERVED_SHEETS)
    names = []
    for name in ("spc_summary", "spc_summary", "survey_scores", "notes"):
        names.append(workbook.sheet_name(name, taken))
        taken.append(names[-1])
    assert names == ["SPC summary", "SPC summary (2)", "Survey scores", "Notes (2)"]
    assert all(re.fullmatch(r"[^_\[\]:*?/\\]{1,31}", n) for n in names)


def test_a_sentence_repeated_on_every_row_is_a_note_not_a_column(books, run_folders):
    book = openpyxl.load_workbook(books["annual_impact"])
    header = [c.value for c in book["Year comparison"][3]]
    assert heading("caveat") not in header and heading("label") in header
    notes = {(row[0].value, row[1].value) for row in book["Notes"].iter_rows(min_row=4)}
    caveat = pd.read_csv(next(f for f in run_folders if f.name == "annual_impact") / "tables" / "year_comparison.csv",
                         encoding="utf-8-sig")["caveat"].iloc[0]
    assert ("Sheet Year comparison", f"Caveat (the same for every row): {caveat}") in notes


def test_headings_and_code_cells_are_words_from_the_labelling_layer(books):
    book = openpyxl.load_workbook(books["baseline"])
    ws = book["Baseline values"]
    header = [c.value for c in ws[3]]
    assert header[:5] == ["Indicator", "Name", "Level", "Group", "Value"] and "People" in header
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert {r[2] for r in rows} == {"Whole service", "Team", "Role family"}
    assert "Staff in post (headcount)" in {r[0] for r in rows}
    waves = {r[0] for r in book["Survey response rates"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert "2024 baseline" in waves and not {w for w in waves if "_" in str(w)}
    reasons = {r[1] for r in book["Exit and stay survey reasons"].iter_rows(min_row=4, values_only=True)}
    assert "Caseload workload" in reasons
