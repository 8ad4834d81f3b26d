"""Limits that stop attackers, not voters (issue 14 §9)."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from surveys.ballots import codes, throttle
from surveys.ballots import services as voting
from surveys.ballots.checks import shared_cache_for_limits
from surveys.ballots.models import Ballot, BallotBox
from tests.factories import staff_user
from tests.surveys.ballots.test_voting import OPTIONS, VOTE, issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def box():
    box = BallotBox.objects.create(title="上坪村党支部民主评议党员", options=OPTIONS)
    voting.open_box(box=box)
    return box


def vote(client, code, **extra):
    return client.post("/b/", {"code": code, "vote": "1", **VOTE}, **extra)


def test_a_flood_of_wrong_codes_never_stops_a_valid_code(client, box):
    """Scenario: about 1,000 wrong codes from 97 addresses paused voting site-wide; a fresh
    address with a valid code was refused. Now the valid code votes; guesses stay refused."""
    code = issue(box, 1)[0]
    for i in range(1000):
        throttle.record_guess(f"10.9.{i % 97}.1")
    assert client.post("/b/", {"code": codes.new_code()}).status_code == 429
    assert vote(client, code, REMOTE_ADDR="192.0.2.7").status_code == 200
    assert Ballot.objects.filter(box=box).count() == 1


def test_a_blocked_address_still_votes_with_its_valid_code(client, box, settings):
    settings.BALLOT_GUESSES_PER_ADDRESS = 3
    code = issue(box, 1)[0]
    for _ in range(4):
        client.post("/b/", {"code": codes.new_code()})
    assert client.post("/b/", {"code": codes.new_code()}).status_code == 429
    assert vote(client, code).status_code == 200


def test_guesses_spread_over_addresses_are_limited_per_box(client, box, settings):
    """Scenario: a script aims wrong codes at one box from 40 addresses, two each, under every
    address limit. The box's own counter stops it at 30; guesses at another box, and the box's
    valid codes, are untouched."""
    settings.BALLOT_GUESSES_PER_ADDRESS, settings.BALLOT_GUESSES_PER_BOX = 3, 30
    code = issue(box, 1)[0]
    tag = codes.box_tag(box.pk)
    assert codes.tag_of(codes.normalize(code)) == tag
    statuses = [
        client.post(
            "/b/", {"code": codes.new_code(tag)}, REMOTE_ADDR=f"10.7.{i // 2}.1"
        ).status_code
        for i in range(40)
    ]
    assert statuses[:30] == [400] * 30 and set(statuses[30:]) == {429}
    other = next(t for t in ("22", "23", "24") if t != tag)
    assert (
        client.post("/b/", {"code": codes.new_code(other)}, REMOTE_ADDR="10.8.0.1").status_code
        == 400
    )
    assert vote(client, code, REMOTE_ADDR="10.8.0.2").status_code == 200


def test_codes_of_a_box_share_its_keyed_tag(box):
    other = BallotBox.objects.create(title="另一个票箱", options=OPTIONS)
    tags = {codes.tag_of(codes.normalize(c)) for c in issue(box, 20)}
    assert tags == {codes.box_tag(box.pk)}
    assert all(codes.is_well_formed(codes.new_code(codes.box_tag(other.pk))) for _ in range(50))


def test_behind_the_proxy_each_client_has_its_own_limit(client, box, settings):
    """Scenario: behind one load balancer address everyone shared one limit."""
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "HTTP_X_FORWARDED_FOR", 1
    settings.BALLOT_GUESSES_PER_ADDRESS = 3
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(4):
        client.post("/b/", {"code": codes.new_code()}, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    guesser = client.post(
        "/b/", {"code": codes.new_code()}, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy
    )
    neighbour = client.post(
        "/b/", {"code": codes.new_code()}, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy
    )
    assert (guesser.status_code, neighbour.status_code) == (429, 400)


def test_an_ipv6_guesser_cannot_rotate_inside_its_64(box, settings):
    settings.BALLOT_GUESSES_PER_ADDRESS = 3
    for i in range(3):
        throttle.record_guess(f"2001:db8:1:2::{i + 1:x}")
    assert throttle.blocked("2001:db8:1:2::ffff")
    assert not throttle.blocked("2001:db8:1:3::1")


def test_logins_lock_by_account_and_address_together(client, world):
    """Scenario: five wrong passwords from anywhere locked the account for an hour."""
    _, _, counties = world
    staff_user("officer", counties["350901"]["county"], "personnel")
    url = reverse("staff:login")
    for _ in range(6):
        client.post(url, {"username": "officer", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    locked = client.post(
        url, {"username": "officer", "password": "pw-for-tests-1"}, REMOTE_ADDR="203.0.113.9"
    )
    assert locked.status_code in (403, 429)
    assert "密码错误次数过多" in locked.content.decode()  # not axes' English sentence
    assert "连续输错 5 次" in locked.content.decode()
    owner = client.post(
        url, {"username": "officer", "password": "pw-for-tests-1"}, REMOTE_ADDR="192.0.2.10"
    )
    assert owner.status_code == 302


def test_several_processes_need_a_shared_cache():
    """Scenario: four workers with local-memory caches let one address guess 40 times."""
    assert shared_cache_for_limits() == []  # one process, as `make check-deploy` declares
    with override_settings(WEB_CONCURRENCY=4):
        assert [e.id for e in shared_cache_for_limits()] == ["surveys.E014"]
    redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    with override_settings(APP_SERVERS=3, CACHES=redis):
        assert shared_cache_for_limits() == []
