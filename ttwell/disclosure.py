"""Disclosure control: the only place that decides what may be shown (domain spec 4.2, decision 8.3).

Applied as the last step to every aggregate table before it is displayed, charted or saved. Rules:

1. **Small groups** (all audiences): a row whose group has fewer people than the threshold (default 11,
   as the NHS Staff Survey) is suppressed: its values, counts and group size.
2. **Counts for staff-wide audiences**: below service level, 0 stays 0, 1-7 is suppressed and 8 or more is
   rounded to the nearest 5 (halves up), the NHS Digital rule. Shares are recomputed from rounded counts.
3. **Rates for staff-wide audiences**: suppressed when 1-7 people are behind the numerator.
4. **Complementary suppression**: where exactly one group of a breakdown is suppressed, the next-smallest
   group is suppressed too, so no one can recover the hidden group by subtracting from the service total.
5. **No identifiers**: a table carrying a staff or respondent identifier is refused outright.

Suppressed cells become missing values and the row's ``suppressed`` flag is set; reports show them as
``[c]``. Every disclosed table carries a footnote saying what was suppressed and why.

Example
-------
>>> import pandas as pd
>>> from ttwell.disclosure import disclose
>>> table = pd.DataFrame({"level": ["service", "team", "team"], "group": ["All", "A", "B"],
...                       "value": [0.05, 0.04, 0.09], "n_people": [40, 32, 8]})
>>> out = disclose(table, audience="internal_management", value_columns=["value"], partition=[])
>>> out.table["suppressed"].tolist()
[False, True, True]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ttwell.errors import DisclosureError, ParameterError
from ttwell.templates import IDENTIFIER_COLUMNS
from ttwell.workforce import INDICATORS

AUDIENCES = ("internal_management", "staff_wide")
DEFAULT_THRESHOLD = 11
MINIMUM_THRESHOLD = 5  # decision 8.3: configurable, never below 5
HR_COUNT_SUPPRESS_BELOW = 8  # NHS Digital: 1-7 suppressed, 8+ rounded to the nearest 5
SUPPRESSED_MARK = "[c]"


@dataclass
class Disclosed:
    """A table after disclosure control, with the footnote every rendering of it must carry."""

    table: pd.DataFrame
    footnote: str
    n_suppressed_rows: int


def check_settings(audience: str, threshold: int) -> None:
    """Refuse an unknown audience or a threshold below the floor, with a plain message."""
    if audience not in AUDIENCES:
        raise ParameterError(f"audience must be one of {', '.join(AUDIENCES)}; got '{audience}'.")
    if not isinstance(threshold, (int, np.integer)) or threshold < MINIMUM_THRESHOLD:
        raise ParameterError(f"disclosure_threshold must be a whole number of at least {MINIMUM_THRESHOLD} "
                             f"(default {DEFAULT_THRESHOLD}); got {threshold!r}.")


def assert_no_identifiers(table: pd.DataFrame, what: str = "This table") -> None:
    """Raise :class:`DisclosureError` if a column identifies a person or a record about one person."""
    found = sorted(IDENTIFIER_COLUMNS.intersection(map(str, table.columns)))
    if found:
        raise DisclosureError(f"{what} carries identifier column(s) {', '.join(found)}; identifiers must never "
                              "appear in an output. Aggregate first.")


def round_hr_count(count: float) -> float:
    """NHS Digital rule: 0 -> 0; 1-7 -> suppressed (NaN); 8+ -> nearest 5, halves rounded up."""
    if pd.isna(count):
        return np.nan
    if count == 0:
        return 0.0
    if count < HR_COUNT_SUPPRESS_BELOW:
        return np.nan
    return float(np.floor(count / 5 + 0.5) * 5)


def disclose(table: pd.DataFrame, *, audience: str, threshold: int = DEFAULT_THRESHOLD,
             value_columns: list[str], count_columns: list[str] = (), size_column: str = "n_people",
             numerator_people_column: str | None = None, partition: list[str] = ("month", "indicator"),
             level_column: str = "level", service_level: str = "service",
             shares: dict[str, tuple[str, str]] | None = None, rates: bool = True,
             value_is_count: pd.Series | None = None) -> Disclosed:
    """Apply the disclosure rules to an aggregate table.

    Parameters
    ----------
    table : DataFrame
        Aggregate rows, one per group (and month, indicator, ...). Must not carry identifiers.
    audience : {"internal_management", "staff_wide"}
    threshold : int
        Smallest group shown (default 11; never below 5).
    value_columns : list of str
        Rates, means and other statistics describing the group.
    count_columns : list of str
        Counts of people or events (rounded for staff-wide audiences below service level).
    size_column : str
        The group's number of people.
    numerator_people_column : str, optional
        People behind a rate's numerator (rule 3); ``None`` if not applicable.
    partition : list of str
        Columns that, with ``level``, identify one breakdown whose groups add up to the service total
        (for complementary suppression).
    shares : dict, optional
        ``{share_column: (count_column, total_column)}`` recomputed from rounded counts for staff-wide output.
    rates : bool
        Whether ``value_columns`` are rates subject to rule 3.
    value_is_count : Series of bool, optional
        Rows whose ``value_columns`` hold counts of people (headcount, joiners) rather than rates: for a
        staff-wide audience they are rounded like counts.

    Returns
    -------
    Disclosed
        ``table`` with suppressed cells set to NaN, ``suppressed`` (bool) and ``suppression_reason`` columns,
        the ``footnote`` text and the number of suppressed rows.
    """
    check_settings(audience, threshold)
    assert_no_identifiers(table)
    out = table.copy().reset_index(drop=True)
    count_columns = [c for c in count_columns if c in out.columns]
    hide_columns = list(dict.fromkeys([*value_columns, *count_columns, size_column,
                                       *([numerator_people_column] if numerator_people_column else []),
                                       *[c for c in ("numerator", "denominator", "ci_low", "ci_high")
                                         if c in out.columns]]))
    for column in hide_columns:
        out[column] = out[column].astype(float)
    has_level = level_column in out.columns
    below_service = (out[level_column] != service_level) if has_level else pd.Series(True, index=out.index)
    reason = pd.Series("", index=out.index, dtype=object)

    small = out[size_column].notna() & (out[size_column] < threshold)
    reason[small] = f"group of fewer than {threshold} people"

    staff_wide = audience == "staff_wide"
    few_limit = HR_COUNT_SUPPRESS_BELOW - 1
    if staff_wide:
        # Rule 3: a rate resting on fewer than 8 people, above or below the line, is hidden.
        tiny = out[size_column].between(1, few_limit) & (reason == "")
        reason[tiny] = f"group of fewer than {HR_COUNT_SUPPRESS_BELOW} people"
        if rates and numerator_people_column:
            few = out[numerator_people_column].between(1, few_limit) & (reason == "")
            reason[few] = f"fewer than {HR_COUNT_SUPPRESS_BELOW} people behind the figure"
        # Rule 2: a count of 1-7 below service level hides its row. Decided before complementary
        # suppression, so a row hidden this way is protected from subtraction like any other.
        count_cells = [out[c] for c in count_columns]
        if value_is_count is not None:
            is_count = value_is_count.reset_index(drop=True).astype(bool)
            count_cells += [out[c].where(is_count) for c in value_columns]
        for values in count_cells:
            hit = below_service & values.between(1, few_limit) & (reason == "")
            reason[hit] = f"count of 1 to {few_limit}"

    # Rule 4: complementary suppression within each breakdown that adds up to a published total.
    groups = [c for c in ([level_column] if has_level else []) + list(partition) if c in out.columns]
    primary = reason != ""
    candidates = out[below_service]
    for _, rows in (candidates.groupby(groups, sort=False, dropna=False) if groups else [(None, candidates)]):
        hidden = primary[rows.index]
        if hidden.sum() == 1 and len(rows) > 1:
            visible = rows.loc[~hidden[rows.index]]
            smallest = visible[size_column].fillna(np.inf).idxmin()
            reason[smallest] = "complementary suppression (stops the hidden group being worked out)"

    suppressed = reason != ""
    out.loc[suppressed, hide_columns] = np.nan

    rounded_any = False
    if staff_wide:
        # Rule 2, second half: what is still shown below service level is rounded to the nearest 5.
        shown_below = below_service & ~suppressed
        columns = count_columns + ([size_column] if size_column not in count_columns else [])
        targets = [(column, shown_below) for column in columns]
        if value_is_count is not None:
            targets += [(column, shown_below & is_count) for column in value_columns]
        for column, rows in targets:
            before = out.loc[rows, column]
            after = before.map(round_hr_count)
            rounded_any |= bool((after.fillna(-1) != before.fillna(-1)).any())
            out.loc[rows, column] = after
        for share, (count, total) in (shares or {}).items():
            out[share] = out[count] / out[total].where(out[total] > 0)
    out["suppressed"] = reason != ""
    out["suppression_reason"] = reason.where(reason != "", None)
    n_hidden = int(out["suppressed"].sum())
    return Disclosed(out, footnote(audience, threshold, n_hidden, rounded_any), n_hidden)


def footnote(audience: str, threshold: int, n_suppressed: int, rounded: bool = False) -> str:
    """The sentence every table and chart carries about disclosure control."""
    text = (f"{SUPPRESSED_MARK} = suppressed to protect confidentiality. Groups of fewer than {threshold} people are "
            f"never shown, and where one group is hidden a second is hidden too so it cannot be worked out from "
            f"the total. Audience: {audience.replace('_', ' ')}.")
    if audience == "staff_wide":
        text += (f" Counts below service level: 1 to {HR_COUNT_SUPPRESS_BELOW - 1} suppressed, "
                 f"{HR_COUNT_SUPPRESS_BELOW} or more rounded to the nearest 5; rates based on fewer than "
                 f"{HR_COUNT_SUPPRESS_BELOW} people suppressed.")
    text += f" {n_suppressed} row(s) suppressed in this table." if n_suppressed else " Nothing was suppressed in this table."
    return text


def disclose_indicators(table: pd.DataFrame, *, audience: str, threshold: int = DEFAULT_THRESHOLD) -> Disclosed:
    """Disclosure for the tidy workforce tables (monthly indicators or baseline values).

    For a staff-wide audience the ``numerator`` and ``denominator`` columns are dropped (they would publish
    exact counts behind each rate); the rate, the rounded group size and rounded people counts remain.
    """
    partition = [c for c in ("month", "indicator") if c in table.columns]
    is_count = table["indicator"].map(lambda i: INDICATORS.get(i, ("", ""))[1] == "count")
    if audience == "staff_wide":
        table = table.drop(columns=[c for c in ("numerator", "denominator") if c in table.columns])
    return disclose(table, audience=audience, threshold=threshold, value_columns=["value"],
                    count_columns=["n_numerator_people"], numerator_people_column="n_numerator_people",
                    partition=partition, value_is_count=is_count)


def merge_small_groups(sizes: pd.Series, threshold: int = DEFAULT_THRESHOLD, *, parents: dict | None = None,
                       pooled_label: str = "Other groups (merged)") -> dict:
    """Map each group to the group it is reported in, merging groups below the threshold upward.

    The survey rule (domain spec 4.2 rule 1): rather than hide a small team, merge it into its parent team
    (``parents``, from teams.csv ``parent_team_code``) or, without a parent, pool the small groups together.
    A lone small group without a parent joins the smallest group that is large enough. A merged group that
    is still too small is left for :func:`disclose` to suppress.

    Parameters
    ----------
    sizes : Series
        Respondents per group (index = group).
    parents : dict, optional
        Group -> parent group.

    Returns
    -------
    dict
        Group -> reporting label, for example ``{"T06": "T01 (with T06)", "T01": "T01 (with T06)"}`` or,
        for a lone small group without a parent, ``{"B": "C + B", "C": "C + B"}``.

    Examples
    --------
    >>> merge_small_groups(pd.Series({"A": 20, "B": 4, "C": 30}), 11, parents={"B": "A"})["B"]
    'A (with B)'
    """
    mapping = {group: group for group in sizes.index}
    small = [g for g in sizes.index if sizes[g] < threshold]
    parents = parents or {}
    absorbed: dict[str, list[str]] = {}
    pooled = []
    for group in small:
        parent = parents.get(group)
        if parent in mapping and parent not in small:
            absorbed.setdefault(parent, []).append(group)
        else:
            pooled.append(group)
    for parent, children in absorbed.items():
        label = f"{parent} (with {', '.join(sorted(children))})"
        for group in [parent, *children]:
            mapping[group] = label
    if len(pooled) > 1:
        for group in pooled:
            mapping[group] = pooled_label
    elif pooled:
        # A lone small group with no parent joins the smallest group that is large enough, rather than
        # forcing a second group to be hidden by complementary suppression.
        alone = pooled[0]
        others = sizes[[g for g in sizes.index if g != alone and mapping[g] == g]]
        if len(others):
            partner = others.idxmin()
            label = f"{partner} + {alone}"
            mapping[alone] = mapping[partner] = label
    return mapping


def combine(parts: list[Disclosed]) -> Disclosed:
    """Stack disclosed tables of the same kind (for example one per instrument) into one, with one footnote."""
    table = pd.concat([p.table for p in parts], ignore_index=True)
    hidden = int(table["suppressed"].sum()) if "suppressed" in table.columns else 0
    text = parts[0].footnote if parts else ""
    text = re.sub(r" (\d+ row\(s\) suppressed|Nothing was suppressed) in this table\.", "", text)
    text += f" {hidden} row(s) suppressed in this table." if hidden else " Nothing was suppressed in this table."
    return Disclosed(table, text, hidden)
