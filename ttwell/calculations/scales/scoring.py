"""Scoring survey instruments: validated responses in, one row of scores per respondent out.

Responses may be LONG (``instrument, item_id, item_value`` columns, as the ``survey_responses`` template) or
WIDE (one column per item id); the scorer tells them apart by the ``item_id``/``item_value`` columns. Values may
be numbers or text cells (as :func:`ttwell.inputs.io.read_raw` returns them).

Nothing is imputed or clipped (domain spec 3): the answers are checked first, by
:func:`ttwell.inputs.instruments.answers.read_answers`, and every problem is raised together as one
:class:`ttwell.errors.InputError` with the file, row (header = row 1), column and value of each.

The order of work per respondent and item: recode an alternative response coding to the default (OLBI SD1_SA4
-> SA1_SD4), transform (NQPS9: (x - 1) x 2.5), reverse (``min + max - x`` on the transformed scale, plus the
items of the respondent's wave variant), then subscale means or sums with the missing-item rule, conversion
tables, and composites. Everything is vectorised over respondents.

Example
-------
>>> import pandas as pd
>>> from ttwell.calculations.scales import score
>>> wide = pd.DataFrame({"wave_id": ["w1"], "response_id": ["r1"],
...                      **{f"OLBI_{i:02d}": [2] for i in range(1, 17)}})
>>> score(wide, "OLBI")[["exhaustion", "disengagement"]].iloc[0].tolist()   # spec 3.2 self-check
[2.5, 2.5]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ttwell.inputs.instruments.answer_cells import row_blocks
from ttwell.inputs.instruments.answers import (ID_COLUMNS, KEEP_COLUMNS, AnswerMatrix, Setting,
                                               read_answers)
from ttwell.inputs.instruments.definitions import Bands, Instrument
from ttwell.inputs.instruments.loading import as_instrument


# --- from raw values to item scores and scale scores -------------------------------------------------------

def _recode(values: np.ndarray, table: dict[float, float]) -> np.ndarray:
    keys = np.array(sorted(table), dtype=np.float64)
    targets = np.array([table[k] for k in sorted(table)], dtype=np.float64)
    position = np.clip(np.searchsorted(keys, values), 0, len(keys) - 1)
    return np.where(np.isnan(values), np.nan, targets[position])


def _item_matrix(prepared: AnswerMatrix, inst: Instrument, rows: slice = slice(None)) -> np.ndarray:
    """Recode, transform and reverse (a block of) respondents: the item scores every subscale is built from."""
    if len(prepared.columns) == len(inst.items):
        scores = np.array(prepared.raw[rows], dtype=np.float64)  # always a private, writable copy
    else:
        block = prepared.raw[rows]
        scores = np.full((len(block), len(inst.items)), np.nan)
        scores[:, prepared.columns] = block
    coding = None if prepared.coding is None else prepared.coding[rows]
    variant = None if prepared.variant is None else prepared.variant[rows]
    if coding is not None:
        for alternative in inst.codings[1:]:
            mine = coding == alternative.name
            if mine.any():
                scores[mine] = _recode(scores[mine], alternative.recode_table)
    if inst.transform is not None:
        scores = inst.transform.apply(scores)
    ends = np.array([sum(inst.scored_range(item)) for item in inst.items])  # min + max per item
    position = {item: j for j, item in enumerate(inst.items)}
    reverse = [position[i] for i in inst.reverse]
    if reverse:
        scores[:, reverse] = ends[reverse] - scores[:, reverse]
    if variant is not None:
        for option in inst.variants:
            columns = [position[i] for i in option.reverse]
            mine = np.flatnonzero(variant == option.name)
            if columns and len(mine):
                block = np.ix_(mine, columns)
                scores[block] = ends[columns] - scores[block]
    return scores


def _scale_scores(prepared: AnswerMatrix, inst: Instrument) -> dict[str, np.ndarray]:
    position = {item: j for j, item in enumerate(inst.items)}
    membership = np.zeros((len(inst.items), len(inst.subscales)))
    for s, subscale in enumerate(inst.subscales):
        membership[[position[i] for i in subscale.items], s] = 1.0
    n_respondents = len(prepared.raw)
    totals = np.empty((n_respondents, len(inst.subscales)))
    counts = np.empty((n_respondents, len(inst.subscales)))
    n_items = np.empty(n_respondents, dtype=np.int64)
    for rows in row_blocks(n_respondents):
        items = _item_matrix(prepared, inst, rows)
        answered = ~np.isnan(items)
        # One matrix product per quantity gives every subscale's sum and count at once.
        totals[rows] = np.where(answered, items, 0.0) @ membership
        counts[rows] = answered.astype(np.float64) @ membership
        n_items[rows] = answered.sum(axis=1)
    out: dict[str, np.ndarray] = {"n_items_answered": n_items}
    for s, subscale in enumerate(inst.subscales):
        n = counts[:, s].astype(np.int64)
        too_few = n < subscale.min_answered
        if subscale.method == "mean":
            value = np.divide(totals[:, s], counts[:, s], out=np.full(len(n), np.nan), where=~too_few)
        else:
            value = np.where(too_few, np.nan, totals[:, s])
        out[subscale.id] = value
        if subscale.conversion:
            out[f"{subscale.id}_raw"] = value
            out[subscale.id] = _recode(np.round(value, 9), subscale.conversion_table)
        if subscale.sum_column:
            # A sum with an item missing is not comparable with a full sum, so it is left blank (never imputed).
            out[f"{subscale.id}_sum"] = np.where(n == len(subscale.items), totals[:, s], np.nan)
        out[f"{subscale.id}_n_answered"] = n
        out[f"{subscale.id}_too_few_items"] = too_few
    for composite in inst.composites:
        parts = np.column_stack([out[p] for p in composite.subscales])
        available = ~np.isnan(parts)
        n = available.sum(axis=1)
        too_few = n < composite.min_answered
        total = np.where(available, parts, 0.0).sum(axis=1)
        out[composite.id] = np.divide(total, n, out=np.full(len(n), np.nan), where=~too_few)
        out[f"{composite.id}_n_subscores"] = n
        out[f"{composite.id}_too_few_subscores"] = too_few
    return out


def score(responses: pd.DataFrame, instrument: Instrument | str | Path, *, variant: Setting = None,
          coding: Setting = None, file: str = "(data)", id_columns=ID_COLUMNS,
          keep_columns=KEEP_COLUMNS) -> pd.DataFrame:
    """Score one instrument: one row per respondent with every subscale and composite score.

    Parameters
    ----------
    responses : DataFrame
        Long (``instrument, item_id, item_value`` plus respondent columns; rows of other instruments are
        ignored) or wide (one column per item id, any case). Values may be numbers or text cells.
    instrument : Instrument, str or Path
        A shipped id (``"OLBI"``), a loaded :class:`Instrument`, or the path of your own YAML definition.
    variant : str, mapping, Series or DataFrame, optional
        Wording variant (TPS: ``edmondson_1999`` or ``strategy_positive``): one name for every respondent,
        a mapping wave_id -> name, or the ``survey_waves`` table. When omitted, a ``ps_variant`` column in the
        responses is used; TPS without either is a ParameterError (the two variants must never be pooled).
    coding : same forms as ``variant``, optional
        Response coding (OLBI: ``SA1_SD4`` default or ``SD1_SA4``); recoded to the default before scoring.
        When omitted, an ``olbi_response_coding`` column is used if present, otherwise the default.
    file : str
        Name used in problem reports.
    id_columns, keep_columns : sequence of str
        Columns identifying a respondent, and respondent columns carried into the output (blank if absent).

    Returns
    -------
    DataFrame, one row per respondent (long: in order of first appearance; wide: input order) with columns
    ``*id_columns, *keep_columns``, then ``ps_variant`` (instruments with variants), ``n_items_answered``, and
    per subscale ``<id>``, ``<id>_raw`` (raw sum, conversion tables only), ``<id>_sum`` (when the definition
    asks for it: blank unless every item is answered), ``<id>_n_answered``, ``<id>_too_few_items``; per
    composite of subscales ``<id>``, ``<id>_n_subscores``, ``<id>_too_few_subscores``. A score is NaN when its
    missing-item rule is not met.

    Raises
    ------
    InputError
        Every problem in the responses at once (file, row, column, value, expected).
    ParameterError
        Unknown instrument, variant or coding, or a TPS wave with no variant.

    Notes
    -----
    Per item: recode coding -> transform -> reverse (``min + max - x`` on the transformed scale). Subscale:
    mean (or sum) of answered items when at least ``min_answered`` are answered. Composites of subscales are the
    mean of the available subscale scores, each weighted equally (NQPS9 engagement, domain spec 2.3).

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"wave_id": "w1", "response_id": "r1", "instrument": "CBI",
    ...                      "item_id": ["CBI_W1", "CBI_W2", "CBI_W3", "CBI_W7"], "item_value": [50, 75, 25, 100]})
    >>> row = score(long, "CBI").iloc[0]      # W7 reversed: (50 + 75 + 25 + 0) / 4
    >>> float(row["work"]), int(row["work_n_answered"]), bool(row["personal_too_few_items"])
    (37.5, 4, True)
    """
    inst = as_instrument(instrument)
    prepared = read_answers(responses, inst, variant, coding, file, id_columns, keep_columns)
    scores = _scale_scores(prepared, inst)
    return pd.concat([prepared.meta, pd.DataFrame(scores)], axis=1)


def item_scores(responses: pd.DataFrame, instrument: Instrument | str | Path, *, variant: Setting = None,
                coding: Setting = None, file: str = "(data)", id_columns=ID_COLUMNS,
                keep_columns=KEEP_COLUMNS) -> pd.DataFrame:
    """The per-respondent item matrix after recoding, transform and reversal (same arguments as :func:`score`).

    This is what reliability (:func:`ttwell.calculations.scales.reliability.reliability_table`, with
    ``instrument.subscale_items()``) and the lowest-rated-item view need: higher always means the direction
    the subscale's ``higher_is`` states, with reverse-keyed items already turned round.

    Returns
    -------
    DataFrame with ``*id_columns, *keep_columns``, ``ps_variant`` (instruments with variants), then one float
    column per item id in published order (NaN = unanswered).

    Examples
    --------
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"wave_id": ["w1"], "response_id": ["r1"],
    ...                      **{f"TPS_{i:02d}": [2] for i in range(1, 8)}})
    >>> item_scores(wide, "TPS", variant="edmondson_1999")[["TPS_01", "TPS_02"]].iloc[0].tolist()
    [6.0, 2.0]
    """
    inst = as_instrument(instrument)
    prepared = read_answers(responses, inst, variant, coding, file, id_columns, keep_columns)
    matrix = pd.DataFrame(_item_matrix(prepared, inst), columns=list(inst.items))
    return pd.concat([prepared.meta, matrix], axis=1)


# --- group statistics the instruments define ---------------------------------------------------------------

def enps(scored: pd.DataFrame, *, by: list[str] | None = None, instrument: Instrument | str = "JOY"
         ) -> pd.DataFrame:
    """Employee Net Promoter Score per group: % promoters (9-10) minus % detractors (0-6), from -100 to +100.

    ``scored`` is the output of ``score(..., "JOY")``; thresholds come from the instrument's ``enps`` group
    summary. Respondents who did not answer JOY_02 are left out.

    Returns columns ``[*by], score, n_respondents, n_promoters, n_passives, n_detractors, enps``.

    Examples
    --------
    >>> import pandas as pd
    >>> float(enps(pd.DataFrame({"recommend": [10, 9, 8, 7, 6, 0]}))["enps"].iloc[0])   # 100 x (2 - 2) / 6
    0.0
    """
    summary = as_instrument(instrument).group_summary("enps")
    values = scored[summary.score]
    frame = pd.DataFrame({
        "n_respondents": values.notna().to_numpy(),
        "n_promoters": (values >= summary.param("promoters_from")).to_numpy(),
        "n_detractors": (values <= summary.param("detractors_to")).to_numpy(),
    })
    for column in by or []:
        frame[column] = scored[column].to_numpy()
    counts = frame.groupby(by, sort=True, observed=True, dropna=False).sum().reset_index() if by \
        else frame.sum().to_frame().T
    counts = counts.astype({c: np.int64 for c in ("n_respondents", "n_promoters", "n_detractors")})
    counts["n_passives"] = counts["n_respondents"] - counts["n_promoters"] - counts["n_detractors"]
    n = counts["n_respondents"].where(counts["n_respondents"] > 0)
    counts["enps"] = 100.0 * (counts["n_promoters"] - counts["n_detractors"]) / n
    counts["score"] = summary.score
    return counts[[*(by or []), "score", "n_respondents", "n_promoters", "n_passives", "n_detractors", "enps"]]


def share_often_or_always(scored: pd.DataFrame, *, by: list[str] | None = None,
                          instrument: Instrument | str = "JOY") -> pd.DataFrame:
    """Share of respondents answering JOY_01 'often' or 'always' (3 or 4), with a Wilson interval, per group.

    The threshold comes from the instrument's ``joy_often_or_always`` group summary; the counting is
    :func:`ttwell.calculations.scales.summaries.share_at_or_above`.

    Returns columns ``[*by], score, cutoff, n_respondents, n_above, share, ci_low, ci_high``.

    Examples
    --------
    >>> import pandas as pd
    >>> float(share_often_or_always(pd.DataFrame({"joy": [4, 3, 2, 0]}))["share"].iloc[0])
    0.5
    """
    from ttwell.calculations.scales.summaries import share_at_or_above

    summary = as_instrument(instrument).group_summary("joy_often_or_always")
    return share_at_or_above(scored, summary.score, summary.param("threshold"), by=by)


def apply_bands(scored: pd.DataFrame, bands: Bands) -> pd.DataFrame:
    """Add a ``<score>_band`` label column for every score the service's bands file covers (blank outside).

    See :func:`ttwell.inputs.instruments.load_bands`; bands on sums use the ``<score>_sum`` columns.
    """
    out = scored.copy()
    for score_id, entries in bands.scores:
        values = scored[f"{score_id}_sum" if bands.basis == "sum" else score_id].to_numpy(dtype=np.float64)
        labels = np.full(len(values), None, dtype=object)
        for band in entries:
            labels[(values >= band.low) & (values <= band.high)] = band.label
        out[f"{score_id}_band"] = labels
    return out
