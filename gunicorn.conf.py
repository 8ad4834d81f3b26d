"""gunicorn reads this file from the project directory (its default `./gunicorn.conf.py`).

The ballot-code and receipt limits count in the cache. With DEBUG=0 and a per-process cache
(no REDIS_URL), several workers would each keep their own counters: four workers let one address
make 40 wrong guesses instead of 10. The deploy check (surveys.E014) sees only APP_SERVERS ×
WEB_CONCURRENCY, not gunicorn's --workers, so the server itself refuses to start such workers
(issue 14 §9)."""

import os
import sys


def on_starting(server):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    from surveys.ballots.checks import PER_PROCESS

    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or server.cfg.workers <= 1 or backend not in PER_PROCESS:
        return
    server.log.error(
        "%d workers but the cache is %s: each would keep its own rate-limit counters. "
        "Set REDIS_URL so every worker shares one cache (docs/deploy.md).",
        server.cfg.workers,
        backend.rsplit(".", 1)[-1],
    )
    sys.exit(1)
