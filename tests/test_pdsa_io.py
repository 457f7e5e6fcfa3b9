"""Reading the PDSA log (ttwell/inputs/pdsa_io.py): the template checks plus the log's own row rules."""

from __future__ import annotations

import pandas as pd

from helpers import one_problem
from ttwell.inputs import pdsa_io


def _pdsa_row(**overrides) -> dict:
    row = {"project_id": "P01", "aim_statement": "Reduce absence to 4% by March 2025", "strategy_aim": "team_working_effectively",
           "measures": "sickness_absence_rate_month", "change_idea_id": "C01", "change_idea": "Weekly huddle",
           "cycle_id": "C01-1", "cycle_number": 1, "objective": "Test a weekly huddle", "prediction": "Absence falls",
           "planned_start_date": "01/05/2024", "planned_end_date": "31/07/2024", "status": "completed",
           "act_decision": "adopt"}
    row.update(overrides)
    return row


def test_pdsa_log_rules(tmp_path):
    rows = [_pdsa_row(), _pdsa_row(cycle_id="C01-2", cycle_number=2, act_decision=""),
            _pdsa_row(cycle_id="C01-3", cycle_number=3, do_observations="Jane Smith ran the huddle",
                      actual_start_date="10/06/2024", actual_end_date="01/06/2024", status="in_progress", act_decision="")]
    path = tmp_path / "pdsa_log.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    table, problems = pdsa_io.read_pdsa_log(path)
    # Row 4 ends before it starts: an error from the template's date order.
    assert one_problem(problems, row=4, column="actual_end_date").severity == "error"
    rows[2]["actual_end_date"] = "30/06/2024"
    pd.DataFrame(rows).to_csv(path, index=False)
    table, problems = pdsa_io.read_pdsa_log(path)
    # Row 3 is completed without a decision; row 4's free text looks like a name (a warning, not an error).
    assert one_problem(problems, row=3, column="act_decision").problem == "decision missing"
    name = one_problem(problems, row=4, column="do_observations")
    assert (name.severity, name.value) == ("warning", "Jane Smith")
