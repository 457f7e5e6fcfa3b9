"""Loading instrument definitions (``ttwell.inputs.instruments.loading``): the shipped keys against the domain
spec, a service's own definition by path, its item text and bands files, and plain errors for unreadable files."""

from __future__ import annotations

import pandas as pd
import pytest

from ttwell.calculations.scales import apply_bands, score
from ttwell.errors import ParameterError
from ttwell.inputs.instruments import available_instruments, item_labels, load_bands, load_instrument

from survey_cases import answers, only, wide  # noqa: E402,F401

OLBI = [f"OLBI_{i:02d}" for i in range(1, 17)]
WRQOL = [f"WRQOL_{i:02d}" for i in range(1, 25)]




# --- the registry ------------------------------------------------------------------------------------------

def test_every_required_instrument_ships_and_loads():
    assert available_instruments() == ["BPNSW", "CBI", "JOY", "NQPS9", "OLBI", "SWEMWBS", "TPS", "WRQOL"]
    for name in available_instruments():
        inst = load_instrument(name.lower())  # ids are matched in any case
        assert inst.id == name and inst.sources and inst.subscales
        assert all(tag in ("CONFIRMED", "CORROBORATED", "UNCONFIRMED", "PROPOSED") for _, tag in inst.status)
        # No item wording ships (spec 3.9): labels fall back to item ids.
        assert item_labels(inst) == {item: item for item in inst.items}


def test_shipped_keys_match_the_spec():
    olbi = load_instrument("OLBI")
    assert olbi.subscale("exhaustion").items == tuple(f"OLBI_{i:02d}" for i in (2, 4, 5, 8, 10, 12, 14, 16))
    assert olbi.reverse == tuple(f"OLBI_{i:02d}" for i in (2, 3, 4, 6, 8, 9, 11, 12))
    assert [(c.at_least, c.status) for c in olbi.subscale("disengagement").cutoffs] == [(2.10, "UNCONFIRMED")]
    wrqol = load_instrument("WRQOL")
    assert len(wrqol.subscale("wrqol_overall").items) == 23 and wrqol.subscale("wrqol_overall").min_answered == 21
    assert wrqol.reverse == ("WRQOL_07", "WRQOL_09", "WRQOL_19")
    factor_items = [i for s in wrqol.subscales if s.kind == "subscale" and s.id != "overall_qowl_item"
                    for i in s.items]
    assert sorted(factor_items) == WRQOL[:23]  # six factors cover items 1-23 once each
    cbi = load_instrument("CBI")
    assert [s.min_answered for s in cbi.subscales] == [3, 4, 3] and cbi.reverse == ("CBI_W7",)
    assert cbi.values == (0, 25, 50, 75, 100)
    tps = load_instrument("TPS")
    assert {v.name: v.reverse for v in tps.variants} == {"edmondson_1999": ("TPS_01", "TPS_03", "TPS_05"),
                                                         "strategy_positive": ()}


# --- user-defined instruments and files ---------------------------------------------------------------------

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


def test_user_defined_instrument_from_yaml(tmp_path):
    path = tmp_path / "my_scale.yaml"
    path.write_text(MY_SCALE, encoding="utf-8")
    inst = load_instrument(path)
    # MY_02 reversed: 0 + 3 - 1 = 2. (3 + 2 + 2 + 0) / 4 = 1.75; second respondent 3 answered: (3 + 3 + 3) / 3.
    scored = score(wide({"MY_01": 3, "MY_02": 1, "MY_03": 2, "MY_04": 0}, {"MY_01": 3, "MY_02": 0, "MY_03": 3}),
                   str(path))
    assert scored["climate"].tolist() == [1.75, 3.0] and scored["climate_sum"].tolist()[0] == 7
    text = tmp_path / "my_text.yaml"
    text.write_text('MY_01: "We help each other"\n', encoding="utf-8")
    assert item_labels(inst, text) == {"MY_01": "We help each other", "MY_02": "MY_02", "MY_03": "MY_03",
                                       "MY_04": "MY_04"}
    text.write_text('MY_09: "Not ours"\n', encoding="utf-8")
    with pytest.raises(ParameterError, match="MY_09"):
        item_labels(inst, text)


def test_unreadable_yaml_and_unknown_instrument(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: X\nitems: [A_01, A_02\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid YAML near line"):
        load_instrument(path)
    with pytest.raises(ParameterError, match="Shipped instruments: BPNSW"):
        load_instrument("OLB1")


def test_user_bands_file_labels_scores(tmp_path):
    path = tmp_path / "wrqol_bands.yaml"
    path.write_text("instrument: WRQOL\nbasis: mean\nsource: our licensed manual\nbands:\n  wrqol_overall:\n"
                    "    - {label: lower, min: 1, max: 2.99}\n    - {label: higher, min: 3, max: 5}\n",
                    encoding="utf-8")
    bands = load_bands(path, "WRQOL")
    scored = apply_bands(score(wide(answers(WRQOL, [2] * 24), answers(WRQOL, [5] * 24)), "WRQOL"), bands)
    # all 2s: (20 x 2 + 3 x 4) / 23 = 2.26 -> lower; all 5s: 103 / 23 = 4.48 -> higher
    assert scored["wrqol_overall_band"].tolist() == ["lower", "higher"]
    path.write_text(path.read_text(encoding="utf-8").replace("min: 3,", "min: 2.5,"), encoding="utf-8")
    with pytest.raises(ParameterError, match="overlap"):
        load_bands(path, "WRQOL")
