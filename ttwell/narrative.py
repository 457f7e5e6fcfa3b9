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
