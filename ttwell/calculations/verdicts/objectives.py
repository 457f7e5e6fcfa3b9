"""Objective ratings (replacing the RAG summary of ``sections.objectives_view``): each objective rated from the
verdicts of its evidence by one stated rule, ``OBJECTIVE_RULE``.
"""

from __future__ import annotations

import pandas as pd

from ttwell.calculations.verdicts.indicators import IndicatorVerdict

OBJECTIVE_RULE = (
    "An objective is improving when more than half of its pieces of evidence are 'improved' and none is 'worse' "
    "or 'mixed evidence'; worsening in the mirror case; no clear change when none of its evidence shows a change; "
    "mixed evidence otherwise; no evidence when nothing is mapped to it. So an objective cannot be improving when "
    "most of its evidence shows no clear change.")

OBJECTIVE_WORDS = ("improving", "worsening", "no clear change", "mixed evidence", "no evidence")


def objective_rating(verdicts: list[str]) -> str:
    """Apply ``OBJECTIVE_RULE`` to the verdicts of one objective's evidence.

    >>> objective_rating(["improved", "no clear change", "no clear change"]), objective_rating(["improved", "improved", "no clear change"])
    ('mixed evidence', 'improving')
    """
    verdicts = [v.split(":")[0] for v in verdicts if v and v.split(":")[0] != "no evidence"]
    if not verdicts:
        return "no evidence"
    better = sum(v == "improved" for v in verdicts)
    worse = sum(v == "worse" for v in verdicts)
    mixed = sum(v == "mixed evidence" for v in verdicts)
    if better > len(verdicts) / 2 and not worse and not mixed:
        return "improving"
    if worse > len(verdicts) / 2 and not better and not mixed:
        return "worsening"
    if not better and not worse and not mixed:
        return "no clear change"
    return "mixed evidence"


JUDGEMENT_TO_VERDICT = {"green": "improved", "red": "worse", "amber": "no clear change", "grey": "no evidence"}


def objective_ratings(evidence: pd.DataFrame, objectives: dict, indicator_verdicts: dict | None = None,
                      survey: pd.DataFrame | None = None) -> pd.DataFrame:
    """Objective ratings by ``OBJECTIVE_RULE`` from the evidence table of ``sections.objectives_view``.

    Workforce evidence takes its reconciled verdict from ``indicator_verdicts`` (indicator id -> IndicatorVerdict
    or verdict text) when given; survey evidence takes the Holm-adjusted verdict from ``survey`` (output of
    ``survey_multiplicity``) when given; other evidence maps its RAG judgement (green improved, red worse, amber no
    clear change).

    Returns
    -------
    pandas.DataFrame
        ``objective, label, n_evidence, n_improved, n_worse, n_mixed, rating``; ``attrs["evidence"]`` is the
        evidence table with a ``verdict`` column.
    """
    indicator_verdicts = indicator_verdicts or {}
    survey_v = {}
    if survey is not None and len(survey):
        survey_v = dict(zip(survey["instrument"] + "." + survey["score"], survey["verdict"]))
    verdicts = []
    for r in evidence.itertuples():
        if r.kind == "workforce" and r.id in indicator_verdicts:
            v = indicator_verdicts[r.id]
            verdicts.append(v.verdict if isinstance(v, IndicatorVerdict) else str(v).split(":")[0])
        elif r.kind == "survey" and r.id in survey_v:
            verdicts.append(survey_v[r.id])
        else:
            verdicts.append(JUDGEMENT_TO_VERDICT.get(r.judgement, "no evidence"))
    evidence = evidence.assign(verdict=verdicts)
    rows = []
    for objective, spec in objectives.items():
        got = evidence.loc[evidence["objective"] == objective, "verdict"].tolist()
        rows.append({"objective": objective, "label": spec.get("label", objective), "n_evidence": len(got),
                     "n_improved": got.count("improved"), "n_worse": got.count("worse"),
                     "n_mixed": got.count("mixed evidence"), "rating": objective_rating(got)})
    out = pd.DataFrame(rows, columns=["objective", "label", "n_evidence", "n_improved", "n_worse", "n_mixed",
                                      "rating"])
    out.attrs["evidence"] = evidence
    return out


def objective_sentence(row) -> str:
    """'Wellbeing foundations: no clear change (0 of 6 pieces of evidence improved, 0 worse, 1 mixed).'"""
    if row["rating"] == "no evidence":
        return f"{row['label']}: no evidence mapped to this objective in the data."
    return (f"{row['label']}: {row['rating']} ({row['n_improved']} of {row['n_evidence']} pieces of evidence "
            f"improved, {row['n_worse']} worse, {row['n_mixed']} mixed).")
