"""Templates of the survey inputs: survey waves, long-form responses and published NHS Staff Survey scores."""

from __future__ import annotations

from ttwell.inputs.templates.columns import ROLE_FAMILY_COLUMN, TENURE_BAND_COLUMN, Template, column

SURVEY_MODES = ["online", "paper", "mixed"]
PS_VARIANTS = ["edmondson_1999", "strategy_positive"]
OLBI_CODINGS = ["SA1_SD4", "SD1_SA4"]

SURVEY_WAVES = Template(
    kind="survey_waves",
    filename="survey_waves.csv",
    title="Survey waves",
    description="One row per survey wave: which instruments it carried, when, and how many staff were eligible.",
    columns=(
        column("wave_id", "str", True, "Id of the wave, used in the responses file.", example="2024_baseline"),
        column("instruments", "str", True, "Instrument ids carried, separated by ';' (for example OLBI;WRQOL;TPS).", example="OLBI;WRQOL;BPNSW;TPS"),
        column("opened_on", "date", True, "First day of fieldwork.", example="04/03/2024"),
        column("closed_on", "date", True, "Last day of fieldwork.", example="22/03/2024"),
        column("mode", "enum", False, "How the survey was run.", enum=SURVEY_MODES, example="online"),
        column("eligible_n", "int", True, "Staff in post eligible to respond (for the response rate).", minimum=1, example="178"),
        column("linked_design", "bool", False, "True only if respondent_pid was collected (blank = false).", example="false"),
        column("ps_variant", "enum", False, "Psychological safety wording used: Edmondson 1999 or the strategy's all-positive version.", enum=PS_VARIANTS, example="strategy_positive"),
        column("olbi_response_coding", "enum", False, "OLBI coding: SA1_SD4 (strongly agree = 1, default) or SD1_SA4.", enum=OLBI_CODINGS, example="SA1_SD4"),
        column("notes", "str", False, "Notes about the wave.", example=""),
    ),
    unique=(("wave_id",),),
    ordered=(("opened_on", "closed_on"),),
    defaults={"linked_design": False, "olbi_response_coding": "SA1_SD4"},
)

SURVEY_RESPONSES = Template(
    kind="survey_responses",
    filename="survey_responses_long.csv",
    title="Survey responses (long form)",
    description="One row per respondent per item. Item values are checked against each instrument's coding when "
                "scored. A wide form (one column per item_id) is also accepted by the scorer.",
    columns=(
        column("wave_id", "str", True, "Wave id, as in survey_waves.csv.", example="2024_baseline"),
        column("response_id", "str", True, "Id of one completed questionnaire, unique within the wave.", example="R0001"),
        column("respondent_pid", "str", False, "Pseudonymous respondent id, only in linked designs.", example=""),
        column("submitted_at", "str", False, "When the response was submitted.", example="05/03/2024 10:12"),
        column("team_code", "str", False, "Team (leave blank in anonymous waves where teams have fewer than 11 staff).", example="T01"),
        ROLE_FAMILY_COLUMN,
        TENURE_BAND_COLUMN,
        column("instrument", "str", True, "Instrument id (OLBI, WRQOL, BPNSW, TPS, CBI, SWEMWBS, NQPS9, JOY or your own).", example="OLBI"),
        column("item_id", "str", True, "Item id, such as OLBI_03.", example="OLBI_03"),
        column("item_value", "int", False, "The answer as coded by the instrument; blank = missing.", example="2"),
    ),
    unique=(("wave_id", "response_id", "instrument", "item_id"),),
)

NSS_SCORES = Template(
    kind="nss_scores",
    filename="nss_scores.csv",
    title="Published NHS Staff Survey / pulse scores",
    description="Published scores as the NHS Staff Survey or National Quarterly Pulse Survey report them. Rows "
                "with fewer than 11 responses are rejected.",
    columns=(
        column("year", "int", True, "Survey year.", minimum=2016, maximum=2100, example="2024"),
        column("source", "enum", True, "nss (annual NHS Staff Survey) or nqps (National Quarterly Pulse Survey).", enum=["nss", "nqps"], example="nss"),
        column("org_code", "str", True, "Organisation code.", example="SYN01"),
        column("breakdown_level", "enum", True, "Level of the published breakdown.", enum=["organisation", "directorate", "team"], example="directorate"),
        column("breakdown_value", "str", True, "Name of the organisation, directorate or team.", example="Talking Therapies"),
        column("measure_type", "enum", True, "Theme, People Promise element, sub-score or question.", enum=["theme", "element", "sub_score", "question"], example="theme"),
        column("measure_id", "str", True, "Measure id, such as staff_engagement, morale, we_are_a_team or q2a.", example="staff_engagement"),
        column("score", "float", True, "Published score (0-10 or %).", minimum=0, maximum=100, example="7.1"),
        column("score_unit", "enum", True, "score_0_10 or percent.", enum=["score_0_10", "percent"], example="score_0_10"),
        column("n_responses", "int", True, "Responses behind the score (11 or more).", minimum=11, example="124"),
        column("benchmark_group", "str", False, "Benchmark group named in the published report.", example="Mental health and learning disability trusts"),
        column("benchmark_median", "float", False, "Benchmark median published alongside.", minimum=0, maximum=100, example="6.9"),
    ),
    unique=(("year", "source", "breakdown_level", "breakdown_value", "measure_id"),),
)

SURVEY_TEMPLATES = (SURVEY_WAVES, SURVEY_RESPONSES, NSS_SCORES)
