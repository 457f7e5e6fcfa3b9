"""Issue 9: prove by attacking every output that no small group can be learnt from a run.

Two parts:

1. Each attack in ``tests/attacks.py`` is first seen to CATCH a leak planted in a small hand-made run folder,
   and to find NOTHING in a correctly protected version of the same table. An attack that cannot catch its
   planted leak proves nothing when it finds nothing on the real outputs.
2. The real check: every notebook is run for both audiences on two services (the shipped synthetic one and the
   second test service of ``tests/second_service.py``), and every attack must find nothing in any output.

While the disclosure rewrite is in progress, real checks that fail today are marked expected-to-fail ONLY
through ``KNOWN_FAILING`` below. Remove an entry when its fix lands (a fixed entry shows as XPASS).
Never weaken an attack to make a test pass.

The four runs (2 services x 2 audiences) start together in separate processes, once per test session; they
take about a minute on two cores.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

import accessibility
from attacks import ATTACKS, SUPPRESSED, Finding, attack_run, exact_fraction, load_run, xlsx_read_back
from second_service import AUDIENCES, SMALL_TEAM, Truth, shipped_truth, write_second_service
from ttwell.presentation import workbook
from ttwell.inputs.params import REPO_ROOT, SERVICE_NOTEBOOKS, load_params

SERVICES = ("shipped", "second")
NOTEBOOK_NAMES = list(SERVICE_NOTEBOOKS)  # one service's notebooks (the comparison of services: test_cli_compare.py)

# ---------------------------------------------------------------------------------------------------------------
# THE SWITCH: real-output checks known to fail today (issue 9 is being fixed). Key: (service, audience, notebook,
# attack), where attack "ran" means "the notebook ran to the end"; a "ran" entry also covers every attack on that
# notebook's outputs (there are none to attack). Remove entries as fixes land.
# ---------------------------------------------------------------------------------------------------------------
KNOWN_FAILING: dict[tuple[str, str, str, str], str] = {}


def _known(service, audience, notebook, attack):
    reason = KNOWN_FAILING.get((service, audience, notebook, attack)) or KNOWN_FAILING.get(
        (service, audience, notebook, "ran"))
    return [pytest.mark.xfail(strict=False, reason=f"issue 9, fix in progress: {reason}")] if reason else []


# --- a tiny truth and run folders for the planted leaks ---------------------------------------------------------

THRESHOLD = 11


def tiny_truth() -> Truth:
    """Three teams: A (25 people), B (20) and S, "Small team", of 5; 3 survey respondents leave the team blank."""
    return Truth(
        threshold=THRESHOLD,
        team_names={"A": "Team A", "B": "Team B", "S": "Small team"},
        staff_per_team={"A": 25, "B": 20, "S": 5, "low_intensity": 30, "high_intensity": 20},
        respondents={"W1": {"A": 20, "B": 17, "S": 0, "": 3}},
        trainees={"A": 8, "B": 4, "": 3},
        long_term_people={"service": 9, "A": 2, "B": 7},
        mental_health_people={"service": 9, "A": 3, "B": 6},
        identifiers={"a1b2c3d4e5f60718", "E000123"},
        free_text={"My manager never listens to me."},
        # Team B has 20 people in the year, but only 10 in post at the end of August 2024.
        monthly_staff={("B", "2024-07"): 11, ("B", "2024-08"): 10},
    )


def make_run(folder: Path, tables: dict[str, pd.DataFrame], *, audience="staff_wide", notebook="baseline",
             footnotes: dict | None = None, html: str | None = None, xlsx: bool = False,
             figures: dict | None = None) -> Path:
    """Write a run-like folder: results.json, tables/*.csv, and optionally an HTML report and a workbook.

    A suppressed cell is written blank in the CSV (its row has ``suppressed`` true) and ``[c]`` in the workbook,
    as ttwell writes them. The workbook is ttwell's own (:func:`ttwell.presentation.workbook.write_excel`): headings and codes
    in words, so every planted leak is also seen through the labelling that the attacks must read back.
    """
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    results = {"notebook": notebook, "parameters": {"audience": audience, "disclosure_threshold": THRESHOLD},
               "figures": figures or {}, "tables": {}}
    for name, frame in tables.items():
        frame.to_csv(folder / "tables" / f"{name}.csv", index=False, encoding="utf-8-sig")
        results["tables"][name] = {"file": f"tables/{name}.csv", "title": name,
                                   "footnote": (footnotes or {}).get(name)}
    (folder / "results.json").write_text(json.dumps(results), encoding="utf-8")
    if html is not None:
        (folder / f"{notebook}.html").write_text(html, encoding="utf-8")
    if xlsx:
        workbook.write_excel(folder, folder / f"{notebook}.xlsx")
        run = load_run(folder)
        assert [t.name for t in run.tables if t.kind == "xlsx"], "the attacks found no table in the workbook"
        assert xlsx_read_back(run) == [], xlsx_read_back(run)
    return folder


def findings(folder: Path, attack: str, truth: Truth | None = None) -> list[Finding]:
    return attack_run(folder, truth or tiny_truth(), names=[attack])


def hr_table(rows: list[dict]) -> pd.DataFrame:
    """A baseline_values-shaped table from short rows (missing columns blank)."""
    columns = ["indicator", "label", "level", "group", "value", "ci_low", "ci_high", "numerator", "denominator",
               "n_people", "n_numerator_people", "unit", "suppressed"]
    return pd.DataFrame(rows, columns=columns)


def _rate(group, value, n, num, *, level="team", indicator="leaver_rate_hc_12m", suppressed=False, **extra):
    return {"indicator": indicator, "label": indicator, "level": level, "group": group, "value": value,
            "n_people": n, "n_numerator_people": num, "unit": "proportion", "suppressed": suppressed, **extra}


def _hidden(group, *, level="team", indicator="leaver_rate_hc_12m"):
    return {"indicator": indicator, "label": indicator, "level": level, "group": group, "unit": "proportion",
            "suppressed": True}


# --- (a) a small group shown ------------------------------------------------------------------------------------

def test_small_group_shown_catches_a_team_of_five_with_a_figure(tmp_path):
    # Team S has 5 people (tiny_truth), so any number in its row is a leak: here a rate of 1/5 = 0.2.
    leak = hr_table([_rate("All staff", 0.1, 50, 5, level="service"), _rate("A", 0.08, 25, 2), _rate("S", 0.2, 5, 1)])
    found = findings(make_run(tmp_path / "leak", {"baseline_values": leak}, xlsx=True), "small_group_shown")
    assert {f.file for f in found} == {"tables/baseline_values.csv", "baseline.xlsx"}
    assert all("'S' has 5 hr people" in f.detail for f in found)
    # Protected: S suppressed (no number at all) and A merged with S (25 + 5 = 30 people, at least 11).
    safe = hr_table([_rate("All staff", 0.1, 50, 5, level="service"), _rate("A (with Small team)", 0.0833, 30, 3),
                     _hidden("S")])
    assert findings(make_run(tmp_path / "safe", {"baseline_values": safe}, xlsx=True), "small_group_shown") == []


def test_small_group_shown_in_a_month_when_the_team_is_small(tmp_path):
    # Team B is large over the year but has 10 people at the end of August 2024 (tiny_truth): its August
    # headcount must be hidden, its July one (11 people) may be shown.
    def table(august):
        return pd.DataFrame([{"month": "2024-07", "level": "team", "group": "B", "indicator": "staff_in_post_headcount",
                              "value": 11, "suppressed": False},
                             {"month": "2024-08", "level": "team", "group": "B", "indicator": "staff_in_post_headcount",
                              "value": august, "suppressed": august != august}])

    found = findings(make_run(tmp_path / "leak", {"monthly_indicators": table(10)}, audience="internal_management"),
                     "small_group_shown")
    assert len(found) == 1 and "month=2024-08" in found[0].where and "has 10 hr people" in found[0].detail
    assert findings(make_run(tmp_path / "safe", {"monthly_indicators": table(np.nan)}, audience="internal_management"),
                    "small_group_shown") == []


def test_small_group_shown_reads_html_tables_and_sentences(tmp_path):
    table = ('<table><caption>Sickness by team</caption><thead><tr><th>Group</th><th>Rate</th></tr></thead>'
             '<tbody><tr><td>{name}</td><td>{value}</td></tr></tbody></table>')
    leak = ("<html><body>" + table.format(name="Small team", value="5.0%")
            + "<ul><li>Small team: sickness 5.0% over the year.</li></ul>"
            + '<img alt="Bar chart by team. Team A: 4.1%; Small team: 5.0%." src="x.png"></body></html>')
    found = findings(make_run(tmp_path / "leak", {}, html=leak), "small_group_shown")
    wheres = [f.where for f in found]
    assert any(w.startswith("table 1") for w in wheres)  # the table row
    assert sum(w.startswith("sentence") for w in wheres) == 2  # the list item and the chart's alt text
    safe = ("<html><body>" + table.format(name="Small team", value="[c]")
            + "<ul><li>Team A (with Small team): sickness 4.2% over the year.</li>"
            + "<li>Small team: group of fewer than 11 people, not shown.</li></ul></body></html>")
    assert findings(make_run(tmp_path / "safe", {}, html=safe), "small_group_shown") == []



def test_small_group_shown_reads_the_word_board_paper(tmp_path):
    # The Word paper is an output too: its tables, sentences and alt text are attacked like the HTML report's.
    import docx

    def paper(folder, value, sentence):
        folder = make_run(folder, {})
        document = docx.Document()
        document.add_paragraph("Sickness by team")
        table = document.add_table(rows=2, cols=2)
        for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ["Group", "Rate", "Small team", value]):
            cell.text = text
        document.add_paragraph(sentence, style="List Bullet")
        document.save(folder / "baseline.docx")
        return folder

    found = findings(paper(tmp_path / "leak", "5.0%", "Small team: sickness 5.0% over the year."), "small_group_shown")
    assert {f.file for f in found} == {"baseline.docx"}
    assert any(f.where.startswith("table 1") for f in found) and any(f.where.startswith("sentence") for f in found)
    safe = paper(tmp_path / "safe", "[c]", "Small team: group of fewer than 11 people, not shown.")
    assert findings(safe, "small_group_shown") == []

# --- (b) subtraction --------------------------------------------------------------------------------------------

def survey_table(rows):
    columns = ["wave_id", "instrument", "score", "level", "group", "n_respondents", "mean", "suppressed"]
    return pd.DataFrame([{"wave_id": "W1", "instrument": "OLBI", "score": "exhaustion", **r} for r in rows],
                        columns=columns)


def test_subtraction_recovers_the_blank_team_respondents_and_their_mean(tmp_path):
    # 40 respondents, mean 3.0; Team A 20 at 3.1 and Team B 17 at 2.9 are shown. The 3 with a blank team:
    # 40 - 20 - 17 = 3 people, mean (40 x 3.0 - 20 x 3.1 - 17 x 2.9) / 3 = (120 - 62 - 49.3) / 3 = 2.9.
    leak = survey_table([{"level": "service", "group": "All respondents", "n_respondents": 40, "mean": 3.0},
                         {"level": "team", "group": "Team A", "n_respondents": 20, "mean": 3.1},
                         {"level": "team", "group": "Team B", "n_respondents": 17, "mean": 2.9}])
    found = findings(make_run(tmp_path / "leak", {"survey_scores": leak}, audience="internal_management"), "subtraction")
    assert len(found) == 1 and "leaves 3 people" in found[0].detail and "mean = 2.9" in found[0].detail
    # Protected: Team B is hidden as well, so the total minus Team A is 20 people (B and the blank group).
    # Hiding one more row is not enough on its own: exactly one hidden row is still flagged (next test).
    safe = survey_table([{"level": "service", "group": "All respondents", "n_respondents": 40, "mean": 3.0},
                         {"level": "team", "group": "Team A", "n_respondents": np.nan, "mean": np.nan, "suppressed": True},
                         {"level": "team", "group": "Team B", "n_respondents": np.nan, "mean": np.nan, "suppressed": True}])
    assert findings(make_run(tmp_path / "safe", {"survey_scores": safe}, audience="internal_management"), "subtraction") == []


def test_subtraction_catches_exactly_one_hidden_team(tmp_path):
    # Headcount 50 = A 25 + B 20 + S 5: with S alone hidden, 50 - 25 - 20 = 5 is S's headcount.
    def table(b_hidden):
        rows = [{"indicator": "staff_in_post_headcount", "level": "service", "group": "All staff", "n_people": 50},
                {"indicator": "staff_in_post_headcount", "level": "team", "group": "A", "n_people": 25},
                {"indicator": "staff_in_post_headcount", "level": "team", "group": "B",
                 "n_people": np.nan if b_hidden else 20, "suppressed": b_hidden},
                {"indicator": "staff_in_post_headcount", "level": "team", "group": "S", "n_people": np.nan,
                 "suppressed": True}]
        return pd.DataFrame(rows, columns=["indicator", "level", "group", "n_people", "suppressed"])

    found = findings(make_run(tmp_path / "leak", {"counts": table(False)}, audience="internal_management"), "subtraction")
    details = " ".join(f.detail for f in found)
    assert "leaves 5 people" in details and "exactly one team row hidden (S)" in details and "it is 5" in details
    # Protected (rule 4): the next-smallest team B is hidden too: 50 - 25 = 25 people in two teams.
    assert findings(make_run(tmp_path / "safe", {"counts": table(True)}, audience="internal_management"), "subtraction") == []


def test_subtraction_links_team_rows_to_the_total_in_another_table(tmp_path):
    # Pre/post: the teams table has no service row; the total is the "overall" row of the areas table.
    # 15 attendees; A 8 and B 4 shown: 15 - 8 - 4 = 3 attendees with a blank team.
    areas = pd.DataFrame([{"programme_id": "P", "area": "1", "level": "service", "n_respondents": 15, "mean_pre": 40.0},
                          {"programme_id": "P", "area": "overall", "level": "service", "n_respondents": 15,
                           "mean_pre": 42.0}])
    teams = pd.DataFrame([{"programme_id": "P", "team_code": "Team A", "level": "team", "n_respondents": 8, "mean_pre": 44.0},
                          {"programme_id": "P", "team_code": "Team B", "level": "team", "n_respondents": 4, "mean_pre": 41.0}])
    found = findings(make_run(tmp_path / "leak", {"areas": areas, "teams": teams}, notebook="prepost_training"),
                     "subtraction")
    # (15 x 42 - 8 x 44 - 4 x 41) / 3 = (630 - 352 - 164) / 3 = 38
    assert any("leaves 3 people" in f.detail and "mean_pre = 38" in f.detail for f in found)


# --- (c) related indicators -------------------------------------------------------------------------------------

def test_related_indicators_all_minus_voluntary_leavers(tmp_path):
    # Team A: 12 leavers of 60 (0.2), 9 voluntary (0.15): 12 - 9 = 3 people left involuntarily.
    leak = hr_table([_rate("A", 12 / 60, 60, 12), _rate("A", 9 / 60, 60, 9, indicator="voluntary_leaver_rate_hc_12m")])
    found = findings(make_run(tmp_path / "leak", {"baseline_values": leak}), "related_indicators")
    assert len(found) == 1 and "= 3 people" in found[0].detail
    # Protected: both from rounded counts, 10/60 and 10/60: the difference is 0 and not exact anyway.
    safe = hr_table([_rate("A", 10 / 60, 60, 10), _rate("A", 10 / 60, 60, 10, indicator="voluntary_leaver_rate_hc_12m")])
    assert findings(make_run(tmp_path / "safe", {"baseline_values": safe}), "related_indicators") == []


def test_related_indicators_rebuild_a_hidden_long_term_rate(tmp_path):
    # all = short-term + long-term, so a hidden long-term rate is 0.05 - 0.03 = 0.02 when the other two show.
    def table(short_hidden):
        short = (_hidden("A", indicator="short_term_sickness_rate_12m") if short_hidden
                 else _rate("A", 0.03, 25, 9, indicator="short_term_sickness_rate_12m"))
        return hr_table([_rate("A", 0.05, 25, 10, indicator="sickness_absence_rate_12m"), short,
                         _hidden("A", indicator="long_term_sickness_rate_12m")])

    found = findings(make_run(tmp_path / "leak", {"baseline_values": table(False)}), "related_indicators")
    assert len(found) == 1 and "long_term_sickness_rate_12m is hidden" in found[0].detail
    assert findings(make_run(tmp_path / "safe", {"baseline_values": table(True)}), "related_indicators") == []


# --- (d) rates from exact counts --------------------------------------------------------------------------------

def test_exact_fraction_undoes_rounding():
    # A count rounded to 65 hides a true count in 62.5..67.5. 0.203125 x b is whole only for b = 64 there
    # (13/64 = 0.203125 exactly), so the exact counts are 13 and 64.
    assert exact_fraction(0.203125, 65) == (13, 64.0)
    # 0.2 x b is whole only where b is a multiple of 5: b = 65 alone in 62.5..67.5, so 0.2 beside 65 is 13/65.
    assert exact_fraction(0.2, 65) == (13, 65.0)
    # 0.5 x b is whole for every even b (and 0.5 x 65 = 32.5 is not): 63, 64 ... fit, so nothing is learnt.
    assert exact_fraction(0.5, 65) is None
    # A ratio of FTE days (the shipped service's sickness rate) is no fraction of whole numbers near 175.
    assert exact_fraction(0.0527371272, 175) is None


def test_rate_from_exact_catches_13_of_64_beside_65(tmp_path):
    # Staff-wide the counts are rounded (64 -> 65, 13 -> 15) but the rate was computed from the exact ones.
    leak = hr_table([_rate("All staff", 23 / 175.5, 176, 23, level="service"),
                     _rate("low_intensity", 13 / 64, 65, 15, level="role_family")])
    found = findings(make_run(tmp_path / "leak", {"baseline_values": leak}), "rate_from_exact")
    assert len(found) == 1 and "can only be 13/64" in found[0].detail  # the service row is not controlled
    # Protected: the rate from the rounded counts shown, 15/65.
    safe = hr_table([_rate("All staff", 23 / 175.5, 176, 23, level="service"),
                     _rate("low_intensity", 15 / 65, 65, 15, level="role_family")])
    assert findings(make_run(tmp_path / "safe", {"baseline_values": safe}), "rate_from_exact") == []
    # Internal management may see exact counts: the same table is not attacked.
    assert findings(make_run(tmp_path / "internal", {"baseline_values": leak}, audience="internal_management"),
                    "rate_from_exact") == []


def test_rate_from_exact_without_a_numerator_column(tmp_path):
    # A year comparison shows the rate and n only. 13/75 = 0.17333 fits only b = 75 in 72.5..77.5 and 13 is not
    # a rounded count: the exact 13 is back. 10/75 = 0.13333 is a rounded count over the rounded n: rule-abiding.
    def table(numerator):
        return pd.DataFrame([{"indicator": "leaver_rate_hc_12m", "unit": "proportion", "level": "team", "group": "A",
                              "value_baseline": numerator / 75, "n_baseline": 75, "suppressed": False}])

    found = findings(make_run(tmp_path / "leak", {"year_comparison": table(13)}), "rate_from_exact")
    assert len(found) == 1 and "can only be 13/75" in found[0].detail
    assert findings(make_run(tmp_path / "safe", {"year_comparison": table(10)}), "rate_from_exact") == []


def test_rate_from_exact_checks_shown_numerator_and_denominator(tmp_path):
    # 0.2 beside numerator 10 and denominator 45 is not 10/45 = 0.2222.
    leak = hr_table([_rate("A", 0.2, 45, 10, numerator=10, denominator=45)])
    found = findings(make_run(tmp_path / "leak", {"baseline_values": leak}), "rate_from_exact")
    assert len(found) == 1 and "is not the shown 10 / 45" in found[0].detail
    safe = hr_table([_rate("A", 10 / 45, 45, 10, numerator=10, denominator=45)])
    assert findings(make_run(tmp_path / "safe", {"baseline_values": safe}), "rate_from_exact") == []


# --- (e) month-on-month differences -----------------------------------------------------------------------------

def monthly(values: list, hidden=False) -> pd.DataFrame:
    rows = [{"month": m, "level": "team", "group": "A", "indicator": "staff_in_post_headcount",
             "value": np.nan if hidden else v, "suppressed": hidden} for m, v in zip(["2024-01", "2024-02"], values)]
    rows.append({"month": "2024-01", "level": "service", "group": "All staff", "indicator": "staff_in_post_headcount",
                 "value": 50, "suppressed": False})
    rows.append({"month": "2024-02", "level": "service", "group": "All staff", "indicator": "staff_in_post_headcount",
                 "value": 51, "suppressed": False})  # service level: a change of 1 may be shown
    return pd.DataFrame(rows)


def test_monthly_difference_catches_12_then_13(tmp_path):
    found = findings(make_run(tmp_path / "leak", {"monthly_indicators": monthly([12, 13])}), "monthly_difference")
    assert len(found) == 1 and "a change of 1" in found[0].detail  # 13 - 12
    # Protected: monthly team counts not shown staff-wide (rolling 12-month figures instead).
    assert findings(make_run(tmp_path / "safe", {"monthly_indicators": monthly([12, 13], hidden=True)}),
                    "monthly_difference") == []


# --- further attacks --------------------------------------------------------------------------------------------

def test_unrounded_count_staff_wide(tmp_path):
    leak = hr_table([_rate("A", 3 / 13, 13, 3)])  # 13 people and 3 leavers, neither rounded
    found = findings(make_run(tmp_path / "leak", {"baseline_values": leak}), "unrounded_count")
    assert {f.detail for f in found} == {"n_people = 13 is not rounded to 5 (or 0)",
                                         "n_numerator_people = 3 is not rounded to 5 (or 0)"}
    safe = hr_table([_rate("A", 0 / 15, 15, 0)])
    assert findings(make_run(tmp_path / "safe", {"baseline_values": safe}), "unrounded_count") == []
    # A headcount (mean of 12 month-ends) rounded to 40 beside its exact numerator 39.416667 (= 473 / 12).
    count = {"indicator": "staff_in_post_headcount", "label": "Staff in post", "level": "team", "group": "A",
             "unit": "count", "value": 40, "n_people": 40, "suppressed": False}
    found = findings(make_run(tmp_path / "count", {"baseline_values": hr_table([{**count, "numerator": 473 / 12}])}),
                     "unrounded_count")
    assert len(found) == 1 and "numerator = 39.4167" in found[0].detail
    assert findings(make_run(tmp_path / "count_safe", {"baseline_values": hr_table([count])}), "unrounded_count") == []


def test_health_data_on_few_people(tmp_path):
    # Team A: long-term sickness on 2 people over the whole data (tiny_truth); mental health below service level.
    leak = hr_table([_rate("A", 0.02, 25, 2, indicator="long_term_sickness_rate_12m"),
                     _rate("B", 0.3, 20, 6, indicator="mental_health_share_of_days_lost_12m")])
    found = findings(make_run(tmp_path / "leak", {"baseline_values": leak}), "health_data")
    assert len(found) == 2
    assert "only 2 people" in found[0].detail and "mental-health figure below service level" in found[1].detail
    safe = hr_table([_hidden("A", indicator="long_term_sickness_rate_12m"),
                     _hidden("B", indicator="mental_health_share_of_days_lost_12m"),
                     _rate("All staff", 0.03, 50, 9, level="service", indicator="long_term_sickness_rate_12m")])
    assert findings(make_run(tmp_path / "safe", {"baseline_values": safe}), "health_data") == []


def test_suppressed_row_number(tmp_path):
    def table(keep):
        row = {"indicator": "joiners", "level": "team", "group": "S", "value_baseline": np.nan,
               "value_evaluation": np.nan, "n_baseline": 7 if keep else np.nan, "n_evaluation": 7 if keep else np.nan,
               "judgement": "amber" if keep else np.nan, "suppressed": True}
        return pd.DataFrame([row])

    found = findings(make_run(tmp_path / "leak", {"year_comparison": table(True)}, xlsx=True, notebook="annual_impact"),
                     "suppressed_row_number")
    assert sorted(f.file for f in found) == ["annual_impact.xlsx", "tables/year_comparison.csv"]
    assert all("n_baseline=7" in f.detail and "judgement=amber" in f.detail for f in found)
    assert findings(make_run(tmp_path / "safe", {"year_comparison": table(False)}, xlsx=True, notebook="annual_impact"),
                    "suppressed_row_number") == []


def test_footnote_count(tmp_path):
    table = hr_table([_rate("All staff", 0.1, 50, 5, level="service"), _hidden("S")])
    html = ('<table><tr><th>Group</th><th>Rate</th></tr><tr><td>All staff</td><td>10.0%</td></tr></table>'
            '<p class="ttwell-footnote">[c] = suppressed. 52 row(s) suppressed in this table.</p>')
    found = findings(make_run(tmp_path / "leak", {"baseline_values": table},
                              footnotes={"baseline_values": "3 row(s) suppressed in this table."}, html=html, xlsx=True),
                     "footnote_count")
    # The CSV and the workbook have 1 suppressed row, not 3; the HTML table shows none, not 52.
    assert sorted(f.file for f in found) == ["baseline.html", "baseline.xlsx", "tables/baseline_values.csv"]
    html_ok = html.replace("52 row(s) suppressed in this table", "Nothing was suppressed in this table")
    assert findings(make_run(tmp_path / "safe", {"baseline_values": table},
                             footnotes={"baseline_values": "1 row(s) suppressed in this table."}, html=html_ok,
                             xlsx=True), "footnote_count") == []


def test_identifier_and_free_text(tmp_path):
    leak = pd.DataFrame([{"level": "service", "group": "All staff", "note": "see a1b2c3d4e5f60718"}])
    html = "<p>Comments: My manager never listens to me.</p>"
    run = make_run(tmp_path / "leak", {"notes": leak}, html=html)
    assert [f.file for f in findings(run, "identifier")] == ["tables/notes.csv"]
    assert [f.file for f in findings(run, "free_text")] == ["baseline.html"]
    safe = make_run(tmp_path / "safe", {"notes": leak.assign(note="see the HR system")}, html="<p>No comments shown.</p>")
    assert findings(safe, "identifier") == [] and findings(safe, "free_text") == []


def test_every_attack_has_a_planted_leak_test():
    tested = {name for name in ATTACKS
              if any(name in n for n in globals() if n.startswith("test_"))}
    assert tested == set(ATTACKS), f"attacks without a planted-leak test: {set(ATTACKS) - tested}"


# --- the real check: every notebook, both audiences, two services ----------------------------------------------

# Run in a separate process per service and audience: the notebooks in run_all's order (the annual report reads
# the others' results from the same folder), but one failing notebook does not stop the others, so every
# notebook is checked. Writes status.json: notebook -> "ok" or the error message.
RUNNER = textwrap.dedent("""
    import json, sys
    from ttwell.running import runner
    from ttwell.inputs.params import SERVICE_NOTEBOOKS
    params, out = (sys.argv[1] or None), sys.argv[2]
    status = {}
    for name in SERVICE_NOTEBOOKS:
        try:
            runner.run_notebook(name, params, out, progress=lambda _: None)
            status[name] = "ok"
        except Exception as exc:
            status[name] = f"{type(exc).__name__}: {exc}"
    open(out + "/status.json", "w", encoding="utf-8").write(json.dumps(status, indent=1))
""")


def shipped_staff_wide_params(folder: Path) -> Path:
    """A params file for the shipped synthetic service with audience staff_wide (every input named)."""
    synthetic = REPO_ROOT / "data" / "synthetic"
    files = {"staff_snapshot_file": "staff_monthly_snapshot.csv", "absence_file": "absence_episodes.csv",
             "leavers_file": "leavers.csv", "establishment_file": "establishment_monthly.csv",
             "reasons_file": "leaver_stayer_reasons.csv", "teams_file": "teams.csv",
             "survey_waves_file": "survey_waves.csv", "survey_responses_file": "survey_responses_long.csv",
             "nss_scores_file": "nss_scores.csv", "measures_file": "pdsa_measures.csv",
             "pdsa_log_file": "pdsa_log.csv", "training_file": "training_confidence.csv",
             "areas_file": "training_areas.csv"}
    params = {k: str(synthetic / v) for k, v in files.items()}
    params.update({"audience": "staff_wide", "disclosure_threshold": THRESHOLD})
    path = folder / "shipped_staff_wide.yaml"
    path.write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def second(tmp_path_factory) -> Truth:
    return write_second_service(tmp_path_factory.mktemp("second_service"))


@pytest.fixture(scope="session")
def runs(tmp_path_factory, second) -> dict:
    """(service, audience) -> {"folder": output folder, "status": notebook -> "ok" or error, "truth": Truth}."""
    root = tmp_path_factory.mktemp("attack_runs")
    params = {("shipped", "internal_management"): "",  # no params file: the synthetic demonstration
              ("shipped", "staff_wide"): str(shipped_staff_wide_params(root)),
              **{("second", a): str(second.params[a]["all"]) for a in AUDIENCES}}
    processes = {}
    for (service, audience), params_file in params.items():
        out = root / f"{service}_{audience}"
        out.mkdir()
        log = (root / f"{service}_{audience}.log").open("w", encoding="utf-8")
        processes[(service, audience)] = (out, log, subprocess.Popen(
            [sys.executable, "-c", RUNNER, params_file, str(out)], cwd=REPO_ROOT,
            stdout=log, stderr=subprocess.STDOUT))
    truths = {"shipped": shipped_truth(), "second": second}
    done = {}
    for key, (out, log, process) in processes.items():
        process.wait(timeout=900)
        log.close()
        status_file = out / "status.json"
        errors = Path(log.name).read_text(encoding="utf-8")[-2000:]
        status = (json.loads(status_file.read_text(encoding="utf-8")) if status_file.exists()
                  else {name: f"runner process failed: {errors}" for name in NOTEBOOK_NAMES})
        done[key] = {"folder": out, "status": status, "truth": truths[key[0]]}
    return done


COMBINATIONS = [(s, a, n) for s in SERVICES for a in AUDIENCES for n in NOTEBOOK_NAMES]


@functools.lru_cache(maxsize=None)
def _read(folder: str):
    """Each run folder is read once, however many attacks look at it."""
    return load_run(folder)


@pytest.mark.parametrize("service,audience,notebook", [
    pytest.param(s, a, n, marks=_known(s, a, n, "ran"), id=f"{s}-{a}-{n}") for s, a, n in COMBINATIONS])
def test_every_notebook_runs(runs, service, audience, notebook):
    status = runs[(service, audience)]["status"][notebook]
    assert status == "ok", status


@pytest.mark.parametrize("service,audience,notebook,attack", [
    pytest.param(s, a, n, k, marks=_known(s, a, n, k), id=f"{s}-{a}-{n}-{k}")
    for s, a, n in COMBINATIONS for k in ATTACKS])
def test_no_attack_learns_anything(runs, service, audience, notebook, attack):
    run = runs[(service, audience)]
    if run["status"][notebook] != "ok":
        pytest.fail(f"{notebook} did not run, so its outputs cannot be checked: {run['status'][notebook][:300]}")
    found = attack_run(_read(str(run["folder"] / notebook)), run["truth"], names=[attack])
    assert not found, f"{len(found)} finding(s):\n" + "\n".join(str(f) for f in found[:15])


@pytest.mark.parametrize("service,audience,notebook", [
    pytest.param(s, a, n, id=f"{s}-{a}-{n}") for s, a, n in COMBINATIONS])
def test_attacks_read_every_workbook_table(runs, service, audience, notebook):
    # The workbook shows headings and codes in words; the attacks must still find and decode every table of it,
    # or they would learn nothing from its cells for the wrong reason.
    run = runs[(service, audience)]
    if run["status"][notebook] != "ok":
        pytest.fail(f"{notebook} did not run: {run['status'][notebook][:300]}")
    read = _read(str(run["folder"] / notebook))
    assert [t for t in read.tables if t.kind == "xlsx"], "no workbook table was read"
    assert xlsx_read_back(read) == []


def test_the_workbook_read_back_check_notices_undecoded_headings(tmp_path):
    folder = make_run(tmp_path / "run", {"baseline_values": hr_table([_rate("All staff", 0.1, 50, 5, level="service")])},
                      xlsx=True)
    book = openpyxl.load_workbook(folder / "baseline.xlsx")
    book["Baseline values"]["J3"] = "Heads counted"  # People (n_people) under a heading no label gives
    book.save(folder / "baseline.xlsx")
    problems = xlsx_read_back(load_run(folder))
    assert any("headings not read back to column names: ['Heads counted']" in p for p in problems), problems
    assert any("table baseline_values: no workbook sheet" in p for p in problems), problems


# --- the second service is what it claims to be ----------------------------------------------------------------

def test_second_service_has_the_awkward_shape(second):
    # The sizes below come from the design in tests/second_service.py, counted again from the files written.
    assert second.staff_per_team[SMALL_TEAM] == 5  # POSTS["WB9"]: 3 employment advisors + 2 peer support, no turnover
    assert set(second.team_names) == {"RV1", "RV2", "HL1", "WB9"}
    assert {wave: counts[""] for wave, counts in second.respondents.items()} == {"B24": 3, "F25": 3}  # blank team
    assert second.trainees[""] == 3 and sum(v for k, v in second.trainees.items() if k in second.team_names or k == "") == 15
    assert second.long_term_people["service"] == 4 < 8  # LONG_TERM: four people in three years
    assert second.mental_health_people["service"] == 3  # one long-term + two short mental-health episodes
    snapshot = pd.read_csv(second.files["staff_snapshot_file"], dtype=str)
    hillside = snapshot[snapshot["team_code"] == "HL1"].groupby("snapshot_date").size()
    # HL1 holds 11 posts; its pwp leaves on 31/07/2023 and the post is empty in August and September.
    assert hillside[hillside < THRESHOLD].to_dict() == {"31/08/2023": 10, "30/09/2023": 10}
    assert set(hillside[hillside >= THRESHOLD]) == {11}


def test_second_service_is_deterministic(tmp_path, second):
    again = write_second_service(tmp_path)
    for name, path in second.files.items():
        assert Path(path).read_bytes() == Path(again.files[name]).read_bytes(), name


def test_second_service_params_leave_optional_files_out(second):
    for audience in AUDIENCES:
        baseline = load_params(second.params[audience]["baseline"], "baseline")
        assert baseline["audience"] == audience
        assert baseline["establishment_file"] is None and baseline["reasons_file"] is None
        assert baseline["nss_scores_file"] is None


def test_no_shipped_synthetic_figure_in_the_second_service(runs):
    # The shipped service's team codes and names, and its optional-only tables, must not appear.
    shipped = shipped_truth()
    words = ([rf"\b{code}\b" for code in shipped.team_names] + list(shipped.team_names.values())
             + ["Synthetic Talking Therapies Service"])
    for audience in AUDIENCES:
        for notebook in NOTEBOOK_NAMES:
            folder = runs[("second", audience)]["folder"] / notebook
            if not folder.exists():
                continue
            run = load_run(folder)
            for file, text in run.texts.items():
                if file.endswith(".ipynb"):
                    continue  # its parameters cell keeps the notebook's defaults; papermill's cell overrides them
                hits = [w for w in words if re.search(w, text)]
                assert not hits, f"{audience}/{notebook}/{file} mentions the shipped service: {hits[:3]}"
            names = {p.stem for p in (folder / "tables").glob("*.csv")}
            assert not names & {"nss_published_scores", "exit_stay_reasons"}, names


def test_a_params_file_without_optional_inputs_means_absent(tmp_path, second):
    # architecture.md: "a params file that leaves an input out means that input is absent" (fixed in issue 10).
    params = yaml.safe_load(Path(second.params["internal_management"]["baseline"]).read_text(encoding="utf-8"))
    for key in ("establishment_file", "reasons_file", "nss_scores_file"):
        params.pop(key)
    path = tmp_path / "no_optional.yaml"
    path.write_text(yaml.safe_dump(params), encoding="utf-8")
    loaded = load_params(path, "baseline")
    assert loaded["establishment_file"] is None and loaded["reasons_file"] is None and loaded["nss_scores_file"] is None


# --- the same runs, read as their readers read them (issue 12) ---------------------------------------------------

class _VisibleText(HTMLParser):
    """The text a reader sees in an HTML report: element text and image alt text, not scripts or styles."""

    def __init__(self):
        super().__init__()
        self.hidden, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        self.parts += [value for name, value in attrs if name == "alt" and value]

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


# A snake_case identifier, unless it is a file name the user gave (staff_monthly_snapshot.csv).
CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?!\.(?:csv|xlsx|xls|yaml|yml))")


@pytest.mark.parametrize("service,audience,notebook", [
    pytest.param(s, a, n, id=f"{s}-{a}-{n}") for s, a, n in COMBINATIONS])
def test_reports_show_words_not_codes(runs, service, audience, notebook):
    run = runs[(service, audience)]
    if run["status"][notebook] != "ok":
        pytest.fail(f"{notebook} did not run: {run['status'][notebook][:300]}")
    parser = _VisibleText()
    parser.feed((run["folder"] / notebook / f"{notebook}.html").read_text(encoding="utf-8"))
    codes = sorted(set(CODE.findall(" ".join(parser.parts))))
    assert not codes, f"identifiers shown to a reader: {codes[:20]}"


# A path the user gave (a results folder, a file in a folder) is their text, not a code of ttwell's.
PATH = re.compile(r"\S*[/\\]\S*")


def workbook_codes(path: Path) -> list[str]:
    """Every snake_case identifier a reader can see in a workbook: sheet names and every cell's text."""
    book = openpyxl.load_workbook(path)
    found = set()
    for ws in book.worksheets:
        texts = [ws.title] + [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        for text in texts:
            found.update(f"{ws.title}: {code}" for code in CODE.findall(PATH.sub(" ", text)))
    return sorted(found)


@pytest.mark.parametrize("service,audience,notebook", [
    pytest.param(s, a, n, id=f"{s}-{a}-{n}") for s, a, n in COMBINATIONS])
def test_workbooks_show_words_not_codes(runs, service, audience, notebook):
    run = runs[(service, audience)]
    if run["status"][notebook] != "ok":
        pytest.fail(f"{notebook} did not run: {run['status'][notebook][:300]}")
    codes = workbook_codes(run["folder"] / notebook / f"{notebook}.xlsx")
    assert not codes, f"{len(codes)} identifiers shown to a reader, e.g. {codes[:20]}"


def test_the_workbook_code_scan_catches_a_planted_identifier(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "survey_scores"
    book.active.append(["wave_id", "Mean"])
    book.active.append(["Whole service", "see /data/my_service/teams_list.csv"])
    book.save(tmp_path / "codes.xlsx")
    assert workbook_codes(tmp_path / "codes.xlsx") == ["survey_scores: survey_scores", "survey_scores: wave_id"]


def test_the_code_scan_catches_a_planted_identifier():
    parser = _VisibleText()
    parser.feed('<p>Sickness by role_family</p><img alt="joy_often_always_pct chart"><p>file teams_list.csv</p>'
                "<style>.a_b {}</style>")
    assert sorted(set(CODE.findall(" ".join(parser.parts)))) == ["joy_often_always_pct", "role_family"]


needs_axe = pytest.mark.skipif(accessibility.browser() is None or accessibility.axe_script() is None,
                               reason="needs Chromium and axe-core (python dev.py test installs axe-core with npm)")


@needs_axe
def test_axe_catches_a_planted_violation():
    found = accessibility.violations('<html lang="en"><head><title>t</title></head><body><main>'
                                     '<img src="data:image/png;base64,iVBORw0KGgo="></main></body></html>')
    assert "image-alt" in {v["id"] for v in found}


@needs_axe
@pytest.mark.parametrize("service,audience,notebook", [
    pytest.param("shipped", "internal_management", n, id=f"shipped-{n}") for n in NOTEBOOK_NAMES]
    + [pytest.param("second", "staff_wide", "baseline", id="second-staff_wide-baseline")])
def test_reports_have_no_accessibility_violations(runs, service, audience, notebook):
    run = runs[(service, audience)]
    if run["status"][notebook] != "ok":
        pytest.fail(f"{notebook} did not run: {run['status'][notebook][:300]}")
    found = accessibility.violations((run["folder"] / notebook / f"{notebook}.html").read_text(encoding="utf-8"))
    assert found == [], found
