"""The notebooks ttwell runs: their titles, inputs (with the synthetic demonstration files) and parameters.

One registry, read by the parameter loader (:mod:`ttwell.inputs.params`), the runner and the command line. A new
notebook is added here: its input files, the parameters it takes with their defaults, and whether it reads other
notebooks' results instead of a service's files.
"""

from __future__ import annotations

from pathlib import Path

from ttwell.errors import ParameterError

# Who a report is for, and the smallest group it may show (domain spec 4.2; the disclosure policy applies them).
AUDIENCES = ("internal_management", "staff_wide")
DEFAULT_THRESHOLD = 11
MINIMUM_THRESHOLD = 5  # decision 8.3: configurable, never below 5

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
SYNTHETIC = "data/synthetic"
# Results folders of baseline runs on three synthetic services (written by `python dev.py regenerate-notebooks`):
# the demonstration of the comparison of services.
DEMONSTRATION_SERVICES = f"{SYNTHETIC}/services"

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
# year gives the same figures in both reports. Each maps onto a field of ttwell.calculations.workforce.Options
# (Options.from_params builds it); a YAML parameter file given to either notebook sets both.
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
            "review_month": None,
            "previous_results": None,
            "indicator_targets": {},
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
    # Not a service's notebook: it reads the results folders of several services' baseline runs (never their
    # data), so it is not part of `ttwell run all`. `ttwell compare` runs it.
    "compare_services": {
        "file": "compare_services.ipynb",
        "title": "Comparing services: funnel plots",
        "defaults": {
            "results_dirs": [f"{DEMONSTRATION_SERVICES}/{name}" for name in ("service_a", "service_b", "service_c")],
            "audience": "staff_wide",
            "disclosure_threshold": DEFAULT_THRESHOLD,
            "output_dir": None,
        },
        "optional_files": [],
        "reads_results": True,
    },
}
# The notebooks of one service, run by `ttwell run all`; the others read several services' results.
SERVICE_NOTEBOOKS = [name for name, spec in NOTEBOOKS.items() if not spec.get("reads_results")]


def notebook_names() -> list[str]:
    return list(NOTEBOOKS)


def _notebook(notebook: str) -> dict:
    if notebook not in NOTEBOOKS:
        raise ParameterError(f"Unknown notebook '{notebook}'. Choose one of: {', '.join(NOTEBOOKS)} (or 'all').")
    return NOTEBOOKS[notebook]
