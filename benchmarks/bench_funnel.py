"""Benchmark: funnel-plot limits and the over-dispersion test for 10,000 units (``ttwell.calculations.funnel``).

Goal: under 0.5 s for 10,000 units on a 2-core machine (issue 15). For each kind (proportion: exact binomial;
rate: exact Poisson; mean: normal with the pooled SD) a fresh subprocess imports ttwell's funnel module, builds a
seeded table of 10,000 units with an extra spread between units (so the over-dispersion test rejects and the
limits are widened, the longer path), and times ``funnel`` alone: the first call (which includes importing scipy's
distributions on first use) and the best of the repeats. The import of the module itself is reported apart.

    python benchmarks/bench_funnel.py [--units 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

GOAL_SECONDS = 0.5
KINDS = ("proportion", "rate", "mean")


def measure(kind: str, units: int, repeat: int) -> dict:
    import time

    start = time.perf_counter()
    from ttwell.calculations.funnel import funnel
    imported = time.perf_counter() - start

    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(15)
    size = rng.integers(20, 2000, units)
    rate = np.clip(rng.normal(0.1, 0.02, units), 0.01, 0.9)  # units truly differ: over-dispersed
    if kind == "mean":
        table = pd.DataFrame({"group": [f"U{i:05d}" for i in range(units)], "numerator": rng.normal(3.5, 0.1, units),
                              "denominator": size, "sd": rng.uniform(0.6, 1.0, units)})
        args = {"kind": "mean", "sd": "sd"}
    else:
        events = rng.binomial(size, rate) if kind == "proportion" else rng.poisson(rate * size)
        table = pd.DataFrame({"group": [f"U{i:05d}" for i in range(units)], "numerator": events,
                              "denominator": size})
        args = {"kind": kind}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = funnel(table, **args)
        times.append(time.perf_counter() - start)
    return {"kind": kind, "import": imported, "first": times[0], "best": min(times),
            "adjusted": result.overdispersion.adjusted}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.units, args.repeat)))
        return 0
    worst = 0.0
    print(f"funnel limits for {args.units:,} units (fresh process per kind; goal < {GOAL_SECONDS} s)")
    for kind in KINDS:
        out = subprocess.run([sys.executable, __file__, "--child", kind, "--units", str(args.units), "--repeat",
                              str(args.repeat)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        worst = max(worst, r["first"])
        print(f"  {kind:<10} import {r['import']:.3f} s; first call {r['first']:.3f} s, best of {args.repeat} "
              f"{r['best']:.3f} s; limits widened for over-dispersion: {r['adjusted']}")
    print(f"slowest first call {worst:.3f} s: goal {'met' if worst < GOAL_SECONDS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
