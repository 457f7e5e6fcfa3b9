"""Tests of ``ttwell.synth.write_synthetic``: the demo and test data of the whole kit, reproducible to the byte.

The committed files in ``data/synthetic`` must equal a fresh run with seed 2024, and another seed must give other
data. The properties of each table are tested beside its generator: ``test_synth_workforce_*.py``,
``test_synth_surveys.py``, ``test_synth_pdsa.py``, ``test_synth_training.py``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from ttwell.synth import write_synthetic

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "data" / "synthetic"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("synth_2024")
    return {p.name: p.read_bytes() for p in write_synthetic(folder, seed=2024)}


def test_same_seed_gives_byte_identical_files(tmp_path, written):
    again = {p.name: p.read_bytes() for p in write_synthetic(tmp_path, seed=2024)}
    assert sorted(again) == sorted(written)
    for name, content in written.items():
        assert again[name] == content, f"{name} differs between two runs with seed 2024"


def test_different_seed_gives_different_data(tmp_path, written):
    other = {p.name: p.read_bytes() for p in write_synthetic(tmp_path, seed=2025)}
    for name in ("staff_monthly_snapshot.csv", "absence_episodes.csv", "leavers.csv"):
        assert other[name] != written[name], f"{name} is the same for seeds 2024 and 2025"
    ids_2024 = set(pd.read_csv(io.BytesIO(written["leavers.csv"]), dtype=str)["staff_pid"])
    ids_2025 = set(pd.read_csv(io.BytesIO(other["leavers.csv"]), dtype=str)["staff_pid"])
    assert not ids_2024 & ids_2025


def test_committed_files_equal_a_fresh_run(written):
    for name, content in written.items():
        committed = COMMITTED / name
        assert committed.exists(), f"{committed} missing: run `ttwell synth --seed 2024 --out data/synthetic`"
        assert committed.read_bytes() == content, (
            f"{committed} differs from the generator's output: run `ttwell synth --seed 2024 --out data/synthetic`"
        )
