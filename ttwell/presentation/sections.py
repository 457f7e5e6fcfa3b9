"""Report sections: each gathers what one part of a notebook shows, computed on complete data, then disclosed.

A section function calls the calculators (``ttwell.calculations.scales``, ``ttwell.calculations.workforce``) on complete data, derives
what it needs from them (limits, judgements, sentences), and applies the report's disclosure
:class:`~ttwell.disclosure.Policy` as the last step to what is shown. Notebooks only display and
save what it returns, so no analysis logic lives in a notebook and no number reaches the page undisclosed.

Example
-------
>>> from ttwell import sections
>>> section = sections.survey_instrument(responses, waves, "OLBI", policy=disclosure.Policy())   # doctest: +SKIP
>>> section.levels.table.head()                                                                    # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ttwell import disclosure
from ttwell.calculations import scales
from ttwell.calculations.scales.reliability import reliability_table
from ttwell.calculations.scales.summaries import lowest_rated_items, response_rates, scale_summary, share_at_or_above
from ttwell.inputs.templates import ROLE_FAMILY_LABELS

ALL_RESPONDENTS = "All respondents"
SUMMARY_VALUES = ["mean", "sd", "ci_low", "ci_high", "p25", "median", "p75"]


def waves_in_period(waves: pd.DataFrame, start, end) -> pd.DataFrame:
    """Waves whose fieldwork closed inside the period: the baseline waves of a baseline period."""
    closed = waves["closed_on"]
    return waves[(closed >= pd.Timestamp(start)) & (closed <= pd.Timestamp(end))]


def instruments_in(responses: pd.DataFrame) -> list[str]:
    """Instrument ids present in long-form responses, in the registry's order (others after, sorted)."""
    present = set(responses["instrument"].dropna().unique())
    known = [i for i in scales.available_instruments() if i in present]
    return known + sorted(present - set(known))


def score_range(instrument: scales.Instrument, score_id: str) -> tuple[float, float]:
    """The possible range of a score, for sentences such as 'on a 1 to 4 scale'."""
    if score_id in [c.id for c in instrument.composites]:
        composite = next(c for c in instrument.composites if c.id == score_id)
        ranges = [score_range(instrument, s) for s in composite.subscales] if composite.subscales else \
            [instrument.scored_range(instrument.items[0])]
        return min(r[0] for r in ranges), max(r[1] for r in ranges)
    subscale = instrument.subscale(score_id)
    if subscale.conversion:
        table = subscale.conversion_table
        return min(table.values()), max(table.values())
    low, high = instrument.scored_range(subscale.items[0])
    if subscale.method == "sum":
        return low * len(subscale.items), high * len(subscale.items)
    return low, high


def _label(instrument: scales.Instrument, score_id: str) -> str:
    for part in (*instrument.subscales, *instrument.composites):
        if part.id == score_id:
            return part.label or score_id
    return score_id


def _higher_is(instrument: scales.Instrument, score_id: str) -> str:
    for part in (*instrument.subscales, *instrument.composites):
        if part.id == score_id:
            return part.higher_is
    return "better"


@dataclass
class SurveySection:
    """What the baseline notebook shows for one instrument."""

    instrument: scales.Instrument
    levels: disclosure.Disclosed
    reliability: pd.DataFrame
    cutoffs: disclosure.Disclosed | None = None
    lowest_item: disclosure.Disclosed | None = None
    extras: dict[str, disclosure.Disclosed] = field(default_factory=dict)
    sentences: list[str] = field(default_factory=list)


