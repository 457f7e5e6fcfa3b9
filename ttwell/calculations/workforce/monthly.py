"""Monthly workforce indicators by service, team and role family (domain spec section 1 and 5.1).

Sickness days, leavers and cohorts are summed per month and per group. Rolling 12-month figures are always
ratios of sums over the window, never means of monthly rates. The output of :func:`monthly_indicators` is
tidy: one row per ``month, level, group, indicator``. :data:`INDICATORS` names, units and directions every
indicator for the whole kit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.errors import AnalysisError
from ttwell.calculations.workforce.levels import (LEVELS, all_teams, encode_people, group_categories,
                                                 month_grid, with_levels)
from ttwell.calculations.workforce.options import Options
from ttwell.calculations.workforce.building_blocks import absence_days, leaver_events, person_months
from ttwell.inputs.templates import LEAVE_OF_ABSENCE_STATUSES, ROLE_FAMILY_OF

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
    data = encode_people(data)
    group_dtype = group_categories(all_teams(data))
    months_pm = person_months(data.staff_snapshot, data.leavers, options)
    if months_pm.empty:
        raise AnalysisError("No staff in post were found in the staff snapshot (after excluding bank, agency, "
                            "honorary and out-of-scope rows), so no indicators can be calculated.")
    all_months = pd.period_range(months_pm["month"].min(), months_pm["month"].max(), freq="M")
    months_pm = months_pm.assign(team_code=months_pm["team_code"].astype(group_dtype),
                                 role_family=months_pm["role_family"].astype(group_dtype))
    # Filter and trim columns before stacking the three levels: on a large extract the copies dominate.
    pm = with_levels(months_pm[["month", "staff_pid", "team_code", "role_family", "fte_days_available"]], group_dtype)
    grid = month_grid(all_months, pm)
    keys = ["level", "group", "month"]

    # Staff in post at month end (leave-of-absence staff leave "active service" under the NHS convention).
    in_post = months_pm[months_pm["in_post_at_month_end"]]
    if options.leave_of_absence_as_leaver:
        in_post = in_post[~in_post["assignment_status"].isin(LEAVE_OF_ABSENCE_STATUSES)]
    in_post = in_post.assign(tenure_days=(in_post["window_end"] - in_post["service_start_date"]).dt.days)
    at_end = with_levels(in_post[["month", "staff_pid", "team_code", "role_group", "role_family", "fte",
                                   "service_start_date", "tenure_days"]], group_dtype)
    # One snapshot row per person and month-end (validated), so counting rows counts people.
    headcount = at_end.groupby(keys, observed=True).size().reindex(grid, fill_value=0)
    fte = at_end.groupby(keys, observed=True)["fte"].sum().reindex(grid, fill_value=0.0)
    # Joiners: started in the month, whether still in post at its end or (rarely) gone again by then.
    started = months_pm[months_pm["service_start_date"] >= months_pm["month"].dt.start_time]
    joined_now = with_levels(started[["month", "staff_pid", "team_code", "role_family"]], group_dtype)
    joiners = joined_now.groupby(keys, observed=True)["staff_pid"].nunique().reindex(grid, fill_value=0)
    out = [
        _tidy("staff_in_post_headcount", headcount, np.nan, headcount),
        _tidy("staff_in_post_fte", fte, np.nan, headcount),
        _tidy("joiners", joiners, np.nan, headcount, joiners),
    ]

    # Sickness absence: FTE days lost over FTE days available.
    days = absence_days(data.absence, months_pm, data.extract_date)
    days = days.merge(months_pm[["staff_pid", "month", "team_code", "role_family"]], on=["staff_pid", "month"])
    days_lv = with_levels(days, group_dtype)
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
    counted = leaver_events(data, options=options)
    lv = with_levels(counted, group_dtype)
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
        out.append(vacancy_rows(data.establishment, at_end, grid, headcount))

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


def vacancy_rows(establishment: pd.DataFrame, at_end: pd.DataFrame, grid: pd.MultiIndex,
             headcount: pd.Series) -> pd.DataFrame:
    """Vacancy FTE over establishment FTE; a blank vacancy is establishment minus staff-in-post FTE (spec 1.7)."""
    est = establishment.copy()
    service = at_end[at_end["level"] == "service"]
    in_post_fte = service.groupby(["month", "team_code", "role_group"], observed=True)["fte"].sum().rename("in_post_fte")
    est = est.merge(in_post_fte.reset_index(), on=["month", "team_code", "role_group"], how="left")
    derived = (est["establishment_fte"] - est["in_post_fte"].fillna(0)).clip(lower=0)
    est["vacancy"] = est["vacancy_fte"].astype(float).fillna(derived)
    est["role_family"] = est["role_group"].map(ROLE_FAMILY_OF)
    est_lv = with_levels(est, grid.levels[1].dtype if isinstance(grid.levels[1].dtype, pd.CategoricalDtype) else None)
    keys = ["level", "group", "month"]
    vac = est_lv.groupby(keys, observed=True)["vacancy"].sum().reindex(grid)
    total = est_lv.groupby(keys, observed=True)["establishment_fte"].sum().reindex(grid)
    return _tidy("vacancy_rate_fte", vac, total, headcount)


def service_level(monthly: pd.DataFrame) -> pd.DataFrame:
    """The service-level rows of a monthly indicator table, with a ``date`` column at each month's end.

    SPC charts and the monthly review read monthly points by date; the month-end is the date the figure
    describes (a snapshot on 30/04/2023 is April's point).
    """
    out = monthly[monthly["level"] == "service"].copy()
    out["date"] = out["month"].dt.end_time.dt.normalize()
    return out
