"""Loading the survey inputs (waves, long-form responses, published NSS scores), all optional.

:func:`load_surveys` returns :class:`SurveyData` or raises one :class:`ttwell.errors.InputError` listing every
problem; item values are checked against each instrument when scored, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ttwell.errors import InputError, Problem
from ttwell.inputs.reading import MAX_LISTED_PER_COLUMN, LoadedFile, read_inputs, read_once
from ttwell.inputs.templates import SURVEY_INPUTS, TEMPLATES


@dataclass
class SurveyData:
    """The validated survey inputs: waves, long-form responses and (optionally) published NSS scores."""

    waves: pd.DataFrame | None = None
    responses: pd.DataFrame | None = None
    nss_scores: pd.DataFrame | None = None
    files: list[LoadedFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def has_responses(self) -> bool:
        return self.waves is not None and self.responses is not None and len(self.responses) > 0


def _survey_cross_problems(tables: dict[str, pd.DataFrame], names: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    waves, responses = tables.get("survey_waves"), tables.get("survey_responses")
    if (waves is None) != (responses is None):
        given = "survey_waves" if waves is not None else "survey_responses"
        missing = "survey_responses" if waves is not None else "survey_waves"
        problems.append(Problem(names[given], None, None, None, f"a {TEMPLATES[missing].filename} file as well",
                                problem=f"{TEMPLATES[given].title} given without {TEMPLATES[missing].title.lower()}"))
        return problems
    if waves is None or responses is None or not len(responses):
        return problems
    known = set(waves["wave_id"])
    unknown = ~responses["wave_id"].isin(known)
    for i in unknown[unknown].index[:MAX_LISTED_PER_COLUMN]:
        problems.append(Problem(names["survey_responses"], int(i) + 2, "wave_id", str(responses.loc[i, "wave_id"]),
                                f"a wave_id listed in {names['survey_waves']}", problem="unknown wave"))
    carried = {w: set(str(v).replace(" ", "").split(";")) for w, v in zip(waves["wave_id"], waves["instruments"])}
    not_carried = pd.Series(False, index=responses.index)
    for wave, instruments in carried.items():
        not_carried |= (responses["wave_id"] == wave) & ~responses["instrument"].isin(instruments)
    for i in not_carried[not_carried].index[:MAX_LISTED_PER_COLUMN]:
        wave = responses.loc[i, "wave_id"]
        problems.append(Problem(names["survey_responses"], int(i) + 2, "instrument", str(responses.loc[i, "instrument"]),
                                f"one of the instruments the wave carries ({', '.join(sorted(carried[wave]))})",
                                problem="instrument not in this wave"))
    respondents = responses.groupby("wave_id")["response_id"].nunique()
    for row, wave in enumerate(waves.itertuples(), start=2):
        n = int(respondents.get(wave.wave_id, 0))
        if n > wave.eligible_n:
            problems.append(Problem(names["survey_waves"], row, "eligible_n", str(wave.eligible_n),
                                    f"at least the {n} respondents found for this wave", problem="fewer eligible than responded"))
    return problems


@read_once
def check_survey_files(paths: dict[str, str | Path | None]) -> tuple[dict[str, pd.DataFrame], list[Problem], list[LoadedFile]]:
    """Read and check the survey inputs (kinds ``survey_waves``, ``survey_responses``, ``nss_scores``).

    Item values are checked against each instrument's coding when scored (``ttwell.calculations.scales``), not here.
    """
    tables, _, problems, files, names = read_inputs(paths, SURVEY_INPUTS)
    problems += _survey_cross_problems(tables, names)
    return tables, problems, files


def load_surveys(paths: dict[str, str | Path | None]) -> SurveyData:
    """Load the survey inputs that are given (all are optional); raise :class:`InputError` on any error."""
    tables, problems, files = check_survey_files(paths)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return SurveyData(waves=tables.get("survey_waves"), responses=tables.get("survey_responses"),
                      nss_scores=tables.get("nss_scores"), files=files, warnings=problems)
