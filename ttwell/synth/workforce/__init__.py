"""Synthetic HR data for one NHS Talking Therapies service, with known effects planted in it.

The generator simulates employment spells month by month (joiners, leavers, trainee completion, maternity
leave), then derives from them every workforce input of ``ttwell.inputs.templates``: the monthly staff snapshot,
sickness absence episodes, leavers, establishment, exit/stay reasons and teams. Everything is drawn from one
``numpy.random.Generator`` created from ``seed``, so the same seed gives the same data, to the byte once written.

The planted effects (their sizes are constants in ``ttwell.synth.workforce.assumptions``, documented in
``data/synthetic/README.md``):

* sickness absence episode starts are seasonal (highest in January) and their rate is multiplied by
  ``SICKNESS_RATIO_AFTER_STRATEGY`` from the strategy start;
* the voluntary-leaving hazard is multiplied by ``VOLUNTARY_RATIO_AFTER_STRATEGY`` from the strategy start;
* intent to stay (stay survey) is a little higher in the survey after the strategy start.

Recruitment fills the gap between each team's funded headcount and its staff, one to three months after the
gap opens, so the service stays near ``n_staff`` people in post.

Modules: ``assumptions`` (every rate, planted effect and mix), ``months`` and ``draws`` (day numbers and random
draws), ``teams`` and ``spells`` (the service and its employment spells), ``turnover`` (leavers and joiners month
by month), one module per table (``staff_snapshot``, ``absence``, ``leavers``, ``establishment``, ``reasons``;
the ``teams`` table is in ``teams``), ``generate`` (all of them from one seed) and ``writing`` (the CSV files).

Example
-------
>>> from ttwell.synth.workforce import generate_workforce
>>> frames = generate_workforce(seed=2024)
>>> sorted(frames)
['absence', 'establishment', 'leavers', 'reasons', 'staff_snapshot', 'teams']
>>> frames["staff_snapshot"]["snapshot_date"].nunique()
36
"""

from ttwell.synth.workforce.assumptions import (INTENT_TO_STAY_PROBS_AFTER, INTENT_TO_STAY_PROBS_BEFORE,
                                                SICKNESS_RATIO_AFTER_STRATEGY, SICKNESS_STARTS_PER_PERSON_MONTH,
                                                SICKNESS_WINTER_AMPLITUDE, STRATEGY_START,
                                                VOLUNTARY_LEAVING_PER_MONTH, VOLUNTARY_RATIO_AFTER_STRATEGY)
from ttwell.synth.workforce.generate import generate_workforce
from ttwell.synth.workforce.writing import workforce_as_text, write_workforce

__all__ = [
    "INTENT_TO_STAY_PROBS_AFTER", "INTENT_TO_STAY_PROBS_BEFORE", "SICKNESS_RATIO_AFTER_STRATEGY",
    "SICKNESS_STARTS_PER_PERSON_MONTH", "SICKNESS_WINTER_AMPLITUDE", "STRATEGY_START", "VOLUNTARY_LEAVING_PER_MONTH",
    "VOLUNTARY_RATIO_AFTER_STRATEGY", "generate_workforce", "workforce_as_text", "write_workforce",
]
