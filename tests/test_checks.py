"""ttwell validate FILE (issue 10 items 4, 5): the kind chosen and said, single-file rules, user's column names."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from ttwell.running.cli import main
from ttwell.inputs.params import REPO_ROOT
from ttwell.inputs.templates import kind_names

SYNTHETIC = REPO_ROOT / "data" / "synthetic"


def _validate(*args):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def test_kind_from_the_file_name_then_the_header(tmp_path):
    shutil.copy(SYNTHETIC / "staff_monthly_snapshot.csv", tmp_path / "staff_monthly_snapshot.csv")
    result = _validate(tmp_path / "staff_monthly_snapshot.csv")
    assert result.exit_code == 0, result.output
    assert "checked as staff_monthly_snapshot, chosen from the file's name" in result.output
    shutil.copy(SYNTHETIC / "absence_episodes.csv", tmp_path / "march_extract.csv")
    result = _validate(tmp_path / "march_extract.csv")
    assert result.exit_code == 0 and "checked as absence_episodes, chosen from its header" in result.output


@pytest.mark.parametrize("kind", ["staff_monthly_snapshot", "staff_snapshot", "survey_responses_long"])
def test_kind_accepts_template_and_short_names(kind, tmp_path):
    source = "survey_responses_long.csv" if kind.startswith("survey") else "staff_monthly_snapshot.csv"
    shutil.copy(SYNTHETIC / source, tmp_path / "x.csv")
    assert _validate(tmp_path / "x.csv", "--kind", kind).exit_code == 0


def test_unknown_kind_and_help_lists_every_kind(tmp_path):
    (tmp_path / "x.csv").write_text("a\n1\n", encoding="utf-8")
    result = _validate(tmp_path / "x.csv", "--kind", "staf_snapshot")
    assert result.exit_code == 2 and result.output.startswith("unknown kind 'staf_snapshot'; one of: ")
    help_text = " ".join(_validate("--help").output.split())
    assert len(kind_names()) == 18
    for name in kind_names():
        assert name in help_text


def test_survey_answers_items_and_instruments_checked_without_the_waves_file(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text("wave_id,response_id,instrument,item_id,item_value\n"
                    "w1,r1,OLBI,OLBI_07,7\nw1,r1,CBI,CBI_P1,30\nw1,r1,WRQOL,WRQOL_99,2\nw1,r1,XYZ,XYZ_01,1\n"
                    "w1,r1,OLBI,OLBI_01,2\n", encoding="utf-8")
    result = _validate(path, "--kind", "survey_responses")
    assert result.exit_code == 1, result.output
    out = result.output
    assert "row 2, column 'item_value'" in out and "found '7'" in out
    assert "row 3, column 'item_value'" in out and "found '30'" in out
    assert "row 4, column 'item_id': unknown item: found 'WRQOL_99'" in out
    assert "row 5, column 'instrument': unknown instrument: found 'XYZ'" in out
    assert "4 error(s)" in out
    assert "not checked without the survey waves file (survey_waves.csv)" in out


def test_nss_score_outside_its_unit_and_unknown_wave_instrument_fail_both_ways(tmp_path):
    nss = (SYNTHETIC / "nss_scores.csv").read_text(encoding="utf-8").splitlines()
    header = nss[0].split(",")
    row = nss[1].split(",")
    assert row[header.index("score_unit")] == "score_0_10"
    row[header.index("score")] = "12.4"
    (tmp_path / "nss_scores.csv").write_text("\n".join([nss[0], ",".join(row), *nss[2:]]) + "\n", encoding="utf-8")
    waves = (SYNTHETIC / "survey_waves.csv").read_text(encoding="utf-8").replace("OLBI;", "OLBI;FOO;", 1)
    (tmp_path / "survey_waves.csv").write_text(waves, encoding="utf-8")
    one = _validate(tmp_path / "nss_scores.csv")
    assert one.exit_code == 1 and "row 2, column 'score': outside its unit: found '12.4'" in one.output
    two = _validate(tmp_path / "survey_waves.csv")
    assert two.exit_code == 1 and "column 'instruments': unknown instrument: found 'FOO'" in two.output
    from helpers import synthetic_params

    params = synthetic_params(tmp_path / "p.yaml", extra=f"nss_scores_file: {tmp_path / 'nss_scores.csv'}\n"
                                                          f"survey_waves_file: {tmp_path / 'survey_waves.csv'}\n",
                              drop=("nss_scores_file", "survey_waves_file"))
    both = _validate("--params", params)
    assert both.exit_code == 1
    assert "outside its unit: found '12.4'" in both.output and "unknown instrument: found 'FOO'" in both.output


def test_messages_name_columns_as_the_file_does_and_impossible_dates(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text("Team Code,Team Name,Active From\nT01,A,31/02/2024\nT02,B,02/13/2024\n", encoding="utf-8")
    result = _validate(path)
    assert result.exit_code == 1
    assert ("teams.csv, row 2, column 'Active From (active_from)': impossible date (that day does not exist): "
            "found '31/02/2024'") in result.output
    assert "row 3, column 'Active From (active_from)': wrong type: found '02/13/2024'; expected a date as dd/mm/yyyy" \
        in result.output
