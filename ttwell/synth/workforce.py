"""Synthetic HR data for one NHS Talking Therapies service, with known effects planted in it.

The generator simulates employment spells month by month (joiners, leavers, trainee completion, maternity
leave), then derives from them every workforce input of ``ttwell.inputs.templates``: the monthly staff snapshot,
sickness absence episodes, leavers, establishment, exit/stay reasons and teams. Everything is drawn from one
``numpy.random.Generator`` created from ``seed``, so the same seed gives the same data, to the byte once written.

The planted effects (their sizes are the module constants below, documented in ``data/synthetic/README.md``):

* sickness absence episode starts are seasonal (highest in January) and their rate is multiplied by
  ``SICKNESS_RATIO_AFTER_STRATEGY`` from the strategy start;
* the voluntary-leaving hazard is multiplied by ``VOLUNTARY_RATIO_AFTER_STRATEGY`` from the strategy start;
* intent to stay (stay survey) is a little higher in the survey after the strategy start.

Recruitment fills the gap between each team's funded headcount and its staff, one to three months after the
gap opens, so the service stays near ``n_staff`` people in post.

Example
-------
>>> from ttwell.synth.workforce import generate_workforce
>>> frames = generate_workforce(seed=2024)
>>> sorted(frames)
['absence', 'establishment', 'leavers', 'reasons', 'staff_snapshot', 'teams']
>>> frames["staff_snapshot"]["snapshot_date"].nunique()
36
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ttwell.inputs.templates import (
    ABSENCE_REASON_GROUPS,
    AFC_BANDS,
    CONTRACT_TYPES,
    IN_POST_CONTRACT_TYPES,
    LEAVING_DESTINATIONS,
    LEAVING_REASONS,
    REASON_CODES,
    ROLE_FAMILY_OF,
    ROLE_GROUPS,
    TEMPLATES,
    TRAINEE_ROLE_GROUPS,
)

# --- planted effects and rates (sizes quoted in data/synthetic/README.md) ------------------------------

STRATEGY_START = "2024-04-01"
SICKNESS_STARTS_PER_PERSON_MONTH = 0.125  # annual mean before the strategy; ~1.5 episodes a person a year
SICKNESS_WINTER_AMPLITUDE = 0.30  # January rate = mean x 1.30, July = mean x 0.70 (cosine over the year)
SICKNESS_RATIO_AFTER_STRATEGY = 0.82  # episode start rate x 0.82 from the strategy start (18% lower)
VOLUNTARY_LEAVING_PER_MONTH = 0.0105  # hazard before the strategy, tenure 2-5 years: ~12% a year
VOLUNTARY_RATIO_AFTER_STRATEGY = 0.75  # voluntary-leaving hazard x 0.75 from the strategy start
RETIREMENT_PER_MONTH = 0.006  # only staff with 15+ years of NHS service ("senior")
OTHER_LEAVING_PER_MONTH = 0.0012  # dismissal, transfer, unknown ...
MATERNITY_START_PER_MONTH = 0.0015  # permanent staff; leave lasts 6-12 months
TRAINEE_CONVERSION_SHARE = 0.72  # trainees appointed to a qualified post on completion (not leavers)
EXIT_SURVEY_RESPONSE_SHARE = 0.5  # of voluntary leavers
STAY_SURVEY_RESPONSE_SHARE = 0.45  # of staff in post, each March 2023-2025
# Stay-survey intent to stay in 12 months (1 very unlikely ... 5 very likely): before / after the strategy.
INTENT_TO_STAY_PROBS_BEFORE = (0.06, 0.12, 0.25, 0.35, 0.22)  # mean 3.55
INTENT_TO_STAY_PROBS_AFTER = (0.03, 0.07, 0.20, 0.40, 0.30)  # mean 3.87
ESTABLISHMENT_ABOVE_FUNDED_POSTS = 1.03  # funded FTE a little above the posts filled at the start

FULL_TIME_HOURS = 37.5  # Agenda for Change standard week
NEVER = np.iinfo(np.int64).max // 4  # day number standing for "no such date": later than any real date
NAT_INT = np.iinfo(np.int64).min  # numpy's integer spelling of NaT

# --- the shape of the service ---------------------------------------------------------------------------

# Big-team types: relative size and role mix (shares of the team's funded headcount).
TEAM_TYPES = {
    "pwp": ("PWP team", 1.1, {"pwp": 0.56, "pwp_trainee": 0.17, "senior_pwp": 0.12, "manager_lead": 0.06,
                              "admin": 0.09}),
    "hi": ("High Intensity team", 1.2, {"hi_therapist": 0.50, "hi_trainee": 0.10, "counsellor": 0.18,
                                        "other_therapist": 0.07, "psychologist": 0.07, "manager_lead": 0.08}),
    "access": ("Access and Admin team", 0.6, {"admin": 0.55, "manager_lead": 0.15, "peer_support": 0.12,
                                               "pwp": 0.18}),
}
# Localities cycle through blocks of five teams: two PWP and two HI teams for two localities, one access team.
TEAM_BLOCK = (("pwp", 0), ("hi", 0), ("pwp", 1), ("hi", 1), ("access", 2))
LOCALITIES = ("North", "South", "Central", "East", "West", "City", "Valley", "Coast", "Forest", "Riverside",
              "Downs", "Vale")
# The one small team (disclosure-control test case): always fewer than 11 staff in post.
SMALL_TEAM_NAME = "Employment Advice team"
SMALL_TEAM_ROLES = {"employment_advisor": 6, "manager_lead": 1}
SMALL_TEAM_MAX_TENURE_YEARS = 3.5  # the team was set up with the national employment-advice programme
MAX_SERVICE_TENURE_YEARS = 13.5  # at April 2022: the service (then IAPT) started in 2008

QUALIFIED_ROLE_OF = {"pwp_trainee": "pwp", "hi_trainee": "hi_therapist"}
QUALIFIED_BAND_OF = {"pwp_trainee": "band_5", "hi_trainee": "band_7"}
TRAINING_MONTHS = 12  # PWP and HI training contracts: one academic year, fixed term
BAND_CHOICES = {
    "pwp": (("band_5",), (1.0,)),
    "pwp_trainee": (("band_4",), (1.0,)),
    "senior_pwp": (("band_6",), (1.0,)),
    "hi_therapist": (("band_7", "band_8a"), (0.9, 0.1)),
    "hi_trainee": (("band_6",), (1.0,)),
    "counsellor": (("band_6", "band_7"), (0.7, 0.3)),
    "other_therapist": (("band_7", "band_8a"), (0.7, 0.3)),
    "psychologist": (("band_8a", "band_8b"), (0.7, 0.3)),
    "employment_advisor": (("band_5", "band_6"), (0.8, 0.2)),
    "admin": (("band_3", "band_4", "band_2"), (0.6, 0.3, 0.1)),
    "manager_lead": (("band_8a", "band_7", "band_8b"), (0.6, 0.25, 0.15)),
    "peer_support": (("band_4", "band_3"), (0.7, 0.3)),
    "other": (("band_5",), (1.0,)),
}
FULL_TIME_SHARE = {"pwp_trainee": 1.0, "hi_trainee": 1.0, "manager_lead": 0.85}  # others: DEFAULT_FULL_TIME_SHARE
DEFAULT_FULL_TIME_SHARE = 0.55
PART_TIME_HOURS = np.array([30.0, 22.5, 15.0, 20.0, 26.25, 33.75, 18.75])
PART_TIME_WEIGHTS = np.array([0.32, 0.22, 0.06, 0.10, 0.12, 0.10, 0.08])
BANK_ROLES = ("pwp", "hi_therapist", "counsellor", "admin")
BANK_HOURS = np.array([7.5, 11.25, 15.0])

VOLUNTARY_REASON_WEIGHTS = {
    "Voluntary Resignation - Work Life Balance": 0.22,
    "Voluntary Resignation - Other/Not Known": 0.15,
    "Voluntary Resignation - Promotion": 0.14,
    "Voluntary Resignation - Relocation": 0.13,
    "Voluntary Resignation - Pay and Reward Related": 0.07,
    "Voluntary Resignation - To undertake further education or training": 0.06,
    "Voluntary Resignation - Lack of Opportunities": 0.06,
    "Voluntary Resignation - Child Dependants": 0.05,
    "Voluntary Resignation - Health": 0.05,
    "Voluntary Resignation - Incompatible Working Relationships": 0.04,
    "Voluntary Resignation - Adult Dependants": 0.03,
}
EARLY_RETIREMENT_REASONS = {
    "Voluntary Early Retirement - no Actuarial Reduction": 0.6,
    "Voluntary Early Retirement - with Actuarial Reduction": 0.4,
}
RETIREMENT_REASON_WEIGHTS = {"Retirement Age": 0.7, "Flexi Retirement": 0.2, "Retirement - Ill Health": 0.1}
OTHER_REASON_WEIGHTS = {
    "Unknown": 0.45, "Employee Transfer": 0.15, "Dismissal - Capability": 0.1, "Dismissal - Conduct": 0.1,
    "Mutually Agreed Resignation - Local Scheme without Repayment": 0.1, "Redundancy - Voluntary": 0.05,
    "Not Set in Legacy at Migration": 0.05,
}
FIXED_TERM_END_REASONS = {"End of Fixed Term Contract": 0.6,
                          "End of Fixed Term Contract - End of Work Requirement": 0.4}
TRAINING_COMPLETION = "End of Fixed Term Contract - Completion of Training Scheme"
BANK_EXCLUDED_REASON = "Bank Staff not fulfilled minimum work requirement"

_VOLUNTARY_DESTINATIONS = {"same_trust_other_service": 0.08, "other_nhs_talking_therapies": 0.27, "other_nhs": 0.2,
                           "private_or_third_sector": 0.17, "education": 0.04, "not_working": 0.08, "unknown": 0.16}
# Destination mix by ESR reason; reasons not listed use the voluntary mix. A blank destination is drawn separately.
DESTINATIONS_BY_REASON = {
    "Voluntary Resignation - To undertake further education or training": {"education": 0.75, "unknown": 0.25},
    "Voluntary Resignation - Child Dependants": {"not_working": 0.7, "private_or_third_sector": 0.1, "unknown": 0.2},
    "Voluntary Resignation - Adult Dependants": {"not_working": 0.7, "unknown": 0.3},
    "Voluntary Resignation - Health": {"not_working": 0.7, "unknown": 0.3},
    "Voluntary Resignation - Promotion": {"other_nhs_talking_therapies": 0.45, "other_nhs": 0.3,
                                          "same_trust_other_service": 0.15, "private_or_third_sector": 0.1},
    "Voluntary Early Retirement - no Actuarial Reduction": {"retired": 1.0},
    "Voluntary Early Retirement - with Actuarial Reduction": {"retired": 1.0},
    "Retirement Age": {"retired": 1.0},
    "Flexi Retirement": {"retired": 0.8, "other_nhs": 0.2},
    "Retirement - Ill Health": {"retired": 1.0},
    TRAINING_COMPLETION: {"other_nhs_talking_therapies": 0.55, "other_nhs": 0.15, "private_or_third_sector": 0.1,
                          "unknown": 0.2},
    "End of Fixed Term Contract": {"other_nhs": 0.3, "private_or_third_sector": 0.2, "not_working": 0.2,
                                   "unknown": 0.3},
    "End of Fixed Term Contract - End of Work Requirement": {"other_nhs": 0.4, "not_working": 0.2, "unknown": 0.4},
    "Employee Transfer": {"other_nhs": 1.0},
    "Unknown": {"unknown": 1.0},
    "Not Set in Legacy at Migration": {"unknown": 1.0},
    "Dismissal - Capability": {"not_working": 0.4, "unknown": 0.6},
    "Dismissal - Conduct": {"not_working": 0.4, "unknown": 0.6},
    "Mutually Agreed Resignation - Local Scheme without Repayment": {"not_working": 0.5, "unknown": 0.5},
    "Redundancy - Voluntary": {"not_working": 0.5, "unknown": 0.5},
    BANK_EXCLUDED_REASON: {},
}
DESTINATION_BLANK_SHARE = 0.05

# Sickness episodes: length class shares and the reason mix within each class.
EPISODE_CLASS_SHARES = (0.79, 0.11, 0.10)  # 1-10 days, 11-27 days, 28+ days (long-term)
SHORT_LENGTH_WEIGHTS = np.array([30, 22, 15, 9, 8, 4, 5, 3, 2, 2], dtype=float)  # 1 ... 10 days
REASON_MIX_BY_CLASS = {  # columns in ABSENCE_REASON_GROUPS order
    "short": (0.30, 0.10, 0.24, 0.17, 0.16, 0.03),
    "medium": (0.40, 0.25, 0.08, 0.04, 0.20, 0.03),
    "long": (0.55, 0.20, 0.02, 0.00, 0.20, 0.03),
}
RESPIRATORY_WINTER_AMPLITUDE = 0.8  # infections are an even larger share of short episodes in winter
# ESR-style reason codes per group (illustrative: the ESR list is UNCONFIRMED in the domain spec, 1.2).
ABSENCE_CODES = {
    "mental_health": {"S10 Anxiety/stress/depression/other psychiatric illnesses": 1.0},
    "musculoskeletal": {"S11 Back Problems": 0.4, "S12 Other musculoskeletal problems": 0.6},
    "infectious_respiratory": {"S13 Cold, Cough, Flu - Influenza": 0.6, "S15 Chest & respiratory problems": 0.2,
                               "S27 Infectious diseases": 0.2},
    "gastro": {"S25 Gastrointestinal problems": 1.0},
    "other": {"S16 Headache / migraine": 0.3, "S28 Injury, fracture": 0.2,
              "S26 Genitourinary & gynaecological disorders": 0.2,
              "S98 Other known causes - not elsewhere classified": 0.3},
    "unknown": {"S99 Unknown causes / Not specified": 1.0},
}
WORK_RELATED_SHARE = {"mental_health": 0.06, "musculoskeletal": 0.04}  # other groups: 0.01
PARTIAL_DAY_SHARE_OF_ONE_DAY = 0.08
ABSENCE_WARM_UP_MONTHS = 12
PARTIAL_HOURS = np.array([2.0, 3.0, 3.75, 4.0, 5.0])

# Exit and stay survey reason mixes.
EXIT_MAIN_REASON_OF = {
    "Voluntary Resignation - Adult Dependants": "caring_adult",
    "Voluntary Resignation - Child Dependants": "caring_child",
    "Voluntary Resignation - Health": "own_health",
    "Voluntary Resignation - Incompatible Working Relationships": "team_relationships",
    "Voluntary Resignation - Lack of Opportunities": "career_progression",
    "Voluntary Resignation - Other/Not Known": "other",
    "Voluntary Resignation - Pay and Reward Related": "pay_reward",
    "Voluntary Resignation - Promotion": "career_progression",
    "Voluntary Resignation - Relocation": "relocation_travel",
    "Voluntary Resignation - To undertake further education or training": "training_development",
    "Voluntary Resignation - Work Life Balance": "work_life_balance",
    "Voluntary Early Retirement - no Actuarial Reduction": "retirement",
    "Voluntary Early Retirement - with Actuarial Reduction": "retirement",
}
EXIT_OTHER_REASON_WEIGHTS = {
    "caseload_workload": 0.22, "targets_performance_pressure": 0.14, "work_life_balance": 0.10,
    "contact_mode_intensity": 0.08, "career_progression": 0.08, "pay_reward": 0.08, "line_management": 0.07,
    "clinical_supervision": 0.05, "flexible_hybrid_working": 0.05, "organisational_change": 0.05,
    "autonomy_control": 0.04, "belonging_inclusion_discrimination": 0.02, "team_relationships": 0.02,
}
STAY_REASON_WEIGHTS = {
    "team_relationships": 0.20, "flexible_hybrid_working": 0.17, "clinical_supervision": 0.12,
    "training_development": 0.10, "line_management": 0.10, "work_life_balance": 0.10, "autonomy_control": 0.08,
    "belonging_inclusion_discrimination": 0.06, "career_progression": 0.04, "pay_reward": 0.03,
}
MIGHT_LEAVE_REASON_WEIGHTS = {
    "caseload_workload": 0.30, "targets_performance_pressure": 0.20, "pay_reward": 0.15, "career_progression": 0.12,
    "contact_mode_intensity": 0.10, "work_life_balance": 0.08, "organisational_change": 0.05,
}
# Free text is rare and generic: never a name, a place or anything that could identify someone.
EXIT_FREE_TEXT = ("Thank you to the team.", "It was a hard decision to leave.", "No further comments.",
                  "The training here was good.")
STAY_FREE_TEXT = ("My team is supportive.", "Hybrid working makes this job possible.",
                  "Supervision is really valued.", "Waiting lists feel relentless.")
FREE_TEXT_SHARE = 0.08


# --- calendar ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Calendar:
    """The months simulated, as integer day numbers (days since 1970-01-01) for vectorised comparisons."""

    first: np.ndarray  # first day of each month
    last: np.ndarray  # last day of each month (the snapshot date)
    ndays: np.ndarray
    calendar_month: np.ndarray  # 1 = January
    strategy_day: int

    @classmethod
    def build(cls, start: str, months: int, strategy_start: str) -> "Calendar":
        month = np.datetime64(start, "M") + np.arange(months)
        first = month.astype("datetime64[D]").astype(np.int64)
        last = (month + 1).astype("datetime64[D]").astype(np.int64) - 1
        calendar_month = (month.astype(np.int64) % 12) + 1
        strategy_day = int(np.datetime64(strategy_start, "D").astype(np.int64))
        return cls(first, last, last - first + 1, calendar_month, strategy_day)

    def extended_back(self, months: int) -> "Calendar":
        """The same calendar with ``months`` more months before its first."""
        first_month = np.datetime64(int(self.first[0]), "D").astype("datetime64[M]") - months
        return Calendar.build(str(first_month), self.months + months, str(np.datetime64(self.strategy_day, "D")))

    @property
    def months(self) -> int:
        return len(self.first)

    @property
    def extract_end(self) -> int:
        return int(self.last[-1])

    @property
    def after_strategy(self) -> np.ndarray:
        return self.first >= self.strategy_day

    @property
    def financial_year(self) -> np.ndarray:
        """Calendar year in which each month's April-March financial year begins."""
        year = self.first.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        return np.where(self.calendar_month >= 4, year, year - 1)


