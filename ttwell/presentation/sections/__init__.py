"""Report sections: each gathers what one part of a notebook shows, computed on complete data, then disclosed.

A section function calls the calculators on complete data, derives what it needs from them (limits, judgements,
sentences), and applies the report's disclosure :class:`~ttwell.disclosure.Policy` as the last step to what is
shown. Notebooks only display and save what it returns, so no analysis logic lives in a notebook and no number
reaches the page undisclosed. One module per report part:

- :mod:`.survey`: survey instruments, response rates, published NHS Staff Survey scores, survey sentences;
- :mod:`.workforce`: SPC of the workforce indicators, icon summaries, breakdowns and leaving reasons;
- :mod:`.pdsa`: a PDSA measure with its cycles;
- :mod:`.prepost`: pre/post training confidence;
- :mod:`.review`: the monthly review ("This month") at the top of the dashboard;
- :mod:`.funnels`: funnel plots comparing teams fairly (workforce rates and survey scores);
- :mod:`.annual`: the annual evaluation's year comparisons, evidence and objectives.

Example
-------
>>> from ttwell.presentation import sections
>>> section = sections.survey_instrument(responses, waves, "OLBI", policy=disclosure.Policy())   # doctest: +SKIP
>>> section.levels.table.head()                                                                    # doctest: +SKIP
"""

from ttwell.presentation.sections.survey import (ALL_RESPONDENTS, MEASURE_LABELS, SUMMARY_VALUES, SURVEY_CAVEAT,
                                                 SurveySection, cutoff_sentence, enps_sentence, instruments_in,
                                                 item_label, published_scores, reliability_sentence, score_range,
                                                 survey_instrument, survey_response_rates, survey_scores_table,
                                                 survey_sentences, survey_shares_table, waves_in_period)
from ttwell.presentation.sections.workforce import (EXIT_STAY_DIRECTIONS, breakdown_table, exit_stay_table,
                                                    hidden_questions_sentence, icon_summary, indicator_spc,
                                                    reason_groups, spc_panel)
from ttwell.presentation.sections.pdsa import PDSAMeasure, pdsa_measure, pdsa_points_table  # noqa: F401
from ttwell.presentation.sections.prepost import PrePostSection, prepost_training  # noqa: F401
from ttwell.presentation.sections.review import (ReviewSection, previous_review, review_headline,  # noqa: F401
                                                 review_month_end, review_section, this_month, watch_rules_text,
                                                 watched_indicators, watched_panels)
from ttwell.presentation.sections.annual import (AnnualEvidence, ITS_SERIES, RAG_RULE, YearComparison,
                                                 annual_evidence, load_objectives, objectives_view,
                                                 survey_year_comparison, visible, workforce_year_comparison)
from ttwell.presentation.sections.funnels import (FunnelPanel, FunnelSection, score_funnels,  # noqa: F401
                                                  workforce_funnels)
from ttwell.presentation.sections import funnels  # noqa: F401  (key_results and the sentences)
