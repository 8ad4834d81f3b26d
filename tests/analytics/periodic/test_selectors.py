"""定期报送's content (000 (八)) for a month, a quarter and a year, counted in the database."""

import datetime as dt

import pytest

from analytics.periodic.selectors import periodic_report

pytestmark = pytest.mark.django_db


def report(march, period, year=2026):
    return periodic_report(
        march["officer"],
        unit=march["a"]["county"],
        year=year,
        period=period,
        today=dt.date(2026, 5, 1),
    )


def test_who_went_down_counts_days_inside_the_month(march):
    got = report(march, "3")
    people = {r["name"]: (r["visits"], r["days"]) for r in got.people}
    # The research trip ran 30 March–2 April: two of its four days fall in March.
    assert people == {"林县长": (2, 3), "陈镇长": (1, 2)}
    assert got.totals == {"cadres": 2, "visits": 2, "days": 3, "received": 20}


def test_the_year_counts_the_whole_trip(march):
    got = report(march, "year")
    assert {r["name"]: r["days"] for r in got.people} == {"林县长": 5, "陈镇长": 4}
    april = report(march, "4")
    assert {r["name"]: r["days"] for r in april.people} == {"林县长": 2, "陈镇长": 2}


def test_visits_and_days_by_type_list_every_type(march):
    kinds = {r["kind"]: (r["visits"], r["days"], r["received"]) for r in report(march, "Q1").kinds}
    assert kinds["调查研究"] == (1, 2, 0)
    assert kinds["信访接待"] == (1, 1, 20)
    assert kinds["现场办公"] == (0, 0, 0) and len(kinds) == 7


def test_cases_received_solved_on_the_spot_and_closed_on_time(march):
    cases = report(march, "3").cases
    assert (cases.received, cases.on_spot, cases.on_time, cases.due) == (3, 1, 1, 1)
    assert report(march, "Q2").cases.received == 1


def test_satisfaction_marks_a_small_sample(march):
    rows = report(march, "3").satisfaction
    town = next(r for r in rows if r["n"])
    assert town["n"] == 3 and town["enough"] is False


def test_only_the_picked_diaries_of_the_period(march):
    assert [v.pk for v in report(march, "3").diaries] == [march["reception"].pk]
    assert report(march, "4").diaries == []


def test_compliance_of_the_month(march):
    got = report(march, "3")
    rules = {r["rule"]: (r["met"], r["short"], r["open"]) for r in got.rules}
    # 001: a county leader receives at least once a month — 林县长 did on 10 March.
    assert rules["县(市、区)党政领导干部每月至少安排一次接访群众"] == (1, 0, 0)
    # The yearly research rule is still open in May; no 专题研究 meeting was held in March.
    assert rules["县级领导干部到基层调研每年不少于2个月"] == (0, 0, 1)
    assert rules["县(市、区)委常委会每月要专题研究一次基层和群众反映的突出问题"] == (0, 1, 0)
    assert (got.compliant, got.judged) == (1, 1)
