"""Comparing teams fairly: funnel plots of the team-level rates and survey scores, built on complete data and then
cut down to what disclosure control lets the audience see.

The funnels (target, limits, over-dispersion, each team's position) come from
:mod:`ttwell.calculations.comparisons` on the complete tables. A team is then drawn only if the disclosed table
shows it: a hidden team keeps no number and no position, and is counted in the note. Limits are evaluated at the
size each team is *shown* with (rounded counts for all staff), and the curves span only the teams shown, so neither
gives away a hidden team's size; the position stays the one worked out on the exact figures. A panel is drawn only
where at least three teams can be shown. Every sentence here is conditional on its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ttwell import disclosure
from ttwell.calculations.funnel import MIN_UNITS_FOR_ADJUSTMENT, TEST_LEVEL, Funnel, Overdispersion
from ttwell.presentation.units import percent as as_percent

OUTSIDE_LIMITS = ("Above 99.8% limit", "Below 99.8% limit")
MIN_SHOWN = 3  # fewer than three teams cannot be compared with each other on a plot
CAUTION = ("A funnel plot flags a team for a closer look, not a verdict: a team outside the 99.8% limits differs "
           "from the service by more than chance alone would explain, but the data cannot say why (the work it does, "
           "who is in it, how things are recorded).")
# Each workforce indicator's funnel: title, what the x axis counts, y axis label.
WORKFORCE_PANELS = {
    "sickness_absence_rate_12m": ("Sickness absence rate", "FTE days available", "FTE days lost / days available"),
    "leaver_rate_hc_12m": ("Leaver rate", "Average staff in post (headcount)", "Leavers / average staff"),
    "stability_index_nhs_12m": ("Stability index", "Staff in post at the start of the year",
                                "Share still in post a year later"),
}
TABLE_COLUMNS = ["indicator", "label", "level", "group", "value", "numerator", "denominator", "target", "lower_95",
                 "upper_95", "lower_99_8", "upper_99_8", "position", "kind", "method", "suppressed",
                 "suppression_reason"]
LIMIT_COLUMNS = ["lower_95", "upper_95", "lower_99_8", "upper_99_8"]
ROUNDED = ("Values and sizes are worked out from counts rounded to the nearest 5, with the limits at the rounded "
           "size; each team's position is judged on its exact figures, so a point can sit just past a line it is "
           "within.")
# The curves start at a fraction of the largest team shown, so the funnel's shape is visible without reaching
# down to the size of a hidden small team.
CURVES_FROM = 1 / 3


@dataclass
class FunnelPanel:
    """One funnel as shown: the disclosed teams with their limits at the shown size, and what to say about it."""

    key: str
    title: str
    kind: str
    target: float
    percent: bool
    xlabel: str
    ylabel: str
    method: str
    overdispersion: Overdispersion
    units: pd.DataFrame  # the teams shown: label, value, denominator, limits, position
    curves: pd.DataFrame | None  # None when the panel is not drawn
    n_groups: int
    n_hidden: int
    sentences: list[str] = field(default_factory=list)
    noun: str = "team"
    family: str = ""  # what panels are drawn together (a survey instrument)
    primary: bool = True  # a survey subscale behind a composite score is secondary (drawn in the workbook only)
    rounded: bool = False  # values and sizes shown from rounded counts (all staff)

    @property
    def drawn(self) -> bool:
        return self.curves is not None

    @property
    def note(self) -> str:
        """The note under the chart: how the limits were set, and how many teams disclosure left out."""
        text = f"Limits: {self.method}."
        if self.n_hidden:
            text += f" {_teams(self.n_hidden)} of {self.n_groups} not shown (disclosure control)."
        if self.rounded:
            text += f" {ROUNDED}"
        return text

    def alt(self) -> str:
        """Alt text: every team shown with its value and position."""
        return (f"Funnel plot of the {self.title.lower()} by team against team size, around the service's "
                f"{self.value_text(self.target)}: " + "; ".join(
                    f"{row.label} {self.value_text(row.value)}, {row.position.lower()}"
                    for row in self.units.itertuples()) + ".")

    def value_text(self, value: float) -> str:
        return as_percent(value) if self.percent else f"{value:.2f}"


@dataclass
class FunnelSection:
    """The funnel panels of one report part, the table saved with the results and the sentences under them."""

    panels: list[FunnelPanel]
    table: disclosure.Disclosed
    sentences: list[str]

    @property
    def drawn(self) -> list[FunnelPanel]:
        return [p for p in self.panels if p.drawn]


def _teams(n: int, noun: str = "team") -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# --- sentences, one per finding, each conditional on its numbers ------------------------------------------------

def outside_sentence(panel: FunnelPanel, noun: str = "team") -> str:
    """Which teams shown sit outside the 99.8% limits, with value and side, or that none does."""
    outside = panel.units[panel.units["position"].isin(OUTSIDE_LIMITS)]
    if outside.empty:
        return f"{panel.title}: no {noun} shown sits outside the 99.8% limits."
    parts = [f"{row.label} is {'above' if row.position.startswith('Above') else 'below'} them "
             f"({panel.value_text(row.value)})" for row in outside.itertuples()]
    return (f"{panel.title}: outside the 99.8% limits around the service's {panel.value_text(panel.target)}, "
            + "; ".join(parts) + ".")


def overdispersion_sentence(panel: FunnelPanel, noun: str = "team") -> str | None:
    """Why the limits were or were not widened, when the teams differ by more than chance (nothing otherwise)."""
    od = panel.overdispersion
    if od.adjusted:
        return (f"{panel.title}: the {noun}s differ by more than chance alone would give (p = {od.p_value:.2g}), so "
                f"the limits are widened to allow for it (between-{noun} variance τ² = {od.tau2:.3g}).")
    if np.isfinite(od.p_value) and od.p_value < TEST_LEVEL and od.n_units < MIN_UNITS_FOR_ADJUSTMENT:
        return (f"{panel.title}: the {noun}s differ by more than chance (p = {od.p_value:.2g}), but with "
                f"{_teams(od.n_units, noun)} (fewer than {MIN_UNITS_FOR_ADJUSTMENT}) the extra spread cannot be "
                f"estimated reliably, so the limits are not widened and more {noun}s may fall outside them than "
                f"chance alone would put there.")
    return None


def hidden_sentence(panel: FunnelPanel, threshold: int, noun: str = "team") -> str | None:
    """How many teams disclosure control left out of the plot (nothing when none was)."""
    if not panel.n_hidden:
        return None
    return (f"{panel.title}: {_teams(panel.n_hidden, noun)} of {panel.n_groups} not shown, to protect "
            f"confidentiality (groups of fewer than {threshold} people, and any group hidden so that a small one "
            f"cannot be worked out).")


def not_drawn_sentence(panel: FunnelPanel, size_hidden: bool, noun: str = "team") -> str | None:
    """Why a panel is not drawn: too few teams shown, or sizes this audience may not see (nothing if drawn)."""
    if panel.drawn:
        return None
    if size_hidden:
        return (f"{panel.title}: no funnel plot for this audience, because its limits would show each {noun}'s "
                f"size ({panel.xlabel}), which is not shown below service level to all staff.")
    shown = len(panel.units)
    how_many = f"no {noun} can" if shown == 0 else f"only {_teams(shown, noun)} can"
    return (f"{panel.title}: no funnel plot, because {how_many} be shown under the disclosure rules (at least "
            f"{MIN_SHOWN} are needed to compare {noun}s).")


# --- building the panels ----------------------------------------------------------------------------------------

def _panel(key: str, f: Funnel, shown: pd.DataFrame, *, title: str, xlabel: str, ylabel: str, percent: bool,
           names: dict, policy: disclosure.Policy, noun: str) -> tuple[FunnelPanel, pd.DataFrame]:
    """One panel and its table rows from a complete funnel and the disclosed rows (``group, value, denominator,
    suppressed``, plus ``suppression_reason`` when there is one)."""
    shown = shown.drop_duplicates("group").set_index("group")
    units = f.units.copy()
    visible = units["group"].map(lambda g: g in shown.index and not bool(shown.at[g, "suppressed"])
                                 and pd.notna(shown.at[g, "value"])).astype(bool)
    units["label"] = units["group"].map(lambda g: names.get(g, g))
    units["value"] = units["group"].map(lambda g: shown.at[g, "value"] if g in shown.index else np.nan)
    units["denominator"] = units["group"].map(lambda g: shown.at[g, "denominator"] if g in shown.index else np.nan)
    # The numerator as shown (rounded for all staff; none for FTE days or survey means).
    units["numerator"] = units["group"].map(lambda g: shown.at[g, "numerator"]
                                            if g in shown.index and "numerator" in shown.columns else np.nan)
    units.loc[~visible, ["value", "numerator", "denominator"]] = np.nan
    # The limits at the size the reader sees (rounded for all staff); the position stays the exact one.
    size_hidden = bool(visible.any() and units.loc[visible, "denominator"].isna().any())
    sizes = units.loc[visible, "denominator"].to_numpy(dtype=float)
    if visible.any() and not size_hidden:
        units.loc[visible, LIMIT_COLUMNS] = f.limits_at(sizes)[LIMIT_COLUMNS].to_numpy()
    else:
        units[LIMIT_COLUMNS] = np.nan
    units.loc[~visible, LIMIT_COLUMNS] = np.nan
    units.loc[~visible, "position"] = None
    drawable = int(visible.sum()) >= MIN_SHOWN and not size_hidden
    panel = FunnelPanel(key=key, title=title, kind=f.kind, target=f.target, percent=percent, xlabel=xlabel,
                        ylabel=ylabel, method=f.method, overdispersion=f.overdispersion,
                        units=units.loc[visible, ["label", "value", "denominator", *LIMIT_COLUMNS,
                                                  "position"]].reset_index(drop=True),
                        curves=f.curves_over(np.r_[sizes, sizes.max() * CURVES_FROM]) if drawable else None,
                        n_groups=len(units), n_hidden=int((~visible).sum()),
                        rounded=policy.staff_wide and f.kind != "mean" and drawable)
    panel.sentences = [s for s in (not_drawn_sentence(panel, size_hidden, noun),
                                   outside_sentence(panel, noun) if panel.drawn else None,
                                   overdispersion_sentence(panel, noun),
                                   hidden_sentence(panel, policy.threshold, noun) if panel.drawn else None) if s]
    panel.noun = noun
    reasons = shown["suppression_reason"] if "suppression_reason" in shown.columns else pd.Series(dtype=object)
    reason = units["group"].map(lambda g: reasons.get(g) if isinstance(reasons.get(g), str) else
                                "not in the disclosed table")
    # A hidden team's row keeps its name and why it is hidden, and no number at all (not even the service's).
    rows = units.assign(indicator=key, label=title, group=units["label"], target=np.where(visible, f.target, np.nan),
                        kind=f.kind, method=f.method, suppressed=~visible,
                        suppression_reason=reason.where(~visible, None))
    return panel, rows


def _section(parts: list[tuple[FunnelPanel, pd.DataFrame]], level: str, policy: disclosure.Policy) -> FunnelSection:
    panels = [p for p, _ in parts]
    frames = [rows.assign(level=level) for _, rows in parts]
    table = pd.concat(frames, ignore_index=True)[TABLE_COLUMNS] if frames else pd.DataFrame(columns=TABLE_COLUMNS)
    table["suppressed"] = table["suppressed"].astype(bool)
    disclosed = disclosure.Disclosed(table, policy.footnote(table), int(table["suppressed"].sum()))
    return FunnelSection(panels, disclosed, section_sentences(panels, policy.threshold))


def section_sentences(panels: list[FunnelPanel], threshold: int) -> list[str]:
    """The sentences under a set of funnel plots, without repeating one finding per plot.

    Teams outside the 99.8% limits are named plot by plot; plots where none is are summed up in one sentence.
    When every plot left out the same number of teams that is said once. The caution closes the list whenever a
    plot is drawn.
    """
    drawn = [p for p in panels if p.drawn]
    sentences = [not_drawn_sentence(p, p.units["denominator"].isna().any(), p.noun) for p in panels if not p.drawn]
    flagged = [p for p in drawn if p.units["position"].isin(OUTSIDE_LIMITS).any()]
    sentences += [outside_sentence(p, p.noun) for p in flagged]
    if drawn and not flagged:
        sentences.append(f"No {drawn[0].noun} shown sits outside the 99.8% limits in "
                         + ("this funnel plot." if len(drawn) == 1 else f"any of these {len(drawn)} funnel plots."))
    elif len(flagged) < len(drawn):
        rest = len(drawn) - len(flagged)
        sentences.append(f"No {drawn[0].noun} sits outside the 99.8% limits in the other "
                         + ("funnel plot." if rest == 1 else f"{rest} funnel plots."))
    sentences += [overdispersion_sentence(p, p.noun) for p in drawn]
    # What disclosure left out, for the plots drawn (a plot not drawn has said why already).
    hidden = {(p.n_hidden, p.n_groups) for p in drawn}
    if len(drawn) > 1 and len(hidden) == 1:
        n_hidden, n_groups = hidden.pop()
        if n_hidden:
            sentences.append(f"In each, {_teams(n_hidden, panels[0].noun)} of {n_groups} not shown, to protect "
                             f"confidentiality (groups of fewer than {threshold} people, and any group hidden so "
                             f"that a small one cannot be worked out).")
    else:
        sentences += [hidden_sentence(p, threshold, p.noun) for p in drawn]
    if drawn:
        sentences.append(CAUTION)
    return [s for s in sentences if s]


def workforce_funnels(complete: pd.DataFrame, shown: pd.DataFrame, *, policy: disclosure.Policy,
                      names: dict | None = None, level: str = "team",
                      indicators=tuple(WORKFORCE_PANELS)) -> FunnelSection:
    """Funnel plots of the team-level workforce rates: sickness absence, leaving and stability.

    Parameters
    ----------
    complete : pandas.DataFrame
        :func:`ttwell.calculations.workforce.baseline_summary` for the period, complete (not disclosed).
    shown : pandas.DataFrame
        The same table through ``policy.indicators`` (its ``.table``).
    policy : ttwell.disclosure.Policy
    names : dict, optional
        Group code -> name (team names), so no code reaches the page.
    level : str
        ``"team"`` (default) or ``"role_family"``.

    Returns
    -------
    FunnelSection
        One panel per indicator with teams (drawn when at least three are shown), the disclosed table of every
        team with its value, size, limits and position (hidden teams keep none), and the sentences.
    """
    from ttwell.calculations.comparisons import workforce_funnels as funnels_of

    complete = complete[~((complete["level"] == level) & (complete["group"] == disclosure.NO_TEAM))]
    funnels = funnels_of(complete, level=level, indicators=[i for i in indicators if i in WORKFORCE_PANELS])
    parts = []
    for indicator, f in funnels.items():
        title, xlabel, ylabel = WORKFORCE_PANELS[indicator]
        rows = shown[(shown["indicator"] == indicator) & (shown["level"] == level)]
        parts.append(_panel(indicator, f, rows, title=title, xlabel=xlabel, ylabel=ylabel, percent=True,
                            names=names or {}, policy=policy, noun="team" if level == "team" else "group"))
    return _section(parts, level, policy)


def score_funnels(complete: pd.DataFrame, shown: pd.DataFrame, *, policy: disclosure.Policy,
                  level: str = "team") -> FunnelSection:
    """Funnel plots of the survey scores by team: each score's team means against their respondents.

    ``complete`` and ``shown`` are the survey scores tables (``instrument, wave_id, score, label, level, group,
    n_respondents, mean, sd``) before and after disclosure; groups are already named (small teams merged into
    their parent team). The latest wave of each instrument is used; respondents with no team recorded are not a
    team and are left out.
    """
    from ttwell.calculations import scales
    from ttwell.calculations.comparisons import score_funnels as funnels_of
    from ttwell.calculations.verdicts import primary_scores

    def latest(table: pd.DataFrame) -> pd.DataFrame:
        waves = complete.groupby("instrument")["wave_id"].max()
        return table[table["wave_id"] == table["instrument"].map(waves)]

    complete_rows = latest(complete)
    complete_rows = complete_rows[~((complete_rows["level"] == level)
                                    & (complete_rows["group"] == disclosure.NO_TEAM))]
    shown_rows = latest(shown)
    labels = dict(zip(zip(complete_rows["instrument"], complete_rows["score"]), complete_rows["label"]))
    parts = []
    for (instrument, score), f in funnels_of(complete_rows, level=level).items():
        rows = shown_rows[(shown_rows["instrument"] == instrument) & (shown_rows["score"] == score)
                          & (shown_rows["level"] == level)]
        rows = rows.rename(columns={"mean": "value", "n_respondents": "denominator"})
        panel, table_rows = _panel(f"{instrument}_{score}", f, rows, title=labels[(instrument, score)],
                                   xlabel="Respondents", ylabel="Mean score", percent=False, names={},
                                   policy=policy, noun="team")
        panel.family = instrument
        # Every instrument here was scored, so it loads (a service's own YAML instrument included).
        panel.primary = primary_scores(scales.load_instrument(instrument)).get(score, "primary") == "primary"
        table_rows["indicator"] = f"{instrument}_{score}"
        parts.append((panel, table_rows))
    section = _section(parts, level, policy)
    # The report draws each instrument's main scores; a subscale behind a composite is in the workbook, and is
    # named here only when a team sits outside its limits.
    main = [p for p in section.panels if p.primary]
    flagged = [p for p in section.panels if not p.primary and p.drawn
               and p.units["position"].isin(OUTSIDE_LIMITS).any()]
    sentences = section_sentences(main, policy.threshold)
    extra = [outside_sentence(p) + " (A subscale: its plot is not drawn; its limits are in the workbook.)"
             for p in flagged]
    at = sentences.index(CAUTION) if CAUTION in sentences else len(sentences)
    section.sentences = sentences[:at] + extra + (sentences[at:] or ([CAUTION] if extra else []))
    return section


def key_results(section: FunnelSection) -> str:
    """A fixed-format block of each funnel's target and the teams' positions, for the notebook's checked cell."""
    lines = []
    for panel in section.panels:
        lines.append(f"{panel.title}: overall {panel.value_text(panel.target)}, {len(panel.units)} shown, "
                     f"{panel.n_hidden} hidden, {'drawn' if panel.drawn else 'not drawn'}")
        for row in panel.units.itertuples():
            limits = ("size not shown" if pd.isna(row.denominator) else
                      f"n {row.denominator:,.1f}; 99.8% {panel.value_text(row.lower_99_8)} to "
                      f"{panel.value_text(row.upper_99_8)}")
            lines.append(f"  {row.label}: {panel.value_text(row.value)} ({limits}) {row.position}")
    return "\n".join(lines)
