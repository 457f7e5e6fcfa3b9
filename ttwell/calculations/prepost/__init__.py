"""Pre/post training confidence: matched pairs, per-area and overall change, team spread, reliable change.

Input is the long table returned by ``ttwell.inputs.io.read_training`` (one row per participant, timepoint and area,
``confidence_pct`` 0-100). This module holds what is specific to training forms (matching, person scores, the
area table, reliable change, teams); the general tests (paired t, Wilcoxon, McNemar, effect sizes, Holm, Welch,
Wilson) are those of ``ttwell.calculations.statistics``, following the statistics methods note (stats spec
section 1).

Units of analysis (stated once, used everywhere):

* an **area answer** is one person's confidence in one area at one timepoint; per-area rows use the people
  who answered that area both before and after (no imputation);
* a **person score** is the mean of a person's area answers at a timepoint, computed only when the person
  answered *every* area of the programme (every area that appears in the data) at that timepoint. The overall
  row, the team view and reliable change use person scores;
* "above the threshold" means **strictly above** (an answer of exactly 50 is not above 50).

Example
-------
>>> import pandas as pd
>>> from ttwell.calculations.prepost import match_pairs, area_table
>>> responses = pd.DataFrame({
...     "programme_id": "TIC", "participant_pid": ["a", "a", "b", "b", "c", "c"],
...     "team_code": "T1", "role_family": "PWP", "timepoint": ["pre", "post"] * 3,
...     "area_id": 1, "confidence_pct": [40.0, 80.0, 50.0, 70.0, 60.0, 90.0]})
>>> pairs, matching = match_pairs(responses)
>>> table = area_table(pairs)
>>> table[["area", "n_matched", "mean_pre", "mean_post", "mean_change"]].to_dict("records")[0]
{'area': 1, 'n_matched': 3, 'mean_pre': 50.0, 'mean_post': 80.0, 'mean_change': 30.0}
"""

from ttwell.calculations.prepost.areas import (AREA_COLUMNS, METHOD_HOLM, METHOD_WELCH, METHOD_WILSON_SHARES,
                                               RELIABLE_CHANGE_COLUMNS, area_table, unmatched_comparison)
from ttwell.calculations.prepost.matching import (DEFAULT_THRESHOLD, KEYS, OVERALL, OVERALL_LABEL, PERSON_SCORE_RULE,
                                                  REQUIRED_COLUMNS, match_pairs, person_scores)
from ttwell.calculations.prepost.reliable import (METHOD_RELIABLE_CHANGE, RC_CATEGORIES, RC_SUMMARY_COLUMNS,
                                                  RCI_CRITICAL, reliable_change)
from ttwell.calculations.prepost.teams import METHOD_ICC, TeamView, team_view

__all__ = [
    "AREA_COLUMNS", "DEFAULT_THRESHOLD", "KEYS", "METHOD_HOLM", "METHOD_ICC", "METHOD_RELIABLE_CHANGE",
    "METHOD_WELCH", "METHOD_WILSON_SHARES", "OVERALL", "OVERALL_LABEL", "PERSON_SCORE_RULE", "RCI_CRITICAL",
    "RC_CATEGORIES", "RC_SUMMARY_COLUMNS", "RELIABLE_CHANGE_COLUMNS", "REQUIRED_COLUMNS", "TeamView", "area_table",
    "match_pairs", "person_scores", "reliable_change", "team_view", "unmatched_comparison",
]
