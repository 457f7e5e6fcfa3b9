"""Plain-English sentences generated from results, and the "About this report" block.

Nothing here calculates: every sentence is built from a results table that has already been through
disclosure control, so a suppressed figure is described as suppressed, never quoted.

Example
-------
>>> from ttwell.narrative import percent
>>> percent(0.04321)
'4.3%'
"""

from __future__ import annotations

import math

import pandas as pd

from ttwell.disclosure import SUPPRESSED_MARK


def percent(value, decimals: int = 1) -> str:
    """A proportion as a percentage string; missing values as '[c]'-free 'not available'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    return f"{value * 100:.{decimals}f}%"


def period_text(start, end) -> str:
    """'April 2023 to March 2024'."""
    return f"{pd.Timestamp(start):%B %Y} to {pd.Timestamp(end):%B %Y}"


def baseline_sentence(row: pd.Series, start, end) -> str:
    """One sentence for one service-level baseline value, with its interval and n."""
    if row.get("suppressed", False) and pd.isna(row["value"]):
        return f"{row['label']}: suppressed ({SUPPRESSED_MARK}) because too few people are behind it."
    if row["unit"] == "count":
        return f"{row['label']}: {row['value']:.0f} on average over {period_text(start, end)}."
    text = f"{row['label']}: {percent(row['value'])}"
    if pd.notna(row["ci_low"]):
        text += f" (95% CI {percent(row['ci_low'])} to {percent(row['ci_high'])})"
    n = "" if pd.isna(row.get("n_people")) else f"; {row['n_people']:.0f} staff"
    return text + f", {period_text(start, end)}{n}."


def intervals_explained(used) -> str:
    """Markdown bullets explaining each interval named in a table's ``interval`` column."""
    from ttwell.intervals import INTERVALS

    names = [name for name in INTERVALS if name in set(used)]
    return "\n".join(f"- **{name}**: {INTERVALS[name]}" for name in names)


def key_results_text(baseline: pd.DataFrame, indicators: list[str]) -> str:
    """A fixed-format block of service-level baseline values for the notebook's checked cell."""
    service = baseline[baseline["level"] == "service"].set_index("indicator")
    lines = []
    for indicator in indicators:
        if indicator not in service.index:
            continue
        row = service.loc[indicator]
        if row["unit"] == "count":
            lines.append(f"{indicator}: {row['value']:.1f}")
            continue
        ci = (f" (95% CI {percent(row['ci_low'])} to {percent(row['ci_high'])})" if pd.notna(row["ci_low"]) else "")
        n = "" if pd.isna(row["n_people"]) else f", n = {row['n_people']:.0f}"
        lines.append(f"{indicator}: {percent(row['value'])}{ci}{n}")
    return "\n".join(lines)


def suppression_summary(table: pd.DataFrame, level: str) -> str:
    """'2 of 6 team rows suppressed (T06: group of fewer than 11 people; ...)' for one indicator table."""
    rows = table[table["level"] == level]
    hidden = rows[rows["suppressed"]]
    if hidden.empty:
        return f"{level}: no rows suppressed ({len(rows)} shown)"
    reasons = "; ".join(f"{g}: {r}" for g, r in zip(hidden["group"], hidden["suppression_reason"]))
    return f"{level}: {len(hidden)} of {len(rows)} rows suppressed ({reasons})"


def about_this_report(params: dict, files: list[dict], conventions: list[str], versions: dict | None = None) -> str:
    """Markdown for the 'About this report' section: parameters, inputs, conventions and thresholds."""
    lines = ["### Parameters", "", "| parameter | value |", "|---|---|"]
    for key, value in params.items():
        if key == "output_dir":
            continue
        shown = value.split("/")[-1].split("\\")[-1] if key.endswith("_file") and value else value
        lines.append(f"| {key} | {shown} |")
    lines += ["", "### Input files", "", "| input | file | rows | SHA-256 (first 12) |", "|---|---|---|---|"]
    for f in files:
        lines.append(f"| {f['kind']} | {f['file']} | {f['rows']} | {f['sha256'][:12]} |")
    lines += ["", "### Conventions and thresholds", ""]
    lines += [f"- {c}" for c in conventions]
    if versions:
        lines += ["", "### Software", "", ", ".join(f"{k} {v}" for k, v in versions.items())]
    return "\n".join(lines)


def survey_key_results(sections: dict) -> str:
    """A fixed-format block of service-level survey scores with their alpha, for the checked cell."""
    if not sections:
        return "No survey instruments in the baseline period."
    lines = []
    for instrument_id, section in sections.items():
        alphas = {(r.wave_id, r.subscale): r.alpha for r in section.reliability.itertuples()}
        service = section.levels.table[section.levels.table["level"] == "service"]
        for row in service.itertuples():
            if pd.isna(row.mean):
                lines.append(f"{instrument_id} {row.score} [{row.wave_id}]: suppressed")
                continue
            alpha = alphas.get((row.wave_id, row.score))
            shown_alpha = f", alpha {alpha:.2f}" if alpha is not None and pd.notna(alpha) else ""
            lines.append(f"{instrument_id} {row.score} [{row.wave_id}]: {row.mean:.2f} "
                         f"(95% CI {row.ci_low:.2f} to {row.ci_high:.2f}), n = {row.n_respondents:.0f}{shown_alpha}")
    return "\n".join(lines)


