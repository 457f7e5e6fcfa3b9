"""Tests of the synthetic staff surveys (``ttwell.synth.surveys``).

The allowed item ids, raw values and reverse keys below are written out from the domain spec (sections 2.2, 3 and
6.6), not imported from the generator, so a generator that drifts from the spec fails here. Reliability is
computed here with numpy, on complete cases after reversal (spec 3.8).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from ttwell.inputs.io import read_table
from ttwell.synth import (
    generate_surveys,
    generate_workforce,
    write_surveys,
    write_synthetic,
)
from ttwell.inputs.templates import TEMPLATES

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "data" / "synthetic"
SURVEY_KINDS = ("survey_waves", "survey_responses", "nss_scores")
SURVEY_FILES = {TEMPLATES[k].filename: k for k in SURVEY_KINDS}
BASELINE, FOLLOW_UP = "2024_baseline", "2025_follow_up"
SMALL_TEAM = "T06"


def _numbered(prefix: str, numbers) -> list[str]:
    return [f"{prefix}{n:02d}" for n in numbers]


# --- the spec, written out (6.6 item ids and raw values; 3.x subscales and reverse keys) ----------------------

ITEMS = {
    "NQPS9": ["NQPS_Q2A", "NQPS_Q2B", "NQPS_Q2C", "NQPS_Q3C", "NQPS_Q3D", "NQPS_Q3F", "NQPS_Q25A", "NQPS_Q25C",
              "NQPS_Q25D"],
    "WRQOL": _numbered("WRQOL_", range(1, 25)),
    "OLBI": _numbered("OLBI_", range(1, 17)),
    "BPNSW": _numbered("BPNSW_", range(1, 22)),
    "TPS": _numbered("TPS_", range(1, 8)),
    "CBI": [f"CBI_P{i}" for i in range(1, 7)] + [f"CBI_W{i}" for i in range(1, 8)] + [f"CBI_C{i}" for i in range(1, 7)],
    "SWEMWBS": _numbered("SWEMWBS_", range(1, 8)),
    "JOY": ["JOY_01", "JOY_02"],
}
ALLOWED = {
    "NQPS9": set(range(1, 6)), "WRQOL": set(range(1, 6)), "OLBI": set(range(1, 5)), "BPNSW": set(range(1, 8)),
    "TPS": set(range(1, 8)), "CBI": {0, 25, 50, 75, 100}, "SWEMWBS": set(range(1, 6)),
}
ALLOWED_ITEM = {"JOY_01": set(range(5)), "JOY_02": set(range(11))}
RANGE = {"NQPS9": (1, 5), "WRQOL": (1, 5), "OLBI": (1, 4), "BPNSW": (1, 7), "TPS": (1, 7), "CBI": (0, 100),
         "SWEMWBS": (1, 5)}
# subscale -> (instrument, items, items the scorer reverses). OLBI with SA1_SD4 coding; TPS strategy_positive.
SUBSCALES = {
    "OLBI_exhaustion": ("OLBI", _numbered("OLBI_", (2, 4, 5, 8, 10, 12, 14, 16)), _numbered("OLBI_", (2, 4, 8, 12))),
    "OLBI_disengagement": ("OLBI", _numbered("OLBI_", (1, 3, 6, 7, 9, 11, 13, 15)),
                           _numbered("OLBI_", (3, 6, 9, 11))),
    "WRQOL_GWB": ("WRQOL", _numbered("WRQOL_", (4, 9, 10, 15, 17, 21)), ["WRQOL_09"]),
    "WRQOL_HWI": ("WRQOL", _numbered("WRQOL_", (5, 6, 14)), []),
    "WRQOL_JCS": ("WRQOL", _numbered("WRQOL_", (1, 3, 8, 11, 18, 20)), []),
    "WRQOL_CAW": ("WRQOL", _numbered("WRQOL_", (2, 12, 23)), []),
    "WRQOL_WCS": ("WRQOL", _numbered("WRQOL_", (13, 16, 22)), []),
    "WRQOL_SAW": ("WRQOL", ["WRQOL_07", "WRQOL_19"], ["WRQOL_07", "WRQOL_19"]),
    "BPNSW_autonomy": ("BPNSW", _numbered("BPNSW_", (1, 5, 8, 11, 13, 17, 20)), _numbered("BPNSW_", (5, 11, 20))),
    "BPNSW_competence": ("BPNSW", _numbered("BPNSW_", (3, 4, 10, 12, 14, 19)), _numbered("BPNSW_", (3, 14, 19))),
    "BPNSW_relatedness": ("BPNSW", _numbered("BPNSW_", (2, 6, 7, 9, 15, 16, 18, 21)),
                          _numbered("BPNSW_", (7, 16, 18))),
    "TPS": ("TPS", ITEMS["TPS"], []),
    "CBI_personal": ("CBI", ITEMS["CBI"][:6], []),
    "CBI_work": ("CBI", ITEMS["CBI"][6:13], ["CBI_W7"]),
    "CBI_client": ("CBI", ITEMS["CBI"][13:], []),
    "SWEMWBS": ("SWEMWBS", ITEMS["SWEMWBS"], []),
    "NQPS_motivation": ("NQPS9", ITEMS["NQPS9"][:3], []),
    "NQPS_involvement": ("NQPS9", ITEMS["NQPS9"][3:6], []),
    "NQPS_advocacy": ("NQPS9", ITEMS["NQPS9"][6:], []),
}
NSS_MEASURES = {
    "staff_engagement": "theme", "morale": "theme", "we_are_compassionate_and_inclusive": "element",
    "we_are_recognised_and_rewarded": "element", "we_each_have_a_voice_that_counts": "element",
    "we_are_safe_and_healthy": "element", "we_are_always_learning": "element", "we_work_flexibly": "element",
    "we_are_a_team": "element", "motivation": "sub_score", "involvement": "sub_score", "advocacy": "sub_score",
}


# --- fixtures ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def snapshot(synthetic_workforce) -> pd.DataFrame:
    return synthetic_workforce["staff_snapshot"]


@pytest.fixture(scope="module")
def written(snapshot, tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("surveys_2024")
    return {p.name: p.read_bytes() for p in write_surveys(generate_surveys(snapshot, seed=2024), folder)}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """The committed files, read and validated as a user's files would be."""
    out = {}
    for name, kind in SURVEY_FILES.items():
        table, problems = read_table(COMMITTED / name, kind)
        assert [p.describe() for p in problems] == [], name
        out[kind] = table
    return out


