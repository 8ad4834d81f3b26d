"""Assisted rating (issue 19 §4 and §5): a cadre or grid worker helps a resident rate on the
helper's phone; the response is marked assisted, names the helper and passes the same integrity
rules as a web one.

The embarrassing scenario: a cadre signs in as helper on his own visit: refused; a grid worker
helps 12 elderly residents in an hour: all counted as assisted, none flagged; the same grid
worker submits 30 in 2 minutes: flagged."""

import datetime as dt
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys import integrity, rules
from surveys.assisted.devices import is_rated_cadres_phone, staff_device_hash
from surveys.assisted.models import StaffDevice
from surveys.assisted.services import refusal, submit_assisted
from surveys.models import Response
from surveys.services import Outcome
from tests.factories import CadreFactory, VisitFactory, staff_user

pytestmark = pytest.mark.django_db

ANSWERS = {"attitude": "4", "style": "5", "results": "3", "overall": "basic"}
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def scene(county):
    unit = county["350901"]["village"]
    lead = CadreFactory(unit=unit)
    companion = CadreFactory(unit=unit)
    visit = VisitFactory(lead=lead, target_unit=unit)
    visit.companions.add(companion)
    return {
        "link": visit.rating_link,
        "lead": staff_user("lead", unit, "cadre", cadre=lead),
        "companion": staff_user("companion", unit, "cadre", cadre=companion),
        "grid": staff_user("grid", unit, "grid"),
        "other_cadre": staff_user("other", unit, "cadre", cadre=CadreFactory(unit=unit)),
        "clerk": staff_user("clerk", unit, "personnel"),
    }


def _sign_in(client, username):
    page = client.post(reverse("staff:login"), {"username": username, "password": PASSWORD})
    assert page.status_code == 302, page.status_code
    return client


def _ticket(page):
    return re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)


def _helped(link, helper, at, n=1, seconds=180):
    version = link.questionnaire.latest_published()
    for _ in range(n):
        outcome = submit_assisted(
            link=link,
            version=version,
            submission_id=uuid.uuid4(),
            helper=helper,
            cleaned=ANSWERS,
            seconds_taken=seconds,
        )
        assert outcome is Outcome.STORED
        Response.objects.filter(pk=Response.objects.latest("pk").pk).update(submitted_at=at)
        at += dt.timedelta(seconds=seconds)


# Unit: who may help, and what is stored.


def test_the_rated_cadres_and_other_roles_may_not_help(scene):
    link = scene["link"]
    assert refusal(link, scene["lead"], None) == "rated_account"
    assert refusal(link, scene["companion"], None) == "rated_account"
    assert refusal(link, scene["clerk"], None) == "not_helper"
    assert refusal(link, scene["grid"], None) is None
    assert refusal(link, scene["other_cadre"], None) is None


def test_a_phone_the_rated_cadre_signed_in_on_may_not_help(scene):
    link = scene["link"]
    phone = _sign_in(Client(), "lead")
    device = StaffDevice.objects.get(user=scene["lead"])
    raw = phone.cookies["mp_dev"].value.split(":")[0]  # the sign-in gave the phone its cookie
    assert device.device_hash == staff_device_hash(raw)
    assert is_rated_cadres_phone(link, raw)
    assert refusal(link, scene["grid"], raw) == "rated_phone"
    assert refusal(link, scene["grid"], "another-phone-00000000") is None


def test_help_given_on_a_phone_the_rated_cadre_later_signs_in_on_is_held(scene, monkeypatch):
    """The second outside attack: the grid worker helped on phone D, then 张伟 signed in on
    D: a web rating from D would have been flagged, the assisted one was not. Help typed on D
    (the rating keeps D's per-link key) is now held for review; her help on her own phone is
    not."""
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 0)  # the test answers at once
    link = scene["link"]
    phone = _sign_in(Client(), "grid")
    page = phone.get(reverse("surveys:assist", args=[link.token]))
    assert phone.post(page.request["PATH_INFO"], {**ANSWERS, "ticket": _ticket(page)}).status_code
    helped_here = Response.objects.get()
    own_phone = _sign_in(Client(), "grid")
    page = own_phone.get(reverse("surveys:assist", args=[link.token]))
    own_phone.post(page.request["PATH_INFO"], {**ANSWERS, "ticket": _ticket(page)})
    phone.post(reverse("staff:logout"))
    _sign_in(phone, "lead")
    helped_here.refresh_from_db()
    assert "rated_cadre_phone" in helped_here.flags
    assert helped_here.review == Response.Review.FLAGGED
    assert Response.objects.filter(review=Response.Review.VALID).count() == 1


def test_a_grid_worker_helps_only_in_her_own_grid(scene, county):
    """The second outside attack: 城东社区's grid worker helped on a 南门村 visit. A grid
    worker helps on visits to her unit or below; a cadre goes wherever he is sent."""
    town = county["350901"]["town"]
    elsewhere = VisitFactory(lead=CadreFactory(unit=town), target_unit=town).rating_link
    assert refusal(elsewhere, scene["grid"], None) == "not_her_grid"
    assert refusal(scene["link"], scene["grid"], None) is None
    assert refusal(elsewhere, scene["other_cadre"], None) is None
    phone = _sign_in(Client(), "grid")
    page = phone.get(reverse("surveys:assist", args=[elsewhere.token]))
    assert page.status_code == 403 and "本网格" in page.content.decode()


