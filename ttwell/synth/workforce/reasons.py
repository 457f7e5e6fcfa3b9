"""The ``reasons`` table: exit surveys from voluntary leavers and a stay survey each March (long form)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.inputs.templates import LEAVING_REASONS, REASON_CODES, ROLE_FAMILY_OF, ROLE_GROUPS
from ttwell.synth.workforce.assumptions import (EXIT_FREE_TEXT, EXIT_MAIN_REASON_OF, EXIT_OTHER_REASON_WEIGHTS,
                                                EXIT_SURVEY_RESPONSE_SHARE, FREE_TEXT_SHARE,
                                                INTENT_TO_STAY_PROBS_AFTER, INTENT_TO_STAY_PROBS_BEFORE,
                                                MIGHT_LEAVE_REASON_WEIGHTS, NEVER, STAY_FREE_TEXT,
                                                STAY_REASON_WEIGHTS, STAY_SURVEY_RESPONSE_SHARE)
from ttwell.synth.workforce.columns import _dates, _flags, tenure_band
from ttwell.synth.workforce.draws import _choose, _lookup, _top_k_without_replacement
from ttwell.synth.workforce.months import Calendar
from ttwell.synth.workforce.spells import BANK, REASON_NAMES, Spells
from ttwell.synth.workforce.staff_snapshot import SnapshotRows


def reasons_frame(rng: np.random.Generator, sp: Spells, rows: SnapshotRows, cal: Calendar) -> pd.DataFrame:
    """Exit surveys from half the voluntary leavers and a stay survey each March (long: one row per reason).

    Only coarse role family and tenure band are kept, as an anonymous survey would: nothing links a response
    to a staff id.
    """
    family_of_role = np.array([ROLE_FAMILY_OF[r] for r in ROLE_GROUPS], dtype=object)
    voluntary = np.array([LEAVING_REASONS[r][1] for r in REASON_NAMES] + [False])[sp.reason]
    # Exit surveys ---------------------------------------------------------------------------------
    leavers = np.nonzero(voluntary & (sp.contract0 != BANK) & (sp.leave < NEVER))[0]
    leavers = leavers[rng.random(len(leavers)) < EXIT_SURVEY_RESPONSE_SHARE]
    n_exit = len(leavers)
    exit_date = np.maximum(sp.start[leavers], sp.leave[leavers] - rng.integers(0, 22, n_exit))
    main = _lookup(REASON_CODES, [EXIT_MAIN_REASON_OF[REASON_NAMES[r]] for r in sp.reason[leavers]])
    weights = np.zeros((n_exit, len(REASON_CODES)))
    weights[:, _lookup(REASON_CODES, EXIT_OTHER_REASON_WEIGHTS)] = list(EXIT_OTHER_REASON_WEIGHTS.values())
    weights[np.arange(n_exit), main] = 0.0  # the main reason is rank 1 and not repeated
    n_more = _choose(rng, (0, 1, 2), (0.35, 0.4, 0.25), n_exit)
    resp, code, rank = _top_k_without_replacement(rng, weights, n_more)
    exit_resp = np.concatenate([np.arange(n_exit), resp])
    exit_code = np.concatenate([main, code])
    exit_rank = np.concatenate([np.ones(n_exit, dtype=np.int64), rank + 1])
    would_return = np.select([rng.random(n_exit) < 0.55, rng.random(n_exit) < 0.67], [1, 0], -1)
    role_at_leaving = sp.at(sp.leave[leavers], leavers)["role"]
    exit_text = np.where(rng.random(n_exit) < FREE_TEXT_SHARE,
                         np.array(EXIT_FREE_TEXT, dtype=object)[rng.integers(0, len(EXIT_FREE_TEXT), n_exit)], None)
    exits = pd.DataFrame({
        "response": exit_resp,
        "instrument": "exit_survey",
        "response_day": exit_date[exit_resp],
        "role_family": family_of_role[role_at_leaving][exit_resp],
        "tenure_band": tenure_band(exit_date - sp.start[leavers])[exit_resp],
        "direction": "reason_to_leave",
        "reason_code": np.array(REASON_CODES, dtype=object)[exit_code],
        "reason_rank": exit_rank,
        "intent_to_stay_12m": -1,
        "would_return": would_return[exit_resp],
        "free_text": np.where(exit_rank == 1, exit_text[exit_resp], None),
    })

    # Stay surveys: staff in post and at work at the end of February, answering in early March ------------
    month_start = cal.first.astype("datetime64[D]")
    stays = []
    next_response = n_exit
    for m in np.nonzero(np.char.endswith(month_start.astype(str), "-02-01"))[0]:
        survey_day = int(cal.last[m]) + 1  # 1 March
        if survey_day + 14 > cal.extract_end:
            continue
        here = np.nonzero((rows.month == m) & rows.in_post & ~rows.on_leave)[0]
        here = here[rng.random(len(here)) < STAY_SURVEY_RESPONSE_SHARE]
        k = len(here)
        day = survey_day + rng.integers(0, 14, k)
        probs = INTENT_TO_STAY_PROBS_AFTER if survey_day >= cal.strategy_day else INTENT_TO_STAY_PROBS_BEFORE
        intent = 1 + _choose(rng, probs, probs, k)
        parts = []
        for direction, mix, count_weights in (("reason_to_stay", STAY_REASON_WEIGHTS, (0, 0.3, 0.45, 0.25)),
                                              ("reason_might_leave", MIGHT_LEAVE_REASON_WEIGHTS, (0.3, 0.45, 0.25))):
            weights = np.zeros((k, len(REASON_CODES)))
            weights[:, _lookup(REASON_CODES, mix)] = list(mix.values())
            how_many = _choose(rng, count_weights, count_weights, k)
            resp, code, rank = _top_k_without_replacement(rng, weights, how_many)
            parts.append((direction, resp, code, rank))
        text = np.where(rng.random(k) < FREE_TEXT_SHARE,
                        np.array(STAY_FREE_TEXT, dtype=object)[rng.integers(0, len(STAY_FREE_TEXT), k)], None)
        tenure = tenure_band(day - sp.start[rows.spell[here]])
        family = family_of_role[rows.role[here]]
        for direction, resp, code, rank in parts:
            stays.append(pd.DataFrame({
                "response": next_response + resp,
                "instrument": "stay_survey",
                "response_day": day[resp],
                "role_family": family[resp],
                "tenure_band": tenure[resp],
                "direction": direction,
                "reason_code": np.array(REASON_CODES, dtype=object)[code],
                "reason_rank": rank,
                "intent_to_stay_12m": intent[resp],
                "would_return": -1,
                "free_text": np.where((direction == "reason_to_stay") & (rank == 1), text[resp], None),
            }))
        next_response += k

    long = pd.concat([exits, *stays], ignore_index=True)
    unknown_tenure = rng.random(next_response) < 0.03
    long.loc[unknown_tenure[long["response"].to_numpy()], "tenure_band"] = "unknown"
    long["direction_order"] = long["direction"].map({d: i for i, d in enumerate(
        ("reason_to_leave", "reason_to_stay", "reason_might_leave"))})
    long = long.sort_values(["response_day", "response", "direction_order", "reason_rank"], kind="stable")
    # Response ids numbered in date order.
    first_seen = long.drop_duplicates("response")["response"].to_numpy()
    number = np.empty(next_response, dtype=np.int64)
    number[first_seen] = np.arange(len(first_seen)) + 1
    width = max(5, len(str(len(first_seen))))
    return pd.DataFrame({
        "response_id": [f"R{i:0{width}d}" for i in number[long["response"].to_numpy()]],
        "instrument": long["instrument"].to_numpy(dtype=object),
        "response_date": _dates(long["response_day"].to_numpy()),
        "role_family": long["role_family"].to_numpy(dtype=object),
        "tenure_band": long["tenure_band"].to_numpy(dtype=object),
        "direction": long["direction"].to_numpy(dtype=object),
        "reason_code": long["reason_code"].to_numpy(dtype=object),
        "reason_rank": pd.array(long["reason_rank"].to_numpy(), dtype="Int64"),
        "intent_to_stay_12m": pd.array(np.where(long["intent_to_stay_12m"] > 0, long["intent_to_stay_12m"], None),
                                       dtype="Int64"),
        "would_return": _flags(long["would_return"].to_numpy()),
        "free_text": long["free_text"].to_numpy(dtype=object),
    }).reset_index(drop=True)
