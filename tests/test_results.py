"""Tests for ttwell.presentation.results: the one JSON converter (json_safe, json_records)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ttwell.presentation.results import json_records, json_safe


def test_json_safe_makes_numpy_and_pandas_values_plain():
    value = {"n": np.int64(3), "flag": np.bool_(True), "x": np.float64(0.1 + 0.2), "gone": float("nan"),
             "inf": np.inf, "day": pd.Timestamp("2024-03-31 10:00"), "d64": np.datetime64("2024-04-01T00:00:00"),
             "month": pd.Period("2024-03", freq="M"), "list": (np.int32(1), None)}
    assert json_safe(value) == {"n": 3, "flag": True, "x": 0.3, "gone": None, "inf": None, "day": "2024-03-31",
                                "d64": "2024-04-01", "month": "2024-03", "list": [1, None]}
    json.dumps(json_safe(value), allow_nan=False)


def test_json_records_of_a_table():
    frame = pd.DataFrame({"start_date": pd.to_datetime(["2024-01-01"]).astype("datetime64[s]"), "mean": [np.nan],
                          "warnings": [["a"]]})
    assert json_records(frame) == [{"start_date": "2024-01-01", "mean": None, "warnings": ["a"]}]
