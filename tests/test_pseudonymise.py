"""ttwell pseudonymise (issue 10 item 3): keyed pseudonyms, same id same pseudonym, nothing identifying left."""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import stat

import pandas as pd
import pytest
from click.testing import CliRunner

from ttwell.inputs import io
from ttwell.calculations import workforce
from ttwell.running.cli import main
from ttwell.inputs.params import REPO_ROOT

SYNTHETIC = REPO_ROOT / "data" / "synthetic"
WORKFORCE = ("staff_monthly_snapshot.csv", "absence_episodes.csv", "leavers.csv", "teams.csv")


@pytest.fixture
def key(tmp_path):
    path = tmp_path / "secret" / "ttwell.key"
    result = CliRunner().invoke(main, ["pseudonymise", "--new-key", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_new_key_is_32_random_bytes_for_its_owner_only_and_never_overwritten(key):
    assert len(bytes.fromhex(key.read_text(encoding="ascii").strip())) == 32
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    result = CliRunner().invoke(main, ["pseudonymise", "--new-key", str(key)])
    assert result.exit_code == 2 and "already exists" in result.output and key.read_bytes() == before


def test_pseudonym_is_hmac_sha256_of_the_id_as_16_hex_characters(tmp_path, key):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "leavers.csv").write_text("staff_pid,leaving_date\n10000001,31/03/2024\n 10000002 ,30/04/2024\n",
                                        encoding="utf-8")
    result = CliRunner().invoke(main, ["pseudonymise", str(inputs / "leavers.csv"), "--key-file", str(key),
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    secret = bytes.fromhex(key.read_text(encoding="ascii").strip())
    expected = [hmac.new(secret, pid.encode(), hashlib.sha256).hexdigest()[:16] for pid in ("10000001", "10000002")]
    out = (tmp_path / "out" / "leavers.csv").read_text(encoding="utf-8")
    assert out == f"staff_pid,leaving_date\n{expected[0]},31/03/2024\n{expected[1]},30/04/2024\n"
    # Neither the key nor an original id appears in the output or what was printed.
    for secret_text in ("10000001", "10000002", key.read_text(encoding="ascii").strip()):
        assert secret_text not in out and secret_text not in result.output


def test_same_key_same_bytes_other_key_other_pseudonyms_same_id_across_csv_and_xlsx(tmp_path, key):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.csv").write_text("staff_pid,x\nP1,1\nP2,2\n", encoding="utf-8")
    pd.DataFrame({"Employee Number": [2, 1], "y": ["b", "a"]}).to_excel(inputs / "b.xlsx", index=False)
    pd.DataFrame({"Employee Number": ["P2"], "y": ["b"]}).to_excel(inputs / "c.xlsx", index=False)
    runner = CliRunner()
    for out in ("o1", "o2"):
        result = runner.invoke(main, ["pseudonymise", str(inputs / "a.csv"), str(inputs / "b.xlsx"),
                                      str(inputs / "c.xlsx"), "--key-file", str(key), "--out", str(tmp_path / out),
                                      "--columns", "staff_pid,Employee Number"])
        assert result.exit_code == 0, result.output
    for name in ("a.csv", "b.xlsx", "c.xlsx"):
        assert (tmp_path / "o1" / name).read_bytes() == (tmp_path / "o2" / name).read_bytes()
    a = pd.read_csv(tmp_path / "o1" / "a.csv", dtype=str)
    b = pd.read_excel(tmp_path / "o1" / "b.xlsx", dtype=str)
    c = pd.read_excel(tmp_path / "o1" / "c.xlsx", dtype=str)
    assert c["Employee Number"][0] == a["staff_pid"][1]  # P2 in the CSV and in the workbook
    assert b["y"].tolist() == ["b", "a"] and all(len(v) == 16 for v in b["Employee Number"])
    other = tmp_path / "other.key"
    runner.invoke(main, ["pseudonymise", "--new-key", str(other)])
    assert runner.invoke(main, ["pseudonymise", str(inputs / "a.csv"), "--key-file", str(other),
                                "--out", str(tmp_path / "o3")]).exit_code == 0
    assert set(pd.read_csv(tmp_path / "o3" / "a.csv", dtype=str)["staff_pid"]).isdisjoint(a["staff_pid"])


def test_refusals_exit_2_and_write_nothing(tmp_path, key):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.csv").write_text("staff_pid,assignment\n10000001,10000001-1\n", encoding="utf-8")
    short = tmp_path / "short.key"
    short.write_text("abcd" * 4, encoding="ascii")
    cases = [
        ([str(inputs / "a.csv"), "--out", str(tmp_path / "o")], "ttwell pseudonymise --new-key"),
        ([str(inputs / "a.csv"), "--key-file", str(short), "--out", str(tmp_path / "o")], "at least 32 bytes"),
        ([str(inputs / "a.csv"), "--key-file", str(key), "--out", str(inputs)], "this input's folder"),
        ([str(inputs / "a.csv"), "--key-file", str(key), "--out", str(tmp_path / "o")], "column 'assignment'"),
        ([str(inputs / "a.csv"), "--key-file", str(key), "--out", str(tmp_path / "o"), "--columns", "Emp No"],
         "no input has a column named 'Emp No'"),
    ]
    for args, message in cases:
        result = CliRunner().invoke(main, ["pseudonymise", *args])
        assert result.exit_code == 2 and message in result.output, result.output
        assert "10000001" not in result.output
    assert not (tmp_path / "o").exists() and sorted(p.name for p in inputs.iterdir()) == ["a.csv"]


def test_workforce_indicators_on_pseudonymised_files_equal_the_originals(tmp_path, key):
    originals = tmp_path / "originals"
    originals.mkdir()
    for name in WORKFORCE:
        shutil.copy(SYNTHETIC / name, originals / name)
    result = CliRunner().invoke(main, ["pseudonymise", *[str(originals / n) for n in WORKFORCE],
                                       "--key-file", str(key), "--out", str(tmp_path / "pseudo")])
    assert result.exit_code == 0, result.output

    def load(folder):
        return io.load_workforce({"staff_snapshot": folder / WORKFORCE[0], "absence": folder / WORKFORCE[1],
                                  "leavers": folder / WORKFORCE[2], "teams": folder / WORKFORCE[3]})

    before, after = load(originals), load(tmp_path / "pseudo")
    assert set(before.staff_snapshot["staff_pid"]).isdisjoint(after.staff_snapshot["staff_pid"])
    assert after.staff_snapshot["staff_pid"].nunique() == before.staff_snapshot["staff_pid"].nunique()
    pd.testing.assert_frame_equal(workforce.monthly_indicators(after), workforce.monthly_indicators(before))
