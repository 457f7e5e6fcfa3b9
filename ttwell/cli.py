"""The ``ttwell`` command line: thin wrappers over the same functions the notebooks call.

Exit status: 0 success; 1 input problems found by ``validate``; 2 bad parameters or input (nothing run);
3 a notebook failed; 4 an environment problem (see ``ttwell doctor``).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import click

from ttwell.errors import InputError, ParameterError, TtwellError

EXIT_INPUT, EXIT_NOTEBOOK, EXIT_ENV = 2, 3, 4


def _fail(exc: Exception, code: int) -> None:
    click.echo(str(exc), err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="ttwell")
def main() -> None:
    """ttwell: evaluate an NHS Talking Therapies staff-wellbeing strategy.

    \b
    Typical use:
      ttwell validate --params my_service.yaml     check your files first
      ttwell run all --params my_service.yaml      every notebook -> reports/
      ttwell templates my_templates/               blank input templates to fill in

    Without --params, everything runs on the synthetic data shipped in data/synthetic/.
    """
    # pyzmq and jupyter_client warnings are noise for users (engineering spec 1.8, 1.10).
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=RuntimeWarning, module="zmq")


@main.command()
@click.argument("notebook", metavar="NOTEBOOK|all")
@click.option("--params", "params_file", type=click.Path(dir_okay=False), help="YAML parameter file (default: synthetic data).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports", show_default=True,
              help="Folder for the finished reports; each notebook gets its own subfolder.")
@click.option("--no-html", is_flag=True, help="Skip the HTML report.")
@click.option("--no-excel", is_flag=True, help="Skip the Excel workbook.")
def run(notebook: str, params_file: str | None, out_dir: str, no_html: bool, no_excel: bool) -> None:
    """Run NOTEBOOK (baseline, or 'all') and write its reports.

    Every input is validated before any notebook starts; reports are written to a temporary folder and moved
    into OUT only when complete, so a failed run leaves the output folder untouched.
    """
    from ttwell import runner
    from ttwell.params import NOTEBOOKS

    try:
        if notebook == "all":
            folders = runner.run_all(params_file, out_dir, html=not no_html, excel=not no_excel)
        elif notebook in NOTEBOOKS:
            folders = [runner.run_notebook(notebook, params_file, out_dir, html=not no_html, excel=not no_excel)]
        else:
            raise ParameterError(f"Unknown notebook '{notebook}'. Choose one of: {', '.join(NOTEBOOKS)}, all.")
    except (InputError, ParameterError) as exc:
        _fail(exc, EXIT_INPUT)
    except runner.NotebookFailed as exc:
        _fail(exc, EXIT_NOTEBOOK)
    except TtwellError as exc:
        _fail(exc, EXIT_NOTEBOOK)
    click.echo(f"Finished: {len(folders)} report folder(s) in {Path(out_dir).resolve()}")


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--kind", type=str, help="Template of FILE: staff_snapshot, absence, leavers, establishment, reasons, teams.")
@click.option("--params", "params_file", type=click.Path(dir_okay=False), help="Check every file named in a parameter file.")
def validate(file: str | None, kind: str | None, params_file: str | None) -> None:
    """Check input files against their templates and list every problem.

    Either give --params FILE.yaml (all files it names, with cross-file checks) or one FILE with --kind.
    Exit status 1 when any problem is an error.
    """
    from ttwell import io
    from ttwell.params import load_params
    from ttwell.templates import TEMPLATES

    try:
        if file:
            if kind not in TEMPLATES:
                raise ParameterError(f"Give --kind, one of: {', '.join(TEMPLATES)}.")
            _, problems = io.read_table(file, kind)
            checked = [file]
        else:
            from ttwell.runner import check_inputs

            problems, checked = check_inputs("baseline", load_params(params_file, "baseline"))
    except ParameterError as exc:
        _fail(exc, EXIT_INPUT)
    for problem in problems:
        click.echo(problem.describe())
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"Checked {len(checked)} file(s): {errors} error(s), {len(problems) - errors} warning(s).")
    sys.exit(1 if errors else 0)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
def templates(folder: str) -> None:
    """Write blank input templates (CSV and one XLSX workbook), the data dictionary and parameter files.

    Fill in the templates (or map your ESR extract onto their columns), copy params/baseline.yaml, edit the
    paths and the baseline period, then check with ttwell validate --params.

    \b
    Example:
      ttwell templates my_service/
    """
    from ttwell.params import NOTEBOOKS, write_params_template
    from ttwell.templates import write_blank_templates

    written = write_blank_templates(folder)
    for name in NOTEBOOKS:
        written.append(write_params_template(name, Path(folder) / "params" / f"{name}.yaml"))
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@click.option("--seed", type=int, default=2024, show_default=True, help="Random seed; the same seed gives identical files.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="data/synthetic", show_default=True)
def synth(seed: int, out_dir: str) -> None:
    """Regenerate the synthetic service's input files.

    The data describe an imaginary service (about 180 staff in 6 teams, one of them small, three years of
    month-end snapshots); see data/synthetic/README.md for what was planted. The same seed always gives
    byte-identical files.
    """
    from ttwell.synth import write_synthetic

    for path in write_synthetic(out_dir, seed=seed):
        click.echo(f"wrote {path}")


@main.command()
@click.option("--params", "params_file", type=click.Path(dir_okay=False), help="YAML parameter file (default: synthetic data).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), required=True, help="CSV file to write.")
def metrics(params_file: str | None, output: str) -> None:
    """Write the monthly workforce indicators as a tidy CSV (after disclosure control).

    Columns: month, level (service/team/role_family), group, indicator, numerator, denominator, value,
    n_people, n_numerator_people, suppressed, suppression_reason. The audience and threshold come from the
    parameters.
    """
    from ttwell import disclosure, io, workforce
    from ttwell.params import input_paths, load_params

    try:
        params = load_params(params_file, "baseline")
        data = io.load_workforce(input_paths(params))
        table = workforce.monthly_indicators(
            data, workforce.Options(leave_of_absence_as_leaver=params["leave_of_absence_as_leaver"]))
        shown = disclosure.disclose_indicators(table, audience=params["audience"],
                                               threshold=params["disclosure_threshold"])
    except (InputError, ParameterError) as exc:
        _fail(exc, EXIT_INPUT)
    except TtwellError as exc:
        _fail(exc, EXIT_NOTEBOOK)
    frame = shown.table.assign(month=shown.table["month"].astype(str))
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(output, index=False, encoding="utf-8-sig", lineterminator="\n")
    click.echo(f"wrote {len(frame)} rows to {output}")
    click.echo(shown.footnote)


@main.command()
def doctor() -> None:
    """Show which Python and Jupyter kernel will run the notebooks, and package versions.

    Use it when a notebook will not start or uses the wrong packages: a stray user-level 'python3'
    kernelspec pointing at another Python is the usual cause, and doctor prints the fix.
    Exit status 4 when the kernel would run a different Python.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    from ttwell.runner import KERNEL_NAME, package_versions

    click.echo(f"Python running ttwell: {sys.executable}")
    for name, version in package_versions().items():
        click.echo(f"  {name:<12} {version}")
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        click.echo(f"No '{KERNEL_NAME}' kernel found: run  python -m pip install ipykernel", err=True)
        sys.exit(EXIT_ENV)
    exe = spec.argv[0]
    # jupyter_client swaps a bare 'python' for the running interpreter, so that case is fine.
    same = exe in ("python", "python3") or Path(exe).resolve() == Path(sys.executable).resolve()
    click.echo(f"Kernel '{KERNEL_NAME}': {spec.resource_dir}")
    click.echo(f"  runs: {exe} {'(this Python: good)' if same else '(a different Python!)'}")
    if not same:
        click.echo("A user-level 'python3' kernelspec points at another Python. Remove it with\n"
                   "  jupyter kernelspec remove python3\nor run ttwell from that environment.", err=True)
        sys.exit(EXIT_ENV)


