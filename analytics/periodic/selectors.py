"""定期报送 (000 (八): 定期报送干部下基层的情况和工作经验材料): what one unit sends up for a
year, a quarter or a month — who went down, visits and days by type, quota compliance, the
problem ledger, residents' satisfaction (样本不足 marked) and the 民情日记 the unit picked.

Counting is done by the database (values + annotate); compliance reuses the quota engine for
the year and keeps the periods that overlap the report's."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from analytics import summary as satisfaction_summary
from analytics.satisfaction import min_sample, private
from evaluations.cases.metrics import COUNTS, CaseRates, case_metrics
from evaluations.models import Cadre, Case, OrgUnit, Visit
from evaluations.org import periods
from evaluations.quota import compliance
from evaluations.visits.selectors import diaries


@dataclass
class Periodic:
    unit: OrgUnit
    year: int
    period: str
    start: dt.date
    end: dt.date
    people: list[dict] = field(default_factory=list)
    kinds: list[dict] = field(default_factory=list)
    rules: list[dict] = field(default_factory=list)
    compliant: int = 0
    judged: int = 0
    cases: CaseRates | None = None
    satisfaction: list[dict] = field(default_factory=list)
    diaries: list = field(default_factory=list)
    min_sample: int = 10
    channels: list | None = None  # the 评价渠道 filter of the satisfaction part (issue 19 §5)

    @property
    def label(self) -> str:
        return periods.label(self.period)

    @property
    def totals(self) -> dict:
        return {
            "cadres": len(self.people),
            "visits": sum(k["visits"] for k in self.kinds),
            "days": sum(k["days"] for k in self.kinds),
            "received": sum(k["received"] for k in self.kinds),
        }


def _days(start: dt.date, end: dt.date, prefix: str = ""):
    """Days of a visit inside the period, less one (the database subtracts dates)."""
    last = Least(F(f"{prefix}end_date"), Value(end))
    first = Greatest(F(f"{prefix}start_date"), Value(start))
    return ExpressionWrapper(last - first, output_field=DurationField())


def _whole_days(span: dt.timedelta | None, count: int) -> int:
    return (span.days if span else 0) + count


def _visits(user, unit, start, end):
    return Visit.objects.visible_to(user).filter(
        status=Visit.Status.DONE,
        lead__unit__path__startswith=unit.path,
        start_date__lte=end,
        end_date__gte=start,
    )


def _people(visits, unit, start, end) -> list[dict]:
    """Leads and companions from the unit's subtree: visits and days each took part in."""
    went = defaultdict(Counter)
    led = visits.order_by().values("lead").annotate(n=Count("pk"), span=Sum(_days(start, end)))
    for row in led:
        went[row["lead"]].update(visits=row["n"], days=_whole_days(row["span"], row["n"]))
    through = Visit.companions.through.objects.filter(visit__in=visits.values("pk"))
    joined = through.order_by().values("cadre")
    joined = joined.annotate(n=Count("visit"), span=Sum(_days(start, end, "visit__")))
    for row in joined:
        went[row["cadre"]].update(visits=row["n"], days=_whole_days(row["span"], row["n"]))
    cadres = Cadre.objects.filter(pk__in=list(went), unit__path__startswith=unit.path)
    rows = [
        {
            "name": c.name,
            "code": c.code,
            "unit": c.unit.name,
            "post": c.post,
            "visits": went[c.pk]["visits"],
            "days": went[c.pk]["days"],
        }
        for c in cadres.select_related("unit")
    ]
    return sorted(rows, key=lambda r: (-r["days"], -r["visits"], r["code"]))


def _kinds(visits, start, end) -> list[dict]:
    counted = {
        row["kind"]: row
        for row in visits.order_by()
        .values("kind")
        .annotate(n=Count("pk"), span=Sum(_days(start, end)), received=Sum("people_received"))
    }
    rows = []
    for kind in Visit.Kind:
        row = counted.get(kind.value, {"n": 0, "span": None, "received": None})
        rows.append(
            {
                "kind": str(kind.label),
                "visits": row["n"],
                "days": _whole_days(row["span"], row["n"]),
                "received": row["received"] or 0,
            }
        )
    return rows


def _overlaps(row, start, end) -> bool:
    return row.status in compliance.JUDGED and row.period.start <= end and row.period.end >= start


def _compliance(report: compliance.Report, start, end) -> tuple[list[dict], int, int]:
    """Per rule: periods met / short / open overlapping the report period; and the cadres whose
    closed periods there were all met, of those with any closed."""
    tally = defaultdict(Counter)
    compliant = judged = 0
    for cadre in report.cadres:
        rows = [r for r in cadre.rows if _overlaps(r, start, end)]
        for r in rows:
            tally[str(r.rule.shown_label)][r.status] += 1
        closed = [r.status == compliance.Status.MET for r in rows if r.status in compliance.CLOSED]
        if closed:
            judged += 1
            compliant += all(closed)
    for unit in report.units:
        for summary in ([unit.rota] if unit.rota else []) + unit.meetings:
            for r in summary.rows:
                if _overlaps(r, start, end):
                    tally[str(r.rule.shown_label)][r.status] += 1
    rules = []
    for rule, counts in tally.items():
        met, short = counts[compliance.Status.MET], counts[compliance.Status.SHORT]
        rules.append(
            {
                "rule": rule,
                "met": met,
                "short": short,
                "open": counts[compliance.Status.OPEN],
                "rate": met / (met + short) if met + short else None,
            }
        )
    return rules, compliant, judged


def _cases(user, unit, start, end, today) -> CaseRates:
    cases = Case.objects.visible_to(user).filter(
        unit__path__startswith=unit.path, raised_on__range=(start, end)
    )
    rates = case_metrics(cases, by="unit", units=[unit], period="year", today=today)
    return sum(rates, CaseRates(key=None, period=start, **dict.fromkeys(COUNTS, 0)))


def _satisfaction(user, unit, year, period, channels) -> list[dict]:
    rows = satisfaction_summary.unit_summary(
        user, unit=unit, year=year, period=period, channels=channels
    ).rows
    # A unit with one rated cadre is that cadre's row: the same smallest-cell rule applies.
    return [private({**row, "enough": row["n"] >= min_sample()}) for row in rows]


def periodic_report(
    user, *, unit: OrgUnit, year: int, period: str, today=None, channels=None
) -> Periodic:
    """The unit's report for the period; `channels` narrows only the residents' satisfaction
    (visits, quotas and cases have no channel)."""
    today = today or timezone.localdate()
    start, end = periods.bounds(year, period)
    visits = _visits(user, unit, start, end)
    year_report = compliance.scope_report(
        cadres=Cadre.objects.visible_to(user),
        units=OrgUnit.objects.visible_to(user),
        year=year,
        unit=unit,
        as_of=today,
    )
    rules, compliant, judged = _compliance(year_report, start, end)
    return Periodic(
        unit=unit,
        year=year,
        period=period,
        start=start,
        end=end,
        people=_people(visits, unit, start, end),
        kinds=_kinds(visits, start, end),
        rules=rules,
        compliant=compliant,
        judged=judged,
        cases=_cases(user, unit, start, end, today),
        satisfaction=_satisfaction(user, unit, year, period, channels),
        diaries=list(diaries(user, unit=unit, start=start, end=end, picked_only=True)),
        min_sample=min_sample(),
        channels=channels,
    )
