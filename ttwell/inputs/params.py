"""Parameters: one loader for YAML files, notebooks and the CLI.

Dates are given as dd/mm/yyyy (or yyyy-mm-dd) and parsed here, explicitly. Relative file paths in a YAML file
are relative to that file's folder.

The shipped synthetic data are a demonstration, used only when no parameter file is given; then
``p["demonstration"]`` is true and every output says :data:`DEMONSTRATION_NOTICE`. With a parameter file every
input is the user's: a file parameter that is left out or ``null`` means that input is absent, and a required
input that is absent is a :class:`~ttwell.errors.ParameterError` naming its key.

Example
-------
>>> from ttwell.inputs.params import load_params
>>> p = load_params(notebook="baseline")
>>> p["audience"], p["disclosure_threshold"]
('internal_management', 11)
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ttwell.errors import ParameterError
from ttwell.inputs.dates import parse_date

# The notebook registry lives in its own module; its names are re-exported here, where the callers look for them.
from ttwell.inputs.notebooks import (AUDIENCES, DEFAULT_THRESHOLD, DEMONSTRATION_SERVICES,  # noqa: F401
                                      LEAVER_SCOPES, MINIMUM_THRESHOLD, NOTEBOOK_DIR, NOTEBOOKS, REPO_ROOT,
                                      SERVICE_FILES, SERVICE_NOTEBOOKS, SERVICE_WORKFORCE_OPTIONS, SYNTHETIC,
                                      _notebook, notebook_names)

DIRECTIONS = ("increase", "decrease", "neutral")
DEMONSTRATION_NOTICE = "Synthetic demonstration data: not a real service"
# Parameters that are not the user's to set: added by the loader.
DERIVED = ("demonstration", "column_maps")
SCALES = ("0-100", "0-10", "1-5")


class MappedFile(str):
    """A file path (a plain ``str`` everywhere) that carries the column map its export is read through.

    ``ttwell.inputs.io.read_table`` reads ``path.column_map`` when no map is passed explicitly, so a notebook that
    reads ``p["staff_snapshot_file"]`` gets the mapped data without knowing about maps.
    """

    column_map: str | None = None

    def __new__(cls, path: str, column_map: str | None = None):
        obj = super().__new__(cls, path)
        obj.column_map = column_map
        return obj

    def __reduce__(self):  # keeps the map through copy and pickle
        return (MappedFile, (str(self), self.column_map))


def _absolute(value, root: Path) -> str:
    path = Path(str(value)).expanduser()
    return str((path if path.is_absolute() else root / path).resolve())


def is_shipped_file(path: str | Path | None) -> bool:
    """True when ``path`` is one of the synthetic files shipped in ``data/synthetic``."""
    if not path:
        return False
    return Path(str(path)).resolve().parent == (REPO_ROOT / SYNTHETIC).resolve()


def file_keys(notebook: str) -> list[str]:
    """The file parameters of ``notebook`` (keys ending in ``_file``), in parameter order."""
    return [k for k in _notebook(notebook)["defaults"] if k.endswith("_file")]


def required_file_keys(notebook: str) -> list[str]:
    """The file parameters ``notebook`` cannot run without."""
    spec = _notebook(notebook)
    return [k for k in file_keys(notebook) if k not in spec.get("optional_files", []) and k != "objectives_file"]


def demonstration_notice(params: dict) -> str | None:
    """The sentence every output of a demonstration run carries, or ``None`` for a service's own data.

    Examples
    --------
    >>> demonstration_notice({"demonstration": True})
    'Synthetic demonstration data: not a real service'
    >>> demonstration_notice({"demonstration": False}) is None
    True
    """
    return DEMONSTRATION_NOTICE if params.get("demonstration") else None


def absent_inputs(params: dict, notebook: str) -> dict[str, str]:
    """For each optional input of ``notebook`` that is absent, the sentence that replaces its section.

    Examples
    --------
    >>> absent_inputs({"nss_scores_file": None}, "baseline")["nss_scores_file"]
    'Not included: no published NHS Staff Survey / pulse scores file was given (name your nss_scores.csv in the parameter file to include it).'
    """
    from ttwell.inputs.templates import TEMPLATES, input_kind_of

    sentences = {}
    for key in _notebook(notebook).get("optional_files", []):
        if key in params and not params[key]:
            kind = input_kind_of(key)
            title = TEMPLATES[kind].title if kind else key.removesuffix("_file").replace("_", " ")
            # Written for the report's reader: the file, not the parameter's code name (the parameter files
            # written by `ttwell templates` name each key beside its file).
            sentences[key] = (f"Not included: no {title[0].lower() + title[1:]} file was given (name your "
                              f"{_template_file(key)} in the parameter file to include it).")
    return sentences


class Parameters(dict):
    """Validated parameters: the values as given (for ``results.json`` and the report's parameter table) and,
    in :attr:`dates`, every date parameter parsed once into a ``pandas.Timestamp``.

    Examples
    --------
    >>> p = load_params(notebook="baseline")
    >>> p["baseline_start"], p.dates["baseline_start"].strftime("%Y-%m-%d")
    ('01/04/2023', '2023-04-01')
    """

    dates: dict


def validate_params(params: dict, notebook: str, base_dir: Path = REPO_ROOT, *, demonstration: bool = False,
                    column_maps: dict | None = None) -> Parameters:
    """Check every parameter and return a clean copy: paths absolute, numbers typed.

    Parameters
    ----------
    params
        The parameters given (names of ``notebook``'s parameters).
    notebook
        Which notebook they are for.
    base_dir
        Folder that relative paths in ``params`` are relative to.
    demonstration
        True only for a run without a parameter file: file parameters not given then take the shipped
        synthetic data. Otherwise a file parameter not given (or ``None``) is an absent input, and a
        required one is an error naming its key.
    column_maps
        ``{file parameter: column map file}`` (paths relative to ``base_dir``); the file is then returned
        as a :class:`MappedFile` carrying its map.

    Returns
    -------
    dict
        Every parameter of ``notebook``, plus ``demonstration`` (bool) and ``column_maps`` (absolute paths).

    All problems are collected and raised together as one :class:`ParameterError`.
    """
    spec = _notebook(notebook)
    defaults = spec["defaults"]
    problems: list[str] = []
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        problems.append(f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(defaults)}")
    given = {k: v for k, v in params.items() if k in defaults}
    if not demonstration:
        # A service's own run: no input is taken from the shipped data behind its back.
        given = {**{k: None for k in file_keys(notebook)}, **given}
    clean = {**defaults, **given}
    required = required_file_keys(notebook)
    for name, value in list(clean.items()):
        if name.endswith("_file"):
            if value in (None, ""):
                if name in required:
                    problems.append(f"'{name}' is required: name your file (template "
                                    f"{_template_file(name)}) in the parameter file")
                clean[name] = None
                continue
            # A value the user gave is relative to their file; a default is relative to the repository.
            clean[name] = _absolute(value, base_dir if name in params else REPO_ROOT)
    maps: dict[str, str] = {}
    for name, value in (column_maps or {}).items():
        if name not in defaults or not name.endswith("_file"):
            continue  # a map for another notebook's input (a params file may serve several notebooks)
        if value in (None, ""):
            continue
        maps[name] = _absolute(value, base_dir)
        if not Path(maps[name]).exists():
            problems.append(f"column_maps: the map for '{name}' was not found: {maps[name]}")
        elif clean.get(name) is None:
            problems.append(f"column_maps names a map for '{name}', but no {name} is given")
        else:
            clean[name] = MappedFile(clean[name], maps[name])
    clean["column_maps"] = maps
    clean["demonstration"] = bool(demonstration or (
        any(clean[k] for k in file_keys(notebook)) and all(is_shipped_file(clean[k]) for k in file_keys(notebook)
                                                           if clean[k] and k != "objectives_file")))
    for name in [k for k in clean if k.endswith(("_start", "_end", "_date"))]:
        try:
            parse_date(clean[name], name)
        except ParameterError as exc:
            problems.append(str(exc))
    if "audience" in clean and clean["audience"] not in AUDIENCES:
        problems.append(f"'audience' must be one of {', '.join(AUDIENCES)}; got '{clean['audience']}'")
    if "disclosure_threshold" in clean:
        value = clean["disclosure_threshold"]
        if isinstance(value, bool) or not isinstance(value, int) or value < MINIMUM_THRESHOLD:
            problems.append(f"'disclosure_threshold' must be a whole number of at least {MINIMUM_THRESHOLD}; got {value!r}")
    for name in ("leave_of_absence_as_leaver", "show_survey_cutoffs", "rebase_spc_at_strategy"):
        if name in clean and not isinstance(clean[name], bool):
            problems.append(f"'{name}' must be true or false; got {clean[name]!r}")
    if "leaver_scope" in clean and clean["leaver_scope"] not in LEAVER_SCOPES:
        problems.append(f"'leaver_scope' must be one of {', '.join(LEAVER_SCOPES)}; got {clean['leaver_scope']!r}")
    if "stability_one_year_days" in clean:
        value = clean["stability_one_year_days"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(f"'stability_one_year_days' must be a whole number of days (normally 365); got {value!r}")
    if "improvement_directions" in clean:
        directions = clean["improvement_directions"]
        if not isinstance(directions, dict) or any(v not in DIRECTIONS for v in directions.values()):
            problems.append("'improvement_directions' must map each measure id to increase, decrease or neutral; "
                            f"got {directions!r}")
    if "indicator_targets" in clean:
        targets = clean["indicator_targets"]
        from_indicators = isinstance(targets, dict) and all(
            not isinstance(v, bool) and isinstance(v, (int, float)) for v in targets.values())
        if not from_indicators:
            problems.append(f"'indicator_targets' must map monthly indicator ids to numbers (proportions as 0-1, "
                            f"e.g. sickness_absence_rate_month: 0.045); got {targets!r}")
    if "targets" in clean:
        targets = clean["targets"]
        if not isinstance(targets, dict) or any(isinstance(v, bool) or not isinstance(v, (int, float))
                                                for v in targets.values()):
            problems.append(f"'targets' must map measure ids to numbers (or be empty); got {targets!r}")
    if "confidence_scale" in clean and clean["confidence_scale"] not in SCALES:
        problems.append(f"'confidence_scale' must be one of {', '.join(SCALES)}; got {clean['confidence_scale']!r}")
    if "confidence_threshold" in clean:
        value = clean["confidence_threshold"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            problems.append(f"'confidence_threshold' must be a number from 0 to 100; got {value!r}")
    if "reliability" in clean:
        value = clean["reliability"]
        if value != "alpha" and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1):
            problems.append(f"'reliability' must be 'alpha' or a number from 0 up to 1; got {value!r}")
    if not problems and "baseline_start" in clean:
        start, end = parse_date(clean["baseline_start"], "baseline_start"), parse_date(clean["baseline_end"], "baseline_end")
        if start.day != 1 or not end.is_month_end or end <= start:
            problems.append("the baseline period must run from the first day of a month to the last day of a later "
                            f"month (got {start:%d/%m/%Y} to {end:%d/%m/%Y})")
    if clean.get("review_month") not in (None, ""):
        text = str(clean["review_month"]).strip()
        if not re.fullmatch(r"(0?[1-9]|1[0-2])/\d{4}", text):
            problems.append(f"'review_month' must be a month written MM/YYYY (for example 03/2025); got {text!r}")
        clean["review_month"] = text
    if clean.get("previous_results") not in (None, ""):
        previous = Path(str(clean["previous_results"])).expanduser()
        previous = (previous if previous.is_absolute() else base_dir / previous).resolve()
        previous = previous.parent if previous.name == "results.json" else previous
        if not (previous / "results.json").is_file():
            problems.append(f"'previous_results' must be the folder of the previous month's run, holding its "
                            f"results.json; there is no results.json in {previous}")
        clean["previous_results"] = str(previous)
    if clean.get("other_results_dir") not in (None, ""):
        other = Path(str(clean["other_results_dir"])).expanduser()
        clean["other_results_dir"] = str((other if other.is_absolute() else base_dir / other).resolve())
    if "results_dirs" in defaults:
        if not demonstration and "results_dirs" not in params:
            problems.append("'results_dirs' is required: list the results folders of the services' baseline runs")
        clean["results_dirs"], found = _results_dirs(clean["results_dirs"], base_dir if "results_dirs" in params
                                                     else REPO_ROOT)
        problems += found
        clean["demonstration"] = bool(demonstration and "results_dirs" not in params)
    if clean.get("output_dir") not in (None, ""):
        out = Path(str(clean["output_dir"])).expanduser()
        clean["output_dir"] = str((out if out.is_absolute() else base_dir / out).resolve())
    else:
        clean["output_dir"] = None
    if problems:
        raise ParameterError(f"Parameter problem(s) for the {notebook} notebook:\n- " + "\n- ".join(problems))
    out = Parameters(clean)
    out.dates = {name: parse_date(out[name], name) for name in out if name.endswith(("_start", "_end", "_date"))
                 and out[name] not in (None, "")}
    return out


def _results_dirs(value, root: Path) -> tuple[list[str], list[str]]:
    """The results folders of the services compared, absolute, and the problems with them.

    Each must be the folder of a baseline run (holding its ``results.json``); the output folder given to
    ``ttwell run`` (holding ``baseline/``) or the ``results.json`` itself are accepted too. Only the file's
    presence is checked here; :mod:`ttwell.presentation.sections.services` reads it.
    """
    if isinstance(value, (str, Path)):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, (str, Path)) for v in value):
        return [], [f"'results_dirs' must list the results folders of the services' baseline runs; got {value!r}"]
    folders, problems = [], []
    for given in value:
        folder = Path(_absolute(given, root))
        if folder.name == "results.json":
            folder = folder.parent
        elif not (folder / "results.json").is_file() and (folder / "baseline" / "results.json").is_file():
            folder = folder / "baseline"
        if not folder.is_dir():
            problems.append(f"results folder not found: {folder}")
        elif not (folder / "results.json").is_file():
            problems.append(f"{folder} holds no results.json: give the folder a baseline run wrote (for example "
                            f"reports/baseline after 'ttwell run baseline --out reports')")
        folders.append(str(folder))
    if len(value) < 2:
        problems.append(f"comparing services needs the results folders of two or more services; got {len(value)}")
    return folders, problems


def _check_column_maps(value, where: str) -> dict:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ParameterError(f"{where}: 'column_maps' must map file parameters to map files, such as "
                             "{staff_snapshot_file: maps/esr_staff_in_post.yaml}; got " + repr(value))
    known = {k for spec in NOTEBOOKS.values() for k in spec["defaults"] if k.endswith("_file")}
    unknown = sorted(set(value) - known)
    if unknown:
        raise ParameterError(f"{where}: 'column_maps' names unknown file parameter(s) {', '.join(unknown)}; "
                             f"known: {', '.join(sorted(known))}.")
    return value


def load_params(path: str | Path | None = None, notebook: str = "baseline", *, overrides: dict | None = None) -> dict:
    """Read a YAML parameter file and validate it for ``notebook``.

    Without ``path`` the result is the synthetic demonstration (``p["demonstration"]`` is true). With a
    file, only what the file names is used: see :func:`validate_params`. ``overrides`` (parameters given on the
    command line, such as ``review_month``; paths absolute) replace the file's values.
    """
    overrides = dict(overrides or {})
    if path is None:
        return validate_params(overrides, notebook, REPO_ROOT, demonstration=True)
    path = Path(path)
    if not path.exists():
        raise ParameterError(f"Parameter file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ParameterError(f"{path.name} is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{path.name} must hold 'name: value' lines; found {type(data).__name__}.")
    # A params file may serve several notebooks; keys another notebook uses are not typos here.
    known_anywhere = {k for spec in NOTEBOOKS.values() for k in spec["defaults"]} | {"column_maps"}
    unknown = sorted(set(data) - known_anywhere)
    if unknown:
        raise ParameterError(f"{path.name}: unknown parameter(s) {', '.join(unknown)}. "
                             f"Known for {notebook}: {', '.join(NOTEBOOKS[notebook]['defaults'])}, column_maps.")
    maps = _check_column_maps(data.get("column_maps"), path.name)
    mine = {k: v for k, v in data.items() if k in NOTEBOOKS[notebook]["defaults"]}
    return validate_params({**mine, **overrides}, notebook, path.resolve().parent, column_maps=maps)


def notebooks_in(path: str | Path | None) -> list[str]:
    """The notebooks a parameter file is for: those it names at least one required input file of (every notebook
    without a file, the demonstration). A service that keeps no PDSA log is not asked for one."""
    if path is None or not Path(path).exists():
        return list(SERVICE_NOTEBOOKS)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError:
        return list(SERVICE_NOTEBOOKS)  # load_params reports the YAML problem with its line
    if not isinstance(data, dict):
        return list(SERVICE_NOTEBOOKS)
    named = [n for n in SERVICE_NOTEBOOKS if any(data.get(k) for k in required_file_keys(n))]
    return named or list(SERVICE_NOTEBOOKS)


def notebook_default(notebook: str, name: str):
    """The value ``name`` has in ``notebook``'s parameters cell (file paths relative to ``notebooks/``)."""
    value = _notebook(notebook)["defaults"][name]
    if name.endswith("_file") and value:
        return f"../{value}"
    if name == "results_dirs":
        return [f"../{folder}" for folder in value]
    return value


def from_notebook(notebook: str, namespace: dict) -> dict:
    """Collect a notebook's parameters from its namespace and validate them.

    Three ways a notebook runs, one rule each:

    * ``ttwell run`` passes every parameter with absolute paths, and ``demonstration``.
    * ``papermill notebooks/NAME.ipynb out.ipynb -p params_file my.yaml`` (or a ``params_file`` variable):
      the file is read exactly as ``ttwell run --params`` reads it (paths relative to the file).
    * Otherwise (papermill ``-f``/``-p``, or the notebook opened in Jupyter) the namespace holds the parameters
      cell's defaults overwritten by what was passed. A file parameter still at the cell's default is the
      shipped synthetic file (found from ``notebooks/``, whatever the working folder). If every file parameter
      is at its default, this is the demonstration; if any one was given, every file parameter still at its
      default is absent (the shipped data are never mixed into a service's own). Relative paths that were
      passed are relative to the kernel's working folder: the folder papermill is run from, or ``--cwd DIR``.
    """
    names = NOTEBOOKS[notebook]["defaults"]
    if "results_dirs" in names and namespace.get("demonstration") is None and "params_file" not in namespace:
        # The comparison of services: the cell's default folders are the demonstration services.
        params = {k: namespace[k] for k in names if k in namespace}
        demo = list(params.get("results_dirs") or []) == notebook_default(notebook, "results_dirs")
        if demo:
            params.pop("results_dirs")
        return validate_params(params, notebook, Path.cwd(), demonstration=demo)
    if namespace.get("params_file"):
        params_file = Path(str(namespace["params_file"])).expanduser()
        return load_params(params_file if params_file.is_absolute() else Path.cwd() / params_file, notebook)
    params = {k: namespace[k] for k in names if k in namespace}
    maps = _check_column_maps(namespace.get("column_maps"), "column_maps")
    if "demonstration" in namespace and namespace["demonstration"] is not None:
        # Set by ttwell run, which passes every parameter (absent inputs as None): nothing is filled in here.
        clean = validate_params(params, notebook, Path.cwd(), column_maps=maps)
        clean["demonstration"] = bool(namespace["demonstration"])
        return clean
    at_default = [k for k in file_keys(notebook) if k in params and params[k] == notebook_default(notebook, k)]
    others = {k: v for k, v in params.items() if k not in at_default}
    demo = all(k in at_default or not params.get(k) for k in file_keys(notebook)) and any(
        params.get(k) for k in file_keys(notebook))
    if demo:
        # The defaults are relative to notebooks/: the loader finds them from the repository root instead.
        return validate_params(others, notebook, Path.cwd(), demonstration=True, column_maps=maps)
    return validate_params(others, notebook, Path.cwd(), demonstration=False, column_maps=maps)


def _template_file(key: str) -> str:
    from ttwell.inputs.templates import TEMPLATES, input_kind_of

    kind = input_kind_of(key)
    return TEMPLATES[kind].filename if kind else key.removesuffix("_file")


def input_paths(params: dict) -> dict[str, str | None]:
    """Map template kinds to the files named in the parameters (for ``ttwell.inputs.io.load_workforce``)."""
    from ttwell.inputs.templates import WORKFORCE_INPUTS

    return {kind: params.get(name) for kind, name in WORKFORCE_INPUTS.items()}


def survey_paths(params: dict) -> dict[str, str | None]:
    """Map survey template kinds to the files named in the parameters (for ``ttwell.inputs.io.load_surveys``)."""
    from ttwell.inputs.templates import SURVEY_INPUTS

    return {kind: params.get(name) for kind, name in SURVEY_INPUTS.items()}


def write_params_template(notebook: str, path: str | Path) -> Path:
    """Write a commented YAML parameter file for ``notebook`` that analysts copy and edit.

    File paths in it point at the shipped synthetic data, relative to the new file's folder, so the file
    runs as written; replace them with your own files.
    """
    import os

    spec = _notebook(notebook)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# Parameters for the {spec['title']} notebook.",
             f"# Copy this file, edit it, then run:  ttwell run {notebook} --params my_{notebook}.yaml",
             "# Relative paths are relative to the folder this file is in. Dates are dd/mm/yyyy.",
             "# The file paths below point at ttwell's synthetic data: replace them with your own files.", ""]
    for key, value in spec["defaults"].items():
        if key == "output_dir":
            continue
        if key == "results_dirs":
            value = [Path(os.path.relpath(REPO_ROOT / v, path.parent.resolve())).as_posix() for v in value]
        if key.endswith("_file") and value:
            target = REPO_ROOT / value
            try:
                value = Path(os.path.relpath(target, path.parent.resolve())).as_posix()
            except ValueError:  # another drive on Windows: no relative path exists
                value = target.as_posix()
        lines.append(f"{key}: {yaml.safe_dump(value, default_flow_style=True).strip().removesuffix('...').strip()}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
