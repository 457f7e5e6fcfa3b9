"""Leavers and joiners, month by month: fixed-term ends and trainee completion, maternity leave, the
competing leaving hazards (with the planted fall in voluntary leaving), recruitment back to the funded
headcount, re-joiners and leaving destinations.
"""

from __future__ import annotations

import numpy as np

from ttwell.inputs.templates import AFC_BANDS, LEAVING_DESTINATIONS, LEAVING_REASONS, ROLE_GROUPS
from ttwell.synth.workforce.assumptions import (DESTINATIONS_BY_REASON, DESTINATION_BLANK_SHARE,
                                                EARLY_RETIREMENT_REASONS, FIXED_TERM_END_REASONS,
                                                MATERNITY_START_PER_MONTH, NEVER, OTHER_LEAVING_PER_MONTH,
                                                OTHER_REASON_WEIGHTS, QUALIFIED_BAND_OF, QUALIFIED_ROLE_OF,
                                                RETIREMENT_PER_MONTH, RETIREMENT_REASON_WEIGHTS,
                                                TRAINEE_CONVERSION_SHARE, TRAINING_COMPLETION,
                                                VOLUNTARY_LEAVING_PER_MONTH, VOLUNTARY_RATIO_AFTER_STRATEGY,
                                                VOLUNTARY_REASON_WEIGHTS, VOLUNTARY_DESTINATIONS)
from ttwell.synth.workforce.draws import _choose, _lookup
from ttwell.synth.workforce.months import Calendar, _first_of_month, _random_day
from ttwell.synth.workforce.spells import (BANK, PERMANENT, REASON_INDEX, REASON_NAMES, Spells, TRAINEE_ROLES,
                                           _bank_staff, _contract_terms, _draw_bands, _draw_hours, _draw_nhs_start,
                                           _initial_staff)
from ttwell.synth.workforce.teams import TeamDesign


def _set_leaving(sp: Spells, rows: np.ndarray, day: np.ndarray, reasons: np.ndarray):
    sp.leave[rows] = day
    sp.reason[rows] = reasons


def _leave_day(rng: np.random.Generator, cal: Calendar, m: int, n: int, month_end_share: float) -> np.ndarray:
    """Leaving dates in month ``m``: many on the last day of the month (a common notice end), the rest spread."""
    spread = _random_day(rng, np.full(n, cal.first[m]), np.full(n, cal.ndays[m]))
    return np.where(rng.random(n) < month_end_share, cal.last[m], spread)


