"""Commands that prepare inputs and produce the reports: run, validate, pseudonymise, templates, synth, metrics,
doctor. Thin wrappers over the runner, the input checks and the calculators the notebooks call."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ttwell.errors import InputError, ParameterError, TtwellError
from ttwell.running.cli.group import EXIT_ENV, EXIT_INPUT, EXIT_NOTEBOOK, fail, main


@main.command()
@click.argument("notebook", metavar="NOTEBOOK|all")
@click.option("--params", "params_files", type=click.Path(dir_okay=False), multiple=True,
              help="YAML parameter file (default: synthetic data). Repeat it to run several services at once: "
                   "each service's reports go to OUT/<parameter file name>/.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports", show_default=True,
              help="Folder for the finished reports; each notebook gets its own subfolder.")
@click.option("--no-html", is_flag=True, help="Skip the HTML report.")
@click.option("--no-excel", is_flag=True, help="Skip the Excel workbook.")
@click.option("--no-word", is_flag=True, help="Skip the Word document.")
@click.option("--review-month", "review_month", metavar="MM/YYYY",
              help="Baseline (the dashboard): the month to review (default: the latest complete month in the data).")
@click.option("--previous", "previous", type=click.Path(file_okay=False),
              help="Baseline: the folder of last month's run, so the review says what changed since then.")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help="With 'all': run up to N notebooks at a time (default: the number of cores). The annual "
                   "evaluation starts after the notebooks whose results it reads. With several --params: run up "
                   "to N services at a time.")
def run(notebook: str, params_files: tuple[str, ...], out_dir: str, no_html: bool, no_excel: bool, no_word: bool,
        review_month: str | None, previous: str | None, jobs: int | None) -> None:
    """Run NOTEBOOK (baseline, or 'all') and write its reports.

    Every input is validated before any notebook starts; reports are written to a temporary folder and moved
    into OUT only when complete, so a failed run leaves the output folder untouched. Independent notebooks run
    side by side; each progress line names its notebook.
    """
    from ttwell.running import runner
    from ttwell.inputs.params import NOTEBOOKS

    overrides = {**({"review_month": review_month} if review_month else {}),
                 **({"previous_results": str(Path(previous).resolve())} if previous else {})}
    if len(params_files) > 1:
        _run_services(notebook, list(params_files), out_dir, jobs, overrides, previous,
                      html=not no_html, excel=not no_excel, word=not no_word)
        return
    params_file = params_files[0] if params_files else None
    try:
        if overrides and notebook != "baseline":
            raise ParameterError("--review-month and --previous are for the baseline notebook (the dashboard): use "
                                 "'ttwell run baseline' or 'ttwell review'.")
        if notebook == "all":
            folders = runner.run_all(params_file, out_dir, jobs=jobs, html=not no_html, excel=not no_excel,
                                     word=not no_word)
        elif notebook in NOTEBOOKS:
            folders = [runner.run_notebook(notebook, params_file, out_dir, html=not no_html, excel=not no_excel,
                                           word=not no_word, overrides=overrides or None)]
        else:
            raise ParameterError(f"Unknown notebook '{notebook}'. Choose one of: {', '.join(NOTEBOOKS)}, all.")
    except (InputError, ParameterError) as exc:
        fail(exc, EXIT_INPUT)
    except runner.NotebookFailed as exc:
        fail(exc, EXIT_NOTEBOOK)
    except TtwellError as exc:
        fail(exc, EXIT_NOTEBOOK)
    click.echo(f"Finished: {len(folders)} report folder(s) in {Path(out_dir).resolve()}")


def _run_services(notebook: str, params_files: list[str], out_dir: str, jobs: int | None, overrides: dict,
                  previous: str | None, **reports) -> None:
    """``ttwell run NOTEBOOK --params A.yaml --params B.yaml``: one run per service, side by side."""
    from ttwell.inputs.params import SERVICE_NOTEBOOKS
    from ttwell.running import runner

    try:
        if previous:
            raise ParameterError("--previous names one service's earlier run; with several --params, run each "
                                 "service's monthly review on its own ('ttwell review').")
        if overrides and notebook != "baseline":
            raise ParameterError("--review-month is for the baseline notebook (the dashboard).")
        if notebook != "all" and notebook not in SERVICE_NOTEBOOKS:
            raise ParameterError(f"Several --params run one service's notebook for each service; choose one of: "
                                 f"{', '.join(SERVICE_NOTEBOOKS)}, all.")
        folders = runner.run_services(notebook, params_files, out_dir, jobs=jobs, overrides=overrides or None,
                                      **reports)
    except (InputError, ParameterError) as exc:
        fail(exc, EXIT_INPUT)
    except TtwellError as exc:
        fail(exc, EXIT_NOTEBOOK)
    click.echo(f"Finished: {len(folders)} service(s), {sum(map(len, folders.values()))} report folder(s) in "
               f"{Path(out_dir).resolve()}")


@main.command()
@click.argument("results_dirs", nargs=-1, required=True, type=click.Path(file_okay=False), metavar="RESULTS_DIR...")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder for the comparison (a 'compare_services' folder is written inside it).")
@click.option("--audience", type=click.Choice(["staff_wide", "internal_management"]), default="staff_wide",
              show_default=True, help="Who will read the comparison: decides what may be shown.")
@click.option("--threshold", type=click.IntRange(min=5), default=11, show_default=True,
              help="Smallest group shown (a service with fewer respondents is not shown for that score).")
@click.option("--no-html", is_flag=True, help="Skip the HTML report.")
@click.option("--no-excel", is_flag=True, help="Skip the Excel workbook.")
@click.option("--no-word", is_flag=True, help="Skip the Word document.")
def compare(results_dirs: tuple[str, ...], out_dir: str, audience: str, threshold: int, no_html: bool,
            no_excel: bool, no_word: bool) -> None:
    """Compare services: one funnel plot per indicator across the services' baseline results.

    Each RESULTS_DIR is the folder a service's baseline run wrote (holding results.json); only results.json and
    its tables are read, never staff-level data. Give each service once; demonstration and real services are never
    mixed. Writes HTML, Word and Excel to OUT/compare_services/.

    \b
    Example:
      ttwell run baseline --params north.yaml --params south.yaml --out reports
      ttwell compare reports/north/baseline reports/south/baseline -o reports/comparison
    """
    from ttwell.running import runner

    overrides = {"results_dirs": [str(Path(d).resolve()) for d in results_dirs], "audience": audience,
                 "disclosure_threshold": threshold}
    try:
        folder = runner.run_notebook("compare_services", None, out_dir, html=not no_html, excel=not no_excel,
                                     word=not no_word, overrides=overrides)
    except (InputError, ParameterError) as exc:
        fail(exc, EXIT_INPUT)
    except TtwellError as exc:
        fail(exc, EXIT_NOTEBOOK)
    click.echo(f"Finished: the comparison is in {folder}")

@main.command()
@click.argument("month", metavar="[MM/YYYY]", required=False)
@click.option("--params", "params_file", type=click.Path(dir_okay=False), help="YAML parameter file (default: synthetic data).")
@click.option("--previous", "previous", type=click.Path(file_okay=False),
              help="The folder of last month's run, so the review says what changed since then.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports", show_default=True,
              help="Folder for the report (a 'baseline' folder is written inside it).")
@click.pass_context
def review(ctx, month: str | None, params_file: str | None, previous: str | None, out_dir: str) -> None:
    """The monthly review: run the dashboard for MM/YYYY (default: the latest complete month).

    The same as 'ttwell run baseline --review-month MM/YYYY [--previous DIR]'. The report opens with what is new
    this month: each indicator's value, icons and what changed, and the watch list.

    \b
    Example (April, compared with March's run):
      ttwell review 03/2025 --params service.yaml --out reports/2025-03
      ttwell review 04/2025 --params service.yaml --previous reports/2025-03/baseline --out reports/2025-04
    """
    ctx.invoke(run, notebook="baseline", params_files=(params_file,) if params_file else (), out_dir=out_dir,
               no_html=False, no_excel=False, no_word=False, review_month=month, previous=previous, jobs=None)


def _kind_help() -> str:
    from ttwell.inputs.templates import kind_names

    return "Template of FILE (default: from FILE's name, else its header), one of: " + ", ".join(kind_names()) + "."


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--kind", type=str, help=_kind_help())
@click.option("--map", "map_file", type=click.Path(dir_okay=False),
              help="Column map (YAML) reading FILE, an export with its own headers and values, as the template.")
@click.option("--params", "params_file", type=click.Path(dir_okay=False), help="Check every file named in a parameter file.")
def validate(file: str | None, kind: str | None, map_file: str | None, params_file: str | None) -> None:
    """Check input files against their templates and list every problem.

    Either give --params FILE.yaml (every notebook's files, with cross-file checks; without it, the shipped
    synthetic data) or one FILE (with --kind and --map when needed). A single file is checked against every
    rule that needs no other file; each rule that needs a companion file is named in one line.
    Exit status 1 when any problem is an error.

    \b
    Examples:
      ttwell validate absence_episodes.xlsx
      ttwell validate staff_in_post.csv --kind staff_monthly_snapshot --map maps/esr_staff_in_post.yaml
    """

    notes: list[str] = []
    try:
        if file:
            from ttwell.inputs.checks import check_file
            from ttwell.inputs.templates import template_name

            if params_file:
                raise ParameterError("Give either one FILE or --params, not both.")
            result = check_file(file, kind, map_file)
            click.echo(f"{Path(file).name}: checked as {template_name(result.kind)}, {result.chosen}.")
            problems, checked, notes = result.problems, [file], result.not_checked
        else:
            from ttwell.inputs.params import SERVICE_NOTEBOOKS, notebooks_in
            from ttwell.running.input_checks import check_notebooks

            if kind or map_file:
                raise ParameterError("--kind and --map go with one FILE; with --params, name maps under "
                                     "column_maps in the parameter file.")
            # Every notebook's inputs named by the parameters (defaults: the synthetic data), each file once.
            problems, checked, seen = [], [], set()
            chosen = notebooks_in(params_file)
            skipped = [n for n in SERVICE_NOTEBOOKS if n not in chosen]
            if skipped:
                notes.append(f"{', '.join(skipped)}: not checked (the parameter file names none of its files)")
            for found, files in check_notebooks(chosen, params_file).values():
                problems += [p for p in found if p not in seen]
                seen.update(found)
                checked += [f for f in files if f not in checked]
    except (ParameterError, InputError) as exc:
        fail(exc, EXIT_INPUT)
    for problem in problems:
        click.echo(problem.describe())
    for note in notes:
        click.echo(f"NOTE: {note}")
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"Checked {len(checked)} file(s): {errors} error(s), {len(problems) - errors} warning(s).")
    sys.exit(1 if errors else 0)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--key-file", type=click.Path(dir_okay=False), help="The secret key (32 bytes or more).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Folder for the pseudonymised copies "
              "(never the folder of an input).")
@click.option("--columns", help="Comma-separated headers of the identifier columns (default: staff_pid, "
                                "participant_pid, respondent_pid).")
@click.option("--new-key", "new_key", type=click.Path(dir_okay=False),
              help="Write a new random key to this file (readable by you only) and stop.")
def pseudonymise(files: tuple[str, ...], key_file: str | None, out_dir: str | None, columns: str | None,
                 new_key: str | None) -> None:
    """Replace staff identifiers in FILES by keyed pseudonyms: HMAC-SHA256(key, id), 16 hex characters.

    The same id gets the same pseudonym in every file and every month with the same key; another key gives
    other pseudonyms. CSV and XLSX files are written with the same names and formats into OUT only; the key
    and the original ids are never written or printed. Keep the key away from the analysts and the data.

    \b
    Examples:
      ttwell pseudonymise --new-key ~/ttwell.key
      ttwell pseudonymise esr/*.csv --key-file ~/ttwell.key --out for_analyst/
      ttwell pseudonymise staff_in_post.xlsx --key-file ~/ttwell.key --out for_analyst/ --columns "Employee Number"
    """
    from ttwell.inputs import pseudonymise as pseudo

    try:
        if new_key:
            if files or key_file or out_dir or columns:
                raise ParameterError("--new-key only writes a key; run again with --key-file to pseudonymise.")
            path = pseudo.new_key(new_key)
            click.echo(f"wrote a new key to {path} (readable by you only). Keep it safe and away from the data: "
                       "the same key must be used every month.")
            return
        if not out_dir:
            raise ParameterError("Give --out DIR, a folder for the pseudonymised copies (not the inputs' folder).")
        names = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
        written = pseudo.pseudonymise_files(list(files), key_file, out_dir, names)
    except ParameterError as exc:
        fail(exc, EXIT_INPUT)
    for item in written:
        counts = ", ".join(f"{n} in '{c}'" for c, n in item.replaced.items()) or "no identifier column: copied"
        click.echo(f"wrote {item.target} ({counts})")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
def templates(folder: str) -> None:
    """Write blank input templates (CSV and one XLSX workbook), the data dictionary, parameter files and one
    commented example column map per template (maps/).

    Fill in the templates, or edit a map so your own export reads as a template, copy params/baseline.yaml,
    edit the paths and the baseline period, then check with ttwell validate --params.

    \b
    Example:
      ttwell templates my_service/
    """
    from ttwell.inputs.column_maps import write_example_maps
    from ttwell.inputs.params import NOTEBOOKS, write_params_template
    from ttwell.inputs.templates import write_blank_templates

    written = write_blank_templates(folder)
    written += write_example_maps(Path(folder) / "maps")
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
    from ttwell import disclosure
    from ttwell.inputs import io
    from ttwell.calculations import workforce
    from ttwell.inputs.params import input_paths, load_params

    try:
        params = load_params(params_file, "baseline")
        data = io.load_workforce(input_paths(params))
        table = workforce.monthly_indicators(
            data, workforce.Options(leave_of_absence_as_leaver=params["leave_of_absence_as_leaver"]))
        shown = disclosure.disclose_indicators(table, audience=params["audience"],
                                               threshold=params["disclosure_threshold"])
    except (InputError, ParameterError) as exc:
        fail(exc, EXIT_INPUT)
    except TtwellError as exc:
        fail(exc, EXIT_NOTEBOOK)
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

    from ttwell.running.runner import KERNEL_NAME, package_versions

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
