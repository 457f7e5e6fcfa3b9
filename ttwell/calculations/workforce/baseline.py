"""Workforce indicators over a whole baseline period, each with a 95% confidence interval and its method.

:func:`baseline_summary` gives one row per indicator, level and group over whole months (normally 12); the
baseline and the annual evaluation both summarise their periods here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.errors import AnalysisError
from ttwell.calculations.statistics import poisson_rate_interval, ratio_interval, wilson_interval
from ttwell.calculations.workforce.levels import (LEVELS, all_teams, encode_people, group_categories,
                                                 month_grid, with_levels)
from ttwell.calculations.workforce.monthly import INDICATORS, vacancy_rows
from ttwell.calculations.workforce.options import Options
from ttwell.calculations.workforce.building_blocks import absence_days, leaver_events, person_months
from ttwell.inputs.templates import LEAVE_OF_ABSENCE_STATUSES

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
    data = encode_people(data)
    group_dtype = group_categories(all_teams(data))
    pm = person_months(data.staff_snapshot, data.leavers, options)
    first_month, last_month = months[0], months[-1]
    if pm["month"].min() > first_month - 1 or pm["month"].max() < last_month:
        raise AnalysisError(
            f"The baseline period {first_month.start_time:%d/%m/%Y} to {last_month.end_time:%d/%m/%Y} needs staff "
            f"snapshots from {(first_month - 1).end_time:%d/%m/%Y} (the month-end before it) to "
            f"{last_month.end_time:%d/%m/%Y}; the data cover {pm['month'].min().end_time:%d/%m/%Y} to "
            f"{pm['month'].max().end_time:%d/%m/%Y}.")
    rows: list[dict] = []
    pm_lv = with_levels(pm, group_dtype)
    in_period = pm_lv[pm_lv["month"].isin(months)]
    at_end = pm_lv[pm_lv["in_post_at_month_end"]]
    if options.leave_of_absence_as_leaver:
        at_end = at_end[~at_end["assignment_status"].isin(LEAVE_OF_ABSENCE_STATUSES)]
    days = absence_days(data.absence, pm, data.extract_date)
    days = days[days["month"].isin(months)].merge(pm[["staff_pid", "month", "team_code", "role_family"]],
                                                  on=["staff_pid", "month"])
    days_lv = with_levels(days, group_dtype)
    events = leaver_events(data, options=options)
    events = events[events["leaving_date"].dt.to_period("M").isin(months)]
    events_lv = with_levels(events, group_dtype)
    vacancy = None
    if data.establishment is not None and len(data.establishment):
        est = data.establishment[data.establishment["month"].isin(months)]
        vacancy = vacancy_rows(est, at_end[at_end["month"].isin(months)], month_grid(months, pm_lv),
                           pd.Series(np.nan, index=month_grid(months, pm_lv)))

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
