"""Input checks before a run (ttwell/running/input_checks.py): every problem at once, shared files checked once,
and the checked tables left in the run's cache for the notebooks' kernels."""

from __future__ import annotations

import pytest

from ttwell.errors import InputError
from ttwell.inputs import io, reading, survey_io, workforce_io
from ttwell.inputs.params import NOTEBOOKS, input_paths, load_params, survey_paths
from ttwell.running import input_checks
from ttwell.running.runner import input_cache


def test_notebooks_reading_the_same_files_are_checked_once(monkeypatch):
    calls = []
    real = input_checks.check_inputs

    def counted(notebook, params):
        calls.append(notebook)
        return real(notebook, params)

    monkeypatch.setattr(input_checks, "check_inputs", counted)
    params = load_params(notebook="baseline")
    monkeypatch.setattr(input_checks, "load_params", lambda params_file, notebook: params)
    found = input_checks.check_notebooks(["baseline", "annual_impact"], None)
    # Given the same parameters, the second notebook is answered from the first check.
    assert calls == ["baseline"] and found["baseline"] is found["annual_impact"]


def test_validate_notebooks_lists_each_notebooks_errors_once(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "teams.csv").write_text("team_code,team_name\nT01,A\nT01,B\n", encoding="utf-8")
    params = tmp_path / "params.yaml"
    params.write_text("staff_snapshot_file: data/missing.csv\nabsence_file: data/missing.csv\n"
                      "leavers_file: data/missing.csv\nteams_file: data/teams.csv\n", encoding="utf-8")
    with pytest.raises(InputError) as one:
        input_checks.validate_notebooks(["baseline"], params)
    with pytest.raises(InputError) as both:
        input_checks.validate_notebooks(["baseline", "annual_impact"], params)
    message = str(both.value)
    assert message.startswith("Nothing was run") and "teams.csv" in message and "missing.csv" in message
    # The files both notebooks read are reported once, not once per notebook.
    assert both.value.problems == one.value.problems


def test_checks_fill_the_cache_the_kernels_read(monkeypatch):
    # Within a run, the runner's checks leave the checked tables in the run's cache; the notebook's
    # load_workforce and load_surveys (in its kernel) then read them instead of reading and checking again.
    params = load_params(notebook="baseline")
    with input_cache():
        input_checks.check_inputs("baseline", params)

        def no_second_check(*args, **kwargs):
            raise AssertionError("an input was read and checked twice in one run")

        # Patched where the loaders look them up (ttwell.inputs.io only re-exports the loaders).
        monkeypatch.setattr(workforce_io, "read_inputs", no_second_check)
        monkeypatch.setattr(survey_io, "read_inputs", no_second_check)
        monkeypatch.setattr(reading, "read_raw", no_second_check)
        data = io.load_workforce(input_paths(params))
        surveys = io.load_surveys(survey_paths(params))
    assert len(data.staff_snapshot) and surveys.has_responses


def test_every_notebook_has_an_input_check():
    for notebook in NOTEBOOKS:
        problems, files = input_checks.check_inputs(notebook, load_params(notebook=notebook))
        assert files and not any(p.severity == "error" for p in problems)