@main.command(name="score")
@click.argument("instrument")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="CSV file to write (default: FILE's name + _<instrument>_scores.csv, beside FILE).")
@click.option("--variant", help="Wording variant, for instruments that have one (TPS: edmondson_1999 or "
                                "strategy_positive). Default: FILE's ps_variant column.")
@click.option("--coding", help="Response coding, for instruments with alternatives (OLBI: SA1_SD4, the default, "
                               "or SD1_SA4). Default: FILE's olbi_response_coding column, else the default.")
def score_command(instrument: str, file: str, output: str | None, variant: str | None, coding: str | None) -> None:
    """Score INSTRUMENT in FILE and write one row of scores per respondent.

    INSTRUMENT is OLBI, WRQOL, BPNSW, TPS, CBI, SWEMWBS, NQPS9, JOY or the path of your own instrument
    definition (.yaml). FILE is CSV or XLSX, long (instrument, item_id, item_value columns, as the
    survey_responses template) or wide (one column per item id), with wave_id and response_id columns.
    Values outside the instrument's coding, unknown items and duplicate answers are all listed, and nothing
    is written until they are fixed.

    \b
    Example:
      ttwell score OLBI survey_responses_long.csv -o olbi_scores.csv
      ttwell score TPS pulse_march.xlsx --variant strategy_positive
    """
    from ttwell.io import read_raw
    from ttwell.scales import load_instrument
    from ttwell.scales import score as score_responses

    try:
        inst = load_instrument(instrument)
        out = Path(output) if output else Path(file).with_name(f"{Path(file).stem}_{inst.id.lower()}_scores.csv")
        if out.resolve() == Path(file).resolve():
            raise ParameterError("The output file would overwrite the responses; give another name with -o.")
        frame, _, problems = read_raw(file)
        if problems:
            raise InputError(problems)
        scored = score_responses(frame, inst, variant=variant, coding=coding, file=Path(file).name)
    except (InputError, ParameterError) as exc:
        _fail(exc, EXIT_INPUT)
    out.parent.mkdir(parents=True, exist_ok=True)
    scored.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\n")
    click.echo(f"wrote {len(scored)} respondent(s) to {out}")
    click.echo("Reminder: this file holds person-level scores; store and share it only as you would the responses.")


if __name__ == "__main__":  # pragma: no cover
    main()
