"""Commands that analyse one file without a notebook: score, spc, runchart, prepost, its.

Each reads the file, calls the same calculator the notebooks call and writes CSV and JSON beside a short printed
summary. JSON goes through :func:`ttwell.presentation.results.write_json`, the one JSON-safe converter.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from ttwell.errors import InputError, ParameterError, TtwellError
from ttwell.running.cli.group import EXIT_INPUT, fail, main


@main.command(name="score")
@click.argument("instrument")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="CSV file to write (default: FILE's name + _<instrument>_scores.csv, beside FILE).")
@click.option("--variant", help="Wording variant, for instruments that have one (TPS: edmondson_1999 or "
                                "strategy_positive). Default: FILE's ps_variant column.")
@click.option("--coding", help="Response coding, for instruments with alternatives (OLBI: SA1_SD4, the default, "
                               "or SD1_SA4). Default: FILE's olbi_response_coding column, else the default.")
def score_command(instrument: str, file: str, output: str | None, variant: str | None, coding: str | None) -> None:
    """Score INSTRUMENT in FILE and write one row of scores per respondent.

    INSTRUMENT is OLBI, WRQOL, BPNSW, TPS, CBI, SWEMWBS, NQPS9, JOY or the path of your own instrument
    definition (.yaml). FILE is CSV or XLSX, long (instrument, item_id, item_value columns, as the
    survey_responses template) or wide (one column per item id), with wave_id and response_id columns.
    Values outside the instrument's coding, unknown items and duplicate answers are all listed, and nothing
    is written until they are fixed.

    \b
    Example:
      ttwell score OLBI survey_responses_long.csv -o olbi_scores.csv
      ttwell score TPS pulse_march.xlsx --variant strategy_positive
    """
    from ttwell.inputs.io import read_raw
    from ttwell.calculations.scales import load_instrument
    from ttwell.calculations.scales import score as score_responses

    try:
        inst = load_instrument(instrument)
        out = Path(output) if output else Path(file).with_name(f"{Path(file).stem}_{inst.id.lower()}_scores.csv")
        if out.resolve() == Path(file).resolve():
            raise ParameterError("The output file would overwrite the responses; give another name with -o.")
        frame, _, problems = read_raw(file, keep_headers=True)
        if problems:
            raise InputError(problems)
        frame = _respondent_columns_named(frame)
        scored = score_responses(frame, inst, variant=variant, coding=coding, file=Path(file).name)
    except (InputError, ParameterError) as exc:
        fail(exc, EXIT_INPUT)
    out.parent.mkdir(parents=True, exist_ok=True)
    scored.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\n")
    click.echo(f"wrote {len(scored)} respondent(s) to {out}")
    click.echo("Reminder: this file holds person-level scores; store and share it only as you would the responses.")


def _respondent_columns_named(frame):
    """Respondent columns under their template names (``Wave ID`` -> ``wave_id``); item columns keep the user's
    headers, so messages name ``OLBI_07`` as the file does."""
    from ttwell.inputs.io import normalise_header
    from ttwell.inputs.templates import TEMPLATES

    known = set(TEMPLATES["survey_responses"].column_names()) | {"ps_variant", "olbi_response_coding"}
    return frame.rename(columns={c: normalise_header(c) for c in frame.columns if normalise_header(c) in known})


def _spc_frame(file: str, columns: dict[str, str | None]) -> tuple[object, dict[str, str | None]]:
    """Read FILE as text cells (ttwell.inputs.io.read_raw) and check the named columns exist (headers normalised)."""
    from ttwell.inputs.io import normalise_header, read_raw

    frame, _, problems = read_raw(file)
    if problems:
        raise InputError(problems)
    named = {arg: normalise_header(col) if col else None for arg, col in columns.items()}
    for arg, col in named.items():
        if col and col not in frame.columns:
            raise ParameterError(f"--{arg.replace('_', '-')}: '{columns[arg]}' is not a column of {Path(file).name} "
                                 f"(columns: {', '.join(frame.columns)}).")
    return frame, named


def _spc_input_problems(exc: InputError, file: str) -> InputError:
    # The engine labels cells "data"; on the command line the reader wants the file's name.
    from dataclasses import replace as _replace

    return InputError([_replace(p, file=Path(file).name) if p.file == "data" else p for p in exc.problems],
                      intro=str(exc).splitlines()[0])


@main.command(name="spc")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--date", "date_col", required=True, help="Column of dates (dd/mm/yyyy or yyyy-mm-dd).")
@click.option("--value", "value_col", help="Column of values (XmR) or counts (c chart).")
@click.option("--facet", "facet_col", help="Column naming separate series (one chart each).")
@click.option("--direction", type=click.Choice(["increase", "decrease", "neutral"]), default="increase",
              show_default=True, help="Which way is improvement.")
@click.option("--rebase", multiple=True, metavar="DATE",
              help="Start new limits at the point dated DATE (repeat for several).")
@click.option("--fix-after", type=int, metavar="N", help="Limits from the first N points of each segment (XmR: N >= 12).")
@click.option("--target", type=float, help="Target value, for the assurance icon (XmR).")
@click.option("--no-screen", is_flag=True, help="Do not screen large moving ranges (reproduces the MDC Excel tool).")
@click.option("--run-length", type=click.Choice(["6", "7"]), default="7", show_default=True,
              help="Points for a shift or a trend.")
@click.option("--two-sigma", type=click.Choice(["ptd", "mdc_2023"]), default="ptd", show_default=True,
              help="Two-in-three rule: points between 2 and 3 sigma (ptd) or any beyond 2 sigma (mdc_2023).")
@click.option("--chart", type=click.Choice(["xmr", "p", "u", "c"]), default="xmr", show_default=True)
@click.option("--numerator", "numerator_col", help="Column of event counts (p and u charts).")
@click.option("--denominator", "denominator_col", help="Column of the number at risk or exposure (p and u charts).")
@click.option("--drop-missing", is_flag=True,
              help="Drop rows without a value and accept missing months (reported as warnings) instead of stopping.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="CSV of points to write; the summary goes to the same name with .json.")
def spc_command(file: str, date_col: str, value_col: str | None, facet_col: str | None, direction: str,
                rebase: tuple[str, ...], fix_after: int | None, target: float | None, no_screen: bool,
                run_length: str, two_sigma: str, chart: str, numerator_col: str | None,
                denominator_col: str | None, drop_missing: bool, output: str) -> None:
    """SPC chart of FILE (Making Data Count XmR by default): one row per point, with the rule that fired.

    Writes OUT.csv (facet, date, value, segment, mean, lpl, upl, rule, side, point_type, ...) and OUT.json
    (per facet and segment: n, mean, limits, variation icon, assurance icon, warnings). Dates are read
    day-first. Missing values or missing months stop the run unless --drop-missing is given.

    \b
    Examples:
      ttwell spc sickness.csv --date month --value rate_pct --direction decrease \\
            --rebase 01/10/2024 --target 4.5 -o out/sickness_spc.csv
      ttwell spc leavers.csv --date month --chart p --numerator leavers --denominator staff_in_post -o p.csv
    """
    from ttwell.calculations import spc
    from ttwell.presentation.results import json_records, write_json

    try:
        if chart in ("p", "u"):
            if not (numerator_col and denominator_col):
                raise ParameterError(f"A {chart} chart needs --numerator and --denominator columns.")
        elif not value_col:
            raise ParameterError("Give --value, the column to chart.")
        if chart != "xmr" and (target is not None or no_screen or run_length != "7" or two_sigma != "ptd"):
            raise ParameterError("--target, --no-screen, --run-length and --two-sigma apply to XmR charts only.")
        out = Path(output)
        if out.suffix.lower() != ".csv":
            raise ParameterError(f"-o must name a .csv file; got '{output}'.")
        frame, cols = _spc_frame(file, {"date": date_col, "value": value_col if chart in ("xmr", "c") else None,
                                        "facet": facet_col, "numerator": numerator_col if chart in ("p", "u") else None,
                                        "denominator": denominator_col if chart in ("p", "u") else None})
        common = {"date": cols["date"], "facet": cols["facet"], "improvement_direction": direction,
                  "rebase": list(rebase), "fix_after_n_points": fix_after,
                  "missing": "drop" if drop_missing else "error"}
        try:
            if chart == "xmr":
                result = spc.xmr(frame, value=cols["value"], target=target, screen_outliers=not no_screen,
                                 run_length=int(run_length), two_sigma_rule=two_sigma, **common)
            elif chart == "c":
                result = spc.c_chart(frame, value=cols["value"], **common)
            else:
                chart_fn = spc.p_chart if chart == "p" else spc.u_chart
                result = chart_fn(frame, numerator=cols["numerator"], denominator=cols["denominator"], **common)
        except InputError as exc:
            raise _spc_input_problems(exc, file) from None
    except (InputError, ParameterError, TtwellError) as exc:
        fail(exc, EXIT_INPUT)
    out.parent.mkdir(parents=True, exist_ok=True)
    points = result.points.assign(date=result.points["date"].dt.strftime("%Y-%m-%d"))
    points.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\n")
    json_path = out.with_suffix(".json")
    write_json(json_path, {"file": Path(file).name, "options": result.options,
                           "segments": json_records(result.summary)})
    click.echo(f"wrote {len(points)} point(s) to {out} and the summary to {json_path}")
    for row in result.icons().itertuples():
        # Icons from a segment of fewer than 13 points come from trial limits, and say so (spc.md 2.7).
        note = spc.trial_limits_note(row.n) if getattr(row, "trial_limits", False) else None
        variation = f"{row.variation_icon} ({note})" if note else row.variation_icon
        assurance = (f", assurance: {row.assurance_icon}" + (f" (from {note})" if note else "")
                     if getattr(row, "assurance_icon", None) else "")
        click.echo(f"{row.facet}: variation: {variation}{assurance}")
    for warning in result.warnings():
        click.echo(f"WARNING: {warning}", err=True)


@main.command(name="runchart")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--date", "date_col", required=True, help="Column of dates (dd/mm/yyyy or yyyy-mm-dd).")
@click.option("--value", "value_col", required=True, help="Column of values.")
@click.option("--facet", "facet_col", help="Column naming separate series.")
@click.option("--part-after", multiple=True, metavar="DATE",
              help="Split the series after the point dated DATE (the last point before a change); repeatable.")
@click.option("--freeze", type=int, metavar="N", help="Median from the first N points; later points tested against it.")
@click.option("--drop-missing", is_flag=True,
              help="Drop rows without a value and accept missing months (reported as warnings) instead of stopping.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="JSON file to write.")
def runchart_command(file: str, date_col: str, value_col: str, facet_col: str | None, part_after: tuple[str, ...],
                     freeze: int | None, drop_missing: bool, output: str) -> None:
    """Run chart of FILE with Anhøj's rules: per part, the median, longest run and number of crossings.

    A part signals non-random variation when its longest run (points on the median ignored) is longer than
    round(log2 n) + 3, or it crosses the median fewer times than the 5 % binomial limit. Writes OUT.json with
    n_obs, n_useful, median, longest_run, longest_run_max, n_crossings, n_crossings_min and signal per part.

    \b
    Example (before/after a PDSA change made after March 2024):
      ttwell runchart joy.csv --date month --value joy_score --part-after 31/03/2024 -o out/joy_runs.json
    """
    from ttwell.calculations import spc
    from ttwell.presentation.results import json_records, write_json

    try:
        out = Path(output)
        if out.suffix.lower() != ".json":
            raise ParameterError(f"-o must name a .json file; got '{output}'.")
        frame, cols = _spc_frame(file, {"date": date_col, "value": value_col, "facet": facet_col})
        try:
            result = spc.run_chart(frame, date=cols["date"], value=cols["value"], facet=cols["facet"],
                                   part_after=list(part_after), freeze=freeze,
                                   missing="drop" if drop_missing else "error")
        except InputError as exc:
            raise _spc_input_problems(exc, file) from None
    except (InputError, ParameterError, TtwellError) as exc:
        fail(exc, EXIT_INPUT)
    write_json(out, {"file": Path(file).name, "options": result.options, "parts": json_records(result.parts)})
    click.echo(f"wrote {len(result.parts)} part(s) to {out}")
    for row in result.parts.itertuples():
        verdict = f"signal ({row.signal_reason.replace('_', ' ')})" if row.signal else "no signal"
        click.echo(f"{row.facet}, part {row.part}: n_useful {row.n_useful}, longest run {row.longest_run} "
                   f"(max {row.longest_run_max}), crossings {row.n_crossings} (min {row.n_crossings_min}): {verdict}")
        for warning in row.warnings:
            click.echo(f"WARNING: {warning}", err=True)


@main.command(name="prepost")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--areas", "areas_file", type=click.Path(dir_okay=False),
              help="training_areas.csv (programme_id, area_id, area_label) for area names.")
@click.option("--scale", type=click.Choice(["0-100", "0-10", "1-5"]), default="0-100", show_default=True,
              help="Answer scale of the form; 0-10 and 1-5 answers are converted to 0-100%.")
@click.option("--programme", help="Programme to analyse when FILE holds several (programme_id).")
@click.option("--threshold", type=float, default=50, show_default=True,
              help="Confidence (%) an answer must be strictly above to count as 'above' (exactly 50 is not above 50).")
@click.option("--reliability", help="Reliable change: 'alpha' (Cronbach's alpha of the area answers before "
                                    "training) or a coefficient such as 0.8. Default: not reported.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="CSV of the per-area table to write; the summary goes to the same name with .json.")
def prepost_command(file: str, areas_file: str | None, scale: str, programme: str | None, threshold: float,
                    reliability: str | None, output: str) -> None:
    """Pre/post training confidence of FILE: change per area and overall, matched on participant code.

    Answers are paired on programme, participant_pid and area (never row order); unpaired answers are counted,
    not imputed. Writes OUT.csv (one row per area plus an 'overall' row on person scores: means before and
    after, mean change with 95% CI, paired t, Holm-adjusted p, Wilcoxon V and p, d_z, d_av, Hedges' g_z, share
    above the threshold before and after with Wilson intervals, McNemar) and OUT.json (the overall result, the
    matching report, the spread of team means before and after, and team rows for teams of 11 or more).

    \b
    Example:
      ttwell prepost training_confidence.csv --areas training_areas.csv --reliability alpha -o out/prepost.csv
    """
    from ttwell.presentation.results import json_safe, write_json
    from ttwell import disclosure
    from ttwell.inputs import io
    from ttwell.calculations import prepost
    from ttwell.presentation import sections
    from ttwell.disclosure import DEFAULT_THRESHOLD

    def records(frame) -> list[dict]:
        # JSON has no NaN or numpy numbers: missing values are written as null.
        return json_safe(frame.to_dict("records"))

    try:
        out = Path(output)
        if out.suffix.lower() != ".csv":
            raise ParameterError(f"-o must name a .csv file; got '{output}'.")
        if reliability is not None and reliability.strip().lower() != "alpha":
            try:
                value = float(reliability)
            except ValueError:
                raise ParameterError(f"--reliability must be 'alpha' or a number from 0 to below 1; got "
                                     f"'{reliability}'.") from None
            reliability = value
        if not hasattr(io, "read_training"):
            raise TtwellError("This version of ttwell cannot read training files yet (ttwell.inputs.io.read_training).")
        responses, areas, problems = io.read_training(file, areas_path=areas_file, scale=scale)
        if any(p.severity == "error" for p in problems):
            raise InputError(problems)
        for problem in problems:
            click.echo(problem.describe(), err=True)
        programmes = sorted(responses["programme_id"].dropna().unique())
        if programme is not None:
            if programme not in programmes:
                raise ParameterError(f"--programme '{programme}' is not in {Path(file).name} "
                                     f"(programmes: {', '.join(map(str, programmes))}).")
            responses = responses[responses["programme_id"] == programme]
        elif len(programmes) > 1:
            raise ParameterError(f"{Path(file).name} holds {len(programmes)} programmes "
                                 f"({', '.join(map(str, programmes))}); choose one with --programme.")
        pairs, matching = prepost.match_pairs(responses)
        if pairs.empty:
            raise ParameterError(f"No participant in {Path(file).name} has both a pre and a post answer for the "
                                 "same area: check that participant_pid is the same code on both forms.")
        table = prepost.area_table(pairs, areas=areas, threshold=threshold, reliability=reliability,
                                   matching=matching)
        # The team figures come through the same merging and disclosure step as the notebook's.
        section = sections.prepost_training(responses, areas, policy=disclosure.Policy("internal_management"),
                                            confidence_threshold=threshold, reliability=None)
        unmatched = prepost.unmatched_comparison(responses)
    except (InputError, ParameterError, TtwellError) as exc:
        fail(exc, EXIT_INPUT)

    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\n")
    shown = section.teams.table[~section.teams.table["suppressed"]]
    note = section.team_merge_note or f"every team has {DEFAULT_THRESHOLD} or more respondents."
    if section.teams.n_suppressed_rows:
        note += f" {section.teams.n_suppressed_rows} team row(s) suppressed. {section.teams.footnote}"
    overall = table[table["area"] == prepost.OVERALL]
    json_path = out.with_suffix(".json")
    write_json(json_path, {
        "file": Path(file).name, "options": {"threshold": threshold, "scale": scale,
                                             "reliability": reliability, "programme": programme},
        "person_score_rule": prepost.PERSON_SCORE_RULE,
        "overall": records(overall)[0], "matching": records(matching),
        "team_spread": records(section.spread.table), "team_change_models": records(section.change_models),
        "teams": records(shown), "teams_note": note, "unmatched_comparison": records(unmatched),
    })
    click.echo(f"wrote {len(table)} row(s) to {out} and the summary to {json_path}")
    row = overall.iloc[0]
    click.echo(f"Overall ({int(row['n_matched'])} people with every area before and after): {row['mean_pre']:.1f}% -> "
               f"{row['mean_post']:.1f}%, change {row['mean_change']:+.1f} points "
               f"(95% CI {row['ci_low']:+.1f} to {row['ci_high']:+.1f}).")
    click.echo(f"Teams: {note}")


@main.command(name="its")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--date", "date_col", required=True, help="Column of months (dd/mm/yyyy or yyyy-mm-dd; one row a month).")
@click.option("--value", "value_col", help="Column of a continuous monthly value: segmented OLS, Newey-West SEs.")
@click.option("--count", "count_col", help="Column of event counts (e.g. FTE days lost): quasi-Poisson GLM.")
@click.option("--denominator", "denominator_col", help="Column of the denominator for --count (e.g. FTE days "
              "available); enters as the offset log(denominator).")
@click.option("--start", required=True, metavar="DATE", help="First month of the strategy (dd/mm/yyyy or yyyy-mm-dd).")
@click.option("--seasonal/--no-seasonal", default=True, show_default=True,
              help="Two harmonic pairs of the calendar month.")
@click.option("--lag", type=click.IntRange(min=0), help="Newey-West lag for --value (default floor(4 (n/100)^(2/9))).")
@click.option("--end-of-year", metavar="DATE", help="Month at which to report the combined effect (default: last month).")
@click.option("--variance", type=click.Choice(["latent_ar1", "hac", "model"]), default="latent_ar1", show_default=True,
              help="Intervals: latent_ar1 allows for autocorrelation (REML latent AR(1); see ttwell.calculations.impact."
                   "ITS_VARIANCE_METHODS); hac = Newey-West with --lag; model = no allowance (the published "
                   "quasi-Poisson / OLS intervals).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="JSON file to write.")
def its_command(file: str, date_col: str, value_col: str | None, count_col: str | None,
                denominator_col: str | None, start: str, seasonal: bool, lag: int | None,
                end_of_year: str | None, variance: str, output: str) -> None:
    """Interrupted time series of one monthly series in FILE: level change, slope change and the effect at the end.

    The slope change is centred at the last month before --start, so the level change is the step when the
    strategy began. With --count and --denominator: quasi-Poisson GLM, effects as rate ratios. With --value:
    segmented OLS with Newey-West standard errors (the lag is reported). Writes OUT.json with the coefficients,
    95% CIs, dispersion, diagnostics, the end-of-year effect and the fitted and counterfactual series.

    \b
    Example (sickness absence, strategy from April 2024):
      ttwell its sickness_monthly.csv --date month --count fte_days_lost \\
          --denominator fte_days_available --start 01/04/2024 -o out/sickness_its.json
    """
    from ttwell.presentation.results import write_json
    import pandas as pd

    from ttwell.calculations import impact
    from ttwell.errors import Problem
    from ttwell.inputs.dates import parse_dates

    try:
        out = Path(output)
        if out.suffix.lower() != ".json":
            raise ParameterError(f"-o must name a .json file; got '{output}'.")
        if (value_col is None) == (count_col is None and denominator_col is None):
            raise ParameterError("Give either --value, or --count with --denominator.")
        if (count_col is None) != (denominator_col is None):
            raise ParameterError("--count and --denominator go together.")
        frame, cols = _spc_frame(file, {"date": date_col, "value": value_col, "count": count_col,
                                        "denominator": denominator_col})
        label = Path(file).name
        problems = []
        dates = parse_dates(frame[cols["date"]])
        for idx in dates.index[dates.isna()]:
            problems.append(Problem(label, int(idx) + 2, cols["date"], str(frame.at[idx, cols["date"]]),
                                    "a date dd/mm/yyyy or yyyy-mm-dd"))
        numeric = {}
        for arg in ("value", "count", "denominator"):
            col = cols[arg]
            if not col:
                continue
            text = frame[col].map(lambda v: str(v).replace(",", ""))
            numeric[col] = pd.to_numeric(text, errors="coerce")
            for idx in numeric[col].index[numeric[col].isna()]:
                problems.append(Problem(label, int(idx) + 2, col, str(frame.at[idx, col]), "a number"))
        if problems:
            raise InputError(problems)
        start_date = parse_dates(pd.Series([start]))[0]
        if pd.isna(start_date):
            raise ParameterError(f"--start: '{start}' is not a date (dd/mm/yyyy or yyyy-mm-dd).")
        end_date = None
        if end_of_year:
            end_date = parse_dates(pd.Series([end_of_year]))[0]
            if pd.isna(end_date):
                raise ParameterError(f"--end-of-year: '{end_of_year}' is not a date (dd/mm/yyyy or yyyy-mm-dd).")
        data = pd.DataFrame({"date": dates, **numeric})
        result = impact.its(data, date="date", value=cols["value"], count=cols["count"],
                            denominator=cols["denominator"], start=start_date, seasonal=seasonal, lag=lag,
                            end_of_year=end_date, variance=variance)
    except (InputError, ParameterError, TtwellError) as exc:
        fail(exc, EXIT_INPUT)
    write_json(out, {"file": Path(file).name,
                      "options": {"start": f"{start_date:%Y-%m-%d}", "seasonal": seasonal, "lag": lag, "variance": variance,
                                  "end_of_year": None if end_date is None else f"{end_date:%Y-%m-%d}"},
                      **result.as_dict()})
    click.echo(f"wrote the ITS results to {out}")
    click.echo(result.model)
    for row in result.effects.itertuples():
        click.echo(f"{row.effect.replace('_', ' ')}: {row.estimate:.4g} (95% CI {row.ci_low:.4g} to {row.ci_high:.4g})")
    for warning in result.warnings:
        click.echo(f"WARNING: {warning}", err=True)


@main.command(name="funnel")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--group", "group_col", required=True, help="Column naming each unit (team, role family, service).")
@click.option("--numerator", "numerator_col", required=True,
              help="Column of each unit's numerator (for --type mean: the unit's mean score).")
@click.option("--denominator", "denominator_col", required=True,
              help="Column of each unit's denominator: people (proportion), exposure (rate), expected count "
                   "(ratio) or respondents (mean).")
@click.option("--type", "kind", type=click.Choice(["proportion", "rate", "ratio", "mean"]), default="proportion",
              show_default=True, help="proportion: exact binomial limits; rate: exact Poisson; ratio: observed over "
                                      "expected, Poisson around 1; mean: normal limits with the pooled SD.")
@click.option("--sd", "sd_col", help="For --type mean: column of each unit's standard deviation (pooled).")
@click.option("--target", type=float, help="The value the limits centre on (default: the overall value; 1 for ratio).")
@click.option("--no-overdispersion", is_flag=True,
              help="Do not widen the limits when units differ by more than chance (the test is still reported).")
@click.option("--winsorise", type=click.FloatRange(0, 0.5, max_open=True), default=0.10, show_default=True,
              help="Share of z-scores Winsorised at each end before the over-dispersion test.")
@click.option("--min-units", type=click.IntRange(min=2), default=10, show_default=True,
              help="Fewest units for which the limits may be widened for over-dispersion.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="CSV file to write, one row per unit; OUT.json is written beside it.")
def funnel_command(file: str, group_col: str, numerator_col: str, denominator_col: str, kind: str,
                   sd_col: str | None, target: float | None, no_overdispersion: bool, winsorise: float,
                   min_units: int, output: str) -> None:
    """Funnel-plot limits for the units in FILE (Spiegelhalter 2005), with the over-dispersion test.

    Writes OUT.csv with one row per unit (its value, the 95% and 99.8% limits at its own denominator and its
    position: within limits, above or below the 95% or the 99.8% limit) and OUT.json with the overall value,
    the over-dispersion test (phi, chi-squared, p), tau-squared, whether the limits were widened and why, and
    the limit curves for drawing. A unit outside the 99.8% limits is flagged for a closer look, not judged.

    \b
    Example (stability by team):
      ttwell funnel stability_by_team.csv --group team --numerator stayed --denominator cohort -o funnel.csv
    """
    import pandas as pd

    from ttwell.calculations.funnel import funnel
    from ttwell.calculations.spc.prepare import parse_numbers
    from ttwell.presentation.results import write_json

    try:
        out = Path(output)
        if out.suffix.lower() != ".csv":
            raise ParameterError(f"-o must name a .csv file (OUT.json is written beside it); got '{output}'.")
        if out.resolve() == Path(file).resolve():
            raise ParameterError("The output file would overwrite FILE; give another name with -o.")
        if kind == "mean" and not sd_col:
            raise ParameterError("--type mean needs --sd, the column of each unit's standard deviation.")
        if sd_col and kind != "mean":
            raise ParameterError("--sd goes with --type mean only.")
        frame, cols = _spc_frame(file, {"group": group_col, "numerator": numerator_col,
                                        "denominator": denominator_col, "sd": sd_col})
        numeric = frame[[cols["group"]]].copy()
        problems = []
        for arg in ("numerator", "denominator", "sd"):
            if cols[arg]:
                try:
                    numeric[cols[arg]] = parse_numbers(frame[cols[arg]], cols[arg], file=Path(file).name)
                except InputError as exc:
                    # Unreadable cells become blanks so the unit checks below still run: every problem at once.
                    problems += exc.problems
                    numeric[cols[arg]] = pd.to_numeric(frame[cols[arg]].astype(str).str.replace(",", ""),
                                                       errors="coerce")
        try:
            result = funnel(numeric, group=cols["group"], numerator=cols["numerator"],
                            denominator=cols["denominator"], kind=kind, target=target, sd=cols["sd"],
                            overdispersion=not no_overdispersion, winsorise=winsorise, min_units=min_units)
        except InputError as exc:
            seen = {(p.row, p.column) for p in problems}
            problems += [p for p in _spc_input_problems(exc, file).problems if (p.row, p.column) not in seen]
        if problems:
            raise InputError(sorted(problems, key=lambda p: (p.row or 0, str(p.column))))
    except InputError as exc:
        # Messages name the columns as the user typed them, not as ttwell normalised them.
        headers = {cols[arg]: given for arg, given in (("group", group_col), ("numerator", numerator_col),
                                                       ("denominator", denominator_col), ("sd", sd_col)) if given}
        fail(InputError([replace(p, column=headers.get(p.column, p.column)) for p in exc.problems],
                        intro=str(exc).splitlines()[0]), EXIT_INPUT)
    except (ParameterError, TtwellError) as exc:
        fail(exc, EXIT_INPUT)
    out.parent.mkdir(parents=True, exist_ok=True)
    units = result.units.rename(columns={"group": group_col})
    units.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\n")
    write_json(out.with_suffix(".json"), {"file": Path(file).name, **result.summary()})
    click.echo(f"wrote {len(units)} unit(s) to {out} and the limits to {out.with_suffix('.json')}")
    click.echo(f"overall value {result.target:.4g}; limits: {result.method}")
    click.echo(result.overdispersion.reason)
    outside = result.units[result.units["position"].str.contains("99.8")]
    for name, value, position in zip(outside["group"], outside["value"], outside["position"]):
        click.echo(f"{name}: {value:.4g}, {position.lower()} (a flag for a closer look, not a verdict)")
    if outside.empty:
        click.echo("No unit is outside the 99.8% limits.")
