"""Finding and loading instrument definitions: the shipped YAML files by id, your own by path, and the
files a service adds beside them (item text, verbal bands).

Example
-------
>>> from ttwell.inputs.instruments.loading import load_instrument
>>> load_instrument("cbi").subscale("work").min_answered
4
"""

from __future__ import annotations

import functools
import itertools
from importlib import resources
from pathlib import Path

import yaml

from ttwell.errors import ParameterError
from ttwell.inputs.instruments.definition_checks import parse_instrument
from ttwell.inputs.instruments.definitions import Band, Bands, Instrument


# libyaml's safe loader where PyYAML was built with it (several times faster: each run reads every definition),
# else the pure-Python one; both accept exactly the safe subset of YAML.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _instrument_folder():
    return resources.files("ttwell.inputs.instruments").joinpath("shipped")


@functools.lru_cache(maxsize=1)
def _shipped_paths() -> dict[str, str]:
    """Instrument id (upper case) -> shipped YAML file."""
    found = {}
    for entry in _instrument_folder().iterdir():
        if entry.name.endswith((".yaml", ".yml")):
            data = yaml.load(entry.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
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
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
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



def as_instrument(instrument: Instrument | str | Path) -> Instrument:
    """``instrument`` itself when already loaded, otherwise :func:`load_instrument` of it."""
    return instrument if isinstance(instrument, Instrument) else load_instrument(instrument)


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
