"""Running notebooks: validate first, execute with papermill in a temporary folder, export, then move into place.

The sequence for each notebook:

1. read and validate the parameters, then every input file (all problems at once; see
   :mod:`ttwell.running.input_checks`); on any error stop before a kernel starts, with nothing written;
2. execute the notebook with papermill's Python API (absolute paths, explicit ``python3`` kernel) into a
   temporary folder; the notebook writes ``results.json`` and ``tables/*.csv`` there;
3. export the stakeholder HTML (code hidden), the Word document and the Excel workbook, and write ``run.log``;
4. only when everything succeeded, move the folder to ``<out>/<notebook>/`` (replacing an earlier run).

:func:`run_all` runs several notebooks side by side (``jobs`` at a time, default one per core), starting a
notebook that reads other notebooks' results (:data:`READS_RESULTS_OF`) only once those are in place.

A failure inside the notebook becomes a plain-English :class:`NotebookFailed` naming the section and the
purpose of the cell that failed.

Example
-------
>>> from ttwell.running.runner import run_notebook
>>> folder = run_notebook("baseline", out_dir="reports")      # doctest: +SKIP
"""

from __future__ import annotations

import functools
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
import warnings
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Callable

from ttwell import __version__
from ttwell.errors import ParameterError, TtwellError
from ttwell.inputs.io import file_sha256
from ttwell.inputs.params import NOTEBOOK_DIR, NOTEBOOKS, REPO_ROOT, load_params
from ttwell.running.input_checks import validate_inputs, validate_notebooks

KERNEL_NAME = "python3"
VERSIONED_PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "seaborn", "matplotlib", "papermill",
                      "nbconvert", "openpyxl")
# The notebooks whose results.json a notebook reads from the same output folder: it starts only after they
# are in place. annual_impact brings in the PDSA cycles and the training results (its set-up cell).
READS_RESULTS_OF = {"annual_impact": ("pdsa_review", "prepost_training")}


class NotebookFailed(TtwellError):
    """A notebook stopped with an error while running."""


