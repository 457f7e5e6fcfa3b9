"""Reporting levels (service, team, role family): stacking person-level frames once per level.

Every workforce table is reported for the whole service, each team and each role family. These helpers give a
person-level frame a ``level`` and ``group`` column (one categorical type for all levels) and build the
(level, group, month) grid the indicators are reindexed on.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ttwell.inputs.templates import ROLE_FAMILIES

LEVELS = ("service", "team", "role_family")
SERVICE_GROUP = "All staff"


def group_categories(teams) -> pd.CategoricalDtype:
    """One categorical type for the ``group`` column of every level: fast grouping on big extracts."""
    return pd.CategoricalDtype([SERVICE_GROUP, *sorted(set(teams)), *ROLE_FAMILIES])


def with_levels(frame: pd.DataFrame, group_dtype: pd.CategoricalDtype | None = None) -> pd.DataFrame:
    """Stack a person-level frame once per reporting level, with a ``level`` and ``group`` column."""
    group_dtype = group_dtype or group_categories(frame["team_code"].dropna().unique())
    parts = []
    for level in LEVELS:
        group = SERVICE_GROUP if level == "service" else frame["team_code" if level == "team" else "role_family"]
        parts.append(frame.assign(level=pd.Categorical([level] * len(frame), categories=LEVELS),
                                  group=pd.Series(group, index=frame.index).astype(group_dtype)))
    return pd.concat(parts, ignore_index=True)


def all_teams(data) -> set:
    teams = set(data.staff_snapshot["team_code"]) | set(data.leavers["team_code"].dropna())
    if data.establishment is not None:
        teams |= set(data.establishment["team_code"])
    return teams


def encode_people(data):
    """Replace staff ids by integer codes shared across files: ids are only ever counted, and integers
    group many times faster than strings on a large extract."""
    codes = pd.Index(pd.unique(pd.concat([data.staff_snapshot["staff_pid"], data.leavers["staff_pid"],
                                          data.absence["staff_pid"]], ignore_index=True)))
    return replace(data, staff_snapshot=data.staff_snapshot.assign(staff_pid=codes.get_indexer(data.staff_snapshot["staff_pid"])),
                   leavers=data.leavers.assign(staff_pid=codes.get_indexer(data.leavers["staff_pid"])),
                   absence=data.absence.assign(staff_pid=codes.get_indexer(data.absence["staff_pid"])))


def month_grid(months: pd.PeriodIndex, groups: pd.DataFrame) -> pd.MultiIndex:
    keys = groups[["level", "group"]].drop_duplicates()
    grid = keys.merge(pd.DataFrame({"month": months}), how="cross")
    return pd.MultiIndex.from_frame(grid[["level", "group", "month"]])
