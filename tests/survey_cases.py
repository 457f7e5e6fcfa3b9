"""Small builders shared by the survey instrument and scoring tests."""

from __future__ import annotations

import pandas as pd


def wide(*respondents: dict, **columns) -> pd.DataFrame:
    """One row per respondent: {item: value}; ids r1, r2, ... in wave w1 unless given."""
    rows = [{"wave_id": "w1", "response_id": f"r{i}", **columns, **answers}
            for i, answers in enumerate(respondents, start=1)]
    return pd.DataFrame(rows)


def answers(items, values) -> dict:
    return dict(zip(items, values))


def only(frame: pd.DataFrame) -> pd.Series:
    assert len(frame) == 1
    return frame.iloc[0]