def test_several_residents_on_one_phone_each_get_their_own_device(scene):
    start = timezone.now() - dt.timedelta(hours=1)
    _helped(scene["link"], scene["grid"], start, n=3)
    rows = Response.objects.filter(link=scene["link"])
    assert rows.count() == 3
    assert {r.channel for r in rows} == {Response.Channel.ASSISTED}
    assert {r.helper_id for r in rows} == {scene["grid"].pk}
    assert len({r.device_id for r in rows}) == 3


def test_the_embarrassing_scenario(scene):
    """A cadre signs in as helper on his own visit: refused; a grid worker helps 12 elderly
    residents in an hour: all counted as assisted, none flagged; the same grid worker submits
    30 in 2 minutes: flagged."""
    link = scene["link"]
    assert refusal(link, scene["lead"], None) == "rated_account"
    start = timezone.now() - dt.timedelta(hours=3)
    _helped(link, scene["grid"], start, n=12, seconds=300)
    integrity.scan_link(link.pk)
    helped = Response.objects.filter(link=link, channel=Response.Channel.ASSISTED)
    assert helped.count() == 12
    assert not helped.exclude(review=Response.Review.VALID).exists()
    later = timezone.now() - dt.timedelta(minutes=30)
    _helped(link, scene["grid"], later, n=30, seconds=4)
    integrity.scan_link(link.pk)
    rushed = helped.filter(submitted_at__gte=later)
    assert rushed.count() == 30
    assert all("helper_pace" in r.flags for r in rushed)
    assert not helped.filter(submitted_at__lt=later, review=Response.Review.FLAGGED).exists()


def test_the_pace_rule_is_per_helper(scene):
    link = scene["link"]
    at = timezone.now() - dt.timedelta(minutes=30)
    n = rules.ASSISTED_PACE_COUNT
    _helped(link, scene["grid"], at, n=n, seconds=60)
    _helped(link, scene["other_cadre"], at, n=n, seconds=60)
    assert integrity.scan_link(link.pk) == {}
    _helped(link, scene["grid"], at + dt.timedelta(minutes=1), n=1, seconds=60)
    assert integrity.scan_link(link.pk) == {"helper_pace": n + 1}


# Views: the offer, the banner, the refusals.


def test_a_signed_in_grid_worker_is_offered_to_help_and_stores_assisted(scene):
    link = scene["link"]
    phone = _sign_in(Client(), "grid")
    page = phone.get(link.get_absolute_url())
    assert "协助居民评价" in page.content.decode()
    assert 'name="ticket"' not in page.content.decode()  # only the offer, no resident's form
    assist = reverse("surveys:assist", args=[link.token])
    for _ in range(2):  # two residents, one phone
        page = phone.get(assist)
        assert page.status_code == 200
        assert "请居民本人回答每一题" in page.content.decode()
        done = phone.post(assist, {**ANSWERS, "ticket": _ticket(page)})
        assert done.status_code == 303 and done["Location"].endswith("?done=1")
    rows = Response.objects.filter(link=link)
    assert [r.channel for r in rows] == [Response.Channel.ASSISTED] * 2
    assert {r.helper_id for r in rows} == {scene["grid"].pk}


def test_a_signed_in_helper_cannot_send_the_plain_form(scene):
    """The second outside attack: the grid worker, signed in, sent the ordinary form (with a
    ticket from the assist page) for a resident: stored as 手机扫码, no helper named."""
    link = scene["link"]
    phone = _sign_in(Client(), "grid")
    ticket = _ticket(phone.get(reverse("surveys:assist", args=[link.token])))
    posted = phone.post(link.get_absolute_url(), {**ANSWERS, "ticket": ticket})
    assert posted.status_code == 403 and "协助居民评价" in posted.content.decode()
    assert not Response.objects.exists()


def test_a_resident_phone_is_not_offered_help(scene):
    page = Client().get(scene["link"].get_absolute_url())
    assert page.status_code == 200 and "协助居民评价" not in page.content.decode()


def test_the_rated_cadre_is_refused_in_chinese(scene):
    phone = _sign_in(Client(), "lead")
    page = phone.get(reverse("surveys:assist", args=[scene["link"].token]))
    assert page.status_code == 403
    assert "不能协助群众评价自己" in page.content.decode()
    assert not Response.objects.exists()


def test_a_grid_worker_on_the_rated_cadres_phone_is_refused(scene):
    phone = _sign_in(Client(), "lead")
    phone.post(reverse("staff:logout"))
    _sign_in(phone, "grid")
    page = phone.get(reverse("surveys:assist", args=[scene["link"].token]))
    assert page.status_code == 403
    assert "这部手机登录过被评价干部的账号" in page.content.decode()


def test_a_plain_rating_from_the_rated_cadres_phone_is_refused(scene):
    phone = _sign_in(Client(), "companion")
    phone.post(reverse("staff:logout"))
    page = phone.get(scene["link"].get_absolute_url())
    assert page.status_code == 403
    assert "这部手机登录过被评价干部的账号" in page.content.decode()
    assert 'name="ticket"' not in page.content.decode()


def test_the_helpers_page_needs_a_sign_in(scene):
    page = Client().get(reverse("surveys:assist", args=[scene["link"].token]))
    assert page.status_code == 302 and "login" in page["Location"]


def test_the_demo_has_a_grid_worker_who_may_help(questionnaire):
    from django.contrib.auth.models import User

    from evaluations import demo
    from surveys.assisted.services import may_assist

    demo.seed()
    grid = User.objects.get(username="wanggeyuan")
    assert grid.staff_profile.roles() == {"grid"} and may_assist(grid)
