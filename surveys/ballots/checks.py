"""Deploy check: rate limits count in the cache, so several processes need one shared cache.

With a per-process cache (local memory, or none) each worker keeps its own counters: four
workers let one address make 40 wrong guesses instead of 10. (Login locks are rows in the
database, django-axes' database handler, so they hold across processes whatever the cache.)
`make check-deploy` declares no process count, so one process passes."""

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def shared_cache_for_limits(app_configs=None, **kwargs):
    processes = settings.APP_SERVERS * settings.WEB_CONCURRENCY
    backend = settings.CACHES["default"]["BACKEND"]
    if processes > 1 and backend in PER_PROCESS:
        return [
            Error(
                f"{processes} processes (APP_SERVERS × WEB_CONCURRENCY) but the cache is "
                f"{backend.rsplit('.', 1)[-1]}: each keeps its own rate-limit counters.",
                hint="Set REDIS_URL so every app server and worker shares one cache.",
                id="surveys.E014",
            )
        ]
    return []
