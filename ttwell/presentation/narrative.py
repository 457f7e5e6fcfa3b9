"""Plain-English sentences generated from results, and the "About this report" block.

Nothing here calculates: every sentence is built from a results table that has already been through
disclosure control, so a suppressed figure is described as suppressed, never quoted.

Example
-------
>>> from ttwell.presentation.narrative import percent
>>> percent(0.04321)
'4.3%'
"""

from __future__ import annotations

import math

import pandas as pd

from ttwell.disclosure import SUPPRESSED_MARK
from ttwell.presentation.units import p_value, percent


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
    from ttwell.calculations.statistics import INTERVALS

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


def about_this_report(params: dict, files: list[dict], conventions: list[str], versions: dict | None = None, *,
                      file_parameters: bool = True) -> str:
    """Markdown for the 'About this report' section: parameters, inputs, conventions and thresholds.

    ``file_parameters=False`` leaves the file parameters out of the parameters table when ``files`` lists the
    files (each then named once, in the input files table, with its rows and fingerprint).
    """
    from ttwell.inputs.templates import TEMPLATES
    from ttwell.presentation.labels import label

    lines = ["### Parameters", "", "| Parameter | Value |", "|---|---|"]
    for key, value in params.items():
        if key in ("output_dir", "demonstration", "column_maps") or value in (None, "", {}):
            continue
        if key.endswith("_file") and files and not file_parameters:
            continue
        if isinstance(value, bool):
            shown = "Yes" if value else "No"
        elif key.endswith("_file"):
            shown = str(value).split("/")[-1].split("\\")[-1]
        else:
            shown = label(value)
        lines.append(f"| {label(key)} | {shown} |")
    lines += ["", "### Input files", "", "| Input | File | Rows | SHA-256 (first 12) |", "|---|---|---|---|"]
    for f in files:
        kind = TEMPLATES[f["kind"]].title if f["kind"] in TEMPLATES else label(f["kind"])
        lines.append(f"| {kind} | {f['file']} | {f['rows']:,} | {f['sha256'][:12]} |")
    lines += ["", "### Conventions and thresholds", ""]
    lines += [f"- {c}" for c in conventions]
    if versions:
        lines += ["", "### Software", "", ", ".join(f"{k} {v}" for k, v in versions.items())]
    return "\n".join(lines)


def coefficient_name(method) -> str:
    """The short name of a reliability coefficient from its ``method`` text: a two-item score's coefficient is
    Spearman-Brown, not Cronbach's alpha (``ttwell.calculations.scales.reliability``).

    >>> coefficient_name("Spearman-Brown of the inter-item correlation (two items)")
    'Spearman-Brown'
    >>> coefficient_name("Cronbach's alpha (Feldt 95% interval)")
    'alpha'
    """
    return "Spearman-Brown" if isinstance(method, str) and method.startswith("Spearman-Brown") else "alpha"


def survey_key_results(sections: dict) -> str:
    """A fixed-format block of service-level survey scores with their reliability coefficient (alpha, or
    Spearman-Brown for a two-item score, named as such), for the checked cell."""
    if not sections:
        return "No survey instruments in the baseline period."
    lines = []
    for instrument_id, section in sections.items():
        alphas = {(r.wave_id, r.subscale): (r.alpha, coefficient_name(getattr(r, "method", None)))
                  for r in section.reliability.itertuples()}
        service = section.levels.table[section.levels.table["level"] == "service"]
        for row in service.itertuples():
            if pd.isna(row.mean):
                lines.append(f"{instrument_id} {row.score} [{row.wave_id}]: suppressed")
                continue
            alpha, name = alphas.get((row.wave_id, row.score), (None, "alpha"))
            shown_alpha = f", {name} {alpha:.2f}" if alpha is not None and pd.notna(alpha) else ""
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
    from ttwell.presentation.labels import measure

    return [f"{row.cycle_id} ({row.change_idea}) on {measure(row.measure_id)}: {row.data_verdict}; {row.decision_vs_data}."
            for row in verdicts.itertuples()]


