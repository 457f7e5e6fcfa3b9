"""The input layer in one import: every loader and checker the notebooks, the runner and the CLI call.

``from ttwell.inputs import io`` then ``io.load_workforce(paths)``, ``io.load_surveys(paths)``,
``io.read_pdsa_log(path)``, ``io.read_training(path)`` or ``io.read_table(path, kind)``. Each job has its own
module; this one only gathers their public names:

* :mod:`ttwell.inputs.reading`: reading and checking one file against its template (CSV or Excel, encodings, UK
  dates, column maps), the per-run cache of checked files;
* :mod:`ttwell.inputs.workforce_io`: the workforce inputs and their cross-file checks;
* :mod:`ttwell.inputs.survey_io`: the survey inputs and their cross-file checks;
* :mod:`ttwell.inputs.pdsa_io`: the PDSA log and its row rules;
* :mod:`ttwell.inputs.training_io`: pre/post training confidence.

Example
-------
>>> from ttwell.inputs import io
>>> table, problems = io.read_table("data/synthetic/teams.csv", "teams")   # doctest: +SKIP
>>> [p.describe() for p in problems]                                       # doctest: +SKIP
[]
"""

from ttwell.inputs.pdsa_io import PDSA_FREE_TEXT, pdsa_log_problems, read_pdsa_log
from ttwell.inputs.reading import (FALSE_WORDS, MAX_LISTED_PER_COLUMN, RUN_CACHE_VARIABLE, TRUE_WORDS, LoadedFile,
                                   file_sha256, normalise_header, read_mapped, read_once, read_raw, read_table,
                                   validate_frame)
from ttwell.inputs.survey_io import SurveyData, check_survey_files, load_surveys
from ttwell.inputs.training_io import read_training
from ttwell.inputs.workforce_io import WorkforceData, check_workforce_files, load_workforce, readiness_summary

__all__ = ["FALSE_WORDS", "MAX_LISTED_PER_COLUMN", "PDSA_FREE_TEXT", "RUN_CACHE_VARIABLE", "TRUE_WORDS", "LoadedFile",
           "SurveyData", "WorkforceData", "check_survey_files", "check_workforce_files", "file_sha256",
           "load_surveys", "load_workforce", "normalise_header", "pdsa_log_problems", "read_mapped", "read_once",
           "read_pdsa_log", "read_raw", "read_table", "read_training", "readiness_summary", "validate_frame"]
