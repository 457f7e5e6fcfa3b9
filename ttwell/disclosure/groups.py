"""Groups before disclosure: blank teams as a group of their own, and small groups merged upward.

Survey and training breakdowns are regrouped here first (domain spec 4.2 rule 1); :class:`Policy.table`
then suppresses any group still below the threshold.
"""

from __future__ import annotations

import pandas as pd

from ttwell.inputs.params import DEFAULT_THRESHOLD

NO_TEAM = "No team recorded"


def with_no_team(groups: pd.Series, label: str = NO_TEAM) -> pd.Series:
    """Blank team codes as their own group, so every breakdown adds up to the service total.

    Respondents or trainees with no team are counted in the service figure. Dropping them from the team rows
    would let anyone work their figure out as the service minus the teams (rule 4); as a group of their own
    they are merged or suppressed like any other small group.
    """
    blank = groups.isna() | (groups.astype(str).str.strip() == "")
    return groups.where(~blank, label)


def merge_small_groups(sizes: pd.Series, threshold: int = DEFAULT_THRESHOLD, *, parents: dict | None = None,
                       pooled_label: str = "Other groups (merged)") -> dict:
    """Map each group to the group it is reported in, merging groups below the threshold upward.

    The survey rule (domain spec 4.2 rule 1): rather than hide a small team, merge it into its parent team
    (``parents``, from teams.csv ``parent_team_code``) or, without a parent, pool the small groups together.
    A lone small group without a parent joins the smallest group that is large enough. A merged group that
    is still too small is left for :meth:`Policy.table` to suppress.

    Parameters
    ----------
    sizes : Series
        Respondents per group (index = group).
    parents : dict, optional
        Group -> parent group.

    Returns
    -------
    dict
        Group -> reporting label, for example ``{"T06": "T01 (with T06)", "T01": "T01 (with T06)"}`` or,
        for a lone small group without a parent, ``{"B": "C + B", "C": "C + B"}``.

    Examples
    --------
    >>> merge_small_groups(pd.Series({"A": 20, "B": 4, "C": 30}), 11, parents={"B": "A"})["B"]
    'A (with B)'
    """
    mapping = {group: group for group in sizes.index}
    small = [g for g in sizes.index if sizes[g] < threshold]
    parents = parents or {}
    absorbed: dict[str, list[str]] = {}
    pooled = []
    for group in small:
        parent = parents.get(group)
        if parent in mapping and parent not in small:
            absorbed.setdefault(parent, []).append(group)
        else:
            pooled.append(group)
    for parent, children in absorbed.items():
        label = f"{parent} (with {', '.join(sorted(children))})"
        for group in [parent, *children]:
            mapping[group] = label
    if len(pooled) > 1:
        for group in pooled:
            mapping[group] = pooled_label
    elif pooled:
        # A lone small group with no parent joins the smallest group that is large enough, rather than
        # forcing a second group to be hidden by complementary suppression.
        alone = pooled[0]
        others = sizes[[g for g in sizes.index if g != alone and mapping[g] == g]]
        if len(others):
            partner = others.idxmin()
            label = f"{partner} + {alone}"
            mapping[alone] = mapping[partner] = label
    return mapping
