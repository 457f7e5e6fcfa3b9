"""Run charts and the Anhøj runs rules (qicharts2 0.8.1, spc.md section 3.2).

:func:`longest_run_max` and :func:`n_crossings_min` are Anhøj's limits; :func:`runs_analysis` applies them per part
(also used by the p, u and c charts per segment); :func:`run_chart` is the run chart itself, with before/after
parts or a frozen baseline for a PDSA review.
"""

from __future__ import annotations

from functools import cache
from math import log2

import numpy as np
import pandas as pd

from ttwell.calculations.spc.core import MIN_USEFUL_RUNS_POINTS, RunChartResult
from ttwell.calculations.spc.prepare import PreparedSeries, date_list, describe_dates, prepare
from ttwell.errors import AnalysisError, ParameterError
from ttwell.inputs.dates import uk_date


def longest_run_max(n_useful: int) -> int:
    """Largest longest run expected by chance among ``n_useful`` points (Schilling): ``round(log2 n) + 3``.

    Python's ``round`` is half-to-even like R's, and ``log2(n)`` is never exactly x.5 for an integer n, so this
    agrees with qicharts2.

    >>> longest_run_max(24)
    8
    """
    if n_useful < 1:
        raise AnalysisError("The runs rules need at least one point that is not on the centre line.")
    return round(log2(n_useful)) + 3


@cache
def n_crossings_min(n_useful: int) -> int:
    """Fewest crossings of the centre line expected by chance: ``qbinom(0.05, n_useful - 1, 0.5)``.

    The smallest k whose Binomial(n - 1, 1/2) cumulative probability is at least 0.05. Up to 5,000 points it is
    computed in exact integer arithmetic (``20 * sum(C(m, j)) >= 2**m``; 2**m is never a multiple of 5, so
    there are no ties); beyond, with ``scipy.stats.binom.ppf``.

    >>> n_crossings_min(24)
    8
    """
    if n_useful < 1:
        raise AnalysisError("The runs rules need at least one point that is not on the centre line.")
    m = n_useful - 1
    if m > 5000:
        # Imported here: scipy takes longer to load than a chart of 10,000 points takes to compute.
        from scipy.stats import binom

        return int(binom.ppf(0.05, m, 0.5))
    total, term, target = 0, 1, 2 ** m
    for k in range(m + 1):
        total += term  # term = C(m, k)
        if 20 * total >= target:
            return k
        term = term * (m - k) // (k + 1)
    return m  # pragma: no cover - the loop always returns by k = m


def runs_analysis(y: np.ndarray, centre: np.ndarray, part: np.ndarray, n_parts: int) -> dict:
    """Anhøj runs analysis per part (spc.md 3.2): points on the centre line are dropped, not run-breakers.

    ``part`` numbers the points 0..n_parts-1 in contiguous blocks. Returns per-part arrays ``n_useful,
    longest_run, n_crossings, longest_run_max, n_crossings_min`` (-1 without useful points), ``long_signal,
    cross_signal, signal``.
    """
    sign = np.sign(y - centre)
    useful = np.isfinite(sign) & (sign != 0)
    sg, pt = sign[useful], part[useful]
    n_useful = np.bincount(pt, minlength=n_parts)
    start = np.ones(len(sg), dtype=bool)
    start[1:] = (sg[1:] != sg[:-1]) | (pt[1:] != pt[:-1])
    run_id = np.cumsum(start) - 1
    run_len = np.bincount(run_id) if len(run_id) else np.zeros(0, dtype=int)
    run_part = pt[start]
    longest = np.zeros(n_parts, dtype=int)
    np.maximum.at(longest, run_part, run_len)
    blocks = np.bincount(run_part, minlength=n_parts)
    crossings = np.maximum(blocks - 1, 0)
    useful_counts = n_useful.tolist()
    lr_max = np.array([longest_run_max(k) if k > 0 else -1 for k in useful_counts], dtype=int)
    cr_min = np.array([n_crossings_min(k) if k > 0 else -1 for k in useful_counts], dtype=int)
    long_signal = (n_useful > 0) & (longest > lr_max)
    cross_signal = (n_useful > 0) & (crossings < cr_min)
    return {"n_useful": n_useful, "longest_run": longest, "n_crossings": crossings, "longest_run_max": lr_max,
            "n_crossings_min": cr_min, "long_signal": long_signal, "cross_signal": cross_signal,
            "signal": long_signal | cross_signal}