def _weighted_reasons(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    return _lookup(REASON_NAMES, weights)[_choose(rng, list(weights), list(weights.values()), n)]


def _simulate_month(rng: np.random.Generator, sp: Spells, cal: Calendar, teams: TeamDesign, m: int) -> None:
    """Leavers, trainee completion, maternity leave and recruitment during month ``m``."""
    ms, me = int(cal.first[m]), int(cal.last[m])
    after = cal.after_strategy[m]
    employed = (sp.start < ms) & (sp.leave == NEVER) & (sp.contract0 != BANK)
    now = sp.at(ms)

    # Fixed-term contracts ending this month: trainees qualify (most stay, as a role change) or leave.
    ending = employed & (sp.change == NEVER) & (now["ft_end"] >= ms) & (now["ft_end"] <= me)
    ending_trainee = np.nonzero(ending & np.isin(now["role"], TRAINEE_ROLES))[0]
    converts = rng.random(len(ending_trainee)) < TRAINEE_CONVERSION_SHARE
    stay, go = ending_trainee[converts], ending_trainee[~converts]
    trainee_names = np.array(ROLE_GROUPS, dtype=object)[sp.role0[stay]]
    sp.change[stay] = sp.ft_end0[stay] + 1
    sp.role1[stay] = _lookup(ROLE_GROUPS, [QUALIFIED_ROLE_OF[r] for r in trainee_names])
    sp.band1[stay] = _lookup(AFC_BANDS, [QUALIFIED_BAND_OF[r] for r in trainee_names])
    sp.contract1[stay] = PERMANENT
    _set_leaving(sp, go, sp.ft_end0[go], REASON_INDEX[TRAINING_COMPLETION])

    ending_other = np.nonzero(ending & ~np.isin(now["role"], TRAINEE_ROLES))[0]
    made_permanent = rng.random(len(ending_other)) < 0.6
    keep, end = ending_other[made_permanent], ending_other[~made_permanent]
    sp.change[keep] = sp.ft_end0[keep] + 1
    sp.role1[keep], sp.band1[keep], sp.contract1[keep] = sp.role0[keep], sp.band0[keep], PERMANENT
    _set_leaving(sp, end, sp.ft_end0[end], _weighted_reasons(rng, FIXED_TERM_END_REASONS, len(end)))

    # Maternity/adoption leave: permanent staff, once per spell, 6-12 months; some do not return, some
    # come back part-time. Decided at the start so nothing else can happen to them while away.
    employed &= sp.leave == NEVER
    eligible = employed & (now["contract"] == PERMANENT) & (sp.mat_start == NEVER) & (sp.change == NEVER)
    starting = np.nonzero(eligible & (rng.random(len(sp)) < MATERNITY_START_PER_MONTH))[0]
    k = len(starting)
    sp.mat_start[starting] = _random_day(rng, np.full(k, ms), np.full(k, cal.ndays[m]))
    sp.mat_end[starting] = sp.mat_start[starting] + rng.integers(180, 366, k)
    outcome = rng.random(k)
    leaves = starting[outcome < 0.15]
    _set_leaving(sp, leaves, sp.mat_end[leaves],
                 REASON_INDEX["Voluntary Resignation - Child Dependants"])
    part_time = starting[(outcome >= 0.15) & (outcome < 0.55)]
    sp.hours_change[part_time] = sp.mat_end[part_time] + 1
    sp.hours1[part_time] = np.minimum(sp.hours0[part_time],
                                      np.array([18.75, 22.5, 26.25, 30.0])[rng.integers(0, 4, len(part_time))])

    # Competing monthly hazards for everyone employed and not on maternity leave this month.
    on_leave = (sp.mat_start <= me) & (sp.mat_end >= ms)
    at_risk = np.nonzero(employed & (sp.leave == NEVER) & ~on_leave)[0]
    tenure = (ms - sp.start[at_risk]) / 365.25
    tenure_factor = np.select([tenure < 1, tenure < 2, tenure < 5], [1.3, 1.2, 1.0], 0.7)
    in_training = np.isin(now["role"][at_risk], TRAINEE_ROLES)
    voluntary = (VOLUNTARY_LEAVING_PER_MONTH * tenure_factor * np.where(in_training, 0.5, 1.0)
                 * (VOLUNTARY_RATIO_AFTER_STRATEGY if after else 1.0))
    retirement = np.where(sp.senior[at_risk], RETIREMENT_PER_MONTH, 0.0)
    draw = rng.random(len(at_risk))
    is_voluntary = draw < voluntary
    is_retirement = ~is_voluntary & (draw < voluntary + retirement)
    is_other = ~is_voluntary & ~is_retirement & (draw < voluntary + retirement + OTHER_LEAVING_PER_MONTH)

    rows = at_risk[is_voluntary]
    reasons = _weighted_reasons(rng, VOLUNTARY_REASON_WEIGHTS, len(rows))
    early = sp.senior[rows] & (rng.random(len(rows)) < 0.3)
    reasons[early] = _weighted_reasons(rng, EARLY_RETIREMENT_REASONS, int(early.sum()))
    _set_leaving(sp, rows, _leave_day(rng, cal, m, len(rows), 0.35), reasons)
    rows = at_risk[is_retirement]
    _set_leaving(sp, rows, _leave_day(rng, cal, m, len(rows), 0.7),
                 _weighted_reasons(rng, RETIREMENT_REASON_WEIGHTS, len(rows)))
    rows = at_risk[is_other]
    _set_leaving(sp, rows, _leave_day(rng, cal, m, len(rows), 0.3),
                 _weighted_reasons(rng, OTHER_REASON_WEIGHTS, len(rows)))

    _recruit(rng, sp, cal, teams, m)


def _recruit(rng: np.random.Generator, sp: Spells, cal: Calendar, teams: TeamDesign, m: int) -> None:
    """Bring each team back up to its funded headcount with joiners starting 1-3 months later.

    Hiring is by team, into the roles furthest below their funded number. A qualifying trainee counts in
    the qualified role, so when that role is already full the team carries one extra qualified person and
    the trainee post waits for the next leaver: team headcounts never grow past their funded number.
    People recruited but not yet started count as filled.
    """
    committed = (sp.contract0 != BANK) & (sp.leave > cal.last[m])
    role = np.where(sp.role1 >= 0, sp.role1, sp.role0)[committed]
    filled = np.zeros_like(teams.target)
    np.add.at(filled, (sp.team[committed], role), 1)
    team_gap = np.clip(teams.target.sum(axis=1) - filled.sum(axis=1), 0, None)
    hire_team, hire_role = [], []
    for t in np.nonzero(team_gap)[0]:
        role_gap = np.clip(teams.target[t] - filled[t], 0, None)
        vacancies = np.repeat(np.arange(len(role_gap)), role_gap)
        chosen = rng.permutation(vacancies)[: team_gap[t]]
        hire_team.append(np.full(len(chosen), t))
        hire_role.append(np.sort(chosen))
    if not hire_team:
        return
    team, role = np.concatenate(hire_team), np.concatenate(hire_role)
    start_month = m + 1 + _choose(rng, (1, 2, 3), (0.3, 0.45, 0.25), len(role))
    inside = start_month < cal.months  # posts filled after the last month are simply not seen
    team, role, start_month = team[inside], role[inside], start_month[inside]
    n = len(role)
    if n == 0:
        return
    trainee = np.isin(role, TRAINEE_ROLES)
    start = np.where(trainee, cal.first[start_month], _random_day(rng, cal.first[start_month], cal.ndays[start_month]))
    contract, ft_end = _contract_terms(rng, role, start)
    senior = ~trainee & (rng.random(n) < 0.04)
    first_person = int(sp.person.max()) + 1
    sp.add(n, person=first_person + np.arange(n), team=team, role0=role, band0=_draw_bands(rng, role),
           contract0=contract, ft_end0=ft_end, hours0=_draw_hours(rng, role), start=start,
           nhs_start=_draw_nhs_start(rng, start, senior), senior=senior, in_scope_blank=rng.random(n) < 0.03)


def _add_rejoiners(rng: np.random.Generator, sp: Spells, cal: Calendar, n_rejoiners: int) -> None:
    """A few qualified leavers (retirees first) come back part-time 1-2 months later: same person id, new
    service start date, as "retire and return" and boomerang staff do."""
    group = np.array([LEAVING_REASONS[r][0] for r in REASON_NAMES] + [""], dtype=object)[sp.reason]
    voluntary = np.array([LEAVING_REASONS[r][1] for r in REASON_NAMES] + [False])[sp.reason]
    left_qualified = ~np.isin(np.where(sp.change <= sp.leave, sp.role1, sp.role0), TRAINEE_ROLES)
    candidates = np.nonzero((sp.contract0 != BANK) & (sp.leave <= cal.last[-4]) & (sp.leave >= cal.first[0])
                            & ((group == "retirement") | voluntary) & left_qualified)[0]
    if len(candidates) == 0 or n_rejoiners == 0:
        return
    weight = np.where(group[candidates] == "retirement", 20.0, 1.0)
    chosen = np.sort(rng.choice(candidates, size=min(n_rejoiners, len(candidates)), replace=False,
                                p=weight / weight.sum()))
    n = len(chosen)
    at_leaving = sp.at(sp.leave[chosen], chosen)
    start = _first_of_month(sp.leave[chosen], rng.integers(1, 3, n))
    sp.add(n, person=sp.person[chosen], team=sp.team[chosen], role0=at_leaving["role"],
           band0=at_leaving["band"], contract0=PERMANENT, hours0=np.minimum(at_leaving["hours"], 22.5),
           start=start, nhs_start=sp.nhs_start[chosen], senior=sp.senior[chosen])


def _assign_destinations(rng: np.random.Generator, sp: Spells) -> None:
    rows = np.nonzero(sp.reason >= 0)[0]
    reasons = sp.reason[rows]
    for code in np.unique(reasons):
        name = REASON_NAMES[code]
        mix = DESTINATIONS_BY_REASON.get(name, VOLUNTARY_DESTINATIONS)
        these = rows[reasons == code]
        if not mix:
            continue
        sp.destination[these] = _lookup(LEAVING_DESTINATIONS, mix)[_choose(rng, list(mix), list(mix.values()),
                                                                           len(these))]
    blank = rows[rng.random(len(rows)) < DESTINATION_BLANK_SHARE]
    sp.destination[blank] = -1


def simulate_spells(rng: np.random.Generator, cal: Calendar, teams: TeamDesign, n_staff: int) -> Spells:
    """All employment spells of the service over the calendar (see ``SPELL_FIELDS``)."""
    sp = Spells()
    _initial_staff(rng, sp, cal, teams)
    _bank_staff(rng, sp, cal, teams, n_staff)
    for m in range(cal.months):
        _simulate_month(rng, sp, cal, teams, m)
    _add_rejoiners(rng, sp, cal, max(1, round(n_staff / 180)))
    _assign_destinations(rng, sp)
    # Events after the extract date have not happened yet as far as the extract knows.
    future = sp.leave > cal.extract_end
    sp.leave[future], sp.reason[future], sp.destination[future] = NEVER, -1, -1
    return sp
