"""纪检监察 reads breaches reported by residents, integrity flags and 走过场 visits, counted
per cadre and never naming who answered."""

import datetime as dt

import pytest

from evaluations.discipline import selectors as discipline
from surveys.models import Answer, Question
from tests.analytics.conftest import add_responses
from tests.factories import CadreFactory, VisitFactory, default_questionnaire, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(world):
    default_questionnaire()
    return world[2]


def answer(response, code, value):
    question = Question.objects.get(version=response.version, code=code)
    Answer.objects.create(response=response, question=question, value=value)


def test_breaches_are_counted_per_cadre(county):
    cadre = CadreFactory(unit=county["350901"]["town"])
    visit = VisitFactory(
        lead=cadre,
        status="done",
        summary="总结",
        start_date=dt.date(2026, 5, 1),
        end_date=dt.date(2026, 5, 1),
    )
    responses = add_responses(visit, [(4, 4, 4)] * 4)
    answer(responses[0], "gifts", "yes")
    answer(responses[1], "gifts", "no")
    answer(responses[2], "gifts", "unknown")
    answer(responses[3], "burden", "yes")
    officer = staff_user("jijian", county["350901"]["county"], "discipline")
    [row] = discipline.report(officer, year=2026)
    assert dict((label, (bad, n)) for label, bad, n in row.breach_rows()) == {
        "接受吃请或收受礼品": (1, 2),
        "增加基层负担": (1, 1),
    }


def test_silent_and_overlapping_visits(county):
    cadre = CadreFactory(unit=county["350901"]["town"])
    day = dt.date(2026, 3, 2)
    long_stay = VisitFactory(
        lead=cadre,
        status="done",
        summary="驻村",
        start_date=day,
        end_date=day + dt.timedelta(days=9),
    )
    VisitFactory(
        lead=cadre,
        status="done",
        summary="调研",
        start_date=day + dt.timedelta(days=1),
        end_date=day + dt.timedelta(days=1),
    )
    later = VisitFactory(
        lead=cadre,
        status="done",
        summary="接访",
        start_date=day + dt.timedelta(days=5),
        end_date=day + dt.timedelta(days=5),
    )
    add_responses(long_stay, [(4, 4, 4)])
    officer = staff_user("jijian", county["350901"]["county"], "discipline")
    [row] = discipline.report(officer, year=2026)
    assert len(row.silent_visits) == 2  # done, and not one resident rated them
    assert (long_stay, later) in row.overlaps and len(row.overlaps) == 2


def test_flags_and_page_scope(client, county):
    cadre = CadreFactory(unit=county["350901"]["town"], name="被核查干部")
    visit = VisitFactory(lead=cadre, status="done", summary="总结")
    for response in add_responses(visit, [(5, 5, 5)] * 2, review="flagged"):
        response.flags = ["device_cluster"]
        response.save()
    client.force_login(staff_user("jijian", county["350901"]["county"], "discipline"))
    html = client.get("/staff/discipline/?year=2026").content.decode()
    assert "被核查干部" in html and "同一网络地址和浏览器特征" in html
    client.force_login(staff_user("outsider", county["350902"]["county"], "discipline"))
    assert "被核查干部" not in client.get("/staff/discipline/?year=2026").content.decode()
    client.force_login(staff_user("cadre", county["350901"]["town"], "cadre", cadre=cadre))
    assert client.get("/staff/discipline/").status_code == 403
