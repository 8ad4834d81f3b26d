"""The phones staff sign in on. Only a keyed hash of our device cookie is kept, the same on every
link (unlike a response's device key, which is per link), so a rated cadre's phone is known
whichever link it opens."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from surveys.assisted.models import StaffDevice
from surveys.assisted.rated import links_rating, rated_accounts
from surveys.devices import device_of, new_device_id
from surveys.models import RatingLink, Response
from surveys.services import device_key, keyed_hash


def staff_device_hash(device: str) -> str:
    return keyed_hash(f"staff-device:{device}")


def staff_phone_of(device: str | None) -> str | None:
    """What the resident's insert screens staff phones by (surveys/inserts.py): one indexed
    lookup inside the same statement, so the POST keeps its one statement (issue 15)."""
    return staff_device_hash(device) if device else None


def remember_staff_device(user, device: str) -> None:
    """Record that `user` used the phone whose cookie is `device` (idempotent)."""
    digest = staff_device_hash(device)
    now = timezone.now()
    updated = StaffDevice.objects.filter(user=user, device_hash=digest).update(last_seen=now)
    if not updated:
        StaffDevice.objects.get_or_create(
            user=user, device_hash=digest, defaults={"first_seen": now, "last_seen": now}
        )


def signed_in(sender, request, user, **kwargs) -> None:
    """On every staff sign-in (django's user_logged_in): the phone it happened on. A browser
    without our device cookie gets one now (`request.new_device_id`, which the sign-in view
    sets as the cookie), so a phone that never opened a rating page is known too."""
    if request is None or not hasattr(user, "staff_profile"):
        return
    device = device_of(request)
    if device is None:
        device = new_device_id()
        request.new_device_id = device
    remember_staff_device(user, device)
    flag_earlier_ratings(user, device)


def flag_earlier_ratings(user, device: str) -> int:
    """A cadre signing in on a phone that already rated one of his own links: those ratings
    were made on his phone before anyone knew it was his. They are held for review
    (`rated_cadre_phone`), not deleted (a resident may have borrowed it; the reviewer decides).
    Returns how many were flagged."""
    from django.db import transaction

    from surveys import integrity

    keys = [device_key(pk, device) for pk in links_rating(user).values_list("pk", flat=True)]
    # Rated on this phone, or helped on it (an assisted rating keeps the phone's key apart).
    made_here = Q(device_id__in=keys) | Q(helper_phone__in=keys)
    pks = list(Response.objects.filter(made_here).values_list("pk", flat=True))
    if not pks:
        return 0
    cluster = f"rated_cadre_phone:{user.pk}"
    with transaction.atomic():
        found = integrity.Found("rated_cadre_phone", cluster, {"count": len(pks)}, pks)
        return integrity.apply([found]).get("rated_cadre_phone", 0)


def _rated_phone(link: RatingLink, device: str):
    return StaffDevice.objects.filter(
        device_hash=staff_device_hash(device), user__in=rated_accounts(link)
    )


def is_staff_phone(device: str | None) -> bool:
    """Whether any staff account has signed in on this phone."""
    return device is not None and (
        StaffDevice.objects.filter(device_hash=staff_device_hash(device)).exists()
    )


def is_rated_cadres_phone(link: RatingLink, device: str | None) -> bool:
    """Whether an account the link rates has signed in on this phone."""
    return device is not None and _rated_phone(link, device).exists()


def phone_state(link: RatingLink, device: str) -> tuple[bool, bool]:
    """(this phone already rated the link, an account the link rates signed in on it), in one
    statement: the resident's page stays within its statement budget (issue 15)."""
    rated = Response.objects.filter(link=OuterRef("pk"), device_id=device_key(link.pk, device))
    row = (
        RatingLink.objects.filter(pk=link.pk)
        .annotate(rated=Exists(rated), cadre_phone=Exists(_rated_phone(link, device)))
        .values_list("rated", "cadre_phone")
        .get()
    )
    return bool(row[0]), bool(row[1])
