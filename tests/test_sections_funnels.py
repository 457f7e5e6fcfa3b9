"""ttwell.presentation.sections.funnels: team funnel plots built on complete data, drawn from disclosed teams.

Planted teams with known positions; each sentence is checked branch by branch; the shipped service's limits are
checked against the exact binomial limit worked from its counts.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ttwell import disclosure
from ttwell.calculations import comparisons
from ttwell.calculations.funnel import Overdispersion, funnel
from ttwell.presentation.sections import funnels as fs

NAN = float("nan")
# Stability (people still in post of those in post a year earlier) by team; Tiny has 5 people, so it is hidden,
# and Small (12, the smallest shown) is hidden with it so Tiny cannot be worked out from the total.
TEAMS = {"A": (60, 100), "B": (90, 100), "C": (88, 100), "D": (87, 100), "E": (86, 100), "Small": (10, 12),
         "Tiny": (5, 5)}
NAMES = {"A": "Alpha team", "B": "Beta team", "C": "Gamma team", "D": "Delta team", "E": "Epsilon team",
         "Small": "Small team", "Tiny": "Tiny team"}


def planted(teams=TEAMS) -> pd.DataFrame:
    rows = []
    kept, people = sum(k for k, _ in teams.values()), sum(n for _, n in teams.values())
    rows.append(dict(group="All staff", level="service", numerator=kept, denominator=people))
    rows += [dict(group=g, level="team", numerator=k, denominator=n) for g, (k, n) in teams.items()]
    out = pd.DataFrame(rows).assign(indicator="stability_index_nhs_12m", unit="proportion")
    out["value"] = out["numerator"] / out["denominator"]
    out["n_people"] = out["denominator"]
    out["n_numerator_people"] = out["numerator"]
    out["ci_low"], out["ci_high"] = out["value"] - 0.05, out["value"] + 0.05
    return out


def section(audience="internal_management", teams=TEAMS):
    complete = planted(teams)
    policy = disclosure.Policy(audience)
    return fs.workforce_funnels(complete, policy.indicators(complete).table, policy=policy, names=NAMES), complete


def test_a_team_far_below_is_named_and_hidden_teams_are_counted_not_plotted():
    out, complete = section()
    panel = out.panels[0]
    assert panel.drawn and panel.n_groups == 7 and panel.n_hidden == 2
    assert set(panel.units["label"]) == {"Alpha team", "Beta team", "Gamma team", "Delta team", "Epsilon team"}
    # 60 of 100 against the service's 426/517: P(X <= 60) for Binomial(100, 0.824) is far below 0.001.
    assert panel.units.set_index("label").at["Alpha team", "position"] == "Below 99.8% limit"
    assert "Alpha team is below them (60.0%)" in " ".join(out.sentences)
    assert "In each, 2 teams of 7 not shown" not in " ".join(out.sentences)  # one plot: said for that plot
    assert "Stability index: 2 teams of 7 not shown" in " ".join(out.sentences)
    assert out.sentences[-1] == fs.CAUTION
    assert "2 teams of 7 not shown (disclosure control)" in panel.note
    # The saved table: hidden teams keep no number and no position, and are named, never coded.
    table = out.table.table.set_index("group")
    hidden = table.loc[["Small team", "Tiny team"], ["value", "numerator", "denominator", "target", "lower_99_8",
                                                      "position"]]
    assert hidden.isna().all().all()
    assert table.loc["Tiny team", "suppression_reason"] == "group of fewer than 11 people"
    assert out.table.n_suppressed_rows == 2 and "T" not in set(table.index.str[:1]) - {"T"}


def test_curves_span_only_the_teams_shown():
    out, _ = section()
    curves = out.panels[0].curves
    # From a third of the largest team shown (100) to 110: never down to the hidden 5-person team.
    assert curves["denominator"].min() == pytest.approx(27, abs=1) and curves["denominator"].max() == 110


def test_fewer_than_three_teams_shown_means_no_panel_and_says_why():
    teams = {"A": (60, 100), "B": (90, 100), "Tiny": (5, 5), "Tiny2": (4, 6)}
    out, _ = section(teams=teams)
    panel = out.panels[0]
    # The two tiny teams (11 people together) are hidden; nothing more is needed to protect them.
    assert not panel.drawn and len(panel.units) == 2 and panel.n_hidden == 2
    assert out.sentences[0] == ("Stability index: no funnel plot, because only 2 teams can be shown under the "
                                "disclosure rules (at least 3 are needed to compare teams).")
    assert fs.CAUTION not in out.sentences  # no plot, nothing to caution about
    # A plot not drawn says why once: no second sentence counting the hidden teams.
    assert out.sentences == [out.sentences[0]]


def test_no_team_shown_is_said_in_words():
    teams = {"Tiny": (5, 5), "Tiny2": (4, 6)}
    out, _ = section(teams=teams)
    assert out.sentences == ["Stability index: no funnel plot, because no team can be shown under the disclosure "
                             "rules (at least 3 are needed to compare teams)."]


def test_staff_wide_plots_rounded_values_at_the_rounded_size_and_keeps_the_exact_position():
    teams = {"A": (61, 98), "B": (90, 100), "C": (88, 100), "D": (87, 100), "E": (86, 100), "F": (85, 99)}
    out, complete = section("staff_wide", teams)
    panel = out.panels[0]
    alpha = panel.units.set_index("label").loc["Alpha team"]
    # 61 of 98 is shown as 60 of 100 (nearest 5), limits at 100; the position is the exact one.
    assert alpha["denominator"] == 100 and alpha["value"] == pytest.approx(0.6)
    exact = comparisons.workforce_funnels(complete)["stability_index_nhs_12m"]
    assert alpha["lower_99_8"] == pytest.approx(float(exact.limits_at([100])["lower_99_8"].iloc[0]))
    assert alpha["position"] == exact.units.set_index("group").at["A", "position"] == "Below 99.8% limit"
    assert panel.rounded and fs.ROUNDED in panel.note


def test_staff_wide_sickness_is_not_drawn_because_the_size_is_not_shown():
    complete = planted()
    complete["indicator"] = "sickness_absence_rate_12m"
    complete["numerator"] = complete["denominator"] * 2.5  # FTE days lost
    complete["denominator"] = complete["denominator"] * 50.0  # FTE days available
    complete["value"] = complete["numerator"] / complete["denominator"]
    complete["ci_high"] = complete["value"] * 1.2
    policy = disclosure.Policy("staff_wide")
    out = fs.workforce_funnels(complete, policy.indicators(complete).table, policy=policy, names=NAMES)
    assert not out.panels[0].drawn
    assert out.sentences[0].startswith("Sickness absence rate: no funnel plot for this audience, because its "
                                       "limits would show each team's size (FTE days available)")


# --- sentences, one test per branch ----------------------------------------------------------------------------

def _panel(positions, od=None, n_hidden=0, drawn=True):
    units = pd.DataFrame({"label": [f"Team {i}" for i in range(len(positions))], "value": [0.1] * len(positions),
                          "denominator": [50.0] * len(positions), "position": positions})
    od = od or Overdispersion(len(positions), 0.1, 1.0, 3.0, 2, 0.5, 0.0, False, "")
    return fs.FunnelPanel(key="x", title="Leaver rate", kind="rate", target=0.13, percent=True, xlabel="Staff",
                          ylabel="Rate", method="m", overdispersion=od, units=units,
                          curves=pd.DataFrame() if drawn else None, n_groups=len(positions) + n_hidden,
                          n_hidden=n_hidden)


def test_outside_sentence_names_above_and_below_or_says_none():
    assert fs.outside_sentence(_panel(["Within limits", "Above 95% limit"])) == \
        "Leaver rate: no team shown sits outside the 99.8% limits."
    assert fs.outside_sentence(_panel(["Above 99.8% limit", "Below 99.8% limit"])) == (
        "Leaver rate: outside the 99.8% limits around the service's 13.0%, Team 0 is above them (10.0%); "
        "Team 1 is below them (10.0%).")


def test_overdispersion_sentence_widened_too_few_or_nothing():
    widened = Overdispersion(12, 0.1, 3.0, 36.0, 11, 0.0003, 0.0042, True, "")
    assert fs.overdispersion_sentence(_panel(["Within limits"], widened)) == (
        "Leaver rate: the teams differ by more than chance alone would give (p = 0.0003), so the limits are widened "
        "to allow for it (between-team variance τ² = 0.0042).")
    few = Overdispersion(5, 0.1, 3.0, 15.0, 4, 0.0047, 0.0, False, "")
    assert fs.overdispersion_sentence(_panel(["Within limits"], few)) == (
        "Leaver rate: the teams differ by more than chance (p = 0.0047), but with 5 teams (fewer than 10) the extra "
        "spread cannot be estimated reliably, so the limits are not widened and more teams may fall outside them "
        "than chance alone would put there.")
    assert fs.overdispersion_sentence(_panel(["Within limits"])) is None  # p = 0.5: nothing to say


def test_hidden_sentence_counts_or_is_silent():
    assert fs.hidden_sentence(_panel(["Within limits"] * 3, n_hidden=1), 11) == (
        "Leaver rate: 1 team of 4 not shown, to protect confidentiality (groups of fewer than 11 people, and any "
        "group hidden so that a small one cannot be worked out).")
    assert fs.hidden_sentence(_panel(["Within limits"] * 3), 11) is None


def test_section_sentences_sum_up_plots_without_a_flag_and_say_a_shared_hidden_count_once():
    flagged, calm = _panel(["Above 99.8% limit", "Within limits", "Within limits"], n_hidden=2), \
        _panel(["Within limits"] * 3, n_hidden=2)
    calm.title = "Stability index"
    out = fs.section_sentences([flagged, calm], 11)
    assert out[1] == "No team sits outside the 99.8% limits in the other funnel plot."
    assert out[2].startswith("In each, 2 teams of 5 not shown")
    assert fs.section_sentences([calm], 11)[0] == "No team shown sits outside the 99.8% limits in this funnel plot."


# --- the shipped service: limits at one team's size, worked from the counts ----------------------------------------

def _binomial_cdf(r: int, n: int, p: float) -> float:
    return sum(math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(r + 1))


def test_shipped_service_stability_limits_match_the_exact_binomial_worked_from_the_counts(shipped_baseline):
    complete, shown, policy, names = shipped_baseline
    out = fs.workforce_funnels(complete, shown, policy=policy, names=names)
    panel = next(p for p in out.panels if p.key == "stability_index_nhs_12m")
    north = panel.units.set_index("label").loc["North PWP team"]
    # Service: 153 of 175 still in post, θ0 = 0.874286; North PWP team: 36 people. Upper 95% limit: the smallest
    # r with F(r) >= 0.975 under Binomial(36, θ0) is r = 35 (F(34) = 0.9480, F(35) = 0.9921), α = (F(35) - 0.975)
    # / (F(35) - F(34)) = 0.3917, limit (35 - α)/36 = 0.96068.
    theta, n = 153 / 175, 36
    f34, f35 = _binomial_cdf(34, n, theta), _binomial_cdf(35, n, theta)
    assert f34 < 0.975 <= f35
    alpha = (f35 - 0.975) / (f35 - f34)
    assert north["upper_95"] == pytest.approx((35 - alpha) / n, abs=1e-9)
    assert north["upper_95"] == pytest.approx(0.96068, abs=1e-5)
    # Leaver rate, North PWP team: 5 leavers over 36 average staff, around the service's 23/175.5; Poisson(4.718):
    # the upper 99.8% limit is where F reaches 0.999.
    leave = next(p for p in out.panels if p.key == "leaver_rate_hc_12m").units.set_index("label").loc["North PWP team"]
    mu = 23 / 175.5 * 36
    cdf = np.cumsum([math.exp(-mu) * mu ** k / math.factorial(k) for k in range(30)])
    r = int(np.argmax(cdf >= 0.999))
    assert leave["upper_99_8"] == pytest.approx((r - (cdf[r] - 0.999) / (cdf[r] - cdf[r - 1])) / 36, abs=1e-9)
    # Every panel is drawn for the internal audience, with the two hidden teams counted.
    assert [p.drawn for p in out.panels] == [True, True, True] and {p.n_hidden for p in out.panels} == {2}


@pytest.fixture(scope="module")
def shipped_baseline():
    from ttwell.calculations import statistics, workforce
    from ttwell.inputs import io
    from ttwell.inputs import params as ttwell_params
    from pathlib import Path
    import json

    folder = Path(__file__).resolve().parents[1] / "notebooks"
    cell = json.loads((folder / "baseline.ipynb").read_text())["cells"][1]
    given: dict = {}
    exec("".join(cell["source"]), given)
    given = {k: (str(folder / v) if isinstance(v, str) and v.startswith("../") else v) for k, v in given.items()
             if not k.startswith("__")}
    p = ttwell_params.from_notebook("baseline", given)
    data = io.load_workforce(ttwell_params.input_paths(p))
    complete = workforce.baseline_summary(data, p.dates["baseline_start"], p.dates["baseline_end"],
                                          workforce.Options.from_params(p))
    policy = disclosure.Policy()
    shown = policy.indicators(statistics.add_not_estimable_reasons(complete)).table
    return complete, shown, policy, dict(zip(data.teams["team_code"], data.teams["team_name"]))


def test_score_funnels_mark_subscales_behind_a_composite_as_secondary():
    rows = []
    for score, target in (("motivation", 6.0), ("engagement", 6.5)):
        rows.append(dict(score=score, level="service", group="All respondents", n_respondents=60, mean=target,
                         sd=1.0))
        far = 1.5 if score == "motivation" else 0.2  # 1.5 above on a subscale: z = 1.5 √20 = 6.7
        rows += [dict(score=score, level="team", group=g, n_respondents=20, mean=target + d, sd=1.0)
                 for g, d in (("North team", far), ("South team", -0.1), ("West team", -0.1))]
    complete = pd.DataFrame(rows).assign(instrument="NQPS9", wave_id="2024_baseline",
                                         label=lambda t: t["score"].str.title())
    policy = disclosure.Policy()
    shown = policy.table(complete, value_columns=["mean", "sd"], size_column="n_respondents",
                         partition=["wave_id", "score"], rates=False, hr=False).table
    out = fs.score_funnels(complete, shown, policy=policy)
    assert {p.title: p.primary for p in out.panels} == {"Motivation": False, "Engagement": True}
    assert all(p.family == "NQPS9" and p.drawn for p in out.panels)
    # Sentences speak of the one plot drawn (Engagement); the flagged subscale is named, with where to find it.
    assert out.sentences[0] == "No team shown sits outside the 99.8% limits in this funnel plot."
    assert out.sentences[1].startswith("Motivation: outside the 99.8% limits around the service's 6.00, North "
                                       "team is above them (7.50). (A subscale")
    assert out.sentences[-1] == fs.CAUTION
    # Normal limits with the pooled SD (1.0) at 20 respondents: 6.5 ± 3.090232 / √20.
    north = out.panels[1].units.set_index("label").loc["North team"]
    assert north["upper_99_8"] == pytest.approx(6.5 + 3.090232 / math.sqrt(20), abs=1e-6)
