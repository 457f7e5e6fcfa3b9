"""Templates of the pre/post training inputs: confidence ratings and the knowledge areas they cover."""

from __future__ import annotations

from ttwell.inputs.templates.columns import ROLE_FAMILY_COLUMN, Template, column

TRAINING_TIMEPOINTS = ["pre", "post", "follow_up"]

TRAINING_CONFIDENCE = Template(
    kind="training_confidence",
    filename="training_confidence.csv",
    title="Training confidence before and after (long form)",
    description="One row per attendee per timepoint per knowledge area: self-rated confidence. Area labels are in "
                "training_areas.csv. A wide form (one column per timepoint and area, such as pre_1 ... post_7) and "
                "0-10 or 1-5 answer scales are also accepted by ttwell.inputs.io.read_training.",
    columns=(
        column("programme_id", "str", True, "Training programme.", example="TIC2024"),
        column("session_id", "str", False, "Session (date or cohort) the attendee was in.", example="S1"),
        column("session_date", "date", True, "Date of the training session.", example="12/06/2024"),
        column("participant_pid", "str", True, "Pseudonymous attendee code, the same before and after (for example a "
                                           "self-generated code; never a name or staff number).", example="K7QF2M"),
        column("team_code", "str", False, "Attendee's team.", example="T01"),
        ROLE_FAMILY_COLUMN,
        column("timepoint", "enum", True, "When the rating was given.", enum=TRAINING_TIMEPOINTS, example="pre"),
        column("area_id", "int", True, "Knowledge area (1, 2, ...), labelled in training_areas.csv.", minimum=1, example="1"),
        # No declared range: the reader checks it on the declared answer scale (0-100, 0-10 or 1-5) before
        # converting to 0-100.
        column("confidence_pct", "float", True, "Confidence in this area, 0-100% (or a 0-10 / 1-5 scale declared when "
                                            "reading).", example="60"),
        column("response_date", "date", False, "Date the form was filled in (blank = the session date).", example="12/06/2024"),
    ),
    unique=(("programme_id", "participant_pid", "timepoint", "area_id"),),
)

TRAINING_AREAS = Template(
    kind="training_areas",
    filename="training_areas.csv",
    title="Training knowledge areas",
    description="The knowledge areas a training programme's confidence questions cover, with their labels.",
    columns=(
        column("programme_id", "str", True, "Training programme, as in training_confidence.csv.", example="TIC2024"),
        column("area_id", "int", True, "Area number, as in training_confidence.csv.", minimum=1, example="1"),
        column("area_label", "str", True, "The area as worded on the form.", example="Prevalence of trauma"),
    ),
    unique=(("programme_id", "area_id"),),
)

TRAINING_TEMPLATES = (TRAINING_CONFIDENCE, TRAINING_AREAS)
