"""Staff pages of the problem ledger (evaluations/views/cases.py)."""

import datetime as dt

import pytest
from django.urls import reverse

from evaluations.cases import services as cases
from evaluations.models import Case
from tests import factories
from tests.evaluations.cases.helpers import new_case, rate_handling, visit_in

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def people(world):
    _province, _city, counties = world
    here, far = counties["350901"], counties["350902"]
    lead = factories.CadreFactory(unit=here["county"], name="林县长")
    return {
        "here": here,
        "far": far,
        "visit": visit_in(here["village"], day=DAY, lead=lead),
        "officer": factories.staff_user("officer", here["county"], "personnel"),
        "outsider": factories.staff_user("outsider", far["county"], "personnel"),
        "lead": factories.staff_user("lead", here["county"], "cadre", cadre=lead),
    }


def test_another_countys_officer_gets_404_and_sees_nothing(client, people):
    case = new_case(people["visit"], title="清溪县的问题")
    client.force_login(people["outsider"])
    assert client.get(reverse("staff:case_detail", args=[case.pk])).status_code == 404
    post = client.post(reverse("staff:case_action", args=[case.pk, "accept"]), {"note": ""})
    assert post.status_code == 404
    assert Case.objects.get(pk=case.pk).status == Case.Status.RECEIVED
    assert "清溪县的问题" not in client.get(reverse("staff:cases")).content.decode()
    client.force_login(people["officer"])
    assert "清溪县的问题" in client.get(reverse("staff:cases")).content.decode()


def test_ledger_query_count_does_not_grow_with_cases(client, people, django_assert_max_num_queries):
    client.force_login(people["officer"])
    leader = factories.CadreFactory(unit=people["here"]["county"])
    new_case(people["visit"])
    # The year filter reads the years that have cases: one query, however many cases.
    with django_assert_max_num_queries(9):
        assert client.get(reverse("staff:cases")).status_code == 200
    for i in range(40):
        case = cases.accept(case=new_case(people["visit"], title=f"问题{i}"))
        if i % 2:
            cases.assign(case=case, responsible=leader)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("staff:cases"), {"status": "assigned"})
    assert page.status_code == 200 and page.content.decode().count("超期</span>") == 20
    with django_assert_max_num_queries(9):
        assert client.get(reverse("staff:cases_overdue")).status_code == 200


def test_detail_shows_history_actions_and_the_handling_qr(client, people):
    case = new_case(people["visit"], title="水渠堵塞", actor=people["lead"])
    client.force_login(people["officer"])
    page = client.get(reverse("staff:case_detail", args=[case.pk])).content.decode()
    assert "水渠堵塞" in page and "下基层活动中干部登记" in page
    assert f"/r/{case.rating_link.token}/qr.png" not in page  # offered once 办结
    assert "问题办结后" in page
    for action in ("accept", "decline", "solve_on_spot"):
        assert reverse("staff:case_action", args=[case.pk, action]) in page
    assert reverse("staff:case_action", args=[case.pk, "close"]) not in page
    cases.solve_on_spot(case=case, result="当场疏通", actor=people["officer"])
    page = client.get(reverse("staff:case_detail", args=[case.pk])).content.decode()
    assert f"/r/{case.rating_link.token}/qr.png" in page
    assert client.get(f"/r/{case.rating_link.token}/qr.png")["Content-Type"] == "image/png"


