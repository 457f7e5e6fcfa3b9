"""Survey scales: scoring, reliability and group summaries.

The instrument definitions and the checking of answers are inputs (``ttwell.inputs.instruments``); they are
re-exported here so one import serves a notebook (``scales.load_instrument(...)``, ``scales.score(...)``).

Example
-------
>>> from ttwell.calculations.scales import available_instruments, load_instrument, score
>>> available_instruments()
['BPNSW', 'CBI', 'JOY', 'NQPS9', 'OLBI', 'SWEMWBS', 'TPS', 'WRQOL']
>>> scored = score(responses, "OLBI")                                  # doctest: +SKIP
"""

from ttwell.calculations.scales.scoring import apply_bands, enps, item_scores, score, share_often_or_always
from ttwell.inputs.instruments import (Bands, Coding, Composite, Cutoff, GroupSummary, Instrument, Source, Subscale,
                                       Transform, Variant, available_instruments, item_labels, load_bands,
                                       load_instrument, long_to_wide, parse_instrument, wide_to_long)

__all__ = [
    "Bands", "Coding", "Composite", "Cutoff", "GroupSummary", "Instrument", "Source", "Subscale", "Transform",
    "Variant", "apply_bands", "available_instruments", "enps", "item_labels", "item_scores", "load_bands",
    "load_instrument", "long_to_wide", "parse_instrument", "score", "share_often_or_always", "wide_to_long",
]