def survey_instrument(responses: pd.DataFrame, waves: pd.DataFrame, instrument_id: str, *,
                      policy: disclosure.Policy, team_parents: dict | None = None,
                      team_names: dict | None = None, cutoffs: bool = True) -> SurveySection:
    """Score one instrument and summarise it by wave at service, role-family and team level, disclosed.

    Small teams and role families are merged upward first (into a parent team, or pooled); anything still
    below the threshold is suppressed. Respondents with no team (or role family) recorded form a group of
    their own, so the groups of each breakdown add up to the service: nobody can be worked out as the service
    minus the teams. ``cutoffs=False`` leaves out the share above published cut-offs (the
    domain spec makes them opt-in; issue 3 asks for them, so the notebook shows them unless told not to). Reliability is a property of the scale in this sample and carries no
    group breakdown, so it needs no suppression beyond its own minimum of complete responses.
    """
    instrument = scales.load_instrument(instrument_id)
    rows = responses[responses["instrument"] == instrument.id]
    settings = waves[["wave_id", *[c for c in ("ps_variant", "olbi_response_coding") if c in waves.columns]]]
    scored = scales.score(rows, instrument, variant=settings if instrument.variants else None,
                          coding=settings if len(instrument.codings) > 1 else None)
    items = scales.item_scores(rows, instrument, variant=settings if instrument.variants else None,
                               coding=settings if len(instrument.codings) > 1 else None)
    score_ids = list(instrument.score_ids)

    parts = []
    threshold = policy.threshold
    team_names = team_names or {}
    for level, column in (("service", None), ("role_family", "role_family"), ("team", "team_code")):
        frame = scored.copy()
        if column is None:
            frame["group"] = ALL_RESPONDENTS
        else:
            if column not in frame.columns:
                frame[column] = None
            frame[column] = disclosure.with_no_team(frame[column], disclosure.NO_TEAM if level == "team"
                                                    else "No role family recorded")
            sizes = frame.groupby(["wave_id", column]).size().groupby(column).min()
            merged = disclosure.merge_small_groups(sizes, threshold,
                                                   parents=team_parents if level == "team" else None)
            names = ROLE_FAMILY_LABELS if level == "role_family" else team_names
            frame["group"] = frame[column].map(merged).map(lambda g: _named(g, names))
        summary = scale_summary(frame, score_ids, by=["wave_id", "group"])
        parts.append(summary.assign(level=level))
    levels = pd.concat(parts, ignore_index=True)
    levels.insert(0, "instrument", instrument.id)
    levels["label"] = levels["score"].map(lambda s: _label(instrument, s))
    levels["scale_min"] = levels["score"].map(lambda s: score_range(instrument, s)[0])
    levels["scale_max"] = levels["score"].map(lambda s: score_range(instrument, s)[1])
    levels["higher_is"] = levels["score"].map(lambda s: _higher_is(instrument, s))
    levels_shown = policy.table(levels, value_columns=SUMMARY_VALUES, size_column="n_respondents",
                                partition=["wave_id", "score"], rates=False, hr=False)

    reliability = reliability_table(items, instrument.subscale_items(), by="wave_id")
    reliability.insert(0, "instrument", instrument.id)

    section = SurveySection(instrument=instrument, levels=levels_shown, reliability=reliability)
    cut_rows = []
    for part in (*instrument.subscales, *instrument.composites) if cutoffs else ():
        for cutoff in part.cutoffs:
            share = share_at_or_above(scored, part.id, cutoff.at_least, by=["wave_id"])
            cut_rows.append(share.assign(instrument=instrument.id, label=cutoff.label or part.id,
                                         score_label=part.label or part.id, source=cutoff.source, status=cutoff.status, level="service"))
    if cut_rows:
        section.cutoffs = policy.table(pd.concat(cut_rows, ignore_index=True),
                                       value_columns=["share", "ci_low", "ci_high"], count_columns=["n_above"],
                                       size_column="n_respondents", partition=[], rates=False, hr=False)
    if instrument.id == "TPS":
        lowest = lowest_rated_items(items, list(instrument.items), by=["wave_id"]).assign(level="service")
        lowest["item_label"] = lowest["item"].map(item_label)
        section.lowest_item = policy.table(lowest, value_columns=["share_lowest"], size_column="n_respondents",
                                           partition=[], rates=False, hr=False)
    if instrument.id == "JOY":
        section.extras["enps"] = policy.table(
            scales.enps(scored, by=["wave_id"]).assign(level="service"),
            value_columns=["enps"], count_columns=["n_promoters", "n_passives", "n_detractors"],
            size_column="n_respondents", partition=[], rates=False, hr=False)
        section.extras["often_or_always"] = policy.table(
            scales.share_often_or_always(scored, by=["wave_id"]).assign(level="service"),
            value_columns=["share", "ci_low", "ci_high"], count_columns=["n_above"],
            size_column="n_respondents", partition=[], rates=False, hr=False)
    section.sentences = survey_sentences(section)
    return section


def _named(group, names: dict):
    """Team codes in a reporting label replaced by team names: 'T01 (with T06)' -> 'North PWP (with Employment)'."""
    if not isinstance(group, str):
        return group
    if " + " in group:
        return " + ".join(names.get(g, g) for g in group.split(" + "))
    if " (with " not in group:
        return names.get(group, group)
    head, rest = group[:-1].split(" (with ")
    return f"{names.get(head, head)} (with {', '.join(names.get(g, g) for g in rest.split(', '))})"


