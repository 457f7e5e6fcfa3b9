"""The package layout shows the flow (architecture.md): imports point one way, down the stages.

inputs -> calculations -> disclosure -> presentation -> running. A module may import from its own stage or an
earlier one, never a later one; ``ttwell.errors`` and the package root sit under everything; the synthetic data
generators (``ttwell.synth``) use the input templates only.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ttwell"
STAGES = {"errors": 0, "inputs": 1, "synth": 2, "calculations": 3, "disclosure": 4, "presentation": 5,
          "running": 6}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in {"__main__"}:
        return 0 if len(parts) == 1 else STAGES["running"]
    return STAGES[parts[1]]


def _ttwell_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("ttwell")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ttwell"):
            if node.module == "ttwell":  # from ttwell import x: x is a subpackage or the package's version
                found += [(node.lineno, f"ttwell.{alias.name}") for alias in node.names
                          if alias.name.split(".")[0] in STAGES]
                found += [(node.lineno, "ttwell") for alias in node.names if alias.name not in STAGES]
            else:
                found.append((node.lineno, node.module))
    return found


def test_every_module_sits_in_a_stage():
    top = {p.stem for p in PACKAGE.glob("*.py")} | {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert top == {"__init__", "__main__", *STAGES}, sorted(top)


def test_imports_point_down_the_flow():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        me = _module_name(path)
        for line, imported in _ttwell_imports(path):
            if _stage(imported) > _stage(me):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({me}) imports {imported}")
    assert not wrong, "imports that reach back up the flow:\n" + "\n".join(wrong)


def test_the_check_catches_an_import_up_the_flow(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("from ttwell.presentation import charts\n", encoding="utf-8")
    (line, imported), = _ttwell_imports(planted)
    assert _stage(imported) > _stage("ttwell.calculations.workforce")


@pytest.mark.parametrize("module, must_not_load", [
    ("ttwell.inputs.params", ("ttwell.calculations", "ttwell.disclosure", "ttwell.presentation")),
    ("ttwell.disclosure", ("ttwell.presentation", "ttwell.running")),
])
def test_loading_an_early_stage_loads_no_later_stage(module, must_not_load):
    code = (f"import sys, {module}; print('\\n'.join(m for m in sys.modules if m.startswith('ttwell')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not [m for m in loaded if m.startswith(must_not_load)], loaded
