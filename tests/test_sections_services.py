"""The sentences under a funnel of services (ttwell.presentation.sections.services), branch by branch."""

from __future__ import annotations

import pandas as pd

from ttwell.calculations.funnel import funnel
from ttwell.disclosure import Policy
from ttwell.presentation.sections.services import CAUTION, indicator_sentences


def _funnel(num, den, names=None):
    names = names or [f"S{i}" for i in range(len(num))]
    return funnel(pd.DataFrame({"group": names, "numerator": num, "denominator": den}), kind="proportion")


def _shown(f, suppressed=()):
    table = f.units.assign(suppressed=f.units["group"].isin(suppressed))
    table["suppression_reason"] = table["suppressed"].map({True: "group of fewer than 11 people", False: None})
    return table


def test_a_service_outside_the_limits_is_named_with_the_caution():
    # 90/100 against a pooled 270/500 = 0.54: P(X >= 90 | Binomial(100, 0.54)) is far below 0.001.
    f = _funnel([90, 60, 60, 60], [100, 100, 150, 150])
    sentences = indicator_sentences("Stability index (NHS)", f, _shown(f), {}, Policy())
    assert sentences[0].startswith("Outside the 99.8% limits around the pooled value of 54.0%: S0 (above, 90.0%)")
    assert sentences[0].endswith(f"{CAUTION}.")
    # Four services: the over-dispersion test runs but cannot widen the limits.
    assert sentences[1].startswith("With 4 services (fewer than 10) the limits are not widened for over-dispersion: "
                                   "the extra spread between services cannot be estimated reliably from so few.")
    assert f.overdispersion.p_value < 0.05 and "The services do differ by more than chance" in sentences[1]


def test_few_services_that_do_not_differ_get_no_claim_that_they_do():
    f = _funnel([50, 52, 49], [100, 100, 100])
    sentences = indicator_sentences("Score", f, _shown(f), {}, Policy())
    assert f.overdispersion.p_value > 0.05
    assert sentences[1].startswith("With 3 services (fewer than 10)") and "do differ" not in sentences[1]


def test_instruments_are_named_in_full_and_an_unknown_one_by_its_id():
    from ttwell.presentation.sections.services import instrument_name

    assert instrument_name("OLBI") == "Oldenburg Burnout Inventory"
    assert instrument_name("OUR_OWN_PULSE") == "OUR_OWN_PULSE"


def test_every_service_within_the_limits():
    f = _funnel([50, 52, 49], [100, 100, 100])
    sentences = indicator_sentences("Score", f, _shown(f), {}, Policy())
    assert sentences[0].startswith("Every service shown sits within the 99.8% limits") and CAUTION in sentences[0]


def test_ten_services_get_the_funnel_reason_alone():
    f = _funnel([50 + i for i in range(10)], [100] * 10)
    sentences = indicator_sentences("Score", f, _shown(f), {}, Policy())
    assert sentences[1] == f.overdispersion.reason.replace("units", "services") and "fewer than 10" not in sentences[1]


def test_hidden_and_left_out_services_are_counted_and_one_visible_is_not_drawn():
    f = _funnel([50, 52], [100, 100])
    sentences = indicator_sentences("Score", f, _shown(f, suppressed=["S1"]), {"S9": "suppressed in its own results"},
                                    Policy("staff_wide"))
    assert sentences[0].startswith("Score: not drawn, because fewer than two services can be shown")
    assert any(s.startswith("1 service(s) not shown under this report's disclosure rules (group of fewer than 11 "
                            "people)") for s in sentences)
    assert sentences[-1] == "Left out: 1 service(s) with no figure to use (S9: suppressed in its own results)."


def test_sickness_names_the_median_design_effect():
    f = _funnel([50, 52], [100, 100])
    sentences = indicator_sentences("Sickness absence rate", f, _shown(f), {}, Policy(),
                                    {"dispersion": 12.34, "design_effects": {"S0": 10.0, "S1": 14.68}})
    assert any("their variance is multiplied by 12.3, the median of the 2 services' design effects" in s
               for s in sentences)


def test_no_figure_at_all():
    assert indicator_sentences("Score", None, None, {"A": "not in its results"}, Policy()) == [
        "Score: no service has a figure to compare.", "Left out: 1 service(s) with no figure to use (A: not in its "
        "results)."]


def test_quiet_scores_become_small_panels_grouped_by_instrument():
    from ttwell.disclosure import Disclosed
    from ttwell.presentation.sections.services import IndicatorComparison, ServiceComparison, quiet_panels

    def compared(label, numerators):
        f = funnel(pd.DataFrame({"group": ["S0", "S1", "S2"], "numerator": numerators, "denominator": [50, 60, 70],
                                 "sd": [1.0, 1.0, 1.0]}), kind="mean", sd="sd")
        return IndicatorComparison(label.replace(": ", "_"), label, "Respondents", False, f,
                                   Disclosed(_shown(f), "", 0), {}, [])

    # Means within 0.2 of each other at n = 50-70, SD 1: every service is within the 95% limits on both scores;
    # the third (5.0 against about 3.4) is far outside and gets a chart of its own, not a small panel.
    comparison = ServiceComparison([], False, [], [compared("Oldenburg Burnout Inventory: Exhaustion", [2.4, 2.5, 2.6]),
                                                   compared("Oldenburg Burnout Inventory: Disengagement", [2.2, 2.3, 2.2]),
                                                   compared("Joy at work: Joy", [2.5, 2.6, 5.0])])
    grids = quiet_panels(comparison)
    assert [(name, [p["title"] for p in panels]) for name, panels in grids] == [
        ("Oldenburg Burnout Inventory", ["Exhaustion", "Disengagement"])]
    assert grids[0][1][0]["label_col"] == "group"
