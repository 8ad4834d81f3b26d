"""The integrity scan off the request path (django-tasks; `manage.py db_worker` runs it).

A submission asks for a scan of its link; requests within SCAN_DELAY share one scan, which runs
after them, so a meeting of 500 phones costs a scan every few seconds, not one per phone."""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django_tasks import task

from surveys import integrity, speech
from surveys.models import QuestionnaireVersion

SCAN_DELAY = dt.timedelta(seconds=5)


def _key(link_id: int) -> str:
    return f"surveys:scan:{link_id}"


@task()
def scan_link(link_id: int) -> dict:
    cache.delete(_key(link_id))  # submissions from now on ask for the next scan
    return integrity.scan_link(link_id, since=timezone.now() - integrity.SCAN_LOOKBACK)


def request_scan(link_id: int) -> None:
    """Queue a scan of the link unless one is already waiting (called inside the submission's
    transaction: with the database backend, the queued task commits with the response)."""
    if not cache.add(_key(link_id), 1, timeout=SCAN_DELAY.total_seconds()):
        return
    if scan_link.get_backend().supports_defer:
        scan_link.using(run_after=timezone.now() + SCAN_DELAY + dt.timedelta(seconds=1)).enqueue(
            link_id
        )
    else:
        scan_link.enqueue(link_id)


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
