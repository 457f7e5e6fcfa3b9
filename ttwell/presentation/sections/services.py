"""Comparing services: one funnel plot per indicator across several services' baseline results.

Each service is read from the results folder of its baseline run (``results.json`` and two of its tables, through
:func:`ttwell.presentation.results.read_results`), never from its staff-level data. The service-level row of each
indicator gives the numerator and denominator (survey scores: mean, respondents and SD); the funnels are computed
on every figure the services' own results show (:func:`ttwell.calculations.comparisons.service_funnels`), then the
comparison's own disclosure :class:`~ttwell.disclosure.Policy` decides, last, which services are shown.

Rules, each with its reason:

* one results folder per service: two folders with the same ``service_name`` are refused (the same service twice
  would sit on the plot beside itself);
* synthetic demonstration results are never compared with a real service's: mixing them is refused; when every
  folder is a demonstration run the report says "Synthetic demonstration data";
* baseline periods: the same period is stated; different periods that share at least one month are stated, each
  service's own, with the caution that a difference may partly be one of time; periods that share no month are
  refused (the plot would compare years, not services);
* a service whose figure was suppressed (or is missing) in its own results is left out of that funnel and counted;
* a funnel is drawn only when at least two services can be shown on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ttwell import disclosure
from ttwell.calculations.comparisons import FUNNEL_INDICATORS, service_funnels
from ttwell.calculations.funnel import MIN_UNITS_FOR_ADJUSTMENT, TEST_LEVEL, Funnel
from ttwell.errors import ParameterError
from ttwell.inputs.dates import parse_date
from ttwell.inputs.params import DEMONSTRATION_NOTICE
from ttwell.presentation.results import read_results

TABLES = ("baseline_values", "survey_scores")
CAUTION = "A funnel plot flags a service for a closer look, not a verdict"
# What the indicators are called and how they read (rates and proportions as percentages).
INDICATOR_LABELS = {
    "sickness_absence_rate_12m": ("Sickness absence rate", "FTE days available (12 months)"),
    "leaver_rate_hc_12m": ("Leaver rate (headcount)", "Average staff in post (headcount)"),
    "stability_index_nhs_12m": ("Stability index (NHS)", "Staff in post 12 months before"),
}
UNIT_COLUMNS = ["indicator", "label", "group", "value", "denominator", "size", "target", "lower_95", "upper_95",
                "lower_99_8", "upper_99_8", "position"]


@dataclass
class ServiceResults:
    """What one service's baseline results give the comparison."""

    name: str
    folder: str
    demonstration: bool
    start: pd.Timestamp
    end: pd.Timestamp
    audience: str
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class IndicatorComparison:
    """One indicator across the services: the funnel on every figure available, and what may be shown."""

    key: str
    label: str
    xlabel: str
    percent: bool
    funnel: Funnel | None
    shown: disclosure.Disclosed | None
    left_out: dict[str, str]
    sentences: list[str]

    @property
    def drawn(self) -> bool:
        return self.shown is not None and int((~self.shown.table["suppressed"]).sum()) >= 2


@dataclass
class ServiceComparison:
    """The whole comparison: the services, the notes that apply to all of it and one entry per indicator."""

    services: list[ServiceResults]
    demonstration: bool
    notes: list[str]
    indicators: list[IndicatorComparison]

    @property
    def notice(self) -> str | None:
        return DEMONSTRATION_NOTICE if self.demonstration else None

    def periods_table(self) -> pd.DataFrame:
        """Each service's baseline period and its own run's audience (no figures: nothing to disclose)."""
        return pd.DataFrame({"service": [s.name for s in self.services],
                             "baseline_start": [s.start for s in self.services],
                             "baseline_end": [s.end for s in self.services],
                             "own_report_audience": [s.audience.replace("_", " ") for s in self.services]})

    def table(self, policy: disclosure.Policy, *, scores: bool = False) -> disclosure.Disclosed:
        """Every shown unit of the workforce funnels (rates), or of the survey-score funnels, in one table.

        Rates and scores are kept apart so each table has one unit (percentages, or scores) in the workbook.
        The score table names each score by its label only (its instrument's full name and the score), not by
        an id.
        """
        parts = [c.shown for c in self.indicators
                 if c.shown is not None and (c.key not in FUNNEL_INDICATORS) == scores]
        if not parts:
            empty = pd.DataFrame(columns=[*UNIT_COLUMNS, "suppressed", "suppression_reason"])
            combined = disclosure.Disclosed(empty, policy.footnote(empty), 0)
        else:
            combined = disclosure.combine(parts, policy)
        if scores:
            combined = disclosure.Disclosed(combined.table.drop(columns=["indicator"]), combined.footnote,
                                            combined.n_suppressed_rows)
        return combined


