"""Reads of the problem ledger for staff pages; every one narrows through `visible_to(user)`."""

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.cases.metrics import case_metrics
from evaluations.cases.services import ACCEPTED_OR_LATER, S, overdue_q
from evaluations.models import Cadre, Case, OrgUnit, Visit
from surveys import listing


def ledger(user, *, status: str = "", overdue: bool = False, today=None):
    today = today or timezone.localdate()
    cases = (
        Case.objects.visible_to(user)
        .select_related("unit", "raised_with", "responsible", "escalated_to")
        .annotate(is_overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()))
    )
    if status:
        cases = cases.filter(status=status)
    if overdue:
        cases = cases.filter(overdue_q(today)).order_by("deadline", "pk")
    return cases


def case_for(user, pk: int) -> Case:
    """One visible case with what its page shows; Case.DoesNotExist otherwise."""
    return (
        Case.objects.visible_to(user)
        .select_related(
            "unit", "visit", "raised_with", "responsible", "escalated_to", "rating_link"
        )
        .get(pk=pk)
    )


def history(case: Case):
    return case.events.select_related("actor").order_by("at", "pk")


def own_visits(user):
    """The visits a cadre led or joined: the ones they may log a case for."""
    cadre = getattr(user, "cadre", None)
    if cadre is None:
        return Visit.objects.none()
    return (
        Visit.objects.visible_to(user)
        .filter(Q(lead=cadre) | Q(companions=cadre))
        .select_related("target_unit")
        .distinct()
        .order_by("-start_date", "-pk")
    )


def responsible_choices(user, case: Case):
    """包案领导: a cadre of the jurisdiction, or the cadre the case was raised with."""
    return Cadre.objects.filter(
        Q(pk__in=Cadre.objects.visible_to(user).values("pk")) | Q(pk=case.raised_with_id),
        is_active=True,
    ).order_by("unit__path", "code")


def units_above(case: Case):
    codes = [code for code in case.unit.path.strip("/").split("/") if code]
    return OrgUnit.objects.filter(code__in=codes).exclude(pk=case.unit_id).order_by("-path")


def _root_units(user):
    profile = getattr(user, "staff_profile", None)
    if profile is not None:
        return [profile.unit]
    return list(OrgUnit.objects.visible_to(user).filter(parent=None))


def metrics_table(user, *, year: int, today=None) -> dict:
    """Per cadre and per unit below the user's own unit (本级 last), with a total row."""
    cases = Case.objects.visible_to(user).filter(raised_on__year=year)
    roots = _root_units(user)
    units = list(OrgUnit.objects.filter(parent__in=roots).order_by("path")) + roots
    by_unit = {u.pk: u for u in units}
    position = {u.pk: i for i, u in enumerate(units)}
    unit_rates = case_metrics(cases, by="unit", units=units, today=today)
    unit_rows = [
        (by_unit.get(r.key), r)
        for r in sorted(unit_rates, key=lambda r: position.get(r.key, len(units)))
    ]
    cadre_rates = case_metrics(cases, by="cadre", today=today)
    names = Cadre.objects.select_related("unit").in_bulk([r.key for r in cadre_rates if r.key])
    cadre_rows = sorted(
        ((names.get(r.key), r) for r in cadre_rates),
        key=lambda row: row[1].received,
        reverse=True,
    )
    total = sum((r for _unit, r in unit_rows[1:]), unit_rows[0][1]) if unit_rows else None
    return {"units": unit_rows, "cadres": cadre_rows, "total": total, "roots": roots}


def receptions(user, *, year: int):
    """Reception days (信访接待) of the year as 004 tells the Xiapu day: people received,
    problems raised, accepted, solved on the spot. Counted in the database."""
    return (
        Visit.objects.visible_to(user)
        .filter(kind=Visit.Kind.PETITION_RECEPTION, start_date__year=year)
        .select_related("lead", "target_unit")
        .annotate(
            raised=Count("cases", distinct=True),
            accepted=Count("cases", filter=Q(cases__status__in=ACCEPTED_OR_LATER), distinct=True),
            on_spot=Count("cases", filter=Q(cases__status=S.SOLVED_ON_SPOT), distinct=True),
        )
        .order_by("start_date", "pk")
    )


# The staff ledger: searched, filtered and sorted through surveys.listing.
CASE_LIST = listing.Spec(
    search=("title", "unit__name", "raised_with__name", "responsible__name"),
    filters={
        "status": (_("状态"), "status", Case.Status.choices),
        "year": (_("年度"), "raised_on__year", listing.years("raised_on")),
    },
    sorts={
        "-raised": (_("反映日期（新→旧）"), ("-raised_on", "-pk")),
        "raised": (_("反映日期（旧→新）"), ("raised_on", "pk")),
        "deadline": (_("办结期限"), ("deadline", "pk")),
        "unit": (_("所在单位"), ("unit__name", "-raised_on", "-pk")),
    },
)
CASE_COLUMNS = [
    (_("反映日期"), lambda c: c.raised_on),
    (_("问题"), lambda c: c.title),
    (_("所在单位"), lambda c: c.unit.name),
    (_("接待干部"), lambda c: c.raised_with.name if c.raised_with else ""),
    (_("来源"), lambda c: str(c.get_source_display())),
    (_("状态"), lambda c: str(c.get_status_display())),
    (_("包案领导"), lambda c: c.responsible.name if c.responsible else ""),
    (_("办结期限"), lambda c: c.deadline),
    (_("超期"), lambda c: c.is_overdue),  # 是/否 in the sheet (surveys.listing)
]
# Overdue cases: the nearest deadline first.
OVERDUE_LIST = listing.Spec(
    search=CASE_LIST.search,
    filters=CASE_LIST.filters,
    sorts={"deadline": CASE_LIST.sorts["deadline"], **CASE_LIST.sorts},
)
