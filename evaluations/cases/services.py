"""State changes of the problem ledger (问题台账): raising a case and moving it through its
statuses. The allowed moves are one table (TRANSITIONS); every move writes a CaseEvent, so a
case's whole history is kept (SPEC §2)."""

import calendar
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.cases.permissions import concerns_cadre
from evaluations.models import Cadre, Case, CaseEvent, OrgUnit, PolicyRuleSet, Visit, ruleset_for
from surveys import notes
from surveys.models import Questionnaire, RatingLink, Response

S = Case.Status

# action -> (statuses it may leave, status it reaches). 004 (the 1988 Xiapu day): problems
# are 受理 or not, some 当场解决, the rest 在一个月内处理完毕 under 领导包案 (001/004); 000: what
# the unit cannot solve is 向上反映. An escalated case is still followed up by its own unit.
TRANSITIONS = {
    "accept": ((S.RECEIVED,), S.ACCEPTED),
    "decline": ((S.RECEIVED,), S.DECLINED),
    "solve_on_spot": ((S.RECEIVED, S.ACCEPTED), S.SOLVED_ON_SPOT),
    "assign": ((S.ACCEPTED, S.ASSIGNED, S.ESCALATED), S.ASSIGNED),
    "escalate": ((S.ACCEPTED, S.ASSIGNED, S.ESCALATED), S.ESCALATED),
    "close": ((S.ACCEPTED, S.ASSIGNED, S.ESCALATED), S.CLOSED),
}
ACTION_LABELS = {
    "accept": _("受理"),
    "decline": _("不予受理"),
    "solve_on_spot": _("当场解决"),
    "assign": _("领导包案"),
    "escalate": _("向上反映"),
    "close": _("办结"),
}
# What the system writes beside a move, kept as messages and read in the reader's language.
ASSIGNED = _("包案领导：%(name)s；办结期限：%(deadline)s")
ESCALATED = _("向%(unit)s反映")
# Accepted, or any step after acceptance: what 受理率 counts (declined or undecided is not).
ACCEPTED_OR_LATER = (S.ACCEPTED, S.SOLVED_ON_SPOT, S.ASSIGNED, S.ESCALATED, S.CLOSED)
# Accepted and not finished: the statuses in which a case can be overdue.
OPEN = (S.ACCEPTED, S.ASSIGNED, S.ESCALATED)

# The resident rates the handling on the national 政务服务“好差评” scale, one rating per service.
HANDLING_QUESTIONNAIRE = "haochaping"
# The handling is rated once the service is over (办结, 当场解决, or 不予受理 with its reason):
# a rating given while a case is still being handled would grade a promise, not a result.
FINISHED = (S.CLOSED, S.SOLVED_ON_SPOT, S.DECLINED)
# From then on the link stays open for a year.
HANDLING_RATING_DAYS = 365

MESSAGES = {
    "transition": _("问题当前状态为“%(status)s”，不能“%(action)s”。"),
    "title_required": _("请填写反映的问题。"),
    "reason_required": _("不予受理必须说明原因。"),
    "result_required": _("请填写办理结果。"),
    "not_your_visit": _("只能为自己带队或参加的活动登记问题。"),
    "no_subject": _("该评价不属于任何下基层活动，无法登记为问题。"),
    "no_questionnaire": _("没有已发布的“好差评”问卷，请先在管理后台发布。"),
    "not_upward": _("只能向“%(unit)s”的上级单位反映。"),
    "not_higher": _("该问题已向“%(unit)s”反映，只能再向更上一级反映。"),
    "deadline_early": _("办结期限不能早于反映日期。"),
    "responsible_concerned": _("群众反映的正是%(name)s本人的工作，不能由其包案，请另选领导。"),
    "date_early": _("日期不能早于反映日期。"),
    "date_future": _("日期不能晚于今天。"),
    "contact_without_consent": _("群众明确同意后才能记录联系方式。"),
}


class CaseError(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        message = MESSAGES[code]
        super().__init__(str(message) % params if params else str(message))


def allowed_actions(case: Case) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if case.status in sources]


def overdue_q(today: dt.date) -> Q:
    """Accepted, unfinished and past its deadline."""
    return Q(status__in=OPEN, deadline__lt=today)