# --- reading ----------------------------------------------------------------------------------------------------

def read_services(results_dirs, *, tables: bool = True) -> list[ServiceResults]:
    """Read each results folder and check the set can be compared; raise one :class:`ParameterError` otherwise.

    ``tables=False`` reads ``results.json`` only (the runner's check before the notebook starts).
    """
    services, problems = [], []
    for folder in results_dirs:
        data = read_results(folder, tables=list(TABLES) if tables else False)
        if data.get("notebook") != "baseline":
            problems.append(f"{folder} holds the results of the {data.get('notebook')} notebook; comparing services "
                            "needs each service's baseline results (the folder 'ttwell run baseline' writes)")
            continue
        parameters = data.get("parameters") or {}
        start, end = (parse_date(parameters.get(k), k) for k in ("baseline_start", "baseline_end"))
        frames = data.get("frames", {})
        services.append(ServiceResults(str(parameters.get("service_name") or Path(folder).name), str(folder),
                                       bool(data.get("demonstration")), start, end,
                                       str(parameters.get("audience") or "internal_management"),
                                       frames.get("baseline_values", pd.DataFrame()),
                                       frames.get("survey_scores", pd.DataFrame())))
    seen: dict[str, str] = {}
    for service in services:
        if service.name in seen:
            problems.append(f"two results folders are for the same service, '{service.name}': {seen[service.name]} "
                            f"and {service.folder}. Give each service once (its latest run), or give the services "
                            "different service_name values in their parameter files")
        seen.setdefault(service.name, service.folder)
    demo = [s.name for s in services if s.demonstration]
    if demo and len(demo) < len(services):
        real = [s.name for s in services if not s.demonstration]
        problems.append(f"synthetic demonstration results cannot be compared with a real service's: "
                        f"{', '.join(demo)} {'is a run' if len(demo) == 1 else 'are runs'} on ttwell's made-up data, "
                        f"{', '.join(real)} {'is' if len(real) == 1 else 'are'} not. Leave the demonstration "
                        "folders out")
    if services and not problems:
        first_end, last_start = min(s.end for s in services), max(s.start for s in services)
        if last_start > first_end:
            periods = "; ".join(f"{s.name} {s.start:%d/%m/%Y} to {s.end:%d/%m/%Y}" for s in services)
            problems.append(f"the services' baseline periods share no month ({periods}): a funnel plot of "
                            "different years would compare the years, not the services. Run each service's "
                            "baseline over overlapping periods (the same one is best)")
    if problems:
        raise ParameterError("These results cannot be compared:\n- " + "\n- ".join(problems))
    return services


def _latest_wave(scores: pd.DataFrame) -> pd.DataFrame:
    """Service-level scores of the latest baseline wave of each instrument (waves are listed in time order)."""
    rows = scores[scores["level"] == "service"]
    if rows.empty:
        return rows
    last = rows.groupby("instrument", sort=False)["wave_id"].agg("last")
    return rows[rows["wave_id"] == rows["instrument"].map(last)]


def _usable(rows: pd.DataFrame, columns: list[str]) -> pd.Series:
    suppressed = rows["suppressed"].astype(str).str.lower().eq("true") if "suppressed" in rows else False
    numbers = rows[columns].apply(pd.to_numeric, errors="coerce")
    return ~suppressed & numbers.notna().all(axis=1)


# --- the comparison ---------------------------------------------------------------------------------------------