@pytest.fixture(scope="module")
def wide(tables) -> pd.DataFrame:
    """One row per response (wave_id, response_id), one float column per item; NaN = skipped."""
    long = tables["survey_responses"]
    return long.set_index(["wave_id", "response_id", "item_id"])["item_value"].unstack().astype(float)


def _scored(wide: pd.DataFrame, subscale: str) -> pd.DataFrame:
    """The subscale's items after the scorer's reversal (min + max - x)."""
    instrument, items, reverse = SUBSCALES[subscale]
    low, high = RANGE[instrument]
    x = wide[items].copy()
    x[reverse] = low + high - x[reverse]
    return x


def _alpha(items: pd.DataFrame) -> float:
    x = items.dropna().to_numpy()
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def _respondents(tables) -> pd.DataFrame:
    return tables["survey_responses"].drop_duplicates(["wave_id", "response_id"])


# --- reproducibility -----------------------------------------------------------------------------------------

def test_same_seed_gives_byte_identical_files(snapshot, written, tmp_path):
    again = {p.name: p.read_bytes() for p in write_surveys(generate_surveys(snapshot, seed=2024), tmp_path)}
    assert again == written


def test_different_seed_gives_different_answers(written, tmp_path):
    other_snapshot = generate_workforce(seed=2025)["staff_snapshot"]
    other = {p.name: p.read_bytes() for p in write_surveys(generate_surveys(other_snapshot, seed=2025), tmp_path)}
    assert other["survey_responses_long.csv"] != written["survey_responses_long.csv"]


