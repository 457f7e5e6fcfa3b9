"""One reconciled verdict per indicator (issue 11 item 3): the readings of each source combined by one rule.

``VERDICT_RULE`` states the rule in words; :func:`indicator_verdict` applies it and writes the one sentence
printed for the indicator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ttwell.calculations.verdicts.readings import (BETTER, MISSING, NONE, READING_PHRASES, WORSE, interval_reading,
                                                   its_clause, year_clause)

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


VERDICT_WORDS = {"improved": "improved", "no clear change": "no clear change", "worse": "worse"}
SOURCES = ("year comparison", "interrupted time series", "SPC")


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
