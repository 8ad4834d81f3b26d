"""Who may help a resident rate which link, and storing what they tapped (issue 19 §4)."""

import uuid

from django.utils.translation import gettext_lazy as _

from surveys import rules
from surveys.assisted.devices import is_rated_cadres_phone
from surveys.assisted.rated import outside_scope, rated_accounts
from surveys.models import QuestionnaireVersion, RatingLink, Response
from surveys.services import Outcome, submit_response

# Why a helper is refused, in words shown on the page.
REFUSALS = {
    "not_helper": _("只有干部和网格员可以协助群众评价。"),
    "rated_account": _(
        "您是本次被评价的干部，不能协助群众评价自己。请网格员或其他干部协助，或让群众用自己的手机评价。"
    ),
    "rated_self": _("您是本次被评价的干部，不能评价自己。"),
    "not_her_grid": _("网格员只能协助本网格（本村、本社区）的群众评价。"),
    "assist_here": _(
        "您已用干部或网格员账号登录。替群众评价，请点“协助居民评价”，如实记为协助填写。"
    ),
    "rated_phone": _(
        "这部手机登录过被评价干部的账号，不能用来评价他（她）。请换一部手机，或请网格员协助。"
    ),
}


def may_assist(user) -> bool:
    profile = getattr(user, "staff_profile", None)
    return profile is not None and bool(profile.roles() & set(rules.ASSISTING_ROLES))


def refusal(link: RatingLink, user, device: str | None) -> str | None:
    """Why `user` on the phone `device` may not help rate `link`, or None. Never the rated
    cadre's own account, never a phone that account signed in on (issue 19 §4)."""
    if not may_assist(user):
        return "not_helper"
    if rated_accounts(link).filter(pk=user.pk).exists():
        return "rated_account"
    if is_rated_cadres_phone(link, device):
        return "rated_phone"
    if outside_scope(link, user):
        return "not_her_grid"
    return None


def assisted_device(submission_id: uuid.UUID) -> str:
    """Each assisted response its own device identity, derived from the submission: several
    residents may be helped on one phone, and a retry of one submission is still one."""
    return f"assisted:{submission_id.hex}"


def submit_assisted(
    *,
    link: RatingLink,
    version: QuestionnaireVersion,
    submission_id: uuid.UUID,
    helper,
    cleaned: dict,
    seconds_taken: int | None,
    ip: str = "",
    user_agent: str = "",
    phone: str | None = None,
) -> Outcome:
    """Store what the helper tapped for a resident on the phone `phone` (its device cookie):
    channel=assisted, naming the helper. The same checks as a web response follow (speeder at
    once; the helper's pace in the scan)."""
    return submit_response(
        link_id=link.pk,
        token=link.token,
        version=version,
        submission_id=submission_id,
        device_id=assisted_device(submission_id),
        cleaned=cleaned,
        ip=ip,
        user_agent=user_agent,
        seconds_taken=seconds_taken,
        channel=Response.Channel.ASSISTED,
        helper=helper,
        helper_phone=phone,
    )
