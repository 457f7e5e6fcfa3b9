"""The synthetic establishment (``ttwell.synth.workforce.establishment``): modest vacancies, partly blank.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ttwell.inputs.templates import IN_POST_CONTRACT_TYPES
from ttwell.synth.workforce import generate_workforce


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate_workforce(seed=2024)


@pytest.fixture(scope="module")
def in_post(frames) -> pd.DataFrame:
    snap = frames["staff_snapshot"]
    return snap[snap["contract_type"].isin(IN_POST_CONTRACT_TYPES) & snap["in_scope"].fillna(True)]


def test_vacancies_are_modest_and_partly_blank(frames, in_post):
    establishment = frames["establishment"]
    assert establishment["vacancy_fte"].isna().any() and establishment["vacancy_fte"].notna().any()
    fte_in_post = in_post.groupby(in_post["snapshot_date"].dt.to_period("M"))["fte"].sum()
    funded = establishment.groupby("month")["establishment_fte"].sum()
    vacancy_rate = 1 - fte_in_post / funded
    assert vacancy_rate.between(0.03, 0.15).all(), vacancy_rate.round(3).to_dict()
