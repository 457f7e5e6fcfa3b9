"""Synthetic pre/post training confidence, shaped like the strategy's published trauma-informed care example.

The published example (domain spec section 9): one full-day training, 80 attendees in six teams, confidence (%)
in seven knowledge areas before and after, area means 49 -> 81, 46 -> 80, 60 -> 84, 45 -> 81, 52 -> 84,
43 -> 80, 40 -> 80 (overall 48 -> 81); before, about two in ten attendees of one team above 50% confident and
nine in ten of another; after, small differences between teams and one attendee below 50%.

What is planted, by construction:

- programme ``TIC2024``, four sessions (June and July 2024), 80 attendees in the service's teams T01-T06
  (T06 sends 6, fewer than 11, so team-level disclosure control is exercised; the others send 13-17);
- the realised area means at each timepoint equal the published ones to within about half a point: answers
  are drawn, then shifted per area and timepoint until the rounded, 0-100 clipped means land on the target;
- before: T03 has about two in ten attendees above 50% on the person score (mean of the seven areas), T02
  about nine in ten; after, team means lie within a few points of one another;
- exactly one attendee rates their confidence below 50% after the training;
- 5 attendees returned no post form (pre only); one returned it 46 days after the session (late, still valid);
  one attendee has a follow-up form three months later (a timepoint the pre/post analysis ignores).

Attendee codes are random six-character codes, as a self-generated code would be: not derived from staff ids.

Example
-------
>>> from ttwell.synth.training import generate_training
>>> frames = generate_training(seed=2024)
>>> sorted(frames), frames["training_areas"].shape
(['training_areas', 'training_confidence'], (7, 3))
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

TRAINING_STREAM = 13
PROGRAMME_ID = "TIC2024"
# (label, published mean before, published mean after), in the order of the published table.
PUBLISHED_AREAS = [
    ("Prevalence of trauma", 49, 81),
    ("How trauma is stored in the brain and how the threat system is activated", 46, 80),
    ("The longer-term effects of trauma on sense of self, relationships, and coping", 60, 84),
    ("Recognising and assessing trauma in older adults", 45, 81),
    ("Making sense of how trauma has affected an individual", 52, 84),
    ("Intervening to reduce distress around trauma", 43, 80),
    ("Managing endings / relationships with people who have experienced trauma", 40, 80),
]
PUBLISHED_OVERALL = (48, 81)
SESSIONS = {"S1": "2024-06-12", "S2": "2024-06-26", "S3": "2024-07-10", "S4": "2024-07-24"}
# Attendees per team, mean person score before, and the team's offset after (points).
TEAMS = {
    "T01": (17, 47, 0.0),
    "T02": (16, 61, 2.0),  # the "nine in ten above 50%" team before
    "T03": (14, 41, -2.0),  # the "two in ten above 50%" team before
    "T04": (14, 46, 1.0),
    "T05": (13, 45, -1.0),
    "T06": (6, 50, 1.0),  # fewer than 11: suppressed in team tables
}
ROLE_MIX = {
    "T01": {"low_intensity": 0.9, "admin_management": 0.1},
    "T02": {"high_intensity": 0.9, "admin_management": 0.1},
    "T03": {"low_intensity": 0.9, "admin_management": 0.1},
    "T04": {"high_intensity": 0.9, "admin_management": 0.1},
    "T05": {"admin_management": 0.8, "low_intensity": 0.2},
    "T06": {"employment_support": 1.0},
}
PRE_PERSON_SD, PRE_ANSWER_SD = 10.0, 9.0
POST_PERSON_SD, POST_ANSWER_SD = 6.0, 6.0
PRE_POST_CORRELATION = 0.4  # within a team, higher starters finish a little higher
N_PRE_ONLY = 5
LATE_DAYS = 46
LOW_AFTER_SCORE = 44.0  # the one attendee still below 50% after
FOLLOW_UP_DAYS = 91
CODE_LETTERS = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))  # no 0/O or 1/I to misread


def _standardised(z: np.ndarray, groups: np.ndarray) -> np.ndarray:
    # Exact team means and SDs keep the planted team structure independent of sampling luck.
    out = np.empty_like(z)
    for g in np.unique(groups):
        part = z[groups == g]
        out[groups == g] = (part - part.mean()) / part.std()
    return out


def _calibrated(x: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Shift each column of ``x`` until its rounded, 0-100 clipped mean is on the target (clipping moves it)."""
    shift = targets - x.mean(axis=0)
    for _ in range(30):
        values = np.clip(np.rint(x + shift), 0, 100)
        shift += targets - values.mean(axis=0)
    return np.clip(np.rint(x + shift), 0, 100).astype(int)


def _codes(rng: np.random.Generator, n: int) -> list[str]:
    codes: list[str] = []
    while len(codes) < n:
        code = "".join(rng.choice(CODE_LETTERS, size=6))
        if code not in codes:
            codes.append(code)
    return codes


