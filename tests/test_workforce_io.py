"""Loading the workforce inputs (ttwell/inputs/workforce_io.py): problems across files reported together, and
the checks of one file against another."""

from __future__ import annotations

import pytest

from helpers import episode, leaver, one_problem, snap, write_inputs
from ttwell.errors import InputError
from ttwell.inputs import workforce_io


def test_leaver_before_start_and_still_in_post_after_leaving(tmp_path):
    paths = write_inputs(tmp_path, snapshot=[snap("29/02/2024", "p1"), snap("31/03/2024", "p1")],
                         leavers=[leaver("p1", "15/02/2024"), leaver("p2", "10/01/2024", start="01/02/2024")])
    with pytest.raises(InputError) as info:
        workforce_io.load_workforce(paths)
    problems = info.value.problems
    still = one_problem(problems, problem="leaver still in post after leaving")
    assert (still.file, still.row, still.column) == ("leavers.csv", 2, "leaving_date")
    assert "row 3" in still.expected and "31/03/2024" in still.expected
    before = one_problem(problems, problem="leaving_date before service_start_date")
    assert before.row == 3
    # The message a user sees names file, row and column.
    assert "leavers.csv, row 2, column 'leaving_date'" in str(info.value)


def test_unknown_team_is_a_cross_file_error(tmp_path):
    paths = write_inputs(tmp_path, snapshot=[snap("31/03/2024", "p1", team="T99")])
    with pytest.raises(InputError) as info:
        workforce_io.load_workforce(paths)
    p = one_problem(info.value.problems, problem="unknown team")
    assert (p.file, p.row, p.value) == ("staff_monthly_snapshot.csv", 2, "T99")



def test_load_workforce_reports_problems_from_several_files_together(tmp_path):
    paths = write_inputs(tmp_path, snapshot=[snap("31/03/2024", "p1", fte=2)],
                         absence=[episode("e1", "p1", "10/03/2024", "05/03/2024")])
    with pytest.raises(InputError) as info:
        workforce_io.load_workforce(paths)
    files = {p.file for p in info.value.problems if p.severity == "error"}
    assert files == {"staff_monthly_snapshot.csv", "absence_episodes.csv"}


def test_a_missing_month_end_snapshot_is_an_error(tmp_path):
    # A month with no snapshot would otherwise read as a month with nobody in post.
    paths = write_inputs(tmp_path, snapshot=[snap("31/01/2024", "p1"), snap("31/03/2024", "p1")])
    with pytest.raises(InputError) as info:
        workforce_io.load_workforce(paths)
    p = one_problem(info.value.problems, column="snapshot_date")
    assert p.problem == "no snapshot for the month-end 29/02/2024"
    assert "31/01/2024 to 31/03/2024" in p.expected