def _first_of_month(days: np.ndarray, add_months: int | np.ndarray = 0) -> np.ndarray:
    """Day number of the first day of the month ``add_months`` after the month containing each day."""
    month = np.asarray(days).astype("datetime64[D]").astype("datetime64[M]") + add_months
    return month.astype("datetime64[D]").astype(np.int64)


def _random_day(rng: np.random.Generator, first: np.ndarray, ndays: np.ndarray) -> np.ndarray:
    return first + (rng.random(len(first)) * ndays).astype(np.int64)


# --- small vectorised helpers ------------------------------------------------------------------------------

def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton's method: deterministic)."""
    weights = np.asarray(weights, dtype=float)
    exact = total * weights / weights.sum()
    out = np.floor(exact).astype(np.int64)
    short = total - out.sum()
    # Ties broken by position (stable sort) so the split never depends on floating-point noise.
    order = np.argsort(-(exact - out), kind="stable")
    out[order[:short]] += 1
    return out


def _choose(rng: np.random.Generator, options, weights, size: int) -> np.ndarray:
    """Indices into ``options`` drawn with ``weights`` (normalised here)."""
    weights = np.asarray(weights, dtype=float)
    return rng.choice(len(options), size=size, p=weights / weights.sum())


def _choose_by_row(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category per row of a (rows x categories) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative /= cumulative[:, -1:]
    draw = rng.random(len(probabilities))[:, None]
    return np.minimum((cumulative <= draw).sum(axis=1), probabilities.shape[1] - 1)


def _top_k_without_replacement(rng: np.random.Generator, weights: np.ndarray, k: np.ndarray) -> list[np.ndarray]:
    """For each row, ``k[row]`` distinct categories drawn by weight, in draw order (Gumbel top-k trick).

    ``weights`` is (rows x categories); a zero weight is never drawn. Returns (row, category, rank) arrays.
    """
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=weights.shape)
    order = np.argsort(-keys, axis=1, kind="stable")
    rank = np.arange(weights.shape[1])[None, :]
    keep = (rank < k[:, None]) & np.isfinite(np.take_along_axis(keys, order, axis=1))
    rows, positions = np.nonzero(keep)
    return [rows, order[rows, positions], positions + 1]


