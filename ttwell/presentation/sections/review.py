"""The "This month" section of the dashboard: one row per monitored indicator with its value this month and over
the rolling 12 months, its icons, what changed since the previous month, and the few things to look at.

The review is computed on complete data (:mod:`ttwell.calculations.review`); values are shown only where the
disclosed service-level monthly table shows them, and every sentence states only what its numbers say.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ttwell import disclosure
from ttwell.calculations.review import OTHER_CHANGES, WATCH_RULES, Review, latest_month, month_end, review_month
from ttwell.errors import ParameterError
from ttwell.presentation import units
from ttwell.presentation.labels import ASSURANCE_ICONS, VARIATION_ICONS
from ttwell.presentation.results import read_results
from ttwell.presentation.sections.workforce import indicator_spc, spc_panel

#: The order in which watched indicators are listed: a point beyond a limit first.
PRIORITY = ("new_special_cause", "run_started", "trend_started", "assurance_changed")
MAX_WATCHED = 3


def _indicator(indicator: str) -> tuple[str, str]:
    from ttwell.calculations.workforce import INDICATORS

    label, unit, _ = INDICATORS[indicator]
    return label, unit


def value_text(value, unit: str, beside=None) -> str:
    """A value in its unit: a proportion as a percentage, a count with separators. Given ``beside`` (a limit it is
    compared with), one more decimal is used when the two would otherwise read the same."""
    if value is None or pd.isna(value):
        return "not available"
    def text(v, d):
        return units.percent(v, d) if unit == "proportion" else f"{v:,.{d}f}"

    decimals = 1 if unit == "proportion" or not float(value).is_integer() else 0
    if beside is not None and pd.notna(beside):
        while decimals < 3 and text(value, decimals) == text(beside, decimals):
            decimals += 1
    return text(value, decimals)


def _shown(shown: pd.DataFrame, indicator: str | None, month) -> bool:
    """Whether the disclosed service-level monthly table shows this indicator in this month."""
    if indicator is None:
        return False
    hit = shown[(shown["indicator"] == indicator) & (shown["date"] == pd.Timestamp(month))]
    return bool(len(hit)) and not bool(hit["suppressed"].iloc[0]) and pd.notna(hit["value"].iloc[0])


def disclosed(result: Review, shown: pd.DataFrame) -> Review:
    """The review as it may be shown: where the disclosed monthly table hides an indicator's month (fewer people
    behind the figure than the policy allows), its row keeps no value, icon or change, so no sentence or saved
    table says where the hidden value lies. Other rows are unchanged; ``suppressed`` says which rows were hidden.

    The review itself ran on complete data (limits, runs and trends use every month); only what is shown is cut.
    """
    table = result.table.copy()
    hidden = pd.Series(False, index=table.index)
    for i, row in table.iterrows():
        rolling = row["indicator_12m"] if pd.notna(row["indicator_12m"]) else None
        monthly = row["indicator"] if row["indicator"] != rolling else None
        if monthly is not None and pd.notna(row["value"]) and not _shown(shown, monthly, result.month):
            hidden[i] = True
        if rolling is not None and pd.notna(row["value_12m"]) and not _shown(shown, rolling, result.month):
            hidden[i] = True
    emptied = [c for c in table.columns if c not in ("indicator", "indicator_12m", "month", "watch")]
    table[emptied] = table[emptied].astype(object)
    table.loc[hidden, emptied] = None
    table.loc[hidden, ["watch_rules", "changes"]] = ""
    table["watch"] = table["watch"].where(~hidden, False).astype(bool)
    table["suppressed"] = hidden
    return Review(month=result.month, table=table, compared_with=result.compared_with, run_length=result.run_length)


def _limit_crossed(row: pd.Series):
    """The limit this month's point is beyond, or None: written beside the value with enough decimals to differ."""
    if "new_special_cause" not in str(row.get("watch_rules") or ""):
        return None
    return row.get("upper_limit" if str(row.get("side")) == "high" else "lower_limit")


def _nature(row: pd.Series) -> str:
    """'an improvement', 'a concern' or '' from the point type of the month's point."""
    return {"special_cause_improvement": "an improvement", "special_cause_concern": "a concern"}.get(
        str(row.get("point_type")), "")


