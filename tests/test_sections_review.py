"""The "This month" section (issue 14): each sentence branch, disclosure of a hidden month, and two consecutive
monthly runs where the second names what changed since the first."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ttwell.calculations import review
from ttwell.presentation.sections import review as section

sys.path.insert(0, str(Path(__file__).parent))
from test_review import BASELINE, MONTHS, QUIET, monthly  # noqa: E402


def shown_of(data: pd.DataFrame, hide: tuple | None = None) -> pd.DataFrame:
    out = data.assign(suppressed=False)
    if hide:
        at = (out["indicator"] == hide[0]) & (out["date"] == pd.Timestamp(hide[1]))
        out.loc[at, "suppressed"] = True
        out.loc[at, "value"] = np.nan
    return out


def run(values, month="12/2024", hide=None, targets=None):
    data = monthly(values)
    result = review.review_month(data, month=month, baseline_start=BASELINE[0], baseline_end=BASELINE[1],
                                 targets=targets)
    shown = shown_of(data, hide)
    return section.disclosed(result, shown), shown


def test_nothing_new_says_so_and_what_it_compared_with():
    result, shown = run(QUIET)
    text = section.review_headline(result, shown)
    assert text.startswith("**December 2024: nothing new on the watch list.**")
    assert "Compared with November 2024 as it looks in this month's data" in text and "ended" not in text


def test_an_ended_signal_is_counted():
    values = QUIET.copy()
    values[19] = 0.075
    result, shown = run(values)
    assert "1 signal of the month before ended" in section.review_headline(result, shown)


def test_a_watched_indicator_is_named_with_its_value_and_limit():
    values = QUIET.copy()
    values[20] = 0.075
    result, shown = run(values)
    text = section.review_headline(result, shown)
    assert text.startswith("**December 2024: 1 indicator on the watch list.** Sickness absence rate (month) was "
                           "7.5%, above the upper limit of ")
    assert "(a concern)" in text
    table = section.this_month(result, shown)
    assert table.loc[0, "This month"] == "7.5%" and table.loc[0, "On the watch list"] == "Yes"
    assert "Assurance" not in table.columns  # no targets: no assurance icons


def test_a_hidden_month_keeps_no_value_icon_or_change():
    values = QUIET.copy()
    values[20] = 0.075
    result, shown = run(values, hide=("sickness_absence_rate_month", MONTHS[20]))
    row = result.table.iloc[0]
    assert bool(row["suppressed"]) and pd.isna(row["value"]) and row["changes"] == "" and not bool(row["watch"])
    text = section.review_headline(result, shown)
    assert "nothing new" in text and "7.5" not in text
    table = section.this_month(result, shown)
    assert table.loc[0, "This month"] == "[c]" and "Special" not in table.loc[0, "Variation"]


def test_with_targets_the_assurance_column_is_shown():
    result, shown = run(QUIET, targets={"sickness_absence_rate_month": 0.04})
    assert section.this_month(result, shown).loc[0, "Assurance"].endswith("Consistently misses the target")


@pytest.mark.parametrize("value, beside, unit, expected", [(0.04114, 0.04143, "proportion", "4.11%"),
                                                           (0.0412, None, "proportion", "4.1%"),
                                                           (179.0, None, "count", "179"),
                                                           (12.5, None, "count", "12.5")])
def test_values_get_enough_decimals_to_differ_from_their_limit(value, beside, unit, expected):
    assert section.value_text(value, unit, beside=beside) == expected


def test_two_consecutive_months_the_second_says_what_is_new(tmp_path):
    from ttwell.running.cli import main

    cli = CliRunner()
    first = cli.invoke(main, ["run", "baseline", "--review-month", "02/2025", "--no-html", "--no-word", "--no-excel",
                              "--out", str(tmp_path / "feb")])
    assert first.exit_code == 0, first.output
    second = cli.invoke(main, ["review", "03/2025", "--previous", str(tmp_path / "feb" / "baseline"),
                               "--out", str(tmp_path / "mar")])
    assert second.exit_code == 0, second.output
    folder = tmp_path / "mar" / "baseline"
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert results["figures"]["review_month"]["value"] == "03/2025"
    state = pd.read_csv(folder / "tables" / "review_state.csv").set_index("indicator")
    # February completed runs of 7 (not new in March); March's points are beyond the lower limits.
    assert state.loc["vacancy_rate_fte", "changes"] == "new_special_cause"
    assert state.loc["sickness_absence_rate_month", "changes"] == "new_special_cause"
    assert pd.isna(state.loc["staff_in_post_headcount", "changes"])
    html = (folder / "baseline.html").read_text(encoding="utf-8")
    assert "This month: March 2025" in html and "Compared with the previous report (February 2025)" in html
    assert html.index("This month: March 2025") < html.index("Summary")
    refused = cli.invoke(main, ["run", "all", "--review-month", "03/2025", "--out", str(tmp_path / "x")])
    assert refused.exit_code == 2 and "baseline" in refused.output
