"""Comparing services (issue 15, part 4): `ttwell compare` and `ttwell run NOTEBOOK --params A --params B`.

Two real-looking services are run once for the whole module, side by side through `run --params` twice over:
the second test service (tests/second_service.py) and a copy of the shipped synthetic files under another name
(a copy outside data/synthetic is a service's own data, not the demonstration). Their staff-level input files
are then DELETED, so every comparison below shows that compare reads results only.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from second_service import SERVICE_NAME, write_second_service
from ttwell.disclosure import Policy
from ttwell.errors import ParameterError
from ttwell.inputs.params import DEMONSTRATION_NOTICE, REPO_ROOT, SERVICE_FILES, load_params
from ttwell.presentation.results import read_results
from ttwell.presentation.sections import services as compare
from ttwell.running.cli import main

COPY_NAME = "Copied Test Service"


def _copy_service(folder: Path) -> Path:
    """The shipped synthetic files copied to ``folder/data`` with a parameter file naming another service."""
    data = folder / "data"
    data.mkdir(parents=True)
    files = {}
    for key, path in SERVICE_FILES.items():
        shutil.copy(REPO_ROOT / path, data / Path(path).name)
        files[key] = f"data/{Path(path).name}"
    params = folder / "copy.yaml"
    params.write_text(yaml.safe_dump({"service_name": COPY_NAME, **files, "nss_scores_file": None,
                                      "baseline_start": "01/04/2023", "baseline_end": "31/03/2024"}),
                      encoding="utf-8")
    return params


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Both services' baseline runs, made by one `ttwell run baseline --params A --params B`; raw data deleted."""
    root = tmp_path_factory.mktemp("compare")
    second = write_second_service(root / "second")
    second_params = root / "second.yaml"
    shutil.copy(second.params["internal_management"]["baseline"], second_params)
    # The parameter file moved: point its files at the inputs again (paths are relative to the file).
    values = yaml.safe_load(second_params.read_text(encoding="utf-8"))
    second_params.write_text(yaml.safe_dump(values), encoding="utf-8")
    copy_params = _copy_service(root / "copy_service")
    shutil.copy(copy_params, root / "copy.yaml")
    values = yaml.safe_load((root / "copy.yaml").read_text(encoding="utf-8"))
    values = {k: (str(root / "copy_service" / v) if k.endswith("_file") and v else v) for k, v in values.items()}
    (root / "copy.yaml").write_text(yaml.safe_dump(values), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "baseline", "--params", str(second_params), "--params",
                                       str(root / "copy.yaml"), "--out", str(root / "reports"), "--no-html",
                                       "--no-word", "--no-excel", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    # The staff-level files are gone: a comparison can only use the results folders.
    shutil.rmtree(root / "second" / "inputs")
    shutil.rmtree(root / "copy_service" / "data")
    return {"root": root, "second": root / "reports" / "second" / "baseline",
            "copy": root / "reports" / "copy" / "baseline", "output": result.output}


def _altered(runs, name: str, tmp_path: Path, *, results=None, values=None) -> Path:
    """A copy of one service's results folder with results.json or baseline_values.csv changed."""
    folder = tmp_path / name
    shutil.copytree(runs[name], folder)
    if results:
        data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        results(data)
        (folder / "results.json").write_text(json.dumps(data), encoding="utf-8")
    if values:
        path = folder / "tables" / "baseline_values.csv"
        table = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
        values(table).to_csv(path, index=False, encoding="utf-8-sig")
    return folder


def test_run_params_repeated_puts_each_service_in_its_own_folder(runs):
    for name, service in (("second", SERVICE_NAME), ("copy", COPY_NAME)):
        data = read_results(runs[name], tables=False)
        assert data["parameters"]["service_name"] == service and not data["demonstration"]
    # Progress lines name their service (two ran side by side).
    assert "second: [1/1] baseline: done" in runs["output"] and "copy: [1/1] baseline: done" in runs["output"]
    assert "Finished: 2 service(s), 2 report folder(s)" in runs["output"]


def test_compare_puts_both_services_on_one_funnel_per_indicator(runs, tmp_path):
    # For the managers: staff-wide, the second service's leaver and stability figures rest on fewer than 8
    # leavers and are hidden (so those funnels are not drawn).
    result = CliRunner().invoke(main, ["compare", str(runs["second"]), str(runs["copy"]), "-o", str(tmp_path),
                                       "--audience", "internal_management"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "compare_services"
    for suffix in ("html", "xlsx", "docx"):
        assert (folder / f"compare_services.{suffix}").stat().st_size > 0
    data = read_results(folder)
    table, scores = data["frames"]["service_comparison"], data["frames"]["service_comparison_scores"]
    assert data["figures"]["n_services"]["value"] == 2 and not data["demonstration"]
    for indicator in ("sickness_absence_rate_12m", "leaver_rate_hc_12m", "stability_index_nhs_12m"):
        rows = table[table["indicator"] == indicator]
        assert sorted(rows["group"]) == sorted([SERVICE_NAME, COPY_NAME]), indicator
        assert rows["target"].nunique() == 1
    # Scores are named for a reader (instrument in full, then the score), in a table of their own.
    for label in ("Oldenburg Burnout Inventory: Exhaustion", "Joy at work pulse (ttwell): Joy or meaning in work (0-4)"):
        rows = scores[scores["label"] == label]
        assert sorted(rows["group"]) == sorted([SERVICE_NAME, COPY_NAME]), label
        assert rows["target"].nunique() == 1
    assert "indicator" not in scores.columns
    # The pooled stability is Σ stayers / Σ cohort over the two services' own rows.
    own = [read_results(runs[n])["frames"]["baseline_values"] for n in ("second", "copy")]
    rows = [t[(t["indicator"] == "stability_index_nhs_12m") & (t["level"] == "service")].iloc[0] for t in own]
    pooled = sum(r["numerator"] for r in rows) / sum(r["denominator"] for r in rows)
    stability = table[table["indicator"] == "stability_index_nhs_12m"]
    assert stability["target"].iloc[0] == pytest.approx(pooled)
    html = (folder / "compare_services.html").read_text(encoding="utf-8")
    assert "A funnel plot flags a service for a closer look, not a verdict" in html
    assert "fewer than 10" in html and DEMONSTRATION_NOTICE not in html


def test_compare_of_demonstration_services_says_so():
    dirs = load_params(None, "compare_services")["results_dirs"]
    comparison = compare.compare_services(compare.read_services(dirs), Policy("staff_wide"))
    assert comparison.demonstration and DEMONSTRATION_NOTICE in comparison.notes[0]


def test_a_service_suppressed_in_its_own_results_is_left_out_and_counted(runs, tmp_path):
    def hide_stability(table):
        row = (table["indicator"] == "stability_index_nhs_12m") & (table["level"] == "service")
        table.loc[row, ["value", "ci_low", "ci_high", "numerator", "denominator"]] = float("nan")
        table.loc[row, "suppressed"] = True
        return table

    hidden = _altered(runs, "second", tmp_path, values=hide_stability)
    comparison = compare.compare_services(compare.read_services([hidden, runs["copy"]]), Policy("staff_wide"))
    stability = next(c for c in comparison.indicators if c.key == "stability_index_nhs_12m")
    assert stability.left_out == {SERVICE_NAME: "suppressed in its own results"}
    assert len(stability.funnel.units) == 1 and not stability.drawn
    assert any(s.startswith("Left out: 1 service(s)") for s in stability.sentences)
    sickness = next(c for c in comparison.indicators if c.key == "sickness_absence_rate_12m")
    assert sickness.drawn and not sickness.left_out


def test_a_service_below_the_threshold_is_not_shown(runs):
    # 37 respondents in the second service's baseline wave: a threshold of 40 hides it on every survey funnel.
    comparison = compare.compare_services(compare.read_services([runs["second"], runs["copy"]]), Policy("staff_wide", 40))
    olbi = next(c for c in comparison.indicators if c.key == "OLBI_exhaustion")
    hidden = olbi.shown.table[olbi.shown.table["group"] == SERVICE_NAME].iloc[0]
    assert hidden["suppressed"] and pd.isna(hidden["value"]) and pd.isna(hidden["denominator"])
    assert not olbi.drawn and "not drawn" in olbi.sentences[0]


def test_demonstration_and_real_results_are_never_mixed(runs, tmp_path):
    demo = _altered(runs, "copy", tmp_path, results=lambda d: d.update(demonstration=True))
    result = CliRunner().invoke(main, ["compare", str(runs["second"]), str(demo), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "synthetic demonstration results cannot be compared with a real service's" in result.output
    assert not (tmp_path / "out").exists()


def test_the_same_service_twice_is_refused(runs, tmp_path):
    again = _altered(runs, "copy", tmp_path)
    with pytest.raises(ParameterError, match=f"the same service, '{COPY_NAME}'"):
        compare.read_services([runs["copy"], again])


def test_missing_folder_and_folder_without_results_are_named(runs, tmp_path):
    result = CliRunner().invoke(main, ["compare", str(runs["copy"]), str(tmp_path / "nowhere"), "-o", str(tmp_path)])
    assert result.exit_code == 2 and f"results folder not found: {tmp_path / 'nowhere'}" in result.output
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["compare", str(runs["copy"]), str(tmp_path / "empty"), "-o", str(tmp_path)])
    assert result.exit_code == 2 and f"{tmp_path / 'empty'} holds no results.json" in result.output


def test_baseline_periods_that_differ_are_stated_and_disjoint_ones_refused(runs, tmp_path):
    def shift(start, end):
        return lambda d: d["parameters"].update(baseline_start=start, baseline_end=end)

    later = _altered(runs, "second", tmp_path, results=shift("01/10/2023", "30/09/2024"))
    notes = compare.comparison_notes(compare.read_services([later, runs["copy"]], tables=False))
    assert any("The baseline periods differ" in n and "they share 01/10/2023 to 31/03/2024" in n for n in notes)
    (tmp_path / "far").mkdir()
    far = _altered(runs, "second", tmp_path / "far", results=shift("01/04/2024", "31/03/2025"))
    with pytest.raises(ParameterError, match="share no month"):
        compare.read_services([far, runs["copy"]], tables=False)


def test_run_params_reports_a_failing_service_by_name_and_finishes_the_other(runs, tmp_path):
    good = tmp_path / "north.yaml"
    values = yaml.safe_load((runs["root"] / "second" / "params" / "pdsa_review_internal_management.yaml").read_text())
    good.write_text(yaml.safe_dump(values), encoding="utf-8")
    # The second service's raw files were deleted after its runs: write its PDSA files again for this one.
    write_second_service(runs["root"] / "second")
    bad = tmp_path / "south.yaml"
    bad.write_text(yaml.safe_dump({**values, "measures_file": str(tmp_path / "missing.csv")}), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "pdsa_review", "--params", str(good), "--params", str(bad), "--out",
                                       str(tmp_path / "out"), "--no-html", "--no-word", "--no-excel"])
    assert result.exit_code != 0
    assert "south (south.yaml) failed" in result.output and "Finished and in place: north" in result.output
    assert (tmp_path / "out" / "north" / "pdsa_review" / "results.json").is_file()
    assert not (tmp_path / "out" / "south").exists()


def test_run_params_refuses_two_files_with_the_same_name(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "service.yaml").write_text("service_name: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "baseline", "--params", str(tmp_path / "a" / "service.yaml"),
                                       "--params", str(tmp_path / "b" / "service.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "more than one is called service" in result.output
