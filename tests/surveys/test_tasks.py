"""The integrity scan runs off the request path: a submission queues one scan of its link once
it has committed, submissions within SCAN_DELAY share it, and the worker's scan flags."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from surveys import integrity, tasks
from surveys.models import Flag, Response
from tests.surveys.helpers import rate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_submissions_queue_one_deferred_scan_and_touch_no_other_response(visit, database_tasks):
    """Six phones from one address send within a second: six responses stored, all valid on
    the request path, one scan queued to run after SCAN_DELAY."""
    before = timezone.now()
    for _ in range(6):
        assert rate(Client(REMOTE_ADDR="10.9.9.9"), visit.rating_link).status_code == 200
    assert set(Response.objects.values_list("review", flat=True)) == {"valid"}
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "surveys.tasks.scan_link"
    assert queued.args_kwargs["args"] == [visit.rating_link.pk]
    assert queued.run_after > before + tasks.SCAN_DELAY


def test_the_worker_scan_flags_and_the_next_submission_asks_again(visit, database_tasks):
    """The queued scan, when it runs, flags 8 pages sent within seconds by one browser, one
    after the other; a submission after the scan started queues the next one."""
    for _ in range(8):
        rate(Client(REMOTE_ADDR="10.9.9.9", HTTP_USER_AGENT="curl/8"), visit.rating_link)
    # Sent within one second, as a script sends them, however slowly this machine runs the test.
    first = Response.objects.order_by("submitted_at").first().submitted_at
    Response.objects.update(submitted_at=first)
    assert tasks.scan_link.call(visit.rating_link.pk)["pace"] == 8
    assert Response.objects.filter(review="flagged").count() == 8
    rate(Client(REMOTE_ADDR="10.1.1.1"), visit.rating_link)
    assert DBTaskResult.objects.count() == 2


def test_without_a_worker_engine_the_scan_runs_at_once(visit, monkeypatch):
    """The test settings' immediate backend: the flags are there when the page says thanks.
    (The window is widened so that a slow, loaded test machine still sends 8 "within" it.)"""
    monkeypatch.setattr(integrity, "PACE_WINDOW", dt.timedelta(minutes=5))
    for _ in range(8):
        rate(Client(REMOTE_ADDR="10.9.9.9", HTTP_USER_AGENT="curl/8"), visit.rating_link)
    assert Flag.objects.filter(code="pace").count() == 8


def test_a_worker_asks_the_cache_once_while_its_scan_surely_waits(
    visit, database_tasks, monkeypatch
):
    """A burst on one worker: the first submission queues the scan and the worker then knows
    it waits (until its key expires, a second before it starts), so the others make no cache
    call; past that time the worker asks again."""
    calls = []
    real_add = tasks.cache.add
    monkeypatch.setattr(tasks.cache, "add", lambda *a, **k: calls.append(a[0]) or real_add(*a, **k))
    link = visit.rating_link
    for _ in range(4):
        rate(Client(), link)
    assert len(calls) == 1 and DBTaskResult.objects.count() == 1
    # What the worker knows ends SCAN_MARGIN before the scan may start, however long this took.
    known = tasks._waiting[link.pk] - time.monotonic()
    starts = (DBTaskResult.objects.get().run_after - timezone.now()).total_seconds()
    assert known <= tasks.SCAN_DELAY.total_seconds()
    assert starts - known >= tasks.SCAN_MARGIN.total_seconds() - 0.05
    later = time.monotonic() + tasks.SCAN_DELAY.total_seconds() + 0.1
    monkeypatch.setattr(tasks, "monotonic", lambda: later)
    rate(Client(), link)
    assert len(calls) == 2