def signal_reason(long_signal: bool, cross_signal: bool) -> str:
    """Why a part signals: longest_run, crossings, both, or none."""
    if long_signal and cross_signal:
        return "longest_run_and_crossings"
    return "longest_run" if long_signal else "crossings" if cross_signal else "none"


def run_warnings(n_useful: int) -> list[str]:
    """Warnings for a part with few points off the centre line."""
    if n_useful == 0:
        return ["Every point is on the centre line: the runs rules cannot be applied."]
    if n_useful < MIN_USEFUL_RUNS_POINTS:
        return [(f"Only {n_useful} point(s) off the centre line: the runs rules have little power below "
                 f"{MIN_USEFUL_RUNS_POINTS}.")]
    return []


def _parts_from_dates(s: PreparedSeries, part_after, facet) -> np.ndarray:
    """Part number within each facet: a new part starts after each ``part_after`` date (its last point)."""
    part = np.zeros(len(s.y), dtype=int)
    if part_after is None or (not isinstance(part_after, dict) and len(date_list(part_after, "part_after")) == 0):
        return part
    labels = list(s.labels)
    if isinstance(part_after, dict):
        unknown = [k for k in part_after if k not in set(labels)]
        if unknown:
            raise ParameterError(f"part_after names facet(s) not in the data: {', '.join(map(str, unknown))}.")
        per_facet = {k: date_list(v, f"part_after['{k}']") for k, v in part_after.items()}
    else:
        dates = date_list(part_after, "part_after")
        per_facet = {lab: dates for lab in labels}
    for lab, dates in per_facet.items():
        rows = s.facet_code == labels.index(lab)
        fd = s.date[rows]
        counts = np.zeros(rows.sum(), dtype=int)
        for d in sorted(set(dates)):
            after = fd > np.datetime64(d, "s")
            if after.all() or not after.any():
                raise ParameterError(
                    f"part_after {uk_date(d)} leaves an empty part" + (f" for '{lab}'" if facet else "")
                    + f": the data run from {uk_date(fd[0])} to {uk_date(fd[-1])}. Give the date of the last point "
                    "before the change.")
            counts += after
        part[rows] = counts
    return part


