"""Reading and checking one file (ttwell/inputs/reading.py): each bad cell names the file, row and column, what
was found and what was expected."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers import TEAMS, episode, leaver, one_problem, only, snap, write_inputs
from ttwell.inputs import reading
from ttwell.inputs.templates import TEMPLATES

SNAP_HEADER = "snapshot_date,staff_pid,team_code,role_group,afc_band,contract_type,assignment_status,fte,service_start_date\n"


def test_uk_dates_are_read_day_first_never_month_first(tmp_path):
    # 01/02/2024 is 1 February (UK), not 2 January; ISO dates are read as they are.
    path = tmp_path / "teams.csv"
    path.write_text("team_code,team_name,active_from\nT01,A,01/02/2024\nT02,B,2024-02-03\n", encoding="utf-8")
    table, problems = reading.read_table(path, "teams")
    assert not only(problems)
    assert table["active_from"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-03")]


def test_american_date_is_an_error_not_a_silent_swap(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("team_code,team_name,active_from\nT01,A,02/13/2024\n", encoding="utf-8")
    _, problems = reading.read_table(path, "teams")
    p = one_problem(problems, column="active_from")
    assert (p.file, p.row, p.value) == ("teams.csv", 2, "02/13/2024")
    assert "dd/mm/yyyy" in p.expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_utf8_bom_and_windows_1252(tmp_path, encoding):
    path = tmp_path / "teams.csv"
    path.write_bytes("Team Code,Team Name\nT01,Café £ team\n".encode(encoding))
    table, problems = reading.read_table(path, "teams")
    assert not only(problems)
    assert table.loc[0, "team_name"] == "Café £ team"
    assert table.loc[0, "team_code"] == "T01"  # the BOM is not glued to the first header
    if encoding == "cp1252":
        assert any("Windows-1252" in p.problem for p in problems)


def test_messy_headers_are_normalised(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text(" Team-Code , TEAM NAME \nT01,A\n", encoding="utf-8")
    table, problems = reading.read_table(path, "teams")
    assert not only(problems) and table.loc[0, "team_name"] == "A"


def test_xlsx_with_real_date_cells(tmp_path):
    path = tmp_path / "teams.xlsx"
    pd.DataFrame({"team_code": ["T01"], "team_name": ["A"], "active_from": [pd.Timestamp("2024-02-01")]}).to_excel(path, index=False)
    table, problems = reading.read_table(path, "teams")
    assert not only(problems)
    assert table.loc[0, "active_from"] == pd.Timestamp("2024-02-01")


def test_every_problem_is_reported_at_once_with_row_and_column(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(SNAP_HEADER
                    + "31/03/2024,p1,T01,pwp,band_5,permanent,active,1.0,01/01/2020\n"
                    + "31/03/2024,p2,T01,pwpp,band_5,permanent,active,1.7,01/01/2020\n"
                    + "30/03/2024,p3,T01,pwp,band_5,contractor,active,abc,01/01/2020\n"
                    + "31/03/2024,p1,T01,pwp,band_5,permanent,active,1.0,01/04/2024\n", encoding="utf-8")
    _, problems = reading.read_table(path, "staff_snapshot")
    errors = only(problems)
    assert one_problem(errors, row=3, column="role_group").value == "pwpp"
    assert "did you mean 'pwp'" in one_problem(errors, row=3, column="role_group").expected
    assert one_problem(errors, row=3, column="fte").problem == "out of range"
    assert one_problem(errors, row=4, column="contract_type").problem == "unknown value"
    assert one_problem(errors, row=4, column="fte").problem == "wrong type"
    month_end = [p for p in errors if p.row == 4 and p.column == "snapshot_date"]
    assert month_end and "30/03/2024" == month_end[0].value and "31/03/2024" in month_end[0].expected
    duplicate = one_problem(errors, row=5, problem="duplicate key")
    assert "row 2" in duplicate.expected
    order = one_problem(errors, row=5, column="snapshot_date", problem="snapshot_date before service_start_date")
    assert order.value == "31/03/2024"
    # file names appear in every message
    assert all(p.file == "staff.csv" for p in problems)


def test_missing_and_unknown_columns(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("team_code,team_nam,colour\nT01,A,red\n", encoding="utf-8")
    _, problems = reading.read_table(path, "teams")
    missing = one_problem(problems, column="team_name")
    assert missing.problem == "missing required column" and missing.row == 1
    assert "team_nam" in missing.expected  # a hint at the likely misspelling
    assert one_problem(problems, column="colour").severity == "warning"


def test_empty_file_and_header_only(tmp_path):
    empty = tmp_path / "teams.csv"
    empty.write_text("", encoding="utf-8")
    _, problems = reading.read_table(empty, "teams")
    assert one_problem(problems, problem="empty file").severity == "error"
    header_only = tmp_path / "leavers.csv"
    header_only.write_text(",".join(TEMPLATES["leavers"].column_names()) + "\n", encoding="utf-8")
    _, problems = reading.read_table(header_only, "leavers")
    assert not only(problems)  # no leavers is a genuine answer...
    assert problems and problems[0].severity == "warning"  # ...but worth a word


def test_absence_end_before_start(tmp_path):
    paths = write_inputs(tmp_path, snapshot=[snap("31/03/2024", "p1")],
                         absence=[episode("e1", "p1", "10/03/2024", "05/03/2024")])
    _, problems = reading.read_table(paths["absence"], "absence")
    p = one_problem(problems, column="absence_end_date")
    assert (p.row, p.value) == (2, "05/03/2024") and "10/03/2024" in p.expected



def test_esr_reason_with_en_dash_is_accepted(tmp_path):
    paths = write_inputs(tmp_path, snapshot=[snap("31/03/2024", "p1")],
                         leavers=[leaver("p2", "10/01/2024", reason="Voluntary Resignation \u2013 Health")])
    table, problems = reading.read_table(paths["leavers"], "leavers")
    assert not only(problems)
    assert table.loc[0, "leaving_reason_esr"] == "Voluntary Resignation - Health"


def test_teams_file_duplicates(tmp_path):
    paths = write_inputs(tmp_path, snapshot=[snap("31/03/2024", "p1")], teams=TEAMS + [TEAMS[0]])
    _, problems = reading.read_table(paths["teams"], "teams")
    assert one_problem(problems, problem="duplicate key").row == 4



def test_within_a_run_each_input_file_is_read_and_checked_once(tmp_path, monkeypatch):
    # Issue 10 item 6: the runner checks the inputs before the kernel starts; the notebook then gets the checked
    # tables from the run's private cache instead of reading and checking the file again.
    from ttwell.running.runner import input_cache

    from ttwell.inputs.params import REPO_ROOT

    source = REPO_ROOT / "data" / "synthetic" / "teams.csv"
    reads = []
    real = reading.read_raw
    monkeypatch.setattr(reading, "read_raw", lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    monkeypatch.delenv(reading.RUN_CACHE_VARIABLE, raising=False)
    with input_cache():
        folder = Path(__import__("os").environ[reading.RUN_CACHE_VARIABLE])
        first, _ = reading.read_table(source, "teams")
        second, _ = reading.read_table(source, "teams")
    assert len(reads) == 1
    pd.testing.assert_frame_equal(first, second)
    assert not folder.exists()  # staff-level data never outlive the run
    # Outside a run nothing is cached: every call reads the file.
    reading.read_table(source, "teams")
    reading.read_table(source, "teams")
    assert len(reads) == 3
