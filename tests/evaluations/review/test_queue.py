"""Flagged responses: kept, excluded from scores, decided by a person with a recorded reason."""

import pytest

from surveys.models import Response, ReviewDecision
from tests.analytics.conftest import add_responses, cadre_with_visit
from tests.factories import default_questionnaire, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(world):
    default_questionnaire()
    _, _, counties = world
    _, visit = cadre_with_visit(counties["350901"]["town"])
    response = add_responses(visit, [(1, 1, 1)], review="flagged")[0]
    response.flags = ["speeder"]
    response.save()
    return counties, response


def test_reviewer_sees_why_and_clears_with_a_reason(client, flagged):
    counties, response = flagged
    officer = staff_user("jijian", counties["350901"]["county"], "discipline")
    client.force_login(officer)
    html = client.get("/staff/review/").content.decode()
    assert "填写用时少于 8 秒" in html
    client.post(f"/staff/review/{response.pk}/", {"decision": "cleared", "reason": "电话回访确认"})
    response.refresh_from_db()
    assert response.review == Response.Review.CLEARED
    decision = ReviewDecision.objects.get()
    assert (decision.reviewer, decision.reason) == (officer, "电话回访确认")


def test_a_reason_is_required(client, flagged):
    counties, response = flagged
    client.force_login(staff_user("jijian", counties["350901"]["county"], "discipline"))
    page = client.post(
        f"/staff/review/{response.pk}/", {"decision": "excluded", "reason": " "}, follow=True
    )
    assert "请写明复核理由" in page.content.decode()
    response.refresh_from_db()
    assert response.review == Response.Review.FLAGGED and not ReviewDecision.objects.exists()


def test_other_county_and_plain_cadres_cannot_review(client, flagged):
    counties, response = flagged
    client.force_login(staff_user("outsider", counties["350902"]["county"], "discipline"))
    assert (
        client.post(
            f"/staff/review/{response.pk}/", {"decision": "cleared", "reason": "x"}
        ).status_code
        == 404
    )
    client.force_login(staff_user("cadre", counties["350901"]["county"], "cadre"))
    assert client.get("/staff/review/").status_code == 403
    response.refresh_from_db()
    assert response.review == Response.Review.FLAGGED


def test_the_queue_is_paged_searched_and_exported(client, flagged):
    import io

    from openpyxl import load_workbook

    from surveys.listing import PAGE_SIZE

    counties, response = flagged
    add_responses(response.link.visit, [(2, 2, 2)] * PAGE_SIZE, review="flagged")
    client.force_login(staff_user("jijian", counties["350901"]["county"], "discipline"))
    html = client.get("/staff/review/").content.decode()
    assert f"共 {PAGE_SIZE + 1} 条" in html and "page=2" in html
    assert "共 0 条" in client.get("/staff/review/?q=没有这个对象").content.decode()
    export = client.get("/staff/review/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("评价对象", "提交时间", "疑点") and len(rows) == PAGE_SIZE + 3
    assert "填写用时少于 8 秒" in rows[2][2]
