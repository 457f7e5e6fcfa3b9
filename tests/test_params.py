"""Parameter loading: YAML files, defaults, UK dates and every problem reported together."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import pytest

from ttwell.errors import ParameterError
from ttwell.inputs.dates import parse_date
from ttwell.inputs.params import (NOTEBOOKS, REPO_ROOT, SERVICE_WORKFORCE_OPTIONS, demonstration_notice, load_params,
                                  write_params_template)
from ttwell.calculations.workforce import Options

from helpers import synthetic_params


def test_without_a_params_file_the_shipped_synthetic_data_are_a_demonstration():
    p = load_params(notebook="baseline")
    assert Path(p["staff_snapshot_file"]) == REPO_ROOT / "data" / "synthetic" / "staff_monthly_snapshot.csv"
    assert p["audience"] == "internal_management" and p["disclosure_threshold"] == 11
    assert p["output_dir"] is None
    assert p["demonstration"] is True
    assert demonstration_notice(p) == "Synthetic demonstration data: not a real service"


def test_relative_paths_are_relative_to_the_yaml_file(tmp_path):
    # (Updated for issue 10: the file now names every required input, as nothing falls back to shipped data.)
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "p.yaml").write_text('staff_snapshot_file: "../data/staff.csv"\nabsence_file: ../data/a.csv\n'
                                   'leavers_file: ../data/l.csv\nteams_file: ../data/t.csv\n'
                                   'baseline_start: "01/04/2022"\nbaseline_end: "31/03/2023"\n', encoding="utf-8")
    p = load_params(folder / "p.yaml", "baseline")
    assert Path(p["staff_snapshot_file"]) == (tmp_path / "data" / "staff.csv").resolve()
    assert p["baseline_start"] == "01/04/2022"
    assert p["demonstration"] is False and demonstration_notice(p) is None


def test_uk_dates_in_parameters():
    assert parse_date("01/02/2024", "x").month == 2
    with pytest.raises(ParameterError, match="dd/mm/yyyy"):
        parse_date("02/13/2024", "x")


def test_all_parameter_problems_at_once(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("audience: everyone\ndisclosure_threshold: 3\nbaseline_start: 31/13/2023\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_params(path, "baseline")
    message = str(info.value)
    assert "audience" in message and "disclosure_threshold" in message and "baseline_start" in message


def test_unknown_parameter_is_named(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("audeince: staff_wide\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="audeince"):
        load_params(path, "baseline")


def test_baseline_period_must_be_whole_months(tmp_path):
    path = synthetic_params(tmp_path / "p.yaml", extra='baseline_start: "15/04/2023"\nbaseline_end: "31/03/2024"\n')
    with pytest.raises(ParameterError, match="first day of a month"):
        load_params(path, "baseline")


def test_params_template_runs_as_written_from_any_folder(tmp_path):
    # The generated file points at the synthetic data relative to wherever it is written.
    for folder in (tmp_path / "a", tmp_path / "deep" / "er" / "folder"):
        p = load_params(write_params_template("baseline", folder / "baseline.yaml"), "baseline")
        assert Path(p["staff_snapshot_file"]) == REPO_ROOT / "data" / "synthetic" / "staff_monthly_snapshot.csv"
        assert p["audience"] == "internal_management"


def test_dates_are_parsed_once_into_dates():
    # Issue 10 item 6: parameters are checked once into a typed object; notebooks use p.dates, never parse again.
    p = load_params(None, "annual_impact")
    assert p["evaluation_end"] == "31/03/2025"  # as given, for the report's parameter table
    assert p.dates["evaluation_end"] == pd.Timestamp(2025, 3, 31)
    assert set(p.dates) == {"baseline_start", "baseline_end", "evaluation_start", "evaluation_end", "strategy_start"}


# ----------------------------------------------------------------------------------------------------
# One shared set of workforce parameters for the baseline and annual notebooks (issue 11, item 7).


def test_both_workforce_notebooks_take_the_same_shared_parameters():
    for name in ("baseline", "annual_impact"):
        defaults = NOTEBOOKS[name]["defaults"]
        assert {k: defaults[k] for k in SERVICE_WORKFORCE_OPTIONS} == SERVICE_WORKFORCE_OPTIONS


def test_one_yaml_file_sets_both_notebooks_the_same_way(tmp_path):
    # A service's parameter file sets the NHS Digital convention once; both notebooks must take it.
    # With a params file nothing falls back to shipped data (issue 10): the file names its inputs.
    conventions = "leave_of_absence_as_leaver: true\nleaver_scope: trust\nstability_one_year_days: 366\n"
    path = synthetic_params(tmp_path / "service.yaml", "annual_impact", extra=conventions)
    options = [Options.from_params(load_params(path, name)) for name in ("baseline", "annual_impact")]
    assert options[0] == options[1]
    assert options[0].leave_of_absence_as_leaver is True
    assert options[0].scope == "trust" and options[0].one_year_days == 366


def test_shared_parameters_are_checked(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("leaver_scope: region\nstability_one_year_days: 0\nleave_of_absence_as_leaver: 'yes'\n",
                    encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_params(path, "annual_impact")
    message = str(info.value)
    assert "leaver_scope" in message and "stability_one_year_days" in message
    assert "leave_of_absence_as_leaver" in message


def test_defaults_give_the_library_defaults():

    assert Options.from_params({}) == Options()
    assert Options.from_params(load_params(notebook="baseline")) == Options()
