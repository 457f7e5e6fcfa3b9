"""Disclosure control: the only place that decides what may be shown (domain spec 4.2, decision 8.3).

Calculators work on complete data. A :class:`Policy` (audience, threshold), built once from the parameters,
is applied as the **last** step to every finished table before it is displayed, charted or saved. Nothing is
computed on its output: it removes numbers, so a limit, model, total or sentence computed afterwards would be
wrong or would fail.

Rules (domain spec 4.2; numbers are the rule numbers there):

1. **Small groups** (all audiences): a row whose group has fewer people than the threshold (default 11) is
   suppressed. Survey and training groups are merged upward first
   (:func:`ttwell.disclosure.groups.merge_small_groups`).
2. **Counts for staff-wide audiences**: below service level, 0 stays 0, 1-7 is suppressed and 8 or more is
   rounded to the nearest 5 (halves up), the NHS Digital rule. A rate whose numerator and denominator are
   counts of people is recomputed from the rounded counts it is shown with, and so is its interval.
3. **Rates for staff-wide audiences**: suppressed when 1-7 people are behind *that* numerator (long-term
   sickness counts the people with long-term episodes, not everyone off sick), at every level.
4. **Complementary suppression** across every linked view of the same people: where exactly one part of a
   breakdown is hidden, the next-smallest part is hidden too. A remainder that a reader can work out as
   "total minus the parts" (people with no team recorded) counts as a hidden part when it is small. Related
   indicators are linked too: a total that equals the sum of its parts (all sickness = short-term +
   long-term) never shows with exactly one part hidden.
5. **No month-by-month figures below service level for staff-wide audiences**: a change of one between two
   months identifies a person; teams get rolling 12-month figures.
7. **Health data** (absence reasons): service level only, and each figure rests on at least 8 people, for
   every audience.

A suppressed row carries no number at all: every numeric column, flag, judgement and icon is emptied, and
the ``suppressed`` flag and ``suppression_reason`` say why. Reports show ``[c]``. A table carrying a staff
identifier is refused outright. Every footnote counts what the table it sits under suppressed.

Example
-------
>>> import pandas as pd
>>> from ttwell.disclosure import Policy
>>> table = pd.DataFrame({"level": ["service", "team", "team"], "group": ["All", "A", "B"],
...                       "value": [0.05, 0.04, 0.09], "n_people": [40, 32, 8]})
>>> out = Policy("internal_management").table(table, value_columns=["value"], partition=[])
>>> out.table["suppressed"].tolist()
[False, True, True]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ttwell.disclosure.rules import (COUNT_BASED_RATES, HEALTH_REASONS, HR_COUNT_SUPPRESS_BELOW, JUDGEMENT_COLUMNS,
                                     MONTH_BY_MONTH, RELATED_INDICATORS, SAME_NUMERATOR,
                                     SERVICE_ONLY_FOR_STAFF_WIDE, SUPPRESSED_MARK, assert_no_identifiers,
                                     check_settings, few_people, round_hr_count)
from ttwell.inputs.params import DEFAULT_THRESHOLD


@dataclass
class Disclosed:
    """A table after disclosure control, with the footnote every rendering of it must carry."""

    table: pd.DataFrame
    footnote: str
    n_suppressed_rows: int


@dataclass(frozen=True)
class Policy:
    """The disclosure rules in force for one report: its audience and threshold.

    Build it once from the parameters (:meth:`from_params`) and pass finished, complete tables through it
    as the last step before they are shown or saved.

    Parameters
    ----------
    audience : {"internal_management", "staff_wide"}
        Who will see the output. ``staff_wide`` covers all staff, the wellbeing group and board papers.
    threshold : int
        Smallest group shown (default 11, as the NHS Staff Survey; never below 5).
    """

    audience: str = "internal_management"
    threshold: int = DEFAULT_THRESHOLD

    def __post_init__(self):
        check_settings(self.audience, self.threshold)

    @classmethod
    def from_params(cls, params: dict) -> "Policy":
        """The policy a notebook's parameters ask for (``audience``, ``disclosure_threshold``)."""
        return cls(params.get("audience", "internal_management"),
                   params.get("disclosure_threshold", DEFAULT_THRESHOLD))

    @property
    def staff_wide(self) -> bool:
        return self.audience == "staff_wide"

    # --- the one general rule set ---------------------------------------------------------------------------

    def table(self, table: pd.DataFrame, *, value_columns: list[str], count_columns=(), size_column: str = "n_people",
              numerator_people_column: str | None = None, partition=("month", "indicator"),
              level_column: str = "level", service_level: str = "service",
              shares: dict[str, tuple[str, str]] | None = None, rates: bool = True,
              value_is_count: pd.Series | None = None, extra_reasons: pd.Series | None = None,
              related: dict | None = None, related_column: str = "indicator", hr: bool = True) -> Disclosed:
        """Apply the rules to one finished aggregate table.

        Parameters
        ----------
        table : DataFrame
            Complete aggregate rows, one per group (and month, indicator, ...). Must not carry identifiers.
        value_columns : list of str
            Statistics describing the group (rates, means, shares).
        count_columns : list of str
            Counts of people or events: rounded for staff-wide audiences below service level (rule 2).
        size_column : str
            The group's number of people (rule 1).
        numerator_people_column : str, optional
            People behind the figure's numerator (rule 3).
        partition : list of str
            Columns that, with the level, identify one breakdown whose parts add up to the service row of the
            same partition (rule 4). A part missing from the breakdown (service size minus the parts' sizes)
            counts as a hidden part when it is small.
        shares : dict, optional
            ``{share: (count, total)}`` recomputed from rounded counts for staff-wide output.
        rates : bool
            Whether ``value_columns`` are rates subject to rule 3.
        value_is_count : Series of bool, optional
            Rows whose values are counts of people (headcount, joiners): rounded like counts.
        extra_reasons : Series of str, optional
            Reasons decided by a specialised rule (rules 5 and 7), ``""`` where none applies.
        related : dict, optional
            ``{total: (part, part, ...)}`` values of ``related_column`` linked by a sum for the same group.
        hr : bool
            HR data (rules 2 and 3 apply for staff-wide audiences). Survey and training results (``False``)
            follow rule 1 for every audience: a group of at least the threshold is shown with its exact n.

        Returns
        -------
        Disclosed
            ``table`` with suppressed rows emptied, plus ``suppressed`` and ``suppression_reason`` columns;
            ``footnote`` for the whole table; ``n_suppressed_rows``.
        """
        assert_no_identifiers(table)
        out = table.copy().reset_index(drop=True)
        count_columns = [c for c in count_columns if c in out.columns]
        has_level = level_column in out.columns
        below = (out[level_column] != service_level) if has_level else pd.Series(True, index=out.index)
        reason = pd.Series("", index=out.index, dtype=object)
        if extra_reasons is not None:
            reason[:] = extra_reasons.reset_index(drop=True).fillna("").to_numpy()
        is_count = (value_is_count.reset_index(drop=True).astype(bool) if value_is_count is not None
                    else pd.Series(False, index=out.index))

        def hide(mask: pd.Series, why: str) -> None:
            reason[mask & (reason == "")] = why

        size = pd.to_numeric(out[size_column], errors="coerce") if size_column in out.columns else \
            pd.Series(np.nan, index=out.index)
        hide(size.notna() & (size < self.threshold), f"group of fewer than {self.threshold} people")
        staff_wide_hr = self.staff_wide and hr
        if staff_wide_hr:
            hide(few_people(size), f"group of fewer than {HR_COUNT_SUPPRESS_BELOW} people")
            if rates and numerator_people_column:
                # Counts (headcount, joiners) follow rule 2 below; rule 3 is about rates.
                hide(~is_count & few_people(out[numerator_people_column]),
                     f"fewer than {HR_COUNT_SUPPRESS_BELOW} people behind the figure")
            # Rule 2: a count of 1-7 below service level cannot be shown, so its row is hidden before
            # complementary suppression protects it from subtraction.
            for column in count_columns:
                hide(below & few_people(pd.to_numeric(out[column], errors="coerce")), f"count of 1 to {HR_COUNT_SUPPRESS_BELOW - 1}")
            for column in value_columns:
                hide(below & is_count & few_people(pd.to_numeric(out[column], errors="coerce")),
                     f"count of 1 to {HR_COUNT_SUPPRESS_BELOW - 1}")

        self._complementary(out, reason, size, below, partition, level_column, service_level, related,
                            related_column)
        suppressed = reason != ""
        self._empty(out, suppressed, keep_text=True)

        rounded_any = False
        if staff_wide_hr:
            shown_below = below & ~suppressed
            targets = [(c, shown_below) for c in dict.fromkeys([*count_columns, size_column]) if c in out.columns]
            targets += [(c, shown_below & is_count) for c in value_columns]
            for column, rows in targets:
                before = pd.to_numeric(out.loc[rows, column], errors="coerce")
                after = before.map(round_hr_count)
                rounded_any |= bool((after.fillna(-1) != before.fillna(-1)).any())
                out[column] = out[column].astype(float)
                out.loc[rows, column] = after
            for share, (count, total) in (shares or {}).items():
                out.loc[shown_below, share] = (out.loc[shown_below, count]
                                               / out.loc[shown_below, total].where(out.loc[shown_below, total] > 0))
        out["suppressed"] = suppressed
        out["suppression_reason"] = reason.where(suppressed, None)
        if not self.staff_wide and hr and rates and numerator_people_column:
            # Rule 3 for an internal audience: shown, with a warning that the figure rests on few people.
            few = ~suppressed & ~is_count & few_people(pd.to_numeric(table[numerator_people_column].reset_index(drop=True),
                                                               errors="coerce"))
            if few.any():
                out["caution"] = pd.Series(None, index=out.index, dtype=object)
                out.loc[few, "caution"] = f"rests on fewer than {HR_COUNT_SUPPRESS_BELOW} people: read with care"
        n_hidden = int(suppressed.sum())
        return Disclosed(out, self.footnote(out, rounded=rounded_any), n_hidden)

    def _complementary(self, out, reason, size, below, partition, level_column, service_level, related,
                       related_column) -> None:
        """Rule 4: hide a second part wherever exactly one part of a published total is hidden."""
        has_level = level_column in out.columns
        keys = [c for c in partition if c in out.columns]
        # The published total of each breakdown: the service row of the same partition, if the table has it.
        totals = {}
        if has_level:
            for key, rows in (out[~below].groupby(keys, sort=False, dropna=False) if keys else [((), out[~below])]):
                if len(rows):
                    totals[key if isinstance(key, tuple) else (key,)] = rows.index[0]
        groups = ([level_column] if has_level else []) + keys
        # Positions, not labels (``out`` has a fresh RangeIndex): the breakdowns are found once, and each pass
        # works on numpy arrays; a monthly table has thousands of breakdowns.
        candidates = out[below]
        if groups:
            labels = candidates.index.to_numpy()
            breakdowns = [(key if isinstance(key, tuple) else (key,), labels[positions]) for key, positions in
                          candidates.groupby(groups, sort=False, dropna=False).indices.items()]
        else:
            breakdowns = [((), candidates.index.to_numpy())]
        sizes = size.to_numpy(dtype=float)
        hidden_now = reason.to_numpy(dtype=object) != ""
        for _ in range(10):  # linked views can need more than one pass; each pass only adds suppression
            changed = False
            for key, rows in breakdowns:
                hidden = hidden_now[rows]
                n_hidden = int(hidden.sum())
                hidden_people = float(np.nansum(sizes[rows][hidden]))
                total = totals.get(key[1:] if has_level else key)
                if total is not None and not hidden_now[total]:
                    # "Total minus the parts" would reveal a small group missing from the breakdown.
                    remainder = sizes[total] - np.nansum(sizes[rows])
                    if not np.isnan(sizes[total]) and 0 < remainder < self.threshold:
                        n_hidden += 1
                        hidden_people += remainder
                # Without a total in this table the rule still applies: the total may be published elsewhere.
                # One hidden part is given away by subtraction; so are several whose people add up to fewer
                # than the threshold (they would be recovered together, as one small group).
                sizes_known = not np.isnan(sizes[rows][hidden]).any()
                too_few = n_hidden == 1 or (n_hidden > 1 and sizes_known and hidden_people < self.threshold)
                if too_few and not hidden.all():
                    visible = rows[~hidden]
                    smallest = visible[np.argmin(np.where(np.isnan(sizes[visible]), np.inf, sizes[visible]))]
                    reason[smallest] = "complementary suppression (stops a hidden group being worked out)"
                    hidden_now[smallest] = True
                    changed = True
            if related and related_column in out.columns:
                if self._related(out, reason, related, related_column, keys, level_column):
                    changed = True
                    hidden_now = reason.to_numpy(dtype=object) != ""
            if not changed:
                break

    @staticmethod
    def _related(out, reason, related, related_column, keys, level_column) -> bool:
        """A total shown with exactly one of its parts hidden gives the part away: hide another part."""
        changed = False
        ident = [c for c in [level_column, "group", *keys] if c in out.columns and c != related_column]
        by_key = out.groupby(ident, sort=False, dropna=False) if ident else [((), out)]
        for _, rows in by_key:
            names = rows[related_column]
            for total, parts in related.items():
                total_rows = rows.index[names == total]
                part_rows = [rows.index[names == p] for p in parts]
                if len(total_rows) == 0 or any(len(p) == 0 for p in part_rows):
                    continue
                if reason[total_rows[0]] != "":
                    continue
                hidden = [p[0] for p in part_rows if reason[p[0]] != ""]
                if len(hidden) == 1:
                    for p in part_rows:
                        if reason[p[0]] == "":
                            reason[p[0]] = "complementary suppression (a related figure is hidden)"
                            changed = True
        return changed

    @staticmethod
    def _empty(out: pd.DataFrame, suppressed: pd.Series, keep_text: bool = True) -> None:
        """A suppressed row keeps its labels and nothing else: no number, n, interval, judgement or icon."""
        if not suppressed.any():
            return
        for column in out.columns:
            series = out[column]
            if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
                out[column] = series.astype(float) if not pd.api.types.is_float_dtype(series) else series
                out.loc[suppressed, column] = np.nan
            elif column in JUDGEMENT_COLUMNS:
                out[column] = series.astype(object)
                out.loc[suppressed, column] = None

    # --- specialised views ------------------------------------------------------------------------------------

    def indicators(self, table: pd.DataFrame) -> Disclosed:
        """The tidy workforce tables (monthly indicators or period values, ``ttwell.calculations.workforce``).

        Adds to :meth:`table`: rule 5 (staff-wide: month-by-month figures at service level only), rule 7
        (the mental-health share rests on at least 8 people, every audience), FTE-weighted leaver rates at
        service level only for staff-wide audiences (no count to round), related indicators linked, and
        staff-wide rates below service level recomputed from the rounded numerator and denominator that are
        shown with them (intervals too). For other rates (FTE days, vacancy FTE) the numerator and
        denominator are not counts of people and are not shown below service level to all staff.
        """
        from ttwell.calculations.statistics import poisson_rate_interval, wilson_interval

        out = table.reset_index(drop=True)
        from ttwell.calculations.workforce import INDICATORS  # imported here: loading parameters must not load calculators
        unit = out["indicator"].map(lambda i: INDICATORS.get(i, ("", "", ""))[1])
        is_count = unit.isin(["count", "fte"])
        below = out["level"] != "service"
        why = pd.Series("", index=out.index, dtype=object)
        health = out["indicator"].isin(HEALTH_REASONS)
        why[health & few_people(out["n_numerator_people"])] = (f"health data resting on fewer than "
                                                         f"{HR_COUNT_SUPPRESS_BELOW} people")
        why[health & below & (why == "")] = "health data are shown for the whole service only"
        if self.staff_wide:
            monthly = "month" in out.columns and out["month"].nunique() > 1
            if monthly:
                why[below & out["indicator"].isin(MONTH_BY_MONTH) & (why == "")] = (
                    "month-by-month figures below service level are not shown to all staff (rolling figures are)")
            why[below & out["indicator"].isin(SERVICE_ONLY_FOR_STAFF_WIDE) & (why == "")] = (
                "FTE-weighted rates are shown for the whole service only")
            count_rate = below & out["indicator"].isin(COUNT_BASED_RATES)
            for column in ("numerator", "denominator"):
                if column in out.columns:
                    hit = count_rate & few_people(out[column]) & (why == "")
                    why[hit] = f"count of 1 to {HR_COUNT_SUPPRESS_BELOW - 1}"
        partition = [c for c in ("month", "indicator") if c in out.columns]
        value_columns = [c for c in ("value", "ci_low", "ci_high") if c in out.columns]
        shown = self.table(out, value_columns=value_columns, count_columns=["n_numerator_people"],
                           numerator_people_column="n_numerator_people", partition=partition,
                           value_is_count=is_count, extra_reasons=why, related=RELATED_INDICATORS)
        result = shown.table
        for source, follower in SAME_NUMERATOR.items():
            self._follow(result, source, follower)
        if self.staff_wide:
            visible_below = (result["level"] != "service") & ~result["suppressed"]
            rate_rows = visible_below & result["indicator"].isin(COUNT_BASED_RATES)
            for column in ("numerator", "denominator"):
                if column in result.columns:
                    result.loc[rate_rows, column] = result.loc[rate_rows, column].map(round_hr_count)
                    # FTE days, vacancy FTE, and the exact count behind a rounded headcount: not shown.
                    other = visible_below & ~result["indicator"].isin(COUNT_BASED_RATES)
                    result.loc[other, column] = np.nan
            if {"numerator", "denominator"} <= set(result.columns):
                num, den = result.loc[rate_rows, "numerator"], result.loc[rate_rows, "denominator"]
                result.loc[rate_rows, "value"] = num / den.where(den > 0)
                if {"ci_low", "ci_high"} <= set(result.columns):
                    for i in result.index[rate_rows]:
                        k, n = result.at[i, "numerator"], result.at[i, "denominator"]
                        method = COUNT_BASED_RATES[result.at[i, "indicator"]]
                        if pd.isna(k) or pd.isna(n) or n <= 0:
                            continue
                        _, low, high = (wilson_interval(k, n) if method == "Wilson" else poisson_rate_interval(k, n))
                        result.at[i, "ci_low"], result.at[i, "ci_high"] = low, high
        n_hidden = int(result["suppressed"].sum())
        return Disclosed(result, self.footnote(result, rounded=self.staff_wide and bool((result["level"] != "service").any())),
                         n_hidden)

    def _follow(self, result: pd.DataFrame, source: str, follower: str) -> None:
        """Hide ``follower`` rows wherever ``source`` (same numerator, same group and month) is hidden."""
        keys = [c for c in ("month", "level", "group") if c in result.columns]
        hidden = result[(result["indicator"] == source) & result["suppressed"]][keys]
        if hidden.empty:
            return
        marks = result[keys].merge(hidden.assign(_hit=True), on=keys, how="left")["_hit"].fillna(False).to_numpy(bool)
        rows = (result["indicator"] == follower).to_numpy() & marks & ~result["suppressed"].to_numpy(bool)
        if rows.any():
            mask = pd.Series(rows, index=result.index)
            self._empty(result, mask)
            result.loc[mask, "suppressed"] = True
            result.loc[mask, "suppression_reason"] = "same numerator as a hidden figure"

    def year_comparison(self, table: pd.DataFrame, baseline: pd.DataFrame, evaluation: pd.DataFrame) -> Disclosed:
        """A baseline-year against evaluation-year table (``ttwell.calculations.impact.year_comparison``), disclosed.

        Both years are views of the same people: a row is hidden when either year's figure would be hidden
        (``baseline`` and ``evaluation`` are the two complete period tables behind it). For staff-wide
        audiences, below service level, the two values are the ones each year's disclosed table shows (from
        rounded counts), the change is recomputed from them and no interval is shown (an interval from exact
        counts would give them back).
        """
        years = [self.indicators(t).table.set_index(["indicator", "level", "group"]) for t in (baseline, evaluation)]
        out = table.reset_index(drop=True).copy()
        key = list(zip(out["indicator"], out["level"], out["group"]))
        why = pd.Series("", index=out.index, dtype=object)
        for year, name in zip(years, ("baseline", "evaluation")):
            hidden = year["suppressed"].reindex(key).fillna(False).to_numpy(bool)
            why[hidden & (why == "")] = f"hidden in the {name} year"
        out["n_people"] = out[["n_baseline", "n_evaluation"]].min(axis=1)
        shown = self.table(out, value_columns=["value_baseline", "value_evaluation", "absolute_change",
                                               "relative_change", "ci_low", "ci_high"],
                           count_columns=["n_baseline", "n_evaluation"], size_column="n_people",
                           partition=["indicator"], rates=False, extra_reasons=why)
        result = shown.table
        if self.staff_wide:
            rows = (result["level"] != "service") & ~result["suppressed"]
            if rows.any():
                idx = list(zip(result.loc[rows, "indicator"], result.loc[rows, "level"], result.loc[rows, "group"]))
                result.loc[rows, "value_baseline"] = years[0]["value"].reindex(idx).to_numpy()
                result.loc[rows, "value_evaluation"] = years[1]["value"].reindex(idx).to_numpy()
                result.loc[rows, "absolute_change"] = result.loc[rows, "value_evaluation"] - result.loc[rows, "value_baseline"]
                base = result.loc[rows, "value_baseline"]
                result.loc[rows, "relative_change"] = result.loc[rows, "absolute_change"] / base.where(base != 0)
                # An interval from exact counts would give the counts back; FTE-day rates keep theirs.
                from_counts = rows & result["indicator"].isin(COUNT_BASED_RATES)
                if "unit" in result.columns:
                    from_counts |= rows & result["unit"].isin(["count", "fte"])
                result.loc[from_counts, ["ci_low", "ci_high"]] = np.nan
                gone = rows & result[["value_baseline", "value_evaluation"]].isna().any(axis=1)
                if gone.any():
                    self._empty(result, gone)
                    result.loc[gone, "suppressed"] = True
                    result.loc[gone, "suppression_reason"] = "hidden in one of the two years"
        n_hidden = int(result["suppressed"].sum())
        return Disclosed(result, self.footnote(result, rounded=self.staff_wide), n_hidden)

    def series(self, points: pd.DataFrame, shown: pd.DataFrame, *, on: list[str], columns=("value",)) -> pd.DataFrame:
        """Chart points with the cells that ``shown`` (the disclosed table) hides set to missing.

        The months stay on the axis: a hidden month is a gap, never a dropped point.
        """
        hidden = shown.loc[shown["suppressed"], on].assign(_hidden=True)
        out = points.merge(hidden, on=on, how="left")
        mask = out.pop("_hidden").fillna(False).astype(bool)
        for column in columns:
            if column in out.columns:
                out.loc[mask, column] = np.nan
        if "moving_range" in out.columns:
            # The next point's moving range is |its value - the hidden value|: it would give the hidden one back.
            after_hidden = mask.shift(1, fill_value=False).to_numpy(bool)
            out.loc[after_hidden, "moving_range"] = np.nan
        out["suppressed"] = mask.to_numpy()
        return out

    def gap_note(self, points: pd.DataFrame, why_kept: str = "") -> str | None:
        """The note under a chart with hidden months (``None`` when nothing is hidden)."""
        hidden = int(points["suppressed"].sum()) if "suppressed" in points.columns else 0
        if not hidden:
            return None
        text = f"{SUPPRESSED_MARK} {hidden} month(s) not shown (gaps) to protect confidentiality"
        return text + (f"; {why_kept}." if why_kept else ".")

    def _rules_text(self) -> str:
        text = (f"{SUPPRESSED_MARK} = suppressed to protect confidentiality. Groups of fewer than {self.threshold} "
                f"people are never shown, and where one group is hidden a second is hidden too so it cannot be "
                f"worked out from the total. Audience: {self.audience.replace('_', ' ')}.")
        if self.staff_wide:
            text += (f" Counts below service level: 1 to {HR_COUNT_SUPPRESS_BELOW - 1} suppressed, "
                     f"{HR_COUNT_SUPPRESS_BELOW} or more rounded to the nearest 5, and rates worked out from the "
                     f"rounded counts; rates based on fewer than {HR_COUNT_SUPPRESS_BELOW} people suppressed.")
        return text

    def footnote(self, table: pd.DataFrame | None = None, *, rounded: bool | None = None) -> str:
        """The disclosure sentence for one table as shown: the rules, and how many of ITS rows are hidden."""
        text = self._rules_text()
        n = int(table["suppressed"].sum()) if table is not None and "suppressed" in table.columns else 0
        text += f" {n} row(s) suppressed in this table." if n else " Nothing was suppressed in this table."
        cautions = int(table["caution"].notna().sum()) if table is not None and "caution" in table.columns else 0
        if cautions:
            text += (f" {cautions} figure(s) rest on fewer than {HR_COUNT_SUPPRESS_BELOW} people: shown to this "
                     "internal audience only, to be read with care, and never to all staff.")
        return text

    def section_footnote(self, tables: Mapping[str, pd.DataFrame]) -> str:
        """One disclosure note for a section of several tables (named by their captions), instead of one per table.

        The rules once, then what each table hid: "Nothing was suppressed in this section." when no table hid a
        row, otherwise "Rows suppressed in this section: Baseline by team, 8 of 24; Reasons, none." (every table
        named, so no count can be read as another table's). Figures resting on few people (the ``caution``
        column, internal audiences only) are counted the same way.
        """
        text = self._rules_text()
        hidden = {name: (int(t["suppressed"].sum()) if "suppressed" in t.columns else 0, len(t))
                  for name, t in tables.items()}
        if not any(n for n, _ in hidden.values()):
            text += " Nothing was suppressed in this section."
        else:
            text += " Rows suppressed in this section: " + "; ".join(
                f"{name}, {n} of {total}" if n else f"{name}, none" for name, (n, total) in hidden.items()) + "."
        cautions = {name: int(t["caution"].notna().sum()) for name, t in tables.items() if "caution" in t.columns}
        if any(cautions.values()):
            text += (" Figures resting on fewer than "
                     f"{HR_COUNT_SUPPRESS_BELOW} people (shown to this internal audience only, to be read with care, and "
                     "never to all staff): " + "; ".join(f"{name}, {n}" for name, n in cautions.items() if n) + ".")
        return text


