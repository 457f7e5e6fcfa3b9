"""Input templates: the columns, types, allowed values and row rules of every input file.

This module is the one definition of each input (domain spec section 6). Validation (``ttwell.inputs.io``),
the blank CSV/XLSX templates and the data dictionary (``ttwell templates DIR``) are all generated from
it, so they cannot drift apart.

Example
-------
>>> from ttwell.inputs.templates import TEMPLATES
>>> TEMPLATES["staff_snapshot"].required_columns()[:3]
['snapshot_date', 'staff_pid', 'team_code']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# --- shared enums (domain spec 6.0) -------------------------------------------------------------

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


# --- template definitions -----------------------------------------------------------------------

TYPES = ("str", "int", "float", "bool", "date", "month", "enum")


@dataclass(frozen=True)
class Column:
    """One column of an input template.

    ``minimum``/``maximum`` bound numbers (errors outside); ``warn_above`` flags unusual but possible values.
    """

    name: str
    type: str
    required: bool
    description: str
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    warn_above: float | None = None
    min_exclusive: bool = False
    example: str = ""

    def expected(self) -> str:
        """Plain-English statement of what a value must look like."""
        if self.type == "date":
            return "a date as dd/mm/yyyy (for example 31/03/2024) or yyyy-mm-dd"
        if self.type == "month":
            return "a month as yyyy-mm (for example 2024-03)"
        if self.type == "bool":
            return "true or false (blank means false)"
        if self.type == "enum":
            shown = ", ".join(self.enum[:8]) + (", ..." if len(self.enum) > 8 else "")
            return f"one of: {shown}"
        if self.type in ("int", "float"):
            kind = "a whole number" if self.type == "int" else "a number"
            limits = []
            if self.minimum is not None:
                limits.append(f"{'above' if self.min_exclusive else 'at least'} {self.minimum:g}")
            if self.maximum is not None:
                limits.append(f"at most {self.maximum:g}")
            return kind + (" " + " and ".join(limits) if limits else "")
        return "text"


@dataclass(frozen=True)
class Template:
    """One input file: its columns and the rules a whole row or file must keep."""

    kind: str
    filename: str
    title: str
    description: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    # (earlier, later): later must be on or after earlier when both are given
    ordered: tuple[tuple[str, str], ...] = ()
    month_end: tuple[str, ...] = ()
    defaults: dict = field(default_factory=dict)
    # A header with no rows can be genuine (no leavers this year); then it is a warning, not an error.
    may_be_empty: bool = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _c(name, type_, required, description, **kw) -> Column:
    if "enum" in kw and kw["enum"] is not None:
        kw["enum"] = tuple(kw["enum"])
    return Column(name, type_, required, description, **kw)


TEMPLATES: dict[str, Template] = {}


def _register(t: Template) -> Template:
    TEMPLATES[t.kind] = t
    return t


_register(Template(
    kind="staff_snapshot",
    filename="staff_monthly_snapshot.csv",
    title="Monthly staff snapshot (ESR extract)",
    description="One row per person per month-end. Bank/agency/honorary rows may be included: they are "
                "loaded but not counted as staff in post.",
    columns=(
        _c("snapshot_date", "date", True, "Last calendar day of the month the snapshot describes.", example="31/03/2024"),
        _c("staff_pid", "str", True, "Pseudonymous staff id, stable across extracts (never a name or ESR number).", example="a1b2c3d4e5f60718"),
        _c("team_code", "str", True, "Primary team at the snapshot date; must be listed in teams.csv.", example="T01"),
        _c("role_group", "enum", True, "Role group (domain spec 6.0).", enum=ROLE_GROUPS, example="pwp"),
        _c("afc_band", "enum", True, "Agenda for Change band.", enum=AFC_BANDS, example="band_5"),
        _c("contract_type", "enum", True, "Contract type; bank, agency and honorary are not staff in post.", enum=CONTRACT_TYPES, example="permanent"),
        _c("assignment_status", "enum", True, "Assignment status at the snapshot date.", enum=ASSIGNMENT_STATUSES, example="active"),
        _c("fte", "float", True, "Full-time equivalent, summed over assignments.", minimum=0, maximum=1.5, min_exclusive=True, warn_above=1.0, example="0.8"),
        _c("contracted_hours_per_week", "float", False, "Contracted hours per week.", minimum=0, maximum=60, example="30"),
        _c("service_start_date", "date", True, "Start of continuous employment in this service.", example="01/09/2021"),
        _c("nhs_start_date", "date", False, "Start of NHS service.", example="01/09/2015"),
        _c("fixed_term_end_date", "date", False, "End date of a fixed-term contract.", example=""),
        _c("in_scope", "bool", False, "False for staff outside the Talking Therapies service boundary (blank = true).", example="true"),
    ),
    unique=(("snapshot_date", "staff_pid"),),
    ordered=(("service_start_date", "snapshot_date"),),
    month_end=("snapshot_date",),
    defaults={"in_scope": True},
))

_register(Template(
    kind="absence",
    may_be_empty=True,
    filename="absence_episodes.csv",
    title="Sickness absence episodes",
    description="One row per sickness absence episode. Blank end date = still open at the extract date.",
    columns=(
        _c("episode_id", "str", True, "Unique id of the episode.", example="E000123"),
        _c("staff_pid", "str", True, "Pseudonymous staff id (as in the staff snapshot).", example="a1b2c3d4e5f60718"),
        _c("absence_start_date", "date", True, "First calendar day absent.", example="03/01/2024"),
        _c("absence_end_date", "date", False, "Last calendar day absent; blank if the episode is open.", example="09/01/2024"),
        _c("absence_reason_code", "str", False, "ESR reason code or text as extracted (health data: never shown below service level).", example="S10"),
        _c("absence_reason_group", "enum", False, "Grouped reason.", enum=ABSENCE_REASON_GROUPS, example="mental_health"),
        _c("partial_day", "bool", False, "True for a part-day absence (blank = false).", example="false"),
        _c("hours_lost", "float", False, "Hours lost, for part-day absences.", minimum=0, maximum=24, example=""),
        _c("fte_days_lost_override", "float", False, "FTE days lost as supplied by ESR/e-rostering; used instead of the calculation when given.", minimum=0, example=""),
        _c("work_related", "bool", False, "Work-related absence.", example="false"),
    ),
    unique=(("episode_id",),),
    ordered=(("absence_start_date", "absence_end_date"),),
    defaults={"partial_day": False, "work_related": False},
))

_register(Template(
    kind="leavers",
    may_be_empty=True,
    filename="leavers.csv",
    title="Leavers (terminations)",
    description="One row per termination of employment in the service.",
    columns=(
        _c("staff_pid", "str", True, "Pseudonymous staff id.", example="a1b2c3d4e5f60718"),
        _c("leaving_date", "date", True, "Last day of employment.", example="31/01/2024"),
        _c("leaving_reason_esr", "enum", True, "ESR reason for leaving, exactly as ESR spells it (domain spec 1.8).", enum=list(LEAVING_REASONS), example="Voluntary Resignation - Work Life Balance"),
        _c("leaving_destination", "enum", False, "Destination on leaving.", enum=LEAVING_DESTINATIONS, example="other_nhs"),
        _c("fte_at_leaving", "float", True, "FTE at the leaving date.", minimum=0, maximum=1.5, min_exclusive=True, example="1.0"),
        _c("role_group", "enum", True, "Role group at leaving.", enum=ROLE_GROUPS, example="hi_therapist"),
        _c("team_code", "str", True, "Team at leaving; must be listed in teams.csv.", example="T02"),
        _c("service_start_date", "date", True, "Start of continuous employment in the service.", example="01/09/2021"),
        _c("training_completed", "bool", False, "Trainees only: training completed.", example=""),
    ),
    unique=(("staff_pid", "leaving_date"),),
    ordered=(("service_start_date", "leaving_date"),),
))

_register(Template(
    kind="establishment",
    may_be_empty=True,
    filename="establishment_monthly.csv",
    title="Establishment and vacancies",
    description="Funded establishment FTE per month, team and role group. Blank vacancy_fte is derived as "
                "establishment minus staff-in-post FTE.",
    columns=(
        _c("month", "month", True, "Month as yyyy-mm.", example="2024-03"),
        _c("team_code", "str", True, "Team; must be listed in teams.csv.", example="T01"),
        _c("role_group", "enum", True, "Role group.", enum=ROLE_GROUPS, example="pwp"),
        _c("establishment_fte", "float", True, "Funded, planned FTE.", minimum=0, example="12.0"),
        _c("vacancy_fte", "float", False, "Vacant FTE (blank: derived from staff in post).", minimum=0, example="1.5"),
        _c("vacancies_advertised", "int", False, "Posts advertised.", minimum=0, example="1"),
        _c("bank_agency_fte_used", "float", False, "Bank/agency FTE used to cover gaps.", minimum=0, example="0.5"),
    ),
    unique=(("month", "team_code", "role_group"),),
))

_register(Template(
    kind="reasons",
    may_be_empty=True,
    filename="leaver_stayer_reasons.csv",
    title="Exit and stay reasons",
    description="Exit and stay survey/interview reasons, one row per reason selected. Held apart from HR data; "
                "free text is never shown in reports.",
    columns=(
        _c("response_id", "str", True, "Id of the survey response or interview.", example="R0001"),
        _c("instrument", "enum", True, "How the reason was collected.", enum=REASON_INSTRUMENTS, example="exit_survey"),
        _c("response_date", "date", True, "Date of the response.", example="15/02/2024"),
        _c("role_family", "enum", False, "Coarse role family only.", enum=ROLE_FAMILIES, example="low_intensity"),
        _c("tenure_band", "enum", False, "Tenure band.", enum=TENURE_BANDS, example="1_2y"),
        _c("direction", "enum", True, "Reason to leave (exit) or to stay / might leave (stay).", enum=REASON_DIRECTIONS, example="reason_to_leave"),
        _c("reason_code", "enum", True, "Reason (domain spec 6.5).", enum=REASON_CODES, example="caseload_workload"),
        _c("reason_rank", "int", False, "1 = main reason.", minimum=1, maximum=30, example="1"),
        _c("intent_to_stay_12m", "int", False, "Stay surveys: 1 very unlikely ... 5 very likely.", minimum=1, maximum=5, example=""),
        _c("would_return", "bool", False, "Exit surveys: would return.", example=""),
        _c("free_text", "str", False, "Never shown in any report (domain spec 4.2 rule 8).", example=""),
    ),
    unique=(("response_id", "direction", "reason_code"),),
))

_register(Template(
    kind="teams",
    filename="teams.csv",
    title="Teams",
    description="The service's teams. parent_team_code names the team a small team is merged into.",
    columns=(
        _c("team_code", "str", True, "Team code used in the other files.", example="T01"),
        _c("team_name", "str", True, "Team name as shown in reports.", example="Northtown PWP team"),
        _c("active_from", "date", False, "Date the team started.", example="01/04/2020"),
        _c("active_to", "date", False, "Date the team closed (blank = still active).", example=""),
        _c("parent_team_code", "str", False, "Team to merge into when this team is too small to report.", example=""),
    ),
    unique=(("team_code",),),
    ordered=(("active_from", "active_to"),),
))

SURVEY_MODES = ["online", "paper", "mixed"]
PS_VARIANTS = ["edmondson_1999", "strategy_positive"]
OLBI_CODINGS = ["SA1_SD4", "SD1_SA4"]

_register(Template(
    kind="survey_waves",
    filename="survey_waves.csv",
    title="Survey waves",
    description="One row per survey wave: which instruments it carried, when, and how many staff were eligible.",
    columns=(
        _c("wave_id", "str", True, "Id of the wave, used in the responses file.", example="2024_baseline"),
        _c("instruments", "str", True, "Instrument ids carried, separated by ';' (for example OLBI;WRQOL;TPS).", example="OLBI;WRQOL;BPNSW;TPS"),
        _c("opened_on", "date", True, "First day of fieldwork.", example="04/03/2024"),
        _c("closed_on", "date", True, "Last day of fieldwork.", example="22/03/2024"),
        _c("mode", "enum", False, "How the survey was run.", enum=SURVEY_MODES, example="online"),
        _c("eligible_n", "int", True, "Staff in post eligible to respond (for the response rate).", minimum=1, example="178"),
        _c("linked_design", "bool", False, "True only if respondent_pid was collected (blank = false).", example="false"),
        _c("ps_variant", "enum", False, "Psychological safety wording used: Edmondson 1999 or the strategy's all-positive version.", enum=PS_VARIANTS, example="strategy_positive"),
        _c("olbi_response_coding", "enum", False, "OLBI coding: SA1_SD4 (strongly agree = 1, default) or SD1_SA4.", enum=OLBI_CODINGS, example="SA1_SD4"),
        _c("notes", "str", False, "Notes about the wave.", example=""),
    ),
    unique=(("wave_id",),),
    ordered=(("opened_on", "closed_on"),),
    defaults={"linked_design": False, "olbi_response_coding": "SA1_SD4"},
))

_register(Template(
    kind="survey_responses",
    filename="survey_responses_long.csv",
    title="Survey responses (long form)",
    description="One row per respondent per item. Item values are checked against each instrument's coding when "
                "scored. A wide form (one column per item_id) is also accepted by the scorer.",
    columns=(
        _c("wave_id", "str", True, "Wave id, as in survey_waves.csv.", example="2024_baseline"),
        _c("response_id", "str", True, "Id of one completed questionnaire, unique within the wave.", example="R0001"),
        _c("respondent_pid", "str", False, "Pseudonymous respondent id, only in linked designs.", example=""),
        _c("submitted_at", "str", False, "When the response was submitted.", example="05/03/2024 10:12"),
        _c("team_code", "str", False, "Team (leave blank in anonymous waves where teams have fewer than 11 staff).", example="T01"),
        _c("role_family", "enum", False, "Coarse role family.", enum=ROLE_FAMILIES, example="low_intensity"),
        _c("tenure_band", "enum", False, "Tenure band.", enum=TENURE_BANDS, example="1_2y"),
        _c("instrument", "str", True, "Instrument id (OLBI, WRQOL, BPNSW, TPS, CBI, SWEMWBS, NQPS9, JOY or your own).", example="OLBI"),
        _c("item_id", "str", True, "Item id, such as OLBI_03.", example="OLBI_03"),
        _c("item_value", "int", False, "The answer as coded by the instrument; blank = missing.", example="2"),
    ),
    unique=(("wave_id", "response_id", "instrument", "item_id"),),
))

_register(Template(
    kind="nss_scores",
    filename="nss_scores.csv",
    title="Published NHS Staff Survey / pulse scores",
    description="Published scores as the NHS Staff Survey or National Quarterly Pulse Survey report them. Rows "
                "with fewer than 11 responses are rejected.",
    columns=(
        _c("year", "int", True, "Survey year.", minimum=2016, maximum=2100, example="2024"),
        _c("source", "enum", True, "nss (annual NHS Staff Survey) or nqps (National Quarterly Pulse Survey).", enum=["nss", "nqps"], example="nss"),
        _c("org_code", "str", True, "Organisation code.", example="SYN01"),
        _c("breakdown_level", "enum", True, "Level of the published breakdown.", enum=["organisation", "directorate", "team"], example="directorate"),
        _c("breakdown_value", "str", True, "Name of the organisation, directorate or team.", example="Talking Therapies"),
        _c("measure_type", "enum", True, "Theme, People Promise element, sub-score or question.", enum=["theme", "element", "sub_score", "question"], example="theme"),
        _c("measure_id", "str", True, "Measure id, such as staff_engagement, morale, we_are_a_team or q2a.", example="staff_engagement"),
        _c("score", "float", True, "Published score (0-10 or %).", minimum=0, maximum=100, example="7.1"),
        _c("score_unit", "enum", True, "score_0_10 or percent.", enum=["score_0_10", "percent"], example="score_0_10"),
        _c("n_responses", "int", True, "Responses behind the score (11 or more).", minimum=11, example="124"),
        _c("benchmark_group", "str", False, "Benchmark group named in the published report.", example="Mental health and learning disability trusts"),
        _c("benchmark_median", "float", False, "Benchmark median published alongside.", minimum=0, maximum=100, example="6.9"),
    ),
    unique=(("year", "source", "breakdown_level", "breakdown_value", "measure_id"),),
))

STRATEGY_AIMS = ["leading_with_compassion", "managing_collaboratively", "team_working_effectively",
                 "belonging_for_and_by_all"]
CYCLE_PURPOSES = ["collect_information", "develop_change", "test_change", "implement_change"]
ACT_DECISIONS = ["adopt", "adapt", "abandon"]
CYCLE_STATUSES = ["planned", "in_progress", "completed", "stopped"]

_register(Template(
    kind="pdsa_log",
    filename="pdsa_log.csv",
    title="PDSA cycle log",
    description="One row per Plan-Do-Study-Act cycle (Model for Improvement worksheet fields). Free text must "
                "not name staff: use roles.",
    columns=(
        _c("project_id", "str", True, "Improvement project.", example="P01"),
        _c("aim_statement", "str", True, "What are we trying to accomplish? (what, by how much, by when)", example="Reduce sickness absence in the North PWP team from 6% to 4% by March 2025"),
        _c("strategy_aim", "enum", True, "Strategy objective the project serves.", enum=STRATEGY_AIMS, example="team_working_effectively"),
        _c("measures", "str", True, "Measure ids, separated by ';' (outcome, process, balancing).", example="sickness_absence_rate_month"),
        _c("change_idea_id", "str", True, "Change idea.", example="C01"),
        _c("change_idea", "str", True, "What change can we make that will result in improvement?", example="Weekly team huddle"),
        _c("cycle_id", "str", True, "Unique id of the cycle.", example="C01-1"),
        _c("cycle_number", "int", True, "1, 2, ... within the change idea.", minimum=1, example="1"),
        _c("cycle_purpose", "enum", False, "This cycle will...", enum=CYCLE_PURPOSES, example="test_change"),
        _c("owner_role", "str", False, "Role (not name) of the cycle owner.", example="team lead"),
        _c("objective", "str", True, "Objective of this cycle.", example="Test a 10-minute weekly huddle"),
        _c("questions", "str", False, "Questions the cycle should answer.", example=""),
        _c("prediction", "str", True, "What do we think will happen?", example="Absence falls within three months"),
        _c("plan_who", "str", False, "Who.", example=""),
        _c("plan_what", "str", False, "What.", example=""),
        _c("plan_where", "str", False, "Where.", example=""),
        _c("plan_when", "str", False, "When.", example=""),
        _c("data_plan", "str", False, "Data needed and how collected.", example=""),
        _c("planned_start_date", "date", True, "Planned start.", example="01/05/2024"),
        _c("planned_end_date", "date", True, "Planned end.", example="31/07/2024"),
        _c("actual_start_date", "date", False, "Actual start.", example="06/05/2024"),
        _c("actual_end_date", "date", False, "Actual end.", example="31/07/2024"),
        _c("carried_out_as_planned", "bool", False, "Carried out as planned.", example="true"),
        _c("do_observations", "str", False, "What happened, including problems and surprises.", example=""),
        _c("study_summary", "str", False, "Data compared with the prediction.", example=""),
        _c("prediction_confirmed", "enum", False, "Was the prediction confirmed?", enum=["yes", "no", "partly"], example="partly"),
        _c("act_decision", "enum", False, "Adopt, adapt or abandon (required once completed).", enum=ACT_DECISIONS, example="adopt"),
        _c("next_steps", "str", False, "Next steps.", example=""),
        _c("next_cycle_id", "str", False, "The cycle that follows.", example=""),
        _c("status", "enum", True, "Cycle status.", enum=CYCLE_STATUSES, example="completed"),
    ),
    unique=(("cycle_id",),),
    ordered=(("planned_start_date", "planned_end_date"), ("actual_start_date", "actual_end_date")),
))

_register(Template(
    kind="pdsa_measures",
    filename="pdsa_measures.csv",
    title="Measures for PDSA review",
    description="One row per measure per period (normally a month): the value, or the numerator and denominator "
                "for proportions and rates. Measure ids match the 'measures' column of the PDSA log.",
    columns=(
        _c("measure_id", "str", True, "Measure id, as named in the PDSA log.", example="joy_often_always_pct"),
        _c("date", "date", True, "Date the value describes (for monthly measures, the month-end).", example="31/05/2024"),
        _c("value", "float", False, "The value (blank when numerator and denominator are given).", example="61.5"),
        _c("numerator", "float", False, "Numerator, for p and u charts.", minimum=0, example="48"),
        _c("denominator", "float", False, "Denominator, for p and u charts.", minimum=0, min_exclusive=True, example="78"),
        _c("facet", "str", False, "Team or other breakdown (blank = whole service).", example=""),
    ),
    unique=(("measure_id", "facet", "date"),),
))

TRAINING_TIMEPOINTS = ["pre", "post", "follow_up"]

_register(Template(
    kind="training_confidence",
    filename="training_confidence.csv",
    title="Training confidence before and after (long form)",
    description="One row per attendee per timepoint per knowledge area: self-rated confidence. Area labels are in "
                "training_areas.csv. A wide form (one column per timepoint and area, such as pre_1 ... post_7) and "
                "0-10 or 1-5 answer scales are also accepted by ttwell.inputs.io.read_training.",
    columns=(
        _c("programme_id", "str", True, "Training programme.", example="TIC2024"),
        _c("session_id", "str", False, "Session (date or cohort) the attendee was in.", example="S1"),
        _c("session_date", "date", True, "Date of the training session.", example="12/06/2024"),
        _c("participant_pid", "str", True, "Pseudonymous attendee code, the same before and after (for example a "
                                           "self-generated code; never a name or staff number).", example="K7QF2M"),
        _c("team_code", "str", False, "Attendee's team.", example="T01"),
        _c("role_family", "enum", False, "Coarse role family.", enum=ROLE_FAMILIES, example="low_intensity"),
        _c("timepoint", "enum", True, "When the rating was given.", enum=TRAINING_TIMEPOINTS, example="pre"),
        _c("area_id", "int", True, "Knowledge area (1, 2, ...), labelled in training_areas.csv.", minimum=1, example="1"),
        # No declared range: the reader checks it on the declared answer scale (0-100, 0-10 or 1-5) before
        # converting to 0-100.
        _c("confidence_pct", "float", True, "Confidence in this area, 0-100% (or a 0-10 / 1-5 scale declared when "
                                            "reading).", example="60"),
        _c("response_date", "date", False, "Date the form was filled in (blank = the session date).", example="12/06/2024"),
    ),
    unique=(("programme_id", "participant_pid", "timepoint", "area_id"),),
))

_register(Template(
    kind="training_areas",
    filename="training_areas.csv",
    title="Training knowledge areas",
    description="The knowledge areas a training programme's confidence questions cover, with their labels.",
    columns=(
        _c("programme_id", "str", True, "Training programme, as in training_confidence.csv.", example="TIC2024"),
        _c("area_id", "int", True, "Area number, as in training_confidence.csv.", minimum=1, example="1"),
        _c("area_label", "str", True, "The area as worded on the form.", example="Prevalence of trauma"),
    ),
    unique=(("programme_id", "area_id"),),
))

SURVEY_INPUTS = {
    "survey_waves": "survey_waves_file",
    "survey_responses": "survey_responses_file",
    "nss_scores": "nss_scores_file",
}

# The inputs of the workforce half of the baseline notebook, with the parameter naming each file.
WORKFORCE_INPUTS = {
    "staff_snapshot": "staff_snapshot_file",
    "absence": "absence_file",
    "leavers": "leavers_file",
    "establishment": "establishment_file",
    "reasons": "reasons_file",
    "teams": "teams_file",
}
OPTIONAL_INPUTS = {"establishment", "reasons"}
# Every template kind that a notebook parameter names, with that parameter.
FILE_PARAMETERS = {
    **WORKFORCE_INPUTS, **SURVEY_INPUTS,
    "pdsa_measures": "measures_file", "pdsa_log": "pdsa_log_file",
    "training_confidence": "training_file", "training_areas": "areas_file",
}


def template_name(kind: str) -> str:
    """A template's name: its file name without the extension (``staff_snapshot`` -> ``staff_monthly_snapshot``)."""
    return TEMPLATES[kind].filename.rsplit(".", 1)[0]


