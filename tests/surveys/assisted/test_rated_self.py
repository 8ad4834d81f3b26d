"""The rated cadre never rates himself (the outside attack on issue 19).

The embarrassing scenarios, each once possible: 张伟 signed in, deleted only the device cookie and
rated his own visit — it counted as 手机扫码; a phone rated 张伟's visit and then 张伟 signed in
on it — nothing was flagged; 张伟 printed numbered paper sheets of his own visit for his people
to fill."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from surveys.models import Flag, Response
from tests.factories import CadreFactory, VisitFactory, staff_user
from tests.surveys.assisted.test_assisted import ANSWERS, PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_speeder_flag(monkeypatch):
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 0)  # tests answer at once


@pytest.fixture
def own_visit(county):
    unit = county["350901"]["village"]
    lead = CadreFactory(unit=unit)
    visit = VisitFactory(lead=lead, target_unit=unit)
    return visit, staff_user("lead", unit, "cadre", cadre=lead)


def _sign_in(client, username):
    assert (
        client.post(
            reverse("staff:login"), {"username": username, "password": PASSWORD}
        ).status_code
        == 302
    )


def test_a_signed_in_rated_cadre_without_a_device_cookie_is_refused(own_visit):
    visit, lead = own_visit
    client = Client()
    _sign_in(client, lead.username)
    client.cookies.pop("mp_dev", None)  # the attack: only the device cookie deleted
    page = client.get(visit.rating_link.get_absolute_url())  # he may see what residents see
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)
    posted = client.post(visit.rating_link.get_absolute_url(), {**ANSWERS, "ticket": ticket})
    assert posted.status_code == 403
    assert "不能评价自己" in posted.content.decode()
    assert not Response.objects.exists()


def test_a_phone_that_rated_before_the_cadre_signed_in_on_it_is_held_for_review(own_visit):
    visit, lead = own_visit
    phone = Client()
    page = phone.get(visit.rating_link.get_absolute_url())
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)
    phone.post(visit.rating_link.get_absolute_url(), {**ANSWERS, "ticket": ticket})
    rated = Response.objects.get()
    assert rated.review == Response.Review.VALID
    other = Client()  # another phone rated too: untouched
    page = other.get(visit.rating_link.get_absolute_url())
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)
    other.post(visit.rating_link.get_absolute_url(), {**ANSWERS, "ticket": ticket})
    _sign_in(phone, lead.username)
    rated.refresh_from_db()
    assert rated.review == Response.Review.FLAGGED and "rated_cadre_phone" in rated.flags
    assert Flag.objects.filter(code="rated_cadre_phone").count() == 1
    assert Response.objects.filter(review=Response.Review.VALID).count() == 1


def _ticket(page) -> str:
    return re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)


def test_the_cadres_phone_gets_no_fresh_ticket_from_a_stale_one(own_visit):
    """The second outside attack: 张伟 signed in and out on his phone; its GET was refused,
    but a POST with a garbage ticket answered 页面已过期 with a fresh ticket for that phone,
    which then stored a 手机扫码 rating of his own visit, valid and unflagged."""
    visit, lead = own_visit
    phone = Client()
    _sign_in(phone, lead.username)
    phone.post(reverse("staff:logout"))
    url = visit.rating_link.get_absolute_url()
    assert phone.get(url).status_code == 403
    stale = phone.post(url, {**ANSWERS, "ticket": "x"})
    assert stale.status_code == 403 and 'name="ticket"' not in stale.content.decode()
    assert not Response.objects.exists()


def test_a_ticket_issued_before_the_cadre_signed_in_stores_nothing_after(own_visit):
    """A ticket is good for a day: one the phone got before 张伟 first signed in on it must
    not let that phone rate his visit once it is known to be his (plain path included)."""
    visit, lead = own_visit
    phone = Client()
    url = visit.rating_link.get_absolute_url()
    ticket = _ticket(phone.get(url))
    _sign_in(phone, lead.username)
    phone.post(reverse("staff:logout"))
    posted = phone.post(url, {**ANSWERS, "ticket": ticket})
    assert posted.status_code == 403
    assert not Response.objects.exists()


def test_another_staff_members_phone_rates_but_is_held_for_review(own_visit, county):
    """The insert screens every staff phone; the full path then keeps a phone whose staff
    account is not one the link rates, held for review: the second outside attack had the
    grid worker sign out and rate for a resident as 手机扫码, and 组织部 rate signed in."""
    visit, _lead = own_visit
    url = visit.rating_link.get_absolute_url()
    grid = staff_user("grid", county["350901"]["village"], "grid")
    phone = Client()
    _sign_in(phone, grid.username)
    phone.post(reverse("staff:logout"))
    assert phone.post(url, {**ANSWERS, "ticket": _ticket(phone.get(url))}).status_code == 303
    officer = Client()
    _sign_in(officer, staff_user("officer", county["350901"]["county"], "personnel").username)
    assert officer.post(url, {**ANSWERS, "ticket": _ticket(officer.get(url))}).status_code == 303
    rows = Response.objects.all()
    assert [(r.channel, r.review, r.flags) for r in rows] == [
        (Response.Channel.WEB, Response.Review.FLAGGED, ["staff_phone"])
    ] * 2
    resident = Client()
    assert resident.post(url, {**ANSWERS, "ticket": _ticket(resident.get(url))}).status_code == 303
    assert Response.objects.filter(review=Response.Review.VALID).count() == 1


def test_the_rated_cadre_prints_no_paper_sheets_of_his_own_visit(own_visit):
    visit, lead = own_visit
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("staff:visit_paper", args=[visit.pk]))
    assert page.status_code == 200
    assert reverse("staff:visit_paper_print", args=[visit.pk]) not in page.content.decode()
    printed = client.post(
        reverse("staff:visit_paper_print", args=[visit.pk]), {"count": 2, "size": "a5"}
    )
    assert printed.status_code == 403
    assert not visit.rating_link.paper_batches.exists()


def test_a_resident_without_a_session_pays_no_account_query(own_visit):
    """The check reads the account only when the browser sends a staff session cookie."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    visit, _lead = own_visit
    client = Client()
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    with CaptureQueriesContext(connection) as queries:
        assert client.get(visit.rating_link.get_absolute_url()).status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert len(queries.captured_queries) <= 4
    assert "django_session" not in sql and "auth_user" not in sql


def test_a_grid_worker_lands_on_a_home_that_says_how_to_help(county):
    """The attack: the grid worker's sign-in led to 无权访问 on /staff/ and its link looped."""
    grid = staff_user("grid-home", county["350901"]["village"], "grid")
    client = Client()
    client.force_login(grid)
    page = client.get(reverse("staff:home"))
    assert page.status_code == 200
    assert 'id="grid-help"' in page.content.decode() and "协助居民评价" in page.content.decode()
