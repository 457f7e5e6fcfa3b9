"""One reconciled verdict per indicator, ITS sensitivity analyses, objective ratings and survey multiplicity.

The annual report looks at each indicator three ways: the whole-year comparison (``impact.year_comparison``),
the interrupted time series (``impact.its``) and the SPC chart (``spc.xmr``). This module reads each source in
the indicator's better direction, combines the readings by one stated rule (``VERDICT_RULE``), rates each
objective from its evidence by another (``OBJECTIVE_RULE``), and counts survey scores once per construct with a
Holm adjustment (``MULTIPLICITY_RULE``). Every sentence it writes states the figures it rests on, and each branch
of each sentence has a test (``tests/test_verdicts.py``).

Example
-------
>>> combine_readings({"year comparison": "better", "interrupted time series": "better", "SPC": "no clear change"})
('improved', '')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ttwell.calculations.statistics import chance_improvements, holm
from ttwell.errors import ParameterError

BETTER, WORSE, NONE, MISSING = "better", "worse", "no clear change", "not available"

VERDICT_RULE = (
    "Each indicator is read three ways, each in its better direction: the whole-year comparison (better or worse "
    "when the 95% interval of the change excludes no change), the interrupted time series (better or worse when "
    "the 95% interval of its headline effect excludes no change and the conclusion survives every sensitivity "
    "analysis; the headline is the effect at the end of the evaluation year, or the level change at the start "
    "when the end-of-year counterfactual lies outside the range of the observed months, which makes it an "
    "extrapolation) and the SPC chart (better or worse when the evaluation months show special-cause improvement "
    "or concern). Improved: more than half of the available readings are better and none is worse. Worse: the "
    "mirror image. No clear change: no reading is better or worse. Otherwise: mixed evidence, naming which "
    "reading says what.")

OBJECTIVE_RULE = (
    "An objective is improving when more than half of its pieces of evidence are 'improved' and none is 'worse' "
    "or 'mixed evidence'; worsening in the mirror case; no clear change when none of its evidence shows a change; "
    "mixed evidence otherwise; no evidence when nothing is mapped to it. So an objective cannot be improving when "
    "most of its evidence shows no clear change.")

MULTIPLICITY_RULE = (
    "Survey scores are counted once per construct: an instrument's composite (a total over the items of its "
    "subscales, or a mean of its subscales) is its primary score and those subscales are secondary; a score that "
    "is not part of a composite is primary. p-values are Holm-adjusted within the primary scores (Holm 1979), "
    "and within all scores for a secondary score; a score improved beyond chance when its adjusted p < 0.05 and "
    "its change is in the better direction.")

VERDICT_WORDS = {"improved": "improved", "no clear change": "no clear change", "worse": "worse"}
SOURCES = ("year comparison", "interrupted time series", "SPC")


# ----------------------------------------------------------------------------------------------------------------
# Readings of one source
# ----------------------------------------------------------------------------------------------------------------

def interval_reading(low: float, high: float, better: str, null: float = 0.0) -> str:
    """'better', 'worse' or 'no clear change' from a 95% interval of a change, given the better direction.

    Parameters
    ----------
    low, high : float
        Interval of the change (a difference: null 0; a rate ratio: null 1).
    better : {"down", "up"}
        Which direction is better for the indicator.
    null : float
        The value meaning no change.

    >>> interval_reading(-0.03, -0.01, "down"), interval_reading(0.9, 1.2, "down", null=1), interval_reading(1.1, 1.3, "down", 1)
    ('better', 'no clear change', 'worse')
    """
    if better not in ("down", "up"):
        raise ParameterError(f"better must be 'down' or 'up'; got '{better}'.")
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return MISSING
    if low > null:
        return BETTER if better == "up" else WORSE
    if high < null:
        return BETTER if better == "down" else WORSE
    return NONE


def spc_reading(chart=None, *, icon: str | None = None, evaluation_start=None) -> str:
    """The SPC reading of the evaluation months: 'better', 'worse', 'no clear change' or 'mixed'.

    From a chart (``spc.xmr`` result) the points dated on or after ``evaluation_start`` are read: any
    special-cause improvement and no concern is 'better', concern and no improvement 'worse', both 'mixed', neither
    'no clear change'. Without a chart, the Making Data Count variation icon (``improvement_high/low``,
    ``concern_high/low``, ``common_cause``, ``neutral_*``) is read the same way.

    >>> spc_reading(icon="improvement_low"), spc_reading(icon="concern_high"), spc_reading(icon="common_cause")
    ('better', 'worse', 'no clear change')
    """
    if chart is not None:
        points = chart.points
        if evaluation_start is not None:
            points = points[points["date"] >= pd.Timestamp(evaluation_start)]
        types = set(points["point_type"].dropna())
        good, bad = "special_cause_improvement" in types, "special_cause_concern" in types
        return "mixed" if good and bad else BETTER if good else WORSE if bad else NONE
    if icon is None or (isinstance(icon, float) and np.isnan(icon)):
        return MISSING
    if icon.startswith("improvement"):
        return BETTER
    if icon.startswith("concern"):
        return WORSE
    return NONE


def its_headline(result) -> str:
    """Which ITS effect may be the headline: 'effect_at_end', unless its counterfactual is an extrapolation
    (outside the range of the observed months) or the model has no slope change, then 'level_change'."""
    names = set(result.effects["effect"])
    if result.diagnostics.get("extrapolation") or "slope_change" not in names:
        return "level_change"
    return "effect_at_end"


def _effect_reading(result, effect: str, better: str) -> str:
    row = result.effects.set_index("effect").loc[effect]
    null = 1.0 if row["scale"] == "rate ratio" else 0.0
    return interval_reading(row["ci_low"], row["ci_high"], better, null)


# ----------------------------------------------------------------------------------------------------------------
# Sensitivity analyses (statistics spec 2.3; issue 11 item 2)
# ----------------------------------------------------------------------------------------------------------------

SENSITIVITY_COLUMNS = ["analysis", "effect", "estimate", "ci_low", "ci_high", "scale", "reading", "agrees",
                       "model"]


def its_sensitivity(data: pd.DataFrame, *, better: str, effect: str | None = None, variance: str = "latent_ar1",
                    phase_in: int = 3, **its_kwargs) -> pd.DataFrame:
    """The main ITS and its sensitivity analyses, with whether each agrees with the main conclusion.

    Parameters
    ----------
    data : pandas.DataFrame
        As for ``impact.its``.
    better : {"down", "up"}
        The indicator's better direction.
    effect : str, optional
        The effect whose conclusion is checked; default the main model's headline (``its_headline``).
    variance : str
        Variance method of the main model (default the autocorrelation-robust ``"latent_ar1"``).
    phase_in : int
        Months after the start left out in the phase-in analysis (default 3).
    **its_kwargs
        Passed to ``impact.its`` (``date, value`` or ``count, denominator, start, seasonal, lag, end_of_year,
        impact``).

    Returns
    -------
    pandas.DataFrame
        One row per analysis: ``analysis, effect, estimate, ci_low, ci_high, scale, reading, agrees, model``;
        ``attrs["survives"]`` is True when every analysis agrees with the main one, ``attrs["main"]`` is the main
        ``ITSResult`` and ``attrs["effect"]`` the effect checked. Analyses:

        * main model;
        * without the pre-trend (``trend=False``, level change only): the counterfactual is the pre-strategy level,
          so nothing is extrapolated;
        * level change only, trend kept (no slope change);
        * Newey-West (HAC) intervals with lag 1 and with twice the rule-of-thumb lag (the lag varied);
        * leaving out the first ``phase_in`` months after the start.

        A reading is 'better', 'worse' or 'no clear change' (``interval_reading``); in the models without a slope
        change the effect at the end equals the level change.
    """
    from ttwell.calculations import impact

    impact_model = its_kwargs.pop("impact", "level+slope")
    main = impact.its(data, variance=variance, impact=impact_model, **its_kwargs)
    effect = effect or its_headline(main)
    n = main.diagnostics["n"]
    rule = impact.newey_west_lag(n) if its_kwargs.get("lag") is None else int(its_kwargs["lag"])
    kwargs = {k: v for k, v in its_kwargs.items() if k != "lag"}
    runs = [("main model", main)]
    runs.append(("without the pre-trend (level change only)",
                 impact.its(data, variance=variance, impact="level", trend=False, **kwargs)))
    if impact_model != "level":
        runs.append(("level change only (pre-trend kept, no slope change)",
                     impact.its(data, variance=variance, impact="level", **kwargs)))
    for lag in sorted({1, max(2 * rule, 2)}):
        runs.append((f"Newey-West intervals, lag {lag}",
                     impact.its(data, variance="hac", lag=lag, impact=impact_model, **kwargs)))
    runs.append((f"leaving out the first {phase_in} months after the start",
                 impact.its(data, variance=variance, impact=impact_model, exclude_after_start=phase_in,
                            **its_kwargs)))
    rows = []
    for name, fit in runs:
        names = set(fit.effects["effect"])
        used = effect if effect in names else "level_change"
        row = fit.effects.set_index("effect").loc[used]
        rows.append({"analysis": name, "effect": used, "estimate": row["estimate"], "ci_low": row["ci_low"],
                     "ci_high": row["ci_high"], "scale": row["scale"], "reading": _effect_reading(fit, used, better),
                     "model": fit.model})
    table = pd.DataFrame(rows)
    table["agrees"] = table["reading"] == table["reading"].iloc[0]
    table = table[SENSITIVITY_COLUMNS]
    table.attrs.update({"survives": bool(table["agrees"].all()), "main": main, "effect": effect})
    return table


def sensitivity_sentence(label: str, table: pd.DataFrame) -> str:
    """'Sickness absence: the conclusion (no clear change) survives all 5 sensitivity analyses.' or which fail.

    >>> t = pd.DataFrame({"analysis": ["main model", "x"], "reading": ["better", "no clear change"], "agrees": [True, False]})
    >>> sensitivity_sentence("Sickness", t)
    'Sickness: the interrupted time series conclusion (better) does not survive the sensitivity analyses: x gives no clear change.'
    """
    main = table["reading"].iloc[0]
    others = table.iloc[1:]
    failed = others[~others["agrees"]]
    if failed.empty:
        return (f"{label}: the interrupted time series conclusion ({main}) survives all {len(others)} sensitivity "
                "analyses.")
    return (f"{label}: the interrupted time series conclusion ({main}) does not survive the sensitivity analyses: "
            + "; ".join(f"{r.analysis} gives {r.reading}" for r in failed.itertuples()) + ".")


def its_summary_sentence(label: str, table: pd.DataFrame, percent: bool = False) -> str:
    """The ITS sentence for a report (replaces ``narrative.its_sentence``): the headline effect allowed by
    ``its_headline`` (never an extrapolated counterfactual), its reading, and whether it survives the sensitivity
    analyses of ``its_sensitivity``.

    Branches: survives or not; extrapolated (the end-of-year effect named as unused) or not.
    """
    main = table.attrs["main"]
    clause = its_clause(main, table.attrs["effect"], percent=percent)
    reading = table["reading"].iloc[0]
    n = len(table) - 1
    if table.attrs["survives"]:
        tail = f"{READING_PHRASES[reading]}, and this survives all {n} sensitivity analyses"
    else:
        failed = table.iloc[1:][~table.iloc[1:]["agrees"]]
        tail = (f"{READING_PHRASES[reading]} in the main model, but not in {len(failed)} of {n} sensitivity "
                f"analyses ({'; '.join(failed['analysis'])}), so it is not a robust finding")
    return f"{label}: {clause[0].upper()}{clause[1:]}: {tail}."


# ----------------------------------------------------------------------------------------------------------------
# One verdict per indicator (issue 11 item 3)
# ----------------------------------------------------------------------------------------------------------------

def combine_readings(readings: dict) -> tuple[str, str]:
    """Apply ``VERDICT_RULE`` to the readings of each source; returns (verdict, why).

    ``readings`` maps a source name to 'better', 'worse', 'no clear change', 'mixed' or 'not available'.
    A source reading 'mixed' (an SPC chart with both improvement and concern) counts as neither better nor worse
    but makes the verdict mixed.

    >>> combine_readings({"year comparison": "better", "SPC": "worse"})
    ('mixed evidence', 'the year comparison shows an improvement but the SPC shows a worsening')
    >>> combine_readings({"year comparison": "no clear change", "SPC": "better", "interrupted time series": "no clear change"})
    ('mixed evidence', 'only the SPC shows an improvement; the year comparison and the interrupted time series show no clear change')
    """
    available = {k: v for k, v in readings.items() if v != MISSING}
    if not available:
        return "no evidence", "no source could be read"
    better = [k for k, v in available.items() if v == BETTER]
    worse = [k for k, v in available.items() if v == WORSE]
    mixed = [k for k, v in available.items() if v == "mixed"]
    none = [k for k, v in available.items() if v == NONE]
    half = len(available) / 2
    if not worse and not mixed and len(better) > half:
        return "improved", ""
    if not better and not mixed and len(worse) > half:
        return "worse", ""
    if not better and not worse and not mixed:
        return "no clear change", ""

    def names(items):
        items = [f"the {k}" for k in items]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    if better and worse:
        return "mixed evidence", f"{names(better)} shows an improvement but {names(worse)} shows a worsening"
    if mixed:
        return "mixed evidence", f"{names(mixed)} shows both special-cause improvement and concern"
    moved, word = (better, "an improvement") if better else (worse, "a worsening")
    return "mixed evidence", (f"only {names(moved)} shows {word}" if len(moved) == 1 else
                              f"{names(moved)} show {word}") + (
        f"; {names(none)} show{'s' if len(none) == 1 else ''} no clear change" if none else "")


@dataclass
class IndicatorVerdict:
    """The reconciled verdict for one indicator and the pieces it rests on."""

    indicator: str
    label: str
    verdict: str
    why: str
    readings: dict
    sentence: str
    its_headline: str | None = None
    its_extrapolation: bool | None = None
    its_survives: bool | None = None
    details: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """'improved', 'no clear change', 'worse' or 'mixed evidence: <why>'."""
        return f"{self.verdict}: {self.why}" if self.verdict == "mixed evidence" else self.verdict


def indicator_verdict(indicator: str, label: str, *, better: str, year: pd.Series | dict | None = None,
                      its_sensitivity_table: pd.DataFrame | None = None, spc: str | None = None,
                      percent: bool = True) -> IndicatorVerdict:
    """Combine the year comparison, the ITS (with its sensitivity analyses) and the SPC reading by ``VERDICT_RULE``.

    Parameters
    ----------
    indicator, label : str
    better : {"down", "up"}
    year : row of ``impact.year_comparison`` (service level), optional
        Needs ``value_baseline, value_evaluation, absolute_change, ci_low, ci_high``.
    its_sensitivity_table : output of ``its_sensitivity``, optional
        Its main model's headline effect is read, and counts as 'no clear change' unless the conclusion survives
        every sensitivity analysis.
    spc : str, optional
        ``spc_reading`` of the evaluation months ('better', 'worse', 'no clear change', 'mixed').
    percent : bool
        Proportions shown as percentages (the year values and a difference-scale ITS effect).

    Returns
    -------
    IndicatorVerdict
        ``verdict`` in {"improved", "no clear change", "worse", "mixed evidence", "no evidence"}, ``why``, the
        readings and the one ``sentence`` to print (``verdict_sentence``).
    """
    readings = {s: MISSING for s in SOURCES}
    details = {}
    if year is not None:
        year = pd.Series(year)
        readings["year comparison"] = interval_reading(year["ci_low"], year["ci_high"], better)
        details["year"] = year
    headline = extrapolation = survives = None
    if its_sensitivity_table is not None:
        main = its_sensitivity_table.attrs["main"]
        headline = its_sensitivity_table.attrs["effect"]
        extrapolation = bool(main.diagnostics.get("extrapolation"))
        survives = bool(its_sensitivity_table.attrs["survives"])
        main_reading = its_sensitivity_table["reading"].iloc[0]
        readings["interrupted time series"] = main_reading if survives else NONE
        details["its"] = main
        details["its_main_reading"] = main_reading
    if spc is not None:
        readings["SPC"] = spc
    verdict, why = combine_readings(readings)
    out = IndicatorVerdict(indicator, label, verdict, why, readings, "", headline, extrapolation, survives, details)
    out.sentence = verdict_sentence(out, percent=percent)
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def year_clause(year: pd.Series, better: str | None = None, percent: bool = True) -> str:
    """'the whole-year rate went from 5.3% to 3.6% (-1.7 points, 95% CI -3.9 to +0.5)' plus its reading."""
    scale, unit = (100, " points") if percent else (1, "")
    fmt = _pct if percent else (lambda v: f"{v:.2f}")
    text = (f"the whole-year value went from {fmt(year['value_baseline'])} to {fmt(year['value_evaluation'])} "
            f"({scale * year['absolute_change']:+.1f}{unit}")
    if pd.notna(year.get("ci_low")):
        text += f", 95% CI {scale * year['ci_low']:+.1f} to {scale * year['ci_high']:+.1f}"
    return text + ")"


def its_clause(result, effect: str, percent: bool = True) -> str:
    """The ITS effect that may be the headline, with its interval, and the extrapolation label when needed."""
    row = result.effects.set_index("effect").loc[effect]
    what = "the level change at the start" if effect == "level_change" else "the effect at the end of the year"
    if row["scale"] == "rate ratio":
        size = f"rate ratio {row['estimate']:.2f}, 95% CI {row['ci_low']:.2f} to {row['ci_high']:.2f}"
    else:
        scale = 100 if percent else 1
        size = (f"{scale * row['estimate']:+.1f}{' points' if percent else ''}, 95% CI "
                f"{scale * row['ci_low']:+.1f} to {scale * row['ci_high']:+.1f}")
    text = f"in the interrupted time series, {what} was {size}"
    diag = result.diagnostics
    if diag.get("extrapolation"):
        cf = diag["counterfactual_end"]
        side = "above every" if cf > diag["observed_max"] else "below every"
        shown = _pct(cf) if (percent or row["scale"] == "rate ratio") else f"{cf:.2f}"
        text += (f" (the effect at the end of the year is not used: its counterfactual, {shown}, is {side} "
                 "observed month, an extrapolation of the pre-strategy trend)")
    return text


READING_PHRASES = {BETTER: "an improvement clear of chance", WORSE: "a worsening clear of chance",
                   NONE: "no change clear of chance", "mixed": "both special-cause improvement and concern",
                   MISSING: "not available"}


def verdict_sentence(v: IndicatorVerdict, percent: bool = True) -> str:
    """The one sentence printed for an indicator: verdict first, then each source with its figures.

    Branches: verdict improved / worse / no clear change / mixed evidence / no evidence; year comparison
    present or not; ITS present or not, surviving its sensitivity analyses or not, extrapolated or not; SPC
    present or not.
    """
    head = {"improved": "improved", "worse": "worse", "no clear change": "no clear change",
            "mixed evidence": f"mixed evidence ({v.why})", "no evidence": "no evidence"}[v.verdict]
    parts = []
    if "year" in v.details:
        parts.append(f"{year_clause(v.details['year'], percent=percent)}, "
                     f"{READING_PHRASES[v.readings['year comparison']]}")
    if "its" in v.details:
        clause = its_clause(v.details["its"], v.its_headline, percent=percent)
        main = v.details["its_main_reading"]
        if v.its_survives:
            clause += f", {READING_PHRASES[main]}"
        else:
            clause += (f", read as {READING_PHRASES[main]} by the main model but not robust to the sensitivity "
                       "analyses, so counted as no clear change")
        parts.append(clause)
    if v.readings.get("SPC", MISSING) != MISSING:
        parts.append(f"the SPC chart of the evaluation months shows {READING_PHRASES[v.readings['SPC']]}"
                     .replace("shows no change clear of chance", "shows only common-cause variation")
                     .replace("shows an improvement clear of chance", "shows special-cause improvement")
                     .replace("shows a worsening clear of chance", "shows special-cause concern"))
    body = "; ".join(parts)
    return f"{v.label}: {head}." + (f" Evidence: {body}." if body else "")


# ----------------------------------------------------------------------------------------------------------------
# Objective ratings (replaces sections.objectives_view's RAG summary)
# ----------------------------------------------------------------------------------------------------------------

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


# ----------------------------------------------------------------------------------------------------------------
# Survey multiplicity (issue 11 item 4)
# ----------------------------------------------------------------------------------------------------------------

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

    >>> from ttwell import scales
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
