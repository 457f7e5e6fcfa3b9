"""The synthetic establishment (``ttwell.synth.workforce.establishment``): modest vacancies, partly blank.
"""

from __future__ import annotations




def test_vacancies_are_modest_and_partly_blank(synthetic_workforce, synthetic_in_post):
    establishment = synthetic_workforce["establishment"]
    assert establishment["vacancy_fte"].isna().any() and establishment["vacancy_fte"].notna().any()
    fte_in_post = synthetic_in_post.groupby(synthetic_in_post["snapshot_date"].dt.to_period("M"))["fte"].sum()
    funded = establishment.groupby("month")["establishment_fte"].sum()
    vacancy_rate = 1 - fte_in_post / funded
    assert vacancy_rate.between(0.03, 0.15).all(), vacancy_rate.round(3).to_dict()
