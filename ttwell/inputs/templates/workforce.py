"""Templates of the workforce inputs: staff snapshot, absence episodes, leavers, establishment, exit/stay
reasons and the teams file."""

from __future__ import annotations

from ttwell.inputs.templates.columns import TENURE_BAND_COLUMN, Template, column
from ttwell.inputs.templates.enums import (ABSENCE_REASON_GROUPS, AFC_BANDS, ASSIGNMENT_STATUSES, CONTRACT_TYPES,
                                          LEAVING_DESTINATIONS, LEAVING_REASONS, REASON_CODES, REASON_DIRECTIONS,
                                          REASON_INSTRUMENTS, ROLE_FAMILIES, ROLE_GROUPS)

STAFF_SNAPSHOT = Template(
    kind="staff_snapshot",
    filename="staff_monthly_snapshot.csv",
    title="Monthly staff snapshot (ESR extract)",
    description="One row per person per month-end. Bank/agency/honorary rows may be included: they are "
                "loaded but not counted as staff in post.",
    columns=(
        column("snapshot_date", "date", True, "Last calendar day of the month the snapshot describes.", example="31/03/2024"),
        column("staff_pid", "str", True, "Pseudonymous staff id, stable across extracts (never a name or ESR number).", example="a1b2c3d4e5f60718"),
        column("team_code", "str", True, "Primary team at the snapshot date; must be listed in teams.csv.", example="T01"),
        column("role_group", "enum", True, "Role group (domain spec 6.0).", enum=ROLE_GROUPS, example="pwp"),
        column("afc_band", "enum", True, "Agenda for Change band.", enum=AFC_BANDS, example="band_5"),
        column("contract_type", "enum", True, "Contract type; bank, agency and honorary are not staff in post.", enum=CONTRACT_TYPES, example="permanent"),
        column("assignment_status", "enum", True, "Assignment status at the snapshot date.", enum=ASSIGNMENT_STATUSES, example="active"),
        column("fte", "float", True, "Full-time equivalent, summed over assignments.", minimum=0, maximum=1.5, min_exclusive=True, warn_above=1.0, example="0.8"),
        column("contracted_hours_per_week", "float", False, "Contracted hours per week.", minimum=0, maximum=60, example="30"),
        column("service_start_date", "date", True, "Start of continuous employment in this service.", example="01/09/2021"),
        column("nhs_start_date", "date", False, "Start of NHS service.", example="01/09/2015"),
        column("fixed_term_end_date", "date", False, "End date of a fixed-term contract.", example=""),
        column("in_scope", "bool", False, "False for staff outside the Talking Therapies service boundary (blank = true).", example="true"),
    ),
    unique=(("snapshot_date", "staff_pid"),),
    ordered=(("service_start_date", "snapshot_date"),),
    month_end=("snapshot_date",),
    defaults={"in_scope": True},
)

ABSENCE = Template(
    kind="absence",
    may_be_empty=True,
    filename="absence_episodes.csv",
    title="Sickness absence episodes",
    description="One row per sickness absence episode. Blank end date = still open at the extract date.",
    columns=(
        column("episode_id", "str", True, "Unique id of the episode.", example="E000123"),
        column("staff_pid", "str", True, "Pseudonymous staff id (as in the staff snapshot).", example="a1b2c3d4e5f60718"),
        column("absence_start_date", "date", True, "First calendar day absent.", example="03/01/2024"),
        column("absence_end_date", "date", False, "Last calendar day absent; blank if the episode is open.", example="09/01/2024"),
        column("absence_reason_code", "str", False, "ESR reason code or text as extracted (health data: never shown below service level).", example="S10"),
        column("absence_reason_group", "enum", False, "Grouped reason.", enum=ABSENCE_REASON_GROUPS, example="mental_health"),
        column("partial_day", "bool", False, "True for a part-day absence (blank = false).", example="false"),
        column("hours_lost", "float", False, "Hours lost, for part-day absences.", minimum=0, maximum=24, example=""),
        column("fte_days_lost_override", "float", False, "FTE days lost as supplied by ESR/e-rostering; used instead of the calculation when given.", minimum=0, example=""),
        column("work_related", "bool", False, "Work-related absence.", example="false"),
    ),
    unique=(("episode_id",),),
    ordered=(("absence_start_date", "absence_end_date"),),
    defaults={"partial_day": False, "work_related": False},
)

