"""One shared set of workforce parameters for the baseline and annual notebooks (issue 11, item 7)."""

from __future__ import annotations

import pytest

from helpers import synthetic_params

from ttwell.errors import ParameterError
from ttwell.calculations.workforce import Options
from ttwell.inputs.params import NOTEBOOKS, SERVICE_WORKFORCE_OPTIONS, load_params


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
