"""What the synthetic service is made of: the planted effects and rates (their sizes are quoted in
``data/synthetic/README.md``), the shape of the service (teams, roles, bands, hours) and the mixes of
leaving reasons, destinations, absence reasons and survey answers the generator draws from.
"""

from __future__ import annotations

import numpy as np


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

VOLUNTARY_DESTINATIONS = {"same_trust_other_service": 0.08, "other_nhs_talking_therapies": 0.27, "other_nhs": 0.2,
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
