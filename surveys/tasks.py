"""The integrity scan off the request path (django-tasks; `manage.py db_worker` runs it).

A submission asks for a scan of its link; requests within SCAN_DELAY share one scan, which runs
after them, so a meeting of 500 phones costs a scan every few seconds, not one per phone."""

import datetime as dt
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django_tasks import task

from surveys import integrity, speech
from surveys.models import QuestionnaireVersion

SCAN_DELAY = dt.timedelta(seconds=5)
# A queued scan runs this long after its key (SCAN_DELAY) expires.
SCAN_MARGIN = dt.timedelta(seconds=1)
# Until when (`monotonic()`) this process knows, without asking the cache, that a scan of a
# link is still to start. A meeting's burst then costs a cache call per worker per second, not
# one per phone.
_waiting: dict[int, float] = {}


def _key(link_id: int) -> str:
    return f"surveys:scan:{link_id}"


@task()
def scan_link(link_id: int) -> dict:
    cache.delete(_key(link_id))  # submissions from now on ask for the next scan
    _waiting.pop(link_id, None)
    return integrity.scan_link(link_id, since=timezone.now() - integrity.SCAN_LOOKBACK)


def request_scan(link_id: int) -> None:
    """Queue a scan of the link unless one is already waiting. Called once the submission has
    committed: a waiting scan deletes the key only when it starts, so a key still present means
    a scan that will read the response just stored.

    A worker that has just queued the scan knows it waits until the key expires (the scan starts
    SCAN_MARGIN later); one that has just found the key knows it waits for half of SCAN_MARGIN
    (the key is at most SCAN_DELAY old). Within that time it skips the cache call."""
    deferred = scan_link.get_backend().supports_defer
    now = monotonic()
    if deferred and _waiting.get(link_id, 0.0) > now:
        return
    if not cache.add(_key(link_id), 1, timeout=SCAN_DELAY.total_seconds()):
        if deferred:
            _remember(link_id, now + SCAN_MARGIN.total_seconds() / 2)
        return
    if deferred:
        scan_link.using(run_after=timezone.now() + SCAN_DELAY + SCAN_MARGIN).enqueue(link_id)
        _remember(link_id, now + SCAN_DELAY.total_seconds())
    else:
        scan_link.enqueue(link_id)


def _remember(link_id: int, until: float) -> None:
    if len(_waiting) >= 4096:
        _waiting.clear()
    _waiting[link_id] = until


def forget() -> None:
    _waiting.clear()


@task()
def render_speech(version_id: int) -> int:
    """Render the 朗读 audio of a newly published version in every page language, so the first
    resident who taps the button does not wait for it (surveys/speech.py). Returns how many
    texts it holds; nothing is rendered without the engine (the page then uses the browser's
    voice)."""
    if not speech.engine_available():
        return 0
    version = QuestionnaireVersion.objects.get(pk=version_id)
    questions = list(version.ordered_questions())
    count = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for text in speech.version_texts(version, questions).values():
                speech.stored(text, speech.voice_for(text))
                count += 1
    return count