def survey_sentences(section: SurveySection) -> list[str]:
    """Plain English for one instrument: each service-level score with its scale and direction, the shares above
    published cut-offs, and reliability warnings (what a survey cannot tell is :data:`SURVEY_CAVEAT`, said once)."""
    instrument = section.instrument
    table = section.levels.table
    service = table[table["level"] == "service"]
    sentences = []
    for row in service.itertuples():
        if pd.isna(row.mean):
            sentences.append(f"{row.label} ({row.wave_id}): not shown, fewer respondents than the threshold.")
            continue
        direction = "higher is better" if row.higher_is == "better" else "higher is worse"
        sentences.append(f"{row.label} ({row.wave_id}): average {row.mean:.2f} on a {row.scale_min:g} to "
                         f"{row.scale_max:g} scale ({direction}), 95% CI {row.ci_low:.2f} to {row.ci_high:.2f}, "
                         f"from {row.n_respondents:.0f} respondents.")
    if section.cutoffs is not None:
        for row in section.cutoffs.table.itertuples():
            if pd.notna(row.share):
                sentences.append(f"{row.label} ({row.wave_id}): {row.share:.0%} of respondents (95% CI "
                                 f"{row.ci_low:.0%} to {row.ci_high:.0%}). This uses a published screening "
                                 f"cut-off ({row.status.lower()} source): it describes the group and is not a diagnosis.")
    # Single-item scores have no internal consistency to report; that is not a warning sign.
    low = section.reliability[section.reliability["flag"].notna() & (section.reliability["n_items"] >= 2)]
    for row in low.itertuples():
        sentences.append(f"Reliability of {_label(instrument, row.subscale)} ({row.wave_id}): {row.flag}; "
                         "read that score with care.")
    return sentences


# Said once under the survey section, not once per instrument.
SURVEY_CAVEAT = ("What this cannot tell you: the figures describe the staff who responded, who may differ from those "
                 "who did not; one survey shows a level, not a cause or a trend; and differences between groups this "
                 "size are uncertain, as the intervals show.")


def survey_response_rates(scored_ids: pd.DataFrame, waves: pd.DataFrame, *,
                          policy: disclosure.Policy) -> disclosure.Disclosed:
    """Response rate per wave (service level), disclosed."""
    rates = response_rates(scored_ids, waves).assign(level="service")
    return policy.table(rates, value_columns=["response_rate", "ci_low", "ci_high"], size_column="n_respondents",
                        partition=[], rates=False, hr=False)


def reason_groups(reasons: pd.DataFrame) -> pd.DataFrame:
    """Leaving reasons as a breakdown of the service total, ready for the disclosure policy.

    The ``all_leavers`` row is the published total (service level); each reason group is a part of it, so
    for a staff-wide audience each group is a count below the service total (1-7 hidden, 8 or more rounded,
    shares from the rounded counts) and one hidden group hides a second (domain spec 4.2 rules 2, 4 and 7).
    """
    level = reasons["reason_group"].map(lambda g: "service" if g == "all_leavers" else "reason")
    return reasons.assign(level=level)


def visible(comparison: "YearComparison") -> pd.DataFrame:
    """The complete rows of a comparison whose disclosed row is shown: judgements and sentences are made on
    complete figures, and never about a row the report hides."""
    if comparison.complete.empty:
        return comparison.complete
    hidden = comparison.shown.table["suppressed"].to_numpy(bool)
    return comparison.complete[~hidden]


MEASURE_LABELS = {
    "staff_engagement": "Staff engagement", "morale": "Morale", "motivation": "Motivation",
    "involvement": "Involvement", "advocacy": "Advocacy",
    "we_are_compassionate_and_inclusive": "We are compassionate and inclusive",
    "we_are_recognised_and_rewarded": "We are recognised and rewarded",
    "we_each_have_a_voice_that_counts": "We each have a voice that counts",
    "we_are_safe_and_healthy": "We are safe and healthy", "we_are_always_learning": "We are always learning",
    "we_work_flexibly": "We work flexibly", "we_are_a_team": "We are a team",
}


def published_scores(nss: pd.DataFrame, *, source: str = "nss") -> pd.DataFrame:
    """The latest year's published scores (themes, elements, sub-scores) beside their benchmark medians.

    Published scores already meet the survey's own 11-response rule (rows under 11 are rejected on loading).
    Returns columns ``year, measure_type, measure_id, measure, score, benchmark_median, difference,
    n_responses, breakdown_value``.
    """
    rows = nss[nss["source"] == source]
    if rows.empty:
        return pd.DataFrame(columns=["year", "measure_type", "measure_id", "measure", "score", "benchmark_median",
                                     "difference", "n_responses", "breakdown_value"])
    latest = rows[rows["year"] == rows["year"].max()].copy()
    latest["measure"] = latest["measure_id"].map(lambda m: MEASURE_LABELS.get(m, m.replace("_", " ").capitalize()))
    latest["difference"] = latest["score"] - latest["benchmark_median"].astype(float)
    order = {"theme": 0, "sub_score": 1, "element": 2, "question": 3}
    latest = latest.sort_values(["measure_type", "measure_id"], key=lambda s: s.map(order) if s.name == "measure_type" else s)
    return latest[["year", "measure_type", "measure_id", "measure", "score", "benchmark_median", "difference",
                   "n_responses", "breakdown_value"]].reset_index(drop=True)


