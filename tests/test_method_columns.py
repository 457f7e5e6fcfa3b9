"""Every interval in the survey tidy tables names its method; a two-item coefficient is Spearman-Brown
(issue 11, item 9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ttwell.calculations.scales.reliability import reliability_table
from ttwell.calculations.scales.summaries import response_rates, scale_summary, share_at_or_above


def test_survey_summaries_name_their_interval():
    scored = pd.DataFrame({"wave_id": "w1", "response_id": ["a", "b", "c", "d"], "s": [2.0, 3.0, 4.0, 5.0]})
    summary = scale_summary(scored, ["s"], by=["wave_id"]).iloc[0]
    # mean 3.5, SD sqrt(5/3) = 1.291, half-width t(0.975, 3) x 1.291 / 2 = 3.182 x 0.6455 = 2.054.
    half = stats.t.ppf(0.975, 3) * np.sqrt(5 / 3) / 2
    assert (summary["ci_low"], summary["ci_high"]) == pytest.approx((3.5 - half, 3.5 + half))
    assert summary["interval"] == "t interval of the mean (n - 1 df)"
    assert share_at_or_above(scored, "s", 4.0)["interval"].iloc[0] == "Wilson"
    waves = pd.DataFrame({"wave_id": ["w1"], "eligible_n": [10]})
    assert response_rates(scored, waves)["interval"].iloc[0] == "Wilson"


def test_reliability_table_names_the_coefficient():
    rng = np.random.default_rng(1)
    base = rng.normal(size=30)
    items = pd.DataFrame({f"i{k}": base + rng.normal(scale=0.7, size=30) for k in range(4)})
    table = reliability_table(items, {"pair": ["i0", "i1"], "four": ["i0", "i1", "i2", "i3"]}, by=None)
    table = table.set_index("subscale")
    r = items["i0"].corr(items["i1"])
    assert table.loc["pair", "alpha"] == pytest.approx(2 * r / (1 + r))  # Spearman-Brown 2r / (1 + r)
    assert table.loc["pair", "coefficient"] == "Spearman-Brown"
    assert table.loc["four", "coefficient"] == "Cronbach's alpha"
    assert table.loc["four", "method"].startswith("Cronbach's alpha (Feldt")
