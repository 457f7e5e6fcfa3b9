"""Reliable change of the person score (Jacobson & Truax 1991): who changed by more than measurement error."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations.prepost.matching import _one_programme, _require, person_scores
from ttwell.calculations.statistics import wilson_interval
from ttwell.errors import ParameterError

RCI_CRITICAL = 1.96
RC_CATEGORIES = ("reliable improvement", "no reliable change", "reliable deterioration")
METHOD_RELIABLE_CHANGE = ("Jacobson-Truax reliable change index: RCI = change / (SD_pre x sqrt(2 (1 - r))), reliable "
                          "when |RCI| > 1.96; shares with Wilson score intervals")


def _pre_alpha(pairs: pd.DataFrame, people: pd.DataFrame) -> tuple[float, str, str | None]:
    """Internal consistency of the area answers before training: (coefficient, its source, reason if none).

    Cronbach's alpha for three or more areas, Spearman-Brown for two (``ttwell.calculations.scales.reliability``); the
    coefficient is NaN, with the reason, when it cannot be computed or is not above 0.
    """
    from ttwell.calculations.scales.reliability import cronbach_alpha

    complete = pairs[pairs["participant_pid"].isin(people["participant_pid"])]
    items = complete.pivot(index="participant_pid", columns="area_id", values="pre")
    result = cronbach_alpha(items)
    name = result["method"].split(" (")[0]
    source = f"{name} of the {result['n_items']} area answers before training, {result['n_complete']} complete people"
    if pd.isna(result["alpha"]):
        why = result["flag"] or "the area answers do not vary"
        return np.nan, source, (f"Reliable change is left out: the reliability of the area answers before training "
                                f"could not be computed ({why}). Give a reliability coefficient as a number "
                                "(e.g. a published test-retest value) to include it.")
    if result["alpha"] <= 0:
        return np.nan, source, (f"Reliable change is left out: the {name} of the area answers before training is "
                                f"{result['alpha']:.2f} (not above 0), so it cannot scale reliable change. Give a "
                                "reliability coefficient as a number to include it.")
    return float(result["alpha"]), source, None


RC_SUMMARY_COLUMNS = ["category", "n", "share", "share_low", "share_high", "n_people", "reliability",
                      "reliability_source", "sd_pre", "method", "sem", "s_diff", "change_needed",
                      "not_estimable_reason"]


def reliable_change(pairs_or_person_scores: pd.DataFrame, *, reliability: float | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Jacobson & Truax (1991) reliable change of the person score.

    SEM = SD_pre·√(1 − r); S_diff = √2·SEM; RCI = (post − pre) / S_diff; reliable improvement when
    RCI > 1.96, reliable deterioration when RCI < −1.96. Descriptive only: no bespoke reliability exists for a
    training form, and the result depends on r.

    Parameters
    ----------
    pairs_or_person_scores : DataFrame
        Either ``pairs`` from :func:`match_pairs` (person scores are formed from it) or the output of
        :func:`person_scores` (columns ``pre, post``).
    reliability : float or "alpha"
        A reliability coefficient 0 <= r < 1 (e.g. test-retest), or "alpha" for the internal consistency of
        the area answers before training (Cronbach's alpha; Spearman-Brown for two areas). "alpha" needs
        ``pairs`` and at least 20 complete people; with fewer, reliable change is left out (below).

    Returns
    -------
    people : DataFrame
        The person-score rows with ``rci`` and ``category`` added.
    summary : DataFrame
        One row per category (``reliable improvement``, ``no reliable change``, ``reliable deterioration``) with
        ``category, n, share, share_low, share_high, n_people, reliability, reliability_source, sd_pre, method,
        sem, s_diff, change_needed, not_estimable_reason`` (``change_needed`` = 1.96·S_diff, in percentage
        points; Wilson intervals). When reliable change cannot be computed (the coefficient cannot be computed
        or is not above 0, fewer than two people, or no spread before training) nothing is raised: the counts,
        shares and ``change_needed`` are NaN and ``not_estimable_reason`` holds the sentence saying why (the
        report prints it instead of the table), so a small cohort still gets its pre/post report.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"pre": [40.0, 50.0, 60.0, 50.0], "post": [90.0, 55.0, 40.0, 50.0]})
    >>> _, summary = reliable_change(scores, reliability=0.75)
    >>> summary["n"].tolist()
    [1, 2, 1]
    """
    frame = pairs_or_person_scores
    _require(frame, ["pre", "post"], "The reliable-change input")
    is_pairs = "area_id" in frame.columns
    if is_pairs:
        _one_programme(frame)
    people = person_scores(frame) if is_pairs else frame.copy()
    if isinstance(reliability, str):
        if reliability.strip().lower() != "alpha":
            try:
                reliability = float(reliability)
            except ValueError:
                raise ParameterError(f"reliability must be a number between 0 and 1 or 'alpha'; got "
                                     f"'{reliability}'.") from None
        elif not is_pairs:
            raise ParameterError("reliability='alpha' needs the pairs table (the area answers), not person scores; "
                                 "pass the pairs from match_pairs or give a number.")
    reason = None
    if isinstance(reliability, str):
        r, source, reason = _pre_alpha(frame, people)
    else:
        r = float(reliability)
        if not 0 <= r < 1:
            raise ParameterError(f"reliability must be at least 0 and below 1; got {r:g}.")
        source = "coefficient given by the user"
    n_people = len(people)
    sd_pre = float(people["pre"].std(ddof=1)) if n_people >= 2 else np.nan
    sem = sd_pre * np.sqrt(1 - r)
    s_diff = np.sqrt(2 * sem**2)
    if reason is None and n_people < 2:
        reason = "Reliable change is left out: it needs at least two people with before and after scores."
    elif reason is None and not s_diff > 0:
        reason = ("Reliable change is left out: everyone gave the same score before training, so reliable change "
                  "(which scales by the spread before training) cannot be computed.")
    common = {"n_people": n_people, "reliability": r, "reliability_source": source, "sd_pre": sd_pre,
              "method": METHOD_RELIABLE_CHANGE}
    if reason is not None:
        people["rci"] = np.nan
        people["category"] = None
        rows = [{"category": c, "n": np.nan, "share": np.nan, "share_low": np.nan, "share_high": np.nan, **common,
                 "sem": np.nan, "s_diff": np.nan, "change_needed": np.nan, "not_estimable_reason": reason}
                for c in RC_CATEGORIES]
        return people.reset_index(drop=True), pd.DataFrame(rows, columns=RC_SUMMARY_COLUMNS)
    people["rci"] = (people["post"] - people["pre"]) / s_diff
    people["category"] = np.select([people["rci"] > RCI_CRITICAL, people["rci"] < -RCI_CRITICAL],
                                   ["reliable improvement", "reliable deterioration"], "no reliable change")
    rows = []
    for category in RC_CATEGORIES:
        n = int((people["category"] == category).sum())
        share, low, high = wilson_interval(n, n_people)
        rows.append({"category": category, "n": n, "share": share, "share_low": low, "share_high": high, **common,
                     "sem": sem, "s_diff": s_diff, "change_needed": RCI_CRITICAL * s_diff,
                     "not_estimable_reason": None})
    return people.reset_index(drop=True), pd.DataFrame(rows, columns=RC_SUMMARY_COLUMNS)
