"""Survey multiplicity (issue 11 item 4): survey scores counted once per construct, with a Holm adjustment.

``MULTIPLICITY_RULE`` states the rule; :func:`primary_scores` says which scores are primary,
:func:`survey_multiplicity` adjusts and judges them, :func:`survey_count_sentence` writes the summary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations.statistics import chance_improvements, holm

MULTIPLICITY_RULE = (
    "Survey scores are counted once per construct: an instrument's composite (a total over the items of its "
    "subscales, or a mean of its subscales) is its primary score and those subscales are secondary; a score that "
    "is not part of a composite is primary. p-values are Holm-adjusted within the primary scores (Holm 1979), "
    "and within all scores for a secondary score; a score improved beyond chance when its adjusted p < 0.05 and "
    "its change is in the better direction.")


def primary_scores(instrument) -> dict:
    """Which of an instrument's scores are primary (counted once) and which are secondary.

    Rule (``MULTIPLICITY_RULE``): a composite is primary and the subscales it is built from are secondary. A
    composite is a ``composites`` entry of the instrument YAML: either a mean of named subscales (NQPS9
    engagement) or a total over items (WRQoL overall, BPNSW total need satisfaction), whose subscales are those
    whose items all belong to it. Every other score (OLBI exhaustion and disengagement, WRQoL item 24, JOY's two
    items) is primary.

    Returns
    -------
    dict
        ``score_id -> "primary"`` or ``"secondary of <composite>"``.

    >>> from ttwell.calculations import scales
    >>> primary_scores(scales.load_instrument("NQPS9"))
    {'motivation': 'secondary of engagement', 'involvement': 'secondary of engagement', 'advocacy': 'secondary of engagement', 'engagement': 'primary'}
    """
    out = {}
    parents = {}
    for comp in instrument.composites:
        for sub in comp.subscales:
            parents[sub] = comp.id
    totals = [s for s in instrument.subscales if s.kind == "total"]
    for total in totals:
        for sub in instrument.subscales:
            if sub.kind != "total" and sub.id not in parents and set(sub.items) <= set(total.items):
                parents[sub.id] = total.id
    for score_id in instrument.score_ids:
        out[score_id] = f"secondary of {parents[score_id]}" if score_id in parents else "primary"
    return out


def survey_multiplicity(survey: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Survey year comparison with each score marked primary/secondary, Holm-adjusted p and a verdict.

    Parameters
    ----------
    survey : pandas.DataFrame
        ``sections.survey_year_comparison(...).table``: ``instrument, score, difference, p, judgement`` (judgement
        green/red/amber, from which the better direction is read) and the other columns of
        ``impact.scale_comparison``.

    Returns
    -------
    pandas.DataFrame
        The input plus ``role`` ("primary" / "secondary of ..."), ``p_holm`` (within primary scores; within all
        scores for a secondary one) and ``verdict`` (improved / worse / no clear change); ``attrs["rule"]`` is
        ``MULTIPLICITY_RULE``, ``attrs["chance"]`` the ``chance_improvements`` of the primary family.
    """
    from ttwell.calculations import scales

    if survey is None or survey.empty:
        out = pd.DataFrame(columns=[*(survey.columns if survey is not None else []), "role", "p_holm", "verdict"])
        out.attrs.update({"rule": MULTIPLICITY_RULE, "chance": chance_improvements(0, alpha)})
        return out
    roles = {}
    for instrument_id in survey["instrument"].unique():
        roles[instrument_id] = primary_scores(scales.load_instrument(instrument_id))
    out = survey.copy()
    out["role"] = [roles[i].get(s, "primary") for i, s in zip(out["instrument"], out["score"])]
    primary = out["role"] == "primary"
    p_all = holm(out["p"].to_numpy(float))
    p_primary = np.full(len(out), np.nan)
    p_primary[primary.to_numpy()] = holm(out.loc[primary, "p"].to_numpy(float))
    out["p_holm"] = np.where(primary, p_primary, p_all)
    # The better direction: the unadjusted judgement is green for a change in the better direction beyond chance,
    # red for the worse; for amber rows the direction does not matter (no verdict of change).
    direction = out["judgement"].map({"green": 1, "red": -1}).fillna(0)
    sig = out["p_holm"] < alpha
    out["verdict"] = np.where(sig & (direction > 0), "improved", np.where(sig & (direction < 0), "worse",
                                                                          "no clear change"))
    out.attrs.update({"rule": MULTIPLICITY_RULE, "chance": chance_improvements(int(primary.sum()), alpha)})
    return out


def survey_count_sentence(table: pd.DataFrame) -> str:
    """The survey summary sentence: primary scores only, Holm-adjusted, with what chance alone would give.

    Branches: no scores; none improved; some improved (and some worse or not).
    """
    if table is None or table.empty:
        return "No survey scores were compared between the two years."
    primary = table[table["role"] == "primary"]
    chance = table.attrs.get("chance") or chance_improvements(len(primary))
    better = primary[primary["verdict"] == "improved"]["label"].tolist()
    worse = primary[primary["verdict"] == "worse"]["label"].tolist()
    text = (f"In the staff survey, {len(better)} of {len(primary)} primary scores (each instrument's composite, "
            "or its separate scales, counted once) improved beyond chance after a Holm adjustment")
    if better:
        text += f" ({', '.join(better)})"
    if worse:
        text += f"; {len(worse)} worsened ({', '.join(worse)})"
    text += (f". With {len(primary)} scores and no real change, chance alone would give about "
             f"{chance['expected']:.1f} 'improvements' at p < 0.05 without adjustment.")
    return text
