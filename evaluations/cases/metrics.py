"""Problem-ledger metrics in the 接诉即办 spirit (SPEC §6), counted by the database: one query
gives, per cadre or unit subtree and per period, the counts behind 受理率, 当场解决率, 按期办结率
and 满意率; the rates are the quotients of those counts."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as Switch
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Trunc
from django.utils import timezone

from evaluations.cases.services import ACCEPTED_OR_LATER, overdue_q
from evaluations.models import Case
from surveys.models import Answer, Choice, Response

# Beijing 12345 (接诉即办) publishes 响应率 / 解决率 / 满意率; ours: 受理率, 按期办结率, 满意率.
# 004: "受理问题86件，其中12件当场解决" — 当场解决率 is over the accepted (12/86), not the received.
# 好差评 scale: 非常满意, 满意, 基本满意 are satisfied — every choice not marked as dissatisfied.
# Responses held or excluded by review never count (SPEC §4).
COUNTED_REVIEWS = (Response.Review.VALID, Response.Review.CLEARED)
PERIODS = ("year", "quarter", "month")


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class CaseRates:
    key: int | None  # a cadre's or a unit's pk, as grouped
    period: dt.date  # first day of the period
    received: int
    accepted: int
    on_spot: int
    due: int  # with a deadline, and closed or overdue
    on_time: int
    ratings: int
    satisfied: int

    @property
    def acceptance_rate(self) -> float | None:  # 受理率
        return _rate(self.accepted, self.received)

    @property
    def on_spot_rate(self) -> float | None:  # 当场解决率
        return _rate(self.on_spot, self.accepted)

    @property
    def on_time_rate(self) -> float | None:  # 按期办结率
        return _rate(self.on_time, self.due)

    @property
    def satisfaction_rate(self) -> float | None:  # 满意率
        return _rate(self.satisfied, self.ratings)

    def __add__(self, other: "CaseRates") -> "CaseRates":
        counts = {f: getattr(self, f) + getattr(other, f) for f in COUNTS}
        return CaseRates(key=None, period=min(self.period, other.period), **counts)


COUNTS = ("received", "accepted", "on_spot", "due", "on_time", "ratings", "satisfied")


def _ratings(*, satisfied: bool):
    """Per case: the rating answers on its own link (one subquery, no row fan-out)."""
    answers = Answer.objects.filter(
        response__link=OuterRef("rating_link"),
        response__review__in=COUNTED_REVIEWS,
        question__is_rating=True,
    )
    if satisfied:
        pleased = Choice.objects.filter(
            question=OuterRef("question"), value=OuterRef("value"), is_negative=False
        )
        answers = answers.filter(Exists(pleased))
    counted = answers.order_by().values("response__link").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _group(by: str, units):
    if by == "cadre":
        return F("raised_with")
    if by == "unit" and units:
        # Each case counts for the first unit in `units` whose subtree holds it.
        whens = [When(unit__path__startswith=u.path, then=Value(u.pk)) for u in units]
        return Switch(*whens, default=Value(None), output_field=IntegerField())
    raise ValueError("by must be 'cadre', or 'unit' with a list of units")


def case_metrics(cases, *, by: str, period: str = "year", units=(), today=None) -> list[CaseRates]:
    """Counts and rates of `cases` (already narrowed to a jurisdiction and dates) per group
    (`by="cadre"`: the cadre the case was raised with; `by="unit"`: the subtrees of `units`)
    and per period of the day raised ("year", "quarter" or "month")."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    today = today or timezone.localdate()
    closed = Q(status=Case.Status.CLOSED)
    due = Q(deadline__isnull=False) & (closed | overdue_q(today))
    rows = (
        cases.order_by()
        .annotate(
            group=_group(by, units),
            span=Trunc("raised_on", period, output_field=DateField()),
            rated=_ratings(satisfied=False),
            pleased=_ratings(satisfied=True),
        )
        .values("group", "span")
        .annotate(
            received=Count("pk"),
            accepted=Count("pk", filter=Q(status__in=ACCEPTED_OR_LATER)),
            on_spot=Count("pk", filter=Q(status=Case.Status.SOLVED_ON_SPOT)),
            due=Count("pk", filter=due),
            on_time=Count("pk", filter=closed & Q(closed_on__lte=F("deadline"))),
            ratings=Sum("rated"),
            satisfied=Sum("pleased"),
        )
        .order_by("group", "span")
    )
    return [
        CaseRates(key=r["group"], period=r["span"], **{f: r[f] or 0 for f in COUNTS}) for r in rows
    ]
