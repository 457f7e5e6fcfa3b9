"""The rules an instrument definition must keep (``ttwell.inputs.instruments.definition_checks``): every broken
rule is listed in one message."""

from __future__ import annotations

import pytest

from ttwell.errors import ParameterError
from ttwell.inputs.instruments import load_instrument


# --- a service's own definition, correct and broken ------------------------------------------------------

MY_SCALE = """
id: MYSCALE
name: My team climate scale
sources: [{citation: "Our service (2025), local wording", status: PROPOSED}]
items: [MY_01, MY_02, MY_03, MY_04]
values: {min: 0, max: 3}
reverse: [MY_02]
subscales:
  - {id: climate, label: Team climate, items: [MY_01, MY_02, MY_03, MY_04], min_answered: 3, sum_column: true}
"""


def test_malformed_definition_lists_every_problem(tmp_path):
    bad = MY_SCALE.replace("min_answered: 3", "min_answered: 5").replace("status: PROPOSED", "status: MAYBE") \
        .replace("reverse: [MY_02]", "reverse: [MY_02, MY_07]") + "colour: blue\n"
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ParameterError) as caught:
        load_instrument(path)
    message = str(caught.value)
    assert "bad.yaml has 4 problem(s)" in message
    assert "min_answered must be a whole number from 1 to 4" in message
    assert "status must be one of CONFIRMED" in message and "MY_07" in message and "unknown key 'colour'" in message


def test_definition_rules_for_sums_and_conversion_tables(tmp_path):
    path = tmp_path / "sum.yaml"
    path.write_text(MY_SCALE.replace("sum_column: true", "method: sum, conversion: {0: 0, 1: 1}"),
                    encoding="utf-8")
    with pytest.raises(ParameterError) as caught:
        load_instrument(path)
    assert "never imputes" in str(caught.value) and "no entry for the possible raw sum(s) 2, 3" in str(caught.value)
