"""Every input template by kind, which notebook parameter names each file, and looking a kind up by name."""

from __future__ import annotations

from pathlib import Path

from ttwell.inputs.templates.columns import Template
from ttwell.inputs.templates.pdsa import PDSA_TEMPLATES
from ttwell.inputs.templates.surveys import SURVEY_TEMPLATES
from ttwell.inputs.templates.training import TRAINING_TEMPLATES
from ttwell.inputs.templates.workforce import WORKFORCE_TEMPLATES

# In this order the data dictionary, the blank workbook and the kind names list them.
TEMPLATES: dict[str, Template] = {t.kind: t for t in (*WORKFORCE_TEMPLATES, *SURVEY_TEMPLATES, *PDSA_TEMPLATES,
                                                      *TRAINING_TEMPLATES)}

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
