"""Survey sections: one instrument's scores by level, response rates, published NHS Staff Survey scores,
the compact score and share tables, and the sentences that describe them (each conditional on its numbers)."""

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


def score_label(instrument: scales.Instrument, score_id: str) -> str:
    for part in (*instrument.subscales, *instrument.composites):
        if part.id == score_id:
            return part.label or score_id
    return score_id


def higher_is(instrument: scales.Instrument, score_id: str) -> str:
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
    scores: pd.DataFrame | None = None  # ``levels`` before disclosure: for calculations (funnels), never shown


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
            frame["group"] = frame[column].map(merged).map(lambda g: named_group(g, names))
        summary = scale_summary(frame, score_ids, by=["wave_id", "group"])
        parts.append(summary.assign(level=level))
    levels = pd.concat(parts, ignore_index=True)
    levels.insert(0, "instrument", instrument.id)
    levels["label"] = levels["score"].map(lambda s: score_label(instrument, s))
    levels["scale_min"] = levels["score"].map(lambda s: score_range(instrument, s)[0])
    levels["scale_max"] = levels["score"].map(lambda s: score_range(instrument, s)[1])
    levels["higher_is"] = levels["score"].map(lambda s: higher_is(instrument, s))
    levels_shown = policy.table(levels, value_columns=SUMMARY_VALUES, size_column="n_respondents",
                                partition=["wave_id", "score"], rates=False, hr=False)

    reliability = reliability_table(items, instrument.subscale_items(), by="wave_id")
    reliability.insert(0, "instrument", instrument.id)

    section = SurveySection(instrument=instrument, levels=levels_shown, reliability=reliability, scores=levels)
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


def named_group(group, names: dict):
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
        sentences.append(f"Reliability of {score_label(instrument, row.subscale)} ({row.wave_id}): {row.flag}; "
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
                flagged.append(f"{score_label(section.instrument, row.subscale)} ({section.instrument.name}): {flag}")
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
