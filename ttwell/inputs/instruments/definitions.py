"""Survey instrument definitions: the frozen dataclasses one declarative YAML file per instrument is loaded into.

Loading is in ``ttwell.inputs.instruments.loading``, the rules a definition must keep in
``ttwell.inputs.instruments.definition_checks``.

The shipped definitions live in ``ttwell/inputs/instruments/shipped/`` and hold only scoring keys (item ids, allowed
values, reverse keys, subscales, missing-item rules, conversion tables, cut-offs) with their sources and status
tags (domain spec section 0: CONFIRMED, CORROBORATED, UNCONFIRMED, PROPOSED). No item wording ships for any
instrument (spec 3.9, decision 8.2): labels fall back to item ids, and a service may point at its own item-text
file. A service can add an instrument by writing a YAML file in the same form and loading it by path.

Example
-------
>>> from ttwell.inputs.instruments import available_instruments, load_instrument
>>> "OLBI" in available_instruments()
True
>>> olbi = load_instrument("OLBI")
>>> [s.id for s in olbi.subscales], olbi.subscale("exhaustion").min_answered
(['exhaustion', 'disengagement'], 6)

The YAML form, in brief (see the shipped files for complete examples)::

    id: MYSCALE                       # letters, digits, underscores
    name: My wellbeing scale
    sources: [{citation: "Author (2020) Journal 1:1-9", status: CONFIRMED}]
    status: {items: CONFIRMED, missing_rule: PROPOSED}   # what each part rests on
    items: [MY_01, MY_02, MY_03]
    values: {min: 1, max: 5}          # or a list, e.g. [0, 25, 50, 75, 100]
    reverse: [MY_02]                  # reverse(x) = min + max - x, after any transform
    subscales:
      - {id: wellbeing, label: Wellbeing, items: [MY_01, MY_02, MY_03], min_answered: 2,
         method: mean, higher_is: better}

Optional keys: ``item_values`` (per-item allowed values), ``ignored_items`` (recognised, never scored),
``transform`` (``{subtract: 1, multiply: 2.5}``), ``codings`` (alternative response codings recoded to the
default before scoring), ``variants`` (alternative reverse keys chosen per wave), ``composites`` (a total over
items, or the mean of subscale scores), per-subscale ``sum_column``, ``conversion`` and ``cutoffs``,
``group_summaries``, ``licence``, ``caveats``, ``response_scale``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ttwell.errors import ParameterError

STATUS_TAGS = ("CONFIRMED", "CORROBORATED", "UNCONFIRMED", "PROPOSED")
METHODS = ("mean", "sum")
DIRECTIONS = ("better", "worse")
SUMMARY_KINDS = ("share_at_least", "net_promoter")
# Output columns of the scorer that a score id must not shadow.
RESERVED_IDS = frozenset({"wave_id", "response_id", "respondent_pid", "submitted_at", "team_code", "role_family",
                          "tenure_band", "instrument", "item_id", "item_value", "n_items_answered"})


# --- the definitions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """A reference the definition rests on, with its status tag (domain spec section 0)."""

    citation: str
    status: str
    url: str = ""
    about: str = ""


@dataclass(frozen=True)
class Cutoff:
    """A published threshold on a score: ``score >= at_least``. Describes groups, never diagnoses a person."""

    id: str
    at_least: float
    source: str
    status: str
    label: str = ""
    note: str = ""


@dataclass(frozen=True)
class Subscale:
    """A score computed from items: mean (or sum) of the answered items after transform and reversal.

    ``kind`` is ``"subscale"`` or ``"total"`` (a composite over items, such as the WRQoL overall score).
    ``min_answered`` items must be answered, otherwise the score is missing (never imputed).
    ``conversion`` maps a raw sum to a published metric score (SWEMWBS).
    """

    id: str
    label: str
    items: tuple[str, ...]
    min_answered: int
    method: str = "mean"
    higher_is: str = "better"
    sum_column: bool = False
    conversion: tuple[tuple[float, float], ...] = ()
    cutoffs: tuple[Cutoff, ...] = ()
    status: str = ""
    note: str = ""
    kind: str = "subscale"

    @property
    def conversion_table(self) -> dict[float, float]:
        return dict(self.conversion)


@dataclass(frozen=True)
class Composite:
    """A score that is the mean of subscale scores, each weighted equally (NQPS9 engagement, spec 2.3 step 3)."""

    id: str
    label: str
    subscales: tuple[str, ...]
    min_answered: int
    higher_is: str = "better"
    cutoffs: tuple[Cutoff, ...] = ()
    status: str = ""
    note: str = ""


@dataclass(frozen=True)
class Coding:
    """A response coding. The default has no ``recode``; an alternative maps its raw codes to the default's."""

    name: str
    recode: tuple[tuple[float, float], ...] = ()
    note: str = ""

    @property
    def recode_table(self) -> dict[float, float]:
        return dict(self.recode)


@dataclass(frozen=True)
class Variant:
    """A wording variant with its own reverse-keyed items (TPS: edmondson_1999 or strategy_positive)."""

    name: str
    reverse: tuple[str, ...]
    status: str = ""
    note: str = ""


@dataclass(frozen=True)
class Transform:
    """Per-item transform of raw values: ``(x - subtract) * multiply`` (NQPS9: 1-5 -> 0-10)."""

    subtract: float = 0.0
    multiply: float = 1.0

    def apply(self, x):
        return (x - self.subtract) * self.multiply


