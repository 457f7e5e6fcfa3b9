"""Which indicator gets which funnel (ttwell.calculations.comparisons), against values worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from ttwell.calculations.comparisons import dispersion_from_interval, service_funnels, workforce_funnels

Z = 1.959963984540054


def test_design_effect_from_a_person_clustered_interval():
    # R = 0.05 over 10,000 FTE days, SE 0.01 (upper limit 0.05 + 1.96 x 0.01): clustered variance 1e-4 against
    # the Poisson 0.05 / 10,000 = 5e-6, a factor of 20.
    assert dispersion_from_interval(0.05, 0.05 + Z * 0.01, 10_000) == pytest.approx(20.0)
    # Narrower than Poisson (or no interval at all) is never used to narrow the limits.
    assert dispersion_from_interval(0.05, 0.05 + Z * 0.0001, 10_000) == 1.0
    assert dispersion_from_interval(0.05, float("nan"), 10_000) == 1.0


def baseline_rows():
    rows = [("sickness_absence_rate_12m", "service", "All staff", 0.05, 0.05 + Z * 0.01, 500.0, 10_000.0)]
    for team, lost, days in (("A", 100.0, 2_000.0), ("B", 150.0, 3_000.0), ("C", 250.0, 5_000.0)):
        rows.append(("sickness_absence_rate_12m", "team", team, lost / days, float("nan"), lost, days))
    rows.append(("leaver_rate_hc_12m", "service", "All staff", 12 / 80.5, float("nan"), 12.0, 80.5))
    for team, leavers, staff in (("A", 3.0, 20.5), ("B", 4.0, 30.0), ("C", 5.0, 30.0)):
        rows.append(("leaver_rate_hc_12m", "team", team, leavers / staff, float("nan"), leavers, staff))
    return pd.DataFrame(rows, columns=["indicator", "level", "group", "value", "ci_high", "numerator",
                                       "denominator"])


def test_team_funnels_centre_on_the_service_and_widen_sickness_by_its_design_effect():
    funnels = workforce_funnels(baseline_rows())
    sickness, leavers = funnels["sickness_absence_rate_12m"], funnels["leaver_rate_hc_12m"]
    assert sickness.target == pytest.approx(0.05) and sickness.dispersion == pytest.approx(20.0)
    # Team A: 0.05 ± 1.96 √(20 x 0.05 / 2,000).
    assert sickness.units.loc[0, "upper_95"] == pytest.approx(0.05 + Z * (20 * 0.05 / 2_000) ** 0.5)
    # Leavers over an average of 20.5 staff: a rate (Poisson), which a proportion could not take.
    assert leavers.kind == "rate" and leavers.target == pytest.approx(12 / 80.5)
    assert "stability_index_nhs_12m" not in funnels  # no rows, no funnel


def test_services_are_pooled_and_sickness_takes_the_median_design_effect():
    indicators = pd.DataFrame({
        "indicator": ["sickness_absence_rate_12m"] * 3, "group": ["North", "South", "East"],
        "value": [0.04, 0.05, 0.06], "numerator": [400.0, 1_000.0, 600.0], "denominator": [10_000.0, 20_000.0, 10_000.0],
        # Design effects 10, 20 and 40: SE² = deff x R / Σx.
        "ci_high": [0.04 + Z * (10 * 0.04 / 10_000) ** 0.5, 0.05 + Z * (20 * 0.05 / 20_000) ** 0.5,
                    0.06 + Z * (40 * 0.06 / 10_000) ** 0.5]})
    scores = pd.DataFrame({"instrument": ["OLBI"] * 3, "score": ["exhaustion"] * 3, "group": ["North", "South", "East"],
                           "mean": [2.0, 2.5, 3.0], "n_respondents": [10, 30, 60], "sd": [0.5, 0.5, 0.5]})
    funnels, sickness = service_funnels(indicators, scores)
    assert funnels["sickness_absence_rate_12m"].target == pytest.approx(2_000 / 40_000)
    assert sickness["dispersion"] == pytest.approx(20.0)
    assert sickness["design_effects"] == pytest.approx({"North": 10.0, "South": 20.0, "East": 40.0})
    # Respondent-weighted: (2 x 10 + 2.5 x 30 + 3 x 60) / 100 = 2.75.
    assert funnels[("OLBI", "exhaustion")].target == pytest.approx(2.75)
