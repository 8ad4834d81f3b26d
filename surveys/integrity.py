"""Integrity checks on a link after each stored response (SPEC §7). A check never rejects or
deletes: it flags the responses involved, which then wait for a reviewer, and says why.

All-5 answers are normal for a satisfied resident and are never flagged on their own; an IP
address is a signal (carrier NAT, a meeting room's Wi-Fi), never a block."""

import datetime as dt

from django.db import transaction
from django.db.models import Count

from surveys.models import Answer, Response

# Responses from one network address and browser signature to one link beyond this number
# look like one person rating repeatedly (five people rarely share both on one link).
CLUSTER_COUNT = 5
# The same non-empty comment this many times on one link suggests handed-out "标准答案"
# (the 2021 county case behind the rules against formalism).
DUPLICATE_COMMENT_COUNT = 3
# Short comments ("很好", "满意") repeat naturally among honest residents: only longer ones count.
DUPLICATE_COMMENT_MIN_CHARS = 8
# More responses than this within the window is beyond what a visit's audience can produce
# by scanning one poster.
BURST_COUNT = 30
BURST_WINDOW = dt.timedelta(minutes=10)


def _flag(queryset, code: str) -> int:
    """Add `code` to the flags of the given responses; valid ones wait for review."""
    count = 0
    # Locks in primary-key order, so concurrent checks on one link never deadlock.
    for response in queryset.select_for_update().only("pk", "flags", "review").order_by("pk"):
        if code in response.flags:
            continue
        response.flags = [*response.flags, code]
        if response.review == Response.Review.VALID:
            response.review = Response.Review.FLAGGED
        response.save(update_fields=["flags", "review"])
        count += 1
    return count


def _same_device(response):
    if not response.ip_hash:
        return None
    same = Response.objects.filter(
        link_id=response.link_id, ip_hash=response.ip_hash, ua_hash=response.ua_hash
    )
    return same if same.count() >= CLUSTER_COUNT else None


def _same_comment(response):
    comment = Answer.objects.filter(response=response, question__code="comment").exclude(text="")
    text = comment.values_list("text", flat=True).first()
    if not text or len(text) < DUPLICATE_COMMENT_MIN_CHARS:
        return None
    ids = Answer.objects.filter(
        response__link_id=response.link_id, question__code="comment", text=text
    ).values("response_id")
    same = Response.objects.filter(pk__in=ids)
    return same if same.count() >= DUPLICATE_COMMENT_COUNT else None


def _burst(response):
    window = Response.objects.filter(
        link_id=response.link_id,
        submitted_at__gt=response.submitted_at - BURST_WINDOW,
        submitted_at__lte=response.submitted_at,
    )
    return window if window.count() > BURST_COUNT else None


CHECKS = (("device_cluster", _same_device), ("duplicate_comment", _same_comment), ("burst", _burst))


@transaction.atomic
def check_after_store(response: Response) -> dict:
    """Run every check for the link of a just-stored response; returns {code: newly flagged}."""
    # Each check counts once; only a check that fired reads and flags its responses.
    return {
        code: _flag(found, code) for code, find in CHECKS if (found := find(response)) is not None
    }


@transaction.atomic
def scan_link(link_id: int) -> dict:
    """The device and comment checks over a whole link at once (command `scan_integrity`):
    catches up after a check failed at submission time. Bursts are checked at submission."""
    link = Response.objects.filter(link_id=link_id)
    clusters = (
        link.exclude(ip_hash="")
        .values("ip_hash", "ua_hash")
        .annotate(n=Count("pk"))
        .filter(n__gte=CLUSTER_COUNT)
    )
    flagged = {"device_cluster": 0, "duplicate_comment": 0}
    for cluster in clusters:
        same = link.filter(ip_hash=cluster["ip_hash"], ua_hash=cluster["ua_hash"])
        flagged["device_cluster"] += _flag(same, "device_cluster")
    comments = (
        Answer.objects.filter(response__link_id=link_id, question__code="comment")
        .exclude(text="")
        .values("text")
        .annotate(n=Count("pk"))
        .filter(n__gte=DUPLICATE_COMMENT_COUNT)
    )
    for comment in comments:
        if len(comment["text"]) >= DUPLICATE_COMMENT_MIN_CHARS:
            ids = Answer.objects.filter(
                response__link_id=link_id, question__code="comment", text=comment["text"]
            ).values("response_id")
            flagged["duplicate_comment"] += _flag(link.filter(pk__in=ids), "duplicate_comment")
    return flagged
