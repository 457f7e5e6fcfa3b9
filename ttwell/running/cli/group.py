"""The ``ttwell`` command group: its help, the exit statuses and the one way a command stops on an error.

Exit status: 0 success; 1 input problems found by ``validate``; 2 bad parameters or input (nothing run);
3 a notebook failed; 4 an environment problem (see ``ttwell doctor``).
"""

from __future__ import annotations

import sys
import warnings

import click

EXIT_INPUT, EXIT_NOTEBOOK, EXIT_ENV = 2, 3, 4


def fail(exc: Exception, code: int) -> None:
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