def compare_services(services: list[ServiceResults], policy: disclosure.Policy) -> ServiceComparison:
    """Funnels of every indicator across ``services`` on complete figures, then disclosure by ``policy``."""
    names = [s.name for s in services]
    indicator_rows, score_rows, left_out = [], [], {}
    for s in services:
        table = s.indicators
        for indicator in FUNNEL_INDICATORS:
            rows = table[(table["indicator"] == indicator) & (table["level"] == "service")] if len(table) else table
            if rows.empty:
                left_out.setdefault(indicator, {})[s.name] = "not in its results"
                continue
            row = rows.iloc[[0]]
            if not _usable(row, ["value", "numerator", "denominator"]).iloc[0]:
                left_out.setdefault(indicator, {})[s.name] = "suppressed in its own results"
                continue
            indicator_rows.append(row.assign(group=s.name))
        scores = _latest_wave(s.scores) if len(s.scores) else pd.DataFrame()
        if len(scores):
            keep = _usable(scores, ["mean", "n_respondents", "sd"])
            for row in scores[~keep].itertuples():
                left_out.setdefault((row.instrument, row.score), {})[s.name] = "suppressed in its own results"
            score_rows.append(scores[keep].assign(group=s.name))
    indicators = pd.concat(indicator_rows, ignore_index=True) if indicator_rows else \
        pd.DataFrame(columns=["indicator", "group", "value", "ci_high", "numerator", "denominator", "n_people"])
    scores = pd.concat(score_rows, ignore_index=True) if score_rows else \
        pd.DataFrame(columns=["instrument", "score", "group", "mean", "n_respondents", "sd", "label"])
    for key in {tuple(k) for k in scores[["instrument", "score"]].drop_duplicates().itertuples(index=False)}:
        have = set(scores.loc[(scores["instrument"] == key[0]) & (scores["score"] == key[1]), "group"])
        for name in names:
            if name not in have:
                left_out.setdefault(key, {}).setdefault(name, "not in its results")
    funnels, sickness = service_funnels(indicators, scores)
    comparisons = []
    for key in [*FUNNEL_INDICATORS, *dict.fromkeys(map(tuple, scores[["instrument", "score"]].to_numpy()))]:
        comparisons.append(_indicator(key, funnels.get(key), indicators, scores, left_out.get(key, {}), sickness,
                                      policy))
    return ServiceComparison(services, all(s.demonstration for s in services), comparison_notes(services),
                             comparisons)


def _indicator(key, f: Funnel | None, indicators: pd.DataFrame, scores: pd.DataFrame, left_out: dict,
               sickness: dict, policy: disclosure.Policy) -> IndicatorComparison:
    if isinstance(key, tuple):
        rows = scores[(scores["instrument"] == key[0]) & (scores["score"] == key[1])]
        label = f"{instrument_name(key[0])}: {rows['label'].iloc[0]}" if len(rows) and "label" in rows \
            else " ".join(key)
        xlabel, percent, name = "Respondents", False, "_".join(key)
        size = rows["n_respondents"].to_numpy(dtype=float)
    else:
        rows = indicators[indicators["indicator"] == key]
        label, xlabel = INDICATOR_LABELS[key]
        percent, name = True, key
        size = rows["n_people"].to_numpy(dtype=float) if "n_people" in rows else np.full(len(rows), np.nan)
    if f is None:
        return IndicatorComparison(name, label, xlabel, percent, None, None, left_out,
                                   indicator_sentences(label, None, None, left_out, policy, sickness))
    units = f.units.assign(indicator=name, label=label, size=size, target=f.target)[UNIT_COLUMNS]
    if not isinstance(key, tuple):
        units["n_numerator_people"] = rows["n_numerator_people"].to_numpy(dtype=float) \
            if "n_numerator_people" in rows else np.nan
    values = ["value", "denominator", "target", "lower_95", "upper_95", "lower_99_8", "upper_99_8"]
    shown = policy.table(units.assign(level="service"), value_columns=values, size_column="size", partition=[],
                         numerator_people_column=None if isinstance(key, tuple) else "n_numerator_people",
                         hr=not isinstance(key, tuple), rates=not isinstance(key, tuple))
    shown = disclosure.Disclosed(shown.table.drop(columns=["level", "n_numerator_people"], errors="ignore"),
                                 shown.footnote, shown.n_suppressed_rows)
    return IndicatorComparison(name, label, xlabel, percent, f, shown, left_out,
                               indicator_sentences(label, f, shown.table, left_out, policy,
                                                   sickness if key == "sickness_absence_rate_12m" else {}))


# --- sentences ----------------------------------------------------------------------------------------------------

