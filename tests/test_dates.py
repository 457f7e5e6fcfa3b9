"""ttwell.inputs.dates: day-first, never month-first; every bad cell listed."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

from ttwell.errors import InputError, ParameterError
from ttwell.inputs.dates import parse_date, parse_dates, require_dates, uk_date


def test_text_is_read_day_first_and_iso():
    out = parse_dates(pd.Series(["01/04/2023", "2023-04-30", "30/04/2023 09:15", "31-03-2024"]))
    assert list(out.dt.strftime("%Y-%m-%d")) == ["2023-04-01", "2023-04-30", "2023-04-30", "2024-03-31"]


def test_spreadsheet_date_cells_are_kept_and_unreadable_text_is_missing():
    out = parse_dates(pd.Series([datetime.datetime(2024, 2, 29, 13, 5), "31/02/2024", "", "April"]))
    assert out.iloc[0] == pd.Timestamp("2024-02-29")
    assert out.iloc[1:].isna().all()


def test_require_dates_lists_every_bad_cell_with_its_row():
    with pytest.raises(InputError) as caught:
        require_dates(pd.Series(["01/04/2023", "13/13/2023", "soon"]), "Month end", file="sickness.csv")
    rows = [(p.row, p.column, p.value) for p in caught.value.problems]
    assert rows == [(3, "Month end", "13/13/2023"), (4, "Month end", "soon")]


@pytest.mark.parametrize("given, expected", [("01/04/2023", "2023-04-01"), ("2023-04-01", "2023-04-01"),
                                             (datetime.date(2023, 4, 1), "2023-04-01")])
def test_a_parameter_date(given, expected):
    assert parse_date(given, "baseline_start") == pd.Timestamp(expected)


def test_a_month_first_parameter_is_refused_by_name():
    with pytest.raises(ParameterError, match="baseline_end.*dd/mm/yyyy"):
        parse_date("04/31/2023", "baseline_end")


def test_uk_date():
    assert uk_date("2023-04-30") == "30/04/2023"


def test_a_month_parameter_is_mm_yyyy_and_gives_the_months_last_day():
    from ttwell.inputs.dates import parse_month

    assert parse_month("02/2024", "review_month") == pd.Timestamp("2024-02-29")
    with pytest.raises(ParameterError, match="The review month must be written MM/YYYY .* got '2024-02'"):
        parse_month("2024-02", "review_month")


def test_month_cells_are_read_as_yyyy_mm_only():
    from ttwell.inputs.dates import parse_month_cells

    out = parse_month_cells(pd.Series(["2024-03", "03/2024", None]))
    assert out.iloc[0] == pd.Timestamp("2024-03-01") and out.iloc[1:].isna().all()
