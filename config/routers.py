"""Report reads go to the read replica when DATABASE_REPLICA_URL is set (issue 16 §4).

Only reads made inside `replica_reads()` move: the report computations (analytics.reports)
wrap themselves in it. Everything else, above all what a resident's rating or a ballot
checks before it writes (once per phone, one ballot per code), reads the primary, so
replication lag can never let a second rating or ballot through."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reports = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads():
    """Reads inside (a `with` block or a decorated function) go to the replica, if any."""
    token = _reports.set(True)
    try:
        yield
    finally:
        _reports.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reports.get() and REPLICA in settings.DATABASES else None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database: the replica is a copy of the primary

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA
