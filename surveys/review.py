"""Reviewing flagged responses: a person decides, the decision is recorded, nothing is deleted."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from surveys.models import Response, ReviewDecision
from surveys.rules import describe_flag

DECISIONS = (Response.Review.CLEARED, Response.Review.EXCLUDED)


class ReviewError(Exception):
    pass


@transaction.atomic
def decide(*, response: Response, decision: str, reason: str, reviewer) -> ReviewDecision:
    if decision not in DECISIONS:
        raise ReviewError(_("复核结论只能是“复核通过”或“复核排除”。"))
    if not (reason or "").strip():
        raise ReviewError(_("请写明复核理由。"))
    response = Response.objects.select_for_update().get(pk=response.pk)
    response.review = decision
    response.save(update_fields=["review"])
    return ReviewDecision.objects.create(
        response=response, decision=decision, reason=reason.strip(), reviewer=reviewer
    )


def reasons(response: Response) -> list[str]:
    """Why a response waits, with the evidence; flags of earlier versions have only a code."""
    rows = {flag.code: flag.evidence for flag in response.flag_rows.all()}
    codes = [*rows, *(code for code in response.flags if code not in rows)]
    return [describe_flag(code, rows.get(code)) for code in codes]