@functools.lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    """Versions of Python, ttwell and the packages that shape the reports (read once per process)."""
    versions = {"python": platform.python_version(), "ttwell": __version__}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _skip_unused_imports() -> None:
    """Keep the runner from importing what it never uses.

    nbformat validates notebooks with jsonschema, which imports ``rfc3987_syntax`` when it is installed (it is,
    through Jupyter) to check the "iri" string format. That import builds a parser and costs 1 to 2 s of CPU, more
    than any export; no notebook schema uses the format. Marking the module absent before jsonschema is first
    imported makes jsonschema skip that check, as it does when the package is not installed.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


_skip_unused_imports()  # at import: the exports (nbconvert, nbformat) may be imported before the first execute


def _cell_purpose(nb, index: int) -> str:
    """Describe a cell by the section heading above it and its first comment line."""
    heading = "the start of the notebook"
    for cell in nb.cells[:index]:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    heading = f"section '{line.lstrip('#').strip()}'"
    code = nb.cells[index].source if index < len(nb.cells) else ""
    comment = next((line.lstrip("# ").strip() for line in code.splitlines() if line.startswith("#")), "")
    return f"{heading}{f' ({comment})' if comment else ''}"


def _explain_failure(exc, output_nb: Path, notebook: str) -> NotebookFailed:
    import nbformat

    try:
        nb = nbformat.read(output_nb, as_version=4)
        # papermill puts an error banner cell at the top; the failing index refers to the notebook without it.
        banner = sum(1 for c in nb.cells if "papermill-error-cell-tag" in c.get("metadata", {}).get("tags", []))
        purpose = _cell_purpose(nb, exc.cell_index + banner)
    except Exception:  # the explanation must never hide the original failure
        purpose = f"cell {exc.cell_index}"
    ename, evalue = exc.ename, exc.evalue
    if ename in ("InputError", "ParameterError", "AnalysisError", "DisclosureError", "TtwellError"):
        detail = evalue
    else:
        detail = (f"{ename}: {evalue}\nThis is probably a bug in ttwell or an unusual input; please report it "
                  "with the failed notebook below (it contains no data beyond your own outputs).")
    return NotebookFailed(f"The {notebook} notebook stopped in {purpose}.\n{detail}\n"
                          f"The failed notebook is at {output_nb} (nothing was written to the output folder).")


def _notebook_parameters(params: dict, run_dir: Path) -> dict:
    """What papermill injects: every parameter as plain values, the output folder, and the demonstration flag
    and column maps (which ``params.from_notebook`` reads back, so the notebook reads mapped files too)."""
    plain = {k: (str(v) if isinstance(v, str) else v) for k, v in params.items()}
    return {**plain, "output_dir": str(run_dir), "demonstration": bool(params.get("demonstration")),
            "column_maps": dict(params.get("column_maps") or {})}


@functools.lru_cache(maxsize=1)
def kernel_manager_class():
    """A kernel manager for quiet, private runs of the notebooks.

    * The kernel never talks over unencrypted TCP, so it never warns that it does: jupyter_client 8.10+
      provisions CurveZMQ keys for kernels that declare support (ipykernel 7 does); with an older
      jupyter_client, POSIX systems use IPC sockets (files in a private folder); Windows, which has no IPC
      transport, keeps the default.
    * At shutdown jupyter_client interrupts the kernel before asking it to stop, and the kernel then logs
      "KeyboardInterrupt caught in kernel". A finished notebook has nothing to interrupt, so shutdown skips it.
    """

    import zmq
    from jupyter_client.manager import AsyncKernelManager

    encrypt = "transport_encryption" in AsyncKernelManager.class_trait_names() and zmq.has("curve")

    class QuietKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if encrypt:
                self.transport_encryption = "auto"
            elif os.name == "posix":
                self.transport = "ipc"

        async def _async_interrupt_kernel(self):
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    return QuietKernelManager


# Papermill warns about parameters the notebook's parameters cell does not declare: demonstration and
# column_maps are read by params.from_notebook instead. Set once for the process: catch_warnings() is not safe
# with notebooks running side by side in threads.
warnings.filterwarnings("ignore", message="Passed unknown parameter", module="papermill")


def execute(notebook: str, params: dict, run_dir: Path) -> Path:
    """Execute one notebook with papermill into ``run_dir``; return the executed notebook's path."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = NOTEBOOK_DIR / NOTEBOOKS[notebook]["file"]
    output = run_dir / NOTEBOOKS[notebook]["file"]
    try:
        papermill.execute_notebook(
            str(source), str(output), parameters=_notebook_parameters(params, run_dir),
            kernel_name=KERNEL_NAME, progress_bar=False, report_mode=True, start_timeout=120, log_output=False,
            # The kernel starts in notebooks/ through nbclient's resources, not papermill's cwd=: that changes
            # the working folder of the whole process, and notebooks running side by side in threads would
            # leave it changed.
            resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
            # Saving the whole notebook after every cell costs more than the cells; papermill still writes
            # it at the end, and on failure.
            request_save_on_cell_execute=False,
            kernel_manager_class=kernel_manager_class(),
            **KERNEL_OPTIONS,
        )
    except PapermillExecutionError as exc:
        raise _explain_failure(exc, output, notebook) from None
    return output


# How the runner's kernels start and stop (nbclient options, passed through papermill).
KERNEL_OPTIONS = {
    # A run needs no command history: without it the kernel opens no history database, and kernels running
    # side by side do not wait on each other's lock of the one shared file.
    "extra_arguments": ["--HistoryManager.enabled=False"],
    # Every output has arrived when the last cell finishes (results.json and the tables are closed files by
    # then), so the kernel is stopped at once instead of being asked to tidy up and waited for: a graceful
    # shutdown costs a second or more per notebook, spent tearing down a process whose work is done.
    "shutdown_kernel": "immediate",
}


def notebook_timings(executed: Path) -> dict[str, float]:
    """Where a notebook's execution time went, from papermill's records in the executed notebook: starting the
    kernel (until the first cell starts), running the cells, and stopping the kernel and writing the notebook."""
    import datetime

    nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    run = nb.get("metadata", {}).get("papermill", {})
    cells = [c["metadata"]["papermill"] for c in nb.get("cells", [])
             if c.get("metadata", {}).get("papermill", {}).get("start_time")]
    if not cells or not run.get("start_time") or not run.get("end_time"):
        return {}

    def at(text: str) -> datetime.datetime:
        return datetime.datetime.fromisoformat(text)

    return {"kernel_start": round((at(cells[0]["start_time"]) - at(run["start_time"])).total_seconds(), 2),
            "cells": round(sum(c.get("duration") or 0 for c in cells), 2),
            "kernel_stop": round((at(run["end_time"]) - at(cells[-1]["end_time"])).total_seconds(), 2)}


