"""State changes of the 四下基层 workbench: visits and cadres' contact cards."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Cadre, Visit
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
}


class VisitError(Exception):
    def __init__(self, code: str):
        self.code = code
        super().__init__(str(MESSAGES[code]))


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


@transaction.atomic
def save_visit(
    *, visit: Visit, lead: Cadre, companions=(), expected_audience: int | None = None
) -> Visit:
    """Create or update a visit; its rating link follows the visit's dates and records the
    expected audience (参会人数), against which the integrity checks weigh the arrivals."""
    if visit.end_date < visit.start_date:
        raise VisitError("dates")
    visit.lead = lead
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
    visit.companions.set([c for c in companions if c.pk != lead.pk])
    return visit


@transaction.atomic
def complete_visit(*, visit: Visit, summary: str) -> Visit:
    """A visit is done only with its summary (000: 回来以后要认真进行总结)."""
    summary = (summary or "").strip()
    if not summary:
        raise VisitError("summary_required")
    visit.summary = summary
    visit.status = Visit.Status.DONE
    visit.save(update_fields=["summary", "status"])
    return visit


@transaction.atomic
def contact_card_link(*, cadre: Cadre) -> RatingLink:
    """The cadre's personal link (干部联系卡): residents rate the cadre, not one visit."""
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    now = timezone.now()
    link = cadre.contact_link
    if link is None or link.state(now) != "open":
        link = RatingLink.objects.create(
            title=f"{cadre.name}（{cadre.post}）联系卡",
            questionnaire=_default_questionnaire(),
            valid_from=now,
            valid_until=now + dt.timedelta(days=CONTACT_CARD_DAYS),
        )
        cadre.contact_link = link
        cadre.save(update_fields=["contact_link"])
    return link