def comparison_notes(services: list[ServiceResults]) -> list[str]:
    """What applies to the whole comparison: where the figures come from, the periods, demonstration data."""
    notes = []
    if services and all(s.demonstration for s in services):
        notes.append(f"**{DEMONSTRATION_NOTICE}.** Every service below is made up by ttwell's generator.")
    notes.append(f"{len(services)} services compared, each from its baseline run's results folder (results.json "
                 "and its tables), never from staff-level data.")
    periods = {(s.start, s.end) for s in services}
    if len(periods) == 1:
        start, end = next(iter(periods))
        notes.append(f"Every service's baseline period: {start:%d/%m/%Y} to {end:%d/%m/%Y}.")
    elif services:
        shared = (max(s.start for s in services), min(s.end for s in services))
        each = "; ".join(f"{s.name} {s.start:%d/%m/%Y} to {s.end:%d/%m/%Y}" for s in services)
        notes.append(f"The baseline periods differ ({each}); they share {shared[0]:%d/%m/%Y} to {shared[1]:%d/%m/%Y}. "
                     "A difference between services may partly be a difference between periods.")
    return notes


def _value(value: float, percent: bool) -> str:
    return f"{value:.1%}" if percent else f"{value:.2f}"


def instrument_name(instrument: str) -> str:
    """The instrument's full name for a reader ("Oldenburg Burnout Inventory"), its id if ttwell does not ship it."""
    from ttwell.inputs.instruments import load_instrument

    try:
        return load_instrument(instrument).name
    except ParameterError:
        return instrument


def indicator_sentences(label: str, f: Funnel | None, shown: pd.DataFrame | None, left_out: dict,
                        policy: disclosure.Policy, sickness: dict | None = None) -> list[str]:
    """The plain-English sentences under one funnel: who is outside the 99.8% limits (with the caution), the
    over-dispersion test, the sickness widening, and the services left out or hidden."""
    sentences = []
    if f is None or shown is None:
        sentences.append(f"{label}: no service has a figure to compare.")
    else:
        visible = shown[~shown["suppressed"]]
        hidden = shown[shown["suppressed"]]
        if len(visible) < 2:
            sentences.append(f"{label}: not drawn, because fewer than two services can be shown under the disclosure "
                             f"rules (audience: {policy.audience.replace('_', ' ')}, threshold {policy.threshold}).")
        else:
            percent = label in {v[0] for v in INDICATOR_LABELS.values()}
            outside = visible[visible["position"].astype(str).str.contains("99.8%")]
            if len(outside):
                where = ", ".join(f"{r.group} ({'above' if r.position.startswith('Above') else 'below'}, "
                                  f"{_value(r.value, percent)})" for r in outside.itertuples())
                sentences.append(f"Outside the 99.8% limits around the pooled value of {_value(f.target, percent)}: "
                                 f"{where}. {CAUTION}.")
            else:
                sentences.append(f"Every service shown sits within the 99.8% limits around the pooled value of "
                                 f"{_value(f.target, percent)}. {CAUTION}.")
        od = f.overdispersion
        if od.n_units < MIN_UNITS_FOR_ADJUSTMENT:
            differ = np.isfinite(od.p_value) and od.p_value < TEST_LEVEL
            sentences.append(f"With {od.n_units} services (fewer than {MIN_UNITS_FOR_ADJUSTMENT}) the limits are not "
                             f"widened for over-dispersion: the extra spread between services cannot be estimated "
                             f"reliably from so few."
                             + (f" The services do differ by more than chance (p = {od.p_value:.2g}), so more of them "
                                f"may fall outside the limits than chance alone would put there." if differ else ""))
        else:
            sentences.append(re.sub(r"\bunits\b", "services", od.reason))
        if sickness and sickness.get("dispersion"):
            sentences.append(f"The limits are wider than for single days counted by chance: their variance is "
                             f"multiplied by {sickness['dispersion']:.1f}, the median of the "
                             f"{len(sickness['design_effects'])} services' design effects. Sickness days come in "
                             "episodes and episodes in people, so a service's rate varies far more than counts of "
                             "single days would (each service's factor comes from its own 95% interval).")
        if len(hidden):
            sentences.append(f"{len(hidden)} service(s) not shown under this report's disclosure rules "
                             f"({'; '.join(sorted(set(hidden['suppression_reason'].dropna())))}); "
                             "their figures still count in the pooled value and the limits.")
    if left_out:
        which = "; ".join(f"{name}: {why}" for name, why in left_out.items())
        sentences.append(f"Left out: {len(left_out)} service(s) with no figure to use ({which}).")
    return sentences


