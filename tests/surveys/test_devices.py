"""Signals we control: a device cookie we issued and signed, a ticket bound to that device with
a maximum age, time on page from the ticket, the address from our trusted proxy. A POST without
our cookie is kept and flagged, never refused."""

import datetime as dt
import importlib
import uuid

import pytest
from django.core import signing
from django.test import Client

from surveys.forms import TICKET_SALT, read_ticket
from surveys.models import Response
from surveys.rules import TICKET_MAX_AGE
from surveys.services import device_key, keyed_hash
from tests.factories import VisitFactory
from tests.surveys.helpers import ANSWERS, open_form, rate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_speeder_flag(monkeypatch):
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 0)


def aged(ticket: str, *, hours: float) -> str:
    """The same ticket as if the page had been opened `hours` ago (re-signed by us)."""
    payload = signing.loads(ticket, salt=TICKET_SALT)
    payload["t"] -= int(hours * 3600)
    return signing.dumps(payload, salt=TICKET_SALT, compress=True)


def test_the_device_cookie_is_signed_and_the_ticket_bound_to_it(visit):
    phone = Client()
    page, ticket = open_form(phone, visit.rating_link)
    cookie = page.cookies["mp_dev"]
    device = phone.get(visit.rating_link.get_absolute_url()).wsgi_request.get_signed_cookie(
        "mp_dev", salt="surveys.device"
    )
    assert cookie.value != device and device in cookie.value  # value:timestamp:signature
    assert read_ticket(ticket)["d"] == device
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    rate(phone, visit.rating_link, ticket=ticket)
    assert Response.objects.get().device_id == device_key(visit.rating_link.pk, device)


def test_one_phone_on_two_links_leaves_nothing_in_common(visit):
    """Scenario: the raw cookie was stored, identical on every link for ten years, so one
    resident's ratings of different cadres could be joined. Now each link keeps its own keyed
    hash: no stored value holds the cookie, and the two responses share no device value."""
    other = VisitFactory(lead=visit.lead, target_unit=visit.target_unit)
    phone = Client()
    for link in (visit.rating_link, other.rating_link):
        _page, ticket = open_form(phone, link)
        assert rate(phone, link, ticket=ticket).status_code == 200
    device = phone.cookies["mp_dev"].value.split(":")[0]
    stored = list(Response.objects.values_list("device_id", flat=True))
    assert len(stored) == 2 and len(set(stored)) == 2
    assert not any(device in value for value in stored)
    # Still one response per phone per link.
    again = phone.get(visit.rating_link.get_absolute_url()).content.decode()
    assert "这部手机已经评价过本次活动了" in again


def test_an_invented_device_cookie_counts_as_none(visit):
    """A client that types its own `mp_dev` gets no device from it: the GET issues a signed one,
    and a POST that keeps sending the invented one is stored and flagged like a cookie-less one."""
    phone = Client()
    phone.cookies["mp_dev"] = "invented-device-id-0123456789"
    page, ticket = open_form(phone, visit.rating_link)
    assert page.cookies["mp_dev"].value != "invented-device-id-0123456789"
    phone.cookies["mp_dev"] = "invented-device-id-0123456789"
    assert rate(phone, visit.rating_link, ticket=ticket).status_code == 200
    response = Response.objects.get()
    assert response.flags == ["no_device_cookie"] and response.device_id.startswith("nocookie:")
    assert response.review == "flagged"


def test_a_cookie_less_post_is_kept_and_flagged_not_a_csrf_403(visit):
    """The README's promise: a phone that keeps no cookies is heard (Django's CSRF check would
    refuse it in English)."""
    phone = Client(enforce_csrf_checks=True)
    _, ticket = open_form(phone, visit.rating_link)
    phone.cookies.clear()
    answer = phone.post(
        visit.rating_link.get_absolute_url(), {**ANSWERS, "ticket": ticket}, follow=True
    )
    assert answer.status_code == 200 and "评价已收到" in answer.content.decode()
    assert Response.objects.get().flags == ["no_device_cookie"]


