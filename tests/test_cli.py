"""The ttwell command line: help, exit codes and the files each command writes."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from ttwell.cli import main
from ttwell.templates import TEMPLATES


@pytest.fixture
def cli():
    return CliRunner()


@pytest.mark.parametrize("command", ["run", "validate", "templates", "synth", "metrics", "doctor"])
def test_every_command_has_help(cli, command):
    result = cli.invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output and len(result.output) > 200


def test_validate_clean_synthetic_data(cli):
    result = cli.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "Checked 6 file(s): 0 error(s)" in result.output


def test_validate_one_bad_file_exits_1_and_lists_every_problem(cli, tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("team_code,team_name,active_from\nT01,A,31/02/2024\nT01,B,01/01/2024\n", encoding="utf-8")
    result = cli.invoke(main, ["validate", str(path), "--kind", "teams"])
    assert result.exit_code == 1
    assert "teams.csv, row 2, column 'active_from'" in result.output and "31/02/2024" in result.output
    assert "teams.csv, row 3, column 'team_code'" in result.output
    assert "2 error(s)" in result.output


def test_validate_needs_a_known_kind(cli, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    result = cli.invoke(main, ["validate", str(path), "--kind", "nonsense"])
    assert result.exit_code == 2 and "staff_snapshot" in result.output


def test_templates_write_csv_xlsx_dictionary_and_params(cli, tmp_path):
    result = cli.invoke(main, ["templates", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for template in TEMPLATES.values():
        header = pd.read_csv(tmp_path / template.filename, encoding="utf-8-sig").columns.tolist()
        assert header == template.column_names()
    dictionary = pd.read_csv(tmp_path / "data_dictionary.csv", encoding="utf-8-sig")
    assert len(dictionary) == sum(len(t.columns) for t in TEMPLATES.values())
    sheets = pd.ExcelFile(tmp_path / "ttwell_input_templates.xlsx").sheet_names
    assert sheets[0] == "data_dictionary" and set(TEMPLATES) <= set(sheets)
    assert (tmp_path / "params_baseline.yaml").exists()


def test_synth_same_seed_same_bytes(cli, tmp_path):
    for folder in ("a", "b"):
        assert cli.invoke(main, ["synth", "--seed", "7", "--out", str(tmp_path / folder)]).exit_code == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files and all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_metrics_writes_the_tidy_table(cli, tmp_path):
    out = tmp_path / "metrics.csv"
    result = cli.invoke(main, ["metrics", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    for column in ("month", "level", "group", "indicator", "numerator", "denominator", "value", "n_people",
                   "suppressed"):
        assert column in table.columns
    assert set(table["level"]) == {"service", "team", "role_family"}
    assert "staff_pid" not in table.columns


def test_metrics_staff_wide_rounds_and_drops_exact_counts(cli, tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("audience: staff_wide\n", encoding="utf-8")
    out = tmp_path / "metrics.csv"
    result = cli.invoke(main, ["metrics", "--params", str(params), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert "numerator" not in table.columns
    teams = table[(table["level"] == "team") & (table["indicator"] == "staff_in_post_headcount")]
    shown = teams["value"].dropna()
    assert len(shown) and (shown % 5 == 0).all()  # rounded to the nearest 5 below service level


def test_bad_params_exit_2_with_a_plain_message(cli, tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("audience: everyone\n", encoding="utf-8")
    result = cli.invoke(main, ["run", "baseline", "--params", str(params), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "audience" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_unknown_notebook(cli, tmp_path):
    result = cli.invoke(main, ["run", "nonsense", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "baseline" in result.output


def test_doctor_names_python_and_kernel(cli):
    result = cli.invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "Python running ttwell" in result.output and "Kernel 'python3'" in result.output