def test_committed_files_equal_a_fresh_run(written):
    for name, content in written.items():
        committed = COMMITTED / name
        assert committed.exists(), f"{committed} missing: run `ttwell synth --seed 2024 --out data/synthetic`"
        assert committed.read_bytes() == content, (
            f"{committed} differs from the generator's output: run `ttwell synth --seed 2024 --out data/synthetic`")


def test_write_synthetic_writes_the_survey_files_and_leaves_the_workforce_files_alone(tmp_path):
    with_surveys = {p.name: p.read_bytes() for p in write_synthetic(tmp_path / "a", seed=2024)}
    without = {p.name: p.read_bytes() for p in write_synthetic(tmp_path / "b", seed=2024, surveys=False)}
    assert set(with_surveys) == set(without) | set(SURVEY_FILES)
    assert {name: with_surveys[name] for name in without} == without


# --- file format ---------------------------------------------------------------------------------------------

def test_files_are_plain_utf8_csv_in_template_order(written):
    for name, content in written.items():
        assert b"\r" not in content and not content.startswith(b"\xef\xbb\xbf"), name
        header = next(csv.reader(io.StringIO(content.decode("utf-8"))))
        assert header == TEMPLATES[SURVEY_FILES[name]].column_names(), name


def test_dates_and_timestamps_are_day_first(written):
    waves = pd.read_csv(io.BytesIO(written["survey_waves.csv"]), dtype=str)
    assert waves["opened_on"].tolist() == ["04/03/2024", "03/03/2025"]
    assert waves["closed_on"].tolist() == ["22/03/2024", "21/03/2025"]
    long = pd.read_csv(io.BytesIO(written["survey_responses_long.csv"]), dtype=str, keep_default_na=False)
    assert long["submitted_at"].str.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}").all()


def test_committed_files_validate_without_any_problem(tables):
    # The fixture asserts no errors and no warnings; here, that every file has rows.
    assert [len(tables[k]) > 0 for k in SURVEY_KINDS] == [True, True, True]


def test_waves_describe_the_design(tables):
    waves = tables["survey_waves"].set_index("wave_id")
    assert list(waves.index) == [BASELINE, FOLLOW_UP]
    for wave in waves.itertuples():
        assert wave.instruments.split(";") == ["OLBI", "WRQOL", "BPNSW", "TPS", "CBI", "SWEMWBS", "NQPS9", "JOY"]
        assert (wave.mode, wave.linked_design, wave.ps_variant, wave.olbi_response_coding) == (
            "online", False, "strategy_positive", "SA1_SD4")
        assert 165 <= wave.eligible_n <= 185
    assert waves.loc[BASELINE, "closed_on"] < pd.Timestamp("2024-04-01") <= waves.loc[FOLLOW_UP, "opened_on"]


# --- items and values ----------------------------------------------------------------------------------------

def test_every_item_id_and_value_is_allowed_for_its_instrument(tables):
    long = tables["survey_responses"]
    known = {item: name for name, items in ITEMS.items() for item in items}
    assert long["item_id"].map(known).eq(long["instrument"]).all(), "item id not of its instrument"
    answered = long[long["item_value"].notna()]
    for item, values in answered.groupby("item_id")["item_value"]:
        allowed = ALLOWED_ITEM.get(item) or ALLOWED[known[item]]
        assert set(values.astype(int)) <= allowed, f"{item}: {sorted(set(values.astype(int)) - allowed)}"
    # Every value of a 1-5 or wider scale is used somewhere: the answers are not squeezed into the middle.
    for name in ("WRQOL", "OLBI", "CBI"):
        used = set(answered.loc[answered["instrument"] == name, "item_value"].astype(int))
        assert used == ALLOWED[name], name


