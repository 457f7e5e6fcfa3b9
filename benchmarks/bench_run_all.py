"""Benchmark (a): ``ttwell run all`` wall time against a floor measured in the same run.

The floor runs the same number of notebooks through papermill, each only importing the libraries the real
notebooks import, so the ratio shows what ttwell's own work costs on top of kernel start and imports.
Goal (issue 2): ratio at most 1.25.

    python benchmarks/bench_run_all.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

FLOOR_SOURCE = ("import pandas, numpy, scipy.stats, statsmodels.api, seaborn, matplotlib.pyplot\n"
                "import ttwell.calculations.workforce, ttwell.disclosure, ttwell.presentation.charts, ttwell.presentation.report")


def floor_seconds(n_notebooks: int, folder: Path) -> float:
    import papermill

    nb = new_notebook(cells=[new_code_cell(FLOOR_SOURCE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    start = time.perf_counter()
    for i in range(n_notebooks):
        papermill.execute_notebook(str(path), str(folder / f"floor_out_{i}.ipynb"), kernel_name="python3",
                                   progress_bar=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from ttwell.inputs.params import NOTEBOOKS

    runs, floors = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "ttwell", "run", "all", "--out", str(folder / f"out{i}")],
                           check=True, capture_output=True)
            runs.append(time.perf_counter() - start)
            floors.append(floor_seconds(len(NOTEBOOKS), folder))
    best_run, best_floor = min(runs), min(floors)
    print(json.dumps({"notebooks": len(NOTEBOOKS), "run_all_seconds": round(best_run, 1),
                      "floor_seconds": round(best_floor, 1), "ratio": round(best_run / best_floor, 2)}))
    print(f"goal (ratio <= 1.25): {'met' if best_run / best_floor <= 1.25 else 'NOT met'}")


if __name__ == "__main__":
    main()
