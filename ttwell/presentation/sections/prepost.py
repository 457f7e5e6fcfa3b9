"""Pre/post training section: matching, areas and teams, computed on complete data and disclosed."""

from __future__ import annotations

from dataclasses import dataclass
import pandas as pd

from ttwell import disclosure
from ttwell.presentation.sections.survey import named_group


@dataclass
class PrePostSection:
    """What the pre/post training notebook shows, already through disclosure control."""

    matching: pd.DataFrame
    areas: disclosure.Disclosed
    teams: disclosure.Disclosed
    spread: disclosure.Disclosed
    change_models: pd.DataFrame
    reliable: disclosure.Disclosed
    unmatched: pd.DataFrame
    team_merge_note: str = ""


def prepost_training(responses: pd.DataFrame, areas: pd.DataFrame | None, *, policy: disclosure.Policy,
                     confidence_threshold: float = 50, reliability: float | str | None = "alpha",
                     team_parents: dict | None = None, team_names: dict | None = None) -> PrePostSection:
    """The pre/post analysis of one programme (``ttwell.calculations.prepost``), with teams merged upward and disclosed.

    Teams with fewer respondents than the threshold are merged into their parent team (or the smallest team
    large enough) *before* the team statistics are computed, so neither a team row nor the between-team spread
    (whose minimum and maximum are team means) can show a small team's figures. Attendees with no team
    recorded are a group of their own, so the team rows add up to the whole programme.
    """
    from ttwell.calculations import prepost

    threshold = policy.threshold
    pairs, matching = prepost.match_pairs(responses)
    table = prepost.area_table(pairs, areas=areas, threshold=confidence_threshold, matching=matching)
    areas_shown = policy.table(table.assign(level="service"),
                               value_columns=["mean_pre", "mean_post", "mean_change", "ci_low", "ci_high",
                                              "share_above_pre", "share_above_post"],
                               size_column="n_matched", partition=[], rates=False, hr=False)
    pairs = pairs.assign(team_code=disclosure.with_no_team(pairs["team_code"]))
    people = prepost.person_scores(pairs)
    sizes = people.groupby("team_code").size()
    merged = disclosure.merge_small_groups(sizes, threshold, parents=team_parents)
    names = team_names or {}
    note = ""
    if any(label != group for group, label in merged.items()):
        note = (f"Teams with fewer than {threshold} respondents were merged before any team figure was computed: "
                + "; ".join(sorted({named_group(label, names) for group, label in merged.items() if label != group})) + ".")
    reporting = pairs.assign(team_code=pairs["team_code"].map(lambda t: named_group(merged.get(t, t), names)))
    view = prepost.team_view(reporting, threshold=confidence_threshold)
    teams_shown = policy.table(view.teams.assign(level="team"),
                               value_columns=["mean_pre", "mean_post", "mean_change", "share_above_pre",
                                              "share_above_post"],
                               count_columns=["n_above_pre", "n_above_post"], size_column="n_respondents",
                               partition=[], rates=False, hr=False)
    spread_columns = [c for c in view.spread.columns if c.startswith(("team_mean_", "share_above_"))]
    spread_shown = policy.table(view.spread.assign(level="service"),
                                value_columns=[*spread_columns, "icc", "tau2", "sigma2"],
                                size_column="n_respondents", partition=[], rates=False, hr=False)
    if reliability is None:
        reliable_shown = disclosure.Disclosed(pd.DataFrame(), "", 0)
    else:
        _, reliable = prepost.reliable_change(pairs, reliability=reliability)
        reliable_shown = policy.table(reliable.assign(level="service"),
                                      value_columns=["share", "share_low", "share_high"], count_columns=["n"],
                                      size_column="n_people", partition=[], rates=False, hr=False)
    unmatched = prepost.unmatched_comparison(responses)
    return PrePostSection(matching=matching, areas=areas_shown, teams=teams_shown, spread=spread_shown,
                          change_models=view.change_models, reliable=reliable_shown, unmatched=unmatched,
                          team_merge_note=note)
