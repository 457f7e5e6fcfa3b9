"""Column maps (issue 10 item 2): an export with its own headers and values reads as the template-shaped file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from ttwell.inputs import io
from ttwell.calculations import workforce
from ttwell.running.cli import main
from ttwell.inputs.column_maps import load_map
from ttwell.inputs.params import REPO_ROOT, input_paths, load_params

EXAMPLES = REPO_ROOT / "templates" / "maps" / "examples"
SYNTHETIC = REPO_ROOT / "data" / "synthetic"


def _export(template_file: Path, map_file: Path, out: Path) -> Path:
    """Turn a template-shaped file into the export the map describes: export headers, export values, fixed
    columns dropped, and one extra column the map does not read."""
    spec = yaml.safe_load(map_file.read_text(encoding="utf-8"))
    frame = pd.read_csv(template_file, dtype=str, keep_default_na=False)
    export = pd.DataFrame({"Payroll Name": ["Made-up payroll"] * len(frame)})
    for column, header in spec["columns"].items():
        values = frame[column]
        inverse = {v: k for k, v in (spec.get("values") or {}).get(column, {}).items()}
        if header in export.columns:
            continue  # one export column feeding two template columns (absence reason -> code and group)
        if inverse and column != "absence_reason_group":
            values = values.map(lambda v: inverse[v] if v else v)
        export[header] = values
    export.to_csv(out, index=False)
    return out


def test_the_shipped_esr_examples_validate_with_their_maps():
    for sample, kind, map_name in (("esr_staff_in_post_sample.csv", "staff_monthly_snapshot", "esr_staff_in_post.yaml"),
                                   ("esr_absence_sample.csv", "absence_episodes", "esr_absence.yaml")):
        result = CliRunner().invoke(main, ["validate", str(EXAMPLES / sample), "--kind", kind,
                                           "--map", str(EXAMPLES / map_name)])
        assert result.exit_code == 0, result.output
        assert "0 error(s)" in result.output and "not in the map, ignored" in result.output
    for map_file in EXAMPLES.glob("*.yaml"):
        assert "example column names: check them against your own export" in map_file.read_text(
            encoding="utf-8").lower()


def test_sample_staff_export_reads_as_the_values_it_holds():
    table, problems = io.read_table(EXAMPLES / "esr_staff_in_post_sample.csv", "staff_snapshot",
                                    EXAMPLES / "esr_staff_in_post.yaml")
    assert not [p for p in problems if p.severity == "error"]
    # Row 3 of the sample: Employee Number 10000002, North High Intensity, Band 7, Maternity & Adoption, 0.80.
    row = table.iloc[1]
    assert (row["staff_pid"], row["team_code"], row["afc_band"], row["assignment_status"], row["fte"]) == (
        "10000002", "T02", "band_7", "maternity_adoption_leave", 0.8)
    assert row["snapshot_date"] == pd.Timestamp(2024, 3, 31) and row["in_scope"] is True
    assert len(table) == 10


def test_mapped_esr_exports_give_the_same_data_and_indicators_as_the_template_files(tmp_path):
    staff = _export(SYNTHETIC / "staff_monthly_snapshot.csv", EXAMPLES / "esr_staff_in_post.yaml",
                    tmp_path / "esr_staff.csv")
    absence = _export(SYNTHETIC / "absence_episodes.csv", EXAMPLES / "esr_absence.yaml", tmp_path / "esr_absence.csv")
    shipped = load_params(None, "baseline")
    mapped_paths = {**input_paths(shipped), "staff_snapshot": str(staff), "absence": str(absence)}
    maps = {"staff_snapshot": EXAMPLES / "esr_staff_in_post.yaml", "absence": EXAMPLES / "esr_absence.yaml"}
    original = io.load_workforce(input_paths(shipped))
    mapped = io.load_workforce(mapped_paths, maps)
    pd.testing.assert_frame_equal(mapped.staff_snapshot, original.staff_snapshot)
    pd.testing.assert_frame_equal(mapped.absence, original.absence)
    pd.testing.assert_frame_equal(workforce.monthly_indicators(mapped), workforce.monthly_indicators(original))


def test_column_maps_named_in_a_params_file_reach_every_reader(tmp_path):
    staff = _export(SYNTHETIC / "staff_monthly_snapshot.csv", EXAMPLES / "esr_staff_in_post.yaml",
                    tmp_path / "esr_staff.csv")
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "esr.yaml").write_bytes((EXAMPLES / "esr_staff_in_post.yaml").read_bytes())
    lines = [f"{k}: {(SYNTHETIC / n).as_posix()}" for k, n in (("absence_file", "absence_episodes.csv"),
                                                               ("leavers_file", "leavers.csv"), ("teams_file", "teams.csv"))]
    params = tmp_path / "p.yaml"
    params.write_text("staff_snapshot_file: esr_staff.csv\ncolumn_maps: {staff_snapshot_file: maps/esr.yaml}\n"
                      + "\n".join(lines) + "\n", encoding="utf-8")
    p = load_params(params, "baseline")
    assert p["staff_snapshot_file"].column_map == str((tmp_path / "maps" / "esr.yaml").resolve())
    assert p["column_maps"] == {"staff_snapshot_file": str((tmp_path / "maps" / "esr.yaml").resolve())}
    data = io.load_workforce(input_paths(p))
    assert len(data.staff_snapshot) == 6481
    assert CliRunner().invoke(main, ["validate", "--params", str(params)]).exit_code == 0


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_unmapped_value_names_file_row_export_header_and_allowed_values(tmp_path):
    export = _write(tmp_path / "export.csv", "Effective Date,Employee Number,Org,Status\n"
                                             "31/03/2024,1,T01,Active Assignment\n31/03/2024,2,T01,Sabbatical\n")
    cmap = _write(tmp_path / "m.yaml", "template: staff_monthly_snapshot\ncolumns:\n  snapshot_date: Effective Date\n"
                                       "  staff_pid: Employee Number\n  team_code: Org\n  assignment_status: Status\n"
                                       "values:\n  assignment_status: {Active Assignment: active, Maternity & Adoption: "
                                       "maternity_adoption_leave}\nfixed:\n  role_group: pwp\n  afc_band: band_5\n"
                                       "  contract_type: permanent\n  fte: 1\n  service_start_date: 01/01/2020\n")
    _, problems = io.read_table(export, "staff_snapshot", cmap)
    errors = [p.describe() for p in problems if p.severity == "error"]
    assert errors == ["ERROR: export.csv, row 3, column 'Status': value not in the map: found 'Sabbatical'; expected "
                      "one of the values m.yaml maps for 'Status': Active Assignment, Maternity & Adoption (add the "
                      "value to the map's values)"]


@pytest.mark.parametrize("text, where, what", [
    ("template: staff_snapshots\ncolumns: {}\n", "m.yaml, line 1", "unknown template"),
    ("template: staff_monthly_snapshot\ncolumns:\n  snapshot_date: Effective Date\n  staf_pid: Employee Number\n",
     "m.yaml, line 4", "unknown template column"),
    ("template: staff_monthly_snapshot\ncolumns:\n  snapshot_date: Effective Date\n  staff_pid: Employe Number\n",
     "m.yaml, line 4", "export header not found"),
    ("template: staff_monthly_snapshot\ncolumns:\n  snapshot_date: Effective Date\nvalues:\n"
     "  snapshot_date: {x: y}\n  assignment_status: {Active Assignment: activ}\n", "m.yaml, line 6",
     "values given for a column the map does not read"),
])
def test_every_bad_map_names_the_map_file_line_and_column(tmp_path, text, where, what):
    export = _write(tmp_path / "export.csv", "Effective Date,Employee Number\n31/03/2024,1\n")
    cmap = _write(tmp_path / "m.yaml", text)
    _, problems = io.read_table(export, "staff_snapshot", cmap)
    hits = [p for p in problems if p.problem == what]
    assert hits and hits[0].file == where and hits[0].column, [p.describe() for p in problems]


def test_a_map_for_another_template_is_refused(tmp_path):
    cmap, problems = load_map(EXAMPLES / "esr_absence.yaml", "staff_snapshot")
    assert cmap is None and problems[0].problem == "map is for another template"
    assert problems[0].file == "esr_absence.yaml, line 9"


def test_templates_command_writes_a_map_per_template_that_loads(tmp_path):
    from ttwell.inputs.templates import TEMPLATES, template_name

    assert CliRunner().invoke(main, ["templates", str(tmp_path)]).exit_code == 0
    for kind in TEMPLATES:
        path = tmp_path / "maps" / f"{template_name(kind)}.yaml"
        cmap, problems = load_map(path, kind)
        assert cmap is not None and not problems, [p.describe() for p in problems]
        assert "check them against your own export" in path.read_text(encoding="utf-8")
        committed = REPO_ROOT / "templates" / "maps" / path.name
        assert committed.read_bytes() == path.read_bytes(), f"templates/maps/{path.name} is out of date"
