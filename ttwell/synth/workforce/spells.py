"""Employment spells: who is employed where, in which role, band, contract and hours, from when to when.
The staff in post at the start and the bank workers are drawn here; ``ttwell.synth.workforce.turnover``
adds the leavers and joiners month by month (:func:`ttwell.synth.workforce.turnover.simulate_spells`
runs both).
"""

from __future__ import annotations

import numpy as np

from ttwell.inputs.templates import (AFC_BANDS, CONTRACT_TYPES, IN_POST_CONTRACT_TYPES, LEAVING_REASONS, ROLE_GROUPS,
                                     TRAINEE_ROLE_GROUPS)
from ttwell.synth.workforce.assumptions import (BAND_CHOICES, BANK_EXCLUDED_REASON, BANK_HOURS, BANK_ROLES,
                                                DEFAULT_FULL_TIME_SHARE, FULL_TIME_HOURS, FULL_TIME_SHARE,
                                                MAX_SERVICE_TENURE_YEARS, NEVER, PART_TIME_HOURS, PART_TIME_WEIGHTS,
                                                SMALL_TEAM_MAX_TENURE_YEARS, TRAINING_MONTHS)
from ttwell.synth.workforce.draws import _choose, _lookup
from ttwell.synth.workforce.months import Calendar, _first_of_month, _random_day
from ttwell.synth.workforce.teams import TeamDesign


ROLE_INDEX = {r: i for i, r in enumerate(ROLE_GROUPS)}
CONTRACT_INDEX = {c: i for i, c in enumerate(CONTRACT_TYPES)}
REASON_NAMES = list(LEAVING_REASONS)
REASON_INDEX = {r: i for i, r in enumerate(REASON_NAMES)}
TRAINEE_ROLES = np.array([ROLE_INDEX[r] for r in TRAINEE_ROLE_GROUPS])
BANK = CONTRACT_INDEX["bank"]
PERMANENT = CONTRACT_INDEX["permanent"]
FIXED_TERM = CONTRACT_INDEX["fixed_term"]
IN_POST_CONTRACTS = np.array([CONTRACT_INDEX[c] for c in IN_POST_CONTRACT_TYPES])


# --- employment spells -------------------------------------------------------------------------------------

# One row per continuous employment of one person (a re-joiner has two spells with the same person index).
# Role, band and contract may change once, on ``change`` (trainee qualifies, fixed term made permanent);
# hours may change once, on ``hours_change`` (e.g. back from maternity leave part-time). Dates are day numbers,
# NEVER when there is no such date. Codes index ROLE_GROUPS, AFC_BANDS, CONTRACT_TYPES, REASON_NAMES,
# LEAVING_DESTINATIONS; -1 means none/blank.
SPELL_FIELDS = {
    "person": (np.int64, -1), "team": (np.int64, -1),
    "role0": (np.int64, -1), "band0": (np.int64, -1), "contract0": (np.int64, -1), "ft_end0": (np.int64, NEVER),
    "role1": (np.int64, -1), "band1": (np.int64, -1), "contract1": (np.int64, -1), "ft_end1": (np.int64, NEVER),
    "change": (np.int64, NEVER),
    "hours0": (np.float64, FULL_TIME_HOURS), "hours1": (np.float64, FULL_TIME_HOURS),
    "hours_change": (np.int64, NEVER),
    "start": (np.int64, NEVER), "nhs_start": (np.int64, NEVER), "leave": (np.int64, NEVER),
    "reason": (np.int64, -1), "destination": (np.int64, -1),
    "mat_start": (np.int64, NEVER), "mat_end": (np.int64, NEVER),
    "senior": (bool, False), "in_scope_blank": (bool, False),
}