def summary_sentences(comparison: ServiceComparison) -> list[str]:
    """The report's summary: each service outside the 99.8% limits, by indicator, then what was not drawn."""
    flagged, within, not_drawn = [], 0, []
    for c in comparison.indicators:
        if not c.drawn:
            not_drawn.append(c.label)
            continue
        shown = c.shown.table[~c.shown.table["suppressed"]]
        outside = shown[shown["position"].astype(str).str.contains("99.8%")]
        if outside.empty:
            within += 1
        for r in outside.itertuples():
            flagged.append(f"{r.group} is {'above' if r.position.startswith('Above') else 'below'} the limits for "
                           f"{c.label} ({_value(r.value, c.percent)} against {_value(c.funnel.target, c.percent)} "
                           "pooled)")
    sentences = [f"{s}." for s in flagged]
    sentences.append(f"On the other {within} funnel plot(s) every service shown sits within the 99.8% limits."
                     if flagged else f"On all {within} funnel plot(s) every service shown sits within the 99.8% "
                                     f"limits.")
    sentences.append(f"{CAUTION}.")
    if not_drawn:
        sentences.append(f"Not drawn (fewer than two services to show): {', '.join(not_drawn)}.")
    return sentences


def flagged(c: IndicatorComparison) -> bool:
    """At least one service shown on the funnel sits outside its 95% limits."""
    return c.drawn and bool((~c.shown.table["suppressed"] & ~c.shown.table["position"].astype(str)
                             .str.startswith("Within")).any())


def quiet_panels(comparison: ServiceComparison) -> list[tuple[str, list[dict]]]:
    """Survey scores on which every service shown sits within the 95% limits, as small funnel panels.

    One ``(instrument name, panels)`` pair per instrument, in the report's order; each panel holds the arguments
    of :func:`ttwell.presentation.charts.funnel_small_multiples` (disclosed services only, curves over them).
    """
    grids: dict[str, list[dict]] = {}
    for c in comparison.indicators:
        if c.key in FUNNEL_INDICATORS or not c.drawn or flagged(c):
            continue
        instrument, _, score = c.label.partition(": ")
        shown = c.shown.table.dropna(subset=["value"])
        grids.setdefault(instrument, []).append(
            dict(units=c.shown.table, curves=c.funnel.curves_over(shown["denominator"]), target=c.funnel.target,
                 title=score or c.label, xlabel=c.xlabel, ylabel="Mean score", label_col="group"))
    return list(grids.items())


def unit_table(comparison: IndicatorComparison) -> pd.DataFrame:
    """The table under one funnel: each service's value, size, 99.8% limits at its size and position (disclosed)."""
    columns = ["group", "value", "denominator", "lower_99_8", "upper_99_8", "position", "suppressed"]
    return comparison.shown.table[columns].sort_values("denominator", na_position="last")


def key_results(comparison: ServiceComparison, *, scores: bool) -> str:
    """Plain text of each funnel's pooled value and the services outside the 99.8% limits (checked by nbval)."""
    lines = []
    for c in comparison.indicators:
        if c.key in FUNNEL_INDICATORS and scores or c.key not in FUNNEL_INDICATORS and not scores:
            continue
        if not c.drawn:
            lines.append(f"{c.label}: not drawn")
            continue
        shown = c.shown.table[~c.shown.table["suppressed"]]
        outside = [f"{r.group} {r.position.split(' ')[0].lower()}" for r in shown.itertuples()
                   if "99.8%" in str(r.position)]
        lines.append(f"{c.label}: pooled {_value(c.funnel.target, c.percent)}; {len(shown)} shown; outside 99.8%: "
                     f"{', '.join(outside) or 'none'}")
    return "\n".join(lines) or "none"


__all__ = ["flagged", "key_results", "quiet_panels", "summary_sentences", "unit_table", "CAUTION", "IndicatorComparison", "ServiceComparison", "ServiceResults", "compare_services",
           "comparison_notes", "indicator_sentences", "read_services"]
