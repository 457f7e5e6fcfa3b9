"""Writing the synthetic workforce (``ttwell.synth.workforce.writing``): files in template form that load without
any problem, and text that validates in memory.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from ttwell.inputs.templates import TEMPLATES
from ttwell.synth import write_synthetic
from ttwell.synth.workforce import workforce_as_text

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "data" / "synthetic"
FILENAME_KIND = {t.filename: kind for kind, t in TEMPLATES.items()}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("synth_2024")
    return {p.name: p.read_bytes() for p in write_synthetic(folder, seed=2024)}


WORKFORCE_FILES = {TEMPLATES[k].filename for k in
                   ("staff_snapshot", "absence", "leavers", "establishment", "reasons", "teams")}


def test_files_follow_the_templates(written):
    # The survey files written beside these are checked in test_synth_surveys.py.
    assert WORKFORCE_FILES <= set(written)
    date = re.compile(r"^\d{2}/\d{2}/\d{4}$")
    for name, content in ((n, c) for n, c in written.items() if n in WORKFORCE_FILES):
        template = TEMPLATES[FILENAME_KIND[name]]
        assert b"\r" not in content and not content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
        assert rows[0] == template.column_names(), name
        body = pd.DataFrame(rows[1:], columns=rows[0])
        for col in template.columns:
            values = body[col.name]
            if col.required:
                assert (values != "").all(), f"{name}: blank in required column {col.name}"
            filled = values[values != ""]
            if col.type == "date":
                assert filled.map(lambda v: bool(date.match(v))).all(), f"{name}: {col.name} not dd/mm/yyyy"
            elif col.type == "bool":
                assert filled.isin(["true", "false"]).all(), f"{name}: {col.name} not true/false"
            elif col.type == "enum":
                assert filled.isin(col.enum).all(), f"{name}: unknown value in {col.name}"
            elif col.type == "float":
                assert filled.str.fullmatch(r"\d+\.\d\d").all(), f"{name}: {col.name} not fixed 2 d.p."
        for key in template.unique:
            assert not body.duplicated(list(key)).any(), f"{name}: duplicate {key}"


def test_committed_files_load_without_problems():
    io_module = pytest.importorskip("ttwell.inputs.io")
    if not hasattr(io_module, "load_workforce"):
        pytest.skip("ttwell.inputs.io.load_workforce not written yet")
    paths = {FILENAME_KIND[p.name]: p for p in COMMITTED.glob("*.csv") if p.name in FILENAME_KIND}
    data = io_module.load_workforce(paths)  # raises InputError on any error
    assert [w.describe() for w in data.warnings] == []


def test_generated_text_validates_in_memory(synthetic_workforce):
    io_module = pytest.importorskip("ttwell.inputs.io")
    for kind, text in workforce_as_text(synthetic_workforce).items():
        _, problems = io_module.validate_frame(text, TEMPLATES[kind], kind)
        assert [p.describe() for p in problems] == [], kind
