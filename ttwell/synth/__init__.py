"""Seeded synthetic data for trying ttwell without real staff data.

All data made here are synthetic: no row describes a real person. ``write_synthetic`` writes the files
shipped in ``data/synthetic/`` (regenerate with ``ttwell synth --seed 2024 --out data/synthetic``): the
workforce inputs (``ttwell.synth.workforce``), the staff surveys and published survey scores
(``ttwell.synth.surveys``), a PDSA project's measure and cycle log (``ttwell.synth.pdsa``) and a pre/post
training confidence evaluation (``ttwell.synth.training``).

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

from ttwell.synth.pdsa import generate_pdsa, write_pdsa
from ttwell.synth.surveys import generate_surveys, surveys_as_text, write_surveys
from ttwell.synth.training import generate_training, write_training
from ttwell.synth.workforce import (
    generate_workforce,
    workforce_as_text,
    write_workforce,
)

__all__ = ["generate_pdsa", "generate_surveys", "generate_training", "generate_workforce", "surveys_as_text",
           "workforce_as_text", "write_pdsa", "write_surveys", "write_synthetic", "write_training", "write_workforce"]


def write_synthetic(folder: str | Path, seed: int = 2024, surveys: bool = True, **scale) -> list[Path]:
    """Generate the synthetic service and write every input file to ``folder``.

    Parameters
    ----------
    folder
        Output folder (created if missing). Existing files of the same names are overwritten.
    seed
        Random seed: the same seed writes byte-identical files.
    surveys
        Also write the survey files (``survey_waves.csv``, ``survey_responses_long.csv``, ``nss_scores.csv``).
        The survey waves need snapshots at 29/02/2024 and 28/02/2025; pass ``False`` for a workforce that does
        not cover them, or to skip the large survey files of a benchmark-sized service.
    **scale
        Passed to :func:`generate_workforce` (``n_staff``, ``n_teams``, ``start``, ``months``,
        ``strategy_start``), e.g. for a large benchmark service.

    Returns
    -------
    list of Path
        The files written: the workforce files, the survey files, the PDSA files, then the training files.

    Examples
    --------
    >>> write_synthetic("data/synthetic", seed=2024)  # doctest: +SKIP
    """
    frames = generate_workforce(seed=seed, **scale)
    written = write_workforce(frames, folder)
    if surveys:
        # The surveys draw from their own random streams, so the workforce files are the same with or without.
        written += write_surveys(generate_surveys(frames["staff_snapshot"], seed=seed), folder)
    # The PDSA project has its own random stream too, so adding it changed no other file.
    written += write_pdsa(generate_pdsa(seed=seed), folder)
    # So has the training evaluation (stream [seed, 13]): adding it left every other file byte-identical.
    written += write_training(generate_training(seed=seed), folder)
    return written
