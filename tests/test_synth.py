"""Tests of the synthetic workforce generator (``ttwell.synth``).

The generator's output is the demo and test data of the whole kit, so these tests pin the properties other
modules rely on: reproducibility to the byte, the committed files equal to a fresh run, template format,
realistic structure (small team, headcount, leavers, episodes) and the planted effects.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ttwell.synth import generate_workforce, workforce_as_text, write_synthetic
from ttwell.inputs.templates import IN_POST_CONTRACT_TYPES, LEAVING_REASONS, TEMPLATES

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "data" / "synthetic"
STRATEGY_START = pd.Timestamp("2024-04-01")
FILENAME_KIND = {t.filename: kind for kind, t in TEMPLATES.items()}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("synth_2024")
    return {p.name: p.read_bytes() for p in write_synthetic(folder, seed=2024)}


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate_workforce(seed=2024)


@pytest.fixture(scope="module")
def in_post(frames) -> pd.DataFrame:
    snap = frames["staff_snapshot"]
    return snap[snap["contract_type"].isin(IN_POST_CONTRACT_TYPES) & snap["in_scope"].fillna(True)]


def _monthly_headcount(in_post: pd.DataFrame) -> pd.Series:
    return in_post.groupby(in_post["snapshot_date"].dt.to_period("M"))["staff_pid"].nunique()


# --- reproducibility ---------------------------------------------------------------------------------------

def test_same_seed_gives_byte_identical_files(tmp_path, written):
    again = {p.name: p.read_bytes() for p in write_synthetic(tmp_path, seed=2024)}
    assert sorted(again) == sorted(written)
    for name, content in written.items():
        assert again[name] == content, f"{name} differs between two runs with seed 2024"


def test_different_seed_gives_different_data(tmp_path, written):
    other = {p.name: p.read_bytes() for p in write_synthetic(tmp_path, seed=2025)}
    for name in ("staff_monthly_snapshot.csv", "absence_episodes.csv", "leavers.csv"):
        assert other[name] != written[name], f"{name} is the same for seeds 2024 and 2025"
    ids_2024 = set(pd.read_csv(io.BytesIO(written["leavers.csv"]), dtype=str)["staff_pid"])
    ids_2025 = set(pd.read_csv(io.BytesIO(other["leavers.csv"]), dtype=str)["staff_pid"])
    assert not ids_2024 & ids_2025


def test_committed_files_equal_a_fresh_run(written):
    for name, content in written.items():
        committed = COMMITTED / name
        assert committed.exists(), f"{committed} missing: run `ttwell synth --seed 2024 --out data/synthetic`"
        assert committed.read_bytes() == content, (
            f"{committed} differs from the generator's output: run `ttwell synth --seed 2024 --out data/synthetic`"
        )


# --- file format -------------------------------------------------------------------------------------------

WORKFORCE_FILES = {TEMPLATES[k].filename for k in
                   ("staff_snapshot", "absence", "leavers", "establishment", "reasons", "teams")}


def test_files_follow_the_templates(written):
    # The survey files written beside these are checked in test_synth_surveys.py.
    assert WORKFORCE_FILES <= set(written)
    date = re.compile(r"^\d{2}/\d{2}/\d{4}$")
    for name, content in ((n, c) for n, c in written.items() if n in WORKFORCE_FILES):
        template = TEMPLATES[FILENAME_KIND[name]]
        assert b"\r" not in content and not content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
        assert rows[0] == template.column_names(), name
        body = pd.DataFrame(rows[1:], columns=rows[0])
        for col in template.columns:
            values = body[col.name]
            if col.required:
                assert (values != "").all(), f"{name}: blank in required column {col.name}"
            filled = values[values != ""]
            if col.type == "date":
                assert filled.map(lambda v: bool(date.match(v))).all(), f"{name}: {col.name} not dd/mm/yyyy"
            elif col.type == "bool":
                assert filled.isin(["true", "false"]).all(), f"{name}: {col.name} not true/false"
            elif col.type == "enum":
                assert filled.isin(col.enum).all(), f"{name}: unknown value in {col.name}"
            elif col.type == "float":
                assert filled.str.fullmatch(r"\d+\.\d\d").all(), f"{name}: {col.name} not fixed 2 d.p."
        for key in template.unique:
            assert not body.duplicated(list(key)).any(), f"{name}: duplicate {key}"


def test_committed_files_load_without_problems():
    io_module = pytest.importorskip("ttwell.inputs.io")
    if not hasattr(io_module, "load_workforce"):
        pytest.skip("ttwell.inputs.io.load_workforce not written yet")
    paths = {FILENAME_KIND[p.name]: p for p in COMMITTED.glob("*.csv") if p.name in FILENAME_KIND}
    data = io_module.load_workforce(paths)  # raises InputError on any error
    assert [w.describe() for w in data.warnings] == []


def test_generated_text_validates_in_memory(frames):
    io_module = pytest.importorskip("ttwell.inputs.io")
    for kind, text in workforce_as_text(frames).items():
        _, problems = io_module.validate_frame(text, TEMPLATES[kind], kind)
        assert [p.describe() for p in problems] == [], kind


def test_staff_ids_are_pseudonymous_hex(frames):
    ids = pd.concat([frames["staff_snapshot"]["staff_pid"], frames["leavers"]["staff_pid"],
                     frames["absence"]["staff_pid"]])
    assert ids.str.fullmatch(r"[0-9a-f]{16}").all()
    assert "staff_pid" not in frames["reasons"].columns


# --- structure of the service ------------------------------------------------------------------------------

def test_thirty_six_month_end_snapshots(frames):
    dates = pd.DatetimeIndex(sorted(frames["staff_snapshot"]["snapshot_date"].unique()))
    assert len(dates) == 36
    assert dates.is_month_end.all()
    assert dates[0] == pd.Timestamp("2022-04-30") and dates[-1] == pd.Timestamp("2025-03-31")


def test_headcount_stays_near_180(in_post):
    headcount = _monthly_headcount(in_post)
    assert len(headcount) == 36
    assert headcount.between(150, 210).all(), headcount.to_dict()


def test_small_team_stays_below_eleven_every_month(frames, in_post):
    teams = frames["teams"]
    small = teams.loc[teams["parent_team_code"].notna(), "team_code"]
    assert len(small) == 1
    assert teams.loc[teams["parent_team_code"].notna(), "parent_team_code"].isin(teams["team_code"]).all()
    per_month = in_post[in_post["team_code"] == small.iloc[0]].groupby("snapshot_date")["staff_pid"].nunique()
    assert len(per_month) == 36, "the small team must have staff in every month"
    assert (per_month < 11).all() and (per_month >= 4).all(), per_month.to_dict()
    big = in_post[in_post["team_code"] != small.iloc[0]].groupby(["snapshot_date", "team_code"]).size()
    assert (big >= 11).all()


def test_workforce_mix_is_realistic(frames):
    snap = frames["staff_snapshot"]
    assert (snap["contract_type"] == "bank").any()
    assert (snap["assignment_status"] == "maternity_adoption_leave").any()
    assert snap["in_scope"].isna().any()
    trainees = snap[snap["role_group"].isin(["pwp_trainee", "hi_trainee"])]
    assert (trainees["contract_type"] == "fixed_term").all()
    assert trainees["fixed_term_end_date"].notna().all()
    assert ((snap["fte"] > 0) & (snap["fte"] <= 1.0)).all()
    substantive = snap[snap["contract_type"] != "bank"]
    part_time_share = (substantive["fte"] < 1.0).mean()
    assert 0.2 < part_time_share < 0.6


def test_leavers_leave_the_snapshots(frames):
    snap, leavers = frames["staff_snapshot"], frames["leavers"]
    joined = leavers.merge(snap, on="staff_pid", suffixes=("_leaver", ""))
    # A re-joiner has a new, later service start: only rows of the spell that ended are checked.
    same_spell = joined["service_start_date"] == joined["service_start_date_leaver"]
    assert not (same_spell & (joined["snapshot_date"] > joined["leaving_date"])).any()
    # ...and the last snapshot of the spell is the last month-end on or before the leaving date.
    last_seen = joined[same_spell].groupby(["staff_pid", "leaving_date"])["snapshot_date"].max()
    expected = pd.Series(last_seen.index.get_level_values("leaving_date"), index=last_seen.index)
    expected = expected.where(expected.dt.is_month_end, expected - pd.offsets.MonthEnd(1))
    assert (last_seen == expected).all()
    rejoiners = snap.groupby("staff_pid")["service_start_date"].nunique()
    assert (rejoiners > 1).sum() <= 1
    # Nothing after the extract date (the last snapshot) is known.
    extract_date = snap["snapshot_date"].max()
    assert leavers["leaving_date"].max() <= extract_date
    assert frames["absence"]["absence_start_date"].max() <= extract_date


def test_joiners_start_in_the_month_they_first_appear(frames):
    snap = frames["staff_snapshot"]
    first = snap.groupby(["staff_pid", "service_start_date"])["snapshot_date"].min().reset_index()
    joiners = first[first["snapshot_date"] > snap["snapshot_date"].min()]
    assert len(joiners) > 30
    assert (joiners["service_start_date"].dt.to_period("M") == joiners["snapshot_date"].dt.to_period("M")).all()
    starters = first[first["snapshot_date"] == snap["snapshot_date"].min()]
    tenure_days = (starters["snapshot_date"] - starters["service_start_date"]).dt.days
    assert (tenure_days < 365).any() and (tenure_days > 5 * 365).any()


def test_leaving_reasons_cover_the_expected_kinds(frames):
    reasons = frames["leavers"]["leaving_reason_esr"]
    assert reasons.isin(list(LEAVING_REASONS)).all()
    voluntary = reasons.map(lambda r: LEAVING_REASONS[r][1])
    groups = reasons.map(lambda r: LEAVING_REASONS[r][0])
    assert voluntary.mean() > 0.5
    assert (reasons == "End of Fixed Term Contract - Completion of Training Scheme").sum() >= 2
    assert (groups == "retirement").any() and (reasons == "Unknown").any()
    completed = frames["leavers"].loc[reasons == "End of Fixed Term Contract - Completion of Training Scheme"]
    assert completed["training_completed"].eq(True).all()
    assert completed["role_group"].isin(["pwp_trainee", "hi_trainee"]).all()


def test_stability_index_is_plausible(in_post):
    by_month = in_post.groupby("snapshot_date")["staff_pid"].agg(set)
    stability = [len(by_month.iloc[i - 12] & by_month.iloc[i]) / len(by_month.iloc[i - 12])
                 for i in range(12, len(by_month))]
    assert min(stability) > 0.75 and max(stability) < 0.95, stability


def test_vacancies_are_modest_and_partly_blank(frames, in_post):
    establishment = frames["establishment"]
    assert establishment["vacancy_fte"].isna().any() and establishment["vacancy_fte"].notna().any()
    fte_in_post = in_post.groupby(in_post["snapshot_date"].dt.to_period("M"))["fte"].sum()
    funded = establishment.groupby("month")["establishment_fte"].sum()
    vacancy_rate = 1 - fte_in_post / funded
    assert vacancy_rate.between(0.03, 0.15).all(), vacancy_rate.round(3).to_dict()


# --- absence -----------------------------------------------------------------------------------------------

def test_absence_episodes_lie_within_employment(frames):
    snap, absence, leavers = frames["staff_snapshot"], frames["absence"], frames["leavers"]
    spells = snap.groupby(["staff_pid", "service_start_date"]).size().reset_index()[["staff_pid", "service_start_date"]]
    spells = spells.merge(leavers[["staff_pid", "service_start_date", "leaving_date"]], how="left")
    joined = absence.merge(spells, on="staff_pid")
    inside = (joined["absence_start_date"] >= joined["service_start_date"]) & (
        joined["leaving_date"].isna() | (joined["absence_start_date"] <= joined["leaving_date"]))
    joined = joined[inside]
    assert joined["episode_id"].is_unique and set(joined["episode_id"]) == set(absence["episode_id"])
    ends_after_leaving = joined["leaving_date"].notna() & (
        joined["absence_end_date"].isna() | (joined["absence_end_date"] > joined["leaving_date"]))
    assert not ends_after_leaving.any()
    ordered = absence.sort_values(["staff_pid", "absence_start_date"])
    previous_end = ordered.groupby("staff_pid")["absence_end_date"].shift()
    assert not (ordered["absence_start_date"] <= previous_end).any(), "overlapping episodes"


def test_absence_mix_is_realistic(frames):
    absence = frames["absence"]
    length = (absence["absence_end_date"] - absence["absence_start_date"]).dt.days + 1
    long_term_share = (length >= 28).sum() / len(absence)
    assert 0.05 < long_term_share < 0.15
    assert ((length <= 10).sum() / len(absence)) > 0.6
    assert 1 <= absence["absence_end_date"].isna().sum() <= 15
    assert absence["absence_reason_group"].value_counts().index[0] == "mental_health"
    partial = absence[absence["partial_day"]]
    assert len(partial) > 0 and partial["hours_lost"].notna().all()
    assert (partial["absence_start_date"] == partial["absence_end_date"]).all()
    assert absence.loc[~absence["partial_day"], "hours_lost"].isna().all()


def _starts_per_100(frames, in_post) -> pd.Series:
    absence = frames["absence"]
    headcount = _monthly_headcount(in_post)
    starts = absence.groupby(absence["absence_start_date"].dt.to_period("M")).size()
    return starts.reindex(headcount.index, fill_value=0) / headcount * 100


def test_planted_sickness_improvement_after_strategy_start(frames, in_post):
    rate = _starts_per_100(frames, in_post)
    after = rate.index >= STRATEGY_START.to_period("M")
    assert after.sum() == 12 and (~after).sum() == 24
    # Planted: rate x 0.82 from April 2024; two full years before, one after, so seasons balance out.
    assert rate[after].mean() < 0.95 * rate[~after].mean()


def test_sickness_is_seasonal(frames, in_post):
    rate = _starts_per_100(frames, in_post)
    winter = rate[rate.index.month.isin([12, 1, 2])].mean()
    summer = rate[rate.index.month.isin([6, 7, 8])].mean()
    assert winter > 1.2 * summer


# --- reasons -----------------------------------------------------------------------------------------------

def test_exit_and_stay_surveys(frames):
    reasons, leavers = frames["reasons"], frames["leavers"]
    exits = reasons[reasons["instrument"] == "exit_survey"]
    stays = reasons[reasons["instrument"] == "stay_survey"]
    voluntary_leavers = leavers["leaving_reason_esr"].map(lambda r: LEAVING_REASONS[r][1]).sum()
    assert 0.3 < exits["response_id"].nunique() / voluntary_leavers < 0.7
    assert exits.groupby("response_id").size().between(1, 3).all()
    assert (exits["direction"] == "reason_to_leave").all() and exits["intent_to_stay_12m"].isna().all()
    assert sorted(stays["response_date"].dt.year.unique()) == [2023, 2024, 2025]
    assert stays["intent_to_stay_12m"].between(1, 5).all()
    assert set(stays["direction"]) == {"reason_to_stay", "reason_might_leave"}
    ranks = reasons.groupby(["response_id", "direction"])["reason_rank"].agg(["min", "max", "size"])
    assert (ranks["min"] == 1).all() and (ranks["max"] == ranks["size"]).all()
    assert reasons["free_text"].isna().mean() > 0.8


# --- scale and arguments -----------------------------------------------------------------------------------

def test_larger_service_keeps_the_small_team():
    frames = generate_workforce(seed=3, n_staff=3000, n_teams=12)
    snap, teams = frames["staff_snapshot"], frames["teams"]
    assert len(teams) == 12 and teams["team_name"].is_unique
    small = teams.loc[teams["parent_team_code"].notna(), "team_code"].iloc[0]
    substantive = snap[snap["contract_type"] != "bank"]
    assert substantive[substantive["team_code"] == small].groupby("snapshot_date").size().max() < 11
    headcount = substantive.groupby("snapshot_date").size()
    assert headcount.between(2700, 3100).all()


def test_too_few_staff_for_the_teams_is_refused():
    with pytest.raises(ValueError, match="too few"):
        generate_workforce(n_staff=50, n_teams=6)


def test_frames_have_template_columns_in_order(frames):
    for kind, frame in frames.items():
        assert list(frame.columns) == TEMPLATES[kind].column_names(), kind
    assert np.issubdtype(frames["staff_snapshot"]["snapshot_date"].dtype, np.datetime64)
