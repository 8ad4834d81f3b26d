"""Many phones at one link at once: each distinct device stored exactly once, no error, on
SQLite (WAL, busy timeout, IMMEDIATE transactions) and on PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from surveys.models import Response
from tests.factories import VisitFactory, default_questionnaire
from tests.surveys.helpers import open_form, rate

THREADS = 20
DEVICES = 120
SUBMISSIONS = 240  # every device submits twice, from two open tabs (two tickets)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_store_each_device_once(monkeypatch):
    monkeypatch.setattr("surveys.rules.SPEEDER_SECONDS", 0)
    default_questionnaire()
    link = VisitFactory().rating_link
    phones = []
    for _ in range(DEVICES):
        phone = Client()
        tabs = [open_form(phone, link)[1] for _ in range(2)]
        phones.append((phone, tabs))
    connection.close()
    barrier = threading.Barrier(THREADS)
    errors, statuses = [], []

    def submit(i):
        phone, tabs = phones[i % DEVICES]
        ticket = tabs[i // DEVICES]
        if i < THREADS:
            barrier.wait()
        try:
            statuses.append(rate(phone, link, ticket=ticket).status_code)
        except Exception as exc:  # any error at all fails the test below
            errors.append(repr(exc))
        finally:
            from django.db import connections

            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(submit, range(SUBMISSIONS)))
    assert errors == []
    assert len(statuses) == SUBMISSIONS and set(statuses) <= {200, 409}
    assert statuses.count(200) == DEVICES  # one tab of each phone stored, the other refused
    assert Response.objects.filter(link=link).count() == DEVICES
    assert Response.objects.values("device_id").distinct().count() == DEVICES
