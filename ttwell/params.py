"""Parameters: one loader for YAML files, notebooks and the CLI, with defaults on the shipped synthetic data.

Dates are given as dd/mm/yyyy (or yyyy-mm-dd) and parsed here, explicitly. Relative file paths in a YAML file
are relative to that file's folder; defaults are relative to the repository root.

Example
-------
>>> from ttwell.params import load_params
>>> p = load_params(notebook="baseline")
>>> p["audience"], p["disclosure_threshold"]
('internal_management', 11)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from ttwell.disclosure import AUDIENCES, DEFAULT_THRESHOLD, MINIMUM_THRESHOLD
from ttwell.errors import ParameterError

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
SYNTHETIC = "data/synthetic"

# The service's workforce and survey inputs, shared by the baseline and annual notebooks.
SERVICE_FILES = {
    "staff_snapshot_file": f"{SYNTHETIC}/staff_monthly_snapshot.csv",
    "absence_file": f"{SYNTHETIC}/absence_episodes.csv",
    "leavers_file": f"{SYNTHETIC}/leavers.csv",
    "establishment_file": f"{SYNTHETIC}/establishment_monthly.csv",
    "reasons_file": f"{SYNTHETIC}/leaver_stayer_reasons.csv",
    "teams_file": f"{SYNTHETIC}/teams.csv",
    "survey_waves_file": f"{SYNTHETIC}/survey_waves.csv",
    "survey_responses_file": f"{SYNTHETIC}/survey_responses_long.csv",
}

# The service's workforce conventions, one shared set for the baseline and the annual notebooks, so that the same
# year gives the same figures in both reports. Each maps onto a field of ttwell.workforce.Options
# (workforce_options below builds it); a YAML parameter file given to either notebook sets both.
SERVICE_WORKFORCE_OPTIONS = {
    "leave_of_absence_as_leaver": False,   # True: NHS Digital convention (starting maternity leave = leaving)
    "leaver_scope": "service",             # "trust": a move to another service in the same trust is not a leaver
    "stability_one_year_days": 365,        # days of continuous service that count as "1+ years" (strategy stability)
}
LEAVER_SCOPES = ("service", "trust")

# Per notebook: its file, title and defaults. File parameters end in "_file"; date parameters in
# "_start"/"_end"/"_date". The notebooks' parameters cells hold the same defaults relative to notebooks/.
NOTEBOOKS: dict[str, dict] = {
    "baseline": {
        "file": "baseline.ipynb",
        "title": "Staff Wellbeing Data Dashboard: baseline",
        "defaults": {
            "service_name": "Synthetic Talking Therapies Service",
            **SERVICE_FILES,
            "nss_scores_file": f"{SYNTHETIC}/nss_scores.csv",
            "baseline_start": "01/04/2023",
            "baseline_end": "31/03/2024",
            "audience": "internal_management",
            "disclosure_threshold": DEFAULT_THRESHOLD,
            **SERVICE_WORKFORCE_OPTIONS,
            "show_survey_cutoffs": True,
            "output_dir": None,
        },
        "optional_files": ["establishment_file", "reasons_file", "survey_waves_file", "survey_responses_file",
                           "nss_scores_file"],
    },
    "pdsa_review": {
        "file": "pdsa_review.ipynb",
        "title": "PDSA cycle review",
        "defaults": {
            "service_name": "Synthetic Talking Therapies Service",
            "measures_file": f"{SYNTHETIC}/pdsa_measures.csv",
            "pdsa_log_file": f"{SYNTHETIC}/pdsa_log.csv",
            "improvement_directions": {"joy_often_always_pct": "increase"},
            "targets": {"joy_often_always_pct": 70},
            "audience": "internal_management",
            "disclosure_threshold": DEFAULT_THRESHOLD,
            "output_dir": None,
        },
        "optional_files": [],
    },
    "prepost_training": {
        "file": "prepost_training.ipynb",
        "title": "Training confidence before and after",
        "defaults": {
            "service_name": "Synthetic Talking Therapies Service",
            "training_file": f"{SYNTHETIC}/training_confidence.csv",
            "areas_file": f"{SYNTHETIC}/training_areas.csv",
            "teams_file": f"{SYNTHETIC}/teams.csv",
            "confidence_scale": "0-100",
            "confidence_threshold": 50,
            "reliability": "alpha",
            "audience": "internal_management",
            "disclosure_threshold": DEFAULT_THRESHOLD,
            "output_dir": None,
        },
        "optional_files": ["areas_file", "teams_file"],
    },
    "annual_impact": {
        "file": "annual_impact.ipynb",
        "title": "Annual impact evaluation",
        "defaults": {
            "service_name": "Synthetic Talking Therapies Service",
            **SERVICE_FILES,
            "objectives_file": None,
            "baseline_start": "01/04/2023",
            "baseline_end": "31/03/2024",
            "evaluation_start": "01/04/2024",
            "evaluation_end": "31/03/2025",
            "strategy_start": "01/04/2024",
            "rebase_spc_at_strategy": False,
            "its_lag": None,
            "other_results_dir": None,
            "audience": "internal_management",
            "disclosure_threshold": DEFAULT_THRESHOLD,
            **SERVICE_WORKFORCE_OPTIONS,
            "output_dir": None,
        },
        "optional_files": ["establishment_file", "reasons_file", "survey_waves_file", "survey_responses_file",
                           "objectives_file"],
    },
}
DIRECTIONS = ("increase", "decrease", "neutral")
SCALES = ("0-100", "0-10", "1-5")


def parse_date(value, name: str) -> pd.Timestamp:
    """Parse a parameter date given as dd/mm/yyyy or yyyy-mm-dd; never month-first."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return pd.to_datetime(str(value).strip(), format=fmt)
        except (ValueError, TypeError):
            continue
    raise ParameterError(f"Parameter '{name}' must be a date as dd/mm/yyyy (for example 31/03/2024); got '{value}'.")


