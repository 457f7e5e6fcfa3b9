"""Seeded synthetic data for trying ttwell without real staff data.

All data made here are synthetic: no row describes a real person. ``write_synthetic`` writes the files
shipped in ``data/synthetic/`` (regenerate with ``ttwell synth --seed 2024 --out data/synthetic``).

Example
-------
>>> import tempfile
>>> from ttwell.synth import write_synthetic
>>> paths = write_synthetic(tempfile.mkdtemp(), seed=2024)
>>> sorted(p.name for p in paths)[:2]
['absence_episodes.csv', 'establishment_monthly.csv']
"""

from __future__ import annotations

from pathlib import Path

from ttwell.synth.workforce import generate_workforce, workforce_as_text, write_workforce

__all__ = ["generate_workforce", "workforce_as_text", "write_synthetic", "write_workforce"]


def write_synthetic(folder: str | Path, seed: int = 2024, **scale) -> list[Path]:
    """Generate the synthetic service and write every input file to ``folder``.

    Parameters
    ----------
    folder
        Output folder (created if missing). Existing files of the same names are overwritten.
    seed
        Random seed: the same seed writes byte-identical files.
    **scale
        Passed to :func:`generate_workforce` (``n_staff``, ``n_teams``, ``start``, ``months``,
        ``strategy_start``), e.g. for a large benchmark service.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> write_synthetic("data/synthetic", seed=2024)  # doctest: +SKIP
    """
    return write_workforce(generate_workforce(seed=seed, **scale), folder)
