"""The instrument dataclasses (``ttwell.inputs.instruments.definitions``): allowed values per coding, the scored
range after a transform, plain errors for an unknown coding, variant or subscale, and the method notes."""

from __future__ import annotations

import pytest

from ttwell.errors import ParameterError
from ttwell.inputs.instruments import load_instrument


def test_allowed_values_follow_the_coding_and_the_item():
    olbi = load_instrument("OLBI")
    assert olbi.allowed_values("OLBI_01") == (1, 2, 3, 4)
    assert olbi.allowed_values("OLBI_01", "SD1_SA4") == (1, 2, 3, 4)  # recoded 1 <-> 4, 2 <-> 3
    joy = load_instrument("JOY")
    assert joy.allowed_values("JOY_01") == (0, 1, 2, 3, 4) and joy.allowed_values("JOY_02")[-1] == 10


def test_scored_range_is_after_the_transform():
    # NQPS9: (x - 1) x 2.5 turns 1..5 into 0..10.
    assert load_instrument("NQPS9").scored_range("NQPS_Q2A") == (0, 10)
    assert load_instrument("CBI").scored_range("CBI_W7") == (0, 100)


def test_unknown_coding_variant_or_subscale_is_a_plain_error():
    olbi, tps = load_instrument("OLBI"), load_instrument("TPS")
    with pytest.raises(ParameterError, match="Choose one of: SA1_SD4, SD1_SA4"):
        olbi.coding("SD1SA4")
    with pytest.raises(ParameterError, match="has no variants"):
        olbi.variant("edmondson_1999")
    with pytest.raises(ParameterError, match="edmondson_1999, strategy_positive"):
        tps.variant("positive")
    with pytest.raises(ParameterError, match="Its subscales are: exhaustion, disengagement"):
        olbi.subscale("burnout")


def test_score_ids_and_method_notes():
    nqps = load_instrument("NQPS9")
    assert nqps.score_ids == ("motivation", "involvement", "advocacy", "engagement")
    notes = nqps.describe()
    assert notes[0].startswith(f"{nqps.name} (NQPS9), 9 items.") and any(n.startswith("Source (") for n in notes)
    assert load_instrument("OLBI").subscale_items()["exhaustion"][0] == "OLBI_02"