LEAVERS = Template(
    kind="leavers",
    may_be_empty=True,
    filename="leavers.csv",
    title="Leavers (terminations)",
    description="One row per termination of employment in the service.",
    columns=(
        column("staff_pid", "str", True, "Pseudonymous staff id.", example="a1b2c3d4e5f60718"),
        column("leaving_date", "date", True, "Last day of employment.", example="31/01/2024"),
        column("leaving_reason_esr", "enum", True, "ESR reason for leaving, exactly as ESR spells it (domain spec 1.8).", enum=list(LEAVING_REASONS), example="Voluntary Resignation - Work Life Balance"),
        column("leaving_destination", "enum", False, "Destination on leaving.", enum=LEAVING_DESTINATIONS, example="other_nhs"),
        column("fte_at_leaving", "float", True, "FTE at the leaving date.", minimum=0, maximum=1.5, min_exclusive=True, example="1.0"),
        column("role_group", "enum", True, "Role group at leaving.", enum=ROLE_GROUPS, example="hi_therapist"),
        column("team_code", "str", True, "Team at leaving; must be listed in teams.csv.", example="T02"),
        column("service_start_date", "date", True, "Start of continuous employment in the service.", example="01/09/2021"),
        column("training_completed", "bool", False, "Trainees only: training completed.", example=""),
    ),
    unique=(("staff_pid", "leaving_date"),),
    ordered=(("service_start_date", "leaving_date"),),
)

ESTABLISHMENT = Template(
    kind="establishment",
    may_be_empty=True,
    filename="establishment_monthly.csv",
    title="Establishment and vacancies",
    description="Funded establishment FTE per month, team and role group. Blank vacancy_fte is derived as "
                "establishment minus staff-in-post FTE.",
    columns=(
        column("month", "month", True, "Month as yyyy-mm.", example="2024-03"),
        column("team_code", "str", True, "Team; must be listed in teams.csv.", example="T01"),
        column("role_group", "enum", True, "Role group.", enum=ROLE_GROUPS, example="pwp"),
        column("establishment_fte", "float", True, "Funded, planned FTE.", minimum=0, example="12.0"),
        column("vacancy_fte", "float", False, "Vacant FTE (blank: derived from staff in post).", minimum=0, example="1.5"),
        column("vacancies_advertised", "int", False, "Posts advertised.", minimum=0, example="1"),
        column("bank_agency_fte_used", "float", False, "Bank/agency FTE used to cover gaps.", minimum=0, example="0.5"),
    ),
    unique=(("month", "team_code", "role_group"),),
)

REASONS = Template(
    kind="reasons",
    may_be_empty=True,
    filename="leaver_stayer_reasons.csv",
    title="Exit and stay reasons",
    description="Exit and stay survey/interview reasons, one row per reason selected. Held apart from HR data; "
                "free text is never shown in reports.",
    columns=(
        column("response_id", "str", True, "Id of the survey response or interview.", example="R0001"),
        column("instrument", "enum", True, "How the reason was collected.", enum=REASON_INSTRUMENTS, example="exit_survey"),
        column("response_date", "date", True, "Date of the response.", example="15/02/2024"),
        column("role_family", "enum", False, "Coarse role family only.", enum=ROLE_FAMILIES, example="low_intensity"),
        TENURE_BAND_COLUMN,
        column("direction", "enum", True, "Reason to leave (exit) or to stay / might leave (stay).", enum=REASON_DIRECTIONS, example="reason_to_leave"),
        column("reason_code", "enum", True, "Reason (domain spec 6.5).", enum=REASON_CODES, example="caseload_workload"),
        column("reason_rank", "int", False, "1 = main reason.", minimum=1, maximum=30, example="1"),
        column("intent_to_stay_12m", "int", False, "Stay surveys: 1 very unlikely ... 5 very likely.", minimum=1, maximum=5, example=""),
        column("would_return", "bool", False, "Exit surveys: would return.", example=""),
        column("free_text", "str", False, "Never shown in any report (domain spec 4.2 rule 8).", example=""),
    ),
    unique=(("response_id", "direction", "reason_code"),),
)

TEAMS = Template(
    kind="teams",
    filename="teams.csv",
    title="Teams",
    description="The service's teams. parent_team_code names the team a small team is merged into.",
    columns=(
        column("team_code", "str", True, "Team code used in the other files.", example="T01"),
        column("team_name", "str", True, "Team name as shown in reports.", example="Northtown PWP team"),
        column("active_from", "date", False, "Date the team started.", example="01/04/2020"),
        column("active_to", "date", False, "Date the team closed (blank = still active).", example=""),
        column("parent_team_code", "str", False, "Team to merge into when this team is too small to report.", example=""),
    ),
    unique=(("team_code",),),
    ordered=(("active_from", "active_to"),),
)

WORKFORCE_TEMPLATES = (STAFF_SNAPSHOT, ABSENCE, LEAVERS, ESTABLISHMENT, REASONS, TEAMS)
