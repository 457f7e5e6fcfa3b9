"""Benchmark (b): monthly workforce indicators on a generated service of about 1,000,000 snapshot rows.

Goal (issue 2): under 5 s and under 2 GB peak memory on a 2-core machine. The data are generated once and
pickled to a temporary folder; a fresh subprocess then loads them, times ``monthly_indicators`` alone and
reports its own peak resident memory (which includes the loaded data).

    python benchmarks/bench_workforce_metrics.py [--staff 28000] [--repeat 3]
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


def measure(pickle_path: str, repeat: int) -> None:
    from ttwell.calculations import workforce
    from ttwell.inputs.io import WorkforceData

    with open(pickle_path, "rb") as handle:
        tables = pickle.load(handle)
    data = WorkforceData(staff_snapshot=tables["staff_snapshot"], absence=tables["absence"],
                         leavers=tables["leavers"], teams=tables["teams"], establishment=tables["establishment"])
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        table = workforce.monthly_indicators(data)
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"snapshot_rows": len(data.staff_snapshot), "absence_episodes": len(data.absence),
                      "output_rows": len(table), "seconds_first": round(times[0], 2),
                      "seconds_best": round(min(times), 2),
                      "seconds_all": [round(t, 2) for t in times], "peak_rss_mb": round(peak_mb)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=28000)
    parser.add_argument("--teams", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.repeat)
        return
    from ttwell.inputs.io import validate_frame
    from ttwell.synth import generate_workforce, workforce_as_text
    from ttwell.inputs.templates import TEMPLATES

    print(f"generating a service of {args.staff} staff ...", flush=True)
    text = workforce_as_text(generate_workforce(seed=1, n_staff=args.staff, n_teams=args.teams))
    tables = {}
    for kind, frame in text.items():  # the CSV text, typed exactly as ttwell.inputs.io types a user's file
        tables[kind], problems = validate_frame(frame, TEMPLATES[kind], kind)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise SystemExit(f"generated {kind} data failed validation: {errors[0].describe()}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.pkl"
        with open(path, "wb") as handle:
            pickle.dump(tables, handle)
        result = subprocess.run([sys.executable, __file__, "--measure", str(path), "--repeat", str(args.repeat)],
                                check=True, capture_output=True, text=True)
    print(result.stdout.strip())
    numbers = json.loads(result.stdout)
    ok = numbers["seconds_first"] < 5 and numbers["peak_rss_mb"] < 2048
    print(f"goal (< 5 s even on the first call, < 2048 MB): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