def pdsa_chart_key_results(measure_sections: dict) -> str:
    """A fixed-format block per measure: each SPC segment and the run chart's signal.

    A segment of fewer than 13 points shows "trial limits", and its assurance icon "(from trial limits)".
    """
    lines = []
    for measure_id, section in measure_sections.items():
        for seg in section.spc.summary.itertuples():
            trial = bool(getattr(seg, "trial_limits", False))
            assurance = seg.assurance_icon if isinstance(seg.assurance_icon, str) else "no target"
            if trial and isinstance(seg.assurance_icon, str):
                assurance += " (from trial limits)"
            limits = "trial limits" if trial else "limits"
            lines.append(f"{measure_id} segment {seg.segment}: n = {seg.n}, mean {seg.mean:.2f}, {limits} "
                         f"{seg.lpl:.2f} to {seg.upl:.2f}, {seg.variation_icon}, {assurance}")
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


def in_ten(share: float) -> str:
    """0.2 -> 'two in ten' (nearest tenth), as the published training example phrases shares."""
    words = ["none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return f"{words[int(round(share * 10))]} in ten"


SPREAD_TOLERANCE_POINTS = 2.0  # a change in the range of team means of 2 points or less is "about the same"


def _direction(change: float, tolerance: float = 0.0) -> str:
    """'up', 'down' or 'same' for a change, with changes within ``tolerance`` (inclusive) counted as 'same'."""
    if change > tolerance:
        return "up"
    if change < -tolerance:
        return "down"
    return "same"


def change_sentence(overall) -> str | None:
    """The headline sentence on mean confidence: its verb, and what it says of chance, follow the numbers.

    Branches: rose / fell / the same (mean change rounds to 0 points); the 95% CI excludes no change, includes
    it, or cannot be estimated (the reason is given); nothing when the overall row is suppressed.

    Examples
    --------
    >>> change_sentence({"mean_pre": 48.0, "mean_post": 81.0, "mean_change": 33.0, "ci_low": 30.0,
    ...                  "ci_high": 36.0, "n_matched": 80})[:40]
    'Mean confidence rose from 48% before tra'
    """
    if pd.isna(overall["mean_pre"]):
        return None
    change = overall["mean_change"]
    direction = _direction(round(change))
    verb = {"up": "rose from", "down": "fell from", "same": "was about the same:"}[direction]
    text = (f"Mean confidence {verb} {overall['mean_pre']:.0f}% before training "
            f"{'to' if direction != 'same' else 'and'} {overall['mean_post']:.0f}% after: a change of "
            f"{change:+.0f} percentage points")
    if pd.isna(overall.get("ci_low")):
        reason = overall.get("not_estimable_reason")
        text += f" (no 95% CI: {reason})" if isinstance(reason, str) and reason else " (no 95% CI)"
    elif overall["ci_low"] > 0 or overall["ci_high"] < 0:
        text += f" (95% CI {overall['ci_low']:.0f} to {overall['ci_high']:.0f})"
    else:
        text += (f" (95% CI {overall['ci_low']:.0f} to {overall['ci_high']:.0f}, which includes no change: not "
                 "clear of chance)")
    return text + f" across the {overall['n_matched']:.0f} attendees who completed both forms."


def area_sentence(by_area: pd.DataFrame) -> str | None:
    """Which area started lowest and which changed most; the verb follows the sign of the largest change.

    Branches: the lowest area also changed most, or another did; the largest change is a rise, zero, or (no
    area rose) the smallest fall; nothing without area rows.
    """
    if not len(by_area):
        return None
    low = by_area.loc[by_area["mean_pre"].idxmin()]
    gain = by_area.loc[by_area["mean_change"].idxmax()]
    direction = _direction(round(gain["mean_change"]))
    verb = {"up": "rose most", "same": "changed least (no area rose)", "down": "fell least (no area rose)"}[direction]
    most = f"which also {verb}" if low["area"] == gain["area"] else f"and {verb} in '{gain['area_label']}'"
    return (f"Confidence was lowest before training in '{low['area_label']}' ({low['mean_pre']:.0f}%), "
            f"{most} ({gain['mean_change']:+.0f} points).")


def team_share_sentence(teams: pd.DataFrame, confidence_threshold: float = 50) -> str | None:
    """The lowest and highest team share above the threshold before training (nothing with fewer than 2 teams).

    Branches: the shares differ (in tenths, as the published example phrases them), or round to the same tenth.
    """
    teams = teams.dropna(subset=["share_above_pre"])
    if len(teams) < 2:
        return None
    lo, hi = teams.loc[teams["share_above_pre"].idxmin()], teams.loc[teams["share_above_pre"].idxmax()]
    if in_ten(lo["share_above_pre"]) == in_ten(hi["share_above_pre"]):
        return (f"Before training, about {in_ten(lo['share_above_pre'])} staff were above {confidence_threshold:g}% "
                f"confident in every team shown ({len(teams)} teams).")
    return (f"Before training, {in_ten(lo['share_above_pre'])} staff were above {confidence_threshold:g}% confident "
            f"in {lo['team_code']}, compared with {in_ten(hi['share_above_pre'])} in {hi['team_code']}.")


def spread_sentence(spread: pd.DataFrame, confidence_threshold: float = 50,
                    tolerance: float = SPREAD_TOLERANCE_POINTS) -> str | None:
    """Whether the spread between team averages narrowed, widened or stayed about the same, from the numbers.

    The judgement is on the range of the team means (the figure the sentence leads with): narrowed when it fell
    by more than ``tolerance`` percentage points (default 2), widened when it rose by more, otherwise about
    the same (the tolerance is stated in that sentence). Nothing when the spread is suppressed, and a plain
    statement when fewer than two teams can be shown.

    Examples
    --------
    >>> frame = pd.DataFrame({"timepoint": ["pre", "post"], "n_teams": [3, 3], "team_mean_range": [3.0, 34.0],
    ...                       "team_mean_sd": [1.5, 17.0], "share_above_range": [0.1, 0.5]})
    >>> spread_sentence(frame)[:45]
    'The spread between teams widened: team averag'
    """
    spread = spread.set_index("timepoint")
    if not {"pre", "post"} <= set(spread.index):
        return None
    pre, post = spread.loc["pre"], spread.loc["post"]
    if pd.notna(pre.get("n_teams")) and min(pre["n_teams"], post["n_teams"]) < 2:
        return "Fewer than two teams can be shown, so the spread between teams is not described."
    if pd.isna(pre["team_mean_range"]) or pd.isna(post["team_mean_range"]):
        return None
    direction = _direction(post["team_mean_range"] - pre["team_mean_range"], tolerance)
    head = {"up": "The spread between teams widened",
            "down": "The spread between teams narrowed",
            "same": f"The spread between teams stayed about the same (within {tolerance:g} points)"}[direction]
    sd = ""
    if pd.notna(pre.get("team_mean_sd")) and pd.notna(post.get("team_mean_sd")):
        sd = f" (SD {pre['team_mean_sd']:.1f} to {post['team_mean_sd']:.1f})"
    shares = ""
    if pd.notna(post.get("share_above_range")):
        shares = (f"; the teams' shares above {confidence_threshold:g}% differed by "
                  f"{100 * post['share_above_range']:.0f} points after training")
    return (f"{head}: team averages ranged over {pre['team_mean_range']:.0f} points before and "
            f"{post['team_mean_range']:.0f} after{sd}{shares}.")


def below_threshold_sentence(overall, confidence_threshold: float = 50) -> str | None:
    """How many attendees were still at or below the threshold after training (branches: some, none)."""
    if pd.isna(overall.get("n_above_post")) or pd.isna(overall.get("n_matched")):
        return None
    below = int(overall["n_matched"] - overall["n_above_post"])
    if below == 0:
        return (f"After training, all {overall['n_matched']:.0f} attendees rated their overall confidence above "
                f"{confidence_threshold:g}%.")
    return (f"After training, {below} of {overall['n_matched']:.0f} attendees rated their overall confidence at "
            f"{confidence_threshold:g}% or below.")


def reliable_change_sentence(summary: pd.DataFrame) -> str | None:
    """The coefficient behind reliable change and the change it needs, or why reliable change is left out.

    Branches: computed (coefficient, its source and the points needed), left out (the reason), no table.
    """
    if summary is None or not len(summary):
        return None
    row = summary.iloc[0]
    reason = row.get("not_estimable_reason")
    if isinstance(reason, str) and reason:
        return reason
    return (f"Reliability used: {row['reliability']:.2f} ({row['reliability_source']}); a change of more than "
            f"{row['change_needed']:.1f} points counts as reliable.")


def prepost_statements(section, confidence_threshold: float = 50) -> list[str]:
    """Plain-English statements of the kind the published training example makes, generated from the data.

    Each sentence comes from a function above whose words follow its numbers (:func:`change_sentence`,
    :func:`area_sentence`, :func:`team_share_sentence`, :func:`spread_sentence`,
    :func:`below_threshold_sentence`); a sentence whose figures are suppressed or missing is left out.
    """
    areas = section.areas.table
    overall = areas[areas["area"].astype(str) == "overall"].iloc[0]
    by_area = areas[areas["area"].astype(str) != "overall"].dropna(subset=["mean_pre"])
    out = [change_sentence(overall), area_sentence(by_area),
           team_share_sentence(section.teams.table, confidence_threshold),
           spread_sentence(section.spread.table, confidence_threshold),
           below_threshold_sentence(overall, confidence_threshold)]
    return [sentence for sentence in out if sentence]


def _icc_text(s) -> str:
    """'ICC 0.289', or 'ICC not estimable (reason)': never a made-up 0."""
    if pd.notna(s.get("icc")):
        return f"ICC {s['icc']:.3f}"
    reason = s.get("not_estimable_reason")
    reason = reason.removeprefix("ICC ").removeprefix("not estimable: ") if isinstance(reason, str) else ""
    return f"ICC not estimable ({reason})" if reason else "ICC not estimable"


def prepost_key_results(section) -> str:
    """A fixed-format block of the per-area and overall results for the checked cell.

    An interval that cannot be estimated is written "95% CI not estimable", an ICC from a model that did not
    converge "ICC not estimable (reason)", and the SD of team means with one team "SD not estimable".
    """
    lines = []
    for row in section.areas.table.itertuples():
        if pd.isna(row.mean_pre):
            lines.append(f"area {row.area}: suppressed")
            continue
        ci = (f"95% CI {row.ci_low:.1f} to {row.ci_high:.1f}" if pd.notna(row.ci_low) else "95% CI not estimable")
        lines.append(f"area {row.area}: n = {row.n_matched:.0f}, before {row.mean_pre:.1f}, after {row.mean_post:.1f}, "
                     f"change {row.mean_change:+.1f} ({ci}), p_holm {p_value(row.p_holm)}")
    spread = section.spread.table.set_index("timepoint")
    for timepoint in ("pre", "post"):
        if timepoint in spread.index:
            s = spread.loc[timepoint]
            sd = f"SD of team means {s['team_mean_sd']:.2f}" if pd.notna(s["team_mean_sd"]) else "SD not estimable"
            lines.append(f"teams {timepoint}: {s['n_teams']:.0f} teams, {sd}, "
                         f"range {s['team_mean_range']:.2f}, {_icc_text(s)}")
    return "\n".join(lines)


HEADLINE_INDICATORS = ("sickness_absence_rate_12m", "leaver_rate_hc_12m", "voluntary_leaver_rate_hc_12m",
                       "stability_index_nhs_12m", "vacancy_rate_fte")


def annual_summary(indicator_verdicts: dict, survey_verdicts: pd.DataFrame, objectives: pd.DataFrame,
                   period: str) -> list[str]:
    """The first-screen sentences of the annual report: one reconciled verdict per headline indicator
    (``ttwell.calculations.verdicts.VERDICT_RULE``), the survey counted once per construct with Holm's adjustment, each
    objective's rating (``OBJECTIVE_RULE``) and the design's main limitation.

    Every sentence comes from the verdict objects, so no two sentences can disagree about an indicator.
    """
    from ttwell.calculations import verdicts

    out = [indicator_verdicts[i].sentence for i in HEADLINE_INDICATORS if i in indicator_verdicts]
    if survey_verdicts is not None and len(survey_verdicts):
        out.append(verdicts.survey_count_sentence(survey_verdicts))
    out += [verdicts.objective_sentence(row) for _, row in objectives.iterrows()]
    out.append(f"All of this compares {period} before and after the strategy started, without a comparison service: "
               "other changes over the same time could explain part of any difference.")
    return out
