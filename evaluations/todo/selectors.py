"""What needs doing, by role (issue 17 §1): counts from the database, a few rows each, and the
page where the work is done. Every query narrows through `visible_to(user)`."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.cases.services import OPEN, overdue_q
from evaluations.models import AppraisalSession, Cadre, Case, Visit
from evaluations.org.jurisdiction import has_role
from evaluations.quota import compliance
from evaluations.todo.registry import PROVIDERS
from evaluations.visits.models import LONG_RUN_DAYS
from surveys.ballots.models import BallotBox
from surveys.models import Response

# Issue 17 §4: a reminder when a case deadline is 3 days away or a period ends with a shortfall.
DUE_SOON_DAYS = 3
PERIOD_ENDING_DAYS = 14
SHOWN_ROWS = 5  # rows listed under an item; the count and its link cover the rest


@dataclass
class Item:
    key: str
    label: str
    count: int
    url: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (text, link)


@dataclass
class Section:
    title: str
    items: list[Item]

    @property
    def count(self) -> int:
        return sum(item.count for item in self.items)


def _flagged(user):
    """Flagged ratings of visits and cards in the jurisdiction, not about the user's own work."""
    responses = Response.objects.filter(review=Response.Review.FLAGGED).filter(
        Q(link__visit__in=Visit.objects.visible_to(user))
        | Q(link__cadre_card__in=Cadre.objects.visible_to(user))
    )
    cadre = getattr(user, "cadre", None)
    if cadre is not None:
        own = Visit.objects.filter(Q(lead=cadre) | Q(companions=cadre))
        responses = responses.exclude(Q(link__visit__in=own) | Q(link__cadre_card=cadre))
    return responses


def _sessions(user, status):
    return (
        AppraisalSession.objects.visible_to(user)
        .filter(box__status=status)
        .select_related("branch", "box")
        .order_by("created_at", "pk")
    )


def _session_item(key, label, user, status) -> Item:
    sessions = _sessions(user, status)
    rows = [
        (s.title, reverse("staff:appraisal_detail", args=[s.pk])) for s in sessions[:SHOWN_ROWS]
    ]
    url = f"{reverse('staff:appraisal_list')}?status={status}"
    return Item(key, label, sessions.count(), url, rows)


def _case_rows(cases) -> list[tuple[str, str]]:
    return [
        (
            gettext("%(title)s（%(deadline)s）")
            % {"title": c.title, "deadline": date_format(c.deadline, "MONTH_DAY_FORMAT")},
            reverse("staff:case_detail", args=[c.pk]),
        )
        for c in cases[:SHOWN_ROWS]
    ]


def _overdue_cases(user, today) -> Item:
    cases = Case.objects.visible_to(user).filter(overdue_q(today)).order_by("deadline", "pk")
    return Item(
        "overdue_cases",
        _("逾期未办结的问题"),
        cases.count(),
        reverse("staff:cases_overdue"),
        _case_rows(cases),
    )


def ending_short(report, today):
    """(cadre, row) for every open period of `report` that ends within PERIOD_ENDING_DAYS and is
    not met yet: the shortfall to act on before the period is judged."""
    for result in report.cadres:
        for row in result.rows:
            ends_in = (row.period.end - today).days
            if row.status == compliance.Status.OPEN and 0 <= ends_in <= PERIOD_ENDING_DAYS:
                yield result.cadre, row


def _short_of_quota(user, today) -> Item:
    """Cadres whose current period of a scored quota ends within PERIOD_ENDING_DAYS, not met."""
    report = compliance.evaluate(
        cadres=Cadre.objects.visible_to(user).filter(is_active=True), year=today.year, as_of=today
    )
    found = list(ending_short(report, today))
    url = reverse("staff:compliance")
    rows = [
        (
            _("%(name)s：%(rule)s（%(period)s）还差%(left)s")
            % {
                "name": cadre.name,
                "rule": row.rule,
                "period": row.period.label,
                "left": row.shortfall,
            },
            url,
        )
        for cadre, row in found[:SHOWN_ROWS]
    ]
    count = len({cadre.pk for cadre, _row in found})
    return Item("short_of_quota", _("本期即将结束仍未达标的干部"), count, url, rows)


def personnel_items(user, today) -> list[Item]:
    flagged = _flagged(user)
    return [
        _overdue_cases(user, today),
        Item("review", _("待复核的评价"), flagged.count(), reverse("staff:review")),
        _session_item("votes_open", _("投票中的民主评议"), user, BallotBox.Status.OPEN),
        _short_of_quota(user, today),
    ]


