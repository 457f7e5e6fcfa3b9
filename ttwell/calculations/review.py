"""The monthly review: what is new on the Staff Wellbeing Data Dashboard this month.

The strategy asks services to review their dashboard at least monthly. A review month ``m`` is compared with the
month before it: each monitored indicator's XmR chart is computed twice with limits fixed on the baseline period
(so limits do not move from month to month), once on the points up to ``m`` and once on the points up to
``m - 1``, or the previous month's state is taken from the previous run's results. What changed between the two
states is listed; four kinds of change put an indicator on the **watch list** (:data:`WATCH_RULES`).

Everything here runs on complete data; the report applies the disclosure policy to what it shows.

References
----------
NHS England, *Making Data Count: getting started* (2019) and *Strengthening your decisions* (2021): the
special-cause rules (a point beyond a limit; a run of 7 on one side of the mean, or 6 in the MDC Excel tool;
a trend of 7 rising or falling) and the variation and assurance icons.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ttwell.calculations import spc
from ttwell.errors import ParameterError
from ttwell.inputs.dates import parse_date, parse_month

#: What puts an indicator on the watch list: each rule fires only in the month the change first appears.
WATCH_RULES = {
    "new_special_cause": "this month's point is beyond a process limit",
    "run_started": "a run of {run} points on one side of the baseline mean is complete this month",
    "trend_started": "a trend of {run} points rising or falling is complete this month",
    "assurance_changed": "the assurance icon changed (the target is now met, missed, or either)",
}
#: Changes that are reported but do not on their own put an indicator on the watch list.
OTHER_CHANGES = {
    "signal_ended": "the special-cause signal of last month has ended",
    "variation_changed": "the variation icon changed",
    "target_met": "this month's value meets the target; last month's did not",
    "target_missed": "this month's value misses the target; last month's met it",
}
#: Monitored indicators: the monthly series charted with SPC, and the rolling 12-month figure beside it.
REVIEW_INDICATORS = (
    ("sickness_absence_rate_month", "sickness_absence_rate_12m"),
    ("vacancy_rate_fte", None),
    ("staff_in_post_headcount", None),
    ("joiners", None),
    (None, "leaver_rate_hc_12m"),
    (None, "stability_index_nhs_12m"),
)
STATE_COLUMNS = ["variation_icon", "assurance_icon", "point_type", "outside_limits", "part_of_shift",
                 "part_of_trend"]


def month_end(month) -> pd.Timestamp:
    """The last day of a month given as ``MM/YYYY``, a date or a period (the month-end of monthly data)."""
    if isinstance(month, str) and len(month.strip()) <= 7 and "/" in month:
        return parse_month(month, "review_month")
    if isinstance(month, pd.Period):
        return month.to_timestamp(how="end").normalize()
    return pd.Period(parse_date(month, "review_month"), "M").to_timestamp(how="end").normalize()


def latest_month(monthly: pd.DataFrame) -> pd.Timestamp:
    """The latest month with a value for every monitored monthly indicator: the default review month."""
    monitored = [m for m, _ in REVIEW_INDICATORS if m]
    rows = monthly[monthly["indicator"].isin(monitored)].dropna(subset=["value"])
    if rows.empty:
        raise ParameterError("There is no month with monitored indicators to review.")
    complete = rows.groupby("date")["indicator"].nunique()
    full = complete[complete == rows["indicator"].nunique()]
    return pd.Timestamp((full if len(full) else complete).index.max())


def chart_state(chart: spc.SPCResult) -> dict:
    """The state of an XmR chart at its last point: icons and whether that point is part of each signal."""
    seg = chart.summary.iloc[-1]
    last = chart.points.iloc[-1]
    return {"date": pd.Timestamp(last["date"]), "value": float(last["value"]),
            "variation_icon": seg["variation_icon"] or None, "assurance_icon": seg["assurance_icon"] or None,
            "lower_limit": float(last["lpl"]), "upper_limit": float(last["upl"]),
            "point_type": last["point_type"], "outside_limits": bool(last["outside_limits"]),
            "part_of_shift": bool(last["part_of_shift"]), "part_of_trend": bool(last["part_of_trend"]),
            "side": last["side"]}


def _chart(series: pd.DataFrame, upto: pd.Timestamp, *, baseline_start, baseline_end, direction: str, target,
           run_length: int) -> spc.SPCResult | None:
    # Dates given as text are UK dates: never let pandas read 01/04/2023 as 4 January.
    start, end = parse_date(baseline_start, "baseline_start"), parse_date(baseline_end, "baseline_end")
    rows = series[(series["date"] >= start) & (series["date"] <= upto)].dropna(subset=["value"])
    if len(rows) < 2:
        return None
    n_baseline = int((rows["date"] <= end).sum())
    return spc.xmr(rows[["date", "value"]], date="date", value="value", improvement_direction=direction,
                   fix_after_n_points=n_baseline if n_baseline >= 12 else None, target=target,
                   run_length=run_length)


def watch_rules(now: dict, before: dict | None) -> list[str]:
    """The watch-list rules (:data:`WATCH_RULES`) that fire this month, given this and last month's states.

    A rule fires only when its change first appears: a point beyond a limit this month; a run or a trend that
    takes in this month's point but did not take in last month's when last month was reviewed; an assurance
    icon that differs from last month's. Without last month's state only the limit rule can fire.
    """
    fired = []
    if now["outside_limits"]:
        fired.append("new_special_cause")
    if before is None:
        return fired
    if now["part_of_shift"] and not before.get("part_of_shift"):
        fired.append("run_started")
    if now["part_of_trend"] and not before.get("part_of_trend"):
        fired.append("trend_started")
    if now["assurance_icon"] and before.get("assurance_icon") and now["assurance_icon"] != before["assurance_icon"]:
        fired.append("assurance_changed")
    return fired


def other_changes(now: dict, before: dict | None, target=None, direction: str = "neutral") -> list[str]:
    """Reported changes that are not watch-list rules (:data:`OTHER_CHANGES`)."""
    if before is None:
        return []
    out = []
    was, is_ = before.get("variation_icon"), now["variation_icon"]
    if was and is_ and was != is_:
        out.append("signal_ended" if is_ == "common_cause" else "variation_changed")
    if target is not None and direction in ("increase", "decrease") and pd.notna(before.get("value")):
        def meets(v):
            return v >= target if direction == "increase" else v <= target
        if meets(now["value"]) and not meets(before["value"]):
            out.append("target_met")
        elif meets(before["value"]) and not meets(now["value"]):
            out.append("target_missed")
    return out


@dataclass
class Review:
    """The review of one month: a tidy table (one row per monitored indicator) and what it compared with."""

    month: pd.Timestamp
    table: pd.DataFrame
    compared_with: str
    run_length: int

    def watch_list(self) -> pd.DataFrame:
        return self.table[self.table["watch"]]


def review_month(monthly: pd.DataFrame, *, month, baseline_start, baseline_end, previous: pd.DataFrame | None = None,
                 previous_month=None, targets: dict | None = None, run_length: int = 7) -> Review:
    """Review one month of the service-level monthly indicators.

    Parameters
    ----------
    monthly : DataFrame
        Service-level monthly indicators (``indicator, date, value``, from the workforce calculator).
    month : str, date or Period
        The review month (``MM/YYYY``).
    baseline_start, baseline_end : date
        The fixed baseline period: limits are computed on it and do not move from month to month.
    previous : DataFrame, optional
        The previous run's review table (``indicator`` and :data:`STATE_COLUMNS`, from its results). Without it
        last month's state is computed from these data, with the same fixed limits.
    previous_month : date, optional
        The month the previous run reviewed, for the report's wording.
    targets : dict, optional
        Indicator id -> target value, for the assurance icon and "target met/missed".
    run_length : int, default 7
        Points in a run or a trend (7 as NHSRplotthedots; 6 is allowed by the MDC Excel tool).

    Returns
    -------
    Review
        ``table`` columns: ``indicator, indicator_12m, month, value, lower_limit, upper_limit, value_12m,
        previous_value, previous_value_12m, variation_icon,
        assurance_icon, previous_variation_icon, previous_assurance_icon, point_type, outside_limits,
        part_of_shift, part_of_trend, side, watch_rules, changes, watch``.
    """
    from ttwell.calculations.workforce import INDICATORS

    end = month_end(month)
    prev_end = (pd.Period(end, "M") - 1).to_timestamp(how="end").normalize()
    rows = []
    for monthly_id, rolling_id in REVIEW_INDICATORS:
        row = {"indicator": monthly_id or rolling_id, "indicator_12m": rolling_id, "month": end}
        if rolling_id:
            roll = monthly[(monthly["indicator"] == rolling_id)].set_index("date")["value"]
            row["value_12m"] = roll.get(end)
            row["previous_value_12m"] = roll.get(prev_end)
        now = before = None
        if monthly_id:
            series = monthly[monthly["indicator"] == monthly_id][["date", "value"]]
            if not (series["date"] == end).any():
                row["changes"] = "no value this month"
                rows.append(row)
                continue
            direction = {"down": "decrease", "up": "increase"}.get(INDICATORS[monthly_id][2], "neutral")
            target = (targets or {}).get(monthly_id)
            kwargs = dict(baseline_start=baseline_start, baseline_end=baseline_end, direction=direction,
                          target=target, run_length=run_length)
            chart = _chart(series, end, **kwargs)
            now = chart_state(chart) if chart is not None else None
            if previous is not None:
                hit = previous[previous["indicator"] == monthly_id]
                before = hit.iloc[0].to_dict() if len(hit) else None
            else:
                earlier = _chart(series, prev_end, **kwargs)
                before = chart_state(earlier) if earlier is not None else None
            if now is not None:
                fired = watch_rules(now, before)
                row.update({k: now[k] for k in ("value", "lower_limit", "upper_limit", "variation_icon",
                                                "assurance_icon", "point_type",
                                                "outside_limits", "part_of_shift", "part_of_trend", "side")})
                row["previous_value"] = (before or {}).get("value")
                row["previous_variation_icon"] = (before or {}).get("variation_icon")
                row["previous_assurance_icon"] = (before or {}).get("assurance_icon")
                row["watch_rules"] = ";".join(fired)
                row["changes"] = ";".join(fired + other_changes(now, before, target, direction))
        rows.append(row)
    columns = ["indicator", "indicator_12m", "month", "value", "lower_limit", "upper_limit", "value_12m",
               "previous_value", "previous_value_12m",
               "variation_icon", "assurance_icon", "previous_variation_icon", "previous_assurance_icon",
               "point_type", "outside_limits", "part_of_shift", "part_of_trend", "side", "watch_rules", "changes"]
    table = pd.DataFrame(rows).reindex(columns=columns)
    table["watch_rules"] = table["watch_rules"].fillna("")
    table["changes"] = table["changes"].fillna("")
    table["watch"] = table["watch_rules"] != ""
    if previous is not None:
        when = f" ({month_end(previous_month):%B %Y})" if previous_month is not None else ""
        compared = f"the previous report{when}"
    else:
        compared = (f"{prev_end:%B %Y} as it looks in this month's data, with limits fixed on the baseline "
                    "(no previous report was given)")
    return Review(month=end, table=table, compared_with=compared, run_length=run_length)