def test_every_respondent_has_every_item_once(tables):
    long = tables["survey_responses"]
    all_items = sorted(i for items in ITEMS.values() for i in items)
    per_response = long.groupby(["wave_id", "response_id"])["item_id"].agg(sorted)
    assert per_response.map(lambda items: items == all_items).all()


def test_a_few_items_are_missing_but_subscales_still_score(wide):
    missing = wide.isna().to_numpy().mean()
    assert 0.003 < missing < 0.02, missing
    # OLBI needs 6 of 8 answered (spec 3.2); nearly every respondent meets it.
    for subscale in ("OLBI_exhaustion", "OLBI_disengagement"):
        answered = wide[SUBSCALES[subscale][1]].notna().sum(axis=1)
        assert (answered >= 6).mean() > 0.97, subscale
    assert wide[ITEMS["SWEMWBS"]].notna().all(axis=1).mean() > 0.85  # SWEMWBS allows no missing item


# --- respondents ---------------------------------------------------------------------------------------------

def test_respondent_counts_and_response_rates(tables):
    counts = _respondents(tables).groupby("wave_id").size()
    eligible = tables["survey_waves"].set_index("wave_id")["eligible_n"].astype(int)
    assert counts.between(120, 140).all(), counts.to_dict()
    rate = counts / eligible
    assert rate.between(0.65, 0.80).all(), rate.round(3).to_dict()


def test_small_team_has_fewer_than_eleven_respondents(tables):
    per_team = _respondents(tables).groupby(["wave_id", "team_code"]).size().unstack(fill_value=0)
    assert set(per_team.columns) == {"T01", "T02", "T03", "T04", "T05", "T06"}
    assert per_team[SMALL_TEAM].between(1, 10).all(), per_team[SMALL_TEAM].to_dict()
    assert (per_team.drop(columns=SMALL_TEAM) >= 11).all().all(), per_team.to_dict()


def test_respondent_details_are_coarse_and_anonymous(tables, snapshot):
    responses = _respondents(tables)
    assert "staff_pid" not in tables["survey_responses"].columns
    assert tables["survey_responses"]["respondent_pid"].isna().all()
    assert not set(responses["response_id"]) & set(snapshot["staff_pid"])
    assert responses["response_id"].str.fullmatch(r"R\d{2}-\d{4}").all()
    assert responses["role_family"].notna().all() and responses["tenure_band"].notna().all()
    assert 0 < (responses["tenure_band"] == "unknown").sum() <= 10
    # No staff id appears anywhere in the survey files.
    pids = set(snapshot["staff_pid"])
    for name in SURVEY_FILES:
        text = (COMMITTED / name).read_text(encoding="utf-8")
        assert not pids & set(re.findall(r"[0-9a-f]{16}", text)), name


# --- planted structure -----------------------------------------------------------------------------------------

def test_reverse_keyed_items_point_the_right_way(wide):
    """After the scorer's reversal every item correlates positively with the rest of its subscale."""
    for subscale, (_, items, reverse) in SUBSCALES.items():
        scored = _scored(wide, subscale)
        for item in items:
            rest = scored.drop(columns=item).mean(axis=1)
            r = scored[item].corr(rest)
            assert r > 0.25, f"{subscale}: {item} corrected item-total r = {r:.2f}"
            if item in reverse and len(items) > 2:
                raw_r = wide[item].corr(rest)
                assert raw_r < -0.25, f"{item} is reverse-keyed, so its raw value must fall as the score rises"


@pytest.mark.parametrize("subscale", ["OLBI_exhaustion", "TPS"])
def test_alpha_of_key_subscales_is_realistic(wide, subscale):
    for wave in (BASELINE, FOLLOW_UP):
        alpha = _alpha(_scored(wide.loc[wave], subscale))
        assert 0.70 <= alpha <= 0.95, f"{subscale} {wave}: alpha {alpha:.3f}"