class Spells:
    """Employment spells as parallel numpy arrays (attribute access returns the current array)."""

    def __init__(self) -> None:
        self.columns = {name: np.empty(0, dtype) for name, (dtype, _) in SPELL_FIELDS.items()}

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["columns"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __len__(self) -> int:
        return len(self.columns["person"])

    def add(self, n: int, **values) -> np.ndarray:
        """Append ``n`` spells; unspecified fields take their defaults. Returns the new rows' indices."""
        first = len(self)
        for name, (dtype, default) in SPELL_FIELDS.items():
            value = values.pop(name, default)
            block = np.broadcast_to(np.asarray(value, dtype=dtype), (n,))
            self.columns[name] = np.concatenate([self.columns[name], block])
        if values:
            raise TypeError(f"unknown spell fields: {sorted(values)}")
        return np.arange(first, first + n)

    def at(self, day: np.ndarray | int, rows: np.ndarray | slice = slice(None)) -> dict[str, np.ndarray]:
        """Role, band, contract, fixed-term end and hours of ``rows`` on ``day``."""
        changed = self.change[rows] <= day
        hours_changed = self.hours_change[rows] <= day
        return {
            "role": np.where(changed, self.role1[rows], self.role0[rows]),
            "band": np.where(changed, self.band1[rows], self.band0[rows]),
            "contract": np.where(changed, self.contract1[rows], self.contract0[rows]),
            "ft_end": np.where(changed, self.ft_end1[rows], self.ft_end0[rows]),
            "hours": np.where(hours_changed, self.hours1[rows], self.hours0[rows]),
        }


def _draw_bands(rng: np.random.Generator, roles: np.ndarray) -> np.ndarray:
    bands = np.empty(len(roles), dtype=np.int64)
    for role, (options, weights) in BAND_CHOICES.items():
        rows = np.nonzero(roles == ROLE_INDEX[role])[0]
        if len(rows):
            bands[rows] = _lookup(AFC_BANDS, options)[_choose(rng, options, weights, len(rows))]
    return bands


def _draw_hours(rng: np.random.Generator, roles: np.ndarray) -> np.ndarray:
    full_share = np.array([FULL_TIME_SHARE.get(r, DEFAULT_FULL_TIME_SHARE) for r in ROLE_GROUPS])[roles]
    part_time = PART_TIME_HOURS[_choose(rng, PART_TIME_HOURS, PART_TIME_WEIGHTS, len(roles))]
    return np.where(rng.random(len(roles)) < full_share, FULL_TIME_HOURS, part_time)


def _draw_nhs_start(rng: np.random.Generator, start: np.ndarray, senior: np.ndarray) -> np.ndarray:
    """NHS start on or before the service start; 'senior' staff (retirement-eligible) have 15-30 years."""
    n = len(start)
    earlier = start - (rng.gamma(2.0, 2.5, n) * 365.25).astype(np.int64)
    senior_start = start - (rng.uniform(15, 30, n) * 365.25).astype(np.int64)
    same = rng.random(n) < 0.4
    nhs = np.where(senior, np.minimum(senior_start, start), np.where(same, start, earlier))
    return np.where(rng.random(n) < 0.04, NEVER, nhs)  # a few extracts lack the NHS start date


def _contract_terms(rng: np.random.Generator, roles: np.ndarray, start: np.ndarray):
    """Contract type and fixed-term end of new posts: trainees on training contracts, a few others fixed term."""
    n = len(roles)
    trainee = np.isin(roles, TRAINEE_ROLES)
    draw = rng.random(n)
    contract = np.where(trainee, FIXED_TERM,
                        np.where(draw < 0.04, FIXED_TERM,
                                 np.where(draw < 0.07, CONTRACT_INDEX["secondment_in"], PERMANENT)))
    term_months = np.where(trainee, TRAINING_MONTHS, np.where(rng.random(n) < 0.5, 12, 24))
    ft_end = np.where(contract == FIXED_TERM, _first_of_month(start, term_months) - 1, NEVER)
    return contract, ft_end


def _initial_staff(rng: np.random.Generator, sp: Spells, cal: Calendar, teams: TeamDesign) -> None:
    """Staff in post on the day before the first simulated month: exactly the funded headcount."""
    team_of, role_of = np.nonzero(teams.target)
    counts = teams.target[team_of, role_of]
    team = np.repeat(team_of, counts)
    role = np.repeat(role_of, counts)
    n = len(role)
    day0 = int(cal.first[0])
    trainee = np.isin(role, TRAINEE_ROLES)

    # Tenure: ~13% under a year; the rest one year plus a long tail (gamma, mean 3.75 years), capped where
    # the service began (Talking Therapies services date from 2008).
    tenure_years = np.where(rng.random(n) < 0.13, rng.uniform(0.05, 1.0, n), 1.0 + rng.gamma(1.5, 2.5, n))
    tenure_years = np.minimum(tenure_years, np.where(teams.is_small[team], SMALL_TEAM_MAX_TENURE_YEARS,
                                                     MAX_SERVICE_TENURE_YEARS))
    start = day0 - 1 - (tenure_years * 365.25).astype(np.int64)
    # Trainees started on the 1st of one of the 11 months before, so they finish inside the simulation.
    trainee_start = _first_of_month(np.full(n, day0), -rng.integers(1, 12, n))
    start = np.where(trainee, trainee_start, start)

    contract, ft_end = _contract_terms(rng, role, start)
    # An existing fixed-term (non-trainee) contract must still be running: it started within 23 months.
    ordinary_fixed = (contract == FIXED_TERM) & ~trainee
    recent = _first_of_month(np.full(n, day0), -rng.integers(1, 23, n)) + rng.integers(0, 28, n)
    start = np.where(ordinary_fixed, recent, start)
    ft_end = np.where(ordinary_fixed, _first_of_month(start, 24) - 1, ft_end)

    senior = ~trainee & (rng.random(n) < 0.09)
    sp.add(n, person=np.arange(n), team=team, role0=role, band0=_draw_bands(rng, role), contract0=contract,
           ft_end0=ft_end, hours0=_draw_hours(rng, role), start=start,
           nhs_start=_draw_nhs_start(rng, start, senior), senior=senior,
           in_scope_blank=rng.random(n) < 0.03)


def _bank_staff(rng: np.random.Generator, sp: Spells, cal: Calendar, teams: TeamDesign, n_staff: int) -> None:
    """A handful of bank workers: loaded but never counted as staff in post; one in four stops working."""
    n = max(3, round(0.025 * n_staff))
    big_teams = np.nonzero(~teams.is_small)[0]
    role = _lookup(ROLE_GROUPS, BANK_ROLES)[rng.integers(0, len(BANK_ROLES), n)]
    month = rng.integers(0, cal.months, n)
    start = np.where(rng.random(n) < 0.7, cal.first[0] - 1 - rng.integers(30, 6 * 365, n),
                     _random_day(rng, cal.first[month], cal.ndays[month]))
    person = int(sp.person.max()) + 1 + np.arange(n)
    rows = sp.add(n, person=person, team=big_teams[rng.integers(0, len(big_teams), n)], role0=role,
                  band0=_draw_bands(rng, role), contract0=BANK, hours0=BANK_HOURS[rng.integers(0, 3, n)],
                  start=start, nhs_start=_draw_nhs_start(rng, start, np.zeros(n, dtype=bool)))
    # Bank workers who did no shifts are terminated at a month-end with ESR's "excluded" reason.
    stops = rng.random(n) < 0.25
    stop_month = rng.integers(0, cal.months, n)
    stop_day = cal.last[stop_month]
    ok = stops & (stop_day > sp.start[rows] + 90)
    sp.leave[rows[ok]] = stop_day[ok]
    sp.reason[rows[ok]] = REASON_INDEX[BANK_EXCLUDED_REASON]


def draw_person_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Pseudonymous 16-hex-character ids (64 random bits each), unique within the data set."""
    ids = np.array([rng.bytes(8).hex() for _ in range(n)], dtype=object)
    while len(set(ids)) < n:  # a 64-bit collision is astronomically unlikely, but never allowed
        _, first = np.unique(ids, return_index=True)
        dup = np.setdiff1d(np.arange(n), first)
        ids[dup] = [rng.bytes(8).hex() for _ in dup]
    return ids