def kind_names() -> list[str]:
    """Every name a kind may be given by: the template names, then the short names that differ."""
    names = [template_name(k) for k in TEMPLATES]
    return names + [k for k in TEMPLATES if k not in names]


def kind_from_name(name: str) -> str | None:
    """The template kind for a template's name, a short name or a file name; ``None`` when unknown.

    Examples
    --------
    >>> kind_from_name("staff_monthly_snapshot"), kind_from_name("staff_snapshot"), kind_from_name("absence_episodes.xlsx")
    ('staff_snapshot', 'staff_snapshot', 'absence')
    >>> kind_from_name("staf_snapshot") is None
    True
    """
    text = str(name).strip()
    stem = Path(text).name.rsplit(".", 1)[0] if Path(text).suffix.lower() in (".csv", ".xlsx", ".xlsm") else text
    stem = stem.strip().lower()
    if stem in TEMPLATES:
        return stem
    return next((k for k in TEMPLATES if template_name(k) == stem), None)


def input_kind_of(file_parameter: str) -> str | None:
    """The template kind a file parameter names (``staff_snapshot_file`` -> ``staff_snapshot``), if any."""
    return next((kind for kind, key in FILE_PARAMETERS.items() if key == file_parameter), None)


# --- blank templates and data dictionary --------------------------------------------------------