def _write_log(run_dir: Path, notebook: str, params: dict, timings: dict, warnings: list) -> None:
    inputs = {k: {"file": Path(v).name, "sha256": file_sha256(v)} for k, v in params.items()
              if k.endswith("_file") and v and Path(v).exists()}
    log = {"notebook": notebook, "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
           "parameters": {k: v for k, v in params.items() if k != "output_dir"}, "inputs": inputs,
           "versions": package_versions(), "timings_seconds": timings,
           "warnings": [w.describe() for w in warnings]}
    (run_dir / "run.log").write_text(json.dumps(log, indent=2) + "\n", encoding="utf-8")


@contextmanager
def input_cache():
    """A private folder, for one run, where each input file's checked contents are kept after its first read.

    The runner checks every input before a kernel starts; through this folder the notebook receives those
    validated tables instead of reading and checking the files again (:func:`ttwell.inputs.io.read_once`). It holds
    staff-level data, so it is readable by its owner only, lives outside every report folder and is removed when
    the run ends, whatever happens. A run inside another run (``run_all`` -> ``run_notebook``) shares it, and so
    do the kernels of notebooks running side by side (they inherit the variable).
    """
    from ttwell.inputs.io import RUN_CACHE_VARIABLE

    if os.environ.get(RUN_CACHE_VARIABLE):
        yield
        return
    folder = tempfile.mkdtemp(prefix="ttwell-inputs-")  # mkdtemp makes it owner-only (0700)
    os.environ[RUN_CACHE_VARIABLE] = folder
    try:
        yield
    finally:
        os.environ.pop(RUN_CACHE_VARIABLE, None)
        shutil.rmtree(folder, ignore_errors=True)


def run_notebook(notebook: str, params_file: str | Path | None = None, out_dir: str | Path = "reports",
                 **kwargs) -> Path:
    """Validate, execute and export one notebook; return the finished output folder ``<out_dir>/<notebook>``.

    Keyword arguments: ``html``, ``excel``, ``word`` (write those reports; default True), ``progress`` (a
    function taking each progress line; default ``print``), ``step`` (the "[1/4]" prefix), ``checked`` (the
    warnings of a validation already done by :func:`run_all`) and ``overrides`` (parameters given on the command
    line, such as the review month, which replace the parameter file's).
    """
    with input_cache():
        return _run_notebook(notebook, params_file, out_dir, **kwargs)


def _run_notebook(notebook: str, params_file: str | Path | None = None, out_dir: str | Path = "reports", *,
                 html: bool = True, excel: bool = True, word: bool = True, progress: Callable[[str], None] = print,
                 step: str = "[1/1]", checked: list | None = None, overrides: dict | None = None) -> Path:
    """Validate, execute and export one notebook; return the finished output folder ``<out_dir>/<notebook>``.

    ``checked`` passes on the warnings of a validation already done (by :func:`run_all`), so inputs are not
    read twice before the kernel starts.
    """
    started = time.perf_counter()
    params = load_params(params_file, notebook, overrides=overrides)
    if checked is None:
        progress(f"{step} {notebook}: checking parameters and input files")
        warnings = validate_inputs(notebook, params)
    else:
        warnings = checked
    for warning in warnings:
        progress(f"{step} {notebook}: warning: {warning.describe()}")
    out_dir = Path(out_dir).resolve()
    # A failed run leaves its temporary folder (the failed notebook, which the error message points at).
    temp_root = Path(tempfile.mkdtemp(prefix=f"ttwell-{notebook}-"))
    return _run_in(temp_root, notebook, params, out_dir, html=html, excel=excel, word=word, progress=progress,
                   step=step, warnings=warnings, started=started)


