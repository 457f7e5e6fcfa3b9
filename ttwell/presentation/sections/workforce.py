"""Workforce sections: XmR charts of the monthly indicators with limits fixed on the baseline, the icon
summary and SPC panel, the compact team and role-family breakdown, and leaving and exit/stay reasons."""

from __future__ import annotations

import pandas as pd

from ttwell import disclosure
from ttwell.inputs.dates import parse_date


def reason_groups(reasons: pd.DataFrame) -> pd.DataFrame:
    """Leaving reasons as a breakdown of the service total, ready for the disclosure policy.

    The ``all_leavers`` row is the published total (service level); each reason group is a part of it, so
    for a staff-wide audience each group is a count below the service total (1-7 hidden, 8 or more rounded,
    shares from the rounded counts) and one hidden group hides a second (domain spec 4.2 rules 2, 4 and 7).
    """
    level = reasons["reason_group"].map(lambda g: "service" if g == "all_leavers" else "reason")
    return reasons.assign(level=level)


def indicator_spc(service_monthly: pd.DataFrame, indicators: list[str], *, baseline_start, baseline_end,
                  directions: dict | None = None, rebase_at=None) -> dict:
    """XmR charts of service-level monthly indicators from the baseline start, limits fixed on the baseline.

    The baseline months are the fixed baseline (``fix_after_n_points``) when there are at least 12 of them;
    months before the baseline are left out, so later months are judged against the baseline alone. The
    improvement direction comes from the indicator's definition (lower is better for sickness, and so on).
    """
    from ttwell.calculations import spc
    from ttwell.calculations.workforce import INDICATORS

    start, end = parse_date(baseline_start, "baseline_start"), parse_date(baseline_end, "baseline_end")
    out = {}
    for indicator in indicators:
        rows = service_monthly[(service_monthly["indicator"] == indicator)
                               & (service_monthly["date"] >= start)].dropna(subset=["value"])
        if len(rows) < 2:
            continue
        n_baseline = int((rows["date"] <= end).sum())
        direction = (directions or {}).get(indicator) or {"down": "decrease", "up": "increase"}.get(
            INDICATORS[indicator][2], "neutral")
        # A new segment at the strategy start only when asked: the first monthly point on or after it.
        later = (rows["date"][rows["date"] >= parse_date(rebase_at, "rebase_at")] if rebase_at is not None
                 else rows["date"][:0])
        out[indicator] = spc.xmr(rows[["date", "value"]], date="date", value="value", improvement_direction=direction,
                                 fix_after_n_points=n_baseline if n_baseline >= 12 else None,
                                 rebase=[later.min()] if len(later) else ())
    return out


