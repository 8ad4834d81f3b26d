"""Reviewing flagged responses: a person decides, the decision is recorded, nothing is deleted.
A cluster a check found (one phone's serial run, one address's volley) is settled in one decision
with one reason, recorded for each of its responses."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from surveys.models import Flag, Response, ReviewDecision
from surveys.rules import describe_flag, flag_title

DECISIONS = (Response.Review.CLEARED, Response.Review.EXCLUDED)
# The review queue shows at most this many clusters and responses at once, oldest first.
QUEUE_LIMIT = 200


class ReviewError(Exception):
    pass


def _check(decision: str, reason: str) -> str:
    if decision not in DECISIONS:
        raise ReviewError(_("复核结论只能是“复核通过”或“复核排除”。"))
    if not (reason or "").strip():
        raise ReviewError(_("请写明复核理由。"))
    return reason.strip()


@transaction.atomic
def decide(*, response: Response, decision: str, reason: str, reviewer) -> ReviewDecision:
    reason = _check(decision, reason)
    response = Response.objects.select_for_update().get(pk=response.pk)
    response.review = decision
    response.save(update_fields=["review"])
    return ReviewDecision.objects.create(
        response=response, decision=decision, reason=reason, reviewer=reviewer
    )


@transaction.atomic
def decide_cluster(
    *, responses, link_id: int, cluster: str, decision: str, reason: str, reviewer
) -> int:
    """Clear or exclude every response of `responses` (the reviewer's jurisdiction) still
    waiting in one cluster of one link; returns how many were decided."""
    reason = _check(decision, reason)
    members = responses.filter(
        link_id=link_id, review=Response.Review.FLAGGED, flag_rows__cluster=cluster
    ).values_list("pk", flat=True)
    locked = Response.objects.select_for_update().filter(
        pk__in=list(members), review=Response.Review.FLAGGED
    )
    ids = list(locked.order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise ReviewError(_("这一组评价已经复核过了。"))
    Response.objects.filter(pk__in=ids).update(review=decision)
    ReviewDecision.objects.bulk_create(
        ReviewDecision(
            response_id=pk, decision=decision, reason=reason, reviewer=reviewer, cluster=cluster
        )
        for pk in ids
    )
    return len(ids)


def reasons(response: Response) -> list[str]:
    """Why a response waits, with the evidence; flags of earlier versions have only a code."""
    rows = {flag.code: flag.evidence for flag in response.flag_rows.all()}
    codes = [*rows, *(code for code in response.flags if code not in rows)]
    return [describe_flag(code, rows.get(code)) for code in codes]


@dataclass
class Cluster:
    link_id: int
    link_title: str
    code: str
    cluster: str
    title: str
    reason: str = ""
    response_ids: set = field(default_factory=set)
    first: object = None

    @property
    def size(self) -> int:
        return len(self.response_ids)


def waiting_clusters(responses) -> list[Cluster]:
    """The clusters of the flagged responses among `responses`, largest first; the reason shown
    is the one with the most evidence (the latest count of the cluster). One query."""
    flags = (
        Flag.objects.filter(response__in=responses.filter(review=Response.Review.FLAGGED))
        .order_by("response__submitted_at", "pk")
        .values_list(
            "response_id",
            "response__link_id",
            "response__link__title",
            "response__submitted_at",
            "code",
            "cluster",
            "evidence",
        )
    )
    groups, best = {}, defaultdict(int)
    for pk, link_id, title, at, code, key, evidence in flags[: QUEUE_LIMIT * 20]:
        group = groups.setdefault(
            (link_id, key), Cluster(link_id, title, code, key, flag_title(code), first=at)
        )
        group.response_ids.add(pk)
        weight = (evidence or {}).get("count", 0) or (evidence or {}).get("rank", 0) or 1
        if weight >= best[(link_id, key)]:
            best[(link_id, key)] = weight
            group.reason = describe_flag(code, evidence)
    return sorted(groups.values(), key=lambda g: (-g.size, g.first))[:QUEUE_LIMIT]
