"""Benchmark: scoring 1,000,000 WRQoL respondents (23 scored items, wide form) with ``ttwell.calculations.scales.score``.

Goal: under 2 s on a 2-core machine. The responses are generated with a seeded generator (answers 1-5, about
2% left blank, three teams) and pickled to a temporary folder; a fresh subprocess then loads them, times
``score`` alone (first call, then the best of the repeats) and reports its own peak resident memory, which
includes the loaded data.

    python benchmarks/bench_scoring.py [--respondents 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 2.0


def generate(respondents: int, seed: int = 1):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    items = [f"WRQOL_{i:02d}" for i in range(1, 24)]
    values = rng.integers(1, 6, size=(respondents, len(items))).astype(np.float64)
    values[rng.random(values.shape) < 0.02] = np.nan  # blank answers, as a real survey has
    frame = pd.DataFrame(values, columns=items)
    frame.insert(0, "response_id", [f"R{i:07d}" for i in range(respondents)])
    frame.insert(0, "wave_id", "2025_annual")
    frame.insert(2, "team_code", rng.choice(["T01", "T02", "T03"], size=respondents))
    return frame


def measure(pickle_path: str, repeat: int) -> None:
    from ttwell.calculations.scales import score

    with open(pickle_path, "rb") as handle:
        responses = pickle.load(handle)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        scored = score(responses, "WRQOL")
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"respondents": len(responses), "items": 23, "output_columns": scored.shape[1],
                      "mean_wrqol_overall": round(float(scored["wrqol_overall"].mean()), 4),
                      "seconds_first": round(times[0], 2), "seconds_best": round(min(times), 2),
                      "seconds_all": [round(t, 2) for t in times], "peak_rss_mb": round(peak_mb)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.repeat)
        return
    print(f"generating {args.respondents:,} WRQoL respondents ...", flush=True)
    responses = generate(args.respondents)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.pkl"
        with open(path, "wb") as handle:
            pickle.dump(responses, handle)
        del responses
        result = subprocess.run([sys.executable, __file__, "--measure", str(path), "--repeat", str(args.repeat)],
                                check=True, capture_output=True, text=True)
    print(result.stdout.strip())
    numbers = json.loads(result.stdout)
    print(f"goal (< {GOAL_SECONDS:g} s even on the first call): "
          f"{'met' if numbers['seconds_first'] < GOAL_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
