"""The integrity scan off the request path (django-tasks; `manage.py db_worker` runs it).

A submission asks for a scan of its link; requests within SCAN_DELAY share one scan, which runs
after them, so a meeting of 500 phones costs a scan every few seconds, not one per phone."""

import datetime as dt

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from surveys import integrity

SCAN_DELAY = dt.timedelta(seconds=5)


def _key(link_id: int) -> str:
    return f"surveys:scan:{link_id}"


@task()
def scan_link(link_id: int) -> dict:
    cache.delete(_key(link_id))  # submissions from now on ask for the next scan
    return integrity.scan_link(link_id, since=timezone.now() - integrity.SCAN_LOOKBACK)


def request_scan(link_id: int) -> None:
    """Queue a scan of the link unless one is already waiting. Called once the submission has
    committed: a waiting scan deletes the key only when it starts, so a key still present means
    a scan that will read the response just stored."""
    if not cache.add(_key(link_id), 1, timeout=SCAN_DELAY.total_seconds()):
        return
    if scan_link.get_backend().supports_defer:
        scan_link.using(run_after=timezone.now() + SCAN_DELAY + dt.timedelta(seconds=1)).enqueue(
            link_id
        )
    else:
        scan_link.enqueue(link_id)
