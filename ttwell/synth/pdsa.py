"""Synthetic PDSA project: a monthly measure and a log of three cycles (one works, one has no effect, one is
abandoned).

The measure is the share of staff answering "often" or "always" to the monthly joy-at-work pulse (JOY_01), as a
percentage with its numerator and denominator. Planted: a steady level of about 58% until the third cycle's
change (a protected weekly team huddle, started 06/05/2024 and adopted), then about 70%. The first cycle
(rota-free Friday afternoons, autumn 2023) has no effect and is adapted; the second (peer recognition cards,
January 2024) is abandoned after four weeks.

Example
-------
>>> from ttwell.synth.pdsa import generate_pdsa
>>> frames = generate_pdsa(seed=2024)
>>> sorted(frames)
['pdsa_log', 'pdsa_measures']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

MEASURE_ID = "joy_often_always_pct"
START_MONTH, MONTHS = "2022-04", 36
CHANGE_DATE = pd.Timestamp("2024-05-06")  # the adopted change
BASELINE_RATE, IMPROVED_RATE = 0.58, 0.70


def generate_pdsa(seed: int = 2024) -> dict[str, pd.DataFrame]:
    """The measure (``pdsa_measures``) and the cycle log (``pdsa_log``) as template-shaped text frames."""
    rng = np.random.default_rng([seed, 11])
    month_ends = pd.period_range(START_MONTH, periods=MONTHS, freq="M").to_timestamp(how="end").normalize()
    respondents = rng.integers(70, 95, size=MONTHS)
    rate = np.where(month_ends >= CHANGE_DATE, IMPROVED_RATE, BASELINE_RATE)
    yes = rng.binomial(respondents, rate)
    measures = pd.DataFrame({
        "measure_id": MEASURE_ID,
        "date": month_ends.strftime("%d/%m/%Y"),
        "value": [f"{100 * y / n:.1f}" for y, n in zip(yes, respondents)],
        "numerator": yes.astype(str),
        "denominator": respondents.astype(str),
        "facet": "",
    })
    common = {"project_id": "P01", "aim_statement": "Raise the share of staff who often or always feel joy at work "
                                                     "from under 60% to 70% by March 2025",
              "strategy_aim": "team_working_effectively", "measures": MEASURE_ID, "owner_role": "service lead"}
    cycles = [
        {**common, "change_idea_id": "C01", "change_idea": "Protected time on Friday afternoons, without clinical contacts",
         "cycle_id": "C01-1", "cycle_number": "1", "cycle_purpose": "test_change",
         "objective": "Test protected time for admin and reflection", "prediction": "Joy at work rises within two months",
         "planned_start_date": "02/10/2023", "planned_end_date": "30/11/2023", "actual_start_date": "02/10/2023",
         "actual_end_date": "30/11/2023", "carried_out_as_planned": "false",
         "do_observations": "Waiting-list pressure meant most Fridays were booked again by week three",
         "study_summary": "No change in the pulse measure", "prediction_confirmed": "no", "act_decision": "adapt",
         "next_steps": "Try a lighter-touch change", "next_cycle_id": "C02-1", "status": "completed"},
        {**common, "change_idea_id": "C02", "change_idea": "Peer recognition cards",
         "cycle_id": "C02-1", "cycle_number": "1", "cycle_purpose": "test_change",
         "objective": "Test whether peer recognition lifts the pulse", "prediction": "A small rise within a month",
         "planned_start_date": "08/01/2024", "planned_end_date": "29/02/2024", "actual_start_date": "08/01/2024",
         "actual_end_date": "02/02/2024", "carried_out_as_planned": "false",
         "do_observations": "Few cards were used; staff said it felt forced",
         "study_summary": "Stopped early; too little use to judge", "prediction_confirmed": "no",
         "act_decision": "abandon", "next_steps": "Ask teams what matters to them", "next_cycle_id": "C03-1",
         "status": "completed"},
        {**common, "change_idea_id": "C03", "change_idea": "Protected weekly team huddle (15 minutes)",
         "cycle_id": "C03-1", "cycle_number": "1", "cycle_purpose": "test_change",
         "objective": "Test a weekly huddle on what made a good day", "prediction": "Joy at work rises to 65% or more",
         "planned_start_date": "06/05/2024", "planned_end_date": "31/08/2024", "actual_start_date": "06/05/2024",
         "actual_end_date": "31/08/2024", "carried_out_as_planned": "true",
         "do_observations": "Huddles held in 15 of 17 weeks", "study_summary": "The pulse rose and stayed up",
         "prediction_confirmed": "yes", "act_decision": "adopt", "next_steps": "Spread to every team",
         "next_cycle_id": "", "status": "completed"},
    ]
    from ttwell.inputs.templates import TEMPLATES

    log = pd.DataFrame(cycles).reindex(columns=TEMPLATES["pdsa_log"].column_names()).astype(object).fillna("")
    return {"pdsa_measures": measures, "pdsa_log": log}


def write_template_frames(frames: dict[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Write template-shaped text frames as CSV (UTF-8, ``\\n`` line endings), each under its template's file
    name: byte-identical output for the same frames."""
    from ttwell.inputs.templates import TEMPLATES

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, frame in frames.items():
        path = folder / TEMPLATES[kind].filename
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    return written


def write_pdsa(frames: dict[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Write the PDSA frames (:func:`write_template_frames`)."""
    return write_template_frames(frames, folder)
