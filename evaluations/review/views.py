"""The review queue: flagged responses in the viewer's jurisdiction, cleared or excluded by a
person with a recorded reason (SPEC §4, §7), one at a time or a whole cluster at once.
Reviewers see why, never who."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.models import Cadre, Visit
from evaluations.org.access import staff_required
from evaluations.org.jurisdiction import has_role
from surveys import review
from surveys.models import Response

REVIEWERS = ("personnel", "discipline", "admin")


def _reviewable(user):
    if not has_role(user, *REVIEWERS):
        raise PermissionDenied
    return Response.objects.filter(
        Q(link__visit__in=Visit.objects.visible_to(user))
        | Q(link__cadre_card__in=Cadre.objects.visible_to(user))
    )


def _not_own(user, responses):
    """Responses that are not about this user's own visits or contact card."""
    cadre = getattr(user, "cadre", None)
    if cadre is None:
        return responses
    own_visits = Visit.objects.filter(Q(lead=cadre) | Q(companions=cadre))
    return responses.exclude(Q(link__visit__in=own_visits) | Q(link__cadre_card=cadre))


def _concerns(user, response) -> bool:
    """The rating is about this user's own visit or contact card."""
    cadre = getattr(user, "cadre", None)
    if cadre is None:
        return False
    own_visits = Visit.objects.filter(Q(lead=cadre) | Q(companions=cadre))
    return (
        Response.objects.filter(pk=response.pk)
        .filter(Q(link__visit__in=own_visits) | Q(link__cadre_card=cadre))
        .exists()
    )


@staff_required(*REVIEWERS)
def queue(request):
    reviewable = _reviewable(request.user)
    flagged = (
        reviewable.filter(review=Response.Review.FLAGGED)
        .select_related("link")
        .prefetch_related("flag_rows")
        .order_by("submitted_at")[: review.QUEUE_LIMIT]
    )
    items = [{"response": r, "reasons": review.reasons(r)} for r in flagged]
    clusters = [c for c in review.waiting_clusters(reviewable) if c.size > 1]
    return render(request, "evaluations/review_queue.html", {"items": items, "clusters": clusters})


@staff_required(*REVIEWERS)
@require_POST
def decide(request, pk):
    response = get_object_or_404(_reviewable(request.user), pk=pk, review=Response.Review.FLAGGED)
    if _concerns(request.user, response):
        raise PermissionDenied(_("这条评价是对您本人工作的评价，您不能复核。"))
    try:
        review.decide(
            response=response,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
            reviewer=request.user,
        )
    except review.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("复核结论已记录。"))
    return redirect("staff:review")


@staff_required(*REVIEWERS)
@require_POST
def decide_cluster(request):
    # A cluster decision never touches ratings of the reviewer's own work (issue 14 §3).
    reviewable = _not_own(request.user, _reviewable(request.user))
    try:
        count = review.decide_cluster(
            responses=reviewable,
            link_id=int(request.POST.get("link", "0") or 0),
            cluster=request.POST.get("cluster", ""),
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
            reviewer=request.user,
        )
    except (review.ReviewError, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("复核结论已记录，共 %(count)d 份评价。") % {"count": count})
    return redirect("staff:review")
