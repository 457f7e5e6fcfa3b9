"""Matching pre and post training forms: pairs per area, person scores, and the checks every pre/post function shares."""

from __future__ import annotations

import pandas as pd

from ttwell.errors import AnalysisError, ParameterError

KEYS = ["programme_id", "participant_pid", "area_id"]
REQUIRED_COLUMNS = ["programme_id", "participant_pid", "timepoint", "area_id", "confidence_pct"]
OVERALL = "overall"
OVERALL_LABEL = "Overall (person score: mean of all areas)"
DEFAULT_THRESHOLD = 50.0
PERSON_SCORE_RULE = ("person score = mean of a person's area answers at a timepoint, only when every area was "
                     "answered at that timepoint")


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AnalysisError(f"{what} has no column(s) {', '.join(missing)}; pass the table from "
                            f"ttwell.inputs.io.read_training (or match_pairs for pairs).")


def _one_programme(frame: pd.DataFrame) -> str | None:
    programmes = frame["programme_id"].dropna().unique()
    if len(programmes) > 1:
        raise AnalysisError(f"The data hold {len(programmes)} training programmes ({', '.join(map(str, programmes))}); "
                            "analyse one at a time, e.g. pairs[pairs['programme_id'] == 'X'].")
    return programmes[0] if len(programmes) else None


def _check_threshold(threshold: float) -> float:
    try:
        threshold = float(threshold)
    except (TypeError, ValueError):
        raise ParameterError(f"The threshold must be a number of percent (0-100); got '{threshold}'.") from None
    if not 0 <= threshold <= 100:
        raise ParameterError(f"The threshold must be between 0 and 100 percent; got {threshold:g}.")
    return threshold


