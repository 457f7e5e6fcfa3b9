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

from spc_cases import series


@pytest.mark.parametrize("command", ["score", "spc", "runchart", "prepost", "its", "funnel"])
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


# --- spc and runchart commands (moved from tests/test_spc.py) ---------------------------------------------

def test_cli_spc_writes_points_and_summary(tmp_path):
    from ttwell.running.cli import main

    path = tmp_path / "absence.csv"
    frame = series([10, 12] * 7 + [20])
    text = frame.assign(month=frame["month"].dt.strftime("%d/%m/%Y")).rename(columns={"month": "Month"})
    text.to_csv(path, index=False)
    out = tmp_path / "out" / "spc.csv"
    result = CliRunner().invoke(main, ["spc", str(path), "--date", "Month", "--value", "value", "--target", "30",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    points = pd.read_csv(out)
    assert points["rule"].iloc[-1] == "outside_limits" and points["date"].iloc[0] == "2023-01-01"
    summary = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    segment = summary["segments"][0]
    assert segment["n"] == 15 and segment["variation_icon"] == "improvement_high"
    assert segment["assurance_icon"] == "consistent_fail" and segment["upl"] == pytest.approx(16.92)


def test_cli_spc_bad_input_exits_2(tmp_path):
    from ttwell.running.cli import main

    path = tmp_path / "bad.csv"
    path.write_text("month,value\n01/01/2024,1\n31/02/2024,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["spc", str(path), "--date", "month", "--value", "value", "-o",
                                       str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "bad.csv, row 3, column 'month'" in result.output
    result = CliRunner().invoke(main, ["spc", str(path), "--date", "month", "--value", "rate", "-o",
                                       str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "'rate' is not a column" in result.output


def test_cli_runchart(tmp_path):
    from ttwell.running.cli import main

    path = tmp_path / "joy.csv"
    series(list(range(1, 15))).to_csv(path, index=False)
    out = tmp_path / "runs.json"
    result = CliRunner().invoke(main, ["runchart", str(path), "--date", "month", "--value", "value", "-o", str(out)])
    assert result.exit_code == 0, result.output
    part = json.loads(out.read_text(encoding="utf-8"))["parts"][0]
    assert (part["n_useful"], part["n_crossings"], part["n_crossings_min"], part["signal"]) == (14, 1, 4, True)
    for command in ("spc", "runchart"):
        helped = CliRunner().invoke(main, [command, "--help"])
        assert helped.exit_code == 0 and "Example" in helped.output


# --- ttwell funnel ------------------------------------------------------------------------------------------------

def _funnel_file(tmp_path, text):
    path = tmp_path / "teams.csv"
    path.write_text(text, encoding="cp1252")  # a Windows export, headers as the service typed them
    return path


def test_funnel_writes_one_row_per_unit_and_the_limits_json(tmp_path):
    # Stability by team: 147 of 169 overall. Hub: 19 of 20; with 5 units the limits are never widened.
    path = _funnel_file(tmp_path, "Team Name,Stayed,Cohort\nNorth,31,36\nSouth,36,40\nEast,26,34\nWest,35,39\n"
                                  "Hub,19,20\n")
    out = tmp_path / "out" / "funnel.csv"
    result = CliRunner().invoke(main, ["funnel", str(path), "--group", "Team Name", "--numerator", "Stayed",
                                       "--denominator", "Cohort", "-o", str(out)])
    assert result.exit_code == 0, result.output
    units = pd.read_csv(out, encoding="utf-8-sig")
    assert list(units["Team Name"]) == ["North", "South", "East", "West", "Hub"]
    assert units.loc[0, "value"] == pytest.approx(31 / 36)
    assert set(units["position"]) == {"Within limits"}
    summary = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert summary["target"] == pytest.approx(147 / 169)
    assert summary["overdispersion"]["df"] == 4 and summary["overdispersion"]["adjusted"] is False
    assert len(summary["curves"]["denominator"]) == len(summary["curves"]["upper_99_8"]) > 10
    assert "No unit is outside the 99.8% limits." in result.output


def test_funnel_names_a_unit_outside_the_99_8_limits(tmp_path):
    # 35 of 100 against an overall 20%: P(X >= 35) = 0.00034 under Binomial(100, 0.2).
    path = _funnel_file(tmp_path, "unit,events,people\nA,35,100\nB,20,100\nC,15,100\nD,10,100\n")
    out = tmp_path / "f.csv"
    result = CliRunner().invoke(main, ["funnel", str(path), "--group", "unit", "--numerator", "events",
                                       "--denominator", "people", "--target", "0.2", "--no-overdispersion",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "A: 0.35, above 99.8% limit (a flag for a closer look, not a verdict)" in result.output


def test_funnel_lists_every_bad_row_with_the_users_headers_and_writes_nothing(tmp_path):
    path = _funnel_file(tmp_path, "Team Name,Stayed,Cohort\nNorth,31,36\nSouth,x,40\n,26,34\nWest,45,39\n"
                                  "North,19,0\n")
    out = tmp_path / "f.csv"
    result = CliRunner().invoke(main, ["funnel", str(path), "--group", "Team Name", "--numerator", "Stayed",
                                       "--denominator", "Cohort", "-o", str(out)])
    assert result.exit_code == 2
    for line in ("teams.csv, row 3, column 'Stayed': not a number: found 'x'",
                 "teams.csv, row 4, column 'Team Name': blank unit",
                 "teams.csv, row 5, column 'Stayed': found '45'; expected no more than the denominator (39)",
                 "teams.csv, row 6, column 'Cohort': found '0'; expected a number above 0",
                 "teams.csv, row 6, column 'Team Name': unit named twice: found 'North'"):
        assert line in result.output
    assert not out.exists() and not out.with_suffix(".json").exists()


def test_funnel_of_means_needs_the_sd_column(tmp_path):
    path = _funnel_file(tmp_path, "team,mean,n,sd\nA,3.1,20,0.8\nB,3.4,25,0.9\nC,2.9,15,0.7\n")
    result = CliRunner().invoke(main, ["funnel", str(path), "--group", "team", "--numerator", "mean",
                                       "--denominator", "n", "--type", "mean", "-o", str(tmp_path / "f.csv")])
    assert result.exit_code == 2 and "--type mean needs --sd" in result.output
    result = CliRunner().invoke(main, ["funnel", str(path), "--group", "team", "--numerator", "mean",
                                       "--denominator", "n", "--type", "mean", "--sd", "sd",
                                       "-o", str(tmp_path / "f.csv")])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    # Respondent-weighted mean (3.1 x 20 + 3.4 x 25 + 2.9 x 15)/60; pooled SD √((19 x .64 + 24 x .81 + 14 x .49)/57).
    assert summary["target"] == pytest.approx((62 + 85 + 43.5) / 60)
    assert summary["pooled_sd"] == pytest.approx(((19 * .64 + 24 * .81 + 14 * .49) / 57) ** 0.5)