def notebook_names() -> list[str]:
    return list(NOTEBOOKS)


def _notebook(notebook: str) -> dict:
    if notebook not in NOTEBOOKS:
        raise ParameterError(f"Unknown notebook '{notebook}'. Choose one of: {', '.join(NOTEBOOKS)} (or 'all').")
    return NOTEBOOKS[notebook]


def validate_params(params: dict, notebook: str, base_dir: Path = REPO_ROOT) -> dict:
    """Check every parameter and return a clean copy: paths absolute, numbers typed.

    All problems are collected and raised together as one :class:`ParameterError`.
    """
    spec = _notebook(notebook)
    defaults = spec["defaults"]
    problems: list[str] = []
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        problems.append(f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(defaults)}")
    clean = {**defaults, **{k: v for k, v in params.items() if k in defaults}}
    for name, value in list(clean.items()):
        if name.endswith("_file"):
            if value in (None, ""):
                if name not in spec.get("optional_files", []):
                    problems.append(f"'{name}' is required")
                clean[name] = None
                continue
            # A value the user gave is relative to their file; a default is relative to the repository.
            root = base_dir if name in params else REPO_ROOT
            path = Path(str(value)).expanduser()
            clean[name] = str((path if path.is_absolute() else root / path).resolve())
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
    if clean.get("other_results_dir") not in (None, ""):
        other = Path(str(clean["other_results_dir"])).expanduser()
        clean["other_results_dir"] = str((other if other.is_absolute() else base_dir / other).resolve())
    if clean.get("output_dir") not in (None, ""):
        out = Path(str(clean["output_dir"])).expanduser()
        clean["output_dir"] = str((out if out.is_absolute() else base_dir / out).resolve())
    else:
        clean["output_dir"] = None
    if problems:
        raise ParameterError(f"Parameter problem(s) for the {notebook} notebook:\n- " + "\n- ".join(problems))
    return clean


def load_params(path: str | Path | None = None, notebook: str = "baseline") -> dict:
    """Read a YAML parameter file (or none, for the defaults) and validate it for ``notebook``."""
    if path is None:
        return validate_params({}, notebook, REPO_ROOT)
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
    known_anywhere = {k for spec in NOTEBOOKS.values() for k in spec["defaults"]}
    unknown = sorted(set(data) - known_anywhere)
    if unknown:
        raise ParameterError(f"{path.name}: unknown parameter(s) {', '.join(unknown)}. "
                             f"Known for {notebook}: {', '.join(NOTEBOOKS[notebook]['defaults'])}.")
    mine = {k: v for k, v in data.items() if k in NOTEBOOKS[notebook]["defaults"]}
    return validate_params(mine, notebook, path.resolve().parent)


def from_notebook(notebook: str, namespace: dict) -> dict:
    """Collect a notebook's parameters from its namespace and validate them (paths relative to the notebook)."""
    names = NOTEBOOKS[notebook]["defaults"]
    params = {k: namespace[k] for k in names if k in namespace}
    return validate_params(params, notebook, Path.cwd())


def workforce_options(params: dict):
    """The service's workforce conventions as ``ttwell.workforce.Options``, from validated parameters.

    The baseline and the annual notebooks both build their options here from the same
    :data:`SERVICE_WORKFORCE_OPTIONS` keys, so one year gives the same figures in both reports. A key the
    parameters lack takes the shared default.

    Examples
    --------
    >>> workforce_options(load_params(notebook="annual_impact")).leave_of_absence_as_leaver
    False
    >>> workforce_options({"leave_of_absence_as_leaver": True, "leaver_scope": "trust"}).scope
    'trust'
    """
    from ttwell.workforce import Options

    chosen = {key: params.get(key, default) for key, default in SERVICE_WORKFORCE_OPTIONS.items()}
    return Options(leave_of_absence_as_leaver=chosen["leave_of_absence_as_leaver"], scope=chosen["leaver_scope"],
                   one_year_days=chosen["stability_one_year_days"])


def input_paths(params: dict) -> dict[str, str | None]:
    """Map template kinds to the files named in the parameters (for ``ttwell.io.load_workforce``)."""
    from ttwell.templates import WORKFORCE_INPUTS

    return {kind: params.get(name) for kind, name in WORKFORCE_INPUTS.items()}


def survey_paths(params: dict) -> dict[str, str | None]:
    """Map survey template kinds to the files named in the parameters (for ``ttwell.io.load_surveys``)."""
    from ttwell.templates import SURVEY_INPUTS

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
        if key.endswith("_file") and value:
            target = REPO_ROOT / value
            try:
                value = Path(os.path.relpath(target, path.parent.resolve())).as_posix()
            except ValueError:  # another drive on Windows: no relative path exists
                value = target.as_posix()
        lines.append(f"{key}: {yaml.safe_dump(value, default_flow_style=True).strip().removesuffix('...').strip()}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
