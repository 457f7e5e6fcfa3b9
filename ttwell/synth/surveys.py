"""Synthetic staff surveys of the synthetic service, with known reliability and a planted follow-up change.

Three inputs of ``ttwell.inputs.templates`` are made here:

* ``survey_waves``: a baseline wave (March 2024, just before the strategy start) and a follow-up wave
  (March 2025), each carrying OLBI, WRQoL, BPNSW, team psychological safety (TPS, the strategy's all-positive
  wording), CBI, SWEMWBS, the nine NQPS engagement items and the joy pulse;
* ``survey_responses``: anonymous responses in long form (one row per respondent per item);
* ``nss_scores``: published NHS Staff Survey (2022-2024) and pulse (NQPS) scores of the trust's Talking
  Therapies directorate. These numbers are invented.

How the answers are made. Each respondent has four independent latent factors (general, strain, engagement,
team climate), half of each stable for the person across waves and half new on each occasion. Each subscale's
latent trait is a weighted sum of the factors plus its own unique part, scaled to variance 1, in the direction
the scorer reports (higher = more burnout for OLBI and CBI, higher = better for the rest). Each item is the trait
times a loading plus noise; the loading is chosen from the subscale's target Cronbach's alpha. The item is then
rounded onto the instrument's scale and, for a reverse-keyed item, stored reversed, so that the scorer's
reversal turns it back and the subscale's alpha is positive. Team climate differs between teams, strain is
higher in low-intensity (PWP) staff, and at follow-up some subscale traits move by the planted amount
(``FOLLOW_UP_CHANGE`` on each ``Subscale``; sizes in ``data/synthetic/README.md``).

The responses are anonymous: nothing in the files is derived from a staff id. Staff ids are only used inside
the generator, to pick who answers and to give a person who answers both waves a similar trait.

Every draw comes from ``numpy.random.default_rng([seed, stream])``, separate from the workforce generator's
stream, so adding the surveys leaves the workforce files unchanged, byte for byte.

Example
-------
>>> from ttwell.synth.workforce import generate_workforce
>>> from ttwell.synth.surveys import generate_surveys
>>> frames = generate_surveys(generate_workforce(seed=2024)["staff_snapshot"], seed=2024)
>>> frames["survey_waves"]["wave_id"].tolist()
['2024_baseline', '2025_follow_up']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ttwell.inputs.templates import IN_POST_CONTRACT_TYPES, ROLE_FAMILY_OF, TEMPLATES
from ttwell.synth.workforce.columns import tenure_band
from ttwell.synth.workforce.writing import as_text

# --- random streams (entropy appended to the seed; the workforce generator uses the seed alone) ------------

SURVEY_STREAM = 6  # survey_waves and survey_responses
NSS_STREAM = 7  # nss_scores

# --- the waves ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wave:
    """One survey wave: id, fieldwork dates (ISO), whether it follows the strategy start, and a note."""

    wave_id: str
    opened_on: str
    closed_on: str
    follow_up: bool
    notes: str


WAVES = (
    Wave("2024_baseline", "2024-03-04", "2024-03-22", False,
         "Synthetic baseline wave before the strategy start (01/04/2024)"),
    Wave("2025_follow_up", "2025-03-03", "2025-03-21", True,
         "Synthetic follow-up wave one year after the strategy start"),
)
INSTRUMENTS = ("OLBI", "WRQOL", "BPNSW", "TPS", "CBI", "SWEMWBS", "NQPS9", "JOY")
MODE = "online"
PS_VARIANT = "strategy_positive"  # the strategy's all-positive TPS wording: no item is reversed
OLBI_CODING = "SA1_SD4"  # strongly agree = 1 ... strongly disagree = 4

# Share of eligible staff who respond, by role family (overall about 72%).
RESPONSE_RATE = {"low_intensity": 0.73, "high_intensity": 0.74, "employment_support": 0.62,
                 "admin_management": 0.64}
UNKNOWN_TENURE_SHARE = 0.03  # respondents who skipped the tenure question
# Missing items: most respondents answer everything; a few "skippers" leave some items blank (~1% overall).
SKIPPER_SHARE = 0.15
SKIP_PROBABILITY = 0.07  # per item, for a skipper

# Fieldwork: most answers come on the day of the invitation and after the two weekly reminders.
REMINDER_DAYS = (0, 7, 14)  # days after opening when the invitation and reminders go out
WEEKEND_WEIGHT = 0.08
HOUR_WEIGHTS = np.array([1, 4, 8, 9, 8, 6, 7, 8, 7, 6, 4, 2, 2, 2, 1], dtype=float)  # 07:00 ... 21:00

# --- the latent structure ----------------------------------------------------------------------------------

FACTORS = ("general", "strain", "engagement", "climate")
STABLE_SHARE = 0.5  # share of each latent's variance that belongs to the person (same in both waves)
TEAM_CLIMATE_SD = 0.30  # between-team SD of the climate factor (team psychological safety differs by team)
# Added to the strain factor: PWPs report more burnout than high-intensity therapists (Westwood et al. 2017).
STRAIN_BY_FAMILY = {"low_intensity": 0.40, "high_intensity": 0.10, "employment_support": 0.0,
                    "admin_management": -0.20}
# Rounding onto a few points lowers inter-item correlations by about these factors (by number of points).
DISCRETISATION = {4: 0.80, 5: 0.87, 7: 0.92}
ITEM_CENTRE_SD = 0.18  # spread of item means around the subscale mean, in units of the subscale's spread

# Instrument scales in points: (lowest, highest, value of one point). CBI points 0-4 are stored as 0-100.
SCALE = {"OLBI": (1, 4, 1), "WRQOL": (1, 5, 1), "BPNSW": (1, 7, 1), "TPS": (1, 7, 1), "CBI": (0, 4, 25),
         "SWEMWBS": (1, 5, 1), "NQPS9": (1, 5, 1), "JOY_01": (0, 4, 1), "JOY_02": (0, 10, 1)}


@dataclass(frozen=True)
class Subscale:
    """How one subscale's items are generated.

    ``reversed_items`` are the items the scorer reverses: they are stored reversed here. ``loadings`` are on
    ``FACTORS``, in the scored direction. ``centre`` and ``spread`` are the mean and scale of an item score in
    points (scored direction), ``spread`` per unit of latent trait. ``follow_up_change`` is the planted shift of
    the latent trait at follow-up, in SDs of the trait (a standardised effect before measurement error).
    """

    key: str
    instrument: str
    items: tuple[str, ...]
    reversed_items: tuple[str, ...]
    loadings: tuple[float, float, float, float]
    target_alpha: float
    centre: float
    spread: float
    follow_up_change: float


def _ids(prefix: str, numbers, width: int = 2) -> tuple[str, ...]:
    """Item ids: two-digit numbers (``OLBI_03``), or unpadded with ``width=1`` (CBI's form order: ``CBI_W7``)."""
    return tuple(f"{prefix}{n:0{width}d}" for n in numbers)


SUBSCALES = (
    # OLBI (domain spec 3.2): scored direction = more burnout; with SA1_SD4 the scorer reverses 2,3,4,6,8,9,11,12.
    Subscale("OLBI_exhaustion", "OLBI", _ids("OLBI_", (2, 4, 5, 8, 10, 12, 14, 16)), _ids("OLBI_", (2, 4, 8, 12)),
             (-0.45, 0.65, 0.0, 0.0), 0.80, 2.45, 0.62, -0.35),
    Subscale("OLBI_disengagement", "OLBI", _ids("OLBI_", (1, 3, 6, 7, 9, 11, 13, 15)), _ids("OLBI_", (3, 6, 9, 11)),
             (-0.45, 0.20, -0.55, 0.0), 0.79, 2.25, 0.60, -0.20),
    # WRQoL (3.1): higher = better; the scorer reverses 7, 9, 19.
    Subscale("WRQOL_GWB", "WRQOL", _ids("WRQOL_", (4, 9, 10, 15, 17, 21)), _ids("WRQOL_", (9,)),
             (0.45, -0.55, 0.10, 0.0), 0.86, 3.50, 0.90, 0.20),
    Subscale("WRQOL_HWI", "WRQOL", _ids("WRQOL_", (5, 6, 14)), (), (0.40, -0.25, 0.0, 0.20), 0.78, 3.30, 0.90, 0.0),
    Subscale("WRQOL_JCS", "WRQOL", _ids("WRQOL_", (1, 3, 8, 11, 18, 20)), (), (0.55, 0.0, 0.35, 0.20), 0.83,
             3.50, 0.90, 0.15),
    Subscale("WRQOL_CAW", "WRQOL", _ids("WRQOL_", (2, 12, 23)), (), (0.50, 0.0, 0.10, 0.45), 0.80, 3.10, 0.90, 0.30),
    Subscale("WRQOL_WCS", "WRQOL", _ids("WRQOL_", (13, 16, 22)), (), (0.50, -0.15, 0.0, 0.30), 0.76, 3.40, 0.85,
             0.0),
    Subscale("WRQOL_SAW", "WRQOL", _ids("WRQOL_", (7, 19)), _ids("WRQOL_", (7, 19)), (0.35, -0.65, 0.0, 0.0), 0.78,
             2.60, 0.95, 0.25),
    Subscale("WRQOL_overall_item", "WRQOL", _ids("WRQOL_", (24,)), (), (0.65, -0.25, 0.15, 0.15), 0.70, 3.30, 0.90,
             0.15),
    # BPNSW work version (3.3): 1-7, the scorer reverses 3, 5, 7, 11, 14, 16, 18, 19, 20 (8 - x).
    Subscale("BPNSW_autonomy", "BPNSW", _ids("BPNSW_", (1, 5, 8, 11, 13, 17, 20)), _ids("BPNSW_", (5, 11, 20)),
             (0.50, 0.0, 0.0, 0.35), 0.80, 4.70, 1.25, 0.25),
    Subscale("BPNSW_competence", "BPNSW", _ids("BPNSW_", (3, 4, 10, 12, 14, 19)), _ids("BPNSW_", (3, 14, 19)),
             (0.30, 0.0, 0.35, 0.0), 0.81, 5.50, 1.05, 0.0),
    Subscale("BPNSW_relatedness", "BPNSW", _ids("BPNSW_", (2, 6, 7, 9, 15, 16, 18, 21)), _ids("BPNSW_", (7, 16, 18)),
             (0.35, 0.0, 0.0, 0.50), 0.84, 5.40, 1.10, 0.20),
    # Team psychological safety, strategy_positive wording (3.4): no reversal.
    Subscale("TPS", "TPS", _ids("TPS_", range(1, 8)), (), (0.35, 0.0, 0.0, 0.65), 0.82, 5.00, 1.30, 0.40),
    # CBI (3.5): 0/25/50/75/100, higher = more burnout; W7 (energy for family and friends) is reversed at scoring.
    Subscale("CBI_personal", "CBI", _ids("CBI_P", range(1, 7), 1), (), (-0.40, 0.65, 0.0, 0.0), 0.85, 2.00, 0.85,
             -0.20),
    Subscale("CBI_work", "CBI", _ids("CBI_W", range(1, 8), 1), _ids("CBI_W", (7,), 1),
             (-0.45, 0.65, -0.10, 0.0), 0.86, 1.95, 0.85, -0.30),
    Subscale("CBI_client", "CBI", _ids("CBI_C", range(1, 7), 1), (), (-0.30, 0.35, 0.0, 0.0), 0.84, 1.15, 0.80, 0.0),
    # SWEMWBS (3.6): 7 positively worded items, 1-5.
    Subscale("SWEMWBS", "SWEMWBS", _ids("SWEMWBS_", range(1, 8)), (), (0.50, -0.45, 0.20, 0.0), 0.85, 3.30, 0.80,
             0.20),
    # NQPS engagement (2.2): 1-5 in printed option order; none of the nine is negatively worded.
    Subscale("NQPS_motivation", "NQPS9", ("NQPS_Q2A", "NQPS_Q2B", "NQPS_Q2C"), (), (0.45, -0.15, 0.60, 0.0), 0.84,
             3.60, 0.85, 0.25),
    Subscale("NQPS_involvement", "NQPS9", ("NQPS_Q3C", "NQPS_Q3D", "NQPS_Q3F"), (), (0.50, 0.0, 0.20, 0.45), 0.80,
             3.80, 0.80, 0.35),
    Subscale("NQPS_advocacy", "NQPS9", ("NQPS_Q25A", "NQPS_Q25C", "NQPS_Q25D"), (), (0.50, 0.0, 0.15, 0.20), 0.78,
             3.80, 0.80, 0.15),
    # Joy pulse (3.7): JOY_01 0-4, JOY_02 0-10 (centre and spread below are for JOY_01; JOY_02 has its own).
    Subscale("JOY", "JOY", ("JOY_01", "JOY_02"), (), (0.45, -0.15, 0.55, 0.0), 0.80, 2.20, 0.90, 0.30),
)
JOY_02_CENTRE, JOY_02_SPREAD = 6.4, 2.1  # 0-10 likelihood to recommend the service as a place to work

SUBSCALE_OF = {s.key: s for s in SUBSCALES}


def item_scale(instrument: str, item_id: str) -> tuple[int, int, int]:
    """(lowest, highest, value of one point) of an item's stored coding."""
    return SCALE.get(item_id, SCALE.get(instrument))


def instrument_items() -> dict[str, list[str]]:
    """Item ids of each instrument, in published order (the order of the long file)."""
    items: dict[str, list[str]] = {name: [] for name in INSTRUMENTS}
    for s in SUBSCALES:
        items[s.instrument] += s.items

    def number(item_id: str) -> tuple:
        tail = item_id.split("_", 1)[1]
        if item_id.startswith("CBI_"):  # P1..P6, W1..W7, C1..C6: form order
            return ("PWC".index(tail[0]), int(tail[1:]))
        if item_id.startswith("NQPS_"):  # q2a, q2b, ... q25d
            digits = "".join(ch for ch in tail[1:] if ch.isdigit())
            return (int(digits), tail[-1])
        return (int(tail),)

    return {name: sorted(ids, key=number) for name, ids in items.items()}


def _loading(s: Subscale) -> float:
    """Item loading on the subscale trait giving about ``target_alpha`` once rounded (Spearman-Brown inverted)."""
    k = len(s.items)
    if k == 1:
        return float(np.sqrt(s.target_alpha))  # a single item: its reliability
    r = s.target_alpha / (k - (k - 1) * s.target_alpha)
    low, high, _ = item_scale(s.instrument, s.items[0])
    return float(min(0.95, np.sqrt(r / DISCRETISATION.get(high - low + 1, 0.92))))


def _check_loadings() -> None:
    for s in SUBSCALES:
        communality = sum(x * x for x in s.loadings)
        if not 0 < communality < 1:
            raise ValueError(f"{s.key}: factor loadings give a communality of {communality:.2f}; it must be in (0, 1)")


_check_loadings()


# --- who is asked and who answers --------------------------------------------------------------------------

def eligible_staff(staff_snapshot: pd.DataFrame, wave: Wave) -> pd.DataFrame:
    """Staff eligible for a wave: in post, in scope and at work at the month-end before fieldwork opens.

    Staff on maternity/adoption leave or a career break are not invited (the usual survey practice).
    """
    frame_date = pd.Timestamp(wave.opened_on) - pd.offsets.MonthEnd(1)
    snap = staff_snapshot[staff_snapshot["snapshot_date"] == frame_date]
    if snap.empty:
        raise ValueError(f"wave {wave.wave_id}: the staff snapshot has no month-end {frame_date:%d/%m/%Y}, the "
                         "sampling frame of this wave; generate a workforce that covers March 2024 to March 2025, "
                         "or write the workforce files only (write_synthetic(..., surveys=False))")
    keep = (snap["contract_type"].isin(IN_POST_CONTRACT_TYPES) & snap["in_scope"].fillna(True).astype(bool)
            & (snap["assignment_status"] == "active"))
    return snap.loc[keep].sort_values("staff_pid").reset_index(drop=True)


def _submission_times(rng: np.random.Generator, wave: Wave, n: int) -> np.ndarray:
    """Submission timestamps (datetime64[m]) spread over fieldwork, with peaks after each invitation."""
    first = np.datetime64(wave.opened_on, "D")
    days = np.arange(first, np.datetime64(wave.closed_on, "D") + 1)
    offset = np.arange(len(days))
    since_push = np.min([np.where(offset >= d, offset - d, 99) for d in REMINDER_DAYS], axis=0)
    weekday = (days.astype(np.int64) + 3) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    weights = (0.4 + np.exp(-since_push / 1.5)) * np.where(weekday >= 5, WEEKEND_WEIGHT, 1.0)
    day = days[rng.choice(len(days), size=n, p=weights / weights.sum())]
    hour = 7 + rng.choice(len(HOUR_WEIGHTS), size=n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    minute = rng.integers(0, 60, n)
    return day.astype("datetime64[m]") + (hour * 60 + minute).astype("timedelta64[m]")


# --- answers -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class People:
    """Each staff member's stable latent parts (rows follow ``pids``)."""

    pids: np.ndarray
    factors: np.ndarray  # (people x FACTORS)
    uniques: np.ndarray  # (people x SUBSCALES)


def _draw_people(rng: np.random.Generator, pids: np.ndarray) -> People:
    n = len(pids)
    return People(pids, rng.standard_normal((n, len(FACTORS))), rng.standard_normal((n, len(SUBSCALES))))


def _traits(rng: np.random.Generator, people: People, person: np.ndarray, team_shift: np.ndarray,
            strain_shift: np.ndarray, follow_up: bool) -> np.ndarray:
    """Latent subscale traits of the respondents (respondents x SUBSCALES), in the scored direction.

    Each trait has variance 1 before the team, role and wave shifts. Sums are written out term by term
    (no matrix product), so results do not depend on the linear-algebra library.
    """
    n = len(person)
    stable, fresh = np.sqrt(STABLE_SHARE), np.sqrt(1.0 - STABLE_SHARE)
    factors = stable * people.factors[person] + fresh * rng.standard_normal((n, len(FACTORS)))
    factors[:, FACTORS.index("climate")] += team_shift
    factors[:, FACTORS.index("strain")] += strain_shift
    uniques = stable * people.uniques[person] + fresh * rng.standard_normal((n, len(SUBSCALES)))
    traits = np.empty((n, len(SUBSCALES)))
    for j, s in enumerate(SUBSCALES):
        value = np.zeros(n)
        for k, loading in enumerate(s.loadings):
            if loading:
                value = value + loading * factors[:, k]
        unique_sd = np.sqrt(1.0 - sum(x * x for x in s.loadings))
        traits[:, j] = value + unique_sd * uniques[:, j] + (s.follow_up_change if follow_up else 0.0)
    return traits


@dataclass(frozen=True)
class ItemDesign:
    """Per item: subscale index, loading, centre and spread (points, scored direction), scale, reversed."""

    item_ids: list[str]
    instrument: list[str]
    subscale: np.ndarray
    loading: np.ndarray
    centre: np.ndarray
    spread: np.ndarray
    low: np.ndarray
    high: np.ndarray
    step: np.ndarray
    reversed: np.ndarray


def _design_items(rng: np.random.Generator) -> ItemDesign:
    """Items in file order with their generation settings; item means vary a little around the subscale's."""
    where = {item: (j, s) for j, s in enumerate(SUBSCALES) for item in s.items}
    order = [(name, item) for name, items in instrument_items().items() for item in items]
    item_ids = [item for _, item in order]
    n = len(item_ids)
    subscale = np.array([where[i][0] for i in item_ids])
    loading = np.empty(n)
    centre = np.empty(n)
    spread = np.empty(n)
    for i, item in enumerate(item_ids):
        s = where[item][1]
        # Negatively worded items load a little less than positively worded ones (a common wording effect).
        base = _loading(s)
        loading[i] = min(0.95, base * (0.94 if item in s.reversed_items else 1.04)) if len(s.items) > 2 else base
        centre[i], spread[i] = (JOY_02_CENTRE, JOY_02_SPREAD) if item == "JOY_02" else (s.centre, s.spread)
    centre = centre + ITEM_CENTRE_SD * spread * rng.standard_normal(n)
    scales = np.array([item_scale(name, item) for name, item in order])
    reversed_ = np.array([item in where[item][1].reversed_items for item in item_ids])
    return ItemDesign(item_ids, [name for name, _ in order], subscale, loading, centre, spread,
                      scales[:, 0], scales[:, 1], scales[:, 2], reversed_)


def _answers(rng: np.random.Generator, traits: np.ndarray, items: ItemDesign) -> np.ndarray:
    """Stored raw values (respondents x items) with -1 for a skipped item."""
    n, m = len(traits), len(items.item_ids)
    noise = rng.standard_normal((n, m))
    continuous = items.loading * traits[:, items.subscale] + np.sqrt(1.0 - items.loading ** 2) * noise
    points = np.floor(items.centre + items.spread * continuous + 0.5)
    points = np.clip(points, items.low, items.high).astype(np.int64)
    # A reverse-keyed item is stored as printed, i.e. reversed: the scorer's reversal turns it back.
    points = np.where(items.reversed, items.low + items.high - points, points)
    raw = points * items.step
    skipper = rng.random(n) < SKIPPER_SHARE
    skipped = skipper[:, None] & (rng.random((n, m)) < SKIP_PROBABILITY)
    return np.where(skipped, -1, raw)


def _wave_responses(rng: np.random.Generator, wave: Wave, staff: pd.DataFrame, people: People,
                    team_effect: dict[str, float], items: ItemDesign) -> tuple[pd.DataFrame, int]:
    """Long responses of one wave and its eligible headcount."""
    family = staff["role_group"].map(ROLE_FAMILY_OF).to_numpy(dtype=object)
    rate = np.array([RESPONSE_RATE[f] for f in family])
    answers = rng.random(len(staff)) < rate
    who = staff.loc[answers].reset_index(drop=True)
    family = family[answers]
    n = len(who)
    submitted = _submission_times(rng, wave, n)
    order = np.lexsort((rng.random(n), submitted))  # ids in submission order; ties broken at random
    who, family, submitted = who.iloc[order].reset_index(drop=True), family[order], submitted[order]

    person = np.searchsorted(people.pids, who["staff_pid"].to_numpy(dtype=str))
    team_shift = np.array([team_effect[t] for t in who["team_code"]])
    strain_shift = np.array([STRAIN_BY_FAMILY[f] for f in family])
    traits = _traits(rng, people, person, team_shift, strain_shift, wave.follow_up)
    raw = _answers(rng, traits, items)

    days_in_service = (submitted.astype("datetime64[D]") - who["service_start_date"].to_numpy().astype(
        "datetime64[D]")).astype(np.int64)
    tenure = tenure_band(days_in_service)
    tenure[rng.random(n) < UNKNOWN_TENURE_SHARE] = "unknown"

    year = wave.opened_on[2:4]
    width = max(4, len(str(n)))
    ids = np.array([f"R{year}-{i + 1:0{width}d}" for i in range(n)], dtype=object)
    m = len(items.item_ids)
    stamp = pd.DatetimeIndex(submitted.astype("datetime64[ns]")).strftime("%d/%m/%Y %H:%M").to_numpy(dtype=object)
    values = raw.reshape(-1)
    frame = pd.DataFrame({
        "wave_id": wave.wave_id,
        "response_id": np.repeat(ids, m),
        "respondent_pid": None,
        "submitted_at": np.repeat(stamp, m),
        "team_code": np.repeat(who["team_code"].to_numpy(dtype=object), m),
        "role_family": np.repeat(family, m),
        "tenure_band": np.repeat(tenure, m),
        "instrument": np.tile(np.array(items.instrument, dtype=object), n),
        "item_id": np.tile(np.array(items.item_ids, dtype=object), n),
        "item_value": pd.array(np.where(values < 0, None, values), dtype="Int64"),
    })
    frame["respondent_pid"] = frame["respondent_pid"].astype(object)
    return frame, len(staff)


def responses_and_waves(rng: np.random.Generator, staff_snapshot: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The ``survey_waves`` and ``survey_responses`` frames, all draws from ``rng``."""
    eligible = [eligible_staff(staff_snapshot, wave) for wave in WAVES]
    pids = np.unique(np.concatenate([e["staff_pid"].to_numpy(dtype=str) for e in eligible]))
    people = _draw_people(rng, pids)
    teams = sorted(staff_snapshot["team_code"].dropna().unique())
    team_effect = dict(zip(teams, TEAM_CLIMATE_SD * rng.standard_normal(len(teams))))
    items = _design_items(rng)

    parts, eligible_n = [], []
    for wave, staff in zip(WAVES, eligible):
        frame, n = _wave_responses(rng, wave, staff, people, team_effect, items)
        parts.append(frame)
        eligible_n.append(n)
    waves = pd.DataFrame({
        "wave_id": [w.wave_id for w in WAVES],
        "instruments": ";".join(INSTRUMENTS),
        "opened_on": pd.to_datetime([w.opened_on for w in WAVES]),
        "closed_on": pd.to_datetime([w.closed_on for w in WAVES]),
        "mode": MODE,
        "eligible_n": pd.array(eligible_n, dtype="Int64"),
        "linked_design": pd.array([False] * len(WAVES), dtype="boolean"),
        "ps_variant": PS_VARIANT,
        "olbi_response_coding": OLBI_CODING,
        "notes": [w.notes for w in WAVES],
    })
    return {"survey_waves": waves, "survey_responses": pd.concat(parts, ignore_index=True)}


# --- published NHS Staff Survey and pulse scores (invented) ------------------------------------------------

NSS_ORG_CODE = "SYN01"  # not an NHS organisation code
NSS_DIRECTORATE = "Talking Therapies"
NSS_BENCHMARK_GROUP = "Mental health and learning disability trusts"
NSS_YEARS = (2022, 2023, 2024)  # NSS fieldwork runs October-November: the 2024 survey follows the strategy start
NSS_ELIGIBLE = 176
NSS_RESPONSE_RATE = {2022: 0.52, 2023: 0.55, 2024: 0.63}
# Measure -> (type, 2022 score, change 2022->2023, change 2023->2024). staff_engagement is the mean of its
# three sub-scores (domain spec 2.3), so it is not listed.
NSS_PLANTED = {
    "morale": ("theme", 5.9, -0.1, 0.3),
    "we_are_compassionate_and_inclusive": ("element", 7.3, 0.0, 0.2),
    "we_are_recognised_and_rewarded": ("element", 6.0, -0.1, 0.0),
    "we_each_have_a_voice_that_counts": ("element", 6.7, -0.1, 0.3),
    "we_are_safe_and_healthy": ("element", 5.9, -0.1, 0.3),
    "we_are_always_learning": ("element", 5.4, 0.1, 0.0),
    "we_work_flexibly": ("element", 6.6, 0.0, 0.1),
    "we_are_a_team": ("element", 6.8, -0.1, 0.4),
    "motivation": ("sub_score", 6.8, -0.1, 0.2),
    "involvement": ("sub_score", 6.7, -0.1, 0.4),
    "advocacy": ("sub_score", 7.0, 0.0, 0.1),
}
# Benchmark medians: invented, fixed (they describe other trusts, not this service).
NSS_BENCHMARK = {
    "staff_engagement": (6.9, 7.0, 7.0), "morale": (6.0, 6.1, 6.1),
    "we_are_compassionate_and_inclusive": (7.4, 7.5, 7.5), "we_are_recognised_and_rewarded": (6.1, 6.2, 6.2),
    "we_each_have_a_voice_that_counts": (6.9, 7.0, 7.0), "we_are_safe_and_healthy": (6.1, 6.2, 6.2),
    "we_are_always_learning": (5.6, 5.7, 5.8), "we_work_flexibly": (6.6, 6.7, 6.8),
    "we_are_a_team": (6.9, 7.0, 7.0), "motivation": (6.8, 6.8, 6.8), "involvement": (6.9, 7.0, 7.0),
    "advocacy": (7.1, 7.2, 7.1),
}
MEASURE_ORDER = ["staff_engagement", "morale", "we_are_compassionate_and_inclusive", "we_are_recognised_and_rewarded",
                 "we_each_have_a_voice_that_counts", "we_are_safe_and_healthy", "we_are_always_learning",
                 "we_work_flexibly", "we_are_a_team", "motivation", "involvement", "advocacy"]
# NQPS pulse, staff engagement: (year, mean score, responses). April 2024 (Q1 2024/25, as the strategy started)
# and January 2025 (Q4 2024/25).
NQPS_PLANTED = ((2024, 6.6, 64), (2025, 6.9, 71))


def nss_scores_frame(rng: np.random.Generator) -> pd.DataFrame:
    """Published directorate scores for NSS 2022-2024 and two NQPS quarters (all invented)."""
    rows = []
    for y, year in enumerate(NSS_YEARS):
        n_year = int(rng.binomial(NSS_ELIGIBLE, NSS_RESPONSE_RATE[year]))
        score = {}  # the planted scores exactly: only the response counts are drawn
        for measure, (_, base, change_1, change_2) in NSS_PLANTED.items():
            level = base + (change_1 if y >= 1 else 0.0) + (change_2 if y >= 2 else 0.0)
            score[measure] = level
        score["staff_engagement"] = (score["motivation"] + score["involvement"] + score["advocacy"]) / 3
        for measure in MEASURE_ORDER:
            kind = "theme" if measure == "staff_engagement" else NSS_PLANTED[measure][0]
            rows.append({
                "year": year, "source": "nss", "org_code": NSS_ORG_CODE, "breakdown_level": "directorate",
                "breakdown_value": NSS_DIRECTORATE, "measure_type": kind, "measure_id": measure,
                "score": round(score[measure], 1), "score_unit": "score_0_10",
                # Not every respondent answers every question behind a measure.
                "n_responses": n_year - int(rng.integers(0, 4)),
                "benchmark_group": NSS_BENCHMARK_GROUP, "benchmark_median": NSS_BENCHMARK[measure][y],
            })
    for year, mean, n in NQPS_PLANTED:
        rows.append({
            "year": year, "source": "nqps", "org_code": NSS_ORG_CODE, "breakdown_level": "directorate",
            "breakdown_value": NSS_DIRECTORATE, "measure_type": "theme", "measure_id": "staff_engagement",
            "score": mean, "score_unit": "score_0_10",
            "n_responses": n + int(rng.integers(-3, 4)), "benchmark_group": None, "benchmark_median": np.nan,
        })
    frame = pd.DataFrame(rows, columns=TEMPLATES["nss_scores"].column_names())
    frame["year"] = frame["year"].astype("Int64")
    frame["n_responses"] = frame["n_responses"].astype("Int64")
    frame["benchmark_group"] = frame["benchmark_group"].astype(object)
    return frame


# --- public entry points -----------------------------------------------------------------------------------

def generate_surveys(staff_snapshot: pd.DataFrame, seed: int = 2024) -> dict[str, pd.DataFrame]:
    """Generate the survey inputs of the synthetic service.

    Parameters
    ----------
    staff_snapshot
        The service's staff snapshot (``generate_workforce(seed)["staff_snapshot"]``): the month-ends before
        each wave (29/02/2024, 28/02/2025) give who is eligible, with their team, role and start date.
    seed
        Seed; the survey draws use their own streams (``[seed, SURVEY_STREAM]``, ``[seed, NSS_STREAM]``).

    Returns
    -------
    dict of DataFrame
        Keyed by template kind: ``survey_waves``, ``survey_responses``, ``nss_scores``, columns in template
        order. ``item_value`` is nullable integer (``<NA>`` = skipped item); ``submitted_at`` is text
        ``dd/mm/yyyy HH:MM``.

    Examples
    --------
    >>> from ttwell.synth.workforce import generate_workforce
    >>> frames = generate_surveys(generate_workforce(seed=1)["staff_snapshot"], seed=1)
    >>> sorted(frames)
    ['nss_scores', 'survey_responses', 'survey_waves']
    """
    frames = responses_and_waves(np.random.default_rng([seed, SURVEY_STREAM]), staff_snapshot)
    frames["nss_scores"] = nss_scores_frame(np.random.default_rng([seed, NSS_STREAM]))
    return {kind: frames[kind][TEMPLATES[kind].column_names()] for kind in
            ("survey_waves", "survey_responses", "nss_scores")}


SCORE_DECIMALS = 1  # published NSS/NQPS scores have one decimal place


def surveys_as_text(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames as the text cells of their CSV files (dd/mm/yyyy dates, true/false, blanks for missing).

    Floats (the NSS scores) are written with one decimal place, as published.
    """
    out = {}
    for kind, frame in frames.items():
        columns = {}
        for c in TEMPLATES[kind].columns:
            if c.type == "float":
                columns[c.name] = np.array([f"{v:.{SCORE_DECIMALS}f}" if pd.notna(v) else "" for v in frame[c.name]],
                                           dtype=object)
            else:
                columns[c.name] = as_text(frame[c.name], c.type)
        out[kind] = pd.DataFrame(columns)
    return out


def write_surveys(frames: dict[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Write each frame as its template's CSV (UTF-8, ``\\n`` line ends); return the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, text in surveys_as_text(frames).items():
        path = folder / TEMPLATES[kind].filename
        text.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    return written
