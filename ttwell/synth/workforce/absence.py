"""The ``absence`` table: sickness episodes, seasonal, lower after the strategy start (a planted effect)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.inputs.templates import ABSENCE_REASON_GROUPS
from ttwell.synth.workforce.assumptions import (ABSENCE_CODES, ABSENCE_WARM_UP_MONTHS, EPISODE_CLASS_SHARES, NEVER,
                                                PARTIAL_DAY_SHARE_OF_ONE_DAY, PARTIAL_HOURS, REASON_MIX_BY_CLASS,
                                                RESPIRATORY_WINTER_AMPLITUDE, SHORT_LENGTH_WEIGHTS,
                                                SICKNESS_RATIO_AFTER_STRATEGY, SICKNESS_STARTS_PER_PERSON_MONTH,
                                                SICKNESS_WINTER_AMPLITUDE, WORK_RELATED_SHARE)
from ttwell.synth.workforce.columns import _dates, _names
from ttwell.synth.workforce.draws import _choose, _choose_by_row
from ttwell.synth.workforce.months import Calendar
from ttwell.synth.workforce.spells import BANK, Spells


def absence_frame(rng: np.random.Generator, sp: Spells, cal: Calendar, ids: np.ndarray,
                  person_rank: np.ndarray, seen_spells: np.ndarray) -> pd.DataFrame:
    """Sickness episodes: Poisson starts per person-month, seasonal, lower after the strategy start.

    Starts fall on days in post; an episode is cut at the leaving date and at the start of maternity leave,
    never overlaps the same person's previous episode, and is open (blank end) if it runs past the extract.
    """
    # Only people seen in a snapshot: someone who left in the first days of the first month has no row
    # to attach an episode to (the extract would not include them either).
    staff = np.intersect1d(np.nonzero(sp.contract0 != BANK)[0], np.unique(seen_spells))
    period_start = int(cal.first[0])
    # Episodes start from a year before the first snapshot, so long absences already running in April of
    # the first year are there (without this the first year's sickness rate would be artificially low).
    cal = cal.extended_back(ABSENCE_WARM_UP_MONTHS)
    in_from = np.maximum(sp.start[staff, None], cal.first[None, :])
    in_to = np.minimum(sp.leave[staff, None], cal.last[None, :])
    days_in_post = np.clip(in_to - in_from + 1, 0, None)
    # Some people are off sick far more often than others (gamma frailty, mean 1).
    frailty = rng.gamma(2.0, 0.5, len(staff))
    season = 1.0 + SICKNESS_WINTER_AMPLITUDE * np.cos(2 * np.pi * (cal.calendar_month - 1) / 12)
    month_rate = (SICKNESS_STARTS_PER_PERSON_MONTH * season
                  * np.where(cal.after_strategy, SICKNESS_RATIO_AFTER_STRATEGY, 1.0))
    expected = frailty[:, None] * month_rate[None, :] * days_in_post / cal.ndays[None, :]
    counts = rng.poisson(expected)
    who, month = np.nonzero(counts)
    repeat = counts[who, month]
    spell = np.repeat(staff[who], repeat)
    start = np.repeat(in_from[who, month], repeat)
    start = start + (rng.random(len(spell)) * np.repeat(days_in_post[who, month], repeat)).astype(np.int64)
    month = np.repeat(month, repeat)
    n = len(spell)

    length_class = _choose(rng, ("short", "medium", "long"), EPISODE_CLASS_SHARES, n)
    short_length = 1 + _choose(rng, SHORT_LENGTH_WEIGHTS, SHORT_LENGTH_WEIGHTS, n)
    medium_length = rng.integers(11, 28, n)
    long_length = np.minimum(28 + rng.lognormal(np.log(30), 0.8, n).astype(np.int64), 365)
    length = np.choose(length_class, [short_length, medium_length, long_length])

    mix = np.array([REASON_MIX_BY_CLASS[c] for c in ("short", "medium", "long")])[length_class]
    respiratory = ABSENCE_REASON_GROUPS.index("infectious_respiratory")
    winter = 1.0 + RESPIRATORY_WINTER_AMPLITUDE * np.cos(2 * np.pi * (cal.calendar_month[month] - 1) / 12)
    mix[:, respiratory] *= np.where(length_class == 0, winter, 1.0)
    group = _choose_by_row(rng, mix)

    end = start + length - 1
    end = np.minimum(end, sp.leave[spell])  # truncated at the leaving date
    mat_start, mat_end = sp.mat_start[spell], sp.mat_end[spell]
    during_leave = (start >= mat_start) & (start <= mat_end)
    end = np.where((start < mat_start) & (end >= mat_start), mat_start - 1, end)

    keep = ~during_leave & (end >= period_start)  # the extract holds episodes overlapping its period
    spell, start, end, group, month = spell[keep], start[keep], end[keep], group[keep], month[keep]
    # No overlaps: drop an episode starting within a day of the end of any earlier one of the same spell.
    order = np.lexsort((start, spell))
    spell, start, end, group = spell[order], start[order], end[order], group[order]
    offset = spell.astype(np.int64) * (1 << 32)
    running_end = np.maximum.accumulate(offset + end) - offset
    previous_end = np.concatenate([[np.iinfo(np.int64).min // 2], running_end[:-1]])
    same_spell = np.concatenate([[False], spell[1:] == spell[:-1]])
    keep = ~same_spell | (start > previous_end + 1)
    spell, start, end, group = spell[keep], start[keep], end[keep], group[keep]
    n = len(spell)

    partial = (end == start) & (rng.random(n) < PARTIAL_DAY_SHARE_OF_ONE_DAY)
    hours_lost = np.where(partial, PARTIAL_HOURS[rng.integers(0, len(PARTIAL_HOURS), n)], np.nan)
    work_share = np.array([WORK_RELATED_SHARE.get(g, 0.01) for g in ABSENCE_REASON_GROUPS])[group]
    work_related = rng.random(n) < work_share
    code = np.empty(n, dtype=object)
    for g, name in enumerate(ABSENCE_REASON_GROUPS):
        these = np.nonzero(group == g)[0]
        options = ABSENCE_CODES[name]
        code[these] = np.array(list(options), dtype=object)[_choose(rng, list(options), list(options.values()),
                                                                    len(these))]
    open_at_extract = end > cal.extract_end

    order = np.lexsort((person_rank[sp.person[spell]], start))
    width = max(6, len(str(n)))
    return pd.DataFrame({
        "episode_id": np.array([f"E{i + 1:0{width}d}" for i in range(n)], dtype=object),
        "staff_pid": ids[sp.person[spell[order]]],
        "absence_start_date": _dates(start[order]),
        "absence_end_date": _dates(np.where(open_at_extract, NEVER, end)[order]),
        "absence_reason_code": code[order],
        "absence_reason_group": _names(ABSENCE_REASON_GROUPS, group[order]),
        "partial_day": pd.array(partial[order], dtype="boolean"),
        "hours_lost": hours_lost[order],
        "fte_days_lost_override": np.full(n, np.nan),
        "work_related": pd.array(work_related[order], dtype="boolean"),
    })