def change_words(row: pd.Series, run_length: int) -> list[str]:
    """Each change of a review row as a phrase, watch-list rules first: 'below the lower limit (an improvement)'."""
    high = str(row.get("side")) == "high"
    nature = _nature(row)
    suffix = f" ({nature})" if nature else ""
    out = []
    for code in [c for c in str(row.get("changes") or "").split(";") if c]:
        if code == "new_special_cause":
            limit = row.get("upper_limit" if high else "lower_limit")
            of = f" of {value_text(limit, row.get('unit', 'proportion'), beside=row.get('value'))}" \
                if pd.notna(limit) else ""
            out.append(f"{'above the upper' if high else 'below the lower'} limit{of}{suffix}")
        elif code == "run_started":
            out.append(f"{run_length} months in a row {'above' if high else 'below'} the baseline mean{suffix}")
        elif code == "trend_started":
            out.append(f"{run_length} months in a row {'rising' if high else 'falling'}{suffix}")
        elif code == "assurance_changed":
            was = ASSURANCE_ICONS.get(row.get("previous_assurance_icon"), "no icon")[2:].lower()
            now = ASSURANCE_ICONS.get(row.get("assurance_icon"), "no icon")[2:].lower()
            out.append(f"the assurance icon changed from \"{was}\" to \"{now}\"")
        elif code in OTHER_CHANGES:
            out.append(OTHER_CHANGES[code])
        else:
            out.append(code)
    return out


def this_month(result: Review, shown: pd.DataFrame) -> pd.DataFrame:
    """The "This month" table: ``Indicator, This month, Rolling 12 months, Variation, Assurance, What changed``
    (``Assurance`` only when a target is set for some indicator).

    ``result`` is the review through :func:`disclosed`; ``shown`` is the disclosed service-level monthly table
    (``indicator, date, value, suppressed``): a value it hides is shown as ``[c]``. Icons come from the complete
    series (as on the SPC charts).
    """
    rows = []
    for row in result.table.itertuples(index=False):
        row = pd.Series(row._asdict())
        rolling_id = row["indicator_12m"] if pd.notna(row["indicator_12m"]) else None
        monthly_id = row["indicator"] if row["indicator"] != rolling_id else None
        label, month_unit = _indicator(row["indicator"])
        label = label.replace(" (month)", "").replace(" (rolling 12 months)", "").replace(" (12 months)", "")
        has_month = monthly_id is not None and pd.notna(row["value"])
        this = "\u2013"
        if has_month:
            this = (value_text(row["value"], month_unit, beside=_limit_crossed(row))
                    if _shown(shown, monthly_id, result.month) else disclosure.SUPPRESSED_MARK)
        rolling = "\u2013"
        if rolling_id:
            rolling = (value_text(row["value_12m"], _indicator(rolling_id)[1])
                       if _shown(shown, rolling_id, result.month) else disclosure.SUPPRESSED_MARK)
        changes = change_words(pd.concat([row, pd.Series({"unit": month_unit})]), result.run_length)
        if bool(row.get("suppressed", False)):
            rows.append({"Indicator": label, "This month": disclosure.SUPPRESSED_MARK,
                         "Rolling 12 months": disclosure.SUPPRESSED_MARK if rolling_id else "\u2013",
                         "Variation": "\u2013", "Assurance": "\u2013",
                         "What changed": "Not shown: too few people behind this month's figure",
                         "On the watch list": "\u2013"})
            continue
        rows.append({"Indicator": label, "This month": this, "Rolling 12 months": rolling,
                     "Variation": VARIATION_ICONS.get(row["variation_icon"], "\u2013") if has_month else "\u2013",
                     "Assurance": ASSURANCE_ICONS.get(row["assurance_icon"], "no target set")
                     if has_month else "\u2013",
                     "What changed": "; ".join(changes)[:1].upper() + "; ".join(changes)[1:] if changes
                     else "Nothing new",
                     "On the watch list": "Yes" if bool(row["watch"]) else "No"})
    table = pd.DataFrame(rows)
    if result.table["assurance_icon"].isna().all():
        table = table.drop(columns="Assurance")  # no targets set: no assurance icons to show
    return table


def watched_indicators(result: Review) -> list[str]:
    """The indicators to look at this month (at most :data:`MAX_WATCHED`), most serious change first."""
    table = result.watch_list()

    def rank(rules: str) -> int:
        return min(PRIORITY.index(r) for r in rules.split(";") if r in PRIORITY)

    ordered = sorted(table.itertuples(index=False), key=lambda r: (rank(r.watch_rules), r.indicator))
    return [r.indicator for r in ordered][:MAX_WATCHED]


