"""State changes of planning: research plans and the reception rota, each in one transaction."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from evaluations.models import Cadre, OrgUnit, ResearchPlan, RotaSlot
from evaluations.quota.compliance import LEADING_LEVEL, ROTA_DEPUTY_POST

MESSAGES = {
    "not_monday": _("轮值按周安排，请选择该周的周一。"),
    "past": _("已经过去的周不能再安排，实际接访以登记的活动为准。"),
    "not_receiver": _(
        "%(name)s 不是本级的常委或副职领导：每周接访由一名常委或副市、县(区)长负责（001 第一条）。"
    ),
}


class PlanningError(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        message = str(MESSAGES[code])
        super().__init__(message % params if params else message)


def can_receive(cadre: Cadre, unit: OrgUnit) -> bool:
    """001 §一: 每周均有一名常委或副市、县(区)长接访群众 — a 常委 or a deputy head of this unit."""
    leading = cadre.level == LEADING_LEVEL.get(unit.level)  # a 县级 cadre for a county
    in_unit = cadre.unit.path.startswith(unit.path) and cadre.is_active and leading
    return in_unit and (cadre.is_standing_committee or bool(ROTA_DEPUTY_POST.search(cadre.post)))


@transaction.atomic
def schedule(*, unit: OrgUnit, week: dt.date, cadre: Cadre | None, note="", actor, today=None):
    """Put `cadre` on the rota for the week starting `week` (None clears the week)."""
    today = today or dt.date.today()
    if week.weekday() != 0:
        raise PlanningError("not_monday")
    if week + dt.timedelta(days=6) < today:
        raise PlanningError("past")
    if cadre is None:
        RotaSlot.objects.filter(unit=unit, week=week).delete()
        return None
    if not can_receive(cadre, unit):
        raise PlanningError("not_receiver", name=cadre.name)
    slot, _created = RotaSlot.objects.update_or_create(
        unit=unit, week=week, defaults={"cadre": cadre, "note": note, "created_by": actor}
    )
    return slot


@transaction.atomic
def save_plan(*, plan: ResearchPlan, actor) -> ResearchPlan:
    if plan.pk is None:
        plan.created_by = actor
    plan.save()
    return plan
