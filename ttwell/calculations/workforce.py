"""Workforce indicators of the Staff Wellbeing Data Dashboard (domain spec section 1 and 5.1).

Everything is built from *person-months*: one row per person per calendar month in post, with the calendar
days in post and the FTE days available. Sickness days, leavers and cohorts are then summed per month and
per group. Rolling 12-month figures are always ratios of sums over the window, never means of monthly rates.

Inputs are the validated tables of :class:`ttwell.inputs.io.WorkforceData` (template column names). The output of
:func:`monthly_indicators` is tidy: one row per ``month, level, group, indicator``.

Example
-------
>>> from ttwell import io, workforce
>>> data = io.load_workforce(paths)                                   # doctest: +SKIP
>>> table = workforce.monthly_indicators(data)                         # doctest: +SKIP
>>> table.query("level == 'service' and indicator == 'sickness_absence_rate_12m'").tail(1)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ttwell.errors import AnalysisError, ParameterError
from ttwell.calculations.statistics import poisson_rate_interval, ratio_interval, wilson_interval
from ttwell.inputs.templates import (IN_POST_CONTRACT_TYPES, LEAVE_OF_ABSENCE_STATUSES, LEAVING_REASONS,
                              ROLE_FAMILIES, ROLE_FAMILY_OF, TRAINING_COMPLETION_REASONS)

LEVELS = ("service", "team", "role_family")
SCOPES = ("service", "trust")
SERVICE_GROUP = "All staff"
LONG_TERM_DAYS = 28  # an episode of exactly 28 calendar days is long-term (domain spec 1.3)
FULL_TIME_HOURS_PER_WEEK = 37.5  # Agenda for Change; UNCONFIRMED in spec, used only for part-day absences


@dataclass(frozen=True)
class Options:
    """Conventions for the workforce indicators; every report prints the ones in force.

    Attributes
    ----------
    leave_of_absence_as_leaver : bool
        False (ttwell default, decision 8.4): staff on maternity/adoption leave or a career break stay in
        post. True: the NHS Digital convention, where starting such leave counts as leaving active service.
    exclude_statuses : tuple of str
        Assignment statuses whose days are not "available" for sickness absence (UNCONFIRMED default).
    scope : str
        ``service`` (default): a move to another service in the same trust is a leaver; ``trust``: it is not.
    one_year_days : int
        Days of continuous service that count as "1+ years" in the strategy's stability index.
    """

    leave_of_absence_as_leaver: bool = False
    exclude_statuses: tuple[str, ...] = tuple(LEAVE_OF_ABSENCE_STATUSES)
    scope: str = "service"
    one_year_days: int = 365

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ParameterError(f"scope must be one of {', '.join(SCOPES)}; got '{self.scope}'.")

    @classmethod
    def from_params(cls, params: dict) -> "Options":
        """The service's conventions from validated parameters (``ttwell.inputs.params.SERVICE_WORKFORCE_OPTIONS``).

        The baseline and the annual notebooks both build their options here from the same keys, so one year
        gives the same figures in both reports. A key the parameters lack takes the shared default.

        Examples
        --------
        >>> Options.from_params({"leave_of_absence_as_leaver": True, "leaver_scope": "trust"}).scope
        'trust'
        """
        from ttwell.inputs.params import SERVICE_WORKFORCE_OPTIONS

        chosen = {key: params.get(key, default) for key, default in SERVICE_WORKFORCE_OPTIONS.items()}
        return cls(leave_of_absence_as_leaver=chosen["leave_of_absence_as_leaver"], scope=chosen["leaver_scope"],
                   one_year_days=chosen["stability_one_year_days"])

    def describe(self) -> list[str]:
        loa = ("counted as leavers (NHS Digital convention)" if self.leave_of_absence_as_leaver
               else "not counted as leavers; they stay in post (ttwell default, differs from NHS Digital)")
        return [
            f"Maternity/adoption leave and career breaks: {loa}.",
            f"Days on {', '.join(s.replace('_', ' ') for s in self.exclude_statuses) or 'no status'} are not "
            "counted as available for sickness.",
            f"Leaver scope: {self.scope} (a move to another service in the same trust is "
            f"{'a leaver' if self.scope == 'service' else 'not a leaver'}).",
            f"Stability (strategy variant): staff with at least {self.one_year_days} days of continuous service.",
            f"Long-term sickness: episodes of {LONG_TERM_DAYS} calendar days or more.",
        ]


# --- building blocks ----------------------------------------------------------------------------

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


# --- monthly indicators -------------------------------------------------------------------------

INDICATORS = {
    # id: (label, unit, direction) -- direction: "down" = lower is better, "up" = higher is better
    "staff_in_post_headcount": ("Staff in post (headcount)", "count", "context"),
    "staff_in_post_fte": ("Staff in post (FTE)", "fte", "context"),
    "joiners": ("Joiners (headcount)", "count", "context"),
    "sickness_absence_rate_month": ("Sickness absence rate (month)", "proportion", "down"),
    "sickness_absence_rate_12m": ("Sickness absence rate (rolling 12 months)", "proportion", "down"),
    "short_term_sickness_rate_12m": ("Short-term sickness absence rate (rolling 12 months)", "proportion", "down"),
    "long_term_sickness_rate_12m": ("Long-term sickness absence rate (rolling 12 months)", "proportion", "down"),
    "long_term_share_of_days_lost_12m": ("Share of days lost in long-term episodes (rolling 12 months)", "proportion", "down"),
    "mental_health_share_of_days_lost_12m": ("Share of days lost to mental-health reasons (rolling 12 months)", "proportion", "down"),
    "leaver_rate_hc_12m": ("Leaver rate, headcount (rolling 12 months)", "proportion", "down"),
    "leaver_rate_fte_12m": ("Leaver rate, FTE (rolling 12 months)", "proportion", "down"),
    "voluntary_leaver_rate_hc_12m": ("Voluntary leaver rate, headcount (rolling 12 months)", "proportion", "down"),
    "voluntary_leaver_rate_fte_12m": ("Voluntary leaver rate, FTE (rolling 12 months)", "proportion", "down"),
    "leaver_rate_excl_training_hc_12m": ("Leaver rate excluding training completion, headcount (rolling 12 months)", "proportion", "down"),
    "stability_index_nhs_12m": ("Stability index, NHS definition (12 months)", "proportion", "up"),
    "stability_index_1yr_service": ("Stability index, strategy variant (1+ years in service)", "proportion", "up"),
    "vacancy_rate_fte": ("Vacancy rate (FTE)", "proportion", "down"),
}
# Health data (absence reasons, long-term absence) are shown at service level only (spec 4.2 rule 7, 5.1).
# Long- and short-term rates are service-only too: by team they would give away the long-term share.
SERVICE_ONLY = {"long_term_share_of_days_lost_12m", "mental_health_share_of_days_lost_12m",
                "short_term_sickness_rate_12m", "long_term_sickness_rate_12m"}
OUTPUT_COLUMNS = ["month", "level", "group", "indicator", "numerator", "denominator", "value",
                  "n_people", "n_numerator_people"]


def _group_dtype(teams) -> pd.CategoricalDtype:
    """One categorical type for the ``group`` column of every level: fast grouping on big extracts."""
    return pd.CategoricalDtype([SERVICE_GROUP, *sorted(set(teams)), *ROLE_FAMILIES])


def _with_levels(frame: pd.DataFrame, group_dtype: pd.CategoricalDtype | None = None) -> pd.DataFrame:
    """Stack a person-level frame once per reporting level, with a ``level`` and ``group`` column."""
    group_dtype = group_dtype or _group_dtype(frame["team_code"].dropna().unique())
    parts = []
    for level in LEVELS:
        group = SERVICE_GROUP if level == "service" else frame["team_code" if level == "team" else "role_family"]
        parts.append(frame.assign(level=pd.Categorical([level] * len(frame), categories=LEVELS),
                                  group=pd.Series(group, index=frame.index).astype(group_dtype)))
    return pd.concat(parts, ignore_index=True)


def _all_teams(data) -> set:
    teams = set(data.staff_snapshot["team_code"]) | set(data.leavers["team_code"].dropna())
    if data.establishment is not None:
        teams |= set(data.establishment["team_code"])
    return teams


def _encode_people(data):
    """Replace staff ids by integer codes shared across files: ids are only ever counted, and integers
    group many times faster than strings on a large extract."""
    codes = pd.Index(pd.unique(pd.concat([data.staff_snapshot["staff_pid"], data.leavers["staff_pid"],
                                          data.absence["staff_pid"]], ignore_index=True)))
    return replace(data, staff_snapshot=data.staff_snapshot.assign(staff_pid=codes.get_indexer(data.staff_snapshot["staff_pid"])),
                   leavers=data.leavers.assign(staff_pid=codes.get_indexer(data.leavers["staff_pid"])),
                   absence=data.absence.assign(staff_pid=codes.get_indexer(data.absence["staff_pid"])))


def _month_grid(months: pd.PeriodIndex, groups: pd.DataFrame) -> pd.MultiIndex:
    keys = groups[["level", "group"]].drop_duplicates()
    grid = keys.merge(pd.DataFrame({"month": months}), how="cross")
    return pd.MultiIndex.from_frame(grid[["level", "group", "month"]])


def _rolling(series: pd.DataFrame, window: int = 12) -> pd.DataFrame:
    """Sum each column over the trailing ``window`` months within each (level, group); NaN until full."""
    return (series.groupby(level=["level", "group"], group_keys=False, observed=True)
            .apply(lambda g: g.rolling(window, min_periods=window).sum()))


def _shift(series: pd.Series, months: int) -> pd.Series:
    return series.groupby(level=["level", "group"], observed=True).shift(months)


def _tidy(indicator: str, numerator: pd.Series, denominator, n_people, n_numerator_people=np.nan) -> pd.DataFrame:
    """Assemble one indicator's rows; scalars broadcast over the numerator's (level, group, month) index."""
    index = numerator.index

    def column(values) -> pd.Series:
        if isinstance(values, pd.Series):
            return values.reindex(index).astype(float)
        return pd.Series(values, index=index, dtype=float)

    num, den = column(numerator), column(denominator)
    is_count = INDICATORS[indicator][1] in ("count", "fte")
    out = pd.DataFrame({
        "numerator": num,
        "denominator": den,
        "value": num if is_count else num / den.where(den > 0),
        "n_people": column(n_people),
        "n_numerator_people": column(n_numerator_people),
    }).reset_index()
    out.insert(0, "indicator", indicator)
    return out


def monthly_indicators(data, options: Options = Options()) -> pd.DataFrame:
    """All monthly workforce indicators, by service, team and role family.

    Parameters
    ----------
    data : ttwell.inputs.io.WorkforceData
        Validated inputs (staff snapshot, absence episodes, leavers; establishment optional).
    options : Options
        Conventions in force (leave of absence, scope, excluded statuses).

    Returns
    -------
    pandas.DataFrame
        One row per ``month, level, group, indicator`` with ``numerator, denominator, value, n_people,
        n_numerator_people``. ``value`` is a proportion for rates. ``n_people`` is the group's headcount in
        post at the month end (for the NHS stability index, the starting cohort); ``n_numerator_people`` is
        the number of distinct people behind the numerator (people off sick, leavers), which disclosure
        control needs. Rolling figures are NaN until 12 months of data exist.

    Notes
    -----
    Sickness absence rate = Σ FTE days lost / Σ FTE days available (spec 1.2); leaver rate = leavers in the
    12 months / mean of staff in post at the month-end before the window and at its end (spec 1.5); NHS
    stability index = share of staff in post 12 months earlier who are still in post (spec 1.6); strategy
    stability = share of staff in post with 1+ year of continuous service (spec 1.6, section 9); vacancy
    rate = vacancy FTE / establishment FTE (spec 1.7).
    """
    data = _encode_people(data)
    group_dtype = _group_dtype(_all_teams(data))
    months_pm = person_months(data.staff_snapshot, data.leavers, options)
    if months_pm.empty:
        raise AnalysisError("No staff in post were found in the staff snapshot (after excluding bank, agency, "
                            "honorary and out-of-scope rows), so no indicators can be calculated.")
    all_months = pd.period_range(months_pm["month"].min(), months_pm["month"].max(), freq="M")
    months_pm = months_pm.assign(team_code=months_pm["team_code"].astype(group_dtype),
                                 role_family=months_pm["role_family"].astype(group_dtype))
    # Filter and trim columns before stacking the three levels: on a large extract the copies dominate.
    pm = _with_levels(months_pm[["month", "staff_pid", "team_code", "role_family", "fte_days_available"]], group_dtype)
    grid = _month_grid(all_months, pm)
    keys = ["level", "group", "month"]

    # Staff in post at month end (leave-of-absence staff leave "active service" under the NHS convention).
    in_post = months_pm[months_pm["in_post_at_month_end"]]
    if options.leave_of_absence_as_leaver:
        in_post = in_post[~in_post["assignment_status"].isin(LEAVE_OF_ABSENCE_STATUSES)]
    in_post = in_post.assign(tenure_days=(in_post["window_end"] - in_post["service_start_date"]).dt.days)
    at_end = _with_levels(in_post[["month", "staff_pid", "team_code", "role_group", "role_family", "fte",
                                   "service_start_date", "tenure_days"]], group_dtype)
    # One snapshot row per person and month-end (validated), so counting rows counts people.
    headcount = at_end.groupby(keys, observed=True).size().reindex(grid, fill_value=0)
    fte = at_end.groupby(keys, observed=True)["fte"].sum().reindex(grid, fill_value=0.0)
    # Joiners: started in the month, whether still in post at its end or (rarely) gone again by then.
    started = months_pm[months_pm["service_start_date"] >= months_pm["month"].dt.start_time]
    joined_now = _with_levels(started[["month", "staff_pid", "team_code", "role_family"]], group_dtype)
    joiners = joined_now.groupby(keys, observed=True)["staff_pid"].nunique().reindex(grid, fill_value=0)
    out = [
        _tidy("staff_in_post_headcount", headcount, np.nan, headcount),
        _tidy("staff_in_post_fte", fte, np.nan, headcount),
        _tidy("joiners", joiners, np.nan, headcount, joiners),
    ]

    # Sickness absence: FTE days lost over FTE days available.
    days = absence_days(data.absence, months_pm, data.extract_date)
    days = days.merge(months_pm[["staff_pid", "month", "team_code", "role_family"]], on=["staff_pid", "month"])
    days_lv = _with_levels(days, group_dtype)
    available = pm.groupby(keys, observed=True)["fte_days_available"].sum().reindex(grid, fill_value=0.0)
    lost = days_lv.groupby(keys, observed=True)["fte_days_lost"].sum().reindex(grid, fill_value=0.0)
    lost_long = days_lv[days_lv["is_long_term"]].groupby(keys, observed=True)["fte_days_lost"].sum().reindex(grid, fill_value=0.0)
    lost_mh = days_lv[days_lv["mental_health"]].groupby(keys, observed=True)["fte_days_lost"].sum().reindex(grid, fill_value=0.0)
    sick = days_lv[days_lv["fte_days_lost"] > 0]
    sick_people = sick.groupby(keys, observed=True)["staff_pid"].nunique().reindex(grid, fill_value=0)
    sick_people_12m = _distinct_people_12m(sick, grid)
    # Rule 3 counts the people behind each figure's own numerator: a long-term rate resting on two people is
    # about those two, however many others were off sick for a few days.
    long_people_12m = _distinct_people_12m(sick[sick["is_long_term"]], grid)
    short_people_12m = _distinct_people_12m(sick[~sick["is_long_term"]], grid)
    mh_people_12m = _distinct_people_12m(sick[sick["mental_health"]], grid)
    people_month = pm[pm["fte_days_available"] > 0].groupby(keys, observed=True)["staff_pid"].nunique().reindex(grid, fill_value=0)
    sums = _rolling(pd.DataFrame({"lost": lost, "available": available, "long": lost_long, "mh": lost_mh}))
    out += [
        _tidy("sickness_absence_rate_month", lost, available, people_month, sick_people),
        _tidy("sickness_absence_rate_12m", sums["lost"], sums["available"], headcount, sick_people_12m),
        _tidy("short_term_sickness_rate_12m", sums["lost"] - sums["long"], sums["available"], headcount, short_people_12m),
        _tidy("long_term_sickness_rate_12m", sums["long"], sums["available"], headcount, long_people_12m),
        _tidy("long_term_share_of_days_lost_12m", sums["long"], sums["lost"], headcount, long_people_12m),
        _tidy("mental_health_share_of_days_lost_12m", sums["mh"], sums["lost"], headcount, mh_people_12m),
    ]

    # Leavers over the rolling 12 months against the mean of the start and end staff in post.
    counted = _leaver_events(data, options=options)
    lv = _with_levels(counted, group_dtype)
    lv["month"] = lv["leaving_date"].dt.to_period("M")
    lv = lv[lv["month"].isin(all_months)]

    def rolling_count(frame: pd.DataFrame, column: str | None = None) -> pd.Series:
        monthly = (frame.groupby(keys, observed=True)[column].sum() if column else frame.groupby(keys, observed=True).size())
        return _rolling(monthly.reindex(grid, fill_value=0).astype(float).to_frame("x"))["x"]

    hc_start, fte_start = _shift(headcount, 12), _shift(fte, 12)
    mean_hc = (hc_start + headcount) / 2
    mean_fte = (fte_start + fte) / 2
    n_leavers = rolling_count(lv)
    n_vol = rolling_count(lv[lv["voluntary"]])
    n_excl = rolling_count(lv[~lv["training_completion"]])
    out += [
        _tidy("leaver_rate_hc_12m", n_leavers, mean_hc.where(hc_start.notna()), headcount, n_leavers),
        _tidy("leaver_rate_fte_12m", rolling_count(lv, "fte_at_leaving"), mean_fte.where(hc_start.notna()), headcount, n_leavers),
        _tidy("voluntary_leaver_rate_hc_12m", n_vol, mean_hc.where(hc_start.notna()), headcount, n_vol),
        _tidy("voluntary_leaver_rate_fte_12m", rolling_count(lv[lv["voluntary"]], "fte_at_leaving"),
              mean_fte.where(hc_start.notna()), headcount, n_vol),
        _tidy("leaver_rate_excl_training_hc_12m", n_excl, mean_hc.where(hc_start.notna()), headcount, n_excl),
    ]

    out.append(_stability_nhs(at_end, grid))
    out.append(_stability_one_year(at_end, grid, headcount, options))
    if data.establishment is not None and len(data.establishment):
        out.append(_vacancy(data.establishment, at_end, grid, headcount))

    table = pd.concat(out, ignore_index=True)
    table = table[~(table["indicator"].isin(SERVICE_ONLY) & (table["level"] != "service"))]
    table["level"] = pd.Categorical(table["level"], LEVELS)
    table = table.sort_values(["indicator", "level", "group", "month"]).reset_index(drop=True)
    table["level"] = table["level"].astype(str)
    table["group"] = table["group"].astype(str)
    return table[OUTPUT_COLUMNS]


def _month_number(months: pd.Series) -> pd.Series:
    """Months as consecutive integers (year × 12 + month), for arithmetic on month gaps."""
    return (months.dt.year * 12 + months.dt.month).astype("int64")


def _distinct_people_12m(sick: pd.DataFrame, grid: pd.MultiIndex) -> pd.Series:
    """Distinct people with any sickness in the 12 months ending each month, per level and group.

    A person sick in month m counts in the windows ending m .. m+11. Their sick months are merged into runs
    (a gap of 12 months or more starts a new run), so each person adds +1 where a run starts and -1 twelve
    months after it ends; a cumulative sum then gives the distinct count without any 12-fold expansion.
    """
    keys = ["level", "group", "staff_pid"]
    base = sick[keys + ["month"]].drop_duplicates()
    base = base.assign(m=_month_number(base["month"]))
    base = base.sort_values(keys + ["m"])
    previous = base.groupby(keys, observed=True)["m"].shift()
    run = (previous.isna() | (base["m"] - previous >= 12)).cumsum()
    runs = base.groupby(run).agg(level=("level", "first"), group=("group", "first"), start=("m", "min"),
                                 end=("m", "max"))
    events = pd.concat([runs[["level", "group"]].assign(m=runs["start"], step=1),
                        runs[["level", "group"]].assign(m=runs["end"] + 12, step=-1)], ignore_index=True)
    steps = events.groupby(["level", "group", "m"], observed=True)["step"].sum().reset_index()
    frame = grid.to_frame(index=False)
    frame["m"] = _month_number(frame["month"])
    frame = frame.merge(steps, on=["level", "group", "m"], how="left").fillna({"step": 0})
    frame = frame.sort_values(["level", "group", "m"])
    frame["people"] = frame.groupby(["level", "group"], observed=True)["step"].cumsum().astype(float)
    out = frame.set_index(["level", "group", "month"])["people"].reindex(grid)
    # The first 11 months have no full window.
    months = grid.get_level_values("month")
    out[months < months.min() + 11] = np.nan
    return out


def _leaver_events(data, options: Options) -> pd.DataFrame:
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


def _stability_nhs(at_end: pd.DataFrame, grid: pd.MultiIndex) -> pd.DataFrame:
    """Share of the people in post 12 months before (grouped as they were then) who are in post now."""
    # (person, month) pairs as single integers: membership tests on integers are fast on big extracts.
    service = at_end[at_end["level"] == "service"]
    in_post_now = service["staff_pid"].to_numpy() * 10_000 + _month_number(service["month"]).to_numpy()
    twelve_later = at_end["staff_pid"].to_numpy() * 10_000 + _month_number(at_end["month"]).to_numpy() + 12
    cohort = at_end[["level", "group"]].assign(month=at_end["month"] + 12,
                                               still=pd.Series(twelve_later).isin(in_post_now).to_numpy())
    keys = ["level", "group", "month"]
    grouped = cohort.groupby(keys, observed=True)["still"]
    size = grouped.size().reindex(grid)
    kept = grouped.sum().reindex(grid)
    return _tidy("stability_index_nhs_12m", kept, size, size, size - kept)


def _stability_one_year(at_end: pd.DataFrame, grid: pd.MultiIndex, headcount: pd.Series,
                        options: Options) -> pd.DataFrame:
    """Share of staff in post with at least a year of continuous service at the month end (strategy wording)."""
    long_served = at_end[at_end["tenure_days"] >= options.one_year_days]
    keys = ["level", "group", "month"]
    n = long_served.groupby(keys, observed=True).size().reindex(grid, fill_value=0)
    return _tidy("stability_index_1yr_service", n, headcount, headcount, headcount - n)


def _vacancy(establishment: pd.DataFrame, at_end: pd.DataFrame, grid: pd.MultiIndex,
             headcount: pd.Series) -> pd.DataFrame:
    """Vacancy FTE over establishment FTE; a blank vacancy is establishment minus staff-in-post FTE (spec 1.7)."""
    est = establishment.copy()
    service = at_end[at_end["level"] == "service"]
    in_post_fte = service.groupby(["month", "team_code", "role_group"], observed=True)["fte"].sum().rename("in_post_fte")
    est = est.merge(in_post_fte.reset_index(), on=["month", "team_code", "role_group"], how="left")
    derived = (est["establishment_fte"] - est["in_post_fte"].fillna(0)).clip(lower=0)
    est["vacancy"] = est["vacancy_fte"].astype(float).fillna(derived)
    est["role_family"] = est["role_group"].map(ROLE_FAMILY_OF)
    est_lv = _with_levels(est, grid.levels[1].dtype if isinstance(grid.levels[1].dtype, pd.CategoricalDtype) else None)
    keys = ["level", "group", "month"]
    vac = est_lv.groupby(keys, observed=True)["vacancy"].sum().reindex(grid)
    total = est_lv.groupby(keys, observed=True)["establishment_fte"].sum().reindex(grid)
    return _tidy("vacancy_rate_fte", vac, total, headcount)


# --- baseline values with confidence intervals ----------------------------------------------------

BASELINE_COLUMNS = ["indicator", "label", "level", "group", "value", "ci_low", "ci_high", "numerator",
                    "denominator", "n_people", "n_numerator_people", "interval", "unit"]


def period_months(start: pd.Timestamp, end: pd.Timestamp) -> pd.PeriodIndex:
    """Calendar months from ``start`` to ``end`` inclusive; the period must be whole months."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start.day != 1 or not end.is_month_end or end < start:
        raise AnalysisError(f"The period must run from the first day of a month to the last day of a month "
                            f"(got {start:%d/%m/%Y} to {end:%d/%m/%Y}).")
    return pd.period_range(start, end, freq="M")


