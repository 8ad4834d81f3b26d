"""What 纪检监察 (or the personnel department) changes: reviewing a long run of days entered
in one visit, after which it counts toward research quotas (SPEC §7)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Visit
from evaluations.visits.models import LONG_RUN_DAYS

MESSAGES = {
    "not_long": _("该活动不足%(days)d天，无需复核。"),
    "not_done": _("活动尚未完成，不能复核。"),
}


class ReviewError(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        message = str(MESSAGES[code])
        super().__init__(message % params if params else message)


@transaction.atomic
def review_long_run(*, visit: Visit, actor) -> Visit:
    """Confirm a visit of LONG_RUN_DAYS or more as it happened; from now on its days count."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != Visit.Status.DONE:
        raise ReviewError("not_done")
    if not visit.is_long_run:
        raise ReviewError("not_long", days=LONG_RUN_DAYS)
    visit.long_run_reviewed_at, visit.long_run_reviewed_by = timezone.now(), actor
    visit.save(update_fields=["long_run_reviewed_at", "long_run_reviewed_by"])
    return visit
