"""A second, made-up Talking Therapies service for the disclosure tests (issue 9), generated at test time.

The shipped synthetic service (``data/synthetic/``) is one service with one shape. Disclosure control must hold
for any service, so the tests also run every notebook on this second one, which is built to be awkward:

* four teams with codes and names the shipped service does not use; one team (``WB9``, Wellbeing Hub) has
  exactly FIVE people, the same five for the whole three years, so every figure about it is a small group;
* ``HL1`` (Hillside team) has 11 people except for two months in which it has 10, so its monthly figures are
  suppressed in those months only;
* three survey respondents per wave and three trainees leave the team code BLANK (the template tells services
  to do this where teams are small): the service figure includes them, the team rows cannot;
* a training cohort of 15;
* long-term sickness (an episode of 28 days or more) rests on four people over the whole three years, and
  mental-health absence on three, so staff-wide long-term and mental-health figures must be hidden everywhere;
* no establishment file, no exit/stay reasons file and no published NHS Staff Survey scores (all set to null in
  the parameter files: a missing key would today fall back to the shipped synthetic files);
* a small PDSA project: one measure, 24 monthly points, two cycles.

Nothing is written to the repository: :func:`write_second_service` writes template-shaped CSV files and the
parameter files into a folder the test gives it (a pytest ``tmp_path``). The true group sizes are returned in a
:class:`Truth`, so the attacks in ``tests/attacks.py`` know which groups are small without trusting any output.

Every random choice comes from ``numpy.random.default_rng(SEED)``: the same files every time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ttwell.inputs.params import SERVICE_NOTEBOOKS
from ttwell.inputs.templates import ROLE_FAMILY_OF, TEMPLATES

SEED = 909  # issue 9
SERVICE_NAME = "Second Test Talking Therapies Service"
AUDIENCES = ("internal_management", "staff_wide")

# The service's dates: a year before the baseline, the baseline year and the evaluation year (36 month-ends).
FIRST_MONTH_END = "2022-04-30"
LAST_MONTH_END = "2025-03-31"
BASELINE = ("01/04/2023", "31/03/2024")
EVALUATION = ("01/04/2024", "31/03/2025")

# Teams: code -> (name, parent team for merging small groups)
TEAMS = {
    "RV1": ("Riverside Step 2 team", None),
    "RV2": ("Riverside Step 3 team", None),
    "HL1": ("Hillside team", None),
    "WB9": ("Wellbeing Hub", "RV1"),
}
SMALL_TEAM = "WB9"

# Posts per team: (role_group, afc band, number of people in post). Every post is filled all the time, except for
# the planted vacancies below. WB9 holds 5 people; the service holds 22 + 16 + 11 + 5 = 54.
POSTS = {
    "RV1": [("pwp", "band_5", 14), ("pwp_trainee", "band_4", 4), ("senior_pwp", "band_6", 2), ("admin", "band_3", 2)],
    "RV2": [("hi_therapist", "band_7", 10), ("counsellor", "band_6", 4), ("hi_trainee", "band_6", 2)],
    "HL1": [("pwp", "band_5", 4), ("hi_therapist", "band_7", 4), ("admin", "band_3", 2), ("manager_lead", "band_8a", 1)],
    "WB9": [("employment_advisor", "band_5", 3), ("peer_support", "band_4", 2)],
}

# Planted turnover: (team, role_group, leaving date, ESR reason, k): a new person fills the post from the 1st of
# the k-th month after the leaving date (k = 1: the next month). Someone leaving on 31/07 with k = 3 leaves the
# post empty at the month-ends of August and September.
LEAVERS = [
    ("RV1", "pwp", "2022-09-16", "Voluntary Resignation - Work Life Balance", 1),
    ("RV2", "hi_therapist", "2022-11-30", "Voluntary Resignation - Promotion", 2),
    ("RV1", "pwp_trainee", "2023-03-31", "End of Fixed Term Contract - Completion of Training Scheme", 1),
    ("RV1", "pwp", "2023-06-09", "Voluntary Resignation - Relocation", 1),
    ("HL1", "pwp", "2023-07-31", "Voluntary Resignation - Lack of Opportunities", 3),  # HL1 at 10 in Aug, Sep 2023
    ("RV2", "counsellor", "2023-09-15", "Retirement Age", 1),
    ("RV1", "pwp_trainee", "2023-12-31", "End of Fixed Term Contract - Completion of Training Scheme", 1),
    ("RV2", "hi_trainee", "2024-01-31", "End of Fixed Term Contract - Completion of Training Scheme", 1),
    ("RV1", "pwp", "2024-02-29", "Voluntary Resignation - Work Life Balance", 1),
    ("RV2", "hi_therapist", "2024-05-17", "Voluntary Resignation - Pay and Reward Related", 1),
    ("RV1", "senior_pwp", "2024-08-30", "Voluntary Resignation - Promotion", 1),
    ("RV1", "pwp_trainee", "2024-09-30", "End of Fixed Term Contract - Completion of Training Scheme", 1),
    ("RV2", "hi_therapist", "2024-12-31", "Voluntary Resignation - Work Life Balance", 1),
]

# Long-term sickness (28 days or more), planted on FOUR people over the whole three years: (team, index of the
# person among the team's first staff, start, end, reason group).
LONG_TERM = [
    ("RV1", 0, "2023-05-02", "2023-06-30", "mental_health"),
    ("RV2", 1, "2023-10-09", "2023-11-24", "musculoskeletal"),
    ("RV1", 5, "2024-06-03", "2024-07-19", "other"),
    ("HL1", 2, "2024-11-04", "2024-12-20", "musculoskeletal"),
]
# Short mental-health episodes on two more people: mental health then rests on three people in all.
SHORT_MENTAL_HEALTH = [("RV2", 3, "2023-02-06", "2023-02-10"), ("HL1", 0, "2024-02-12", "2024-02-16")]

# Survey: two waves of OLBI and the joy pulse. Respondents per team code in each wave; "" = team left blank.
# wave -> (opened, closed, the month-end before it opened: staff in post then are the eligible staff)
WAVES = {
    "B24": ("04/03/2024", "22/03/2024", "29/02/2024"),
    "F25": ("03/03/2025", "21/03/2025", "28/02/2025"),
}
RESPONDENTS = {
    "B24": {"RV1": 13, "RV2": 11, "HL1": 8, "WB9": 2, "": 3},
    "F25": {"RV1": 14, "RV2": 12, "HL1": 9, "WB9": 2, "": 3},
}
# Role family a respondent gives, by team (blank-team respondents give low_intensity).
RESPONDENT_FAMILY = {"RV1": "low_intensity", "RV2": "high_intensity", "HL1": "admin_management",
                     "WB9": "employment_support", "": "low_intensity"}

# Training: one cohort of 15, by team code ("" = blank), three knowledge areas, rated before and after.
TRAINEES = {"RV1": 5, "RV2": 3, "HL1": 2, "WB9": 2, "": 3}
TRAINING_AREAS = ["Spotting burnout early", "Having a wellbeing conversation", "Signposting to support"]
TRAINING_DATE = "2024-06-18"

# PDSA: one measure, monthly, April 2023 to March 2025; the change started in October 2023.
PDSA_MEASURE = "huddle_attendance_pct"


@dataclass
class Truth:
    """What the service really looks like: the sizes of its groups, worked out from the rows written.

    Attributes
    ----------
    threshold : int
        The disclosure threshold in the parameter files (11).
    team_names : dict
        Team code -> team name.
    staff_per_team : dict
        Team code (and role family) -> most distinct people in it within any 12 consecutive month-ends.
    respondents : dict
        Wave id -> team code ("" for blank) or role family -> number of respondents.
    trainees : dict
        Team code ("" for blank) or role family -> number of people in the training cohort.
    long_term_people, mental_health_people : dict
        Group (``"service"``, team code or role family) -> distinct people with a long-term (28+ days) or
        mental-health episode over the whole data.
    identifiers, free_text : set of str
        Every staff, respondent, participant, episode and response id written; free text written (none here).
    monthly_staff : dict
        (team code or role family, "yyyy-mm") -> people in post at that month-end.
    """

    threshold: int
    team_names: dict
    staff_per_team: dict
    respondents: dict
    trainees: dict
    long_term_people: dict
    mental_health_people: dict
    identifiers: set = field(default_factory=set)
    free_text: set = field(default_factory=set)
    monthly_staff: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)


def _write(kind: str, rows: list[dict], folder: Path) -> Path:
    """Write rows as a template-shaped CSV (all template columns, in order; dates already dd/mm/yyyy)."""
    columns = TEMPLATES[kind].column_names()
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    path = folder / TEMPLATES[kind].filename
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


def _ddmmyyyy(date) -> str:
    return pd.Timestamp(date).strftime("%d/%m/%Y")


def _pid(rng: np.random.Generator) -> str:
    """A 16-character pseudonymous id, as ESR extracts use (prefixed so it cannot clash with the shipped data)."""
    return "ss" + "".join(rng.choice(list("0123456789abcdef"), size=14))


def _people(rng: np.random.Generator) -> pd.DataFrame:
    """One row per person: team, role, band, FTE, start and (for leavers) leaving date and reason."""
    people = []
    for team, posts in POSTS.items():
        for role, band, n in posts:
            for _ in range(n):
                start = pd.Timestamp("2016-01-01") + pd.Timedelta(days=int(rng.integers(0, 2000)))
                if role.endswith("trainee"):
                    start = pd.Timestamp("2021-10-01")
                people.append({"staff_pid": _pid(rng), "team_code": team, "role_group": role, "afc_band": band,
                               "fte": float(rng.choice([0.6, 0.8, 1.0, 1.0, 1.0])), "start": start,
                               "leaving_date": pd.NaT, "reason": None})
    frame = pd.DataFrame(people)
    for team, role, leaving, reason, gap in LEAVERS:
        # The person leaving is the longest-serving one still in that post on the leaving date.
        candidates = frame[(frame["team_code"] == team) & (frame["role_group"] == role) & frame["leaving_date"].isna()
                           & (frame["start"] <= pd.Timestamp(leaving))]
        i = candidates.sort_values("start").index[0]
        frame.loc[i, ["leaving_date", "reason"]] = [pd.Timestamp(leaving), reason]
        replacement = (pd.Timestamp(leaving) + pd.offsets.MonthBegin(gap)).normalize()
        new = frame.loc[i].copy()
        new["staff_pid"], new["start"], new["leaving_date"], new["reason"] = _pid(rng), replacement, pd.NaT, None
        frame = pd.concat([frame, new.to_frame().T], ignore_index=True)
    frame["start"] = pd.to_datetime(frame["start"])
    frame["leaving_date"] = pd.to_datetime(frame["leaving_date"])
    return frame


def _snapshot(people: pd.DataFrame, month_ends: pd.DatetimeIndex) -> pd.DataFrame:
    rows = []
    for date in month_ends:
        in_post = people[(people["start"] <= date) & (people["leaving_date"].isna() | (people["leaving_date"] >= date))]
        # Someone leaving ON a month-end is still in post that day; the leavers file has that date.
        for r in in_post.itertuples():
            trainee = r.role_group.endswith("trainee")
            rows.append({"snapshot_date": _ddmmyyyy(date), "staff_pid": r.staff_pid, "team_code": r.team_code,
                         "role_group": r.role_group, "afc_band": r.afc_band,
                         "contract_type": "fixed_term" if trainee else "permanent", "assignment_status": "active",
                         "fte": f"{r.fte:.2f}", "contracted_hours_per_week": f"{37.5 * r.fte:.2f}",
                         "service_start_date": _ddmmyyyy(r.start), "nhs_start_date": "",
                         "fixed_term_end_date": "", "in_scope": "true"})
    return pd.DataFrame(rows)


def _absence(rng: np.random.Generator, people: pd.DataFrame, month_ends: pd.DatetimeIndex) -> list[dict]:
    """Short episodes (1-5 days, not mental health) for about one person in eight a month, plus the planted ones."""
    # The planted episodes go to people who are in post for the whole three years (never leavers).
    stayers = people[(people["start"] <= month_ends[0]) & people["leaving_date"].isna()]
    first = {team: stayers[stayers["team_code"] == team].sort_values("staff_pid")["staff_pid"].tolist() for team in POSTS}
    rows = []
    n = 0

    def add(pid, start, end, group):
        nonlocal n
        n += 1
        code = {"mental_health": "S10 Anxiety/stress/depression/other psychiatric illnesses",
                "musculoskeletal": "S25 Back problems", "other": "S98 Other known causes"}.get(group, "S13 Cold, Cough, Flu")
        rows.append({"episode_id": f"SS-E{n:04d}", "staff_pid": pid, "absence_start_date": _ddmmyyyy(start),
                     "absence_end_date": _ddmmyyyy(end), "absence_reason_code": code, "absence_reason_group": group,
                     "partial_day": "false", "hours_lost": "", "fte_days_lost_override": "", "work_related": "false"})

    planted = {first[t][i] for t, i, *_ in LONG_TERM} | {first[t][i] for t, i, *_ in SHORT_MENTAL_HEALTH}
    for date in month_ends:
        month_start = date - pd.offsets.MonthBegin(1)
        in_post = people[(people["start"] <= month_start) & (people["leaving_date"].isna()
                                                              | (people["leaving_date"] > date))]
        for r in in_post.itertuples():
            if r.staff_pid in planted or rng.random() > 0.12:
                continue
            start = month_start + pd.Timedelta(days=int(rng.integers(0, 20)))
            add(r.staff_pid, start, start + pd.Timedelta(days=int(rng.integers(0, 5))),
                str(rng.choice(["infectious_respiratory", "gastro", "musculoskeletal", "other"])))
    for team, i, start, end, group in LONG_TERM:
        add(first[team][i], start, end, group)
    for team, i, start, end in SHORT_MENTAL_HEALTH:
        add(first[team][i], start, end, "mental_health")
    return rows


def _survey(rng: np.random.Generator, eligible: dict) -> tuple[list[dict], list[dict]]:
    olbi = [f"OLBI_{i:02d}" for i in range(1, 17)]
    waves, responses = [], []
    for wave, (opened, closed, _) in WAVES.items():
        waves.append({"wave_id": wave, "instruments": "OLBI;JOY", "opened_on": opened, "closed_on": closed,
                      "mode": "online", "eligible_n": eligible[wave], "linked_design": "false",
                      "ps_variant": "", "olbi_response_coding": "SA1_SD4", "notes": "second test service"})
        n = 0
        for team, count in RESPONDENTS[wave].items():
            for _ in range(count):
                n += 1
                base = {"wave_id": wave, "response_id": f"{wave}-R{n:03d}", "respondent_pid": "",
                        "submitted_at": f"{opened} 10:00", "team_code": team, "role_family": RESPONDENT_FAMILY[team],
                        "tenure_band": "2_5y"}
                lean = rng.normal(0, 0.6)
                for item in olbi:
                    value = int(np.clip(np.round(2.5 + lean + rng.normal(0, 0.7)), 1, 4))
                    responses.append({**base, "instrument": "OLBI", "item_id": item, "item_value": value})
                responses.append({**base, "instrument": "JOY", "item_id": "JOY_01",
                                  "item_value": int(np.clip(np.round(2.2 - lean + rng.normal(0, 0.8)), 0, 4))})
                responses.append({**base, "instrument": "JOY", "item_id": "JOY_02",
                                  "item_value": int(np.clip(np.round(7 - 2 * lean + rng.normal(0, 1.5)), 0, 10))})
    return waves, responses


def _training(rng: np.random.Generator) -> tuple[list[dict], list[dict]]:
    areas = [{"programme_id": "WELL24", "area_id": i, "area_label": label}
             for i, label in enumerate(TRAINING_AREAS, start=1)]
    rows, n = [], 0
    for team, count in TRAINEES.items():
        family = RESPONDENT_FAMILY[team]
        for _ in range(count):
            n += 1
            code = f"Q{n:02d}" + "".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ"), size=3))
            for area in range(1, len(TRAINING_AREAS) + 1):
                before = float(np.clip(np.round(rng.normal(45, 12)), 0, 100))
                after = float(np.clip(np.round(before + rng.normal(22, 9)), 0, 100))
                for timepoint, value in (("pre", before), ("post", after)):
                    rows.append({"programme_id": "WELL24", "session_id": "S1", "session_date": _ddmmyyyy(TRAINING_DATE),
                                 "participant_pid": code, "team_code": team, "role_family": family,
                                 "timepoint": timepoint, "area_id": area, "confidence_pct": value,
                                 "response_date": _ddmmyyyy(TRAINING_DATE)})
    return rows, areas


def _pdsa(rng: np.random.Generator) -> tuple[list[dict], list[dict]]:
    measures = []
    for date in pd.date_range("2023-04-30", "2025-03-31", freq="ME"):
        denominator = int(rng.integers(40, 50))
        share = 0.55 if date < pd.Timestamp("2023-10-01") else 0.72
        numerator = int(rng.binomial(denominator, share))
        # The value is given as well: the template allows it blank beside a numerator and denominator, but the
        # PDSA notebook then stops ("24 row(s) have no value in 'value'"), which is not what these tests are about.
        measures.append({"measure_id": PDSA_MEASURE, "date": _ddmmyyyy(date),
                         "value": f"{100 * numerator / denominator:.1f}",
                         "numerator": numerator, "denominator": denominator, "facet": ""})
    common = {"project_id": "H01", "aim_statement": "Raise attendance at the weekly wellbeing huddle from 55% to 70% by March 2025",
              "strategy_aim": "team_working_effectively", "measures": PDSA_MEASURE, "cycle_purpose": "test_change",
              "owner_role": "clinical lead", "questions": "", "plan_who": "", "plan_what": "", "plan_where": "",
              "plan_when": "", "data_plan": "", "carried_out_as_planned": "true", "do_observations": "",
              "study_summary": ""}
    log = [
        {**common, "change_idea_id": "C1", "change_idea": "Move the huddle to Tuesday mornings", "cycle_id": "C1-1",
         "cycle_number": 1, "objective": "Test a Tuesday slot", "prediction": "Attendance rises within two months",
         "planned_start_date": "02/10/2023", "planned_end_date": "31/12/2023", "actual_start_date": "02/10/2023",
         "actual_end_date": "31/12/2023", "prediction_confirmed": "yes", "act_decision": "adopt", "next_steps": "",
         "next_cycle_id": "C2-1", "status": "completed"},
        {**common, "change_idea_id": "C2", "change_idea": "Rotate who chairs the huddle", "cycle_id": "C2-1",
         "cycle_number": 1, "objective": "Test a rotating chair", "prediction": "Attendance holds",
         "planned_start_date": "01/04/2024", "planned_end_date": "30/06/2024", "actual_start_date": "01/04/2024",
         "actual_end_date": "30/06/2024", "prediction_confirmed": "partly", "act_decision": "adapt", "next_steps": "",
         "next_cycle_id": "", "status": "completed"},
    ]
    return measures, log


def _groups_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The snapshot with each row's role family added."""
    return frame.assign(role_family=frame["role_group"].map(ROLE_FAMILY_OF))


