"""Survey instruments as inputs: the definitions (one YAML file per instrument, in ``shipped/``), the rules a
definition must keep, and the checking of survey answers against a definition. A new instrument goes here: a
YAML file in ``shipped/`` (or anywhere, loaded by path). Scoring is a calculation: ``ttwell.calculations.scales``.

Modules, in the order they build on each other:

* ``definitions``: the frozen dataclasses (:class:`Instrument`, :class:`Subscale`, ...) and the YAML form;
* ``definition_checks``: :func:`parse_instrument`, every broken rule of a definition in one message;
* ``loading``: :func:`load_instrument`, :func:`available_instruments`, a service's item text and bands files;
* ``answer_cells``: reading answer cells (blanks, numbers, row numbers) and the problem lines naming them;
* ``answers``: :func:`answer_problems` and :func:`read_answers`, answers checked against a definition;
* ``response_forms``: long <-> wide survey responses.

Example
-------
>>> from ttwell.inputs.instruments import available_instruments, load_instrument
>>> available_instruments()
['BPNSW', 'CBI', 'JOY', 'NQPS9', 'OLBI', 'SWEMWBS', 'TPS', 'WRQOL']
>>> [s.id for s in load_instrument("OLBI").subscales]
['exhaustion', 'disengagement']
"""

from ttwell.inputs.instruments.answers import (ID_COLUMNS, KEEP_COLUMNS, AnswerMatrix, Setting, answer_problems,
                                               read_answers)
from ttwell.inputs.instruments.definition_checks import parse_instrument
from ttwell.inputs.instruments.definitions import (Band, Bands, Coding, Composite, Cutoff, GroupSummary, Instrument,
                                                   Source, Subscale, Transform, Variant)
from ttwell.inputs.instruments.loading import (as_instrument, available_instruments, item_labels, load_bands,
                                               load_instrument)
from ttwell.inputs.instruments.response_forms import long_to_wide, wide_to_long

__all__ = [
    "ID_COLUMNS", "KEEP_COLUMNS", "AnswerMatrix", "Band", "Bands", "Coding", "Composite", "Cutoff", "GroupSummary",
    "Instrument", "Setting", "Source", "Subscale", "Transform", "Variant", "answer_problems", "as_instrument",
    "available_instruments", "item_labels", "load_bands", "load_instrument", "long_to_wide", "parse_instrument",
    "read_answers", "wide_to_long",
]
