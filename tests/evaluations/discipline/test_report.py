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


def test_the_demo_page_is_sorted_searched_paged_and_exported(client, questionnaire):
    import io
    from urllib.parse import unquote

    from openpyxl import load_workbook

    from evaluations import demo
    from evaluations.models import Cadre
    from tests.factories import staff_user

    demo.seed()
    county = Cadre.objects.get(code="C001").unit
    client.force_login(staff_user("checker", county, "discipline"))
    page = client.get(f"/staff/discipline/?year={demo.YEAR}").content.decode()
    assert page.count('<section class="card') <= 20 and 'name="year" value="2026"' in page
    export = client.get(f"/staff/discipline/?year={demo.YEAR}&format=xlsx")
    assert "作风纪律与诚信线索-2026" in unquote(export["Content-Disposition"])
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("姓名", "职务", "单位")
    totals = [sum(r[3:]) for r in rows[2:]]
    assert totals == sorted(totals, reverse=True) and totals[0] > 0  # most findings first
    name = rows[2][0]
    found = client.get(f"/staff/discipline/?year={demo.YEAR}&q={name}").content.decode()
    assert found.count('<section class="card') == 1 and name in found