def max_people_in_12_months(snapshot: pd.DataFrame, column: str) -> dict:
    """Group -> the most distinct people in it over any 12 consecutive month-ends (the largest n any figure has).

    ``column`` is ``team_code`` or ``role_family``. Used by the attacks as the TRUE size of each group: a group whose
    largest 12-month count is below the threshold can never be shown on its own.
    """
    dates = sorted(snapshot["snapshot_date"].unique())
    out: dict = {}
    for i in range(len(dates)):
        window = snapshot[snapshot["snapshot_date"].isin(dates[max(0, i - 11): i + 1])]
        for group, n in window.groupby(column)["staff_pid"].nunique().items():
            out[group] = max(out.get(group, 0), int(n))
    return out


def truth_from_inputs(snapshot: pd.DataFrame, absence: pd.DataFrame | None, teams: pd.DataFrame,
                      responses: pd.DataFrame | None = None, training: pd.DataFrame | None = None,
                      threshold: int = 11) -> Truth:
    """Work out a service's true group sizes from its input files (template-shaped frames, dates parsed).

    Works for the shipped synthetic service and this one alike; the attacks need nothing else.
    """
    snapshot = _groups_of(snapshot)
    staff = {**max_people_in_12_months(snapshot, "team_code"), **max_people_in_12_months(snapshot, "role_family")}
    month = snapshot["snapshot_date"].dt.strftime("%Y-%m")
    monthly = {}
    for column in ("team_code", "role_family"):
        for (group, when), n in snapshot.groupby([snapshot[column], month])["staff_pid"].nunique().items():
            monthly[(group, when)] = int(n)
    respondents = {}
    if responses is not None:
        people = responses.drop_duplicates(["wave_id", "response_id"])
        for wave, rows in people.groupby("wave_id"):
            # Team codes ("" = left blank) and role families (blank role families are not counted) together:
            # the two never share a name.
            respondents[wave] = {**rows["team_code"].fillna("").value_counts().to_dict(),
                                 **rows["role_family"].dropna().value_counts().to_dict()}
    trainees = {}
    if training is not None:
        people = training.drop_duplicates("participant_pid")
        trainees = {**people["team_code"].fillna("").value_counts().to_dict(),
                    **people["role_family"].dropna().value_counts().to_dict()}
    long_term, mental = {}, {}
    if absence is not None and len(absence):
        ab = absence.copy()
        ab["days"] = (ab["absence_end_date"].fillna(snapshot["snapshot_date"].max()) - ab["absence_start_date"]).dt.days + 1
        home = snapshot.sort_values("snapshot_date").drop_duplicates("staff_pid", keep="last")
        ab = ab.merge(home[["staff_pid", "team_code", "role_family"]], on="staff_pid", how="left")
        for name, rows in (("long_term", ab[ab["days"] >= 28]), ("mental", ab[ab["absence_reason_group"] == "mental_health"])):
            target = long_term if name == "long_term" else mental
            target["service"] = int(rows["staff_pid"].nunique())
            for column in ("team_code", "role_family"):
                for group, n in rows.groupby(column)["staff_pid"].nunique().items():
                    target[group] = int(n)
    ids = set(snapshot["staff_pid"].astype(str))
    if absence is not None:
        ids |= set(absence["episode_id"].astype(str))
    if responses is not None:
        ids |= set(responses["response_id"].astype(str))
        ids |= set(responses["respondent_pid"].dropna().astype(str)) - {""}
    if training is not None:
        ids |= set(training["participant_pid"].astype(str))
    return Truth(threshold=threshold, team_names=dict(zip(teams["team_code"], teams["team_name"])),
                 staff_per_team=staff, respondents=respondents, trainees=trainees, long_term_people=long_term,
                 mental_health_people=mental, identifiers=ids, monthly_staff=monthly)


