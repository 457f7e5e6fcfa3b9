"""The shared allowed values of the input templates (domain spec 6.0): roles, bands, contracts, statuses,
ESR leaving reasons and exit/stay reason codes, and the columns that identify a person.

The calculators read these too (for example which contract types count as staff in post), so each list is
defined once, here.
"""

from __future__ import annotations

ROLE_FAMILY_OF = {
    "pwp": "low_intensity",
    "pwp_trainee": "low_intensity",
    "senior_pwp": "low_intensity",
    "hi_therapist": "high_intensity",
    "hi_trainee": "high_intensity",
    "counsellor": "high_intensity",
    "other_therapist": "high_intensity",
    "psychologist": "high_intensity",
    "employment_advisor": "employment_support",
    "admin": "admin_management",
    "manager_lead": "admin_management",
    "peer_support": "admin_management",
    "other": "admin_management",
}
ROLE_GROUPS = list(ROLE_FAMILY_OF)
ROLE_FAMILY_LABELS = {
    "low_intensity": "Low intensity (PWPs)",
    "high_intensity": "High intensity and counselling",
    "employment_support": "Employment support",
    "admin_management": "Admin, management and other",
}
ROLE_FAMILIES = ["low_intensity", "high_intensity", "employment_support", "admin_management"]
TRAINEE_ROLE_GROUPS = ["pwp_trainee", "hi_trainee"]
AFC_BANDS = [f"band_{b}" for b in range(2, 8)] + [
    "band_8a", "band_8b", "band_8c", "band_8d", "band_9", "non_afc", "unknown",
]
CONTRACT_TYPES = ["permanent", "fixed_term", "bank", "agency", "honorary", "secondment_in"]
# Substantive staff count as staff in post; bank, agency and honorary do not (domain spec 1.1, 6.1).
IN_POST_CONTRACT_TYPES = ["permanent", "fixed_term", "secondment_in"]
ASSIGNMENT_STATUSES = ["active", "maternity_adoption_leave", "career_break", "suspended", "secondment_out"]
LEAVE_OF_ABSENCE_STATUSES = ["maternity_adoption_leave", "career_break"]
TENURE_BANDS = ["lt_1y", "1_2y", "2_5y", "5y_plus", "unknown"]
ABSENCE_REASON_GROUPS = ["mental_health", "musculoskeletal", "infectious_respiratory", "gastro", "other", "unknown"]
LEAVING_DESTINATIONS = [
    "same_trust_other_service", "other_nhs_talking_therapies", "other_nhs", "private_or_third_sector",
    "education", "not_working", "retired", "unknown",
]

# ESR reasons for leaving (domain spec 1.8): reason -> (group, voluntary). The voluntary flag is a
# ttwell proposal (spec marks it PROPOSED); "excluded" reasons never count as leavers.
LEAVING_REASONS: dict[str, tuple[str, bool]] = {
    "Voluntary Resignation - Adult Dependants": ("resignation", True),
    "Voluntary Resignation - Child Dependants": ("resignation", True),
    "Voluntary Resignation - Health": ("resignation", True),
    "Voluntary Resignation - Incompatible Working Relationships": ("resignation", True),
    "Voluntary Resignation - Lack of Opportunities": ("resignation", True),
    "Voluntary Resignation - Other/Not Known": ("resignation", True),
    "Voluntary Resignation - Pay and Reward Related": ("resignation", True),
    "Voluntary Resignation - Promotion": ("resignation", True),
    "Voluntary Resignation - Relocation": ("resignation", True),
    "Voluntary Resignation - To undertake further education or training": ("resignation", True),
    "Voluntary Resignation - Work Life Balance": ("resignation", True),
    "Mutually Agreed Resignation - Local Scheme with Repayment": ("resignation", False),
    "Mutually Agreed Resignation - Local Scheme without Repayment": ("resignation", False),
    "Mutually Agreed Resignation - National Scheme with Repayment": ("resignation", False),
    "Retirement Age": ("retirement", False),
    "Retirement - Ill Health": ("retirement", False),
    "Flexi Retirement": ("retirement", False),
    "Voluntary Early Retirement - no Actuarial Reduction": ("retirement", True),
    "Voluntary Early Retirement - with Actuarial Reduction": ("retirement", True),
    "Initial Pension Ended": ("retirement", False),
    "End of Fixed Term Contract": ("end_of_contract", False),
    "End of Fixed Term Contract - Completion of Training Scheme": ("end_of_contract", False),
    "End of Fixed Term Contract - End of Work Requirement": ("end_of_contract", False),
    "End of Fixed Term Contract - External Rotation": ("end_of_contract", False),
    "End of Fixed Term Contract - Other": ("end_of_contract", False),
    "Dismissal - Capability": ("dismissal", False),
    "Dismissal - Conduct": ("dismissal", False),
    "Dismissal - Some Other Substantial Reason": ("dismissal", False),
    "Dismissal - Statutory Reason": ("dismissal", False),
    "Redundancy - Compulsory": ("redundancy", False),
    "Redundancy - Voluntary": ("redundancy", False),
    "Employee Transfer": ("transfer", False),
    "Death in Service": ("death", False),
    "Pregnancy": ("other_unknown", False),
    "Bank Staff not fulfilled minimum work requirement": ("excluded", False),
    "Merged Organisation - Duplicate Record": ("excluded", False),
    "Not Set in Legacy at Migration": ("other_unknown", False),
    "Has Not Worked": ("excluded", False),
    "Unknown": ("other_unknown", False),
}
TRAINING_COMPLETION_REASONS = [
    "End of Fixed Term Contract - Completion of Training Scheme",
    "End of Fixed Term Contract - External Rotation",
]

REASON_INSTRUMENTS = ["exit_survey", "exit_interview", "stay_survey", "stay_interview"]
REASON_DIRECTIONS = ["reason_to_leave", "reason_to_stay", "reason_might_leave"]
REASON_CODES = [
    "work_life_balance", "caseload_workload", "targets_performance_pressure", "contact_mode_intensity",
    "clinical_supervision", "line_management", "team_relationships", "career_progression",
    "training_development", "pay_reward", "flexible_hybrid_working", "relocation_travel", "own_health",
    "caring_child", "caring_adult", "autonomy_control", "belonging_inclusion_discrimination",
    "organisational_change", "retirement", "end_of_training_contract", "other",
]

# Columns that identify a person or a record about one person: never allowed in any output.
IDENTIFIER_COLUMNS = frozenset({
    "staff_pid", "respondent_pid", "participant_pid", "episode_id", "response_id",
})