def disclose(table: pd.DataFrame, *, audience: str, threshold: int = DEFAULT_THRESHOLD, **rules) -> Disclosed:
    """:meth:`Policy.table` for one audience and threshold (kept for scripts that have no policy object)."""
    return Policy(audience, threshold).table(table, **rules)


def disclose_indicators(table: pd.DataFrame, *, audience: str, threshold: int = DEFAULT_THRESHOLD) -> Disclosed:
    """:meth:`Policy.indicators` for one audience and threshold."""
    return Policy(audience, threshold).indicators(table)


def footnote(audience: str, threshold: int, n_suppressed: int, rounded: bool = False) -> str:
    """The footnote for a table with ``n_suppressed`` hidden rows (for callers without a table)."""
    return Policy(audience, threshold).footnote(pd.DataFrame({"suppressed": [True] * n_suppressed}))


def combine(parts: list[Disclosed], policy: Policy | None = None) -> Disclosed:
    """Stack disclosed tables of the same kind (for example one per instrument) into one, with one footnote."""
    table = pd.concat([p.table for p in parts], ignore_index=True) if parts else pd.DataFrame()
    hidden = int(table["suppressed"].sum()) if "suppressed" in table.columns else 0
    if policy is not None:
        return Disclosed(table, policy.footnote(table), hidden)
    text = parts[0].footnote if parts else ""
    for phrase in (" Nothing was suppressed in this table.",):
        text = text.replace(phrase, "")
    import re
    text = re.sub(r" \d+ row\(s\) suppressed in this table\.", "", text)
    text += f" {hidden} row(s) suppressed in this table." if hidden else " Nothing was suppressed in this table."
    return Disclosed(table, text, hidden)
