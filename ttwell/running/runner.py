"""Running notebooks: validate first, execute with papermill in a temporary folder, export, then move into place.

The sequence for each notebook:

1. read and validate the parameters, then every input file (all problems at once); on any error stop
   before a kernel starts, with nothing written;
2. execute the notebook with papermill's Python API (absolute paths, explicit ``python3`` kernel) into a
   temporary folder; the notebook writes ``results.json`` and ``tables/*.csv`` there;
3. export the stakeholder HTML (code hidden) and the Excel workbook, and write ``run.log``;
4. only when everything succeeded, move the folder to ``<out>/<notebook>/`` (replacing an earlier run).

A failure inside the notebook becomes a plain-English :class:`NotebookFailed` naming the section and the
purpose of the cell that failed.

Example
-------
>>> from ttwell.running.runner import run_notebook
>>> folder = run_notebook("baseline", out_dir="reports")      # doctest: +SKIP
"""

from __future__ import annotations

import json
import platform
import shutil
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Callable

from ttwell import __version__
from ttwell.errors import InputError, ParameterError, Problem, TtwellError
from ttwell.inputs.io import check_survey_files, check_workforce_files, file_sha256
from ttwell.inputs.params import NOTEBOOK_DIR, NOTEBOOKS, REPO_ROOT, input_paths, load_params, survey_paths

KERNEL_NAME = "python3"
VERSIONED_PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "seaborn", "matplotlib", "papermill",
                      "nbconvert", "openpyxl")


class NotebookFailed(TtwellError):
    """A notebook stopped with an error while running."""


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "ttwell": __version__}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def check_inputs(notebook: str, params: dict) -> tuple[list, list[str]]:
    """Every problem in the input files of ``notebook`` (errors and warnings), and the files checked."""
    if notebook == "pdsa_review":
        return check_pdsa_inputs(params), [params["measures_file"], params["pdsa_log_file"]]
    if notebook == "prepost_training":
        from ttwell.inputs.io import read_table, read_training

        _, _, problems = read_training(params["training_file"], areas_path=params.get("areas_file"),
                                       scale=params["confidence_scale"])
        if params.get("teams_file"):
            problems += read_table(params["teams_file"], "teams")[1]
        return problems, [f for f in (params["training_file"], params.get("areas_file"), params.get("teams_file")) if f]
    if notebook not in ("baseline", "annual_impact"):  # pragma: no cover - a notebook without inputs
        return [], []
    paths = {**input_paths(params), **survey_paths(params)}
    _, problems, _ = check_workforce_files(input_paths(params))
    problems += check_survey_responses(survey_paths(params))
    return problems, [p for p in paths.values() if p]


def validate_inputs(notebook: str, params: dict) -> list:
    """Check every input file of ``notebook``; raise :class:`InputError` on any error, return warnings."""
    problems, _ = check_inputs(notebook, params)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems, intro=f"The {notebook} notebook was not run: "
                                         f"{sum(p.severity == 'error' for p in problems)} problem(s) in its input files.")
    return problems


def check_pdsa_inputs(params: dict) -> list:
    """Check the measures file and the PDSA log, and that every measure the log names has data."""
    from ttwell.inputs.io import read_pdsa_log, read_table

    measures, problems = read_table(params["measures_file"], "pdsa_measures")
    log, log_problems = read_pdsa_log(params["pdsa_log_file"])
    problems += log_problems
    if any(p.severity == "error" for p in problems):
        return problems
    known = set(measures["measure_id"])
    log_name = Path(params["pdsa_log_file"]).name
    for i, text in log["measures"].items():
        for measure in [m.strip() for m in str(text).split(";") if m.strip()]:
            if measure not in known:
                problems.append(Problem(log_name, int(i) + 2, "measures", measure,
                                        f"a measure_id present in {Path(params['measures_file']).name}", "warning",
                                        "measure with no data; that cycle is not judged on it"))
    for measure in params.get("improvement_directions", {}):
        if measure not in known:
            problems.append(Problem("(parameters)", None, "improvement_directions", measure,
                                    f"a measure_id present in {Path(params['measures_file']).name}", "warning",
                                    "direction given for a measure with no data"))
    return problems


def check_survey_responses(paths: dict) -> list:
    """Check the survey files, then score every instrument present so bad item values are found up front."""
    from ttwell.calculations import scales

    from ttwell.inputs.checks import nss_unit_problems, wave_instrument_problems

    tables, problems, _ = check_survey_files(paths)
    if tables.get("nss_scores") is not None:
        problems += nss_unit_problems(tables["nss_scores"], Path(paths["nss_scores"]).name)
    if tables.get("survey_waves") is not None:
        problems += wave_instrument_problems(tables["survey_waves"], Path(paths["survey_waves"]).name)
    responses, waves = tables.get("survey_responses"), tables.get("survey_waves")
    if responses is None or waves is None or any(p.severity == "error" for p in problems):
        return problems
    name = Path(paths["survey_responses"]).name
    settings = waves[[c for c in ("wave_id", "ps_variant", "olbi_response_coding") if c in waves.columns]]
    for instrument in sorted(responses["instrument"].dropna().unique()):
        try:
            definition = scales.load_instrument(instrument)
        except ParameterError:
            rows = responses.index[responses["instrument"] == instrument]
            problems.append(Problem(name, int(rows[0]) + 2, "instrument", instrument,
                                    f"one of {', '.join(scales.available_instruments())}, or an instrument "
                                    "defined in your own YAML file", problem="unknown instrument"))
            continue
        # Keep the file's own row numbers: the scorer reports rows from the index it is given.
        rows = responses[responses["instrument"] == instrument]
        try:
            scales.score(rows, definition, variant=settings if definition.variants else None,
                         coding=settings if len(definition.codings) > 1 else None, file=name)
        except InputError as exc:
            problems += exc.problems
    return problems


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