def write_params(folder: Path, files: dict, audience: str) -> dict[str, Path]:
    """One params YAML per notebook for ``audience``, plus ``all_<audience>.yaml`` for ``runner.run_all``.

    Absent optional inputs are written as null on purpose.
    """
    common = {"service_name": SERVICE_NAME, "audience": audience, "disclosure_threshold": 11}
    per_notebook = {
        "baseline": {**{k: files.get(k) for k in ("staff_snapshot_file", "absence_file", "leavers_file", "teams_file",
                                                   "survey_waves_file", "survey_responses_file")},
                     "establishment_file": None, "reasons_file": None, "nss_scores_file": None,
                     "baseline_start": BASELINE[0], "baseline_end": BASELINE[1]},
        "pdsa_review": {"measures_file": files["measures_file"], "pdsa_log_file": files["pdsa_log_file"],
                        "improvement_directions": {PDSA_MEASURE: "increase"}, "targets": {PDSA_MEASURE: 70}},
        "prepost_training": {"training_file": files["training_file"], "areas_file": files["areas_file"],
                             "teams_file": files["teams_file"], "confidence_scale": "0-100",
                             # Cronbach's alpha needs 20 complete responses; a cohort of 15 gives a published
                             # test-retest value instead, as the notebook asks.
                             "confidence_threshold": 50, "reliability": 0.8},
        "annual_impact": {**{k: files.get(k) for k in ("staff_snapshot_file", "absence_file", "leavers_file",
                                                        "teams_file", "survey_waves_file", "survey_responses_file")},
                          "establishment_file": None, "reasons_file": None, "objectives_file": None,
                          "baseline_start": BASELINE[0], "baseline_end": BASELINE[1],
                          "evaluation_start": EVALUATION[0], "evaluation_end": EVALUATION[1],
                          "strategy_start": EVALUATION[0]},
    }
    assert set(per_notebook) == set(SERVICE_NOTEBOOKS)
    paths = {}
    combined = dict(common)
    for notebook, values in per_notebook.items():
        params = {**common, **values}
        path = folder / f"{notebook}_{audience}.yaml"
        path.write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
        paths[notebook] = path
        combined.update(values)
    # One file for run_all: the keys of every notebook (each notebook reads its own).
    paths["all"] = folder / f"all_{audience}.yaml"
    paths["all"].write_text(yaml.safe_dump(combined, sort_keys=False), encoding="utf-8")
    return paths


