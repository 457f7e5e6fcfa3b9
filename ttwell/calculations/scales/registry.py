"""Survey instrument definitions: one declarative YAML file per instrument, loaded into frozen dataclasses.

The shipped definitions live in ``ttwell/calculations/scales/instruments/`` and hold only scoring keys (item ids, allowed
values, reverse keys, subscales, missing-item rules, conversion tables, cut-offs) with their sources and status
tags (domain spec section 0: CONFIRMED, CORROBORATED, UNCONFIRMED, PROPOSED). No item wording ships for any
instrument (spec 3.9, decision 8.2): labels fall back to item ids, and a service may point at its own item-text
file. A service can add an instrument by writing a YAML file in the same form and loading it by path.

Example
-------
>>> from ttwell.calculations.scales.registry import available_instruments, load_instrument
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

import functools
import itertools
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from ttwell.errors import ParameterError

STATUS_TAGS = ("CONFIRMED", "CORROBORATED", "UNCONFIRMED", "PROPOSED")
METHODS = ("mean", "sum")
DIRECTIONS = ("better", "worse")
SUMMARY_KINDS = ("share_at_least", "net_promoter")
# Output columns of the scorer that a score id must not shadow.
RESERVED_IDS = frozenset({"wave_id", "response_id", "respondent_pid", "submitted_at", "team_code", "role_family",
                          "tenure_band", "instrument", "item_id", "item_value", "n_items_answered"})
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_SCORE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"id", "name", "description", "sources", "status", "licence", "caveats", "response_scale", "items",
             "values", "item_values", "ignored_items", "transform", "reverse", "codings", "variants", "subscales",
             "composites", "group_summaries"}
_SUBSCALE_KEYS = {"id", "label", "items", "min_answered", "method", "higher_is", "sum_column", "conversion",
                  "cutoffs", "status", "note"}
_COMPOSITE_KEYS = _SUBSCALE_KEYS | {"subscales"}
_CUTOFF_KEYS = {"id", "label", "at_least", "source", "status", "note"}


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


# --- loading -----------------------------------------------------------------------------------------

def _instrument_folder():
    return resources.files("ttwell.calculations.scales").joinpath("instruments")


@functools.lru_cache(maxsize=1)
def _shipped_paths() -> dict[str, str]:
    """Instrument id (upper case) -> shipped YAML file."""
    found = {}
    for entry in _instrument_folder().iterdir():
        if entry.name.endswith((".yaml", ".yml")):
            data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
            found[str(data.get("id", Path(entry.name).stem)).upper()] = str(entry)
    return found


def available_instruments() -> list[str]:
    """Ids of the instruments shipped with ttwell, sorted.

    >>> available_instruments()[:3]
    ['BPNSW', 'CBI', 'JOY']
    """
    return sorted(load_instrument(path).id for path in _shipped_paths().values())


def load_instrument(name_or_path: str | Path) -> Instrument:
    """Load a shipped instrument by id (``"OLBI"``, any case) or your own definition by path.

    Raises
    ------
    ParameterError
        Unknown id, missing file, unreadable YAML, or a definition that breaks a rule (every broken rule is
        listed in one message).

    Examples
    --------
    >>> load_instrument("cbi").subscale("work").min_answered
    4
    >>> load_instrument("my_scales/wellbeing.yaml")          # doctest: +SKIP
    """
    text = str(name_or_path)
    looks_like_path = isinstance(name_or_path, Path) or text.lower().endswith((".yaml", ".yml")) or "/" in text \
        or "\\" in text
    if not looks_like_path:
        shipped = _shipped_paths().get(text.upper())
        if shipped is None:
            raise ParameterError(
                f"Unknown instrument '{text}'. Shipped instruments: {', '.join(sorted(_shipped_paths()))}; "
                f"or give the path of your own instrument definition (a .yaml file).")
        return _load_shipped(shipped)
    path = Path(name_or_path)
    if not path.is_file():
        raise ParameterError(f"Instrument definition file not found: {path}")
    return _load_file(path)


@functools.cache
def _load_shipped(path: str) -> Instrument:
    return _load_file(Path(path))


def _read_yaml(path: Path, what: str):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" near line {mark.line + 1}" if mark is not None else ""
        raise ParameterError(f"{what} {path.name} is not valid YAML{where}: {getattr(exc, 'problem', exc)}. "
                             f"Check the indentation and the quotes on that line.") from None
    except UnicodeDecodeError:
        raise ParameterError(f"{what} {path.name} is not UTF-8 text; save it as UTF-8.") from None


def _load_file(path: Path) -> Instrument:
    data = _read_yaml(path, "Instrument definition")
    return parse_instrument(data, origin=str(path))


def parse_instrument(data, origin: str = "(definition)") -> Instrument:
    """Check a definition (the parsed YAML mapping) and build the :class:`Instrument`.

    Every broken rule is collected and raised together as one :class:`ParameterError`.
    """
    check = _Checker(Path(origin).name)
    if not isinstance(data, dict):
        raise ParameterError(f"Instrument definition {check.label} must be a YAML mapping (key: value lines); "
                             f"found {type(data).__name__}.")
    inst = check.build(data, origin)
    check.raise_if_any()
    return inst


class _Checker:
    """Collects every broken rule of a definition, so the author can fix them all in one pass."""

    def __init__(self, label: str):
        self.label = label
        self.errors: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            lines = "\n".join(f"  - {e}" for e in self.errors)
            raise ParameterError(f"Instrument definition {self.label} has {len(self.errors)} problem(s):\n{lines}")

    # small readers: each returns a usable value even after reporting, so checking can go on

    def unknown_keys(self, mapping: dict, allowed: set, where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(f"{where}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))}).")

    def text(self, mapping: dict, key: str, where: str, required: bool = False) -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(f"{where}: '{key}' is required.")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.error(f"{where}: '{key}' must be text.")
            return ""
        return str(value)

    def number(self, value, where: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.error(f"{where} must be a number; found {value!r}.")
            return None
        return float(value)

    def status(self, value, where: str, required: bool = False) -> str:
        if value is None and not required:
            return ""
        if value not in STATUS_TAGS:
            self.error(f"{where}: status must be one of {', '.join(STATUS_TAGS)}; found {value!r}.")
            return ""
        return value

    def item_list(self, value, known: set | None, where: str, allow_empty: bool = False) -> tuple[str, ...]:
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(f"{where} must be a list of item ids, such as [MY_01, MY_02].")
            return ()
        if not value and not allow_empty:
            self.error(f"{where} must list at least one item.")
        dupes = sorted({v for v in value if value.count(v) > 1})
        if dupes:
            self.error(f"{where} lists {', '.join(dupes)} more than once.")
        if known is not None:
            unknown = [v for v in value if v not in known]
            if unknown:
                self.error(f"{where} names item(s) not in 'items': {', '.join(unknown)}.")
        return tuple(dict.fromkeys(value))

    def value_set(self, value, where: str) -> tuple[float, ...]:
        """``{min: 1, max: 5}`` (whole numbers) or an explicit list of numbers."""
        if isinstance(value, dict):
            self.unknown_keys(value, {"min", "max"}, where)
            low, high = value.get("min"), value.get("max")
            if not (isinstance(low, int) and isinstance(high, int)) or isinstance(low, bool) or isinstance(high, bool):
                self.error(f"{where}: min and max must be whole numbers, such as {{min: 1, max: 5}}.")
                return ()
            if low >= high:
                self.error(f"{where}: min ({low}) must be below max ({high}).")
                return ()
            if high - low > 1000:
                self.error(f"{where}: a range of more than 1000 values is not a response scale.")
                return ()
            return tuple(float(v) for v in range(low, high + 1))
        if isinstance(value, list) and value:
            numbers = [self.number(v, f"{where} value") for v in value]
            if None in numbers:
                return ()
            if len(set(numbers)) != len(numbers):
                self.error(f"{where}: each allowed value may be listed only once.")
            if len(numbers) < 2:
                self.error(f"{where}: list at least two allowed values.")
            return tuple(sorted(set(numbers)))
        self.error(f"{where} must be {{min: <whole number>, max: <whole number>}} or a list of numbers, "
                   f"such as [0, 25, 50, 75, 100].")
        return ()

    def score_id(self, value, where: str, taken: set) -> str:
        if not isinstance(value, str) or not _SCORE_ID.match(value):
            self.error(f"{where}: id must be lower-case letters, digits and underscores (it names an output "
                       f"column); found {value!r}.")
            return str(value)
        if value in RESERVED_IDS:
            self.error(f"{where}: id '{value}' would overwrite the output column of the same name; choose another.")
        if value in taken:
            self.error(f"{where}: id '{value}' is used twice; every subscale and composite needs its own id.")
        taken.add(value)
        return value

    def cutoffs(self, value, where: str) -> tuple[Cutoff, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(f"{where}: 'cutoffs' must be a list.")
            return ()
        out = []
        for i, entry in enumerate(value, start=1):
            here = f"{where}, cut-off {i}"
            if not isinstance(entry, dict):
                self.error(f"{here} must be a mapping with id, at_least, source and status.")
                continue
            self.unknown_keys(entry, _CUTOFF_KEYS, here)
            at_least = self.number(entry.get("at_least"), f"{here}: 'at_least'")
            source = self.text(entry, "source", here, required=True)
            status = self.status(entry.get("status"), here, required=True)
            out.append(Cutoff(self.text(entry, "id", here, required=True), at_least or 0.0, source, status,
                              self.text(entry, "label", here), self.text(entry, "note", here)))
        return tuple(out)

    # the whole definition

    def build(self, data: dict, origin: str) -> Instrument:
        self.unknown_keys(data, _TOP_KEYS, "top level")
        inst_id = data.get("id")
        if not isinstance(inst_id, str) or not _ID.match(inst_id):
            self.error(f"'id' must be letters, digits and underscores, starting with a letter (such as MYSCALE); "
                       f"found {inst_id!r}.")
            inst_id = str(inst_id)
        name = self.text(data, "name", "top level", required=True)
        items = self.item_list(data.get("items"), None, "'items'")
        known = set(items)
        values = self.value_set(data.get("values"), "'values'") if "values" in data else ()
        if "values" not in data:
            self.error("'values' is required: the allowed raw answers, such as {min: 1, max: 5}.")

        item_values = []
        raw_item_values = data.get("item_values") or {}
        if not isinstance(raw_item_values, dict):
            self.error("'item_values' must map item ids to allowed values.")
            raw_item_values = {}
        for item, spec in raw_item_values.items():
            if item not in known:
                self.error(f"'item_values' names '{item}', which is not in 'items'.")
            item_values.append((item, self.value_set(spec, f"'item_values' for {item}")))
        per_item = dict(item_values)
        ignored = self.item_list(data.get("ignored_items"), None, "'ignored_items'", allow_empty=True)
        clash = sorted(set(ignored) & known)
        if clash:
            self.error(f"'ignored_items' must not repeat scored items: {', '.join(clash)}.")

        transform = None
        if data.get("transform") is not None:
            spec = data["transform"]
            if not isinstance(spec, dict):
                self.error("'transform' must be a mapping such as {subtract: 1, multiply: 2.5}.")
            else:
                self.unknown_keys(spec, {"subtract", "multiply"}, "'transform'")
                subtract = self.number(spec.get("subtract", 0), "'transform' subtract")
                multiply = self.number(spec.get("multiply", 1), "'transform' multiply")
                if multiply == 0:
                    self.error("'transform' multiply must not be 0 (every answer would score the same).")
                transform = Transform(subtract or 0.0, multiply or 1.0)

        reverse = self.item_list(data.get("reverse"), known, "'reverse'", allow_empty=True)

        codings, coding_column = (Coding("default"),), None
        if data.get("codings") is not None:
            codings, coding_column = self._codings(data["codings"], values, bool(per_item))

        variants, variant_column = (), None
        if data.get("variants") is not None:
            variants, variant_column = self._variants(data["variants"], known, reverse)

        taken: set[str] = set()
        subscales = []
        raw_subscales = data.get("subscales")
        if not isinstance(raw_subscales, list) or not raw_subscales:
            self.error("'subscales' must be a list with at least one subscale.")
            raw_subscales = []
        for i, entry in enumerate(raw_subscales, start=1):
            built = self._item_score(entry, f"subscale {i}", known, taken, values, per_item, transform, "subscale")
            if built:
                subscales.append(built)
        composites = []
        raw_composites = data.get("composites") or []
        if not isinstance(raw_composites, list):
            self.error("'composites' must be a list.")
            raw_composites = []
        subscale_ids = {s.id for s in subscales}
        for i, entry in enumerate(raw_composites, start=1):
            if isinstance(entry, dict) and "subscales" in entry:
                built = self._composite(entry, f"composite {i}", subscale_ids, taken)
                if built:
                    composites.append(built)
            else:
                built = self._item_score(entry, f"composite {i}", known, taken, values, per_item, transform, "total")
                if built:
                    subscales.append(built)

        summaries = self._summaries(data.get("group_summaries"), taken)

        sources = []
        raw_sources = data.get("sources") or []
        if not isinstance(raw_sources, list):
            self.error("'sources' must be a list of {citation, status} mappings.")
            raw_sources = []
        for i, entry in enumerate(raw_sources, start=1):
            if not isinstance(entry, dict):
                self.error(f"source {i} must be a mapping with citation and status.")
                continue
            self.unknown_keys(entry, {"citation", "status", "url", "about"}, f"source {i}")
            sources.append(Source(self.text(entry, "citation", f"source {i}", required=True),
                                  self.status(entry.get("status"), f"source {i}", required=True),
                                  self.text(entry, "url", f"source {i}"), self.text(entry, "about", f"source {i}")))
        status = data.get("status") or {}
        if not isinstance(status, dict):
            self.error("'status' must map parts of the key (such as items, reverse_keys) to a status tag.")
            status = {}
        for part, tag in status.items():
            self.status(tag, f"'status' of {part}", required=True)
        caveats = data.get("caveats") or []
        if not isinstance(caveats, list) or not all(isinstance(c, str) for c in caveats):
            self.error("'caveats' must be a list of sentences.")
            caveats = []

        return Instrument(
            id=inst_id, name=name, items=items, values=values, subscales=tuple(subscales),
            composites=tuple(composites), item_values=tuple(item_values), ignored_items=ignored,
            transform=transform, reverse=reverse, codings=codings, coding_column=coding_column,
            variants=variants, variant_column=variant_column, group_summaries=summaries,
            sources=tuple(sources), status=tuple((str(k), str(v)) for k, v in status.items()),
            licence=self.text(data, "licence", "top level"), caveats=tuple(caveats),
            response_scale=self.text(data, "response_scale", "top level"),
            description=self.text(data, "description", "top level"), origin=origin)

    def _codings(self, spec, values, has_item_values) -> tuple[tuple[Coding, ...], str | None]:
        where = "'codings'"
        if not isinstance(spec, dict):
            self.error(f"{where} must be a mapping with default, alternatives and (optionally) column.")
            return (Coding("default"),), None
        self.unknown_keys(spec, {"default", "alternatives", "column"}, where)
        default = self.text(spec, "default", where, required=True) or "default"
        column = self.text(spec, "column", where) or None
        out = [Coding(default)]
        alternatives = spec.get("alternatives") or {}
        if not isinstance(alternatives, dict):
            self.error(f"{where}: 'alternatives' must map a coding name to {{recode: {{raw: default raw}}}}.")
            alternatives = {}
        if alternatives and has_item_values:
            self.error(f"{where}: alternative codings need one set of values for all items; remove 'item_values'.")
        for name, alt in alternatives.items():
            here = f"{where} '{name}'"
            if name == default:
                self.error(f"{here}: an alternative must not have the default's name.")
            if not isinstance(alt, dict) or not isinstance(alt.get("recode"), dict) or not alt["recode"]:
                self.error(f"{here} needs 'recode': a mapping from its raw codes to the default coding's codes, "
                           f"such as {{1: 4, 2: 3, 3: 2, 4: 1}}.")
                continue
            self.unknown_keys(alt, {"recode", "note"}, here)
            pairs = []
            for raw, target in alt["recode"].items():
                raw_n, target_n = self.number(raw, f"{here} code"), self.number(target, f"{here} code")
                if raw_n is None or target_n is None:
                    continue
                if values and target_n not in values:
                    self.error(f"{here}: recodes {raw} to {target}, which is not an allowed value of the default "
                               f"coding.")
                pairs.append((raw_n, target_n))
            if values and sorted(t for _, t in pairs) != sorted(values):
                self.error(f"{here}: the recode must reach every default value exactly once "
                           f"({', '.join(f'{v:g}' for v in values)}).")
            out.append(Coding(str(name), tuple(sorted(pairs)), self.text(alt, "note", here)))
        return tuple(out), column

    def _variants(self, spec, known, reverse) -> tuple[tuple[Variant, ...], str | None]:
        where = "'variants'"
        if not isinstance(spec, dict) or not isinstance(spec.get("options"), dict) or not spec["options"]:
            self.error(f"{where} must be a mapping with 'column' and 'options' (variant name -> {{reverse: [...]}}).")
            return (), None
        self.unknown_keys(spec, {"column", "options"}, where)
        column = self.text(spec, "column", where, required=True) or None
        out = []
        for name, option in spec["options"].items():
            here = f"{where} option '{name}'"
            if not isinstance(option, dict):
                self.error(f"{here} must be a mapping with 'reverse' (a list, possibly empty).")
                continue
            self.unknown_keys(option, {"reverse", "status", "note"}, here)
            extra = self.item_list(option.get("reverse"), known, f"{here} 'reverse'", allow_empty=True)
            both = sorted(set(extra) & set(reverse))
            if both:
                self.error(f"{here}: {', '.join(both)} already reversed for every variant in 'reverse'.")
            out.append(Variant(str(name), extra, self.status(option.get("status"), here),
                               self.text(option, "note", here)))
        return tuple(out), column

    def _item_score(self, entry, where, known, taken, values, per_item, transform, kind) -> Subscale | None:
        if not isinstance(entry, dict):
            self.error(f"{where} must be a mapping with id, items and min_answered.")
            return None
        self.unknown_keys(entry, _SUBSCALE_KEYS, where)
        score_id = self.score_id(entry.get("id"), where, taken)
        where = f"{where} ('{score_id}')"
        items = self.item_list(entry.get("items"), known, f"{where} 'items'")
        method = entry.get("method", "mean")
        if method not in METHODS:
            self.error(f"{where}: method must be 'mean' or 'sum'; found {method!r}.")
            method = "mean"
        minimum = entry.get("min_answered")
        if not isinstance(minimum, int) or isinstance(minimum, bool) or not 1 <= minimum <= max(len(items), 1):
            self.error(f"{where}: min_answered must be a whole number from 1 to {len(items)} (the number of "
                       f"items that must be answered for a score); found {minimum!r}.")
            minimum = len(items)
        if method == "sum" and minimum != len(items):
            self.error(f"{where}: a sum with unanswered items would be too low and ttwell never imputes; use "
                       f"method: mean, or set min_answered to {len(items)}.")
        direction = entry.get("higher_is", "better")
        if direction not in DIRECTIONS:
            self.error(f"{where}: higher_is must be 'better' or 'worse'; found {direction!r}.")
        sum_column = entry.get("sum_column", False)
        if not isinstance(sum_column, bool):
            self.error(f"{where}: sum_column must be true or false.")
            sum_column = False
        conversion = ()
        if entry.get("conversion") is not None:
            conversion = self._conversion(entry["conversion"], where, method, items, values, per_item, transform)
        return Subscale(score_id, self.text(entry, "label", where) or score_id, items, minimum, method,
                        direction, sum_column, conversion, self.cutoffs(entry.get("cutoffs"), where),
                        self.status(entry.get("status"), where), self.text(entry, "note", where), kind)

    def _conversion(self, table, where, method, items, values, per_item, transform) -> tuple:
        if method != "sum":
            self.error(f"{where}: a conversion table converts a raw sum; set method: sum.")
            return ()
        if not isinstance(table, dict) or not table:
            self.error(f"{where}: 'conversion' must map every possible raw sum to its converted score.")
            return ()
        pairs = []
        for raw, converted in table.items():
            raw_n, conv_n = self.number(raw, f"{where} conversion key"), self.number(converted, f"{where} conversion")
            if raw_n is not None and conv_n is not None:
                pairs.append((raw_n, conv_n))
        possible = {0.0}
        for item in items:
            scored = [transform.apply(v) if transform else v for v in per_item.get(item, values)]
            possible = {round(p + v, 9) for p in possible for v in scored}
            if len(possible) > 10000:
                self.error(f"{where}: too many possible raw sums for a conversion table.")
                return ()
        missing = sorted(possible - {p for p, _ in pairs})
        if items and values and missing:
            shown = ", ".join(f"{m:g}" for m in missing[:10]) + (" ..." if len(missing) > 10 else "")
            self.error(f"{where}: the conversion table has no entry for the possible raw sum(s) {shown}.")
        return tuple(sorted(pairs))

    def _composite(self, entry, where, subscale_ids, taken) -> Composite | None:
        self.unknown_keys(entry, _COMPOSITE_KEYS - {"items", "method", "sum_column", "conversion"}, where)
        score_id = self.score_id(entry.get("id"), where, taken)
        where = f"{where} ('{score_id}')"
        parts = entry.get("subscales")
        if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts):
            self.error(f"{where}: 'subscales' must list the subscale ids it averages.")
            parts = []
        unknown = [p for p in parts if p not in subscale_ids]
        if unknown:
            self.error(f"{where}: 'subscales' names {', '.join(unknown)}, not defined under 'subscales'.")
        minimum = entry.get("min_answered", 1)
        if not isinstance(minimum, int) or isinstance(minimum, bool) or not 1 <= minimum <= max(len(parts), 1):
            self.error(f"{where}: min_answered must be a whole number from 1 to {len(parts)} (subscale scores "
                       f"needed); found {minimum!r}.")
            minimum = 1
        direction = entry.get("higher_is", "better")
        if direction not in DIRECTIONS:
            self.error(f"{where}: higher_is must be 'better' or 'worse'; found {direction!r}.")
        return Composite(score_id, self.text(entry, "label", where) or score_id, tuple(parts), minimum, direction,
                         self.cutoffs(entry.get("cutoffs"), where), self.status(entry.get("status"), where),
                         self.text(entry, "note", where))

    def _summaries(self, value, score_ids) -> tuple[GroupSummary, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error("'group_summaries' must be a list.")
            return ()
        out = []
        for i, entry in enumerate(value, start=1):
            where = f"group summary {i}"
            if not isinstance(entry, dict):
                self.error(f"{where} must be a mapping with id, kind and score.")
                continue
            kind = entry.get("kind")
            if kind not in SUMMARY_KINDS:
                self.error(f"{where}: kind must be one of {', '.join(SUMMARY_KINDS)}; found {kind!r}.")
            score = self.text(entry, "score", where, required=True)
            if score and score not in score_ids:
                self.error(f"{where}: score '{score}' is not a subscale or composite of this instrument.")
            params = []
            for key, val in entry.items():
                if key in ("id", "kind", "score", "label"):
                    continue
                number = self.number(val, f"{where} '{key}'")
                if number is not None:
                    params.append((str(key), number))
            needed = {"share_at_least": {"threshold"}, "net_promoter": {"promoters_from", "detractors_to"}}
            missing = needed.get(kind, set()) - {k for k, _ in params}
            if missing:
                self.error(f"{where}: kind {kind} needs {', '.join(sorted(missing))}.")
            out.append(GroupSummary(self.text(entry, "id", where, required=True), str(kind), score,
                                    self.text(entry, "label", where), tuple(params)))
        return tuple(out)


# --- user-supplied item text and bands --------------------------------------------------------------------

def item_labels(instrument: Instrument | str, item_text_file: str | Path | None = None) -> dict[str, str]:
    """Item id -> label: the service's own item text when a file is given, otherwise the item id.

    ttwell ships no item wording (licences, spec 3.9). A service that holds a licence (or uses its own wording)
    keeps the text in a YAML file mapping item ids to text, typically ``item_text/<id>.yaml``, kept out of any
    shared repository.

    >>> item_labels("TPS")["TPS_04"]
    'TPS_04'
    """
    inst = instrument if isinstance(instrument, Instrument) else load_instrument(instrument)
    labels = {item: item for item in inst.items}
    if item_text_file is None:
        return labels
    path = Path(item_text_file)
    if not path.is_file():
        raise ParameterError(f"Item text file not found: {path}")
    data = _read_yaml(path, "Item text file")
    if not isinstance(data, dict):
        raise ParameterError(f"Item text file {path.name} must map item ids to text, such as  TPS_01: \"...\"")
    lookup = {item.upper(): item for item in inst.items}
    unknown = [str(k) for k in data if str(k).upper() not in lookup]
    if unknown:
        raise ParameterError(f"Item text file {path.name} names item(s) that {inst.id} does not have: "
                             f"{', '.join(unknown)}. Its items are {inst.items[0]} ... {inst.items[-1]}.")
    for key, text in data.items():
        if text is not None and str(text).strip():
            labels[lookup[str(key).upper()]] = str(text).strip()
    return labels


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


def load_bands(path: str | Path, instrument: Instrument | str) -> Bands:
    """Read a service's bands file, for example ``wrqol_bands.yaml``::

        instrument: WRQOL
        basis: mean                     # or sum
        source: "WRQoL User Manual, 2nd ed. (2018), licensed copy"
        bands:
          wrqol_overall:
            - {label: lower, min: 1.0, max: 2.99}
            - {label: average, min: 3.0, max: 3.79}
            - {label: higher, min: 3.8, max: 5.0}

    Raises ParameterError listing every problem in the file.
    """
    inst = instrument if isinstance(instrument, Instrument) else load_instrument(instrument)
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"Bands file not found: {path}")
    data = _read_yaml(path, "Bands file")
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ParameterError(f"Bands file {path.name} must be a mapping with instrument, basis, source and bands.")
    if str(data.get("instrument", "")).upper() != inst.id.upper():
        errors.append(f"'instrument' must be {inst.id}; found {data.get('instrument')!r}.")
    basis = data.get("basis", "mean")
    if basis not in ("mean", "sum"):
        errors.append(f"'basis' must be mean or sum; found {basis!r}.")
    if not data.get("source"):
        errors.append("'source' is required: say where the band cut-points come from.")
    scores = []
    table = data.get("bands")
    if not isinstance(table, dict) or not table:
        errors.append("'bands' must map score ids to a list of {label, min, max}.")
        table = {}
    sum_ids = {s.id for s in inst.subscales if s.sum_column}
    for score_id, entries in table.items():
        if score_id not in inst.score_ids:
            errors.append(f"'{score_id}' is not a score of {inst.id} ({', '.join(inst.score_ids)}).")
            continue
        if basis == "sum" and score_id not in sum_ids:
            errors.append(f"'{score_id}' has no sum column, so it cannot be banded on sums.")
        bands = []
        for entry in entries if isinstance(entries, list) else []:
            if (not isinstance(entry, dict) or not entry.get("label")
                    or not all(isinstance(entry.get(k), (int, float)) and not isinstance(entry.get(k), bool)
                               for k in ("min", "max"))):
                errors.append(f"'{score_id}': each band needs label, min and max (numbers); found {entry!r}.")
                continue
            if entry["min"] > entry["max"]:
                errors.append(f"'{score_id}' band '{entry['label']}': min is above max.")
            bands.append(Band(str(entry["label"]), float(entry["min"]), float(entry["max"])))
        if not bands:
            errors.append(f"'{score_id}' needs a list of bands.")
        bands.sort(key=lambda b: b.low)
        for first, second in itertools.pairwise(bands):
            if second.low <= first.high:
                errors.append(f"'{score_id}': bands '{first.label}' and '{second.label}' overlap.")
        scores.append((score_id, tuple(bands)))
    if errors:
        lines = "\n".join(f"  - {e}" for e in errors)
        raise ParameterError(f"Bands file {path.name} has {len(errors)} problem(s):\n{lines}")
    return Bands(inst.id, basis, str(data["source"]), tuple(scores))