def kernel_manager_class():
    """A kernel manager for quiet, private runs of the notebooks.

    * The kernel never talks over unencrypted TCP, so it never warns that it does: jupyter_client 8.10+
      provisions CurveZMQ keys for kernels that declare support (ipykernel 7 does); with an older
      jupyter_client, POSIX systems use IPC sockets (files in a private folder); Windows, which has no IPC
      transport, keeps the default.
    * At shutdown jupyter_client interrupts the kernel before asking it to stop, and the kernel then logs
      "KeyboardInterrupt caught in kernel". A finished notebook has nothing to interrupt, so shutdown skips it.
    """
    import os

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


def execute(notebook: str, params: dict, run_dir: Path) -> Path:
    """Execute one notebook with papermill into ``run_dir``; return the executed notebook's path."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = NOTEBOOK_DIR / NOTEBOOKS[notebook]["file"]
    output = run_dir / NOTEBOOKS[notebook]["file"]
    try:
        with warnings.catch_warnings():
            # demonstration and column_maps are read by params.from_notebook, not declared in the cell.
            warnings.filterwarnings("ignore", message="Passed unknown parameter")
            papermill.execute_notebook(
                str(source), str(output), parameters=_notebook_parameters(params, run_dir),
                kernel_name=KERNEL_NAME, cwd=str(NOTEBOOK_DIR), progress_bar=False, report_mode=True,
                start_timeout=120, log_output=False,
                # Saving the whole notebook after every cell costs more than the cells; papermill still writes
                # it at the end, and on failure.
                request_save_on_cell_execute=False,
                kernel_manager_class=kernel_manager_class(),
            )
    except PapermillExecutionError as exc:
        raise _explain_failure(exc, output, notebook) from None
    return output


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
    the run ends, whatever happens. A run inside another run (``run_all`` -> ``run_notebook``) shares it.
    """
    import os

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
    function taking each progress line; default ``print``), ``step`` (the "[1/4]" prefix) and ``checked`` (the
    warnings of a validation already done by :func:`run_all`).
    """
    with input_cache():
        return _run_notebook(notebook, params_file, out_dir, **kwargs)


def _run_notebook(notebook: str, params_file: str | Path | None = None, out_dir: str | Path = "reports", *,
                 html: bool = True, excel: bool = True, word: bool = True, progress: Callable[[str], None] = print,
                 step: str = "[1/1]", checked: list | None = None) -> Path:
    """Validate, execute and export one notebook; return the finished output folder ``<out_dir>/<notebook>``.

    ``checked`` passes on the warnings of a validation already done (by :func:`run_all`), so inputs are not
    read twice before the kernel starts.
    """
    from ttwell.presentation import report

    started = time.perf_counter()
    params = load_params(params_file, notebook)
    if checked is None:
        progress(f"{step} {notebook}: checking parameters and input files")
        warnings = validate_inputs(notebook, params)
    else:
        warnings = checked
    for warning in warnings:
        progress(f"      {warning.describe()}")
    out_dir = Path(out_dir).resolve()
    temp_root = Path(tempfile.mkdtemp(prefix=f"ttwell-{notebook}-"))
    run_dir = temp_root / notebook
    run_dir.mkdir()
    timings = {}
    progress(f"{step} {notebook}: running the notebook")
    t0 = time.perf_counter()
    if notebook == "annual_impact" and not params.get("other_results_dir"):
        # The annual report brings in the other notebooks' results from this run's output folder.
        params = {**params, "other_results_dir": str(out_dir)}
    execute(notebook, params, run_dir)
    timings["execute"] = round(time.perf_counter() - t0, 2)
    results_file = run_dir / "results.json"
    if not results_file.exists():
        raise NotebookFailed(f"The {notebook} notebook finished but wrote no results.json; its last cell must call "
                             "results.save(). Nothing was written to the output folder.")
    executed = run_dir / NOTEBOOKS[notebook]["file"]
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
        old = temp_root / "previous-run"
        shutil.move(str(final), str(old))
    shutil.move(str(run_dir), str(final))
    shutil.rmtree(temp_root, ignore_errors=True)
    progress(f"{step} {notebook}: done in {timings['total']:.1f} s -> {final}")
    return final


def run_all(params_file: str | Path | None = None, out_dir: str | Path = "reports", **kwargs) -> list[Path]:
    """Run every notebook the parameters are for (:func:`ttwell.inputs.params.notebooks_in`) in turn. All inputs are
    validated before the first notebook starts."""
    from ttwell.inputs.params import notebooks_in

    with input_cache():
        return _run_all(notebooks_in(params_file), params_file, out_dir, **kwargs)


def _run_all(names: list[str], params_file, out_dir, **kwargs) -> list[Path]:
    progress = kwargs.get("progress", print)
    problems, warnings = [], {}
    progress(f"checking parameters and input files of {len(names)} notebook(s)")
    for name in names:
        try:
            warnings[name] = validate_inputs(name, load_params(params_file, name))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems, intro="Nothing was run: the input files have problems.")
    return [run_notebook(name, params_file, out_dir, step=f"[{i}/{len(names)}]", checked=warnings[name], **kwargs)
            for i, name in enumerate(names, start=1)]


def regenerate_goldens(names: list[str] | None = None) -> None:
    """Re-execute the committed notebooks in place with their default parameters (the nbval goldens).

    Volatile papermill metadata (timings, paths) is stripped so a changed golden is a diff of numbers.
    """
    import nbformat
    import papermill

    for name in names or list(NOTEBOOKS):
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
