"""A service's own run end to end (issue 10 items 1, 2, 8): ESR-style exports through the shipped example maps,
no survey files, through ttwell run. Same workforce figures as the template-shaped files; no survey figure, table
or sheet anywhere; no demonstration notice."""

from __future__ import annotations

import json

import openpyxl
import pytest

from ttwell.running import runner
from ttwell.inputs.params import REPO_ROOT

from test_column_maps import EXAMPLES, SYNTHETIC, _export


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own")
    (folder / "maps").mkdir()
    for name in ("esr_staff_in_post.yaml", "esr_absence.yaml"):
        (folder / "maps" / name).write_bytes((EXAMPLES / name).read_bytes())
    _export(SYNTHETIC / "staff_monthly_snapshot.csv", EXAMPLES / "esr_staff_in_post.yaml", folder / "esr_staff.csv")
    _export(SYNTHETIC / "absence_episodes.csv", EXAMPLES / "esr_absence.yaml", folder / "esr_absence.csv")
    params = folder / "my_service.yaml"
    params.write_text(f"service_name: Mapped service\nstaff_snapshot_file: esr_staff.csv\nabsence_file: esr_absence.csv\n"
                      f"leavers_file: {(SYNTHETIC / 'leavers.csv').as_posix()}\n"
                      f"teams_file: {(SYNTHETIC / 'teams.csv').as_posix()}\n"
                      "column_maps:\n  staff_snapshot_file: maps/esr_staff_in_post.yaml\n"
                      "  absence_file: maps/esr_absence.yaml\n", encoding="utf-8")
    own = runner.run_notebook("baseline", params, folder / "own", html=False, progress=lambda _: None)
    demo = runner.run_notebook("baseline", None, folder / "demo", html=False, excel=False, progress=lambda _: None)
    return own, demo


def _results(folder):
    return json.loads((folder / "results.json").read_text(encoding="utf-8"))


def test_mapped_exports_give_the_demonstrations_workforce_figures(runs):
    own, demo = (_results(f) for f in runs)
    assert own["demonstration"] is False and own["data_notice"] is None
    assert demo["demonstration"] is True
    workforce = {k: v for k, v in demo["figures"].items() if not k.startswith("survey_") and k != "vacancy_rate_fte"}
    assert workforce and {k: own["figures"][k] for k in workforce} == workforce


def test_no_survey_figure_table_or_sheet_without_survey_files(runs):
    own_folder = runs[0]
    own = _results(own_folder)
    assert not [k for k in own["figures"] if "survey" in k.lower()]
    assert not [k for k in own["tables"] if "survey" in k.lower()]
    assert not [p for p in (own_folder / "tables").iterdir() if "survey" in p.name.lower()]
    book = openpyxl.load_workbook(next(own_folder.glob("*.xlsx")), read_only=True)
    assert not [s for s in book.sheetnames if "survey" in s.lower()]
    assert book["Cover"]["A2"].value != "Synthetic demonstration data: not a real service"
    # The synthetic survey's scores appear nowhere in what was written.
    demo = _results(runs[1])
    survey_values = {str(v["value"]) for k, v in demo["figures"].items() if k.startswith("survey_") and v["value"]}
    written = (own_folder / "results.json").read_text(encoding="utf-8")
    assert survey_values and not [v for v in survey_values if f'"value": {v}' in written]


def test_repo_examples_are_where_the_readme_says():
    assert (REPO_ROOT / "templates" / "maps" / "examples" / "README.md").exists()
