"""Small hand-worked SPC series shared by the tests of ttwell.calculations.spc (one file per module)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ttwell.calculations import spc

# 12 points: mean 11, 11 moving ranges of 2 -> MR-bar 2; UPL 16.32, LPL 5.68, 2-sigma lines 7.4533 / 14.5467.
BASE = [10, 12] * 6


def series(values, start="2023-01-01", facet=None) -> pd.DataFrame:
    frame = pd.DataFrame({"month": pd.date_range(start, periods=len(values), freq="MS"),
                          "value": np.asarray(values, dtype=float)})
    if facet is not None:
        frame.insert(0, "team", facet)
    return frame


def run(values, **kwargs) -> spc.SPCResult:
    return spc.xmr(series(values), date="month", value="value", **kwargs)


def rules(result) -> list[str]:
    return result.points["rule"].tolist()


def expand(spec) -> list[str]:
    """[(3, 'none'), (2, 'shift')] -> ['none', 'none', 'none', 'shift', 'shift']"""
    return [rule for count, rule in spec for _ in range(count)]


SHIFT = [14, 6, 14, 6, 14, 6, 11, 12, 11, 12, 11, 12, 11, 9, 8, 9, 8, 9, 8, 9]
