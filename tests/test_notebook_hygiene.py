"""Static checks on the committed notebooks that close nbval's loopholes (engineering spec 2.5)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from ttwell.inputs.params import NOTEBOOKS, REPO_ROOT, from_notebook, load_params

NOTEBOOK_FILES = [REPO_ROOT / "notebooks" / spec["file"] for spec in NOTEBOOKS.values()]
IDS = [p.stem for p in NOTEBOOK_FILES]


def load(path: Path):
    return nbformat.read(path, as_version=4)


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=IDS)
def test_notebook_is_valid_with_python3_kernel(path):
    nb = load(path)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all(cell.get("id") for cell in nb.cells)


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=IDS)
def test_one_parameters_cell_first_with_literals_only(path):
    nb = load(path)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code_cells if "parameters" in tags(c)]
    assert len(tagged) == 1 and code_cells[0] is tagged[0]
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, (ast.Assign, ast.AnnAssign)), f"not an assignment: {ast.unparse(node)}"
        ast.literal_eval(node.value)  # raises if a default is computed rather than literal
    assert not any({"injected-parameters", "papermill-error-cell-tag"} & set(tags(c)) for c in nb.cells)


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=IDS)
def test_key_results_cells_have_stored_outputs(path):
    # nbval silently passes a check cell that has no stored output: make sure each has one, without errors.
    checked = [c for c in load(path).cells if "nbval-check-output" in tags(c)]
    assert len(checked) >= 2
    for cell in checked:
        assert cell.outputs, f"key-results cell without stored output:\n{cell.source}"
        assert not any(o.get("output_type") == "error" or o.get("name") == "stderr" for o in cell.outputs)


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=IDS)
def test_defaults_point_at_the_synthetic_data_and_match_params(path):
    nb = load(path)
    cell = next(c for c in nb.cells if "parameters" in tags(c))
    namespace: dict = {}
    exec(cell.source, namespace)  # literals only (checked above)
    name = path.stem
    missing = set(NOTEBOOKS[name]["defaults"]) - set(namespace)
    assert not missing, f"parameters cell lacks {sorted(missing)}"
    # The cell's defaults are the demonstration, found from any working folder (issue 10: papermill from the root).
    from_cell = from_notebook(name, namespace)
    from_defaults = load_params(None, name)
    assert from_cell == from_defaults and from_cell["demonstration"]
    for key, value in from_cell.items():
        if key.endswith("_file") and value:
            assert Path(value).is_relative_to(REPO_ROOT / "data" / "synthetic")


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=IDS)
def test_outputs_hold_no_paths_ids_or_errors(path):
    text = path.read_text(encoding="utf-8")
    assert len(text) < 3_000_000, "notebook outputs are unexpectedly large"
    outputs = "".join(str(c.get("outputs", "")) for c in load(path).cells)
    for pattern in (r"/home/", r"/root/", r"/tmp/", r"C:\\\\Users", r"OneDrive", r"[\w.]+@[\w.]+\.\w+"):
        assert not re.search(pattern, outputs), f"output contains {pattern}"
    assert "Traceback" not in outputs
    # Synthetic staff ids are 16 hex characters; none may appear in any output.
    assert not re.search(r"\b[0-9a-f]{16}\b", outputs)
