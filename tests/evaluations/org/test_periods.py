"""Report periods: a year, a quarter or a month, and nothing else."""

import datetime as dt

import pytest

from evaluations.org import periods


def test_bounds_of_each_kind_of_period():
    assert periods.bounds(2026, "year") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert periods.bounds(2026, "Q1") == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert periods.bounds(2028, "2") == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))


@pytest.mark.parametrize("code", ["13", "0", "Q5", "08", "", "month"])
def test_anything_else_is_no_period(code):
    with pytest.raises(ValueError):
        periods.bounds(2026, code)


def test_the_menu_lists_seventeen_periods():
    assert len(periods.choices()) == 17
    assert periods.choices()[0] == ("year", "全年")