@pytest.mark.parametrize("path", ["/b/", "/b/receipt/", "/staff/login/"])
def test_a_cookie_less_form_gets_a_chinese_page_that_explains(path):
    """Scenario: a voter whose browser keeps no cookies posted the ballot code and got Django's
    English developer 403 ("CSRF verification failed"). Now a Chinese page says what happened
    and how to allow cookies, with the way back to the form; nothing is stored."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.post(path, {"code": "K7QM3-XR9TC"})
    html = page.content.decode()
    assert page.status_code == 403
    assert "这一步需要浏览器保存一个小文件（Cookie）" in html and f'href="{path}"' in html
    assert "CSRF" not in html and "Forbidden" not in html
    english = browser.post(path, {"code": "K7QM3-XR9TC"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "keep a small file (a cookie)" in english.content.decode()


def test_a_ticket_fetched_by_another_device_is_not_accepted(visit):
    """Phone A's ticket posted from phone B (with its own cookie): the form again, answers kept,
    with a ticket for B; nothing stored until B sends it."""
    a, b = Client(), Client()
    _, ticket_a = open_form(a, visit.rating_link)
    open_form(b, visit.rating_link)
    page = rate(b, visit.rating_link, ticket=ticket_a)
    assert page.status_code == 400 and "页面已过期" in page.content.decode()
    assert Response.objects.count() == 0
    ticket_b = page.content.decode().split('name="ticket" value="')[1].split('"')[0]
    assert rate(b, visit.rating_link, ticket=ticket_b).status_code == 200
    assert Response.objects.count() == 1


def test_a_page_opened_at_the_meeting_can_be_sent_that_evening(visit):
    """Opened at 9:00, sent at 21:00 (12 hours): stored, 43,200 seconds on the page."""
    phone = Client()
    _, ticket = open_form(phone, visit.rating_link)
    assert rate(phone, visit.rating_link, ticket=aged(ticket, hours=12)).status_code == 200
    assert 12 * 3600 <= Response.objects.get().seconds_taken <= 12 * 3600 + 2


def test_a_ticket_older_than_a_day_shows_the_form_again(visit):
    phone = Client()
    _, ticket = open_form(phone, visit.rating_link)
    hours = TICKET_MAX_AGE / dt.timedelta(hours=1) + 1
    page = rate(phone, visit.rating_link, ticket=aged(ticket, hours=hours))
    assert page.status_code == 400 and "路灯修好了" in page.content.decode()
    assert Response.objects.count() == 0


def test_time_on_page_comes_from_the_ticket(visit, monkeypatch):
    """A page opened 9 s before sending: 9 s taken; under 8 s it is a speeder."""
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 8)
    phone = Client()
    _, ticket = open_form(phone, visit.rating_link)
    rate(phone, visit.rating_link, ticket=aged(ticket, hours=9 / 3600))
    quick = Client()
    _, ticket = open_form(quick, visit.rating_link)
    rate(quick, visit.rating_link, ticket=aged(ticket, hours=5 / 3600))
    (slow, slow_flags), (fast, fast_flags) = Response.objects.order_by("pk").values_list(
        "seconds_taken", "flags"
    )
    assert 9 <= slow <= 10 and slow_flags == []
    assert 5 <= fast <= 6 and fast_flags == ["speeder"]


def test_the_address_is_read_from_the_trusted_proxy(visit, settings):
    """Behind our load balancer every socket address is the proxy's; the stored hash is the
    client's, as our proxy appended it, never what the phone typed."""
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    phone = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    rate(phone, visit.rating_link)
    assert Response.objects.get().ip_hash == keyed_hash("203.0.113.9")


def test_the_migration_replaces_stored_cookies_by_their_hash_per_link(visit):
    """Rows stored before the change held the raw cookie; the data migration re-keys them so the
    value a returning phone is looked up by matches, and cookie-less rows stay as they were."""
    from django.apps import apps

    migration = importlib.import_module("surveys.migrations.0007_device_per_link")
    link = visit.rating_link
    version = link.questionnaire.versions.first()
    old, none = (
        Response.objects.create(link=link, version=version, device_id=d, submission_id=uuid.uuid4())
        for d in ("a" * 22, "nocookie:abc")
    )
    migration.hash_devices(apps, None)
    old.refresh_from_db(), none.refresh_from_db()
    assert old.device_id == device_key(link.pk, "a" * 22)
    assert none.device_id == "nocookie:abc"
