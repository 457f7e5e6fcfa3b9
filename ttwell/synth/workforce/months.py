"""The simulated months as integer day numbers (days since 1970-01-01), for vectorised date arithmetic."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calendar:
    """The months simulated, as integer day numbers (days since 1970-01-01) for vectorised comparisons."""

    first: np.ndarray  # first day of each month
    last: np.ndarray  # last day of each month (the snapshot date)
    ndays: np.ndarray
    calendar_month: np.ndarray  # 1 = January
    strategy_day: int

    @classmethod
    def build(cls, start: str, months: int, strategy_start: str) -> "Calendar":
        month = np.datetime64(start, "M") + np.arange(months)
        first = month.astype("datetime64[D]").astype(np.int64)
        last = (month + 1).astype("datetime64[D]").astype(np.int64) - 1
        calendar_month = (month.astype(np.int64) % 12) + 1
        strategy_day = int(np.datetime64(strategy_start, "D").astype(np.int64))
        return cls(first, last, last - first + 1, calendar_month, strategy_day)

    def extended_back(self, months: int) -> "Calendar":
        """The same calendar with ``months`` more months before its first."""
        first_month = np.datetime64(int(self.first[0]), "D").astype("datetime64[M]") - months
        return Calendar.build(str(first_month), self.months + months, str(np.datetime64(self.strategy_day, "D")))

    @property
    def months(self) -> int:
        return len(self.first)

    @property
    def extract_end(self) -> int:
        return int(self.last[-1])

    @property
    def after_strategy(self) -> np.ndarray:
        return self.first >= self.strategy_day

    @property
    def financial_year(self) -> np.ndarray:
        """Calendar year in which each month's April-March financial year begins."""
        year = self.first.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        return np.where(self.calendar_month >= 4, year, year - 1)


def _first_of_month(days: np.ndarray, add_months: int | np.ndarray = 0) -> np.ndarray:
    """Day number of the first day of the month ``add_months`` after the month containing each day."""
    month = np.asarray(days).astype("datetime64[D]").astype("datetime64[M]") + add_months
    return month.astype("datetime64[D]").astype(np.int64)


def _random_day(rng: np.random.Generator, first: np.ndarray, ndays: np.ndarray) -> np.ndarray:
    return first + (rng.random(len(first)) * ndays).astype(np.int64)