def _run_in(temp_root: Path, notebook: str, params: dict, out_dir: Path, *, html: bool, excel: bool, word: bool,
            progress: Callable[[str], None], step: str, warnings: list, started: float) -> Path:
    """Execute and export ``notebook`` inside ``temp_root``; move the finished folder into ``out_dir``."""
    from ttwell.presentation import report

    run_dir = temp_root / notebook
    run_dir.mkdir()
    timings = {}
    progress(f"{step} {notebook}: running the notebook")
    t0 = time.perf_counter()
    if notebook == "annual_impact" and not params.get("other_results_dir"):
        # The annual report brings in the other notebooks' results from this run's output folder.
        params = {**params, "other_results_dir": str(out_dir)}
    executed = execute(notebook, params, run_dir)
    timings["execute"] = round(time.perf_counter() - t0, 2)
    timings.update(notebook_timings(executed))
    if not (run_dir / "results.json").exists():
        raise NotebookFailed(f"The {notebook} notebook finished but wrote no results.json; its last cell must call "
                             "results.save(). Nothing was written to the output folder.")
    stem = executed.stem
    if html:
        progress(f"{step} {notebook}: writing the HTML report")
        t0 = time.perf_counter()
        report.export_html(executed, run_dir / f"{stem}.html")
        timings["html"] = round(time.perf_counter() - t0, 2)
    if word:
        from ttwell.presentation.word import export_docx

        progress(f"{step} {notebook}: writing the Word document")
        t0 = time.perf_counter()
        export_docx(executed, run_dir / f"{stem}.docx")
        timings["word"] = round(time.perf_counter() - t0, 2)
    if excel:
        progress(f"{step} {notebook}: writing the Excel workbook")
        t0 = time.perf_counter()
        report.write_excel(run_dir, run_dir / f"{stem}.xlsx")
        timings["excel"] = round(time.perf_counter() - t0, 2)
    timings["total"] = round(time.perf_counter() - started, 2)
    _write_log(run_dir, notebook, params, timings, warnings)

    final = out_dir / notebook
    out_dir.mkdir(parents=True, exist_ok=True)
    if final.exists():
        shutil.move(str(final), str(temp_root / "previous-run"))
    shutil.move(str(run_dir), str(final))
    shutil.rmtree(temp_root, ignore_errors=True)
    progress(f"{step} {notebook}: done in {timings['total']:.1f} s -> {final}")
    return final


def run_all(params_file: str | Path | None = None, out_dir: str | Path = "reports", *, jobs: int | None = None,
            **kwargs) -> list[Path]:
    """Run every notebook the parameters are for (:func:`ttwell.inputs.params.notebooks_in`); return their folders.

    All inputs are checked before the first notebook starts, each shared file once. Up to ``jobs`` notebooks run
    at a time (default: one per core, ``os.cpu_count()``); a notebook that reads others' results
    (:data:`READS_RESULTS_OF`) starts when they are in place. Progress lines name their notebook and are never
    interleaved. If a notebook fails, no further notebook starts; those already running finish and are moved into
    place, and one :class:`NotebookFailed` names every failure and every notebook not run. The other keyword
    arguments are those of :func:`run_notebook`.
    """
    from ttwell.inputs.params import notebooks_in

    with input_cache():
        return _run_all(notebooks_in(params_file), params_file, out_dir, jobs=jobs, **kwargs)


def run_services(notebook: str, params_files: list[str | Path], out_dir: str | Path = "reports", *,
                 jobs: int | None = None, **kwargs) -> dict[str, list[Path]]:
    """Run ``notebook`` (or ``"all"``) once per service, each with its own parameter file, side by side.

    Each service's reports go to ``<out_dir>/<parameter file stem>/<notebook>/``, so the stems must differ. Up to
    ``jobs`` services run at a time (default: one per core). A service that fails does not stop the others: when
    every service has finished, one :class:`NotebookFailed` names each failed service with its reason and says
    which finished. Returns ``{stem: [folders]}``. Other keyword arguments are those of :func:`run_notebook`.
    """
    from concurrent.futures import ThreadPoolExecutor

    paths = [Path(f) for f in params_files]
    stems = [path.stem for path in paths]
    twice = sorted({stem for stem in stems if stems.count(stem) > 1})
    if twice:
        raise ParameterError(f"Each service's reports go to a folder named after its parameter file, so the files "
                             f"need different names; more than one is called {', '.join(twice)}. Rename them "
                             "(for example north.yaml and south.yaml).")
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise ParameterError(f"Parameter file(s) not found: {', '.join(missing)}. Nothing was run.")
    progress = _one_line_at_a_time(kwargs.pop("progress", print))

    def run_one(stem: str, path: Path) -> list[Path]:
        out = Path(out_dir) / stem
        show = lambda line: progress(f"{stem}: {line}")  # noqa: E731 - one line per service
        if notebook == "all":
            return run_all(path, out, jobs=1, progress=show, **kwargs)
        return [run_notebook(notebook, path, out, progress=show, **kwargs)]

    finished, failed = {}, {}
    with input_cache(), ThreadPoolExecutor(max_workers=max(1, jobs or os.cpu_count() or 1),
                                           thread_name_prefix="ttwell-service") as pool:
        futures = {stem: pool.submit(run_one, stem, path) for stem, path in zip(stems, paths)}
        for stem, future in futures.items():
            try:
                finished[stem] = future.result()
            except Exception as exc:  # reported together below, after every service has finished
                failed[stem] = exc
    for exc in failed.values():
        if not isinstance(exc, TtwellError):
            raise exc  # a bug, not a service's failure: keep its traceback
    if failed:
        lines = [f"{stem} ({paths[stems.index(stem)].name}) failed:\n{exc}" for stem, exc in failed.items()]
        if finished:
            lines.append("Finished and in place: " + ", ".join(
                f"{stem} ({', '.join(str(f) for f in folders)})" for stem, folders in finished.items()) + ".")
        raise NotebookFailed("\n".join(lines)) from next(iter(failed.values()))
    return finished


