"""One synthetic service's workforce inputs, every table drawn from one seeded random generator."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.synth.workforce.absence import absence_frame
from ttwell.synth.workforce.assumptions import FULL_TIME_HOURS, SMALL_TEAM_ROLES, STRATEGY_START
from ttwell.synth.workforce.establishment import establishment_frame
from ttwell.synth.workforce.leavers import leavers_frame
from ttwell.synth.workforce.months import Calendar
from ttwell.synth.workforce.reasons import reasons_frame
from ttwell.synth.workforce.spells import draw_person_ids
from ttwell.synth.workforce.staff_snapshot import snapshot_rows, staff_snapshot_frame
from ttwell.synth.workforce.teams import design_teams, teams_frame
from ttwell.synth.workforce.turnover import simulate_spells


def generate_workforce(seed: int = 2024, n_staff: int = 180, n_teams: int = 6, start: str = "2022-04",
                       months: int = 36, strategy_start: str = STRATEGY_START) -> dict[str, pd.DataFrame]:
    """Generate the workforce inputs of one synthetic NHS Talking Therapies service.

    Parameters
    ----------
    seed
        Seed of the one ``numpy.random.default_rng`` every draw comes from.
    n_staff
        Funded headcount: staff in post at the start (the service then hovers a little below it, because
        posts stay empty for 1-3 months between a leaver and a joiner).
    n_teams
        Number of teams; the last is always the small employment-advice team of 7 posts.
    start, months
        First month (``"yyyy-mm"``) and number of month-end snapshots.
    strategy_start
        Date (``"yyyy-mm-dd"``) from which the planted improvements apply.

    Returns
    -------
    dict of DataFrame
        Keyed by template kind: ``staff_snapshot``, ``absence``, ``leavers``, ``establishment``, ``reasons``,
        ``teams``. Columns are in template order; dates are ``datetime64[ns]`` (NaT = blank), months
        ``Period[M]``, optional booleans and integers nullable (``<NA>`` = blank).

    Examples
    --------
    >>> frames = generate_workforce(seed=1, n_staff=120, n_teams=4)
    >>> frames["teams"]["team_code"].tolist()
    ['T01', 'T02', 'T03', 'T04']
    """
    small = sum(SMALL_TEAM_ROLES.values())
    if n_teams < 2:
        raise ValueError("n_teams must be at least 2 (one or more big teams and the small team)")
    if months < 12:
        raise ValueError(f"months={months} is too short: give at least 12 month-ends")
    if n_staff < small + 20 * (n_teams - 1):
        raise ValueError(f"n_staff={n_staff} is too few for {n_teams} teams: give at least "
                         f"{small + 20 * (n_teams - 1)} (20 per big team plus {small} in the small team)")
    rng = np.random.default_rng(seed)
    cal = Calendar.build(start, months, strategy_start)
    teams = design_teams(n_staff, n_teams)
    sp = simulate_spells(rng, cal, teams, n_staff)

    n_people = int(sp.person.max()) + 1
    ids = draw_person_ids(rng, n_people)
    person_rank = np.argsort(np.argsort(ids, kind="stable"), kind="stable")  # sort rows by id text
    rows = snapshot_rows(sp, cal, person_rank)
    initial = np.arange(int(teams.target.sum()))  # the first spells are the funded posts filled at the start
    target_fte = np.zeros(teams.target.shape)
    np.add.at(target_fte, (sp.team[initial], sp.role0[initial]), np.round(sp.hours0[initial] / FULL_TIME_HOURS, 2))
    return {
        "staff_snapshot": staff_snapshot_frame(sp, rows, cal, teams, ids),
        "absence": absence_frame(rng, sp, cal, ids, person_rank, rows.spell),
        "leavers": leavers_frame(sp, teams, ids, person_rank),
        "establishment": establishment_frame(rng, sp, rows, cal, teams, target_fte),
        "reasons": reasons_frame(rng, sp, rows, cal),
        "teams": teams_frame(sp, teams),
    }
