"""Benchmark: Making Data Count XmR charts (``ttwell.calculations.spc.xmr``) on the three workloads of spc.md section 7.

Workloads: one monthly series of 10,000 points; one of 1,000,000 points; 1,000 facets of 60 points each
(60,000 rows). Computation only (no drawing). The peer is NHSRplotthedots 0.2.2 ``ptd_spc`` timed side by side
with ttwell on the project's 2-core machine on 01/12/2026 (median of 9 calls in 3 fresh R processes,
../shared/benchmarks/spc_peer_timings.md): 0.187 s, 16.5 s and 2.13 s. Earlier figures (0.37 s, 37.3 s, 5.3 s)
came from another run and overstated ttwell's margin about twofold. Goal (issue 13): at least 100 times faster on
each workload on the FIRST call in a fresh process, the import of ttwell's SPC code included.

Each workload is generated once and pickled; a fresh subprocess loads it (pandas is imported to read it), then
times ``from ttwell.calculations import spc`` plus the first ``xmr`` call together, exactly what a user's first
chart costs, and then the warm calls. ttwell's bytecode is compiled first, as ``pip install`` does (this project's
shell sets PYTHONDONTWRITEBYTECODE, which would otherwise add the compilation of every module to the first call);
the cache goes to a temporary folder, not into the source tree.

A first call happens once per process, so ``--runs N`` starts N fresh processes per workload and prints every
first call, the median and how many of the N met the goal; the load average before and after is printed because
on a shared machine other work slows a first call far more than a warm one.

    python benchmarks/bench_spc.py [--repeat 3] [--runs 5] [--only 10k|1m|facets]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

# NHSRplotthedots 0.2.2, seconds, measured side by side with ttwell on 01/12/2026 (spc_peer_timings.md).
PEER_SECONDS = {"10k": 0.187, "1m": 16.5, "facets": 2.13}
GOAL_SPEED_UP = 100


def make_workload(name: str, seed: int = 1) -> tuple[pd.DataFrame, str | None]:
    """A monthly series with noise and a few planted shifts (so every rule has work to do)."""
    rng = np.random.default_rng(seed)
    n_points, n_facets = {"10k": (10_000, 1), "1m": (1_000_000, 1), "facets": (60, 1000)}[name]
    # datetime64[s]: a million months runs far past pandas' nanosecond range (year 2262).
    months = np.arange(np.datetime64("2000-01", "M"), np.datetime64("2000-01", "M") + n_points)
    months = months.astype("datetime64[D]").astype("datetime64[s]")
    level = np.resize(np.repeat(rng.normal(0, 1.5, size=max(1, n_points // 50)), 50), n_points)
    values = 10 + level[None, :] + rng.normal(0, 1, size=(n_facets, n_points))
    frame = pd.DataFrame({"month": np.tile(months, n_facets), "value": values.ravel()})
    if n_facets > 1:
        frame.insert(0, "team", np.repeat([f"team_{i:04d}" for i in range(n_facets)], n_points))
        return frame, "team"
    return frame, None


def measure(pickle_path: str, repeat: int) -> None:
    with open(pickle_path, "rb") as handle:
        frame, facet = pickle.load(handle)
    start = time.perf_counter()
    from ttwell.calculations import spc  # the import is part of the first call

    seconds_import = time.perf_counter() - start
    result = spc.xmr(frame, date="month", value="value", facet=facet)
    first = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = spc.xmr(frame, date="month", value="value", facet=facet)
        warm.append(time.perf_counter() - start)
    flagged = int((result.points["rule"] != "none").sum())
    print(json.dumps({"rows": len(frame), "segments": len(result.summary), "flagged_points": flagged,
                      "seconds_import": round(seconds_import, 5), "seconds_first": round(first, 5),
                      "seconds_warm_best": round(min(warm), 5), "seconds_warm": [round(s, 5) for s in warm]}))


def _environment(cache: str) -> dict:
    """The subprocess's environment: bytecode compiled and kept in ``cache`` (as after ``pip install``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--runs", type=int, default=1, help="fresh processes per workload (one first call each)")
    parser.add_argument("--only", choices=list(PEER_SECONDS))
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.repeat)
        return
    all_met = True
    print(f"load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        env = _environment(str(Path(folder) / "pycache"))
        subprocess.run([sys.executable, "-c", "import ttwell.calculations.spc"], check=True, env=env)
        for name in [args.only] if args.only else list(PEER_SECONDS):
            frame, facet = make_workload(name)
            path = Path(folder) / "data.pkl"
            with open(path, "wb") as handle:
                pickle.dump((frame, facet), handle)
            del frame
            runs = []
            for _ in range(max(1, args.runs)):
                command = [sys.executable, __file__, "--measure", str(path), "--repeat", str(args.repeat)]
                result = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
                runs.append(json.loads(result.stdout))
            peer = PEER_SECONDS[name]
            # The first call (import included) is what a user waits for; the goal is judged on it, run by run.
            firsts = sorted(r["seconds_first"] for r in runs)
            median = statistics.median(firsts)
            n_met = sum(peer / max(t, 1e-9) >= GOAL_SPEED_UP for t in firsts)
            met = n_met == len(runs)
            all_met &= met
            numbers = min(runs, key=lambda r: r["seconds_first"])
            warm = min(r["seconds_warm_best"] for r in runs)
            print(f"{name:>6}: {numbers['rows']:>9,} rows  first call {numbers['seconds_first']:.4f} s "
                  f"(import {numbers['seconds_import']:.4f} s)  warm best of {args.repeat} "
                  f"{warm:.4f} s  | NHSRplotthedots {peer} s  -> {peer / numbers['seconds_first']:,.0f}x first, "
                  f"{peer / warm:,.0f}x warm ({'met' if met else 'NOT met'})  [{numbers['flagged_points']:,} flagged]")
            if len(runs) > 1:
                listed = ", ".join(f"{t:.4f}" for t in firsts)
                imports = ", ".join(f"{r['seconds_import']:.4f}" for r in runs)
                print(f"        first call over {len(runs)} fresh processes: {listed} s; median {median:.4f} s "
                      f"({peer / median:,.0f}x); goal met on {n_met} of {len(runs)}; import {imports} s")
    print(f"load average (1, 5, 15 min) after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"goal (>= {GOAL_SPEED_UP}x faster than NHSRplotthedots 0.2.2 on the first call, every workload"
          f"{', every run' if args.runs > 1 else ''}): {'met' if all_met else 'NOT met'}")


if __name__ == "__main__":
    main()