def _one_line_at_a_time(progress: Callable[[str], None]) -> Callable[[str], None]:
    """``progress`` behind a lock, so lines from notebooks running side by side never mix."""
    lock = threading.Lock()

    def show(line: str) -> None:
        with lock:
            progress(line)
            sys.stdout.flush()

    return show


def _run_all(names: list[str], params_file, out_dir, *, jobs: int | None = None, **kwargs) -> list[Path]:
    progress = _one_line_at_a_time(kwargs.pop("progress", print))
    progress(f"checking parameters and input files of {len(names)} notebook(s)")
    warnings = validate_notebooks(names, params_file)
    steps = {name: f"[{i}/{len(names)}]" for i, name in enumerate(names, start=1)}

    def run_one(name: str) -> Path:
        return _run_notebook(name, params_file, out_dir, step=steps[name], checked=warnings[name], progress=progress,
                             **kwargs)

    return run_side_by_side(names, run_one, jobs=jobs or os.cpu_count() or 1, progress=progress)


def run_side_by_side(names: list[str], run_one: Callable[[str], Path], *, jobs: int,
                     progress: Callable[[str], None] = print) -> list[Path]:
    """Call ``run_one(name)`` for every name, up to ``jobs`` at a time, each after the notebooks it reads
    (:data:`READS_RESULTS_OF`, among ``names``); return the results in the order of ``names``.

    Threads suffice: a notebook runs in its own kernel process, and the thread mostly waits for it.
    """
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    # Notebooks that others wait for go first (stable otherwise): on two cores, pdsa_review and prepost_training
    # side by side, then baseline beside annual_impact, rather than annual_impact alone at the end.
    waited_for = {name: sum(name in READS_RESULTS_OF.get(other, ()) for other in names) for name in names}
    waiting = sorted(names, key=lambda name: -waited_for[name])
    running, finished, failed = {}, {}, {}
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="ttwell-run") as pool:
        while waiting or running:
            # Start what may start; nothing new once a notebook has failed.
            for name in list(waiting):
                if failed or len(running) >= max(1, jobs):
                    break
                if all(other in finished for other in READS_RESULTS_OF.get(name, ()) if other in names):
                    waiting.remove(name)
                    running[pool.submit(run_one, name)] = name
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                name = running.pop(future)
                try:
                    finished[name] = future.result()
                except Exception as exc:  # reported below, after the notebooks still running have finished
                    failed[name] = exc
    if failed:
        _raise_failures(failed, finished, waiting)
    return [finished[name] for name in names]


def _raise_failures(failed: dict[str, Exception], finished: dict[str, Path], not_run: list[str]) -> None:
    """One plain error for every notebook that failed, saying what was finished and what was not run."""
    for exc in failed.values():
        if not isinstance(exc, TtwellError):
            raise exc  # a bug, not a notebook's failure: keep its traceback
    if len(failed) == 1 and not finished and not not_run:
        raise next(iter(failed.values()))
    lines = [str(exc) for exc in failed.values()]
    if finished:
        lines.append("Finished and in place: " + ", ".join(f"{name} ({path})" for name, path in finished.items()) + ".")
    if not_run:
        lines.append(f"Not run, because {' and '.join(failed)} failed: {', '.join(not_run)}.")
    raise NotebookFailed("\n".join(lines)) from next(iter(failed.values()))


