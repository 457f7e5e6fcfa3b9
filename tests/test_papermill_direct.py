"""Papermill used directly (issue 10 items 1, 7) and the no-fallback rule as the notebooks apply it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ttwell.errors import ParameterError
from ttwell.inputs.params import REPO_ROOT, from_notebook, load_params, notebook_default, survey_paths
from ttwell.presentation.results import Results

PAPERMILL = Path(sys.executable).with_name("papermill")
SYNTHETIC = REPO_ROOT / "data" / "synthetic"


def _papermill(*args, cwd=REPO_ROOT):
    return subprocess.run([str(PAPERMILL), *map(str, args), "--kernel", "python3", "--no-progress-bar"],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(not PAPERMILL.exists(), reason="papermill command not installed")
def test_papermill_from_the_repository_root_on_the_defaults(tmp_path):
    result = _papermill("notebooks/pdsa_review.ipynb", tmp_path / "out.ipynb", "-p", "output_dir", tmp_path / "res")
    assert result.returncode == 0, result.stderr[-3000:]
    saved = json.loads((tmp_path / "res" / "results.json").read_text(encoding="utf-8"))
    assert saved["demonstration"] is True
    assert saved["data_notice"] == "Synthetic demonstration data: not a real service"


@pytest.mark.skipif(not PAPERMILL.exists(), reason="papermill command not installed")
def test_papermill_with_a_params_file_of_relative_paths(tmp_path):
    # The documented rule: relative paths passed with -f/-p are relative to the kernel's working folder, the
    # folder papermill is run from (or --cwd). Here: paths relative to tmp_path, run with --cwd tmp_path.
    data = tmp_path / "my_data"
    data.mkdir()
    for name in ("pdsa_measures.csv", "pdsa_log.csv"):
        shutil.copy(SYNTHETIC / name, data / name)
    params = tmp_path / "my_params.yaml"
    params.write_text("service_name: My service\nmeasures_file: my_data/pdsa_measures.csv\n"
                      "pdsa_log_file: my_data/pdsa_log.csv\n", encoding="utf-8")
    result = _papermill(REPO_ROOT / "notebooks" / "pdsa_review.ipynb", tmp_path / "out.ipynb", "-f", params,
                        "-p", "output_dir", tmp_path / "res", "--cwd", tmp_path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    saved = json.loads((tmp_path / "res" / "results.json").read_text(encoding="utf-8"))
    assert saved["demonstration"] is False and saved["data_notice"] is None
    assert saved["parameters"]["service_name"] == "My service"


def _cell(notebook: str) -> dict:
    from ttwell.inputs.params import NOTEBOOKS

    return {k: notebook_default(notebook, k) for k in NOTEBOOKS[notebook]["defaults"]}


def test_notebook_defaults_are_the_demonstration_from_any_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = from_notebook("baseline", _cell("baseline"))
    assert p == load_params(None, "baseline") and p["demonstration"] is True


def test_own_files_passed_to_a_notebook_never_mix_with_the_shipped_ones(tmp_path, monkeypatch):
    # Workforce files given (relative to the working folder), survey files left at the cell's defaults:
    # the survey inputs are absent, not the synthetic survey.
    for name in ("staff_monthly_snapshot.csv", "absence_episodes.csv", "leavers.csv", "teams.csv"):
        shutil.copy(SYNTHETIC / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    namespace = {**_cell("baseline"), "staff_snapshot_file": "staff_monthly_snapshot.csv",
                 "absence_file": "absence_episodes.csv", "leavers_file": "leavers.csv", "teams_file": "teams.csv"}
    p = from_notebook("baseline", namespace)
    assert p["demonstration"] is False
    assert p["staff_snapshot_file"] == str(tmp_path / "staff_monthly_snapshot.csv")
    assert survey_paths(p) == {"survey_waves": None, "survey_responses": None, "nss_scores": None}
    assert p["establishment_file"] is None and p["reasons_file"] is None


def test_params_file_without_survey_files_has_no_survey_input_and_no_notice(tmp_path):
    from helpers import synthetic_params

    params = synthetic_params(tmp_path / "p.yaml", drop=("survey_waves_file", "survey_responses_file",
                                                         "nss_scores_file"), extra="survey_waves_file: null\n")
    p = load_params(params, "baseline")
    assert survey_paths(p) == {"survey_waves": None, "survey_responses": None, "nss_scores": None}
    from ttwell.inputs import io

    surveys = io.load_surveys(survey_paths(p))
    assert surveys.waves is None and surveys.responses is None and surveys.nss_scores is None
    results = Results("baseline", tmp_path / "out", p)
    saved = results.as_dict()
    assert "demonstration" not in saved["parameters"] and saved["parameters"]["survey_waves_file"] is None


def test_a_missing_required_file_is_an_error_naming_the_key(tmp_path):
    from helpers import synthetic_params

    params = synthetic_params(tmp_path / "p.yaml", drop=("teams_file",))
    with pytest.raises(ParameterError, match="'teams_file' is required"):
        load_params(params, "baseline")


def test_params_file_named_to_the_notebook_is_read_as_ttwell_run_reads_it(tmp_path, monkeypatch):
    from helpers import synthetic_params

    params = synthetic_params(tmp_path / "p.yaml", "pdsa_review", extra="service_name: Named\n")
    monkeypatch.chdir(tmp_path)
    p = from_notebook("pdsa_review", {**_cell("pdsa_review"), "params_file": "p.yaml"})
    assert p == load_params(params, "pdsa_review") and p["service_name"] == "Named"


def test_workbook_cover_says_demonstration(tmp_path):
    from openpyxl import load_workbook

    from ttwell.presentation import report

    results = Results("pdsa_review", tmp_path, load_params(None, "pdsa_review"), title="PDSA")
    results.save()
    report.write_excel(tmp_path, tmp_path / "book.xlsx")
    assert load_workbook(tmp_path / "book.xlsx")["Cover"]["A2"].value == \
        "Synthetic demonstration data: not a real service"


def test_what_ttwell_run_injects_is_taken_as_given(tmp_path):
    # ttwell run passes every parameter (absent inputs as None) and the demonstration flag: nothing is filled in.
    from ttwell.running.runner import _notebook_parameters

    p = load_params(None, "baseline")
    p = {**p, "survey_waves_file": None, "survey_responses_file": None}
    injected = _notebook_parameters(p, tmp_path)
    again = from_notebook("baseline", injected)
    assert again["demonstration"] is True and again["survey_waves_file"] is None
    assert again["staff_snapshot_file"] == p["staff_snapshot_file"]


def test_column_maps_survive_the_trip_into_the_notebook(tmp_path):
    from ttwell.running.runner import _notebook_parameters

    maps = REPO_ROOT / "templates" / "maps" / "examples"
    params = tmp_path / "p.yaml"
    params.write_text(f"staff_snapshot_file: {maps / 'esr_staff_in_post_sample.csv'}\n"
                      f"absence_file: {maps / 'esr_absence_sample.csv'}\nleavers_file: {SYNTHETIC / 'leavers.csv'}\n"
                      f"teams_file: {SYNTHETIC / 'teams.csv'}\ncolumn_maps:\n"
                      f"  staff_snapshot_file: {maps / 'esr_staff_in_post.yaml'}\n"
                      f"  absence_file: {maps / 'esr_absence.yaml'}\n", encoding="utf-8")
    p = load_params(params, "baseline")
    inside = from_notebook("baseline", _notebook_parameters(p, tmp_path))
    assert inside["staff_snapshot_file"].column_map == str(maps / "esr_staff_in_post.yaml")
    assert inside["absence_file"].column_map == str(maps / "esr_absence.yaml")
    assert inside["demonstration"] is False


def test_absent_optional_inputs_get_one_sentence_each(tmp_path):
    from helpers import synthetic_params
    from ttwell.inputs.params import absent_inputs

    p = load_params(synthetic_params(tmp_path / "p.yaml", drop=("survey_waves_file", "survey_responses_file")),
                    "baseline")
    sentences = absent_inputs(p, "baseline")
    assert sorted(sentences) == ["survey_responses_file", "survey_waves_file"]
    assert sentences["survey_waves_file"] == ("Not included: no survey waves file was given (name your "
                                              "survey_waves.csv in the parameter file to include it).")
