"""Paper responses carry their source on the staff pages (issue 19 §5): the visit page counts
手机扫码 / 纸质问卷 / 协助填写, the review queue names each response's channel."""

import pytest

from surveys.models import Response
from tests.factories import staff_user
from tests.inclusive.conftest import rate

pytestmark = pytest.mark.django_db


def test_visit_pages_count_each_channel(client, visit, clerks):
    link = visit.rating_link
    rate(link, Response.Channel.WEB, n=3)
    rate(link, Response.Channel.PAPER, n=2)
    rate(link, Response.Channel.ASSISTED, n=1, helper=clerks[0])
    lead = staff_user("lead", visit.lead.unit, "cadre", cadre=visit.lead)
    client.force_login(lead)
    for url in (f"/staff/me/visits/{visit.pk}/", f"/staff/visits/{visit.pk}/paper/"):
        text = " ".join(client.get(url).content.decode().split())
        assert "手机扫码 <strong>3</strong>" in text
        assert "纸质问卷 <strong>2</strong>" in text
        assert "协助填写 <strong>1</strong>" in text
        assert "/paper/enter/" not in text  # the rated cadre is never offered the entry
    client.force_login(clerks[0])
    assert "/paper/enter/" in client.get(f"/staff/visits/{visit.pk}/paper/").content.decode()


def test_review_queue_names_the_channel(client, visit, clerks):
    rate(visit.rating_link, Response.Channel.PAPER, n=1, seconds=2)  # flagged as a speeder
    client.force_login(clerks[0])
    page = client.get("/staff/review/")
    assert '<td class="channel">纸质问卷</td>' in page.content.decode()


def test_the_visit_counts_only_what_the_reports_count(client, visit, clerks):
    """The second outside attack: 手机扫码 5 on the visit's page, 2 in the reports (three were
    held for review)."""
    link = visit.rating_link
    rate(link, Response.Channel.WEB, n=5)
    Response.objects.filter(pk__in=Response.objects.values("pk")[:3]).update(review="flagged")
    client.force_login(clerks[0])
    text = " ".join(client.get(f"/staff/visits/{visit.pk}/paper/").content.decode().split())
    assert "手机扫码 <strong>2</strong>" in text