# The demonstration of the comparison of services: the shipped service and two more made by the generator with
# other seeds and sizes (so the funnels have services of different sizes). Folder -> (name, seed, generator size).
DEMONSTRATION_SERVICE_RUNS = {
    "service_a": ("Synthetic Talking Therapies Service", 2024, {}),
    "service_b": ("Synthetic service B (seed 2025, 90 staff)", 2025, {"n_staff": 90, "n_teams": 4}),
    "service_c": ("Synthetic service C (seed 2026, 300 staff)", 2026, {"n_staff": 300, "n_teams": 8}),
}


def write_demonstration_services(folder: str | Path | None = None) -> list[Path]:
    """Run the baseline notebook on three synthetic services and keep what the comparison reads.

    Service A is the shipped data; B and C are generated (:func:`ttwell.synth.write_synthetic`) into a temporary
    folder with the seeds and sizes of :data:`DEMONSTRATION_SERVICE_RUNS`. Their runs are marked as demonstration
    runs (they are made-up data, like the shipped service), so their reports say "Synthetic demonstration data".
    Each service's ``results.json`` (listing only the tables kept) and its ``baseline_values`` and
    ``survey_scores`` tables are written to ``folder/<service>/`` (default ``data/synthetic/services``).
    """
    import yaml

    from ttwell.inputs.params import DEMONSTRATION_SERVICES, SERVICE_FILES
    from ttwell.synth import write_synthetic

    folder = Path(folder or REPO_ROOT / DEMONSTRATION_SERVICES)
    kept = ("baseline_values", "survey_scores")
    written = []
    with input_cache(), tempfile.TemporaryDirectory(prefix="ttwell-demo-services-") as temp:
        for slug, (name, seed, size) in DEMONSTRATION_SERVICE_RUNS.items():
            data = Path(temp) / slug / "data"
            if size:
                write_synthetic(data, seed=seed, **size)
                params_file = data / "params.yaml"
                files = {k: str(data / Path(v).name) for k, v in SERVICE_FILES.items()}
                params_file.write_text(yaml.safe_dump({**files, "nss_scores_file": None, "service_name": name}),
                                       encoding="utf-8")
                params = load_params(params_file, "baseline")
            else:
                params = load_params(None, "baseline", overrides={"service_name": name})
            params["demonstration"] = True
            root = Path(temp) / slug / "run"
            root.mkdir(parents=True)
            run = _run_in(root, "baseline", params, Path(temp) / slug / "out", html=False, excel=False, word=False,
                          progress=print, step=f"[{slug}]", warnings=[], started=time.perf_counter())
            target = folder / slug
            shutil.rmtree(target, ignore_errors=True)
            (target / "tables").mkdir(parents=True)
            results = json.loads((run / "results.json").read_text(encoding="utf-8"))
            results["tables"] = {k: v for k, v in results["tables"].items() if k in kept}
            (target / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
            for table in kept:
                shutil.copy(run / "tables" / f"{table}.csv", target / "tables" / f"{table}.csv")
            written.append(target)
    return written


def regenerate_goldens(names: list[str] | None = None) -> None:
    """Re-execute the committed notebooks in place with their default parameters (the nbval goldens).

    Volatile papermill metadata (timings, paths) is stripped so a changed golden is a diff of numbers.
    """
    import nbformat
    import papermill

    for name in names or list(NOTEBOOKS):
        if name == "compare_services":
            print("writing the demonstration services' results (data/synthetic/services)", flush=True)
            write_demonstration_services()
        path = NOTEBOOK_DIR / NOTEBOOKS[name]["file"]
        print(f"regenerating {path.relative_to(REPO_ROOT)}", flush=True)
        papermill.execute_notebook(str(path), str(path), kernel_name=KERNEL_NAME, cwd=str(NOTEBOOK_DIR),
                                   progress_bar=False, start_timeout=120, kernel_manager_class=kernel_manager_class())
        nb = nbformat.read(path, as_version=4)
        nb.metadata.pop("papermill", None)
        for cell in nb.cells:
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
        nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": KERNEL_NAME}
        nbformat.write(nb, path)


if __name__ == "__main__":
    if "--regenerate-goldens" in sys.argv:
        regenerate_goldens([a for a in sys.argv[1:] if not a.startswith("--")] or None)
    else:
        print("usage: python -m ttwell.running.runner --regenerate-goldens [NOTEBOOK ...]")
