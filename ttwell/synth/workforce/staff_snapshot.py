"""The monthly staff snapshot: who is on the books at each month-end, as person-month rows (used by
the later tables too) and as the ``staff_snapshot`` table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ttwell.inputs.templates import AFC_BANDS, CONTRACT_TYPES, ROLE_GROUPS
from ttwell.synth.workforce.assumptions import FULL_TIME_HOURS, NEVER
from ttwell.synth.workforce.columns import _dates, _names
from ttwell.synth.workforce.months import Calendar
from ttwell.synth.workforce.spells import FIXED_TERM, IN_POST_CONTRACTS, Spells
from ttwell.synth.workforce.teams import TeamDesign


@dataclass(frozen=True)
class SnapshotRows:
    """The person-month rows of the staff snapshot as arrays (used by the later tables too)."""

    spell: np.ndarray
    month: np.ndarray
    team: np.ndarray
    role: np.ndarray
    contract: np.ndarray
    hours: np.ndarray
    on_leave: np.ndarray
    in_post: np.ndarray  # substantive contract and in scope (staff in post, domain spec 1.1)


def snapshot_rows(sp: Spells, cal: Calendar, person_rank: np.ndarray) -> SnapshotRows:
    """Who is on the books at each month-end: started on or before it, leaving date on or after it."""
    present = (sp.start[:, None] <= cal.last[None, :]) & (sp.leave[:, None] >= cal.last[None, :])
    spell, month = np.nonzero(present)
    order = np.lexsort((person_rank[sp.person[spell]], sp.team[spell], month))
    spell, month = spell[order], month[order]
    day = cal.last[month]
    now = sp.at(day, spell)
    on_leave = (sp.mat_start[spell] <= day) & (sp.mat_end[spell] >= day)
    in_post = np.isin(now["contract"], IN_POST_CONTRACTS)  # in_scope is never false in these data
    return SnapshotRows(spell, month, sp.team[spell], now["role"], now["contract"], now["hours"], on_leave, in_post)


def staff_snapshot_frame(sp: Spells, rows: SnapshotRows, cal: Calendar, teams: TeamDesign,
                         ids: np.ndarray) -> pd.DataFrame:
    s = rows.spell
    day = cal.last[rows.month]
    now = sp.at(day, s)
    return pd.DataFrame({
        "snapshot_date": _dates(day),
        "staff_pid": ids[sp.person[s]],
        "team_code": np.array(teams.codes, dtype=object)[rows.team],
        "role_group": _names(ROLE_GROUPS, rows.role),
        "afc_band": _names(AFC_BANDS, now["band"]),
        "contract_type": _names(CONTRACT_TYPES, rows.contract),
        "assignment_status": np.where(rows.on_leave, "maternity_adoption_leave", "active").astype(object),
        "fte": np.round(rows.hours / FULL_TIME_HOURS, 2),
        "contracted_hours_per_week": rows.hours,
        "service_start_date": _dates(sp.start[s]),
        "nhs_start_date": _dates(sp.nhs_start[s]),
        "fixed_term_end_date": _dates(np.where(rows.contract == FIXED_TERM, now["ft_end"], NEVER)),
        "in_scope": pd.array(np.where(sp.in_scope_blank[s], None, True), dtype="boolean"),
    })
