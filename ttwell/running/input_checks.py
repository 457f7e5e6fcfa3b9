"""Checking a notebook's input files before its kernel starts: every problem in every file, all at once.

The runner refuses to start a notebook on any error; the warnings are shown with its progress. The checks read
each file through :func:`ttwell.inputs.io.read_once`, so within one ``ttwell run`` the notebook's kernel receives
the tables checked here instead of reading and checking the files again. ``ttwell validate --params`` runs the
same checks.

Example
-------
>>> from ttwell.inputs.params import load_params
>>> from ttwell.running.input_checks import check_inputs
>>> problems, files = check_inputs("pdsa_review", load_params(notebook="pdsa_review"))   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from ttwell.errors import InputError, ParameterError, Problem
from ttwell.inputs.io import check_survey_files, check_workforce_files
from ttwell.inputs.params import input_paths, load_params, survey_paths


def check_inputs(notebook: str, params: dict) -> tuple[list, list[str]]:
    """Every problem in the input files of ``notebook`` (errors and warnings), and the files checked."""
    if notebook == "pdsa_review":
        return check_pdsa_inputs(params), [params["measures_file"], params["pdsa_log_file"]]
    if notebook == "prepost_training":
        from ttwell.inputs.io import read_table, read_training

        _, _, problems = read_training(params["training_file"], areas_path=params.get("areas_file"),
                                       scale=params["confidence_scale"])
        if params.get("teams_file"):
            problems += read_table(params["teams_file"], "teams")[1]
        return problems, [f for f in (params["training_file"], params.get("areas_file"), params.get("teams_file")) if f]
    if notebook == "compare_services":
        # No staff-level inputs: the services' results.json files, checked as a set (same service twice, real and
        # demonstration mixed, periods sharing no month) before a kernel starts.
        from ttwell.presentation.sections.services import read_services

        read_services(params["results_dirs"], tables=False)
        return [], list(params["results_dirs"])
    if notebook not in ("baseline", "annual_impact"):  # pragma: no cover - a notebook without inputs
        return [], []
    paths = {**input_paths(params), **survey_paths(params)}
    _, problems, _ = check_workforce_files(input_paths(params))
    problems += check_survey_responses(survey_paths(params))
    return problems, [p for p in paths.values() if p]


def validate_inputs(notebook: str, params: dict) -> list:
    """Check every input file of ``notebook``; raise :class:`InputError` on any error, return warnings."""
    problems, _ = check_inputs(notebook, params)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems, intro=f"The {notebook} notebook was not run: "
                                         f"{sum(p.severity == 'error' for p in problems)} problem(s) in its input files.")
    return problems


def _what_is_checked(notebook: str, params: dict) -> str:
    """A key naming what :func:`check_inputs` reads for ``notebook``: notebooks with the same key get the same
    answer (baseline and annual_impact read the same workforce and survey files)."""
    def named(value) -> tuple:
        return (str(value), getattr(value, "column_map", None)) if value else (None, None)

    if notebook in ("baseline", "annual_impact"):
        files = {**input_paths(params), **survey_paths(params)}
        return repr(("service", sorted((k, named(v)) for k, v in files.items())))
    used = {k: (named(v) if k.endswith("_file") else v) for k, v in params.items()
            if k.endswith("_file") or k in ("confidence_scale", "improvement_directions")}
    return repr((notebook, sorted(used.items(), key=lambda item: item[0])))


def check_notebooks(names: list[str], params_file: str | Path | None) -> dict[str, tuple[list, list[str]]]:
    """:func:`check_inputs` for each notebook in ``names`` with its parameters from ``params_file``.

    Notebooks that read the same files with the same settings are checked once: scoring every survey instrument
    to find bad item values is the costly part of a check, and baseline and annual_impact share those files.
    """
    found, by_key = {}, {}
    for name in names:
        params = load_params(params_file, name)
        key = _what_is_checked(name, params)
        if key not in by_key:
            by_key[key] = check_inputs(name, params)
        found[name] = by_key[key]
    return found


def validate_notebooks(names: list[str], params_file: str | Path | None) -> dict[str, list]:
    """Check the inputs of every notebook in ``names`` before any of them runs.

    Raises one :class:`InputError` listing every problem of every notebook with an error (each problem once);
    otherwise returns the warnings of each notebook.
    """
    problems, warnings = [], {}
    for name, (found, _) in check_notebooks(names, params_file).items():
        warnings[name] = found
        if any(p.severity == "error" for p in found):
            # A notebook's warnings are listed with its errors; files shared by two notebooks are listed once.
            problems += [p for p in found if p not in problems]
    if problems:
        raise InputError(problems, intro="Nothing was run: the input files have problems.")
    return warnings


def check_pdsa_inputs(params: dict) -> list:
    """Check the measures file and the PDSA log, and that every measure the log names has data."""
    from ttwell.inputs.io import read_pdsa_log, read_table

    measures, problems = read_table(params["measures_file"], "pdsa_measures")
    log, log_problems = read_pdsa_log(params["pdsa_log_file"])
    problems += log_problems
    if any(p.severity == "error" for p in problems):
        return problems
    known = set(measures["measure_id"])
    log_name = Path(params["pdsa_log_file"]).name
    for i, text in log["measures"].items():
        for measure in [m.strip() for m in str(text).split(";") if m.strip()]:
            if measure not in known:
                problems.append(Problem(log_name, int(i) + 2, "measures", measure,
                                        f"a measure_id present in {Path(params['measures_file']).name}", "warning",
                                        "measure with no data; that cycle is not judged on it"))
    for measure in params.get("improvement_directions", {}):
        if measure not in known:
            problems.append(Problem("(parameters)", None, "improvement_directions", measure,
                                    f"a measure_id present in {Path(params['measures_file']).name}", "warning",
                                    "direction given for a measure with no data"))
    return problems


def check_survey_responses(paths: dict) -> list:
    """Check the survey files, then every instrument's answers (the checks scoring makes first, without scoring)."""
    from ttwell.inputs import instruments

    from ttwell.inputs.checks import nss_unit_problems, wave_instrument_problems

    tables, problems, _ = check_survey_files(paths)
    if tables.get("nss_scores") is not None:
        problems += nss_unit_problems(tables["nss_scores"], Path(paths["nss_scores"]).name)
    if tables.get("survey_waves") is not None:
        problems += wave_instrument_problems(tables["survey_waves"], Path(paths["survey_waves"]).name)
    responses, waves = tables.get("survey_responses"), tables.get("survey_waves")
    if responses is None or waves is None or any(p.severity == "error" for p in problems):
        return problems
    name = Path(paths["survey_responses"]).name
    settings = waves[[c for c in ("wave_id", "ps_variant", "olbi_response_coding") if c in waves.columns]]
    for instrument in sorted(responses["instrument"].dropna().unique()):
        try:
            definition = instruments.load_instrument(instrument)
        except ParameterError:
            rows = responses.index[responses["instrument"] == instrument]
            problems.append(Problem(name, int(rows[0]) + 2, "instrument", instrument,
                                    f"one of {', '.join(instruments.available_instruments())}, or an instrument "
                                    "defined in your own YAML file", problem="unknown instrument"))
            continue
        # Keep the file's own row numbers: the scorer reports rows from the index it is given.
        rows = responses[responses["instrument"] == instrument]
        problems += instruments.answer_problems(rows, definition, variant=settings if definition.variants else None,
                                                coding=settings if len(definition.codings) > 1 else None, file=name)
    return problems