def test_actions_through_the_page(client, people):
    case = new_case(people["visit"])
    client.force_login(people["officer"])
    url = reverse("staff:case_action", args=[case.pk, "decline"])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and Case.objects.get(pk=case.pk).status == "received"
    client.post(reverse("staff:case_action", args=[case.pk, "accept"]), {"note": "当面受理"})
    leader = people["visit"].lead
    client.post(
        reverse("staff:case_action", args=[case.pk, "assign"]),
        {"responsible": leader.pk, "deadline": "", "note": ""},
    )
    wrong = client.post(
        reverse("staff:case_action", args=[case.pk, "escalate"]),
        {"to_unit": people["far"]["county"].pk},
    )
    assert wrong.status_code == 400  # not a unit above this case: not even offered
    client.post(
        reverse("staff:case_action", args=[case.pk, "close"]),
        {"result": "已修复", "closed_on": "2026-03-20"},
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.responsible == leader
    assert case.deadline == dt.date(2026, 4, 2) and case.closed_on == dt.date(2026, 3, 20)
    assert list(case.events.values_list("actor__username", flat=True)) == [None] + ["officer"] * 3
    again = client.post(
        reverse("staff:case_action", args=[case.pk, "close"]),
        {"result": "x", "closed_on": "2026-03-21"},
        follow=True,
    )
    assert "不能" in again.content.decode()


def test_a_cadre_logs_a_case_from_his_visit_with_consented_contact(client, people):
    client.force_login(people["lead"])
    visit = people["visit"]
    form = client.get(reverse("staff:case_new"), {"visit": visit.pk}).content.decode()
    assert "180 天后自动删除" in form
    data = {
        "visit": visit.pk,
        "title": "灌溉水渠堵塞",
        "raised_on": "2026-03-02",
        "contact_phone": "13812341234",
        "contact_name": "张三",
    }
    refused = client.post(reverse("staff:case_new"), data)
    assert refused.status_code == 200 and not Case.objects.exists()
    response = client.post(reverse("staff:case_new"), {**data, "contact_consent": "on"})
    case = Case.objects.get()
    assert response.url == reverse("staff:case_detail", args=[case.pk])
    assert case.raised_with == visit.lead and case.events.get().actor == people["lead"]
    assert "13812341234" in client.get(response.url).content.decode()  # he calls back
    client.force_login(people["officer"])
    page = client.get(response.url).content.decode()
    assert "138****1234" in page and "13812341234" not in page and "张*" in page


def test_a_cadre_cannot_log_a_case_on_someone_elses_visit(client, people):
    other = visit_in(people["here"]["village"], day=DAY)
    client.force_login(people["lead"])
    data = {"visit": other.pk, "title": "问题", "raised_on": "2026-03-02"}
    assert client.post(reverse("staff:case_new"), data).status_code == 200
    assert not Case.objects.exists()


def test_metrics_page_per_unit_and_cadre(client, people, django_assert_max_num_queries):
    visit = people["visit"]
    solved = cases.solve_on_spot(case=new_case(visit), result="当场解决")
    cases.accept(case=new_case(visit))
    cases.decline(case=new_case(visit), reason="不属于本级")
    rate_handling(solved, "4")
    client.force_login(people["officer"])
    with django_assert_max_num_queries(11):  # + the reception days
        page = client.get(reverse("staff:case_metrics"), {"year": 2026}).content.decode()
    assert "66.7%" in page  # 受理率 2/3
    assert "50.0%" in page  # 当场解决率 1/2
    assert "100.0%" in page  # 满意率 1/1
    assert people["here"]["town"].name in page and "林县长" in page
    client.force_login(people["outsider"])
    assert (
        "林县长" not in client.get(reverse("staff:case_metrics"), {"year": 2026}).content.decode()
    )


def test_detail_ids_are_unique_across_its_action_forms(client, people):
    import collections
    import re

    case = new_case(people["visit"], title="水渠堵塞", actor=people["lead"])
    cases.accept(case=case, actor=people["officer"], note="")
    client.force_login(people["officer"])
    page = client.get(reverse("staff:case_detail", args=[case.pk])).content.decode()
    assert page.count("<form") >= 4  # assign, escalate, solve, close
    ids = collections.Counter(re.findall(r'\sid="([^"]+)"', page))
    assert ids and [i for i, n in ids.items() if n > 1] == []
    for label_for in re.findall(r'<label[^>]*\sfor="([^"]+)"', page):
        assert label_for in ids  # every label still points at its own control


def test_the_ledger_is_searched_filtered_sorted_and_exported(client, people):
    import io
    from urllib.parse import unquote

    from openpyxl import load_workbook

    for title in ("水渠堵塞", "路灯不亮", "垃圾清运"):
        new_case(people["visit"], title=title, actor=people["lead"])
    client.force_login(people["officer"])
    found = client.get("/staff/cases/?q=路灯").content.decode()
    assert "路灯不亮" in found and "水渠堵塞" not in found and "共 1 条" in found
    ordered = client.get("/staff/cases/?sort=raised").content.decode()
    assert "水渠堵塞" in ordered and 'value="raised" selected' in ordered
    export = client.get("/staff/cases/?q=水渠&format=xlsx")
    assert "问题台账" in unquote(export["Content-Disposition"])
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("反映日期", "问题", "所在单位") and rows[2][1] == "水渠堵塞"
    assert rows[1][-1] == "超期" and rows[2][-1] in ("是", "否")  # yes/no in words
    assert len(rows) == 3
    new_case(people["visit"], title="下水道\x01\x08堵了", actor=people["lead"])
    export = client.get("/staff/cases/?q=下水道&format=xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[2][1] == "下水道\ufffd\ufffd堵了"
