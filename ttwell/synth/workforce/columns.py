"""Day numbers and codes turned into the columns of the output tables: dates, names, flags, tenure bands."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.synth.workforce.assumptions import NAT_INT, NEVER


def _dates(days: np.ndarray) -> np.ndarray:
    """Day numbers to datetime64[ns], NEVER to NaT."""
    days = np.asarray(days, dtype=np.int64)
    return np.where(days >= NEVER, NAT_INT, days).astype("datetime64[D]").astype("datetime64[ns]")


def _names(options, codes: np.ndarray) -> np.ndarray:
    """Codes to names; -1 to None (a blank cell)."""
    table = np.array(list(options) + [None], dtype=object)
    return table[np.where(codes < 0, len(options), codes)]


def _flags(codes: np.ndarray) -> pd.array:
    """-1/0/1 to a nullable boolean column (-1 blank)."""
    return pd.array(np.where(codes < 0, None, codes == 1), dtype="boolean")


def tenure_band(days_in_service: np.ndarray) -> np.ndarray:
    years = days_in_service / 365.25
    return np.select([years < 1, years < 2, years < 5], ["lt_1y", "1_2y", "2_5y"], "5y_plus").astype(object)
