"""Checking one input file on its own: which template it is, every rule that needs no other file, and a line
naming each rule that does.

``ttwell validate FILE`` calls :func:`check_file`; ``ttwell validate --params`` checks every file together
(``ttwell.running.input_checks.check_inputs``), where the rules below run as well.

Example
-------
>>> from ttwell.inputs.checks import check_file
>>> result = check_file("data/synthetic/survey_responses_long.csv")        # doctest: +SKIP
>>> result.kind, result.chosen                                              # doctest: +SKIP
('survey_responses', "chosen from the file's name")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ttwell.errors import InputError, ParameterError, Problem
from ttwell.inputs.templates import TEMPLATES, kind_from_name, kind_names, template_name

# Rules that need a companion file, per kind: said in one line each instead of passing silently.
NOT_CHECKED = {
    "staff_snapshot": [("team codes against the teams list", "teams"),
                       ("leavers still in post after leaving", "leavers")],
    "absence": [("staff ids and episode dates against the staff snapshot", "staff_snapshot")],
    "leavers": [("team codes against the teams list", "teams"),
                ("leaving dates against later snapshots", "staff_snapshot")],
    "establishment": [("team codes against the teams list", "teams")],
    "survey_waves": [("respondents per wave against eligible_n", "survey_responses")],
    "survey_responses": [("wave ids, the instruments each wave carries, the wave's OLBI coding and TPS wording",
                          "survey_waves")],
    "pdsa_log": [("measure ids against the measures", "pdsa_measures")],
    "training_confidence": [("area ids against the programme's areas", "training_areas")],
}


@dataclass
class FileCheck:
    """What ``ttwell validate FILE`` found: the kind and how it was chosen, problems, rules not checked."""

    kind: str
    chosen: str
    problems: list[Problem] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)


def resolve_kind(name: str) -> str:
    """The template kind for ``--kind NAME`` (a template's name or a short name).

    Raises
    ------
    ParameterError
        ``unknown kind 'x'; one of: ...`` listing every accepted name.
    """
    kind = kind_from_name(name)
    if kind is None:
        raise ParameterError(f"unknown kind '{name}'; one of: {', '.join(kind_names())}.")
    return kind


def guess_kind(path: str | Path, column_map: str | Path | None = None) -> tuple[str, str]:
    """The kind of ``path``: from the column map, else from the file's name when it is a template's name, else
    from its header (the template whose required columns are all present, with the most columns in common).

    Returns
    -------
    (kind, how it was chosen)

    Raises
    ------
    ParameterError
        When no template, or more than one equally, fits the header.
    """
    from ttwell.inputs.io import read_raw

    path = Path(path)
    if column_map is not None:
        from ttwell.inputs.column_maps import load_map

        cmap, problems = load_map(column_map)
        if cmap is None:
            raise InputError(problems)
        return cmap.kind, f"chosen from the column map {Path(column_map).name}"
    by_name = kind_from_name(path.name)
    if by_name is not None:
        return by_name, "chosen from the file's name"
    raw, _, problems = read_raw(path)
    if problems:
        raise InputError(problems)
    header = set(raw.columns)
    fits = []
    for kind, template in TEMPLATES.items():
        if set(template.required_columns()) <= header:
            fits.append((len(header & set(template.column_names())), kind))
    fits.sort(reverse=True)
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
        candidates = ", ".join(template_name(k) for _, k in fits) or "none"
        raise ParameterError(f"Cannot tell which template {path.name} is from its name or header (templates whose "
                             f"required columns it has: {candidates}). Give --kind, one of: {', '.join(kind_names())}.")
    return fits[0][1], "chosen from its header"


def wave_instrument_problems(waves: pd.DataFrame, label: str) -> list[Problem]:
    """Every instrument a wave names that ttwell does not know (survey_waves ``instruments`` column)."""
    from ttwell.inputs.instruments import available_instruments

    known = set(available_instruments())
    problems = []
    for i, text in waves["instruments"].items():
        for name in [s.strip() for s in str(text).split(";") if s.strip()]:
            if name not in known:
                problems.append(Problem(label, int(i) + 2, "instruments", name,
                                        f"instrument ids separated by ';', each one of {', '.join(sorted(known))}",
                                        problem="unknown instrument"))
    return problems


def nss_unit_problems(scores: pd.DataFrame, label: str) -> list[Problem]:
    """Scores outside their unit: a score_0_10 above 10 (the template allows up to 100, for percentages)."""
    problems = []
    for column in ("score", "benchmark_median"):
        if column not in scores.columns:
            continue
        wrong = (scores["score_unit"] == "score_0_10") & scores[column].notna() & (scores[column] > 10)
        for i in wrong[wrong].index:
            problems.append(Problem(label, int(i) + 2, column, f"{scores.loc[i, column]:g}",
                                    "a number from 0 to 10 (score_unit is score_0_10)", problem="outside its unit"))
    return problems


def response_value_problems(responses: pd.DataFrame, label: str) -> list[Problem]:
    """Answers outside each instrument's allowed values, unknown items and unknown instruments.

    Without the waves file the default OLBI coding and the first TPS wording are assumed: both codings and
    wordings allow the same answers, so the values are checked all the same.
    """
    from ttwell.inputs import instruments

    problems: list[Problem] = []
    for instrument in sorted(responses["instrument"].dropna().unique()):
        rows = responses[responses["instrument"] == instrument]
        try:
            definition = instruments.load_instrument(instrument)
        except ParameterError:
            problems.append(Problem(label, int(rows.index[0]) + 2, "instrument", instrument,
                                    f"one of {', '.join(instruments.available_instruments())}, or an instrument "
                                    "defined in your own YAML file", problem="unknown instrument"))
            continue
        variant = definition.variants[0].name if definition.variants else None
        problems += instruments.answer_problems(
            rows.drop(columns=[c for c in ("ps_variant", "olbi_response_coding") if c in rows]), definition,
            variant=variant, file=label)
    return problems


def single_file_rules(kind: str, table: pd.DataFrame, label: str) -> list[Problem]:
    """The rules of ``kind`` that look beyond one cell but need no other file."""
    if table.empty:
        return []
    if kind == "survey_responses":
        return response_value_problems(table, label)
    if kind == "survey_waves":
        return wave_instrument_problems(table, label)
    if kind == "nss_scores":
        return nss_unit_problems(table, label)
    return []


def check_file(path: str | Path, kind: str | None = None, column_map: str | Path | None = None) -> FileCheck:
    """Check one file against its template and every single-file rule, without any other file.

    Parameters
    ----------
    path
        The file (CSV or XLSX).
    kind
        Template's name or short name; default: from the map, the file's name or its header.
    column_map
        Optional column map for an export with its own headers and values.

    Raises
    ------
    ParameterError
        Unknown kind, or a kind that cannot be told.
    """
    from ttwell.inputs import io

    if kind is not None:
        kind = resolve_kind(kind)
        chosen = "given with --kind"
    else:
        kind, chosen = guess_kind(path, column_map)
    label = Path(path).name
    if kind == "training_confidence":
        _, _, problems = io.read_training(path, column_map=column_map)
    elif kind == "pdsa_log":
        table, problems = io.read_table(path, kind, column_map)
        if not any(p.severity == "error" for p in problems):
            problems += io.pdsa_log_problems(table, label)
    else:
        table, problems = io.read_table(path, kind, column_map)
        if not any(p.severity == "error" for p in problems):
            problems += single_file_rules(kind, table, label)
    not_checked = [f"{what}: not checked without the {TEMPLATES[other].title.lower()} file "
                   f"({TEMPLATES[other].filename})" for what, other in NOT_CHECKED.get(kind, [])]
    return FileCheck(kind, chosen, problems, not_checked)