def match_pairs(responses: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pair each person's pre and post answer per area, and count what could not be paired.

    Matching is on (``programme_id``, ``participant_pid``, ``area_id``), never on row order. Follow-up answers
    are ignored here. Nothing is imputed: an answer without its partner is counted as pre-only or post-only.

    Parameters
    ----------
    responses : DataFrame
        Long table from ``ttwell.inputs.io.read_training``.

    Returns
    -------
    pairs : DataFrame
        Matched answers only, one row per ``programme_id, participant_pid, area_id``, with columns
        ``programme_id, participant_pid, area_id, team_code, role_family, pre, post, change``.
        Team and role are taken from the pre form (from the post form when the pre form left them blank).
    matching : DataFrame
        One row per programme and area plus an ``overall`` row per programme, with columns
        ``programme_id, area, unit, n_matched, n_pre_only, n_post_only``. Area rows count answers (= people
        answering that area); the overall row counts people: matched = a pre and a post form for at least one
        area, plus ``n_matched_all_areas`` = people whose every area is matched (those in the overall result).

    Examples
    --------
    >>> import pandas as pd
    >>> responses = pd.DataFrame({"programme_id": "P", "participant_pid": ["a", "a", "b"],
    ...                           "timepoint": ["pre", "post", "pre"], "area_id": 1,
    ...                           "confidence_pct": [40.0, 70.0, 55.0]})
    >>> pairs, matching = match_pairs(responses)
    >>> matching.loc[0, ["n_matched", "n_pre_only", "n_post_only"]].tolist()
    [1, 1, 0]
    """
    _require(responses, REQUIRED_COLUMNS, "The responses table")
    frame = responses[responses["timepoint"].isin(["pre", "post"])].copy()
    for column in ("team_code", "role_family"):
        if column not in frame.columns:
            frame[column] = pd.NA
    frame = frame.dropna(subset=["confidence_pct"])
    duplicated = frame.duplicated(KEYS + ["timepoint"], keep=False)
    if duplicated.any():
        first = frame.loc[duplicated, KEYS + ["timepoint"]].iloc[0].tolist()
        raise AnalysisError(f"{int(duplicated.sum())} answers are duplicated (same programme, participant, area and "
                            f"timepoint; first: {first}). Remove the repeats before matching: ttwell never "
                            "chooses or averages between two answers.")

    wide = frame.pivot(index=KEYS, columns="timepoint", values="confidence_pct")
    wide = wide.reindex(columns=["pre", "post"]).astype(float)
    # Team and role from the pre form first: that is who attended; a blank falls back to the post form.
    people = (frame.assign(_order=frame["timepoint"].map({"pre": 0, "post": 1}))
              .sort_values("_order", kind="stable")
              .groupby(["programme_id", "participant_pid"], sort=False)[["team_code", "role_family"]]
              .first())
    wide = wide.reset_index().merge(people.reset_index(), on=["programme_id", "participant_pid"], how="left")
    has_pre, has_post = wide["pre"].notna(), wide["post"].notna()

    pairs = wide[has_pre & has_post].copy()
    pairs["change"] = pairs["post"] - pairs["pre"]
    pairs = (pairs[["programme_id", "participant_pid", "area_id", "team_code", "role_family", "pre", "post", "change"]]
             .sort_values(KEYS, kind="stable").reset_index(drop=True))

    flags = wide.assign(matched=has_pre & has_post, pre_only=has_pre & ~has_post, post_only=~has_pre & has_post)
    rows = []
    for (programme, area), part in flags.groupby(["programme_id", "area_id"], sort=True):
        rows.append({"programme_id": programme, "area": area, "unit": "answers",
                     "n_matched": int(part["matched"].sum()), "n_pre_only": int(part["pre_only"].sum()),
                     "n_post_only": int(part["post_only"].sum()), "n_matched_all_areas": pd.NA})
    for programme, part in flags.groupby("programme_id", sort=True):
        n_areas = part["area_id"].nunique()
        per_person = part.groupby("participant_pid").agg(pre=("pre", "count"), post=("post", "count"),
                                                         matched=("matched", "sum"))
        rows.append({"programme_id": programme, "area": OVERALL, "unit": "people",
                     "n_matched": int(((per_person["pre"] > 0) & (per_person["post"] > 0)).sum()),
                     "n_pre_only": int(((per_person["pre"] > 0) & (per_person["post"] == 0)).sum()),
                     "n_post_only": int(((per_person["pre"] == 0) & (per_person["post"] > 0)).sum()),
                     "n_matched_all_areas": int((per_person["matched"] == n_areas).sum())})
    matching = pd.DataFrame(rows, columns=["programme_id", "area", "unit", "n_matched", "n_pre_only", "n_post_only",
                                           "n_matched_all_areas"])
    return pairs, matching


def person_scores(pairs: pd.DataFrame) -> pd.DataFrame:
    """Person scores before and after: the mean of a person's matched area answers, complete people only.

    A person is included only when every area that appears in ``pairs`` (for the programme) is matched for them,
    so the pre and post scores average the same areas.

    Returns columns ``programme_id, participant_pid, team_code, role_family, n_areas, pre, post, change``.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"programme_id": "P", "participant_pid": ["a", "a", "b"], "area_id": [1, 2, 1],
    ...                       "team_code": "T", "role_family": "R", "pre": [40.0, 60.0, 30.0],
    ...                       "post": [80.0, 90.0, 50.0]})
    >>> person_scores(pairs)[["participant_pid", "pre", "post"]].to_dict("records")
    [{'participant_pid': 'a', 'pre': 50.0, 'post': 85.0}]
    """
    _require(pairs, ["programme_id", "participant_pid", "area_id", "pre", "post"], "The pairs table")
    columns = ["programme_id", "participant_pid", "team_code", "role_family", "n_areas", "pre", "post", "change"]
    frames = []
    for _, part in pairs.groupby("programme_id", sort=True):
        n_areas = part["area_id"].nunique()
        extra = {c: (c, "first") for c in ("team_code", "role_family") if c in part.columns}
        people = (part.groupby(["programme_id", "participant_pid"], sort=True)
                  .agg(n_areas=("area_id", "nunique"), pre=("pre", "mean"), post=("post", "mean"), **extra)
                  .reset_index())
        frames.append(people[people["n_areas"] == n_areas])
    if not frames:
        return pd.DataFrame(columns=columns)
    people = pd.concat(frames, ignore_index=True)
    for column in ("team_code", "role_family"):
        if column not in people.columns:
            people[column] = pd.NA
    people["change"] = people["post"] - people["pre"]
    return people[columns].reset_index(drop=True)
