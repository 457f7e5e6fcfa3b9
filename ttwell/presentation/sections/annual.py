"""Annual evaluation sections: year comparisons (workforce and survey), the ITS evidence with its verdicts,
and the view by strategy objective."""

from __future__ import annotations

from dataclasses import dataclass
import pandas as pd

from ttwell import disclosure
from ttwell.calculations import scales
from ttwell.presentation.sections.survey import higher_is, instruments_in, score_label, waves_in_period


def visible(comparison: "YearComparison") -> pd.DataFrame:
    """The complete rows of a comparison whose disclosed row is shown: judgements and sentences are made on
    complete figures, and never about a row the report hides."""
    if comparison.complete.empty:
        return comparison.complete
    hidden = comparison.shown.table["suppressed"].to_numpy(bool)
    return comparison.complete[~hidden]


RAG_RULE = ("Green: at least one piece of evidence shows a change in the better direction whose 95% interval "
            "excludes no change (or special-cause improvement, or a PDSA change adopted with special-cause "
            "improvement), and none shows one in the worse direction. Red: the reverse. Amber: mixed evidence, or "
            "no change clear of chance. Grey: no evidence in the data.")


def load_objectives(path=None) -> dict:
    """The objectives mapping (YAML): the shipped default unless the service names its own file."""
    from importlib import resources

    import yaml

    text = (resources.files("ttwell").joinpath("resources", "objectives.yaml").read_text(encoding="utf-8")
            if path is None else open(path, encoding="utf-8").read())
    return yaml.safe_load(text)["objectives"]


def _judge(change: float, low: float, high: float, better: str) -> str:
    """Green / red / amber for one change with its interval, given which direction is better."""
    if pd.isna(change) or pd.isna(low) or pd.isna(high) or better == "context":
        return "amber" if pd.notna(change) else "grey"
    if low > 0:
        return "green" if better == "up" else "red"
    if high < 0:
        return "green" if better == "down" else "red"
    return "amber"


@dataclass
class YearComparison:
    """A year comparison computed on complete data (``complete``) and as it may be shown (``shown``)."""

    complete: pd.DataFrame
    shown: disclosure.Disclosed


def workforce_year_comparison(data, *, baseline_start, baseline_end, evaluation_start, evaluation_end,
                              policy: disclosure.Policy, options=None) -> YearComparison:
    """Baseline year against evaluation year for every workforce indicator, with a judgement.

    The judgements are made on the complete table; disclosure treats the two years as views of the same people
    (a row hidden in either year is hidden, and staff-wide figures below service level come from each year's
    rounded counts).
    """
    from ttwell.calculations import impact, workforce
    from ttwell.calculations.workforce import INDICATORS

    options = options or workforce.Options()
    table = impact.year_comparison(data, baseline_start=baseline_start, baseline_end=baseline_end,
                                   evaluation_start=evaluation_start, evaluation_end=evaluation_end, options=options)
    table["judgement"] = [_judge(r.absolute_change, r.ci_low, r.ci_high, INDICATORS.get(r.indicator, ("", "", "context"))[2])
                          for r in table.itertuples()]
    base = workforce.baseline_summary(data, baseline_start, baseline_end, options)
    evaluation = workforce.baseline_summary(data, evaluation_start, evaluation_end, options)
    return YearComparison(table, policy.year_comparison(table, base, evaluation))