@dataclass(frozen=True)
class GroupSummary:
    """A group statistic the instrument defines (JOY: share 'often or always', eNPS)."""

    id: str
    kind: str
    score: str
    label: str = ""
    params: tuple[tuple[str, float], ...] = ()

    def param(self, name: str) -> float:
        return dict(self.params)[name]


@dataclass(frozen=True)
class Instrument:
    """One survey instrument's scoring key, as loaded from its YAML definition.

    Attributes
    ----------
    id, name : str
        ``id`` is what the responses' ``instrument`` column holds (``OLBI``).
    items : tuple of str
        Scored item ids in published order.
    values : tuple of float
        Allowed raw values under the default coding (``item_values`` overrides per item).
    reverse : tuple of str
        Items reversed for every variant: ``min + max - x`` on the transformed scale.
    codings : tuple of Coding
        The default coding first; ``coding_column`` names the survey_waves column that declares it.
    variants : tuple of Variant
        Empty, or the wording variants; ``variant_column`` names the column (``ps_variant``).
    subscales, composites : tuple
        Item-based scores (including item totals) and means of subscale scores.
    """

    id: str
    name: str
    items: tuple[str, ...]
    values: tuple[float, ...]
    subscales: tuple[Subscale, ...]
    composites: tuple[Composite, ...] = ()
    item_values: tuple[tuple[str, tuple[float, ...]], ...] = ()
    ignored_items: tuple[str, ...] = ()
    transform: Transform | None = None
    reverse: tuple[str, ...] = ()
    codings: tuple[Coding, ...] = (Coding("default"),)
    coding_column: str | None = None
    variants: tuple[Variant, ...] = ()
    variant_column: str | None = None
    group_summaries: tuple[GroupSummary, ...] = ()
    sources: tuple[Source, ...] = ()
    status: tuple[tuple[str, str], ...] = ()
    licence: str = ""
    caveats: tuple[str, ...] = ()
    response_scale: str = ""
    description: str = ""
    origin: str = field(default="", compare=False)

    def allowed_values(self, item: str, coding: str | None = None) -> tuple[float, ...]:
        """Allowed raw values of ``item`` under ``coding`` (default coding when None)."""
        chosen = self.coding(coding)
        if chosen.recode:
            return tuple(sorted(chosen.recode_table))
        return dict(self.item_values).get(item, self.values)

    def scored_range(self, item: str) -> tuple[float, float]:
        """Lowest and highest score of ``item`` after the transform (the ends used for reversal)."""
        raw = self.allowed_values(item)
        scored = [self.transform.apply(v) for v in raw] if self.transform else list(raw)
        return min(scored), max(scored)

    def coding(self, name: str | None = None) -> Coding:
        if name is None:
            return self.codings[0]
        for coding in self.codings:
            if coding.name == name:
                return coding
        raise ParameterError(f"{self.id} has no response coding '{name}'. "
                             f"Choose one of: {', '.join(c.name for c in self.codings)}.")

    def variant(self, name: str) -> Variant:
        for variant in self.variants:
            if variant.name == name:
                return variant
        if not self.variants:
            raise ParameterError(f"{self.id} has no variants; leave the variant out.")
        raise ParameterError(f"{self.id} has no variant '{name}'. "
                             f"Choose one of: {', '.join(v.name for v in self.variants)}.")

    def subscale(self, score_id: str) -> Subscale:
        for subscale in self.subscales:
            if subscale.id == score_id:
                return subscale
        raise ParameterError(f"{self.id} has no subscale '{score_id}'. "
                             f"Its subscales are: {', '.join(s.id for s in self.subscales)}.")

    def group_summary(self, summary_id: str) -> GroupSummary:
        for summary in self.group_summaries:
            if summary.id == summary_id:
                return summary
        raise ParameterError(f"{self.id} defines no group summary '{summary_id}'.")

    @property
    def score_ids(self) -> tuple[str, ...]:
        """Every score column the scorer writes, in output order."""
        return tuple(s.id for s in self.subscales) + tuple(c.id for c in self.composites)

    @property
    def status_tags(self) -> dict[str, str]:
        return dict(self.status)

    def subscale_items(self) -> dict[str, list[str]]:
        """Subscale id -> its items, the form ``ttwell.calculations.scales.reliability.reliability_table`` takes."""
        return {s.id: list(s.items) for s in self.subscales}

    def describe(self) -> list[str]:
        """Plain-English method notes: sources with their status, and caveats (for a report's method section)."""
        lines = [f"{self.name} ({self.id}), {len(self.items)} items."]
        lines += [f"Source ({s.status}): {s.citation}" + (f" [{s.about}]" if s.about else "") for s in self.sources]
        lines += [f"{part.replace('_', ' ').capitalize()}: {tag}." for part, tag in self.status]
        lines += list(self.caveats)
        return lines


@dataclass(frozen=True)
class Band:
    label: str
    low: float
    high: float


@dataclass(frozen=True)
class Bands:
    """Verbal bands a service supplies for an instrument's scores (WRQoL: none ship, decision 8.5).

    ``basis`` is ``mean`` (band the score columns) or ``sum`` (band the ``<score>_sum`` columns).
    A score is in a band when ``low <= score <= high``; bands of one score must not overlap.
    """

    instrument: str
    basis: str
    source: str
    scores: tuple[tuple[str, tuple[Band, ...]], ...]

