"""The teams (big teams in blocks of five, then one small team) with their funded headcount by role, and
the ``teams`` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ttwell.inputs.templates import ROLE_GROUPS
from ttwell.synth.workforce.assumptions import (LOCALITIES, NEVER, SMALL_TEAM_NAME, SMALL_TEAM_ROLES, TEAM_BLOCK,
                                                TEAM_TYPES)
from ttwell.synth.workforce.columns import _dates
from ttwell.synth.workforce.draws import _largest_remainder, _lookup
from ttwell.synth.workforce.months import _first_of_month

if TYPE_CHECKING:  # spells.py imports this module: a type name only, to avoid a cycle
    from ttwell.synth.workforce.spells import Spells


@dataclass(frozen=True)
class TeamDesign:
    """Team codes, names and each team's funded headcount by role (rows: teams, columns: ROLE_GROUPS)."""

    codes: list[str]
    names: list[str]
    parents: list[str]
    is_small: np.ndarray
    target: np.ndarray


def design_teams(n_staff: int, n_teams: int) -> TeamDesign:
    """Lay out ``n_teams`` teams: ``n_teams - 1`` big teams in blocks of five and one small team last."""
    n_big = n_teams - 1
    width = max(2, len(str(n_teams)))
    codes = [f"T{i + 1:0{width}d}" for i in range(n_teams)]
    kinds, names = [], []
    for i in range(n_big):
        block = i // len(TEAM_BLOCK)
        kind, locality_offset = TEAM_BLOCK[i % len(TEAM_BLOCK)]
        locality_number = block * 3 + locality_offset
        locality = LOCALITIES[locality_number % len(LOCALITIES)]
        if locality_number >= len(LOCALITIES):  # large benchmark services run out of names
            locality = f"{locality} {locality_number // len(LOCALITIES) + 1}"
        kinds.append(kind)
        names.append(f"{locality} {TEAM_TYPES[kind][0]}")
    names.append(SMALL_TEAM_NAME)

    small_size = sum(SMALL_TEAM_ROLES.values())
    team_sizes = _largest_remainder(n_staff - small_size, np.array([TEAM_TYPES[k][1] for k in kinds]))
    target = np.zeros((n_teams, len(ROLE_GROUPS)), dtype=np.int64)
    for t, (kind, size) in enumerate(zip(kinds, team_sizes)):
        mix = TEAM_TYPES[kind][2]
        target[t, _lookup(ROLE_GROUPS, mix)] = _largest_remainder(int(size), np.array(list(mix.values())))
    target[n_big, _lookup(ROLE_GROUPS, SMALL_TEAM_ROLES)] = list(SMALL_TEAM_ROLES.values())
    # The small team is merged into the first team when it is too small to report.
    parents = [""] * n_big + [codes[0]]
    is_small = np.zeros(n_teams, dtype=bool)
    is_small[n_big] = True
    return TeamDesign(codes, names, parents, is_small, target)


def teams_frame(sp: Spells, teams: TeamDesign) -> pd.DataFrame:
    """Teams; each active from the 1 April before its longest-serving member started."""
    earliest = np.full(len(teams.codes), NEVER)
    np.minimum.at(earliest, sp.team, sp.start)
    april = _first_of_month(earliest, 0)
    month_number = (april.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12) + 1
    # Back to the April that began the financial year the team's first member joined in.
    active_from = _first_of_month(april, -((month_number - 4) % 12))
    return pd.DataFrame({
        "team_code": np.array(teams.codes, dtype=object),
        "team_name": np.array(teams.names, dtype=object),
        "active_from": _dates(active_from),
        "active_to": _dates(np.full(len(teams.codes), NEVER)),
        "parent_team_code": np.array([p or None for p in teams.parents], dtype=object),
    })
