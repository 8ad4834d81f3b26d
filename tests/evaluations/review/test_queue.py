"""Flagged responses: kept, excluded from scores, decided by a person with a recorded reason."""

import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone

from analytics.frames import SYSTEM, scoped_responses
from surveys.models import Flag, Response, ReviewDecision
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


# --- clusters: one decision, one reason, every response logged ---------------------------------


@pytest.fixture
def serial_cluster(world):
    """On one visit: 2 genuine responses and 6 from one phone, one page after the other (each
    opened 3 s after the last was sent, 9 s on the page), found by the scan."""
    from surveys import integrity

    default_questionnaire()
    _, _, counties = world
    _, visit = cadre_with_visit(counties["350901"]["town"])
    genuine = add_responses(visit, [(5, 5, 5), (4, 4, 4)])
    fakes = add_responses(visit, [(1, 1, 1)] * 6)
    start = timezone.make_aware(dt.datetime(2026, 6, 15, 20))
    for i, response in enumerate(fakes):
        Response.objects.filter(pk=response.pk).update(
            ip_hash="h-office",
            seconds_taken=9,
            submitted_at=start + dt.timedelta(seconds=9 + i * 12),
        )
    integrity.scan_link(visit.rating_link_id)
    return counties, visit, genuine, fakes


def test_a_cluster_is_shown_with_its_evidence_and_excluded_in_one_decision(
    client, serial_cluster, django_assert_max_num_queries
):
    """The reviewer sees one cluster of 6 with the numbers, excludes it with one reason: 6
    decisions recorded (same reason, reviewer, cluster), the genuine 2 untouched, and the
    official responses (what the scores read) are the 2."""
    counties, visit, genuine, fakes = serial_cluster
    officer = staff_user("jijian", counties["350901"]["county"], "discipline")
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        html = client.get("/staff/review/").content.decode()
    assert "一份接一份地提交了 6 份评价" in html and "整组排除" in html
    cluster = Flag.objects.filter(response=fakes[0]).get().cluster
    page = client.post(
        "/staff/review/cluster/",
        {
            "link": visit.rating_link_id,
            "cluster": cluster,
            "decision": "excluded",
            "reason": "同一手机清除记录后连续评价",
        },
        follow=True,
    )
    assert "共 6 份评价" in page.content.decode()
    decisions = ReviewDecision.objects.all()
    assert {(d.response_id, d.decision) for d in decisions} == {(f.pk, "excluded") for f in fakes}
    assert {(d.reason, d.reviewer, d.cluster) for d in decisions} == {
        ("同一手机清除记录后连续评价", officer, cluster)
    }
    official = scoped_responses(SYSTEM, year=2026).filter(link=visit.rating_link)
    assert set(official.values_list("pk", flat=True)) == {g.pk for g in genuine}


def test_clearing_a_cluster_counts_it_again(client, serial_cluster):
    counties, visit, _, fakes = serial_cluster
    client.force_login(staff_user("renshi", counties["350901"]["county"], "personnel"))
    cluster = Flag.objects.filter(response=fakes[0]).get().cluster
    client.post(
        "/staff/review/cluster/",
        {
            "link": visit.rating_link_id,
            "cluster": cluster,
            "decision": "cleared",
            "reason": "回访确认是一家六口",
        },
    )
    official = scoped_responses(SYSTEM, year=2026).filter(link=visit.rating_link)
    assert official.count() == 8


def test_a_cluster_needs_a_reason_and_stays_in_the_reviewers_county(client, serial_cluster):
    counties, visit, _, fakes = serial_cluster
    cluster = Flag.objects.filter(response=fakes[0]).get().cluster
    data = {"link": visit.rating_link_id, "cluster": cluster, "decision": "excluded"}
    client.force_login(staff_user("jijian", counties["350901"]["county"], "discipline"))
    page = client.post("/staff/review/cluster/", {**data, "reason": " "}, follow=True)
    assert "请写明复核理由" in page.content.decode()
    client.force_login(staff_user("outsider", counties["350902"]["county"], "discipline"))
    page = client.post("/staff/review/cluster/", {**data, "reason": "x"}, follow=True)
    assert "已经复核过了" in page.content.decode()
    assert not ReviewDecision.objects.exists()
    assert Response.objects.filter(review="flagged").count() == 6


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
    Response.objects.update(submitted_at=F("submitted_at") + dt.timedelta(seconds=17.25))
    export = client.get("/staff/review/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("评价对象", "提交时间", "评价渠道", "疑点") and len(rows) == PAGE_SIZE + 3
    assert rows[2][2] == "手机扫码" and "填写用时少于 8 秒" in rows[2][3]
    # Times to the minute: an access log line (to the second) matches no exported row.
    assert all(row[1].second == 0 and row[1].microsecond == 0 for row in rows[2:])


def test_the_queue_filters_by_doubt_and_year_and_the_export_follows(client, flagged):
    import io

    from openpyxl import load_workbook

    counties, response = flagged
    others = add_responses(response.link.visit, [(2, 2, 2)] * 3, review="flagged")
    for other in others:
        other.flags = ["serial"]
        other.submitted_at = other.submitted_at.replace(year=2024)
        other.save()
        Flag.objects.create(response=other, code="serial", cluster="serial-1")
    Flag.objects.create(response=response, code="speeder", cluster="speeder-1")
    client.force_login(staff_user("jijian", counties["350901"]["county"], "discipline"))
    page = client.get("/staff/review/").content.decode()
    assert 'id="list-flag"' in page and 'id="list-year"' in page and "共 4 条" in page
    assert "共 3 条" in client.get("/staff/review/?flag=serial").content.decode()
    assert "共 1 条" in client.get("/staff/review/?flag=speeder").content.decode()
    assert "共 3 条" in client.get("/staff/review/?year=2024").content.decode()
    export = client.get("/staff/review/?flag=serial&sort=-submitted&format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))[2:]
    assert len(rows) == 3 and all("同一网络地址" in row[3] for row in rows)
    assert [row[1] for row in rows] == sorted((row[1] for row in rows), reverse=True)