def survey_year_comparison(responses: pd.DataFrame, waves: pd.DataFrame, *, baseline_start, baseline_end,
                           evaluation_start, evaluation_end, policy: disclosure.Policy) -> YearComparison:
    """Each survey score in the baseline-year wave against the evaluation-year wave (service level)."""
    from ttwell.calculations import impact

    base_waves = waves_in_period(waves, baseline_start, baseline_end)
    eval_waves = waves_in_period(waves, evaluation_start, evaluation_end)
    rows = []
    for instrument_id in instruments_in(responses):
        instrument = scales.load_instrument(instrument_id)
        settings = waves[["wave_id", *[c for c in ("ps_variant", "olbi_response_coding") if c in waves.columns]]]
        kwargs = {"variant": settings if instrument.variants else None,
                  "coding": settings if len(instrument.codings) > 1 else None}
        subset = responses[responses["instrument"] == instrument.id]
        before = subset[subset["wave_id"].isin(base_waves["wave_id"])]
        after = subset[subset["wave_id"].isin(eval_waves["wave_id"])]
        if before.empty or after.empty:
            continue
        scored_before, scored_after = scales.score(before, instrument, **kwargs), scales.score(after, instrument, **kwargs)
        for score_id in instrument.score_ids:
            row = impact.scale_comparison(scored_before, scored_after, score_id).iloc[0].to_dict()
            better = "up" if higher_is(instrument, score_id) == "better" else "down"
            rows.append({"instrument": instrument.id, "label": f"{instrument.id}: {score_label(instrument, score_id)}",
                         **row, "judgement": _judge(row["difference"], row["ci_low"], row["ci_high"], better),
                         "n_respondents": min(row["n_baseline"], row["n_evaluation"]), "level": "service"})
    table = pd.DataFrame(rows)
    if table.empty:
        return YearComparison(table, disclosure.Disclosed(table, "", 0))
    return YearComparison(table, policy.table(table, value_columns=["mean_baseline", "mean_evaluation", "difference",
                                                                    "ci_low", "ci_high"],
                                              count_columns=["n_baseline", "n_evaluation"],
                                              size_column="n_respondents", partition=[], rates=False, hr=False))


