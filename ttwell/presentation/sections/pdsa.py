"""PDSA section: one measure's run or SPC chart with its cycles, computed on complete data and disclosed."""

from __future__ import annotations

from dataclasses import dataclass, field
import pandas as pd

from ttwell import disclosure


@dataclass
class PDSAMeasure:
    """What the PDSA review shows for one measure: the SPC and run chart results and the cycles on it.

    ``spc`` and ``runs`` are computed on every point; ``shown`` is the disclosed table of points and
    ``spc_points`` / ``run_points`` the chart points with hidden months set to missing (gaps on the axis).
    """

    measure_id: str
    data: pd.DataFrame
    spc: object
    runs: object
    cycles: pd.DataFrame
    shown: disclosure.Disclosed
    spc_points: pd.DataFrame
    run_points: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def pdsa_points_table(section: PDSAMeasure, policy: disclosure.Policy) -> disclosure.Disclosed:
    """The SPC points of one measure as saved with the review: a hidden point keeps its date and segment
    (its limits come from every point) but no value, rule or point type."""
    points = section.spc_points[["date", "value", "segment", "mean", "lpl", "upl", "rule", "side", "point_type",
                                 "suppressed"]].copy()
    for column in ("rule", "side", "point_type"):
        points[column] = points[column].where(~points["suppressed"])
    return disclosure.Disclosed(points, policy.footnote(points), int(points["suppressed"].sum()))


def pdsa_measure(measures: pd.DataFrame, log: pd.DataFrame, measure_id: str, *, direction: str = "increase",
                 target: float | None = None, policy: disclosure.Policy) -> PDSAMeasure:
    """One measure of a PDSA project: an XmR chart rebased only at adopted changes and a run chart frozen on
    the points before the first cycle, both computed on every point; then disclosure on the points shown.

    A point whose denominator (respondents) is below the threshold keeps its place in the calculations (its
    limits and runs are those of the whole series) but is shown as a gap, and the notes say so.
    """
    from ttwell.calculations import pdsa, spc

    rows = measures[(measures["measure_id"] == measure_id)
                    & (measures["facet"].isna() | (measures["facet"] == ""))].sort_values("date")
    rows = rows.reset_index(drop=True)
    notes = []
    points = rows.assign(level="service")
    if rows["denominator"].notna().any():
        shown = policy.table(points, value_columns=["value", "numerator"], size_column="denominator", partition=[],
                             rates=False, hr=False)
    else:
        shown = disclosure.Disclosed(points.assign(suppressed=False, suppression_reason=None),
                                     policy.footnote(points.assign(suppressed=False)), 0)
    hidden = shown.n_suppressed_rows
    if hidden:
        notes.append(f"{hidden} point(s) rest on fewer than {policy.threshold} respondents: they are used in the "
                     f"calculations but not shown (gaps on the charts, {disclosure.SUPPRESSED_MARK} in tables).")
    starts = pdsa.cycle_starts(log)
    uses = log["measures"].map(lambda m: measure_id in [x.strip() for x in str(m).split(";")])
    cycles = pd.DataFrame({"label": [f"{c}: {d if isinstance(d, str) else s}" for c, d, s in
                                     zip(log["cycle_id"], log["act_decision"], log["status"])],
                           "start": starts, "end": log["actual_end_date"].fillna(log["planned_end_date"])})[uses.values]
    chart = spc.xmr(rows, date="date", value="value", improvement_direction=direction,
                    rebase=pdsa.rebase_points(log, rows["date"], measure_id), target=target)
    before_first = int((rows["date"] < cycles["start"].min()).sum()) if len(cycles) else None
    runs = spc.run_chart(rows, date="date", value="value", freeze=before_first if before_first else None)
    spc_points = policy.series(chart.points, shown.table, on=["date"], columns=["value", "moving_range"])
    run_points = policy.series(runs.points, shown.table, on=["date"], columns=["value"])
    return PDSAMeasure(measure_id, rows, chart, runs, cycles.reset_index(drop=True), shown, spc_points, run_points,
                       notes)