def icon_summary(charts_by_indicator: dict, shown: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator: baseline mean and limits, latest value, variation icon and warnings.

    The icons come from the complete series. ``shown`` (the disclosed service-level monthly table, with
    ``indicator, date, suppressed``) decides whether the latest month's value may be printed.
    """
    from ttwell.calculations.workforce import INDICATORS

    rows = []
    for indicator, chart in charts_by_indicator.items():
        seg = chart.summary.iloc[-1]
        latest_date, latest = chart.points["date"].iloc[-1], chart.points["value"].iloc[-1]
        if shown is not None:
            hit = shown[(shown["indicator"] == indicator) & (shown["date"] == latest_date)]
            if len(hit) and bool(hit["suppressed"].iloc[0]):
                latest = float("nan")
        rows.append({"indicator": indicator, "label": INDICATORS[indicator][0], "unit": INDICATORS[indicator][1],
                     "baseline_mean": seg["mean"],
                     "lower_limit": seg["lpl"], "upper_limit": seg["upl"],
                     "latest_value": latest, "variation": seg["variation_icon"],
                     "special_cause_points": int(seg["n_special_cause"]),
                     "warnings": "; ".join(seg["warnings"])})
    return pd.DataFrame(rows, columns=["indicator", "label", "unit", "baseline_mean", "lower_limit", "upper_limit",
                                       "latest_value", "variation", "special_cause_points", "warnings"])


def spc_panel(spc_charts: dict, indicators: list[str], policy: disclosure.Policy, shown: pd.DataFrame):
    """Several service-level SPC charts as one small-multiples panel: the points (hidden months as gaps) and
    segment summaries with a ``facet`` column naming each indicator, and one plain description per chart for the
    alt text. ``None`` when none of ``indicators`` was charted.
    """
    from ttwell.presentation.labels import VARIATION_ICONS
    from ttwell.calculations.workforce import INDICATORS

    points, summaries, descriptions = [], [], []
    for indicator in [i for i in indicators if i in spc_charts]:
        chart = spc_charts[indicator]
        label, unit, _ = INDICATORS[indicator]
        shown_points = policy.series(chart.points, shown[shown["indicator"] == indicator], on=["date"],
                                     columns=["value", "moving_range"])
        points.append(shown_points.assign(facet=label))
        summaries.append(chart.summary.assign(facet=label))
        latest = chart.summary.iloc[-1]
        as_text = (lambda v: f"{100 * v:.1f}%") if unit == "proportion" else (lambda v: f"{v:.1f}")
        descriptions.append(f"{label}: mean {as_text(latest['mean'])}, limits {as_text(latest['lpl'])} to "
                            f"{as_text(latest['upl'])}, {VARIATION_ICONS.get(latest['variation_icon'], '')[2:].lower()}")
    if not points:
        return None
    return pd.concat(points, ignore_index=True), pd.concat(summaries, ignore_index=True), descriptions


def breakdown_table(table: pd.DataFrame, indicators: list[str], group_names: dict[str, dict],
                    levels=("team", "role_family")) -> pd.DataFrame:
    """Disclosed baseline values below service level as one compact table: a row per team and per role family, a
    column per indicator (named by its label), with the number of staff behind the row.

    Returns columns ``level, group, n_people, <indicator labels...>, suppressed``; ``n_people`` is the largest
    number of staff behind any of the row's figures. A group with any of its indicators hidden shows none of them
    (and no n), so a row with [c] never shows a number. Intervals stay in the workbook's baseline values sheet.
    """
    from ttwell.presentation.labels import LEVELS
    from ttwell.calculations.workforce import INDICATORS

    labels = {i: INDICATORS[i][0] for i in indicators}
    rows = []
    for level in levels:
        part = table[(table["level"] == level) & table["indicator"].isin(indicators)]
        for group, by_group in part.groupby("group", sort=False):
            values = by_group.set_index("indicator")
            hidden = bool(values["suppressed"].any())
            row = {"level": LEVELS.get(level, level), "group": group_names.get(level, {}).get(group, group),
                   "n_people": float("nan") if hidden else values["n_people"].max()}
            for indicator in indicators:
                value = values["value"].get(indicator, float("nan"))
                row[labels[indicator]] = float("nan") if hidden else value
            row["suppressed"] = hidden
            rows.append(row)
    return pd.DataFrame(rows, columns=["level", "group", "n_people", *labels.values(), "suppressed"])


EXIT_STAY_DIRECTIONS = {"reason_to_stay": "Why staff stay", "reason_might_leave": "Why staff might leave",
                        "reason_to_leave": "Why leavers left"}


def exit_stay_table(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Disclosed exit and stay survey reasons as one table: a row per reason, a column per question (its share of
    respondents, the number of respondents in the header).

    Returns ``(wide, hidden)``: ``hidden`` names the questions whose every row is suppressed (too few
    respondents), which are left out of the table (see :func:`hidden_questions_sentence`). A reason suppressed
    under any question shown is hidden under all of them, so a row with [c] never shows a number. A reason not
    cited under a question is empty (a dash). Rows are ordered by the largest share.
    """
    hidden, columns = [], {}
    for direction, rows in table.groupby("direction", sort=False):
        name = EXIT_STAY_DIRECTIONS.get(direction, str(direction))
        if rows["suppressed"].all():
            hidden.append(name)
            continue
        n = rows["n_respondents"].max()
        columns[direction] = (f"{name} ({n:.0f} respondents)", rows.set_index("reason_code"))
    order = sorted(columns, key=lambda d: list(EXIT_STAY_DIRECTIONS).index(d) if d in EXIT_STAY_DIRECTIONS else 99)
    reasons = list(dict.fromkeys(r for d in order for r in columns[d][1].index))
    out = pd.DataFrame({"reason_code": reasons})
    hide = pd.Series(False, index=out.index)
    for direction in order:
        header, rows = columns[direction]
        out[header] = out["reason_code"].map(rows["share_of_respondents"]).astype(float)
        hide |= out["reason_code"].map(rows["suppressed"]).fillna(False).astype(bool)
    shares = [columns[d][0] for d in order]
    out.loc[hide, shares] = float("nan")
    out["suppressed"] = hide
    if shares:
        out = out.assign(_order=out[shares].max(axis=1)).sort_values("_order", ascending=False, kind="stable")
        out = out.drop(columns="_order").reset_index(drop=True)
    return out, hidden


def hidden_questions_sentence(hidden: list[str]) -> str | None:
    """'Why leavers left: not shown, fewer respondents than the threshold.' (nothing when no question is hidden)."""
    if not hidden:
        return None
    return f"{' and '.join(hidden)}: not shown, fewer respondents than the threshold."