def generate_training(seed: int = 2024) -> dict[str, pd.DataFrame]:
    """The training confidence (long form) and its area labels as template-shaped text frames.

    Parameters
    ----------
    seed
        Random seed; the draws come from ``numpy.random.default_rng([seed, 13])``, a stream of their own.

    Returns
    -------
    dict
        ``training_confidence`` and ``training_areas``, every cell text (dates dd/mm/yyyy).

    Examples
    --------
    >>> frames = generate_training(seed=2024)
    >>> frames["training_confidence"]["participant_pid"].nunique()
    80
    """
    from ttwell.inputs.templates import TEMPLATES

    rng = np.random.default_rng([seed, TRAINING_STREAM])
    n_areas = len(PUBLISHED_AREAS)
    team = np.repeat(list(TEAMS), [size for size, _, _ in TEAMS.values()])
    n = len(team)
    codes = _codes(rng, n)
    roles = [rng.choice(list(ROLE_MIX[t]), p=list(ROLE_MIX[t].values())) for t in team]
    session = rng.choice(list(SESSIONS), size=n)
    session_date = pd.to_datetime([SESSIONS[s] for s in session])

    pre_mean = np.array([TEAMS[t][1] for t in team], dtype=float)
    post_offset = np.array([TEAMS[t][2] for t in team])
    z_pre = _standardised(rng.standard_normal(n), team)
    z_post = _standardised(PRE_POST_CORRELATION * z_pre
                           + np.sqrt(1 - PRE_POST_CORRELATION ** 2) * rng.standard_normal(n), team)
    targets_pre = np.array([a[1] for a in PUBLISHED_AREAS], dtype=float)
    targets_post = np.array([a[2] for a in PUBLISHED_AREAS], dtype=float)

    # Who returned no post form, and the one still below 50% after: drawn without overlap.
    order = rng.permutation(n)
    pre_only = np.zeros(n, bool)
    pre_only[order[:N_PRE_ONLY]] = True
    low_after, late, follow_up = order[N_PRE_ONLY], order[N_PRE_ONLY + 1], order[N_PRE_ONLY + 2]

    person_pre = pre_mean + PRE_PERSON_SD * z_pre
    person_post = PUBLISHED_OVERALL[1] + post_offset + POST_PERSON_SD * z_post
    person_post[low_after] = LOW_AFTER_SCORE
    pre = _calibrated(person_pre[:, None] + (targets_pre - targets_pre.mean())
                      + rng.normal(0, PRE_ANSWER_SD, (n, n_areas)), targets_pre)
    has_post = ~pre_only
    post = np.zeros((n, n_areas), int)
    post[has_post] = _calibrated(person_post[has_post, None] + (targets_post - targets_post.mean())
                                 + rng.normal(0, POST_ANSWER_SD, (has_post.sum(), n_areas)), targets_post)
    fade = rng.integers(0, 9, n_areas)  # follow-up: a little confidence lost in three months
    follow = np.clip(post[follow_up] - fade, 0, 100)

    # Pre forms are sent in the week before the day; post forms are mostly filled in on the day.
    pre_date = session_date - pd.to_timedelta(rng.integers(0, 8, n), unit="D")
    post_lag = np.where(rng.random(n) < 0.3, rng.integers(1, 6, n), 0)
    post_lag[late] = LATE_DAYS
    post_date = session_date + pd.to_timedelta(post_lag, unit="D")

    rows = []
    for i in np.lexsort((codes, session)):
        forms = [("pre", pre[i], pre_date[i])]
        if has_post[i]:
            forms.append(("post", post[i], post_date[i]))
        if i == follow_up:
            forms.append(("follow_up", follow, session_date[i] + pd.Timedelta(days=FOLLOW_UP_DAYS)))
        for timepoint, values, answered in forms:
            for area in range(n_areas):
                rows.append({
                    "programme_id": PROGRAMME_ID, "session_id": session[i],
                    "session_date": session_date[i].strftime("%d/%m/%Y"), "participant_pid": codes[i],
                    "team_code": team[i], "role_family": roles[i], "timepoint": timepoint,
                    "area_id": str(area + 1), "confidence_pct": str(int(values[area])),
                    "response_date": answered.strftime("%d/%m/%Y"),
                })
    confidence = pd.DataFrame(rows, columns=TEMPLATES["training_confidence"].column_names())
    areas = pd.DataFrame({"programme_id": PROGRAMME_ID, "area_id": [str(i + 1) for i in range(n_areas)],
                          "area_label": [a[0] for a in PUBLISHED_AREAS]})
    return {"training_confidence": confidence, "training_areas": areas}


def write_training(frames: dict[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Write the training frames as CSV (UTF-8, ``\\n`` line endings): byte-identical for the same seed.

    Examples
    --------
    >>> write_training(generate_training(seed=2024), "data/synthetic")  # doctest: +SKIP
    [PosixPath('data/synthetic/training_confidence.csv'), PosixPath('data/synthetic/training_areas.csv')]
    """
    from ttwell.synth.pdsa import write_template_frames

    return write_template_frames(frames, folder)
