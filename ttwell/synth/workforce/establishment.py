"""The ``establishment`` table: funded FTE per month, team and role, with vacancies."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.inputs.templates import ROLE_GROUPS
from ttwell.synth.workforce.assumptions import ESTABLISHMENT_ABOVE_FUNDED_POSTS, FULL_TIME_HOURS
from ttwell.synth.workforce.columns import _dates, _names
from ttwell.synth.workforce.months import Calendar
from ttwell.synth.workforce.spells import Spells
from ttwell.synth.workforce.staff_snapshot import SnapshotRows
from ttwell.synth.workforce.teams import TeamDesign


def establishment_frame(rng: np.random.Generator, sp: Spells, rows: SnapshotRows, cal: Calendar,
                        teams: TeamDesign, target_fte: np.ndarray) -> pd.DataFrame:
    """Funded FTE per month, team and role: set each financial year a little above staff in post.

    Establishment is fixed within a financial year (budgets are set in April) at the larger of 3% above the
    funded posts' FTE and the most FTE in post that year, so derived vacancies are never negative.
    Vacancy FTE is left blank in the first financial year (not yet recorded) and in a few later rows.
    """
    n_teams, n_roles = teams.target.shape
    sip_fte = np.zeros((cal.months, n_teams, n_roles))
    fte = np.round(rows.hours / FULL_TIME_HOURS, 2)
    np.add.at(sip_fte, (rows.month[rows.in_post], rows.team[rows.in_post], rows.role[rows.in_post]),
              fte[rows.in_post])
    year = cal.financial_year
    establishment = np.zeros_like(sip_fte)
    for fy in np.unique(year):
        in_year = year == fy
        level = np.maximum(target_fte * ESTABLISHMENT_ABOVE_FUNDED_POSTS, sip_fte[in_year].max(axis=0))
        establishment[in_year] = np.ceil(np.round(level * 10, 6)) / 10
    cells = (teams.target > 0) | (sip_fte.sum(axis=0) > 0)
    team_of, role_of = np.nonzero(cells)
    month = np.repeat(np.arange(cal.months), len(team_of))
    team = np.tile(team_of, cal.months)
    role = np.tile(role_of, cal.months)
    order = np.lexsort((role, team, month))
    month, team, role = month[order], team[order], role[order]
    n = len(month)
    est = np.round(establishment[month, team, role], 2)
    vacancy = np.round(np.clip(est - sip_fte[month, team, role], 0, None), 2)
    recorded = (month >= 12) & (rng.random(n) >= 0.1)
    advertised = np.where(vacancy >= 0.5, rng.binomial(np.ceil(vacancy).astype(np.int64), 0.7), 0)
    covered = (vacancy > 0.3) & (rng.random(n) < 0.4)
    bank_fte = np.where(covered, np.round(rng.uniform(0.1, 1.0, n) * np.minimum(vacancy, 1.5), 2), 0.0)
    return pd.DataFrame({
        "month": pd.PeriodIndex(_dates(cal.first[month]), freq="M"),
        "team_code": np.array(teams.codes, dtype=object)[team],
        "role_group": _names(ROLE_GROUPS, role),
        "establishment_fte": est,
        "vacancy_fte": np.where(recorded, vacancy, np.nan),
        "vacancies_advertised": pd.array(advertised, dtype="Int64"),
        "bank_agency_fte_used": bank_fte,
    })
