"""Reading the PDSA log: the template checks plus its own row rules (a decision once completed; no staff names
in free text)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ttwell.errors import Problem
from ttwell.inputs.reading import MAX_LISTED_PER_COLUMN, read_table

# Two capitalised words in a row ("Jane Smith") in free text look like a person's name (domain spec 6.9).
_NAME_LIKE = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
_NOT_NAMES = {*"Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
              *"January February March April May June July August September October November December".split(),
              *"Talking Therapies Team Service Staff Survey Trust".split()}
PDSA_FREE_TEXT = ("aim_statement", "change_idea", "objective", "questions", "prediction", "plan_who", "plan_what",
                  "plan_where", "plan_when", "data_plan", "do_observations", "study_summary", "next_steps",
                  "owner_role")


def pdsa_log_problems(log: pd.DataFrame, label: str) -> list[Problem]:
    """Row rules of the PDSA log beyond the template: a decision once completed; no staff names in free text."""
    problems = []
    missing = (log["status"] == "completed") & log["act_decision"].isna()
    for i in missing[missing].index[:MAX_LISTED_PER_COLUMN]:
        problems.append(Problem(label, int(i) + 2, "act_decision", "", "adopt, adapt or abandon for a completed cycle",
                                problem="decision missing"))
    for column in PDSA_FREE_TEXT:
        if column not in log.columns:
            continue
        for i, text in log[column].dropna().items():
            found = next((m for m in _NAME_LIKE.finditer(str(text))
                          if not set(m.group(0).split()) & _NOT_NAMES), None)
            if found:
                problems.append(Problem(label, int(i) + 2, column, found.group(0),
                                        "roles, not names (check this is not a person's name)", "warning",
                                        "possible staff name in free text"))
    return problems


def read_pdsa_log(path: str | Path, column_map: str | Path | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and check a PDSA log (template ``pdsa_log``, optionally through a column map); never raises for bad
    data."""
    table, problems = read_table(path, "pdsa_log", column_map)
    if not any(p.severity == "error" for p in problems):
        problems += pdsa_log_problems(table, Path(path).name)
    return table, problems