def _lookup(names, values) -> np.ndarray:
    index = {name: i for i, name in enumerate(names)}
    return np.array([index[v] for v in values], dtype=np.int64)


ROLE_INDEX = {r: i for i, r in enumerate(ROLE_GROUPS)}
CONTRACT_INDEX = {c: i for i, c in enumerate(CONTRACT_TYPES)}
REASON_NAMES = list(LEAVING_REASONS)
REASON_INDEX = {r: i for i, r in enumerate(REASON_NAMES)}
TRAINEE_ROLES = np.array([ROLE_INDEX[r] for r in TRAINEE_ROLE_GROUPS])
BANK = CONTRACT_INDEX["bank"]
PERMANENT = CONTRACT_INDEX["permanent"]
FIXED_TERM = CONTRACT_INDEX["fixed_term"]
IN_POST_CONTRACTS = np.array([CONTRACT_INDEX[c] for c in IN_POST_CONTRACT_TYPES])


# --- teams -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TeamDesign:
    """Team codes, names and each team's funded headcount by role (rows: teams, columns: ROLE_GROUPS)."""

    codes: list[str]
    names: list[str]
    parents: list[str]
    is_small: np.ndarray
    target: np.ndarray


def design_teams(n_staff: int, n_teams: int) -> TeamDesign:
    """Lay out ``n_teams`` teams: ``n_teams - 1`` big teams in blocks of five and one small team last."""
    n_big = n_teams - 1
    width = max(2, len(str(n_teams)))
    codes = [f"T{i + 1:0{width}d}" for i in range(n_teams)]
    kinds, names = [], []
    for i in range(n_big):
        block = i // len(TEAM_BLOCK)
        kind, locality_offset = TEAM_BLOCK[i % len(TEAM_BLOCK)]
        locality_number = block * 3 + locality_offset
        locality = LOCALITIES[locality_number % len(LOCALITIES)]
        if locality_number >= len(LOCALITIES):  # large benchmark services run out of names
            locality = f"{locality} {locality_number // len(LOCALITIES) + 1}"
        kinds.append(kind)
        names.append(f"{locality} {TEAM_TYPES[kind][0]}")
    names.append(SMALL_TEAM_NAME)

    small_size = sum(SMALL_TEAM_ROLES.values())
    team_sizes = _largest_remainder(n_staff - small_size, np.array([TEAM_TYPES[k][1] for k in kinds]))
    target = np.zeros((n_teams, len(ROLE_GROUPS)), dtype=np.int64)
    for t, (kind, size) in enumerate(zip(kinds, team_sizes)):
        mix = TEAM_TYPES[kind][2]
        target[t, _lookup(ROLE_GROUPS, mix)] = _largest_remainder(int(size), np.array(list(mix.values())))
    target[n_big, _lookup(ROLE_GROUPS, SMALL_TEAM_ROLES)] = list(SMALL_TEAM_ROLES.values())
    # The small team is merged into the first team when it is too small to report.
    parents = [""] * n_big + [codes[0]]
    is_small = np.zeros(n_teams, dtype=bool)
    is_small[n_big] = True
    return TeamDesign(codes, names, parents, is_small, target)


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
        mix = DESTINATIONS_BY_REASON.get(name, _VOLUNTARY_DESTINATIONS)
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