def write_second_service(folder: str | Path) -> Truth:
    """Write the second service's input files and parameter files into ``folder``; return its :class:`Truth`.

    Parameters
    ----------
    folder : str or Path
        Created if missing. Gets ``inputs/*.csv`` and ``params/<notebook>_<audience>.yaml`` plus
        ``params/all_<audience>.yaml``.

    Returns
    -------
    Truth
        The true group sizes, with ``files`` (parameter name -> CSV path) and ``params``
        (audience -> notebook or "all" -> YAML path).
    """
    folder = Path(folder)
    inputs, params_dir = folder / "inputs", folder / "params"
    inputs.mkdir(parents=True, exist_ok=True)
    params_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    month_ends = pd.date_range(FIRST_MONTH_END, LAST_MONTH_END, freq="ME")

    people = _people(rng)
    snapshot = _snapshot(people, month_ends)
    leavers = [{"staff_pid": r.staff_pid, "leaving_date": _ddmmyyyy(r.leaving_date), "leaving_reason_esr": r.reason,
                "leaving_destination": "unknown", "fte_at_leaving": f"{r.fte:.2f}", "role_group": r.role_group,
                "team_code": r.team_code, "service_start_date": _ddmmyyyy(r.start),
                "training_completed": "true" if "Training" in r.reason else ""}
               for r in people[people["leaving_date"].notna()].itertuples()]
    absence = _absence(rng, people, month_ends)
    eligible = {wave: int((snapshot["snapshot_date"] == month_end).sum()) for wave, (_, _, month_end) in WAVES.items()}
    waves, responses = _survey(rng, eligible)
    training, areas = _training(rng)
    measures, log = _pdsa(rng)
    teams = [{"team_code": code, "team_name": name, "active_from": "01/04/2015", "active_to": "",
              "parent_team_code": parent or ""} for code, (name, parent) in TEAMS.items()]

    files = {
        "staff_snapshot_file": _write("staff_snapshot", snapshot.to_dict("records"), inputs),
        "absence_file": _write("absence", absence, inputs),
        "leavers_file": _write("leavers", leavers, inputs),
        "teams_file": _write("teams", teams, inputs),
        "survey_waves_file": _write("survey_waves", waves, inputs),
        "survey_responses_file": _write("survey_responses", responses, inputs),
        "training_file": _write("training_confidence", training, inputs),
        "areas_file": _write("training_areas", areas, inputs),
        "measures_file": _write("pdsa_measures", measures, inputs),
        "pdsa_log_file": _write("pdsa_log", log, inputs),
    }
    files = {k: str(v) for k, v in files.items()}
    truth = truth_from_files(files)
    truth.files = files
    truth.params = {audience: write_params(params_dir, files, audience) for audience in AUDIENCES}
    return truth


