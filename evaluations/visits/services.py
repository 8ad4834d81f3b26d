"""State changes of the 四下基层 workbench: visits and cadres' contact cards."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Cadre, Visit, VisitAmendment
from surveys.models import Questionnaire, RatingLink

# Residents may rate a visit from its first day until this many days after it ended: long
# enough to rate what followed the visit, short enough that a rating speaks of this visit.
RATING_WINDOW_DAYS = 30
# A 干部联系卡 stays valid for a year; printing a new card renews it.
CONTACT_CARD_DAYS = 365

MESSAGES = {
    "summary_required": _("活动完成前必须填写活动总结（民情日记）：回来以后要认真进行总结。"),
    "dates": _("结束日期不能早于开始日期。"),
    "no_questionnaire": _("没有已发布的默认问卷，请先在管理后台发布问卷。"),
    "not_over": _("活动到%(end)s才结束，结束之前不能标记为完成。"),
    "frozen": _(
        "已完成的活动不能直接修改日期、时长或同行干部：请填写更正原因，更正将记录在案并供纪检监察查阅。"
    ),
    "not_own_point": _("“%(point)s”不是带队干部本人的联系点。"),
    "not_done": _("只有已完成并写有民情日记的活动可以选入报送材料。"),
    "own_visit": _("不能把本人带队的活动选入报送材料，请由单位其他同志选择。"),
}
# What a done visit's quota counts rest on: changed only by a logged amendment (SPEC §7).
FROZEN_FIELDS = ("start_date", "end_date", "hours")


class VisitError(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        message = str(MESSAGES[code])
        super().__init__(message % params if params else message)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _default_questionnaire() -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(code="default").first()
    if questionnaire is None or questionnaire.latest_published() is None:
        raise VisitError("no_questionnaire")
    return questionnaire


def _window(visit: Visit) -> tuple[dt.datetime, dt.datetime]:
    return _start_of(visit.start_date), _start_of(
        visit.end_date + dt.timedelta(RATING_WINDOW_DAYS + 1)
    )


def _names(cadres) -> str:
    return "、".join(sorted(c.name for c in cadres)) or "—"


def _frozen_changes(visit: Visit, companions: list[Cadre]) -> dict[str, list[str]]:
    """{field: [before, after]} of what a save would change in a done visit's frozen fields."""
    stored = Visit.objects.get(pk=visit.pk)
    changes = {
        name: [str(getattr(stored, name) or "—"), str(getattr(visit, name) or "—")]
        for name in FROZEN_FIELDS
        if getattr(stored, name) != getattr(visit, name)
    }
    before = list(stored.companions.all())
    if {c.pk for c in before} != {c.pk for c in companions}:
        changes["companions"] = [_names(before), _names(companions)]
    return changes


def _amend(visit: Visit, companions, *, reason: str, actor) -> None:
    if visit.status != Visit.Status.DONE or visit.pk is None:
        return
    changes = _frozen_changes(visit, companions)
    if not changes:
        return
    if not reason:
        raise VisitError("frozen")
    VisitAmendment.objects.create(visit=visit, actor=actor, reason=reason[:300], changes=changes)
    if {"start_date", "end_date"} & set(changes):
        visit.long_run_reviewed_at = visit.long_run_reviewed_by = None  # new dates, new review


def _check_contact_point(visit: Visit, lead: Cadre) -> None:
    point = visit.contact_point
    if point is not None and lead.pk != point.cadre_id and lead.unit_id != point.organ_id:
        raise VisitError("not_own_point", point=str(point))


@transaction.atomic
def save_visit(
    *,
    visit: Visit,
    lead: Cadre,
    companions=(),
    amendment_reason: str = "",
    actor=None,
    expected_audience: int | None = None,
    entered_by=None,
) -> Visit:
    """Create or update a visit; its rating link follows the visit's dates and records the
    expected audience (参会人数), against which the integrity checks weigh the arrivals. A done
    visit's dates, hours and companions change only with a reason, as a logged amendment."""
    if visit.end_date < visit.start_date:
        raise VisitError("dates")
    companions = [c for c in companions if c.pk != lead.pk]
    _amend(visit, companions, reason=(amendment_reason or "").strip(), actor=actor)
    _check_contact_point(visit, lead)
    visit.lead = lead
    if entered_by is not None and visit.pk is None:
        visit.entered_by = entered_by  # recorded for the lead by someone else (shown as 代录)
    opens, closes = _window(visit)
    title = f"{lead.name} · {visit.target_unit.name}"
    if visit.rating_link_id is None:
        visit.rating_link = RatingLink.objects.create(
            title=title,
            questionnaire=_default_questionnaire(),
            valid_from=opens,
            valid_until=closes,
            expected_audience=expected_audience,
        )
    else:
        RatingLink.objects.filter(pk=visit.rating_link_id).update(
            title=title, valid_from=opens, valid_until=closes, expected_audience=expected_audience
        )
    visit.save()
    visit.companions.set(companions)
    return visit


@transaction.atomic
def complete_visit(*, visit: Visit, summary: str, today: dt.date | None = None) -> Visit:
    """A visit is done only with its summary (000: 回来以后要认真进行总结), and not before its
    last day: what has not happened cannot be done."""
    summary = (summary or "").strip()
    if not summary:
        raise VisitError("summary_required")
    if visit.end_date > (today or timezone.localdate()):
        raise VisitError("not_over", end=f"{visit.end_date:%Y-%m-%d}")
    visit.summary = summary
    visit.status = Visit.Status.DONE
    visit.save(update_fields=["summary", "status"])
    return visit


def contact_card_title(cadre: Cadre) -> str:
    """'张伟 · 副镇长': user data only, as a visit's 'lead · unit' (a stored '联系卡' stayed
    Chinese on English pages)."""
    return " · ".join(part for part in (cadre.name, cadre.post) if part)


@transaction.atomic
def contact_card_link(*, cadre: Cadre) -> RatingLink:
    """The cadre's personal link (干部联系卡): residents rate the cadre, not one visit."""
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    now = timezone.now()
    link = cadre.contact_link
    if link is None or link.state(now) != "open":
        link = RatingLink.objects.create(
            title=contact_card_title(cadre),
            questionnaire=_default_questionnaire(),
            valid_from=now,
            valid_until=now + dt.timedelta(days=CONTACT_CARD_DAYS),
        )
        cadre.contact_link = link
        cadre.save(update_fields=["contact_link"])
    return link


@transaction.atomic
def pick_for_report(*, visit: Visit, actor, picked: bool) -> Visit:
    """000 (八): the unit chooses which 民情日记 go into its 定期报送; who chose it is kept."""
    if visit.status != Visit.Status.DONE or not visit.summary.strip():
        raise VisitError("not_done")
    if getattr(actor, "cadre", None) is not None and actor.cadre.pk == visit.lead_id:
        raise VisitError("own_visit")
    visit.picked_at = timezone.now() if picked else None
    visit.picked_by = actor if picked else None
    visit.save(update_fields=["picked_at", "picked_by"])
    return visit