def draw_person_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Pseudonymous 16-hex-character ids (64 random bits each), unique within the data set."""
    ids = np.array([rng.bytes(8).hex() for _ in range(n)], dtype=object)
    while len(set(ids)) < n:  # a 64-bit collision is astronomically unlikely, but never allowed
        _, first = np.unique(ids, return_index=True)
        dup = np.setdiff1d(np.arange(n), first)
        ids[dup] = [rng.bytes(8).hex() for _ in dup]
    return ids


# --- output tables -----------------------------------------------------------------------------------------

def _dates(days: np.ndarray) -> np.ndarray:
    """Day numbers to datetime64[ns], NEVER to NaT."""
    days = np.asarray(days, dtype=np.int64)
    return np.where(days >= NEVER, NAT_INT, days).astype("datetime64[D]").astype("datetime64[ns]")


def _names(options, codes: np.ndarray) -> np.ndarray:
    """Codes to names; -1 to None (a blank cell)."""
    table = np.array(list(options) + [None], dtype=object)
    return table[np.where(codes < 0, len(options), codes)]


def _flags(codes: np.ndarray) -> pd.array:
    """-1/0/1 to a nullable boolean column (-1 blank)."""
    return pd.array(np.where(codes < 0, None, codes == 1), dtype="boolean")


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


def absence_frame(rng: np.random.Generator, sp: Spells, cal: Calendar, ids: np.ndarray,
                  person_rank: np.ndarray, seen_spells: np.ndarray) -> pd.DataFrame:
    """Sickness episodes: Poisson starts per person-month, seasonal, lower after the strategy start.

    Starts fall on days in post; an episode is cut at the leaving date and at the start of maternity leave,
    never overlaps the same person's previous episode, and is open (blank end) if it runs past the extract.
    """
    # Only people seen in a snapshot: someone who left in the first days of the first month has no row
    # to attach an episode to (the extract would not include them either).
    staff = np.intersect1d(np.nonzero(sp.contract0 != BANK)[0], np.unique(seen_spells))
    period_start = int(cal.first[0])
    # Episodes start from a year before the first snapshot, so long absences already running in April of
    # the first year are there (without this the first year's sickness rate would be artificially low).
    cal = cal.extended_back(ABSENCE_WARM_UP_MONTHS)
    in_from = np.maximum(sp.start[staff, None], cal.first[None, :])
    in_to = np.minimum(sp.leave[staff, None], cal.last[None, :])
    days_in_post = np.clip(in_to - in_from + 1, 0, None)
    # Some people are off sick far more often than others (gamma frailty, mean 1).
    frailty = rng.gamma(2.0, 0.5, len(staff))
    season = 1.0 + SICKNESS_WINTER_AMPLITUDE * np.cos(2 * np.pi * (cal.calendar_month - 1) / 12)
    month_rate = (SICKNESS_STARTS_PER_PERSON_MONTH * season
                  * np.where(cal.after_strategy, SICKNESS_RATIO_AFTER_STRATEGY, 1.0))
    expected = frailty[:, None] * month_rate[None, :] * days_in_post / cal.ndays[None, :]
    counts = rng.poisson(expected)
    who, month = np.nonzero(counts)
    repeat = counts[who, month]
    spell = np.repeat(staff[who], repeat)
    start = np.repeat(in_from[who, month], repeat)
    start = start + (rng.random(len(spell)) * np.repeat(days_in_post[who, month], repeat)).astype(np.int64)
    month = np.repeat(month, repeat)
    n = len(spell)

    length_class = _choose(rng, ("short", "medium", "long"), EPISODE_CLASS_SHARES, n)
    short_length = 1 + _choose(rng, SHORT_LENGTH_WEIGHTS, SHORT_LENGTH_WEIGHTS, n)
    medium_length = rng.integers(11, 28, n)
    long_length = np.minimum(28 + rng.lognormal(np.log(30), 0.8, n).astype(np.int64), 365)
    length = np.choose(length_class, [short_length, medium_length, long_length])

    mix = np.array([REASON_MIX_BY_CLASS[c] for c in ("short", "medium", "long")])[length_class]
    respiratory = ABSENCE_REASON_GROUPS.index("infectious_respiratory")
    winter = 1.0 + RESPIRATORY_WINTER_AMPLITUDE * np.cos(2 * np.pi * (cal.calendar_month[month] - 1) / 12)
    mix[:, respiratory] *= np.where(length_class == 0, winter, 1.0)
    group = _choose_by_row(rng, mix)

    end = start + length - 1
    end = np.minimum(end, sp.leave[spell])  # truncated at the leaving date
    mat_start, mat_end = sp.mat_start[spell], sp.mat_end[spell]
    during_leave = (start >= mat_start) & (start <= mat_end)
    end = np.where((start < mat_start) & (end >= mat_start), mat_start - 1, end)

    keep = ~during_leave & (end >= period_start)  # the extract holds episodes overlapping its period
    spell, start, end, group, month = spell[keep], start[keep], end[keep], group[keep], month[keep]
    # No overlaps: drop an episode starting within a day of the end of any earlier one of the same spell.
    order = np.lexsort((start, spell))
    spell, start, end, group = spell[order], start[order], end[order], group[order]
    offset = spell.astype(np.int64) * (1 << 32)
    running_end = np.maximum.accumulate(offset + end) - offset
    previous_end = np.concatenate([[np.iinfo(np.int64).min // 2], running_end[:-1]])
    same_spell = np.concatenate([[False], spell[1:] == spell[:-1]])
    keep = ~same_spell | (start > previous_end + 1)
    spell, start, end, group = spell[keep], start[keep], end[keep], group[keep]
    n = len(spell)

    partial = (end == start) & (rng.random(n) < PARTIAL_DAY_SHARE_OF_ONE_DAY)
    hours_lost = np.where(partial, PARTIAL_HOURS[rng.integers(0, len(PARTIAL_HOURS), n)], np.nan)
    work_share = np.array([WORK_RELATED_SHARE.get(g, 0.01) for g in ABSENCE_REASON_GROUPS])[group]
    work_related = rng.random(n) < work_share
    code = np.empty(n, dtype=object)
    for g, name in enumerate(ABSENCE_REASON_GROUPS):
        these = np.nonzero(group == g)[0]
        options = ABSENCE_CODES[name]
        code[these] = np.array(list(options), dtype=object)[_choose(rng, list(options), list(options.values()),
                                                                    len(these))]
    open_at_extract = end > cal.extract_end

    order = np.lexsort((person_rank[sp.person[spell]], start))
    width = max(6, len(str(n)))
    return pd.DataFrame({
        "episode_id": np.array([f"E{i + 1:0{width}d}" for i in range(n)], dtype=object),
        "staff_pid": ids[sp.person[spell[order]]],
        "absence_start_date": _dates(start[order]),
        "absence_end_date": _dates(np.where(open_at_extract, NEVER, end)[order]),
        "absence_reason_code": code[order],
        "absence_reason_group": _names(ABSENCE_REASON_GROUPS, group[order]),
        "partial_day": pd.array(partial[order], dtype="boolean"),
        "hours_lost": hours_lost[order],
        "fte_days_lost_override": np.full(n, np.nan),
        "work_related": pd.array(work_related[order], dtype="boolean"),
    })


def _tenure_band(days_in_service: np.ndarray) -> np.ndarray:
    years = days_in_service / 365.25
    return np.select([years < 1, years < 2, years < 5], ["lt_1y", "1_2y", "2_5y"], "5y_plus").astype(object)


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


def reasons_frame(rng: np.random.Generator, sp: Spells, rows: SnapshotRows, cal: Calendar) -> pd.DataFrame:
    """Exit surveys from half the voluntary leavers and a stay survey each March (long: one row per reason).

    Only coarse role family and tenure band are kept, as an anonymous survey would: nothing links a response
    to a staff id.
    """
    family_of_role = np.array([ROLE_FAMILY_OF[r] for r in ROLE_GROUPS], dtype=object)
    voluntary = np.array([LEAVING_REASONS[r][1] for r in REASON_NAMES] + [False])[sp.reason]
    # Exit surveys ---------------------------------------------------------------------------------
    leavers = np.nonzero(voluntary & (sp.contract0 != BANK) & (sp.leave < NEVER))[0]
    leavers = leavers[rng.random(len(leavers)) < EXIT_SURVEY_RESPONSE_SHARE]
    n_exit = len(leavers)
    exit_date = np.maximum(sp.start[leavers], sp.leave[leavers] - rng.integers(0, 22, n_exit))
    main = _lookup(REASON_CODES, [EXIT_MAIN_REASON_OF[REASON_NAMES[r]] for r in sp.reason[leavers]])
    weights = np.zeros((n_exit, len(REASON_CODES)))
    weights[:, _lookup(REASON_CODES, EXIT_OTHER_REASON_WEIGHTS)] = list(EXIT_OTHER_REASON_WEIGHTS.values())
    weights[np.arange(n_exit), main] = 0.0  # the main reason is rank 1 and not repeated
    n_more = _choose(rng, (0, 1, 2), (0.35, 0.4, 0.25), n_exit)
    resp, code, rank = _top_k_without_replacement(rng, weights, n_more)
    exit_resp = np.concatenate([np.arange(n_exit), resp])
    exit_code = np.concatenate([main, code])
    exit_rank = np.concatenate([np.ones(n_exit, dtype=np.int64), rank + 1])
    would_return = np.select([rng.random(n_exit) < 0.55, rng.random(n_exit) < 0.67], [1, 0], -1)
    role_at_leaving = sp.at(sp.leave[leavers], leavers)["role"]
    exit_text = np.where(rng.random(n_exit) < FREE_TEXT_SHARE,
                         np.array(EXIT_FREE_TEXT, dtype=object)[rng.integers(0, len(EXIT_FREE_TEXT), n_exit)], None)
    exits = pd.DataFrame({
        "response": exit_resp,
        "instrument": "exit_survey",
        "response_day": exit_date[exit_resp],
        "role_family": family_of_role[role_at_leaving][exit_resp],
        "tenure_band": _tenure_band(exit_date - sp.start[leavers])[exit_resp],
        "direction": "reason_to_leave",
        "reason_code": np.array(REASON_CODES, dtype=object)[exit_code],
        "reason_rank": exit_rank,
        "intent_to_stay_12m": -1,
        "would_return": would_return[exit_resp],
        "free_text": np.where(exit_rank == 1, exit_text[exit_resp], None),
    })

    # Stay surveys: staff in post and at work at the end of February, answering in early March ------------
    month_start = cal.first.astype("datetime64[D]")
    stays = []
    next_response = n_exit
    for m in np.nonzero(np.char.endswith(month_start.astype(str), "-02-01"))[0]:
        survey_day = int(cal.last[m]) + 1  # 1 March
        if survey_day + 14 > cal.extract_end:
            continue
        here = np.nonzero((rows.month == m) & rows.in_post & ~rows.on_leave)[0]
        here = here[rng.random(len(here)) < STAY_SURVEY_RESPONSE_SHARE]
        k = len(here)
        day = survey_day + rng.integers(0, 14, k)
        probs = INTENT_TO_STAY_PROBS_AFTER if survey_day >= cal.strategy_day else INTENT_TO_STAY_PROBS_BEFORE
        intent = 1 + _choose(rng, probs, probs, k)
        parts = []
        for direction, mix, count_weights in (("reason_to_stay", STAY_REASON_WEIGHTS, (0, 0.3, 0.45, 0.25)),
                                              ("reason_might_leave", MIGHT_LEAVE_REASON_WEIGHTS, (0.3, 0.45, 0.25))):
            weights = np.zeros((k, len(REASON_CODES)))
            weights[:, _lookup(REASON_CODES, mix)] = list(mix.values())
            how_many = _choose(rng, count_weights, count_weights, k)
            resp, code, rank = _top_k_without_replacement(rng, weights, how_many)
            parts.append((direction, resp, code, rank))
        text = np.where(rng.random(k) < FREE_TEXT_SHARE,
                        np.array(STAY_FREE_TEXT, dtype=object)[rng.integers(0, len(STAY_FREE_TEXT), k)], None)
        tenure = _tenure_band(day - sp.start[rows.spell[here]])
        family = family_of_role[rows.role[here]]
        for direction, resp, code, rank in parts:
            stays.append(pd.DataFrame({
                "response": next_response + resp,
                "instrument": "stay_survey",
                "response_day": day[resp],
                "role_family": family[resp],
                "tenure_band": tenure[resp],
                "direction": direction,
                "reason_code": np.array(REASON_CODES, dtype=object)[code],
                "reason_rank": rank,
                "intent_to_stay_12m": intent[resp],
                "would_return": -1,
                "free_text": np.where((direction == "reason_to_stay") & (rank == 1), text[resp], None),
            }))
        next_response += k

    long = pd.concat([exits, *stays], ignore_index=True)
    unknown_tenure = rng.random(next_response) < 0.03
    long.loc[unknown_tenure[long["response"].to_numpy()], "tenure_band"] = "unknown"
    long["direction_order"] = long["direction"].map({d: i for i, d in enumerate(
        ("reason_to_leave", "reason_to_stay", "reason_might_leave"))})
    long = long.sort_values(["response_day", "response", "direction_order", "reason_rank"], kind="stable")
    # Response ids numbered in date order.
    first_seen = long.drop_duplicates("response")["response"].to_numpy()
    number = np.empty(next_response, dtype=np.int64)
    number[first_seen] = np.arange(len(first_seen)) + 1
    width = max(5, len(str(len(first_seen))))
    return pd.DataFrame({
        "response_id": [f"R{i:0{width}d}" for i in number[long["response"].to_numpy()]],
        "instrument": long["instrument"].to_numpy(dtype=object),
        "response_date": _dates(long["response_day"].to_numpy()),
        "role_family": long["role_family"].to_numpy(dtype=object),
        "tenure_band": long["tenure_band"].to_numpy(dtype=object),
        "direction": long["direction"].to_numpy(dtype=object),
        "reason_code": long["reason_code"].to_numpy(dtype=object),
        "reason_rank": pd.array(long["reason_rank"].to_numpy(), dtype="Int64"),
        "intent_to_stay_12m": pd.array(np.where(long["intent_to_stay_12m"] > 0, long["intent_to_stay_12m"], None),
                                       dtype="Int64"),
        "would_return": _flags(long["would_return"].to_numpy()),
        "free_text": long["free_text"].to_numpy(dtype=object),
    }).reset_index(drop=True)


def teams_frame(sp: Spells, teams: TeamDesign) -> pd.DataFrame:
    """Teams; each active from the 1 April before its longest-serving member started."""
    earliest = np.full(len(teams.codes), NEVER)
    np.minimum.at(earliest, sp.team, sp.start)
    april = _first_of_month(earliest, 0)
    month_number = (april.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12) + 1
    # Back to the April that began the financial year the team's first member joined in.
    active_from = _first_of_month(april, -((month_number - 4) % 12))
    return pd.DataFrame({
        "team_code": np.array(teams.codes, dtype=object),
        "team_name": np.array(teams.names, dtype=object),
        "active_from": _dates(active_from),
        "active_to": _dates(np.full(len(teams.codes), NEVER)),
        "parent_team_code": np.array([p or None for p in teams.parents], dtype=object),
    })


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


# --- writing -----------------------------------------------------------------------------------------------

FLOAT_DECIMALS = 2  # every float column: fixed 2 d.p., so files are byte-identical for a seed


def _as_text(values: pd.Series, column_type: str) -> np.ndarray:
    """One column as the text ttwell writes: dd/mm/yyyy dates, true/false, fixed decimals, blank for missing.

    Values are formatted once per distinct value (factorize), which keeps a million-row snapshot fast.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if column_type == "date":
        text = list(pd.DatetimeIndex(uniques).strftime("%d/%m/%Y"))
    elif column_type == "month":
        text = [str(u) for u in uniques]
    elif column_type == "float":
        text = [f"{u:.{FLOAT_DECIMALS}f}" for u in uniques]
    elif column_type == "bool":
        text = ["true" if u else "false" for u in uniques]
    elif column_type == "int":
        text = [str(int(u)) for u in uniques]
    else:
        text = [str(u) for u in uniques]
    return np.array(text + [""], dtype=object)[codes]  # code -1 (missing) picks the trailing ""


def workforce_as_text(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames as the text cells of their CSV files: what ``ttwell.inputs.io`` reads from a user's extract.

    Useful to validate generated data in memory (``ttwell.inputs.io.validate_frame``) without writing files.

    Examples
    --------
    >>> text = workforce_as_text(generate_workforce(seed=2024))
    >>> text["leavers"].loc[0, "leaving_date"]
    '01/04/2022'
    """
    return {kind: pd.DataFrame({c.name: _as_text(frame[c.name], c.type) for c in TEMPLATES[kind].columns})
            for kind, frame in frames.items()}


def write_workforce(frames: dict[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Write each frame as its template's CSV: header in template order, UTF-8, ``\\n`` line ends.

    Returns the paths written, in the order of ``frames``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, text in workforce_as_text(frames).items():
        path = folder / TEMPLATES[kind].filename
        text.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    return written