def objectives_view(objectives: dict, *, workforce: pd.DataFrame, survey: pd.DataFrame,
                    pdsa_verdicts: pd.DataFrame | None, training: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Evidence per objective and a RAG summary whose rule is ``RAG_RULE``.

    Returns (evidence, summary): evidence has ``objective, kind, id, label, finding, judgement``; summary has
    ``objective, label, n_evidence, n_green, n_red, rag``.
    """
    evidence = []
    wf = workforce[workforce["level"] == "service"].set_index("indicator") if len(workforce) else pd.DataFrame()
    sv = survey.assign(key=survey["instrument"] + "." + survey["score"]).set_index("key") if len(survey) else pd.DataFrame()
    for objective, spec in objectives.items():
        for indicator in spec.get("workforce", []):
            if indicator in wf.index:
                r = wf.loc[indicator]
                evidence.append((objective, "workforce", indicator, r["label"],
                                 f"{100 * r['value_baseline']:.1f}% to {100 * r['value_evaluation']:.1f}% "
                                 f"({100 * r['absolute_change']:+.1f} points, 95% CI {100 * r['ci_low']:+.1f} to "
                                 f"{100 * r['ci_high']:+.1f})" if pd.notna(r["ci_low"]) else "no interval", r["judgement"]))
        for key in spec.get("survey", []):
            if key in sv.index:
                r = sv.loc[key]
                evidence.append((objective, "survey", key, r["label"],
                                 f"{r['mean_baseline']:.2f} to {r['mean_evaluation']:.2f} ({r['difference']:+.2f}, 95% CI "
                                 f"{r['ci_low']:+.2f} to {r['ci_high']:+.2f})", r["judgement"]))
        for project in spec.get("pdsa", []):
            if pdsa_verdicts is not None and len(pdsa_verdicts):
                rows = pdsa_verdicts[pdsa_verdicts["project_id"] == project]
                for r in rows.itertuples():
                    judgement = ("green" if r.signal == "improvement" and r.act_decision == "adopt" else
                                 "red" if r.signal == "concern" else "amber")
                    evidence.append((objective, "pdsa", r.cycle_id, r.change_idea, r.decision_vs_data, judgement))
        for programme in spec.get("training", []):
            if training is not None and len(training):
                rows = training[(training["programme_id"] == programme) & (training["area"].astype(str) == "overall")]
                for r in rows.itertuples():
                    judgement = _judge(r.mean_change, r.ci_low, r.ci_high, "up")
                    evidence.append((objective, "training", programme, "Training confidence (overall)",
                                     f"{r.mean_pre:.0f}% to {r.mean_post:.0f}% ({r.mean_change:+.0f} points, 95% CI "
                                     f"{r.ci_low:+.0f} to {r.ci_high:+.0f}); self-rated, no control group", judgement))
    evidence = pd.DataFrame(evidence, columns=["objective", "kind", "id", "label", "finding", "judgement"])
    summary = []
    for objective, spec in objectives.items():
        rows = evidence[evidence["objective"] == objective]
        green, red = int((rows["judgement"] == "green").sum()), int((rows["judgement"] == "red").sum())
        rag = ("grey" if rows.empty else "green" if green and not red else "red" if red and not green else "amber")
        summary.append({"objective": objective, "label": spec.get("label", objective), "n_evidence": len(rows),
                        "n_green": green, "n_red": red, "rag": rag})
    return evidence, pd.DataFrame(summary)


# Monthly series read by an interrupted time series, and the SPC chart read beside it, per headline indicator.
ITS_SERIES = {
    "sickness_absence_rate_12m": {"name": "Sickness absence rate", "monthly": "sickness_absence_rate_month",
                                  "count": True},
    "vacancy_rate_fte": {"name": "Vacancy rate", "monthly": "vacancy_rate_fte", "count": False},
}


@dataclass
class AnnualEvidence:
    """The annual evaluation's readings of each indicator, all computed on complete data.

    ``its`` maps a series name to its main ITS result, ``sensitivity`` to its sensitivity table
    (``ttwell.calculations.verdicts.its_sensitivity``); ``verdicts`` maps an indicator id to its one reconciled verdict.
    """

    its: dict
    sensitivity: dict
    verdicts: dict


def annual_evidence(comparison: YearComparison, service_monthly: pd.DataFrame, spc_charts: dict, *, strategy_start,
                    evaluation_start, evaluation_end, lag=None) -> AnnualEvidence:
    """One verdict per service-level indicator (``ttwell.calculations.verdicts.VERDICT_RULE``) from the year comparison, the
    interrupted time series with its sensitivity analyses, and the SPC view of the evaluation months.

    Every reading is made on complete data. A row the report hides gets no verdict (``sections.visible``).
    """
    from ttwell.calculations import verdicts
    from ttwell.calculations.workforce import INDICATORS

    its_results, sensitivity = {}, {}
    for indicator, spec in ITS_SERIES.items():
        rows = service_monthly[service_monthly["indicator"] == spec["monthly"]]
        rows = rows.dropna(subset=["numerator" if spec["count"] else "value"])
        if len(rows) < 6:
            continue
        columns = ({"count": "numerator", "denominator": "denominator"} if spec["count"]
                   else {"value": "value", "lag": lag})
        table = verdicts.its_sensitivity(rows, better=INDICATORS[indicator][2], date="date", start=strategy_start,
                                         end_of_year=evaluation_end, **columns)
        sensitivity[spec["name"]] = table
        its_results[spec["name"]] = table.attrs["main"]
    years = visible(comparison)
    service = years[years["level"] == "service"] if len(years) else years
    out = {}
    for row in service.itertuples():
        better = INDICATORS.get(row.indicator, ("", "", "context"))[2]
        if better not in ("up", "down"):
            continue
        spec = ITS_SERIES.get(row.indicator)
        table = sensitivity.get(spec["name"]) if spec else None
        chart = spc_charts.get(spec["monthly"]) if spec else None
        out[row.indicator] = verdicts.indicator_verdict(
            row.indicator, row.label, better=better, year=pd.Series(row._asdict()), its_sensitivity_table=table,
            spc=verdicts.spc_reading(chart, evaluation_start=evaluation_start) if chart is not None else None,
            percent=row.unit == "proportion")
    return AnnualEvidence(its_results, sensitivity, out)
