"""PDSA cycle log and per-cycle verdicts: what the data show after each change, beside what the team decided.

For each cycle and each of its measures:

* the baseline is the points before the cycle started, since the last adopted change (an adopted change
  starts a new segment; nothing is rebased on a signal alone);
* limits are fixed on that baseline when it has at least 12 points (``fix_after_n_points``), so the points
  after the start are judged against what came before, as spc.md section 8 recommends;
* the points judged are those from the cycle's start up to the next cycle's start (or the end of the data),
  so a later change's effect is not credited to an earlier cycle;
* the run chart's Anhøj rules, with the baseline median frozen and carried on, give a second opinion.

Example
-------
>>> from ttwell import pdsa
>>> verdicts = pdsa.evaluate_cycles(log, measures, directions={"joy_often_always_pct": "increase"})  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations import spc
from ttwell.errors import AnalysisError

MIN_BASELINE_POINTS = 12  # fewer than this and the limits are not fixed (spc.md 2.7)
VERDICT_COLUMNS = ["project_id", "cycle_id", "change_idea", "measure_id", "start_date", "judged_until", "status",
                   "act_decision", "prediction_confirmed", "n_baseline", "baseline_mean", "lpl", "upl", "n_after",
                   "first_signal_date", "first_signal_rule", "signal", "runs_signal_frozen_baseline", "data_verdict",
                   "decision_vs_data", "warnings"]


def cycle_starts(log: pd.DataFrame) -> pd.Series:
    """Each cycle's start: the actual start when recorded, otherwise the planned start."""
    return log["actual_start_date"].fillna(log["planned_start_date"])


def _measure_ids(text) -> list[str]:
    """The measure ids of a log row's ';'-separated ``measures`` cell."""
    return [x.strip() for x in str(text).split(";") if x.strip()]


def adopted_rebase_dates(log: pd.DataFrame, measure_id: str) -> list[pd.Timestamp]:
    """Start dates of adopted cycles on a measure: where its chart starts a new segment."""
    uses = log["measures"].map(lambda m: measure_id in _measure_ids(m))
    adopted = log[uses & (log["act_decision"] == "adopt")]
    return sorted(cycle_starts(adopted).dropna())


def rebase_points(log: pd.DataFrame, series_dates: pd.Series, measure_id: str) -> list[pd.Timestamp]:
    """The first data point on or after each adopted change: the point that starts a new chart segment.

    A cycle starts on a calendar day; monthly data are dated at month-ends, so the segment starts with the
    first point whose date is on or after the start.
    """
    dates = pd.Series(pd.to_datetime(series_dates)).sort_values()
    points = []
    for day in adopted_rebase_dates(log, measure_id):
        later = dates[dates >= day]
        if len(later):
            points.append(later.iloc[0])
    return sorted(set(points))


def evaluate_cycles(log: pd.DataFrame, measures: pd.DataFrame, *, directions: dict[str, str] | None = None,
                    run_length: int = 7) -> pd.DataFrame:
    """Judge every cycle on each of its measures with an XmR chart fixed on the baseline before it.

    Parameters
    ----------
    log : DataFrame
        A validated PDSA log (template ``pdsa_log``).
    measures : DataFrame
        Validated measures (template ``pdsa_measures``): ``measure_id, date, value`` (service level, blank
        facet).
    directions : dict
        Measure id -> ``increase``, ``decrease`` or ``neutral`` (default ``increase``).

    Returns
    -------
    DataFrame with columns ``project_id, cycle_id, change_idea, measure_id, start_date, judged_until, status,
    act_decision, prediction_confirmed, n_baseline, baseline_mean, lpl, upl, n_after, first_signal_date,
    first_signal_rule, signal, runs_signal_frozen_baseline, data_verdict, decision_vs_data, warnings``.
    ``signal`` is ``improvement``, ``concern``, ``neutral`` or ``none``. ``runs_signal_frozen_baseline`` is
    the Anhøj signal over the baseline and the points after, against the baseline median carried on (as
    qicharts2's ``freeze``): structure inside the baseline alone can set it, so read it beside ``signal``.
    """
    directions = directions or {}
    service = measures[measures["facet"].isna() | (measures["facet"] == "")] if "facet" in measures else measures
    starts = cycle_starts(log)
    rows = []
    for index, cycle in log.iterrows():
        start = starts[index]
        for measure_id in _measure_ids(cycle["measures"]):
            series = service[service["measure_id"] == measure_id].sort_values("date")
            base = {"project_id": cycle["project_id"], "cycle_id": cycle["cycle_id"],
                    "change_idea": cycle["change_idea"], "measure_id": measure_id, "start_date": start,
                    "status": cycle["status"], "act_decision": cycle["act_decision"],
                    "prediction_confirmed": cycle["prediction_confirmed"]}
            if series.empty or pd.isna(start):
                rows.append({**base, "data_verdict": "no data for this measure" if series.empty
                             else "no start date", "warnings": []})
                continue
            rows.append({**base, **_judge(series, log, starts, index, measure_id, start,
                                          directions.get(measure_id, "increase"), run_length)})
    out = pd.DataFrame(rows, columns=VERDICT_COLUMNS)
    out["decision_vs_data"] = [decision_vs_data(r) for r in out.itertuples()]
    return out