def test_alpha_of_every_subscale_is_in_the_planted_range(wide):
    for subscale, (_, items, _) in SUBSCALES.items():
        if len(items) < 3:
            continue  # spec 3.8: a two-item subscale reports r, not alpha
        for wave in (BASELINE, FOLLOW_UP):
            alpha = _alpha(_scored(wide.loc[wave], subscale))
            assert 0.70 <= alpha <= 0.93, f"{subscale} {wave}: alpha {alpha:.3f}"


def test_scales_correlate_sensibly(wide):
    mean = {s: _scored(wide, s).mean(axis=1) for s in SUBSCALES}
    assert mean["OLBI_exhaustion"].corr(mean["WRQOL_GWB"]) < -0.35
    assert mean["OLBI_exhaustion"].corr(mean["CBI_work"]) > 0.4
    assert mean["TPS"].corr(mean["BPNSW_relatedness"]) > 0.25
    assert mean["SWEMWBS"].corr(mean["WRQOL_GWB"]) > 0.3


def test_planted_follow_up_change(wide):
    def change(subscale: str) -> float:
        means = _scored(wide, subscale).mean(axis=1).groupby(level="wave_id").mean()
        return means[FOLLOW_UP] - means[BASELINE]

    assert change("OLBI_exhaustion") < -0.05  # planted: lower exhaustion
    assert change("TPS") > 0.15  # planted: higher psychological safety
    assert change("NQPS_involvement") > 0.1
    assert change("CBI_work") < -2.0
    assert abs(change("BPNSW_competence")) < 0.15  # planted: no change


# --- published scores ----------------------------------------------------------------------------------------

def test_nss_scores_are_complete_and_plausible(tables, written):
    nss = tables["nss_scores"]
    annual = nss[nss["source"] == "nss"]
    assert sorted(annual["year"].unique()) == [2022, 2023, 2024]
    for year, rows in annual.groupby("year"):
        assert dict(zip(rows["measure_id"], rows["measure_type"])) == NSS_MEASURES, year
    assert (annual["benchmark_group"] == "Mental health and learning disability trusts").all()
    assert annual["benchmark_median"].between(0, 10).all()
    assert nss["score"].between(0, 10).all() and (nss["score_unit"] == "score_0_10").all()
    assert (nss["n_responses"] >= 11).all()
    scores = pd.read_csv(io.BytesIO(written["nss_scores.csv"]), dtype=str)["score"]
    assert scores.str.fullmatch(r"\d+\.\d").all(), "scores are published with one decimal place"
    # Engagement is the mean of its three sub-scores (spec 2.3), to rounding.
    wide_nss = annual.pivot(index="year", columns="measure_id", values="score")
    subs = wide_nss[["motivation", "involvement", "advocacy"]].mean(axis=1)
    assert (wide_nss["staff_engagement"] - subs).abs().max() <= 0.1
    pulse = nss[nss["source"] == "nqps"]
    assert len(pulse) == 2 and (pulse["measure_id"] == "staff_engagement").all()
    assert not nss.duplicated(["year", "source", "breakdown_level", "breakdown_value", "measure_id"]).any()
    assert (nss["org_code"] == "SYN01").all()


# --- the scorer (written alongside; skipped until it exists) -------------------------------------------------

def test_every_instrument_scores_without_validation_errors(tables):
    scales = pytest.importorskip("ttwell.calculations.scales")
    if not hasattr(scales, "score"):
        pytest.skip("ttwell.calculations.scales.score not written yet")
    waves = tables["survey_waves"]
    respondents = _respondents(tables)
    # The wave declares the TPS wording and the OLBI coding; the other instruments have one of each.
    settings = {"TPS": {"variant": waves}, "OLBI": {"coding": waves}}
    for instrument in ITEMS:
        scored = scales.score(tables["survey_responses"], instrument, **settings.get(instrument, {}))
        assert len(scored) == len(respondents), instrument  # raises InputError on any invalid value
        for subscale in scales.load_instrument(instrument).subscales:
            share = scored[subscale.id].notna().mean()
            assert share > 0.95, f"{instrument} {subscale.id}: only {share:.0%} of respondents have a score"