@dataclass
class PDSAMeasure:
    """What the PDSA review shows for one measure: the SPC and run chart results and the cycles on it.

    ``spc`` and ``runs`` are computed on every point; ``shown`` is the disclosed table of points and
    ``spc_points`` / ``run_points`` the chart points with hidden months set to missing (gaps on the axis).
    """

    measure_id: str
    data: pd.DataFrame
    spc: object
    runs: object
    cycles: pd.DataFrame
    shown: disclosure.Disclosed
    spc_points: pd.DataFrame
    run_points: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def pdsa_points_table(section: PDSAMeasure, policy: disclosure.Policy) -> disclosure.Disclosed:
    """The SPC points of one measure as saved with the review: a hidden point keeps its date and segment
    (its limits come from every point) but no value, rule or point type."""
    points = section.spc_points[["date", "value", "segment", "mean", "lpl", "upl", "rule", "side", "point_type",
                                 "suppressed"]].copy()
    for column in ("rule", "side", "point_type"):
        points[column] = points[column].where(~points["suppressed"])
    return disclosure.Disclosed(points, policy.footnote(points), int(points["suppressed"].sum()))


def pdsa_measure(measures: pd.DataFrame, log: pd.DataFrame, measure_id: str, *, direction: str = "increase",
                 target: float | None = None, policy: disclosure.Policy) -> PDSAMeasure:
    """One measure of a PDSA project: an XmR chart rebased only at adopted changes and a run chart frozen on
    the points before the first cycle, both computed on every point; then disclosure on the points shown.

    A point whose denominator (respondents) is below the threshold keeps its place in the calculations (its
    limits and runs are those of the whole series) but is shown as a gap, and the notes say so.
    """
    from ttwell.calculations import pdsa, spc

    rows = measures[(measures["measure_id"] == measure_id)
                    & (measures["facet"].isna() | (measures["facet"] == ""))].sort_values("date")
    rows = rows.reset_index(drop=True)
    notes = []
    points = rows.assign(level="service")
    if rows["denominator"].notna().any():
        shown = policy.table(points, value_columns=["value", "numerator"], size_column="denominator", partition=[],
                             rates=False, hr=False)
    else:
        shown = disclosure.Disclosed(points.assign(suppressed=False, suppression_reason=None),
                                     policy.footnote(points.assign(suppressed=False)), 0)
    hidden = shown.n_suppressed_rows
    if hidden:
        notes.append(f"{hidden} point(s) rest on fewer than {policy.threshold} respondents: they are used in the "
                     f"calculations but not shown (gaps on the charts, {disclosure.SUPPRESSED_MARK} in tables).")
    starts = pdsa.cycle_starts(log)
    uses = log["measures"].map(lambda m: measure_id in [x.strip() for x in str(m).split(";")])
    cycles = pd.DataFrame({"label": [f"{c}: {d if isinstance(d, str) else s}" for c, d, s in
                                     zip(log["cycle_id"], log["act_decision"], log["status"])],
                           "start": starts, "end": log["actual_end_date"].fillna(log["planned_end_date"])})[uses.values]
    chart = spc.xmr(rows, date="date", value="value", improvement_direction=direction,
                    rebase=pdsa.rebase_points(log, rows["date"], measure_id), target=target)
    before_first = int((rows["date"] < cycles["start"].min()).sum()) if len(cycles) else None
    runs = spc.run_chart(rows, date="date", value="value", freeze=before_first if before_first else None)
    spc_points = policy.series(chart.points, shown.table, on=["date"], columns=["value", "moving_range"])
    run_points = policy.series(runs.points, shown.table, on=["date"], columns=["value"])
    return PDSAMeasure(measure_id, rows, chart, runs, cycles.reset_index(drop=True), shown, spc_points, run_points,
                       notes)


