"""The synthetic PDSA project: deterministic, committed as generated, valid, and with the planted effect."""

from __future__ import annotations


from ttwell.inputs import io
from ttwell.inputs.params import REPO_ROOT
from ttwell.synth.pdsa import CHANGE_DATE, generate_pdsa, write_pdsa

SYNTHETIC = REPO_ROOT / "data" / "synthetic"


def test_same_seed_same_bytes_and_committed_files_are_current(tmp_path):
    first = write_pdsa(generate_pdsa(seed=2024), tmp_path / "a")
    second = write_pdsa(generate_pdsa(seed=2024), tmp_path / "b")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()
        assert (SYNTHETIC / a.name).read_bytes() == a.read_bytes(), f"{a.name}: run ttwell synth"
    other = write_pdsa(generate_pdsa(seed=7), tmp_path / "c")
    assert other[0].read_bytes() != first[0].read_bytes()


def test_files_are_valid_with_three_cycles():
    measures, problems = io.read_table(SYNTHETIC / "pdsa_measures.csv", "pdsa_measures")
    assert not problems and len(measures) == 36
    log, problems = io.read_pdsa_log(SYNTHETIC / "pdsa_log.csv")
    assert not problems
    assert log["act_decision"].tolist() == ["adapt", "abandon", "adopt"]


def test_planted_improvement_after_the_adopted_change():
    measures, _ = io.read_table(SYNTHETIC / "pdsa_measures.csv", "pdsa_measures")
    before = measures[measures["date"] < CHANGE_DATE]["value"]
    after = measures[measures["date"] >= CHANGE_DATE]["value"]
    # Planted 58% before and 70% after: the realised means must be clearly apart, and every month after the
    # change above the average before it would be too strong a claim, so compare means and medians.
    assert after.mean() - before.mean() > 5
    assert after.median() > before.quantile(0.9) - 1
    assert (measures["value"] == (100 * measures["numerator"] / measures["denominator"]).round(1)).all()