def read_dates(path: str | Path, columns: list[str]) -> pd.DataFrame:
    """Read a template CSV with the given date columns parsed as dd/mm/yyyy (or ISO)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig").replace("", np.nan)
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], dayfirst=True, format="mixed")
    return frame


def truth_from_files(files: dict, threshold: int = 11) -> Truth:
    """:func:`truth_from_inputs` on files named by parameter (``staff_snapshot_file``, ``absence_file``, ...)."""
    snapshot = read_dates(files["staff_snapshot_file"], ["snapshot_date"])
    absence = read_dates(files["absence_file"], ["absence_start_date", "absence_end_date"]) if files.get("absence_file") else None
    teams = pd.read_csv(files["teams_file"], dtype=str, encoding="utf-8-sig")
    responses = (pd.read_csv(files["survey_responses_file"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
                 .replace("", np.nan) if files.get("survey_responses_file") else None)
    training = (pd.read_csv(files["training_file"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
                .replace("", np.nan) if files.get("training_file") else None)
    truth = truth_from_inputs(snapshot, absence, teams, responses, training, threshold)
    truth.files = dict(files)
    if files.get("reasons_file"):
        reasons = pd.read_csv(files["reasons_file"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
        truth.free_text = {t for t in reasons["free_text"] if len(t.strip()) >= 12}
        truth.identifiers |= set(reasons["response_id"])
    return truth


def shipped_truth() -> Truth:
    """The true group sizes of the shipped synthetic service (``data/synthetic/``)."""
    from ttwell.inputs.params import REPO_ROOT

    base = REPO_ROOT / "data" / "synthetic"
    files = {"staff_snapshot_file": base / "staff_monthly_snapshot.csv", "absence_file": base / "absence_episodes.csv",
             "teams_file": base / "teams.csv", "survey_responses_file": base / "survey_responses_long.csv",
             "training_file": base / "training_confidence.csv", "reasons_file": base / "leaver_stayer_reasons.csv"}
    return truth_from_files({k: str(v) for k, v in files.items()})


__all__ = ["AUDIENCES", "SMALL_TEAM", "TEAMS", "Truth", "shipped_truth", "truth_from_files",
           "write_second_service"]
