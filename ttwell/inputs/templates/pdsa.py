"""Templates of the PDSA inputs: the cycle log and the measures reviewed."""

from __future__ import annotations

from ttwell.inputs.templates.columns import Template, column

STRATEGY_AIMS = ["leading_with_compassion", "managing_collaboratively", "team_working_effectively",
                 "belonging_for_and_by_all"]
CYCLE_PURPOSES = ["collect_information", "develop_change", "test_change", "implement_change"]
ACT_DECISIONS = ["adopt", "adapt", "abandon"]
CYCLE_STATUSES = ["planned", "in_progress", "completed", "stopped"]

PDSA_LOG = Template(
    kind="pdsa_log",
    filename="pdsa_log.csv",
    title="PDSA cycle log",
    description="One row per Plan-Do-Study-Act cycle (Model for Improvement worksheet fields). Free text must "
                "not name staff: use roles.",
    columns=(
        column("project_id", "str", True, "Improvement project.", example="P01"),
        column("aim_statement", "str", True, "What are we trying to accomplish? (what, by how much, by when)", example="Reduce sickness absence in the North PWP team from 6% to 4% by March 2025"),
        column("strategy_aim", "enum", True, "Strategy objective the project serves.", enum=STRATEGY_AIMS, example="team_working_effectively"),
        column("measures", "str", True, "Measure ids, separated by ';' (outcome, process, balancing).", example="sickness_absence_rate_month"),
        column("change_idea_id", "str", True, "Change idea.", example="C01"),
        column("change_idea", "str", True, "What change can we make that will result in improvement?", example="Weekly team huddle"),
        column("cycle_id", "str", True, "Unique id of the cycle.", example="C01-1"),
        column("cycle_number", "int", True, "1, 2, ... within the change idea.", minimum=1, example="1"),
        column("cycle_purpose", "enum", False, "This cycle will...", enum=CYCLE_PURPOSES, example="test_change"),
        column("owner_role", "str", False, "Role (not name) of the cycle owner.", example="team lead"),
        column("objective", "str", True, "Objective of this cycle.", example="Test a 10-minute weekly huddle"),
        column("questions", "str", False, "Questions the cycle should answer.", example=""),
        column("prediction", "str", True, "What do we think will happen?", example="Absence falls within three months"),
        column("plan_who", "str", False, "Who.", example=""),
        column("plan_what", "str", False, "What.", example=""),
        column("plan_where", "str", False, "Where.", example=""),
        column("plan_when", "str", False, "When.", example=""),
        column("data_plan", "str", False, "Data needed and how collected.", example=""),
        column("planned_start_date", "date", True, "Planned start.", example="01/05/2024"),
        column("planned_end_date", "date", True, "Planned end.", example="31/07/2024"),
        column("actual_start_date", "date", False, "Actual start.", example="06/05/2024"),
        column("actual_end_date", "date", False, "Actual end.", example="31/07/2024"),
        column("carried_out_as_planned", "bool", False, "Carried out as planned.", example="true"),
        column("do_observations", "str", False, "What happened, including problems and surprises.", example=""),
        column("study_summary", "str", False, "Data compared with the prediction.", example=""),
        column("prediction_confirmed", "enum", False, "Was the prediction confirmed?", enum=["yes", "no", "partly"], example="partly"),
        column("act_decision", "enum", False, "Adopt, adapt or abandon (required once completed).", enum=ACT_DECISIONS, example="adopt"),
        column("next_steps", "str", False, "Next steps.", example=""),
        column("next_cycle_id", "str", False, "The cycle that follows.", example=""),
        column("status", "enum", True, "Cycle status.", enum=CYCLE_STATUSES, example="completed"),
    ),
    unique=(("cycle_id",),),
    ordered=(("planned_start_date", "planned_end_date"), ("actual_start_date", "actual_end_date")),
)

PDSA_MEASURES = Template(
    kind="pdsa_measures",
    filename="pdsa_measures.csv",
    title="Measures for PDSA review",
    description="One row per measure per period (normally a month): the value, or the numerator and denominator "
                "for proportions and rates. Measure ids match the 'measures' column of the PDSA log.",
    columns=(
        column("measure_id", "str", True, "Measure id, as named in the PDSA log.", example="joy_often_always_pct"),
        column("date", "date", True, "Date the value describes (for monthly measures, the month-end).", example="31/05/2024"),
        column("value", "float", False, "The value (blank when numerator and denominator are given).", example="61.5"),
        column("numerator", "float", False, "Numerator, for p and u charts.", minimum=0, example="48"),
        column("denominator", "float", False, "Denominator, for p and u charts.", minimum=0, min_exclusive=True, example="78"),
        column("facet", "str", False, "Team or other breakdown (blank = whole service).", example=""),
    ),
    unique=(("measure_id", "facet", "date"),),
)

PDSA_TEMPLATES = (PDSA_LOG, PDSA_MEASURES)
