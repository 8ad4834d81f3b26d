"""Reads for staff pages; every one narrows through `visible_to(user)` (the jurisdiction)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from evaluations.models import OrgUnit, Visit
from surveys import listing


def visits_for(user):
    return (
        Visit.objects.visible_to(user)
        .select_related("lead", "target_unit", "rating_link", "entered_by")
        .order_by("-start_date", "-pk")
    )


def printable_for(user):
    """The visits whose poster and paper forms a user may print: those the user may list, or,
    for any other role, the ones the user leads (a party secretary who is also a cadre prints
    his own from 我的活动)."""
    from evaluations.org.access import READERS
    from evaluations.org.jurisdiction import has_role

    if has_role(user, "cadre", *READERS):
        return visits_for(user)
    cadre = getattr(user, "cadre", None)
    return Visit.objects.filter(lead=cadre) if cadre else Visit.objects.none()


# The staff list of visits: searched, filtered and sorted through surveys.listing.
VISIT_LIST = listing.Spec(
    search=("lead__name", "target_unit__name", "purpose", "place"),
    filters={
        "kind": (_("类型"), "kind", Visit.Kind.choices),
        "status": (_("状态"), "status", Visit.Status.choices),
        "year": (_("年度"), "start_date__year", listing.years("start_date")),
    },
    sorts={
        "-date": (_("日期（新→旧）"), ("-start_date", "-pk")),
        "date": (_("日期（旧→新）"), ("start_date", "pk")),
        "lead": (_("带队干部"), ("lead__name", "-start_date", "-pk")),
        "unit": (_("前往单位"), ("target_unit__name", "-start_date", "-pk")),
    },
)
VISIT_COLUMNS = [
    (_("开始日期"), lambda v: v.start_date),
    (_("结束日期"), lambda v: v.end_date),
    (_("类型"), lambda v: str(v.get_kind_display())),
    (_("带队干部"), lambda v: v.lead.name),
    (_("前往单位"), lambda v: v.target_unit.name),
    (_("地点"), lambda v: v.place),
    (_("目的"), lambda v: v.purpose),
    (_("状态"), lambda v: str(v.get_status_display())),
]


def diaries(user, *, unit: OrgUnit, start: dt.date, end: dt.date, picked_only: bool = False):
    """Done visits with a 民情日记 led from `unit`'s subtree and overlapping the period."""
    rows = (
        Visit.objects.visible_to(user)
        .filter(
            status=Visit.Status.DONE,
            lead__unit__path__startswith=unit.path,
            start_date__lte=end,
            end_date__gte=start,
        )
        .exclude(summary="")
        .select_related("lead", "lead__unit", "target_unit", "picked_by")
        .order_by("start_date", "pk")
    )
    return rows.filter(picked_at__isnull=False) if picked_only else rows
