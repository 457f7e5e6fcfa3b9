"""One reconciled verdict per indicator, ITS sensitivity analyses, objective ratings and survey multiplicity.

The annual report looks at each indicator three ways: the whole-year comparison (``impact.year_comparison``),
the interrupted time series (``impact.its``) and the SPC chart (``spc.xmr``). This package reads each source in
the indicator's better direction, combines the readings by one stated rule (``VERDICT_RULE``), rates each
objective from its evidence by another (``OBJECTIVE_RULE``), and counts survey scores once per construct with a
Holm adjustment (``MULTIPLICITY_RULE``). Every sentence it writes states the figures it rests on, and each branch
of each sentence has a test (``tests/test_verdicts.py``).

* ``readings``: the reading of one source and the clause that states its figures;
* ``sensitivity``: the ITS sensitivity analyses;
* ``indicators``: the verdict per indicator (``VERDICT_RULE``) and its sentence;
* ``objectives``: objective ratings (``OBJECTIVE_RULE``);
* ``survey_scores``: survey multiplicity (``MULTIPLICITY_RULE``).

Example
-------
>>> combine_readings({"year comparison": "better", "interrupted time series": "better", "SPC": "no clear change"})
('improved', '')
"""

from ttwell.calculations.verdicts.indicators import (SOURCES, VERDICT_RULE, VERDICT_WORDS, IndicatorVerdict,
                                                     combine_readings, indicator_verdict, verdict_sentence)
from ttwell.calculations.verdicts.objectives import (JUDGEMENT_TO_VERDICT, OBJECTIVE_RULE, OBJECTIVE_WORDS,
                                                     objective_rating, objective_ratings, objective_sentence)
from ttwell.calculations.verdicts.readings import (BETTER, MISSING, NONE, READING_PHRASES, WORSE, interval_reading,
                                                   its_clause, its_headline, spc_reading, year_clause)
from ttwell.calculations.verdicts.sensitivity import (SENSITIVITY_COLUMNS, its_sensitivity, its_summary_sentence,
                                                      sensitivity_sentence)
from ttwell.calculations.verdicts.survey_scores import (MULTIPLICITY_RULE, primary_scores, survey_count_sentence,
                                                        survey_multiplicity)

__all__ = ["BETTER", "JUDGEMENT_TO_VERDICT", "MISSING", "MULTIPLICITY_RULE", "NONE", "OBJECTIVE_RULE",
           "OBJECTIVE_WORDS", "READING_PHRASES", "SENSITIVITY_COLUMNS", "SOURCES", "VERDICT_RULE", "VERDICT_WORDS",
           "WORSE", "IndicatorVerdict", "combine_readings", "indicator_verdict", "interval_reading", "its_clause",
           "its_headline", "its_sensitivity", "its_summary_sentence", "objective_rating", "objective_ratings",
           "objective_sentence", "primary_scores", "sensitivity_sentence", "spc_reading", "survey_count_sentence",
           "survey_multiplicity", "verdict_sentence", "year_clause"]
