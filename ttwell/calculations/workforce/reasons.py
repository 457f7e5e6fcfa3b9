"""Why staff leave or stay: ESR leaving reasons, exit/stay survey reasons, and the HR-only Bradford factor.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations.workforce.options import Options
from ttwell.calculations.workforce.building_blocks import leavers_counted


def leaving_reasons(leavers: pd.DataFrame, start, end, options: Options = Options(),
                    snapshot: pd.DataFrame | None = None) -> pd.DataFrame:
    """Leavers in a period by ESR reason group, voluntary or not, with the share of all leavers (service level).

    Returns columns ``reason_group, leavers, share, voluntary_leavers``; the ``other_unknown`` share is always
    shown because ESR reasons are often unknown (spec 1.8). Give ``snapshot`` to leave out bank and other
    staff who were never in post.
    """
    counted = leavers_counted(leavers, options, snapshot)
    in_period = counted[(counted["leaving_date"] >= pd.Timestamp(start)) & (counted["leaving_date"] <= pd.Timestamp(end))]
    groups = ["resignation", "retirement", "end_of_contract", "dismissal", "redundancy", "transfer", "death",
              "other_unknown"]
    by_group = in_period.groupby("reason_group").agg(leavers=("staff_pid", "size"),
                                                     voluntary_leavers=("voluntary", "sum"))
    by_group = by_group.reindex(groups, fill_value=0).reset_index()
    total = int(by_group["leavers"].sum())
    by_group["share"] = by_group["leavers"] / total if total else np.nan
    by_group = pd.concat([by_group, pd.DataFrame([{"reason_group": "all_leavers", "leavers": total,
                                                   "voluntary_leavers": int(by_group["voluntary_leavers"].sum()),
                                                   "share": 1.0 if total else np.nan}])], ignore_index=True)
    by_group["total_leavers"] = total
    return by_group[["reason_group", "leavers", "share", "voluntary_leavers", "total_leavers"]]


def bradford_factor(absence: pd.DataFrame, as_of, window_days: int = 365) -> pd.DataFrame:
    """Bradford factor S² × D per person over a trailing window (spec 1.4). HR-INTERNAL ONLY.

    Warning: an individual-level absence-management trigger, not a wellbeing indicator. It must never appear
    on the dashboard or in any group report; no ttwell notebook displays it.
    """
    as_of = pd.Timestamp(as_of)
    since = as_of - pd.Timedelta(days=window_days - 1)
    ends = absence["absence_end_date"].fillna(as_of).clip(upper=as_of)
    starts = absence["absence_start_date"].clip(lower=since)
    inside = (ends >= since) & (absence["absence_start_date"] <= as_of)
    days = ((ends - starts).dt.days + 1)[inside]
    frame = pd.DataFrame({"staff_pid": absence.loc[inside, "staff_pid"], "days": days})
    out = frame.groupby("staff_pid").agg(spells=("days", "size"), days=("days", "sum"))
    out["bradford_factor"] = out["spells"] ** 2 * out["days"]
    return out.reset_index()


def exit_stay_reasons(reasons: pd.DataFrame, start, end) -> pd.DataFrame:
    """Share of exit/stay respondents citing each reason in a period (survey-derived: service level only).

    Returns columns ``direction, reason_code, n_citing, share_of_respondents, n_respondents`` where
    ``n_respondents`` is the number of responses for that direction (what disclosure control checks).
    Free text is never read.
    """
    in_period = reasons[(reasons["response_date"] >= pd.Timestamp(start)) & (reasons["response_date"] <= pd.Timestamp(end))]
    respondents = in_period.groupby("direction")["response_id"].nunique().rename("n_respondents")
    citing = in_period.groupby(["direction", "reason_code"])["response_id"].nunique().rename("n_citing").reset_index()
    out = citing.merge(respondents.reset_index(), on="direction")
    out["share_of_respondents"] = out["n_citing"] / out["n_respondents"]
    out = out.sort_values(["direction", "n_citing", "reason_code"], ascending=[True, False, True])
    return out[["direction", "reason_code", "n_citing", "share_of_respondents", "n_respondents"]].reset_index(drop=True)