def pdsa_key_results(verdicts: pd.DataFrame) -> str:
    """A fixed-format block of per-cycle verdicts for the checked cell."""
    lines = []
    for row in verdicts.itertuples():
        first = "" if pd.isna(row.first_signal_date) else f" from {pd.Timestamp(row.first_signal_date):%Y-%m} ({row.first_signal_rule})"
        lines.append(f"{row.cycle_id} {row.measure_id}: {row.act_decision}; signal {row.signal}{first}; "
                     f"{row.n_baseline} baseline points, {row.n_after} after")
    return "\n".join(lines)


def pdsa_sentences(verdicts: pd.DataFrame) -> list[str]:
    """One plain sentence per cycle and measure: the change, what the data show, and the decision."""
    return [f"{row.cycle_id} ({row.change_idea}) on {row.measure_id}: {row.data_verdict}; {row.decision_vs_data}."
            for row in verdicts.itertuples()]


def pdsa_chart_key_results(measure_sections: dict) -> str:
    """A fixed-format block per measure: each SPC segment and the run chart's signal."""
    lines = []
    for measure_id, section in measure_sections.items():
        for seg in section.spc.summary.itertuples():
            assurance = seg.assurance_icon if isinstance(seg.assurance_icon, str) else "no target"
            lines.append(f"{measure_id} segment {seg.segment}: n = {seg.n}, mean {seg.mean:.2f}, limits {seg.lpl:.2f} "
                         f"to {seg.upl:.2f}, {seg.variation_icon}, {assurance}")
        parts = section.runs.parts.iloc[-1]
        lines.append(f"{measure_id} run chart: median {parts['median']:.2f}, longest run {parts['longest_run']} "
                     f"(max {parts['longest_run_max']}), crossings {parts['n_crossings']} (min {parts['n_crossings_min']}), "
                     f"signal {bool(parts['signal'])}")
    return "\n".join(lines)


def icon_key_results(icons: pd.DataFrame) -> str:
    """A fixed-format block of each indicator's SPC variation icon and baseline limits."""
    return "\n".join(f"{row.indicator}: {row.variation}, baseline mean {row.baseline_mean:.4f}, "
                     f"limits {row.lower_limit:.4f} to {row.upper_limit:.4f}, {row.special_cause_points} special-cause points"
                     for row in icons.itertuples())


