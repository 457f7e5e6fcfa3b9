"""The analysis commands (ttwell/running/cli/analysis_commands.py): help with examples, and JSON written through
the one JSON-safe converter. Each command's figures are tested beside its calculator (test_spc, test_prepost,
test_impact, test_scales)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ttwell.presentation.results import json_safe, write_json
from ttwell.running.cli import main


@pytest.mark.parametrize("command", ["score", "spc", "runchart", "prepost", "its"])
def test_every_analysis_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example" in result.output


def test_json_safe_makes_numpy_and_missing_values_plain():
    value = {"n": np.int64(3), "rate": np.float64(0.1 + 0.2), "flag": np.bool_(True), "missing": [np.nan, pd.NA, pd.NaT],
             "month": pd.Timestamp("2024-03-31"), "period": pd.Period("2024-03", freq="M"), "pair": (1, None)}
    assert json_safe(value) == {"n": 3, "rate": 0.3, "flag": True, "missing": [None, None, None],
                                "month": "2024-03-31", "period": "2024-03", "pair": [1, None]}
    json.dumps(json_safe(value))  # nothing left that JSON cannot hold


def test_write_json_creates_the_folder_and_writes_null_for_nan(tmp_path):
    path = write_json(tmp_path / "out" / "x.json", {"value": float("nan"), "name": "Ünïcode"})
    assert path.read_text(encoding="utf-8") == '{\n  "value": null,\n  "name": "Ünïcode"\n}\n'


def test_runchart_json_has_no_nan(tmp_path):
    path = tmp_path / "joy.csv"
    pd.DataFrame({"month": pd.date_range("2023-01-31", periods=14, freq="ME").strftime("%d/%m/%Y"),
                  "value": range(1, 15)}).to_csv(path, index=False)
    out = tmp_path / "runs.json"
    result = CliRunner().invoke(main, ["runchart", str(path), "--date", "month", "--value", "value", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "NaN" not in text and json.loads(text)["parts"][0]["n_useful"] == 14
