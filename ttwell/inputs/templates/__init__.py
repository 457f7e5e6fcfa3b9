"""Input templates: the columns, types, allowed values and row rules of every input file.

This package is the one definition of each input (domain spec section 6). Validation (``ttwell.inputs.reading``),
the blank CSV/XLSX templates and the data dictionary (``ttwell templates DIR``) are all generated from
it, so they cannot drift apart. It holds:

* ``enums``: the shared allowed values (roles, bands, contracts, ESR leaving reasons, reason codes, identifiers);
* ``columns``: :class:`Column`, :class:`Template` and the columns several templates share;
* ``workforce``, ``surveys``, ``pdsa``, ``training``: the templates of each dataset, with its own allowed values;
* ``registry``: :data:`TEMPLATES` by kind, the file parameter naming each input, kind look-ups;
* ``blank_files``: the blank templates and the data dictionary.

Example
-------
>>> from ttwell.inputs.templates import TEMPLATES
>>> TEMPLATES["staff_snapshot"].required_columns()[:3]
['snapshot_date', 'staff_pid', 'team_code']
"""

from ttwell.inputs.templates.blank_files import data_dictionary, write_blank_templates
from ttwell.inputs.templates.columns import TYPES, Column, Template
from ttwell.inputs.templates.enums import (ABSENCE_REASON_GROUPS, AFC_BANDS, ASSIGNMENT_STATUSES, CONTRACT_TYPES,
                                          IDENTIFIER_COLUMNS, IN_POST_CONTRACT_TYPES, LEAVE_OF_ABSENCE_STATUSES,
                                          LEAVING_DESTINATIONS, LEAVING_REASONS, REASON_CODES, REASON_DIRECTIONS,
                                          REASON_INSTRUMENTS, ROLE_FAMILIES, ROLE_FAMILY_LABELS, ROLE_FAMILY_OF,
                                          ROLE_GROUPS, TENURE_BANDS, TRAINEE_ROLE_GROUPS, TRAINING_COMPLETION_REASONS)
from ttwell.inputs.templates.pdsa import ACT_DECISIONS, CYCLE_PURPOSES, CYCLE_STATUSES, STRATEGY_AIMS
from ttwell.inputs.templates.registry import (FILE_PARAMETERS, OPTIONAL_INPUTS, SURVEY_INPUTS, TEMPLATES,
                                             WORKFORCE_INPUTS, input_kind_of, kind_from_name, kind_names,
                                             template_name)
from ttwell.inputs.templates.surveys import OLBI_CODINGS, PS_VARIANTS, SURVEY_MODES
from ttwell.inputs.templates.training import TRAINING_TIMEPOINTS

__all__ = ["ABSENCE_REASON_GROUPS", "ACT_DECISIONS", "AFC_BANDS", "ASSIGNMENT_STATUSES", "CONTRACT_TYPES",
           "CYCLE_PURPOSES", "CYCLE_STATUSES", "Column", "FILE_PARAMETERS", "IDENTIFIER_COLUMNS",
           "IN_POST_CONTRACT_TYPES", "LEAVE_OF_ABSENCE_STATUSES", "LEAVING_DESTINATIONS", "LEAVING_REASONS",
           "OLBI_CODINGS", "OPTIONAL_INPUTS", "PS_VARIANTS", "REASON_CODES", "REASON_DIRECTIONS", "REASON_INSTRUMENTS",
           "ROLE_FAMILIES", "ROLE_FAMILY_LABELS", "ROLE_FAMILY_OF", "ROLE_GROUPS", "STRATEGY_AIMS", "SURVEY_INPUTS",
           "SURVEY_MODES", "TEMPLATES", "TENURE_BANDS", "TRAINEE_ROLE_GROUPS", "TRAINING_COMPLETION_REASONS",
           "TRAINING_TIMEPOINTS", "TYPES", "Template", "WORKFORCE_INPUTS", "data_dictionary", "input_kind_of",
           "kind_from_name", "kind_names", "template_name", "write_blank_templates"]