def is_overdue(case: Case, today: dt.date) -> bool:
    """The same rule as overdue_q, for one case in hand."""
    return case.status in OPEN and case.deadline is not None and case.deadline < today


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or that month's last day (31 January + 1
    month = 28 or 29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_deadline(case: Case) -> dt.date:
    """004: "其余要求在一个月内处理完毕" — a calendar month by default (raised 20 December,
    due 20 January); a rule set may count in days instead (its months left blank)."""
    ruleset = ruleset_for(case.unit, case.raised_on.year)
    fields = PolicyRuleSet._meta
    months = (
        ruleset.case_deadline_months
        if ruleset
        else fields.get_field("case_deadline_months").default
    )
    if months:
        return add_months(case.raised_on, months)
    days = ruleset.case_deadline_days if ruleset else fields.get_field("case_deadline_days").default
    return case.raised_on + dt.timedelta(days=days)


# -- raising a case -------------------------------------------------------------------------


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _handling_link(case: Case) -> RatingLink:
    questionnaire = Questionnaire.objects.filter(code=HANDLING_QUESTIONNAIRE).first()
    if questionnaire is None or questionnaire.latest_published() is None:
        raise CaseError("no_questionnaire")
    # Closed until the case is finished (_open_handling_rating); the resident can still open it
    # to see the case's status.
    # The title is the case's own words only: what kind of rating it is, the page says in the
    # reader's language (a stored "问题办理评价：" stayed Chinese on English pages).
    return RatingLink.objects.create(
        title=case.title[:60], questionnaire=questionnaire, is_enabled=False
    )


def _open_handling_rating(case: Case) -> None:
    if case.rating_link_id is None or case.status not in FINISHED:
        return
    opens = _start_of(case.closed_on or timezone.localdate())
    RatingLink.objects.filter(pk=case.rating_link_id).update(
        is_enabled=True,
        valid_from=opens,
        valid_until=opens + dt.timedelta(days=HANDLING_RATING_DAYS),
    )


def _resident_case(response: Response) -> Case:
    visit = Visit.objects.select_related("target_unit").filter(rating_link=response.link_id).first()
    if visit is None:
        raise CaseError("no_subject")
    return Case(
        source=Case.Source.RESIDENT,
        response=response,
        visit=visit,
        unit=visit.target_unit,
        raised_with_id=visit.lead_id,
        raised_on=timezone.localdate(response.submitted_at),
    )


def _visit_case(visit: Visit | None, cadre: Cadre | None, raised_on: dt.date | None) -> Case:
    takes_part = (
        visit is not None
        and cadre is not None
        and (visit.lead_id == cadre.pk or visit.companions.filter(pk=cadre.pk).exists())
    )
    if not takes_part:
        raise CaseError("not_your_visit")
    raised_on = raised_on or visit.start_date
    if raised_on > timezone.localdate():
        raise CaseError("date_future")
    return Case(
        source=Case.Source.VISIT,
        visit=visit,
        unit=visit.target_unit,
        raised_with=cadre,
        raised_on=raised_on,
    )


@transaction.atomic
def raise_case(
    *,
    title: str,
    description: str = "",
    visit: Visit | None = None,
    cadre: Cadre | None = None,
    response: Response | None = None,
    raised_on: dt.date | None = None,
    actor=None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_consent: bool = False,
) -> Case:
    """Open a case from a resident's response (its visit's unit and lead), or as logged by a
    cadre who led or joined the visit. Each case gets its own rating link for its handling."""
    title = (title or "").strip()
    if not title:
        raise CaseError("title_required")
    contact_name, contact_phone = contact_name.strip(), contact_phone.strip()
    if (contact_name or contact_phone) and not contact_consent:
        raise CaseError("contact_without_consent")
    if response is not None:
        case = _resident_case(response)
    else:
        case = _visit_case(visit, cadre, raised_on)
    case.title, case.description = title[:200], description.strip()
    if contact_name or contact_phone:
        case.contact_name, case.contact_phone = contact_name, contact_phone
        case.contact_consent_at = timezone.now()
    case.rating_link = _handling_link(case)
    case.save()
    message = notes.note(Case.Source(case.source).label)
    CaseEvent.objects.create(case=case, status=S.RECEIVED, message=message, actor=actor)
    return case


# -- moving a case --------------------------------------------------------------------------


