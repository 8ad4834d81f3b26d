"""Long work as tasks that take ids (django-tasks; the database backend needs no extra server,
a `manage.py db_worker` process runs them)."""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from analytics.assessment import runs as assessment
from analytics.assessment.models import AssessmentRun

logger = logging.getLogger(__name__)


@task()
def compute_assessment(run_id: int) -> str:
    run = AssessmentRun.objects.get(pk=run_id)
    try:
        assessment.run_all(run)
    except Exception as error:  # the run records why it failed; the page shows it
        logger.exception("assessment run %s failed", run_id)
        AssessmentRun.objects.filter(pk=run_id).update(
            status=AssessmentRun.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    return AssessmentRun.objects.get(pk=run_id).status


def start_assessment(cycle) -> AssessmentRun:
    """Open a run and queue it once the transaction commits; the page polls its progress. A
    cycle with a live run gets that run back, not a second one."""
    run, created = assessment.open_run(cycle)
    if created:
        transaction.on_commit(lambda: compute_assessment.enqueue(run.pk))
    return run