def baseline_summary(data, start, end, options: Options = Options()) -> pd.DataFrame:
    """Each workforce indicator over a baseline period, with a 95% confidence interval and its method.

    Parameters
    ----------
    data : ttwell.inputs.io.WorkforceData
    start, end : date-like
        First and last day of the period (whole months, normally 12).
    options : Options

    Returns
    -------
    pandas.DataFrame
        One row per indicator, level and group: ``indicator, label, level, group, value, ci_low, ci_high,
        numerator, denominator, n_people, n_numerator_people, interval, unit``. ``interval`` is a short
        name; ``ttwell.calculations.statistics.INTERVALS`` holds the sentence that explains each.

    Notes
    -----
    * Sickness absence rate: Σ FTE days lost / Σ FTE days available over the period, interval clustered on
      people (days within a person are not independent).
    * Leaver rates: leavers in the period / mean of staff in post at the month-end before the period and at
      its end; exact Poisson interval on the count.
    * NHS stability index: of the staff in post at the month-end before the period, the share still in post at
      its end; Wilson interval. Strategy stability: at the period's end; Wilson interval.
    * Vacancy rate: Σ vacancy FTE / Σ establishment FTE over the months, interval clustered on months.
    * Staff in post: mean of the month-end headcounts (a census: no interval).
    """
    months = period_months(start, end)
    data = _encode_people(data)
    group_dtype = _group_dtype(_all_teams(data))
    pm = person_months(data.staff_snapshot, data.leavers, options)
    first_month, last_month = months[0], months[-1]
    if pm["month"].min() > first_month - 1 or pm["month"].max() < last_month:
        raise AnalysisError(
            f"The baseline period {first_month.start_time:%d/%m/%Y} to {last_month.end_time:%d/%m/%Y} needs staff "
            f"snapshots from {(first_month - 1).end_time:%d/%m/%Y} (the month-end before it) to "
            f"{last_month.end_time:%d/%m/%Y}; the data cover {pm['month'].min().end_time:%d/%m/%Y} to "
            f"{pm['month'].max().end_time:%d/%m/%Y}.")
    rows: list[dict] = []
    pm_lv = _with_levels(pm, group_dtype)
    in_period = pm_lv[pm_lv["month"].isin(months)]
    at_end = pm_lv[pm_lv["in_post_at_month_end"]]
    if options.leave_of_absence_as_leaver:
        at_end = at_end[~at_end["assignment_status"].isin(LEAVE_OF_ABSENCE_STATUSES)]
    days = absence_days(data.absence, pm, data.extract_date)
    days = days[days["month"].isin(months)].merge(pm[["staff_pid", "month", "team_code", "role_family"]],
                                                  on=["staff_pid", "month"])
    days_lv = _with_levels(days, group_dtype)
    events = _leaver_events(data, options=options)
    events = events[events["leaving_date"].dt.to_period("M").isin(months)]
    events_lv = _with_levels(events, group_dtype)
    vacancy = None
    if data.establishment is not None and len(data.establishment):
        est = data.establishment[data.establishment["month"].isin(months)]
        vacancy = _vacancy(est, at_end[at_end["month"].isin(months)], _month_grid(months, pm_lv),
                           pd.Series(np.nan, index=_month_grid(months, pm_lv)))

    for (level, group), people in in_period.groupby(["level", "group"], sort=True, observed=True):
        end_staff = at_end[(at_end["level"] == level) & (at_end["group"] == group)]
        hc_end = end_staff[end_staff["month"] == last_month]["staff_pid"].nunique()
        common = {"level": level, "group": group, "n_people": hc_end}

        def add(indicator, value, low, high, num, den, n_num, interval):
            rows.append({"indicator": indicator, "label": INDICATORS[indicator][0], **common, "value": value,
                         "ci_low": low, "ci_high": high, "numerator": num, "denominator": den,
                         "n_numerator_people": n_num, "interval": interval, "unit": INDICATORS[indicator][1]})

        monthly_hc = end_staff[end_staff["month"].isin(months)].groupby("month")["staff_pid"].nunique()
        add("staff_in_post_headcount", monthly_hc.mean(), np.nan, np.nan, monthly_hc.mean(), np.nan, np.nan,
            "none (census)")

        # Sickness: per-person sums, so the interval treats each person as one unit.
        person_avail = people.groupby("staff_pid")["fte_days_available"].sum()
        g_days = days_lv[(days_lv["level"] == level) & (days_lv["group"] == group)]
        for indicator, subset in (("sickness_absence_rate_12m", g_days),
                                  ("short_term_sickness_rate_12m", g_days[~g_days["is_long_term"]]),
                                  ("long_term_sickness_rate_12m", g_days[g_days["is_long_term"]])):
            person_lost = subset.groupby("staff_pid")["fte_days_lost"].sum().reindex(person_avail.index, fill_value=0)
            est_, low, high = ratio_interval(person_lost.values, person_avail.values)
            add(indicator, est_, low, high, person_lost.sum(), person_avail.sum(),
                int((person_lost > 0).sum()), "clustered ratio (people)")

        # Leavers: events in the period over mean staff in post (month-end before the period and its end).
        hc_before = end_staff[end_staff["month"] == first_month - 1]["staff_pid"].nunique()
        fte_before = end_staff[end_staff["month"] == first_month - 1]["fte"].sum()
        fte_end = end_staff[end_staff["month"] == last_month]["fte"].sum()
        mean_hc, mean_fte = (hc_before + hc_end) / 2, (fte_before + fte_end) / 2
        g_events = events_lv[(events_lv["level"] == level) & (events_lv["group"] == group)]
        for indicator, subset in (("leaver_rate_hc_12m", g_events),
                                  ("voluntary_leaver_rate_hc_12m", g_events[g_events["voluntary"]]),
                                  ("leaver_rate_excl_training_hc_12m", g_events[~g_events["training_completion"]])):
            est_, low, high = poisson_rate_interval(len(subset), mean_hc)
            add(indicator, est_, low, high, len(subset), mean_hc, len(subset), "exact Poisson")
        for indicator, subset in (("leaver_rate_fte_12m", g_events),
                                  ("voluntary_leaver_rate_fte_12m", g_events[g_events["voluntary"]])):
            value = subset["fte_at_leaving"].sum() / mean_fte if mean_fte > 0 else np.nan
            add(indicator, value, np.nan, np.nan, subset["fte_at_leaving"].sum(), mean_fte, len(subset),
                "none (FTE-weighted)")

        # Stability, NHS: cohort grouped as it was at the month-end before the period.
        cohort = set(end_staff[end_staff["month"] == first_month - 1]["staff_pid"])
        service_end = set(at_end[(at_end["level"] == "service") & (at_end["month"] == last_month)]["staff_pid"])
        kept = len(cohort & service_end)
        est_, low, high = wilson_interval(kept, len(cohort))
        rows.append({"indicator": "stability_index_nhs_12m", "label": INDICATORS["stability_index_nhs_12m"][0],
                     "level": level, "group": group, "value": est_, "ci_low": low, "ci_high": high,
                     "numerator": kept, "denominator": len(cohort), "n_people": len(cohort),
                     "n_numerator_people": len(cohort) - kept, "interval": "Wilson", "unit": "proportion"})

        final = end_staff[end_staff["month"] == last_month]
        tenure = (last_month.end_time.normalize() - final["service_start_date"]).dt.days
        n_long = final.loc[tenure >= options.one_year_days, "staff_pid"].nunique()
        est_, low, high = wilson_interval(n_long, hc_end)
        add("stability_index_1yr_service", est_, low, high, n_long, hc_end, hc_end - n_long, "Wilson")

        joiners = people[people["service_start_date"].dt.to_period("M").isin(months)
                         & (people["service_start_date"] >= people["month"].dt.start_time)]["staff_pid"].nunique()
        est_, low, high = poisson_rate_interval(joiners, 1.0)
        add("joiners", est_, low, high, joiners, np.nan, joiners, "exact Poisson")

        if vacancy is not None:
            vac = vacancy[(vacancy["level"] == level) & (vacancy["group"] == group)].dropna(subset=["denominator"])
            if len(vac):
                est_, low, high = ratio_interval(vac["numerator"].values, vac["denominator"].values)
                add("vacancy_rate_fte", est_, low, high, vac["numerator"].sum(), vac["denominator"].sum(), np.nan,
                    "clustered ratio (months)")

    table = pd.DataFrame(rows, columns=BASELINE_COLUMNS)
    order = {k: i for i, k in enumerate(INDICATORS)}
    table["_order"] = table["indicator"].map(order)
    table["_level"] = table["level"].map({lv: i for i, lv in enumerate(LEVELS)})
    table = table.sort_values(["_order", "_level", "group"]).drop(columns=["_order", "_level"])
    return table.reset_index(drop=True)


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
