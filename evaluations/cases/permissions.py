"""Who may move a case (SPEC §1; issue 14 §3): one table and one function the page and its
forms ask. Nobody acts on a case raised about himself or herself; discipline only reads."""

from django.utils.translation import gettext_lazy as _

from evaluations.models import Case
from evaluations.org.jurisdiction import has_role

# The department handles every move of every case in its jurisdiction.
DEPARTMENT = ("personnel", "admin")
# 004 (1988): the cadre who received a problem at his visit accepts it or solves it on the spot.
RECEIVER_ACTIONS = {"accept", "solve_on_spot"}
# 001/004: the leader in charge (包案领导) solves, hands on upward or closes the case.
RESPONSIBLE_ACTIONS = {"solve_on_spot", "escalate", "close"}

MESSAGES = {
    "concerned": _("这是群众对您本人工作的反映，您不能办理，请由组织人事部门办理。"),
    "not_allowed": _("您不能对这个问题执行此操作。"),
}


def concerns(user, case: Case) -> bool:
    """The case is a resident's complaint about this user's own visit."""
    return concerns_cadre(getattr(user, "cadre", None), case)


def concerns_cadre(cadre, case: Case) -> bool:
    """The case is a resident's complaint about this cadre's own visit."""
    if cadre is None or case.source != Case.Source.RESIDENT:
        return False
    if cadre.pk == case.raised_with_id:
        return True
    visit = case.visit
    return visit is not None and (
        visit.lead_id == cadre.pk or visit.companions.filter(pk=cadre.pk).exists()
    )


def refusal(user, case: Case, action: str) -> str | None:
    """Why this user may not make this move on this case, or None."""
    if concerns(user, case):
        return "concerned"
    if has_role(user, *DEPARTMENT):
        return None
    cadre = getattr(user, "cadre", None)
    if cadre is None or not has_role(user, "cadre"):
        return "not_allowed"
    if cadre.pk == case.responsible_id and action in RESPONSIBLE_ACTIONS:
        return None
    received = case.source == Case.Source.VISIT and cadre.pk == case.raised_with_id
    if received and action in RECEIVER_ACTIONS:
        return None
    return "not_allowed"
