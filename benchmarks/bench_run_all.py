"""Benchmark (a): ``ttwell run all`` wall time against a floor measured in the same run, and where the time goes.

The floor runs the same number of notebooks through papermill, one after another, each only importing the
libraries the real notebooks import: what any run of that many notebooks must pay (a kernel start and the
imports) before doing any work. ``ttwell run all`` runs independent notebooks side by side (``--jobs``, default
one per core), so on a 2-core machine it can finish within the floor while doing all of its work.
Goal (issue 13): ratio at most 1.0 on a 2-core machine.

The two are measured alternately, ``--repeat`` times each, and the best of each is compared; the machine's load
average is printed with the result (other people's tests on the same cores slow both, not equally).

The breakdown per notebook comes from the runner's ``run.log`` (papermill's own timings of the kernel start, the
cells and the kernel stop; the HTML, Word and Excel exports) and from the floor notebook (how long its import cell
takes: the share of the cells spent importing).

    python benchmarks/bench_run_all.py [--repeat 2] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

FLOOR_SOURCE = ("import pandas, numpy, scipy.stats, statsmodels.api, seaborn, matplotlib.pyplot\n"
                "import ttwell.calculations.workforce, ttwell.disclosure, ttwell.presentation.charts, ttwell.presentation.report")
STEPS = ("kernel_start", "imports", "computing", "kernel_stop", "html", "word", "excel")


def floor_run(n_notebooks: int, folder: Path) -> tuple[float, float]:
    """Run ``n_notebooks`` import-only notebooks one after another; return the wall time and the best duration
    of the import cell (papermill's own timing)."""
    import papermill

    nb = new_notebook(cells=[new_code_cell(FLOOR_SOURCE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    imports = []
    start = time.perf_counter()
    for i in range(n_notebooks):
        out = folder / f"floor_out_{i}.ipynb"
        papermill.execute_notebook(str(path), str(out), kernel_name="python3", progress_bar=False)
        imports.append(json.loads(out.read_text(encoding="utf-8"))["cells"][0]["metadata"]["papermill"]["duration"])
    return time.perf_counter() - start, min(imports)


def run_all(out: Path, jobs: int | None) -> tuple[float, dict[str, float]]:
    """Run ``ttwell run all`` in a fresh process; return its wall time and, per notebook, the seconds from the
    start at which its kernel was started and at which it was done (from the progress lines)."""
    command = [sys.executable, "-m", "ttwell", "run", "all", "--out", str(out)] + (["--jobs", str(jobs)] if jobs else [])
    start = time.perf_counter()
    marks = {}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1) as proc:
        for line in proc.stdout:
            now = round(time.perf_counter() - start, 2)
            if ": running the notebook" in line or ": done in" in line:
                name = line.split("]", 1)[1].split(":", 1)[0].strip()
                marks[f"{name} {'started' if 'running' in line else 'done'}"] = now
            elif line.startswith("checking parameters"):
                marks["checks started"] = now
        errors = proc.stderr.read()
    if proc.returncode:
        raise SystemExit(f"ttwell run all failed:\n{errors}")
    return time.perf_counter() - start, marks


def breakdown(out: Path, names: list[str], imports_s: float) -> dict[str, dict[str, float]]:
    """Per notebook, where its time went (seconds), from its run.log; imports are the floor's import cell."""
    rows = {}
    for name in names:
        t = json.loads((out / name / "run.log").read_text(encoding="utf-8"))["timings_seconds"]
        rows[name] = {"kernel_start": t.get("kernel_start", 0.0), "imports": round(imports_s, 2),
                      "computing": round(max(t.get("cells", 0.0) - imports_s, 0.0), 2),
                      "kernel_stop": t.get("kernel_stop", 0.0), "html": t.get("html", 0.0),
                      "word": t.get("word", 0.0), "excel": t.get("excel", 0.0), "total": t.get("total", 0.0)}
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, help="passed to ttwell run all (default: its own, the number of cores)")
    args = parser.parse_args()
    from ttwell.inputs.params import SERVICE_NOTEBOOKS

    names = list(SERVICE_NOTEBOOKS)  # what `ttwell run all` runs (the comparison of services is not one of them)
    load_before = os.getloadavg()
    runs, floors, imports = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(args.repeat):
            seconds, marks = run_all(folder / f"out{i}", args.jobs)
            runs.append((seconds, marks, folder / f"out{i}"))
            floor_s, import_s = floor_run(len(names), folder)
            floors.append(floor_s)
            imports.append(import_s)
        best_seconds, best_marks, best_out = min(runs, key=lambda r: r[0])
        rows = breakdown(best_out, names, min(imports))
    best_floor = min(floors)
    ratio = best_seconds / best_floor
    print(json.dumps({"notebooks": len(names), "cores": os.cpu_count(), "jobs": args.jobs or os.cpu_count(),
                      "run_all_seconds": round(best_seconds, 1), "floor_seconds": round(best_floor, 1),
                      "ratio": round(ratio, 2), "all_runs": [round(r[0], 1) for r in runs],
                      "all_floors": [round(f, 1) for f in floors],
                      "load_average_before": [round(x, 2) for x in load_before],
                      "load_average_after": [round(x, 2) for x in os.getloadavg()]}))
    print("\ntimeline of the best run (seconds from the start):")
    for what, at in sorted(best_marks.items(), key=lambda item: item[1]):
        print(f"  {at:6.1f}  {what}")
    print("\nwhere each notebook's time went (seconds; imports = the floor notebook's import cell):")
    print(f"  {'notebook':<18}" + "".join(f"{s:>13}" for s in (*STEPS, "total")))
    for name, row in rows.items():
        print(f"  {name:<18}" + "".join(f"{row[s]:>13.2f}" for s in (*STEPS, "total")))
    print(f"\ngoal (ratio <= 1.0): {'met' if ratio <= 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
