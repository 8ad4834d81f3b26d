"""Integrity checks flag, never reject: clusters behind one device signature, duplicated
comments, bursts; all-5 answers alone are never flagged."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from surveys import integrity
from surveys.models import Response
from tests.surveys.helpers import ANSWERS, rate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_speeder_flag(monkeypatch):
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 0)


def phones(n, **extra):
    return [
        Client(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0 MicroMessenger", **extra)
        for _ in range(n)
    ]


def test_many_ratings_behind_one_device_signature_are_kept_and_flagged(visit):
    for phone in phones(integrity.CLUSTER_COUNT):
        assert rate(phone, visit.rating_link).status_code == 200
    assert Response.objects.count() == integrity.CLUSTER_COUNT  # nothing refused
    assert {tuple(r.flags) for r in Response.objects.all()} == {("device_cluster",)}
    assert set(Response.objects.values_list("review", flat=True)) == {"flagged"}


def test_shared_wifi_below_the_threshold_is_not_flagged(visit):
    for phone in phones(integrity.CLUSTER_COUNT - 1):
        rate(phone, visit.rating_link)
    assert set(Response.objects.values_list("review", flat=True)) == {"valid"}


def test_duplicated_comment_is_flagged(visit):
    for i in range(integrity.DUPLICATE_COMMENT_COUNT):
        rate(
            Client(REMOTE_ADDR=f"10.0.0.{i}"),
            visit.rating_link,
            answers={**ANSWERS, "comment": "书记工作很好，群众非常满意"},
        )
    assert set(Response.objects.values_list("review", flat=True)) == {"flagged"}
    assert all("duplicate_comment" in r.flags for r in Response.objects.all())


def test_short_common_comments_are_not_duplicates(visit):
    for i in range(5):
        rate(
            Client(REMOTE_ADDR=f"10.0.4.{i}"),
            visit.rating_link,
            answers={**ANSWERS, "comment": "很好"},
        )
    assert set(Response.objects.values_list("review", flat=True)) == {"valid"}


def test_all_fives_from_different_phones_are_never_flagged(visit):
    fives = {"attitude": "5", "style": "5", "results": "5", "overall": "satisfied"}
    for i in range(12):
        rate(Client(REMOTE_ADDR=f"10.0.1.{i}"), visit.rating_link, answers=fives)
    assert set(Response.objects.values_list("review", flat=True)) == {"valid"}


def test_burst_beyond_a_plausible_audience(visit, monkeypatch):
    monkeypatch.setattr(integrity, "BURST_COUNT", 4)
    for i in range(5):
        rate(Client(REMOTE_ADDR=f"10.0.2.{i}"), visit.rating_link)
    assert all("burst" in r.flags for r in Response.objects.all())
    older = timezone.now() - integrity.BURST_WINDOW - dt.timedelta(minutes=1)
    Response.objects.update(submitted_at=older, flags=[], review="valid")
    rate(Client(REMOTE_ADDR="10.0.3.1"), visit.rating_link)
    assert Response.objects.filter(review="flagged").count() == 0


def test_scan_catches_up_on_what_submission_missed(visit, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr(integrity, "check_after_store", lambda response: {})  # e.g. it failed
    for phone in phones(integrity.CLUSTER_COUNT):
        rate(phone, visit.rating_link, answers={**ANSWERS, "comment": "书记工作很好，群众非常满意"})
    assert set(Response.objects.values_list("review", flat=True)) == {"valid"}
    monkeypatch.undo()
    call_command("scan_integrity")
    assert all(
        set(r.flags) == {"device_cluster", "duplicate_comment"} for r in Response.objects.all()
    )
