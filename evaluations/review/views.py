"""The review queue: flagged responses in the viewer's jurisdiction, cleared or excluded by a
person with a recorded reason (SPEC §4, §7), one at a time or a whole cluster at once.
Reviewers see why, never who."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from evaluations.models import Cadre, Visit
from evaluations.org.access import staff_required
from evaluations.org.jurisdiction import has_role
from surveys import listing, review
from surveys.models import Response
from surveys.rules import FLAG_TITLES, flag_title

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


def _flag_choices(_responses) -> list[tuple[str, str]]:
    return [(code, flag_title(code)) for code in FLAG_TITLES]


# The queue: oldest first by default, searchable by what was rated, filtered by the kind of
# doubt and the year, pages of 50.
QUEUE_LIST = listing.Spec(
    search=("link__title",),
    filters={
        "flag": (gettext_lazy("疑点"), "flag_rows__code", _flag_choices),
        "year": (gettext_lazy("年度"), "submitted_at__year", listing.years("submitted_at")),
        # Paper and assisted responses pass the same review (issue 19 §5).
        "channel": (gettext_lazy("评价渠道"), "channel", Response.Channel.choices),
    },
    sorts={
        "submitted": (gettext_lazy("提交时间（旧→新）"), ("submitted_at", "pk")),
        "-submitted": (gettext_lazy("提交时间（新→旧）"), ("-submitted_at", "-pk")),
        "title": (gettext_lazy("评价对象"), ("link__title", "submitted_at")),
    },
)
QUEUE_COLUMNS = [
    (gettext_lazy("评价对象"), lambda r: r.link.title),
    # To the minute, like the stored time after two days (issue 14 §11).
    (
        gettext_lazy("提交时间"),
        lambda r: timezone.localtime(r.submitted_at).replace(second=0, microsecond=0, tzinfo=None),
    ),
    (gettext_lazy("评价渠道"), lambda r: r.get_channel_display()),
    (gettext_lazy("疑点"), lambda r: "；".join(str(reason) for reason in review.reasons(r))),
]


def channel_counts(responses) -> list[tuple[str, int]]:
    """(channel label, how many) of the responses, every channel listed (issue 19 §5)."""
    counts = dict(responses.order_by().values_list("channel").annotate(n=Count("pk")))
    return [(label, counts.get(value, 0)) for value, label in Response.Channel.choices]


@staff_required(*REVIEWERS)
def queue(request):
    reviewable = _reviewable(request.user)
    flagged = (
        reviewable.filter(review=Response.Review.FLAGGED)
        .select_related("link")
        .prefetch_related("flag_rows")
    )
    found = listing.apply(request, flagged, QUEUE_LIST)
    if request.GET.get("format") == "xlsx":
        title = _("可疑评价复核")
        return listing.xlsx_response(request, found, QUEUE_COLUMNS, title=title)
    clusters = [c for c in review.waiting_clusters(reviewable) if c.size > 1]
    items = [{"response": r, "reasons": review.reasons(r)} for r in found.page]
    return render(
        request,
        "evaluations/review_queue.html",
        {
            "items": items,
            "listing": found,
            "clusters": clusters,
            "channel_counts": channel_counts(found.queryset),
        },
    )


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
        done = ngettext(
            "复核结论已记录，共 %(count)d 份评价。", "复核结论已记录，共 %(count)d 份评价。", count
        )
        messages.success(request, done % {"count": count})
    return redirect("staff:review")
