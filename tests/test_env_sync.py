"""environment.yml must list exactly pyproject.toml's dependencies, with the same lower bounds (no conda needed)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}


def pyproject_requirements() -> dict[str, SpecifierSet]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    return {canonicalize_name(Requirement(r).name): Requirement(r).specifier for r in reqs}


def conda_requirements() -> tuple[dict, dict[str, SpecifierSet]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    specs: dict[str, SpecifierSet] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            continue
        name, _, spec = dep.partition(">=")
        specs[canonicalize_name(CONDA_TO_PYPI.get(name.strip(), name.strip()))] = SpecifierSet(f">={spec}" if spec else "")
    return env, specs


def test_environment_header():
    env, specs = conda_requirements()
    assert env["name"] == "ttwell"
    assert env["channels"] == ["conda-forge", "nodefaults"]
    assert "python" in specs and "pip" in specs
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_section == [{"pip": ["-e ."]}]


def test_same_packages_and_lower_bounds():
    _, conda = conda_requirements()
    conda.pop("pip")
    python = conda.pop("python")
    assert python == SpecifierSet(">=3.11")
    pypi = pyproject_requirements()
    assert set(conda) == set(pypi), f"only in environment.yml: {set(conda) - set(pypi)}; only in pyproject: {set(pypi) - set(conda)}"
    for name, spec in pypi.items():
        assert conda[name] == spec, f"{name}: pyproject {spec} vs environment.yml {conda[name]}"


def test_requires_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
