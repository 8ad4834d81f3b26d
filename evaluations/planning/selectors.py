"""Reads of planning: plans against the research days done, quarter by quarter, and the rota's
coming weeks with their gaps — counted by the database."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Greatest, Least

from evaluations.models import ResearchPlan, RotaSlot, Visit
from evaluations.quota.policy_data import RESEARCH_KINDS

ROTA_WEEKS = 12  # how far ahead the rota page looks


def quarters(year: int) -> list[tuple[dt.date, dt.date]]:
    ends = [dt.date(year, 3, 31), dt.date(year, 6, 30), dt.date(year, 9, 30), dt.date(year, 12, 31)]
    return [(dt.date(year, 3 * i + 1, 1), end) for i, end in enumerate(ends)]


def _quarter_sums(rows, prefix: str, year: int) -> dict:
    """Per quarter: days of the visits inside it (less one each) and how many visits overlap."""
    out = {}
    for i, (start, end) in enumerate(quarters(year)):
        overlap = Q(**{f"{prefix}start_date__lte": end, f"{prefix}end_date__gte": start})
        last = Least(F(f"{prefix}end_date"), Value(end))
        first = Greatest(F(f"{prefix}start_date"), Value(start))
        span = ExpressionWrapper(last - first, output_field=DurationField())
        out[f"span{i}"] = Sum(span, filter=overlap)
        out[f"n{i}"] = Count("pk", filter=overlap)
    return out


def research_days(cadre_ids, year: int) -> dict[int, list[int]]:
    """Days of done research (the research-days rules' kinds) per cadre and quarter, as lead
    or companion: two grouped queries."""
    visits = Visit.objects.filter(
        status=Visit.Status.DONE,
        kind__in=RESEARCH_KINDS,
        start_date__lte=dt.date(year, 12, 31),
        end_date__gte=dt.date(year, 1, 1),
    )
    done = defaultdict(lambda: [0, 0, 0, 0])
    led = visits.filter(lead__in=cadre_ids).order_by().values("lead")
    through = Visit.companions.through.objects.filter(cadre__in=cadre_ids, visit__in=visits)
    joined = through.order_by().values("cadre")
    for rows, key, prefix in ((led, "lead", ""), (joined, "cadre", "visit__")):
        for row in rows.annotate(**_quarter_sums(rows, prefix, year)):
            for i in range(4):
                span = row[f"span{i}"]
                done[row[key]][i] += (span.days if span else 0) + row[f"n{i}"]
    return done


@dataclass
class CadrePlan:
    """A cadre's topics for the year, the days planned per quarter and the research days done."""

    cadre: object
    plans: list
    done: list[int]

    @property
    def planned(self) -> list[int]:
        return [sum(p.days[i] for p in self.plans) for i in range(4)]

    @property
    def quarters(self) -> list[tuple[int, int]]:
        return list(zip(self.planned, self.done, strict=True))


def plans_for(user, *, year: int) -> list[CadrePlan]:
    plans = ResearchPlan.objects.visible_to(user).filter(year=year).select_related("cadre__unit")
    by_cadre = {}
    for plan in plans.order_by("cadre__unit__path", "cadre__code", "pk")[:1000]:
        by_cadre.setdefault(plan.cadre_id, []).append(plan)
    done = research_days(list(by_cadre), year)
    return [
        CadrePlan(rows[0].cadre, rows, done.get(pk, [0, 0, 0, 0])) for pk, rows in by_cadre.items()
    ]


@dataclass
class Week:
    monday: dt.date
    slot: RotaSlot | None

    @property
    def gap(self) -> bool:
        return self.slot is None


def coming_weeks(*, unit, today: dt.date, weeks: int = ROTA_WEEKS) -> list[Week]:
    """This week and the next ones, each with its receiver or a gap: one query."""
    monday = today - dt.timedelta(days=today.weekday())
    mondays = [monday + dt.timedelta(weeks=i) for i in range(weeks)]
    slots = RotaSlot.objects.filter(unit=unit, week__in=mondays).select_related("cadre")
    by_week = {s.week: s for s in slots}
    return [Week(m, by_week.get(m)) for m in mondays]