def cadre_items(user, today) -> list[Item]:
    cadre = user.cadre
    unsummarised = (
        Visit.objects.visible_to(user)
        .filter(lead=cadre, summary="", end_date__lte=today)
        .select_related("target_unit")
        .order_by("end_date", "pk")
    )
    visit_rows = [
        (str(v), reverse("staff:my_visit", args=[v.pk])) for v in unsummarised[:SHOWN_ROWS]
    ]
    near = (
        Case.objects.visible_to(user)
        .filter(Q(responsible=cadre) | Q(raised_with=cadre, responsible=None))
        .filter(status__in=OPEN, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .order_by("deadline", "pk")
    )
    report = compliance.evaluate(
        cadres=Cadre.objects.filter(pk=cadre.pk), year=today.year, as_of=today
    )
    left = [
        _("%(rule)s（%(period)s）还差%(left)s")
        % {"rule": row.rule, "period": row.period.label, "left": row.shortfall}
        for result in report.cadres
        for row in result.rows
        if row.status == compliance.Status.OPEN and row.period.start <= today and row.shortfall
    ]
    quota = reverse("staff:my_quota")
    items = [
        Item(
            "visits_unsummarised",
            _("待写总结的活动"),
            unsummarised.count(),
            reverse("staff:my_visits"),
            visit_rows,
        ),
        Item("quota_left", _("本期指标还差"), len(left), quota, [(t, quota) for t in left]),
    ]
    if has_role(user, *LEDGER_ROLES):  # a secretary with a cadre record cannot open the ledger
        rows = _case_rows(near)
        due = Item(
            "cases_due", _("临近或超过办结期限的问题"), near.count(), reverse("staff:cases"), rows
        )
        items.insert(1, due)
    return items


def secretary_items(user, today) -> list[Item]:
    return [
        _session_item("sessions_to_open", _("待开始投票的评议"), user, BallotBox.Status.DRAFT),
        _session_item("sessions_to_close", _("投票中、待结束的评议"), user, BallotBox.Status.OPEN),
    ]


def discipline_items(user, today) -> list[Item]:
    year_start = dt.date(today.year, 1, 1)
    long_runs = (
        Visit.objects.visible_to(user)
        .filter(status=Visit.Status.DONE, long_run_reviewed_at=None, end_date__gte=year_start)
        .filter(end_date__gte=F("start_date") + dt.timedelta(days=LONG_RUN_DAYS - 1))
    )
    no_hours = Visit.objects.visible_to(user).filter(
        status=Visit.Status.DONE, hours=None, start_date__gte=year_start
    )
    page = reverse("staff:discipline")
    return [
        Item("flags", _("新的可疑评价"), _flagged(user).count(), reverse("staff:review")),
        Item("long_runs", _("待复核的长时段活动（走过场线索）"), long_runs.count(), page),
        Item("no_hours", _("未填实际时长的活动（走过场线索）"), no_hours.count(), page),
        _thin_item(user, year_start),
    ]


def _thin_item(user, year_start) -> Item:
    """Done visits this year of under PAPER_DAY_HOURS a day (the quota engine's "paper days");
    one narrow query, the per-day division on the rows it returns. Visits of LONG_RUN_DAYS or
    more are the long-run item's business. Each row opens the visits list at that cadre's
    visits (the discipline page shows only the totals)."""
    rows = (
        Visit.objects.visible_to(user)
        .filter(status=Visit.Status.DONE, start_date__gte=year_start)
        .filter(hours__lt=compliance.PAPER_DAY_HOURS * LONG_RUN_DAYS)
        .select_related("lead")
        .order_by("-start_date", "pk")
    )
    thin = [
        v
        for v in rows
        if (n := (v.end_date - v.start_date).days + 1) < LONG_RUN_DAYS
        and v.hours / n < compliance.PAPER_DAY_HOURS
    ]
    listed = reverse("staff:visits")
    shown = [
        (
            _("%(name)s · %(visit)s（%(hours)s 小时）")
            % {"name": v.lead.name, "visit": v, "hours": v.hours},
            f"{listed}?{urlencode({'q': v.lead.name})}",
        )
        for v in thin[:SHOWN_ROWS]
    ]
    label = _("每天不足%(hours)s小时的活动（一小时算一天）") % {"hours": compliance.PAPER_DAY_HOURS}
    return Item("thin_visits", label, len(thin), f"{listed}?status=done", shown)


# Who opens the case ledger (staff:cases): the cadre role and the readers.
LEDGER_ROLES = ("cadre", "personnel", "discipline", "admin")

# (section, the roles that see it, title, items); a user with several roles sees each once.
SECTIONS = [
    ("personnel", ("personnel", "admin"), _("组织人事"), personnel_items),
    ("secretary", ("secretary",), _("党支部书记"), secretary_items),
    ("discipline", ("discipline",), _("纪检监察"), discipline_items),
]


def sections_for(user, today: dt.date | None = None) -> list[Section]:
    today = today or timezone.localdate()
    sections = []
    if getattr(user, "cadre", None) is not None:
        sections.append(Section(_("我的待办"), cadre_items(user, today)))
    for key, roles, title, items in SECTIONS:
        if has_role(user, *roles):
            found = items(user, today)
            for provider in PROVIDERS.get(key, []):
                found += provider(user, today)
            sections.append(Section(title, found))
    return sections
