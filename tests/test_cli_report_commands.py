"""The ttwell command line: help, exit codes and the files each command writes."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from ttwell.running.cli import main
from ttwell.inputs.templates import TEMPLATES

from helpers import synthetic_params


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
    assert "Checked 13 file(s): 0 error(s)" in result.output


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
    assert (tmp_path / "params" / "baseline.yaml").exists()


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


def test_metrics_staff_wide_shows_rounded_counts_and_rates_from_them(cli, tmp_path):
    # With a params file nothing falls back to the shipped data: the files are named.
    params = synthetic_params(tmp_path / "p.yaml", extra="audience: staff_wide\n")
    out = tmp_path / "metrics.csv"
    result = cli.invoke(main, ["metrics", "--params", str(params), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    below = table[table["level"] != "service"]
    # Rule 5: no month-by-month headcount for teams to all staff (a change of one identifies a person).
    assert below[below["indicator"] == "staff_in_post_headcount"]["value"].isna().all()
    # Rule 2: leaver rates below service level are the shown (rounded) numerator over the shown denominator.
    leavers = below[(below["indicator"] == "leaver_rate_hc_12m") & ~below["suppressed"]].dropna(subset=["value"])
    assert len(leavers)
    assert ((leavers["numerator"] % 5 == 0) & (leavers["denominator"] % 5 == 0)).all()
    assert (leavers["value"] - leavers["numerator"] / leavers["denominator"]).abs().max() < 1e-12
    # FTE days are not counts of people: not shown below service level.
    sickness = below[below["indicator"] == "sickness_absence_rate_12m"]
    assert sickness["numerator"].isna().all()


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


def test_committed_templates_folder_is_current(cli, tmp_path):
    # templates/ is generated by `ttwell templates templates`; it must not drift from ttwell/inputs/templates/.
    from ttwell.inputs.params import REPO_ROOT

    assert cli.invoke(main, ["templates", str(tmp_path)]).exit_code == 0
    committed = REPO_ROOT / "templates"
    for fresh in tmp_path.rglob("*.csv"):
        relative = fresh.relative_to(tmp_path)
        assert (committed / relative).read_bytes() == fresh.read_bytes(), f"templates/{relative} is out of date"
    # Parameter files differ only in their relative paths; both must resolve to the same parameters.
    from ttwell.inputs.params import load_params

    assert load_params(committed / "params" / "baseline.yaml") == load_params(tmp_path / "params" / "baseline.yaml")
    fresh_book = pd.ExcelFile(tmp_path / "ttwell_input_templates.xlsx")
    committed_book = pd.ExcelFile(committed / "ttwell_input_templates.xlsx")
    assert fresh_book.sheet_names == committed_book.sheet_names
    for sheet in fresh_book.sheet_names:
        assert fresh_book.parse(sheet).equals(committed_book.parse(sheet))


def test_run_takes_jobs_and_refuses_fewer_than_one(cli, tmp_path):
    assert "--jobs N" in cli.invoke(main, ["run", "--help"]).output
    result = cli.invoke(main, ["run", "all", "--jobs", "0", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--jobs" in result.output and not (tmp_path / "out").exists()


def test_run_all_passes_jobs_to_the_runner(cli, tmp_path, monkeypatch):
    from ttwell.running import runner

    seen = {}

    def run_all(params_file, out_dir, **kwargs):
        seen.update(kwargs)
        return []

    monkeypatch.setattr(runner, "run_all", run_all)
    result = cli.invoke(main, ["run", "all", "--jobs", "1", "--no-word", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert seen == {"jobs": 1, "html": True, "excel": True, "word": False}
