"""The rules an instrument definition must keep, checked all at once so its author can fix every broken
rule in one pass (the YAML form is described in ``ttwell.inputs.instruments.definitions``).

Example
-------
>>> from ttwell.inputs.instruments.definition_checks import parse_instrument
>>> mine = parse_instrument({"id": "MINE", "name": "Mine", "items": ["M_01", "M_02"], "values": {"min": 1, "max": 5},
...                          "subscales": [{"id": "mine", "items": ["M_01", "M_02"], "min_answered": 1}]})
>>> mine.subscale("mine").items
('M_01', 'M_02')
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from ttwell.errors import ParameterError
from ttwell.inputs.instruments.definitions import (DIRECTIONS, METHODS, RESERVED_IDS, STATUS_TAGS,
                                                   SUMMARY_KINDS, Coding, Composite, Cutoff, GroupSummary,
                                                   Instrument, Source, Subscale, Transform, Variant)

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_SCORE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"id", "name", "description", "sources", "status", "licence", "caveats", "response_scale", "items",
             "values", "item_values", "ignored_items", "transform", "reverse", "codings", "variants", "subscales",
             "composites", "group_summaries"}
_SUBSCALE_KEYS = {"id", "label", "items", "min_answered", "method", "higher_is", "sum_column", "conversion",
                  "cutoffs", "status", "note"}
_COMPOSITE_KEYS = _SUBSCALE_KEYS | {"subscales"}
_CUTOFF_KEYS = {"id", "label", "at_least", "source", "status", "note"}


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
