"""Confirmation pages before opening and closing a vote, with turnout and quorum; closing below
quorum needs an explicit acknowledgement (issue 17 §6)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from evaluations.models import AppraisalLog
from surveys.ballots.models import BallotBox
from tests.evaluations.appraisal.helpers import branch_of, issue, make_session, secretary, vote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def shuji(world):
    return secretary(branch_of(world)[0])


def test_opening_shows_a_confirmation_page_first(client, world, shuji):
    session = make_session(branch_of(world)[0], shuji, open_it=False)
    client.force_login(shuji)
    url = reverse("staff:appraisal_open", args=[session.pk])
    detail = client.get(reverse("staff:appraisal_detail", args=[session.pk])).content.decode()
    assert f'href="{url}"' in detail  # a link to the confirmation, no longer a one-click POST
    page = client.get(url).content.decode()
    assert "确认开始投票" in page and "还没有发放投票码" in page
    session.box.refresh_from_db()
    assert session.box.status == BallotBox.Status.DRAFT
    client.post(url)
    session.box.refresh_from_db()
    assert session.box.status == BallotBox.Status.OPEN


def test_closing_below_quorum_asks_for_acknowledgement(client, world, shuji):
    session = make_session(branch_of(world)[0], shuji, groups=(("党员", 9, 1),))
    codes = issue(session, shuji, count=9)
    for code in codes[:2]:  # 2 of 9: 22 %, below "more than half"
        vote(session, code, "qualified", "qualified", "qualified")
    client.force_login(shuji)
    url = reverse("staff:appraisal_close", args=[session.pk])
    page = client.get(url).content.decode()
    assert 'data-quorum="short"' in page
    assert "22.2%" in page and "至少 5 人" in page
    refused = client.post(url).content.decode()
    assert "请先勾选确认" in refused
    session.box.refresh_from_db()
    assert session.box.status == BallotBox.Status.OPEN
    client.post(url, {"below_quorum": "1"})
    session.box.refresh_from_db()
    assert session.box.status == BallotBox.Status.CLOSED
    assert session.log.filter(action=AppraisalLog.Action.CLOSED).count() == 1


def test_closing_at_quorum_needs_no_acknowledgement(client, world, shuji):
    session = make_session(branch_of(world)[0], shuji, groups=(("党员", 3, 1),))
    for code in issue(session, shuji, count=3)[:2]:
        vote(session, code, "qualified", "qualified", "qualified")
    client.force_login(shuji)
    url = reverse("staff:appraisal_close", args=[session.pk])
    page = client.get(url).content.decode()
    assert 'data-quorum="met"' in page and "未达到法定人数" not in page
    client.post(url)
    session.box.refresh_from_db()
    assert session.box.status == BallotBox.Status.CLOSED


def test_readers_cannot_open_the_confirmation(client, world, shuji):
    from tests.factories import staff_user

    session = make_session(branch_of(world)[0], shuji)
    client.force_login(staff_user("zzb", branch_of(world)[0].parent.parent, "personnel"))
    assert client.get(reverse("staff:appraisal_close", args=[session.pk])).status_code == 403


def test_a_closed_session_has_no_confirmation_page(client, world, shuji):
    session = make_session(branch_of(world)[0], shuji)
    client.force_login(shuji)
    client.post(reverse("staff:appraisal_close", args=[session.pk]), {"below_quorum": "1"})
    for name in ("staff:appraisal_close", "staff:appraisal_open"):
        page = client.get(reverse(name, args=[session.pk]))
        assert page.status_code == 302
        assert page.url == reverse("staff:appraisal_detail", args=[session.pk])