def p_value(p) -> str:
    """'p < 0.001' style: tiny p-values differ in their last digits between machines and mean nothing more."""
    if p is None or pd.isna(p):
        return "-"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def in_ten(share: float) -> str:
    """0.2 -> 'two in ten' (nearest tenth), as the published training example phrases shares."""
    words = ["none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return f"{words[int(round(share * 10))]} in ten"


def prepost_statements(section, confidence_threshold: float = 50) -> list[str]:
    """Plain-English statements of the kind the published training example makes, generated from the data."""
    areas = section.areas.table
    overall = areas[areas["area"].astype(str) == "overall"].iloc[0]
    by_area = areas[areas["area"].astype(str) != "overall"].dropna(subset=["mean_pre"])
    out = []
    if pd.notna(overall["mean_pre"]):
        out.append(f"Mean confidence rose from {overall['mean_pre']:.0f}% before training to {overall['mean_post']:.0f}% "
                   f"after: a change of {overall['mean_change']:+.0f} percentage points (95% CI {overall['ci_low']:.0f} to "
                   f"{overall['ci_high']:.0f}) across the {overall['n_matched']:.0f} attendees who completed both forms.")
    if len(by_area):
        low = by_area.loc[by_area["mean_pre"].idxmin()]
        gain = by_area.loc[by_area["mean_change"].idxmax()]
        most = ("which also rose most" if low["area"] == gain["area"]
                else f"and rose most in '{gain['area_label']}'")
        out.append(f"Confidence was lowest before training in '{low['area_label']}' ({low['mean_pre']:.0f}%), "
                   f"{most} ({gain['mean_change']:+.0f} points).")
    teams = section.teams.table.dropna(subset=["share_above_pre"])
    if len(teams) >= 2:
        lo, hi = teams.loc[teams["share_above_pre"].idxmin()], teams.loc[teams["share_above_pre"].idxmax()]
        out.append(f"Before training, {in_ten(lo['share_above_pre'])} staff were above {confidence_threshold:g}% confident "
                   f"in {lo['team_code']}, compared with {in_ten(hi['share_above_pre'])} in {hi['team_code']}.")
    spread = section.spread.table.set_index("timepoint")
    if {"pre", "post"} <= set(spread.index):
        pre, post = spread.loc["pre"], spread.loc["post"]
        out.append(f"The spread between teams narrowed: team averages ranged over {pre['team_mean_range']:.0f} points "
                   f"before and {post['team_mean_range']:.0f} after (SD {pre['team_mean_sd']:.1f} to "
                   f"{post['team_mean_sd']:.1f}); the teams' shares above {confidence_threshold:g}% differed by "
                   f"{100 * post['share_above_range']:.0f} points after training.")
    if pd.notna(overall.get("n_above_post")):
        below = int(overall["n_matched"] - overall["n_above_post"])
        out.append(f"After training, {below} of {overall['n_matched']:.0f} attendees rated their overall confidence at "
                   f"{confidence_threshold:g}% or below.")
    return out


def prepost_key_results(section) -> str:
    """A fixed-format block of the per-area and overall results for the checked cell."""
    lines = []
    for row in section.areas.table.itertuples():
        if pd.isna(row.mean_pre):
            lines.append(f"area {row.area}: suppressed")
            continue
        lines.append(f"area {row.area}: n = {row.n_matched:.0f}, before {row.mean_pre:.1f}, after {row.mean_post:.1f}, "
                     f"change {row.mean_change:+.1f} (95% CI {row.ci_low:.1f} to {row.ci_high:.1f}), "
                     f"p_holm {p_value(row.p_holm)}")
    spread = section.spread.table.set_index("timepoint")
    for timepoint in ("pre", "post"):
        if timepoint in spread.index:
            s = spread.loc[timepoint]
            lines.append(f"teams {timepoint}: {s['n_teams']:.0f} teams, SD of team means {s['team_mean_sd']:.2f}, "
                         f"range {s['team_mean_range']:.2f}, ICC {s['icc']:.3f}")
    return "\n".join(lines)


RAG_WORDS = {"green": "improving", "amber": "no clear change", "red": "worsening", "grey": "no evidence"}


def executive_summary(workforce: pd.DataFrame, survey: pd.DataFrame, objectives: pd.DataFrame,
                      its_effects: dict, period: str) -> list[str]:
    """The first-screen sentences of the annual report, in plain English, from the disclosed results."""
    out = []
    wf = workforce[workforce["level"] == "service"].set_index("indicator") if len(workforce) else pd.DataFrame()
    for indicator, words in (("sickness_absence_rate_12m", "Sickness absence"),
                             ("voluntary_leaver_rate_hc_12m", "Voluntary leaving"),
                             ("stability_index_nhs_12m", "Staff stability (still in post a year on)")):
        if indicator in wf.index and pd.notna(wf.loc[indicator, "value_evaluation"]):
            r = wf.loc[indicator]
            sure = {"green": "an improvement unlikely to be chance", "red": "a worsening unlikely to be chance"}.get(
                r["judgement"], "a change within what chance could produce")
            out.append(f"{words} went from {100 * r['value_baseline']:.1f}% to {100 * r['value_evaluation']:.1f}% "
                       f"({sure}).")
    if len(survey):
        better = survey[survey["judgement"] == "green"]["label"].tolist()
        worse = survey[survey["judgement"] == "red"]["label"].tolist()
        out.append(f"In the staff survey, {len(better)} of {len(survey)} scores improved beyond chance"
                   + (f" ({', '.join(better[:4])}{', ...' if len(better) > 4 else ''})" if better else "")
                   + (f"; {len(worse)} worsened ({', '.join(worse[:3])})" if worse else "") + ".")
    for name, effect in its_effects.items():
        out.append(effect)
    if len(objectives):
        out.append("By objective: " + "; ".join(f"{r.label}: {RAG_WORDS[r.rag]}" for r in objectives.itertuples()) + ".")
    out.append(f"All of this compares {period} before and after the strategy started, without a comparison service: "
               "other changes over the same time could explain part of any difference.")
    return out


def its_sentence(label: str, effects: pd.DataFrame, ratio: bool, percent: bool = False) -> str:
    """One sentence on an interrupted time series' end-of-year effect."""
    row = effects.set_index("effect").loc["effect_at_end"]
    if ratio:
        change = (row["estimate"] - 1) * 100
        return (f"{label}: by the end of the evaluation year the monthly rate was {abs(change):.0f}% "
                f"{'lower' if change < 0 else 'higher'} than the pre-strategy trend predicted (rate ratio "
                f"{row['estimate']:.2f}, 95% CI {row['ci_low']:.2f} to {row['ci_high']:.2f}).")
    scale = 100 if percent else 1
    unit = " points" if percent else ""
    return (f"{label}: by the end of the evaluation year the value was {row['estimate'] * scale:+.1f}{unit} against "
            f"the pre-strategy trend (95% CI {row['ci_low'] * scale:+.1f} to {row['ci_high'] * scale:+.1f}).")
