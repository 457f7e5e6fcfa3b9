"""Papermill integration: run the baseline notebook end to end and check what it writes.

One real run of the notebook on the synthetic data is shared by the tests in this module (about 10 s).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers import synthetic_params

from ttwell.inputs import io
from ttwell.running import runner
from ttwell.calculations import workforce
from ttwell.errors import InputError
from ttwell.inputs.params import input_paths, load_params

SMALL_TEAM = "T06"  # the synthetic service's small team (fewer than 11 staff; data/synthetic/README.md)


@pytest.fixture(scope="module")
def synthetic():
    return io.load_workforce(input_paths(load_params(notebook="baseline")))


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    folder = runner.run_notebook("baseline", out_dir=out, progress=lambda _: None)
    return folder


def test_run_writes_the_full_report_set(baseline_run):
    names = {p.name for p in baseline_run.iterdir()}
    assert {"baseline.ipynb", "baseline.html", "baseline.xlsx", "results.json", "run.log", "tables"} <= names
    results = json.loads((baseline_run / "results.json").read_text(encoding="utf-8"))
    for meta in results["tables"].values():
        assert (baseline_run / meta["file"]).exists()
    # Deterministic: no absolute paths or timestamps in results.json
    text = (baseline_run / "results.json").read_text(encoding="utf-8")
    assert not re.search(r"/tmp|/home|/root|/work|[A-Z]:\\\\", text)
    assert not re.search(r"\d{2}:\d{2}:\d{2}", text)


def test_results_json_matches_the_library(baseline_run, synthetic):
    # The notebook must report exactly what the library computes on the same data.
    results = json.loads((baseline_run / "results.json").read_text(encoding="utf-8"))
    expected = workforce.baseline_summary(synthetic, "2023-04-01", "2024-03-31")
    service = expected[expected["level"] == "service"].set_index("indicator")
    for name in ("sickness_absence_rate_12m", "leaver_rate_hc_12m", "stability_index_nhs_12m",
                 "stability_index_1yr_service", "vacancy_rate_fte"):
        assert results["figures"][name]["value"] == pytest.approx(service.loc[name, "value"], rel=1e-9)
    # And the synthetic service looks like a service: plausible ranges, not just any number.
    figures = {k: v["value"] for k, v in results["figures"].items()}
    assert 150 <= figures["staff_in_post_headcount"] <= 210
    assert 0.02 < figures["sickness_absence_rate_12m"] < 0.08
    assert 0.05 < figures["leaver_rate_hc_12m"] < 0.25
    assert 0.7 < figures["stability_index_nhs_12m"] < 0.97


def test_html_hides_code_and_has_alt_text(baseline_run):
    html = (baseline_run / "baseline.html").read_text(encoding="utf-8")
    assert "from_notebook(" not in html and "import " not in html
    # The two headline rolling 12-month rates share one line chart, whose alt text gives both.
    rolling = re.findall(r'alt="(Line chart of the rolling 12-month[^"]*)"', html)
    assert len(rolling) == 1 and "Sickness absence rate" in rolling[0] and "Leaver rate" in rolling[0]
    assert html.count('alt="Monthly rates: SPC charts') == 1
    assert "No description has been provided" not in html
    assert not re.search(r"<script[^>]+src=\"https?://", html)


def test_excel_has_cover_notes_and_marks_suppressed_cells(baseline_run):
    book = openpyxl.load_workbook(baseline_run / "baseline.xlsx")
    assert book.sheetnames[:2] == ["Cover", "Notes"]
    sheet = book["Baseline values"]
    header = [c.value for c in sheet[3]]  # below the sheet's title and its one line of text
    # Headers are in words (the labelling layer): "Group", "Value".
    group_col, value_col = header.index("Group") + 1, header.index("Value") + 1
    # The workbook shows team names (T06 is the Employment Advice team, data/synthetic/teams.csv).
    small = [r for r in range(4, sheet.max_row + 1) if sheet.cell(r, group_col).value == "Employment Advice team"]
    assert small and all(sheet.cell(r, value_col).value == "[c]" for r in small)


def _small_team_truth(synthetic) -> pd.DataFrame:
    truth = workforce.baseline_summary(synthetic, "2023-04-01", "2024-03-31")
    return truth[(truth["level"] == "team") & (truth["group"] == SMALL_TEAM)]


def test_small_team_is_never_revealed_directly(baseline_run, synthetic):
    truth = _small_team_truth(synthetic)
    assert (truth["n_people"] < 11).all(), "fixture assumption: the small team is below the threshold"
    for csv in (baseline_run / "tables").glob("*.csv"):
        table = pd.read_csv(csv, encoding="utf-8-sig")
        if "group" not in table.columns:
            continue
        small = table[table["group"] == SMALL_TEAM]
        numeric = [c for c in ("value", "ci_low", "ci_high", "numerator", "denominator", "n_people",
                               "n_numerator_people") if c in small.columns]
        assert small[numeric].isna().all().all(), f"{csv.name} shows numbers for the small team"
    # HTML: every table row that names the small team shows [c] and no number.
    html = (baseline_run / "baseline.html").read_text(encoding="utf-8")
    team_name = synthetic.teams.set_index("team_code").loc[SMALL_TEAM, "team_name"]
    rows = [r for r in re.findall(r"<tr.*?</tr>", html, flags=re.S) if team_name in r or f">{SMALL_TEAM}<" in r]
    alone = [r for r in rows if f"(with {team_name})" not in r]
    assert alone
    for row in alone:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        assert "[c]" in row and not any(re.fullmatch(r"\s*[\d.,]+%?\s*", c) for c in cells[1:]), row


def test_small_team_merged_into_its_parent_in_survey_tables(baseline_run, synthetic):
    # Survey results merge the small team into its parent team; the parent alone must then never be shown in
    # the same breakdown, or the small team could be recovered by subtraction.
    names = synthetic.teams.set_index("team_code")["team_name"]
    parent = synthetic.teams.set_index("team_code").loc[SMALL_TEAM, "parent_team_code"]
    merged = f"{names[parent]} (with {names[SMALL_TEAM]})"
    scores = pd.read_csv(baseline_run / "tables" / "survey_scores.csv", encoding="utf-8-sig")
    teams = scores[scores["level"] == "team"]
    assert merged in set(teams["group"]) and names[parent] not in set(teams["group"])
    assert names[SMALL_TEAM] not in set(teams["group"]) and SMALL_TEAM not in set(teams["group"])
    assert (teams.loc[teams["group"] == merged, "n_respondents"] >= 11).all()


def test_small_team_cannot_be_worked_out_by_subtraction(baseline_run):
    # In every breakdown that adds up to a service total, either no group or at least two are hidden.
    for name in ("baseline_values", "monthly_indicators"):
        table = pd.read_csv(baseline_run / "tables" / f"{name}.csv", encoding="utf-8-sig")
        keys = [c for c in ("month", "indicator", "level") if c in table.columns]
        breakdowns = table[table["level"] != "service"].groupby(keys)["suppressed"].sum()
        assert not (breakdowns == 1).any(), breakdowns[breakdowns == 1].head()


def test_no_staff_identifier_in_any_output(baseline_run, synthetic):
    ids = set(synthetic.staff_snapshot["staff_pid"].sample(200, random_state=1))
    for path in baseline_run.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".json", ".html", ".ipynb", ".log"):
            text = path.read_text(encoding="utf-8-sig", errors="ignore")
            assert "staff_pid" not in text or path.suffix == ".ipynb", path.name
            assert not any(i in text for i in ids), f"a staff id appears in {path.name}"


def _broken_params(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(Path(load_params(notebook="baseline")["teams_file"]).parent, data)
    snapshot = data / "staff_monthly_snapshot.csv"
    lines = snapshot.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace(",permanent,", ",contractor,")
    snapshot.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # (Issue 10: with a params file nothing falls back to the shipped data, so every required file is named.)
    params = tmp_path / "params.yaml"
    params.write_text("staff_snapshot_file: data/staff_monthly_snapshot.csv\nabsence_file: data/absence_episodes.csv\n"
                      "leavers_file: data/leavers.csv\nteams_file: data/teams.csv\n", encoding="utf-8")
    return params


def test_bad_input_stops_before_any_kernel_and_writes_nothing(tmp_path, monkeypatch):
    params = _broken_params(tmp_path)

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started despite invalid input")

    monkeypatch.setattr(runner, "execute", no_kernel)
    out = tmp_path / "reports"
    with pytest.raises(InputError) as info:
        runner.run_notebook("baseline", params, out, progress=lambda _: None)
    message = str(info.value)
    assert "staff_monthly_snapshot.csv, row 5, column 'contract_type'" in message and "contractor" in message
    assert not out.exists()


def test_failure_inside_the_notebook_is_explained_and_writes_nothing(tmp_path):
    # A baseline period the data do not cover passes validation but fails in the notebook's analysis.
    params = synthetic_params(tmp_path / "params.yaml", extra='baseline_start: "01/04/2020"\nbaseline_end: "31/03/2021"\n')
    out = tmp_path / "reports"
    with pytest.raises(runner.NotebookFailed) as info:
        runner.run_notebook("baseline", params, out, progress=lambda _: None)
    message = str(info.value)
    # The baseline values are computed in the set-up (the summary comes first), so that is where it stops.
    assert "section 'Staff Wellbeing Data Dashboard: baseline'" in message and "Set up" in message
    assert "needs staff snapshots from 31/03/2020" in message and "Traceback" not in message
    assert not out.exists()


def test_rerun_replaces_the_previous_report(baseline_run):
    marker = baseline_run / "stale.txt"
    marker.write_text("old", encoding="utf-8")
    folder = runner.run_notebook("baseline", out_dir=baseline_run.parent, html=False, excel=False,
                                 progress=lambda _: None)
    assert folder == baseline_run and not marker.exists()
    assert not np.isnan(json.loads((folder / "results.json").read_text(encoding="utf-8"))["figures"]
                        ["sickness_absence_rate_12m"]["value"])


def test_survey_figures_match_a_direct_scoring(baseline_run):
    # The notebook's survey means must equal scoring the baseline wave directly with the library.
    from ttwell.calculations import scales
    from ttwell.inputs.params import survey_paths

    surveys = io.load_surveys(survey_paths(load_params(notebook="baseline")))
    rows = surveys.responses[(surveys.responses["wave_id"] == "2024_baseline") & (surveys.responses["instrument"] == "OLBI")]
    direct = scales.score(rows, "OLBI", coding=surveys.waves[["wave_id", "olbi_response_coding"]])
    results = json.loads((baseline_run / "results.json").read_text(encoding="utf-8"))
    assert results["figures"]["survey_OLBI_exhaustion_mean"]["value"] == pytest.approx(direct["exhaustion"].mean())
    assert results["figures"]["survey_TPS_psych_safety_mean"]["value"] is not None
    reliability = pd.read_csv(baseline_run / "tables" / "survey_reliability.csv", encoding="utf-8-sig")
    olbi = reliability[(reliability["instrument"] == "OLBI")].set_index("subscale")
    assert 0.7 <= olbi.loc["exhaustion", "alpha"] <= 0.95


def test_pdsa_review_run_gives_the_planted_verdicts(tmp_path):
    # The synthetic project: C01 (adapt) and C02 (abandon) have no effect; C03 (adopt) is the planted improvement.
    folder = runner.run_notebook("pdsa_review", out_dir=tmp_path, excel=False, progress=lambda _: None)
    verdicts = pd.read_csv(folder / "tables" / "pdsa_verdicts.csv", encoding="utf-8-sig").set_index("cycle_id")
    assert verdicts.loc["C01-1", "signal"] == "none" and verdicts.loc["C02-1", "signal"] == "none"
    assert verdicts.loc["C03-1", "signal"] == "improvement"
    assert verdicts.loc["C03-1", "decision_vs_data"] == "adopted, and the data show special-cause improvement"
    html = (folder / "pdsa_review.html").read_text(encoding="utf-8")
    assert 'alt="XmR chart of Joy often always (%)' in html and 'alt="Run chart of' in html


def test_prepost_run_reproduces_the_published_shape_and_hides_the_small_team(tmp_path):
    # The synthetic programme is built to land near the published example: overall 48% -> 81% (domain spec 9).
    folder = runner.run_notebook("prepost_training", out_dir=tmp_path, excel=False, progress=lambda _: None)
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert round(results["figures"]["overall_mean_pre"]["value"]) == 48
    assert round(results["figures"]["overall_mean_post"]["value"]) == 81
    teams = pd.read_csv(folder / "tables" / "teams.csv", encoding="utf-8-sig")
    # T06 has 6 attendees: it appears only inside a merged group of 11 or more, never alone.
    assert not any(label in ("T06", "Employment Advice team") for label in teams["team_code"])
    assert teams.loc[teams["team_code"].str.contains("Employment Advice team"), "n_respondents"].min() >= 11
    html = (folder / "prepost_training.html").read_text(encoding="utf-8")
    assert "Self-rated confidence is not competence" in html and "two in ten" in html


def test_annual_impact_run_brings_in_other_results_and_rates_objectives(tmp_path):
    # Results of the other notebooks are read from their results files, not re-run: plant a PDSA results folder.
    pdsa = runner.run_notebook("pdsa_review", out_dir=tmp_path, html=False, excel=False, progress=lambda _: None)
    folder = runner.run_notebook("annual_impact", out_dir=tmp_path, excel=False, progress=lambda _: None)
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert results["parameters"]["other_results_dir"] == tmp_path.name  # a name, never an absolute path
    assert set(results["figures"]) >= {f"rating_{o}" for o in ("leading_with_compassion", "managing_collaboratively",
                                                               "team_working_effectively", "belonging_for_and_by_all",
                                                               "wellbeing_foundations")}
    # One reconciled verdict per indicator (issue 11): on the shipped data the sickness counterfactual is an
    # extrapolation, so the year comparison, the ITS level change and the SPC view do not all agree.
    assert results["figures"]["verdict_sickness_absence_rate_12m"]["value"] == "mixed evidence"
    assert results["figures"]["its_sickness_absence_rate_effect_at_end"]["note"] == "an extrapolation beyond the observed months"
    # The synthetic service has a planted fall in sickness absence after the strategy start (data/synthetic/README.md).
    assert results["figures"]["its_sickness_absence_rate_effect_at_end"]["value"] < 1
    evidence = pd.read_csv(folder / "tables" / "objective_evidence.csv", encoding="utf-8-sig")
    assert "C03-1" in set(evidence["id"]) and pdsa.exists()  # the adopted PDSA cycle came from its results file
    html = (folder / "annual_impact.html").read_text(encoding="utf-8")
    assert "uncontrolled before-after comparison" in html and "How the rating is decided" in html


def test_a_run_prints_progress_and_plain_messages_only(tmp_path):
    # Issue 12 item 8: no kernel transport warning (it alarms information-governance teams) and no
    # KeyboardInterrupt noise from the kernel's shutdown; the kernel's stderr is not hidden, it is quiet.
    import subprocess

    done = subprocess.run([sys.executable, "-m", "ttwell", "run", "pdsa_review", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed = done.stdout + done.stderr
    assert "pdsa_review: done" in printed
    for noise in ("without encryption", "KeyboardInterrupt", "Traceback", "WARNING"):
        assert noise not in printed


# --- run_all: notebooks side by side (issue 13 item 5). The notebooks' execution is replaced by a stand-in that
# writes a results.json naming the other results it could see, so these tests take seconds, not minutes; the
# real notebooks run side by side in tests/test_workbook.py and `python dev.py same-outputs`.

ALL = ["baseline", "pdsa_review", "prepost_training", "annual_impact"]


def _stand_in_execution(monkeypatch, *, wait_for_company: set[str] = frozenset(), fail: str | None = None,
                        check_inputs: bool = False):
    """Replace the kernel run: record when each notebook starts and ends, and write a results.json listing the
    results.json files already in the output folder (what the annual notebook would read). Unless
    ``check_inputs``, the input checks (seconds on the shipped data, tested on their own) find nothing."""
    import threading
    import time

    if not check_inputs:
        monkeypatch.setattr(runner, "validate_notebooks", lambda names, params_file: {name: [] for name in names})

    events = []
    lock = threading.Lock()
    together = threading.Barrier(len(wait_for_company), timeout=10) if wait_for_company else None

    def execute(notebook, params, run_dir):
        with lock:
            events.append(("start", notebook))
        if notebook in wait_for_company:
            together.wait()  # passes only if these notebooks are running at the same time
        out = Path(params.get("other_results_dir") or run_dir.parent)
        seen = sorted(name for name in runner.READS_RESULTS_OF.get(notebook, ()) if (out / name / "results.json").exists())
        (run_dir / "tables").mkdir()
        if notebook == fail:
            (run_dir / "results.json").write_text("{half", encoding="utf-8")
            raise runner.NotebookFailed(f"The {notebook} notebook stopped in section 'Set up'.")
        time.sleep(0.05)
        (run_dir / "results.json").write_text(json.dumps({"notebook": notebook, "read": seen}), encoding="utf-8")
        with lock:
            events.append(("end", notebook))
        executed = run_dir / f"{notebook}.ipynb"
        executed.write_text("{}", encoding="utf-8")
        return executed

    monkeypatch.setattr(runner, "execute", execute)
    return events


def _run_all(out, jobs, lines=None):
    return runner.run_all(None, out, jobs=jobs, html=False, word=False, excel=False,
                          progress=(lines.append if lines is not None else lambda _: None))


def test_run_all_gives_the_same_results_one_at_a_time_and_side_by_side(tmp_path, monkeypatch):
    _stand_in_execution(monkeypatch)
    one = _run_all(tmp_path / "one", jobs=1)
    two = _run_all(tmp_path / "two", jobs=2)
    assert [f.name for f in one] == [f.name for f in two] == ALL
    for a, b in zip(one, two):
        assert (a / "results.json").read_bytes() == (b / "results.json").read_bytes()
    # The annual notebook saw the results it reads, whichever order the others finished in.
    annual = json.loads((two[-1] / "results.json").read_text(encoding="utf-8"))
    assert annual["read"] == ["pdsa_review", "prepost_training"]


def test_independent_notebooks_run_at_the_same_time(tmp_path, monkeypatch):
    # With two jobs, the two notebooks the annual one reads start first, together (the stand-in waits until both
    # are running); baseline follows beside the annual notebook.
    events = _stand_in_execution(monkeypatch, wait_for_company={"pdsa_review", "prepost_training"})
    assert [f.name for f in _run_all(tmp_path, jobs=2)] == ALL
    starts = [name for what, name in events if what == "start"]
    assert set(starts[:2]) == {"pdsa_review", "prepost_training"}


def test_annual_notebook_starts_only_after_the_results_it_reads(tmp_path, monkeypatch):
    events = _stand_in_execution(monkeypatch)
    _run_all(tmp_path, jobs=4)
    start_annual = events.index(("start", "annual_impact"))
    for other in runner.READS_RESULTS_OF["annual_impact"]:
        assert events.index(("end", other)) < start_annual


def test_reads_results_of_names_every_folder_the_annual_notebook_reads():
    # READS_RESULTS_OF must follow the notebook: every `others / "<name>"` it reads is a dependency.
    from ttwell.inputs.params import NOTEBOOK_DIR

    source = (NOTEBOOK_DIR / "annual_impact.ipynb").read_text(encoding="utf-8")
    read = set(re.findall(r'others / \\"([a-z_]+)\\"', source))
    assert read and read == set(runner.READS_RESULTS_OF["annual_impact"])


def test_a_failed_notebook_leaves_nothing_half_written_and_stops_what_depends_on_it(tmp_path, monkeypatch):
    events = _stand_in_execution(monkeypatch, fail="pdsa_review")
    lines = []
    with pytest.raises(runner.NotebookFailed) as info:
        _run_all(tmp_path, jobs=2, lines=lines)
    message = str(info.value)
    assert "The pdsa_review notebook stopped" in message
    # pdsa_review and prepost_training started together; once one failed nothing new started.
    assert "Not run, because pdsa_review failed: baseline, annual_impact." in message
    assert not (tmp_path / "pdsa_review").exists() and not (tmp_path / "annual_impact").exists()
    assert ("start", "annual_impact") not in events and ("start", "baseline") not in events
    # What was already running finished, complete, and is in place.
    assert f"Finished and in place: prepost_training ({tmp_path / 'prepost_training'})" in message
    assert json.loads((tmp_path / "prepost_training" / "results.json").read_text(encoding="utf-8"))["read"] == []


def test_progress_lines_name_their_notebook(tmp_path, monkeypatch):
    _stand_in_execution(monkeypatch, check_inputs=True)
    lines = []
    _run_all(tmp_path, jobs=2, lines=lines)
    assert lines[0].startswith("checking parameters and input files of 4 notebook(s)")
    assert all(re.match(r"\[\d/4\] [a-z_]+: ", line) for line in lines[1:]), lines
    assert sum(line.endswith(f"-> {tmp_path / 'annual_impact'}") for line in lines) == 1


def test_notebook_timings_split_kernel_start_cells_and_stop(tmp_path):
    nb = {"metadata": {"papermill": {"start_time": "2026-01-01T10:00:00+00:00", "end_time": "2026-01-01T10:00:05+00:00"}},
          "cells": [{"metadata": {"papermill": {"start_time": "2026-01-01T10:00:01+00:00",
                                                "end_time": "2026-01-01T10:00:02+00:00", "duration": 1.0}}},
                    {"metadata": {"papermill": {"start_time": "2026-01-01T10:00:02+00:00",
                                                "end_time": "2026-01-01T10:00:04.500000+00:00", "duration": 2.5}}}]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert runner.notebook_timings(path) == {"kernel_start": 1.0, "cells": 3.5, "kernel_stop": 0.5}


def test_running_notebooks_side_by_side_leaves_the_working_folder_alone(tmp_path):
    """papermill's cwd= changes the process's folder; two notebooks in threads would leave it changed."""
    import os

    from ttwell.running import runner

    before = os.getcwd()
    runner.run_all(None, tmp_path / "out", jobs=2, html=False, excel=False, word=False)
    assert os.getcwd() == before