def _judge(series, log, starts, index, measure_id, start, direction, run_length) -> dict:
    warnings = []
    # Only data since the last change adopted before this cycle: a new segment after an adopted change.
    earlier = [d for d in adopted_rebase_dates(log, measure_id) if d < start]
    since = earlier[-1] if earlier else series["date"].min()
    window = series[series["date"] >= since]
    # The next cycle on the same measure ends this one's window (exact ids: 'm' must not match 'm2').
    later_starts = [starts[other] for other in log.index
                    if other != index and pd.notna(starts[other]) and starts[other] > start
                    and measure_id in _measure_ids(log.loc[other, "measures"])]
    until = min(later_starts) if later_starts else None
    if until is not None:
        window = window[window["date"] < until]
    before = window[window["date"] < start]
    after = window[window["date"] >= start]
    n_before, n_after = len(before), len(after)
    fix = n_before if n_before >= MIN_BASELINE_POINTS else None
    if fix is None:
        warnings.append(f"only {n_before} points before the start: limits use every point, not a fixed baseline "
                        f"(at least {MIN_BASELINE_POINTS} are needed)")
    if n_after == 0:
        return {"n_baseline": n_before, "n_after": 0, "judged_until": until, "signal": "none",
                "data_verdict": "no points after the start yet", "warnings": warnings}
    try:
        chart = spc.xmr(window, date="date", value="value", improvement_direction=direction,
                        fix_after_n_points=fix, run_length=run_length)
    except AnalysisError as exc:
        return {"n_baseline": n_before, "n_after": n_after, "judged_until": until, "signal": "none",
                "data_verdict": f"not judged: {exc}", "warnings": warnings}
    points = chart.points
    judged = points[points["date"] >= start]
    flagged = judged[judged["point_type"] != "common_cause"]
    signal, first_date, first_rule = "none", None, None
    if len(flagged):
        first = flagged.iloc[0]
        first_date, first_rule = first["date"], first["rule"]
        signal = {"special_cause_improvement": "improvement", "special_cause_concern": "concern"}.get(
            first["point_type"], "neutral")
    segment = chart.summary.iloc[0]
    warnings += list(segment["warnings"])
    runs_frozen = None
    if n_before >= 1:
        # The baseline median frozen and carried on (qicharts2 "freeze"): runs after the start count against it.
        try:
            runs = spc.run_chart(window, date="date", value="value", freeze=n_before)
            runs_frozen = bool(runs.parts.iloc[-1]["signal"])
        except AnalysisError:
            runs_frozen = None
    return {"n_baseline": n_before, "baseline_mean": segment["mean"], "lpl": segment["lpl"], "upl": segment["upl"],
            "n_after": n_after, "judged_until": until, "first_signal_date": first_date, "first_signal_rule": first_rule,
            "signal": signal, "runs_signal_frozen_baseline": runs_frozen, "data_verdict": data_verdict(signal, first_date,
                                                                                          first_rule, n_after),
            "warnings": warnings}


RULE_WORDS = {"outside_limits": "a point outside the limits", "shift": "a shift (a run on one side of the mean)",
              "trend": "a trend", "two_in_three": "two of three points near a limit"}


def data_verdict(signal: str, first_date, first_rule, n_after: int) -> str:
    """What the chart shows after the start, in words."""
    if signal == "none":
        return f"no special cause after {n_after} point{'s' if n_after != 1 else ''}"
    when = pd.Timestamp(first_date).strftime("%B %Y")
    kind = {"improvement": "special-cause improvement", "concern": "special-cause concern"}.get(
        signal, "special-cause variation")
    return f"{kind} from {when} ({RULE_WORDS.get(first_rule, first_rule)})"


def decision_vs_data(row) -> str:
    """The team's decision set beside the data, e.g. 'adopted, but no special-cause improvement yet'."""
    decision = getattr(row, "act_decision", None)
    signal = getattr(row, "signal", None)
    n_after = getattr(row, "n_after", 0) or 0
    if decision is None or (isinstance(decision, float) and np.isnan(decision)):
        return "no decision recorded yet"
    verb = {"adopt": "adopted", "adapt": "adapted", "abandon": "abandoned"}[decision]
    if signal == "improvement":
        return (f"{verb}, and the data show special-cause improvement" if decision == "adopt" else
                f"{verb}, although the data show special-cause improvement: worth a second look")
    if signal == "concern":
        return (f"{verb}, but the data show special-cause concern: check for harm" if decision == "adopt" else
                f"{verb}; the data show special-cause concern too")
    if decision == "adopt":
        return f"adopted, but no special-cause improvement yet after {n_after} points"
    return f"{verb}; the data show no special cause either, consistent with the decision"