def run_chart(data: pd.DataFrame, *, date: str, value: str, facet: str | None = None, part_after=(),
              freeze: int | None = None, missing: str = "error") -> RunChartResult:
    """Run chart with Anhøj's rules (qicharts2 0.8.1 ``qic(chart = "run")``, spc.md 3.2).

    Parameters
    ----------
    data : DataFrame
        One row per date (per facet).
    date, value : str
        Column names.
    facet : str, optional
        Column naming independent series.
    part_after : list of dates, or dict facet -> list of dates
        Before/after parts: each date is the **last point of the earlier part** (points on or before it); each
        part has its own median and runs analysis.
    freeze : int, optional
        The first ``freeze`` points of each facet are the baseline: the median comes from them and every point
        of the series is tested against it (the before/after use in a PDSA review). Not together with
        ``part_after`` (qicharts2 silently ignores ``freeze`` then; ttwell refuses).
    missing : {"error", "drop"}
        As in :func:`xmr`. (qicharts2 drops missing values and aggregates duplicate dates; ttwell refuses
        duplicates.)

    Returns
    -------
    RunChartResult
        ``parts``: one row per facet and part with ``facet, part, start_date, end_date, n_obs, n_useful,
        median, longest_run, longest_run_max, n_crossings, n_crossings_min, signal, signal_reason, warnings``.
        ``points``: ``facet, date, value, part, baseline, median, runs_signal``.

    Notes
    -----
    Points on the median are dropped (they neither break nor extend a run); ``n_useful`` counts the rest.
    ``longest_run_max = round(log2(n_useful)) + 3``; ``n_crossings_min = qbinom(0.05, n_useful - 1, 0.5)``.
    The signal is ``longest_run > longest_run_max or n_crossings < n_crossings_min``, one flag per part.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=12, freq="MS"),
    ...                       "joy": [3, 5, 4, 6, 3, 5, 4, 6, 3, 5, 4, 6]})
    >>> part = run_chart(frame, date="month", value="joy").parts.iloc[0]
    >>> int(part["n_useful"]), int(part["n_crossings"]), bool(part["signal"])
    (12, 11, False)
    """
    if freeze is not None:
        if isinstance(freeze, bool) or not float(freeze).is_integer() or freeze < 1:
            raise ParameterError(f"freeze must be a whole number of points, at least 1; got {freeze!r}.")
        freeze = int(freeze)
        if part_after is not None and (isinstance(part_after, dict) or len(date_list(part_after, "part_after"))):
            raise ParameterError("Give part_after or freeze, not both (as in qicharts2, a frozen baseline applies "
                                 "to the whole series).")
    s = prepare(data, date=date, value=value, facet=facet, missing=missing)
    part_in_facet = _parts_from_dates(s, part_after, facet)
    # Contiguous part ids over all facets (facets are sorted, parts increase within a facet).
    key_change = np.ones(len(s.y), dtype=bool)
    key_change[1:] = (s.facet_code[1:] != s.facet_code[:-1]) | (part_in_facet[1:] != part_in_facet[:-1])
    part = np.cumsum(key_change) - 1
    n_parts = int(part[-1]) + 1
    facet_pos = np.arange(len(s.y)) - np.nonzero(np.r_[True, s.facet_code[1:] != s.facet_code[:-1]])[0][s.facet_code]
    baseline = facet_pos < freeze if freeze is not None else np.ones(len(s.y), dtype=bool)
    if freeze is not None:
        facet_sizes = np.bincount(s.facet_code, minlength=len(s.labels))
        short = [lab for lab, n in zip(s.labels, facet_sizes) if n < freeze]
        if short:
            raise AnalysisError(f"freeze = {freeze} needs at least {freeze} points; "
                                f"{', '.join(map(str, short[:5]))} has fewer.")
    median = pd.Series(np.where(baseline, s.y, np.nan)).groupby(part).median().to_numpy()
    centre = median[part]
    runs = runs_analysis(s.y, centre, part, n_parts)
    starts = np.nonzero(key_change)[0]
    ends = np.append(starts[1:], len(s.y)) - 1
    n_obs = ends - starts + 1
    rows = []
    for p in range(n_parts):
        lab = s.labels[s.facet_code[starts[p]]]
        nu = int(runs["n_useful"][p])
        warn = (list(s.notes.get(lab, [])) if p == 0 or s.facet_code[starts[p]] != s.facet_code[starts[p - 1]]
                else []) + run_warnings(nu)
        rows.append({"facet": lab, "part": int(part_in_facet[starts[p]]), "start_date": s.date[starts[p]],
                     "end_date": s.date[ends[p]], "n_obs": int(n_obs[p]), "n_useful": nu, "median": median[p],
                     "longest_run": int(runs["longest_run"][p]),
                     "longest_run_max": int(runs["longest_run_max"][p]) if nu else None,
                     "n_crossings": int(runs["n_crossings"][p]),
                     "n_crossings_min": int(runs["n_crossings_min"][p]) if nu else None,
                     "signal": bool(runs["signal"][p]),
                     "signal_reason": signal_reason(runs["long_signal"][p], runs["cross_signal"][p]),
                     "warnings": warn})
    parts = pd.DataFrame(rows)
    points = pd.DataFrame({"facet": s.facet_column(), "date": s.date, "value": s.y, "part": part_in_facet,
                           "baseline": baseline, "median": centre, "runs_signal": runs["signal"][part]})
    options = {"chart": "run", "part_after": describe_dates(part_after),
               "freeze": freeze if freeze is not None else "not set", "missing": missing}
    return RunChartResult(points=points, parts=parts, options=options)