def data_dictionary():
    """One row per template column: file, column, type, required, allowed values, description."""
    import pandas as pd

    rows = []
    for t in TEMPLATES.values():
        for c in t.columns:
            rows.append({
                "file": t.filename,
                "column": c.name,
                "type": c.type,
                "required": "yes" if c.required else "no",
                "expected": c.expected(),
                "allowed_values": "; ".join(c.enum) if c.enum else "",
                "description": c.description,
                "example": c.example,
            })
    return pd.DataFrame(rows)


def write_blank_templates(folder: str | Path) -> list[Path]:
    """Write every input template as CSV (header only) and one XLSX workbook, plus the data dictionary.

    Returns the paths written. CSVs are UTF-8 with BOM so Excel opens them cleanly.
    """
    import pandas as pd
    from openpyxl.styles import Font, PatternFill

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for t in TEMPLATES.values():
        path = folder / t.filename
        pd.DataFrame(columns=t.column_names()).to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    dictionary = data_dictionary()
    path = folder / "data_dictionary.csv"
    dictionary.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    written.append(path)

    xlsx = folder / "ttwell_input_templates.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        dictionary.to_excel(writer, sheet_name="data_dictionary", index=False)
        for t in TEMPLATES.values():
            pd.DataFrame(columns=t.column_names()).to_excel(writer, sheet_name=t.kind, index=False)
        for ws in writer.book.worksheets:
            for cell in ws[1]:
                cell.font = Font(bold=True, color="FFFFFF")
                cell.fill = PatternFill("solid", fgColor="005EB8")
            ws.freeze_panes = "A2"
    written.append(xlsx)
    return written
