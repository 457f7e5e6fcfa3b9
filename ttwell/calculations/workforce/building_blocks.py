"""Building blocks of the workforce indicators: person-months, counted leavers and sickness days lost.

Everything is built from *person-months*: one row per person per calendar month in post, with the calendar
days in post and the FTE days available. Leaver events and absence episodes are then cut to those months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations.workforce.options import FULL_TIME_HOURS_PER_WEEK, LONG_TERM_DAYS, Options
from ttwell.inputs.templates import (IN_POST_CONTRACT_TYPES, LEAVE_OF_ABSENCE_STATUSES, LEAVING_REASONS,
                                    ROLE_FAMILY_OF, TRAINING_COMPLETION_REASONS)


def staff_in_post(snapshot: pd.DataFrame) -> pd.DataFrame:
    """Snapshot rows of substantive, in-scope staff (bank, agency and honorary excluded; spec 1.1)."""
    in_scope = ~snapshot["in_scope"].isin([False])  # blank means in scope
    keep = snapshot["contract_type"].isin(IN_POST_CONTRACT_TYPES) & in_scope
    return snapshot.loc[keep]


def person_months(snapshot: pd.DataFrame, leavers: pd.DataFrame, options: Options = Options()) -> pd.DataFrame:
    """One row per person per month in post, with days in post and FTE days available.

    Month-end snapshot rows give full months (from the later of the month start and the service start date).
    A leaver who left before a month-end is not in that month's snapshot, so their last part-month is added
    from the leavers file (team, role and FTE at leaving). A leaver whose leaving date is the month-end is
    in post for the whole month but not at its end (``in_post_at_month_end`` False), whether or not the
    snapshot of that day lists them: the leaver belongs to the window ending that day and is never also
    counted as in post (retained) at its end.

    Returns columns ``month, staff_pid, team_code, role_group, role_family, fte, contracted_hours_per_week,
    service_start_date,
    assignment_status, in_post_at_month_end, window_start, window_end, days_in_post, fte_days_available``.
    """
    snap = staff_in_post(snapshot)
    month = snap["snapshot_date"].dt.to_period("M")
    month_start = month.dt.start_time
    full = pd.DataFrame({
        "month": month,
        "staff_pid": snap["staff_pid"],
        "team_code": snap["team_code"],
        "role_group": snap["role_group"],
        "fte": snap["fte"].astype(float),
        "contracted_hours_per_week": snap["contracted_hours_per_week"].astype(float),
        "service_start_date": snap["service_start_date"],
        "assignment_status": snap["assignment_status"],
        "in_post_at_month_end": True,
        "window_start": np.maximum(month_start.values, snap["service_start_date"].values),
        "window_end": snap["snapshot_date"].values,
    })
    counted = leavers_counted(leavers, options, snapshot)
    # Only months the snapshots cover: older leaver history must not add months with no staff count.
    first, last = snapshot["snapshot_date"].min(), snapshot["snapshot_date"].max()
    counted = counted[(counted["leaving_date"] > first - pd.offsets.MonthEnd(1)) & (counted["leaving_date"] <= last)]
    # A leaving date on a month-end is the last day of that month's window: the person worked that day (and an
    # extract may list them in that day's snapshot) but is a leaver in the window, so NOT in post at its end
    # (spec 1.5-1.6: a leaver is never also retained). Whether or not the extract lists them, the month counts
    # the same: listed -> the snapshot row is kept with in_post_at_month_end False; not listed -> a part-month
    # row for the whole month is added below.
    snap_key = pd.MultiIndex.from_arrays([snap["staff_pid"], snap["snapshot_date"]])
    leave_key = pd.MultiIndex.from_arrays([counted["staff_pid"], counted["leaving_date"]])
    full["in_post_at_month_end"] = ~snap_key.isin(leave_key)
    partial = counted[~counted["leaving_date"].dt.is_month_end | ~leave_key.isin(snap_key)]
    p_month = partial["leaving_date"].dt.to_period("M")
    part = pd.DataFrame({
        "month": p_month,
        "staff_pid": partial["staff_pid"],
        "team_code": partial["team_code"],
        "role_group": partial["role_group"],
        "fte": partial["fte_at_leaving"].astype(float),
        "contracted_hours_per_week": np.nan,
        "service_start_date": partial["service_start_date"],
        "assignment_status": "active",
        "in_post_at_month_end": False,
        "window_start": np.maximum(p_month.dt.start_time.values, partial["service_start_date"].values),
        "window_end": partial["leaving_date"].values,
    })
    months = pd.concat([full, part], ignore_index=True)
    # A part-month row duplicates nothing: its person is, by validation, absent from that month's snapshot.
    months["role_family"] = months["role_group"].map(ROLE_FAMILY_OF)
    months["days_in_post"] = (months["window_end"] - months["window_start"]).dt.days + 1
    available = ~months["assignment_status"].isin(options.exclude_statuses)
    months["fte_days_available"] = np.where(available, months["fte"] * months["days_in_post"], 0.0)
    return months


def leavers_counted(leavers: pd.DataFrame, options: Options = Options(),
                    snapshot: pd.DataFrame | None = None) -> pd.DataFrame:
    """Leaver events that count: excluded ESR reasons (bank, duplicates, never worked) dropped; scope applied.

    With ``snapshot``, people who appear in it but never as substantive staff in post (bank, agency,
    honorary, out of scope) are dropped too: their terminations are not staff leaving (spec 1.1, 1.5).
    Adds ``reason_group``, ``voluntary`` and ``training_completion`` columns.
    """
    if snapshot is not None:
        seen = leavers["staff_pid"].isin(snapshot["staff_pid"].unique())
        was_in_post = leavers["staff_pid"].isin(staff_in_post(snapshot)["staff_pid"].unique())
        leavers = leavers[~seen | was_in_post]
    reason = leavers["leaving_reason_esr"]
    out = leavers.assign(
        reason_group=reason.map(lambda r: LEAVING_REASONS[r][0]),
        voluntary=reason.map(lambda r: LEAVING_REASONS[r][1]).astype(bool),
        training_completion=reason.isin(TRAINING_COMPLETION_REASONS),
    )
    out = out[out["reason_group"] != "excluded"]
    if options.scope == "trust":
        out = out[out["leaving_destination"] != "same_trust_other_service"]
    return out


def leaver_events(data, options: Options) -> pd.DataFrame:
    """Leaver events with role family; under the NHS convention, starts of leave of absence are added."""
    counted = leavers_counted(data.leavers, options, data.staff_snapshot)
    counted = counted.assign(role_family=counted["role_group"].map(ROLE_FAMILY_OF))
    events = counted[["staff_pid", "leaving_date", "team_code", "role_family", "fte_at_leaving",
                      "voluntary", "training_completion"]]
    if not options.leave_of_absence_as_leaver:
        return events
    # NHS Digital convention: the month-end at which someone is first seen on leave counts as leaving.
    snap = staff_in_post(data.staff_snapshot).sort_values(["staff_pid", "snapshot_date"])
    on_leave = snap["assignment_status"].isin(LEAVE_OF_ABSENCE_STATUSES)
    before = on_leave.groupby(snap["staff_pid"]).shift(1, fill_value=False).astype(bool)
    starts = snap[on_leave & ~before & snap["staff_pid"].duplicated()]
    loa = pd.DataFrame({
        "staff_pid": starts["staff_pid"], "leaving_date": starts["snapshot_date"],
        "team_code": starts["team_code"], "role_family": starts["role_group"].map(ROLE_FAMILY_OF),
        "fte_at_leaving": starts["fte"], "voluntary": False, "training_completion": False,
    })
    return pd.concat([events, loa], ignore_index=True)


def absence_days(absence: pd.DataFrame, months: pd.DataFrame, extract_date: pd.Timestamp) -> pd.DataFrame:
    """FTE days lost per episode per month, inside each person's days in post (calendar-day basis).

    Open episodes run to ``extract_date``. Returns one row per episode-month with ``staff_pid, month,
    episode_id, days_lost, fte_days_lost, is_long_term, is_open, mental_health``.

    Notes
    -----
    Days lost include weekends and other non-working days inside an episode (NHS Digital convention,
    spec 1.2). An episode is long-term when its full length is 28 calendar days or more, in every month it
    touches. ``fte_days_lost_override`` (when given) is spread over the episode's days in post; a part-day
    episode loses ``hours_lost / (contracted hours per day)`` of a day (UNCONFIRMED ESR convention).
    """
    episodes = absence[absence["absence_start_date"] <= extract_date].copy()
    episodes["is_open"] = episodes["absence_end_date"].isna()
    # Long-term is judged on the full episode (spec 1.3); only days up to the extract date are counted lost.
    full_end = episodes["absence_end_date"].fillna(extract_date)
    episodes["length_days"] = (full_end - episodes["absence_start_date"]).dt.days + 1
    episodes["end"] = full_end.clip(upper=extract_date)
    episodes["is_long_term"] = episodes["length_days"] >= LONG_TERM_DAYS
    start_m = episodes["absence_start_date"].dt.to_period("M")
    span = (episodes["end"].dt.to_period("M") - start_m).map(lambda d: d.n) + 1
    rows = episodes.loc[episodes.index.repeat(span)].copy()
    rows["month"] = start_m.loc[rows.index] + rows.groupby(level=0).cumcount().values
    rows = rows.reset_index(drop=True)
    joined = rows.merge(months[["staff_pid", "month", "window_start", "window_end", "fte", "fte_days_available",
                                "days_in_post", "contracted_hours_per_week"]], on=["staff_pid", "month"], how="inner")
    first = np.maximum(joined["absence_start_date"].values, joined["window_start"].values)
    last = np.minimum(joined["end"].values, joined["window_end"].values)
    joined["days_lost"] = np.clip((last - first).astype("timedelta64[D]").astype(int) + 1, 0, None)
    on_available_days = joined["fte_days_available"] > 0
    fte_days = joined["days_lost"] * joined["fte"]
    # Part-day absence: hours lost over contracted hours per day (5-day week), FTE-weighted.
    partial = (joined["partial_day"] == True) & joined["hours_lost"].notna()  # noqa: E712 - object column
    hours_per_week = joined["contracted_hours_per_week"].astype(float).fillna(FULL_TIME_HOURS_PER_WEEK * joined["fte"])
    fte_days = fte_days.where(~partial, joined["fte"] * joined["hours_lost"].astype(float) / (hours_per_week / 5))
    override = joined["fte_days_lost_override"].astype(float)
    if override.notna().any():
        days_in_episode = joined.groupby("episode_id")["days_lost"].transform("sum")
        share = np.where(days_in_episode > 0, joined["days_lost"] / days_in_episode.where(days_in_episode > 0, 1), 0)
        fte_days = fte_days.where(override.isna(), override * share)
    joined["fte_days_lost"] = np.where(on_available_days, fte_days, 0.0)
    joined["mental_health"] = joined["absence_reason_group"] == "mental_health"
    keep = ["staff_pid", "month", "episode_id", "days_lost", "fte_days_lost", "is_long_term", "is_open",
            "mental_health", "absence_start_date", "end"]
    return joined.loc[joined["days_lost"] > 0, keep]
