"""A team with no absence: its interval is not estimable with a reason, never "0% to 0%" (issue 11, item 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import episode, load, month_ends, snap
from ttwell.calculations import intervals, workforce


def test_team_with_no_absence_is_shown_as_not_estimable(tmp_path):
    # T01: p1, p2 full time all year; p1 off sick 10 days (01/04/2023 - 10/04/2023). T02: q1, q2, nobody sick.
    # Window Apr 2023 - Mar 2024 = 366 days. T01 rate = 10 / 732; T02 rate = 0 / 732 with every person's ratio 0,
    # so the linearised variance is 0 and the raw interval is 0 to 0.
    snapshot = [snap(d, pid, team=team) for d in month_ends("2023-03-01", "2024-03-31")
                for pid, team in (("p1", "T01"), ("p2", "T01"), ("q1", "T02"), ("q2", "T02"))]
    data = load(tmp_path, snapshot=snapshot, absence=[episode("e1", "p1", "01/04/2023", "10/04/2023")])
    table = workforce.baseline_summary(data, pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31"))
    sick = table[table["indicator"] == "sickness_absence_rate_12m"].set_index("group")
    assert sick.loc["T01", "value"] == pytest.approx(10 / 732)
    assert (sick.loc["T02", "value"], sick.loc["T02", "ci_low"], sick.loc["T02", "ci_high"]) == (0, 0, 0)
    shown = intervals.add_not_estimable_reasons(table)
    t02 = shown[(shown["indicator"] == "sickness_absence_rate_12m") & (shown["group"] == "T02")].iloc[0]
    assert t02["value"] == 0 and np.isnan(t02["ci_low"]) and np.isnan(t02["ci_high"])
    assert t02["not_estimable_reason"] == intervals.REASON_ZERO_VARIANCE
    t01 = shown[(shown["indicator"] == "sickness_absence_rate_12m") & (shown["group"] == "T01")].iloc[0]
    assert pd.isna(t01["not_estimable_reason"]) and t01["ci_high"] > t01["value"]
    # Census figures have no interval by design: no reason is invented for them.
    census = shown[shown["indicator"] == "staff_in_post_headcount"]
    assert census["not_estimable_reason"].isna().all()