def _locked(case: Case, action: str) -> Case:
    case = Case.objects.select_related("unit").select_for_update(of=("self",)).get(pk=case.pk)
    sources, _target = TRANSITIONS[action]
    if case.status not in sources:
        raise CaseError(
            "transition", status=case.get_status_display(), action=ACTION_LABELS[action]
        )
    return case


def _record(case: Case, action: str, *, actor, note: str = "", message=None) -> Case:
    """`note` is what the person typed; `message` what the system adds (surveys.notes)."""
    case.status = TRANSITIONS[action][1]
    case.save()
    CaseEvent.objects.create(
        case=case, status=case.status, note=note.strip()[:300], message=message or {}, actor=actor
    )
    _open_handling_rating(case)
    return case


def _check_day(case: Case, day: dt.date) -> dt.date:
    if day < case.raised_on:
        raise CaseError("date_early")
    if day > timezone.localdate():
        raise CaseError("date_future")
    return day


def _required(text: str, code: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CaseError(code)
    return text


@transaction.atomic
def accept(*, case: Case, actor=None, note: str = "") -> Case:
    """受理; what is not solved on the spot is due within the rule set's period (004: 一个月)."""
    case = _locked(case, "accept")
    case.deadline = case.deadline or default_deadline(case)
    return _record(case, "accept", actor=actor, note=note)


@transaction.atomic
def decline(*, case: Case, reason: str, actor=None) -> Case:
    reason = _required(reason, "reason_required")
    case = _locked(case, "decline")
    case.decline_reason = reason[:300]
    return _record(case, "decline", actor=actor, note=reason)


@transaction.atomic
def solve_on_spot(*, case: Case, result: str, actor=None) -> Case:
    """当场解决: finished on the day it was raised; measured by 当场解决率, not by a deadline."""
    result = _required(result, "result_required")
    case = _locked(case, "solve_on_spot")
    case.result, case.closed_on, case.deadline = result, case.raised_on, None
    return _record(case, "solve_on_spot", actor=actor, note=result)


@transaction.atomic
def assign(
    *, case: Case, responsible: Cadre, deadline: dt.date | None = None, actor=None, note=""
) -> Case:
    """领导包案: a responsible leader and a deadline (default: the rule set's period)."""
    case = _locked(case, "assign")
    if concerns_cadre(responsible, case):  # he could not act on it, and would see the contact
        raise CaseError("responsible_concerned", name=responsible.name)
    deadline = deadline or default_deadline(case)
    if deadline < case.raised_on:
        raise CaseError("deadline_early")
    case.responsible, case.deadline = responsible, deadline
    summary = notes.note(ASSIGNED, name=responsible.name, deadline=f"{deadline:%Y-%m-%d}")
    return _record(case, "assign", actor=actor, note=note or "", message=summary)


@transaction.atomic
def escalate(*, case: Case, to_unit: OrgUnit, actor=None, note: str = "") -> Case:
    """向上反映: only to a unit above the case's unit (and above any unit already asked)."""
    case = _locked(case, "escalate")
    if to_unit.pk == case.unit_id or not case.unit.path.startswith(to_unit.path):
        raise CaseError("not_upward", unit=case.unit.name)
    current = case.escalated_to
    higher = current is None or (to_unit.pk != current.pk and current.path.startswith(to_unit.path))
    if not higher:
        raise CaseError("not_higher", unit=current.name)
    case.escalated_to = to_unit
    summary = notes.note(ESCALATED, unit=to_unit.name)
    return _record(case, "escalate", actor=actor, note=note or "", message=summary)


@transaction.atomic
def close(*, case: Case, result: str, actor=None, on: dt.date | None = None) -> Case:
    result = _required(result, "result_required")
    case = _locked(case, "close")
    case.closed_on = _check_day(case, on or timezone.localdate())
    case.result = result
    return _record(case, "close", actor=actor, note=result)


def purge_contacts(*, now: dt.datetime | None = None) -> int:
    """Blank follow-up contacts kept longer than settings.CONTACT_RETENTION_DAYS
    (个人信息保护法 art. 47); returns how many cases were cleared."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CONTACT_RETENTION_DAYS)
    stale = Q(contact_consent_at__lt=cutoff) | (
        Q(contact_consent_at__isnull=True) & (~Q(contact_phone="") | ~Q(contact_name=""))
    )
    return Case.objects.filter(stale).update(
        contact_name="", contact_phone="", contact_consent_at=None
    )
