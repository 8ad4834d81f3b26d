"""The assessment's items on the to-do page (issue 17 §1): grades of the latest run that the
department has not confirmed yet, per open cycle. Registered in AnalyticsConfig.ready()."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from analytics.assessment.models import AssessmentResult
from analytics.assessment.selectors import latest_run
from evaluations.models import AssessmentCycle, AssessmentDecision
from evaluations.todo.selectors import Item


def undecided(run):
    """Results of `run` without a decision of its cycle."""
    decided = AssessmentDecision.objects.filter(cycle=run.cycle_id, cadre=OuterRef("cadre"))
    return AssessmentResult.objects.filter(run=run).exclude(Exists(decided))


def grades_to_confirm(user, today) -> list[Item]:
    cycles = (
        AssessmentCycle.objects.visible_to(user)
        .exclude(status=AssessmentCycle.Status.CLOSED)
        .select_related("unit")
        .order_by("-year", "pk")
    )
    rows, total = [], 0
    for cycle in cycles[:10]:
        run = latest_run(cycle)
        count = undecided(run).count() if run is not None else 0
        if count:
            total += count
            url = reverse("reports:cycle", args=[cycle.pk])
            rows.append((_("%(cycle)s：%(n)s人") % {"cycle": cycle, "n": count}, url))
    return [Item("grades", _("待组织评定的等次"), total, reverse("reports:cycles"), rows)]