def indicator_spc(service_monthly: pd.DataFrame, indicators: list[str], *, baseline_start, baseline_end,
                  directions: dict | None = None, rebase_at=None) -> dict:
    """XmR charts of service-level monthly indicators from the baseline start, limits fixed on the baseline.

    The baseline months are the fixed baseline (``fix_after_n_points``) when there are at least 12 of them;
    months before the baseline are left out, so later months are judged against the baseline alone. The
    improvement direction comes from the indicator's definition (lower is better for sickness, and so on).
    """
    from ttwell.calculations import spc
    from ttwell.calculations.workforce import INDICATORS

    out = {}
    for indicator in indicators:
        rows = service_monthly[(service_monthly["indicator"] == indicator)
                               & (service_monthly["date"] >= pd.Timestamp(baseline_start))].dropna(subset=["value"])
        if len(rows) < 2:
            continue
        n_baseline = int((rows["date"] <= pd.Timestamp(baseline_end)).sum())
        direction = (directions or {}).get(indicator) or {"down": "decrease", "up": "increase"}.get(
            INDICATORS[indicator][2], "neutral")
        # A new segment at the strategy start only when asked: the first monthly point on or after it.
        later = rows["date"][rows["date"] >= pd.Timestamp(rebase_at)] if rebase_at is not None else rows["date"][:0]
        out[indicator] = spc.xmr(rows[["date", "value"]], date="date", value="value", improvement_direction=direction,
                                 fix_after_n_points=n_baseline if n_baseline >= 12 else None,
                                 rebase=[later.min()] if len(later) else ())
    return out


