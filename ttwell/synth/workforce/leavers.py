"""The ``leavers`` table: one row per ended spell, with reason, destination and the trainee flag."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.inputs.templates import LEAVING_DESTINATIONS, ROLE_GROUPS
from ttwell.synth.workforce.assumptions import FULL_TIME_HOURS, NEVER, TRAINING_COMPLETION
from ttwell.synth.workforce.columns import _dates, _flags, _names
from ttwell.synth.workforce.spells import REASON_INDEX, REASON_NAMES, Spells, TRAINEE_ROLES
from ttwell.synth.workforce.teams import TeamDesign


def leavers_frame(sp: Spells, teams: TeamDesign, ids: np.ndarray, person_rank: np.ndarray) -> pd.DataFrame:
    rows = np.nonzero(sp.leave < NEVER)[0]
    rows = rows[np.lexsort((person_rank[sp.person[rows]], sp.leave[rows]))]
    at_leaving = sp.at(sp.leave[rows], rows)
    # Only people who left as trainees carry the flag: completed if they left on completing the course.
    left_as_trainee = np.isin(at_leaving["role"], TRAINEE_ROLES)
    completed = sp.reason[rows] == REASON_INDEX[TRAINING_COMPLETION]
    return pd.DataFrame({
        "staff_pid": ids[sp.person[rows]],
        "leaving_date": _dates(sp.leave[rows]),
        "leaving_reason_esr": _names(REASON_NAMES, sp.reason[rows]),
        "leaving_destination": _names(LEAVING_DESTINATIONS, sp.destination[rows]),
        "fte_at_leaving": np.round(at_leaving["hours"] / FULL_TIME_HOURS, 2),
        "role_group": _names(ROLE_GROUPS, at_leaving["role"]),
        "team_code": np.array(teams.codes, dtype=object)[sp.team[rows]],
        "service_start_date": _dates(sp.start[rows]),
        "training_completed": _flags(np.where(left_as_trainee, completed, -1)),
    })