def review_headline(result: Review, shown: pd.DataFrame) -> str:
    """The opening of the review: how many indicators are on the watch list, each with its first change, and what
    the month was compared with."""
    month = f"{result.month:%B %Y}"
    look = watched_indicators(result)
    if not look:
        ended = int(result.table["changes"].str.contains("signal_ended").sum())
        text = (f"**{month}: nothing new on the watch list.** No monitored indicator went beyond its limits or "
                "completed a run or a trend this month")
        if ended:
            text += f"; {ended} signal{'s' if ended != 1 else ''} of the month before ended"
        return text + f". Compared with {result.compared_with}."
    table = result.table.set_index("indicator")
    phrases = []
    for indicator in look:
        row = table.loc[indicator]
        label, unit = _indicator(indicator)
        row = row.copy()
        row["unit"] = unit
        value = (f" was {value_text(row['value'], unit, beside=_limit_crossed(row))},"
                 if _shown(shown, indicator, result.month) else "")
        phrases.append(f"{label}{value} {change_words(row, result.run_length)[0]}")
    n = len(result.watch_list())
    more = f" ({n - len(look)} more in the table below)" if n > len(look) else ""
    return (f"**{month}: {n} indicator{'s' if n != 1 else ''} on the watch list{more}.** " + "; ".join(phrases)
            + f". Compared with {result.compared_with}.")


def watch_rules_text(run_length: int) -> str:
    """The watch-list rules as printed in the report."""
    rules = "; ".join(text.format(run=run_length) for text in WATCH_RULES.values())
    return (f"An indicator goes on the watch list when {rules}. Each rule fires only in the month the change "
            "first appears; limits stay fixed on the baseline period, so they do not move from month to month.")


@dataclass
class ReviewSection:
    """What the "This month" section shows, already through disclosure control."""

    review: Review                # disclosed: hidden months keep no value, icon or change
    heading: str                  # "This month: March 2025"
    headline: str                 # the opening sentence(s), in Markdown
    table: pd.DataFrame           # one readable row per monitored indicator
    rules: str                    # the watch-list rules, as printed
    watched: list[str]            # indicators to look at, most serious first (at most three)
    charts: dict                  # indicator -> XmR chart up to the review month, limits fixed on the baseline


def previous_review(folder) -> tuple[pd.DataFrame, str | None]:
    """The review table and month of a previous run, from its results folder (``results.json`` + tables)."""
    previous = read_results(folder)
    if "review_state" not in previous["frames"]:
        raise ParameterError(f"The previous results in {folder} hold no monthly review (they come from a run "
                             "before monthly reviews, or from another notebook). Leave previous_results out, or "
                             "give the folder of last month's dashboard run.")
    month = (previous.get("figures") or {}).get("review_month", {}).get("value")
    return previous["frames"]["review_state"], month


def review_section(service_monthly: pd.DataFrame, service_shown: pd.DataFrame, *, month, baseline_start,
                   baseline_end, previous_results=None, targets: dict | None = None) -> ReviewSection:
    """The "This month" section: review ``month`` on complete data, then disclose it for the report.

    ``service_monthly`` and ``service_shown`` are the service-level monthly indicators (complete and disclosed,
    with a month-end ``date`` column), both ending at the review month.
    """
    previous, previous_month = (previous_review(previous_results) if previous_results else (None, None))
    result = review_month(service_monthly, month=month, baseline_start=baseline_start, baseline_end=baseline_end,
                          previous=previous, previous_month=previous_month, targets=targets)
    shown = disclosed(result, service_shown)
    watched = watched_indicators(shown)
    return ReviewSection(review=shown, heading=f"This month: {result.month:%B %Y}",
                         headline=review_headline(shown, service_shown), table=this_month(shown, service_shown),
                         rules=watch_rules_text(result.run_length), watched=watched,
                         charts=indicator_spc(service_monthly, watched, baseline_start=baseline_start,
                                              baseline_end=baseline_end))


def review_month_end(service_monthly: pd.DataFrame, review_month=None) -> pd.Timestamp:
    """The month-end of the month to review: the month given (``MM/YYYY``) or the latest complete month.

    Raises :class:`ParameterError` when the month given is not in the data.
    """
    if review_month in (None, ""):
        return latest_month(service_monthly)
    end = month_end(review_month)
    months = pd.to_datetime(service_monthly["date"])
    if not (months == end).any():
        raise ParameterError(f"The review month {review_month} is not in the data, which run from "
                             f"{months.min():%B %Y} to {months.max():%B %Y}. Choose a month in that range.")
    return end


def watched_panels(section: ReviewSection, policy: disclosure.Policy, shown: pd.DataFrame) -> list[tuple]:
    """The charts of the watched indicators as small-multiple panels, one per unit (rates apart from counts):
    ``(title, points, summary, descriptions, is_percent)`` per panel."""
    out = []
    for is_percent in (True, False):
        indicators = [i for i in section.watched if (_indicator(i)[1] == "proportion") == is_percent]
        panel = spc_panel(section.charts, indicators, policy, shown) if indicators else None
        if panel is not None:
            title = "What to look at: " + ("rates" if is_percent else "counts") + f", to {section.review.month:%B %Y}"
            out.append((title, *panel, is_percent))
    return out