def icon_summary(charts_by_indicator: dict, shown: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator: baseline mean and limits, latest value, variation icon and warnings.

    The icons come from the complete series. ``shown`` (the disclosed service-level monthly table, with
    ``indicator, date, suppressed``) decides whether the latest month's value may be printed.
    """
    from ttwell.calculations.workforce import INDICATORS

    rows = []
    for indicator, chart in charts_by_indicator.items():
        seg = chart.summary.iloc[-1]
        latest_date, latest = chart.points["date"].iloc[-1], chart.points["value"].iloc[-1]
        if shown is not None:
            hit = shown[(shown["indicator"] == indicator) & (shown["date"] == latest_date)]
            if len(hit) and bool(hit["suppressed"].iloc[0]):
                latest = float("nan")
        rows.append({"indicator": indicator, "label": INDICATORS[indicator][0], "unit": INDICATORS[indicator][1],
                     "baseline_mean": seg["mean"],
                     "lower_limit": seg["lpl"], "upper_limit": seg["upl"],
                     "latest_value": latest, "variation": seg["variation_icon"],
                     "special_cause_points": int(seg["n_special_cause"]),
                     "warnings": "; ".join(seg["warnings"])})
    return pd.DataFrame(rows, columns=["indicator", "label", "unit", "baseline_mean", "lower_limit", "upper_limit",
                                       "latest_value", "variation", "special_cause_points", "warnings"])


@dataclass
class PrePostSection:
    """What the pre/post training notebook shows, already through disclosure control."""

    matching: pd.DataFrame
    areas: disclosure.Disclosed
    teams: disclosure.Disclosed
    spread: disclosure.Disclosed
    change_models: pd.DataFrame
    reliable: disclosure.Disclosed
    unmatched: pd.DataFrame
    team_merge_note: str = ""


def prepost_training(responses: pd.DataFrame, areas: pd.DataFrame | None, *, policy: disclosure.Policy,
                     confidence_threshold: float = 50, reliability: float | str | None = "alpha",
                     team_parents: dict | None = None, team_names: dict | None = None) -> PrePostSection:
    """The pre/post analysis of one programme (``ttwell.calculations.prepost``), with teams merged upward and disclosed.

    Teams with fewer respondents than the threshold are merged into their parent team (or the smallest team
    large enough) *before* the team statistics are computed, so neither a team row nor the between-team spread
    (whose minimum and maximum are team means) can show a small team's figures. Attendees with no team
    recorded are a group of their own, so the team rows add up to the whole programme.
    """
    from ttwell.calculations import prepost

    threshold = policy.threshold
    pairs, matching = prepost.match_pairs(responses)
    table = prepost.area_table(pairs, areas=areas, threshold=confidence_threshold, matching=matching)
    areas_shown = policy.table(table.assign(level="service"),
                               value_columns=["mean_pre", "mean_post", "mean_change", "ci_low", "ci_high",
                                              "share_above_pre", "share_above_post"],
                               size_column="n_matched", partition=[], rates=False, hr=False)
    pairs = pairs.assign(team_code=disclosure.with_no_team(pairs["team_code"]))
    people = prepost.person_scores(pairs)
    sizes = people.groupby("team_code").size()
    merged = disclosure.merge_small_groups(sizes, threshold, parents=team_parents)
    names = team_names or {}
    note = ""
    if any(label != group for group, label in merged.items()):
        note = (f"Teams with fewer than {threshold} respondents were merged before any team figure was computed: "
                + "; ".join(sorted({_named(label, names) for group, label in merged.items() if label != group})) + ".")
    reporting = pairs.assign(team_code=pairs["team_code"].map(lambda t: _named(merged.get(t, t), names)))
    view = prepost.team_view(reporting, threshold=confidence_threshold)
    teams_shown = policy.table(view.teams.assign(level="team"),
                               value_columns=["mean_pre", "mean_post", "mean_change", "share_above_pre",
                                              "share_above_post"],
                               count_columns=["n_above_pre", "n_above_post"], size_column="n_respondents",
                               partition=[], rates=False, hr=False)
    spread_columns = [c for c in view.spread.columns if c.startswith(("team_mean_", "share_above_"))]
    spread_shown = policy.table(view.spread.assign(level="service"),
                                value_columns=[*spread_columns, "icc", "tau2", "sigma2"],
                                size_column="n_respondents", partition=[], rates=False, hr=False)
    if reliability is None:
        reliable_shown = disclosure.Disclosed(pd.DataFrame(), "", 0)
    else:
        _, reliable = prepost.reliable_change(pairs, reliability=reliability)
        reliable_shown = policy.table(reliable.assign(level="service"),
                                      value_columns=["share", "share_low", "share_high"], count_columns=["n"],
                                      size_column="n_people", partition=[], rates=False, hr=False)
    unmatched = prepost.unmatched_comparison(responses)
    return PrePostSection(matching=matching, areas=areas_shown, teams=teams_shown, spread=spread_shown,
                          change_models=view.change_models, reliable=reliable_shown, unmatched=unmatched,
                          team_merge_note=note)


# --- annual impact evaluation -----------------------------------------------------------------------------------

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
            better = "up" if _higher_is(instrument, score_id) == "better" else "down"
            rows.append({"instrument": instrument.id, "label": f"{instrument.id}: {_label(instrument, score_id)}",
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


def spc_panel(spc_charts: dict, indicators: list[str], policy: disclosure.Policy, shown: pd.DataFrame):
    """Several service-level SPC charts as one small-multiples panel: the points (hidden months as gaps) and
    segment summaries with a ``facet`` column naming each indicator, and one plain description per chart for the
    alt text. ``None`` when none of ``indicators`` was charted.
    """
    from ttwell.presentation.labels import VARIATION_ICONS
    from ttwell.calculations.workforce import INDICATORS

    points, summaries, descriptions = [], [], []
    for indicator in [i for i in indicators if i in spc_charts]:
        chart = spc_charts[indicator]
        label, unit, _ = INDICATORS[indicator]
        shown_points = policy.series(chart.points, shown[shown["indicator"] == indicator], on=["date"],
                                     columns=["value", "moving_range"])
        points.append(shown_points.assign(facet=label))
        summaries.append(chart.summary.assign(facet=label))
        latest = chart.summary.iloc[-1]
        as_text = (lambda v: f"{100 * v:.1f}%") if unit == "proportion" else (lambda v: f"{v:.1f}")
        descriptions.append(f"{label}: mean {as_text(latest['mean'])}, limits {as_text(latest['lpl'])} to "
                            f"{as_text(latest['upl'])}, {VARIATION_ICONS.get(latest['variation_icon'], '')[2:].lower()}")
    if not points:
        return None
    return pd.concat(points, ignore_index=True), pd.concat(summaries, ignore_index=True), descriptions


# --- compact report tables (the full tables are in the workbook) -------------------------------------------------

def breakdown_table(table: pd.DataFrame, indicators: list[str], group_names: dict[str, dict],
                    levels=("team", "role_family")) -> pd.DataFrame:
    """Disclosed baseline values below service level as one compact table: a row per team and per role family, a
    column per indicator (named by its label), with the number of staff behind the row.

    Returns columns ``level, group, n_people, <indicator labels...>, suppressed``; ``n_people`` is the largest
    number of staff behind any of the row's figures. A group with any of its indicators hidden shows none of them
    (and no n), so a row with [c] never shows a number. Intervals stay in the workbook's baseline values sheet.
    """
    from ttwell.presentation.labels import LEVELS
    from ttwell.calculations.workforce import INDICATORS

    labels = {i: INDICATORS[i][0] for i in indicators}
    rows = []
    for level in levels:
        part = table[(table["level"] == level) & table["indicator"].isin(indicators)]
        for group, by_group in part.groupby("group", sort=False):
            values = by_group.set_index("indicator")
            hidden = bool(values["suppressed"].any())
            row = {"level": LEVELS.get(level, level), "group": group_names.get(level, {}).get(group, group),
                   "n_people": float("nan") if hidden else values["n_people"].max()}
            for indicator in indicators:
                value = values["value"].get(indicator, float("nan"))
                row[labels[indicator]] = float("nan") if hidden else value
            row["suppressed"] = hidden
            rows.append(row)
    return pd.DataFrame(rows, columns=["level", "group", "n_people", *labels.values(), "suppressed"])


EXIT_STAY_DIRECTIONS = {"reason_to_stay": "Why staff stay", "reason_might_leave": "Why staff might leave",
                        "reason_to_leave": "Why leavers left"}


def exit_stay_table(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Disclosed exit and stay survey reasons as one table: a row per reason, a column per question (its share of
    respondents, the number of respondents in the header).

    Returns ``(wide, hidden)``: ``hidden`` names the questions whose every row is suppressed (too few
    respondents), which are left out of the table (see :func:`hidden_questions_sentence`). A reason suppressed
    under any question shown is hidden under all of them, so a row with [c] never shows a number. A reason not
    cited under a question is empty (a dash). Rows are ordered by the largest share.
    """
    hidden, columns = [], {}
    for direction, rows in table.groupby("direction", sort=False):
        name = EXIT_STAY_DIRECTIONS.get(direction, str(direction))
        if rows["suppressed"].all():
            hidden.append(name)
            continue
        n = rows["n_respondents"].max()
        columns[direction] = (f"{name} ({n:.0f} respondents)", rows.set_index("reason_code"))
    order = sorted(columns, key=lambda d: list(EXIT_STAY_DIRECTIONS).index(d) if d in EXIT_STAY_DIRECTIONS else 99)
    reasons = list(dict.fromkeys(r for d in order for r in columns[d][1].index))
    out = pd.DataFrame({"reason_code": reasons})
    hide = pd.Series(False, index=out.index)
    for direction in order:
        header, rows = columns[direction]
        out[header] = out["reason_code"].map(rows["share_of_respondents"]).astype(float)
        hide |= out["reason_code"].map(rows["suppressed"]).fillna(False).astype(bool)
    shares = [columns[d][0] for d in order]
    out.loc[hide, shares] = float("nan")
    out["suppressed"] = hide
    if shares:
        out = out.assign(_order=out[shares].max(axis=1)).sort_values("_order", ascending=False, kind="stable")
        out = out.drop(columns="_order").reset_index(drop=True)
    return out, hidden


def hidden_questions_sentence(hidden: list[str]) -> str | None:
    """'Why leavers left: not shown, fewer respondents than the threshold.' (nothing when no question is hidden)."""
    if not hidden:
        return None
    return f"{' and '.join(hidden)}: not shown, fewer respondents than the threshold."


def _scale_text(row) -> str:
    """'1-7, higher better': short enough to sit on one line of the scores table."""
    direction = "higher better" if row.higher_is == "better" else "higher worse"
    return f"{row.scale_min:g}\u2013{row.scale_max:g}, {direction}"


def survey_scores_table(survey_sections: dict) -> pd.DataFrame:
    """Every instrument's service-level scores in one table (disclosed), with each score's scale and direction.

    Returns columns ``instrument, label, [wave_id,] n_respondents, mean, ci_low, ci_high, suppressed``; the
    label carries the score's scale ("Autonomy (1-7, higher better)"), the instrument's name is given on its first
    row only, and the wave only when there is more than one. Role-family and team scores are in the workbook.
    """
    parts = []
    for section in survey_sections.values():
        service = section.levels.table[section.levels.table["level"] == "service"].copy()
        service["instrument"] = [section.instrument.name] + [""] * (len(service) - 1) if len(service) else []
        service["label"] = [f"{r.label} ({_scale_text(r)})" for r in service.itertuples()]
        parts.append(service)
    columns = ["instrument", "label", "wave_id", "n_respondents", "mean", "ci_low", "ci_high", "suppressed"]
    if not parts:
        return pd.DataFrame(columns=[c for c in columns if c != "wave_id"])
    table = pd.concat(parts, ignore_index=True)[columns]
    if table["wave_id"].nunique() <= 1:
        table = table.drop(columns="wave_id")
    return table


def _cutoff_measure(score_label: str, cutoff_label: str) -> str:
    """'Personal burnout: score at or above 50'; a cut-off label that already names its score is kept."""
    if score_label.lower() in cutoff_label.lower():
        return cutoff_label
    return f"{score_label}: {cutoff_label[:1].lower()}{cutoff_label[1:]}"


def survey_shares_table(survey_sections: dict) -> pd.DataFrame:
    """The service-level shares of the survey in one table (disclosed): above each published cut-off, and joy at
    work often or always.

    Returns columns ``instrument, measure, n_respondents, share, ci_low, ci_high, status, suppressed``; ``status``
    is the cut-off source's status ("Unconfirmed", "Confirmed"), empty for a share that is not a cut-off.
    """
    rows = []
    for section in survey_sections.values():
        name = section.instrument.name
        if section.cutoffs is not None:
            for row in section.cutoffs.table.to_dict("records"):
                rows.append({"instrument": name, "measure": _cutoff_measure(row.get("score_label", ""), row["label"]),
                             "n_respondents": row["n_respondents"], "share": row["share"], "ci_low": row["ci_low"],
                             "ci_high": row["ci_high"], "status": str(row["status"]).capitalize(),
                             "suppressed": bool(row["suppressed"])})
        often = section.extras.get("often_or_always")
        if often is not None:
            for row in often.table.to_dict("records"):
                rows.append({"instrument": name, "measure": "Joy at work often or always",
                             "n_respondents": row["n_respondents"], "share": row["share"], "ci_low": row["ci_low"],
                             "ci_high": row["ci_high"], "status": None, "suppressed": bool(row["suppressed"])})
    return pd.DataFrame(rows, columns=["instrument", "measure", "n_respondents", "share", "ci_low", "ci_high",
                                       "status", "suppressed"])


def cutoff_sentence(shares: pd.DataFrame) -> str | None:
    """What a cut-off share means, said once; its wording follows the sources' status.

    Branches: no cut-off share shown (nothing); every source unconfirmed; every source confirmed; a mix.
    """
    shown = shares[shares["status"].notna() & shares["share"].notna()]
    if shown.empty:
        return None
    unconfirmed = shown["status"].str.lower().eq("unconfirmed")
    if unconfirmed.all():
        source = "published screening cut-offs whose sources are not yet confirmed"
    elif not unconfirmed.any():
        source = "published screening cut-offs"
    else:
        source = "published screening cut-offs, some of whose sources are not yet confirmed (see the table)"
    return f"The shares at or above a cut-off use {source}: they describe the group and are not a diagnosis."


def enps_sentence(section: SurveySection) -> str | None:
    """The Employee Net Promoter Score in words; the wording follows its sign.

    Branches: no eNPS (nothing); hidden (too few respondents); above zero; zero; below zero.
    """
    extra = section.extras.get("enps")
    if extra is None or extra.table.empty:
        return None
    row = extra.table.iloc[0]
    if pd.isna(row["enps"]):
        return "Employee Net Promoter Score: not shown, fewer respondents than the threshold."
    value = round(float(row["enps"]))
    if value > 0:
        meaning = "more staff would recommend the service as a place to work (9 or 10 out of 10) than would not (0 to 6)"
    elif value < 0:
        meaning = "more staff would not recommend the service as a place to work (0 to 6 out of 10) than would (9 or 10)"
    else:
        meaning = "as many staff would recommend the service as a place to work (9 or 10 out of 10) as would not (0 to 6)"
    return (f"Employee Net Promoter Score: {value:+d} on a scale from -100 to +100, from "
            f"{row['n_respondents']:.0f} respondents: {meaning}.")


def reliability_sentence(survey_sections: dict) -> str | None:
    """Which multi-item scores to read with care because of their reliability, or that none need it.

    Branches: no multi-item score (nothing); every multi-item score reliable (coefficient 0.70 or more, no
    flag); some flagged (each named with its flag). Single-item scores have no coefficient and are not a warning.
    """
    flagged, checked = [], 0
    for section in survey_sections.values():
        table = section.reliability
        multi = table[table["n_items"] >= 2]
        checked += len(multi)
        for row in multi.itertuples():
            if isinstance(row.flag, str) or (pd.notna(row.alpha) and row.alpha < 0.70):
                flag = row.flag if isinstance(row.flag, str) else f"coefficient {row.alpha:.2f}"
                flagged.append(f"{_label(section.instrument, row.subscale)} ({section.instrument.name}): {flag}")
    if not checked:
        return None
    if not flagged:
        which = "The one multi-item score is" if checked == 1 else f"All {checked} multi-item scores are"
        return (f"{which} reliable (coefficient 0.70 or more: Cronbach's alpha, or "
                "Spearman-Brown for two items); the reliability table is in the workbook.")
    return ("Read with care, because of their reliability: " + "; ".join(flagged) +
            ". The reliability table is in the workbook.")


def item_label(item: str) -> str:
    """'TPS_03' -> 'Item 3' (item wording is the instrument owners' copyright, so items are shown by number)."""
    import re

    found = re.search(r"(\d+)$", str(item))
    return f"Item {int(found.group(1))}" if found else str(item)
