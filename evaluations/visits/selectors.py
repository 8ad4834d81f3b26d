"""Reads for staff pages; every one narrows through `visible_to(user)` (the jurisdiction)."""

from evaluations.models import Visit


def visits_for(user):
    return (
        Visit.objects.visible_to(user)
        .select_related("lead", "target_unit", "rating_link")
        .order_by("-start_date", "-pk")
    )
