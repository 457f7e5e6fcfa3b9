"""The ``ttwell`` command line: thin wrappers over the same functions the notebooks call.

``main`` is the click group (:mod:`ttwell.running.cli.group`, the console entry point
``ttwell = "ttwell.running.cli:main"``); importing this package registers its commands:
:mod:`~ttwell.running.cli.report_commands` (run, validate, pseudonymise, templates, synth, metrics, doctor) and
:mod:`~ttwell.running.cli.analysis_commands` (score, spc, runchart, prepost, its).
"""

from ttwell.running.cli import analysis_commands, report_commands  # noqa: F401  (registers the commands)
from ttwell.running.cli.group import EXIT_ENV, EXIT_INPUT, EXIT_NOTEBOOK, main

__all__ = ["main", "EXIT_INPUT", "EXIT_NOTEBOOK", "EXIT_ENV"]
