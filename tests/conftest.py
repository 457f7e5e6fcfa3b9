"""Shared test set-up: a headless matplotlib backend and closed figures after each test."""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))  # tests/helpers.py


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(autouse=True)
def same_working_folder():
    """A test must leave the working folder as it found it (nbval reads its sanitize file relative to it)."""
    import os

    before = os.getcwd()
    yield
    after = os.getcwd() if os.path.isdir(".") else "(a deleted folder)"
    if after != before:
        os.chdir(before)
        pytest.fail(f"the test left the working folder changed: {after}")


@pytest.fixture(scope="session")
def synthetic_workforce():
    """The shipped synthetic service's workforce frames (seed 2024), generated once for the synth tests.

    Tests read these frames and must not change them."""
    from ttwell.synth.workforce import generate_workforce

    return generate_workforce(seed=2024)


@pytest.fixture(scope="session")
def synthetic_in_post(synthetic_workforce):
    """Snapshot rows of staff in post (in-post contract types, in scope)."""
    from ttwell.inputs.templates import IN_POST_CONTRACT_TYPES

    snap = synthetic_workforce["staff_snapshot"]
    return snap[snap["contract_type"].isin(IN_POST_CONTRACT_TYPES) & snap["in_scope"].fillna(True)]
